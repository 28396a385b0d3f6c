#!/usr/bin/env python
"""Measure cross-edition pairing (corpus.pairing) on a TASS-like pool built from WMT21 ru-en news; print JSON.

The pool (seeded; documents split into train/test halves by a hash of the doc id):
- the split's WMT21 documents (``src.ru`` vs ``ref.A.en``; line 1 = headline, line 2 = lead, rest = body,
  grouped into paragraphs of 1–3 lines) become Russian items; only ``--paired`` of them (default 40 %) get an
  English item — the rest are Russian-only, like most of tass.ru;
- English versions are perturbed: shortened (sentences dropped), extended (sentences of English news documents
  that are not in the pool added at the end; with ``--split all`` they may be), or merged: the English item also covers a second Russian item published within 3 h (gold then holds
  both pairs; the second is a many-1 pair);
- near-duplicates: for ~35 % of the paired stories a Russian follow-up on the same story (headline reworded
  by a sentence swap, part of the body dropped, numbers changed, sentences from another document added)
  is published within ±3 h and has no English item — a hard negative;
- other Russian-only items: the Russian human translations (ref.A) of the WMT21 en→ru MQM news documents
  (``wmt22_qe_enru_mqm/train_2021_news``); their English originals are English-only items;
- times: Russian items spread over 4 days, same-source documents clustered within a few hours; English
  0.5–12 h after its Russian source; dateline places drawn per story (МОСКВА/MOSCOW most often).

Pair precision/recall are counted on (Russian URL, English URL) pairs (many-1 pairs included).
``--fit`` fits the logistic weights on the pool's candidates and prints them (that is how
``corpus.pairing.DEFAULT_WEIGHTS`` were made: ``--fit --split train --seeds 0``); reporting uses
``--split test`` and other seeds. Embeddings are cached under ``--cache`` (default /tmp/tasscorpus-cache).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import numpy as np  # noqa: E402

from corpus import __version__  # noqa: E402
from corpus.pairing import FEATURES, PairConfig, fit_logistic, pair_articles, score_candidates  # noqa: E402
from corpus.records import Article  # noqa: E402

PLACES = [("МОСКВА", "MOSCOW")] * 6 + [
    ("САНКТ-ПЕТЕРБУРГ", "ST. PETERSBURG"), ("ВАШИНГТОН", "WASHINGTON"), ("ПЕКИН", "BEIJING"),
    ("МИНСК", "MINSK"), ("ЛОНДОН", "LONDON"), ("НОВОСИБИРСК", "NOVOSIBIRSK"), ("ЖЕНЕВА", "GENEVA"),
    ("ТОКИО", "TOKYO"), ("ВЛАДИВОСТОК", "VLADIVOSTOK"), ("КАЗАНЬ", "KAZAN"),
]
T0 = datetime(2021, 7, 1, 6, 0, tzinfo=timezone(timedelta(hours=3)))


def _split_of(doc_id: str) -> str:
    return "train" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def load_wmt(shared: Path) -> dict[str, tuple[list[str], list[str]]]:
    base = shared / "eval" / "wmt21_newstest2021_ruen" / "docs"
    if not base.is_dir():
        raise SystemExit(f"error: {base} not found (use --shared)")
    out = {}
    for d in sorted(base.iterdir()):
        if d.is_dir() and (d / "src.ru").exists() and (d / "ref.A.en").exists():
            ru = [l.strip() for l in (d / "src.ru").read_text(encoding="utf-8").splitlines()]
            en = [l.strip() for l in (d / "ref.A.en").read_text(encoding="utf-8").splitlines()]
            if len(ru) == len(en) and len(ru) >= 3:
                out[d.name] = (ru, en)
    return out


def load_mqm(shared: Path) -> dict[str, tuple[list[str], list[str]]]:
    """doc → (Russian ref.A lines, English source lines) of the WMT21 en→ru news MQM set."""
    p = shared / "eval" / "wmt22_qe_enru_mqm" / "train_2021_news" / "mqm-newstest2021_enru.tsv"
    if not p.exists():
        return {}
    docs: dict[str, dict[int, tuple[str, str]]] = {}
    for line in p.read_text(encoding="utf-8").splitlines()[1:]:
        f = line.split("\t")
        if len(f) < 7 or f[0] != "ref.A":
            continue
        tgt = re.sub(r"</?v>", "", f[6]).strip().strip('"')
        docs.setdefault(f[1], {})[int(f[2])] = (tgt, f[5].strip().strip('"'))
    out = {}
    for doc, segs in docs.items():
        lines = [segs[k] for k in sorted(segs)]
        if len(lines) >= 3:
            out[doc] = ([a for a, _ in lines], [b for _, b in lines])
    return out


def _paras(lines: list[str], rng: random.Random) -> tuple[str, ...]:
    out, i = [], 0
    while i < len(lines):
        n = rng.randint(1, 3)
        out.append(" ".join(lines[i:i + n]))
        i += n
    return tuple(out)


def _art(edition, lang, url, lines, when, place, rng) -> Article:
    title = lines[0]
    lead = lines[1] if len(lines) > 1 else ""
    body = lines[2:]
    paras = _paras(body, rng) if body else ()
    if lang == "en" and lead:
        paras = (lead, *paras)  # tass.com repeats the lead as the first paragraph
    return Article(source="tass", edition=edition, lang=lang, url=url, title=title, lead=lead, paragraphs=paras,
                   published=when.isoformat(), dateline_place=place, origin="eval")


def _change_numbers(s: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), s)


def build_pool(shared: Path, split: str, seed: int, paired_frac: float):
    rng = random.Random(f"pairing-eval:{split}:{seed}")
    wmt = {k: v for k, v in load_wmt(shared).items() if split == "all" or _split_of(k) == split}
    mqm_all = load_mqm(shared)
    mqm = {k: v for k, v in mqm_all.items() if split == "all" or _split_of(k) == split}
    # "background" sentences added to extended English items come from documents that are NOT in the pool
    # (otherwise their Russian version would be a Russian-only item that the English genuinely covers)
    background = {k: v for k, v in mqm_all.items() if k not in mqm} or mqm
    ids = sorted(wmt)
    rng.shuffle(ids)
    # times: documents of one source cluster within a few hours of a per-source anchor over 4 days
    anchors: dict[str, float] = {}
    t_ru: dict[str, float] = {}
    for d in ids:
        srcname = d.rsplit(".", 1)[0]
        a = anchors.setdefault(srcname, rng.uniform(0, 96))
        t_ru[d] = min(max(a + rng.uniform(-3, 3), 0), 100)
    n_paired = max(2, round(paired_frac * len(ids)))
    paired, rest = ids[:n_paired], ids[n_paired:]
    # merges: a paired story whose English also covers a Russian-only story published close in time
    merges: dict[str, str] = {}
    free = list(rest)
    for d in paired:
        if rng.random() < 0.15 and free:
            b = free.pop(rng.randrange(len(free)))
            t_ru[b] = t_ru[d] + rng.uniform(-3, 3)
            merges[d] = b
    extra_en_pool = [s for v in background.values() for s in v[1][1:]]
    src: list[Article] = []
    tgt: list[Article] = []
    gold: set[tuple[str, str]] = set()
    kinds: dict[str, int] = {}
    place_of = {d: rng.choice(PLACES) for d in ids}

    def when(h):
        return T0 + timedelta(hours=h)

    for d in ids:
        ru, _en = wmt[d]
        src.append(_art("ru", "ru", f"https://tass.ru/eval/{d}", ru, when(t_ru[d]), place_of[d][0], rng))
    for d in paired:
        ru, en = wmt[d]
        en = list(en)
        r = rng.random()
        if r < 0.35 and len(en) > 4:  # shortened: drop 20–50 % of the body sentences
            body = en[2:]
            keep = sorted(rng.sample(range(len(body)), max(1, round(len(body) * rng.uniform(0.5, 0.8)))))
            en = en[:2] + [body[k] for k in keep]
            kinds["shortened"] = kinds.get("shortened", 0) + 1
        elif r < 0.6 and extra_en_pool:  # extended: background sentences added
            en = en + rng.sample(extra_en_pool, min(len(extra_en_pool), rng.randint(1, 4)))
            kinds["extended"] = kinds.get("extended", 0) + 1
        else:
            kinds["as_is"] = kinds.get("as_is", 0) + 1
        if d in merges:
            b = merges[d]
            en_b = wmt[b][1]
            en = en + en_b[1:][: rng.randint(3, 8)]  # the second story's lead and a few body lines
            kinds["merged"] = kinds.get("merged", 0) + 1
        t_en = max(t_ru[d], t_ru.get(merges.get(d, d), t_ru[d])) + rng.uniform(0.5, 12)
        url = f"https://tass.com/eval/{d}"
        tgt.append(_art("en", "en", url, en, when(t_en), place_of[d][1], rng))
        gold.add((f"https://tass.ru/eval/{d}", url))
        if d in merges:
            gold.add((f"https://tass.ru/eval/{merges[d]}", url))
        # near-duplicate Russian follow-up (no English item)
        if rng.random() < 0.35 and len(ru) > 3:
            other = wmt[rng.choice(ids)][0]
            body = ru[1:]
            keep = sorted(rng.sample(range(len(body)), max(2, round(len(body) * 0.5))))
            dup = [ru[1]] + [_change_numbers(body[k], rng) for k in keep if k] + other[2:4]
            src.append(_art("ru", "ru", f"https://tass.ru/eval/{d}-dup", dup, when(t_ru[d] + rng.uniform(-3, 3)),
                            place_of[d][0], rng))
            kinds["near_duplicates"] = kinds.get("near_duplicates", 0) + 1
    # other Russian-only items and English-only items (WMT21 en→ru news: Russian ref.A / English original)
    for k, (ru, en) in sorted(mqm.items()):
        h = rng.uniform(0, 100)
        pl = rng.choice(PLACES)
        if rng.random() < 0.7:
            src.append(_art("ru", "ru", f"https://tass.ru/eval/mqm-{k}", ru, when(h), pl[0], rng))
            kinds["ru_only_other"] = kinds.get("ru_only_other", 0) + 1
        else:
            tgt.append(_art("en", "en", f"https://tass.com/eval/mqm-{k}", en, when(h + 2), pl[1], rng))
            kinds["en_only"] = kinds.get("en_only", 0) + 1
    src = [a.with_id(i + 1) for i, a in enumerate(src)]
    tgt = [a.with_id(100000 + i) for i, a in enumerate(tgt)]
    kinds.update(ru_items=len(src), en_items=len(tgt), gold_pairs=len(gold), ru_only_withheld=len(rest) - len(merges))
    return src, tgt, gold, kinds


HEADLINES = ("keep", "drop-ru", "drop-en", "drop-both", "mixed")


def rewrite_article(side, edition: str) -> Article:
    """An :class:`Article` from one side of the rewrite benchmark, as the parser would give it from the page with
    its furniture removed: headline from ``fields`` ("" when the page has none), body = the page's non-furniture
    lines with the dateline prefix cut off the first one, dateline place = the dateline up to its first comma."""
    from corpus.evaluation.rewrites import body_lines

    paras = [side.page[i] for i in body_lines(side)]
    dl = side.fields.get("dateline", "")
    if dl and paras and paras[0].startswith(dl):
        paras[0] = paras[0][len(dl):].strip()
    return Article(source="tass", edition=edition, lang=side.lang, url=side.url, title=side.fields.get("headline", ""),
                   lead="", paragraphs=tuple(p for p in paras if p.strip()), published=side.published,
                   dateline_place=dl.split(",")[0].strip() if dl else "", origin="eval")


def build_rewrites_pool(split: str):
    """The rewrite benchmark (corpus/evaluation/data/rewrites) as a pairing pool: both editions of every story
    pair of ``split`` (dev, test or all) plus the decoys of those stories (same-topic single-edition articles
    published within two days: follow-ups, round-ups, other stories of the same briefing)."""
    from corpus.evaluation.rewrites import load_decoys, load_pairs

    pairs = load_pairs(None if split == "all" else split)
    ids = {p.id for p in pairs}
    decoys = [d for d in load_decoys() if d.decoy_of in ids]
    src = [rewrite_article(p.ru, "ru") for p in pairs] + [rewrite_article(d.side, "ru") for d in decoys if d.edition == "ru"]
    tgt = [rewrite_article(p.en, "en") for p in pairs] + [rewrite_article(d.side, "en") for d in decoys if d.edition == "en"]
    src = [a.with_id(i + 1) for i, a in enumerate(src)]
    tgt = [a.with_id(100000 + i) for i, a in enumerate(tgt)]
    gold = {(p.ru.url, p.en.url) for p in pairs}
    kinds = {"story_pairs": len(pairs), "decoys_ru": sum(d.edition == "ru" for d in decoys),
             "decoys_en": sum(d.edition == "en" for d in decoys), "ru_items": len(src), "en_items": len(tgt),
             "gold_pairs": len(gold), "pairs_missing_a_headline": sum(not (p.ru.fields.get("headline") and
                                                                          p.en.fields.get("headline")) for p in pairs)}
    return src, tgt, gold, kinds


def drop_headlines(arts: list[Article], edition: str, mode: str) -> list[Article]:
    """The articles with their headline removed as ``mode`` says: "drop-ru" / "drop-en" / "drop-both" remove
    every headline of that edition, "mixed" a third of them on each side (chosen by a hash of the URL)."""
    from dataclasses import replace as _replace

    def gone(a: Article) -> bool:
        if mode == "mixed":
            return int(hashlib.sha1(a.url.encode()).hexdigest(), 16) % 3 == 0
        return mode == "drop-both" or mode == f"drop-{edition}"

    return [_replace(a, title="") if gone(a) else a for a in arts]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--seed", type=int, default=None, help="one seed (overrides --seeds)")
    ap.add_argument("--seeds", default="1,2,3", help="comma-separated seeds; counts are pooled")
    ap.add_argument("--set", choices=("wmt21", "rewrites"), default="wmt21",
                    help="wmt21: the generated WMT21 pool (seeded); rewrites: the hand-written rewrite benchmark's story "
                         "pairs plus its same-topic decoys (--split dev|test|all)")
    ap.add_argument("--split", choices=("train", "test", "dev", "all"), default="test",
                    help="wmt21: train|test|all; rewrites: dev|test|all")
    ap.add_argument("--paired", type=float, default=0.4, help="share of the split's documents given an English item")
    ap.add_argument("--encoder", default=None, help="default: the --config file's encoder, else e5-small")
    ap.add_argument("--config", default=None, help="run config (YAML, docs/run.example.yaml): its pairing section and "
                    "encoder; --encoder and --threshold override it")
    ap.add_argument("--cache", default="/tmp/tasscorpus-cache")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--fit", action="store_true", help="fit the logistic weights on the pool's candidates and print them")
    ap.add_argument("--errors", action="store_true", help="list wrong and missed pairs")
    ap.add_argument("--headlines", default="keep",
                    help=f"comma-separated conditions, each one of {', '.join(HEADLINES)}: remove headlines on one "
                         "side, both sides, or a third of each (default keep); P/R are reported per condition and pooled")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    seeds = [args.seed] if args.seed is not None else [int(s) for s in args.seeds.split(",") if s.strip()]

    from align.encoders import CachedEncoder, get_encoder
    from corpus.store import Store

    store = Store(Path(args.cache) / "pairing-eval.sqlite")
    from corpus.config import script_config

    run_cfg = script_config(args.config)
    enc = CachedEncoder(get_encoder(args.encoder or run_cfg.encoder), store)
    cfg = run_cfg.pairing
    if args.threshold is not None:
        cfg = replace(cfg, threshold=args.threshold)
    conds = [c.strip() for c in args.headlines.split(",") if c.strip()]
    bad = [c for c in conds if c not in HEADLINES]
    if bad or not conds:
        raise SystemExit(f"error: --headlines {args.headlines!r}: each condition must be one of {', '.join(HEADLINES)}")
    t0 = time.perf_counter()
    tp = fp = fn = 0
    tp_m = gold_m = 0
    per_seed, pools, errors = [], [], []
    per_cond: dict[str, list[int]] = {}
    Xs, ys = [], []
    if args.set == "rewrites":
        seeds = [0]  # one pool: the benchmark itself
    for cond, seed in [(c, s_) for c in conds for s_ in seeds]:
        if args.set == "rewrites":
            src, tgt, gold, kinds = build_rewrites_pool(args.split)
        else:
            src, tgt, gold, kinds = build_pool(shared, args.split, seed, args.paired)
        src, tgt = drop_headlines(src, "ru", cond), drop_headlines(tgt, "en", cond)
        if cond == conds[0]:
            pools.append({"seed": seed, **kinds})
        if args.fit:
            su = {a.url: k for k, a in enumerate(src)}
            tu = {a.url: k for k, a in enumerate(tgt)}
            # the model scores 1-1 pairs: a merged story's second Russian item is left out of the fit
            # (its doc-level similarity is diluted by design; the many-1 step rescoring handles it)
            prim = {(su[a], tu[b]) for a, b in gold if args.set == "rewrites" or a.split("/")[-1] == b.split("/")[-1]}
            second = {(su[a], tu[b]) for a, b in gold} - prim
            got = score_candidates(src, tgt, enc, cfg)
            found = {(i, j) for i, j, _p, _x in got}
            pools[-1]["gold_1_1_in_candidates"] = len(prim & found)
            pools[-1]["gold_many1_in_candidates"] = len(second & found)
            for i, j, _p, x in got:
                if (i, j) in second:
                    continue
                Xs.append([x[f] for f in FEATURES])
                ys.append(1.0 if (i, j) in prim else 0.0)
            continue
        pairs = pair_articles(src, tgt, enc, cfg)
        url = {a.id: a.url for a in (*src, *tgt)}
        pred = {(url[p.src_id], url[p.tgt_id]): p for p in pairs}
        s_tp = len(set(pred) & gold)
        tp += s_tp
        fp += len(pred) - s_tp
        fn += len(gold) - s_tp
        merged_gold = {g for g in gold if args.set == "wmt21" and g[0].split("/")[-1] != g[1].split("/")[-1]}
        gold_m += len(merged_gold)
        tp_m += len(merged_gold & set(pred))
        c = per_cond.setdefault(cond, [0, 0, 0])
        c[0] += s_tp
        c[1] += len(pred) - s_tp
        c[2] += len(gold) - s_tp
        per_seed.append({"headlines": cond, "seed": seed, "tp": s_tp, "fp": len(pred) - s_tp, "fn": len(gold) - s_tp,
                         "many1_pred": sum(p.kind == "many-1" for p in pairs)})
        if args.errors:
            for k, p in pred.items():
                if k not in gold:
                    errors.append({"headlines": cond, "seed": seed, "wrong": k, "kind": p.kind, "score": p.score,
                                   "ev": p.evidence})
            for g in gold - set(pred):
                errors.append({"headlines": cond, "seed": seed, "missed": g})
    out: dict = {
        "tool": f"tasscorpus {__version__} scripts/eval_pairing.py",
        "encoder": enc.signature(),
        "config": cfg.signature(),
        "threshold": cfg.threshold,
        "set": args.set,
        "split": args.split,
        "seeds": seeds if args.set == "wmt21" else None,
        "paired_frac": args.paired,
        "headlines": conds,
        "pools": pools,
    }
    if args.fit:
        X = np.array(Xs)
        y = np.array(ys)
        bias, w = fit_logistic(X, y, l2=1.0)
        out["fit"] = {"n_candidates": int(len(y)), "n_positive": int(y.sum()), "bias": round(bias, 3),
                      "weights": {f: round(float(v), 3) for f, v in zip(FEATURES, w)}, "l2": 1.0}
        # how separable were the candidates under the fitted model?
        z = bias + X @ w
        out["fit"]["train_acc_at_0.5"] = round(float(((z >= 0) == (y > 0.5)).mean()), 4)
    else:
        P = tp / (tp + fp) if tp + fp else 0.0
        R = tp / (tp + fn) if tp + fn else 0.0
        out.update(precision=round(P, 4), recall=round(R, 4), tp=tp, fp=fp, fn=fn,
                   many1_recall=round(tp_m / gold_m, 4) if gold_m else None, many1_gold=gold_m,
                   per_headlines={c: {"precision": round(v[0] / (v[0] + v[1]), 4) if v[0] + v[1] else 0.0,
                                      "recall": round(v[0] / (v[0] + v[2]), 4) if v[0] + v[2] else 0.0,
                                      "tp": v[0], "fp": v[1], "fn": v[2]} for c, v in per_cond.items()},
                   per_seed=per_seed)
        if args.errors:
            out["errors"] = errors
    out["seconds"] = round(time.perf_counter() - t0, 2)
    out["embeddings_cached_hits"] = enc.hits
    out["embeddings_computed"] = enc.misses
    print(json.dumps(out, ensure_ascii=False, default=str))
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
