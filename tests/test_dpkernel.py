"""The compiled DP kernel (align.dpkernel) must reproduce align.aligner._dp's recurrence exactly:
same path and same total score on random bands and gains."""

from __future__ import annotations

import numpy as np
import pytest

from align import dpkernel

NEG = -1e30
TYPES = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2))


def reference(G, lo, valid, shifts_a, shifts_b, g0, m):
    """Copy of the row loop and trace-back of align.aligner._dp (issue 3 revision)."""
    n1, T1, W = G.shape
    n = n1 - 1
    nt_ = T1 - 1
    P = max(shifts_b)
    ks_ = np.arange(W)
    J = lo[:, None] + ks_[None, :]
    Dp = np.full((n + 1, P + 2 * W + 1), NEG)
    Bk = np.full((n + 1, W), -1, dtype=np.int8)
    idx_g0 = ks_ * g0
    T_NULL_S, T_NULL_T = nt_, nt_ + 1
    cand = np.empty((nt_ + 1, W))
    for i in range(n + 1):
        if i == 0:
            best = np.where(J[0] == 0, 0.0, NEG)
            arg = np.full(W, -1, dtype=np.int8)
        else:
            cand.fill(NEG)
            for t in range(nt_ + 1):
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
        arg = np.where(upd, T_NULL_T, arg).astype(np.int8)
        best = np.where(valid[i], best, NEG)
        Dp[i, P : P + W] = best
        Bk[i] = arg
    steps = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(lo[i])
        t = int(Bk[i, k])
        if t == T_NULL_T or i == 0:
            steps.append((T_NULL_T, i, j))
            j -= 1
        elif t == T_NULL_S or t < 0:
            steps.append((T_NULL_S, i, j))
            i -= 1
        else:
            a, b = TYPES[t]
            steps.append((t, i, j))
            i, j = i - a, j - b
    steps.reverse()
    return steps, float(Dp[n, P + m - lo[n]])


def random_problem(rng, n, m, full: bool):
    """A band like _band_from_path's (monotone, containing (0,0) and (n,m)) and gains masked like _dp's G."""
    if full:
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m + 1, dtype=np.int64)
    else:
        diag = np.round(np.arange(n + 1) * m / max(n, 1)).astype(np.int64)
        w = int(rng.integers(2, 8))
        lo = np.maximum(diag - w + rng.integers(-2, 3, n + 1), 0)
        hi = np.minimum(diag + w + 1 + rng.integers(-2, 3, n + 1), m + 1)
        lo = np.minimum.accumulate(lo[::-1])[::-1]
        hi = np.maximum.accumulate(hi)
        lo[0], hi[-1] = 0, m + 1
        hi = np.maximum(hi, lo + 1)
    W = int((hi - lo).max())
    ks_ = np.arange(W)
    J = lo[:, None] + ks_[None, :]
    valid = (ks_[None, :] < (hi - lo)[:, None]) & (J <= m)
    I = np.arange(n + 1)
    nt_ = len(TYPES)
    G = np.full((n + 1, nt_ + 1, W), NEG, dtype=np.float32)
    for ti, (a, b) in enumerate(TYPES):
        ok = valid & (I[:, None] >= a) & (J >= b)
        g = rng.normal(0.0, 0.1, size=(n + 1, W)) - 0.02 * (a + b - 2)
        G[:, ti] = np.where(ok, g, NEG)
    g0 = float(rng.uniform(-0.1, 0.0))
    G[:, nt_] = np.where(valid & (I[:, None] >= 1), g0, NEG)
    sa = [a for a, _ in TYPES] + [1]
    sb = [b for _, b in TYPES] + [0]
    return G, lo, valid, sa, sb, g0


BACKENDS = ["numpy"] + (["numba"] if dpkernel.backend() == "numba" else [])


