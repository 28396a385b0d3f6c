"""News sitemaps: the way to backfill by date range.

Feeds only hold the latest items; ``sitemap_news{N}.xml`` files (N=0 newest) reach back months or
years, each entry with its publication date, so a date range maps to a bounded set of sitemap files.
Parsed with lxml in recover mode (real sitemaps are sometimes truncated) and with entity
resolution and network access off (an XML file from the web must not make us read files or fetch).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..parse import ParseError, normalize_date

NS_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    published: str = ""  # ISO 8601 (news:publication_date, else lastmod), "" when absent
    title: str = ""


def parse_sitemap(xml: bytes) -> tuple[str, list[SitemapEntry]]:
    """("index" | "urlset", entries). Raises :class:`ParseError` when nothing can be read."""
    from lxml import etree

    if not xml or not xml.strip():
        raise ParseError("empty sitemap")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as e:
        raise ParseError(f"unreadable sitemap: {e}") from None
    if root is None:
        raise ParseError("unreadable sitemap")
    kind = "index" if etree.QName(root).localname == "sitemapindex" else "urlset"
    out: list[SitemapEntry] = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        loc = date = title = ""
        for ch in el.iter():
            if not isinstance(ch.tag, str):
                continue
            name = etree.QName(ch).localname
            text = (ch.text or "").strip()
            if name == "loc" and not loc:
                loc = text
            elif name == "publication_date":
                date = text
            elif name == "lastmod" and not date:
                date = text
            elif name == "title" and etree.QName(ch).namespace == NS_NEWS:
                title = text
        if loc:
            out.append(SitemapEntry(loc=loc, published=normalize_date(date), title=title))
    if not out and kind == "urlset" and etree.QName(root).localname != "urlset":
        raise ParseError(f"not a sitemap (root element <{etree.QName(root).localname}>)")
    return kind, out
