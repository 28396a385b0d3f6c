"""Second alignment pass on token-level coverage: merges, splits and nulls near uncertain beads.

Sums of sentence vectors find the right region but not the bead boundaries (Text+Berg dev: lax F1 0.985, strict
0.868); token vectors tell whether a sentence belongs in a bead. For each sentence x of a candidate bead, ``cov_x``
is the mean over x's word tokens of the best cosine to any token of the other side's span (middle-layer token
states of the bundled e5-small, ``E5SmallTorch.token_states``). The bead gains
``weight * Σ_x (cov_x − centre) − mn_penalty * (a + b − 2)`` on top of its first-pass gain, and the DP runs again
only near the first path (``band`` cells either side), keeping every confident first-pass 1-1 bead.

Defaults (tuning sets only): weight 0.5, centre 0.4, mn_penalty 0.02, conf 0.9, layer 6, band 3. A lower centre
merges inserted and deleted sentences into their neighbours. What was tried and not adopted, with numbers:
``docs/experiments/aligner.md``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import dpkernel
from .e5torch import word_piece_mask

NEG = -1e30


def sentence_tokens(model, texts: Sequence[str], layer: int, which: Sequence[int] | None = None) -> list[np.ndarray | None]:
    """Unit-length token vectors (float16, to halve the memory) of each text's word pieces (punctuation-only
    pieces dropped, unless that leaves none) after ``layer`` layers of ``model`` (an ``E5SmallTorch``); only
    for the texts at indices ``which`` when given (None for the others)."""
    idx = range(len(texts)) if which is None else sorted(which)
    out: list[np.ndarray | None] = [None] * len(texts)
    for i, (v, pieces) in zip(idx, model.token_states([texts[i] for i in idx], layer=layer)):
        mask = word_piece_mask(pieces)
        v = np.asarray(v, dtype=np.float32)
        v = v[mask] if mask.any() else v
        if not len(v):
            v = np.zeros((1, 1), np.float32)
        out[i] = (v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)).astype(np.float16)
    return out


def _bounds(path) -> list[tuple[int, int, int, int]]:
    out, i0, j0 = [], 0, 0
    for b in path:
        i1, j1 = i0 + len(b.src), j0 + len(b.tgt)
        out.append((i0, j0, i1, j1))
        i0, j0 = i1, j1
    return out


def frozen(path, conf: float, nbh: int = 1) -> list[bool]:
    """Which first-pass beads the token pass keeps: confident 1-1 beads (score ≥ ``conf``) with no uncertain
    bead (m-n, null, or a 1-1 below ``conf``) within ``nbh`` beads."""
    unsure = [not (b.kind == "1-1" and b.score >= conf) for b in path]
    return [not any(unsure[max(0, q - nbh): q + nbh + 1]) for q in range(len(path))]


def needed(path, conf: float, nbh: int = 1) -> tuple[set[int], set[int]]:
    """The source and target sentences the token pass reads: those of the beads it may change (a bead can
    only regroup sentences between two kept beads, so the kept ones need no token vectors)."""
    src: set[int] = set()
    tgt: set[int] = set()
    for b, keep in zip(path, frozen(path, conf, nbh)):
        if not keep:
            src.update(b.src)
            tgt.update(b.tgt)
    return src, tgt


def coverage_gains(path, lo: np.ndarray, valid: np.ndarray, types, S: list[np.ndarray], T: list[np.ndarray],
                   band: int, weight: float, centre: float, mn_penalty: float) -> np.ndarray:
    """Extra gain of every bead type at every DP layout cell within ``band`` of ``path`` (shape
    ``(n+1, len(types), W)``; NaN where not computed, i.e. off the band or touching a sentence without
    token vectors: such candidates are excluded from the second pass)."""
    n, m = len(S), len(T)
    W = valid.shape[1]
    amax = max(a for a, _ in types)
    bmax = max(b for _, b in types)
    lo2, hi2 = dpkernel.band_from_path(path, n, m, 1, band)
    # per source sentence s: the best cosine of each of its tokens against each target sentence in reach (R),
    # and per (s, t) the best cosine of each of t's tokens against s (C)
    R: dict[int, tuple[int, np.ndarray]] = {}
    C: dict[tuple[int, int], np.ndarray] = {}
    for s in range(n):
        j0 = max(0, int(lo2[s + 1]) - bmax - 1)
        j1 = min(m, int(hi2[min(n, s + amax)]))
        have = [j for j in range(j0, j1) if T[j] is not None]
        if j1 <= j0 or S[s] is None or not have:
            continue
        off = np.cumsum([0] + [len(T[j]) for j in have])
        sim = S[s].astype(np.float32) @ np.concatenate([T[j] for j in have]).astype(np.float32).T
        r = np.full((len(S[s]), j1 - j0), -2.0, np.float32)  # -2: no token vectors (never a candidate)
        for q, j in enumerate(have):
            r[:, j - j0] = sim[:, off[q]:off[q + 1]].max(1)
            C[(s, j)] = sim[:, off[q]:off[q + 1]].max(0)
        R[s] = (j0, r)
    cov_s: dict = {}
    cov_t: dict = {}

    def src_cov(s: int, j0: int, b: int) -> float:
        if (s, j0, b) not in cov_s:
            jr, r = R[s]
            cov_s[(s, j0, b)] = float(r[:, j0 - jr:j0 - jr + b].max(1).mean())
        return cov_s[(s, j0, b)]

    def tgt_cov(t: int, i0: int, a: int) -> float:
        if (t, i0, a) not in cov_t:
            cov_t[(t, i0, a)] = float(np.max([C[(s, t)] for s in range(i0, i0 + a)], axis=0).mean())
        return cov_t[(t, i0, a)]

    extra = np.full((n + 1, len(types), W), np.nan, np.float32)
    for i in range(1, n + 1):
        for k in range(W):
            j = int(lo[i]) + k
            if j < 1 or not valid[i, k] or j < lo2[i] or j >= hi2[i]:
                continue
            for ti, (a, b) in enumerate(types):
                if i < a or j < b:
                    continue
                i0, j0 = i - a, j - b
                if not all(s in R and R[s][0] <= j0 and j <= R[s][0] + R[s][1].shape[1] for s in range(i0, i)):
                    continue
                if not all((s, t) in C for s in range(i0, i) for t in range(j0, j)):
                    continue
                total = sum(src_cov(s, j0, b) for s in range(i0, i)) + sum(tgt_cov(t, i0, a) for t in range(j0, j))
                extra[i, ti, k] = weight * (total - centre * (a + b)) - mn_penalty * (a + b - 2)
    return extra


def adjuster(path, S: list[np.ndarray], T: list[np.ndarray], *, band: int, weight: float, centre: float,
             mn_penalty: float, conf: float, nbh: int = 1):
    """The ``adjust`` hook of ``align.aligner._dp`` for the second pass: adds :func:`coverage_gains` to the
    first pass's gains, keeps confident 1-1 beads away from uncertain ones fixed, and excludes every
    candidate outside the narrow band."""

    def adjust(G: np.ndarray, valid: np.ndarray, lo: np.ndarray, types) -> tuple[np.ndarray, np.ndarray]:
        n, m = len(S), len(T)
        W = valid.shape[1]
        nt = len(types)
        extra = coverage_gains(path, lo, valid, types, S, T, band, weight, centre, mn_penalty)
        lo2, hi2 = dpkernel.band_from_path(path, n, m, 1, band)
        G2 = G.copy()
        t11 = list(types).index((1, 1)) if (1, 1) in types else None
        ta = np.array([a for a, _ in types])
        for keep_bead, (i0, j0, i1, j1) in zip(frozen(path, conf, nbh), _bounds(path)):
            if not keep_bead or t11 is None:
                continue
            # a confident 1-1 bead stays: the path passes through (i0, j0) and (i1, j1)
            lo2[i1] = max(lo2[i1], j1)
            hi2[i0] = min(hi2[i0], j0 + 1)
            k1 = j1 - int(lo[i1])
            extra[i1, t11, k1] = 0.0  # every path takes this bead: its token gain (maybe never computed) is moot
            keep = G2[i1, t11, k1]
            G2[i1, :, k1:] = NEG  # on row i1 nothing (not even a null bead) ends right of j1; at j1 only the 1-1
            G2[i1, t11, k1] = keep
            for i in range(i1 + 1, min(n, i1 + int(ta.max())) + 1):  # no bead spans across row i1
                G2[i, np.where(i - ta < i1)[0], :] = NEG
        lo2 = np.maximum.accumulate(lo2)
        hi2 = np.minimum.accumulate(hi2[::-1])[::-1]
        J = lo[:, None] + np.arange(W)[None, :]
        valid2 = valid & (J >= lo2[:, None]) & (J < hi2[:, None])
        G2[:, :nt] += np.nan_to_num(extra, nan=0.0)
        G2[:, :nt][np.isnan(extra)] = NEG
        G2 = np.where(valid2[:, None, :], G2, np.float32(NEG)).astype(np.float32)
        return G2, valid2

    return adjust
