"""The source registry: which news sources the fetcher knows, their editions and the language of each.

A source is one file under ``corpus/fetch/`` (``tass.py``, ``kcna.py``) that declares its editions once, as
:class:`Edition` records (name, language, host, feeds …), in a factory decorated with :func:`register_source`. Every
module of ``corpus.fetch`` is imported on first use (:func:`load`), so a new file registers itself. From the
registry come the ``fetch`` command's choices (:func:`source_names`, :func:`all_editions`), each source's editions
and their languages (:func:`editions`, :func:`edition_lang`) and :func:`get_source`. This module imports no other
module of ``corpus``: parsers and the fetch core read it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


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


SOURCES: dict[str, Callable] = {}  # source name -> factory returning a corpus.fetch.base.Source, in registration order


def register_source(name: str):
    """Decorator: register ``factory`` (no arguments, returns a :class:`~corpus.fetch.base.Source` named ``name``)."""

    def deco(factory):
        SOURCES[name] = factory
        return factory

    return deco


def unregister_source(name: str) -> None:
    SOURCES.pop(name, None)


def load() -> None:
    """Import every module of ``corpus.fetch`` once, so that every source file has registered itself."""
    from align.plugins import import_plugins

    import_plugins("corpus.fetch")


def source_names() -> tuple[str, ...]:
    """Every registered source, TASS first (the default), then the others by name."""
    load()
    return tuple(sorted(SOURCES, key=lambda n: (n != "tass", n)))


def get_source(name: str):
    """A fresh instance of the registered source ``name`` (ValueError naming the known ones otherwise)."""
    load()
    try:
        factory = SOURCES[name]
    except KeyError:
        raise ValueError(f"unknown source {name!r} (known: {', '.join(source_names())})") from None
    return factory()


def editions(source: str) -> dict[str, str]:
    """Edition name -> ISO 639-1 language of its text, as the source declares them (ValueError: unknown source)."""
    return {e: ed.lang for e, ed in get_source(source).editions.items()}


def all_editions() -> tuple[str, ...]:
    """Every edition name of every registered source (the ``fetch --edition`` choices, with ``all``)."""
    return tuple(dict.fromkeys(e for s in source_names() for e in editions(s)))


def edition_lang(source: str, edition: str) -> str:
    """The language of ``source``'s ``edition``; the edition name itself for an unknown source or edition."""
    load()
    if source not in SOURCES:
        return edition
    return editions(source).get(edition, edition)
