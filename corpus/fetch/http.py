"""A polite HTTP client with a pluggable transport.

Why it is built this way:

* **Politeness is not optional.** robots.txt is obeyed (RFC 9309 matching with ``*``/``$``
  wildcards, which :mod:`urllib.robotparser` does not support — tass.ru disallows ``*/api/*``), any
  ``/api/`` path is refused outright, each host gets a minimum interval between requests (and its
  ``Crawl-delay`` if longer), each host is fetched by one worker thread, one request at a time
  (``corpus.fetch.core``: a concurrency cap of 1 per host; hosts run in parallel), the User-Agent names the project and a contact URL, and 429/5xx answers back off
  exponentially with jitter, honouring ``Retry-After``.
* **Only the source's hosts.** A URL on another host is refused (links elsewhere are never
  followed), including redirect targets; redirect loops are detected.
* **Pluggable transport.** The canonical URL (``https://tass.com/politics/1104501``) is mapped to a
  physical one by :class:`UrlMapper`: with a base URL ``http://127.0.0.1:8123`` it becomes
  ``http://127.0.0.1:8123/tass.com/politics/1104501`` (tests' fake site); with ``file:///…/data``
  it is read from the mirror directory ``data/tass.com/politics/1104501.html``
  (:class:`FileTransport`). Everything above the transport — robots, retries, parsing, the store —
  runs the same code path online, against the fake site and offline.
"""

from __future__ import annotations

import functools
import http.client
import random
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from .. import __version__

import os

# Who to contact about our crawler: set TASSCORPUS_CONTACT (or --contact) to the project's real page.
DEFAULT_CONTACT = "https://github.com/tasscorpus/tasscorpus"


@dataclass
class FetchConfig:
    """Everything that governs how politely and how patiently we fetch."""

    contact: str = field(default_factory=lambda: os.environ.get("TASSCORPUS_CONTACT", DEFAULT_CONTACT))
    user_agent: str = ""  # default: tasscorpus/<version> (+contact; research corpus builder)
    # tass.com's RSS answers only ordinary browsers: for URLs starting with one of these prefixes we
    # send ``browser_user_agent`` and an XML Accept header. Explicit and configurable on purpose.
    browser_ua_prefixes: tuple[str, ...] = ("https://tass.com/rss/",)
    browser_user_agent: str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    feed_accept: str = "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
    page_accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
    min_interval: float = 2.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds, per read (connect, each chunk of the body)
    deadline: float = 60.0  # seconds, a whole response (a body that trickles in is cut off here)
    retries: int = 4  # extra attempts after a 429/5xx/timeout/truncated body
    backoff: float = 2.0  # first backoff (s); doubles per attempt, ± jitter
    max_backoff: float = 120.0
    max_retry_after: float = 300.0  # a longer Retry-After gives up on that URL for this run
    max_bytes: int = 8_000_000  # body size cap
    max_redirects: int = 5
    obey_robots: bool = True
    bot_check_breaker: int = 3  # consecutive bot-check answers from a host → stop asking it this run

    def agent(self) -> str:
        return self.user_agent or f"tasscorpus/{__version__} (+{self.contact}; research corpus builder)"

    @classmethod
    def fast(cls, **kw) -> "FetchConfig":
        """Near-zero delays: for local mirrors and tests."""
        base = dict(min_interval=0.0, timeout=0.3, deadline=5.0, retries=2, backoff=0.01, max_backoff=0.05,
                    max_retry_after=2.0)
        base.update(kw)
        return cls(**base)


# ---------------------------------------------------------------------------- errors and responses
class FetchError(Exception):
    """A URL that could not be fetched; ``reason`` is one line for the summary."""

    def __init__(self, reason: str, *, http_status: int | None = None, kind: str = "error"):
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.kind = kind  # "error", "unreachable", "robots", "offsite", "bot_check", "not_found"


class TransientError(Exception):
    """A transport failure worth retrying (timeout, reset, truncated body). ``unreachable``: no
    answer came at all (connection refused, DNS failure, connect timeout), as opposed to a broken one."""

    def __init__(self, reason: str, *, unreachable: bool = False):
        super().__init__(reason)
        self.unreachable = unreachable


