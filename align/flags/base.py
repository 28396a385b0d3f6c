"""Detector interface and the per-bead context they read.

A detector (OpusFilter style) keeps its raw ``score()`` apart from its ``accept()`` decision, so
thresholds can be tuned and reported without touching the scoring. Like Stanza processors, each
detector declares what it ``requires`` from the context (``embeddings``, ``numbers``, …) and which
flag types it ``provides``; :func:`align.flags.detect` computes only the features that the enabled
detectors need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from corpus.records import Flag, Span

if TYPE_CHECKING:  # pragma: no cover
    from .config import FlagConfig


@dataclass
class Candidate:
    """One possible difference found by a detector's ``score()``, before ``accept()``."""

    type: str
    score: float
    src_spans: tuple[Span, ...] = ()
    tgt_spans: tuple[Span, ...] = ()
    detail: dict = field(default_factory=dict)
    severity: str | None = None  # overrides the detector's default severity


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
    """Base class: subclasses set ``name``, ``provides``, ``requires``, ``severity`` and implement
    :meth:`score`; ``threshold`` comes from the config (``FlagConfig.thresholds[name]``)."""

    name: ClassVar[str] = "?"
    provides: ClassVar[tuple[str, ...]] = ()
    requires: ClassVar[tuple[str, ...]] = ()  # "embeddings", "numbers", "dates", "names", "lexicon"
    severity: ClassVar[str] = "minor"
    default_threshold: ClassVar[float] = 0.5

    def __init__(self, config: "FlagConfig"):
        self.config = config
        self.threshold = float(config.thresholds.get(self.name, self.default_threshold))

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
        out = []
        for c in self.candidates(ctx):
            if not self.accept(c.score):
                continue
            detail = {"detector": self.name, "threshold": self.threshold, **c.detail}
            out.append(Flag(c.type, float(c.score), c.severity or self.severity, tuple(c.src_spans),
                            tuple(c.tgt_spans), detail))
        return out


REGISTRY: dict[str, type[Detector]] = {}


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: add a detector to the name → class registry."""
    REGISTRY[cls.name] = cls
    return cls
