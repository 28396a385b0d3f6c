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
    cols = np.arange(W)
    J = lo[:, None] + cols[None, :]
    Dp = np.full((n + 1, P + 2 * W + 1), NEG)
    Bk = np.full((n + 1, W), -1, dtype=np.int8)
    idx_g0 = cols * g0
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
            best = cand[arg, cols]
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
    cols = np.arange(W)
    J = lo[:, None] + cols[None, :]
    valid = (cols[None, :] < (hi - lo)[:, None]) & (J <= m)
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
    from reference_aligner import _layout_dots

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
    from align.aligner import _prefix
    from reference_aligner import _span_norms

    rng = np.random.default_rng(8)
    for d in (384, 32, 130, 7):
        e = rng.normal(size=(90, d)).astype(np.float32)
        if d == 32:
            e = (e > 1.2).astype(np.float32)  # token bags
        p = _prefix(e)
        for kmax in (1, 4):
            assert np.array_equal(dpkernel.span_norms(p, kmax, which=which), _span_norms(p, kmax))


def test_without_numba_falls_back_to_numpy(monkeypatch):
    monkeypatch.setattr(dpkernel, "_NUMBA_LOADED", False)
    monkeypatch.setattr(dpkernel, "_NUMBA_ERROR", "No module named 'numba'")
    assert dpkernel.backend() == "numpy"
    with pytest.raises(ImportError, match="needs numba"):
        dpkernel.backend("numba")
    rng = np.random.default_rng(4)
    G, lo, valid, sa, sb, g0 = random_problem(rng, 20, 25, full=False)
    steps, score = dpkernel.dp_path(G, lo, valid, sa, sb, g0, 25)
    assert ([tuple(s) for s in steps.tolist()], score) == reference(G, lo, valid, sa, sb, g0, 25)


# --------------------------------------------------------------------------- gains, kNN, band, trace-back, tokens
# References below are copies of the numpy code of align.aligner._dp (issue 3 revision of the
# commit that wired dp_fill in) or, where the aligner has a function of its own, that function.


def _problem_with_evidence(rng, n, m, full):
    """A random band plus everything _dp computes before its gain loop (embeddings, kNN sums,
    lengths, token bags), built with the aligner's own helpers."""
    from align.aligner import _prefix
    from reference_aligner import _knn, _layout_dots, _span_norms

    G, lo, valid, sa, sb, g0 = random_problem(rng, n, m, full=full)
    W = G.shape[2]
    base = rng.normal(size=(max(n, m), 24))
    es = (base[:n] + 0.7 * rng.normal(size=(n, 24))).astype(np.float32)
    et = (base[:m] + 0.7 * rng.normal(size=(m, 24))).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    ps, pt = _prefix(es), _prefix(et)
    ns_e, nt_e = _span_norms(ps, 4), _span_norms(pt, 4)
    all_types = TYPES
    J = lo[:, None] + np.arange(W)[None, :]
    cos = _layout_dots(es, et, lo, W, all_types)
    Jc0 = np.clip(J, 0, m)
    for ti, (a, b) in enumerate(all_types):
        cos[:, ti] /= np.maximum(ns_e[a - 1][:, None] * nt_e[b - 1][Jc0], 1e-9)
    ks, kt, best_s, best_t = _knn(cos[:, 0], lo, valid, n, m, 4)
    ls = rng.integers(1, 200, n).astype(np.float64)
    lt = rng.integers(1, 200, m).astype(np.float64)
    toks = ((rng.random((n, 32)) < 0.06).astype(np.float32), (rng.random((m, 32)) < 0.06).astype(np.float32))
    tdot = _layout_dots(toks[0], toks[1], lo, W, TYPES)
    ns = _span_norms(_prefix(toks[0]), 4) ** 2
    nt = _span_norms(_prefix(toks[1]), 4) ** 2
    return dict(G=G, lo=lo, valid=valid, W=W, es=es, et=et, ps=ps, pt=pt, ns_e=ns_e, nt_e=nt_e, cos=cos,
                ks=ks, kt=kt, best_s=best_s, best_t=best_t, ls=ls, lt=lt, tdot=tdot, ns=ns, nt=nt, n=n, m=m)