def network_reason(e: BaseException) -> tuple[str, bool]:
    """(one-line cause, unreachable?) of a network exception, in a user's words: "connection
    refused", "DNS lookup failed", "timed out", ..., with the system's own message after it."""
    reason = getattr(e, "reason", e)
    if isinstance(reason, str):
        return reason, False
    msg = str(getattr(reason, "strerror", None) or reason) or type(reason).__name__
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused", True
    if isinstance(reason, socket.gaierror):
        return f"DNS lookup failed ({msg})", True
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "timed out (no answer within the per-read timeout)", True
    if isinstance(reason, OSError) and reason.errno in (101, 113):  # ENETUNREACH, EHOSTUNREACH
        return f"network unreachable ({msg})", True
    return f"{type(reason).__name__}: {msg}", False


@dataclass
class Response:
    url: str  # canonical URL finally answered (after redirects)
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class Transport(Protocol):
    def request(self, url: str, headers: dict[str, str], *, timeout: float, max_bytes: int,
                deadline: float | None = None) -> Response: ...


# ---------------------------------------------------------------------------- URL mapping
class UrlMapper:
    """Canonical URLs ↔ physical URLs under a base URL (``None``: the canonical URL itself)."""

    def __init__(self, base_url: str | None = None):
        self.base = base_url.rstrip("/") if base_url else None

    def to_physical(self, url: str) -> str:
        if not self.base:
            return url
        p = urlsplit(url)
        return f"{self.base}/{p.netloc}{p.path or '/'}" + (f"?{p.query}" if p.query else "")

    def to_canonical(self, physical: str, scheme: str = "https") -> str:
        if not self.base:
            return physical
        if physical.startswith(self.base + "/"):
            rest = physical[len(self.base) + 1:]
            return f"{scheme}://{rest}"
        return physical


# ---------------------------------------------------------------------------- transports
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):  # redirects are followed (and checked) by HttpClient
        return None


class _Watch:
    """A request's overall deadline: when it passes, the connection is shut down, which ends any
    read still waiting (a server that trickles its headers or body never hits the per-read timeout)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.t_end = None if seconds is None else time.monotonic() + seconds
        self.expired = False
        self._timer: threading.Timer | None = None

    def arm(self, sock) -> None:
        if self.t_end is None:
            return

        def cut() -> None:
            self.expired = True
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        self._timer = threading.Timer(max(0.0, self.t_end - time.monotonic()), cut)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def error(self, got: int) -> "TransientError":
        return TransientError(f"response not complete within the {self.seconds:g}s deadline ({got} bytes received)")


class _Watched:
    """Arms the response deadline's watchdog on the socket as soon as the connection is made."""

    def __init__(self, *a, watch: _Watch | None = None, **kw):
        super().__init__(*a, **kw)
        self._watch = watch

    def connect(self):
        super().connect()
        if self._watch is not None:
            self._watch.arm(self.sock)


class _WatchedHTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(functools.partial(_WatchedHTTPConnection, watch=getattr(req, "watch", None)), req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        kw = {"context": self._context}
        if hasattr(self, "_check_hostname"):  # Python < 3.12
            kw["check_hostname"] = self._check_hostname
        return self.do_open(functools.partial(_WatchedHTTPSConnection, watch=getattr(req, "watch", None)), req, **kw)


class UrllibTransport:
    """HTTP(S) with the standard library: no redirects followed, gzip, size cap, truncation check,
    a per-read timeout and an overall deadline per response."""

    def __init__(self):
        self.opener = urllib.request.build_opener(_NoRedirect, _WatchedHTTPHandler, _WatchedHTTPSHandler)

    def request(self, url: str, headers: dict[str, str], *, timeout: float, max_bytes: int,
                deadline: float | None = None) -> Response:
        """``timeout`` bounds each read (and connecting); ``deadline`` (seconds) the whole response,
        headers and body: when it passes the connection is cut, however slowly bytes still arrive."""
        watch = _Watch(deadline)
        req = urllib.request.Request(url, headers={**headers, "Accept-Encoding": "gzip"})
        req.watch = watch
        got = 0
        try:
            try:
                resp = self.opener.open(req, timeout=timeout)
            except urllib.error.HTTPError as e:  # 3xx/4xx/5xx still carry headers and a body
                resp = e
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError,
                    http.client.HTTPException) as e:
                if watch.expired:
                    raise watch.error(0) from None
                reason, unreachable = network_reason(e)
                raise TransientError(reason, unreachable=unreachable) from None
            try:
                hdrs = {k.lower(): v for k, v in resp.headers.items()}
                chunks: list[bytes] = []
                read = getattr(resp, "read1", None) or resp.read  # read1: what has arrived, not a full buffer
                try:
                    while got <= max_bytes:
                        if watch.expired:
                            raise watch.error(got)
                        chunk = read(min(65536, max_bytes + 1 - got))
                        if not chunk:
                            break
                        chunks.append(chunk)
                        got += len(chunk)
                except http.client.IncompleteRead as e:
                    raise TransientError(f"truncated body ({got + len(e.partial)} bytes received)") from None
                except (socket.timeout, TimeoutError, ConnectionError, http.client.HTTPException, OSError) as e:
                    if watch.expired:
                        raise watch.error(got) from None
                    raise TransientError(f"read failed: {network_reason(e)[0]}") from None
                if watch.expired:
                    raise watch.error(got)
                raw = b"".join(chunks)
            finally:
                resp.close()
        finally:
            watch.cancel()
        if len(raw) > max_bytes:
            raise FetchError(f"body larger than the {max_bytes}-byte cap", http_status=resp.status)
        cl = hdrs.get("content-length")
        if cl and cl.isdigit() and len(raw) < int(cl):
            raise TransientError(f"truncated body ({len(raw)} of {cl} bytes)")
        if hdrs.get("content-encoding", "").lower() == "gzip":
            try:
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                raw = d.decompress(raw, max_bytes + 1)
            except zlib.error as e:
                raise TransientError(f"corrupt gzip body: {e}") from None
            if len(raw) > max_bytes:
                raise FetchError(f"body larger than the {max_bytes}-byte cap", http_status=resp.status)
        return Response(url=url, status=int(resp.status), headers=hdrs, body=raw)


