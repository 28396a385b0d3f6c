"""Lexicon-driven detectors: negation_or_polarity, intensity_or_modality_shift, framing_shift.

Why lexicons: these differences are a word or two («не», "may", "Kiev regime") that sentence
embeddings barely register. Cue lists live in ``align/data/cues.tsv`` and the framing pairs in
``align/data/framing_lexicon.tsv`` (documented columns; users extend it with their own file), so the
evidence for a flag is the exact cue on each side.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from align.records import Span

from .base import BeadContext, Candidate, Detector, FlagType, register

DATA = Path(__file__).resolve().parent.parent / "data"
BUILTIN_LEXICON = DATA / "framing_lexicon.tsv"


class LexiconError(ValueError):
    """A lexicon file that cannot be read (bad columns, invalid regex)."""


def _lang(lang: str) -> str:
    return (lang or "").lower().split("-")[0].split("_")[0]


def _compile(alts: list[str]) -> re.Pattern | None:
    alts = [a for a in alts if a]
    if not alts:
        return None
    alts = sorted(alts, key=len, reverse=True)  # longest first: «не удалось» before «не»
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{a})" for a in alts) + r")(?!\w)", re.I | re.U)


def _cue_rows() -> list[tuple[str, str, str, float]]:
    rows = []
    with (DATA / "cues.tsv").open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[0].startswith("#") or len(row) < 3:
                continue
            w = float(row[3]) if len(row) > 3 and row[3].strip() else 1.0
            rows.append((row[0].strip(), row[1].strip(), row[2].strip(), w))
    return rows


@lru_cache(maxsize=1)
def cues() -> dict[tuple[str, str], re.Pattern]:
    """(class, lang) → compiled alternation of the cue regexes in ``cues.tsv``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for cls, lg, rx, _ in _cue_rows():
        groups.setdefault((cls, lg), []).append(rx)
    # one alternation per (class, lang); longer cells first so multi-word cues win at the same position
    return {k: _compile(v) for k, v in groups.items()}


@lru_cache(maxsize=1)
def weighted_cues() -> dict[tuple[str, str], list[tuple[re.Pattern, float]]]:
    """(class, lang) → [(compiled row, weight)]: the rows of one class kept apart to weigh each cue."""
    out: dict[tuple[str, str], list[tuple[re.Pattern, float]]] = {}
    for cls, lg, rx, w in _cue_rows():
        out.setdefault((cls, lg), []).append((_compile([rx]), w))
    return out


def _mask(text: str, lang: str, classes: tuple[str, ...]) -> str:
    """``text`` with the phrases of the given ``*_ignore`` classes blanked out (same length, so spans
    stay valid): fixed phrases that contain a cue word but carry no negation / modality."""
    table = cues()
    lg = _cue_lang(lang)
    for cls in classes:
        ign = table.get((cls, lg))
        if ign is not None:
            text = ign.sub(lambda m: " " * len(m.group()), text)
    return text


def cue_strength(text: str, lang: str, cls: str, skip: tuple = (), min_weight: float = 0.0) -> tuple[float, list[Span]]:
    """A side's strength in modality class ``cls`` (the largest weight among its cues; 0 without one)
    and the cue spans. Phrases of ``modality_ignore`` and ``<cls>_ignore`` («следует отметить», "it should
    be noted": discourse formulas, not modality) are masked first, and so are the ``skip`` spans (the
    side's date mentions: "in May" is a month, not a modal). ``min_weight``: only cues of at least that weight."""
    best, spans = 0.0, []
    rows = [(rx, w) for rx, w in weighted_cues().get((cls, _cue_lang(lang)), []) if w >= min_weight]
    if not rows or not text:
        return best, spans
    masked = _mask(text, lang, ("modality_ignore", cls + "_ignore"))
    for sp in skip:
        masked = masked[:sp.start] + " " * (sp.end - sp.start) + masked[sp.end:]
    for rx, w in rows:
        found = [Span(m.start(), m.end()) for m in rx.finditer(masked)]
        if found:
            best = max(best, w)
            spans += found
    return best, sorted(set(spans), key=lambda s: s.start)


