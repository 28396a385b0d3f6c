"""Baselines that the evaluation and benchmark scripts run next to the aligner, on the same embeddings.

``sentweave_vecalign``: Vecalign's search (the ``sentweave`` package: Thompson & Koehn 2019's
recursive DP with its cost, deletion penalty and normalisation) given the aligner's own sentence
vectors. Vecalign embeds every concatenation of up to ``overlaps`` consecutive sentences; here the
multi-sentence vectors are the normalised sums of the member vectors, the same shortcut the aligner
takes, so neither side re-encodes and the comparison isolates the search and its scoring.
"""

from __future__ import annotations

import time

import numpy as np


def overlap_vectors(e: np.ndarray, overlaps: int) -> np.ndarray:
    """Vecalign's ``layer`` array (overlaps, n, d), front-padded like ``sentweave.dp_utils.layer``:
    row k-1, i = the normalised sum of the k sentences *ending* at i (i-k+1..i). The first k-1 slots
    (Vecalign embeds the string "PAD" there; no k-span ends there, so the search never uses them)
    hold the shorter prefix sums."""
    n = len(e)
    p = np.concatenate([np.zeros((1, e.shape[1])), np.cumsum(e, axis=0, dtype=np.float64)])
    v = np.zeros((overlaps, n, e.shape[1]), np.float32)
    end = np.arange(1, n + 1)  # prefix index one past sentence i
    for k in range(1, overlaps + 1):
        v[k - 1] = p[end] - p[np.maximum(end - k, 0)]
    v /= np.maximum(np.linalg.norm(v, axis=2, keepdims=True), 1e-12)
    return v


def sentweave_vecalign(es: np.ndarray, et: np.ndarray, *, max_size: int = 5, overlaps: int = 4):
    """Align with Vecalign's search; returns (seconds of the search alone, beads; a bead's score is
    Vecalign's cost, lower is better). Raises ImportError without the ``sentweave`` package (in the
    project's ``test`` extra)."""
    from sentweave.dp_utils import make_alignment_types, vecalign

    from corpus.records import Bead

    if len(es) == 0 or len(et) == 0:
        beads = [Bead((i,), ()) for i in range(len(es))] + [Bead((), (j,)) for j in range(len(et))]
        return 0.0, beads
    v0, v1 = overlap_vectors(es, overlaps), overlap_vectors(et, overlaps)
    np.random.seed(42)  # Vecalign samples the cost normaliser
    t = time.perf_counter()
    stack = vecalign(vecs0=v0, vecs1=v1, final_alignment_types=make_alignment_types(max_size),
                     del_percentile_frac=0.2, width_over2=int(np.ceil(overlaps / 2)) + 5,
                     max_size_full_dp=300, costs_sample_size=20_000, num_samps_for_norm=100)
    seconds = time.perf_counter() - t
    top = stack[0]
    beads = [Bead(tuple(int(i) for i in a), tuple(int(j) for j in b), float(s))
             for (a, b), s in zip(top["final_alignments"], top["alignment_scores"])]
    return seconds, beads


# --------------------------------------------------------------------------- Bertalign's search
# Written from the Bertalign paper (Liu & Zhu 2022, "Bertalign: Improved word embedding-based sentence alignment
# for Chinese-English parallel corpora of literary texts") and the behaviour of its reference implementation
# (bertalign/corelib.py), with its published defaults: max_align=5, top_k=3, win=5, skip=-0.1, margin and length
# penalty on; first-pass window max(250, 6 % of the longer side). Top-k search by exact inner product (numpy
# instead of faiss: same neighbours), DP scores in float64 (the reference keeps float32 tables).