class FileTransport:
    """Reads a site mirror laid out as ``<root>/<host>/<path>`` (``.html`` suffix for pages)."""

    def request(self, url: str, headers: dict[str, str], *, timeout: float, max_bytes: int,
                deadline: float | None = None) -> Response:
        p = urlsplit(url)
        path = Path(unquote(p.path))
        for cand in (path, path.with_name(path.name + ".html"), path / "index.html"):
            if cand.is_file():
                size = cand.stat().st_size
                if size > max_bytes:
                    raise FetchError(f"body larger than the {max_bytes}-byte cap", http_status=200)
                ctype = {".xml": "application/xml", ".txt": "text/plain"}.get(cand.suffix, "text/html")
                return Response(url=url, status=200, headers={"content-type": ctype}, body=cand.read_bytes())
        return Response(url=url, status=404, headers={}, body=b"")


# ---------------------------------------------------------------------------- robots.txt
@dataclass
class RobotsRules:
    """RFC 9309 rules of one host for our agent: longest match wins, Allow wins ties."""

    rules: list[tuple[bool, re.Pattern, int]] = field(default_factory=list)  # (allow, pattern, length)
    crawl_delay: float | None = None
    allow_all: bool = False
    disallow_all: bool = False
    unavailable: "FetchError | None" = None  # robots.txt could not be read: why (not a rule)

    @classmethod
    def parse(cls, text: str, agent: str) -> "RobotsRules":
        token = agent.split("/")[0].lower()
        groups: list[tuple[list[str], list[tuple[str, str]]]] = []
        agents: list[str] = []
        lines: list[tuple[str, str]] = []
        last_was_agent = False
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if ":" not in line:
                continue
            k, v = (x.strip() for x in line.split(":", 1))
            k = k.lower()
            if k == "user-agent":
                if not last_was_agent:
                    agents, lines = [], []
                    groups.append((agents, lines))
                agents.append(v.lower())
                last_was_agent = True
            elif k in ("allow", "disallow", "crawl-delay"):
                last_was_agent = False
                if groups:
                    lines.append((k, v))
        mine = [g for g in groups if any(a != "*" and a in token for a in g[0])]
        if not mine:
            mine = [g for g in groups if "*" in g[0]]
        rr = cls()
        for _, ls in mine:
            for k, v in ls:
                if k == "crawl-delay":
                    try:
                        rr.crawl_delay = float(v)
                    except ValueError:
                        pass
                elif v:
                    rr.rules.append((k == "allow", _robots_pattern(v), len(v)))
        return rr

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.allow_all:
            return True
        p = urlsplit(url)
        path = (p.path or "/") + (f"?{p.query}" if p.query else "")
        best: tuple[int, bool] | None = None
        for allow, pat, n in self.rules:
            if pat.match(path):
                if best is None or n > best[0] or (n == best[0] and allow):
                    best = (n, allow)
        return True if best is None else best[1]


