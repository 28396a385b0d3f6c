"""Cosine-range calibration: make any encoder's sentence vectors look like the reference encoder's to the aligner.

The aligner's threshold, gains and null decisions were tuned on the bundled e5-small, whose cosines sit in a narrow
high band (unrelated sentences ≈ 0.79, translations ≈ 0.92). Other encoders spread cosines much wider (USE v3:
unrelated ≈ 0.07, translations ≈ 0.67), so the same numbers mean something else. Rather than re-tuning per encoder,
the document's own *far pairs* (sentences far off the diagonal, almost never translations) measure where the
encoder puts unrelated text, and the vectors are lifted by one constant dimension::

    v' = [sqrt(a) · v, sqrt(1 - a)],   so   cos(v', w') = a · cos(v, w) + (1 - a)

with ``a = (1 - reference_far) / (1 - far)``: the far pairs land on the reference's far cosine, and the lifted
vectors stay unit-length, so sums of vectors (multi-sentence spans) keep a shared component just like e5's.
Defaults: ``reference_far`` 0.79 (measured on e5-small), applied only when the document's far cosine is below
``below`` 0.6, so e5-small's own vectors pass through untouched (identical beads).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


REFERENCE_FAR = 0.79  # e5-small's far-pair cosine: the scale the aligner's thresholds were tuned on
BELOW = 0.6  # a document whose far pairs score at least this is already on a narrow, e5-like scale


def scale_for(far: float, reference_far: float = REFERENCE_FAR) -> float:
    """The lift ``a`` that puts a far cosine ``far`` on ``reference_far``: ``a · far + 1 − a = reference_far``."""
    return float((1.0 - reference_far) / (1.0 - far))


@dataclass(frozen=True)
class Calibration:
    """What :func:`calibrate` measured and did: ``far`` the document's far-pair cosine, ``a`` the scale (1 = none)."""

    far: float
    a: float
    pairs: int

    @property
    def applied(self) -> bool:
        return self.a < 1.0


def far_cosine(es: np.ndarray, et: np.ndarray, *, offset: float = 0.25, max_pairs: int = 20_000) -> tuple[float, int]:
    """Mean cosine of sentence pairs whose relative positions differ by more than ``offset`` (sampled
    deterministically, at most ``max_pairs``). Short documents with no such pair fall back to every pair but each
    row's best match. Returns (mean cosine, pairs used)."""
    n, m = len(es), len(et)
    if n == 0 or m == 0:
        return float("nan"), 0
    step_i = max(1, int(np.ceil(n / np.sqrt(max_pairs))))
    step_j = max(1, int(np.ceil(m / np.sqrt(max_pairs))))
    ii = np.arange(0, n, step_i)
    jj = np.arange(0, m, step_j)
    cos = es[ii] @ et[jj].T
    rel = np.abs((ii[:, None] + 0.5) / n - (jj[None, :] + 0.5) / m)
    far = rel > offset
    if far.sum() >= 4:
        return float(cos[far].mean()), int(far.sum())
    if cos.size <= 1:
        return float(cos.mean()), int(cos.size)
    mask = np.ones_like(cos, dtype=bool)
    mask[np.arange(len(ii)), cos.argmax(axis=1)] = False
    return float(cos[mask].mean()) if mask.any() else float(cos.mean()), int(mask.sum())


def calibrate(es: np.ndarray, et: np.ndarray, *, reference_far: float = REFERENCE_FAR, below: float = BELOW
              ) -> tuple[np.ndarray, np.ndarray, Calibration]:
    """Lift both sides' vectors so the document's far pairs score ``reference_far`` (see the module docstring);
    unchanged when the measured far cosine is already at least ``below``."""
    far, pairs = far_cosine(es, et)
    if not np.isfinite(far) or far >= below:
        return es, et, Calibration(far=far, a=1.0, pairs=pairs)
    a = scale_for(far, reference_far)
    return lift(es, a), lift(et, a), Calibration(far=far, a=a, pairs=pairs)


def lift(v: np.ndarray, a: float) -> np.ndarray:
    """``[sqrt(a) v, sqrt(1 - a)]`` row-wise: unit rows stay unit rows, cosines become ``a cos + 1 - a``."""
    out = np.empty((v.shape[0], v.shape[1] + 1), dtype=np.float32)
    out[:, :-1] = np.sqrt(a) * v
    out[:, -1] = np.sqrt(max(0.0, 1.0 - a))
    return out
