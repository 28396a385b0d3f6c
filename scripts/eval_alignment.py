"""Evaluate the sentence aligner on gold data from ../shared; prints one JSON object.

    python scripts/eval_alignment.py --dataset textberg-test [--encoder e5-small] [--shared PATH]

Datasets: textberg-dev / textberg-test (de-fr, Vecalign's Text+Berg split), opusbooks-enru-val /
opusbooks-enru-test (CroCoAlign's Anna Karenina en-ru), tass-stress (perturbed WMT21 ru-en news
documents with gold, built in memory by align.stress), bible-enzh (one 5,000x6,301 document), rewrites (the rewrite
benchmark in the repo, corpus/evaluation/data/rewrites, ru-en; --split dev|test|all; gold beads may cross).
Tune only on *-dev / *-val.

Reports strict and lax P/R/F1, embedding and alignment seconds apart (sentence embeddings cached by content hash in
/tmp/tasscorpus-cache/align-eval.sqlite) and ``errors`` (strict-F1 losses by bead type and commonest confusions).
``adjudicated`` (OPUS Books, on the gold with scripts/data/crocoalign_enru_gold_corrections.tsv), ``--oracle`` (the
best path through the aligner's own candidate beads) and ``--config '{"concat": 3}'`` (a second pass on re-encoded
concatenations): docs/scripts.md.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import numpy as np  # noqa: E402

from align.score import score_docs  # noqa: E402
from corpus.records import Bead  # noqa: E402

CACHE = Path("/tmp/tasscorpus-cache/align-eval.sqlite")
GOLD_CORRECTIONS = ROOT / "scripts" / "data" / "crocoalign_enru_gold_corrections.tsv"


def gold_corrections(split: str, path: Path = GOLD_CORRECTIONS) -> list[tuple[int, tuple[int, ...], tuple[int, ...]]]:
    """(English sentence, Russian lines of its published gold bead, Russian lines of the bead it belongs to) for
    one OPUS Books split ("val" / "test")."""
    def lines(cell: str) -> tuple[int, ...]:
        return tuple(int(x) for x in cell.split(",") if x.strip())

    out = []
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        sp, src, old, new = row.split("\t")
        if sp == split:
            out.append((int(src), lines(old), lines(new)))
    return out


def apply_corrections(gold: list[Bead], corrections) -> list[Bead]:
    """``gold`` with each listed source sentence moved from its bead to the bead whose target lines are listed
    (a bead left with no sentence on either side is dropped). A row that does not match the gold is an error: the
    list was made for another version of the data."""
    beads = [[list(b.src), list(b.tgt)] for b in gold]
    for i, old, new in corrections:
        at = next((b for b in beads if i in b[0]), None)
        to = next((b for b in beads if tuple(b[1]) == new and new), None)
        if at is None or tuple(at[1]) != old or to is None:
            raise SystemExit(f"gold correction for source sentence {i} does not match the gold data")
        at[0].remove(i)
        to[0] = sorted(to[0] + [i])
    return [Bead(tuple(s), tuple(t)) for s, t in beads if s or t]


DATASETS = ("textberg-dev", "textberg-test", "opusbooks-enru-val", "opusbooks-enru-test", "tass-stress", "bible-enzh",
            "rewrites")


@dataclass
class Doc:
    name: str
    src: list[str]
    tgt: list[str]
    gold: list[Bead]
    src_lang: str
    tgt_lang: str


def _lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def load_dataset(name: str, shared: Path, seed: int = 13, split: str = "all") -> list[Doc]:
    from align.score import read_beads

    ev = shared / "eval"
    if name.startswith("textberg-"):
        d = ev / "textberg_defr_vecalign" / "bleualign_data"
        stems = ["dev"] if name == "textberg-dev" else [f"test{i}" for i in range(7)]
        return [
            Doc(s, _lines(d / f"{s}.de"), _lines(d / f"{s}.fr"), read_beads(d / f"{s}.defr"), "de", "fr")
            for s in stems
        ]
    if name.startswith("opusbooks-enru-"):
        d = ev / "crocoalign_opusbooks_enru" / "derived" / name.rsplit("-", 1)[1]
        return [Doc(name, _lines(d / "en.txt"), _lines(d / "ru.txt"), read_beads(d / "gold.en-ru.txt"), "en", "ru")]
    if name == "bible-enzh":
        d = ev / "bertalign_bible_enzh" / "data" / "bible"
        return [Doc(name, _lines(d / "en" / "001"), _lines(d / "zh" / "001"), read_beads(d / "gold" / "001.align"), "en", "zh")]
    if name == "tass-stress":
        from align.stress import build_stress_set

        return [
            Doc(s.name, s.src, s.tgt, s.gold, "ru", "en")
            for s in build_stress_set(ev / "wmt21_newstest2021_ruen" / "docs", seed=seed)
        ]
    if name == "rewrites":
        from corpus.evaluation.rewrites import load_pairs
        from corpus.evaluation.runner import alignment_docs

        return [Doc(i, s, t, g, "ru", "en") for i, s, t, g in alignment_docs(load_pairs(split))]
    raise SystemExit(f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}")


def cached_encoder(name: str):
    from align.encoders import CachedEncoder, get_encoder
    from corpus.store import Store

    return CachedEncoder(get_encoder(name), Store(CACHE))


def embed_docs(docs: list[Doc], enc) -> tuple[list[tuple[np.ndarray, np.ndarray]], float]:
    t = time.perf_counter()
    out = [(enc.encode(d.src, d.src_lang), enc.encode(d.tgt, d.tgt_lang)) for d in docs]
    return out, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", required=True, choices=DATASETS)
    ap.add_argument("--encoder", default=None, help="default: the --config file's encoder, else e5-small")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--embed-only", action="store_true", help="only fill the embedding cache")
    ap.add_argument("--config", default="{}",
                    help="a run config (YAML, docs/run.example.yaml: its alignment section and encoder), or JSON "
                         "overrides of AlignConfig fields (tuning on dev/val); bead_types as pairs or names, "
                         "e.g. '{\"bead_types\": [\"1-1\", \"1-2\", \"2-1\", \"3-3\"]}'")
    ap.add_argument("--seed", type=int, default=13, help="seed of the tass-stress set")
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"],
                    help="rewrites: which half of the rewrite benchmark (odd pairs dev, even test)")
    ap.add_argument("--baseline", choices=["sentweave", "bertalign", "bertalign-concat"], action="append", default=[],
                    help="also run a baseline on the same embeddings and score it the same way: sentweave = "
                         "Vecalign's search; bertalign = Bertalign's two-pass search with its defaults, multi-sentence "
                         "vectors = normalised sums; bertalign-concat = the same on re-embedded concatenations of up to "
                         "4 sentences (embedded through the cache; slow the first time) (scripts/baselines.py)")
    ap.add_argument("--oracle", action="store_true",
                    help="also report the best path through the aligner's own candidate beads (lattice_oracle): "
                         "how much of the loss is the scores' and how much the search space's")
    args = ap.parse_args(argv)

    docs = load_dataset(args.dataset, Path(args.shared), seed=args.seed, split=args.split)
    enc = cached_encoder(args.encoder or config_encoder(args.config))
    embs, emb_s = embed_docs(docs, enc)
    if args.embed_only:
        print(json.dumps({"dataset": args.dataset, "docs": len(docs), "embedding_seconds": round(emb_s, 2),
                          "cache_hits": enc.hits, "cache_misses": enc.misses}))
        return 0
    cfg = parse_config(args.config).effective()
    lattices: list | None = [] if args.oracle else None
    outs, align_s, span_s, n_spans, tok_s, tok_on = align_docs(docs, embs, enc, cfg, lattices)
    res = score_docs([d.gold for d in docs], outs)
    gold_kinds = Counter(b.kind for d in docs for b in d.gold)
    out = {
        "dataset": args.dataset,
        **res,
        "docs": len(docs),
        "src_sentences": sum(len(d.src) for d in docs),
        "tgt_sentences": sum(len(d.tgt) for d in docs),
        "bead_types": bead_kinds(outs),
        "gold_bead_types": dict(gold_kinds.most_common()),
        "errors": error_breakdown(docs, outs),
        "embedding_seconds": round(emb_s, 3),
        "embedding_cache_misses": enc.misses,
        "concat_spans_embedded": n_spans,
        "concat_embedding_seconds": round(span_s, 3),
        "token_state_seconds": round(tok_s, 3),
        "token_pass": tok_on,
        "alignment_seconds": round(align_s, 3),
        "signature": {
            "tool": _version(),
            "encoder": enc.signature(),
            "aligner": cfg.signature(),
            "seed": args.seed if args.dataset == "tass-stress" else None,
            "split": args.split if args.dataset == "rewrites" else None,
        },
    }
    if args.dataset.startswith("opusbooks-enru-"):
        corr = gold_corrections(args.dataset.rsplit("-", 1)[1])
        adj = score_docs([apply_corrections(d.gold, corr) for d in docs], outs)
        out["adjudicated"] = {"strict": adj["strict"], "lax": adj["lax"], "gold_corrections": len(corr)}
    if lattices is not None:
        out["lattice_oracle"] = lattice_oracle(docs, lattices)
    for name in args.baseline:
        out.setdefault("baselines", {})[name] = run_baseline(name, docs, embs, enc)
    print(json.dumps(out))
    return 0


def _is_yaml_path(text: str) -> bool:
    return not text.lstrip().startswith(("{", "[")) and Path(text).suffix.lower() in (".yaml", ".yml")


def config_encoder(text: str) -> str:
    """The encoder of a ``--config run.yaml`` (e5-small for JSON overrides)."""
    from corpus.config import script_config

    return script_config(text).encoder if _is_yaml_path(text) else "e5-small"


def parse_config(text: str):
    """``--config``: a run config YAML file (its ``alignment`` section), or JSON overrides of ``AlignConfig``
    fields; ``bead_types`` as pairs (``[[1, 1], [3, 3]]``) or names (``["1-1", "3-3"]``). Exits with a
    one-line error on anything else."""
    from align.aligner import AlignConfig

    if _is_yaml_path(text):
        from corpus.config import script_config

        return script_config(text).alignment
    try:
        over = json.loads(text)
        if not isinstance(over, dict):
            raise ValueError("a JSON object of AlignConfig fields, e.g. '{\"knn\": 4}'")
        if "bead_types" in over:
            over["bead_types"] = tuple(tuple(int(x) for x in (t.split("-") if isinstance(t, str) else t))
                                       for t in over["bead_types"])
            if not over["bead_types"] or any(len(t) != 2 or min(t) < 1 for t in over["bead_types"]):
                raise ValueError("bead_types: pairs of positive sizes, e.g. [[1, 1], [1, 2]]")
        return AlignConfig(**over)
    except (TypeError, ValueError, AttributeError) as e:
        raise SystemExit(f"bad --config: {e}")


def bead_kinds(outs: list[list[Bead]]) -> dict[str, int]:
    """Predicted beads by type ("a-b"; beads with a side over 4 sentences pooled as "other"), most common first."""
    return dict(Counter(b.kind if max(len(b.src), len(b.tgt)) <= 4 else "other" for o in outs for b in o).most_common())


def run_baseline(name: str, docs: list[Doc], embs, enc=None) -> dict:
    """Strict/lax scores, bead types and search seconds of a baseline aligner on the same embeddings."""
    from baselines import bertalign_search, sentweave_vecalign

    if name.startswith("bertalign"):
        from align.aligner import encode_spans

        runs, emb_s = [], 0.0
        for d, (es, et) in zip(docs, embs):
            spans = None
            if name == "bertalign-concat":
                t = time.perf_counter()
                rs = [(i, k) for k in range(2, 5) for i in range(0, len(d.src) - k + 1)]
                rt = [(j, k) for k in range(2, 5) for j in range(0, len(d.tgt) - k + 1)]
                spans = (encode_spans(d.src, rs, enc, d.src_lang), encode_spans(d.tgt, rt, enc, d.tgt_lang))
                emb_s += time.perf_counter() - t
            runs.append(bertalign_search(es, et, d.src, d.tgt, span_vecs=spans))
        outs = [beads for _, beads in runs]
        how = "re-embedded concatenations" if name == "bertalign-concat" else "normalised sums"
        res = {"aligner": f"Bertalign's search (max_align=5, top_k=3, win=5, skip=-0.1, margin, length penalty; "
                          f"multi-sentence vectors = {how})",
               **score_docs([d.gold for d in docs], outs), "bead_types": bead_kinds(outs),
               "alignment_seconds": round(sum(s for s, _ in runs), 3)}
        if name == "bertalign-concat":
            res["span_embedding_seconds"] = round(emb_s, 3)
        return res
    try:
        runs = [sentweave_vecalign(es, et) for es, et in embs]
    except ImportError as e:
        raise SystemExit(f"baseline {name} needs the sentweave package (pip install -e '.[test]'): {e}")
    outs = [beads for _, beads in runs]
    return {"aligner": "sentweave (Vecalign's search; multi-sentence vectors = normalised sums)",
            **score_docs([d.gold for d in docs], outs), "bead_types": bead_kinds(outs),
            "alignment_seconds": round(sum(s for s, _ in runs), 3)}


def align_docs(docs: list[Doc], embs, enc, cfg, lattices: list | None = None
               ) -> tuple[list[list[Bead]], float, float, int, float, bool]:
    """The passes of ``align.aligner.align`` on each document (:func:`align.aligner.align_passes`), timed apart:
    returns (outputs, alignment seconds, span-embedding seconds, number of spans embedded, token-state seconds,
    whether the token pass ran). With ``lattices`` (a list), each document's final candidate beads are appended
    to it (for :func:`lattice_oracle`)."""
    from align.aligner import align_passes

    clock: dict = {}
    outs = []
    for d, (es, et) in zip(docs, embs):
        lat: dict | None = {} if lattices is not None else None
        outs.append(align_passes(d.src, d.tgt, es, et, enc, src_lang=d.src_lang, tgt_lang=d.tgt_lang, config=cfg,
                                 clock=clock, lattice=lat))
        if lattices is not None:
            lattices.append(lat)
    return (outs, clock.get("align", 0.0), clock.get("spans", 0.0), clock.get("spans_embedded", 0),
            clock.get("token_states", 0.0), bool(clock.get("token_pass")))


def lattice_oracle(docs: list[Doc], lattices: list[dict]) -> dict:
    """Strict / lax P/R/F1 of the best path through the aligner's own candidate beads
    (:func:`corpus.evaluation.oracle.oracle_path`), and why the gold beads it still misses were out of reach: ``non_contiguous``
    (no monotone aligner can output them), ``bead_type`` (a type beyond the aligner's), ``not_a_candidate`` (off the
    band, or next to a bead the token pass kept fixed) or ``other``. The distance from the aligner's F1 to this one
    is lost to the scores; the distance from this one to 1.0, to the search space."""
    from corpus.evaluation.oracle import lattice_cell, oracle_path

    outs, why = [], Counter()
    for d, lat in zip(docs, lattices):
        if not lat:  # a side is empty: every bead is a null bead, the aligner's only path
            outs.append([Bead((i,), ()) for i in range(len(d.src))] + [Bead((), (j,)) for j in range(len(d.tgt))])
            continue
        path = oracle_path(lat, d.gold)
        outs.append(path)
        got = {(b.src, b.tgt) for b in path}
        for g in d.gold:
            if g.src and g.tgt and (g.src, g.tgt) not in got:
                cell = lattice_cell(lat, g)
                why["other" if isinstance(cell, tuple) else cell] += 1
    res = score_docs([d.gold for d in docs], outs)
    return {"strict": res["strict"], "lax": res["lax"], "missed_gold": dict(why.most_common())}


def error_breakdown(docs: list[Doc], outs: list[list[Bead]], top: int = 12) -> dict:
    """Where strict F1 is lost: gold beads not predicted exactly ("missed", by gold type), predicted
    beads not in the gold ("wrong", by predicted type), and the commonest confusions: a missed gold
    type with the predicted types of the beads that cover its sentences (e.g. ``2-1 -> 1-0+1-1``)."""
    def kind(b: Bead) -> str:
        return b.kind if max(len(b.src), len(b.tgt)) <= 4 else "other"

    missed: Counter = Counter()
    wrong: Counter = Counter()
    conf: Counter = Counter()
    for d, o in zip(docs, outs):
        pred = {(b.src, b.tgt) for b in o}
        gold = {(b.src, b.tgt) for b in d.gold}
        by_s = {i: b for b in o for i in b.src}
        by_t = {j: b for b in o for j in b.tgt}
        for g in d.gold:
            if (g.src, g.tgt) in pred or not (g.src or g.tgt):
                continue
            missed[kind(g)] += 1
            cover = {(b.src, b.tgt): b for b in [by_s[i] for i in g.src if i in by_s] + [by_t[j] for j in g.tgt if j in by_t]}
            conf[f"{kind(g)} -> " + "+".join(sorted(kind(b) for b in cover.values()))] += 1
        wrong.update(kind(b) for b in o if (b.src, b.tgt) not in gold)
    return {"missed_gold": dict(missed.most_common()), "wrong_predicted": dict(wrong.most_common()),
            "confusions": dict(conf.most_common(top))}


def _version() -> str:
    try:
        from importlib.metadata import version

        return f"tasscorpus {version('tasscorpus')}"
    except Exception:
        return "tasscorpus (source tree)"


if __name__ == "__main__":
    raise SystemExit(main())
