"""Parquet shards: one file per finished partition, the partition's done-mark.

A shard is written under a temporary name in its folder and renamed into place when complete, so a
shard that exists is whole and a crashed writer leaves only a ``*.tmp-*`` file (ignored and replaced).
Natural keys (article URL, source and target URL, bead index) are columns, never store ids, so shards
from any machine merge into any store: :func:`merge` upserts them into the SQLite store and
:func:`export_from_shards` exports them without touching the store.

Layout under the shard folder: ``plan.json``, ``segment/<partition>.parquet``,
``embed/<partition>.parquet``, ``pair/<partition>.parquet``, ``pairs.parquet`` (the pair reduce) and
``align/align-NN.parquet`` (beads with their flags).
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMAS = {
    "segment": pa.schema([("url", pa.string()), ("art_hash", pa.string()), ("idx", pa.int64()), ("text", pa.string()),
                          ("para", pa.int64()), ("start", pa.int64()), ("end", pa.int64())]),
    "embed": pa.schema([("encoder", pa.string()), ("key", pa.string()), ("vec", pa.list_(pa.float32()))]),
    "pair": pa.schema([("src_url", pa.string()), ("tgt_url", pa.string()), ("score", pa.float64()),
                       ("kind", pa.string()), ("evidence", pa.string())]),
    # one row per bead; a pair without beads has one row with idx -1 (its info is still recorded)
    "align": pa.schema([("src_url", pa.string()), ("tgt_url", pa.string()), ("idx", pa.int64()), ("src", pa.string()),
                        ("tgt", pa.string()), ("score", pa.float64()), ("flags", pa.string()), ("info", pa.string())]),
}


def shard_path(root: Path, stage: str, part_id: str | None = None) -> Path:
    """Where a stage's shard lives (``pairs.parquet`` for the pair reduce, ``part_id`` None)."""
    root = Path(root)
    return root / "pairs.parquet" if part_id is None else root / stage / f"{part_id}.parquet"


