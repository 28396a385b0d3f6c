"""Wording-difference flags with evidence: the product's distinctive output.

``detect(src, tgt, beads, *, src_lang, tgt_lang, encoder=None, config=None)`` returns one list of
:class:`corpus.records.Flag` per bead. Each flag carries its type (``corpus.records.FLAG_TYPES``),
the detector's raw score, a severity, character spans into the bead's side texts (sentences
joined by one space) and a ``detail`` dict with the evidence and the threshold applied.

Detectors live in a name → class registry (:data:`REGISTRY`); each keeps ``score()`` apart from
``accept()`` and declares what it ``requires`` and ``provides``. Embedding detectors (coverage,
semantic) run only when an encoder is given; every text is embedded once per call, batched.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from corpus.records import Bead, Flag

from . import entities, lexical, semantic  # noqa: F401  (registers the detectors)
from .base import REGISTRY, BeadContext, Candidate, Detector, register
from .config import DEFAULT_DETECTORS, DEFAULT_THRESHOLDS, FlagConfig
from .lexical import LexiconError, load_lexicon
from .semantic import bead_pieces, without

__all__ = [
    "detect", "contexts", "FlagConfig", "REGISTRY", "Detector", "BeadContext", "Candidate", "register",
    "build_detectors", "LexiconError", "load_lexicon", "DEFAULT_DETECTORS", "DEFAULT_THRESHOLDS",
]


def build_detectors(config: FlagConfig) -> list[Detector]:
    unknown = [n for n in config.detectors if n not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown detector(s) {', '.join(unknown)}; choose from {', '.join(sorted(REGISTRY))}")
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
    """One :class:`BeadContext` per bead; with an encoder, the sides' similarity and the
    leave-one-piece-out similarities are filled in (texts embedded once, in two batches)."""
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
    want_pieces = "coverage" in cfg.detectors
    texts = {"src": [], "tgt": []}
    index = {"src": {}, "tgt": {}}

    def slot(side: str, text: str) -> int:
        d = index[side]
        if text not in d:
            d[text] = len(texts[side])
            texts[side].append(text)
        return d[text]

    plan = []
    for c in ctxs:
        if c.is_null:
            plan.append(None)
            continue
        p = {"src": slot("src", c.src_text), "tgt": slot("tgt", c.tgt_text), "pieces": {}}
        if want_pieces:
            for side in ("src", "tgt"):
                pcs = bead_pieces(c.text(side), c.src_sents if side == "src" else c.tgt_sents, c.lang(side),
                                  cfg.min_piece_chars)
                c.pieces[side] = pcs
                p["pieces"][side] = [slot(side, without(c.text(side), sp)) for sp in pcs]
        plan.append(p)
    vec = {side: (encoder.encode(texts[side], lang=src_lang if side == "src" else tgt_lang)
                  if texts[side] else np.zeros((0, 1), dtype=np.float32)) for side in ("src", "tgt")}
    for c, p in zip(ctxs, plan):
        if p is None:
            continue
        vs, vt = vec["src"][p["src"]], vec["tgt"][p["tgt"]]
        c.sim = float(vs @ vt)
        if want_pieces:
            c.piece_sims["src"] = [float(vec["src"][k] @ vt) for k in p["pieces"]["src"]]
            c.piece_sims["tgt"] = [float(vs @ vec["tgt"][k]) for k in p["pieces"]["tgt"]]
    return ctxs


def flag_contexts(ctxs: Sequence[BeadContext], detectors: Sequence[Detector]) -> list[list[Flag]]:
    """Run the detectors on prepared contexts (used by :func:`detect` and by the evaluation script)."""
    out = []
    for c in ctxs:
        flags: list[Flag] = []
        for d in detectors:
            if "embeddings" in d.requires and c.sim is None:
                continue
            flags.extend(d.flags(c))
        if any(f.type == "unrelated" for f in flags):
            # on an unrelated bead (often a misalignment) entity and cue comparisons are noise; coverage stays
            flags = [f for f in flags if f.type in ("unrelated", "omission", "addition")]
        out.append(flags)
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