def _bertalign_kernels():
    import numba

    @numba.njit(cache=True)
    def first_pass(n, m, lo, hi, top_i, top_d):  # pragma: no cover - compiled
        # 1-1 anchors: a monotone path of 0-1 / 1-0 / 1-1 steps; a 1-1 step into (i, j) earns the cosine of
        # (i-1, j-1) when j-1 is one of i-1's top-k targets, every other step earns 0. Ties: 0-1, 1-0, 1-1.
        W = (hi - lo).max() + 1
        cost = np.full((n + 1, W), -np.inf)
        ptr = np.full((n + 1, W), -1, np.int8)
        sa = (0, 1, 1)
        sb = (1, 0, 1)
        for i in range(n + 1):
            for j in range(lo[i], hi[i] + 1):
                if i == 0 and j == 0:
                    cost[0, 0 - lo[0]] = 0.0
                    continue
                best, arg = -np.inf, -1
                for t in range(3):
                    pi, pj = i - sa[t], j - sb[t]
                    if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                        continue
                    s = cost[pi, pj - lo[pi]]
                    if t == 2:
                        for q in range(top_i.shape[1]):
                            if top_i[i - 1, q] == j - 1:
                                s += top_d[i - 1, q]
                    if s > best:
                        best, arg = s, t
                cost[i, j - lo[i]] = best
                ptr[i, j - lo[i]] = arg
        return ptr

    @numba.njit(cache=True)
    def second_pass(vs, vt, ls, lt, lo, hi, ta, tb, ratio, skip, margin, len_penalty):  # pragma: no cover
        # vs[k-1, i]: vector of the k source sentences ending at sentence i (0-based); ls its length in bytes
        n, m = vs.shape[1], vt.shape[1]
        W = (hi - lo).max() + 1
        cost = np.full((n + 1, W), -np.inf)
        ptr = np.full((n + 1, W), -1, np.int8)
        for i in range(n + 1):
            for j in range(lo[i], hi[i] + 1):
                if i == 0 and j == 0:
                    cost[0, 0 - lo[0]] = 0.0
                    continue
                best, arg = -np.inf, -1
                for t in range(ta.shape[0]):
                    a, b = ta[t], tb[t]
                    pi, pj = i - a, j - b
                    if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                        continue
                    if a == 0 or b == 0:
                        g = skip
                    else:
                        x = vs[a - 1, i - 1]
                        y = vt[b - 1, j - 1]
                        g = np.dot(x, y)
                        if margin:
                            # the span's mean similarity to the single sentences just outside the other span
                            # (a missing or zero side is not counted in the mean)
                            r = np.dot(x, vt[0, j]) if j + 1 <= m else 0.0
                            l_ = np.dot(x, vt[0, j - b - 1]) if j - b > 0 else 0.0
                            nt = (l_ + r) / 2 if (l_ != 0 and r != 0) else l_ + r
                            r = np.dot(y, vs[0, i]) if i + 1 <= n else 0.0
                            l_ = np.dot(y, vs[0, i - a - 1]) if i - a > 0 else 0.0
                            ns = (l_ + r) / 2 if (l_ != 0 and r != 0) else l_ + r
                            g -= (nt + ns) / 2
                        if len_penalty:
                            sl, tl = ls[a - 1, i - 1], lt[b - 1, j - 1] * ratio
                            g *= np.log2(1 + min(sl, tl) / max(sl, tl))
                    s = cost[pi, pj - lo[pi]] + g
                    if s > best:
                        best, arg = s, t
                cost[i, j - lo[i]] = best
                ptr[i, j - lo[i]] = arg
        return ptr

    return first_pass, second_pass


_BERTALIGN = None


def span_layers(e: np.ndarray, texts: list[str], k: int, span_vecs: dict | None = None):
    """(k, n, d) vectors and (k, n) UTF-8 byte lengths of the spans of 1..k sentences *ending* at each sentence
    (" "-joined, as Bertalign joins them): the normalised sums of the sentence vectors, or the vectors in
    ``span_vecs`` ((start, length) -> vector of the re-embedded concatenation) where given. Slots where no span
    of that size ends hold the shorter prefix (never read by the search)."""
    v = overlap_vectors(e, k)
    b = np.array([len(t.encode("utf-8")) for t in texts], dtype=np.float64)
    cb = np.concatenate([[0.0], np.cumsum(b)])
    n = len(texts)
    lens = np.zeros((k, n))
    end = np.arange(1, n + 1)
    for q in range(1, k + 1):
        st = np.maximum(end - q, 0)
        lens[q - 1] = cb[end] - cb[st] + (end - st - 1)
        if span_vecs and q >= 2:
            for i in range(q - 1, n):
                got = span_vecs.get((i - q + 1, q))
                if got is not None:
                    v[q - 1, i] = got
    return v, lens


