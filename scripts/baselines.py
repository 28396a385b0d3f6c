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
