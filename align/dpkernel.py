"""Compiled inner loop of the aligner's banded dynamic programme (``align.aligner._dp``).

Why it exists: ``_dp`` fills the DP one row at a time with a handful of numpy calls per row, so on a
long document (the 5,000 x 6,301 Bible: ~2 x 5,000 rows, plus the coarse levels) the Python and numpy
call overhead of the row loop, not arithmetic, sets the time. :func:`dp_path` runs exactly the same
recurrence in a numba-jitted loop (one pass over the band, no temporaries), with a pure-numpy
fallback -- the original row loop -- when numba is not installed, so numba stays an optional speed-up.

The recurrence (band layout, as built in ``_dp``): row ``i`` covers DP columns ``j = lo[i] + k``,
``k < W``. ``G[i, t, k]`` is the gain of a bead of type ``t`` ending at ``(i, j)``; the last type
(index ``T - 1``) is the 1-0 step. For ``i >= 1``::

    cand[t, k] = D[i - a_t, j - b_t] + G[i, t, k]     (NEG + G[i, t, k] if a_t > i or off_t >= W)
    best[k]    = max_t cand[t, k]                    (first maximum on ties, like numpy's argmax)

row 0 starts at ``best = 0`` on ``j == 0``; then 0-1 steps inside the row are a running maximum,
``run[k] = max_{k' <= k}(best[k'] - k' g0) + k g0``, taken where ``run > best + 1e-9``; cells outside
``valid`` are set to NEG. The arithmetic is the same float64 operations in the same order, so the
numba path returns the same path and a bit-identical score (tests/test_dpkernel.py).

Three helpers of the gain construction are here for the same reason (profiled on the Bible: after
the row loop they were the largest costs of ``_dp``), each a drop-in for the aligner's function with
bit-identical output: :func:`prefix` (``_prefix``: numpy's cumsum along axis 0 is strided and slow,
~0.2 s per 6k x 384 side), :func:`span_norms` (``_span_norms``: one temporary per span length; the
compiled loop repeats numpy's pairwise summation of the squares, so equality holds for numpy's
current reduction code -- the tests compare against the aligner's own function) and
:func:`layout_dots` (``_layout_dots``: the four fancy-index gathers per bead type cost more than the
matrix product). Matrix products stay in numpy (its BLAS), so results do not depend on the BLAS
numba would link.

Arrays are allocated in Python and filled by the compiled code, so tracemalloc-based memory
measurements (scripts/bench_alignment.py) still see them. Compiled code is cached on disk
(``cache=True``, next to this module): the first call on a fresh machine compiles for ~5-10 s.
``TASSCORPUS_DP=numpy`` forces the fallback.
"""

from __future__ import annotations

import os

import numpy as np

NEG = -1e30

_NUMBA_FILL = None  # the jitted fill, built on first use
_NUMBA_ERROR: str | None = None


def _numpy_fill(G, lo, valid, shifts_a, shifts_b, null_gain, P):
    """The reference row loop of ``align.aligner._dp`` (vectorised per row)."""
    n1, T1, W = G.shape
    Dp = np.full((n1, P + 2 * W + 1), NEG)
    Bk = np.full((n1, W), -1, dtype=np.int8)
    ks_ = np.arange(W)
    idx_g0 = ks_ * null_gain
    t_null_t = T1
    cand = np.empty((T1, W))
    for i in range(n1):
        if i == 0:
            best = np.where(lo[0] + ks_ == 0, 0.0, NEG)
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
            best = cand[arg, ks_]
        run = np.maximum.accumulate(best - idx_g0) + idx_g0
        upd = run > best + 1e-9
        best = np.where(upd, run, best)
        arg = np.where(upd, t_null_t, arg).astype(np.int8)
        best = np.where(valid[i], best, NEG)
        Dp[i, P : P + W] = best
        Bk[i] = arg
    return Dp, Bk


def _build_numba():
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


