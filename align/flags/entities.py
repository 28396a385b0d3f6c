"""number_changed / date_changed / name_changed through the cross-lingual normaliser.

Mentions are first matched across the two sides by normalised value (``align.normalize``), so a
faithful conversion («12 тыс.» / "12,000", «4 сентября» / "Sept. 4", «Шойгу» / "Shoigu") is never
a candidate. What is left unmatched on *both* sides is a substitution (score 1 for numbers and
dates, 1 − name similarity for names); a mention left unmatched on one side only is a weaker
candidate (``one_sided`` score), reported when the threshold is lowered below it.
"""

from __future__ import annotations

from align.records import Span

from .base import BeadContext, Candidate, Detector, FlagType, register

ONE_SIDED = 0.4


def _overlaps(a, spans) -> bool:
    return any(not (a.end <= s.start or a.start >= s.end) for s in spans)


@register
class NumberDetector(Detector):
    """Quantities that differ after normalisation (years and calendar days are the dates detector's)."""

    name = "numbers"
    provides = ("number_changed",)
    requires = ("numbers", "dates")
    declares = (
        FlagType(
            "number_changed",
            "a quantity differs (or is stated on one side only)",
            label="number changed",
            what="A quantity that differs after both sides are normalised («12 тыс.» = 12,000).",
            why="Figures are facts a reader relies on.",
            colour="#ff7f0e", severity="critical", confidence_floor=0.9,
        ),
    )
    default_thresholds = {"numbers": 0.6}

    @staticmethod
    def _usable(nums, date_mentions):
        # years are dates; codes («Т-90», "COVID-19") are identifiers, compared as names if at all
        return [n for n in nums if n.kind not in ("year", "code") and not _overlaps(n, date_mentions)]

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        strong_src, strong_tgt = ctx.unmatched_numbers
        out = []
        k = min(len(strong_src), len(strong_tgt))
        for a, b in zip(strong_src[:k], strong_tgt[:k]):
            out.append(Candidate("number_changed", 1.0, (Span(a.start, a.end),), (Span(b.start, b.end),),
                                 {"src": a.text, "tgt": b.text, "src_value": a.value, "tgt_value": b.value}))
        for n in strong_src[k:]:
            out.append(Candidate("number_changed", ONE_SIDED, (Span(n.start, n.end),), (),
                                 {"src": n.text, "src_value": n.value, "tgt": None}))
        for n in strong_tgt[k:]:
            out.append(Candidate("number_changed", ONE_SIDED, (), (Span(n.start, n.end),),
                                 {"tgt": n.text, "tgt_value": n.value, "src": None}))
        return out


def unmatched_numbers(ctx: BeadContext) -> tuple[list, list]:
    """The quantities of each side with no equal counterpart on the other (after normalisation; years and calendar
    days are dates; weak mentions such as "one of" or «десятки» left out), in text order: paired up, they are
    substitutions; the surplus of one side is a quantity the other does not state."""
    from align.normalize import numbers_equal

    src = NumberDetector._usable(ctx.src_numbers, ctx.src_dates)
    tgt = NumberDetector._usable(ctx.tgt_numbers, ctx.tgt_dates)
    used: set[int] = set()
    matched: set[int] = set()

    # exact quantities first, vague ones («десятки», "dozens") after: a vague word must not take the
    # counterpart of a changed exact number ("13 killed, dozens injured" → "23 killed, dozens injured")
    def vagueness(a, b) -> int:  # 0 exact–exact, 1 vague–vague, 2 mixed
        va, vb = a.kind == "approx", b.kind == "approx"
        return 0 if not (va or vb) else 1 if va and vb else 2

    for level in (0, 1, 2):
        for i, a in enumerate(src):
            if i in matched:
                continue
            j = next((j for j, b in enumerate(tgt) if j not in used and vagueness(a, b) == level
                      and numbers_equal(a, b)), None)
            if j is not None:
                used.add(j)
                matched.add(i)

    def weak(n) -> bool:  # "one of", «один из», ordinals: often rendered without a number
        return n.kind in ("word", "ordinal", "approx") and n.value <= 2 or n.kind == "approx"

    un_src = [a for i, a in enumerate(src) if i not in matched and not weak(a)]
    un_tgt = [b for j, b in enumerate(tgt) if j not in used and not weak(b)]
    # a small word number («два раза», "two") facing a surplus number on the other side is that number's
    # counterpart: «два раза в неделю» → "three times a week" is a change, not a missing "three"
    for mine, other, left in ((un_src, un_tgt, [a for i, a in enumerate(src) if i not in matched and weak(a)]),
                              (un_tgt, un_src, [b for j, b in enumerate(tgt) if j not in used and weak(b)])):
        extra = [n for n in left if n.kind == "word"][:max(0, len(other) - len(mine))]
        if extra:
            mine.extend(extra)
            mine.sort(key=lambda n: n.start)
    return un_src, un_tgt


