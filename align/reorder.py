"""Rewrites: moved and swapped sentences, and attribution tags, put where the other edition has them.

Three passes after the monotone alignment (``align.aligner._rewrite_passes``, in this order): :func:`unswap` splits
an m-n bead that holds two blocks the other edition swapped into crossing beads; :func:`fold_tags` puts a source tag
sentence («Об этом сообщили в …») into the bead whose rendering names its source, or alone; :func:`link_moved` links
a sentence one edition moved elsewhere into one crossing 1-1 bead.

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

import math
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
    sentence in its slot. The same runs the other way round: a 0-1 bead's target sentence takes its source sentence
    from a 0-1 bead elsewhere or from a doubtful 1-1 bead (a moved sentence the aligner paired with an unlike one).
    ``es`` / ``et`` are the L2-normalised sentence embeddings; ``min_sim=None`` returns the beads unchanged."""
    beads = list(beads)
    if min_sim is None:
        return beads
    beads = _link_one_way(beads, es, et, min_sim, margin)
    flipped = _link_one_way([replace(b, src=b.tgt, tgt=b.src) for b in beads], et, es, min_sim, margin)
    return [replace(b, src=b.tgt, tgt=b.src) for b in flipped]


def _link_one_way(beads: list, es: np.ndarray, et: np.ndarray, min_sim: float, margin: float) -> list:
    """:func:`link_moved` for moved source sentences (1-0 beads)."""
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


# --------------------------------------------------------------------------- swapped sentences inside one bead
_LOCAL_TYPES = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1))


def _span_cos(es: np.ndarray, et: np.ndarray, s: Sequence[int], t: Sequence[int]) -> float:
    a, b = es[list(s)].sum(axis=0), et[list(t)].sum(axis=0)
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))


def _monotone(src: Sequence[int], tgt: Sequence[int], es: np.ndarray, et: np.ndarray, pivot: float,
              mn_penalty: float, nulls: bool = True, whole: bool = True
              ) -> tuple[float, list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """The best monotone split of one block of sentences into beads (the types of ``_LOCAL_TYPES``; with ``nulls``,
    null beads; without ``whole``, not the block as one bead): a bead gains its sides' cosine minus ``pivot`` minus
    ``mn_penalty`` per sentence beyond 1-1, a null bead 0. ``(-inf, [])`` when there is no such split."""
    n, m = len(src), len(tgt)
    best = {(0, 0): (0.0, [])}
    types = _LOCAL_TYPES + (((1, 0), (0, 1)) if nulls else ())
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) == (0, 0):
                continue
            opts = []
            for a, b in types:
                if (a, b) == (n, m) and not whole:
                    continue
                if a <= i and b <= j and (i - a, j - b) in best:
                    g, path = best[(i - a, j - b)]
                    s, t = tuple(src[i - a:i]), tuple(tgt[j - b:j])
                    gain = 0.0 if not (a and b) else _span_cos(es, et, s, t) - pivot - mn_penalty * (a + b - 2)
                    opts.append((g + gain, path + [(s, t)]))
            if opts:
                best[(i, j)] = max(opts, key=lambda o: o[0])
    return best.get((n, m), (-math.inf, []))


