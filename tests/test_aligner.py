"""The sentence aligner on synthetic documents with a small deterministic fake encoder.

The fake encoder embeds a sentence as the normalised sum of fixed random vectors of its "words";
source words ``s<k>`` and target words ``t<k>`` share vector k, so a sentence and its "translation"
embed alike and a merged sentence embeds like the sum of its parts (as real encoders roughly do).
"""

import tracemalloc

import numpy as np
import pytest

from align.aligner import AlignConfig, align, align_embedded
from align.encoders import Encoder
from corpus.records import Bead

D = 64


class FakeEncoder(Encoder):
    name = "fake"
    dim = D

    def __init__(self):
        self.calls = 0

    def _vec(self, word: str) -> np.ndarray:
        k = int(word[1:]) if word[1:].isdigit() else abs(hash(word)) % 100_000
        return np.random.default_rng(k).normal(size=D)

    def _encode(self, texts, lang):
        self.calls += len(texts)
        return np.stack([sum(self._vec(w) for w in t.split()) for t in texts])


def make_doc(n, rng, start=0):
    """n parallel sentences of 4 words each (words numbered from ``start``)."""
    src, tgt = [], []
    for i in range(n):
        ids = [start + 4 * i + k for k in range(4)]
        src.append(" ".join(f"s{k}" for k in ids))
        tgt.append(" ".join(f"t{k}" for k in ids))
    return src, tgt


def check_invariants(beads, n, m):
    """Monotone, every sentence exactly once, scores in [0, 1]."""
    si = [i for b in beads for i in b.src]
    ti = [j for b in beads for j in b.tgt]
    assert si == list(range(n))
    assert ti == list(range(m))
    assert all(b.src or b.tgt for b in beads)
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_one_to_one():
    src, tgt = make_doc(30, None)
    beads = align(src, tgt, FakeEncoder(), src_lang="ru", tgt_lang="en")
    check_invariants(beads, 30, 30)
    assert all(b.src == b.tgt and len(b.src) == 1 for b in beads)
    assert min(b.score for b in beads) > 0.5


def test_merges_splits_and_nulls():
    src, tgt = make_doc(30, None)
    tgt = list(tgt)
    # target merges source 5+6, splits source 12 into two, drops source 20, inserts a new sentence
    merged = tgt[5] + " " + tgt[6]
    w = tgt[12].split()
    split = [" ".join(w[:2]), " ".join(w[2:])]
    new_tgt = tgt[:5] + [merged] + tgt[7:12] + split + tgt[13:20] + tgt[21:25] + ["t90001 t90002 t90003 t90004"] + tgt[25:]
    beads = align(src, new_tgt, FakeEncoder(), src_lang="ru", tgt_lang="en")
    check_invariants(beads, len(src), len(new_tgt))
    got = {(b.src, b.tgt) for b in beads}
    assert ((5, 6), (5,)) in got
    assert ((12,), (11, 12)) in got
    assert ((20,), ()) in got
    assert ((), (24,)) in got


def test_up_to_four_to_one():
    src, tgt = make_doc(20, None)
    merged = " ".join(tgt[8:12])
    new_tgt = tgt[:8] + [merged] + tgt[12:]
    beads = align(src, new_tgt, FakeEncoder(), src_lang="ru", tgt_lang="en")
    check_invariants(beads, 20, len(new_tgt))
    assert ((8, 9, 10, 11), (8,)) in {(b.src, b.tgt) for b in beads}
    # and the mirror image: one source sentence split into four target sentences
    beads = align(new_tgt, src, FakeEncoder(), src_lang="en", tgt_lang="ru")
    assert ((8,), (8, 9, 10, 11)) in {(b.src, b.tgt) for b in beads}


def test_empty_sides():
    enc = FakeEncoder()
    assert align([], [], enc, src_lang="ru", tgt_lang="en") == []
    beads = align(["s1 s2"], [], enc, src_lang="ru", tgt_lang="en")
    assert beads == [Bead((0,), (), 1.0)]


def test_config_signature_changes_with_parameters():
    assert AlignConfig().signature() != AlignConfig(threshold=0.5).signature()
    assert "1-4" in AlignConfig().signature()


def test_long_document_is_banded_and_correct():
    """A 3,000 x 3,100 document aligns through the banded search with memory far below N*M."""
    n = 3000
    rng = np.random.default_rng(1)
    base = rng.normal(size=(n, D))
    es = base + 0.3 * rng.normal(size=base.shape)
    et = list(base + 0.3 * rng.normal(size=base.shape))
    for k in range(100):  # 100 inserted target sentences
        et.insert(30 * k + 7, rng.normal(size=D))
    et = np.array(et)
    es = (es / np.linalg.norm(es, axis=1, keepdims=True)).astype(np.float32)
    et = (et / np.linalg.norm(et, axis=1, keepdims=True)).astype(np.float32)
    src = ["x" * 40] * n
    tgt = ["y" * 40] * len(et)
    tracemalloc.start()
    beads = align_embedded(src, tgt, es, et)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    check_invariants(beads, n, len(et))
    # a dense float64 N x M matrix alone would be 74 MB; the band keeps everything below that
    assert peak < 0.8 * n * len(et) * 8, peak
    ones = [b for b in beads if b.kind == "1-1"]
    assert len(ones) > 0.97 * n
    nulls = [b for b in beads if b.kind == "0-1"]
    assert len(nulls) >= 90


def test_embedding_count_is_one_per_sentence():
    src, tgt = make_doc(12, None)
    enc = FakeEncoder()
    align(src, tgt, enc, src_lang="ru", tgt_lang="en")
    assert enc.calls == 24  # concatenations are never re-encoded


def test_mismatched_embeddings_raise():
    with pytest.raises(ValueError):
        align_embedded(["a"], ["b"], np.zeros((2, 4), np.float32), np.zeros((1, 4), np.float32))
