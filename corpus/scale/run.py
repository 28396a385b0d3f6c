"""The driver of a build by partition: plan, then segment → embed → pair (+ reduce) → align+flag, each
stage's units run by an executor, then (optionally) the shards merged into the store.

Only the driver opens the SQLite store (read-only until the merge); workers read their inputs from the
unit they are given and from shards, and write shards. A rerun skips every partition whose shard
exists, so a run killed at any point resumes where it stopped, and a finished run reruns as a no-op.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..progress import progress
from .executor import Executor
from .plan import bucket_of, in_window, make_plan, partition_id, utc_day
from .shards import done_ids, read_shard, shard_path, write_shard
from .stages import resolve_claims

ENV_CRASH_AFTER = "TASSCORPUS_SCALE_CRASH_AFTER"  # test hook: see corpus.scale.stages.Worker
ENV_UNIT_DELAY = "TASSCORPUS_SCALE_UNIT_DELAY"  # test hook: seconds slept per unit
ENV_SETUP = "TASSCORPUS_SCALE_SETUP"  # module:function every worker runs once (e.g. registering an encoder)


@dataclass
class ScaleReport:
    plan_hash: str = ""
    total: int = 0  # partitions of all stages
    done: int = 0  # partitions computed by this run
    skipped: int = 0  # partitions whose shard was already there
    stages: dict = field(default_factory=dict)  # stage -> {done, skipped, seconds, rows}
    peak_rss_mb: dict = field(default_factory=dict)  # worker pid -> peak resident memory (MB)
    merged: dict | None = None

    def line(self) -> str:
        per = ", ".join(f"{k} {v['done']}+{v['skipped']} skipped {v['seconds']:.1f}s" for k, v in self.stages.items())
        return f"partitions {self.done + self.skipped}/{self.total} ({self.skipped} already done): {per}"


def worker_settings(root: Path, cfg, setup: str | None) -> dict:
    s = {"root": str(Path(root).resolve()), "config": cfg.to_dict(),
         "setup": setup or os.environ.get(ENV_SETUP) or None}
    if os.environ.get(ENV_CRASH_AFTER):
        s["crash_after"] = int(os.environ[ENV_CRASH_AFTER])
    if os.environ.get(ENV_UNIT_DELAY):
        s["unit_delay"] = float(os.environ[ENV_UNIT_DELAY])
    return s


def build(store, root: Path, executor: Executor, cfg=None, *, buckets: int = 16, quiet: bool = False,
          log: Callable[[str], None] | None = None, shuffle_seed: int | None = None, setup: str | None = None,
          merge: bool = True) -> ScaleReport:
    """Build the store's corpus with ``cfg`` (a :class:`corpus.config.RunConfig`, default the defaults) by
    partition into shards under ``root``; with ``merge``, upsert them into ``store`` (which must then be
    writable). ``shuffle_seed`` runs each stage's partitions in a shuffled order (the output does not
    depend on it); ``setup`` is a ``module:function`` hook every worker runs once. Raises
    :class:`corpus.scale.plan.PlanError` when ``root`` holds another plan."""
    from ..config import RunConfig
    from . import shards as _shards

    cfg = cfg or RunConfig()
    pc = cfg.pairing
    source, src_edition, tgt_edition = cfg.source, cfg.src_edition, cfg.tgt_edition
    root = Path(root)
    arts = store.articles(status="ok")
    settings = {"source": source, "src_edition": src_edition, "tgt_edition": tgt_edition,
                "before_hours": pc.before_hours, "after_hours": pc.after_hours,
                "stages": cfg.signature().hashes(), "config": cfg.to_dict()}
    plan = make_plan(arts, settings, buckets=buckets)
    plan.write_or_check(root)
    rep = ScaleReport(plan_hash=plan.hash, total=plan.total())
    executor.start(worker_settings(root, cfg, setup))
    rng = random.Random(shuffle_seed) if shuffle_seed is not None else None
    by_part: dict[str, list] = {}
    for a in arts:
        by_part.setdefault(partition_id(a.source, a.edition, utc_day(a.published)), []).append(a)
    langs = {a.url: a.lang for a in arts}

    def stage(name: str, units: list[dict], all_ids: list[str]) -> None:
        t0 = time.perf_counter()
        have = done_ids(root, name)
        todo = [u for u in units if u["id"] not in have]
        st = rep.stages.setdefault(name, {"done": 0, "skipped": 0, "seconds": 0.0, "rows": 0})
        st["skipped"] += len(all_ids) - len(todo)
        if rng is not None:
            rng.shuffle(todo)
        for res in progress(executor.map(todo), desc=name, total=len(todo), quiet=quiet or not todo):
            st["skipped" if res["skipped"] else "done"] += 1
            st["rows"] += res["rows"]
            rep.peak_rss_mb[str(res["pid"])] = max(rep.peak_rss_mb.get(str(res["pid"]), 0.0), res["peak_rss_mb"])
        st["seconds"] += time.perf_counter() - t0
        if log:
            log(f"{name:<8} partitions {st['done']} done, {st['skipped']} already done, {st['seconds']:.1f}s")

    seg_ids = [p["id"] for p in plan.segment]
    stage("segment", [{"stage": "segment", "id": p["id"], "articles": by_part[p["id"]]} for p in plan.segment], seg_ids)
    ed_lang = {p["id"]: by_part[p["id"]][0].lang for p in plan.segment}
    stage("embed", [{"stage": "embed", "id": p["id"], "lang": ed_lang[p["id"]]} for p in plan.segment], seg_ids)
    units = []
    for p in plan.pair:
        tgt = [a for d in p["tgt_days"] for a in by_part.get(partition_id(source, tgt_edition, d), [])
               if in_window(a, p["day"], pc.before_hours, pc.after_hours)]
        reach = pc.before_hours + pc.after_hours
        ctx = [a for d in p["src_days"] for a in by_part.get(partition_id(source, src_edition, d), [])
               if in_window(a, p["day"], reach, reach)]
        units.append({"stage": "pair", "id": p["id"], "src": ctx, "tgt": tgt,
                      "own": sorted(a.url for a in by_part[p["id"]])})
    stage("pair", units, [p["id"] for p in plan.pair])

    t0 = time.perf_counter()
    reduced = shard_path(root, "pair")
    red = rep.stages.setdefault("reduce", {"done": 0, "skipped": 0, "seconds": 0.0, "rows": 0})
    if reduced.exists():
        red["skipped"] = 1
    else:
        rows = [r for p in plan.pair for r in read_shard(shard_path(root, "pair", p["id"]))]
        pairs = resolve_claims(rows)
        write_shard(reduced, "pair", pairs)
        red.update(done=1, rows=len(pairs))
    red["seconds"] = time.perf_counter() - t0

    align_ids = [p["id"] for p in plan.align]
    have = done_ids(root, "align")
    units = []
    if any(i not in have for i in align_ids):
        pairs = read_shard(reduced)
        by_bucket: dict[int, list[dict]] = {}
        for r in pairs:
            by_bucket.setdefault(bucket_of(r["src_url"], r["tgt_url"], plan.buckets), []).append(r)
        part_of = {a.url: partition_id(a.source, a.edition, utc_day(a.published)) for a in arts}
        for p in plan.align:
            if p["id"] in have:
                continue
            prs = by_bucket.get(p["bucket"], [])
            urls = {u for r in prs for u in (r["src_url"], r["tgt_url"])}
            urls |= {json.loads(r["evidence"]).get("primary_src_url") for r in prs} - {None}
            parts = sorted({part_of[u] for u in urls if u in part_of})
            # the worker reads the sentences and embeddings of its pairs from those partitions' shards
            units.append({"stage": "align", "id": p["id"], "pairs": prs, "urls": sorted(urls),
                          "langs": {u: langs[u] for u in urls if u in langs}, "segment": parts, "embed": parts})
    stage("align", units, align_ids)
    rep.done = sum(v["done"] for v in rep.stages.values())
    rep.skipped = sum(v["skipped"] for v in rep.stages.values())
    if merge:
        rep.merged = _shards.merge(store, root)
    return rep
