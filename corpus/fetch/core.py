"""``fetch()``: discover article URLs of a source's editions, fetch what is new, store each article.

Resumability: an article is written together with its done-mark (stage ``fetch``, key = canonical
URL) and its fetch-log entry in one transaction, so a run killed at any point loses nothing and a
re-run neither refetches a stored page nor duplicates a row (articles are upserted by URL). Feed
ETag/Last-Modified are recorded only after every item of the feed was handled, so an interrupted
run cannot be told "304 Not Modified" about items it never processed.

Failures never stop the run: each is counted by outcome and listed with its reason in the
:class:`FetchSummary`, and recorded in the store's fetch log (a failed URL is retried next run).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit

from ..parse import BotCheck, FeedItem, ParseError, article_from_feed_item, is_bot_check, now_iso
from ..progress import progress
from ..records import Article
from ..store import Store
from .base import Source
from .candidates import Candidate, FetchSummary
from .encoding import readings, xml_encoding
from .http import FetchConfig, FetchError, HttpClient, Transport
from .sitemaps import parse_sitemap
from .sources import get_source

STAGE = "fetch"


def _in_range(published: str, since: date | None, until: date | None) -> bool:
    """Inclusive date range on the publication's own calendar date ('' passes: unknown yet)."""
    if not published or (since is None and until is None):
        return True
    try:
        d = date.fromisoformat(published[:10])
    except ValueError:
        return True
    return (since is None or d >= since) and (until is None or d <= until)


def _as_date(v) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v))


def fetch(store: Store, *, source: str = "tass", edition: str = "all", since=None, until=None,
          base_url: str | None = None, warcs: Iterable[str | Path] = (), quiet: bool = False,
          max_items: int | None = None, wayback: bool = False, config: FetchConfig | None = None,
          transport: Transport | None = None, log: Callable[[str], None] | None = None) -> FetchSummary:
    """Fetch new articles of ``source``'s ``edition`` ("all" = every edition) into ``store``.

    Live by default; ``base_url`` maps every URL to ``<base_url>/<host>/<path>`` (a local fake site,
    or a ``file://`` mirror directory read by the same code path). ``since``/``until`` (dates, inclusive)
    add a backfill through news sitemaps (and the Wayback Machine with ``wayback=True``); ``warcs``
    imports WARC files instead of / besides the network. ``max_items`` caps article pages requested.
    """
    src = get_source(source)
    since, until = _as_date(since), _as_date(until)
    if edition == "all":
        editions = src.edition_names()
    elif edition in src.editions:
        editions = (edition,)
    else:
        raise ValueError(f"unknown edition {edition!r} of {source} (known: {', '.join(src.editions)}, all)")
    if base_url and "://" not in base_url:
        base_url = Path(base_url).resolve().as_uri()
    if config is None:
        config = FetchConfig.fast(timeout=20.0) if (base_url or "").startswith("file:") else FetchConfig()
    hosts = src.hosts(editions) | ({"web.archive.org"} if wayback else set())
    client = HttpClient(hosts, base_url=base_url, config=config, transport=transport, log=log)
    run = _Run(store, src, client, since, until, max_items, quiet, log or (lambda s: None))
    warcs = list(warcs)
    if not warcs or base_url or wayback:
        run.editions(editions, wayback=wayback)
    for w in warcs:
        from .warc import warc_candidates

        run.process(list(warc_candidates(w, src, editions, run.summary)), desc="warc")
    run.summary.requests = client.requests
    run.summary.answered = client.answered
    run.summary.tried = client.mapper.to_physical
    return run.summary