# weight a plain future adds to a one-sided possibility (see ModalityDetector.score)
FUTURE_WEIGHT = 0.5
_ABILITY = re.compile(r"can|(?:be|is|are|was|were|been)\s+able\s+to", re.I)

# modality classes whose cue, present in the source only, is a dropped qualifier (an omission), not a modal shift
DROPPED_QUALIFIER = frozenset(("hedge",))
MODALITY_CLASSES = ("possibility", "necessity", "hedge", "certainty", "intensifier", "weak_report", "strong_report",
                    "expectation")
# classes whose cue, facing a plain future on the other side ("will help" for «может помочь», "will increase" for
# «рассчитывает увеличить»), is a possibility or hope stated as a certainty
FUTURE_SHIFTS = ("possibility", "expectation")
# a denied or affirmed exclusion («не исключает», "rules out"): its flip is the negation detector's polarity flag
_EXCLUSION = re.compile(r"исключ|rul(?:e|es|ed|ing)\s+out|exclud", re.I)
# direction axes (cue classes of ``cues.tsv``): opposite poles stated by the two sides reverse the meaning
AXES: tuple[tuple[str, str, str], ...] = (("quantity", "up", "down"), ("trade", "export", "import"))


def _cue_lang(lang: str) -> str:
    lg = _lang(lang)
    return "ru" if lg in ("ru", "uk", "be") else "en" if lg == "en" else lg


def find_cues(text: str, lang: str, cls: str) -> list[Span]:
    """Spans of the cues of class ``cls`` in ``text`` (after masking ``<cls>_ignore`` phrases)."""
    table = cues()
    lg = _cue_lang(lang)
    rx = table.get((cls, lg))
    if rx is None or not text:
        return []
    masked = _mask(text, lang, (cls + "_ignore",))
    return [Span(m.start(), m.end()) for m in rx.finditer(masked)]


_NI_WORD = re.compile(r"(?:никто|никого|никому|никем|ником|ничего|ничто|ничем|ничему|нигде|никуда|ниоткуда|никогда|"
                      r"никак\w*)", re.I)


_CORRELATIVES = frozenset(("ни", "nor", "neither"))
_PARTICLE = re.compile(r"не|not|\w+n['’]t|cannot", re.I)


def negation_events(spans: list[Span], gap: int = 25, text: str | None = None, max_words: int = 2) -> list[list[Span]]:
    """Group negation cues close together into one event: «ни комментариев, ни извинений» and "no comments
    or apologies" both negate once. With ``text``, cues at most ``max_words`` words apart within a clause are
    one event (a word gap, unlike a character gap, does not depend on the language's word length), and so is a
    correlative with the negation before it in its sentence; without ``text``, cues less than ``gap`` characters
    apart."""
    groups: list[list[Span]] = []
    for sp in spans:
        if groups:
            prev = groups[-1][-1]
            between = text[prev.end:sp.start] if text is not None else ""
            words = len(re.findall(r"\w+", between))
            cue = text[sp.start:sp.end].lower() if text is not None else ""
            # a correlative («ни», "nor", "neither") continues the negation before it in its sentence ("would not
            # be supported by UEFA, nor FIFA" negates once); other cues across a clause boundary are a new event
            # ("Complaints aren't fixes, judgments aren't diplomacy" negates twice)
            correlative = cue in _CORRELATIVES and not re.search(r"[.;!?]", between) and words <= 8
            near = (words <= max_words and not re.search(r"[,;:—–.!?]", between)
                    if text is not None else sp.start - prev.end < gap)
            # two verb particles negate two verbs however close («не призывают не делать» = "are not calling on
            # people to not make"): only a particle and a cue of another kind ("no comments or apologies") join
            near = near and not (text is not None and _PARTICLE.fullmatch(cue)
                                 and _PARTICLE.fullmatch(text[prev.start:prev.end]))
            # Russian negative concord: a ни-word and the «не» of its clause negate once («Никакого апокалипсиса,
            # конечно, не случилось» = "there was no apocalypse"), however far apart in the sentence
            concord = (text is not None and _NI_WORD.fullmatch(text[groups[-1][0].start:groups[-1][0].end]) is not None
                       and text[sp.start:sp.end].lower() in ("не", "нет") and not re.search(r"[.;!?]", between)
                       and words <= 8)
            if near or concord or correlative:
                groups[-1].append(sp)
                continue
        groups.append([sp])
    return groups


