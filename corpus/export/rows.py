"""Rows: one per alignment bead of each stored document pair — the single model every export format
writes, so JSONL, Parquet, HF, TMX, Moses and TSV agree on what a "row" is.

Selection (``Selection``) is kept apart from writing: filters decide which beads go out, the split
decides where a whole pair goes (hash of its URLs, so a document never straddles splits and the
assignment does not depend on store ids or on which other pairs exist).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterator

from ..records import Article, Bead, DocPair, Flag, content_hash, dumps, flag_sort_key, flag_types

NONE_FLAG = "none"  # --flags none: keep only beads with no flag
ANY_FLAG = "any"  # --flags any: keep only beads with at least one flag

_SPLIT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class ExportError(Exception):
    """Bad export input (unknown format, bad filter, empty selection, unwritable output): one line."""


# ---------------------------------------------------------------------------- parsing options
def parse_split(spec: str | dict | None) -> dict[str, float] | None:
    """``"train=0.9,test=0.1"`` → ``{"train": 0.9, "test": 0.1}`` (fractions must sum to 1)."""
    if spec is None or spec == "" or spec == {}:
        return None
    if isinstance(spec, dict):
        parts = dict(spec)
    else:
        parts = {}
        for item in str(spec).split(","):
            if not item.strip():
                continue
            name, sep, frac = item.partition("=")
            name = name.strip()
            if not sep:
                raise ExportError(f"bad --split item {item!r}: expected NAME=FRACTION, e.g. train=0.9,test=0.1")
            try:
                parts[name] = float(frac)
            except ValueError:
                raise ExportError(f"bad --split fraction {frac!r} for {name!r}") from None
    for name, frac in parts.items():
        if not _SPLIT_NAME.match(name):
            raise ExportError(f"bad split name {name!r}: use letters, digits and _")
        if not 0 < frac <= 1:
            raise ExportError(f"split fraction for {name!r} must be in (0, 1], got {frac}")
    if abs(sum(parts.values()) - 1.0) > 1e-6:
        raise ExportError(f"split fractions must sum to 1, got {sum(parts.values()):g}")
    return parts


def parse_flags(spec: str | list | tuple | set | None) -> frozenset[str] | None:
    """``"omission,addition"`` → the set of flag types a kept bead must carry (any of them);
    ``"none"`` keeps only unflagged beads, ``"any"`` only flagged ones."""
    if spec is None:
        return None
    items = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s and s.strip()]
    if not items:
        return None
    types = flag_types()
    bad = [s for s in items if s not in {*types, NONE_FLAG, ANY_FLAG}]
    if bad:
        raise ExportError(f"unknown flag type(s) {', '.join(bad)}; known: {', '.join(types)}, none, any")
    if NONE_FLAG in items and len(items) > 1:
        raise ExportError("--flags none cannot be combined with other flag types")
    return frozenset(items)


def split_of(doc_id: str, split: dict[str, float] | None) -> str | None:
    """Deterministic split of a pair: a uniform number from the hash of its doc id, cut by the
    cumulative fractions (in the order given)."""
    if not split:
        return None
    u = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:15], 16) / float(16**15)
    acc = 0.0
    names = list(split)
    for name in names:
        acc += split[name]
        if u < acc:
            return name
    return names[-1]


# ---------------------------------------------------------------------------- selection
@dataclass(frozen=True)
class Selection:
    """Which beads go out. ``include_null`` None means "the format's default"."""

    min_score: float | None = None
    flags: frozenset[str] | None = None
    split: dict[str, float] | None = None
    include_null: bool | None = None
    lang_pair: tuple[str, str] | None = None

    def keeps(self, bead: Bead, flags: list[Flag], include_null: bool) -> bool:
        if not include_null and (not bead.src or not bead.tgt):
            return False
        if self.min_score is not None and bead.score < self.min_score:
            return False
        return self.keeps_types({f.type for f in flags})

    def keeps_types(self, types: set[str]) -> bool:
        """The ``flags`` filter alone, on the flag types a unit carries."""
        if self.flags is not None:
            if NONE_FLAG in self.flags:
                return not types
            if ANY_FLAG in self.flags:
                if not types:
                    return False
                rest = self.flags - {ANY_FLAG}
                return not rest or bool(types & rest)
            return bool(types & self.flags)
        return True

    def as_dict(self) -> dict:
        return {
            "min_score": self.min_score,
            "flags": sorted(self.flags) if self.flags else None,
            "split": self.split,
            "include_null": self.include_null,
            "lang_pair": "-".join(self.lang_pair) if self.lang_pair else None,
        }


# ---------------------------------------------------------------------------- rows
def side_text(sentences: list[str], idx: tuple[int, ...]) -> str:
    """A bead side's text: its sentences joined with one space (flag spans index into this)."""
    return " ".join(sentences[i] for i in idx)


def bead_id(src_url: str, tgt_url: str, bead: Bead, src_text: str, tgt_text: str) -> str:
    """Content-derived id: stable across re-runs and stores (unlike the store's integer ids)."""
    return content_hash(src_url, tgt_url, bead.to_vecalign(), src_text, tgt_text)


def doc_id(src_url: str, tgt_url: str) -> str:
    return content_hash(src_url, tgt_url)


@dataclass
class PairData:
    """Everything about one stored pair that rows and the report need, fetched once."""

    pair: DocPair
    src: Article
    tgt: Article
    src_sents: list[str]
    tgt_sents: list[str]
    beads: list[Bead]
    flags: list[list[Flag]]
    doc_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.doc_id = doc_id(self.src.url, self.tgt.url)


