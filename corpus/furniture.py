"""Page furniture: the lines of a news page that are not body text.

A page copied from tass.ru or tass.com carries, around and inside the body, a headline, a subtitle,
a photo credit («© Имя Фамилия/ТАСС»), the desk byline («Редакция сайта ТАСС»), a timestamp line
(«18 декабря, 23:27»), «Читайте также» / "Read also" teasers, tag lists and navigation ("All news").
Aligned and flagged as body text, each becomes a spurious omission; :func:`strip_furniture` finds
them and returns the body lines, the fields they mean (headline, subtitle, credit, byline,
timestamp, dateline) and, per stripped line, why.

It is conservative: a line is stripped only when a pattern says what it is, or when it stands
before the dateline (TASS bodies open with the dateline, so nothing before it is body text), or
when it is a short line with no final punctuation at the very top (a headline) or after the last
punctuated paragraph (tags, a teaser). A line that could be body stays body. The markers are
those of the Russian and English editions; credits, timestamps and the structure rules are
language-neutral. The same function serves pasted pages (researcher mode) and the paragraphs a
parser took from page markup (``corpus.parse``), where the header's headline and subtitle are
known and no top line is taken for a headline by position alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from .dateline import split_dateline

__all__ = ["Stripped", "Page", "strip_furniture", "FIELD_KINDS"]

# kinds of furniture that are kept as a single field (the first one found); the others are lists
FIELD_KINDS = ("headline", "subtitle", "credit", "byline", "timestamp", "dateline")
LIST_KINDS = ("teaser", "tags", "navigation", "other")

# how far down a page the dateline is looked for (furniture may come first)
DATELINE_WITHIN = 12


@dataclass(frozen=True)
class Stripped:
    """A line (or, for a dateline, the prefix of a line) recognised as furniture."""

    index: int  # line index in the input
    kind: str  # one of FIELD_KINDS or LIST_KINDS
    text: str
    reason: str


@dataclass
class Page:
    """The body lines of a page and what was stripped from it."""

    body: list[str]  # body lines in order, dateline prefix removed
    body_index: list[int]  # input line index of each body line
    fields: dict[str, str]  # headline, subtitle, credit, byline, timestamp, dateline (those found)
    stripped: list[Stripped] = field(default_factory=list)
    dateline_place: str = ""
    dateline_date: str = ""
    dateline_byline: str = ""

    def of_kind(self, kind: str) -> list[str]:
        return [s.text for s in self.stripped if s.kind == kind]

    @property
    def furniture_index(self) -> list[int]:
        """Indices of the input lines that are wholly furniture (a dateline line keeps its body rest)."""
        return sorted({s.index for s in self.stripped} - set(self.body_index))


# ---------------------------------------------------------------------------- line patterns
# sentence-final punctuation, CJK, Arabic and Devanagari marks included; closing quotes may follow
_END_PUNCT = re.compile(r"[.!?…:;。！？｡؟।][»\"”’)\]」』]*$")
_RU_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_EN_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December|"
              r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec")
_MONTH = rf"(?:{_RU_MONTHS}|{_EN_MONTHS}|{_EN_MONTHS.upper()})\.?"
_DAY_MONTH = rf"(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})(?:,?\s+\d{{4}})?(?:\s*г(?:ода|\.)?)?"
_NUM_DATE = r"(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2})"
_TIME = r"\d{1,2}:\d{2}(?:\s*(?:AM|PM|am|pm))?(?:\s*(?:МСК|мск|MSK|GMT|UTC)(?:[+-]\d{1,2})?)?"
_STAMP_WORDS = (r"(?:обновлено|опубликовано|последнее обновление|updated|published|posted|last updated|"
                r"сегодня|вчера|today|yesterday)")
_TIMESTAMP = re.compile(
    rf"^(?:{_STAMP_WORDS}:?\s*)?(?:(?:{_DAY_MONTH}|{_NUM_DATE}|{_STAMP_WORDS})[,\s]*)?(?:{_TIME})?"
    rf"(?:\s*\(?(?:обновлено|updated):?\s*(?:{_DAY_MONTH}[,\s]*)?{_TIME}\)?)?$",
    re.I,
)
_CREDIT = re.compile(
    r"^(?:©|\(c\)|Ⓒ)\s*\S.{0,150}$"
    r"|^(?:Фото|Photo|Фотография|Видео|Video|Иллюстрация)\s*:\s*\S.{0,150}$"
    r"|^[^.!?/\n]{2,60}/\s*(?:ТАСС|TASS|ИТАР-ТАСС|ITAR-TASS|AP|AP Photo|EPA|EPA-EFE|AFP|Reuters|Getty Images|Sputnik)$",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:Редакция сайта ТАСС|Редакция сайта|TASS website editorial (?:board|staff|team)|TASS editorial (?:board|staff)"
    r"|(?:Автор|Author|Текст|Text by|By)\s*:?\s+(?:[A-ZА-ЯЁ][\w’'\-]*\.?\s?){1,4})$"
)
_TEASER_MARK = (r"(?:Читайте также|Читать также|Смотрите также|Также по теме|Подробнее по теме|По теме|Подробнее"
                r"|Read also|Read more|See also|Also read|Related|More on this topic|Read more on this topic)")
_TEASER_ALONE = re.compile(rf"^{_TEASER_MARK}\s*[:.]?$", re.I)
_TEASER_INLINE = re.compile(rf"^{_TEASER_MARK}\s*[:.–—-]?\s+(?P<rest>\S.*)$", re.I)
_TAGS_MARK = r"(?:Теги|Тэги|Темы|Tags|Topics)"
_TAGS_ALONE = re.compile(rf"^{_TAGS_MARK}\s*:?$", re.I)
_TAGS_INLINE = re.compile(rf"^{_TAGS_MARK}\s*:\s*\S.*$", re.I)
_HASHTAGS = re.compile(r"^(?:#[\w\-]+[\s,]*)+$")
_NAVIGATION = {
    s.lower() for s in (
        # tass.ru
        "Все новости", "Лента новостей", "Главное", "Новости", "Главная", "Поделиться", "Подписаться",
        "Скопировать ссылку", "Копировать ссылку", "Новости партнеров", "Последние новости", "Другие новости",
        "Политика", "Экономика и бизнес", "Экономика", "Общество", "Происшествия", "Армия и ОПК",
        "Международная панорама", "В мире", "Спорт", "Наука", "Культура", "Москва", "Регионы",
        "Национальные проекты", "Космос", "Недвижимость", "Туризм", "Спецпроекты", "Интервью",
        "Пресс-центр", "Меню", "Поиск", "Версия для печати",
        # tass.com
        "All news", "Latest news", "Top stories", "Home", "Menu", "Search", "Share", "Copy link", "Subscribe",
        "Politics", "Russian Politics & Diplomacy", "World", "Business & Economy", "Economy", "Society & Culture",
        "Society", "Military & Defense", "Defense", "Science & Space", "Science", "Sport", "Sports", "Emergencies",
        "Russia", "Opinions", "Press review", "Ukraine crisis", "In other media", "More news",
    )
}
_LIST_SEP = re.compile(r"\s*(?:[,·•|;]|\s/\s)\s*")


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("\xa0", " ")).strip()


def _words(line: str) -> int:
    return len(line.split())


def _headline_like(line: str, max_words: int = 30) -> bool:
    """A short line with no final full stop: how headlines, teasers and tags look (body paragraphs end
    with punctuation). A headline may end with «?» or «!» or a quotation mark."""
    if not line or _words(line) > max_words:
        return False
    return not re.search(r"[.…:;,。，、｡।][»\"”’)\]」』]*$", line)


def _punctuated(line: str) -> bool:
    return bool(_END_PUNCT.search(line))


def classify_line(line: str) -> tuple[str, str] | None:
    """(kind, reason) when the line alone says it is furniture, else None."""
    s = _norm(line)
    if not s:
        return None
    low = s.lower().rstrip(" :")
    if len(s) <= 40 and low in _NAVIGATION:
        return "navigation", "a navigation or rubric label"
    if len(s) <= 60 and re.search(r"\d", s) and _TIMESTAMP.fullmatch(s):
        return "timestamp", "a date and time line"
    if len(s) <= 160 and _CREDIT.match(s):
        return "credit", "a photo credit"
    if len(s) <= 80 and _BYLINE.match(s):
        return "byline", "a desk or author byline"
    if _TEASER_ALONE.match(s):
        return "teaser", "a teaser marker"
    m = _TEASER_INLINE.match(s)
    if m and _headline_like(m.group("rest"), 40):
        return "teaser", "a teaser: marker and headline"
    if _TAGS_ALONE.match(s) or (len(s) <= 300 and _TAGS_INLINE.match(s) and _headline_like(s, 40)):
        return "tags", "a tag list"
    if len(s) <= 300 and _HASHTAGS.fullmatch(s):
        return "tags", "hashtags"
    return None


def _dateline_at(lines: Sequence[str], lang: str | None) -> tuple[int, object] | None:
    """(index, Dateline) of the first line among the first ones that opens with a dateline."""
    for i, ln in enumerate(lines[:DATELINE_WITHIN]):
        dl = split_dateline(_norm(ln), lang)
        if dl:
            return i, dl
    return None


def strip_furniture(lines: Sequence[str], lang: str | None = None, *, headline: str = "", subtitle: str = "",
                    pasted: bool = True) -> Page:
    """Split ``lines`` (one paragraph or page element a line, in page order) into body and furniture.

    ``headline`` / ``subtitle``: known from page markup (a line equal to one of them is that field);
    ``pasted``: the lines are a whole page as a user copies it, so a short unpunctuated line at the
    very top is the headline even without a dateline below it. Blank lines are neither body nor
    furniture. The dateline, found wherever it stands in the first lines, is stripped off its line
    into ``fields["dateline"]`` (with place, date and correspondent); its rest stays body.
    """
    norm = [_norm(x) for x in lines]
    kinds: dict[int, tuple[str, str]] = {}
    known = {"headline": _norm(headline), "subtitle": _norm(subtitle)}

    found = _dateline_at(norm, lang)
    dl_idx = found[0] if found else None
    dl = found[1] if found else None
    dl_rest = dl.rest if dl else ""
    dl_text = norm[dl_idx][: len(norm[dl_idx]) - len(dl_rest)].strip() if dl else ""
    # «/Корр. ТАСС Имя Фамилия/.» on its own line right after a dateline that stands alone
    byline_extra = None
    if dl is not None and not dl_rest:
        j = dl_idx + 1
        while j < len(norm) and not norm[j]:
            j += 1
        if j < len(norm) and re.fullmatch(r"/(?:Корр\.|Спец\. корр\.|Соб\. корр\.|TASS correspondent)[^/]{1,80}/\.?", norm[j]):
            byline_extra = j

    def mark(i: int, kind: str, reason: str) -> None:
        kinds[i] = (kind, reason)

    # 1. lines that say what they are, anywhere; a teaser marker takes the headline-like lines after it
    after_marker = 0
    tags_block = False
    for i, s in enumerate(norm):
        if not s or i == dl_idx or i == byline_extra:
            continue
        if known["headline"] and s == known["headline"]:
            mark(i, "headline", "the page's headline")
            after_marker = tags_block = False
            continue
        if known["subtitle"] and s == known["subtitle"] and (dl_idx is not None and i < dl_idx):
            mark(i, "subtitle", "the page's subtitle, before the dateline")
            continue
        c = classify_line(s)
        if c:
            mark(i, *c)
            if c[0] == "teaser" and c[1] == "a teaser marker":
                after_marker, tags_block = 1, False
            elif c[0] == "tags" and _TAGS_ALONE.match(s):
                tags_block, after_marker = True, 0
            continue
        if after_marker and _headline_like(s, 40):
            mark(i, "teaser", "a teaser headline after a teaser marker")
            after_marker -= 1
            continue
        if tags_block and _headline_like(s, 8):
            mark(i, "tags", "a tag after a tag marker")
            continue
        after_marker, tags_block = 0, False

    # 2. before the dateline nothing is body: headline, then subtitle, by position
    if dl_idx is not None:
        for i in range(dl_idx):
            s = norm[i]
            if not s or i in kinds:
                continue
            if not _punctuated(s) and "headline" not in {k for k, _ in kinds.values()} and not known["headline"]:
                mark(i, "headline", "the first unmarked line before the dateline")
            elif "subtitle" not in {k for k, _ in kinds.values()}:
                mark(i, "subtitle", "an unmarked line before the dateline, after the headline")
            else:
                mark(i, "other", "an unmarked line before the dateline")
    elif pasted:
        # no dateline: one or two short unpunctuated lines at the very top, followed by a punctuated
        # paragraph, are the headline and the subtitle (a list of unpunctuated lines is no page)
        top = [i for i, s in enumerate(norm) if s and i not in kinds]
        n_top = 0
        while n_top < min(2, len(top) - 1) and _headline_like(norm[top[n_top]]):
            n_top += 1
        if n_top and n_top < len(top) and _punctuated(norm[top[n_top]]) and not _headline_like(norm[top[n_top]]):
            for k in range(n_top):
                mark(top[k], "headline" if k == 0 else "subtitle", "a short unpunctuated line at the top of the page")

    # 3. after the last punctuated body line: short unpunctuated lines are tags or teasers, not body
    body_candidates = [i for i, s in enumerate(norm) if s and i not in kinds and (dl_idx is None or i >= dl_idx)]
    punct = [i for i in body_candidates if _punctuated(norm[i]) or (i == dl_idx)]
    if punct:
        last = punct[-1]
        for i in body_candidates:
            if i > last and _headline_like(norm[i], 20):
                mark(i, "tags" if (_LIST_SEP.search(norm[i]) or _words(norm[i]) <= 3) else "other",
                     "a short unpunctuated line after the last body paragraph")

    # 4. a page with no other body text: the lines taken by position or by the known headline are its body
    #    (a one-line flash whose text is its headline, a list of short lines)
    if not any(s and i not in kinds for i, s in enumerate(norm)) and not (dl is not None and dl_rest):
        for i, (kind, reason) in list(kinds.items()):
            if classify_line(norm[i]) is None:
                del kinds[i]

    # 5. assemble
    stripped: list[Stripped] = []
    fields: dict[str, str] = {}
    body: list[str] = []
    body_index: list[int] = []
    for i, s in enumerate(norm):
        if not s:
            continue
        if i == dl_idx:
            stripped.append(Stripped(i, "dateline", dl_text, "the dateline"))
            fields.setdefault("dateline", dl_text)
            if dl_rest:
                body.append(dl_rest)
                body_index.append(i)
            continue
        if i == byline_extra:
            stripped.append(Stripped(i, "dateline", s, "the correspondent line of the dateline"))
            fields["dateline"] = f"{fields.get('dateline', '')} {s}".strip()
            continue
        if i in kinds:
            kind, reason = kinds[i]
            stripped.append(Stripped(i, kind, s, reason))
            if kind in FIELD_KINDS:
                fields.setdefault(kind, s)
            continue
        body.append(s)
        body_index.append(i)
    return Page(body=body, body_index=body_index, fields=fields, stripped=stripped,
                dateline_place=dl.place if dl else "", dateline_date=dl.date if dl else "",
                dateline_byline=(dl.byline if dl else "") or (norm[byline_extra].strip("/. ") if byline_extra is not None else ""))
