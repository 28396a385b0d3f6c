"""Sentence-level records of the alignment layer: beads, character spans and difference flags.

``align/`` works on lists of sentences; these are its outputs. The document layer (``corpus.records``)
re-exports them, so a store, an export and a detector speak of the same classes. Records are frozen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES: tuple[str, ...] = ("minor", "major", "critical")


def flag_types() -> tuple[str, ...]:
    """The difference taxonomy, in its one order: every flag type a registered detector declares
    (``align.flags.registry.flag_types``; ``rewording_only`` is not a difference). Read from the registry on each
    call, so a detector registered later is included; the detectors are imported on first use."""
    from align.flags import registry

    return registry.flag_types()


def __getattr__(name: str):
    """``FLAG_TYPES``: :func:`flag_types`, computed on access (records stay importable without the detectors)."""
    if name == "FLAG_TYPES":
        return flag_types()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Bead:
    """One alignment bead: source sentence indices ↔ target sentence indices (either may be empty)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def to_vecalign(self) -> str:
        return f"[{', '.join(map(str, self.src))}]:[{', '.join(map(str, self.tgt))}]"


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) into a bead's side text (sentences joined with one space)."""

    start: int
    end: int


@dataclass(frozen=True)
class Flag:
    """One wording difference on a bead, with its evidence.

    ``score`` is the detector's raw score (higher = more likely a difference); the decision to emit
    the flag was taken against a threshold recorded in ``detail['threshold']`` when one applies.
    """

    type: str  # one of flag_types()
    score: float
    severity: str = "minor"  # one of SEVERITIES
    src_spans: tuple[Span, ...] = ()
    tgt_spans: tuple[Span, ...] = ()
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "score": round(float(self.score), 4),
            "severity": self.severity,
            "src_spans": [[s.start, s.end] for s in self.src_spans],
            "tgt_spans": [[s.start, s.end] for s in self.tgt_spans],
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Flag":
        return cls(
            type=d["type"],
            score=float(d["score"]),
            severity=d.get("severity", "minor"),
            src_spans=tuple(Span(a, b) for a, b in d.get("src_spans", ())),
            tgt_spans=tuple(Span(a, b) for a, b in d.get("tgt_spans", ())),
            detail=d.get("detail", {}),
        )


def flag_sort_key(flag: "Flag") -> tuple:
    """Most important first: severity (critical > major > minor), then score, then type.

    The one ordering that ``diff --format text``, the report and the exports use.
    """
    rank = SEVERITIES.index(flag.severity) if flag.severity in SEVERITIES else -1
    return (-rank, -float(flag.score), flag.type)