@register
class NegationDetector(Detector):
    """negation_or_polarity: the sides carry a different number of negation cues (score = |Δ|)."""

    name = "negation"
    provides = ("negation_or_polarity",)
    requires = ("lexicon",)
    declares = (
        FlagType(
            "negation_or_polarity",
            "one side negates what the other affirms",
            label="negation / polarity",
            what="One side negates what the other affirms (a different number of negations).",
            why="A flipped negation reverses what is claimed.",
            colour="#8c564b", severity="critical", confidence_floor=0.9,
        ),
    )
    default_thresholds = {"negation": 1.0}

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        s = find_cues(ctx.src_text, ctx.src_lang, "neg")
        t = find_cues(ctx.tgt_text, ctx.tgt_lang, "neg")
        d = abs(len(negation_events(s, text=ctx.src_text)) - len(negation_events(t, text=ctx.tgt_text)))
        if d == 0:
            return []
        return [Candidate("negation_or_polarity", float(d), tuple(s), tuple(t),
                          {"src_cues": [ctx.src_text[x.start:x.end] for x in s],
                           "tgt_cues": [ctx.tgt_text[x.start:x.end] for x in t]})]


@register
class DirectionDetector(Detector):
    """meaning_shift by an antonym: one side states one pole of a direction axis (``AXES``: up / down, export /
    import) and the other side the opposite pole, each with no cue of the other pole (score 1): «повысить точность»
    → "reduce the cost", «экспортирует в» → "imports from". Sentence embeddings barely separate such a pair (cosine
    0.98-0.99 with e5-small). A side with both poles («снижение темпов роста», "slower growth") states no direction."""

    name = "direction"
    provides = ("meaning_shift",)
    requires = ("lexicon",)
    default_thresholds = {"direction": 1.0}
    confidence_floor = 0.9

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        out = []
        for axis, a, b in AXES:
            poles = {}
            for side in ("src", "tgt"):
                text, lang = ctx.text(side), ctx.lang(side)
                pa, pb = find_cues(text, lang, a), find_cues(text, lang, b)
                poles[side] = (a, pa) if pa and not pb else (b, pb) if pb and not pa else (None, [])
            (ps, ss), (pt, st) = poles["src"], poles["tgt"]
            if ps and pt and ps != pt:
                out.append(Candidate("meaning_shift", 1.0, tuple(ss), tuple(st),
                                     {"axis": axis, "src_pole": ps, "tgt_pole": pt,
                                      "src_cues": [ctx.src_text[x.start:x.end] for x in ss],
                                      "tgt_cues": [ctx.tgt_text[x.start:x.end] for x in st]}))
        return out


