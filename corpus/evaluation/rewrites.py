"""The rewrite benchmark: hand-written ru/en story pairs in the way TASS's English desk rewrites tass.ru.

Data: ``corpus/evaluation/data/rewrites/rNN.json`` (one story pair each; odd numbers ``dev``, even ``test``) and
``decoys/dNN.json`` (single-edition articles on the same topic that a pairer must not pair). All text is invented.
Each pair carries the page as a user copies it (furniture lines and body paragraphs), the gold body sentences,
gold beads (which may cross when the English reorders) and gold differences (type, the smallest ru / en substring
that shows it, severity). The format is described in ``corpus/evaluation/README.md``.

This module reads the files into typed records (:func:`load_pairs`, :func:`load_decoys`), checks them
(:func:`validate`, :func:`validate_decoy`: a list of problems, empty when the file is sound) and scores predicted
flags against the gold differences (:func:`predicted_from_flags`, :func:`gold_positions`, :func:`match`,
:func:`score_flags`). Scoring is pure: callers run the aligner and the detectors (``scripts/eval_flags.py --sets
rewrites``, ``scripts/eval_alignment.py --dataset rewrites``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from corpus.records import FLAG_TYPES, SEVERITIES, Bead

__all__ = [
    "DATA_DIR", "FIELD_KEYS", "REWRITE_MOVES", "DECOY_KINDS", "EXPLICIT_TYPES", "TYPE_SEVERITIES",
    "Side", "GoldDifference", "RewritePair", "Decoy", "Position", "Predicted", "PairResult",
    "load_pair", "load_pairs", "load_decoy", "load_decoys", "validate", "validate_decoy",
    "body_lines", "sentence_lines", "gold_positions", "predicted_from_flags", "match", "score_flags",
]

DATA_DIR = Path(__file__).resolve().parent / "data" / "rewrites"
SPLITS = ("dev", "test")
FIELD_KEYS = ("headline", "subtitle", "credit", "byline", "timestamp", "dateline")
REWRITE_MOVES = ("condensed_lead", "folded_attribution", "swapped_background", "reordered", "rewritten_headline",
                 "merged_sentences", "split_sentence", "missing_headline")
DECOY_KINDS = ("follow_up_next_day", "year_end_roundup", "same_briefing_other_story", "same_topic_other_event")
EXPLICIT_TYPES = ("omission", "addition", "number_changed", "date_changed", "name_changed")
# The team's severity contract: which severities a gold difference of each type may carry.
TYPE_SEVERITIES = {
    "number_changed": ("critical",), "date_changed": ("critical",), "name_changed": ("critical",),
    "negation_or_polarity": ("critical",), "unrelated": ("critical",),
    "omission": ("major", "minor"), "addition": ("major", "minor"),
    "meaning_shift": ("major",), "intensity_or_modality_shift": ("major",), "framing_shift": ("major",),
}
_SIDE_KEYS = ("url", "published", "page", "fields", "furniture", "body")


# ----------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Side:
    """One edition of a story as a user copies it from the page.

    ``page``: the lines in page order (furniture and body paragraphs); ``furniture``: indices of the lines that are
    not body text; ``fields``: field name → exact page line (``dateline``: the exact prefix of the first body line);
    ``body``: the gold body sentences in order, dateline excluded, each an exact substring of a body line."""

    lang: str
    url: str
    published: str
    page: tuple[str, ...]
    fields: dict
    furniture: tuple[int, ...]
    body: tuple[str, ...]

    def text(self, idx: Iterable[int]) -> str:
        """The side text of a bead: its sentences joined with one space (the flags' span coordinates)."""
        return " ".join(self.body[i] for i in idx)


@dataclass(frozen=True)
class GoldDifference:
    """A real difference: ``ru`` / ``en`` are the smallest exact substrings of a body sentence that show it
    ("" for the side that has nothing: an omission has ru only, an addition en only)."""

    type: str
    ru: str
    en: str
    severity: str
    note: str = ""


@dataclass(frozen=True)
class RewritePair:
    """One ru/en story pair with its gold alignment and gold differences."""

    id: str
    split: str
    no_fact_difference: bool
    rewrite_moves: tuple[str, ...]
    topic: str
    ru: Side
    en: Side
    beads: tuple[Bead, ...]
    differences: tuple[GoldDifference, ...]
    path: Path | None = None

    def side(self, lang: str) -> Side:
        return self.ru if lang == "ru" else self.en


@dataclass(frozen=True)
class Decoy:
    """A single-edition article on the topic of story ``decoy_of`` that a pairer must not pair with it."""

    id: str
    edition: str
    decoy_of: str
    kind: str
    side: Side
    path: Path | None = None


class FormatError(ValueError):
    """A benchmark file that cannot be read into records (missing key, wrong JSON type)."""


def _side(d: dict, lang: str, where: str) -> Side:
    if not isinstance(d, dict):
        raise FormatError(f"{where}: the {lang} side is not an object")
    missing = [k for k in _SIDE_KEYS if k not in d]
    if missing:
        raise FormatError(f"{where}: {lang} side lacks {', '.join(missing)}")
    for k in ("page", "furniture", "body"):
        if not isinstance(d[k], list):
            raise FormatError(f"{where}: {lang}.{k} is not a list")
    if not isinstance(d["fields"], dict):
        raise FormatError(f"{where}: {lang}.fields is not an object")
    return Side(lang, str(d["url"]), str(d["published"]), tuple(d["page"]), dict(d["fields"]),
                tuple(d["furniture"]), tuple(d["body"]))


def _beads(raw, where: str) -> tuple[Bead, ...]:
    out = []
    for b in raw:
        if not (isinstance(b, list) and len(b) == 2 and all(isinstance(s, list) for s in b)):
            raise FormatError(f"{where}: bead {b!r} is not [[ru indices], [en indices]]")
        if not all(isinstance(i, int) for s in b for i in s):
            raise FormatError(f"{where}: bead {b!r} has a non-integer index")
        out.append(Bead(tuple(b[0]), tuple(b[1])))
    return tuple(out)


def parse_pair(d: dict, path: Path | None = None) -> RewritePair:
    """A :class:`RewritePair` from the JSON object of one ``rNN.json`` file."""
    where = str(path or d.get("id", "?"))
    try:
        diffs = tuple(GoldDifference(str(x["type"]), str(x.get("ru", "")), str(x.get("en", "")),
                                     str(x["severity"]), str(x.get("note", ""))) for x in d["differences"])
        return RewritePair(str(d["id"]), str(d["split"]), d["no_fact_difference"], tuple(d.get("rewrite_moves", ())),
                           str(d.get("topic", "")), _side(d["ru"], "ru", where), _side(d["en"], "en", where),
                           _beads(d["beads"], where), diffs, path)
    except (KeyError, TypeError) as e:
        raise FormatError(f"{where}: missing or malformed {e}") from None


def load_pair(path: str | Path) -> RewritePair:
    path = Path(path)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise FormatError(f"{path}: not JSON ({e})") from None
    return parse_pair(d, path)


def load_pairs(split: str | None = None, data_dir: str | Path | None = None) -> list[RewritePair]:
    """The benchmark's story pairs in id order; ``split`` "dev" / "test" keeps one half (None or "all": both)."""
    if split not in (None, "all", *SPLITS):
        raise ValueError(f"unknown split {split!r}; choose dev, test or all")
    base = Path(data_dir) if data_dir else DATA_DIR
    pairs = [load_pair(p) for p in sorted(base.glob("r[0-9]*.json"))]
    return [p for p in pairs if split in (None, "all") or p.split == split]


def load_decoy(path: str | Path) -> Decoy:
    path = Path(path)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        return Decoy(str(d["id"]), str(d["edition"]), str(d["decoy_of"]), str(d["kind"]),
                     _side(d, str(d["edition"]), str(path)), path)
    except json.JSONDecodeError as e:
        raise FormatError(f"{path}: not JSON ({e})") from None
    except (KeyError, TypeError) as e:
        raise FormatError(f"{path}: missing or malformed {e}") from None


def load_decoys(data_dir: str | Path | None = None) -> list[Decoy]:
    """The decoy articles (``decoys/dNN.json``) in id order."""
    base = (Path(data_dir) if data_dir else DATA_DIR) / "decoys"
    return [load_decoy(p) for p in sorted(base.glob("d[0-9]*.json"))]


# ----------------------------------------------------------------------------- positions of the gold text
def body_lines(side: Side) -> list[int]:
    """Indices of the page lines that are body text (not furniture), in page order."""
    furn = set(side.furniture)
    return [i for i in range(len(side.page)) if i not in furn]


def sentence_lines(side: Side) -> list[tuple[int, int] | None]:
    """Where each gold body sentence sits on the page: (page line index, char offset in that line), found in order
    (each sentence at or after the end of the previous one); None for a sentence not found there."""
    lines = body_lines(side)
    out: list[tuple[int, int] | None] = []
    k, pos = 0, 0
    for s in side.body:
        found = None
        for j in range(k, len(lines)):
            at = side.page[lines[j]].find(s, pos if j == k else 0)
            if at >= 0 and s:
                found = (lines[j], at)
                k, pos = j, at + len(s)
                break
        out.append(found)
    return out


def _occurrences(side: Side, sub: str) -> list[tuple[int, int]]:
    """(sentence index, char offset) of every occurrence of ``sub`` in the side's body sentences."""
    out = []
    for i, s in enumerate(side.body):
        at = s.find(sub)
        while at >= 0:
            out.append((i, at))
            at = s.find(sub, at + 1)
    return out


# ----------------------------------------------------------------------------- validation
def _check_side(side: Side, problems: list[str], where: str) -> None:
    n = len(side.page)
    if not all(isinstance(x, str) for x in side.page):
        problems.append(f"{where}: page lines must be strings")
        return
    if not all(isinstance(x, str) and x for x in side.body):
        problems.append(f"{where}: body sentences must be non-empty strings")
        return
    for s in side.body:
        if s != s.strip():
            problems.append(f"{where}: body sentence has outer spaces: {s[:50]!r}")
    bad = [i for i in side.furniture if not isinstance(i, int) or not 0 <= i < n]
    if bad:
        problems.append(f"{where}: furniture indices out of range 0..{n - 1}: {bad}")
    if len(set(side.furniture)) != len(side.furniture):
        problems.append(f"{where}: furniture indices repeat")
    lines = body_lines(side)
    if not lines:
        problems.append(f"{where}: no body lines")
    for k, v in side.fields.items():
        if k not in FIELD_KEYS:
            problems.append(f"{where}: unknown field {k!r} (known: {', '.join(FIELD_KEYS)})")
        elif not isinstance(v, str) or not v:
            problems.append(f"{where}: field {k!r} is empty")
        elif k == "dateline":
            if not lines or not side.page[lines[0]].startswith(v):
                problems.append(f"{where}: dateline {v!r} is not the prefix of the first body line")
        elif v not in side.page:
            problems.append(f"{where}: field {k!r} is not an exact page line: {v[:60]!r}")
        elif not any(side.page[i] == v for i in side.furniture if isinstance(i, int) and 0 <= i < n):
            problems.append(f"{where}: field {k!r} is a page line not marked as furniture")
    locs = sentence_lines(side)
    for s, loc in zip(side.body, locs):
        if loc is None:
            problems.append(f"{where}: body sentence is not (in order) a substring of a body line: {s[:60]!r}")
    if any(loc is None for loc in locs):
        return
    # every body line is its sentences and nothing else (the dateline aside): no body text is missing from the gold
    dl = side.fields.get("dateline", "")
    for li in lines:
        chars = list(side.page[li])
        if li == lines[0] and dl and side.page[li].startswith(dl):
            chars[:len(dl)] = " " * len(dl)
        for s, (ln, at) in zip(side.body, locs):
            if ln == li:
                chars[at:at + len(s)] = " " * len(s)
        left = "".join(chars).strip()
        if left:
            problems.append(f"{where}: body line {li} has text in no gold sentence: {left[:60]!r}")


def validate(pair: RewritePair) -> list[str]:
    """Problems with one pair (empty list: sound). Checks the id and split, the taxonomy, each side's page /
    furniture / fields / body, that every body line is covered by its sentences, that the beads cover each body
    sentence of both sides exactly once, and that each gold substring is exact and unique within its side."""
    p: list[str] = []
    w = pair.id
    m = re.fullmatch(r"r(\d{2,})", pair.id)
    if not m:
        p.append(f"{w}: id must look like r07")
    else:
        want = "dev" if int(m.group(1)) % 2 else "test"
        if pair.split != want:
            p.append(f"{w}: split {pair.split!r} but odd ids are dev and even ids test (want {want!r})")
    if pair.path is not None and pair.path.stem != pair.id:
        p.append(f"{w}: file name {pair.path.name} does not match the id")
    if not isinstance(pair.no_fact_difference, bool):
        p.append(f"{w}: no_fact_difference must be true or false")
    elif pair.no_fact_difference and pair.differences:
        p.append(f"{w}: no_fact_difference is true but {len(pair.differences)} differences are listed")
    elif not pair.no_fact_difference and not pair.differences:
        p.append(f"{w}: no_fact_difference is false but no difference is listed")
    for mv in pair.rewrite_moves:
        if mv not in REWRITE_MOVES:
            p.append(f"{w}: unknown rewrite move {mv!r}")
    _check_side(pair.ru, p, f"{w}.ru")
    _check_side(pair.en, p, f"{w}.en")
    nr, ne = len(pair.ru.body), len(pair.en.body)
    seen_r: list[int] = []
    seen_e: list[int] = []
    last = -1
    for b in pair.beads:
        if not b.src and not b.tgt:
            p.append(f"{w}: empty bead")
        if any(not 0 <= i < nr for i in b.src) or any(not 0 <= j < ne for j in b.tgt):
            p.append(f"{w}: bead {b.to_vecalign()} points past the {nr} ru / {ne} en sentences")
        if list(b.src) != sorted(b.src) or list(b.tgt) != sorted(b.tgt):
            p.append(f"{w}: bead {b.to_vecalign()} lists its sentences out of order")
        if b.src:
            if b.src[0] < last:
                p.append(f"{w}: beads are not in ru sentence order at {b.to_vecalign()}")
            last = b.src[0]
        seen_r += b.src
        seen_e += b.tgt
    for lang, seen, n in (("ru", seen_r, nr), ("en", seen_e, ne)):
        if sorted(seen) != list(range(n)):
            miss = sorted(set(range(n)) - set(seen))
            dup = sorted({i for i in seen if seen.count(i) > 1})
            p.append(f"{w}: beads must cover each {lang} sentence once (missing {miss}, repeated {dup})")
    for k, d in enumerate(pair.differences):
        dw = f"{w}: difference {k} ({d.type})"
        if d.type not in FLAG_TYPES:
            p.append(f"{dw}: type not in the taxonomy")
        if d.severity not in SEVERITIES:
            p.append(f"{dw}: severity {d.severity!r} not in {SEVERITIES}")
        elif d.type in TYPE_SEVERITIES and d.severity not in TYPE_SEVERITIES[d.type]:
            p.append(f"{dw}: severity {d.severity!r} breaks the contract ({'/'.join(TYPE_SEVERITIES[d.type])})")
        need = {"omission": ("ru",), "addition": ("en",)}.get(d.type, ("ru", "en"))
        for lang in ("ru", "en"):
            sub = getattr(d, lang)
            if lang not in need:
                if sub:
                    p.append(f"{dw}: the {lang} side must be empty for this type")
                continue
            if not sub:
                p.append(f"{dw}: the {lang} substring is empty")
                continue
            occ = _occurrences(pair.side(lang), sub)
            if not occ:
                p.append(f"{dw}: {lang} {sub[:50]!r} is not a substring of a body sentence")
            elif len(occ) > 1:
                p.append(f"{dw}: {lang} {sub[:50]!r} occurs {len(occ)} times in the body")
    return p


def validate_decoy(decoy: Decoy, pair_ids: Iterable[str] | None = None) -> list[str]:
    """Problems with one decoy file (empty list: sound); ``pair_ids``: the story ids it may be a decoy of."""
    p: list[str] = []
    w = decoy.id
    if not re.fullmatch(r"d\d{2,}", decoy.id):
        p.append(f"{w}: id must look like d03")
    if decoy.path is not None and decoy.path.stem != decoy.id:
        p.append(f"{w}: file name {decoy.path.name} does not match the id")
    if decoy.edition not in ("ru", "en"):
        p.append(f"{w}: edition must be ru or en")
    if decoy.kind not in DECOY_KINDS:
        p.append(f"{w}: unknown kind {decoy.kind!r}")
    if pair_ids is not None and decoy.decoy_of not in set(pair_ids):
        p.append(f"{w}: decoy_of {decoy.decoy_of!r} is not a story pair")
    _check_side(decoy.side, p, w)
    return p


# ----------------------------------------------------------------------------- scoring
@dataclass(frozen=True)
class Position:
    """A stretch of text on one side: ``unit`` is a body sentence index (gold-sentence input) or a page line index
    (page input); ``start``/``end`` are char offsets in that unit."""

    side: str
    unit: int
    start: int
    end: int

    def overlaps(self, other: "Position") -> bool:
        if self.side != other.side or self.unit != other.unit:
            return False
        a, b = self.start, max(self.end, self.start + 1)  # an insertion point covers the char after it
        c, d = other.start, max(other.end, other.start + 1)
        return a < d and c < b


@dataclass(frozen=True)
class Predicted:
    """A predicted flag reduced to what scoring needs."""

    type: str
    severity: str
    score: float
    positions: tuple[Position, ...]


def gold_positions(pair: RewritePair, diff: GoldDifference, unit: str = "sentence") -> tuple[Position, ...]:
    """Where a gold difference sits: on each side that has a substring, its first occurrence, as (sentence index,
    chars) with ``unit="sentence"`` or (page line index, chars) with ``unit="line"``."""
    out = []
    for lang in ("ru", "en"):
        sub = getattr(diff, lang)
        if not sub:
            continue
        side = pair.side(lang)
        occ = _occurrences(side, sub)
        if not occ:
            raise ValueError(f"{pair.id}: {lang} {sub[:50]!r} is not in the body")
        i, at = occ[0]
        if unit == "line":
            loc = sentence_lines(side)[i]
            if loc is None:
                raise ValueError(f"{pair.id}: {lang} sentence {i} is not on the page")
            out.append(Position(lang, loc[0], loc[1] + at, loc[1] + at + len(sub)))
        else:
            out.append(Position(lang, i, at, at + len(sub)))
    return tuple(out)


def _side_offsets(sents: Sequence[str], idx: Sequence[int]) -> list[tuple[int, int, int]]:
    """(sentence index, start, end) of each sentence of a bead side in the side text (joined with one space)."""
    out, pos = [], 0
    for i in idx:
        out.append((i, pos, pos + len(sents[i])))
        pos += len(sents[i]) + 1
    return out


def predicted_from_flags(src: Sequence[str], tgt: Sequence[str], beads: Sequence[Bead], flags: Sequence[Sequence],
                         src_units: Sequence[tuple[int, int]] | None = None,
                         tgt_units: Sequence[tuple[int, int]] | None = None,
                         src_lang: str = "ru", tgt_lang: str = "en") -> list[Predicted]:
    """Every flag of every bead (``flags``: one list of ``Flag`` per bead, as ``align.flags.detect`` returns) as a
    :class:`Predicted` with its spans mapped from bead side text to units: ``src_units[i]`` = (unit, offset of
    sentence i in that unit); default: each sentence is its own unit at offset 0. A flag with no span on either
    side covers both whole bead sides. A predicted sentence whose unit is None (furniture text) keeps no position."""
    su = list(src_units) if src_units is not None else [(i, 0) for i in range(len(src))]
    tu = list(tgt_units) if tgt_units is not None else [(j, 0) for j in range(len(tgt))]
    out = []
    for b, fl in zip(beads, flags):
        sides = ((src_lang, src, b.src, su), (tgt_lang, tgt, b.tgt, tu))
        for f in fl:
            pos: list[Position] = []
            whole = not f.src_spans and not f.tgt_spans
            for (lang, sents, idx, units), spans in zip(sides, (f.src_spans, f.tgt_spans)):
                offs = _side_offsets(sents, idx)
                ranges = [(sp.start, sp.end) for sp in spans]
                if whole and offs:
                    ranges = [(0, offs[-1][2])]
                for a, e in ranges:
                    for i, s0, s1 in offs:
                        if units[i] is None:
                            continue
                        lo, hi = max(a, s0), min(e, s1)
                        if lo < hi or (a == e and s0 <= a <= s1):
                            u, o = units[i]
                            pos.append(Position(lang, u, o + lo - s0, o + max(hi, lo) - s0))
            out.append(Predicted(f.type, f.severity, float(f.score), tuple(pos)))
    return out


def match(gold: Sequence[tuple[str, tuple[Position, ...]]], pred: Sequence[Predicted]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of predicted flags to gold differences: a flag can match a gold difference
    of the same type whose position it overlaps on at least one side. Returns (gold index, predicted index) pairs;
    each gold difference is found at most once and each flag finds at most one (a second flag on a found
    difference counts as a false alarm)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    if not gold or not pred:
        return []
    m = np.zeros((len(gold), len(pred)), dtype=np.int8)
    for gi, (gt, gpos) in enumerate(gold):
        for pi, p in enumerate(pred):
            if p.type == gt and any(a.overlaps(b) for a in gpos for b in p.positions):
                m[gi, pi] = 1
    if not m.any():
        return []
    col = maximum_bipartite_matching(csr_matrix(m), perm_type="column")
    return [(gi, int(pi)) for gi, pi in enumerate(col) if pi >= 0]


@dataclass(frozen=True)
class PairResult:
    """One pair's gold differences (type, severity, positions) and predicted flags, ready for :func:`score_flags`."""

    pair_id: str
    split: str
    no_fact_difference: bool
    gold: tuple[tuple[str, str, tuple[Position, ...]], ...]
    predicted: tuple[Predicted, ...]


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def _score(results: Sequence[PairResult]) -> dict:
    tp: dict[str, int] = {t: 0 for t in FLAG_TYPES}
    fp: dict[str, int] = {t: 0 for t in FLAG_TYPES}
    fn: dict[str, int] = {t: 0 for t in FLAG_TYPES}
    sev_pred = {s: [0, 0] for s in SEVERITIES}  # severity of the predicted flag: [matched, all]
    sev_gold = {s: [0, 0] for s in SEVERITIES}  # severity of the gold difference: [found, all]
    sev_agree = 0
    duplicates = 0
    nodiff = [r for r in results if r.no_fact_difference]
    nodiff_flags = {s: 0 for s in SEVERITIES}
    nodiff_types: dict[str, int] = {}
    for r in results:
        m = match([(t, pos) for t, _, pos in r.gold], r.predicted)
        got_g = {g: p for g, p in m}
        got_p = {p for _, p in m}
        for gi, (t, sev, pos) in enumerate(r.gold):
            fn.setdefault(t, 0)
            tp.setdefault(t, 0)
            sev_gold.setdefault(sev, [0, 0])[1] += 1
            if gi in got_g:
                tp[t] += 1
                sev_gold[sev][0] += 1
                if r.predicted[got_g[gi]].severity == sev:
                    sev_agree += 1
            else:
                fn[t] += 1
        for pi, p in enumerate(r.predicted):
            sev_pred.setdefault(p.severity, [0, 0])[1] += 1
            if pi in got_p:
                sev_pred[p.severity][0] += 1
                continue
            fp[p.type] = fp.get(p.type, 0) + 1
            if any(g[0] == p.type and any(a.overlaps(b) for a in g[2] for b in p.positions) for g in r.gold):
                duplicates += 1
            if r.no_fact_difference:
                nodiff_flags[p.severity] = nodiff_flags.get(p.severity, 0) + 1
                nodiff_types[p.type] = nodiff_types.get(p.type, 0) + 1
    types = sorted(set(tp) | set(fp) | set(fn), key=lambda t: (FLAG_TYPES.index(t) if t in FLAG_TYPES else 99, t))

    def pooled(ts):
        return _prf(sum(tp.get(t, 0) for t in ts), sum(fp.get(t, 0) for t in ts), sum(fn.get(t, 0) for t in ts))

    n_nd = len(nodiff)
    total_nd = sum(nodiff_flags.values())
    matched = sum(tp.values())
    return {
        "pairs": len(results),
        "gold_differences": sum(len(r.gold) for r in results),
        "predicted_flags": sum(len(r.predicted) for r in results),
        "per_type": {t: pooled([t]) for t in types},
        "explicit": pooled(EXPLICIT_TYPES),
        "all": pooled(types),
        "no_difference_pairs": {
            "pairs": n_nd, "false_flags": total_nd,
            "false_flags_per_pair": round(total_nd / n_nd, 4) if n_nd else None,
            "by_type": dict(sorted(nodiff_types.items())),
        },
        "per_severity": {
            s: {"precision": round(sev_pred[s][0] / sev_pred[s][1], 4) if sev_pred[s][1] else 0.0,
                "recall": round(sev_gold[s][0] / sev_gold[s][1], 4) if sev_gold[s][1] else 0.0,
                "predicted": sev_pred[s][1], "gold": sev_gold[s][1],
                "false_flags_per_no_difference_pair": round(nodiff_flags.get(s, 0) / n_nd, 4) if n_nd else None}
            for s in sorted(set(sev_pred) | set(sev_gold), key=lambda s: SEVERITIES.index(s) if s in SEVERITIES else 9)
        },
        "severity_agreement": round(sev_agree / matched, 4) if matched else None,
        "duplicate_flags": duplicates,
    }


def score_flags(results: Sequence[PairResult]) -> dict:
    """Per split ("dev", "test") and over all pairs: per type P/R/F1, pooled ``explicit`` (omission, addition,
    number, date, name) and ``all``, false flags per no-difference pair, and the same per severity (precision:
    share of the flags of that severity that found a gold difference; recall: share of the gold differences of
    that severity found). Every predicted flag counts: one that matches no gold difference is a false alarm,
    including a second flag on an already found difference (``duplicate_flags`` counts those)."""
    out = {}
    for sp in SPLITS:
        sub = [r for r in results if r.split == sp]
        if sub:
            out[sp] = _score(sub)
    out["all"] = _score(results)
    return out
