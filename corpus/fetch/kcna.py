"""KCNA (kcna.kp): the second source, on the same fetching machinery as TASS.

Six editions (kp, en, cn, ru, es, jp) share one host and differ by path prefix. There are no
feeds or sitemaps: article links come from the "latest news" listing page of each edition
(``/<lang>/category/articles/q/<hex>.kcmsf``, links in ``.article-link li a`` with a
``.publish-time`` each). Article URLs: ``/<lang>/article/q/<hex>.kcmsf`` (until mid-2026) and
``/<lang>/article/detail/<hex>``. Pages: ``.article-main-title``, ``.publish-time``,
``.article-content-body .content-wrapper``. Dates are printed in the Juche calendar
(Juche year + 1911 = Gregorian year), e.g. "[Juche 115.11.20.]" or «주체115(2026)년 11월 20일».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urljoin

from ..parse import (
    BotCheck, FeedItem, ParseError, decode_html, finish_article, is_bot_check, now_iso,
    parse_article_page,
)
from ..records import Article
from .base import Source
from .sources import Edition, register_source

PYONGYANG = timezone(timedelta(hours=9))
JUCHE_OFFSET = 1911
HOST = "www.kcna.kp"
LATEST = "1ee9bdb7186944f765208f34ecfb5407"  # the "latest news" category id
# edition (the path prefix) -> ISO 639-1 language of its text
KCNA_LANGS = {"kp": "ko", "en": "en", "cn": "zh", "ru": "ru", "es": "es", "jp": "ja"}
KCNA_EDITIONS = tuple(KCNA_LANGS)

_JUCHE_WORD = r"(?:Juche|JUCHE|주체|主体|主體|Чучхе|чучхе|Juché|チュチェ)"


def juche_to_date(text: str) -> date | None:
    """A KCNA date → Gregorian date. Juche year + 1911 = Gregorian year; when the Gregorian year is
    printed too («주체115(2026)년»), it must agree. Plain Gregorian dates (2026.11.20) pass through."""
    if not text:
        return None
    m = re.search(_JUCHE_WORD + r"\s*(\d{1,3})\s*(?:\((\d{4})\))?\D{0,3}?(\d{1,2})\D{1,3}(\d{1,2})", text)
    if m:
        jy, gy, mo, d = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        year = jy + JUCHE_OFFSET
        if gy and int(gy) != year:
            return None
    else:
        m = re.search(r"(\d{1,4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})", text)
        if not m:
            return None
        y, mo, d = (int(x) for x in m.groups())
        year = y + JUCHE_OFFSET if y < 1000 else y
    try:
        return date(year, mo, d)
    except ValueError:
        return None


def _iso_day(d: date | None) -> str:
    return datetime(d.year, d.month, d.day, tzinfo=PYONGYANG).isoformat() if d else ""


@dataclass
class KcnaSource(Source):
    @classmethod
    def create(cls) -> "KcnaSource":
        eds = {}
        for lang in KCNA_EDITIONS:
            eds[lang] = Edition(
                name=lang, lang=KCNA_LANGS[lang], host=HOST, scheme="http",
                listings=(f"http://{HOST}/{lang}/category/articles/q/{LATEST}.kcmsf",),
                article_re=rf"^/{lang}/article/(?:q/[0-9a-fA-F]{{16,64}}\.kcmsf|detail/[0-9a-fA-F]{{8,64}})$",
            )
        return cls(name="kcna", editions=eds, aliases={"kcna.kp": HOST})

    def listing_links(self, body: bytes, page_url: str, edition: str) -> list[tuple[str, str]]:
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(decode_html(body))
        out: dict[str, str] = {}
        anchors = tree.css(".article-link li a") or tree.css("a[href]")
        for a in anchors:
            c = self.canonical(urljoin(page_url, a.attributes.get("href") or ""))
            if not c or c[0] != edition:
                continue
            t = a.css_first(".publish-time")
            out.setdefault(c[1], _iso_day(juche_to_date(t.text() if t else "")))
        return list(out.items())

    def parse_page(self, body: bytes, url: str, edition: str, *, item: FeedItem | None = None,
                   origin: str = "page", content_type: str = "", http_status: int | None = None) -> Article:
        from selectolax.lexbor import LexborHTMLParser

        if is_bot_check(body, http_status):
            raise BotCheck(f"bot-check page ({len(body)} bytes)")
        tree = LexborHTMLParser(decode_html(body, content_type))
        title_node = tree.css_first(".article-main-title")
        wrapper = tree.css_first(".article-content-body .content-wrapper") or tree.css_first(".content-wrapper")
        if title_node is None or wrapper is None:
            # not the known layout: the generic parser (JSON-LD, meta, <article> p)
            return parse_article_page(body, url, source=self.name, edition=edition, feed_item=item,
                                      origin=origin, content_type=content_type, http_status=http_status)
        ws = re.compile(r"\s+")
        title = ws.sub(" ", title_node.text(separator="")).strip()
        t = tree.css_first(".publish-time")
        published = _iso_day(juche_to_date(t.text() if t else ""))
        ps = [ws.sub(" ", p.text(separator="")).strip() for p in wrapper.css("p")]
        if not ps:
            for br in wrapper.css("br"):
                br.replace_with("\n")
            ps = [ws.sub(" ", x).strip() for x in wrapper.text(separator="").split("\n")]
        ps = [p for p in ps if p]
        if not title and not ps:
            raise ParseError("no article found on page")
        art = Article(
            source=self.name, edition=edition, lang=self.editions[edition].lang, url=url, title=title,
            lead="", paragraphs=tuple(ps), published=published or (item.published if item else ""),
            fetched=now_iso(), section="", origin=origin,
        )
        return finish_article(art)


@register_source("kcna")
def kcna() -> KcnaSource:
    return KcnaSource.create()
