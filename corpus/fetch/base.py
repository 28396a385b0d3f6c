"""The base class of a news source: what a site looks like to the fetcher and how its pages become
:class:`~corpus.records.Article` records. A source plug-in (``tass.py``, ``kcna.py``) subclasses or instantiates it
and registers a factory with :func:`corpus.fetch.sources.register_source`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from ..parse import FeedItem, parse_article_page, parse_rss
from ..records import Article
from .sources import Edition


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
        return {e: ed.lang for e, ed in self.editions.items()}
