"""Moved sentences: link a sentence one edition moved elsewhere into one crossing 1-1 bead.

Why: a rewrite reorders (a quote moved to the end, background moved up). A monotone alignment cannot pair a moved
sentence with its rendering, so it leaves a 1-0 bead at the source position and a 0-1 bead at the target
position, which the flag stage would report as an omission plus an addition. :func:`link_moved` runs after
alignment and pairs such a source sentence with such a target sentence when their embeddings say they are the
same sentence (cosine at least ``min_sim``, each the other's best among the unaligned sentences), into one 1-1
bead at the source sentence's place; its target index crosses its neighbours'. The flag stage then compares the
two like any bead (a moved sentence may still carry a changed number). Only null beads separated by at least one
aligned bead are linked: next to each other they are a replacement the aligner already weighed as a 1-1.
Default ``min_sim`` 0.85 (``AlignConfig.moved_sim``): above the cosine of same-topic different sentences with the
bundled e5-small (about 0.78-0.84), below that of a ru sentence and its English rewrite.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np


def link_moved(beads: Sequence, es: np.ndarray, et: np.ndarray, min_sim: float | None = 0.85) -> list:
    """``beads`` with each linked (1-0, 0-1) pair replaced by one 1-1 bead at the 1-0 bead's position, scored by the
    pair's cosine; ``es`` / ``et`` are the L2-normalised sentence embeddings. ``min_sim=None`` returns the beads."""
    beads = list(beads)
    if min_sim is None:
        return beads
    srcs = [k for k, b in enumerate(beads) if len(b.src) == 1 and not b.tgt]
    tgts = [k for k, b in enumerate(beads) if len(b.tgt) == 1 and not b.src]
    if not srcs or not tgts:
        return beads
    # position of each bead among the aligned ones: two null beads with no aligned bead between them are one gap
    gap, seen = [], 0
    for b in beads:
        seen += bool(b.src and b.tgt)
        gap.append(seen)
    sim = es[[beads[k].src[0] for k in srcs]] @ et[[beads[k].tgt[0] for k in tgts]].T
    sim = np.asarray(sim, dtype=np.float64)
    # mutual best matches above the floor
    best_t, best_s = sim.argmax(axis=1), sim.argmax(axis=0)
    links: dict[int, tuple[int, float]] = {}
    for a, b in enumerate(best_t):
        s = float(sim[a, b])
        if best_s[b] == a and s >= min_sim and gap[srcs[a]] != gap[tgts[b]]:
            links[srcs[a]] = (tgts[b], s)
    if not links:
        return beads
    drop = {t for t, _ in links.values()}
    out = []
    for k, b in enumerate(beads):
        if k in drop:
            continue
        if k in links:
            t, s = links[k]
            b = replace(b, tgt=beads[t].tgt, score=round(s, 4))
        out.append(b)
    return out