# ---------------------------------------------------------------------------- cues by meaning
# Anchor sentences: each puts one cue (in brackets) of a class in a context where it is the only modal. The cue word's
# contextual token vector (the bundled e5-small, the token-coverage layer) stands for the class; "future" and "plain"
# (a bare verb) are the non-modal readings a rendering may use instead.
ANCHORS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "possibility": ("Prices [may] rise next year.", "Prices [could] rise next year.",
                        "Prices will [possibly] rise next year.", "Prices are [likely] to rise next year."),
        "necessity": ("Prices [must] rise next year.", "Prices [should] rise next year.", "Prices [have to] rise next year."),
        "certainty": ("Prices will [certainly] rise next year.", "Prices will [definitely] rise next year.",
                      "Prices are [sure] to rise next year."),
        "expectation": ("The company [expects] to raise prices next year.", "The company [hopes] to raise prices next year.",
                        "The company [is counting on] raising prices next year."),
        "hedge": ("Prices [reportedly] rose last year.", "Prices [allegedly] rose last year.",
                  "Prices [apparently] rose last year."),
        "future": ("Prices [will] rise next year.", "The company [will] raise prices next year."),
        "plain": ("Prices [rose] last year.", "The company [raised] prices last year.", "Prices [rise] every year."),
    },
    "ru": {
        "possibility": ("Цены [могут] вырасти в следующем году.", "Цены, [возможно], вырастут в следующем году.",
                        "Цены, [вероятно], вырастут в следующем году."),
        "necessity": ("Цены [должны] вырасти в следующем году.", "Цены [следует] повысить в следующем году.",
                      "Цены [нужно] повысить в следующем году."),
        "certainty": ("Цены [обязательно] вырастут в следующем году.", "Цены [непременно] вырастут в следующем году.",
                      "Цены [точно] вырастут в следующем году."),
        "expectation": ("Компания [рассчитывает] повысить цены в следующем году.",
                        "Компания [надеется] повысить цены в следующем году.",
                        "Компания [ожидает] повысить цены в следующем году."),
        "hedge": ("Цены, [предположительно], выросли в прошлом году.", "Цены, [якобы], выросли в прошлом году.",
                  "Цены, [по-видимому], выросли в прошлом году."),
        "future": ("Цены [вырастут] в следующем году.", "Компания [повысит] цены в следующем году."),
        "plain": ("Цены [выросли] в прошлом году.", "Компания [повысила] цены в прошлом году."),
    },
}
# the other side's token nearest the cue renders its class when that token's nearest anchor is of the class at this
# cosine or more (the anchor cosines of a rendering such as "sure" for «обязательно» are 0.7-0.97; of a bare "will"
# against the possibility anchors under 0.65)
RENDERED_ANCHOR_SIM = 0.6


