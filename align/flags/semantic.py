"""Embedding-based detectors: whole-sentence omission/addition (null beads), partial omission or
addition inside a bead (coverage), and meaning_shift / unrelated from the similarity of the sides.

Why embeddings: a rendering that leaves out or adds a clause moves the sides apart, and the same encoder the
aligner uses needs no parallel training data. Coverage is a leave-one-piece-out test: a piece of one side (a
sentence of a multi-sentence side, else a clause) whose removal makes the sides *more* similar is not rendered
by the other side: an omission (source piece) or an addition (target piece). Its raw score is that similarity
gain plus smaller evidence terms, each weighted in :class:`~align.flags.config.FlagConfig`:

* token evidence (needs torch): the bundled e5-small's contextual token vectors after 6 layers show source
  (or, read the other way, target) words with no counterpart (:func:`token_coverage`: the least-covered run of
  4 words and the longest run of content words left unaligned by two rounds of mutual best matches); dropped
  clauses barely move a sentence vector but leave such a stretch. Without torch, ``coverage_plain`` /
  ``coverage_addition_plain`` thresholds apply;
* length: the bead's length ratio against the document's median;
* omission only: a source naming more sources of its information (``attribution`` rows of ``cues.tsv``), or
  stating more quantities or lone names with no counterpart, than its rendering.

meaning_shift / unrelated come from 1 − cosine of the sides (``shift_sim`` 0.87, ``unrelated_sim`` 0.80, and a
one-sentence bead beaten by a rival pairing in its document). Defaults were tuned on the dev halves of the
WMT21 perturbation suite (``scripts/eval_flags.py``); what was measured, tried and not adopted is recorded in
``docs/experiments/flags.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from align.records import Span

from .base import BeadContext, Candidate, Detector, FlagType, register
from .entities import INSTITUTION_HEADS, function_word, in_institution, lone_names
from .lexical import find_cues

# clause boundaries: punctuation, then (inside long pieces) coordinating/relative conjunctions
_PUNCT = re.compile(r"\s*(?:[,;:()]|\s[—–-]\s)\s*")
_CONJ = {
    "ru": re.compile(r"\s+(?=(?:и|а|но|однако|причем|при этом|в том числе|которы\w+|котор\w+|где|когда|поскольку|так как|чтобы|если)\s)", re.I),
    "en": re.compile(r"\s+(?=(?:and|but|while|whereas|which|who|where|when|because|since|including|as well as|after|before|although|if)\s)", re.I),
}


def _lang(lang: str) -> str:
    return (lang or "").lower().split("-")[0]


def clause_spans(text: str, lang: str, min_chars: int = 20) -> list[tuple[int, int]]:
    """Clause-like pieces of one sentence: maximal stretches between punctuation breaks, and inside
    long stretches the parts between conjunctions. Pieces shorter than ``min_chars`` are skipped;
    a sentence with a single piece gives none (nothing to leave out)."""
    cuts = [0]
    for m in _PUNCT.finditer(text):
        cuts += [m.start(), m.end()]
    cuts.append(len(text))
    segs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i + 1] > cuts[i]]
    out: list[tuple[int, int]] = []
    conj = _CONJ.get("ru" if _lang(lang) in ("ru", "uk", "be") else _lang(lang))
    for a, b in segs:
        piece = text[a:b]
        if len(piece.strip()) >= min_chars:
            out.append((a, b))
        if conj is not None and len(piece) >= 2 * min_chars:
            sub = [a] + [a + m.end() for m in conj.finditer(piece)] + [b]
            if len(sub) > 2:
                for x, y in zip(sub, sub[1:]):
                    y2 = y
                    while y2 > x and text[y2 - 1].isspace():
                        y2 -= 1
                    if y2 - x >= min_chars and (x, y2) != (a, b):
                        out.append((x, y2))
    # strip trailing sentence punctuation from piece ends
    res = []
    for a, b in out:
        while b > a and text[b - 1] in " .!?…»\"":
            b -= 1
        if b - a >= min_chars and (a, b) != (0, len(text.rstrip(" .!?…»\""))):
            res.append((a, b))
    return sorted(set(res))


@dataclass
class TokenCoverage:
    """Token-level evidence for one bead and direction (see :func:`token_coverage`): source words without a target
    counterpart (omission), or, read the other way, target words without a source counterpart (addition)."""

    uncovered: float  # 1 − mean best cosine of the least-covered run of ``window`` source words
    window_words: str  # that run
    run: int  # the longest run of source content words with no token aligned (two rounds of mutual best matches)
    run_words: str  # that run


def token_coverage(src: tuple[np.ndarray, list[str]], tgt: tuple[np.ndarray, list[str]], window: int = 4) -> TokenCoverage:
    """How much of the source has no counterpart in the target, word by word.

    ``src`` / ``tgt`` are ``(token vectors, pieces)`` (``E5SmallTorch.token_states``). A source word is a
    piece starting with ``▁`` and the pieces after it; punctuation-only pieces are ignored on both sides.
    Two readings of the token-to-token cosines (the multilingual encoder's middle layers put a word and its
    translation close together):

    * soft: a word is covered to the degree of its best token's best cosine with a target word token;
      ``uncovered`` is 1 − the mean of the least-covered run of ``window`` consecutive words (of all
      words, for shorter sources);
    * hard (SimAlign's IterMax, two rounds): a source token is aligned when it and a target token are each
      other's best match, then again among the tokens left unaligned on both sides; ``run`` counts the
      longest stretch of consecutive content words with no aligned token (function words such as «в», «и»,
      "the" neither extend nor break a stretch: they often have no counterpart in a faithful rendering).

    A dropped clause or phrase leaves such a stretch; a faithful rendering, even a free one, aligns
    most words somewhere. Both are tested together with the sentence-level coverage score in
    ``scripts/eval_flags.py`` (weights in :class:`~align.flags.config.FlagConfig`).
    """
    from align.e5torch import word_piece_mask  # loaded already by whoever made the token states; not at start-up

    sv, sp = src
    tv, tp = tgt
    smask, tmask = word_piece_mask(sp), word_piece_mask(tp)
    if not smask.any() or not tmask.any():
        return TokenCoverage(0.0, "", 0, "")
    a = sv / np.maximum(np.linalg.norm(sv, axis=1, keepdims=True), 1e-12)
    b = tv[tmask] / np.maximum(np.linalg.norm(tv[tmask], axis=1, keepdims=True), 1e-12)
    sim = a @ b.T
    sim[~smask] = -2.0  # punctuation never wins a target token's best match
    best = sim.max(axis=1)
    rows = np.arange(len(sp))
    mutual = sim.argmax(axis=0)[sim.argmax(axis=1)] == rows
    # second round: the tokens left unaligned on both sides, among themselves
    rest = sim.copy()
    rest[mutual] = -2.0
    rest[:, sim.argmax(axis=1)[mutual]] = -2.0
    mutual |= (rest.argmax(axis=0)[rest.argmax(axis=1)] == rows) & (rest.max(axis=1) > -1.0)
    words: list[list[int]] = []
    for i, p in enumerate(sp):
        if p.startswith("\u2581") or not words:
            words.append([])
        if smask[i]:
            words[-1].append(i)
    words = [w for w in words if w]

    def text(ws: list[list[int]]) -> str:
        # every piece from the first word's to the last word's, punctuation between them included: «серии А
        # "Милан"» reads 'А "Милан', not 'АМилан', and is found in the text as the evidence span
        return "".join(sp[ws[0][0] : ws[-1][-1] + 1]).replace("\u2581", " ").strip() if ws else ""

    cover = np.array([best[w].max() for w in words])
    k = min(window, len(cover))
    runs = np.convolve(1.0 - cover, np.ones(k) / k, mode="valid")
    j = int(runs.argmax())
    longest, span, cur, first = 0, (0, 0), 0, 0
    for n, w in enumerate(words):
        if function_word(text([w]).lower()):
            continue
        if mutual[w].any():
            cur = 0
            continue
        first = n if cur == 0 else first
        cur += 1
        if cur > longest:
            longest, span = cur, (first, n + 1)
    return TokenCoverage(float(runs[j]), text(words[j : j + k]), longest, text(words[span[0] : span[1]]))


def bead_pieces(text: str, sents: tuple[tuple[int, int], ...], lang: str, min_chars: int) -> list[tuple[int, int]]:
    """Pieces of one bead side to test for coverage: every sentence when there are several, plus the
    clauses of each sentence."""
    from align.segment import split_sentences

    # a "sentence" of the bead may hold several (a missed boundary, an appended sentence): split it again
    units: list[tuple[int, int]] = []
    for a, b in sents:
        sub = split_sentences(text[a:b], lang)
        units += [(a + x, a + y) for x, y in sub] if len(sub) > 1 else [(a, b)]
    pieces: list[tuple[int, int]] = []
    if len(units) > 1:
        pieces += units
    for a, b in units:
        pieces += [(a + x, a + y) for x, y in clause_spans(text[a:b], lang, min_chars)]
    return sorted(set(pieces))


def without(text: str, span: tuple[int, int]) -> str:
    """``text`` with ``span`` removed and the seam tidied (double spaces, doubled commas)."""
    a, b = span
    s = (text[:a].rstrip() + " " + text[b:].lstrip()).strip()
    s = re.sub(r"\s+([,.;:!?])", r"\1", s)
    s = re.sub(r"([,;:])\s*([,;:.])", r"\2", s)
    return s


@register
class NullBeadDetector(Detector):
    """A bead with one empty side: its sentences were omitted (target empty) or added (source empty)."""

    name = "null_bead"
    provides = ("omission", "addition")
    requires = ()
    default_thresholds = {"null_bead": 0.5}
    confidence_floor = 0.9

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.src_text and not ctx.tgt_text:
            return [Candidate("omission", 1.0, (Span(0, len(ctx.src_text)),), (), {"scope": "sentence"})]
        if ctx.tgt_text and not ctx.src_text:
            return [Candidate("addition", 1.0, (), (Span(0, len(ctx.tgt_text)),), {"scope": "sentence"})]
        return []


@register
class CoverageDetector(Detector):
    """Partial omission / addition inside a bead: leave-one-piece-out similarity gain."""

    name = "coverage"
    provides = ("omission", "addition")
    requires = ("embeddings", "numbers", "dates", "names", "lexicon")
    declares = (
        FlagType(
            "omission",
            "content of the source with no counterpart in the target (a dropped clause, sentence or fact); a "
            "dropped attribution tag alone is minor",
            label="omission",
            what="Content of the source that the target does not render (a sentence, clause, phrase or attribution).",
            why="A reader of the target misses a fact, a qualifier or who reported it.",
            colour="#d62728", severity="major",
        ),
        FlagType(
            "addition",
            "content of the target with no counterpart in the source (an added clause, sentence or fact); an added "
            "attribution tag alone is minor",
            label="addition",
            what="Content of the target with no counterpart in the source (a sentence, clause or phrase).",
            why="A reader of the target is told something the source does not say.",
            colour="#2ca02c", severity="major",
        ),
    )
    default_thresholds = {
        "coverage": 0.0429,
        "coverage_plain": 0.0192,
        "coverage_addition": 0.1366,
        "coverage_addition_plain": 0.0388,
    }

    def __init__(self, config):
        super().__init__(config)
        self.addition_threshold = float(config.thresholds["coverage_addition"])
        self.addition_plain_threshold = float(config.thresholds["coverage_addition_plain"])
        self.plain_threshold = float(config.thresholds["coverage_plain"])

    def threshold_for(self, type: str = "omission", tokens: bool = True) -> float:
        """Omission or addition, each with token evidence or without it (no torch): four scales."""
        if type == "addition":
            return self.addition_threshold if tokens else self.addition_plain_threshold
        return self.threshold if tokens else self.plain_threshold

    def accept(self, score: float, type: str = "omission", tokens: bool = True) -> bool:
        return score >= self.threshold_for(type, tokens)

    def flags(self, ctx: BeadContext):
        tokens = ctx.token_coverage is not None
        return [self.make_flag(c, self.threshold_for(c.type, tokens)) for c in self.candidates(ctx)
                if self.accept(c.score, c.type, tokens)]

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null or ctx.sim is None:
            return []
        cfg = ctx.config
        w = float(cfg.length_weight)
        # length evidence: log of this bead's length ratio against the document's typical ratio
        lr = ctx.length_log_ratio
        length_ev = {"src": w * max(0.0, -lr), "tgt": w * max(0.0, lr)}
        share_w = float(cfg.piece_share_weight)
        out = []
        for side, typ in (("src", "omission"), ("tgt", "addition")):
            text = ctx.text(side)
            best: Candidate | None = None
            # a rendered piece's removal lowers the similarity roughly in proportion to its share of the side;
            # a piece whose removal costs nothing although it is long is evidence that the other side lacks it
            n = max(len(text), 1)
            gains = sorted(((float(s) - float(ctx.sim) + share_w * (b - a) / n, float(s) - float(ctx.sim), (a, b))
                            for (a, b), s in zip(ctx.pieces.get(side, ()), ctx.piece_sims.get(side, ()))),
                           reverse=True)
            evidence = 0.0
            if gains:
                # the strongest piece scores the candidate; other non-overlapping pieces with at least half its
                # gain join its spans (a dropped stretch often covers two adjacent clauses)
                top, raw, (a0, b0) = gains[0]
                chosen = [(a0, b0)]
                for g, _, (a, b) in gains[1:]:
                    if g >= max(0.5 * top, 0.005) and all(b <= x or a >= y for x, y in chosen):
                        chosen.append((a, b))
                spans = tuple(Span(a, b) for a, b in sorted(chosen))
                evidence = top
                best = Candidate(typ, 0.0, spans if side == "src" else (), spans if side == "tgt" else (),
                                 {"scope": "clause", "piece": text[a0:b0], "gain": round(raw, 4),
                                  "share_term": round(top - raw, 4), "sim": round(float(ctx.sim), 4),
                                  "sim_without": round(raw + float(ctx.sim), 4)})
            if best is None:
                whole = (Span(0, len(text)),)
                best = Candidate(typ, 0.0, whole if side == "src" else (), whole if side == "tgt" else (),
                                 {"scope": "bead", "gain": 0.0, "sim": round(float(ctx.sim), 4),
                                  "tested": bool(ctx.coverage_checked.get(side, side in ctx.pieces))})
            best.detail["length_log_ratio"] = round(lr, 3)
            token_ev = 0.0
            tc = ctx.token_coverage if side == "src" else ctx.token_coverage_tgt
            if tc is not None:
                w_unc, w_run = ((cfg.token_coverage_weight, cfg.token_run_weight) if side == "src"
                                else (cfg.token_addition_weight, cfg.token_addition_run_weight))
                token_ev = w_unc * tc.uncovered + w_run * tc.run
                best.detail.update({"token_uncovered": round(tc.uncovered, 4), "least_covered_words": tc.window_words,
                                    "unaligned_run": tc.run, "unaligned_words": tc.run_words})
                at = text.find(tc.run_words) if tc.run_words else -1
                if best.detail["scope"] == "bead" and at >= 0:
                    # no clause evidence: the unaligned words are the narrowest span that carries the difference
                    words = (Span(at, at + len(tc.run_words)),)
                    best.src_spans, best.tgt_spans = (words, ()) if side == "src" else ((), words)
                    best.detail["scope"] = "words"
            attribution_ev = 0.0
            if side == "src":
                # a source that names more sources of its information than the rendering does has lost one; when
                # several source sentences are merged into one, each may repeat the speaker («по его словам …
                # », - отметил дипломат» → "According to him, … "), so the most frames of one source sentence count
                frames = {sd: find_cues(ctx.text(sd), ctx.lang(sd), "attribution") for sd in ("src", "tgt")}
                n_src = max([sum(1 for f in frames["src"] if a <= f.start < b) for a, b in ctx.src_sents]
                            or [len(frames["src"])])
                if n_src > len(frames["tgt"]):
                    attribution_ev = float(cfg.attribution_weight)
                    best.detail["attribution_frames"] = {sd: [ctx.text(sd)[f.start:f.end] for f in frames[sd]]
                                                         for sd in ("src", "tgt")}
            number_ev = 0.0
            if side == "src" and float(cfg.number_weight):
                # a quantity the source states and the rendering does not (no equal number there, and no other one
                # left to have replaced it): content left out, which a sentence vector barely registers
                un_src, un_tgt = ctx.unmatched_numbers
                if len(un_src) > len(un_tgt):
                    number_ev = float(cfg.number_weight)
                    best.detail["unrendered_numbers"] = [n.text for n in un_src]
            name_ev = 0.0
            if side == "src" and float(cfg.name_weight):
                # a name standing on its own in the source (a person, a place) with no trace in the rendering, and
                # no lone name there that could be its replacement: left out with its clause ("two eastern states,
                # Tamaulipas and Nuevo Leon," → "two eastern states,")
                un_src, un_tgt, _ = ctx.unmatched_names
                lone_src, lone_tgt = lone_names(un_src, ctx.src_text, ctx.src_lang), lone_names(un_tgt, ctx.tgt_text, ctx.tgt_lang)
                if len(lone_src) > len(lone_tgt):
                    name_ev = float(cfg.name_weight)
                    best.detail["unrendered_names"] = [m.text for m in lone_src]
            best.score = round(max(evidence, 0.0) + length_ev[side] + token_ev + attribution_ev + number_ev + name_ev, 4)
            out.append(best)
        return out


@register
class SemanticDetector(Detector):
    """meaning_shift / unrelated from the cosine similarity of the bead's sides (score = 1 − cos).

    ``threshold`` (config ``thresholds['semantic']`` is not used directly): the bead is ``unrelated``
    when cos < ``config.unrelated_sim`` and a ``meaning_shift`` when cos < ``config.shift_sim``. A bead of one
    sentence per side is also ``unrelated`` when cos < ``config.unrelated_rival_below`` and one of its sentences is
    closer to another bead's sentence of the document (``BeadContext.rival_sim``; detail ``rival_sim``)."""

    name = "semantic"
    provides = ("meaning_shift", "unrelated")
    requires = ("embeddings",)
    declares = (
        FlagType(
            "meaning_shift",
            "the statement means something else (e.g. an antonym: up ↔ down, export ↔ import)",
            label="meaning shift",
            what="The sides say noticeably different things, or state opposite directions (rise ↔ fall).",
            why="A reader of one edition learns something different from a reader of the other.",
            colour="#1f77b4", severity="major",
        ),
        FlagType(
            "unrelated",
            "the two sides of the bead do not say the same thing at all (a misalignment or a replaced line)",
            label="unrelated",
            what="The aligned sentences do not render each other (a replaced sentence or a misalignment).",
            why="Neither side's content is in the other: check the alignment, then both sentences.",
            colour="#7f7f7f", severity="critical", confidence_floor=0.6,
        ),
    )

    def __init__(self, config):
        super().__init__(config)
        self.unrelated = 1.0 - float(config.unrelated_sim)
        self.threshold = 1.0 - float(config.shift_sim)

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null or ctx.sim is None:
            return []
        d = round(1.0 - float(ctx.sim), 4)
        # document-relative: a one-sentence pair below ``unrelated_rival_below`` (the beads that get a ``rival_sim``)
        # that is less similar than one of its sentences is to another bead's sentence renders neither side (an
        # omitted and an added sentence in the same slot, which the aligner pairs as 1-1 when nothing better is left)
        rival = ctx.rival_sim
        if d >= self.unrelated or (rival is not None and ctx.sim < rival):
            detail = {"sim": round(float(ctx.sim), 4), "unrelated_below": 1.0 - self.unrelated,
                      "threshold": round(self.unrelated, 4)}
            if rival is not None:
                detail["rival_sim"] = round(rival, 4)
                if d < self.unrelated:  # accepted by the rival rule, below the absolute one
                    detail["threshold"] = round(1.0 - float(ctx.config.unrelated_rival_below), 4)
            return [Candidate("unrelated", d, (Span(0, len(ctx.src_text)),), (Span(0, len(ctx.tgt_text)),), detail)]
        return [Candidate("meaning_shift", d, (Span(0, len(ctx.src_text)),), (Span(0, len(ctx.tgt_text)),),
                          {"sim": round(float(ctx.sim), 4)})]


# ---------------------------------------------------------------------------- rewrites: attribution tags
# a whole sentence that only says who reported what the paragraph before stated: «Об этом заявил журналистам …»,
# «Такие данные привели в пресс-службе …», "This was reported by …", "As the ministry said, …"
_TAG_OPENER = {
    "ru": re.compile(r"^\s*(?:об\s+этом|о\s+том|об\s+этом\s+же|как|это|так|такие\s+данные|эти\s+данные|такую\s+информацию|"
                     r"эту\s+информацию|такое\s+мнение|такую\s+оценку|такое\s+заявление|соответствующее\s+заявление)\b",
                     re.I),
    "en": re.compile(r"^\s*(?:this|that|these|as|such|the\s+(?:information|data|statement|news)|it)\b", re.I),
}
# a complement clause or a figure carries a fact of its own: not a bare tag
_TAG_FACT = {"ru": re.compile(r"(?<!\w)(?:что|чтобы|будто|если)(?!\w)|\d", re.I),
             "en": re.compile(r"(?<!\w)(?:that|whether|if)(?!\w)|\d", re.I)}
_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")


def attribution_tag(text: str, lang: str, whole_sentence: bool, max_words: int = 12) -> bool:
    """Whether ``text`` is only a source tag (who said or reported it) and no fact of its own.

    A clause piece qualifies when it holds an attribution frame (``attribution`` rows of ``cues.tsv``: «сообщил
    …», «по данным …», "… told reporters", "according to …"), no complement clause («что», "that") and no figure,
    and at most ``max_words`` other content words (the agent and the addressee); a whole sentence must also open
    with a pointer back to what was said («Об этом …», «Как …», "This was …"), so that «Президент заявил, что …»
    or a quoted statement never counts."""
    lg = "ru" if _lang(lang) in ("ru", "uk", "be") else _lang(lang)
    if lg not in _TAG_FACT or not text.strip() or _TAG_FACT[lg].search(text):
        return False
    if whole_sentence and not _TAG_OPENER[lg].match(text.lstrip(" «\"'(—–-,")):
        return False
    frames = find_cues(text, lang, "attribution")
    if not frames:
        return False
    rest = [m.group() for m in _WORDS.finditer(text)
            if not any(f.start <= m.start() < f.end for f in frames) and not function_word(m.group().lower())]
    return len(rest) <= max_words


def attribution_rendered(tag: str, tag_lang: str, other_doc: str, other_lang: str, config=None,
                         named_only: bool = False) -> bool:
    """Whether the other edition names the tag's source anywhere in the document (a rewrite folds «Об этом заявил
    Песков» into the lead as "…, Peskov told reporters"): every name of the tag has a trace in ``other_doc``
    (``entities.unmatched_names``), and the other edition has an attribution frame somewhere. The agent is the
    tag's names of persons and places, not countries or words of an institution (one with a trace is enough:
    «пресс-секретарь президента РФ Дмитрий Песков» is "Kremlin Spokesman Dmitry Peskov", the country left implicit).
    A tag naming only an institution («сообщили в пресс-службе Минвостокразвития» ↔ "the press service of the
    Ministry for the Development of the Russian Far East said": abbreviations and expansions that names do not
    match) or no one («сообщили в ведомстве») is rendered when the other edition attributes anything at all, unless
    ``named_only``: then only a named agent can be found (for a search over a whole document, where "…, he said"
    elsewhere is another source)."""
    if not find_cues(other_doc, other_lang, "attribution"):
        return False
    if config is None:
        from .config import FlagConfig

        config = FlagConfig()
    ctx = BeadContext(tag, other_doc, tag_lang, other_lang, config=config)
    un_tag, _, _ = ctx.unmatched_names
    lost = {(m.start, m.end) for m in un_tag}
    agents = [m for m in ctx.src_names if m.kind != "exonym" and not in_institution(tag, m.start, m.end)]
    if _INSTITUTION.search(tag) or any(w.lower() in INSTITUTION_HEADS for w in _WORDS.findall(tag)):
        agents = [m for m in agents if m.kind == "person"]  # the capitalised words are the institution's name
    if not agents:
        return not named_only
    return any((m.start, m.end) not in lost for m in agents)


_INSTITUTION = re.compile(r"(?<!\w)(?:пресс-служб|министерств|ведомств|управлени|агентств|штаб|мэри|администраци|"
                          r"правительств|комитет|служб|департамент|прокуратур|суд|полици|компани|МЧС|МВД|МИД|Минздрав|"
                          r"Минобороны|Мин\w+)\w*", re.I)


_SOURCE_PHRASE = re.compile(r"(?<!\w)по\s+(?:\w+\s+){0,2}?(?:данным|словам|информации|сведениям|оценк\w+|подсч[её]т\w+)"
                            r"(?:\s+[\w-]+){1,3}?(?=\s*[,.;:!?)—–]|\s*$)", re.I)


@register
class SourceDetector(Detector):
    """A source the rendering drops: «по данным министерства», «по словам губернатора» in the source sentence and no
    attribution frame at all in the target side of the bead (``attribution`` rows of ``cues.tsv``: "according to",
    "said", …) → an ``omission`` of that phrase, marked ``detail["attribution"] = "dropped"`` and so minor. Who
    stated a figure is what a reader checks it by; the phrase is too short for the coverage test to see. A source
    the rendering moves to another sentence of its bead still counts as rendered (the frame is anywhere in the
    target side)."""

    name = "source"
    provides = ("omission",)
    requires = ("lexicon",)
    default_thresholds = {"source": 1.0}

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null or _lang(ctx.src_lang) not in ("ru", "uk", "be") or find_cues(ctx.tgt_text, ctx.tgt_lang, "attribution"):
            return []
        found = [Span(m.start(), m.end()) for m in _SOURCE_PHRASE.finditer(ctx.src_text)]
        if not found:
            return []
        return [Candidate("omission", 1.0, tuple(found), (),
                          {"scope": "words", "attribution": "dropped", "source": [ctx.src_text[s.start:s.end] for s in found]})]
