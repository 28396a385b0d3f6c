"""Vecalign's strict / lax precision, recall and F1 for sentence alignments, reproduced exactly.

Rules (thompsonb/vecalign ``score.py``, checked against the validation vectors in ../shared/README.md):

* beads are compared as sets of ``(src tuple, tgt tuple)``; a bead empty on both sides is dropped;
* strict: a test bead counts as correct only if the identical bead is in the gold;
* lax: a test bead is correct if one of its source sentences is gold-aligned to one of its target
  sentences (so a null bead is lax-correct only when it is strictly correct);
* precision counts every test bead, null beads included; recall is the same count with test and
  gold swapped and null beads removed from both sides;
* counts are summed over all documents, then P, R and F1 are computed (0 when undefined).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Sequence

from align.records import Bead

_BEAD = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")

Pair = tuple[tuple[int, ...], tuple[int, ...]]


class ScoreError(ValueError):
    """A bead file that cannot be parsed."""


def parse_bead(line: str) -> Bead:
    """``[0, 1]:[2]`` → ``Bead((0, 1), (2,))``."""
    m = _BEAD.match(line)
    if not m:
        raise ScoreError(f"not a Vecalign bead: {line.strip()[:60]!r}")

    def ids(s: str) -> tuple[int, ...]:
        return tuple(int(x) for x in s.replace(",", " ").split())

    return Bead(ids(m.group(1)), ids(m.group(2)))


def read_beads(path: str | Path) -> list[Bead]:
    """Read a Vecalign-format alignment file (one bead per line, blank lines ignored)."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(parse_bead(line))
            except ScoreError as e:
                raise ScoreError(f"{path}:{n}: {e}") from None
    return out


def _pairs(beads: Iterable[Bead | Pair]) -> set[Pair]:
    out = set()
    for b in beads:
        s, t = (b.src, b.tgt) if isinstance(b, Bead) else b
        s, t = tuple(s), tuple(t)
        if s or t:
            out.add((s, t))
    return out


def _counts(gold: set[Pair], test: set[Pair]) -> tuple[int, int, int, int]:
    """(tp_strict, fp_strict, tp_lax, fp_lax) of ``test`` against ``gold`` (Vecalign's ``_precision``)."""
    src_to_gold_tgt: dict[int, set[int]] = defaultdict(set)
    for gs, gt in gold:
        for i in gs:
            src_to_gold_tgt[i].update(gt)
    tps = fps = tpl = fpl = 0
    for ts, tt in test:
        if (ts, tt) in gold:
            tps += 1
            tpl += 1
            continue
        fps += 1
        linked: set[int] = set()
        for i in ts:
            linked |= src_to_gold_tgt.get(i, set())
        if linked.intersection(tt):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


def _div(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_docs(gold_docs: Sequence[Sequence[Bead]], test_docs: Sequence[Sequence[Bead]]) -> dict:
    """Pooled strict/lax P/R/F1 over documents, plus the raw counts and null-bead P/R."""
    if len(gold_docs) != len(test_docs):
        raise ScoreError(f"{len(gold_docs)} gold documents but {len(test_docs)} test documents")
    pc = [0, 0, 0, 0]
    rc = [0, 0, 0, 0]
    null_tp = null_test = null_gold = 0
    for g, t in zip(gold_docs, test_docs):
        gs, ts = _pairs(g), _pairs(t)
        for k, v in enumerate(_counts(gs, ts)):
            pc[k] += v
        g_full = {p for p in gs if p[0] and p[1]}
        t_full = {p for p in ts if p[0] and p[1]}
        for k, v in enumerate(_counts(t_full, g_full)):
            rc[k] += v
        gn, tn = gs - g_full, ts - t_full
        null_tp += len(gn & tn)
        null_test += len(tn)
        null_gold += len(gn)
    ps, rs = _div(pc[0], pc[0] + pc[1]), _div(rc[0], rc[0] + rc[1])
    pl, rl = _div(pc[2], pc[2] + pc[3]), _div(rc[2], rc[2] + rc[3])
    np_, nr = _div(null_tp, null_test), _div(null_tp, null_gold)
    return {
        "strict": {"precision": ps, "recall": rs, "f1": _f1(ps, rs)},
        "lax": {"precision": pl, "recall": rl, "f1": _f1(pl, rl)},
        "null": {"precision": np_, "recall": nr, "f1": _f1(np_, nr), "test": null_test, "gold": null_gold},
        "counts": {
            "test_beads": pc[0] + pc[1],
            "gold_beads_nonnull": rc[0] + rc[1],
            "strict_tp_precision": pc[0],
            "strict_tp_recall": rc[0],
            "lax_tp_precision": pc[2],
            "lax_tp_recall": rc[2],
        },
    }


def score(gold: Sequence[Bead], test: Sequence[Bead]) -> dict:
    """Scores of one document (see :func:`score_docs`)."""
    return score_docs([gold], [test])