@pytest.mark.parametrize("which", BACKENDS)
@pytest.mark.parametrize("seed", range(12))
def test_same_path_and_score_as_reference(which, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    m = int(rng.integers(1, 70))
    G, lo, valid, sa, sb, g0 = random_problem(rng, n, m, full=seed % 3 == 0)
    ref_steps, ref_score = reference(G, lo, valid, sa, sb, g0, m)
    steps, score = dpkernel.dp_path(G, lo, valid, sa, sb, g0, m, which=which)
    assert [tuple(s) for s in steps.tolist()] == ref_steps
    assert score == ref_score  # same float64 operations in the same order
    # the path is monotone and covers both sides exactly once
    T1 = G.shape[1]
    di = sum(sa[t] if t < T1 else 0 for t, _, _ in ref_steps)
    dj = sum(sb[t] if t < T1 else 1 for t, _, _ in ref_steps)
    assert (di, dj) == (n, m)


def test_larger_band_matches():
    rng = np.random.default_rng(99)
    G, lo, valid, sa, sb, g0 = random_problem(rng, 400, 520, full=False)
    ref = reference(G, lo, valid, sa, sb, g0, 520)
    for which in BACKENDS:
        steps, score = dpkernel.dp_path(G, lo, valid, sa, sb, g0, 520, which=which)
        assert ([tuple(s) for s in steps.tolist()], score) == ref


def test_fill_tables_identical_between_backends():
    if "numba" not in BACKENDS:
        pytest.skip("numba not installed")
    rng = np.random.default_rng(5)
    G, lo, valid, sa, sb, g0 = random_problem(rng, 80, 90, full=False)
    d1, b1 = dpkernel.dp_fill(G, lo, valid, sa, sb, g0, max(sb), which="numpy")
    d2, b2 = dpkernel.dp_fill(G, lo, valid, sa, sb, g0, max(sb), which="numba")
    assert np.array_equal(d1, d2) and np.array_equal(b1, b2)


def test_bad_shapes_and_backend_are_clear_errors():
    rng = np.random.default_rng(1)
    G, lo, valid, sa, sb, g0 = random_problem(rng, 5, 5, full=True)
    with pytest.raises(ValueError, match="do not agree"):
        dpkernel.dp_fill(G, lo[:-1], valid, sa, sb, g0, 4)
    with pytest.raises(ValueError, match="unknown DP backend"):
        dpkernel.backend("cuda")


def test_environment_forces_numpy(monkeypatch):
    monkeypatch.setenv("TASSCORPUS_DP", "numpy")
    assert dpkernel.backend() == "numpy"


@pytest.mark.parametrize("which", BACKENDS)
def test_prefix_is_the_aligners_bit_for_bit(which):
    from align.aligner import _prefix

    rng = np.random.default_rng(3)
    for shape in [(0, 8), (1, 8), (137, 384)]:
        e = rng.normal(size=shape).astype(np.float32)
        assert np.array_equal(dpkernel.prefix(e, which=which), _prefix(e))


@pytest.mark.parametrize("which", BACKENDS)
@pytest.mark.parametrize("full", [True, False])
def test_layout_dots_is_the_aligners_bit_for_bit(which, full):
    from align.aligner import _layout_dots

    rng = np.random.default_rng(11 + full)
    n, m = 150, 170
    G, lo, valid, sa, sb, g0 = random_problem(rng, n, m, full=full)
    W = G.shape[2]
    xs = rng.normal(size=(n, 48)).astype(np.float32)
    xt = rng.normal(size=(m, 48)).astype(np.float32)
    for types in (TYPES + ((1, 1),), ((1, 1), (1, 2), (2, 1))):
        ref = _layout_dots(xs, xt, lo, W, types)
        got = dpkernel.layout_dots(xs, xt, lo, W, types, which=which)
        assert got.dtype == ref.dtype and np.array_equal(got, ref)
    # sparse 0/1 token vectors, as the aligner uses them
    ts = (rng.random((n, 32)) < 0.05).astype(np.float32)
    tt = (rng.random((m, 32)) < 0.05).astype(np.float32)
    assert np.array_equal(dpkernel.layout_dots(ts, tt, lo, W, TYPES, which=which), _layout_dots(ts, tt, lo, W, TYPES))


@pytest.mark.parametrize("which", BACKENDS)
def test_span_norms_is_the_aligners_bit_for_bit(which):
    from align.aligner import _prefix, _span_norms

    rng = np.random.default_rng(8)
    for d in (384, 32, 130, 7):
        e = rng.normal(size=(90, d)).astype(np.float32)
        if d == 32:
            e = (e > 1.2).astype(np.float32)  # token bags
        p = _prefix(e)
        for kmax in (1, 4):
            assert np.array_equal(dpkernel.span_norms(p, kmax, which=which), _span_norms(p, kmax))


def test_without_numba_falls_back_to_numpy(monkeypatch):
    monkeypatch.setattr(dpkernel, "_NUMBA_FILL", None)
    monkeypatch.setattr(dpkernel, "_NUMBA_ERROR", "No module named 'numba'")
    assert dpkernel.backend() == "numpy"
    with pytest.raises(ImportError, match="needs numba"):
        dpkernel.backend("numba")
    rng = np.random.default_rng(4)
    G, lo, valid, sa, sb, g0 = random_problem(rng, 20, 25, full=False)
    steps, score = dpkernel.dp_path(G, lo, valid, sa, sb, g0, 25)
    assert ([tuple(s) for s in steps.tolist()], score) == reference(G, lo, valid, sa, sb, g0, 25)
