"""Compiled inner loops of the aligner's banded dynamic programme (``align.aligner._dp``), each with a numpy twin.

Why: on long documents the Python/numpy call overhead of the DP's row loop and gain construction, not arithmetic,
sets the time. Each routine here is a numba-jitted drop-in for an aligner function.

The twin contract: every compiled routine has a pure-numpy twin (used when numba is missing, with
``TASSCORPUS_DP=numpy``, and for calls under :data:`SMALL_CELLS` until numba has been loaded) that performs the same
float64 operations in the same order, so both return the same path and bit-identical scores;
``tests/test_dpkernel.py`` checks each pair. Matrix products stay in numpy (its BLAS). Each routine has one
section: the public dispatcher, its numpy twin ``_numpy_<name>``, its compiled twin (``_compiled_<name>()``
builds the jitted kernel on first use and returns it).

Recurrence (band layout as built in ``_dp``): row ``i`` covers columns ``j = lo[i] + k``, ``k < W``; ``G[i, t, k]`` is
the gain of a bead of type ``t`` ending at ``(i, j)`` (the last type is the 1-0 step);
``best[k] = max_t D[i - a_t, j - b_t] + G[i, t, k]`` (first maximum on ties), then 0-1 steps inside a row are a
running maximum. Routines: ``dp_fill``, ``dp_path``, ``trace_steps``, ``prefix``, ``span_norms``, ``layout_dots``,
``layout_cos``, ``gains``, ``neighbours``, ``knn``, ``band_from_path``, ``trace_beads``, ``token_vectors``.

Compiled code is cached on disk (``cache=True``): in ``__pycache__`` next to this module, or, when the package
directory is read-only, in numba's user-wide cache (``~/.cache/numba``; ``NUMBA_CACHE_DIR`` overrides both). The
first call on a fresh machine compiles for ~15 s, later processes load the cache in ~1 s (``tests/test_startup.py``
checks that a second process hits it). No routine calls another jitted function (numba cannot cache those).
Arrays are allocated in Python so tracemalloc still sees them. History: ``docs/experiments/aligner.md``.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

NEG = -1e30


_NUMBA_LOADED = False  # numba imported (each kernel then compiles, or loads its cache, on its first call)
_NUMBA_ERROR: str | None = None  # why numba could not be imported


def _load_numba() -> bool:
    """Import numba once; False (the reason kept in ``_NUMBA_ERROR``) when it is missing."""
    global _NUMBA_LOADED, _NUMBA_ERROR
    if not _NUMBA_LOADED and _NUMBA_ERROR is None:
        try:
            import numba  # noqa: F401

            _NUMBA_LOADED = True
        except ImportError as e:
            _NUMBA_ERROR = str(e)
    return _NUMBA_LOADED


# A call on fewer array cells than this runs its numpy twin while numba is not loaded yet: importing numba and
# loading its on-disk cache costs ~1 s, more than numpy spends on a whole document of up to ~200 x 200 sentences.
SMALL_CELLS = 500_000


def backend(requested: str = "auto", cells: int | None = None) -> str:
    """The backend a routine will use: ``numba`` when importable (unless the environment variable
    ``TASSCORPUS_DP=numpy`` or ``requested="numpy"`` asks for the fallback). ``cells``: the size of the
    call's work; under ``auto``, a call under :data:`SMALL_CELLS` runs numpy until numba has been loaded
    (the twins agree bit for bit, so only the time differs)."""
    if requested not in ("auto", "numba", "numpy"):
        raise ValueError(f"unknown DP backend {requested!r}; choose auto, numba or numpy")
    if requested == "auto":
        requested = os.environ.get("TASSCORPUS_DP", "auto")
    if requested == "numpy":
        return "numpy"
    if requested == "auto" and cells is not None and cells < SMALL_CELLS and not _NUMBA_LOADED:
        return "numpy"
    if _load_numba():
        return "numba"
    if requested == "numba":
        raise ImportError(f"the numba DP backend needs numba: {_NUMBA_ERROR}")
    return "numpy"


# ---------------------------------------- dp_fill: the banded DP's row loop


def dp_fill(G, lo, valid, shifts_a, shifts_b, null_gain: float, pad: int, *, which: str = "auto"):
    """Fill the banded DP. Returns ``(D, B)``: D[i, pad + k] is the best total gain of cell
    (i, lo[i] + k) (float64, NEG where unreachable or outside ``valid``), B[i, k] the type of the
    last step (int8; ``T`` = 0-1 step, -1 = none). ``pad`` >= max(shifts_b) (``_dp``'s ``P``)."""
    G = np.ascontiguousarray(G, dtype=np.float32)
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    valid = np.ascontiguousarray(valid, dtype=np.bool_)
    sa = np.ascontiguousarray(shifts_a, dtype=np.int64)
    sb = np.ascontiguousarray(shifts_b, dtype=np.int64)
    n1, T1, W = G.shape
    if lo.shape != (n1,) or valid.shape != (n1, W) or sa.shape != (T1,) or sb.shape != (T1,):
        raise ValueError("dp_fill: G (n+1, T, W), lo (n+1,), valid (n+1, W), shifts (T,) do not agree")
    if pad < int(sb.max(initial=0)):
        raise ValueError("dp_fill: pad must be >= the largest target shift")
    if backend(which, G.size) == "numba":
        # outputs allocated here, not inside the compiled code, so tracemalloc sees them
        Dp = np.full((n1, pad + 2 * W + 1), NEG)
        Bk = np.full((n1, W), -1, dtype=np.int8)
        _compiled_fill()(G, lo, valid, sa, sb, float(null_gain), int(pad), Dp, Bk)
        return Dp, Bk
    return _numpy_fill(G, lo, valid, sa, sb, float(null_gain), int(pad))


def _numpy_fill(G, lo, valid, shifts_a, shifts_b, null_gain, P):
    """The reference row loop of ``align.aligner._dp`` (vectorised per row)."""
    n1, T1, W = G.shape
    Dp = np.full((n1, P + 2 * W + 1), NEG)
    Bk = np.full((n1, W), -1, dtype=np.int8)
    cols = np.arange(W)
    idx_g0 = cols * null_gain
    t_null_t = T1
    cand = np.empty((T1, W))
    for i in range(n1):
        if i == 0:
            best = np.where(lo[0] + cols == 0, 0.0, NEG)
            arg = np.full(W, -1, dtype=np.int8)
        else:
            cand.fill(NEG)
            for t in range(T1):
                a = shifts_a[t]
                if a > i:
                    continue
                off = int(lo[i] - lo[i - a]) - shifts_b[t]
                if off >= W:
                    continue
                cand[t] = Dp[i - a, P + off : P + off + W]
            cand += G[i]
            arg = cand.argmax(0).astype(np.int8)
            best = cand[arg, cols]
        run = np.maximum.accumulate(best - idx_g0) + idx_g0
        upd = run > best + 1e-9
        best = np.where(upd, run, best)
        arg = np.where(upd, t_null_t, arg).astype(np.int8)
        best = np.where(valid[i], best, NEG)
        Dp[i, P : P + W] = best
        Bk[i] = arg
    return Dp, Bk


@lru_cache(maxsize=None)
def _compiled_fill():
    import numba

    @numba.njit(cache=True, nogil=True)
    def fill(G, lo, valid, shifts_a, shifts_b, null_gain, P, Dp, Bk):  # pragma: no cover - compiled
        n1, T1, W = G.shape
        best = np.empty(W)
        arg = np.empty(W, dtype=np.int8)
        offs = np.empty(T1, dtype=np.int64)
        ok = np.empty(T1, dtype=np.bool_)
        for i in range(n1):
            if i == 0:
                for k in range(W):
                    best[k] = 0.0 if lo[0] + k == 0 else NEG
                    arg[k] = -1
            else:
                for t in range(T1):
                    a = shifts_a[t]
                    if a > i:
                        ok[t] = False
                        offs[t] = 0
                    else:
                        off = lo[i] - lo[i - a] - shifts_b[t]
                        ok[t] = off < W
                        offs[t] = off
                for k in range(W):
                    bv = 0.0
                    ba = 0
                    for t in range(T1):
                        if ok[t]:
                            c = Dp[i - shifts_a[t], P + offs[t] + k] + np.float64(G[i, t, k])
                        else:
                            c = NEG + np.float64(G[i, t, k])
                        if t == 0 or c > bv:
                            bv = c
                            ba = t
                    best[k] = bv
                    arg[k] = ba
            acc = -np.inf
            for k in range(W):
                kg = np.float64(k) * null_gain
                x = best[k] - kg
                if x > acc:
                    acc = x
                run = acc + kg
                b = best[k]
                if run > b + 1e-9:
                    b = run
                    arg[k] = T1
                if not valid[i, k]:
                    b = NEG
                Dp[i, P + k] = b
                Bk[i, k] = arg[k]

    return fill


# ---------------------------------------- dp_path: fill and trace back


def dp_path(G, lo, valid, shifts_a, shifts_b, null_gain: float, m: int, *, which: str = "auto"):
    """Fill the DP and trace back from (n, m) to (0, 0).

    Returns ``(steps, score)``: ``steps`` is an int64 array (L, 3) of ``(t, i, j)`` in document
    order -- the type of each bead and the DP cell where it ends -- with ``t`` < T a row of ``G``'s
    type axis (T - 1 = 1-0 in ``_dp``'s layout) and ``t == T`` a 0-1 step; ``score`` is D[n, m].
    Tracing follows ``_dp``: in row 0 every step is 0-1, a missing back-pointer (-1) is a 1-0."""
    sa = np.asarray(shifts_a, dtype=np.int64)
    sb = np.asarray(shifts_b, dtype=np.int64)
    pad = int(sb.max(initial=0))
    D, B = dp_fill(G, lo, valid, sa, sb, null_gain, pad, which=which)
    n = np.shape(G)[0] - 1
    steps = trace(B, lo, sa, sb, m)
    return steps, float(D[n, pad + int(m) - int(lo[n])])


# ---------------------------------------- trace_steps: the trace-back of dp_fill's back-pointers


def trace_steps(B: np.ndarray, lo, shifts_a, shifts_b, m: int, *, which: str = "auto") -> np.ndarray:
    """:func:`trace`, compiled: the (L, 3) int64 steps ``(t, i, j)`` in document order."""
    if backend(which, B.size) != "numba":
        return trace(B, lo, shifts_a, shifts_b, m)
    n = B.shape[0] - 1
    out = np.empty((n + int(m) + 1, 3), dtype=np.int64)  # every step consumes >= 1 sentence
    L = _compiled_trace()(np.ascontiguousarray(B), np.ascontiguousarray(lo, dtype=np.int64),
                   np.asarray(shifts_a, dtype=np.int64), np.asarray(shifts_b, dtype=np.int64), int(m), out)
    if L < 0:
        raise ValueError("trace: the path left the band")
    return out[:L][::-1].copy()


def trace(B: np.ndarray, lo, shifts_a, shifts_b, m: int) -> np.ndarray:
    """Trace the back-pointers ``B`` of :func:`dp_fill` from (n, m) to (0, 0), as ``_dp`` does:
    returns an int64 array (L, 3) of ``(t, i, j)`` in document order (see :func:`dp_path`).
    Lets a caller build its beads from whole arrays (vectorised scores) instead of a Python loop."""
    sa = [int(x) for x in shifts_a]
    sb = [int(x) for x in shifts_b]
    T1 = len(sa)
    lo_ = [int(x) for x in lo]
    W = B.shape[1]
    n = B.shape[0] - 1
    out = []
    i, j = n, int(m)
    while i > 0 or j > 0:
        k = j - lo_[i]
        if not 0 <= k < W:
            raise ValueError(f"trace: the path left the band at ({i}, {j})")
        t = int(B[i, k])
        if t == T1 or i == 0:
            out.append((T1, i, j))
            j -= 1
        else:
            if t < 0:
                t = T1 - 1
            out.append((t, i, j))
            i, j = i - sa[t], j - sb[t]
    out.reverse()
    return np.array(out, dtype=np.int64).reshape(-1, 3)


@lru_cache(maxsize=None)
def _compiled_trace():
    import numba

    @numba.njit(cache=True, nogil=True)
    def trace(B, lo, shifts_a, shifts_b, m, out):  # pragma: no cover - compiled
        T1 = shifts_a.shape[0]
        W = B.shape[1]
        i = B.shape[0] - 1
        j = m
        L = 0
        while i > 0 or j > 0:
            k = j - lo[i]
            if k < 0 or k >= W:
                return -1 - L
            t = np.int64(B[i, k])
            if t == T1 or i == 0:
                out[L, 0], out[L, 1], out[L, 2] = T1, i, j
                j -= 1
            else:
                if t < 0:
                    t = T1 - 1
                out[L, 0], out[L, 1], out[L, 2] = t, i, j
                i -= shifts_a[t]
                j -= shifts_b[t]
            L += 1
        return L

    return trace


# ---------------------------------------- prefix: row prefix sums


def prefix(e: np.ndarray, *, which: str = "auto") -> np.ndarray:
    """p[0] = 0, p[i] = sum of rows 0..i-1 in float64 -- ``align.aligner._prefix``, bit for bit."""
    e = np.asarray(e)
    if backend(which, e.size) == "numba" and e.ndim == 2:
        p = np.zeros((len(e) + 1, e.shape[1]), dtype=np.float64)
        _compiled_prefix()(np.ascontiguousarray(e), p)
        return p
    return _numpy_prefix(e)


def _numpy_prefix(e):
    """The numpy twin of :func:`prefix`."""
    p = np.zeros((len(e) + 1, e.shape[1]), dtype=np.float64)
    np.cumsum(e, axis=0, out=p[1:])
    return p


@lru_cache(maxsize=None)
def _compiled_prefix():
    import numba

    @numba.njit(cache=True, nogil=True)
    def prefix(e, p):  # pragma: no cover - compiled
        n, d = e.shape
        for i in range(n):
            for c in range(d):
                p[i + 1, c] = p[i, c] + np.float64(e[i, c])

    return prefix


# ---------------------------------------- span_norms: norms of span sums


def span_norms(p: np.ndarray, kmax: int, *, which: str = "auto") -> np.ndarray:
    """N[k-1, j] = |sum of rows j-k..j-1| from prefix sums ``p`` (0 where j < k): the aligner's
    ``_span_norms``. The compiled path reproduces numpy's pairwise summation of the squares, so it
    is bit-identical to ``np.linalg.norm(..., axis=1)`` (checked by tests/test_dpkernel.py)."""
    p = np.asarray(p, dtype=np.float64)
    if backend(which, p.size * kmax) == "numba" and p.ndim == 2:
        out = np.zeros((kmax, len(p)))
        _compiled_span_norms()(np.ascontiguousarray(p), int(kmax), out)
        return out
    return _numpy_span_norms(p, kmax)


def _numpy_span_norms(p, kmax):
    """The numpy twin of :func:`span_norms`."""
    out = np.zeros((kmax, len(p)))
    for k in range(1, kmax + 1):
        out[k - 1, k:] = np.linalg.norm(p[k:] - p[:-k], axis=1)
    return out


@lru_cache(maxsize=None)
def _compiled_span_norms():
    import numba

    @numba.njit(cache=True, nogil=True)
    def span_norms(p, kmax, out):  # pragma: no cover - compiled
        # sqrt of numpy's pairwise summation of the squares (add.reduce over a contiguous row), to
        # stay bit-identical: sum(n) = leaf if n <= 128 else sum(n2) + sum(n - n2), n2 = n // 2
        # rounded down to a multiple of 8; a leaf uses 8 interleaved accumulators. Written as one
        # function with an explicit stack: numba cannot cache a recursive function, nor one calling
        # another closure-built jitted function, on disk (they recompiled on every run, ~9 s).
        L, d = p.shape
        sq = np.empty(d)
        s_lo = np.empty(128, dtype=np.int64)
        s_n = np.empty(128, dtype=np.int64)
        s_st = np.empty(128, dtype=np.int64)
        vals = np.empty(128)
        for k in range(1, kmax + 1):
            for j in range(k, L):
                for c in range(d):
                    x = p[j, c] - p[j - k, c]
                    sq[c] = x * x
                s_lo[0], s_n[0], s_st[0] = 0, d, 0
                sp = 1
                vp = 0
                while sp > 0:
                    top = sp - 1
                    l_, n_ = s_lo[top], s_n[top]
                    if n_ <= 128:
                        if n_ < 8:
                            res = -0.0
                            for i in range(n_):
                                res += sq[l_ + i]
                        else:
                            r0, r1, r2, r3 = sq[l_], sq[l_ + 1], sq[l_ + 2], sq[l_ + 3]
                            r4, r5, r6, r7 = sq[l_ + 4], sq[l_ + 5], sq[l_ + 6], sq[l_ + 7]
                            i = 8
                            while i < n_ - (n_ % 8):
                                r0 += sq[l_ + i]
                                r1 += sq[l_ + i + 1]
                                r2 += sq[l_ + i + 2]
                                r3 += sq[l_ + i + 3]
                                r4 += sq[l_ + i + 4]
                                r5 += sq[l_ + i + 5]
                                r6 += sq[l_ + i + 6]
                                r7 += sq[l_ + i + 7]
                                i += 8
                            res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
                            while i < n_:
                                res += sq[l_ + i]
                                i += 1
                        vals[vp] = res
                        vp += 1
                        sp -= 1
                        continue
                    n2 = n_ // 2
                    n2 -= n2 % 8
                    if s_st[top] == 0:
                        s_st[top] = 1
                        s_lo[sp], s_n[sp], s_st[sp] = l_, n2, 0
                        sp += 1
                    elif s_st[top] == 1:
                        s_st[top] = 2
                        s_lo[sp], s_n[sp], s_st[sp] = l_ + n2, n_ - n2, 0
                        sp += 1
                    else:
                        vals[vp - 2] = vals[vp - 2] + vals[vp - 1]
                        vp -= 1
                        sp -= 1
                out[k - 1, j] = np.sqrt(vals[0])

    return span_norms


# ---------------------------------------- layout_dots: span-sum dot products in the band layout


def _type_arrays(types) -> tuple[np.ndarray, np.ndarray]:
    """The source and target sizes (a, b) of each bead type, as int64 arrays for the compiled routines."""
    return (np.array([a for a, _ in types], dtype=np.int64), np.array([b for _, b in types], dtype=np.int64))


def layout_dots(xs: np.ndarray, xt: np.ndarray, lo: np.ndarray, W: int, types, chunk: int = 64,
                *, which: str = "auto") -> np.ndarray:
    """out[i, t, k] = <sum xs[i-a:i], sum xt[j-b:j]> for type t = (a, b), j = lo[i] + k: the same
    chunked prefix-sum construction as ``align.aligner._layout_dots`` (same float32 output, bit for
    bit), with the 2-D prefix sums and the per-type gathers compiled."""
    if backend(which, len(lo) * len(types) * W) != "numba":
        return _numpy_layout_dots(xs, xt, lo, W, types, chunk)
    chunk_dots = _compiled_chunk_dots()
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    n1 = len(lo)
    m = len(xt)
    type_a, type_b = _type_arrays(types)
    amax, bmax = int(type_a.max()), int(type_b.max())
    out = np.zeros((n1, len(type_a), W), dtype=np.float32)
    empty = np.zeros((0, 0), dtype=np.float32)
    for c0 in range(0, n1, chunk):
        c1 = min(n1, c0 + chunk)
        s0, s1 = max(0, c0 - amax), max(c1 - 1, 0)
        t0, t1 = max(0, int(lo[c0]) - bmax), min(m, int(lo[c1 - 1]) + W)
        pr, pc = max(s1 - s0, 0) + 1, max(t1 - t0, 0) + 1
        M = xs[s0:s1] @ xt[t0:t1].T if (s1 > s0 and t1 > t0) else empty
        chunk_dots(np.ascontiguousarray(M), np.zeros((pr, pc)), c0, c1, s0, t0, lo, type_a, type_b, out)
    return out


def _numpy_layout_dots(xs, xt, lo, W, types, chunk=64):
    """The aligner's ``_layout_dots`` (numpy), the fallback and the reference of the tests."""
    n1 = len(lo)
    m = len(xt)
    amax = max(a for a, _ in types)
    bmax = max(b for _, b in types)
    out = np.zeros((n1, len(types), W), dtype=np.float32)
    cols = np.arange(W)
    for c0 in range(0, n1, chunk):
        c1 = min(n1, c0 + chunk)
        s0, s1 = max(0, c0 - amax), max(c1 - 1, 0)
        t0, t1 = max(0, int(lo[c0]) - bmax), min(m, int(lo[c1 - 1]) + W)
        P = np.zeros((max(s1 - s0, 0) + 1, max(t1 - t0, 0) + 1))
        if s1 > s0 and t1 > t0:
            P[1:, 1:] = (xs[s0:s1] @ xt[t0:t1].T).astype(np.float64).cumsum(0).cumsum(1)
        I = np.arange(c0, c1)
        ri = (I - s0)[:, None]
        cj = np.clip(lo[c0:c1, None] + cols[None, :] - t0, 0, P.shape[1] - 1)
        for ti, (a, b) in enumerate(types):
            ra = np.maximum(ri - a, 0)
            cb = np.maximum(cj - b, 0)
            rr = np.minimum(ri, P.shape[0] - 1)
            out[c0:c1, ti] = P[rr, cj] - P[ra, cj] - P[rr, cb] + P[ra, cb]
    return out


@lru_cache(maxsize=None)
def _compiled_chunk_dots():
    import numba

    @numba.njit(cache=True, nogil=True)
    def chunk_dots(M, P, c0, c1, s0, t0, lo, type_a, type_b, out):  # pragma: no cover - compiled
        # P (zeros on entry) = 2-D prefix sums of M (numpy: astype(float64).cumsum(0).cumsum(1))
        pr, pc = P.shape
        R, C = M.shape
        # (same additions in the same order as numpy's, walked row by row for contiguous access)
        if R > 0 and C > 0:
            for c in range(C):
                P[1, c + 1] = np.float64(M[0, c])
            for r in range(1, R):
                for c in range(C):
                    P[r + 1, c + 1] = P[r, c + 1] + np.float64(M[r, c])
            for r in range(1, R + 1):
                for c in range(2, C + 1):
                    P[r, c] = P[r, c - 1] + P[r, c]
        W = out.shape[2]
        for i in range(c0, c1):
            ri = i - s0
            rr = min(ri, pr - 1)
            for t in range(type_a.shape[0]):
                ra = max(ri - type_a[t], 0)
                for k in range(W):
                    cj = min(max(lo[i] + k - t0, 0), pc - 1)
                    cb = max(cj - type_b[t], 0)
                    out[i, t, k] = P[rr, cj] - P[ra, cj] - P[rr, cb] + P[ra, cb]

    return chunk_dots


# ---------------------------------------- layout_cos: span-sum cosines in the band layout


def layout_cos(es: np.ndarray, et: np.ndarray, lo: np.ndarray, W: int, types, norm_src: np.ndarray,
               norm_tgt: np.ndarray, m: int, *, which: str = "auto") -> np.ndarray:
    """Cosines of span sums in the band layout: :func:`layout_dots` divided in place by the span
    norms, as ``_dp`` does (``cos[:, t] /= np.maximum(norm_src[a-1][:, None] * norm_tgt[b-1][clip(J, 0, m)],
    1e-9)``), with the division compiled; float32 like the aligner's, bit for bit."""
    cos = layout_dots(es, et, lo, W, types, which=which)
    type_a, type_b = _type_arrays(types)
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    if backend(which, cos.size) == "numba":
        _compiled_norm_cos()(cos, lo, type_a, type_b, np.ascontiguousarray(norm_src, dtype=np.float64),
                   np.ascontiguousarray(norm_tgt, dtype=np.float64), int(m))
        return cos
    return _numpy_norm_cos(cos, lo, W, types, norm_src, norm_tgt, m)


def _numpy_norm_cos(cos, lo, W, types, norm_src, norm_tgt, m):
    """The numpy twin of :func:`layout_cos`'s division (in place)."""
    J = lo[:, None] + np.arange(W)[None, :]
    Jc0 = np.clip(J, 0, m)
    for ti, (a, b) in enumerate(types):
        cos[:, ti] /= np.maximum(norm_src[a - 1][:, None] * norm_tgt[b - 1][Jc0], 1e-9)
    return cos


@lru_cache(maxsize=None)
def _compiled_norm_cos():
    import numba

    @numba.njit(cache=True, nogil=True)
    def norm_cos(cos, lo, type_a, type_b, norm_src, norm_tgt, m):  # pragma: no cover - compiled
        n1, T, W = cos.shape
        for i in range(n1):
            for t in range(T):
                na = norm_src[type_a[t] - 1, i]
                for k in range(W):
                    jc = min(max(lo[i] + k, 0), m)
                    cos[i, t, k] = np.float64(cos[i, t, k]) / max(na * norm_tgt[type_b[t] - 1, jc], 1e-9)

    return norm_cos


# ---------------------------------------- gains: the gain tensor of the DP


def gains(cos, lo, valid, types, m: int, knn_src_cum, knn_tgt_cum, *, threshold: float, mn_penalty: float,
          size_exponent: float, null_gain: float, length_weight: float = 0.0, len_src_cum=None, len_tgt_cum=None,
          ratio: float = 1.0, token_weight: float = 0.0, tok_dots=None, tok_count_src=None, tok_count_tgt=None,
          neighbour_weight: float = 0.0, neighbour_cos=None, which: str = "auto") -> np.ndarray:
    """The gain tensor ``G`` (n+1, T+1, W) float32 of ``_dp``, built in one compiled pass instead of
    a dozen full-size numpy temporaries per bead type: for type t = (a, b) ending at (i, j = lo[i]+k)
    the margin ``cos / max((kNN_src + kNN_tgt) / 2, 1e-6)`` (kNN of a span: mean over its members,
    from the prefix sums ``knn_src_cum`` / ``knn_tgt_cum``), ``((a+b)/2)**size_exponent * (margin - threshold) -
    mn_penalty * (a+b-2)``, minus ``length_weight * |log((Lt+10) / (ratio*Ls+10))|`` (character
    prefix sums ``len_src_cum`` / ``len_tgt_cum``), plus ``token_weight`` x the token evidence (``tok_dots``
    from :func:`layout_dots` of the token bags, ``tok_count_src`` / ``tok_count_tgt`` their squared span
    norms); NEG outside the band or before the document start; the last slot is the 1-0 gain ``null_gain``.
    With ``neighbour_weight`` and ``neighbour_cos`` (n+1, T, W: the neighbour cosines of
    ``neighbours``) the gain also gets ``neighbour_weight * (cos - neighbour_cos) /
    max((kNN_src + kNN_tgt) / 2, 1e-6)`` (Bertalign's neighbour contrast), right after the margin term."""
    n1, W = valid.shape
    T = len(types)
    type_a, type_b = _type_arrays(types)
    coef = np.array([((a + b) / 2) ** size_exponent for a, b in types], dtype=np.float64)
    pen = np.array([mn_penalty * (a + b - 2) for a, b in types], dtype=np.float64)
    length_w = float(length_weight) if length_weight else 0.0
    token_w = float(token_weight) if (token_weight and tok_dots is not None) else 0.0
    z1 = np.zeros(1)
    z2 = np.zeros((1, 1))
    z3 = np.zeros((1, 1, 1), dtype=np.float32)
    len_src_cum = np.ascontiguousarray(len_src_cum, dtype=np.float64) if length_w else z1
    len_tgt_cum = np.ascontiguousarray(len_tgt_cum, dtype=np.float64) if length_w else z1
    if token_w:
        tok_dots = np.asarray(tok_dots, np.float32)
        tok_count_src, tok_count_tgt = np.asarray(tok_count_src, np.float64), np.asarray(tok_count_tgt, np.float64)
    else:
        tok_dots, tok_count_src, tok_count_tgt = z3, z2, z2
    neighbour_w = float(neighbour_weight) if (neighbour_weight and neighbour_cos is not None) else 0.0
    neighbour_cos = np.asarray(neighbour_cos, np.float32) if neighbour_w else z3
    if backend(which, n1 * (T + 1) * W) != "numba":
        return _numpy_gains(cos, lo, valid, types, m, knn_src_cum, knn_tgt_cum, coef, pen, threshold, null_gain,
                            length_w, len_src_cum, len_tgt_cum, ratio, token_w, tok_dots, tok_count_src, tok_count_tgt,
                            neighbour_w, neighbour_cos)
    G = np.empty((n1, T + 1, W), dtype=np.float32)
    _compiled_gains()(np.asarray(cos, np.float32), np.ascontiguousarray(lo, dtype=np.int64),
               np.ascontiguousarray(valid, dtype=np.bool_), type_a, type_b, coef, pen, float(threshold),
               np.ascontiguousarray(knn_src_cum, dtype=np.float64), np.ascontiguousarray(knn_tgt_cum, dtype=np.float64),
               length_w, len_src_cum, len_tgt_cum, float(ratio), token_w, tok_dots, tok_count_src, tok_count_tgt,
               float(null_gain), G, int(m), neighbour_w, neighbour_cos)
    return G


def _numpy_gains(cos, lo, valid, types, m, knn_src_cum, knn_tgt_cum, coef, pen, threshold, null_gain, length_w,
                 len_src_cum, len_tgt_cum, ratio, token_w, tok_dots, tok_count_src, tok_count_tgt,
                 neighbour_w=0.0, neighbour_cos=None):
    """The gain loop of ``align.aligner._dp`` (default options), the fallback and test reference."""
    n1, W = valid.shape
    n = n1 - 1
    cols = np.arange(W)
    J = lo[:, None] + cols[None, :]
    Jc = np.clip(J, 0, m)
    I = np.arange(n + 1)
    nt_ = len(types)
    G = np.full((n + 1, nt_ + 1, W), NEG, dtype=np.float32)
    for ti, (a, b) in enumerate(types):
        ok = valid & (I[:, None] >= a) & (J >= b)
        ia = np.maximum(I - a, 0)
        jb = np.maximum(Jc - b, 0)
        kn_s = ((knn_src_cum[I] - knn_src_cum[ia]) / a)[:, None]
        kn_t = (knn_tgt_cum[Jc] - knn_tgt_cum[jb]) / b
        margin = cos[:, ti] / np.maximum((kn_s + kn_t) / 2, 1e-6)
        g = coef[ti] * (margin - threshold) - pen[ti]
        if neighbour_w:
            g += neighbour_w * (cos[:, ti] - neighbour_cos[:, ti]) / np.maximum((kn_s + kn_t) / 2, 1e-6)
        if length_w:
            Ls = (len_src_cum[I] - len_src_cum[ia])[:, None]
            Lt = len_tgt_cum[Jc] - len_tgt_cum[jb]
            g -= length_w * np.abs(np.log((Lt + 10) / (ratio * Ls + 10)))
        if token_w:
            sa = tok_count_src[a - 1][:, None]
            tb_ = tok_count_tgt[b - 1][Jc]
            both = (sa > 0) & (tb_ > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                ev = np.where(both, tok_dots[:, ti] / np.sqrt(np.maximum(sa * tb_, 1e-9)), 0.0)
            ev = np.where(both & (tok_dots[:, ti] < 0.5), -0.5, ev)
            g += token_w * ev
        G[:, ti] = np.where(ok, g, NEG)
    G[:, nt_] = np.where(valid & (I[:, None] >= 1), null_gain, NEG)
    return G


@lru_cache(maxsize=None)
def _compiled_gains():
    import numba

    @numba.njit(cache=True, nogil=True)
    def gains(cos, lo, valid, type_a, type_b, coef, pen, threshold, knn_src_cum, knn_tgt_cum, length_w, len_src_cum,
              len_tgt_cum, ratio, token_w, tok_dots, tok_count_src, tok_count_tgt, null_gain, G, m, neighbour_w,
              neighbour_cos):  # pragma: no cover - compiled
        n1, T1, W = G.shape
        T = T1 - 1
        negf = np.float32(NEG)
        g0 = np.float32(null_gain)
        for i in range(n1):
            for k in range(W):
                G[i, T, k] = g0 if (valid[i, k] and i >= 1) else negf
            for t in range(T):
                a, b = type_a[t], type_b[t]
                ia = max(i - a, 0)
                kn_s = (knn_src_cum[i] - knn_src_cum[ia]) / a
                Ls = len_src_cum[i] - len_src_cum[ia]
                sa = tok_count_src[a - 1, i] if token_w != 0.0 else 0.0
                for k in range(W):
                    J = lo[i] + k
                    if not (valid[i, k] and i >= a and J >= b):
                        G[i, t, k] = negf
                        continue
                    jc = min(max(J, 0), m)
                    jb = max(jc - b, 0)
                    kn_t = (knn_tgt_cum[jc] - knn_tgt_cum[jb]) / b
                    margin = np.float64(cos[i, t, k]) / max((kn_s + kn_t) / 2, 1e-6)
                    g = coef[t] * (margin - threshold) - pen[t]
                    if neighbour_w != 0.0:  # float32 difference and product, as numpy does them
                        d = np.float32(np.float32(cos[i, t, k] - neighbour_cos[i, t, k]) * np.float32(neighbour_w))
                        g += np.float64(d) / max((kn_s + kn_t) / 2, 1e-6)
                    if length_w != 0.0:
                        Lt = len_tgt_cum[jc] - len_tgt_cum[jb]
                        g -= length_w * abs(np.log((Lt + 10) / (ratio * Ls + 10)))
                    if token_w != 0.0:
                        tb_ = tok_count_tgt[b - 1, jc]
                        ev = 0.0
                        if sa > 0 and tb_ > 0:
                            td = tok_dots[i, t, k]
                            if td < 0.5:
                                ev = -0.5
                            else:
                                ev = np.float64(td) / np.sqrt(max(sa * tb_, 1e-9))
                        g += token_w * ev
                    G[i, t, k] = g

    return gains


# ---------------------------------------- neighbours: Bertalign's neighbour cosines


def neighbours(cos: np.ndarray, all_types, types, lo: np.ndarray, n: int, m: int, *, which: str = "auto") -> np.ndarray:
    """Bertalign's neighbour similarity read off the cosine layout (``cos``: the band layout of
    :func:`layout_cos` over ``all_types``, which must hold (a, 1) and (1, b) for every (a, b) in
    ``types``): out[i, t, k] for type t = (a, b) ending at (i, j = lo[i] + k) is the mean of the source
    span's mean cosine with the target sentences just before and after the target span (the (a, 1)
    cosines at columns k - b and k + 1) and the target span's mean cosine with the source sentences
    around the source span (the (1, b) cosines at rows i - a and i + 1). A neighbour outside the band
    or the document counts as missing. Compiled, with :func:`_numpy_neighbours` (the aligner's former
    numpy code, ~40 % of the Bible's alignment time) as fallback and test reference; float32, bit for bit."""
    all_types, types = list(all_types), list(types)
    if backend(which, cos.size) != "numba":
        return _numpy_neighbours(cos, all_types, types, lo, n, m)
    n1, _, W = cos.shape
    out = np.zeros((n1, len(types), W), dtype=np.float32)
    idx_a1 = np.array([all_types.index((a, 1)) for a, _ in types], dtype=np.int64)
    idx_1b = np.array([all_types.index((1, b)) for _, b in types], dtype=np.int64)
    type_a, type_b = _type_arrays(types)
    _compiled_neighbours()(np.ascontiguousarray(cos, dtype=np.float32), idx_a1, idx_1b, type_a, type_b,
               np.ascontiguousarray(lo, dtype=np.int64), int(n), int(m), out)
    return out


def _numpy_neighbours(cos, all_types, types, lo, n, m):
    """The numpy version of :func:`neighbours` (vectorised per bead type)."""
    n1, _, W = cos.shape
    out = np.zeros((n1, len(types), W), dtype=np.float32)
    I = np.arange(n1)[:, None]
    K = np.arange(W)[None, :]
    J = lo[:, None] + K
    for ti, (a, b) in enumerate(types):
        ca = cos[:, all_types.index((a, 1))]
        # target neighbours of the source span: sentences j-b-1 (column j-b) and j (column j+1)
        kl, kr = K - b, K + 1
        okl = (J - b - 1 >= 0) & (kl >= 0)
        okr = (J < m) & (kr < W)
        sl = np.where(okl, ca[I, np.clip(kl, 0, W - 1)], 0.0)
        sr = np.where(okr, ca[I, np.clip(kr, 0, W - 1)], 0.0)
        tside = (sl + sr) / np.maximum(okl.astype(np.float32) + okr, 1)
        # source neighbours of the target span: sentences i-a-1 (row i-a) and i (row i+1)
        cb = cos[:, all_types.index((1, b))]
        rl, rr = np.maximum(I - a, 0), np.minimum(I + 1, n1 - 1)
        kl2, kr2 = J - lo[rl], J - lo[rr]
        okl2 = (I - a - 1 >= 0) & (kl2 >= 0) & (kl2 < W)
        okr2 = (I < n) & (kr2 >= 0) & (kr2 < W)
        ul = np.where(okl2, cb[rl, np.clip(kl2, 0, W - 1)], 0.0)
        ur = np.where(okr2, cb[rr, np.clip(kr2, 0, W - 1)], 0.0)
        sside = (ul + ur) / np.maximum(okl2.astype(np.float32) + okr2, 1)
        out[:, ti] = (tside + sside) / 2
    return out


@lru_cache(maxsize=None)
def _compiled_neighbours():
    import numba

    @numba.njit(cache=True, nogil=True)
    def neighbours(cos, idx_a1, idx_1b, type_a, type_b, lo, n, m, out):  # pragma: no cover - compiled
        n1, _, W = cos.shape
        one, two = np.float32(1.0), np.float32(2.0)
        zero = np.float32(0.0)
        for t in range(type_a.shape[0]):
            a, b, ca, cb = type_a[t], type_b[t], idx_a1[t], idx_1b[t]
            for i in range(n1):
                rl, rr = max(i - a, 0), min(i + 1, n1 - 1)
                for k in range(W):
                    j = lo[i] + k
                    # target neighbours of the source span: columns k - b and k + 1 of the (a, 1) cosines
                    okl = j - b - 1 >= 0 and k - b >= 0
                    okr = j < m and k + 1 < W
                    sl = cos[i, ca, k - b] if okl else zero
                    sr = cos[i, ca, k + 1] if okr else zero
                    c1 = np.float32(okl) + np.float32(okr)
                    tside = (sl + sr) / (c1 if c1 > one else one)
                    # source neighbours of the target span: rows i - a and i + 1 of the (1, b) cosines
                    kl2, kr2 = j - lo[rl], j - lo[rr]
                    okl2 = i - a - 1 >= 0 and kl2 >= 0 and kl2 < W
                    okr2 = i < n and kr2 >= 0 and kr2 < W
                    ul = cos[rl, cb, kl2] if okl2 else zero
                    ur = cos[rr, cb, kr2] if okr2 else zero
                    c2 = np.float32(okl2) + np.float32(okr2)
                    sside = (ul + ur) / (c2 if c2 > one else one)
                    out[i, t, k] = (tside + sside) / two

    return neighbours


# ---------------------------------------- knn: mean of each sentence's k best cosines


def knn(cos11: np.ndarray, lo: np.ndarray, valid: np.ndarray, n: int, m: int, k: int, *, which: str = "auto"):
    """``align.aligner._knn``, bit for bit: (top_s, top_t, best_s, best_t). The source side (one
    ``np.partition`` per row) stays numpy; the target side, a lexsort of every band cell in the
    aligner, is a compiled running top-k per target sentence (summed in descending order, as the
    sorted ``np.add.at`` does)."""
    c = np.where(valid[1:], cos11[1:], -np.inf)  # rows = src sentences 0..n-1
    W = c.shape[1]
    kk = min(k, W)
    part = -np.partition(-c, kk - 1, axis=1)[:, :kk]
    fin = np.isfinite(part)
    top_s = np.where(fin, part, 0).sum(1) / np.maximum(fin.sum(1), 1)
    best_s = np.where(fin.any(1), part.max(1), 0.0)
    if k < 1:
        raise ValueError("knn: k must be >= 1")
    if backend(which, cos11.size) != "numba":
        top_t, best_t = _numpy_knn_target(cos11, lo, valid, m, k)
        return top_s, top_t, best_s, best_t
    top_t = np.zeros(m)
    count = np.zeros(m, dtype=np.int64)
    best_t = np.zeros(m)
    _compiled_knn_target()(cos11, np.ascontiguousarray(lo, dtype=np.int64), np.ascontiguousarray(valid, dtype=np.bool_),
               int(m), int(k), top_t, count, best_t, np.empty((m, k)))
    return top_s, top_t, best_s, best_t


def _numpy_knn_target(cos11, lo, valid, m, k):
    """Target side of ``align.aligner._knn`` (numpy), the fallback and test reference."""
    rows, cols = np.nonzero(valid[1:])
    js = lo[1:][rows] + cols - 1
    vals = cos11[1:][rows, cols]
    ok = (js >= 0) & (js < m)
    js, vals = js[ok], vals[ok]
    order = np.lexsort((-vals, js))
    js, vals = js[order], vals[order]
    first = np.searchsorted(js, js, side="left")
    rank = np.arange(len(js)) - first
    keep = rank < k
    top_t = np.zeros(m)
    cnt = np.zeros(m)
    np.add.at(top_t, js[keep], vals[keep])
    np.add.at(cnt, js[keep], 1)
    best_t = np.zeros(m)
    best_t[js[rank == 0]] = vals[rank == 0]
    top_t = top_t / np.maximum(cnt, 1)
    return top_t, best_t


@lru_cache(maxsize=None)
def _compiled_knn_target():
    import numba

    @numba.njit(cache=True, nogil=True)
    def knn_target(cos11, lo, valid, m, k, top, count, best, buf):  # pragma: no cover - compiled
        # per target sentence j: its kq largest cosines over the valid band cells of rows i >= 1
        n1, W = cos11.shape
        for i in range(1, n1):
            for c in range(W):
                if not valid[i, c]:
                    continue
                j = lo[i] + c - 1
                if j < 0 or j >= m:
                    continue
                v = np.float64(cos11[i, c])
                q = count[j]
                if q < k:
                    count[j] = q + 1
                elif not v > buf[j, k - 1]:
                    continue
                else:
                    q = k - 1
                while q > 0 and buf[j, q - 1] < v:
                    buf[j, q] = buf[j, q - 1]
                    q -= 1
                buf[j, q] = v
        for j in range(m):
            acc = 0.0
            for q in range(count[j]):
                acc += buf[j, q]
            top[j] = acc / max(count[j], 1)
            best[j] = buf[j, 0] if count[j] > 0 else 0.0

    return knn_target


# ---------------------------------------- band_from_path: the band around a coarse path


def band_from_path(path, n: int, m: int, r: int, w: int, *, which: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """``align.aligner._band_from_path`` (project a coarse path, r sentences per unit, onto rows
    0..n and widen it by ``w``; monotone, containing (0, 0) and (n, m)), one compiled pass instead
    of two numpy slice updates per bead."""
    if backend(which, (n + 1) * (2 * w + r)) != "numba":
        return _numpy_band(path, n, m, r, w)
    size_src = np.fromiter((len(b.src) for b in path), dtype=np.int64, count=len(path))
    size_tgt = np.fromiter((len(b.tgt) for b in path), dtype=np.int64, count=len(path))
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    _compiled_band()(size_src, size_tgt, int(n), int(m), int(r), int(w), lo, hi)
    return lo, hi


def _numpy_band(path, n, m, r, w):
    """The aligner's ``_band_from_path`` (numpy), the fallback and test reference."""
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    i0 = j0 = 0
    for b in path:
        i1, j1 = i0 + len(b.src), j0 + len(b.tgt)
        a0, a1 = min(i0 * r, n), min(i1 * r, n)
        c0, c1 = min(j0 * r, m), min(j1 * r, m)
        lo[a0 : a1 + 1] = np.minimum(lo[a0 : a1 + 1], max(0, c0 - w))
        hi[a0 : a1 + 1] = np.maximum(hi[a0 : a1 + 1], min(m + 1, c1 + w + 1))
        i0, j0 = i1, j1
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[-1] = 0, m + 1
    return lo, hi


@lru_cache(maxsize=None)
def _compiled_band():
    import numba

    @numba.njit(cache=True, nogil=True)
    def band(size_src, size_tgt, n, m, r, w, lo, hi):  # pragma: no cover - compiled
        i0 = 0
        j0 = 0
        for q in range(size_src.shape[0]):
            i1, j1 = i0 + size_src[q], j0 + size_tgt[q]
            a0, a1 = min(i0 * r, n), min(i1 * r, n)
            c0, c1 = min(j0 * r, m), min(j1 * r, m)
            l_, h_ = max(0, c0 - w), min(m + 1, c1 + w + 1)
            for x in range(a0, min(a1 + 1, n + 1)):
                if l_ < lo[x]:
                    lo[x] = l_
                if h_ > hi[x]:
                    hi[x] = h_
            i0, j0 = i1, j1
        for x in range(n - 1, -1, -1):
            if lo[x + 1] < lo[x]:
                lo[x] = lo[x + 1]
        for x in range(1, n + 1):
            if hi[x - 1] > hi[x]:
                hi[x] = hi[x - 1]
        lo[0] = 0
        hi[n] = m + 1

    return band


# ---------------------------------------- trace_beads: beads and scores of a traced path


def trace_beads(B: np.ndarray, lo, types, m: int, prefix_src, prefix_tgt, norm_src, norm_tgt, knn_src_cum,
                knn_tgt_cum, knn_src, knn_tgt, best_s, best_t,
                pair_score, null_score, *, scores: bool = True, which: str = "auto", chunk: int = 2048) -> list:
    """The trace-back of ``align.aligner._dp`` (no concatenation tables): the beads, in document
    order, with the same scores. A matched bead (a, b) ending at (i, j) scores
    ``pair_score(c / max(kNN, 1e-6))``, c the cosine of the span sums (``(prefix_src[i]-prefix_src[i-a]) @
    (prefix_tgt[j]-prefix_tgt[j-b]) / max(norm_src * norm_tgt, 1e-9)``), kNN the mean of both spans' member
    means; a 1-0 / 0-1 bead scores ``null_score(best, knn)`` of its sentence. The path is traced by compiled code
    and the dots are taken in chunks by a stacked matmul (numpy calls the same BLAS dot per row as
    the aligner's ``@``, so c is bit-identical); only the Bead objects are built in Python.
    ``scores=False`` gives every bead score 0.0 and skips that work: for a path that only serves
    to place the refinement band."""
    from align.records import Bead

    T = len(types)
    sa = np.array([a for a, _ in types] + [1], dtype=np.int64)
    sb = np.array([b for _, b in types] + [0], dtype=np.int64)
    steps = trace_steps(B, lo, sa, sb, m, which=which)
    if not scores:
        out = []
        for tt, ii, jj in steps.tolist():
            if tt == T + 1:
                out.append(Bead((), (jj - 1,), 0.0))
            elif tt == T:
                out.append(Bead((ii - 1,), (), 0.0))
            else:
                aa, bb = types[tt]
                out.append(Bead(tuple(range(ii - aa, ii)), tuple(range(jj - bb, jj)), 0.0))
        return out
    t, i, j = steps[:, 0], steps[:, 1], steps[:, 2]
    pair = t < T
    pt_, pi, pj = t[pair], i[pair], j[pair]
    a, b = sa[pt_], sb[pt_]
    margin = np.empty(len(pt_))
    for c0 in range(0, len(pt_), chunk):
        sl = slice(c0, c0 + chunk)
        I, J, A, Bb = pi[sl], pj[sl], a[sl], b[sl]
        x = prefix_src[I] - prefix_src[I - A]
        y = prefix_tgt[J] - prefix_tgt[J - Bb]
        c = np.matmul(x[:, None, :], y[:, :, None])[:, 0, 0]
        c = c / np.maximum(norm_src[A - 1, I] * norm_tgt[Bb - 1, J], 1e-9)
        kn = ((knn_src_cum[I] - knn_src_cum[I - A]) / A + (knn_tgt_cum[J] - knn_tgt_cum[J - Bb]) / Bb) / 2
        margin[sl] = c / np.maximum(kn, 1e-6)
    beads = []
    mg = iter(margin.tolist())
    for tt, ii, jj in steps.tolist():
        if tt == T + 1:
            beads.append(Bead((), (jj - 1,), null_score(best_t[jj - 1], knn_tgt[jj - 1])))
        elif tt == T:
            beads.append(Bead((ii - 1,), (), null_score(best_s[ii - 1], knn_src[ii - 1])))
        else:
            aa, bb = types[tt]
            beads.append(Bead(tuple(range(ii - aa, ii)), tuple(range(jj - bb, jj)), pair_score(next(mg))))
    return beads


# ---------------------------------------- token bags
# ``_TOKEN`` of align.aligner, rewritten so that the pattern starts with a character class: Python's
# regex engine then skips non-candidate characters in C instead of trying three alternatives at
# every position (3x faster on the Bible). Same matches: a token starts with a digit, a Latin
# capital or one of the symbols; the look-behinds re-create the branches (``(?<!\w[A-Z])`` after a
# capital is the original ``\b`` before it). tests/test_dpkernel.py checks the equality of the bags
# against the aligner's own ``_token_vectors`` (tricky strings and, when present, the shared data).
_TOKEN_FAST = None


def _token_pattern():
    global _TOKEN_FAST
    if _TOKEN_FAST is None:
        import re

        _TOKEN_FAST = re.compile(
            r"[\dA-Z%§$€£?!](?:(?<=\d)\d*(?:[.,]\d+)*|(?<=[A-Z])(?<!\w[A-Z])[A-Za-z]{2,}\b|(?<=[%§$€£?!]))")
    return _TOKEN_FAST


def copy_tokens(text: str) -> set[str]:
    """The verbatim-copyable tokens of one sentence as a set (the tokens :func:`token_vectors` hashes; numbers
    without ``.``/``,``): exact overlap, where the hashed bags may collide."""
    return {t.replace(".", "").replace(",", "") if t[0].isdigit() else t for t in _token_pattern().findall(text)}


def token_vectors(texts, dim: int = 32) -> np.ndarray:
    """``align.aligner._token_vectors``, bit for bit: hashed 0/1 bag (``dim`` buckets, crc32) of the
    verbatim-copyable tokens of each sentence (numbers without ``.``/``,``, Latin capitalised words of
    3+ letters, a few symbols); the hash of each distinct token is computed once per call."""
    import re
    import zlib

    strip = re.compile(r"[.,]")
    v = np.zeros((len(texts), dim), dtype=np.float32)
    bucket: dict[str, int] = {}
    findall = _token_pattern().findall
    for i, t in enumerate(texts):
        for tok in findall(t):
            h = bucket.get(tok)
            if h is None:
                key = strip.sub("", tok) if tok[0].isdigit() else tok
                h = bucket[tok] = zlib.crc32(key.encode("utf-8")) % dim
            v[i, h] = 1.0
    return v