def write_shard(path: Path, stage: str, rows: list[dict]) -> Path:
    """Write ``rows`` as the shard ``path`` atomically (temporary name, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=SCHEMAS[stage])
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def read_shard(path: Path) -> list[dict]:
    return pq.read_table(Path(path)).to_pylist()


def done_ids(root: Path, stage: str) -> set[str]:
    """The partitions of ``stage`` whose shard exists."""
    d = Path(root) / stage
    return {p.name[: -len(".parquet")] for p in d.glob("*.parquet")} if d.is_dir() else set()


def merge(store, root: Path) -> dict:
    """Upsert the shards under ``root`` into ``store`` (one transaction): sentences of articles whose
    content still matches, the embedding cache, the reduced pairs (replacing the store's pairs), and
    the beads and flags of every pair. Returns counts. Articles must already be in the store (the
    store is where the plan's articles came from)."""
    from ..records import Bead, DocPair, Flag, Sentence

    from ..config import RunConfig
    from ..pipeline import Runtime, pair_key, signature

    root = Path(root)
    if not (root / "plan.json").exists():
        raise FileNotFoundError(f"{root} is not a shard folder (no plan.json)")
    cfg = RunConfig.from_dict(json.loads((root / "plan.json").read_text(encoding="utf-8"))["settings"]["config"],
                              origin=str(root / "plan.json"))
    hashes = cfg.signature().hashes()
    enc_sig = None
    arts = {a.url: a for a in store.articles(status=None)}
    counts = {"sentences": 0, "embeddings": 0, "pairs": 0, "beads": 0, "flags": 0, "stale": 0}
    with store.transaction():
        for p in sorted((root / "segment").glob("*.parquet")):
            by_url: dict[str, list[dict]] = {}
            for r in read_shard(p):
                by_url.setdefault(r["url"], []).append(r)
            for url, rows in by_url.items():
                a = arts.get(url)
                if a is None or a.hash != rows[0]["art_hash"]:
                    counts["stale"] += 1
                    continue
                sents = [Sentence(a.id, r["idx"], r["text"], r["para"], r["start"], r["end"])
                         for r in sorted(rows, key=lambda r: r["idx"]) if r["idx"] >= 0]
                store.put_sentences(a.id, sents)
                counts["sentences"] += len(sents)
        for p in sorted((root / "embed").glob("*.parquet")):
            import numpy as np

            by_enc: dict[str, dict] = {}
            for r in read_shard(p):
                by_enc.setdefault(r["encoder"], {})[r["key"]] = np.asarray(r["vec"], dtype=np.float32)
            for enc, items in by_enc.items():
                enc_sig = enc
                store.put_embeddings(enc, items)
                counts["embeddings"] += len(items)
        pairs_file = shard_path(root, "pair")
        if not pairs_file.exists():
            return counts
        pairs = []
        for r in read_shard(pairs_file):
            s, t = arts.get(r["src_url"]), arts.get(r["tgt_url"])
            if s is None or t is None:
                counts["stale"] += 1
                continue
            ev = json.loads(r["evidence"])
            if "primary_src_url" in ev:
                prim = arts.get(ev.pop("primary_src_url"))
                ev["primary_src_id"] = prim.id if prim is not None else None
            pairs.append(DocPair(s.id, t.id, r["score"], r["kind"], ev))
        # the order corpus.pairing.pair_articles returns (so store ids, and export order, match a local run)
        pairs.sort(key=lambda p: (p.tgt_id, p.kind != "1-1", p.src_id))
        url = {a.id: a.url for a in arts.values()}
        keys = [(url[p.src_id], url[p.tgt_id]) for p in pairs]
        ids = dict(zip(keys, store.put_pairs(pairs, replace_all=True)))
        counts["pairs"] = len(ids)
        # done-marks as the pipeline's own stages write them, so `build` on the merged store has nothing to redo
        src = store.articles(edition=cfg.src_edition, source=cfg.source, status="ok")
        tgt = store.articles(edition=cfg.tgt_edition, source=cfg.source, status="ok")
        store.clear_done("pair")
        store.mark_done("pair", pair_key(cfg, src, tgt), {"pairs": len(ids), "cfg": hashes["pair"]})
        for p in sorted((root / "align").glob("*.parquet")):
            by_pair: dict[tuple[str, str], list[dict]] = {}
            for r in read_shard(p):
                by_pair.setdefault((r["src_url"], r["tgt_url"]), []).append(r)
            for key, rows in sorted(by_pair.items()):
                pid = ids.get(key)
                if pid is None:
                    counts["stale"] += 1
                    continue
                rows = sorted((r for r in rows if r["idx"] >= 0), key=lambda r: r["idx"]) or []
                info = json.loads(by_pair[key][0]["info"])
                beads = [Bead(tuple(json.loads(r["src"])), tuple(json.loads(r["tgt"])), r["score"]) for r in rows]
                flags = [[Flag.from_dict(d) for d in json.loads(r["flags"])] for r in rows]
                store.put_beads(pid, beads, info=info)
                store.put_flags(pid, flags, info={"cfg": hashes["flag"]})
                counts["beads"] += len(beads)
                counts["flags"] += sum(len(f) for f in flags)
        store.set_meta("signature", signature(store, cfg, Runtime(encoder=_Signed(enc_sig or cfg.encoder)),
                                              stages=["pair", "align", "flag"]))
    return counts


class _Signed:
    """Stands for the encoder in the run signature (its signature as the embedding shards recorded it)."""

    def __init__(self, sig: str):
        self.sig = sig

    def signature(self) -> str:
        return self.sig


def export_from_shards(store_path: Path, root: Path, fmt: str, out: Path, **kw) -> Path:
    """Export what the shards under ``root`` hold, reading the articles from the store at ``store_path``
    without writing it: the store is copied to a temporary file, the shards merged into the copy, and
    the copy exported (``kw`` as :func:`corpus.export.export`)."""
    import sqlite3
    import tempfile

    from ..export import export
    from ..store import Store

    with tempfile.TemporaryDirectory(prefix="tasscorpus-shards-") as tmp:
        copy = Path(tmp) / "store.sqlite"
        with Store(store_path, readonly=True) as src:
            dst = sqlite3.connect(copy)
            src.db.backup(dst)
            dst.close()
        with Store(copy) as st:
            merge(st, root)
            return export(st, fmt, out, **kw)