def unswap(beads: Sequence, es: np.ndarray, et: np.ndarray, min_sim: float | None = 0.85,
           margin: float = 0.05, mn_penalty: float = 0.02) -> list:
    """``beads`` with each m-n bead (m, n >= 2) that holds sentences the other edition swapped split into crossing
    beads: a rewrite that moves a sentence by one place (the quote after the figure instead of before it) makes a
    monotone aligner merge both into one 2-2 bead. For a source block ``S1 S2`` and target block ``T1 T2`` of one
    bead, the inverted split (``S1`` ↔ ``T2``, ``S2`` ↔ ``T1``, each block then split monotonically into beads and
    null beads) replaces the bead when it scores ``margin`` more than the best monotone split of the bead into two or
    more beads with two sides (not the bead itself, whose summed vectors do not see order; not null beads: the
    aligner already preferred the bead to leaving sentences out). Scores on raw cosines: a bead gains cosine − ``min_sim`` (0.85: above same-topic different
    sentences, below a sentence and its rewrite, as in :func:`link_moved`) − ``mn_penalty`` per extra sentence, a
    null bead 0; every crossed pair must reach ``min_sim``. ``min_sim=None`` returns the beads unchanged."""
    beads = list(beads)
    if min_sim is None:
        return beads
    out: list = []
    for b in beads:
        m, n = len(b.src), len(b.tgt)
        if m < 2 or n < 2 or m + n > 8:
            out.append(b)
            continue
        straight, _ = _monotone(b.src, b.tgt, es, et, min_sim, mn_penalty, nulls=False, whole=False)
        best = None
        for p in range(1, m):
            for q in range(1, n):
                g1, p1 = _monotone(b.src[:p], b.tgt[q:], es, et, min_sim, mn_penalty)
                g2, p2 = _monotone(b.src[p:], b.tgt[:q], es, et, min_sim, mn_penalty)
                pairs = [(s, t) for s, t in p1 + p2 if s and t]
                if len(pairs) < 2 or any(_span_cos(es, et, s, t) < min_sim for s, t in pairs):
                    continue
                if best is None or g1 + g2 > best[0]:
                    best = (g1 + g2, p1 + p2)
        if best is None or best[0] < straight + margin:
            out.append(b)
            continue
        for s, t in best[1]:
            if s and t:
                out.append(replace(b, src=s, tgt=t, score=round(_span_cos(es, et, s, t), 4)))
            else:  # confidence that the sentence has no counterpart: its best cosine in the bead against min_sim
                own, other = (es[list(s)], et[list(b.tgt)]) if s else (et[list(t)], es[list(b.src)])
                c = float((own @ other.T).max())
                out.append(replace(b, src=s, tgt=t, score=round(1.0 / (1.0 + math.exp(25.0 * (c - min_sim))), 4)))
    return out


# --------------------------------------------------------------------------- attribution tags
def fold_tags(beads: Sequence, src: Sequence[str], tgt: Sequence[str], es: np.ndarray, et: np.ndarray,
              src_lang: str | None, tgt_lang: str | None, min_sim: float | None = 0.85) -> list:
    """``beads`` with each attribution tag sentence put where the other edition says who said it.

    A tag sentence (``align.flags.semantic.attribution_tag``: «Об этом сообщили в пресс-службе министерства.», "This
    was reported by …") only names the source of the sentence before it. A rewrite folds it into that sentence's
    rendering ("…, the ministry's press service said") or drops it. So the tag joins the bead of the sentence before
    it when that bead's other side names the tag's source (``attribution_rendered``), and is a null bead of its own
    when it does not; a tag the aligner paired with an unlike sentence (cosine below ``min_sim``) leaves that sentence
    as a null bead. Languages without attribution cues are left as they are. Works on either side."""
    from align.flags.semantic import attribution_rendered, attribution_tag

    beads = list(beads)
    if min_sim is None or not beads:
        return beads
    for side, texts, lang, otexts, olang in (("src", src, src_lang, tgt, tgt_lang), ("tgt", tgt, tgt_lang, src, src_lang)):
        other = "tgt" if side == "src" else "src"
        E, F = (es, et) if side == "src" else (et, es)
        for i in range(1, len(texts)):
            if not attribution_tag(texts[i], lang or "", whole_sentence=True):
                continue
            where = {x: k for k, b in enumerate(beads) for x in getattr(b, side)}
            k, h = where.get(i), where.get(i - 1)
            if k is None or h is None:
                continue
            host = beads[h]
            host_other = " ".join(otexts[j] for j in getattr(host, other))
            rendered = bool(host_other) and attribution_rendered(texts[i], lang or "", host_other, olang or "")
            mine = getattr(host, side)
            if k == h:
                if not rendered and mine[-1] == i and len(mine) > 1:  # the rendering leaves the source out
                    beads[h:h + 1] = [replace(host, **{side: mine[:-1]}), replace(host, **{side: (i,), other: ()},
                                                                                   score=1.0)]
                continue
            tag = beads[k]
            if not rendered or mine[-1] != i - 1 or getattr(tag, side) != (i,):
                continue
            partner = getattr(tag, other)
            if partner and (len(partner) > 1 or float(E[i] @ F[partner[0]]) >= min_sim):
                continue
            beads[h] = replace(host, **{side: mine + (i,)})
            if partner:  # the unlike sentence the tag was paired with has no counterpart here
                beads[k] = replace(tag, **{side: (), "score": 0.0})
            else:
                del beads[k]
    return beads
