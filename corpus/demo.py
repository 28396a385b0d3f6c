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
             log=print, cfg: RunConfig | None = None, build=None) -> dict:
    """Load the bundled sample, run every stage, export HF + JSONL (+ TMX and the report) into ``out``.
    ``cfg``: the run config (default: the defaults with ``encoder``). ``build``, when given, is called
    with the store and the config instead of ``corpus.pipeline.run`` (a partitioned build)."""
    from .export import export
    from .fetch import fetch

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store_path = Path(store_path) if store_path else out / "demo.sqlite"
    cfg = cfg or RunConfig(encoder=encoder)
    with Store(store_path) as store:
        summary = fetch(store, source="tass", edition="all", base_url=sample_dir().as_uri(), quiet=quiet)
        log(f"load     {summary.line() if hasattr(summary, 'line') else summary}")
        if build is None:
            run(store, cfg, rt=Runtime(quiet=quiet), log=log)
        else:
            build(store, cfg)
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


# ---------------------------------------------------------------------------- six editions (KCNA-style sample)
def evaluate_nway_against_gold(store: Store, gold: dict) -> dict:
    """Score every (edition, pivot) language pair of the store on the KCNA sample's gold: pair precision /
    recall, bead strict and lax F1, flag precision (every emitted flag graded: right when its bead overlaps
    a gold bead with a planted difference) and recall of the planted differences by type; then the N-way
    rows: the share of gold rows reproduced exactly (same sentence ids in every edition)."""
    from align.score import score_docs

    from .records import Bead

    url = {a.id: a.url for a in store.articles(status=None)}
    ed_of = {a.id: a.edition for a in store.articles(status=None)}
    pivot = gold["pivot"]
    pred = {(url[p.src_id], url[p.tgt_id]): p for p in store.pairs() if ed_of[p.tgt_id] == pivot}
    out: dict = {"pairs": {}, "false_alarms": []}
    tot_emit = tot_right = 0
    tot_hits: list[int] = []
    for ed in [e for e in gold["editions"] if e != pivot]:
        gp = {(g["src"], g["tgt"]) for g in gold["pairs"] if g["edition"] == ed}
        pp = {k: p for k, p in pred.items() if ed_of[p.src_id] == ed}
        tp = len(gp & set(pp))
        r = {"pair_precision": tp / len(pp) if pp else None, "pair_recall": tp / len(gp) if gp else 0.0}
        tests, golds, hits, emitted, right = [], [], {}, 0, 0
        missed_pairs = gp - set(pp)
        for (s, t) in sorted(missed_pairs):  # a pair not found: its planted differences are not found either
            for f in gold["flags"].get(f"{s}|{t}", []):
                hits.setdefault(f["type"], []).append(0)
            g = gold["beads"][f"{s}|{t}"]
            golds.append([Bead(tuple(a), tuple(b)) for a, b in g["beads"]])
            tests.append([])
        for (s, t), p in sorted(pp.items()):
            key = f"{s}|{t}"
            beads, flags = store.beads(p.id), store.flags(p.id)
            emitted += sum(len(f) for f in flags)
            g = gold["beads"].get(key)
            if g is None or [x.text for x in store.sentences(p.src_id)] != g["src"] \
                    or [x.text for x in store.sentences(p.tgt_id)] != g["tgt"]:
                why = "pair not in gold" if g is None else "sentences differ from gold"
                out["false_alarms"] += [{"pair": key, "type": fl.type, "why": why} for fls in flags for fl in fls]
                continue
            gb = [(set(a), set(b)) for a, b in g["beads"]]
            tests.append(beads)
            golds.append([Bead(tuple(a), tuple(b)) for a, b in g["beads"]])
            planted = gold["flags"].get(key, [])
            for f in planted:
                gs, gt = gb[f["bead"]]
                found = any((set(b.src) & gs or set(b.tgt) & gt) and any(fl.type == f["type"] for fl in fls)
                            for b, fls in zip(beads, flags))
                hits.setdefault(f["type"], []).append(int(found))
            marked = [gb[f["bead"]] for f in planted]
            for b, fls in zip(beads, flags):
                on = any(set(b.src) & gs or set(b.tgt) & gt for gs, gt in marked)
                for fl in fls:
                    if on:
                        right += 1
                    else:
                        out["false_alarms"].append({"pair": key, "bead": [list(b.src), list(b.tgt)], "type": fl.type,
                                                    "why": "no planted difference on this bead"})
        sc = score_docs(golds, tests) if golds else None
        r["bead_strict_f1"] = sc["strict"]["f1"] if sc else 0.0
        r["bead_lax_f1"] = sc["lax"]["f1"] if sc else 0.0
        r["flags_emitted"] = emitted
        r["flag_precision"] = right / emitted if emitted else None
        all_hits = [h for v in hits.values() for h in v]
        r["flag_recall"] = sum(all_hits) / len(all_hits) if all_hits else None
        r["flag_recall_by_type"] = {k: sum(v) / len(v) for k, v in sorted(hits.items())}
        out["pairs"][f"{ed}-{pivot}"] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}
        tot_emit += emitted
        tot_right += right
        tot_hits += all_hits
    out["flag_precision"] = round(tot_right / tot_emit, 4) if tot_emit else None
    out["flag_recall"] = round(sum(tot_hits) / len(tot_hits), 4) if tot_hits else None
    out["flags_emitted"] = tot_emit
    # N-way rows
    from .nway import units as nway_units

    units = {url[u["pivot_id"]]: u for u in nway_units(store)}
    n = exact = 0
    eds = gold["editions"]
    for pu, rows in gold["rows"].items():
        rows = [{e: r[e] for e in eds} for r in rows if any(r[e] for e in eds)]
        n += len(rows)
        u = units.get(pu)
        if u is None:
            continue
        got = [{e: list(v) for e, v in r.cells.items()} for r in u["rows"]]
        for row in rows:
            exact += any(all(g.get(e, []) == row[e] for e in eds) for g in got)
    out["nway_rows"] = n
    out["nway_rows_exact"] = round(exact / n, 4) if n else None
    return out


