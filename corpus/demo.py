"""`tasscorpus demo`: the whole pipeline, offline, on the bundled sample — and how it scores on the
sample's gold (pairs, beads, planted flags)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .pipeline import Options, run, sample_dir
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
    flag_precision: float = 0.0  # share of emitted flags that sit on a bead with a planted difference
    segmentation_mismatches: int = 0

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate_against_gold(store: Store, gold: dict) -> GoldReport:
    """Score the store's pairs, beads and flags on the sample's gold annotations."""
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
    emitted = on_planted = 0
    for key, g in gold["beads"].items():
        ru, en = key.split("|", 1)
        p = pred_pairs.get((ru, en))
        if p is None:
            continue
        src = [s.text for s in store.sentences(p.src_id)]
        tgt = [s.text for s in store.sentences(p.tgt_id)]
        if src != g["ru"] or tgt != g["en"]:
            rep.segmentation_mismatches += 1
            continue
        beads = store.beads(p.id)
        gold_beads = [(tuple(b[0]), tuple(b[1])) for b in g["beads"]]
        tests.append(beads)
        golds.append([Bead(s_, t_) for s_, t_ in gold_beads])
        flags = store.flags(p.id)
        planted = gold["flags"].get(key, [])
        planted_sents = {}
        for f in planted:
            gs, gt = gold_beads[f["bead"]]
            planted_sents.setdefault(f["type"], []).append((set(gs), set(gt)))
        # recall: a planted flag is found when a bead overlapping its gold bead carries that type
        for f in planted:
            gs, gt = map(set, gold_beads[f["bead"]])
            found = any(
                (set(b.src) & gs or set(b.tgt) & gt) and any(fl.type == f["type"] for fl in fls)
                for b, fls in zip(beads, flags)
            )
            flag_hits.setdefault(f["type"], []).append(int(found))
        # precision: an emitted flag is right when it overlaps a planted difference of its type
        all_planted = [(set(gold_beads[f["bead"]][0]), set(gold_beads[f["bead"]][1])) for f in planted]
        for b, fls in zip(beads, flags):
            for fl in fls:
                emitted += 1
                if any((set(b.src) & gs or set(b.tgt) & gt) for gs, gt in all_planted):
                    on_planted += 1
    if tests:
        s = score_docs(golds, tests)
        rep.bead_strict_f1 = s["strict"]["f1"]
        rep.bead_lax_f1 = s["lax"]["f1"]
    rep.flag_recall = {t: round(sum(v) / len(v), 3) for t, v in sorted(flag_hits.items())}
    rep.flag_precision = on_planted / emitted if emitted else 0.0
    return rep


def run_demo(out: Path, *, store_path: Path | None = None, encoder: str = "e5-small", quiet: bool = False,
             log=print) -> dict:
    """Load the bundled sample, run every stage, export HF + JSONL (+ TMX and the report) into ``out``."""
    from .export import export
    from .fetch import fetch

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store_path = Path(store_path) if store_path else out / "demo.sqlite"
    opts = Options(encoder=encoder, quiet=quiet)
    with Store(store_path) as store:
        summary = fetch(store, source="tass", edition="all", base_url=sample_dir().as_uri(), quiet=quiet)
        log(f"load     {summary.line() if hasattr(summary, 'line') else summary}")
        run(store, opts, log=log)
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
