"""Sources: what a news agency's site looks like to the fetcher (a name → class registry).

A source knows its editions (language, host, feeds, sitemaps or listing pages), which URLs are
article URLs and how to turn a page into an :class:`~corpus.records.Article`. The fetching
machinery (``corpus.fetch.core``) is the same for every source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from ..parse import FeedItem, edition_lang, parse_article_page, parse_rss
from ..records import Article


@dataclass(frozen=True)
class Edition:
    name: str
    lang: str
    host: str
    scheme: str = "https"
    feeds: tuple[str, ...] = ()  # RSS feeds, most useful first
    sitemaps: tuple[str, ...] = ()  # sitemap files or indexes (newest first), for backfill by date
    sitemap_child: str = r"sitemap_news\d*\.xml$"  # which children of a sitemap index to follow
    listings: tuple[str, ...] = ()  # HTML listing pages whose links are articles (no feed)
    article_re: str = r"^/[a-z0-9\-]+/\d{5,9}$"  # path of an article URL


@dataclass
class Source:
    """Base class: a news site with editions. Subclasses override parsing where the site needs it."""

    name: str = ""
    editions: dict[str, Edition] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # host alias → canonical host

    def edition_names(self) -> tuple[str, ...]:
        return tuple(self.editions)

    def hosts(self, editions: tuple[str, ...] | None = None) -> set[str]:
        eds = editions or self.edition_names()
        hs = {self.editions[e].host for e in eds}
        return hs | {a for a, h in self.aliases.items() if h in hs}

    def canonical(self, url: str) -> tuple[str, str] | None:
        """(edition, canonical URL) when ``url`` is an article URL of this source, else None."""
        try:
            p = urlsplit(url.strip())
        except ValueError:
            return None
        host = (p.hostname or "").lower()
        host = self.aliases.get(host, host)
        path = re.sub(r"/+$", "", p.path) or "/"
        for ed in self.editions.values():
            if ed.host == host and re.match(ed.article_re, path) and self.edition_of_path(ed, path):
                return ed.name, urlunsplit((ed.scheme, host, path, "", ""))
        return None

    def edition_of_path(self, ed: Edition, path: str) -> bool:
        return True

    def parse_feed(self, body: bytes, edition: str) -> list[FeedItem]:
        return parse_rss(body, source=self.name, edition=edition)

    def parse_page(self, body: bytes, url: str, edition: str, *, item: FeedItem | None = None,
                   origin: str = "page", content_type: str = "", http_status: int | None = None) -> Article:
        return parse_article_page(body, url, source=self.name, edition=edition, feed_item=item, origin=origin,
                                  content_type=content_type, http_status=http_status)

    def listing_links(self, body: bytes, page_url: str, edition: str) -> list[tuple[str, str]]:
        """(canonical article URL, published ISO or "") for every article linked from a listing page."""
        from selectolax.lexbor import LexborHTMLParser
        from urllib.parse import urljoin

        from ..parse import decode_html

        tree = LexborHTMLParser(decode_html(body))
        out: list[tuple[str, str]] = []
        for a in tree.css("a[href]"):
            c = self.canonical(urljoin(page_url, a.attributes.get("href") or ""))
            if c and c[0] == edition:
                out.append((c[1], ""))
        return list(dict.fromkeys(out))

    @property
    def lang(self) -> dict[str, str]:
        return {e: edition_lang(self.name, e) for e in self.editions}


def tass() -> Source:
    """TASS: tass.ru (Russian, 8-digit ids) and tass.com (English, 7-digit ids)."""
    return Source(
        name="tass",
        editions={
            "ru": Edition(
                name="ru", lang="ru", host="tass.ru",
                feeds=("https://tass.ru/rss/yandex.xml",),  # full text in <yandex:full-text>
                sitemaps=("https://tass.ru/sitemap.xml",),
                article_re=r"^/[a-z0-9\-]+(?:/[a-z0-9\-]+)?/\d{5,9}$",
            ),
            "en": Edition(
                name="en", lang="en", host="tass.com",
                feeds=("https://tass.com/rss/v2.xml",),
                sitemaps=tuple(f"https://tass.com/sitemap/sitemap_news{n}.xml" for n in range(10)),
                article_re=r"^/[a-z0-9\-]+/\d{5,9}$",
            ),
        },
        aliases={"www.tass.ru": "tass.ru", "www.tass.com": "tass.com"},
    )


def kcna() -> Source:
    from .kcna import KcnaSource

    return KcnaSource.create()


SOURCES = {"tass": tass, "kcna": kcna}


def get_source(name: str) -> Source:
    try:
        return SOURCES[name]()
    except KeyError:
        raise ValueError(f"unknown source {name!r} (known: {', '.join(SOURCES)})") from None