def _reference_gains(p, cfg, tok: bool, nbr=None):
    """Copy of the gain loop of align.aligner._dp as it was in numpy (with the neighbour term when
    ``nbr`` is given)."""
    n, m, lo, valid, W, cos = p["n"], p["m"], p["lo"], p["valid"], p["W"], p["cos"]
    types = TYPES
    cols = np.arange(W)
    J = lo[:, None] + cols[None, :]
    knn_src_cum = np.concatenate([[0.0], np.cumsum(p["ks"])])
    knn_tgt_cum = np.concatenate([[0.0], np.cumsum(p["kt"])])
    len_src_cum = np.concatenate([[0.0], np.cumsum(p["ls"])])
    len_tgt_cum = np.concatenate([[0.0], np.cumsum(p["lt"])])
    ratio = max(len_tgt_cum[-1], 1.0) / max(len_src_cum[-1], 1.0)
    ns, nt, tdot = p["ns"], p["nt"], p["tdot"]
    I = np.arange(n + 1)
    nt_ = len(types)
    G = np.full((n + 1, nt_ + 1, W), NEG, dtype=np.float32)
    Jc = np.clip(J, 0, m)
    for ti, (a, b) in enumerate(types):
        ok = valid & (I[:, None] >= a) & (J >= b)
        ia = np.maximum(I - a, 0)
        jb = np.maximum(Jc - b, 0)
        kn_s = ((knn_src_cum[I] - knn_src_cum[ia]) / a)[:, None]
        kn_t = (knn_tgt_cum[Jc] - knn_tgt_cum[jb]) / b
        margin = cos[:, ti] / np.maximum((kn_s + kn_t) / 2, 1e-6)
        g = ((a + b) / 2) ** cfg.size_exponent * (margin - cfg.threshold) - cfg.mn_penalty * (a + b - 2)
        if nbr is not None:
            g += cfg.neighbour_weight * (cos[:, ti] - nbr[:, ti]) / np.maximum((kn_s + kn_t) / 2, 1e-6)
        if cfg.length_weight:
            Ls = (len_src_cum[I] - len_src_cum[ia])[:, None]
            Lt = len_tgt_cum[Jc] - len_tgt_cum[jb]
            g -= cfg.length_weight * np.abs(np.log((Lt + 10) / (ratio * Ls + 10)))
        if tok:
            sa = ns[a - 1][:, None]
            tb = nt[b - 1][Jc]
            both = (sa > 0) & (tb > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                ev = np.where(both, tdot[:, ti] / np.sqrt(np.maximum(sa * tb, 1e-9)), 0.0)
            ev = np.where(both & (tdot[:, ti] < 0.5), -0.5, ev)
            g += cfg.token_weight * ev
        G[:, ti] = np.where(ok, g, NEG)
    G[:, nt_] = np.where(valid & (I[:, None] >= 1), cfg.null_gain, NEG)
    return G, (knn_src_cum, knn_tgt_cum, len_src_cum, len_tgt_cum, ratio)


@pytest.mark.parametrize("which", BACKENDS)
@pytest.mark.parametrize("seed", range(4))
def test_gains_are_the_aligners_bit_for_bit(which, seed):
    from align.aligner import AlignConfig

    rng = np.random.default_rng(40 + seed)
    p = _problem_with_evidence(rng, int(rng.integers(5, 90)), int(rng.integers(5, 90)), full=seed % 2 == 0)
    configs = [AlignConfig(), AlignConfig(length_weight=0.0, size_exponent=0.5, mn_penalty=0.05, null_gain=-0.1,
                                          neighbour_weight=0.35)]
    nbr = (rng.random(p["cos"][:, : len(TYPES)].shape) * 0.9).astype(np.float32)
    for cfg in configs:
        for tok in (True, False):
            for nb in (None, nbr):
                ref, (knn_src_cum, knn_tgt_cum, len_src_cum, len_tgt_cum, ratio) = _reference_gains(p, cfg, tok, nb)
                extra = dict(tok_dots=p["tdot"], tok_count_src=p["ns"], tok_count_tgt=p["nt"]) if tok else {}
                got = dpkernel.gains(p["cos"], p["lo"], p["valid"], TYPES, p["m"], knn_src_cum, knn_tgt_cum,
                                     threshold=cfg.threshold, mn_penalty=cfg.mn_penalty,
                                     size_exponent=cfg.size_exponent, null_gain=cfg.null_gain,
                                     length_weight=cfg.length_weight, len_src_cum=len_src_cum,
                                     len_tgt_cum=len_tgt_cum, ratio=ratio, token_weight=cfg.token_weight, which=which,
                                     neighbour_weight=cfg.neighbour_weight if nb is not None else 0.0, neighbour_cos=nb,
                                     **extra)
                assert got.dtype == np.float32 and got.shape == ref.shape
                assert np.array_equal(got, ref)


@pytest.mark.parametrize("which", BACKENDS)
def test_layout_cos_is_the_aligners_bit_for_bit(which):
    rng = np.random.default_rng(21)
    for full in (True, False):
        p = _problem_with_evidence(rng, 70, 85, full=full)
        got = dpkernel.layout_cos(p["es"], p["et"], p["lo"], p["W"], TYPES, p["ns_e"], p["nt_e"], p["m"], which=which)
        assert got.dtype == np.float32 and np.array_equal(got, p["cos"])


@pytest.mark.parametrize("seed", range(3))
def test_neighbours_compiled_equal_numpy_bit_for_bit(seed):
    """The compiled neighbour cosines are the numpy version's, in full and narrow bands (where band edges
    and document edges make neighbours missing)."""
    if dpkernel.backend() != "numba":
        pytest.skip("numba not installed")
    rng = np.random.default_rng(90 + seed)
    for full in (True, False):
        p = _problem_with_evidence(rng, int(rng.integers(5, 80)), int(rng.integers(5, 80)), full=full)
        n, m = len(p["es"]), p["m"]
        ref = dpkernel.neighbours(p["cos"], TYPES, TYPES, p["lo"], n, m, which="numpy")
        got = dpkernel.neighbours(p["cos"], TYPES, TYPES, p["lo"], n, m, which="numba")
        assert got.dtype == np.float32 and got.shape == ref.shape == (n + 1, len(TYPES), p["W"])
        assert np.array_equal(got, ref)
        assert np.abs(ref).max() > 0  # the check is not comparing two zero tensors


@pytest.mark.parametrize("which", BACKENDS)
@pytest.mark.parametrize("seed", range(4))
def test_knn_is_the_aligners_bit_for_bit(which, seed):
    from reference_aligner import _knn

    rng = np.random.default_rng(60 + seed)
    n, m = int(rng.integers(2, 80)), int(rng.integers(2, 80))
    _, lo, valid, *_ = random_problem(rng, n, m, full=seed % 2 == 0)
    W = valid.shape[1]
    cos11 = rng.uniform(-0.2, 1.0, size=(n + 1, W)).astype(np.float32)
    if seed >= 2:
        cos11 = np.round(cos11 * 4) / 4  # many ties
    for k in (1, 4, 9):
        ref = _knn(cos11, lo, valid, n, m, k)
        got = dpkernel.knn(cos11, lo, valid, n, m, k, which=which)
        for r, g in zip(ref, got):
            assert r.dtype == g.dtype and np.array_equal(r, g)


@pytest.mark.parametrize("which", BACKENDS)
def test_band_from_path_is_the_aligners(which):
    from reference_aligner import _band_from_path
    from corpus.records import Bead

    rng = np.random.default_rng(7)
    for _ in range(20):
        path, i, j = [], 0, 0
        for _ in range(int(rng.integers(1, 60))):
            a, b = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 2)][int(rng.integers(0, 6))]
            path.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b))))
            i, j = i + a, j + b
        r = int(rng.integers(1, 9))
        w = int(rng.integers(0, 12))
        n = min(i * r, i * r - int(rng.integers(0, r)))
        m = min(j * r, j * r - int(rng.integers(0, r)))
        n, m = max(n, 0), max(m, 0)
        lo, hi = dpkernel.band_from_path(path, n, m, r, w, which=which)
        rlo, rhi = _band_from_path(path, n, m, r, w)
        assert np.array_equal(lo, rlo) and np.array_equal(hi, rhi)


