"""Typed records that flow between pipeline stages and live in the store.

Every stage is a plain function over these records. Records are frozen dataclasses;
the store assigns integer ids (``id`` is ``None`` before a record is stored).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace

from align.records import SEVERITIES, Bead, Flag, Span, flag_sort_key, flag_types

__all__ = [
    "ARTICLE_STATUSES", "FLAG_TYPES", "SEVERITIES", "Article", "Bead", "DocPair", "Flag", "Sentence", "Span",
    "content_hash", "dumps", "flag_sort_key", "flag_types",
]


def __getattr__(name: str):
    """``FLAG_TYPES``: the taxonomy as the detector registry holds it now (``align.records.flag_types``)."""
    if name == "FLAG_TYPES":
        return flag_types()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# Article status values: "ok" is alignable; everything else is kept with a reason but skipped.
ARTICLE_STATUSES: tuple[str, ...] = ("ok", "lang_mismatch", "bot_check", "empty", "error")


def content_hash(*parts: str) -> str:
    """A stable hash of text parts (sha1 hex, 16 chars): identity of content, not of URL."""
    h = hashlib.sha1()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One article of one edition, as parsed from a feed, page or archive."""

    source: str  # "tass", "kcna", ...
    edition: str  # "ru", "en", ... (an edition of the source; usually its language code)
    lang: str  # ISO 639-1 language of the text
    url: str  # canonical URL; unique key in the store
    title: str
    lead: str = ""
    paragraphs: tuple[str, ...] = ()  # body paragraphs, dateline already stripped
    published: str = ""  # ISO 8601 with timezone, e.g. "2026-11-20T14:05:00+03:00"
    fetched: str = ""  # ISO 8601 UTC
    section: str = ""  # rubric/section slug from the URL or page
    dateline_place: str = ""  # «МОСКВА», "IGORA /Leningrad Region/"
    dateline_date: str = ""  # as printed: «26 декабря», "December 26"
    status: str = "ok"  # see ARTICLE_STATUSES
    status_reason: str = ""
    origin: str = ""  # how it was obtained: "rss", "sitemap+page", "warc", "wayback", "sample"
    encoding: str = ""  # how its bytes were decoded, e.g. "windows-1251 (meta charset)"; "" when not recorded
    credit: str = ""  # the photo credit the page shows («© Имя Фамилия/ТАСС»), taken out of the body
    id: int | None = None

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def hash(self) -> str:
        return content_hash(self.title, self.lead, *self.paragraphs)

    def with_id(self, id: int) -> "Article":
        return replace(self, id=id)


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: ``idx`` is its 0-based position in the article's sentence list.

    ``para`` is the paragraph index (-1 for the title, -2 for the lead); ``start``/``end`` are
    character offsets into that paragraph.
    """

    article_id: int
    idx: int
    text: str
    para: int = 0
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class DocPair:
    """Two articles of two editions judged to tell the same story."""

    src_id: int  # article id in the source edition (Russian for TASS)
    tgt_id: int  # article id in the target edition (English for TASS)
    score: float
    kind: str = "1-1"  # "1-1" or "many-1" (several source items merged into one target item)
    evidence: dict = field(default_factory=dict)  # features behind the score, JSON-serialisable
    id: int | None = None


def dumps(obj) -> str:
    """Canonical JSON used for everything the store keeps as text."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