def _build_numba_helpers():
    import numba

    @numba.njit(cache=True, nogil=True)
    def prefix(e, p):  # pragma: no cover - compiled
        n, d = e.shape
        for i in range(n):
            for c in range(d):
                p[i + 1, c] = p[i, c] + np.float64(e[i, c])

    @numba.njit(cache=True, nogil=True)
    def chunk_dots(M, P, c0, c1, s0, t0, lo, ta, tb, out):  # pragma: no cover - compiled
        # P (zeros on entry) = 2-D prefix sums of M (numpy: astype(float64).cumsum(0).cumsum(1))
        pr, pc = P.shape
        R, C = M.shape
        if R > 0 and C > 0:
            for c in range(C):
                acc = np.float64(M[0, c])
                P[1, c + 1] = acc
                for r in range(1, R):
                    acc = acc + np.float64(M[r, c])
                    P[r + 1, c + 1] = acc
            for r in range(1, R + 1):
                for c in range(2, C + 1):
                    P[r, c] = P[r, c - 1] + P[r, c]
        W = out.shape[2]
        for i in range(c0, c1):
            ri = i - s0
            rr = min(ri, pr - 1)
            for k in range(W):
                cj = lo[i] + k - t0
                cj = min(max(cj, 0), pc - 1)
                for t in range(ta.shape[0]):
                    ra = max(ri - ta[t], 0)
                    cb = max(cj - tb[t], 0)
                    out[i, t, k] = P[rr, cj] - P[ra, cj] - P[rr, cb] + P[ra, cb]

    @numba.njit(cache=True, nogil=True)
    def pairwise_sum(a, lo_, n):  # pragma: no cover - compiled
        # numpy's pairwise summation (add.reduce over a contiguous row), to stay bit-identical
        if n < 8:
            res = -0.0
            for i in range(n):
                res += a[lo_ + i]
            return res
        if n <= 128:
            r0, r1, r2, r3 = a[lo_], a[lo_ + 1], a[lo_ + 2], a[lo_ + 3]
            r4, r5, r6, r7 = a[lo_ + 4], a[lo_ + 5], a[lo_ + 6], a[lo_ + 7]
            i = 8
            while i < n - (n % 8):
                r0 += a[lo_ + i]
                r1 += a[lo_ + i + 1]
                r2 += a[lo_ + i + 2]
                r3 += a[lo_ + i + 3]
                r4 += a[lo_ + i + 4]
                r5 += a[lo_ + i + 5]
                r6 += a[lo_ + i + 6]
                r7 += a[lo_ + i + 7]
                i += 8
            res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n:
                res += a[lo_ + i]
                i += 1
            return res
        n2 = n // 2
        n2 -= n2 % 8
        return pairwise_sum(a, lo_, n2) + pairwise_sum(a, lo_ + n2, n - n2)

    @numba.njit(cache=True, nogil=True)
    def span_norms(p, kmax, out):  # pragma: no cover - compiled
        L, d = p.shape
        sq = np.empty(d)
        for k in range(1, kmax + 1):
            for j in range(k, L):
                for c in range(d):
                    x = p[j, c] - p[j - k, c]
                    sq[c] = x * x
                out[k - 1, j] = np.sqrt(pairwise_sum(sq, 0, d))

    return prefix, chunk_dots, span_norms


_NUMBA_HELPERS = None


def _get_numba_fill():
    global _NUMBA_FILL, _NUMBA_ERROR, _NUMBA_HELPERS
    if _NUMBA_FILL is None and _NUMBA_ERROR is None:
        try:
            _NUMBA_FILL = _build_numba()
            _NUMBA_HELPERS = _build_numba_helpers()
        except ImportError as e:
            _NUMBA_ERROR = str(e)
    return _NUMBA_FILL


def prefix(e: np.ndarray, *, which: str = "auto") -> np.ndarray:
    """p[0] = 0, p[i] = sum of rows 0..i-1 in float64 -- ``align.aligner._prefix``, bit for bit."""
    e = np.asarray(e)
    if backend(which) == "numba" and e.ndim == 2:
        p = np.zeros((len(e) + 1, e.shape[1]), dtype=np.float64)
        _NUMBA_HELPERS[0](np.ascontiguousarray(e), p)
        return p
    p = np.zeros((len(e) + 1, e.shape[1]), dtype=np.float64)
    np.cumsum(e, axis=0, out=p[1:])
    return p


def span_norms(p: np.ndarray, kmax: int, *, which: str = "auto") -> np.ndarray:
    """N[k-1, j] = |sum of rows j-k..j-1| from prefix sums ``p`` (0 where j < k): the aligner's
    ``_span_norms``. The compiled path reproduces numpy's pairwise summation of the squares, so it
    is bit-identical to ``np.linalg.norm(..., axis=1)`` (checked by tests/test_dpkernel.py)."""
    p = np.asarray(p, dtype=np.float64)
    out = np.zeros((kmax, len(p)))
    if backend(which) == "numba" and p.ndim == 2:
        _NUMBA_HELPERS[2](np.ascontiguousarray(p), int(kmax), out)
        return out
    for k in range(1, kmax + 1):
        out[k - 1, k:] = np.linalg.norm(p[k:] - p[:-k], axis=1)
    return out


