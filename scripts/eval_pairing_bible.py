#!/usr/bin/env python
"""Measure document pairing (corpus.pairing) across scripts on the en-zh Bible; print one JSON object.

A held-out check that is not the KCNA sample: ``../shared/eval/bertalign_bible_enzh`` (one long Chinese and one
long English document with verse ids per sentence) is cut into chapter "articles" (Gen:1, Gen:2, ...). Chapters
are shuffled with ``--seed``; ``--paired`` of them get both editions, the rest are split between Chinese-only and
English-only items (no counterpart in the pool: false-pair bait). Chapter k is published k hours after the first,
the English item 1 h after the Chinese one, so every item competes with the chapters of about two days around it
(neighbouring chapters of one book: same topic, same names). Pair precision/recall are counted on
(Chinese chapter, English chapter) pairs.

    python scripts/eval_pairing_bible.py [--shared ../shared] [--seed 0] [--paired 0.6]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from corpus.pairing import PairConfig, pair_articles  # noqa: E402
from corpus.records import Article  # noqa: E402

T0 = datetime(2021, 7, 1, 6, 0, tzinfo=timezone.utc)


def load_chapters(shared: Path) -> dict[str, dict[str, list[str]]]:
    """chapter id ("Gen:1") → {"zh": sentences, "en": sentences}, chapters present on both sides only."""
    base = shared / "eval" / "bertalign_bible_enzh" / "data" / "bible"
    out: dict[str, dict[str, list[str]]] = {}
    for lang in ("zh", "en"):
        sents = (base / lang / "001").read_text(encoding="utf-8").splitlines()
        verses = (base / f"{lang}.verse").read_text(encoding="utf-8").splitlines()
        for s, v in zip(sents, verses):
            book, chap, _ = v.strip().split(":")
            out.setdefault(f"{book}:{chap}", {}).setdefault(lang, []).append(s.strip())
    return {k: v for k, v in out.items() if "zh" in v and "en" in v}


def _article(chap: str, lang: str, sents: list[str], hour: float, idx: int) -> Article:
    paras = tuple(" ".join(sents[i : i + 3]) if lang == "en" else "".join(sents[i : i + 3]) for i in range(0, len(sents), 3))
    return Article(source="bible", edition=lang, lang=lang, url=f"bible://{lang}/{chap}", title="", lead="",
                   paragraphs=paras, published=(T0 + timedelta(hours=hour)).isoformat(), origin="eval", id=idx)


def build_pool(chapters: dict, seed: int, paired: float) -> tuple[list[Article], list[Article], set]:
    ids = list(chapters)
    rnd = random.Random(seed)
    roles = {}
    for c in ids:
        r = rnd.random()
        roles[c] = "both" if r < paired else ("zh" if r < paired + (1 - paired) / 2 else "en")
    src, tgt, gold = [], [], set()
    for k, c in enumerate(ids):
        if roles[c] in ("both", "zh"):
            src.append(_article(c, "zh", chapters[c]["zh"], k, len(src) + 1))
        if roles[c] in ("both", "en"):
            tgt.append(_article(c, "en", chapters[c]["en"], k + 1, 100_000 + len(tgt)))
        if roles[c] == "both":
            gold.add((f"bible://zh/{c}", f"bible://en/{c}"))
    return src, tgt, gold


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--paired", type=float, default=0.6)
    ap.add_argument("--encoder", default="e5-small")
    ap.add_argument("--errors", action="store_true", help="list false and missed pairs")
    a = ap.parse_args(argv)
    if not (a.shared / "eval" / "bertalign_bible_enzh").is_dir():
        raise SystemExit(f"error: {a.shared}/eval/bertalign_bible_enzh not found (use --shared)")
    from align.encoders import get_encoder

    t0 = time.perf_counter()
    src, tgt, gold = build_pool(load_chapters(a.shared), a.seed, a.paired)
    enc = get_encoder(a.encoder)
    by_id = {x.id: x.url for x in (*src, *tgt)}
    pairs = pair_articles(src, tgt, enc, PairConfig())
    got = {(by_id[p.src_id], by_id[p.tgt_id]) for p in pairs}
    tp = len(got & gold)
    out = {
        "set": "bible-enzh-chapters", "seed": a.seed, "paired": a.paired, "encoder": enc.signature(),
        "pairing": PairConfig().signature(), "zh_items": len(src), "en_items": len(tgt), "gold_pairs": len(gold),
        "tp": tp, "fp": len(got - gold), "fn": len(gold - got),
        "precision": round(tp / len(got), 3) if got else 0.0, "recall": round(tp / len(gold), 3) if gold else 0.0,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if a.errors:
        out["false"] = sorted(got - gold)
        out["missed"] = sorted(gold - got)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
