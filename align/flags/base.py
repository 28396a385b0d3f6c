"""Detector interface and the per-bead context they read.

A detector (OpusFilter style) keeps its raw ``score()`` apart from its ``accept()`` decision, so
thresholds can be tuned and reported without touching the scoring. Like Stanza processors, each
detector declares what it ``requires`` from the context (``embeddings``, ``numbers``, …) and which
flag types it ``provides``; :func:`align.flags.detect` computes only the features that the enabled
detectors need.

Every flag leaves a detector through :meth:`Detector.make_flag`, which sets the two things a linguist sorts by, the
same way for every detector: ``score`` (:func:`confidence`, a per-type monotone map of the raw score into [0, 1]; the
raw score is kept in ``detail["raw_score"]``, thresholds and decisions are unchanged) and ``severity``
(:func:`severity_for`, the team's rule). Both are documented in ``docs/flags.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from align.records import Flag, Span

from . import registry
from .registry import FlagType

if TYPE_CHECKING:  # pragma: no cover
    from .config import FlagConfig


# --------------------------------------------------------------------------- severity and confidence
# a major-type flag whose confidence is below this is reported as minor ("the detector is unsure")
LOW_CONFIDENCE = 0.55


def confidence(type: str, raw: float, threshold: float, detector: str | None = None) -> float:
    """A confidence in [0, 1] a linguist can sort flags by, from a detector's raw score and the threshold it was
    accepted at: ``floor`` at the threshold (the ``detector``'s ``confidence_floor`` when it sets one, else the flag
    type's, :class:`~align.flags.registry.FlagType`; 0.5 for an undeclared type), rising towards 1 as the raw score
    exceeds the threshold by multiples of it (``1 - (1 - floor)·exp(-(raw - thr)/thr)``), and scaled linearly
    below it (``floor·raw/thr``: flags accepted under a document-level rule below the nominal threshold, such as
    an ``unrelated`` bead beaten by a rival pairing). Monotone in ``raw`` for a given type and threshold."""
    det = registry.DETECTORS.get(detector or "")
    ft = registry.flag_type(type)
    floor = det.confidence_floor if det is not None and det.confidence_floor is not None else (
        ft.confidence_floor if ft is not None else 0.5)
    raw = float(raw)
    thr = float(threshold) if threshold is not None and math.isfinite(float(threshold)) else 0.0
    if thr <= 0:
        return round(min(1.0, max(0.0, floor if raw <= 0 else 1 - (1 - floor) * math.exp(-raw))), 4)
    if raw < thr:
        return round(max(0.0, floor * raw / thr), 4)
    return round(min(1.0, 1 - (1 - floor) * math.exp(-(raw - thr) / thr)), 4)


def severity_for(type: str, score: float, detail: dict | None = None) -> str:
    """The team's severity rule (``docs/flags.md``), as the flag type declares it (``FlagType.severity``):
    ``critical`` types (a changed number, date or name, a flipped polarity, an unrelated bead) are always critical;
    a ``major`` type (a dropped or added fact, a meaning, modality/intensity or framing shift; also an undeclared
    type) is ``minor`` for a dropped or moved attribution tag (``detail["attribution"]``) and when the detector is
    unsure of it (confidence below :data:`LOW_CONFIDENCE`); a type may also declare its own rule as a function."""
    ft = registry.flag_type(type)
    rule = ft.severity if ft is not None else "major"
    if callable(rule):
        return rule(float(score), detail or {})
    if rule == "critical":
        return "critical"
    if (detail or {}).get("attribution") or float(score) < LOW_CONFIDENCE:
        return "minor"
    return rule


@dataclass
class Candidate:
    """One possible difference found by a detector's ``score()``, before ``accept()``."""

    type: str
    score: float
    src_spans: tuple[Span, ...] = ()
    tgt_spans: tuple[Span, ...] = ()
    detail: dict = field(default_factory=dict)


@dataclass
class BeadContext:
    """Everything detectors read about one bead: side texts (sentences joined by one space, the
    coordinate system of flag spans), languages, sentence offsets, and lazily computed features.
    ``sims`` is filled by :func:`align.flags.detect` when an encoder is given: the cosine
    similarity of the two sides and of the leave-one-piece-out variants (see coverage)."""

    src_text: str
    tgt_text: str
    src_lang: str
    tgt_lang: str
    src_sents: tuple[tuple[int, int], ...] = ()  # offsets of each sentence in src_text
    tgt_sents: tuple[tuple[int, int], ...] = ()
    sim: float | None = None  # cosine(src side, tgt side)
    # best cosine of either side with the other side of another bead of the document (set for the one-sentence
    # beads below ``unrelated_rival_below`` only)
    rival_sim: float | None = None
    pieces: dict = field(default_factory=dict)  # side -> list[(start, end)] pieces for coverage
    piece_sims: dict = field(default_factory=dict)  # side -> list[float]: sim(other side, this side minus piece)
    expected_ratio: float | None = None  # the document's typical len(tgt)/len(src) (median over its beads)
    config: Any = None
    vec: dict = field(default_factory=dict, repr=False)  # side -> embedding of the side text
    coverage_checked: dict = field(default_factory=dict)  # side -> whether the coverage test ran (see coverage_gate)
    token_coverage: Any = None  # semantic.TokenCoverage: token-level omission evidence; None: not computed
    token_coverage_tgt: Any = None  # the same read the other way: target words with no source counterpart (addition)
    token_states: dict = field(default_factory=dict, repr=False)  # side -> (token vectors, pieces) of the side text

    @property
    def length_log_ratio(self) -> float:
        """log of this bead's len(tgt)/len(src) against the document's typical ratio (0 = as usual):
        negative when the target is short for its source (a possible omission), positive when long."""
        import math

        return math.log((len(self.tgt_text) + 10) / (len(self.src_text) + 10) / (self.expected_ratio or 1.0))

    @property
    def is_null(self) -> bool:
        return not self.src_text or not self.tgt_text

    def text(self, side: str) -> str:
        return self.src_text if side == "src" else self.tgt_text

    def lang(self, side: str) -> str:
        return self.src_lang if side == "src" else self.tgt_lang

    @cached_property
    def src_numbers(self):
        from align.normalize import numbers

        return numbers(self.src_text, self.src_lang)

    @cached_property
    def tgt_numbers(self):
        from align.normalize import numbers

        return numbers(self.tgt_text, self.tgt_lang)

    @cached_property
    def src_dates(self):
        from align.normalize import dates

        return dates(self.src_text, self.src_lang)

    @cached_property
    def tgt_dates(self):
        from align.normalize import dates

        return dates(self.tgt_text, self.tgt_lang)

    @cached_property
    def unmatched_numbers(self):
        """(source, target) quantities with no equal counterpart on the other side (``entities.unmatched_numbers``),
        read by the number detector and by the coverage detector's omission evidence: computed once per bead."""
        from .entities import unmatched_numbers

        return unmatched_numbers(self)

    @cached_property
    def unmatched_names(self):
        """(source, target) names with no trace on the other side, and the target names that render a source name
        (``entities.unmatched_names``), read by the name detector and by the coverage detector's omission
        evidence: computed once per bead."""
        from .entities import unmatched_names

        return unmatched_names(self)

    @cached_property
    def src_names(self):
        from align.normalize import name_tokens

        return name_tokens(self.src_text, self.src_lang)

    @cached_property
    def tgt_names(self):
        from align.normalize import name_tokens

        return name_tokens(self.tgt_text, self.tgt_lang)


class Detector:
    """Base class of a flag detector: a subclass sets ``name``, declares the flag types it introduces
    (``declares``: :class:`~align.flags.registry.FlagType` records), lists the types it emits (``provides``, by
    name), what it reads from the bead context (``requires``: ``embeddings``, ``numbers``, ``dates``, ``names``,
    ``lexicon`` or a type an earlier detector provides), its thresholds (``default_thresholds``: config key ->
    default; ``threshold`` is ``FlagConfig.thresholds[name]``) and implements :meth:`score`. Register it with
    :func:`register`. ``confidence_floor`` overrides its types' floors; a registered detector outside the built-ins
    runs by default unless ``enabled_by_default`` is False; ``detail_keys`` documents the ``detail`` keys
    of a new detector in the dataset card."""

    name: ClassVar[str] = "?"
    declares: ClassVar[tuple[FlagType, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    requires: ClassVar[tuple[str, ...]] = ()
    default_thresholds: ClassVar[dict[str, float]] = {}
    confidence_floor: ClassVar[float | None] = None
    enabled_by_default: ClassVar[bool] = True
    detail_keys: ClassVar[tuple[tuple[str, str, str], ...]] = ()  # (key, flag types, meaning) for the dataset card

    def __init__(self, config: "FlagConfig"):
        self.config = config
        self.threshold = float(config.thresholds.get(self.name, 0.5))

    def score(self, ctx: BeadContext) -> float | list[Candidate]:  # pragma: no cover - abstract
        raise NotImplementedError

    def accept(self, score: float) -> bool:
        """The decision, kept apart from scoring: emit when the score reaches the threshold."""
        return score >= self.threshold

    def candidates(self, ctx: BeadContext) -> list[Candidate]:
        s = self.score(ctx)
        if isinstance(s, list):
            return s
        if s is None:
            return []
        return [Candidate(self.provides[0], float(s))]

    def flags(self, ctx: BeadContext) -> list[Flag]:
        return [self.make_flag(c, self.threshold) for c in self.candidates(ctx) if self.accept(c.score)]

    def make_flag(self, c: Candidate, threshold: float) -> Flag:
        """The one way a candidate becomes a :class:`Flag`: ``detail`` records the detector, the threshold applied
        (a candidate may name its own, ``detail["threshold"]``) and the raw score; ``score`` is the confidence
        (:func:`confidence`) and ``severity`` the team's rule (:func:`severity_for`)."""
        detail = {"detector": self.name, "threshold": threshold, **c.detail, "raw_score": round(float(c.score), 4)}
        score = confidence(c.type, c.score, detail["threshold"], self.name)
        return Flag(c.type, score, severity_for(c.type, score, detail), tuple(c.src_spans), tuple(c.tgt_spans), detail)


REGISTRY = registry.DETECTORS  # detector name -> class
register = registry.register
