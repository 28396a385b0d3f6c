"""Several editions at once: every edition against a pivot, then N-way rows over the pivot's sentences.

:func:`build_nway` runs segment → pair → align → flag for each non-pivot edition X against the pivot
(X is the source side, the pivot the target side, as ru → en for TASS), then :func:`link_rows` joins
the beads of all X ↔ pivot pairs of one pivot article into N-way rows: a row holds, per edition,
the sentence indices that say it; an empty tuple marks an edition that leaves it out; an X sentence
with no pivot counterpart gets a row of its own with the pivot empty (placed after the pivot row its
edition's preceding bead links to). Rows are ordered by pivot position and stored per pivot article
with a done-mark (``Store.put_nway``), so a re-run recomputes only pivot articles whose beads changed.

Flags of an N-way run name both editions (``detail["editions"] = [x, pivot]``). Default pivot: ``en``
for KCNA, the target edition (``en``) for TASS. A two-edition run is the ordinary pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .config import RunConfig
from .pipeline import ConfigChanged, Runtime, StageReport, align_stage, config_changes, run, segment_stage, signature
from .progress import progress
from .records import Bead, content_hash
from .store import Store

DEFAULT_PIVOT = {"kcna": "en", "tass": "en"}


@dataclass(frozen=True)
class NwayRow:
    """One N-way row: ``cells[edition]`` = that edition's sentence indices (``()`` = leaves it out);
    ``beads[edition]`` = the index of the X ↔ pivot bead the cell comes from (not set for the pivot)."""

    cells: dict
    beads: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"cells": {e: list(v) for e, v in self.cells.items()}, "beads": dict(self.beads)}

    @classmethod
    def from_dict(cls, d: dict) -> "NwayRow":
        return cls({e: tuple(v) for e, v in d["cells"].items()}, {e: int(b) for e, b in d.get("beads", {}).items()})


def link_rows(n_pivot: int, beads_by_edition: dict[str, list[Bead]], pivot: str) -> list[NwayRow]:
    """N-way rows for one pivot article of ``n_pivot`` sentences from each edition's beads (source =
    that edition, target = the pivot). Pivot sentences joined by any edition's many-sentence bead share
    a row; every pivot sentence and every edition sentence is in exactly one row."""
    parent = list(range(n_pivot))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for beads in beads_by_edition.values():
        for b in beads:
            for j in b.tgt[1:]:
                parent[find(j)] = find(b.tgt[0])
    groups: dict[int, list[int]] = {}
    for j in range(n_pivot):
        groups.setdefault(find(j), []).append(j)
    order = sorted(groups.values(), key=lambda g: g[0])
    row_of = {j: r for r, g in enumerate(order) for j in g}
    cells = [{pivot: tuple(g)} for g in order]
    bead_ix: list[dict] = [{} for _ in order]
    extra: list[tuple[int, int, int, str, tuple, int]] = []  # (after row, edition no., bead no., ed, src, bead idx)
    for en, (ed, beads) in enumerate(beads_by_edition.items()):
        for c in cells:
            c[ed] = ()
        anchor = -1
        for bi, b in enumerate(beads):
            if b.tgt:
                r = row_of[b.tgt[0]]
                cells[r][ed] = tuple(sorted(set(cells[r][ed]) | set(b.src)))
                bead_ix[r].setdefault(ed, bi)
                anchor = max(anchor, r)
            elif b.src:
                extra.append((anchor, en, bi, ed, tuple(b.src), bi))
    rows: list[NwayRow] = []
    extra.sort(key=lambda x: x[:3])
    k = 0
    for r in range(-1, len(order)):
        if r >= 0:
            rows.append(NwayRow(cells[r], bead_ix[r]))
        while k < len(extra) and extra[k][0] == r:
            _, _, _, ed, src, bi = extra[k]
            c = {pivot: ()}
            c.update({e: () for e in beads_by_edition})
            c[ed] = src
            rows.append(NwayRow(c, {ed: bi}))
            k += 1
    return rows


def _pick_pairs(store: Store, editions: list[str]) -> dict[int, dict[str, object]]:
    """Pivot article id → per edition, its pair with that pivot article (a 1-1 pair before a many-1 one,
    then the higher score)."""
    ed_of = {a.id: a.edition for a in store.articles(status=None)}
    out: dict[int, dict[str, object]] = {}
    for p in store.pairs():
        ed = ed_of.get(p.src_id)
        if ed not in editions:
            continue
        by_ed = out.setdefault(p.tgt_id, {})
        cur = by_ed.get(ed)
        if cur is None or (p.kind == "1-1", p.score) > (cur.kind == "1-1", cur.score):
            by_ed[ed] = p
    return {t: {e: by_ed[e] for e in editions if e in by_ed} for t, by_ed in out.items()}


def link_stage(store: Store, source: str, editions: list[str], pivot: str, *, quiet: bool = True) -> StageReport:
    """Link every pivot article's pairs into N-way rows; skip pivots whose inputs did not change, drop the
    rows of a pivot article that no aligned pair holds any more."""
    rep = StageReport("link")
    others = [e for e in editions if e != pivot]
    picked = _pick_pairs(store, others)
    linked = {u["pivot_id"] for u in store.nway_units()}
    for art in progress(store.articles(edition=pivot, source=source, status="ok"), desc="link", quiet=quiet):
        pairs = picked.get(art.id, {})
        beads = {e: store.beads(p.id) for e, p in pairs.items()}
        beads = {e: b for e, b in beads.items() if b}
        if not beads:
            if art.id in linked:
                store.drop_nway(art.id)
            continue
        n = len(store.sentences(art.id))
        key = content_hash(pivot, str(n), *(f"{e}:{pairs[e].src_id}:{[x.to_vecalign() for x in b]}" for e, b in beads.items()))
        if store.nway_done_key(art.id) == key:
            rep.skipped += 1
            continue
        rows = link_rows(n, beads, pivot)
        store.put_nway(art.id, pivot, {e: pairs[e].src_id for e in beads}, [r.to_dict() for r in rows], key)
        rep.done += 1
    return rep


def pair_editions(store: Store, cfg: RunConfig, rt: Runtime, edition: str, pivot: str) -> StageReport:
    """Pair one edition's articles with the pivot's (scoped: other editions' pairs are kept). The unit of work
    is the two article sets: the done-mark ``pair:<source>:<edition>><pivot>`` holds their hash with the
    encoder and pairing config, so nothing is recomputed while they are unchanged."""
    from .pairing import pair_articles

    rep = StageReport(f"pair {edition}")
    src = store.articles(edition=edition, source=cfg.source, status="ok")
    tgt = store.articles(edition=pivot, source=cfg.source, status="ok")
    if not src or not tgt:
        rep.info["nothing_to_pair"] = f"{len(src)} {edition} and {len(tgt)} {pivot} articles"
        return rep
    stage = f"pair:{cfg.source}:{edition}>{pivot}"
    key = content_hash(cfg.encoder, cfg.pairing.signature(), *(f"{a.id}:{a.hash}" for a in src), "|",
                       *(f"{a.id}:{a.hash}" for a in tgt))
    src_ids, tgt_ids = {a.id for a in src}, {a.id for a in tgt}
    if store.is_done(stage, key) and "pair" not in rt.redo:
        rep.skipped = sum(1 for p in store.pairs() if p.src_id in src_ids and p.tgt_id in tgt_ids)
        return rep
    pairs = pair_articles(src, tgt, rt.get_encoder(store, cfg), cfg.pairing, quiet=rt.quiet)
    with store.transaction():
        store.put_pairs(pairs, replace_all=True, scope=(src_ids, tgt_ids))
        store.clear_done(stage)
        store.mark_done(stage, key, {"pairs": len(pairs)})
    rep.done = len(pairs)
    rep.info["unpaired"] = len(src) - len({p.src_id for p in pairs})
    return rep


def flag_editions(store: Store, cfg: RunConfig, rt: Runtime) -> StageReport:
    """The flag stage over every aligned pair not yet flagged, each flag naming both editions
    (``detail["editions"] = [source edition, pivot]``)."""
    from .pipeline import flag_stage

    return flag_stage(store, cfg, rt, name_editions=True)


def pivot_of(cfg: RunConfig) -> str:
    """The run's pivot: ``cfg.pivot``, else the source's default (en for KCNA and TASS), else the last edition."""
    if cfg.pivot:
        return cfg.pivot
    d = DEFAULT_PIVOT.get(cfg.source)
    return d if d in cfg.editions else cfg.editions[-1]


def build_nway(store: Store, cfg: RunConfig, rt: Runtime | None = None, *,
               log: Callable[[str], None] | None = None) -> list[StageReport]:
    """segment → pair (each edition with the pivot) → align → flag → link, resumable; returns the stage reports.

    With two editions this is the ordinary pipeline (the non-pivot edition as source, the pivot as target,
    flags exactly as ``corpus.pipeline.run`` makes them) followed by the link stage."""
    import time
    from dataclasses import replace

    rt = rt or Runtime()
    pivot = pivot_of(cfg)
    others = [e for e in cfg.editions if e != pivot]
    if len(others) == 1:
        reports = run(store, replace(cfg, editions=[others[0], pivot], pivot=None), rt=rt, log=log)
        t0 = time.perf_counter()
        rep = link_stage(store, cfg.source, [pivot, *others], pivot, quiet=rt.quiet)
        rep.seconds = time.perf_counter() - t0
        if log:
            log(rep.line())
        return reports + [rep]
    changed = config_changes(store, cfg, ["align", "flag"])
    refused = {s: k for s, k in changed.items() if s not in rt.redo and "*" not in rt.redo}
    if refused:
        raise ConfigChanged(refused)
    steps: list[Callable[[], StageReport]] = [lambda: segment_stage(store, cfg, rt)]
    steps += [lambda e=e: pair_editions(store, cfg, rt, e, pivot) for e in others]
    steps += [lambda: align_stage(store, cfg, rt), lambda: flag_editions(store, cfg, rt),
              lambda: link_stage(store, cfg.source, cfg.editions, pivot, quiet=rt.quiet)]
    reports = []
    for fn in steps:
        t0 = time.perf_counter()
        rep = fn()
        rep.seconds = time.perf_counter() - t0
        reports.append(rep)
        if log:
            log(rep.line())
    sig = signature(store, replace(cfg, pivot=pivot), rt)
    sig["editions"] = ",".join(cfg.editions)
    sig["pivot"] = pivot
    store.set_meta("signature", sig)
    return reports


# ---------------------------------------------------------------------------- reading the rows
def units(store: Store) -> list[dict]:
    """``Store.nway_units`` with each row as an :class:`NwayRow`."""
    return [{**u, "rows": [NwayRow.from_dict(r) for r in u["rows"]]} for u in store.nway_units()]


def omission_summary(store: Store) -> dict:
    """Per edition: rows with a pivot sentence the edition leaves out (``leaves_out``), rows it adds
    (``adds``), rows it has, and its flags by type — over every stored N-way unit."""
    out: dict[str, dict] = {}
    for unit in units(store):
        pivot = unit["pivot_edition"]
        flags = {}
        for e, aid in unit["articles"].items():
            pid = store.pair_id(aid, unit["pivot_id"])
            flags[e] = store.flags(pid) if pid is not None else []
        for row in unit["rows"]:
            for e, cell in row.cells.items():
                if e == pivot:
                    continue
                d = out.setdefault(e, {"rows": 0, "leaves_out": 0, "adds": 0, "flags": {}})
                if cell and row.cells[pivot]:
                    d["rows"] += 1
                elif row.cells[pivot] and not cell:
                    d["leaves_out"] += 1
                elif cell:
                    d["adds"] += 1
        for e, fl in flags.items():
            d = out.setdefault(e, {"rows": 0, "leaves_out": 0, "adds": 0, "flags": {}})
            for bead_flags in fl:
                for f in bead_flags:
                    d["flags"][f.type] = d["flags"].get(f.type, 0) + 1
    return {e: {**d, "flags": dict(sorted(d["flags"].items()))} for e, d in sorted(out.items())}


def row_flags(row: NwayRow, flags_by_edition: dict[str, list[list]], beads_by_edition: dict[str, list[Bead]],
              pivot: str) -> dict[str, list]:
    """The flags of one row per edition: those of every bead of that edition whose sentences fall in the row."""
    out: dict[str, list] = {}
    for e, cell in row.cells.items():
        if e == pivot or e not in beads_by_edition:
            continue
        got = []
        for bi, b in enumerate(beads_by_edition[e]):
            if (set(b.src) & set(cell)) or (row.cells[pivot] and set(b.tgt) & set(row.cells[pivot])):
                got.extend(flags_by_edition[e][bi] if bi < len(flags_by_edition[e]) else [])
        out[e] = got
    return out