@register
class DateDetector(Detector):
    """Calendar references whose shared fields (day, month, year, weekday) disagree."""

    name = "dates"
    provides = ("date_changed",)
    requires = ("dates",)
    declares = (
        FlagType(
            "date_changed",
            "a date or weekday differs (or is stated on one side only)",
            label="date changed",
            what="A day, month, year or weekday that differs between the sides.",
            why="When something happened is a fact a reader relies on.",
            colour="#e6b800", severity="critical", confidence_floor=0.9,
        ),
    )
    default_thresholds = {"dates": 0.6}

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        from align.normalize import dates_compatible

        src, tgt = list(ctx.src_dates), list(ctx.tgt_dates)
        used: set[int] = set()
        un_src = []
        for a in src:
            best, best_n = None, 0
            for j, b in enumerate(tgt):
                if j in used or dates_compatible(a, b) is not True:
                    continue
                n = len(set(a.fields()) & set(b.fields()))
                if n > best_n:
                    best, best_n = j, n
            if best is None:
                un_src.append(a)
            else:
                used.add(best)
        un_tgt = [b for j, b in enumerate(tgt) if j not in used]
        out = []
        paired_t: set[int] = set()
        for a in un_src:
            j = next((j for j, b in enumerate(un_tgt) if j not in paired_t and dates_compatible(a, b) is False), None)
            if j is None:
                out.append(Candidate("date_changed", ONE_SIDED, (Span(a.start, a.end),), (),
                                     {"src": a.text, "src_date": a.key, "tgt": None}))
                continue
            paired_t.add(j)
            b = un_tgt[j]
            out.append(Candidate("date_changed", 1.0, (Span(a.start, a.end),), (Span(b.start, b.end),),
                                 {"src": a.text, "tgt": b.text, "src_date": a.key, "tgt_date": b.key}))
        for j, b in enumerate(un_tgt):
            if j not in paired_t:
                out.append(Candidate("date_changed", ONE_SIDED, (), (Span(b.start, b.end),),
                                     {"tgt": b.text, "tgt_date": b.key, "src": None}))
        return out


SUBSTITUTABLE = ("person", "place", "name", "exonym")

# Head words of English institution, event and address names: a capitalised word in the same title-case run
# ("Ministry of Emergency Situations", "General Staff", "Red Square") is part of such a name, which translators
# render freely; it is not a person or place that could have been swapped for another.
INSTITUTION_HEADS = frozenset("""ministry ministries committee commission service services agency department council
court office staff bureau union party federation republic region district territory university institute academy bank
fund company corporation group association organization organisation center centre administration directorate
inspectorate emergency emergencies situations guard forces force army navy fleet police prosecutor investigative
parliament assembly senate congress house cup league championship club festival museum theater theatre school
hospital street square avenue prospekt embankment bridge station airport port plant factory church cathedral monastery
treasury survey exchange board authority authorities chamber government cabinet network channel foundation society
movement front alliance coalition summit forum games olympics""".split())
_CONNECT = frozenset({"of", "the", "for", "and", "on", "&", "de"})
PLACE_HEADS = frozenset("port airport station spaceport cosmodrome street square avenue prospekt embankment bridge"
                        .split())
# Heads of place names: the word right before one ("Dzerzhinsk District", "Kalinin Street", "Tver Region") is the
# place's own name, which a translator renders from the Russian, not a freely translated institution word.
GEO_HEADS = frozenset("""district region street square avenue prospekt embankment lane boulevard highway oblast krai
okrug territory province county""".split())


