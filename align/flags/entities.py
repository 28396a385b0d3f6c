"""number_changed / date_changed / name_changed through the cross-lingual normaliser.

Mentions are first matched across the two sides by normalised value (``align.normalize``), so a
faithful conversion («12 тыс.» / "12,000", «4 сентября» / "Sept. 4", «Шойгу» / "Shoigu") is never
a candidate. What is left unmatched on *both* sides is a substitution (score 1 for numbers and
dates, 1 − name similarity for names); a mention left unmatched on one side only is a weaker
candidate (``one_sided`` score), reported when the threshold is lowered below it.
"""

from __future__ import annotations

from corpus.records import Span

from .base import BeadContext, Candidate, Detector, register

ONE_SIDED = 0.4


def _overlaps(a, spans) -> bool:
    return any(not (a.end <= s.start or a.start >= s.end) for s in spans)


@register
class NumberDetector(Detector):
    """Quantities that differ after normalisation (years and calendar days are the dates detector's)."""

    name = "numbers"
    provides = ("number_changed",)
    requires = ("numbers", "dates")
    severity = "major"
    default_threshold = 0.6

    @staticmethod
    def _usable(nums, date_mentions):
        return [n for n in nums if n.kind != "year" and not _overlaps(n, date_mentions)]

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        from align.normalize import numbers_equal

        src = self._usable(ctx.src_numbers, ctx.src_dates)
        tgt = self._usable(ctx.tgt_numbers, ctx.tgt_dates)
        used = set()
        un_src = []
        for a in src:
            j = next((j for j, b in enumerate(tgt) if j not in used and numbers_equal(a, b)), None)
            if j is None:
                un_src.append(a)
            else:
                used.add(j)
        un_tgt = [b for j, b in enumerate(tgt) if j not in used]

        def weak(n) -> bool:  # "one of", «один из», ordinals: often rendered without a number
            return n.kind in ("word", "ordinal", "approx") and n.value <= 2 or n.kind == "approx"

        out = []
        strong_src = [n for n in un_src if not weak(n)]
        strong_tgt = [n for n in un_tgt if not weak(n)]
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


@register
class DateDetector(Detector):
    """Calendar references whose shared fields (day, month, year, weekday) disagree."""

    name = "dates"
    provides = ("date_changed",)
    requires = ("dates",)
    severity = "major"
    default_threshold = 0.6

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


@register
class NameDetector(Detector):
    """Proper names present on both sides but different (a substitution): score 1 − ½·similarity.

    A name counts as rendered when it matches a name on the other side *or any word there*
    (Russian adjectives and lower-cased words included), so only names with no trace on the other
    side remain. Only person/place/unknown-capitalised names and known exonyms take part in a
    substitution (acronyms and institutions are too often expanded or translated)."""

    name = "names"
    provides = ("name_changed",)
    requires = ("names",)
    severity = "major"
    default_threshold = 0.6

    def score(self, ctx: BeadContext) -> list[Candidate]:
        if ctx.is_null:
            return []
        from align.normalize import names_match, token_keys

        thr = getattr(self.config, "name_match", 0.75)
        src, tgt = ctx.src_names, ctx.tgt_names

        def unmatched(ms, others, other_text, other_lang):
            rest = [m for m in ms if not any(names_match(m, o) >= thr for o in others)]
            if not rest:
                return []
            toks = token_keys(other_text, other_lang)
            rest = [m for m in rest if not any(names_match(m, o) >= thr for o in toks)]
            seen, out = set(), []
            for m in rest:  # the same unmatched name repeated counts once
                if m.key not in seen:
                    seen.add(m.key)
                    out.append(m)
            return out

        un_src = unmatched(src, tgt, ctx.tgt_text, ctx.tgt_lang)
        un_tgt = unmatched(tgt, src, ctx.src_text, ctx.src_lang)
        sub_src = [m for m in un_src if m.kind in SUBSTITUTABLE and len(m.text) >= 3]
        sub_tgt = [m for m in un_tgt if m.kind in SUBSTITUTABLE and len(m.text) >= 3]
        out = []
        used: set[int] = set()
        paired_t: set[int] = set()
        for ti, b in enumerate(sub_tgt):
            best_j, best_s = None, -1.0
            for j, a in enumerate(sub_src):
                # an exonym (country, capital, institution) is only swapped for another exonym
                if j in used or (a.kind == "exonym") != (b.kind == "exonym"):
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
