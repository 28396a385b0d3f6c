"""WARC import: articles from web archives someone else already crawled (warcio).

A WARC (e.g. from a Heritrix/wget/browsertrix crawl or Common Crawl) needs no request to the
site at all, so it is the politest backfill there is. Response records of the source's hosts are
taken: article pages are parsed like live ones, feeds (``yandex.xml`` full text) like live feeds;
everything else is skipped. Small pages (< ~5 KB) are usually bot-check stubs and get reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..parse import ParseError
from .candidates import Candidate, FetchSummary
from .base import Source


def warc_candidates(path: str | Path, src: Source, editions: tuple[str, ...],
                    summary: FetchSummary) -> Iterator[Candidate]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    feeds = {f: ed for ed in editions for f in src.editions[ed].feeds}
    path = Path(path)
    try:
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type != "response" or rec.http_headers is None:
                    continue
                uri = (rec.rec_headers.get_header("WARC-Target-URI") or "").strip("<>")
                status = rec.http_headers.get_statuscode()
                if not status or not status.startswith("2"):
                    continue
                body = rec.content_stream().read()
                ctype = rec.http_headers.get_header("Content-Type") or ""
                if uri in feeds:
                    ed = feeds[uri]
                    try:
                        items = src.parse_feed(body, ed)
                    except ParseError as e:
                        summary.fail("error", uri, f"malformed feed in {path.name}: {e}")
                        continue
                    for it in items:
                        c = src.canonical(it.url)
                        if c and c[0] == ed and it.full_text:
                            yield Candidate(url=c[1], edition=ed, origin="warc", item=it, published=it.published)
                    continue
                c = src.canonical(uri)
                if c is None or c[0] not in editions:
                    continue
                yield Candidate(url=c[1], edition=c[0], origin="warc", body=body, content_type=ctype)
    except ArchiveLoadFailed as e:
        raise ValueError(f"{path}: not a readable WARC file ({str(e).splitlines()[0]})") from None
