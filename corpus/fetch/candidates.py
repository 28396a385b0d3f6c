"""What fetch's discovery hands to its download loop (:class:`Candidate`) and what a run reports
(:class:`FetchSummary`). A module of its own so that the adapters (``warc``, ``wayback``) and the core
(``core``) import it, not each other."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ..parse import FeedItem


@dataclass
class Candidate:
    """An article URL to get, with what discovery already knows about it."""

    url: str  # canonical article URL (the store key)
    edition: str
    origin: str  # "rss", "sitemap+page", "listing+page", "wayback", "warc"
    item: FeedItem | None = None
    published: str = ""
    fetch_url: str | None = None  # where to fetch it when not ``url`` (a Wayback capture)
    body: bytes | None = None  # content already in hand (WARC record)
    content_type: str = ""
    encoding: str = ""  # for feed items with full text: the feed's encoding


@dataclass
class FetchSummary:
    """What a fetch run did: counts by outcome and every failure with its reason."""

    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (outcome, url, reason)
    requests: int = 0
    answered: int = 0  # requests (robots.txt aside) that got a usable answer
    tried: Callable[[str], str] = field(default=lambda u: u, repr=False, compare=False)  # canonical → URL asked

    def add(self, outcome: str, n: int = 1) -> None:
        self.counts[outcome] += n

    def fail(self, outcome: str, url: str, reason: str) -> None:
        self.counts[outcome] += 1
        self.failures.append((outcome, url, reason))

    @property
    def stored(self) -> int:
        return self.counts["new"] + self.counts["updated"]

    def line(self) -> str:
        order = ["new", "updated", "unchanged", "already", "lang_mismatch", "empty", "not_modified",
                 "out_of_range", "deferred", "bot_check", "robots", "not_found", "unreachable", "error"]
        keys = [k for k in order if self.counts.get(k)] + sorted(k for k in self.counts if k not in order)
        parts = ", ".join(f"{k}={self.counts[k]}" for k in keys) or "nothing to do"
        return f"fetch: {parts}; {self.requests} requests"

    def __str__(self) -> str:
        lines = [self.line()]
        if self.failures:
            lines.append(f"{len(self.failures)} failures:")
            by: Counter = Counter((o, r) for o, _, r in self.failures)
            for (o, r), n in by.most_common():
                example = next(u for oo, u, rr in self.failures if (oo, rr) == (o, r))
                lines.append(f"  {n:>4} × {o}: {r}  (e.g. {self.tried(example)})")
        return "\n".join(lines)

    def failed_outright(self) -> str:
        """"" unless the run stored nothing and no request got an answer (host down, DNS, a
        refused connection, every request failing); then one line naming the cause."""
        if self.stored or self.answered or not self.failures or any(
                self.counts.get(k) for k in ("already", "unchanged", "not_modified")):
            return ""
        by: Counter = Counter((o, r) for o, _, r in self.failures)
        (o, r), _ = by.most_common(1)[0]
        more = len(self.failures) - 1
        return f"nothing fetched: {o}: {r}" + (f" (and {more} more failures)" if more else "")

    def as_dict(self) -> dict:
        return {"counts": dict(self.counts), "failures": [list(f) for f in self.failures], "requests": self.requests}
