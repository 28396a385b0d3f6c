"""The best path through the aligner's own candidate beads: how much of an alignment error is the scores' and how
much the search space's (``scripts/eval_alignment.py --oracle``). Evaluation only, so it lives with the evaluation
code, not in ``align``: it reads the candidate lattice that ``align.aligner.align_embedded(..., lattice={})`` fills.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from align import dpkernel
from align.aligner import NEG
from align.records import Bead


def oracle_path(lattice: dict, gold: Sequence[Bead]) -> list[Bead]:
    """The path through a DP's candidate beads (``lattice``, filled by ``align.aligner.align_embedded``) with the most beads
    of ``gold``: what the best rescoring of the same candidates could reach. ``scripts/eval_alignment.py
    --oracle`` reports it, to tell errors of the search space (the gold bead was never a candidate: a type the
    aligner lacks, a bead the token pass kept fixed, a cell off the band) from errors of the scores.

    A gold bead among the candidates gains 1 and every other candidate loses 0.01. A 0-1 step has one constant
    gain in the DP (it is not a cell of the lattice), so it always loses 0.01: gold 0-1 beads are taken where the
    path needs them but not sought, and the oracle is a lower bound of the best path. The result is not passed
    through ``align.aligner.split_orphans``."""
    G, valid, lo, types, m = lattice["G"], lattice["valid"], lattice["lo"], tuple(lattice["types"]), lattice["m"]
    nt = len(types)
    ok = G > NEG / 2
    O = np.where(ok, np.float32(-0.01), np.float32(NEG))
    for b in gold:
        if len(b.src) == 1 and not b.tgt:  # the 1-0 channel (one source sentence, whatever the column)
            O[b.src[0] + 1, nt][ok[b.src[0] + 1, nt]] = 1.0
        elif b.src and b.tgt and isinstance(cell := lattice_cell(lattice, b), tuple):
            O[cell] = 1.0
    sa, sb = [a for a, _ in types] + [1], [b for _, b in types] + [0]
    steps, _ = dpkernel.dp_path(O, lo, valid, sa, sb, -0.01, m)
    beads = []
    for t, i, j in steps.tolist():
        if t < nt:
            a, b = types[t]
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), 1.0))
        else:
            beads.append(Bead((i - 1,), (), 1.0) if t == nt else Bead((), (j - 1,), 1.0))
    return beads


def lattice_cell(lattice: dict, b: Bead) -> tuple[int, int, int] | str:
    """Where a bead with two sides ends among a DP's candidate beads (``lattice``, see :func:`oracle_path`): its
    (row, type, layout column), or why it is not a candidate: ``non_contiguous`` (no monotone path holds it),
    ``bead_type`` (a type beyond the DP's) or ``not_a_candidate`` (off the band, or excluded by the token pass)."""
    types = tuple(lattice["types"])
    i, j = b.src[-1] + 1, b.tgt[-1] + 1
    if list(b.src) != list(range(b.src[0], i)) or list(b.tgt) != list(range(b.tgt[0], j)):
        return "non_contiguous"
    if (len(b.src), len(b.tgt)) not in types:
        return "bead_type"
    t, k = types.index((len(b.src), len(b.tgt))), j - int(lattice["lo"][i])
    G = lattice["G"]
    if 0 <= k < G.shape[2] and lattice["valid"][i, k] and G[i, t, k] > NEG / 2:
        return i, t, k
    return "not_a_candidate"