def _robots_pattern(v: str) -> re.Pattern:
    anchored = v.endswith("$")
    body = v[:-1] if anchored else v
    rx = ".*".join(re.escape(part) for part in body.split("*"))
    return re.compile(rx + ("$" if anchored else ""))


# ---------------------------------------------------------------------------- the client
class HttpClient:
    """Fetches canonical URLs of a fixed set of hosts, politely; see the module docstring."""

    def __init__(self, hosts: set[str], *, base_url: str | None = None, config: FetchConfig | None = None,
                 transport: Transport | None = None, sleep: Callable[[float], None] = time.sleep,
                 log: Callable[[str], None] | None = None):
        self.hosts = {h.lower() for h in hosts}
        self.config = config or FetchConfig()
        self.mapper = UrlMapper(base_url)
        if transport is None:
            transport = FileTransport() if base_url and base_url.startswith("file:") else UrllibTransport()
        self.transport = transport
        self.sleep = sleep
        self.log = log or (lambda s: None)
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._bot_checks: dict[str, int] = {}
        self._lock = threading.Lock()
        self.requests = 0
        self.answered = 0  # requests other than robots.txt that got a usable answer (2xx, 304)

    # -- policy
    def check_allowed(self, url: str) -> None:
        p = urlsplit(url)
        host = (p.hostname or "").lower()
        if p.scheme not in ("http", "https") or host not in self.hosts:
            raise FetchError(f"off-site URL not followed: {url}", kind="offsite")
        if "/api/" in (p.path or "") + "/":
            raise FetchError("API paths are off-limits", kind="robots")
        if self.config.obey_robots:
            rules = self.robots(p.scheme, host)
            if rules.unavailable is not None:
                e = rules.unavailable
                raise FetchError(e.reason, http_status=e.http_status, kind=e.kind)
            if not rules.allowed(url):
                raise FetchError("disallowed by robots.txt", kind="robots")
        if self._bot_checks.get(host, 0) >= self.config.bot_check_breaker > 0:
            raise FetchError(f"{host} answers with bot checks; not asked again this run", kind="bot_check")

    def robots(self, scheme: str, host: str) -> RobotsRules:
        if host not in self._robots:
            url = f"{scheme}://{host}/robots.txt"
            try:
                hdrs = {**self.headers_for(url, "robots"), "Accept": "text/plain"}
                r = self._request(url, hdrs)
                for _ in range(self.config.max_redirects):  # RFC 9309: follow a few redirects
                    if r.status not in (301, 302, 303, 307, 308) or not r.headers.get("location"):
                        break
                    nxt = self.mapper.to_canonical(urljoin(self.mapper.to_physical(url), r.headers["location"]))
                    if (urlsplit(nxt).hostname or "").lower() not in self.hosts:
                        break
                    url = nxt
                    r = self._request(url, hdrs)
            except FetchError as e:
                # robots.txt that cannot be fetched (network, 5xx): RFC 9309 says do not crawl the
                # host, but that is no robots.txt rule: every URL of the host fails with this cause
                why = e.reason if e.kind == "unreachable" else f"robots.txt unavailable: {e.reason}"
                self.log(f"{host}: {why}; not crawling it this run")
                self._robots[host] = RobotsRules(disallow_all=True, unavailable=FetchError(
                    why, http_status=e.http_status, kind="unreachable" if e.kind == "unreachable" else "error"))
                return self._robots[host]
            if r.status == 200:
                rules = RobotsRules.parse(r.body.decode("utf-8", "replace"), self.config.agent())
            elif 400 <= r.status < 500:
                rules = RobotsRules(allow_all=True)  # no robots.txt: no restrictions
            else:
                rules = RobotsRules(disallow_all=True, unavailable=FetchError(
                    f"robots.txt unavailable: HTTP {r.status} at {self.mapper.to_physical(url)}", http_status=r.status))
            self._robots[host] = rules
        return self._robots[host]

    def note_bot_check(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        self._bot_checks[host] = self._bot_checks.get(host, 0) + 1

    def note_ok(self, url: str) -> None:
        self._bot_checks[(urlsplit(url).hostname or "").lower()] = 0

    def headers_for(self, url: str, kind: str) -> dict[str, str]:
        c = self.config
        if any(url.startswith(p) for p in c.browser_ua_prefixes):
            return {"User-Agent": c.browser_user_agent, "Accept": c.feed_accept}
        return {"User-Agent": c.agent(), "Accept": c.feed_accept if kind == "feed" else c.page_accept}

    # -- fetching
    def get(self, url: str, *, kind: str = "page", etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET a canonical URL following same-site redirects. A 304 comes back as a Response with
        status 304; other non-2xx finals raise :class:`FetchError` (403 → kind "bot_check")."""
        seen: list[str] = []
        cur = url
        while True:
            self.check_allowed(cur)
            if cur in seen:
                raise FetchError(f"redirect loop: {' → '.join(seen + [cur])}"[:300], kind="error")
            if len(seen) > self.config.max_redirects:
                raise FetchError(f"more than {self.config.max_redirects} redirects", kind="error")
            seen.append(cur)
            h = self.headers_for(cur, kind)
            if etag:
                h["If-None-Match"] = etag
            if last_modified:
                h["If-Modified-Since"] = last_modified
            r = self._request(cur, h)
            if r.status in (301, 302, 303, 307, 308) and r.headers.get("location"):
                phys = urljoin(self.mapper.to_physical(cur), r.headers["location"])
                cur = self.mapper.to_canonical(phys, scheme=urlsplit(cur).scheme)
                etag = last_modified = None
                continue
            r.url = cur
            if r.status == 304 or 200 <= r.status < 300:
                with self._lock:
                    self.answered += 1
                return r
            if r.status in (401, 403):
                raise FetchError(f"HTTP {r.status} (bot check / access denied)", http_status=r.status, kind="bot_check")
            if r.status in (404, 410):
                raise FetchError(f"HTTP {r.status}", http_status=r.status, kind="not_found")
            raise FetchError(f"HTTP {r.status}", http_status=r.status)

    def _wait_turn(self, host: str) -> None:
        """Reserve this host's next request slot (thread-safe), then sleep until it comes."""
        interval = self.config.min_interval
        rules = self._robots.get(host)
        if rules is not None and rules.crawl_delay:
            interval = max(interval, min(rules.crawl_delay, 60.0))
        with self._lock:
            now = time.monotonic()
            last = self._last.get(host)
            slot = now if last is None else max(now, last + interval)
            self._last[host] = slot
            self.requests += 1
        if slot > now:
            self.sleep(slot - now)

    def _request(self, url: str, headers: dict[str, str]) -> Response:
        """One URL, with retries on 429/5xx/transient failures (exponential backoff + jitter,
        ``Retry-After`` honoured up to ``max_retry_after``)."""
        c = self.config
        host = (urlsplit(url).hostname or "").lower()
        phys = self.mapper.to_physical(url)
        attempt = 0
        while True:
            self._wait_turn(host)
            try:
                r = self.transport.request(phys, headers, timeout=c.timeout, max_bytes=c.max_bytes,
                                           deadline=c.deadline)
                problem = None if not (r.status == 429 or 500 <= r.status < 600) else f"HTTP {r.status}"
                unreachable = False
            except TransientError as e:
                r, problem, unreachable = None, str(e), e.unreachable
            if problem is None:
                return r
            if attempt >= (min(1, c.retries) if unreachable else c.retries):  # no answer at all: one retry
                raise FetchError(f"{problem} (gave up after {attempt + 1} attempts) at {phys}",
                                 http_status=r.status if r is not None else None,
                                 kind="unreachable" if unreachable else "error")
            delay = min(c.max_backoff, c.backoff * (2 ** attempt)) * random.uniform(0.5, 1.5)
            ra = _retry_after(r.headers.get("retry-after")) if r is not None else None
            if ra is not None:
                if ra > c.max_retry_after:
                    raise FetchError(f"{problem} with Retry-After {ra:.0f}s (over the {c.max_retry_after:.0f}s limit)",
                                     http_status=r.status)
                delay = max(delay, ra)
            self.log(f"{phys}: {problem}; retrying in {delay:.2f}s")
            self.sleep(delay)
            attempt += 1


def _retry_after(v: str | None) -> float | None:
    if not v:
        return None
    v = v.strip()
    if v.isdigit():
        return float(v)
    try:
        return max(0.0, parsedate_to_datetime(v).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


__all__ = [
    "FetchConfig", "FetchError", "TransientError", "network_reason", "Response", "Transport", "UrlMapper", "UrllibTransport",
    "FileTransport", "RobotsRules", "HttpClient",
]