def layout_dots(xs: np.ndarray, xt: np.ndarray, lo: np.ndarray, W: int, types, chunk: int = 64,
                *, which: str = "auto") -> np.ndarray:
    """out[i, t, k] = <sum xs[i-a:i], sum xt[j-b:j]> for type t = (a, b), j = lo[i] + k: the same
    chunked prefix-sum construction as ``align.aligner._layout_dots`` (same float32 output, bit for
    bit), with the 2-D prefix sums and the per-type gathers compiled."""
    if backend(which) != "numba":
        return _numpy_layout_dots(xs, xt, lo, W, types, chunk)
    _get_numba_fill()
    chunk_dots = _NUMBA_HELPERS[1]
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    n1 = len(lo)
    m = len(xt)
    ta = np.array([a for a, _ in types], dtype=np.int64)
    tb = np.array([b for _, b in types], dtype=np.int64)
    amax, bmax = int(ta.max()), int(tb.max())
    out = np.zeros((n1, len(ta), W), dtype=np.float32)
    empty = np.zeros((0, 0), dtype=np.float32)
    for c0 in range(0, n1, chunk):
        c1 = min(n1, c0 + chunk)
        s0, s1 = max(0, c0 - amax), max(c1 - 1, 0)
        t0, t1 = max(0, int(lo[c0]) - bmax), min(m, int(lo[c1 - 1]) + W)
        pr, pc = max(s1 - s0, 0) + 1, max(t1 - t0, 0) + 1
        M = xs[s0:s1] @ xt[t0:t1].T if (s1 > s0 and t1 > t0) else empty
        chunk_dots(np.ascontiguousarray(M), np.zeros((pr, pc)), c0, c1, s0, t0, lo, ta, tb, out)
    return out


def _numpy_layout_dots(xs, xt, lo, W, types, chunk=64):
    """The aligner's ``_layout_dots`` (numpy), the fallback and the reference of the tests."""
    n1 = len(lo)
    m = len(xt)
    amax = max(a for a, _ in types)
    bmax = max(b for _, b in types)
    out = np.zeros((n1, len(types), W), dtype=np.float32)
    ks = np.arange(W)
    for c0 in range(0, n1, chunk):
        c1 = min(n1, c0 + chunk)
        s0, s1 = max(0, c0 - amax), max(c1 - 1, 0)
        t0, t1 = max(0, int(lo[c0]) - bmax), min(m, int(lo[c1 - 1]) + W)
        P = np.zeros((max(s1 - s0, 0) + 1, max(t1 - t0, 0) + 1))
        if s1 > s0 and t1 > t0:
            P[1:, 1:] = (xs[s0:s1] @ xt[t0:t1].T).astype(np.float64).cumsum(0).cumsum(1)
        I = np.arange(c0, c1)
        ri = (I - s0)[:, None]
        cj = np.clip(lo[c0:c1, None] + ks[None, :] - t0, 0, P.shape[1] - 1)
        for ti, (a, b) in enumerate(types):
            ra = np.maximum(ri - a, 0)
            cb = np.maximum(cj - b, 0)
            rr = np.minimum(ri, P.shape[0] - 1)
            out[c0:c1, ti] = P[rr, cj] - P[ra, cj] - P[rr, cb] + P[ra, cb]
    return out


def backend(requested: str = "auto") -> str:
    """The backend :func:`dp_path` will use: ``numba`` when importable (unless the environment
    variable ``TASSCORPUS_DP=numpy`` or ``requested="numpy"`` asks for the fallback)."""
    if requested not in ("auto", "numba", "numpy"):
        raise ValueError(f"unknown DP backend {requested!r}; choose auto, numba or numpy")
    if requested == "auto":
        requested = os.environ.get("TASSCORPUS_DP", "auto")
    if requested == "numpy":
        return "numpy"
    if _get_numba_fill() is not None:
        return "numba"
    if requested == "numba":
        raise ImportError(f"the numba DP backend needs numba: {_NUMBA_ERROR}")
    return "numpy"


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
    if backend(which) == "numba":
        # outputs allocated here, not inside the compiled code, so tracemalloc sees them
        Dp = np.full((n1, pad + 2 * W + 1), NEG)
        Bk = np.full((n1, W), -1, dtype=np.int8)
        _get_numba_fill()(G, lo, valid, sa, sb, float(null_gain), int(pad), Dp, Bk)
        return Dp, Bk
    return _numpy_fill(G, lo, valid, sa, sb, float(null_gain), int(pad))


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
