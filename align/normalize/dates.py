"""Dates in Russian and English text → :class:`DateMention` (day, month, year, weekday; explicit fields only).

«4 сентября» is "Sept. 4"; ranges share month and year («с 3 по 13 декабря» / "December 3-15");
:func:`dates_compatible` compares two mentions field by field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .common import _lang
from .numbers import _YEAR_WORD_AFTER, _counted_noun


@dataclass(frozen=True)
class DateMention:
    """A calendar reference; only explicitly written fields are set (``None`` otherwise).
    ``kind``: date (day+month), month, year, weekday, numeric (dd.mm.yyyy)."""

    start: int
    end: int
    text: str
    kind: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None  # 0 = Monday

    def fields(self) -> dict:
        return {k: v for k, v in (("day", self.day), ("month", self.month), ("year", self.year),
                                  ("weekday", self.weekday)) if v is not None}

    @property
    def key(self) -> str:
        return "-".join(f"{k}={v}" for k, v in self.fields().items())


_RU_MONTHS = [
    r"январ\w*", r"феврал\w*", r"март\w*", r"апрел\w*", r"ма[йяею]\w*", r"июн\w*", r"июл\w*",
    r"август\w*", r"сентябр\w*", r"октябр\w*", r"ноябр\w*", r"декабр\w*",
]
_EN_MONTHS = [
    r"Jan(?:uary|\.)?", r"Feb(?:ruary|\.)?", r"Mar(?:ch|\.)?", r"Apr(?:il|\.)?", r"May", r"June?\.?",
    r"July?\.?", r"Aug(?:ust|\.)?", r"Sep(?:t(?:ember)?)?\.?", r"Oct(?:ober|\.)?", r"Nov(?:ember|\.)?",
    r"Dec(?:ember|\.)?",
]
_RU_WEEKDAYS = [r"понедельник\w*", r"вторник\w*", r"сред[аеуы]\b", r"четверг\w*", r"пятниц\w*",
                r"суббот\w*", r"воскресень\w*"]
_EN_WEEKDAYS = [r"Mon(?:day)?", r"Tue(?:s(?:day)?)?", r"Wed(?:nesday)?", r"Thu(?:rs(?:day)?)?",
                r"Fri(?:day)?", r"Sat(?:urday)?", r"Sun(?:day)?"]


def _alt(pats: list[str]) -> str:
    return "|".join(f"(?P<m{i}>{p})" for i, p in enumerate(pats))


def _which(m: re.Match, n: int, prefix: str = "m") -> int | None:
    for i in range(n):
        if m.group(f"{prefix}{i}"):
            return i
    return None


_RU_MON = _alt(_RU_MONTHS)
_EN_MON = _alt(_EN_MONTHS)
_RU_DATE = re.compile(
    rf"(?<!\d)(?P<day>[0-3]?\d)(?:-?го)?\s+(?:{_RU_MON})(?:\s+(?P<year>\d{{4}})(?:\s*(?:года|год|году|г\.?))?)?",
    re.I | re.U)
_RU_MONTH_YEAR = re.compile(
    rf"\b(?:{_RU_MON})(?:\s+(?P<year>\d{{4}})(?:\s*(?:года|год|году|г\.?))?)?", re.I | re.U)
_EN_DATE_MD = re.compile(
    rf"\b(?:{_EN_MON})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?", re.U)
_EN_DATE_DM = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MON})(?!\w)(?:,?\s+(?P<year>\d{{4}})\b)?", re.U)
# what precedes a bare "May" that is the month, not the modal: "in May", "since May", "early May", "mid-May"
_MONTH_CONTEXT = re.compile(r"(?:\b(?:in|of|since|until|till|by|from|through|during|early|late|last|next|this|"
                            r"before|after|throughout)\s+|\bmid-)$", re.I)
_EN_MONTH_YEAR = re.compile(rf"\b(?:{_EN_MON})(?!\w)(?:,?\s+(?P<year>\d{{4}})\b)?", re.U)
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>\d{4}|\d{2})(?![\d])")
_RU_WD = re.compile(rf"\b(?:{_alt(_RU_WEEKDAYS)})", re.I | re.U)
_EN_WD = re.compile(rf"\b(?:{_alt(_EN_WEEKDAYS)})\b", re.U)
_YEAR_ALONE = re.compile(r"(?<![\d.,])(?P<year>1[89]\d\d|20\d\d)(?![\d.,]\d|\w)")


_RU_RANGE = re.compile(
    rf"(?<!\d)(?P<d1>[0-3]?\d)(?:-?го)?\s*(?:[-–—]|\s(?:по|до|и|или)\s)\s*(?P<d2>[0-3]?\d)(?:-?го)?\s+(?:{_RU_MON})",
    re.I | re.U)
_EN_RANGE_MD = re.compile(
    rf"\b(?:{_EN_MON})\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:[-–—]|\s(?:to|through|and|or|until|till)\s)\s*"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?![\d.,]?\d)(?:,\s+(?P<year>\d{{4}})\b)?", re.U)
_EN_RANGE_DM = re.compile(
    rf"(?<![\d.,])(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:[-–—]|\s(?:to|through|and|or|until|till)\s)\s*"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MON})(?!\w)", re.U)
_SEASON = re.compile(r"(?<![\d.,/])(?P<y1>(?:19|20)\d\d)\s?[/–—-]\s?(?P<y2>(?:19|20)\d\d|\d\d)(?![\d.,/]?\d)", re.U)
# after "December 3 and 15": a counted noun or a verb says 15 is not a day ("… and 15 others were hurt")
_EN_NOT_DAY = re.compile(r"\s*(?:%|per\s?cent\b|(?!(?:in|at|on|the|this|next|last|and|inclusive|respectively)\b)"
                         r"[a-z]+)", re.U)


def dates(text: str, lang: str, ref_year: int | None = None) -> list[DateMention]:
    """Calendar references: «4 сентября» = "September 4" = "Sept. 4" = "4 September" (day=4, month=9),
    month (+year), weekdays, numeric dd.mm.yyyy, bare years. ``ref_year`` fills the year of a
    numeric two-digit year only; other fields stay as written (compare with :func:`dates_compatible`)."""
    lg = _lang(lang)
    if lg in ("ko", "zh", "ja", "es"):  # «2025년 12월 7일», «2025年12月7日», «7 de diciembre de 2025», Juche years
        from . import cjk, spanish

        return cjk.dates(text, lg) if lg != "es" else spanish.dates(text)
    from .cjk import juche_years

    out: list[DateMention] = juche_years(text)  # "Juche 114 (2025)", «чучхе 114»: a year of the Korean calendar
    taken: list[tuple[int, int]] = [(d.start, d.end) for d in out]

    def add(m: re.Match, kind: str, **f):
        a, b = m.span()
        if any(not (b <= s or a >= e) for s, e in taken):
            return  # earlier (more specific) patterns win: "4 September 2020" is not also a bare year
        taken.append((a, b))
        out.append(DateMention(a, b, text[a:b], kind, **f))

    for m in _NUMERIC_DATE.finditer(text):
        d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        if 1 <= d <= 31 and 1 <= mo <= 12:
            if y < 100:
                y = (ref_year // 100 * 100 + y) if ref_year else 2000 + y
            add(m, "numeric", day=d, month=mo, year=y)
    ru = lg in ("ru", "uk", "be")
    if ru or lg not in ("en",):
        for m in _RU_DATE.finditer(text):
            day = int(m.group("day"))
            if 1 <= day <= 31:
                add(m, "date", day=day, month=_which(m, 12) + 1, year=int(m.group("year")) if m.group("year") else None)
        for m in _RU_MONTH_YEAR.finditer(text):
            mo = _which(m, 12)
            w = m.group(f"m{mo}").lower()
            if mo == 4 and not (w.startswith("ма") and w[:4] in ("май", "мая", "мае", "маю", "маем") or w in ("май", "мая", "мае", "маю")):
                continue
            if mo == 2 and not w.startswith("март"):
                continue
            add(m, "month", month=mo + 1, year=int(m.group("year")) if m.group("year") else None)
        for m in _RU_WD.finditer(text):
            add(m, "weekday", weekday=_which(m, 7))
    if not ru:
        for rx in (_EN_DATE_MD, _EN_DATE_DM):
            for m in rx.finditer(text):
                day = int(m.group("day"))
                if 1 <= day <= 31:
                    add(m, "date", day=day, month=_which(m, 12) + 1,
                        year=int(m.group("year")) if m.group("year") else None)
        for m in _EN_MONTH_YEAR.finditer(text):
            mo = _which(m, 12)
            w = m.group(f"m{mo}")
            full = w.rstrip(".") in ("January", "February", "March", "April", "June", "July", "August",
                                     "September", "October", "November", "December", "Sept")
            if not (full or m.group("year") or w.endswith(".") or (w == "May" and _MONTH_CONTEXT.search(text[:m.start()]))):
                continue  # "May", "Mar", "Jan" alone are too ambiguous (unless "in May", "since May", "mid-May")
            add(m, "month", month=mo + 1, year=int(m.group("year")) if m.group("year") else None)
        for m in _EN_WD.finditer(text):
            wd = m.group()
            if len(wd) <= 4 and not wd.endswith("."):  # "Sun", "Wed", "Mon": only full names
                if wd not in ("Tues", "Thurs"):
                    continue
            add(m, "weekday", weekday=_which(m, 7))
    # the other end of a day range shares its month (and year): «с 3 по 13 декабря», «3–13 декабря», "December
    # 3-15", "from 3 to 15 December", "between December 3 and 15"
    for rx, named in ((_RU_RANGE, True), (_EN_RANGE_MD, False), (_EN_RANGE_DM, False)) if ru else \
            ((_EN_RANGE_MD, False), (_EN_RANGE_DM, False)) if lg == "en" else ((_RU_RANGE, True),):
        for m in rx.finditer(text):
            d1, d2 = int(m.group("d1")), int(m.group("d2"))
            if not (1 <= d1 < d2 <= 31):
                continue
            if rx is _EN_RANGE_MD and _EN_NOT_DAY.match(text[m.end():]):
                continue  # "December 3 and 15 others": a count, not the range's end
            mo = _which(m, 12) + 1
            owner = next((d for d in out if d.kind == "date" and d.month == mo and d.start <= m.end() and
                          d.end >= m.start()), None)
            if owner is None:
                continue
            g = "d2" if owner.day == d1 else "d1"
            a, b = m.span(g)
            if any(not (b <= s_ or a >= e) for s_, e in taken):
                continue
            year = owner.year
            if "year" in rx.groupindex and m.group("year"):  # "May 18-21, 2027": the year is both ends'
                year = int(m.group("year"))
                b = m.end()
                k = out.index(owner)
                out[k] = DateMention(owner.start, owner.end, owner.text, owner.kind, day=owner.day, month=owner.month,
                                     year=year)
            taken.append((a, b))
            out.append(DateMention(a, b, text[a:b], "date", day=int(m.group(g)), month=mo, year=year))
    # a season or a span of years «2026/27», "2027/28", «2025–2030»: two years
    for m in _SEASON.finditer(text):
        y1, y2 = int(m.group("y1")), m.group("y2")
        y2 = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
        if y2 <= y1 or any(not (m.end() <= s_ or m.start() >= e) for s_, e in taken):
            continue
        taken.append(m.span())
        out.append(DateMention(m.start("y1"), m.end("y1"), m.group("y1"), "year", year=y1))
        out.append(DateMention(m.start("y2"), m.end("y2"), m.group("y2"), "year", year=y2))
    for m in _YEAR_ALONE.finditer(text):
        if not _YEAR_WORD_AFTER.match(text[m.end():]) and _counted_noun(text[m.end():], lg, int(m.group("year"))):
            continue  # «2000 человек»: a quantity
        add(m, "year", year=int(m.group("year")))
    out.sort(key=lambda d: d.start)
    return out


def dates_compatible(a: DateMention, b: DateMention) -> bool | None:
    """True when two mentions can denote the same date (every field both state agrees), False
    when a shared field differs, None when they share no field (not comparable)."""
    fa, fb = a.fields(), b.fields()
    shared = set(fa) & set(fb)
    if not shared:
        return None
    return all(fa[k] == fb[k] for k in shared)
