"""Wayback Machine backfill: CDX index → archived captures of article pages.

Older history than the news sitemaps reach lives in the Internet Archive. The CDX index lists
captures of the edition's host for the date range (one per URL, HTTP 200, HTML); each capture is
fetched raw (``<timestamp>id_/<url>``: the original bytes, no archive toolbar) through the same
polite client. Captures under ~5 KB are bot-check stubs the archive recorded instead of the page, so
they are skipped without a request.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Iterator
from urllib.parse import urlencode

from .candidates import Candidate, FetchSummary
from .http import FetchError, HttpClient
from .base import Source

CDX = "https://web.archive.org/cdx/search/cdx"
MIN_CAPTURE_BYTES = 5000


def cdx_url(host: str, since: date | None, until: date | None, limit: int = 20000) -> str:
    q = {"url": f"{host}/", "matchType": "prefix", "output": "json",
         "fl": "timestamp,original,statuscode,mimetype,length", "filter": "statuscode:200",
         "collapse": "urlkey", "limit": str(limit)}
    if since:
        q["from"] = since.strftime("%Y%m%d")
    if until:
        q["to"] = until.strftime("%Y%m%d")
    return f"{CDX}?{urlencode(q)}"


def wayback_candidates(client: HttpClient, src: Source, edition: str, since: date | None, until: date | None,
                       summary: FetchSummary) -> Iterator[Candidate]:
    spec = src.editions[edition]
    url = cdx_url(spec.host, since, until)
    try:
        r = client.get(url, kind="feed")
    except FetchError as e:
        summary.fail(e.kind, url, f"Wayback CDX: {e.reason}")
        return
    try:
        rows = json.loads(r.body.decode("utf-8") or "[]")
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        summary.fail("error", url, f"Wayback CDX answer is not JSON: {e}")
        return
    if not rows:
        return
    head, *rows = rows
    idx = {name: i for i, name in enumerate(head)}
    for row in rows:
        try:
            ts, original = row[idx["timestamp"]], row[idx["original"]]
            length = int(row[idx["length"]]) if row[idx["length"]].isdigit() else 0
            mime = row[idx["mimetype"]] if "mimetype" in idx else "text/html"
        except (KeyError, IndexError):
            continue
        c = src.canonical(original)
        if c is None or c[0] != edition or "html" not in mime:
            continue
        if length and length < MIN_CAPTURE_BYTES:
            summary.add("wayback_stub")
            continue
        yield Candidate(url=c[1], edition=edition, origin="wayback",
                        published="", fetch_url=f"https://web.archive.org/web/{ts}id_/{original}")
