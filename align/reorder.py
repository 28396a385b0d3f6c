"""Moved sentences: link a sentence one edition moved elsewhere into one crossing 1-1 bead.

Why: a rewrite reorders (a quote moved to the end, background moved up). A monotone alignment cannot pair a moved
sentence with its rendering, so it leaves a 1-0 bead at the source position and a 0-1 bead at the target
position, which the flag stage would report as an omission plus an addition. :func:`link_moved` runs after
alignment and pairs such a source sentence with such a target sentence when their embeddings say they are the
same sentence (cosine at least ``min_sim``, each the other's best among the unaligned sentences), into one 1-1
bead at the source sentence's place; its target index crosses its neighbours'. The flag stage then compares the
two like any bead (a moved sentence may still carry a changed number). Null beads next to each other are not linked
(a replacement the aligner already weighed as a 1-1); a doubtful 1-1 bead may give up its target sentence to a
moved sentence that renders it clearly better.
Default ``min_sim`` 0.85 (``AlignConfig.moved_sim``): above the cosine of same-topic different sentences with the
bundled e5-small (about 0.78-0.84), below that of a ru sentence and its English rewrite.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np


def link_moved(beads: Sequence, es: np.ndarray, et: np.ndarray, min_sim: float | None = 0.85,
               margin: float = 0.03) -> list:
    """``beads`` with each moved sentence linked: a 1-0 bead's source sentence and a target sentence it matches
    (cosine at least ``min_sim``, each the other's best) become one 1-1 bead at the 1-0 bead's position, scored by
    their cosine. The target sentence is taken from a 0-1 bead in another gap (that bead goes), or from a doubtful
    1-1 bead (its own cosine below ``min_sim`` and at least ``margin`` below the new pair's; not the 1-0 bead's
    neighbour), whose source sentence is left as a 1-0 bead: a moved quote the aligner paired with the background
    sentence in its slot. ``es`` / ``et`` are the L2-normalised sentence embeddings; ``min_sim=None`` returns the
    beads unchanged."""
    beads = list(beads)
    if min_sim is None:
        return beads
    srcs = [k for k, b in enumerate(beads) if len(b.src) == 1 and not b.tgt]
    own = {k: float(es[b.src[0]] @ et[b.tgt[0]]) for k, b in enumerate(beads) if len(b.src) == 1 and len(b.tgt) == 1}
    tgts = [k for k, b in enumerate(beads) if (len(b.tgt) == 1 and not b.src) or own.get(k, 1.0) < min_sim]
    if not srcs or not tgts:
        return beads
    # position of each bead among the aligned ones: two null beads with no aligned bead between them are one gap
    gap, seen = [], 0
    for b in beads:
        seen += bool(b.src and b.tgt)
        gap.append(seen)
    sim = np.asarray(es[[beads[k].src[0] for k in srcs]] @ et[[beads[k].tgt[0] for k in tgts]].T, dtype=np.float64)
    best_t, best_s = sim.argmax(axis=1), sim.argmax(axis=0)
    links: dict[int, tuple[int, float]] = {}
    for a, b in enumerate(best_t):
        q, k, s = srcs[a], tgts[b], float(sim[a, b])
        if best_s[b] != a or s < min_sim:
            continue
        if k in own:  # a doubtful 1-1 bead: the moved sentence renders its target better than its own source
            if s < own[k] + margin or abs(q - k) <= 1:
                continue
        elif gap[q] == gap[k]:
            continue
        links[q] = (k, s)
    if not links:
        return beads
    taken = {k: q for q, (k, _) in links.items()}
    out = []
    for k, b in enumerate(beads):
        if k in links:
            t, s = links[k]
            out.append(replace(b, tgt=beads[t].tgt, score=round(s, 4)))
        elif k in taken:
            if b.src:  # the doubtful bead's source sentence stays where it is, now without a counterpart
                out.append(replace(b, tgt=(), score=0.0))
        else:
            out.append(b)
    return out
