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


def test_bertalign_baseline_recovers_planted_merges_and_deletions():
    """Bertalign's two-pass search (scripts/baselines.py) finds planted 2-1 merges and a deleted sentence, with the
    spans ending where the gold says (its lengths: the " "-joined texts' UTF-8 bytes)."""
    pytest.importorskip("numba")
    from baselines import bertalign_search, span_layers

    rng = np.random.default_rng(2)
    n, d = 40, 64
    es = rng.normal(size=(n, d)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    src = [f"source sentence number {i} " + "x" * (20 + 7 * (i % 5)) for i in range(n)]
    tgt_v, tgt, gold, i = [], [], [], 0
    while i < n:
        j = len(tgt_v)
        if i % 9 == 4 and i + 1 < n:  # two source sentences rendered as one
            tgt_v.append(es[i] + es[i + 1])
            tgt.append(src[i] + " " + src[i + 1])
            gold.append(((i, i + 1), (j,)))
            i += 2
        elif i == 20:  # a source sentence the target drops
            gold.append(((i,), ()))
            i += 1
        else:
            tgt_v.append(es[i] + 0.05 * rng.normal(size=d))
            tgt.append(src[i])
            gold.append(((i,), (j,)))
            i += 1
    et = np.array(tgt_v, dtype=np.float32)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    seconds, beads = bertalign_search(es, et, src, tgt)
    assert seconds >= 0
    assert [(b.src, b.tgt) for b in beads] == gold
    # span lengths: bytes of the joined texts
    _, lens = span_layers(es[:3], ["ab", "ц", "d"], 2)
    assert lens[0].tolist() == [2, 2, 1] and lens[1, 1:].tolist() == [2 + 1 + 2, 2 + 1 + 1]
    # empty sides give null beads without a search
    _, beads = bertalign_search(es[:2], et[:0], src[:2], [])
    assert [(b.src, b.tgt) for b in beads] == [((0,), ()), ((1,), ())]