@pytest.mark.parametrize("seed", range(6))
def test_trace_steps_equals_trace(seed):
    rng = np.random.default_rng(80 + seed)
    n, m = int(rng.integers(1, 60)), int(rng.integers(1, 60))
    G, lo, valid, sa, sb, g0 = random_problem(rng, n, m, full=seed % 2 == 0)
    _, B = dpkernel.dp_fill(G, lo, valid, sa, sb, g0, max(sb))
    try:
        ref = dpkernel.trace(B, lo, sa, sb, m)
    except ValueError:  # a random band may leave no path: both must say so
        for which in BACKENDS:
            with pytest.raises(ValueError, match="left the band"):
                dpkernel.trace_steps(B, lo, sa, sb, m, which=which)
        return
    for which in BACKENDS:
        got = dpkernel.trace_steps(B, lo, sa, sb, m, which=which)
        assert got.dtype == np.int64 and np.array_equal(got, ref)


def _reference_trace_beads(p, B, cfg):
    """Copy of the trace-back of align.aligner._dp (no concatenation tables)."""
    from align.aligner import _null_score, _pair_score
    from corpus.records import Bead

    n, m, lo, ps, pt, ns_e, nt_e = p["n"], p["m"], p["lo"], p["ps"], p["pt"], p["ns_e"], p["nt_e"]
    ks, kt, best_s, best_t = p["ks"], p["kt"], p["best_s"], p["best_t"]
    knn_src_cum = np.concatenate([[0.0], np.cumsum(ks)])
    knn_tgt_cum = np.concatenate([[0.0], np.cumsum(kt)])
    nt_ = len(TYPES)
    T_NULL_S, T_NULL_T = nt_, nt_ + 1
    beads = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(lo[i])
        t = int(B[i, k])
        if t == T_NULL_T or (i == 0):
            beads.append(Bead((), (j - 1,), _null_score(best_t[j - 1], kt[j - 1], cfg)))
            j -= 1
        elif t == T_NULL_S or t < 0:
            beads.append(Bead((i - 1,), (), _null_score(best_s[i - 1], ks[i - 1], cfg)))
            i -= 1
        else:
            a, b = TYPES[t]
            c = float((ps[i] - ps[i - a]) @ (pt[j] - pt[j - b])) / max(ns_e[a - 1, i] * nt_e[b - 1, j], 1e-9)
            kn = ((knn_src_cum[i] - knn_src_cum[i - a]) / a + (knn_tgt_cum[j] - knn_tgt_cum[j - b]) / b) / 2
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), _pair_score(c / max(kn, 1e-6), cfg)))
            i, j = i - a, j - b
    beads.reverse()
    return beads, (knn_src_cum, knn_tgt_cum)