def load_mirror(store: Store, root: Path, *, source: str = "tass", quiet: bool = False) -> FetchSummary:
    """Load a site mirror directory laid out as ``<host>/<path>`` (e.g. corpus/sample/data)."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"mirror directory {root} does not exist")
    return fetch(store, source=source, base_url=root.resolve().as_uri(), quiet=quiet)


class _Run:
    def __init__(self, store: Store, src: Source, client: HttpClient, since, until, max_items, quiet, log):
        self.store, self.src, self.client = store, src, client
        self.since, self.until, self.quiet, self.log = since, until, quiet, log
        self.max_items = max_items
        self.pages = 0
        self.unfinished: dict[str, int] = {}  # edition → candidates failed or deferred in this run
        self.summary = FetchSummary()

    # ------------------------------------------------------------------ discovery
    def editions(self, editions: tuple[str, ...], *, wayback: bool = False) -> None:
        """Discover every edition's candidates, then fetch them together (one worker per host, so
        tass.ru and tass.com are fetched in parallel while each host sees one request at a time)."""
        cands: dict[str, Candidate] = {}
        marks: dict[str, list] = {}
        for ed in editions:
            found, marks[ed] = self.discover(ed, wayback=wayback)
            for c in found:
                cands.setdefault(c.url, c)
        self.process(list(cands.values()), desc=f"{self.src.name}/{'+'.join(editions)}")
        for ed in editions:
            if self.unfinished.get(ed, 0) == 0:
                # only now is every item of these feeds handled: a 304 next time cannot hide one
                # that failed or was deferred (those make the next run read the whole feed again)
                for url, r in marks[ed]:
                    self.store.log_fetch(url, "ok", http_status=r.status, etag=r.etag, last_modified=r.last_modified)

    def discover(self, ed: str, *, wayback: bool = False) -> tuple[list[Candidate], list]:
        spec = self.src.editions[ed]
        cands: dict[str, Candidate] = {}
        feed_marks: list[tuple[str, object]] = []
        ranged = self.since is not None or self.until is not None
        for feed_url in spec.feeds:
            for c in self._feed(feed_url, ed, conditional=not ranged, marks=feed_marks):
                cands.setdefault(c.url, c)
        for listing in spec.listings:
            for c in self._listing(listing, ed):
                cands.setdefault(c.url, c)
        if ranged:
            for c in self._sitemaps(spec, ed):
                cands.setdefault(c.url, c)
            if wayback:
                from .wayback import wayback_candidates

                for c in wayback_candidates(self.client, self.src, ed, self.since, self.until, self.summary):
                    cands.setdefault(c.url, c)
        return list(cands.values()), feed_marks

    def _get(self, url: str, kind: str, **kw):
        try:
            return self.client.get(url, kind=kind, **kw)
        except FetchError as e:
            self._failed(url, e.kind, e.reason, e.http_status)
            return None

    def _failed(self, url: str, kind: str, reason: str, http_status: int | None = None, *, note: bool = True) -> None:
        self.store.log_fetch(url, kind, http_status=http_status, reason=reason)
        self.summary.fail(kind, url, reason)
        if note and kind == "bot_check":
            self.client.note_bot_check(url)

    def _feed(self, url: str, ed: str, *, conditional: bool, marks: list) -> list[Candidate]:
        prev = self.store.fetch_entry(url) if conditional else None
        kw = {}
        if prev and prev.get("status") == "ok":
            kw = {"etag": prev.get("etag"), "last_modified": prev.get("last_modified")}
        r = self._get(url, "feed", **kw)
        if r is None:
            return []
        if r.status == 304:
            self.summary.add("not_modified")
            return []
        try:
            items = self.src.parse_feed(r.body, ed)
        except ParseError as e:
            self._failed(url, "error", f"malformed feed: {e}", r.status)
            return []
        damage = feed_damage(r.body)
        if damage:
            # items before the damage are real and kept; the feed is still reported, and its
            # validators are not kept, so the next run reads it whole again
            self._failed(url, "error", f"malformed feed ({len(items)} items recovered): {damage}", r.status)
        elif conditional:
            marks.append((url, r))
        out = []
        for it in items:
            c = self.src.canonical(it.url)
            if c is None or c[0] != ed:
                self.summary.add("not_article")
                continue
            if not _in_range(it.published, self.since, self.until):
                self.summary.add("out_of_range")
                continue
            out.append(Candidate(url=c[1], edition=ed, origin="rss", item=_with_url(it, c[1]), published=it.published,
                                 encoding=f"{xml_encoding(r.body)} (feed)" if it.full_text else ""))
        return out

    def _listing(self, url: str, ed: str) -> list[Candidate]:
        r = self._get(url, "page")
        if r is None or r.status == 304:
            return []
        return [Candidate(url=u, edition=ed, origin="listing+page", published=p)
                for u, p in self.src.listing_links(r.body, url, ed) if _in_range(p, self.since, self.until)]

    def _sitemaps(self, spec, ed: str) -> list[Candidate]:
        """Walk sitemaps newest first; stop once a whole sitemap is older than ``since``."""
        import re

        queue = list(spec.sitemaps)
        out: list[Candidate] = []
        seen: set[str] = set()
        while queue:
            sm = queue.pop(0)
            if sm in seen:
                continue
            seen.add(sm)
            try:
                r = self.client.get(sm, kind="feed")
            except FetchError as e:
                if e.kind == "not_found" and sm in spec.sitemaps:
                    break  # an enumerated sitemap_news{N} that does not exist: the archive ends here
                self._failed(sm, e.kind, e.reason, e.http_status)
                continue
            try:
                kind, entries = parse_sitemap(r.body)
            except ParseError as e:
                self._failed(sm, "error", f"malformed sitemap: {e}", r.status)
                continue
            if kind == "index":
                kids = [e.loc for e in entries if re.search(spec.sitemap_child, e.loc)]
                kids.sort(key=lambda u: int((re.findall(r"(\d+)\.xml$", u) or ["0"])[0]))
                kids = [self.src_url(k, sm) for k in kids]
                queue = [k for k in kids if k] + queue
                continue
            dated = [e.published for e in entries if e.published]
            for e in entries:
                c = self.src.canonical(e.loc)
                if c is None or c[0] != ed:
                    continue
                if not _in_range(e.published, self.since, self.until):
                    continue
                out.append(Candidate(url=c[1], edition=ed, origin="sitemap+page", published=e.published))
            if self.since is not None and dated and max(d[:10] for d in dated) < self.since.isoformat():
                break  # this sitemap is entirely older than the range; the next ones are older still
        return out

    def src_url(self, loc: str, parent: str) -> str | None:
        """A sitemap URL listed in an index, kept only when it is on the same host as the index."""
        from urllib.parse import urlsplit

        return loc if urlsplit(loc).hostname == urlsplit(parent).hostname else None

    # ------------------------------------------------------------------ per-article work
    def process(self, cands: list[Candidate], *, desc: str) -> None:
        """Cheap decisions in this thread; network + parsing in one worker thread per host; every
        store write back in this thread (SQLite connections are per-thread; one writer is simplest)."""
        net: list[Candidate] = []
        for c in cands:
            if c.item is not None and c.item.full_text:
                try:
                    art = article_from_feed_item(c.item, origin=c.origin)
                    self._finish(c, ("ok", replace(art, encoding=c.encoding or art.encoding), None, (None, None)))
                except ParseError as e:
                    self._finish(c, ("fail", "error", str(e), None))
            elif c.body is not None:
                self._finish(c, self._parse(c, c.body, 200, c.content_type, (None, None)))
            elif self.store.is_done(STAGE, c.url):
                self.summary.add("already")
            elif self.max_items is not None and self.pages >= self.max_items:
                self.summary.add("deferred")
                self.unfinished[c.edition] = self.unfinished.get(c.edition, 0) + 1
            else:
                self.pages += 1
                net.append(c)
        if not net:
            return
        by_host: dict[str, list[Candidate]] = {}
        for c in net:
            by_host.setdefault((urlsplit(c.fetch_url or c.url).hostname or ""), []).append(c)
        results: queue.Queue = queue.Queue()

        def worker(items: list[Candidate]) -> None:
            try:
                for c in items:
                    results.put((c, self._download(c)))
            finally:
                results.put(None)

        threads = [threading.Thread(target=worker, args=(items,), daemon=True) for items in by_host.values()]
        for t in threads:
            t.start()

        def finished():
            running = len(threads)
            while running:
                got = results.get()
                if got is None:
                    running -= 1
                    continue
                yield got

        for c, outcome in progress(finished(), desc=desc, total=len(net), quiet=self.quiet):
            self._finish(c, outcome)
        for t in threads:
            t.join()

    def _download(self, c: Candidate):
        """Worker side: fetch + parse one candidate; returns an outcome tuple (never raises)."""
        try:
            r = self.client.get(c.fetch_url or c.url, kind="page")
        except FetchError as e:
            if e.kind == "bot_check":
                self.client.note_bot_check(c.url)
            return ("fail", e.kind, e.reason, e.http_status)
        except Exception as e:  # a bug must not kill the worker and hang the run
            return ("fail", "error", f"{type(e).__name__}: {e}", None)
        return self._parse(c, r.body, r.status, r.content_type, (r.etag, r.last_modified))

    def _parse(self, c: Candidate, body: bytes, http_status: int, ctype: str, validators):
        """Parse a page, reading its bytes as each plausible encoding in turn (:mod:`.encoding`)
        until one gives an article in the edition's language; the encoding used is kept with it.
        When none does, the first reading is kept with its language-mismatch reason."""
        if is_bot_check(body, http_status):
            self.client.note_bot_check(c.url)
            return ("fail", "bot_check", f"bot-check page ({len(body)} bytes)"
                    + (f", HTTP {http_status}" if http_status else ""), http_status)
        first = None
        tried: list[str] = []
        for label, text in readings(body, ctype):
            page = body if label == "utf-8" else text.encode("utf-8")
            try:
                art = self.src.parse_page(page, c.url, c.edition, item=c.item, origin=c.origin,
                                          content_type="text/html; charset=utf-8", http_status=http_status)
            except BotCheck as e:
                self.client.note_bot_check(c.url)
                return ("fail", "bot_check", str(e), http_status)
            except ParseError as e:
                return ("fail", "error", f"parse: {e}", http_status)
            except Exception as e:
                return ("fail", "error", f"parse: {type(e).__name__}: {e}", http_status)
            art = replace(art, encoding=label)
            if art.status != "lang_mismatch":
                break
            tried.append(label)
            first = first or art
        else:
            art = replace(first, status_reason=f"{first.status_reason} (read as: {'; '.join(tried)})")
        self.client.note_ok(c.url)
        return ("ok", art, http_status, validators)

    def _finish(self, c: Candidate, outcome) -> None:
        if outcome[0] == "fail":
            _, kind, reason, http_status = outcome
            self._failed(c.fetch_url or c.url, kind, reason, http_status, note=False)
            self.unfinished[c.edition] = self.unfinished.get(c.edition, 0) + 1
            return
        _, art, http_status, validators = outcome
        if art.published and not _in_range(art.published, self.since, self.until):
            self.summary.add("out_of_range")
            return
        self._store(c, art, http_status=http_status, validators=validators)

    def _store(self, c: Candidate, art: Article, http_status: int | None = None,
               validators: tuple[str | None, str | None] = (None, None)) -> None:
        """Article + done-mark + fetch-log entry: one transaction (the resumability unit)."""
        with self.store.transaction():
            existed = self.store.article_by_url(art.url) is not None
            _, changed = self.store.upsert_article(art)
            self.store.mark_done(STAGE, c.url, {"origin": c.origin, "status": art.status})
            self.store.log_fetch(c.url, "ok" if art.status == "ok" else art.status, http_status=http_status,
                                 reason=art.status_reason, etag=validators[0], last_modified=validators[1])
        self.summary.add("new" if not existed else ("updated" if changed else "unchanged"))
        if art.status != "ok":
            self.summary.failures.append((art.status, art.url, art.status_reason))
            self.summary.add(art.status)


def feed_damage(body: bytes) -> str:
    """Why feedparser found ``body`` malformed (its ``bozo`` flag), or "" for a well-formed feed.
    A declared encoding that feedparser had to override is not damage (the text is read right)."""
    import feedparser

    d = feedparser.parse(body)
    exc = d.get("bozo_exception")
    if not d.get("bozo") or isinstance(exc, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        return ""
    return (str(exc) or type(exc).__name__).replace("\n", " ")[:200]


def _with_url(item: FeedItem, url: str) -> FeedItem:
    from dataclasses import replace

    return item if item.url == url else replace(item, url=url)


__all__ = ["fetch", "load_mirror", "FetchSummary", "Candidate", "now_iso"]