def piece_offsets(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Character offsets in ``text`` of each SentencePiece piece (``token_states``' pieces; ``▁`` starts a word);
    a piece not found where expected gets an empty span."""
    out, pos = [], 0
    for p in pieces:
        st = p.replace("\u2581", " ").strip()
        i = text.find(st, pos) if st else -1
        if i < 0 or i - pos > 3:
            out.append((pos, pos))
            continue
        out.append((i, i + len(st)))
        pos = i + len(st)
    return out


def _unit(v):
    import numpy as np

    v = np.asarray(v, dtype=np.float32)
    return v / max(float(np.linalg.norm(v)), 1e-12)


@lru_cache(maxsize=4)
def _anchor_vectors(layer: int):
    """lang → (matrix of anchor vectors, their classes), from :data:`ANCHORS`; None without the token model."""
    import numpy as np

    from align.encoders import token_model

    model = token_model()
    if model is None:
        return None
    out = {}
    for lang, table in ANCHORS.items():
        rows, classes = [], []
        for cls, sents in table.items():
            texts = [t.replace("[", "").replace("]", "") for t in sents]
            for t, (vecs, pieces) in zip(sents, model.token_states(texts, layer=layer)):
                a, b = t.index("["), t.index("]") - 1
                idx = [i for i, (x, y) in enumerate(piece_offsets(t.replace("[", "").replace("]", ""), pieces))
                       if x < b and a < y]
                if idx:
                    rows.append(_unit(vecs[idx].mean(axis=0)))
                    classes.append(cls)
        out[lang] = (np.stack(rows), classes)
    return out


def nearest_token(ctx: BeadContext, side: str, spans) -> tuple[int, float] | None:
    """The other side's token closest to the words at ``spans`` of ``side`` (contextual token vectors,
    ``ctx.token_states``, filled by :func:`align.flags.detect` when torch is installed): (its index, the cosine).
    None without token states."""
    import numpy as np

    from align.e5torch import word_piece_mask

    other = "tgt" if side == "src" else "src"
    if side not in ctx.token_states or other not in ctx.token_states or not spans:
        return None
    sv, sp = ctx.token_states[side]
    tv, tp = ctx.token_states[other]
    offs = piece_offsets(ctx.text(side), sp)
    idx = [i for i, (x, y) in enumerate(offs) if y > x and any(x < s.end and s.start < y for s in spans)]
    tmask = word_piece_mask(tp)
    if not idx or not tmask.any():
        return None
    a = np.stack([_unit(v) for v in sv[idx]])
    b = np.stack([_unit(v) for v in tv])
    sim = a @ b.T
    sim[:, ~tmask] = -2.0
    j = int(sim.max(axis=0).argmax())
    return j, float(sim[:, j].max())


def rendered_by_meaning(ctx: BeadContext, side: str, spans: list[Span], cls: str) -> tuple[bool, str]:
    """Whether the other side renders the cue at ``spans`` (class ``cls``) with words no cue list has: the other
    side's token closest to the cue (contextual token vectors, ``ctx.token_states``) is nearest to an anchor of
    ``cls`` (:data:`ANCHORS`) at :data:`RENDERED_ANCHOR_SIM` or more. Returns (rendered, that token's word); (False, "")
    without token states (no torch) or anchors for the other side's language."""
    import numpy as np

    other = "tgt" if side == "src" else "src"
    if side not in ctx.token_states or other not in ctx.token_states or not spans:
        return False, ""
    anchors = _anchor_vectors(int(getattr(ctx.config, "token_coverage_layer", 6)))
    lg = _cue_lang(ctx.lang(other))
    if not anchors or lg not in anchors:
        return False, ""
    near = nearest_token(ctx, side, spans)
    if near is None:
        return False, ""
    j, _ = near
    tv, tp = ctx.token_states[other]
    mat, classes = anchors[lg]
    k = mat @ _unit(tv[j])
    best = int(k.argmax())
    word = tp[j].replace("\u2581", "")
    return classes[best] == cls and float(k[best]) >= RENDERED_ANCHOR_SIM, word


@register
class ModalityDetector(Detector):
    """intensity_or_modality_shift: modal, hedge, certainty, intensifier and reporting-verb cues
    differ between the sides. Score = Σ over the classes present on one side only of that side's strength,
    the largest cue weight it has in the class (``cues.tsv``, 4th column). Presence rather than counts, and
    weak cues ("can", "need to", "about 5") at half weight: paraphrase moves those around ("could … could" /
    "was able to"), while a shift ("will" → "might", "said" → "hinted") adds a strong cue. A strong hedge of the
    source with no counterpart (``DROPPED_QUALIFIER``: «предварительно», «якобы») is an ``omission`` of the cue."""

    name = "modality"
    provides = ("intensity_or_modality_shift", "omission")
    requires = ("lexicon", "dates")
    declares = (
        FlagType(
            "intensity_or_modality_shift",
            "certainty, obligation or intensity changed (\"may\" ↔ \"will\", «заявил» ↔ \"suggested\")",
            label="intensity / modality",
            what="Modal, hedging, certainty or reporting words differ (may → will, said → hinted).",
            why="The claim is stronger or weaker than in the source.",
            colour="#e377c2", severity="major", confidence_floor=0.9,
        ),
    )
    default_thresholds = {"modality": 1.0}
    confidence_floor = 0.9

    @staticmethod
    def _exclusion_flip(ctx: BeadContext, side: str, cue: list[Span]) -> bool:
        """«не исключает» → "ruled out": the possibility cue is a denied exclusion and the other side affirms the
        exclusion (a negation cue), so the difference is one flipped polarity, the negation detector's flag."""
        text = ctx.text(side)
        if not cue or not all(_EXCLUSION.search(text[c.start:c.end]) for c in cue):
            return False
        other = "tgt" if side == "src" else "src"
        ot = ctx.text(other)
        return any(_EXCLUSION.search(ot[c.start:c.end]) for c in find_cues(ot, ctx.lang(other), "neg"))

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        total, src_sp, tgt_sp, classes = 0.0, [], [], {}
        rendered: dict[str, str] = {}  # class -> the other side's word that renders its cue by meaning
        for cls in MODALITY_CLASSES:
            ws, s = cue_strength(ctx.src_text, ctx.src_lang, cls, tuple(ctx.src_dates))
            wt, t = cue_strength(ctx.tgt_text, ctx.tgt_lang, cls, tuple(ctx.tgt_dates))
            # presence strength: a class counts only when one side has no cue of it at all; "must" for
            # «нужно», "possible" for «возможно» (cues of one class, different weights) is a rendering choice
            if min(ws, wt) == 0 and max(ws, wt) > 0:
                side, cue = ("src", s) if ws else ("tgt", t)
                if cls == "possibility" and self._exclusion_flip(ctx, side, cue):
                    continue
                ok, word = rendered_by_meaning(ctx, side, cue, cls)
                if ok:  # the other side says the same with words no list has ("is sure to" for «обязательно»)
                    rendered[cls] = word
                    continue
                total += max(ws, wt)
                src_sp += s
                tgt_sp += t
                classes[cls] = {"src": [ctx.src_text[x.start:x.end] for x in s],
                                "tgt": [ctx.tgt_text[x.start:x.end] for x in t]}
        for fcls in FUTURE_SHIFTS:
            pos = classes.get(fcls)
            cued = pos and (pos["src"] or pos["tgt"])
            if not cued or (fcls == "possibility" and all(_ABILITY.fullmatch(c) for c in cued)):
                continue
            # «может помочь» → "will help", «рассчитывает увеличить» → "will increase": the side without the cue
            # states it as a plain future, so a possibility or hope became a certainty (a weak «может»/"could" alone
            # stays under the threshold). English "can" / "be able to" mostly state an ability, not a possibility:
            # "can be used" ↔ "will allow" is a rewording (seen between two faithful references), so they do not count.
            bare = "tgt" if pos["src"] else "src"
            fut = find_cues(ctx.text(bare), ctx.lang(bare), "future")
            if fut:
                total += FUTURE_WEIGHT
                (tgt_sp if bare == "tgt" else src_sp).extend(fut)
                pos[f"{bare}_future"] = [ctx.text(bare)[x.start:x.end] for x in fut]
        dropped = []
        for cls in DROPPED_QUALIFIER:
            # a strong hedge («по предварительным оценкам») rendered only by a weak one ("about 40%" for «примерно 40%»
            # in the same sentence): the class is on both sides, the qualifier is still gone
            if cls in classes:
                continue
            ws, s = cue_strength(ctx.src_text, ctx.src_lang, cls, tuple(ctx.src_dates), min_weight=1.0)
            wt, _ = cue_strength(ctx.tgt_text, ctx.tgt_lang, cls, tuple(ctx.tgt_dates), min_weight=1.0)
            if ws and not wt and not rendered_by_meaning(ctx, "src", s, cls)[0]:
                dropped += s
                classes[cls] = {"src": [ctx.src_text[x.start:x.end] for x in s], "tgt": [], "strong_only": True}
        if dropped:
            out = [Candidate("omission", 1.0, tuple(sorted(dropped, key=lambda x: x.start)), (),
                             {"classes": {c: classes[c] for c in DROPPED_QUALIFIER if c in classes},
                              "scope": "words", "qualifier": "dropped"})]
            rest = {c: v for c, v in classes.items() if c not in DROPPED_QUALIFIER}
            if total > 0 and rest:
                out.append(Candidate("intensity_or_modality_shift", total, tuple(sorted(src_sp, key=lambda x: x.start)),
                                     tuple(sorted(tgt_sp, key=lambda x: x.start)), {"classes": rest}))
            return out
        if total == 0:
            return []
        if set(classes) <= DROPPED_QUALIFIER and all(c["src"] and not c["tgt"] for c in classes.values()):
            # a hedge or qualifier the rendering leaves out («предварительно договорились» → "agreed"): the claim
            # is stated flatly, a fact dropped rather than a modal swapped; reported as an omission of the cue
            return [Candidate("omission", total, tuple(sorted(src_sp, key=lambda x: x.start)), (),
                              {"classes": classes, "scope": "words", "qualifier": "dropped"})]
        detail = {"classes": classes, **({"rendered_by_meaning": rendered} if rendered else {})}
        return [Candidate("intensity_or_modality_shift", total, tuple(sorted(src_sp, key=lambda x: x.start)),
                          tuple(sorted(tgt_sp, key=lambda x: x.start)), detail)]


# ---------------------------------------------------------------------------- framing
# a loaded term whose closest token on the other side has a lower cosine than this is not rendered there (dropped
# qualifiers score 0.59-0.63 against their rewrites, renderings outside the lexicon, "unjust" for «нелегитимные»,
# 0.75-0.88: examples in docs/experiments/entities.md)
FRAMING_RENDERED_SIM = 0.7


def _sentence_start(text: str, i: int) -> bool:
    return not text[:i].strip() or text[:i].rstrip()[-1:] in ".!?«\"“("


@dataclass(frozen=True)
class FramingEntry:
    """One row of a framing lexicon: a Russian term and its loaded / neutral English renderings."""

    ru: re.Pattern | None
    en_loaded: re.Pattern | None
    en_neutral: re.Pattern | None
    note: str
    source: str  # file:line, reported in the flag


def _cell(cell: str, where: str) -> re.Pattern | None:
    cell = (cell or "").strip()
    if not cell:
        return None
    try:
        return re.compile(r"(?<!\w)(?:" + cell + r")(?!\w)", re.I | re.U)
    except re.error as e:
        raise LexiconError(f"{where}: invalid regex {cell!r}: {e}") from None


def load_lexicon(path: str | Path) -> list[FramingEntry]:
    """Read a framing lexicon TSV (columns ru, en_loaded, en_neutral, note; '#' comments; an optional
    header row starting with 'ru'). Raises :class:`LexiconError` on a malformed file."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise LexiconError(f"cannot read lexicon {path}: {e}") from None
    out = []
    for i, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0].strip().lower() == "ru" and i <= 20 and len(cols) >= 3 and cols[1].strip() == "en_loaded":
            continue  # header
        if len(cols) < 3:
            raise LexiconError(f"{path.name}:{i}: expected 'ru<TAB>en_loaded<TAB>en_neutral[<TAB>note]', got {len(cols)} column(s)")
        where = f"{path.name}:{i}"
        e = FramingEntry(_cell(cols[0], where), _cell(cols[1], where), _cell(cols[2], where),
                         cols[3].strip() if len(cols) > 3 else "", where)
        if e.ru is None and e.en_loaded is None:
            raise LexiconError(f"{where}: a row needs a Russian term or an English loaded term")
        out.append(e)
    return out


@lru_cache(maxsize=8)
def _lexicon(extra: str | None) -> tuple[FramingEntry, ...]:
    entries: list[FramingEntry] = list(load_lexicon(BUILTIN_LEXICON))
    if extra:
        entries += load_lexicon(extra)
    return tuple(entries)


def _state(entry: FramingEntry, text: str, lang: str) -> tuple[str | None, list[Span]]:
    """'loaded' / 'neutral' / None for one side, with the matched spans."""
    lg = _cue_lang(lang)
    if lg == "ru":
        spans = [Span(m.start(), m.end()) for m in entry.ru.finditer(text)] if entry.ru else []
        return ("loaded" if spans else None), spans
    if lg == "en":
        lo = [Span(m.start(), m.end()) for m in entry.en_loaded.finditer(text)] if entry.en_loaded else []
        ne = [Span(m.start(), m.end()) for m in entry.en_neutral.finditer(text)] if entry.en_neutral else []
        # a match inside a longer one of the other state does not count: neutral "operation" inside loaded
        # "special military operation", loaded "referendum" inside neutral "sham referendum"
        def inside(x, ys):
            return any(y.start <= x.start and x.end <= y.end and (y.end - y.start) > (x.end - x.start) for y in ys)

        lo, ne = [l for l in lo if not inside(l, ne)], [n for n in ne if not inside(n, lo)]
        if lo and not ne:
            return "loaded", lo
        if ne and not lo:
            return "neutral", ne
        return None, []
    return None, []


@register
class FramingDetector(Detector):
    """framing_shift: one side uses a loaded term and the other its neutral counterpart (score 1),
    or a loaded term has no counterpart at all on the other side (score 0.5)."""

    name = "framing"
    provides = ("framing_shift",)
    requires = ("lexicon",)
    declares = (
        FlagType(
            "framing_shift",
            "a loaded term swapped for another (built-in framing lexicon)",
            label="framing",
            what="A loaded term on one side, a neutral one on the other (from the framing lexicon).",
            why="The choice of term changes how the event is framed for the reader.",
            colour="#17becf", severity="major", confidence_floor=0.7,
        ),
    )
    default_thresholds = {"framing": 0.6}

    def __init__(self, config):
        super().__init__(config)
        self.entries = _lexicon(str(config.extra_lexicon) if config.extra_lexicon else None)

    @staticmethod
    def _dropped(ctx: BeadContext, spans, side: str) -> float | None:
        """The cosine of a loaded term with its closest token on the other side (:func:`nearest_token`), for a term
        the other side's lexicon cells do not match: a low one means no word renders it («нелегитимные ограничения» →
        "Western restrictions"), a high one a rendering the lexicon does not list ("unjust restrictions"). Only across
        languages and for lower-case terms (a place name left out, «Киев», is no framing); None otherwise."""
        if _cue_lang(ctx.src_lang) == _cue_lang(ctx.tgt_lang) or not spans:
            return None
        text = ctx.text(side)
        if any(text[x.start:x.end][:1].isupper() and not _sentence_start(text, x.start) for x in spans):
            return None
        near = nearest_token(ctx, side, list(spans))
        return None if near is None else near[1]

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        out = []
        for e in self.entries:
            s_state, s_sp = _state(e, ctx.src_text, ctx.src_lang)
            t_state, t_sp = _state(e, ctx.tgt_text, ctx.tgt_lang)
            if s_state is None and t_state is None or s_state == t_state:
                continue
            states = {s_state, t_state}
            extra = {}
            if states == {"loaded", "neutral"}:
                sc = 1.0
            elif "loaded" in states:
                sc = 0.5
                sim = self._dropped(ctx, s_sp if s_state == "loaded" else t_sp, "src" if s_state == "loaded" else "tgt")
                if sim is not None:
                    extra = {"rendered_sim": round(sim, 3)}
                    if sim < FRAMING_RENDERED_SIM:
                        sc = 1.0  # the loaded word has no counterpart: the rendering dropped the framing
            else:
                continue
            out.append(Candidate("framing_shift", sc, tuple(s_sp), tuple(t_sp),
                                 {"src_term": [ctx.src_text[x.start:x.end] for x in s_sp],
                                  "tgt_term": [ctx.tgt_text[x.start:x.end] for x in t_sp],
                                  "src_state": s_state, "tgt_state": t_state, "note": e.note,
                                  "lexicon": e.source, **extra}))
        return out