@pytest.mark.parametrize("which", BACKENDS)
@pytest.mark.parametrize("seed", range(4))
def test_trace_beads_are_the_aligners(which, seed):
    from align.aligner import AlignConfig, _null_score, _pair_score

    cfg = AlignConfig()
    rng = np.random.default_rng(90 + seed)
    p = _problem_with_evidence(rng, int(rng.integers(3, 120)), int(rng.integers(3, 120)), full=seed % 2 == 0)
    ref_g, _ = _reference_gains(p, cfg, True)
    sa = [a for a, _ in TYPES] + [1]
    sb = [b for _, b in TYPES] + [0]
    _, B = dpkernel.dp_fill(ref_g, p["lo"], p["valid"], sa, sb, cfg.null_gain, max(sb))
    ref, (knn_src_cum, knn_tgt_cum) = _reference_trace_beads(p, B, cfg)
    got = dpkernel.trace_beads(B, p["lo"], TYPES, p["m"], p["ps"], p["pt"], p["ns_e"], p["nt_e"], knn_src_cum,
                               knn_tgt_cum, p["ks"], p["kt"], p["best_s"], p["best_t"], lambda x: _pair_score(x, cfg),
                               lambda c, k: _null_score(c, k, cfg), which=which, chunk=7)
    assert got == ref
    bare = dpkernel.trace_beads(B, p["lo"], TYPES, p["m"], p["ps"], p["pt"], p["ns_e"], p["nt_e"], knn_src_cum,
                                knn_tgt_cum, p["ks"], p["kt"], p["best_s"], p["best_t"], None, None, scores=False,
                                which=which)
    assert [(b.src, b.tgt) for b in bare] == [(b.src, b.tgt) for b in ref] and {b.score for b in bare} == {0.0}


