#!/usr/bin/env python
"""Time the flag stage (align.flags.detect over every aligned pair of a store); print one JSON object.

Why: the coverage detector embeds every bead side minus each of its pieces, which used to dominate the
flag stage (the demo: ~126 s for 112 beads under load). This measures the stage with the cheap gate
(``FlagConfig.coverage_gate_*``, the default) and, with ``--compare``, with every bead tested (the old cost),
each with a cold in-memory embedding cache so both pay for every text they embed. It also checks that the
two runs emit the same flags.

Usage: python -m corpus.cli demo --out /tmp/flagdemo --quiet   # builds /tmp/flagdemo's store
       OPENBLAS_NUM_THREADS=1 python scripts/bench_flags.py --store /tmp/flagdemo/<store>.sqlite --compare
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Counting:
    """Encoder wrapper counting texts and calls (the inner CachedEncoder has no store: a cold cache)."""

    def __init__(self, inner):
        self.inner, self.texts, self.calls = inner, 0, 0

    def encode(self, texts, lang=None):
        self.texts += len(texts)
        self.calls += 1
        return self.inner.encode(texts, lang=lang)


def run(store, pairs, cfg, encoder_name: str) -> dict:
    from align.encoders import CachedEncoder, get_encoder
    from align.flags import detect

    enc = _Counting(CachedEncoder(get_encoder(encoder_name)))
    t0 = time.perf_counter()
    out, beads = [], 0
    for p in pairs:
        src_a, tgt_a = store.article(p.src_id), store.article(p.tgt_id)
        src = [s.text for s in store.sentences(p.src_id)]
        tgt = [s.text for s in store.sentences(p.tgt_id)]
        bs = store.beads(p.id)
        beads += len(bs)
        out.append(detect(src, tgt, bs, src_lang=src_a.lang, tgt_lang=tgt_a.lang, encoder=enc, config=cfg))
    secs = time.perf_counter() - t0
    return {"seconds": round(secs, 2), "beads": beads, "texts_embedded": enc.inner.misses, "encode_calls": enc.calls,
            "flags": sum(len(f) for doc in out for f in doc)}, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="a store whose pairs are aligned (e.g. the demo's)")
    ap.add_argument("--encoder", default="e5-small")
    ap.add_argument("--compare", action="store_true", help="also time the stage with every bead tested (no gate)")
    args = ap.parse_args(argv)
    from align.flags import FlagConfig
    from corpus import __version__
    from corpus.store import Store

    if not Path(args.store).is_file():
        print(json.dumps({"error": f"{args.store}: no such store"}))
        return 1
    store = Store(args.store)
    aligned = store.done_keys("align")
    pairs = [p for p in store.pairs() if str(p.id) in aligned]
    cfg = FlagConfig()
    res = {"signature": {"tool": f"tasscorpus {__version__}", "script": "bench_flags.py", "encoder": args.encoder,
                         "flags": cfg.signature(), "pairs": len(pairs)}}
    res["gated"], flags_gated = run(store, pairs, cfg, args.encoder)
    if args.compare:
        full = replace(cfg, coverage_gate_sim=1.0, coverage_gate_ratio=0.0)
        res["every_bead"], flags_full = run(store, pairs, full, args.encoder)
        key = lambda docs: [[sorted((f.type, f.src_spans, f.tgt_spans) for f in fl) for fl in d] for d in docs]  # noqa: E731
        res["same_flags"] = key(flags_gated) == key(flags_full)
        res["speedup"] = round(res["every_bead"]["seconds"] / max(res["gated"]["seconds"], 1e-9), 2)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
