"""Which text encoding a fetched page is in, when the server's word cannot be trusted.

A page's HTTP ``Content-Type`` charset is often wrong (a windows-1251 page served as ISO-8859-1
decodes without an error, into mojibake, and the article is then lost as a language mismatch). So
the fetcher reads a page as each plausible encoding in turn — valid UTF-8, the HTTP header's
charset, the page's own ``<meta>`` charset, then charset-normalizer's detection — and keeps the
first reading that parses into an article in its edition's language (``corpus.fetch.core``). The
encoding used is stored with the article (``Article.encoding``), e.g. ``"windows-1251 (meta charset)"``.
"""

from __future__ import annotations

import codecs
import re
from typing import Iterator

_HEADER_CHARSET = re.compile(r"charset=[\"']?([\w\-.:]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset=["']?([A-Za-z0-9_\-.:]{2,30})""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding=["']([A-Za-z0-9_\-.:]{2,30})""", re.I)


def _codec(name: str) -> str | None:
    """The Python codec of a charset label, or None when the label names none."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def readings(body: bytes, content_type: str = "") -> Iterator[tuple[str, str]]:
    """(encoding label, text) for every plausible reading of ``body``, most trustworthy first, each
    text once: ``utf-8`` (when the bytes are valid UTF-8), ``<charset> (http header)``,
    ``<charset> (meta charset)``, ``<charset> (detected)`` (charset-normalizer). A declared charset
    that does not decode the bytes cleanly is skipped. Lazy: detection runs only when asked for."""
    seen: set[str] = set()

    def read(codec: str | None) -> str | None:
        if codec is None:
            return None
        try:
            text = body.decode(codec)
        except (LookupError, UnicodeDecodeError):
            return None
        if text in seen:
            return None
        seen.add(text)
        return text

    if (t := read("utf-8")) is not None:
        yield "utf-8", t
    m = _HEADER_CHARSET.search(content_type or "")
    if m and (t := read(_codec(m.group(1)))) is not None:
        yield f"{m.group(1).lower()} (http header)", t
    m2 = _META_CHARSET.search(body[:4096])
    if m2:
        label = m2.group(1).decode("ascii").lower()
        if (t := read(_codec(label))) is not None:
            yield f"{label} (meta charset)", t
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # a declared dependency; without it there is simply no detected reading
        best = None
    else:
        best = from_bytes(body).best()
    if best is not None and (t := read(_codec(best.encoding))) is not None:
        yield f"{best.encoding} (detected)", t
    if not seen:  # nothing decodes cleanly: UTF-8 with replacement characters, said so
        yield "utf-8 (with replacement characters)", body.decode("utf-8", "replace")


def xml_encoding(body: bytes) -> str:
    """The encoding an XML document (a feed) declares; ``utf-8`` when it declares none."""
    m = _XML_DECL.search(body[:512])
    return m.group(1).decode("ascii").lower() if m else "utf-8"


__all__ = ["readings", "xml_encoding"]
