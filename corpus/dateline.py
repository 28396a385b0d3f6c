"""Datelines: «МОСКВА, 26 декабря. /ТАСС/.», "MOSCOW, December 26. /TASS/.".

Agency bodies open with a dateline that is not part of the story's text: kept in it, it would
become a spurious first "sentence" fragment on one side of every alignment and would leak the
place name into every embedding. The parser splits it off into ``Article.dateline_place`` /
``dateline_date`` (which pairing uses as evidence) and keeps only the rest as body text.

The dateline is plain text (already extracted from HTML/XML), so a regular expression is the right
tool here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Dateline", "split_dateline"]


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline. ``rest`` is the text after it (the whole text when there is none)."""

    place: str  # «МОСКВА», "IGORA /Leningrad Region/"
    date: str  # as printed: «26 декабря», "December 26"
    rest: str
    tag: str = ""  # the agency tag: «ТАСС», "TASS", "KCNA", «ЦТАК»
    byline: str = ""  # «Корр. ТАСС Иван Петров» when the Russian dateline names a correspondent

    def __bool__(self) -> bool:
        return bool(self.place or self.date)


_RU_MONTHS = (
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_EN_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?"
)
# An upper-case place ("MOSCOW", "NEW YORK", "ST. PETERSBURG", «САНКТ-ПЕТЕРБУРГ», «Ю.-САХАЛИНСК»),
# optionally followed by a region in slashes: "IGORA /Leningrad Region/".
_PLACE = r"(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ0-9'’.\- ]*?(?:\s*/[^/\n]{1,80}/)?)"
_DATE = rf"(?P<date>\d{{1,2}}\s+(?:{_RU_MONTHS})|(?:{_EN_MONTHS})\s+\d{{1,2}})"
_TAG = r"/(?P<tag>ТАСС|TASS|ИТАР-ТАСС|ITAR-TASS)/\.?"
# Correspondent byline, either instead of the agency tag or after it:
# «/Корр. ТАСС Иван Петров/.»
_BYLINE = r"/(?P<byline>(?:Корр\.|Спец\. корр\.|Соб\. корр\.|TASS correspondent)[^/\n]{1,80})/\.?"

_TASS_RE = re.compile(
    rf"^\s*{_PLACE},\s+{_DATE}\.?\s+(?:{_TAG}(?:\s*{_BYLINE})?|{_BYLINE.replace('byline', 'byline2')})\s*",
    re.UNICODE,
)
# KCNA: "Pyongyang, December 26 (KCNA) -- ", «Пхеньян, 26 декабря /ЦТАК/.»
_KCNA_RE = re.compile(
    rf"^\s*(?P<place>[A-ZА-ЯЁ][\w'’.\- ]{{1,40}}?),\s+{_DATE}\.?\s*"
    r"(?:\((?P<tag>KCNA)\)\s*--|/(?P<tag2>ЦТАК)/\.?)\s*",
    re.UNICODE,
)


_ES_MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
# KCNA in its other languages: "Pyongyang, 20 de noviembre (ACNC) --", «(평양 11월 20일발 조선중앙통신)»,
# 「【平壌11月20日発朝鮮中央通信】」, «朝中社平壤11月20日电»
_KCNA_OTHER = (
    re.compile(rf"^\s*(?P<place>[A-Z][\w'’.\- ]{{1,40}}?),\s+(?P<date>\d{{1,2}} de (?:{_ES_MONTHS}))\s*"
               r"\((?P<tag>ACNC)\)\s*--\s*"),
    re.compile(r"^\s*\(\s*(?P<place>평양)\s*(?P<date>\d{1,2}월\s*\d{1,2}일)발\s*(?P<tag>조선중앙통신)\s*\)\s*"),
    re.compile(r"^\s*【\s*(?P<place>平壌)\s*(?P<date>\d{1,2}月\d{1,2}日)発\s*(?P<tag>朝鮮中央通信)\s*】\s*"),
    re.compile(r"^\s*[【\[]?\s*(?:据)?(?P<tag>朝中社)(?P<place>平壤)(?P<date>\d{1,2}月\d{1,2}日)电\s*[】\]]?\s*"),
)


def split_dateline(text: str, lang: str | None = None) -> Dateline:
    """Split a leading agency dateline off ``text``.

    ``lang`` is a hint only (both Russian and English forms are recognised whatever it says, since
    an English item may quote a Russian-style dateline and vice versa). Text without a dateline
    comes back unchanged in ``rest`` with empty ``place``/``date``.
    """
    if not text:
        return Dateline("", "", text or "")
    m = _TASS_RE.match(text)
    if m:
        return Dateline(
            place=_norm(m.group("place")),
            date=_norm(m.group("date")),
            rest=text[m.end():].strip(),
            tag=m.group("tag") or _tag_of(m.group("byline2") or ""),
            byline=_norm(m.group("byline") or m.group("byline2") or ""),
        )
    m = _KCNA_RE.match(text)
    if m:
        return Dateline(
            place=_norm(m.group("place")),
            date=_norm(m.group("date")),
            rest=text[m.end():].strip(),
            tag=m.group("tag") or m.group("tag2") or "",
        )
    for rx in _KCNA_OTHER:
        m = rx.match(text)
        if m:
            return Dateline(place=_norm(m.group("place")), date=_norm(m.group("date")),
                            rest=text[m.end():].strip(), tag=m.group("tag"))
    return Dateline("", "", text)


def _tag_of(byline: str) -> str:
    """The agency named in a correspondent byline that stands in for the tag."""
    return "ТАСС" if "ТАСС" in byline else ("TASS" if "TASS" in byline else "")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()
