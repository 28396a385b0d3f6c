#!/usr/bin/env python
"""Evaluate the difference flags (align.flags) on gold sets; print one JSON object.

Sets (``--sets``; each ../shared/eval folder's SOURCE.txt describes its layout):
  perturb   seeded perturbation suite on WMT21 newstest ru→en news: per-type precision/recall of the shipped
            thresholds ("default_*") and of thresholds re-tuned on the dev half ("tuned_*"), on the dev and test
            halves (shipped defaults: tuned on --seed 13, reported on --seed 29; "*_adjudicated" leaves out the
            lines of scripts/data/wmt21_reference_differences.tsv).
  refab     false alarms on WMT21 ref A vs ref B (two faithful English translations): flagged beads / all beads.
  refresd   REFreSD en-fr: AUC of the divergence score, 3-way per-class F1 next to the majority baseline.
  exsemdiv  Ex-SemDiv meaning edits vs paraphrases (en-fr, en-es): AUC.  semdiverge: Vyas 2018 en-fr: AUC.
  ced       critical-error detection (WMT22 en-de/pt-en test, WMT21 en-de test): MCC of "any flag" vs BAD.
  mqm       WMT22 QE en→ru MQM (train_2021_news): token-level MCC of flag spans vs error spans, per type.
  rewrites  the rewrite benchmark in the repo (corpus/evaluation/data/rewrites; needs no ../shared): per-type,
            explicit and all P/R/F1, false flags per no-difference pair, per severity, per split
            (--split dev|test|all; --input gold|page; --beads aligned|gold). See corpus/evaluation/README.md.

Embeddings are cached in a SQLite store under --cache (default /tmp/tasscorpus-cache) so re-runs are cheap;
--limit bounds the documents/pairs per set. The full protocol of each set (the perturbation kinds and their
generators, the tuning rule, the adjudication): docs/scripts.md.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from align.flags import FlagConfig, build_detectors, contexts, flag_contexts, registry
from align.flags.config import DEFAULT_THRESHOLDS
from corpus.evaluation.datasets import (
    PERTURB_TO_TYPE, PERTURBATIONS, TEXT_KINDS, build_suite, ced_wmt21_ende, ced_wmt22, exsemdiv_pairs,
    in_dev, mqm_segments, refresd_rows, semdiverge_pairs, wmt21_docs,
)
from corpus.evaluation.datasets import reference_differences as _reference_differences
from corpus.records import Bead, flag_types

ROOT = Path(__file__).resolve().parent.parent

# the types the perturbation suite tests (those a perturbation kind produces), in the taxonomy's order, and the
# detector whose threshold decides each: the one that declares the type (align.flags.registry)
TYPES = tuple(t for t in flag_types() if t in set(PERTURB_TO_TYPE.values()))
TYPE_DETECTOR = {t: registry.DECLARED_BY[t] for t in TYPES}


# ----------------------------------------------------------------------------- metrics
def auc(scores, labels) -> float | None:
    """ROC AUC by the rank-sum formula (ties get average ranks)."""
    pos = sum(1 for y in labels if y)
    neg = len(labels) - pos
    if not pos or not neg:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    rs = sum(r for r, y in zip(ranks, labels) if y)
    return round((rs - pos * (pos + 1) / 2) / (pos * neg), 4)


def prf(tp, fp, fn) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def mcc(tp, fp, fn, tn) -> float:
    d = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return round((tp * tn - fp * fn) / d, 4) if d else 0.0



# ----------------------------------------------------------------------------- encoder with a disk cache
def make_encoder(name: str, cache: Path):
    from align.encoders import CachedEncoder, get_encoder
    from corpus.store import Store

    cache.mkdir(parents=True, exist_ok=True)
    store = Store(cache / "embeddings.sqlite")
    return CachedEncoder(get_encoder(name), store=store)


# ----------------------------------------------------------------------------- running detectors
def bead_scores(pairs, src_lang, tgt_lang, encoder, cfg, groups=None):
    """For each (src, tgt) pair treated as a 1-1 bead: type → max candidate score (all candidates, before
    accept) and the accepted flags. ``groups`` (a document key per pair) runs the detectors document by
    document, as the pipeline does (the length evidence is relative to the document's median ratio)."""
    dets = build_detectors(cfg)
    groups = groups or [0] * len(pairs)
    order: dict = {}
    for i, g in enumerate(groups):
        order.setdefault(g, []).append(i)
    ctxs = [None] * len(pairs)
    for g, idx in order.items():
        beads = [Bead((k,), (k,)) for k in range(len(idx))]
        for i, c in zip(idx, contexts([pairs[i][0] for i in idx], [pairs[i][1] for i in idx], beads,
                                      src_lang=src_lang, tgt_lang=tgt_lang, encoder=encoder, config=cfg)):
            ctxs[i] = c
    scores = []
    for c in ctxs:
        s: dict[str, float] = {}
        for d in dets:
            if "embeddings" in d.requires and c.sim is None:
                continue
            for cand in d.candidates(c):
                s[cand.type] = max(s.get(cand.type, -1e9), cand.score)
        s["_sim"] = c.sim if c.sim is not None else float("nan")
        scores.append(s)
    return ctxs, dets, scores


def tune_threshold(scores, labels, min_precision=0.9):
    """The threshold of maximum dev recall among those whose dev precision reaches ``min_precision``; among
    equal recalls the most precise, and among equal (recall, precision) the lowest. When no threshold
    reaches ``min_precision``, the best-F1 one."""
    cands = sorted({s for s in scores if s > -1e8})
    best, best_f = None, -1
    ok, ok_key = None, None
    pos = sum(labels)
    for t in cands:
        tp = sum(1 for s, y in zip(scores, labels) if s >= t and y)
        fp = sum(1 for s, y in zip(scores, labels) if s >= t and not y)
        p = tp / (tp + fp) if tp + fp else 0
        r = tp / pos if pos else 0
        if p >= min_precision:
            key = (r, p, -t)
            if ok_key is None or key > ok_key:
                ok, ok_key = t, key
        f = 2 * p * r / (p + r) if p + r else 0
        if f > best_f:
            best, best_f = t, f
    return ok if ok is not None else best


REFERENCE_DIFFERENCES = Path(__file__).resolve().parent / "data" / "wmt21_reference_differences.tsv"


def reference_differences(path: Path = REFERENCE_DIFFERENCES) -> set[tuple[str, int, str]]:
    """(doc, line, type) of the WMT21 lines whose reference A already differs from the source in that type
    (adjudicated by hand; the file says how)."""
    return _reference_differences(path)


def token_evidence(cfg) -> bool:
    """Whether the coverage detector gets token-level evidence in this run (it needs torch)."""
    from align.encoders import token_model

    return bool(cfg.token_coverage and "coverage" in cfg.detectors and token_model() is not None)


def threshold_key(typ: str, cfg) -> str:
    """The config threshold that decides a type: omission's depends on whether token evidence is available."""
    if typ == "addition":
        return "coverage_addition" if token_evidence(cfg) else "coverage_addition_plain"
    if typ == "omission" and not token_evidence(cfg):
        return "coverage_plain"
    return TYPE_DETECTOR[typ]


def eval_perturb(docs, encoder, cfg, seeds, rate, log):
    """The suite for each seed in ``seeds``, pooled: per-type counts are summed over the seeds (each seed perturbs
    other lines in other ways; the unperturbed lines recur, so their false alarms count once per seed)."""
    items = [dict(it, seed=sd) for sd in seeds for it in build_suite(docs, sd, rate)]
    log(f"perturb: {len(items)} beads, {sum(1 for i in items if i['kind'])} perturbed, seeds {seeds}")
    t0 = time.time()
    ctxs, _, scores = bead_scores([(i["ru"], i["en"]) for i in items], "ru", "en", encoder, cfg,
                                  groups=[(i["seed"], i["doc"]) for i in items])
    log(f"perturb: scored in {time.time() - t0:.1f}s")
    dev = [in_dev(i["doc"]) for i in items]
    known = reference_differences()
    res = {"seeds": list(seeds), "beads": len(items), "dev_beads": sum(dev), "test_beads": len(items) - sum(dev),
           "perturbed": {k: sum(1 for i in items if i["kind"] == k) for k in (*PERTURBATIONS, "add_clause")}, "types": {},
           "reference_differences": len(known)}
    tuned = {}
    for typ in TYPES:
        # a bead with an added or dropped clause is neither a positive nor a negative for the other types: the
        # added/dropped text carries its own numbers, names and negations
        kept = [j for j, i in enumerate(items)
                if PERTURB_TO_TYPE.get(i["kind"]) == typ or i["kind"] not in TEXT_KINDS]
        y = [PERTURB_TO_TYPE.get(items[j]["kind"]) == typ for j in kept]
        sc = [scores[j].get(typ, -1e9) for j in kept]
        dev_t = [dev[j] for j in kept]
        # a negative whose reference already carries this type of difference (REFERENCE_DIFFERENCES)
        real = [not a and (items[j]["doc"], items[j]["line"], typ) in known for j, a in zip(kept, y)]
        y_dev = [a for a, d in zip(y, dev_t) if d]
        s_dev = [a for a, d in zip(sc, dev_t) if d]
        det = threshold_key(typ, cfg)
        default_t = cfg.thresholds.get(det, DEFAULT_THRESHOLDS.get(det))
        t = tune_threshold(s_dev, y_dev) if any(y_dev) else None
        tuned[typ] = t
        out = {}
        for name, thr in (("default", default_t), ("tuned", t)):
            if thr is None:
                continue
            for split, want in (("dev", True), ("test", False)):
                for suffix, skip in (("", False), ("_adjudicated", True)):
                    rows = [(a, s) for a, s, d, r in zip(y, sc, dev_t, real) if d == want and not (skip and r)]
                    tp = sum(1 for a, s in rows if a and s >= thr)
                    fp = sum(1 for a, s in rows if not a and s >= thr)
                    fn = sum(1 for a, s in rows if a and s < thr)
                    out[f"{name}_{split}{suffix}"] = prf(tp, fp, fn)
            out[f"{name}_threshold"] = thr
        kinds = sorted(k for k, v in PERTURB_TO_TYPE.items() if v == typ)
        if len(kinds) > 1 and default_t is not None:
            # recall of each perturbation kind of this type at the default threshold (an added sentence is easier
            # to see than an added clause)
            for split, want in (("dev", True), ("test", False)):
                out[f"default_{split}_recall_by_kind"] = {
                    kd: round(sum(1 for j, s_ in zip(kept, sc) if items[j]["kind"] == kd and dev[j] == want and s_ >= default_t)
                              / max(1, sum(1 for j in kept if items[j]["kind"] == kd and dev[j] == want)), 4)
                    for kd in kinds}
        out["excluded_as_reference_differences"] = sum(real)
        out["test_auc"] = auc([s for s, d in zip(sc, dev_t) if not d], [a for a, d in zip(y, dev_t) if not d])
        res["types"][typ] = out
    res["tuned_thresholds"] = tuned
    checked = [c.coverage_checked for c in ctxs if c.coverage_checked]
    res["coverage_tested_share"] = {sd: round(sum(1 for g in checked if g[sd]) / len(checked), 4) if checked else None
                                    for sd in ("src", "tgt")}
    # false alarms on the control (unperturbed) beads with the default config
    ctrl = [i for i, it in enumerate(items) if not it["kind"]]
    thr = {t: cfg.thresholds.get(threshold_key(t, cfg), 9) for t in TYPES}
    flagged = sum(1 for i in ctrl if any(scores[i].get(t, -1e9) >= thr[t] for t in TYPES))
    res["control_beads"] = len(ctrl)
    res["control_flagged_share_default"] = round(flagged / len(ctrl), 4) if ctrl else None
    return res, items, scores


def eval_refab(docs, encoder, cfg, log):
    pairs = [(a, b) for _, _, A, B in docs if B for a, b in zip(A, B)]
    groups = [d for d, _, A, B in docs if B for _ in zip(A, B)]
    t0 = time.time()
    ctxs, dets, _ = bead_scores(pairs, "en", "en", encoder, cfg, groups=groups)
    flags = flag_contexts(ctxs, dets)
    log(f"refab: {len(pairs)} beads in {time.time() - t0:.1f}s")
    by_type, flagged = _flag_counts(flags)
    n = len(pairs)
    # the same rate on the dev / test halves of the documents (doc-id hash, as in the perturbation suite)
    halves = {}
    for name, want in (("dev", True), ("test", False)):
        fl_h = [fl for fl, g in zip(flags, groups) if in_dev(g) == want]
        halves[f"false_alarm_rate_{name}"] = round(sum(1 for fl in fl_h if fl) / len(fl_h), 4) if fl_h else None
    return {"beads": n, "flagged_beads": flagged, "false_alarm_rate": round(flagged / n, 4) if n else None,
            **halves, "by_type": dict(sorted(by_type.items()))}


def _flag_counts(flags) -> tuple[dict[str, int], int]:
    """Beads carrying each flag type, and beads carrying any flag."""
    by_type: dict[str, int] = {}
    for fl in flags:
        for t in {f.type for f in fl}:
            by_type[t] = by_type.get(t, 0) + 1
    return by_type, sum(1 for fl in flags if fl)


def eval_ruA_control(docs, encoder, cfg, log):
    """ru src vs ref A unperturbed: the same false-alarm measure across languages (faithful professional
    translation; some real differences exist, so this is an upper bound on false alarms)."""
    pairs = [(r, a) for _, S, A, _ in docs for r, a in zip(S, A)]
    groups = [d for d, S, A, _ in docs for _ in zip(S, A)]
    ctxs, dets, _ = bead_scores(pairs, "ru", "en", encoder, cfg, groups=groups)
    flags = flag_contexts(ctxs, dets)
    by_type, flagged = _flag_counts(flags)
    n = len(pairs)
    return {"beads": n, "flagged_beads": flagged, "flagged_rate": round(flagged / n, 4) if n else None,
            "by_type": dict(sorted(by_type.items()))}


# ----------------------------------------------------------------------------- sentence-level sets
def _sims(pairs, l1, l2, encoder):
    a = encoder.encode([p[0] for p in pairs], lang=l1)
    b = encoder.encode([p[1] for p in pairs], lang=l2)
    return [float(x @ y) for x, y in zip(a, b)]


def divergence_scores(pairs, l1, l2, encoder, cfg):
    """Bead-level divergence score used for the sentence sets: 1 − cos, plus 0.1 per accepted lexical/entity
    flag (number, name, date, negation) — the evidence detectors nudge the embedding score."""
    sims = _sims(pairs, l1, l2, encoder)
    lex_cfg = replace(cfg, detectors=("numbers", "dates", "names", "negation"))
    flags = flag_contexts(contexts([p[0] for p in pairs], [p[1] for p in pairs],
                                   [Bead((i,), (i,)) for i in range(len(pairs))], src_lang=l1, tgt_lang=l2,
                                   encoder=None, config=lex_cfg), build_detectors(lex_cfg))
    return sims, [1 - s + 0.1 * len({f.type for f in fl}) for s, fl in zip(sims, flags)]


def eval_refresd(shared, encoder, cfg, limit, log):
    rows = refresd_rows(shared)
    if limit:
        rng = random.Random(0)
        rows = rng.sample(rows, min(limit, len(rows)))
    pairs = [(r[1], r[2]) for r in rows]
    labels = [r[0] for r in rows]
    sims, div = divergence_scores(pairs, "en", "fr", encoder, cfg)
    dev = [in_dev(p[0]) for p in pairs]
    y_bin = [l != "no_meaning_difference" for l in labels]
    res = {"pairs": len(rows), "auc_divergent": auc([1 - s for s in sims], y_bin),
           "auc_divergent_test": auc([1 - s for s, k in zip(sims, dev) if not k], [y for y, k in zip(y_bin, dev) if not k]),
           "auc_divergent_with_entity_flags": auc(div, y_bin),
           "auc_unrelated_vs_rest": auc([1 - s for s in sims], [l == "unrelated" for l in labels])}
    # 3-way thresholds on dev: grid over (unrelated_sim, shift_sim) maximising macro F1
    classes = ("no_meaning_difference", "some_meaning_difference", "unrelated")

    def predict(s, u, m):
        return "unrelated" if s < u else "some_meaning_difference" if s < m else "no_meaning_difference"

    def f1s(pred, gold):
        out = {}
        for c in classes:
            tp = sum(1 for p, g in zip(pred, gold) if p == c and g == c)
            fp = sum(1 for p, g in zip(pred, gold) if p == c and g != c)
            fn = sum(1 for p, g in zip(pred, gold) if p != c and g == c)
            out[c] = prf(tp, fp, fn)["f1"]
        return out

    sd = [s for s, k in zip(sims, dev) if k]
    gd = [g for g, k in zip(labels, dev) if k]
    grid = np.arange(0.60, 0.95, 0.005)
    best, best_f = (cfg.unrelated_sim, cfg.shift_sim), -1
    for u in grid:
        for m in grid:
            if m < u:
                continue
            f = f1s([predict(s, u, m) for s in sd], gd)
            mf = sum(f.values()) / 3
            if mf > best_f:
                best, best_f = (round(float(u), 3), round(float(m), 3)), mf
    st = [s for s, k in zip(sims, dev) if not k]
    gt = [g for g, k in zip(labels, dev) if not k]
    maj = max(classes, key=lambda c: sum(1 for g in gd if g == c))
    res["three_way"] = {
        "tuned_on_dev": {"unrelated_sim": best[0], "shift_sim": best[1]},
        "test_f1": f1s([predict(s, *best) for s in st], gt),
        "test_f1_default_cfg": f1s([predict(s, cfg.unrelated_sim, cfg.shift_sim) for s in st], gt),
        "majority_class": maj, "majority_test_f1": f1s([maj] * len(gt), gt), "test_pairs": len(gt)}
    # binary divergent/equivalent at the shift threshold
    pb = [s < best[1] for s in st]
    yb = [g != "no_meaning_difference" for g in gt]
    tp = sum(1 for p, y in zip(pb, yb) if p and y)
    fp = sum(1 for p, y in zip(pb, yb) if p and not y)
    fn = sum(1 for p, y in zip(pb, yb) if not p and y)
    tn = len(pb) - tp - fp - fn
    res["binary_test"] = {"divergent": prf(tp, fp, fn), "equivalent": prf(tn, fn, fp),
                          "majority_divergent_f1": prf(sum(yb), len(yb) - sum(yb), 0)["f1"]}
    return res


def eval_exsemdiv(shared, encoder, cfg, log):
    out = {}
    for lang, code in (("fr", "fra_Latn"), ("es", "spa_Latn")):
        pairs, y = exsemdiv_pairs(shared, code)
        sims, div = divergence_scores(pairs, "en", lang, encoder, cfg)
        out[f"en-{lang}"] = {"pairs": len(pairs), "auc_sim": auc([1 - s for s in sims], y), "auc": auc(div, y)}
    return out


def eval_semdiverge(shared, encoder, cfg, log):
    out = {}
    for name in ("commoncrawl", "opensubs"):
        pairs, y = semdiverge_pairs(shared, name)
        sims, div = divergence_scores(pairs, "en", "fr", encoder, cfg)
        out[name] = {"pairs": len(pairs), "auc_sim": auc([1 - s for s in sims], y), "auc": auc(div, y)}
    return out


def _flag_any(pairs, l1, l2, encoder, cfg):
    ctxs, dets, _ = bead_scores(pairs, l1, l2, encoder, cfg)
    return [bool(fl) for fl in flag_contexts(ctxs, dets)]


def eval_ced(shared, encoder, cfg, limit, log):
    out = {}
    for lp in ("en-de", "pt-en"):
        src, mt, lab = ced_wmt22(shared, lp)
        n = min(len(src), len(mt), len(lab), limit or 10 ** 9)
        l1, l2 = lp.split("-")
        pred = _flag_any(list(zip(src[:n], mt[:n])), l1, l2, encoder, cfg)
        out[f"wmt22_{lp}"] = _mcc_report(pred, lab[:n])
    rows = ced_wmt21_ende(shared)[: limit or None]
    pred = _flag_any([(r[0], r[1]) for r in rows], "en", "de", encoder, cfg)
    out["wmt21_en-de"] = _mcc_report(pred, [r[2] for r in rows])
    return out


def _mcc_report(pred, lab):
    tp = sum(1 for p, y in zip(pred, lab) if p and y)
    fp = sum(1 for p, y in zip(pred, lab) if p and not y)
    fn = sum(1 for p, y in zip(pred, lab) if not p and y)
    tn = len(lab) - tp - fp - fn
    return {"n": len(lab), "bad": sum(lab), "mcc": mcc(tp, fp, fn, tn), "flagged": tp + fp, **prf(tp, fp, fn)}


# ----------------------------------------------------------------------------- MQM en→ru (token level)
def eval_mqm(shared, encoder, cfg, limit, log):
    segs = mqm_segments(shared)
    keys = sorted(segs)
    # keep every segment with a mapped error plus an equal number of others (bounded by --limit)
    pos = [k for k in keys if segs[k]["spans"]]
    neg = [k for k in keys if not segs[k]["spans"]]
    rng = random.Random(0)
    neg = rng.sample(neg, min(len(neg), len(pos)))
    keys = sorted(pos + neg)[: limit or None]
    pairs = [(segs[k]["src"], segs[k]["tgt"]) for k in keys]
    ctxs, dets, _ = bead_scores(pairs, "en", "ru", encoder, cfg)
    flags = flag_contexts(ctxs, dets)
    out = {"segments": len(keys), "segments_with_mapped_errors": sum(1 for k in keys if segs[k]["spans"])}
    for typ in ("omission", "addition", "number_changed", "name_changed", "date_changed"):
        tp = fp = fn = tn = 0
        for k, fl in zip(keys, flags):
            tgt = segs[k]["tgt"]
            gold = [(a, b) for t, a, b in segs[k]["spans"] if t == typ]
            # omissions are marked in the target at an insertion point; predicted omissions point at the source
            if typ == "omission":
                pred_seg = any(f.type == typ for f in fl)
                g = bool(gold)
                tp += pred_seg and g
                fp += pred_seg and not g
                fn += (not pred_seg) and g
                tn += (not pred_seg) and not g
                continue
            pred = [(s.start, s.end) for f in fl if f.type == typ for s in f.tgt_spans]
            for m in re.finditer(r"\S+", tgt):
                gb = any(m.start() < b and a < m.end() for a, b in gold)
                pb = any(m.start() < b and a < m.end() for a, b in pred)
                tp += gb and pb
                fp += pb and not gb
                fn += gb and not pb
                tn += not gb and not pb
        out[typ] = {"mcc": mcc(tp, fp, fn, tn), "level": "segment" if typ == "omission" else "token",
                    "gold_bad": tp + fn, "pred_bad": tp + fp}
    return out


# ----------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--encoder", default=None, help="default: the --config file's encoder, else e5-small")
    ap.add_argument("--config", default=None, help="run config (YAML, docs/run.example.yaml): its flags section and "
                    "encoder; --encoder and --lexicon override it")
    ap.add_argument("--cache", default="/tmp/tasscorpus-cache")
    ap.add_argument("--sets", default="perturb,refab,refresd,exsemdiv,semdiverge,ced,mqm")
    ap.add_argument("--limit", type=int, default=40, help="documents (WMT21) / pairs (other sets) per set; 0 = all")
    ap.add_argument("--seed", default="13",
                    help="perturbation seed, or several comma-separated (the suite of each, pooled)")
    ap.add_argument("--rate", type=float, default=0.5, help="share of perturbed lines in the suite")
    ap.add_argument("--lexicon", default=None, help="extra framing lexicon")
    ap.add_argument("--dump", default=None, help="write per-bead perturbation scores (JSONL) here")
    ap.add_argument("--include-ted", action="store_true",
                    help="also use the 9 WMT21 TED-talk documents (not news; excluded by default)")
    ap.add_argument("--no-gate", action="store_true",
                    help="run the coverage test on every bead (to check that the cheap gate loses no recall)")
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"],
                    help="rewrites: which half of the rewrite benchmark (odd pairs dev, even test)")
    ap.add_argument("--input", default="gold", choices=["gold", "page"],
                    help="rewrites: gold body sentences, or the raw page lines (furniture stripped if corpus.furniture exists)")
    ap.add_argument("--beads", default="aligned", choices=["aligned", "gold"],
                    help="rewrites: flag the aligner's beads, or the gold beads (the flag stage alone; --input gold only)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    if not (shared / "eval").is_dir() and set(sets) - {"rewrites"}:
        print(json.dumps({"error": f"{shared}/eval not found"}))
        return 1
    from corpus.config import script_config

    run_cfg = script_config(args.config)
    enc = make_encoder(args.encoder or run_cfg.encoder, Path(args.cache))
    cfg = replace(run_cfg.flags, extra_lexicon=args.lexicon) if args.lexicon else run_cfg.flags
    if args.no_gate:
        cfg = replace(cfg, coverage_gate_sim=1.0, coverage_gate_ratio=0.0)
    from corpus import __version__

    result = {"signature": {"tool": f"tasscorpus {__version__}", "script": "eval_flags.py",
                            "encoder": enc.signature(), "flags": cfg.signature(), "config": cfg.to_dict(),
                            "token_evidence": token_evidence(cfg),
                            "limit": args.limit, "seed": args.seed, "include_ted": args.include_ted, "rate": args.rate, "sets": sets}}
    if "rewrites" in sets:
        result["signature"]["rewrites"] = {"split": args.split, "input": args.input, "beads": args.beads}
    t0 = time.time()
    docs = wmt21_docs(shared, args.limit or None, args.include_ted) if {"perturb", "refab"} & set(sets) else []
    if "perturb" in sets:
        seeds = [int(x) for x in str(args.seed).split(",") if x.strip()]
        res, items, scores = eval_perturb(docs, enc, cfg, seeds, args.rate, log)
        result["perturb"] = res
        result["ru_refA_unperturbed"] = eval_ruA_control(docs, enc, cfg, log)
        if args.dump:
            with open(args.dump, "w", encoding="utf-8") as f:
                for it, sc in zip(items, scores):
                    f.write(json.dumps({**it, "scores": sc}, ensure_ascii=False) + "\n")
    if "refab" in sets:
        result["refab"] = eval_refab(docs, enc, cfg, log)
    if "refresd" in sets:
        result["refresd"] = eval_refresd(shared, enc, cfg, args.limit if args.limit and args.limit > 200 else None, log)
    if "exsemdiv" in sets:
        result["exsemdiv"] = eval_exsemdiv(shared, enc, cfg, log)
    if "semdiverge" in sets:
        result["semdiverge"] = eval_semdiverge(shared, enc, cfg, log)
    if "ced" in sets:
        result["ced"] = eval_ced(shared, enc, cfg, args.limit * 10 if args.limit else None, log)
    if "mqm" in sets:
        result["mqm_enru"] = eval_mqm(shared, enc, cfg, args.limit * 10 if args.limit else None, log)
    if "rewrites" in sets:
        from corpus.evaluation.runner import evaluate_flags

        try:
            result["rewrites"] = evaluate_flags(enc, cfg, split=args.split, input=args.input, beads=args.beads, log=log)
        except ValueError as e:
            print(json.dumps({"error": f"rewrites: {e}"}))
            return 1
    result["seconds"] = round(time.time() - t0, 1)
    result["embedding_cache"] = {"hits": enc.hits, "misses": enc.misses}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
