"""TASS: tass.ru (the Russian edition) and tass.com (the English one), fetched from their RSS feeds and news
sitemaps; pages are parsed by the generic parser (``corpus.parse``)."""

from __future__ import annotations

from .base import Source
from .sources import Edition, register_source


@register_source("tass")
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
