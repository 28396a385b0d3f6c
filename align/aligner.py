"""Sentence alignment of two documents with multilingual sentence embeddings.

``align(src, tgt, encoder, src_lang=..., tgt_lang=...)`` embeds each sentence once and returns monotone beads
(1-1, 1-0, 0-1 and m-n up to 4-1 / 1-4 / 2-3 / 3-2) covering every sentence exactly once, each with a 0-1 score.
``align_passes`` is the same pass sequence on precomputed embeddings (the evaluation script times it).

How a bead is scored, and why:
* a multi-sentence side is the L2-normalised sum of its members' vectors: the encoder runs once per sentence and
  span cosines come from prefix sums of one dot-product matrix (re-encoded concatenations, ``concat=k``, are an
  opt-in second pass);
* a ratio margin ``cos / mean(kNN_x, kNN_y)`` instead of raw cosine (e5 compresses cosines), null threshold 0.92;
* a matched bead gains ``margin - threshold`` minus ``mn_penalty`` per extra sentence; a null bead ``null_gain``;
* length-ratio evidence (Gale-Church's signal, weight 0.2), identical-token evidence (numbers, Latin names;
  ``token_weight`` 0.05) and Bertalign's neighbour contrast (``neighbour_weight`` 0.2);
* linear time and memory by recursive downsampling (Vecalign): a coarse path, projected back into a band where the
  exact DP runs (``align.dpkernel``, compiled); 10k x 10k stays near 160 MB;
* with torch, the token pass (``align.tokenpass``) re-decides merges, splits and nulls near uncertain beads;
* orphan pairs are split off m-n beads (``split_orphans``: a replaced line next to a real bead, ``orphan_sim`` 0.88).
Defaults were chosen on textberg-dev, opusbooks-enru-val and tuning seeds of the stress set only; the history of
what was tried, with numbers, is in ``docs/experiments/aligner.md``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, replace
from typing import Sequence

import numpy as np

from align.records import Bead

from . import dpkernel
from .calibrate import BELOW, REFERENCE_FAR, calibrate, lift
from .reorder import fold_tags, link_moved, unswap

NEG = -1e30

DEFAULT_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2),
)
COARSE_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1))


@dataclass(frozen=True)
class AlignConfig:
    """Parameters of the aligner (tuned on textberg-dev and opusbooks-enru-val only)."""

    bead_types: tuple[tuple[int, int], ...] = DEFAULT_TYPES
    knn: int = 4  # neighbours in the ratio margin
    threshold: float = 0.92  # margin below which a 1-1 pair is worse than two null beads
    null_gain: float = -0.03  # gain of a 1-0 / 0-1 bead
    mn_penalty: float = 0.02  # extra cost per sentence beyond 1-1 in an m-n bead
    size_exponent: float = 0.0  # bead gain scales with ((a+b)/2)**size_exponent
    length_weight: float = 0.2  # weight of |log length ratio|
    token_weight: float = 0.05  # weight of identical-token evidence
    max_full_cells: int = 250_000  # above this many DP cells, use the banded recursive search
    coarse_size: int = 300  # target length of the coarse document at each downsampling level
    downsample: int = 8  # at most this many sentences per coarse unit per level (keeps the band narrow)
    band: int = 10  # minimum half-width of the band around a projected path
    refine: bool = True  # second pass with a re-centred, narrower band
    refine_band: int = 12  # half-width of the refinement band
    neighbour_weight: float = 0.2  # weight of Bertalign's neighbour contrast (cos - neighbour cos) / kNN
    concat: int = 0  # re-encode concatenations of up to this many sentences in a second pass (0/1: off)
    concat_window: int = 0  # beads on either side of an uncertain first-pass bead whose spans are re-encoded
    concat_conf: float = 0.9  # a first-pass 1-1 bead scoring below this is uncertain (m-n / null beads always are)
    # second pass on token-level coverage (align.tokenpass; runs when token states are given, i.e. with torch)
    token_pass: bool = True
    token_pass_layer: int = 6  # encoder layer of the token states
    token_pass_weight: float = 0.5  # weight of Σ (coverage − centre) over a bead's sentences
    token_pass_centre: float = 0.4
    token_pass_mn_penalty: float = 0.02  # per sentence beyond 1-1
    token_pass_conf: float = 0.9  # first-pass 1-1 beads at least this confident (and not next to an uncertain bead) stay
    token_pass_band: int = 3  # candidate beads end within this many cells of the first path
    # orphan pairs (``split_orphans``): the two sentences at one end of an m-n bead (m, n >= 2), less alike than this
    # and than one of them is to another sentence within ``orphan_window`` of it, become a 1-1 bead (None: off)
    orphan_sim: float | None = 0.88
    orphan_window: int = 10
    # cosine-range calibration (``align.calibrate``): a document whose far pairs score below ``calibrate_below`` (an
    # encoder with a wide cosine range, e.g. USE) is lifted so they score ``calibrate_far``, e5-small's value
    calibrate: bool = True
    calibrate_far: float = REFERENCE_FAR
    calibrate_below: float = BELOW
    # moved sentences (``align.reorder.link_moved``): a 1-0 and a 0-1 bead in different gaps whose sentences are each
    # other's best match at least this alike become one crossing 1-1 bead (None: off, the beads stay monotone)
    moved_sim: float | None = 0.85
    # swapped sentences (``align.reorder.unswap``): an m-n bead whose inverted split (S1 ↔ T2, S2 ↔ T1) scores this
    # much more than its best monotone split becomes crossing beads (None: off)
    unswap_margin: float | None = 0.05
    # attribution tag sentences («Об этом сообщили в …») join the bead whose other side names their source, else stand
    # alone as null beads (``align.reorder.fold_tags``; ru / en attribution cues)
    fold_tags: bool = True

    def effective(self) -> "AlignConfig":
        """This config as it runs here: without torch there are no token states, so no token pass."""
        if self.token_pass:
            import importlib.util

            if importlib.util.find_spec("torch") is None:
                return replace(self, token_pass=False)
        return self

    def signature(self) -> str:
        d = asdict(self)
        d["bead_types"] = ",".join(f"{a}-{b}" for a, b in self.bead_types)
        return "aligner(" + ",".join(f"{k}={v}" for k, v in d.items()) + ")"


# --------------------------------------------------------------------------- public API
def align(
    src: Sequence[str],
    tgt: Sequence[str],
    encoder,
    *,
    src_lang: str | None,
    tgt_lang: str | None,
    config: AlignConfig | None = None,
) -> list[Bead]:
    """Align two sentence lists; embeds every sentence once with ``encoder`` (and, for the token pass, reads
    token states from the bundled e5-small on torch when torch is installed: :func:`token_states`)."""
    es = encoder.encode(list(src), src_lang) if src else np.zeros((0, 1), np.float32)
    et = encoder.encode(list(tgt), tgt_lang) if tgt else np.zeros((0, 1), np.float32)
    return align_passes(src, tgt, es, et, encoder, src_lang=src_lang, tgt_lang=tgt_lang, config=config)


def align_passes(
    src: Sequence[str],
    tgt: Sequence[str],
    es: np.ndarray,
    et: np.ndarray,
    encoder,
    *,
    src_lang: str | None,
    tgt_lang: str | None,
    config: AlignConfig | None = None,
    clock: dict | None = None,
    lattice: dict | None = None,
) -> list[Bead]:
    """The passes of :func:`align` on precomputed sentence embeddings: first path, token pass (or, without torch,
    the orphan split on the first path), re-encoded concatenations when ``config.concat`` asks for them, then the
    moved-sentence links (``align.reorder.link_moved``: the only pass whose beads may cross).
    ``lattice`` (a dict) receives the candidate beads of the last DP run (``corpus.evaluation.oracle.oracle_path``).
    ``clock`` (a dict) accumulates seconds per stage (``align``, ``token_states``, ``spans``), the number of spans
    embedded (``spans_embedded``) and whether the token pass ran (``token_pass``): the evaluation script times
    the stages apart with it."""
    cfg = config or AlignConfig()
    clock = {} if clock is None else clock
    es, et, cal = _calibrated(es, et, cfg)
    clock["calibration"] = cal

    def timed(key, fn, *args, **kw):
        t = time.perf_counter()
        out = fn(*args, **kw)
        clock[key] = clock.get(key, 0.0) + time.perf_counter() - t
        return out

    langs = {"src_lang": src_lang, "tgt_lang": tgt_lang, "config": cfg, "lattice": lattice}
    # the first path only picks the token pass's uncertain beads: orphan pairs are shed from the final path
    path = timed("align", align_embedded, src, tgt, es, et, orphans=False, **langs)
    toks = timed("token_states", token_states, src, tgt, cfg, path)
    if toks is not None:
        clock["token_pass"] = True
        path = timed("align", align_embedded, src, tgt, es, et, token_states=toks, **langs)
    else:
        path = timed("align", split_orphans, path, src, tgt, es, et, cfg)
    if cfg.concat < 2 or not src or not tgt:
        return _rewrite_passes(path, src, tgt, es, et, src_lang, tgt_lang, cfg)

    def spans():
        rs, rt = concat_requests(path, len(src), len(tgt), cfg)
        clock["spans_embedded"] = clock.get("spans_embedded", 0) + len(rs) + len(rt)
        vs, vt = encode_spans(src, rs, encoder, src_lang), encode_spans(tgt, rt, encoder, tgt_lang)
        if cal is not None and cal.applied:  # the spans' vectors live in the same lifted space as the sentences'
            vs, vt = ({k: lift(v[None], cal.a)[0] for k, v in d.items()} for d in (vs, vt))
        return vs, vt

    sv = timed("spans", spans)
    path = timed("align", align_embedded, src, tgt, es, et, spans=sv, token_states=toks, **langs)
    return _rewrite_passes(path, src, tgt, es, et, src_lang, tgt_lang, cfg)


def _rewrite_passes(path: list[Bead], src: Sequence[str], tgt: Sequence[str], es: np.ndarray, et: np.ndarray,
                    src_lang: str | None, tgt_lang: str | None, cfg: AlignConfig) -> list[Bead]:
    """The passes for rewrites (``align.reorder``), whose beads may cross: swapped sentences inside one bead split
    into crossing beads, attribution tag sentences joined to the bead that names their source (or left as null
    beads), then moved sentences linked across the document."""
    if cfg.unswap_margin is not None:
        path = unswap(path, es, et, cfg.moved_sim, cfg.unswap_margin)
    if cfg.fold_tags:
        path = fold_tags(path, src, tgt, es, et, src_lang, tgt_lang, cfg.moved_sim)
    return link_moved(path, es, et, cfg.moved_sim)


def token_states(src: Sequence[str], tgt: Sequence[str], cfg: AlignConfig, path: Sequence[Bead] | None = None):
    """(source, target) per-sentence token vectors for the token pass (``align.tokenpass``), or None when the
    pass is off, a side is empty, torch is not installed, or the first-pass ``path`` has no bead the pass may
    change. With ``path``, only the sentences of those beads are read (None for the others): in news most
    beads are confident 1-1s, and the token states are the pass's main cost."""
    if not cfg.token_pass or not src or not tgt:
        return None
    from align.encoders import token_model
    from align.tokenpass import needed, sentence_tokens

    which_s, which_t = needed(path, cfg.token_pass_conf) if path is not None else (None, None)
    if path is not None and not which_s and not which_t:
        return None
    model = token_model()
    if model is None:
        return None
    return (sentence_tokens(model, src, cfg.token_pass_layer, which_s),
            sentence_tokens(model, tgt, cfg.token_pass_layer, which_t))