def iter_pair_data(store, pairs: list[DocPair] | None = None) -> Iterator[PairData]:
    """Pairs that have beads, with their articles, sentences, beads and flags."""
    arts: dict[int, Article] = {}
    for p in pairs if pairs is not None else store.pairs():
        beads = store.beads(p.id)
        if not beads:
            continue
        for aid in (p.src_id, p.tgt_id):
            if aid not in arts:
                arts[aid] = store.article(aid)
        flags = store.flags(p.id)
        if len(flags) != len(beads):  # defensive: the store gives one list per bead
            flags = (flags + [[] for _ in beads])[: len(beads)]
        yield PairData(
            pair=p, src=arts[p.src_id], tgt=arts[p.tgt_id],
            src_sents=[s.text for s in store.sentences(p.src_id)],
            tgt_sents=[s.text for s in store.sentences(p.tgt_id)],
            beads=beads, flags=flags,
        )


def flag_row(f: Flag) -> dict:
    """A flag as exported: spans as [start, end] lists, ``detail`` as a JSON string (its keys vary
    by detector, which a fixed Parquet/HF struct cannot hold)."""
    return {
        "type": f.type,
        "score": float(f.score),
        "severity": f.severity,
        "src_spans": [[s.start, s.end] for s in f.src_spans],
        "tgt_spans": [[s.start, s.end] for s in f.tgt_spans],
        "detail": dumps(f.detail),
    }


def make_row(pd: PairData, idx: int) -> dict:
    b, fl = pd.beads[idx], pd.flags[idx]
    s_lang, t_lang = pd.src.lang, pd.tgt.lang
    s_text, t_text = side_text(pd.src_sents, b.src), side_text(pd.tgt_sents, b.tgt)
    return {
        "id": bead_id(pd.src.url, pd.tgt.url, b, s_text, t_text),
        "doc_id": pd.doc_id,
        "pair_id": int(pd.pair.id),
        "bead_idx": idx,
        "translation": {s_lang: s_text, t_lang: t_text},
        "src_lang": s_lang,
        "tgt_lang": t_lang,
        "src_idx": list(b.src),
        "tgt_idx": list(b.tgt),
        "bead_type": b.kind,
        "score": float(b.score),
        "pair_score": float(pd.pair.score),
        "pair_kind": pd.pair.kind,
        "src_url": pd.src.url,
        "tgt_url": pd.tgt.url,
        "src_title": pd.src.title,
        "tgt_title": pd.tgt.title,
        "src_published": pd.src.published,
        "tgt_published": pd.tgt.published,
        "src_section": pd.src.section,
        "tgt_section": pd.tgt.section,
        "source": pd.src.source,
        "flags": [flag_row(f) for f in sorted(fl, key=flag_sort_key)],  # most important first
    }


def language_pairs(store) -> dict[tuple[str, str], int]:
    """(src lang, tgt lang) → number of pairs with beads."""
    langs = {a.id: a.lang for a in store.articles(status=None)}
    aligned = {r[0] for r in store.db.execute("SELECT DISTINCT pair_id FROM beads")}
    out: dict[tuple[str, str], int] = {}
    for p in store.pairs():
        if p.id in aligned:
            k = (langs.get(p.src_id, "?"), langs.get(p.tgt_id, "?"))
            out[k] = out.get(k, 0) + 1
    return out


def choose_lang_pair(store, wanted: tuple[str, str] | None) -> tuple[str, str]:
    """The one language pair to export (a Translation feature / TMX has fixed languages)."""
    lp = language_pairs(store)
    if not lp:
        raise ExportError("store has no aligned document pairs: run `tasscorpus build` first")
    if wanted is not None:
        if wanted not in lp:
            have = ", ".join("-".join(k) for k in sorted(lp))
            raise ExportError(f"no aligned pairs for language pair {'-'.join(wanted)} (store has {have})")
        return wanted
    if len(lp) > 1:
        have = ", ".join("-".join(k) for k in sorted(lp))
        raise ExportError(f"store holds several language pairs ({have}): choose one with --lang-pair")
    return next(iter(lp))


def parse_lang_pair(spec: str | tuple | None) -> tuple[str, str] | None:
    if spec is None or spec == "":
        return None
    if isinstance(spec, tuple):
        return spec
    a, sep, b = spec.partition("-")
    if not sep or not a or not b:
        raise ExportError(f"bad language pair {spec!r}: expected SRC-TGT, e.g. ru-en")
    return (a, b)


def store_info(store) -> dict:
    """Reproducibility info: the run's signature (store meta, when present) plus what the store
    holds — sources, editions, publication date range."""
    info: dict = {}
    sig = store.get_meta("signature")
    if sig is not None:
        info["signature"] = sig
    row = store.db.execute(
        "SELECT MIN(published), MAX(published) FROM articles WHERE published != '' AND id IN "
        "(SELECT src_id FROM pairs UNION SELECT tgt_id FROM pairs)"
    ).fetchone()
    info["date_range"] = [row[0], row[1]] if row and row[0] else None
    info["sources"] = sorted(
        f"{s}/{e}" for s, e in store.db.execute(
            "SELECT DISTINCT source, edition FROM articles WHERE id IN "
            "(SELECT src_id FROM pairs UNION SELECT tgt_id FROM pairs)"
        )
    )
    return info
