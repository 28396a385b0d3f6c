"""`tasscorpus demo`: the whole pipeline, offline, on the bundled sample — and how it scores on the
sample's gold (pairs, beads, planted flags)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .config import RunConfig
from .pipeline import Runtime, run, sample_dir
from .store import Store


def gold_path() -> Path:
    return Path(__file__).resolve().parent / "sample" / "gold.json"


def load_gold() -> dict:
    return json.loads(gold_path().read_text(encoding="utf-8"))


@dataclass
class GoldReport:
    pair_precision: float = 0.0
    pair_recall: float = 0.0
    bead_strict_f1: float = 0.0
    bead_lax_f1: float = 0.0
    flag_recall: dict = field(default_factory=dict)  # type -> recall of planted flags
    # share of ALL emitted flags that sit on a bead with a planted difference (flags on pairs the gold does not
    # have, on beads without a planted difference, or on a many-1 pair's target sentences outside its part
    # are false alarms)
    flag_precision: float = 0.0
    flag_precision_typed: float = 0.0  # ... and whose type is the planted difference's type
    flags_emitted: int = 0
    false_alarms: list = field(default_factory=list)  # one dict per false alarm: pair, bead, type, why
    segmentation_mismatches: int = 0

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate_against_gold(store: Store, gold: dict) -> GoldReport:
    """Score the store's pairs, beads and flags on the sample's gold annotations.

    Every flag in the store is graded: it is right when its bead overlaps (by a sentence of either side) a
    gold bead with a planted difference, and, on a many-1 pair, stays inside the target part that tells
    that pair's story. Flags on pairs the gold has no beads for are false alarms."""
    from align.score import score_docs

    from .records import Bead

    rep = GoldReport()
    url = {a.id: a.url for a in store.articles(status=None)}
    pred_pairs = {(url[p.src_id], url[p.tgt_id]): p for p in store.pairs()}
    gold_pairs = {(g["ru"], g["en"]) for g in gold["pairs"]}
    tp = len(gold_pairs & set(pred_pairs))
    rep.pair_precision = tp / len(pred_pairs) if pred_pairs else 0.0
    rep.pair_recall = tp / len(gold_pairs) if gold_pairs else 0.0

    tests, golds = [], []
    flag_hits: dict[str, list[int]] = {}
    emitted = on_planted = typed = 0

    def false_alarm(key: str, b, fl, why: str) -> None:
        rep.false_alarms.append({"pair": key, "bead": [list(b.src), list(b.tgt)], "type": fl.type, "why": why})

    for (ru, en), p in pred_pairs.items():
        key = f"{ru}|{en}"
        beads = store.beads(p.id)
        flags = store.flags(p.id)
        emitted += sum(len(f) for f in flags)
        g = gold["beads"].get(key)
        why = None
        if g is None:
            why = "pair not in gold"
        elif [s.text for s in store.sentences(p.src_id)] != g["ru"] or [s.text for s in store.sentences(p.tgt_id)] != g["en"]:
            rep.segmentation_mismatches += 1
            why = "sentences differ from gold"
        if why is not None:
            for b, fls in zip(beads, flags):
                for fl in fls:
                    false_alarm(key, b, fl, why)
            continue
        gold_beads = [(tuple(b[0]), tuple(b[1])) for b in g["beads"]]
        part = set(g["part"]) if "part" in g else None
        tests.append(beads)
        golds.append([Bead(s_, t_) for s_, t_ in gold_beads])
        planted = gold["flags"].get(key, [])
        # recall: a planted flag is found when a bead overlapping its gold bead carries that type
        for f in planted:
            gs, gt = map(set, gold_beads[f["bead"]])
            found = any(
                (set(b.src) & gs or set(b.tgt) & gt) and any(fl.type == f["type"] for fl in fls)
                for b, fls in zip(beads, flags)
            )
            flag_hits.setdefault(f["type"], []).append(int(found))
        # precision: an emitted flag is right when its bead overlaps a bead with a planted difference
        all_planted = [(set(gold_beads[f["bead"]][0]), set(gold_beads[f["bead"]][1]), f["type"]) for f in planted]
        for b, fls in zip(beads, flags):
            hit = [t for gs, gt, t in all_planted if set(b.src) & gs or set(b.tgt) & gt]
            outside = part is not None and not set(b.tgt) <= part
            for fl in fls:
                if hit and not outside:
                    on_planted += 1
                    typed += fl.type in hit
                else:
                    false_alarm(key, b, fl, "target sentences outside the pair's part" if outside
                                else "no planted difference on this bead")
    if tests:
        s = score_docs(golds, tests)
        rep.bead_strict_f1 = s["strict"]["f1"]
        rep.bead_lax_f1 = s["lax"]["f1"]
    rep.flag_recall = {t: round(sum(v) / len(v), 3) for t, v in sorted(flag_hits.items())}
    rep.flags_emitted = emitted
    rep.flag_precision = on_planted / emitted if emitted else 0.0
    rep.flag_precision_typed = typed / emitted if emitted else 0.0
    return rep


def run_demo(out: Path, *, store_path: Path | None = None, encoder: str = "e5-small", quiet: bool = False,
             log=print, cfg: RunConfig | None = None) -> dict:
    """Load the bundled sample, run every stage, export HF + JSONL (+ TMX and the report) into ``out``.
    ``cfg``: the run config (default: the defaults with ``encoder``)."""
    from .export import export
    from .fetch import fetch

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store_path = Path(store_path) if store_path else out / "demo.sqlite"
    cfg = cfg or RunConfig(encoder=encoder)
    with Store(store_path) as store:
        summary = fetch(store, source="tass", edition="all", base_url=sample_dir().as_uri(), quiet=quiet)
        log(f"load     {summary.line() if hasattr(summary, 'line') else summary}")
        run(store, cfg, rt=Runtime(quiet=quiet), log=log)
        written = {}
        for fmt, sub in (("hf", "dataset"), ("jsonl", "jsonl"), ("tmx", "tmx")):
            written[fmt] = str(export(store, fmt, out / sub, quiet=quiet))
        from .report import write_report

        written["report"] = str(write_report(store, out / "report", quiet=quiet))
        gold = evaluate_against_gold(store, load_gold())
        counts = store.counts()
    result = {"out": str(out), "store": str(store_path), "written": written, "counts": counts,
              "gold": gold.as_dict()}
    (out / "demo_summary.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result
