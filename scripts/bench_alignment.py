"""Speed and memory of the aligner; prints one JSON object.

    python scripts/bench_alignment.py [--shared PATH] [--encoder e5-small] [--synthetic] [--e2e N]

1. Alignment only on the Bible en-zh document (5,000 x 6,301) with precomputed embeddings (cached
   by content hash in /tmp/tasscorpus-cache/align-eval.sqlite; fill it once with
   ``scripts/eval_alignment.py --dataset bible-enzh --embed-only``), ours vs ``sentweave`` (Vecalign's
   search) on the same vectors, in one run. Multi-sentence vectors for sentweave are built from the
   same sentence vectors (normalised sums), so neither side re-encodes. ``--synthetic`` uses a
   synthetic 5,000 x 6,301 document instead (correlated random vectors) when the cache is empty.
2. Peak traced memory (tracemalloc, in a subprocess) of aligning a synthetic 10k x 10k document.
3. End-to-end sentences/s with the encoder (no cache) on the first N sentences of textberg-dev.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

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


def run_sentweave(es: np.ndarray, et: np.ndarray, max_size: int = 5, overlaps: int = 4) -> tuple[float, int]:
    from sentweave.dp_utils import make_alignment_types, vecalign

    def over(e):
        p = np.concatenate([np.zeros((1, e.shape[1])), np.cumsum(e, axis=0, dtype=np.float64)])
        v = np.zeros((overlaps, len(e), e.shape[1]), np.float32)
        for k in range(1, overlaps + 1):
            s = p[k:] - p[:-k]  # sentences i..i+k-1 (Vecalign's layer(): the k-overlap starting at i)
            v[k - 1, : len(s)] = s
            v[k - 1, len(s) :] = s[-1] if len(s) else 0
        v /= np.maximum(np.linalg.norm(v, axis=2, keepdims=True), 1e-12)
        return v

    v0, v1 = over(es), over(et)
    np.random.seed(42)
    t = time.perf_counter()
    stack = vecalign(vecs0=v0, vecs1=v1, final_alignment_types=make_alignment_types(max_size),
                     del_percentile_frac=0.2, width_over2=int(np.ceil(overlaps / 2)) + 5,
                     max_size_full_dp=300, costs_sample_size=20_000, num_samps_for_norm=100)
    return time.perf_counter() - t, len(stack[0]["final_alignments"])


def run_ours(src, tgt, es, et) -> tuple[float, list]:
    from align.aligner import align_embedded

    t = time.perf_counter()
    beads = align_embedded(src, tgt, es, et)
    return time.perf_counter() - t, beads


_MEM_CHILD = """
import sys, tracemalloc, resource, json
sys.path.insert(0, {root!r}); sys.path.insert(0, {scripts!r})
from bench_alignment import synthetic
from align.aligner import align_embedded
es, et = synthetic({n}, {n}, d=384, seed=1)
tracemalloc.start()
beads = align_embedded(["x" * 60] * {n}, ["y" * 60] * {n}, es, et)
cur, peak = tracemalloc.get_traced_memory()
print(json.dumps({{"peak_traced_mb": peak / 2**20, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "beads": len(beads)}}))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--encoder", default="e5-small")
    ap.add_argument("--synthetic", action="store_true", help="synthetic 5000x6301 vectors instead of the Bible")
    ap.add_argument("--mem-n", type=int, default=10_000)
    ap.add_argument("--e2e", type=int, default=300, help="sentences per side for the end-to-end run (0: skip)")
    args = ap.parse_args(argv)
    from align.aligner import AlignConfig

    out: dict = {"signature": {"aligner": AlignConfig().signature()}}
    # 1. alignment only
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
    ours_s, beads = run_ours(src, tgt, es, et)
    sw_s, sw_n = run_sentweave(es, et)
    out["bible_align_seconds"] = {"tasscorpus": round(ours_s, 3), "sentweave_vecalign": round(sw_s, 3),
                                  "speedup": round(sw_s / ours_s, 2), "beads": len(beads), "sentweave_beads": sw_n}
    if not args.synthetic:
        from align.score import score

        out["bible_strict_f1"] = round(score(doc.gold, beads)["strict"]["f1"], 4)
    # 2. memory in a subprocess
    if args.mem_n:
        code = _MEM_CHILD.format(root=str(ROOT), scripts=str(ROOT / "scripts"), n=args.mem_n)
        t = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if res.returncode:
            out["memory"] = {"error": res.stderr.strip().splitlines()[-1:]}
        else:
            out["memory"] = {"n": args.mem_n, **json.loads(res.stdout), "seconds": round(time.perf_counter() - t, 1)}
    # 3. end to end with the encoder, no cache
    if args.e2e:
        import eval_alignment as E
        from align.aligner import align
        from align.encoders import get_encoder

        (doc,) = E.load_dataset("textberg-dev", Path(args.shared))
        enc = get_encoder(args.encoder)
        s, t_ = doc.src[: args.e2e], doc.tgt[: args.e2e]
        t0 = time.perf_counter()
        align(s, t_, enc, src_lang="de", tgt_lang="fr")
        dt = time.perf_counter() - t0
        out["end_to_end"] = {"sentences": len(s) + len(t_), "seconds": round(dt, 2),
                             "sentences_per_second": round((len(s) + len(t_)) / dt, 1), "encoder": enc.signature()}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
