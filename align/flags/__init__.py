"""Wording-difference flags with evidence: the product's distinctive output.

``detect(src, tgt, beads, *, src_lang, tgt_lang, encoder=None, config=None)`` returns one list of
:class:`align.records.Flag` per bead. Each flag carries its type (``align.records.flag_types()``),
a confidence ``score`` in [0, 1] (the detector's raw score in ``detail["raw_score"]``), a severity
(both set centrally in :mod:`align.flags.base`; the criteria are in ``docs/flags.md``), character
spans into the bead's side texts (sentences joined by one space) and a ``detail`` dict with the
evidence and the threshold applied.

Detectors live in a name → class registry (:mod:`align.flags.registry`, one file per detector); each keeps
``score()`` apart from ``accept()`` and declares the flag types it introduces, what it ``requires`` (checked when
the detector set is built) and ``provides``. Embedding detectors (coverage,
semantic) run only when an encoder is given. Embedding is staged to keep the flag stage cheap: the
bead sides of a whole document in one call per side, then the leave-one-piece-out texts only of the
beads whose cheap evidence (similarity, length ratio) suggests an omission or addition
(:func:`coverage_gate`), again in one call per side; the encoder passed in (``CachedEncoder``) caches
by content hash.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from align.records import Bead, Flag, Span, flag_sort_key

from . import entities, lexical, semantic  # noqa: F401  (registers the detectors)
from . import registry
from .base import REGISTRY, BeadContext, Candidate, Detector, confidence, register, severity_for
from .config import FlagConfig
from .registry import FlagType
from .lexical import LexiconError, load_lexicon
from .semantic import bead_pieces, token_coverage, without

__all__ = [
    "detect", "contexts", "FlagConfig", "REGISTRY", "Detector", "BeadContext", "Candidate", "register",
    "build_detectors", "LexiconError", "load_lexicon", "DEFAULT_DETECTORS", "DEFAULT_THRESHOLDS", "coverage_gate",
    "confidence", "severity_for", "FlagType",
]


def __getattr__(name: str):
    """``DEFAULT_DETECTORS`` / ``DEFAULT_THRESHOLDS``, derived from the registry on each access (``config``)."""
    if name in ("DEFAULT_DETECTORS", "DEFAULT_THRESHOLDS"):
        from . import config

        return getattr(config, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_detectors(config: FlagConfig) -> list[Detector]:
    """The configured detectors, in order; a ValueError (one line) for an unknown name or for a ``requires`` item
    that neither the bead context nor an earlier detector provides (:func:`registry.check_requires`)."""
    registry.load()
    unknown = [n for n in config.detectors if n not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown detector(s) {', '.join(unknown)}; choose from {', '.join(sorted(REGISTRY))}")
    registry.check_requires([REGISTRY[n] for n in config.detectors])
    return [REGISTRY[n](config) for n in config.detectors]


def _side(sents: Sequence[str], idx: tuple[int, ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    parts, offs, pos = [], [], 0
    for i in idx:
        s = sents[i]
        parts.append(s)
        offs.append((pos, pos + len(s)))
        pos += len(s) + 1
    return " ".join(parts), tuple(offs)


def contexts(src: Sequence[str], tgt: Sequence[str], beads: Sequence[Bead], *, src_lang: str, tgt_lang: str,
             encoder=None, config: FlagConfig | None = None, need_embeddings: bool = True) -> list[BeadContext]:
    """One :class:`BeadContext` per bead; with an encoder, the sides' similarity and (for the beads that
    pass :func:`coverage_gate`) the leave-one-piece-out similarities are filled in."""
    cfg = config or FlagConfig()
    ctxs = []
    for b in beads:
        for i in b.src:
            if not 0 <= i < len(src):
                raise ValueError(f"bead {b.to_vecalign()} points past the {len(src)} source sentences")
        for i in b.tgt:
            if not 0 <= i < len(tgt):
                raise ValueError(f"bead {b.to_vecalign()} points past the {len(tgt)} target sentences")
        st, so = _side(src, b.src)
        tt, to = _side(tgt, b.tgt)
        ctxs.append(BeadContext(st, tt, src_lang, tgt_lang, so, to, config=cfg))
    ratios = sorted((len(c.tgt_text) + 10) / (len(c.src_text) + 10) for c in ctxs if not c.is_null)
    if ratios:
        med = ratios[len(ratios) // 2]
        for c in ctxs:
            c.expected_ratio = med
    if encoder is None or not need_embeddings:
        return ctxs
    _embed_sides(ctxs, encoder, src_lang, tgt_lang)
    _rival_sims(ctxs, cfg)
    if "coverage" in cfg.detectors:
        _embed_pieces(ctxs, encoder, src_lang, tgt_lang, cfg)
        if cfg.token_coverage:
            _token_coverage(ctxs, cfg)
    return ctxs


def _token_coverage(ctxs: Sequence[BeadContext], cfg: FlagConfig) -> None:
    """Token-level omission and addition evidence for every bead with two sides (one batched pass per side; the
    same cosines read from each side); left as None when torch is unavailable, and the coverage detector then
    applies ``thresholds['coverage_plain']`` / ``thresholds['coverage_addition_plain']``."""
    from align.encoders import token_model

    model = token_model()
    full = [c for c in ctxs if not c.is_null]
    if model is None or not full:
        return
    layer = int(cfg.token_coverage_layer)
    src = model.token_states([c.src_text for c in full], layer=layer)
    tgt = model.token_states([c.tgt_text for c in full], layer=layer)
    for c, s, t in zip(full, src, tgt):
        c.token_states = {"src": s, "tgt": t}  # also read by the cue detectors (lexical.rendered_by_meaning)
        c.token_coverage = token_coverage(s, t, int(cfg.token_coverage_window))
        c.token_coverage_tgt = token_coverage(t, s, int(cfg.token_coverage_window))


def _encode_unique(encoder, texts: list[str], lang: str) -> tuple[dict[str, int], np.ndarray]:
    """Embed the distinct ``texts`` in one encoder call (the encoder passed in may cache by content hash)."""
    index: dict[str, int] = {}
    for t in texts:
        index.setdefault(t, len(index))
    if not index:
        return index, np.zeros((0, 1), dtype=np.float32)
    return index, encoder.encode(list(index), lang=lang)


def _embed_sides(ctxs: Sequence[BeadContext], encoder, src_lang: str, tgt_lang: str) -> None:
    """Stage 1: the similarity of each bead's two sides (one batched call per side for the whole document)."""
    full = [c for c in ctxs if not c.is_null]
    si, sv = _encode_unique(encoder, [c.src_text for c in full], src_lang)
    ti, tv = _encode_unique(encoder, [c.tgt_text for c in full], tgt_lang)
    for c in full:
        c.vec = {"src": sv[si[c.src_text]], "tgt": tv[ti[c.tgt_text]]}
        c.sim = float(c.vec["src"] @ c.vec["tgt"])


