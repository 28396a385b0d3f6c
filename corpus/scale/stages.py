"""The per-partition stage functions and the :class:`Worker` that runs them.

Every function is plain code over typed records (the same functions ``corpus.pipeline`` runs over the
store: ``segment_article``, ``pair_articles``, ``align``, the many-1 part of a pair, ``detect``) and
returns the rows of its shard. A :class:`Worker` holds what is worth loading once (the encoder and its
in-memory embedding cache) and writes one shard per unit; the local executor runs one in process, the
Ray executor one per actor.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

from ..records import Article, Bead, DocPair, Sentence, dumps
from .shards import read_shard, shard_path, write_shard

CRASH_MARK = ".crash-injected"


# ---------------------------------------------------------------------------- stage functions
def segment_rows(articles: list[Article]) -> list[dict]:
    """Sentences of each article (``corpus.segment.segment_article``); an article without a sentence
    gets one row with idx -1, so the shard says it was segmented."""
    from ..segment import segment_article

    rows = []
    for a in sorted(articles, key=lambda a: a.url):
        sents = segment_article(a)
        if not sents:
            rows.append({"url": a.url, "art_hash": a.hash, "idx": -1, "text": "", "para": 0, "start": 0, "end": 0})
        rows += [{"url": a.url, "art_hash": a.hash, "idx": s.idx, "text": s.text, "para": s.para, "start": s.start,
                  "end": s.end} for s in sents]
    return rows


def embed_rows(texts: list[str], lang: str, encoder) -> list[dict]:
    """Embeddings of the unique ``texts`` (a ``CachedEncoder``): texts already in its cache are not
    encoded again; the rest go to the encoder in one call sorted by length (less padding per batch)."""
    from align.encoders import text_key

    uniq = list(dict.fromkeys(t for t in texts if t))
    todo = sorted((t for t in uniq if text_key(t) not in encoder._mem), key=lambda t: (len(t), t))
    if todo:
        encoder.encode(todo, lang)
    sig = encoder.signature()
    return [{"encoder": sig, "key": k, "vec": encoder._mem[k].tolist()} for k in sorted({text_key(t) for t in uniq})]


def pair_rows(src: list[Article], tgt: list[Article], encoder, config=None, own: list[str] | None = None) -> list[dict]:
    """``corpus.pairing.pair_articles`` on one source day (with its neighbours as competitors) and its
    target window, keyed by URL; only the pairs of the ``own`` source items (default: all) are kept."""
    from ..pairing import pair_articles

    if not src or not tgt:
        return []
    urls = {a.id: a.url for a in (*src, *tgt)}
    rows = []
    keep = set(own) if own is not None else None
    for p in pair_articles(src, tgt, encoder, config, quiet=True):
        if keep is not None and urls[p.src_id] not in keep:
            continue
        ev = dict(p.evidence)
        if "primary_src_id" in ev:
            ev["primary_src_url"] = urls.get(ev.pop("primary_src_id"))
        rows.append({"src_url": urls[p.src_id], "tgt_url": urls[p.tgt_id], "score": float(p.score), "kind": p.kind,
                     "evidence": dumps(ev)})
    return rows


def resolve_claims(rows: list[dict]) -> list[dict]:
    """The pair reduce: a target article claimed by 1-1 pairs of two source days keeps the pair with the
    higher score (ties: the smaller source URL); a many-1 pair survives only when its primary source
    item kept the target. A source item belongs to one day, so it is never claimed twice."""
    best: dict[str, dict] = {}
    for r in rows:
        if r["kind"] != "1-1":
            continue
        cur = best.get(r["tgt_url"])
        if cur is None or (-r["score"], r["src_url"]) < (-cur["score"], cur["src_url"]):
            best[r["tgt_url"]] = r
    out = list(best.values())
    for r in rows:
        if r["kind"] == "1-1":
            continue
        prim = json.loads(r["evidence"]).get("primary_src_url")
        keep = best.get(r["tgt_url"])
        if keep is not None and keep["src_url"] == prim:
            out.append(r)
    return sorted(out, key=lambda r: (r["tgt_url"], r["kind"] != "1-1", r["src_url"]))


class _Sentences:
    """The slice of the store ``corpus.pipeline._align_many1`` reads (``sentences(article_id)``)."""

    def __init__(self, texts: dict[int, list[str]]):
        self.texts = texts

    def sentences(self, article_id: int) -> list[Sentence]:
        return [Sentence(article_id, i, t) for i, t in enumerate(self.texts.get(article_id, []))]


def align_rows(pairs: list[dict], sents: dict[str, list[str]], langs: dict[str, str], encoder, cfg) -> list[dict]:
    """Align and flag each document pair with ``cfg`` (a ``RunConfig``), as ``corpus.pipeline.align_stage``
    then ``flag_stage`` do: a many-1 pair is aligned on its part of the target only."""
    from align.aligner import align
    from align.flags import detect

    from ..pipeline import _align_many1

    acfg = cfg.alignment.effective()
    fcfg = cfg.flags
    sig = cfg.signature()
    base_info = {"aligner": acfg.signature(), "cfg": sig.stage_hash("align")}
    rows = []
    for r in sorted(pairs, key=lambda r: (r["src_url"], r["tgt_url"])):
        su, tu = r["src_url"], r["tgt_url"]
        src, tgt = sents.get(su, []), sents.get(tu, [])
        sl, tl = langs[su], langs[tu]
        ev = json.loads(r["evidence"])
        info = dict(base_info)
        if r["kind"] == "many-1":
            prim = ev.get("primary_src_url")
            p = DocPair(1, 2, r["score"], r["kind"], {**ev, "primary_src_id": 3 if prim else None})
            shim = _Sentences({1: src, 2: tgt, 3: sents.get(prim, []) if prim else []})
            beads, info["tgt_part"] = _align_many1(shim, p, src, tgt, encoder, sl, tl, acfg, cfg.pairing)
        else:
            beads = align(src, tgt, encoder, src_lang=sl, tgt_lang=tl, config=acfg)
        beads = [Bead(tuple(int(i) for i in b.src), tuple(int(j) for j in b.tgt), float(b.score)) for b in beads]
        flags = detect(src, tgt, beads, src_lang=sl, tgt_lang=tl, encoder=encoder, config=fcfg) if beads else []
        if not beads:
            rows.append({"src_url": su, "tgt_url": tu, "idx": -1, "src": "[]", "tgt": "[]", "score": 0.0,
                         "flags": "[]", "info": dumps(info)})
        for i, (b, fl) in enumerate(zip(beads, flags)):
            rows.append({"src_url": su, "tgt_url": tu, "idx": i, "src": dumps(list(b.src)), "tgt": dumps(list(b.tgt)),
                         "score": b.score, "flags": dumps([f.to_dict() for f in fl]), "info": dumps(info)})
    return rows


# ---------------------------------------------------------------------------- worker
def call_hook(spec: str | None) -> None:
    """Run ``module:function`` (a worker set-up hook, e.g. registering an encoder) when given."""
    if not spec:
        return
    import importlib

    mod, _, fn = spec.partition(":")
    getattr(importlib.import_module(mod), fn)()


class Worker:
    """Runs units (one partition of one stage) and writes each one's shard under ``settings["root"]``.

    ``settings``: ``root``, ``config`` (``RunConfig.to_dict()``: encoder, pairing, alignment, flags),
    ``setup`` (a ``module:function`` hook run once per worker), and two test hooks: ``crash_after``
    (the process exits, once per shard folder, while computing its unit number ``crash_after + 1``,
    before the shard is written) and ``unit_delay`` (seconds slept per unit)."""

    def __init__(self, settings: dict):
        from ..config import RunConfig

        self.s = dict(settings)
        self.root = Path(self.s["root"])
        call_hook(self.s.get("setup"))
        self.cfg = RunConfig.from_dict(self.s["config"], origin="worker settings")
        self._enc = None
        self._loaded: set[str] = set()
        self.units = 0

    def encoder(self):
        if self._enc is None:
            from align.encoders import CachedEncoder, get_encoder

            self._enc = CachedEncoder(get_encoder(self.cfg.encoder), None)
        return self._enc

    def _load_embeddings(self, ids: list[str]) -> None:
        import numpy as np

        enc = self.encoder()
        sig = enc.signature()
        for pid in ids:
            if pid in self._loaded:
                continue
            path = shard_path(self.root, "embed", pid)
            if path.exists():
                for r in read_shard(path):
                    if r["encoder"] == sig:
                        enc._mem.setdefault(r["key"], np.asarray(r["vec"], dtype=np.float32))
            self._loaded.add(pid)

    def compute(self, unit: dict) -> list[dict]:
        st = unit["stage"]
        if st == "segment":
            return segment_rows(unit["articles"])
        if st == "embed":
            texts = [r["text"] for r in read_shard(shard_path(self.root, "segment", unit["id"])) if r["idx"] >= 0]
            return embed_rows(texts, unit["lang"], self.encoder())
        if st == "pair":
            return pair_rows(unit["src"], unit["tgt"], self.encoder(), self.cfg.pairing, unit.get("own"))
        if st == "align":
            self._load_embeddings(unit["embed"])
            want = set(unit["urls"])
            got: dict[str, list[tuple[int, str]]] = {u: [] for u in want}
            for pid in unit["segment"]:
                for r in read_shard(shard_path(self.root, "segment", pid)):
                    if r["url"] in want and r["idx"] >= 0:
                        got[r["url"]].append((r["idx"], r["text"]))
            sents = {u: [t for _, t in sorted(v)] for u, v in got.items()}
            return align_rows(unit["pairs"], sents, unit["langs"], self.encoder(), self.cfg)
        raise ValueError(f"unknown stage {st!r}")

    def run(self, unit: dict) -> dict:
        """Compute ``unit`` and write its shard, unless the shard is there already (then nothing)."""
        path = shard_path(self.root, unit["stage"], unit["id"])
        res = {"stage": unit["stage"], "id": unit["id"], "pid": os.getpid()}
        if path.exists():
            return {**res, "skipped": True, "rows": 0, "seconds": 0.0, "peak_rss_mb": _peak_rss_mb()}
        t0 = time.perf_counter()
        if self.s.get("unit_delay"):
            time.sleep(float(self.s["unit_delay"]))
        rows = self.compute(unit)
        self.units += 1
        crash = self.s.get("crash_after")
        if crash is not None and self.units > int(crash) and _claim(self.root / CRASH_MARK):
            os._exit(3)  # an injected worker death mid-partition: the result is lost, the shard never written
        write_shard(path, unit["stage"], rows)
        return {**res, "skipped": False, "rows": len(rows), "seconds": time.perf_counter() - t0,
                "peak_rss_mb": _peak_rss_mb()}


def _claim(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)