def in_institution(text: str, start: int, end: int, ignore: frozenset = frozenset()) -> bool:
    """Whether the capitalised word at ``start:end`` sits in a title-case run that contains an institution head
    (a word right before a place-name head such as "District" or "Street" is the place's name, not such a word)."""
    import re

    toks = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\w'’-]+", text)]
    k = next((i for i, t in enumerate(toks) if t[0] <= start < t[1]), None)
    if k is None:
        return False
    if k + 1 < len(toks) and toks[k + 1][2].lower() in GEO_HEADS:
        return False

    def run(step):
        i, out = k + step, []
        while 0 <= i < len(toks) and abs(i - k) <= 5:
            # punctuation ends the name ("Andrey Wesel, the Moscow Department of Health")
            gap = text[toks[i][1]:toks[i + 1][0]] if step < 0 else text[toks[i - 1][1]:toks[i][0]]
            if gap.strip() not in ("", "&"):
                break
            w = toks[i][2]
            if w[:1].isupper():
                out.append(w.lower())
            elif w.lower() not in _CONNECT:
                break
            i += step
        return out

    def head(w: str) -> bool:
        w = re.sub(r"['’]s$", "", w)
        return w in INSTITUTION_HEADS or (w.endswith("s") and w[:-1] in INSTITUTION_HEADS)

    return any(head(w) and w not in ignore for w in run(-1) + run(1)) or (
        head(text[start:end].lower()) and text[start:end].lower() not in ignore)


def long_enough(m) -> bool:
    """A name of 3+ letters, or one in Hangul, Hanzi or Kana at any length (a character is a syllable: 평양, 김)."""
    from align.normalize.names_cjk import has_cjk

    return len(m.text) >= 3 or has_cjk(m.text)


_NOT_NAME_END = ("ing", "ly", "less", "ness", "ment", "tion", "ful", "ous", "ive", "able", "n't", "n’t")


def title_case(text: str) -> bool:
    """A headline in Title Case ("Protests Erupt in Capital"): its capitals say nothing about names."""
    import re

    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) >= 3 and w.lower() not in _TITLE_SMALL]
    return len(words) >= 3 and all(w[:1].isupper() for w in words)


_TITLE_SMALL = frozenset("the and for with from into over than that onto upon via per off out but nor yet its "
                         "his her are was has had amid says said".split())


_TYPED = ("person", "place", "exonym")

_RU_FUNCTION = frozenset("""и в во на не ни но да что как для при или это его ее её их она они оно так уже где там
тут все всё был была были было будет под над без про через после перед между а с со к ко о об у из от до по за""".split())


def function_word(word: str) -> bool:
    """A lower-case function word ("and", «или»): never the rendering of a name on the other side."""
    from align.normalize.names import _EN_FUNCTION

    return word.islower() and (word in _EN_FUNCTION or word in _RU_FUNCTION)


def _initial(text: str, m, lang: str) -> bool:
    from align.normalize.names import _sentence_initial

    # Russian sentence starts are filtered by morphology; Korean, Chinese and Japanese have no capitals
    return (lang or "").lower()[:2] not in ("ru", "uk", "be", "ko", "zh", "ja") and _sentence_initial(text, m.start)


def unlikely_name(text: str, m) -> bool:
    """A sentence-initial English word with a common-word ending ("Following", "Nonetheless", "Don't") is
    capitalised by position, not because it is a name."""
    from align.normalize.names import _sentence_initial

    return _sentence_initial(text, m.start) and m.text.lower().endswith(_NOT_NAME_END)


def unmatched_names(ctx: BeadContext) -> tuple[list, list, list]:
    """The names of each side with no trace on the other, and the target names that render a source name.

    A name counts as rendered when it matches a name on the other side (one-to-one: a name written twice
    («Владимир Путин и Владимир Зеленский») needs two counterparts; best pairs first) *or a word there* that no
    other name took (Russian adjectives and lower-cased words included). A name repeated unmatched counts once.
    Read by the name detector (substitutions) and the coverage detector (omission evidence)."""
    from align.normalize import names_match, token_keys

    thr = ctx.config.name_match
    src, tgt = ctx.src_names, ctx.tgt_names
    pairs = sorted(((names_match(a, b), i, j) for i, a in enumerate(src) for j, b in enumerate(tgt)),
                   key=lambda x: -x[0])
    used_s: set[int] = set()
    used_t: set[int] = set()
    for sim, i, j in pairs:
        if sim < thr:
            break
        if i not in used_s and j not in used_t:
            used_s.add(i)
            used_t.add(j)

    def unmatched(ms, used, taken, other_text, other_lang, rendered):
        rest = [m for k, m in enumerate(ms) if k not in used]
        if not rest:
            return []
        # a word of the other side that is not already another name's counterpart (a Russian adjective,
        # a lower-cased word) may render it too; the word then renders nothing else (``rendered`` collects it)
        toks = [o for o in token_keys(other_text, other_lang)
                if not any(o.start < t.end and t.start < o.end for t in taken) and not function_word(o.text)]
        kept = []
        for m in rest:
            hit = next((o for o in toks if names_match(m, o) >= thr), None)
            if hit is None:
                kept.append(m)
            else:
                rendered.append(hit)
        rest = kept
        seen, out = set(), []
        for m in rest:  # the same unmatched name repeated counts once
            if m.key not in seen:
                seen.add(m.key)
                out.append(m)
        return out

    _institution_links(src, used_s, tgt, used_t, ctx.tgt_text)
    _institution_links(tgt, used_t, src, used_s, ctx.src_text)
    given = [tgt[j] for j in used_t]
    in_tgt: list = []  # target words found to render a source name, and the reverse
    in_src: list = []
    un_src = unmatched(src, used_s, given, ctx.tgt_text, ctx.tgt_lang, in_tgt)
    un_tgt = unmatched(tgt, used_t, [src[i] for i in used_s], ctx.src_text, ctx.src_lang, in_src)

    def unrendered(ms, words):  # a name the other side's name was rendered by is no name left over («Янцзы» / "Yangtze's")
        return [m for m in ms if not any(m.start < w.end and w.start < m.end for w in words)]

    return unrendered(un_src, in_src), unrendered(un_tgt, in_tgt), given