def _rival_sims(ctxs: Sequence[BeadContext], cfg: FlagConfig) -> None:
    """``rival_sim`` of the doubtful one-sentence beads (similarity below ``cfg.unrelated_rival_below``): the best
    cosine of either side with the other side of another bead of the document. A pair no closer than some rival
    pairing is not a rendering of one another (SemanticDetector's ``unrelated``). Only those rows and columns are
    computed, so a long document costs (doubtful beads x beads), not beads²."""
    full = [c for c in ctxs if not c.is_null]
    below = cfg.unrelated_rival_below
    cand = [k for k, c in enumerate(full) if below is not None and c.sim < below
            and len(c.src_sents) == 1 and len(c.tgt_sents) == 1]
    if not cand or len(full) < 3:
        return
    vs = np.stack([c.vec["src"] for c in full])
    vt = np.stack([c.vec["tgt"] for c in full])
    own = (np.arange(len(cand)), cand)
    rows, cols = vs[cand] @ vt.T, vt[cand] @ vs.T
    rows[own] = cols[own] = -1.0  # a bead is not its own rival
    for k, r in zip(cand, np.maximum(rows.max(axis=1), cols.max(axis=1))):
        full[k].rival_sim = float(r)


def coverage_gate(c: BeadContext, cfg: FlagConfig) -> dict[str, bool]:
    """Which sides of a bead the (costly) leave-one-piece-out coverage test runs on.

    Why: embedding every side minus each of its pieces is most of the flag stage's cost, and on a faithful
    bead it finds nothing. A dropped clause makes the target short for its source (or the sides less
    similar); an added clause makes it long. So the source side (omission) is tested only when the bead's
    length log-ratio against the document's median is below ``-coverage_gate_ratio`` or its similarity is
    under ``coverage_gate_sim``, the target side (addition) when the ratio is above ``+coverage_gate_ratio``
    or the similarity is low. ``coverage_gate_ratio=0, coverage_gate_sim=1`` tests every bead."""
    if c.is_null or c.sim is None:
        return {"src": False, "tgt": False}
    lr = c.length_log_ratio
    low = c.sim < cfg.coverage_gate_sim
    return {"src": low or lr <= -cfg.coverage_gate_ratio, "tgt": low or lr >= cfg.coverage_gate_ratio}


