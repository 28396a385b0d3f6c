"""The aligner's former numpy code (align.aligner, issue 3 revision), kept verbatim as the reference
that tests/test_dpkernel.py checks the compiled kernel (align.dpkernel) against, bit for bit."""

from __future__ import annotations

import re
import zlib
from typing import Sequence

import numpy as np

from corpus.records import Bead


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\b[A-Z][A-Za-z]{2,}\b|[%§$€£?!]")


def _band_from_path(path: list[Bead], n: int, m: int, r: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Project a (coarse, r sentences per unit) path onto rows 0..n and widen it by ``w``."""
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
    # monotone band containing (0, 0) and (n, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[-1] = 0, m + 1
    return lo, hi


def _token_vectors(texts: Sequence[str], dim: int = 32) -> np.ndarray:
    """Hashed bag of the verbatim-copyable tokens of each sentence (0/1 per hash bucket), so that
    the token overlap of two spans is a dot product of prefix-summed rows, like the embeddings."""
    v = np.zeros((len(texts), dim), dtype=np.float32)
    for i, t in enumerate(texts):
        for tok in _tokens(t):
            v[i, zlib.crc32(tok.encode("utf-8")) % dim] = 1.0
    return v


def _span_norms(p: np.ndarray, kmax: int) -> np.ndarray:
    """N[k-1, j] = |sum of rows j-k..j-1| from prefix sums ``p`` (0 where j < k)."""
    out = np.zeros((kmax, len(p)))
    for k in range(1, kmax + 1):
        out[k - 1, k:] = np.linalg.norm(p[k:] - p[:-k], axis=1)
    return out


def _layout_dots(xs: np.ndarray, xt: np.ndarray, lo: np.ndarray, W: int, types, chunk: int = 64) -> np.ndarray:
    """out[i, t, k] = <sum xs[i-a:i], sum xt[j-b:j]> for type t = (a, b), j = lo[i] + k.

    Rows are processed in chunks; one plain matrix product gives the dots of the chunk's source
    sentences with the target window its band covers, and 2-D prefix sums of that small matrix give
    every span-by-span dot product (the dot of two sums is the sum of the pairwise dots), so no
    span vector is ever gathered or materialised."""
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


def _span_vectors_raw(p: np.ndarray, kmax: int) -> np.ndarray:
    L, d = p.shape
    v = np.zeros((kmax, L, d), dtype=np.float32)
    for k in range(1, kmax + 1):
        v[k - 1, k:] = p[k:] - p[:-k]
    return v


def _knn(cos11: np.ndarray, lo: np.ndarray, valid: np.ndarray, n: int, m: int, k: int):
    """Mean cosine of each sentence to its k nearest candidates inside the band (both directions)
    and its best single cosine. ``cos11[i, kk]`` is src i-1 vs tgt lo[i]+kk-1 (DP row i >= 1)."""
    c = np.where(valid[1:], cos11[1:], -np.inf)  # rows = src sentences 0..n-1
    W = c.shape[1]
    kk = min(k, W)
    part = -np.partition(-c, kk - 1, axis=1)[:, :kk]
    fin = np.isfinite(part)
    top_s = np.where(fin, part, 0).sum(1) / np.maximum(fin.sum(1), 1)
    best_s = np.where(fin.any(1), part.max(1), 0.0)
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
    return top_s, top_t, best_s, best_t


def _tokens(s: str) -> frozenset[str]:
    """Tokens that survive translation verbatim: numbers, Latin capitalised words, some symbols."""
    toks = set()
    for t in _TOKEN.findall(s):
        if t[0].isdigit():
            t = re.sub(r"[.,]", "", t)
        toks.add(t)
    return frozenset(toks)