def _institution_links(ms, used: set, other, other_used: set, other_text: str) -> None:
    """Mark as rendered a Russian state body's abbreviation (Минвостокразвития, ФСБ) that the other text spells out,
    together with the other side's names inside that spelling ("Far", "East"); and an English name that translates
    a word of the Russian text's institution names ("East" for «Востока»). See ``align.normalize.institutions``."""
    import re

    from align.normalize import ru_lemma
    from align.normalize.institutions import gloss_in, glossed_by, rendering

    lemmas = None
    for k, m in enumerate(ms):
        if k in used:
            continue
        if re.search(r"[а-яё]", m.text.lower()):
            if m.kind not in ("org", "acronym", "name", "common", "exonym"):
                continue
            span = rendering(m.text, other_text) or gloss_in(m.lemma, other_text)
            if span is None:
                continue
            used.add(k)
            for j, o in enumerate(other):
                if o.start < span[1] and span[0] < o.end:
                    other_used.add(j)
        elif re.search(r"[а-яё]", other_text.lower()):
            if lemmas is None:
                lemmas = {ru_lemma(w) for w in re.findall(r"[А-Яа-яЁё]+", other_text)}
            if glossed_by(m.text, lemmas):
                used.add(k)


def in_capitalised_run(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` has a capitalised neighbour joined by a space or hyphen only ("National
    Civil Protection System", "Sport-Express", «Нуэво-Леон»): a multi-word name, which translators often render
    word by word or expand, so its words are no evidence that a name was left out."""
    import re

    before = re.search(r"(\w+)[\s-]+$", text[max(0, start - 40):start])
    after = re.match(r"[\s-]+(\w+)", text[end:end + 40])
    return any(m is not None and m.group(1)[:1].isupper() for m in (before, after))


# languages that capitalise every noun: a capitalised word of unknown type there is no sign of a name
NOUN_CAPITALISING = ("de", "lb")


def lone_names(mentions: list, text: str, lang: str | None = None) -> list:
    """Of one side's unmatched names, those that name someone or somewhere on their own: a person, place,
    exonym or unknown capitalised word of 3+ letters (in German only a typed one, since "Maßnahmen" is a noun), not
    part of an institution or a multi-word capitalised run, and not a sentence-initial common word
    ("Following")."""
    kinds = _TYPED if (lang or "").lower()[:2] in NOUN_CAPITALISING else SUBSTITUTABLE
    return [m for m in mentions if m.kind in kinds and long_enough(m) and not unlikely_name(text, m)
            and not in_institution(text, m.start, m.end) and not in_capitalised_run(text, m.start, m.end)]


def _merge_adjacent(cands: list, src_text: str, tgt_text: str) -> list:
    """One flag for a multi-word name changed as a whole («Карлос Ибарра» → "Luis Medina"): substitutions whose
    source words and target words are both next to each other (only a space or hyphen between) are merged."""
    cands = sorted(cands, key=lambda c: c.src_spans[0].start)
    out: list = []
    for c in cands:
        if out:
            p = out[-1]
            s_gap = src_text[p.src_spans[-1].end:c.src_spans[0].start]
            t0, t1 = sorted((p.tgt_spans[-1], c.tgt_spans[0]), key=lambda x: x.start)
            t_gap = tgt_text[t0.end:t1.start]
            if s_gap.strip(" -") == "" and t_gap.strip(" -") == "" and t0.end <= t1.start:
                a, b = p.src_spans[0].start, c.src_spans[-1].end
                ta, tb = min(p.tgt_spans[0].start, c.tgt_spans[0].start), max(p.tgt_spans[-1].end, c.tgt_spans[-1].end)
                out[-1] = Candidate("name_changed", max(p.score, c.score), (Span(a, b),), (Span(ta, tb),),
                                    {**p.detail, "src": src_text[a:b], "tgt": tgt_text[ta:tb],
                                     "similarity": min(p.detail.get("similarity", 0), c.detail.get("similarity", 0))})
                continue
        out.append(c)
    return out


@register
class NameDetector(Detector):
    """Proper names present on both sides but different (a substitution): score 1 − ½·similarity.

    Only names with no trace on the other side take part (:func:`unmatched_names`). Only person/place/
    unknown-capitalised names and known exonyms take part in a substitution (acronyms and institutions are too
    often expanded or translated)."""

    name = "names"
    provides = ("name_changed",)
    requires = ("names",)
    declares = (
        FlagType(
            "name_changed",
            "a person, place or organisation name differs (or is named on one side only)",
            label="name changed",
            what="A person, place or organisation named differently, not just transcribed differently.",
            why="Who did it or where it happened changes the fact.",
            colour="#9467bd", severity="critical",
        ),
    )
    default_thresholds = {"names": 0.75}

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        from align.normalize import names_match

        un_src, un_tgt, given = ctx.unmatched_names
        # names of a Title Case side only count as one-sided mentions, never as a substitution
        def substitutable(ms, text):
            # a name in a place's title ("Port Harcourt", "Vnukovo Airport") is that place's name
            return [m for m in ms if m.kind in SUBSTITUTABLE and (long_enough(m) or m.kind == "person")
                    and not title_case(text)
                    and not (m.kind != "exonym" and (in_institution(text, m.start, m.end, PLACE_HEADS)
                                                    or unlikely_name(text, m)))]

        sub_src, sub_tgt = substitutable(un_src, ctx.src_text), substitutable(un_tgt, ctx.tgt_text)
        # a surname right after a rendered given name names a person even inside an institution run ("Defense
        # Ministry head Sergei Hoffenheim and Navy …"): it may stand in for an unmatched source person
        persons_only = [m for m in un_tgt if m not in sub_tgt and m.kind in SUBSTITUTABLE and long_enough(m)
                        and not title_case(ctx.tgt_text) and in_institution(ctx.tgt_text, m.start, m.end)
                        and any(g.end < m.start and not ctx.tgt_text[g.end:m.start].strip() for g in given)]
        out = []
        used: set[int] = set()
        paired_t: set[int] = set()
        for ti, b in enumerate(sub_tgt + persons_only):
            best_j, best_s = None, -1.0
            for j, a in enumerate(sub_src):
                # an exonym (country, capital, institution) is only swapped for another exonym
                if j in used or (a.kind == "exonym") != (b.kind == "exonym"):
                    continue
                if ti >= len(sub_tgt) and a.kind != "person":
                    continue
                # a sentence-initial capital is only evidence of a name when the other side's name is typed
                # (a person or place by its morphology): "Protests …" / "Demonstrations …" is no swap
                # (Russian sentence-initial words are already filtered by their morphology in name_tokens)
                if (_initial(ctx.src_text, a, ctx.src_lang) and b.kind not in _TYPED) or \
                        (_initial(ctx.tgt_text, b, ctx.tgt_lang) and a.kind not in _TYPED):
                    continue
                s = names_match(a, b)
                if s > best_s:
                    best_j, best_s = j, s
            if best_j is None:
                continue
            used.add(best_j)
            paired_t.add(id(b))
            a = sub_src[best_j]
            out.append(Candidate("name_changed", round(1.0 - 0.5 * max(best_s, 0.0), 4), (Span(a.start, a.end),),
                                 (Span(b.start, b.end),),
                                 {"src": a.text, "tgt": b.text, "src_key": a.key, "tgt_key": b.key,
                                  "similarity": round(best_s, 3)}))
        out = _merge_adjacent(out, ctx.src_text, ctx.tgt_text)
        paired_s = {id(sub_src[j]) for j in used}
        for m in un_src:
            if id(m) not in paired_s:
                out.append(Candidate("name_changed", ONE_SIDED, (Span(m.start, m.end),), (),
                                     {"src": m.text, "src_key": m.key, "tgt": None, "kind": m.kind}))
        for m in un_tgt:
            if id(m) not in paired_t:
                out.append(Candidate("name_changed", ONE_SIDED, (), (Span(m.start, m.end),),
                                     {"tgt": m.text, "tgt_key": m.key, "src": None, "kind": m.kind}))
        return out