def _embed_pieces(ctxs: Sequence[BeadContext], encoder, src_lang: str, tgt_lang: str, cfg: FlagConfig) -> None:
    """Stage 2: leave-one-piece-out similarities for the gated sides, all of a document in one call per side."""
    plan: list[tuple[BeadContext, str, list[str]]] = []
    for c in ctxs:
        gate = coverage_gate(c, cfg)
        c.coverage_checked = gate
        for side in ("src", "tgt"):
            if not gate[side]:
                continue
            pcs = bead_pieces(c.text(side), c.src_sents if side == "src" else c.tgt_sents, c.lang(side),
                              cfg.min_piece_chars)
            c.pieces[side] = pcs
            plan.append((c, side, [without(c.text(side), sp) for sp in pcs]))
    for side, lang in (("src", src_lang), ("tgt", tgt_lang)):
        idx, vec = _encode_unique(encoder, [t for c, sd, ts in plan if sd == side for t in ts], lang)
        other = "tgt" if side == "src" else "src"
        for c, sd, ts in plan:
            if sd == side:
                c.piece_sims[side] = [float(vec[idx[t]] @ c.vec[other]) for t in ts]


def flag_contexts(ctxs: Sequence[BeadContext], detectors: Sequence[Detector]) -> list[list[Flag]]:
    """Run the detectors on prepared contexts (used by :func:`detect` and by the evaluation script)."""
    out = []
    for c in ctxs:
        flags: list[Flag] = []
        for d in detectors:
            if "embeddings" in d.requires and c.sim is None:
                continue
            flags.extend(d.flags(c))
        unrelated = next((f for f in flags if f.type == "unrelated"), None)
        if unrelated is not None:
            # on an unrelated bead (often a misalignment) entity and cue comparisons are noise; coverage stays
            flags = [f for f in flags if f.type in ("unrelated", "omission", "addition")]
            flags += _unrelated_sides(c, unrelated, flags)
        out.append(_explained_shift(flags, float(c.config.shift_sim)))
    _attribution_pass(ctxs, out)
    for k, flags in enumerate(out):
        out[k] = _one_per_difference(flags)
    return out


def _explained_shift(flags: list[Flag], shift_sim: float) -> list[Flag]:
    """A bead whose sides are less alike than ``shift_sim`` because a clause was left out (or added) is that omission
    (addition), not a meaning_shift as well: the meaning_shift goes when, without a flagged clause, the sides are at
    least ``shift_sim`` alike (the coverage detector's ``detail["sim_without"]``): the rest renders the source."""
    if not any(f.type == "meaning_shift" for f in flags):
        return flags
    if not any(f.type in ("omission", "addition") and float(f.detail.get("sim_without", 0.0)) >= shift_sim for f in flags):
        return flags
    return [f for f in flags if f.type != "meaning_shift"]


def _one_per_difference(flags: list[Flag]) -> list[Flag]:
    """Two detectors may find the same difference (the coverage detector's unrendered clause and the modality
    detector's dropped hedge inside it): of the flags of one type whose spans overlap on a side, the most important
    (``corpus.records.flag_sort_key``: severity, then score) stays, so each difference is read once."""

    def overlap(a: Flag, b: Flag) -> bool:
        return any(x.start < y.end and y.start < x.end for xs, ys in ((a.src_spans, b.src_spans), (a.tgt_spans, b.tgt_spans))
                   for x in xs for y in ys)

    kept: list[Flag] = []
    for f in sorted(flags, key=flag_sort_key):
        if not any(g.type == f.type and overlap(f, g) for g in kept):
            kept.append(f)
    # a negation inside a clause the rendering leaves out («…, если поставки не задержатся» dropped) is that clause's,
    # not a flipped polarity: the negation flag goes when every cue of the side with more cues lies in an omitted
    # (added) span of the bead
    cut = {"src": [s for f in kept if f.type == "omission" for s in f.src_spans],
           "tgt": [s for f in kept if f.type == "addition" for s in f.tgt_spans]}

    def inside(spans, within) -> bool:
        return bool(spans) and all(any(w.start <= x.start and x.end <= w.end for w in within) for x in spans)

    kept = [f for f in kept if not (f.type == "negation_or_polarity"
                                    and (inside(f.src_spans, cut["src"]) or inside(f.tgt_spans, cut["tgt"])))]
    return [f for f in flags if any(f is g for g in kept)]


