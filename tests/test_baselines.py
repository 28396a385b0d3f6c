"""scripts/baselines.py: Vecalign's search (sentweave) on the aligner's own sentence vectors, the
baseline scripts/eval_alignment.py --baseline and scripts/bench_alignment.py compare with."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from baselines import overlap_vectors, sentweave_vecalign  # noqa: E402


def test_overlap_vectors_are_front_padded_spans_ending_at_each_sentence():
    rng = np.random.default_rng(0)
    e = rng.normal(size=(6, 5)).astype(np.float32)
    v = overlap_vectors(e, 3)
    assert v.shape == (3, 6, 5)
    for k in (1, 2, 3):
        for i in range(k - 1, 6):
            want = e[i - k + 1 : i + 1].sum(0)
            np.testing.assert_allclose(v[k - 1, i], want / np.linalg.norm(want), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(v, axis=2), 1.0, rtol=1e-5)


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")  # inside sentweave
def test_vecalign_baseline_recovers_planted_merges():
    pytest.importorskip("sentweave")
    rng = np.random.default_rng(1)
    n, d = 60, 64
    es = rng.normal(size=(n, d)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    tgt, gold, i = [], [], 0
    while i < n:
        j = len(tgt)
        if i % 7 == 3 and i + 1 < n:  # two source sentences rendered as one
            tgt.append(es[i] + es[i + 1])
            gold.append(((i, i + 1), (j,)))
            i += 2
        else:
            tgt.append(es[i] + 0.05 * rng.normal(size=d))
            gold.append(((i,), (j,)))
            i += 1
    et = np.array(tgt, dtype=np.float32)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    seconds, beads = sentweave_vecalign(es, et)
    assert seconds >= 0
    got = [(b.src, b.tgt) for b in beads]
    assert got == gold  # every 2-1 at its place: a one-off span convention would shift them
    # empty sides give null beads without calling the search
    _, beads = sentweave_vecalign(es[:2], et[:0])
    assert [(b.src, b.tgt) for b in beads] == [((0,), ()), ((1,), ())]
