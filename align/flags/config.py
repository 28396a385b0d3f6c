"""Flag configuration: which detectors run and their thresholds (tuned by scripts/eval_flags.py).

The default detector set and thresholds come from the detector registry (``align.flags.registry``): each detector
declares its own (``Detector.default_thresholds``); how the shipped values were tuned is in
``docs/experiments/flags.md``. Every threshold applied is recorded in each emitted flag's detail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from . import registry


def __getattr__(name: str):
    """``DEFAULT_THRESHOLDS`` / ``DEFAULT_DETECTORS``: derived from the detector registry on each access (a detector
    declares its thresholds, ``Detector.default_thresholds``), so a detector registered later is included."""
    if name == "DEFAULT_THRESHOLDS":
        return registry.default_thresholds()
    if name == "DEFAULT_DETECTORS":
        return registry.default_detectors()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class FlagConfig:
    """What :func:`align.flags.detect` runs.

    ``thresholds``: detector name → accept threshold (missing names use the detector default).
    ``extra_lexicon``: a user framing lexicon (TSV, same columns as
    ``align/data/framing_lexicon.tsv``) that extends the built-in one.
    ``unrelated_sim`` / ``shift_sim``: cosine similarities of the bead's sides under which it is
    ``unrelated`` / a ``meaning_shift``. Encoder- and domain-specific: the defaults are for e5-small on
    ru→en news (below the lowest similarity of faithful WMT21 ru→en beads; an unrelated sentence pair
    scores about 0.78). On en-fr Wikipedia (REFreSD) the dev-tuned values are 0.87 / 0.915.
    ``unrelated_rival_below``: a bead of one sentence per side is also ``unrelated`` when its cosine is below this
    and below ``rival_sim``, the best cosine of either of its sentences with another bead's other side in the same
    document: a same-topic line put in the slot of a dropped one (about 0.82 with e5-small, above
    ``unrelated_sim``). 0.84 flags the bundled sample's three such pairs (0.825-0.839) and none of the 1,000
    unperturbed WMT21 ru→ref A lines (0.85 flagged two: a headline that repeats its lead, 0.850 vs 0.854, and a
    short line, 0.848 vs 0.883). None: off.
    ``min_piece_chars``: shortest clause the coverage detector tests for omission/addition.
    ``length_weight``: how the bead's length ratio (against the document's median ratio) adds to the coverage
    score. ``piece_share_weight``: how much a left-out piece's share of its
    side adds to its similarity gain (removing a long rendered piece costs similarity; removing a long
    unrendered one does not).
    ``coverage_gate_sim`` / ``coverage_gate_ratio``: the cheap evidence (similarity, length ratio) that
    decides which beads get the costly leave-one-piece-out coverage test (``align.flags.coverage_gate``);
    ``1.0`` / ``0.0`` test every bead.
    ``token_coverage`` / ``token_coverage_layer`` / ``token_coverage_window`` / ``token_coverage_weight`` /
    ``token_run_weight``: token-level omission evidence (``align.flags.semantic.token_coverage``), read from
    the bundled e5-small's contextual token vectors after ``layer`` layers (``e5-small-torch``, needs torch).
    The omission score gains ``token_coverage_weight`` × (1 − mean best cosine of the least-covered run of
    ``window`` source words) + ``token_run_weight`` × (longest run of source content words without a mutual
    best match). Without torch the evidence is absent and ``thresholds['coverage_plain']`` applies.
    ``token_addition_weight`` / ``token_addition_run_weight``: the same evidence read from the target side (target
    words without a source counterpart) for the addition score; without torch
    ``thresholds['coverage_addition_plain']`` applies.
    ``attribution_weight``: added to the omission score when the source has more attribution frames (``attribution``
    rows of ``align/data/cues.tsv``: «по данным полиции», «сообщили в МЧС»; "according to", "said") than the target:
    the rendering dropped who said or reported something.
    ``number_weight``: added to the omission score when the source states more quantities with no equal counterpart
    than the target (``align.flags.entities.unmatched_numbers``): a number left out with its clause.
    ``name_weight``: added to the omission score when the source has more lone names with no trace in the target
    than the target has in the source (``align.flags.entities.lone_names``: persons and places on their own, not
    words of an institution or of a multi-word capitalised run): a name left out with its clause.
    """

    detectors: tuple[str, ...] = field(default_factory=registry.default_detectors)
    thresholds: dict[str, float] = field(default_factory=registry.default_thresholds)
    extra_lexicon: str | None = None
    unrelated_sim: float = 0.80
    shift_sim: float = 0.87
    unrelated_rival_below: float | None = 0.84  # also unrelated: a 1-1 bead below this and below its rival_sim
    min_piece_chars: int = 20
    length_weight: float = 0.05  # coverage: weight of the length-ratio evidence
    piece_share_weight: float = 0.0  # coverage: weight of the left-out piece's share of its side
    name_match: float = 0.75
    coverage_gate_sim: float = 0.90  # coverage runs on beads less similar than this ...
    coverage_gate_ratio: float = 0.10  # ... or whose |length log-ratio| (vs the document median) reaches this
    token_coverage: bool = True
    token_coverage_layer: int = 6
    token_coverage_window: int = 4
    token_coverage_weight: float = 0.025
    token_run_weight: float = 0.0075
    token_addition_weight: float = 0.15
    token_addition_run_weight: float = 0.02
    attribution_weight: float = 0.01
    number_weight: float = 0.01
    name_weight: float = 0.01

    def __post_init__(self):
        merged = registry.default_thresholds()
        merged.update(self.thresholds or {})
        self.thresholds = merged
        self.detectors = tuple(self.detectors)

    def to_dict(self) -> dict:
        return asdict(self)

    def signature(self) -> str:
        """A short reproducibility signature: the config's values and the lexicon contents' hash."""
        from pathlib import Path

        d = self.to_dict()
        d.pop("extra_lexicon", None)
        data = Path(__file__).resolve().parent.parent / "data"
        for name in ("framing_lexicon.tsv", "cues.tsv", "names.tsv", "en_common_caps.txt"):
            p = data / name
            d[name] = hashlib.sha1(p.read_bytes()).hexdigest()[:8] if p.exists() else None
        h = hashlib.sha1(json.dumps(d, sort_keys=True).encode()).hexdigest()[:10]
        lex = ""
        if self.extra_lexicon:
            try:
                with open(self.extra_lexicon, "rb") as f:
                    lex = "+lex:" + hashlib.sha1(f.read()).hexdigest()[:8]
            except OSError:
                lex = "+lex:?"
        return f"flags(cfg:{h}{lex})"
