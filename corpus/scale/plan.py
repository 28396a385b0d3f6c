"""The partition plan: computed once from the store's articles, written next to the output as JSON with a
hash, and refused on a rerun when it would differ (the shards already written belong to the old plan).

Partitions:

* ``segment`` and ``embed``: one per (source, edition, UTC publication day); articles without a
  publication time go to the day ``unknown``.
* ``pair``: one per source-edition day; it reads the target-edition articles of the window that day's
  items need (``PairConfig.before_hours`` before the day starts to ``after_hours`` after it ends, plus
  targets without a time) and, as competitors only, the source items of the neighbouring days whose
  windows reach those targets (so each candidate's features, margin included, are those of a
  whole-store pairing). It keeps the pairs of its own day's items; a target claimed by two days is
  settled in the reduce step (:func:`corpus.scale.stages.resolve_claims`).
* ``align`` (align + flag): ``buckets`` buckets of document pairs, a pair's bucket being a hash of its
  natural key (source URL, target URL); default 16.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..records import Article

PLAN_VERSION = 1
UNKNOWN_DAY = "unknown"


class PlanError(Exception):
    """A plan that cannot be used (it differs from the one already written for this output)."""


def utc_day(published: str) -> str:
    """The UTC calendar day (YYYY-MM-DD) of an ISO 8601 time; ``unknown`` when missing or unparseable
    (a time without a zone is read as UTC)."""
    t = _utc(published)
    return t.date().isoformat() if t is not None else UNKNOWN_DAY


def _utc(published: str) -> datetime | None:
    if not published:
        return None
    try:
        t = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(timezone.utc)


def bucket_of(src_url: str, tgt_url: str, buckets: int) -> int:
    """The align bucket of a document pair: sha1 of its natural key, modulo ``buckets``."""
    h = hashlib.sha1(f"{src_url}\x1f{tgt_url}".encode("utf-8")).hexdigest()
    return int(h[:12], 16) % buckets


def members_hash(articles: list[Article]) -> str:
    """Identity of a partition's content: its articles' URLs and content hashes, sorted."""
    h = hashlib.sha1()
    for url, ch in sorted((a.url, a.hash) for a in articles):
        h.update(f"{url}\x1f{ch}\x1e".encode("utf-8"))
    return h.hexdigest()[:16]


@dataclass
class Plan:
    """The partitions of one build. ``settings`` are what the results depend on (encoder, editions,
    pairing window, buckets, lexicon); ``hash`` covers everything else."""

    settings: dict
    segment: list[dict] = field(default_factory=list)  # {id, source, edition, day, n, members}
    pair: list[dict] = field(default_factory=list)  # {id, day, tgt_days}
    buckets: int = 16

    @property
    def align(self) -> list[dict]:
        width = len(str(self.buckets - 1))
        return [{"id": f"align-{b:0{width}d}", "bucket": b} for b in range(self.buckets)]

    def as_dict(self) -> dict:
        return {"version": PLAN_VERSION, "settings": self.settings, "buckets": self.buckets,
                "segment": self.segment, "pair": self.pair}

    @property
    def hash(self) -> str:
        text = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]

    def total(self) -> int:
        """Partitions of all stages (segment and embed count separately, plus the pair reduce)."""
        return 2 * len(self.segment) + len(self.pair) + 1 + self.buckets

    def write_or_check(self, out: Path) -> bool:
        """Write ``out/plan.json``; when one is there, check it is this plan. Returns True when the plan
        was already there. Raises :class:`PlanError` when it differs."""
        path = Path(out) / "plan.json"
        if path.exists():
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise PlanError(f"cannot read the plan {path}: {e}") from None
            if old.get("hash") != self.hash:
                raise PlanError(
                    f"the partition plan in {path} (hash {old.get('hash')}) differs from this run's ({self.hash}): "
                    "the articles or settings changed since its shards were written; use another shard folder "
                    "or remove that one")
            return True
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        # keys in their own order: a config's signature can depend on the order of its tables' keys
        tmp.write_text(json.dumps({**self.as_dict(), "hash": self.hash}, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
        return False


def partition_id(source: str, edition: str, day: str) -> str:
    return f"{source}-{edition}-{day}"


def make_plan(articles: list[Article], settings: dict, *, buckets: int = 16) -> Plan:
    """The plan for ``articles`` (the store's alignable articles). ``settings`` must hold ``source``,
    ``src_edition``, ``tgt_edition``, ``before_hours`` and ``after_hours``."""
    if buckets < 1:
        raise PlanError(f"buckets must be ≥ 1, got {buckets}")
    groups: dict[tuple[str, str, str], list[Article]] = {}
    for a in articles:
        groups.setdefault((a.source, a.edition, utc_day(a.published)), []).append(a)
    plan = Plan(settings=dict(settings), buckets=buckets)
    for (src, ed, day), arts in sorted(groups.items()):
        plan.segment.append({"id": partition_id(src, ed, day), "source": src, "edition": ed, "day": day,
                             "n": len(arts), "members": members_hash(arts)})
    s = settings
    tgt_days = sorted(d for (src, ed, d) in groups if src == s["source"] and ed == s["tgt_edition"])
    src_days = sorted(d for (src, ed, d) in groups if src == s["source"] and ed == s["src_edition"])
    reach = s["before_hours"] + s["after_hours"]
    for (src, ed, day) in sorted(groups):
        if src != s["source"] or ed != s["src_edition"]:
            continue
        plan.pair.append({"id": partition_id(src, ed, day), "day": day,
                          "tgt_days": window_days(day, tgt_days, s["before_hours"], s["after_hours"]),
                          "src_days": window_days(day, src_days, reach, reach)})
    return plan


def window_bounds(day: str, before_hours: float, after_hours: float) -> tuple[datetime, datetime] | None:
    """The span of target publication times a source day's items can pair with (None for ``unknown``)."""
    if day == UNKNOWN_DAY:
        return None
    d0 = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
    return d0 - timedelta(hours=before_hours), d0 + timedelta(days=1, hours=after_hours)


def window_days(day: str, days: list[str], before_hours: float, after_hours: float) -> list[str]:
    """The target days overlapping a source day's window (every day for ``unknown``; ``unknown`` always)."""
    b = window_bounds(day, before_hours, after_hours)
    if b is None:
        return list(days)
    lo, hi = b
    out = []
    for d in days:
        if d == UNKNOWN_DAY:
            out.append(d)
            continue
        d0 = datetime.fromisoformat(d).replace(tzinfo=timezone.utc)
        if d0 <= hi and d0 + timedelta(days=1) >= lo:
            out.append(d)
    return out


def in_window(art: Article, day: str, before_hours: float, after_hours: float) -> bool:
    """Whether a target article falls in a source day's window (unknown times always do)."""
    b = window_bounds(day, before_hours, after_hours)
    t = _utc(art.published)
    if b is None or t is None:
        return True
    return b[0] <= t <= b[1]