def concat_requests(path: Sequence[Bead], n: int, m: int, cfg: AlignConfig) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans ``(start, length)`` (2 <= length <= ``cfg.concat``) of each side worth re-encoding as one
    text: those lying inside the neighbourhood (``cfg.concat_window`` beads either side) of a
    first-pass bead that is not a confident 1-1 (an m-n bead, a null bead, or a 1-1 scoring below
    ``cfg.concat_conf``). Elsewhere the first pass was confident and sums stand in for concatenations."""
    k = cfg.concat
    if k < 2:
        return [], []
    ms = np.zeros(n, dtype=bool)
    mt = np.zeros(m, dtype=bool)
    si = np.zeros(len(path) + 1, dtype=np.int64)  # first src / tgt index of each bead
    ti = np.zeros(len(path) + 1, dtype=np.int64)
    for q, b in enumerate(path):
        si[q + 1] = si[q] + len(b.src)
        ti[q + 1] = ti[q] + len(b.tgt)
    w = cfg.concat_window
    for q, b in enumerate(path):
        if b.kind == "1-1" and b.score >= cfg.concat_conf:
            continue
        q0, q1 = max(0, q - w), min(len(path), q + w + 1)
        ms[max(0, si[q0] - 1) : min(n, si[q1] + 1)] = True
        mt[max(0, ti[q0] - 1) : min(m, ti[q1] + 1)] = True

    def spans(mask: np.ndarray, types_max: int) -> list[tuple[int, int]]:
        c = np.concatenate([[0], np.cumsum(mask)])
        L = len(mask)
        return [(s, l) for l in range(2, min(k, types_max) + 1) for s in range(0, L - l + 1) if c[s + l] - c[s] == l]

    amax = max(a for a, _ in cfg.bead_types)
    bmax = max(b for _, b in cfg.bead_types)
    return spans(ms, amax), spans(mt, bmax)


def _calibrated(es: np.ndarray, et: np.ndarray, cfg: AlignConfig):
    """``es``, ``et`` on the reference encoder's cosine scale (``align.calibrate``; idempotent: lifted vectors
    already score the reference far cosine), with what was measured (None when ``cfg.calibrate`` is off)."""
    if not cfg.calibrate or len(es) == 0 or len(et) == 0:
        return es, et, None
    es2, et2, cal = calibrate(es, et, reference_far=cfg.calibrate_far, below=cfg.calibrate_below)
    return np.ascontiguousarray(es2), np.ascontiguousarray(et2), cal


def encode_spans(texts: Sequence[str], reqs: Sequence[tuple[int, int]], encoder, lang: str | None) -> dict[tuple[int, int], np.ndarray]:
    """Embed each requested span ``(start, length)`` as the concatenation of its sentences."""
    if not reqs:
        return {}
    vecs = encoder.encode([" ".join(texts[s : s + l]) for s, l in reqs], lang)
    return {r: v for r, v in zip(reqs, vecs)}


def align_embedded(
    src: Sequence[str],
    tgt: Sequence[str],
    src_emb: np.ndarray,
    tgt_emb: np.ndarray,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    config: AlignConfig | None = None,
    spans: tuple[dict[tuple[int, int], np.ndarray], dict[tuple[int, int], np.ndarray]] | None = None,
    token_states: tuple[list[np.ndarray], list[np.ndarray]] | None = None,
    orphans: bool = True,
    lattice: dict | None = None,
) -> list[Bead]:
    """Align with precomputed L2-normalised sentence embeddings (rows match ``src`` / ``tgt``).

    ``spans`` optionally gives (source, target) embeddings of concatenated multi-sentence spans keyed
    ``(start, length)``; they replace the normalised sums for those spans in m-n beads. ``token_states``
    (:func:`token_states`) adds the token pass (``align.tokenpass``) when ``config.token_pass`` is on. ``orphans``
    sheds orphan pairs from the result (:func:`split_orphans`); off for a first path that only feeds the token pass.
    ``lattice`` (a dict) receives the candidate beads of the last DP run (``corpus.evaluation.oracle.oracle_path``)."""
    cfg = config or AlignConfig()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    if src_emb.shape[0] != n or tgt_emb.shape[0] != m:
        raise ValueError(f"embeddings ({src_emb.shape[0]}, {tgt_emb.shape[0]}) do not match sentences ({n}, {m})")
    es, et, _ = _calibrated(np.ascontiguousarray(src_emb, dtype=np.float32),
                            np.ascontiguousarray(tgt_emb, dtype=np.float32), cfg)
    ls = np.array([len(s) for s in src], dtype=np.float64)
    lt = np.array([len(t) for t in tgt], dtype=np.float64)
    tok = (dpkernel.token_vectors(src), dpkernel.token_vectors(tgt)) if cfg.token_weight else None
    sv = None
    if spans is not None and (spans[0] or spans[1]):
        amax = max(a for a, _ in cfg.bead_types)
        bmax = max(b for _, b in cfg.bead_types)
        sv = (_span_table(es, amax, spans[0]), _span_table(et, bmax, spans[1]))
    lo, hi = _initial_band(es, et, ls, lt, cfg)
    refine = cfg.refine and (hi - lo).max() > 2 * cfg.refine_band + 1
    path = _dp(es, et, ls, lt, lo, hi, cfg, cfg.bead_types, tok, sv, scores=not refine, lattice=lattice)
    if refine:  # the first path only places the narrower band: its bead scores are not needed
        lo, hi = dpkernel.band_from_path(path, n, m, 1, cfg.refine_band)
        path = _dp(es, et, ls, lt, lo, hi, cfg, cfg.bead_types, tok, sv, lattice=lattice)
    if cfg.token_pass and token_states is not None:
        from align.tokenpass import adjuster

        S, T = token_states
        if len(S) != n or len(T) != m:
            raise ValueError(f"token states ({len(S)}, {len(T)}) do not match sentences ({n}, {m})")
        adjust = adjuster(path, S, T, band=cfg.token_pass_band, weight=cfg.token_pass_weight,
                          centre=cfg.token_pass_centre, mn_penalty=cfg.token_pass_mn_penalty, conf=cfg.token_pass_conf)
        path = _dp(es, et, ls, lt, lo, hi, cfg, cfg.bead_types, tok, sv, adjust=adjust, lattice=lattice)
    return split_orphans(path, src, tgt, es, et, cfg) if orphans else path


def split_orphans(path: Sequence[Bead], src: Sequence[str], tgt: Sequence[str], es: np.ndarray, et: np.ndarray,
                  cfg: AlignConfig) -> list[Bead]:
    """Split an orphan pair off the end of an m-n bead: a sentence the other edition replaced with one of its own.

    The bundled sample's convention (and the stress set's ``replace`` edit) keeps such a pair as its own 1-1 bead,
    which the flags then mark ``unrelated``. Next to a real bead the DP often absorbs the pair into it instead
    (1-1 + 1-1 -> 2-2): the sum of the members still resembles the other side. In a bead with two or more
    sentences on each side, the source and target sentences at one end become a bead of their own when their
    cosine is below ``orphan_sim`` *and* below the best cosine of either of them with another sentence (in the
    bead or within ``orphan_window`` positions): another pairing is more alike than this one. A raw-cosine floor
    alone cannot tell orphans from free translations (see the module docstring). Neither sentence of the pair may
    belong with the rest of the bead: each stays below ``orphan_sim`` with every sentence of the other side, and
    shares no number or Latin name with it (a sentence merged into its neighbour's translation, next to an added
    one, is not an orphan)."""
    if cfg.orphan_sim is None:
        return list(path)
    out: list[Bead] = []
    for b in path:
        out.extend(_split_orphan_ends(b, src, tgt, es, et, cfg) if len(b.src) >= 2 and len(b.tgt) >= 2 else [b])
    return out


def _split_orphan_ends(b: Bead, src_texts: Sequence[str], tgt_texts: Sequence[str], es: np.ndarray, et: np.ndarray,
                       cfg: AlignConfig) -> list[Bead]:
    w = int(cfg.orphan_window)
    toks = {("src", i): dpkernel.copy_tokens(src_texts[i]) for i in b.src}
    toks.update({("tgt", j): dpkernel.copy_tokens(tgt_texts[j]) for j in b.tgt})

    def rival(x: int, E: np.ndarray, F: np.ndarray, own: int) -> float:
        near = F[max(0, own - w) : own + w + 1] @ E[x]
        return float(np.delete(near, own - max(0, own - w)).max(initial=-1.0))

    src, tgt = list(b.src), list(b.tgt)
    head: list[Bead] = []
    tail: list[Bead] = []
    while len(src) >= 2 and len(tgt) >= 2:
        best = None
        for end in (0, -1):
            s, t = src[end], tgt[end]
            c, r = float(es[s] @ et[t]), max(rival(s, es, et, t), rival(t, et, es, s))
            # neither sentence may belong with the rest of the bead either (a merged sentence next to an added one)
            core_s = [i for i in src if i != s]
            core_t = [j for j in tgt if j != t]
            inside = max(float((es[core_s] @ et[t]).max()), float((et[core_t] @ es[s]).max()))
            shared = any(toks["src", s] & toks["tgt", j] for j in core_t) or any(toks["tgt", t] & toks["src", i]
                                                                                 for i in core_s)
            if c < cfg.orphan_sim and c < r and inside < cfg.orphan_sim and not shared:
                best = min(best or (2.0, 0, 1.0), (c, end, r))
        if best is None:
            break
        c, end, r = best
        # scored like the DP's beads, with the rival's cosine as the normaliser (a margin below 1: a low score)
        pair = Bead((src.pop(end),), (tgt.pop(end),), _pair_score(c / max(r, 1e-6), cfg))
        (head if end == 0 else tail).append(pair)
    if not head and not tail:
        return [b]
    return head + [Bead(tuple(src), tuple(tgt), b.score)] + tail[::-1]


def _span_table(e: np.ndarray, kmax: int, given: dict[tuple[int, int], np.ndarray]) -> np.ndarray:
    """V[k-1, j] = vector of the span of rows j-k..j-1: a given (concatenation) embedding where
    available, else the normalised sum; shape (kmax, len+1, d)."""
    v = _span_vectors(_prefix(e), kmax)
    for (s, l), vec in given.items():
        if 1 <= l <= kmax and s + l <= len(e):
            v[l - 1, s + l] = vec
    return v


# --------------------------------------------------------------------------- banded DP
def _initial_band(es, et, ls, lt, cfg: AlignConfig) -> tuple[np.ndarray, np.ndarray]:
    """Per-row allowed j range [lo_i, hi_i) (hi exclusive) of DP rows i = 0..n."""
    n, m = len(es), len(et)
    if (n + 1) * (m + 1) <= cfg.max_full_cells:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64)
    r = max(2, min(cfg.downsample, math.ceil(max(n, m) / cfg.coarse_size)))
    ces, cls = _downsample(es, ls, r)
    cet, clt = _downsample(et, lt, r)
    ccfg = replace(cfg, bead_types=COARSE_TYPES, token_weight=0.0, refine=False)
    clo, chi = _initial_band(ces, cet, cls, clt, ccfg)
    cpath = _dp(ces, cet, cls, clt, clo, chi, ccfg, COARSE_TYPES, None, scores=False)
    return dpkernel.band_from_path(cpath, n, m, r, max(cfg.band, 2 * r))


def _downsample(e: np.ndarray, lens: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(e)
    k = math.ceil(n / r)
    pad = k * r - n
    ep = np.concatenate([e, np.zeros((pad, e.shape[1]), e.dtype)]) if pad else e
    v = ep.reshape(k, r, -1).sum(axis=1)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    lp = np.concatenate([lens, np.zeros(pad)]) if pad else lens
    return v.astype(np.float32), lp.reshape(k, r).sum(axis=1)


def _prefix(e: np.ndarray) -> np.ndarray:
    p = np.zeros((len(e) + 1, e.shape[1]), dtype=np.float64)
    np.cumsum(e, axis=0, out=p[1:])
    return p


def _span_vectors(p: np.ndarray, kmax: int) -> np.ndarray:
    """V[k-1, j] = normalised sum of rows j-k..j-1 (zeros where j < k); shape (kmax, len+1, d)."""
    L, d = p.shape
    v = np.zeros((kmax, L, d), dtype=np.float32)
    for k in range(1, kmax + 1):
        s = p[k:] - p[:-k]
        s /= np.maximum(np.linalg.norm(s, axis=1, keepdims=True), 1e-12)
        v[k - 1, k:] = s
    return v


def _layout_span_dots(vs: np.ndarray, vt: np.ndarray, lo: np.ndarray, W: int, types, chunk: int = 64) -> np.ndarray:
    """out[i, t, k] = <vs[a-1, i], vt[b-1, j]> for type t = (a, b), j = lo[i] + k (span tables)."""
    n1 = len(lo)
    m1 = vt.shape[1]
    out = np.zeros((n1, len(types), W), dtype=np.float32)
    cols = np.arange(W)
    for c0 in range(0, n1, chunk):
        c1 = min(n1, c0 + chunk)
        t0, t1 = int(lo[c0]), min(m1, int(lo[c1 - 1]) + W)
        if t1 <= t0:
            continue
        cj = np.clip(lo[c0:c1, None] + cols[None, :] - t0, 0, t1 - t0 - 1)
        ri = np.arange(c1 - c0)[:, None]
        for ti, (a, b) in enumerate(types):
            M = vs[a - 1, c0:c1] @ vt[b - 1, t0:t1].T
            out[c0:c1, ti] = M[ri, cj]
    return out


def _layout_neighbours(vs: np.ndarray, vt: np.ndarray, lo: np.ndarray, W: int, types, chunk: int = 64) -> np.ndarray:
    """Bertalign's neighbour similarity: out[i, t, k] for type t = (a, b) ending at (i, j = lo[i]+k) is
    the mean of (a) the source span's mean cosine with the target sentences just before and just
    after the target span and (b) the target span's mean cosine with the source sentences around the
    source span (missing neighbours at document edges are left out). ``vs`` / ``vt`` are span tables."""
    n1 = len(lo)
    n, m = vs.shape[1] - 1, vt.shape[1] - 1
    es, et = vs[0, 1:], vt[0, 1:]  # sentence rows
    amax = max(a for a, _ in types)
    bmax = max(b for _, b in types)
    out = np.zeros((n1, len(types), W), dtype=np.float32)
    cols = np.arange(W)
    for c0 in range(0, n1, chunk):
        c1 = min(n1, c0 + chunk)
        I = np.arange(c0, c1)[:, None]
        J = lo[c0:c1, None] + cols[None, :]
        t0, t1 = max(0, int(lo[c0]) - bmax - 1), min(m, int(lo[c1 - 1]) + W + 1)
        s0, s1 = max(0, c0 - amax - 1), min(n, c1 + 1)
        Jc = np.clip(J, 0, m)
        for ti, (a, b) in enumerate(types):
            # source span (rows c0..c1) vs target sentences t0..t1
            Ms = vs[a - 1, c0:c1] @ et[t0:t1].T if t1 > t0 else np.zeros((c1 - c0, 1), np.float32)
            jl, jr = J - b - 1, J  # sentence indices left / right of the target span
            okl, okr = (jl >= 0) & (jl < m), (jr >= 0) & (jr < m)
            ri = np.arange(c1 - c0)[:, None]
            sl = np.where(okl, Ms[ri, np.clip(jl - t0, 0, Ms.shape[1] - 1)], 0.0)
            sr = np.where(okr, Ms[ri, np.clip(jr - t0, 0, Ms.shape[1] - 1)], 0.0)
            tside = (sl + sr) / np.maximum(okl.astype(np.float32) + okr, 1)
            # target span (columns) vs source sentences s0..s1
            tv = vt[b - 1, max(0, int(lo[c0])) : min(m + 1, int(lo[c1 - 1]) + W)]
            Mt = es[s0:s1] @ tv.T if s1 > s0 and len(tv) else np.zeros((1, 1), np.float32)
            cj = np.clip(Jc - max(0, int(lo[c0])), 0, Mt.shape[1] - 1)
            il, ir = I - a - 1, I  # sentence indices above / below the source span
            okl2, okr2 = (il >= 0) & (il < n), (ir >= 0) & (ir < n)
            okl2, okr2 = np.broadcast_to(okl2, J.shape), np.broadcast_to(okr2, J.shape)
            ul = np.where(okl2, Mt[np.clip(il - s0, 0, Mt.shape[0] - 1), cj], 0.0)
            ur = np.where(okr2, Mt[np.clip(ir - s0, 0, Mt.shape[0] - 1), cj], 0.0)
            sside = (ul + ur) / np.maximum(okl2.astype(np.float32) + okr2, 1)
            out[c0:c1, ti] = (tside + sside) / 2
    return out


def _dp(es, et, ls, lt, lo, hi, cfg: AlignConfig, types, tok, sv=None, scores: bool = True, adjust=None,
        lattice: dict | None = None) -> list[Bead]:
    """Exact DP over the band (vectorised per row); returns beads with 0-1 scores. ``adjust(G, valid, lo, types)``
    may change the gains and the allowed cells before the DP runs (the token pass). ``lattice`` (a dict) receives
    the candidate beads the DP chose from (``corpus.evaluation.oracle.oracle_path``)."""
    n, m = len(es), len(et)
    types = tuple(types)
    amax = max(a for a, _ in types)
    bmax = max(b for _, b in types)
    prefix_src, prefix_tgt = dpkernel.prefix(es), dpkernel.prefix(et)
    norm_src = dpkernel.span_norms(prefix_src, amax)  # (amax, n+1)
    norm_tgt = dpkernel.span_norms(prefix_tgt, bmax)  # (bmax, m+1)
    W = int((hi - lo).max())
    cols = np.arange(W)
    J = lo[:, None] + cols[None, :]  # DP column of each layout cell
    valid = (cols[None, :] < (hi - lo)[:, None]) & (J <= m)
    all_types = types + ((1, 1),) if (1, 1) not in types else types
    if sv is None:
        cos = dpkernel.layout_cos(es, et, lo, W, all_types, norm_src, norm_tgt, m)
    else:
        cos = _layout_span_dots(sv[0], sv[1], lo, W, all_types)
    neighbour_cos = None
    if cfg.neighbour_weight:
        amax_, bmax_ = max(amax, 1), max(bmax, 1)
        if all((a, 1) in all_types and (1, b) in all_types for a, b in types):
            neighbour_cos = dpkernel.neighbours(cos, all_types, types, lo, n, m)
        else:  # a custom type set without the (a, 1) / (1, b) cosines: materialise span vectors
            svs = sv if sv is not None else (_span_vectors(prefix_src, amax_), _span_vectors(prefix_tgt, bmax_))
            neighbour_cos = _layout_neighbours(svs[0], svs[1], lo, W, types)
    t11 = all_types.index((1, 1))
    knn_src, knn_tgt, best_s, best_t = dpkernel.knn(cos[:, t11], lo, valid, n, m, cfg.knn)
    knn_src_cum = np.concatenate([[0.0], np.cumsum(knn_src)])
    knn_tgt_cum = np.concatenate([[0.0], np.cumsum(knn_tgt)])
    len_src_cum = np.concatenate([[0.0], np.cumsum(ls)])
    len_tgt_cum = np.concatenate([[0.0], np.cumsum(lt)])
    ratio = max(len_tgt_cum[-1], 1.0) / max(len_src_cum[-1], 1.0)
    if tok is not None:
        tok_dots = dpkernel.layout_dots(tok[0], tok[1], lo, W, types)
        # (amax, n+1): token count of each source span
        tok_count_src = dpkernel.span_norms(dpkernel.prefix(tok[0]), amax) ** 2
        tok_count_tgt = dpkernel.span_norms(dpkernel.prefix(tok[1]), bmax) ** 2
    nt_ = len(types)
    # The gain of every bead type at every band cell, in one compiled pass (align.dpkernel.gains; its
    # numpy twin _numpy_gains is the fallback and the reference the tests compare with).
    G = dpkernel.gains(cos, lo, valid, types, m, knn_src_cum, knn_tgt_cum, threshold=cfg.threshold,
                       mn_penalty=cfg.mn_penalty,
                       size_exponent=cfg.size_exponent, null_gain=cfg.null_gain, length_weight=cfg.length_weight,
                       len_src_cum=len_src_cum, len_tgt_cum=len_tgt_cum, ratio=ratio, token_weight=cfg.token_weight,
                       neighbour_weight=cfg.neighbour_weight if neighbour_cos is not None else 0.0,
                       neighbour_cos=neighbour_cos,
                       **(dict(tok_dots=tok_dots, tok_count_src=tok_count_src, tok_count_tgt=tok_count_tgt)
                          if tok is not None else {}))
    if adjust is not None:
        G, valid = adjust(G, valid, lo, types)
    if lattice is not None:
        lattice.update(G=G, valid=valid, lo=lo, types=types, n=n, m=m)
    shifts_a = [a for a, _ in types] + [1]
    shifts_b = [b for _, b in types] + [0]

    P = bmax
    Dp, Bk = dpkernel.dp_fill(G, lo, valid, shifts_a, shifts_b, cfg.null_gain, P)  # compiled row loop
    T_NULL_S, T_NULL_T = nt_, nt_ + 1

    if sv is None:  # compiled trace-back, vectorised bead scores (align.dpkernel.trace_beads)
        return dpkernel.trace_beads(Bk, lo, types, m, prefix_src, prefix_tgt, norm_src, norm_tgt, knn_src_cum,
                                    knn_tgt_cum, knn_src, knn_tgt, best_s, best_t,
                                    lambda x: _pair_score(x, cfg), lambda c, k: _null_score(c, k, cfg), scores=scores)
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(lo[i])
        t = int(Bk[i, k])
        if t == T_NULL_T or (i == 0):
            beads.append(Bead((), (j - 1,), _null_score(best_t[j - 1], knn_tgt[j - 1], cfg)))
            j -= 1
        elif t == T_NULL_S or t < 0:
            beads.append(Bead((i - 1,), (), _null_score(best_s[i - 1], knn_src[i - 1], cfg)))
            i -= 1
        else:
            a, b = types[t]
            if sv is None:
                c = float((prefix_src[i] - prefix_src[i - a]) @ (prefix_tgt[j] - prefix_tgt[j - b]))
                c /= max(norm_src[a - 1, i] * norm_tgt[b - 1, j], 1e-9)
            else:
                c = float(sv[0][a - 1, i] @ sv[1][b - 1, j])
            kn = ((knn_src_cum[i] - knn_src_cum[i - a]) / a + (knn_tgt_cum[j] - knn_tgt_cum[j - b]) / b) / 2
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), _pair_score(c / max(kn, 1e-6), cfg)))
            i, j = i - a, j - b
    beads.reverse()
    return beads


def _pair_score(margin: float, cfg: AlignConfig) -> float:
    """Margin → 0-1 (0.5 at the null threshold)."""
    return round(1.0 / (1.0 + math.exp(-25.0 * (margin - cfg.threshold))), 4)


def _null_score(best_cos: float, knn: float, cfg: AlignConfig) -> float:
    """Confidence that a sentence has no counterpart: high when even its best candidate is weak."""
    return round(1.0 - _pair_score(best_cos / max(knn, 1e-6), cfg), 4) if knn > 0 else 1.0