def bertalign_search(es: np.ndarray, et: np.ndarray, src: list[str], tgt: list[str], *, max_align: int = 5,
                     top_k: int = 3, win: int = 5, skip: float = -0.1, margin: bool = True, len_penalty: bool = True,
                     span_vecs: tuple[dict, dict] | None = None):
    """Bertalign's two-pass search on given sentence vectors; returns (seconds of the search, beads with score 0).
    Multi-sentence vectors: normalised sums of the sentence vectors, or with ``span_vecs`` (source, target dicts
    of ``(start, length) -> vector``) the re-embedded concatenations of up to ``max_align - 1`` sentences."""
    global _BERTALIGN
    from corpus.records import Bead

    n, m = len(es), len(et)
    if n == 0 or m == 0:
        return 0.0, [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    if _BERTALIGN is None:
        _BERTALIGN = _bertalign_kernels()
        _bertalign_warm()
    first_pass, second_pass = _BERTALIGN
    k = max_align - 1
    vs, ls = span_layers(es, src, k, span_vecs[0] if span_vecs else None)
    vt, lt = span_layers(et, tgt, k, span_vecs[1] if span_vecs else None)
    t0 = time.perf_counter()
    # first pass: 1-1 anchors
    sim = es @ et.T
    kk = min(top_k, m)
    top_i = np.argpartition(-sim, kk - 1, axis=1)[:, :kk]
    top_d = np.take_along_axis(sim, top_i, 1).astype(np.float64)
    w1 = max(250, int(max(n, m) * 0.06))
    c = (m / n * np.arange(n + 1)).astype(np.int64)
    lo1, hi1 = np.maximum(0, c - w1), np.minimum(c + w1, m)
    ptr = first_pass(n, m, lo1, hi1, top_i.astype(np.int64), top_d)
    anchors = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(ptr[i, j - lo1[i]])
        if t == 2:
            anchors.append((i, j))
        i, j = i - (t != 0), j - (t != 1)
    anchors.reverse()
    # the last anchor becomes the corner (n, m)
    if anchors and (anchors[-1][0] == n) != (anchors[-1][1] == m):
        anchors.pop()
    if not anchors or anchors[-1] != (n, m):
        anchors.append((n, m))
    lo2, hi2 = np.zeros(n + 1, np.int64), np.zeros(n + 1, np.int64)
    ps = pt = 0
    for s_, t_ in anchors:
        lo2[ps + 1 : s_ + 1] = max(0, pt - win)
        hi2[ps + 1 : s_ + 1] = min(m, t_ + win)
        ps, pt = s_, t_
    lo2[0], hi2[0] = lo2[1], hi2[1]
    types = [(0, 1), (1, 0)] + [(x, y) for x in range(1, max_align) for y in range(1, max_align) if x + y <= max_align]
    ta = np.array([a for a, _ in types], np.int64)
    tb = np.array([b for _, b in types], np.int64)
    ratio = float(ls[0].sum() / max(lt[0].sum(), 1.0))
    ptr2 = second_pass(vs.astype(np.float64), vt.astype(np.float64), ls, lt, lo2, hi2, ta, tb, ratio, float(skip),
                       bool(margin), bool(len_penalty))
    beads = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(ptr2[i, j - lo2[i]])
        if t < 0:
            raise RuntimeError("bertalign_search: the second pass left its window")
        a, b = types[t]
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), 0.0))
        i, j = i - a, j - b
    beads.reverse()
    return time.perf_counter() - t0, beads


def _bertalign_warm() -> None:
    """Compile (or load from numba's cache) both passes outside any timed run."""
    first_pass, second_pass = _BERTALIGN
    lo = np.zeros(3, np.int64)
    hi = np.full(3, 2, np.int64)
    first_pass(2, 2, lo, hi, np.zeros((2, 1), np.int64), np.zeros((2, 1)))
    v = np.ones((1, 2, 2))
    second_pass(v, v, np.ones((1, 2)), np.ones((1, 2)), lo, hi, np.array([0, 1, 1], np.int64),
                np.array([1, 0, 1], np.int64), 1.0, -0.1, True, True)
