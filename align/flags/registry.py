"""The flag-type and detector registries: one declaration per plug-in, everything else derived from it.

A detector (one class in one file of ``align/flags/``) declares the flag types it introduces as
:class:`FlagType` records in its ``declares`` class attribute, the flag types it emits in ``provides`` (by name: a
type may be declared by another detector, as ``omission`` is emitted by four), its default thresholds in
``default_thresholds`` and what it reads from the bead context in ``requires``. From these the registry derives the
taxonomy (:func:`flag_types`, ``align.records.FLAG_TYPES``), ``FlagConfig``'s default thresholds, the severity rule
(``base.severity_for``), the confidence floors, ``explain``'s legend texts, the report's colours and legend, the
dataset card's flag table and the evaluation script's per-type tables. Like Stanza's processors, the detector set is
checked when it is built (:func:`check_requires`): a ``requires`` item nobody provides is a one-line error.

Every module of the ``align.flags`` package is imported on first use (:func:`load`), so a new detector file registers
itself without an edit anywhere else. This module imports no detector at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Union

if TYPE_CHECKING:  # pragma: no cover
    from .base import Detector

# severity rule: "critical" (always), "major" (minor when the detector is unsure or the flag is only an attribution),
# or a function (score, detail) -> severity
SeverityRule = Union[str, Callable[[float, dict], str]]

# what the bead context (``align.flags.contexts`` / ``BeadContext``) provides to detectors; "embeddings" only when an
# encoder is given (the detectors needing it are then skipped, not refused)
CONTEXT_PROVIDES: tuple[str, ...] = ("numbers", "dates", "names", "lexicon", "embeddings")


@dataclass(frozen=True)
class FlagType:
    """One flag type of the taxonomy, as a detector declares it.

    ``description``: one line for the dataset card; ``label`` / ``what`` / ``why``: the plain-language legend and
    explanation (``align.flags.explain``); ``colour``: the report's chip and highlight colour (``#rrggbb``);
    ``severity``: the rule (see :data:`SeverityRule`, default ``"major"``); ``confidence_floor``: a flag's confidence
    at its acceptance threshold (``base.confidence``, default 0.5)."""

    name: str
    description: str
    label: str = ""
    what: str = ""
    why: str = ""
    colour: str = "#999999"
    severity: SeverityRule = "major"
    confidence_floor: float = 0.5

    def severity_text(self) -> str:
        """The severity as the dataset card states it: the rule's name, or ``varies`` for a function."""
        return self.severity if isinstance(self.severity, str) else "varies"


DETECTORS: dict[str, "type[Detector]"] = {}  # detector name -> class, in registration order
FLAG_TYPE_DECLS: dict[str, FlagType] = {}  # flag type name -> its declaration, in declaration order
DECLARED_BY: dict[str, str] = {}  # flag type name -> the detector that declares it

# the built-in detectors in their run order (the order their flags are listed in before sorting); a registered
# detector not listed here runs after them when its ``enabled_by_default`` is set
BUILTIN_ORDER: tuple[str, ...] = (
    "null_bead", "coverage", "numbers", "dates", "names", "negation", "modality", "framing", "direction", "semantic",
    "source",
)

def load() -> None:
    """Import every module of ``align.flags`` once, so that every detector file has registered itself."""
    from align.plugins import import_plugins

    import_plugins("align.flags")


def register(cls):
    """Class decorator: add a detector and the flag types it declares. A type declared twice, or a name taken by
    another class, is a programming error (ValueError)."""
    if cls.name in DETECTORS and DETECTORS[cls.name] is not cls and DETECTORS[cls.name].__qualname__ != cls.__qualname__:
        raise ValueError(f"detector name {cls.name!r} is taken by {DETECTORS[cls.name].__qualname__}")
    for ft in cls.declares:
        owner = DECLARED_BY.get(ft.name)
        if owner not in (None, cls.name):
            raise ValueError(f"flag type {ft.name!r} is already declared by detector {owner!r}")
    DETECTORS[cls.name] = cls
    for ft in cls.declares:
        FLAG_TYPE_DECLS[ft.name] = ft
        DECLARED_BY[ft.name] = cls.name
    return cls


def unregister(name: str) -> None:
    """Remove a detector and the flag types it declared (tests that define a detector use it to clean up)."""
    DETECTORS.pop(name, None)
    for t in [t for t, d in DECLARED_BY.items() if d == name]:
        DECLARED_BY.pop(t)
        FLAG_TYPE_DECLS.pop(t)


def detector_order() -> list[str]:
    """Every registered detector: the built-ins in :data:`BUILTIN_ORDER`, then the others in registration order."""
    load()
    return [n for n in BUILTIN_ORDER if n in DETECTORS] + [n for n in DETECTORS if n not in BUILTIN_ORDER]


def default_detectors() -> tuple[str, ...]:
    """The detectors a default ``FlagConfig`` runs: the built-ins, then every registered one enabled by default."""
    return tuple(n for n in detector_order() if n in BUILTIN_ORDER or DETECTORS[n].enabled_by_default)


def flag_types() -> tuple[str, ...]:
    """The taxonomy, in its one order: the types in the order the detectors (:func:`detector_order`) emit them
    (``provides``), then declared types no detector lists."""
    out: list[str] = []
    for n in detector_order():
        out += [t for t in DETECTORS[n].provides if t in FLAG_TYPE_DECLS and t not in out]
    return tuple(out + [t for t in FLAG_TYPE_DECLS if t not in out])


def flag_type(name: str) -> FlagType | None:
    """The declaration of a flag type (None for a type no registered detector declares)."""
    load()
    return FLAG_TYPE_DECLS.get(name)


def default_thresholds() -> dict[str, float]:
    """Threshold name -> default, from every detector's ``default_thresholds``, in :func:`detector_order`."""
    out: dict[str, float] = {}
    for n in detector_order():
        out.update(DETECTORS[n].default_thresholds)
    return out


def check_requires(detectors) -> None:
    """Every ``requires`` item of every detector (instances or classes, in run order) is provided by the context
    (:data:`CONTEXT_PROVIDES`) or by an earlier detector (its ``provides``); else a ValueError naming both."""
    have = set(CONTEXT_PROVIDES)
    for d in detectors:
        missing = [r for r in d.requires if r not in have]
        if missing:
            raise ValueError(f"detector {d.name!r} requires {missing[0]!r}, which neither the bead context "
                             f"({', '.join(CONTEXT_PROVIDES)}) nor an earlier detector provides")
        have.update(d.provides)