TRICKY = [
    "MOSCOW, March 3. /TASS/. The 2,500.75 rubles; 1.000.000 and 3,14,15 - 42% of $5 €7 £9 § 4?!",
    "McDonald iPhone USA Ab ABC AbcD xYz Moscow's Moscow2 2Moscow Mo_scow _Abc Éclair ÀBC",
    "Цифры ١٢٣ and ０１２ full-width, 12,3.4,5 ., ,5 5, 5. x1.2 1..2 1,,2",
    "Путин встретился с Байденом в Женеве 16 июня 2021 года.",
    "", "   ", "A", "Ab", "Abc", "ABC", "(Abc)", "Abc-Def", "Abc'def", "ß Straße Über UEFA",
    "中华人民共和国 2021年 Beijing，北京！？", "tab\tAbc\nNew line 7",
]


def test_token_vectors_are_the_aligners():
    from reference_aligner import _token_vectors

    ref = _token_vectors(TRICKY)
    got = dpkernel.token_vectors(TRICKY)
    assert got.dtype == ref.dtype and np.array_equal(got, ref)
    assert ref.sum() > 20  # the strings do produce tokens


def test_token_vectors_are_the_aligners_on_shared_text(shared_dir):
    """Every line of a few multilingual evaluation corpora (en, zh, de, fr, ru)."""
    from reference_aligner import _token_vectors

    ev = shared_dir / "eval"
    files = [ev / "bertalign_bible_enzh/data/bible/en/001", ev / "bertalign_bible_enzh/data/bible/zh/001"]
    files += sorted((ev / "textberg_defr_vecalign/bleualign_data").glob("dev.*"))
    files += sorted((ev / "wmt21_newstest2021_ruen").rglob("*"))[:40]
    lines: list[str] = []
    for f in files:
        if f.is_file() and f.stat().st_size < 5_000_000:
            lines += f.read_text(encoding="utf-8", errors="replace").splitlines()
    assert len(lines) > 5000
    assert np.array_equal(dpkernel.token_vectors(lines), _token_vectors(lines))


def test_align_embedded_same_beads_with_and_without_numba(monkeypatch):
    """Whatever routines the aligner takes from align.dpkernel, the numba and numpy paths agree
    (banded search with a coarse level, refinement pass, token and length evidence)."""
    if "numba" not in BACKENDS:
        pytest.skip("numba not installed")
    from align.aligner import AlignConfig, align_embedded

    rng = np.random.default_rng(3)
    n, m = 700, 760
    base = rng.normal(size=(m, 32))
    keep = np.sort(rng.choice(m, n, replace=False))
    es = (base[keep] + 0.6 * rng.normal(size=(n, 32))).astype(np.float32)
    et = (base + 0.6 * rng.normal(size=(m, 32))).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    src = [f"Sentence {i} about Moscow" if i % 5 == 0 else "x" * int(rng.integers(5, 90)) for i in range(n)]
    tgt = [f"Satz {j} Moscow" if j % 6 == 0 else "y" * int(rng.integers(5, 90)) for j in range(m)]
    cfg = AlignConfig(max_full_cells=20_000)
    fast = align_embedded(src, tgt, es, et, config=cfg)
    monkeypatch.setenv("TASSCORPUS_DP", "numpy")
    slow = align_embedded(src, tgt, es, et, config=cfg)
    assert fast == slow
    assert sum(len(b.src) for b in fast) == n and sum(len(b.tgt) for b in fast) == m