def _attribution_pass(ctxs: Sequence[BeadContext], out: list[list[Flag]]) -> None:
    """Rewrites move, fold and rephrase who said what: «Об этом заявил журналистам Песков.» as a sentence of its
    own becomes "…, Peskov told reporters." inside the lead. An omission (or addition) that is only such a source tag
    (``semantic.attribution_tag``) is no difference when the other edition names that source
    (``semantic.attribution_rendered``): a named person or place anywhere in the document (a named speaker is quoted
    wherever the desk likes); any source in the bead's own rendering, or, for a tag sentence of its own (it points back
    to the sentence before it), in the renderings of the beads next to it. An unnamed source («по данным
    министерства») attributes the fact of its own sentence: "…, he said" elsewhere in the story is another source.
    Otherwise the source really is dropped (or added): the flag stays, marked ``detail["attribution"] = "dropped"``
    (``"added"``), and is minor."""
    from .semantic import attribution_rendered, attribution_tag

    if not ctxs:
        return
    docs = {"src": " ".join(c.src_text for c in ctxs if c.src_text),
            "tgt": " ".join(c.tgt_text for c in ctxs if c.tgt_text)}
    for k, (c, flags) in enumerate(zip(ctxs, out)):
        keep = []
        for f in flags:
            side = "src" if f.type == "omission" else "tgt" if f.type == "addition" else None
            spans = (f.src_spans if side == "src" else f.tgt_spans) if side else ()
            if not spans or f.detail.get("from") == "unrelated":
                keep.append(f)
                continue
            text = c.text(side)
            tag = " ".join(text[s.start:s.end] for s in spans)
            # a whole sentence (a null bead, or one sentence of a merged side) or a clause of one
            whole = len(spans) == 1 and (spans[0].start, spans[0].end) in (c.src_sents if side == "src" else c.tgt_sents)
            if not attribution_tag(tag, c.lang(side), whole_sentence=whole):
                keep.append(f)
                continue
            other = "tgt" if side == "src" else "src"
            near = [ctxs[q].text(other) for q in ((k - 1, k, k + 1) if whole else (k,)) if 0 <= q < len(ctxs)]
            near_text = " ".join(t for t in near if t)
            if attribution_rendered(tag, c.lang(side), docs[other], c.lang(other), c.config, named_only=True) or (
                    near_text and attribution_rendered(tag, c.lang(side), near_text, c.lang(other), c.config)):
                continue
            detail = {**f.detail, "attribution": "dropped" if side == "src" else "added"}
            keep.append(Flag(f.type, f.score, severity_for(f.type, f.score, detail), f.src_spans, f.tgt_spans, detail))
        out[k] = keep


def _unrelated_sides(ctx: BeadContext, unrelated: Flag, flags: Sequence[Flag]) -> list[Flag]:
    """An unrelated bead renders neither side: its source sentences are omitted and its target sentences added (a
    line the other edition replaced with its own is paired 1-1 by the aligner when nothing better is left), so a user
    listing omissions or additions finds them too. Whole-side flags, unless the coverage detector already gave one."""
    out = []
    for typ, side in (("omission", "src"), ("addition", "tgt")):
        if any(f.type == typ for f in flags):
            continue
        whole = (Span(0, len(ctx.text(side))),)
        detail = {"detector": "semantic", "scope": "bead", "from": "unrelated", "sim": unrelated.detail.get("sim"),
                  "raw_score": unrelated.detail.get("raw_score"), "threshold": unrelated.detail.get("threshold")}
        out.append(Flag(typ, unrelated.score, severity_for(typ, unrelated.score, detail), whole if side == "src" else (),
                        whole if side == "tgt" else (), detail))
    return out


def detect(src: Sequence[str], tgt: Sequence[str], beads: Sequence[Bead], *, src_lang: str, tgt_lang: str,
           encoder=None, config: FlagConfig | None = None) -> list[list[Flag]]:
    """Flag wording differences on each bead (one list per bead, in bead order).

    Without an encoder the embedding detectors (partial coverage, meaning_shift, unrelated) are
    skipped; null beads, numbers, dates, names, negation, modality and framing still run."""
    cfg = config or FlagConfig()
    dets = build_detectors(cfg)
    need = any("embeddings" in d.requires for d in dets)
    ctxs = contexts(src, tgt, beads, src_lang=src_lang, tgt_lang=tgt_lang, encoder=encoder, config=cfg,
                    need_embeddings=need)
    return flag_contexts(ctxs, dets)