def run_kcna_demo(out: Path, *, store_path: Path | None = None, encoder: str = "e5-small", quiet: bool = False,
                  log=print, pivot: str = "en", editions: tuple[str, ...] | None = None,
                  data: Path | None = None, gold: dict | None = None) -> dict:
    """The six-edition sample end to end, offline: load the KCNA-style mirror, run the N-way build with the
    pivot, export HF + JSONL + TMX (one language per edition) and the report into ``out``, and score every
    (edition, pivot) pair on the sample's gold. ``editions``/``data``/``gold`` run a subset (tests)."""
    from .config import RunConfig
    from .export import export
    from .fetch import fetch
    from .nway import build_nway, omission_summary
    from .pipeline import Runtime
    from .report import write_report
    from .sample.kcna import build as K

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store_path = Path(store_path) if store_path else out / "demo.sqlite"
    gold = gold if gold is not None else K.load_gold()
    editions = tuple(editions or gold["editions"])
    with Store(store_path) as store:
        for ed in editions:
            summary = fetch(store, source="kcna", edition=ed, base_url=(data or K.data_dir()).as_uri(), quiet=quiet)
            log(f"load {ed:<3} {summary.line() if hasattr(summary, 'line') else summary}")
        cfg = RunConfig(source="kcna", editions=list(editions), pivot=pivot, encoder=encoder).validate("demo")
        build_nway(store, cfg, Runtime(quiet=quiet), log=log)
        written = {}
        for fmt, sub in (("hf", "dataset"), ("jsonl", "jsonl"), ("tmx", "tmx")):
            written[fmt] = str(export(store, fmt, out / sub, quiet=quiet))
        written["report"] = str(write_report(store, out / "report", quiet=quiet))
        g = {**gold, "editions": [e for e in gold["editions"] if e in editions]}
        g["pairs"] = [p for p in gold["pairs"] if p["edition"] in editions]
        scores = evaluate_nway_against_gold(store, g)
        counts = store.counts()
        summary = omission_summary(store)
    result = {"out": str(out), "store": str(store_path), "written": written, "counts": counts,
              "editions": list(editions), "pivot": pivot, "gold": scores, "omissions": summary}
    (out / "demo_summary.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def print_kcna_demo(res: dict, echo=print) -> None:
    """The six-edition demo's numbers, one line per (edition, pivot) pair, then the N-way rows and omissions."""
    c = res["counts"]
    g = res["gold"]
    echo(f"demo kcna: {sum(c['articles'].values())} articles in {len(res['editions'])} editions, "
         f"{sum(c['pairs'].values())} pairs with the pivot {res['pivot']}, {sum(c['beads'].values())} beads, "
         f"{sum(c['flags'].values())} flags")

    def num(v) -> str:
        return "  n/a" if v is None else f"{v:.3f}"

    echo(f"{'pair':<7} {'pair P':>6} {'pair R':>6} {'bead F1':>7} {'lax F1':>6} {'flags':>5} {'flag P':>6} {'flag R':>6}")
    for k, r in g["pairs"].items():
        echo(f"{k:<7} {num(r['pair_precision']):>6} {num(r['pair_recall']):>6} {num(r['bead_strict_f1']):>7} "
             f"{num(r['bead_lax_f1']):>6} {r['flags_emitted']:>5} {num(r['flag_precision']):>6} {num(r['flag_recall']):>6}")
    echo(f"all flags: precision {num(g['flag_precision'])} ({len(g['false_alarms'])} false alarms among "
         f"{g['flags_emitted']} flags, every flag graded), recall of planted differences {num(g['flag_recall'])}")
    echo(f"N-way rows reproduced exactly: {num(g['nway_rows_exact'])} of {g['nway_rows']}")
    for e, d in res["omissions"].items():
        echo(f"  {e}: leaves out {d['leaves_out']} pivot rows, adds {d['adds']}, flags "
             + (", ".join(f"{t}={n}" for t, n in d["flags"].items()) or "none"))
    for fmt, path in res["written"].items():
        echo(f"wrote {fmt:<6} {path}")
