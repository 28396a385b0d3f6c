"""Sentence alignment of two documents with multilingual sentence embeddings.

``align(src, tgt, encoder, src_lang=..., tgt_lang=...)`` embeds each sentence once (plus, only with
``concat``, some multi-sentence concatenations) and calls
``align_embedded``, which returns monotone beads (1-1, 1-0, 0-1 and m-n up to 4-1 / 1-4 / 2-3 / 3-2)
covering every sentence exactly once, each with a 0-1 score.

The pieces and why they are there. Effects are strict F1 on the tuning splits textberg-dev and
(later) opusbooks-enru-val, bundled e5-small, measured with /tmp grid runs over ``align_embedded``
(same code as ``scripts/eval_alignment.py --dataset textberg-dev --config ...``):

* **Sentence embeddings only; a multi-sentence side is the L2-normalised sum of its members.**
  Vecalign and Bertalign re-encode every concatenation of up to k sentences (k x the encoder
  calls, the dominant cost). Here the encoder runs once per sentence, and span-by-span cosines come
  from 2-D prefix sums of one small dot-product matrix per chunk of rows (the dot of two sums is
  the sum of the pairwise dots). Re-encoded concatenations are an optional second pass (``concat``,
  below); they did not beat the sums on textberg-dev or opusbooks-enru-val.
* **Ratio margin instead of raw cosine** (LASER, Artetxe & Schwenk 2019). e5-small compresses
  cosines (unrelated sentences often score 0.75+); the bead score is ``cos / mean(kNN_x, kNN_y)``,
  kNN = mean cosine of a sentence to its k best candidates inside the band (span: mean over
  members). The null threshold is then in margin units (0.92); with a raw-cosine threshold no
  setting worked for both 1-1 and null beads. knn 2 / 4 / 8 gave 0.835 / 0.865 / 0.861 in a grid on
  an earlier revision; without the neighbour contrast the defaults measure 0.8495 on textberg-dev.
* **Gain shape.** A matched bead gains ``margin - threshold`` regardless of its size, minus
  ``mn_penalty`` per extra sentence; a null bead gains ``null_gain`` (-0.03, so short fragments are
  merged rather than dropped). Scaling the gain with bead size over-merged (0.63-0.82 vs 0.86).
* **Length-ratio evidence**, |log(len_tgt / (c * len_src))| with c the document's character ratio
  (Gale-Church's signal; sums of embeddings stay close to either member of an m-n bead): weight
  0.2 vs 0.05 gave +0.01..0.03.
* **Identical-token evidence.** Numbers, Latin-script capitalised words and a few symbols survive
  translation verbatim; a hashed bag of them per sentence goes through the same prefix-sum dot
  machinery; overlap adds up to ``token_weight``, a clash (both sides have tokens, none shared)
  subtracts half. 0.05: +0.005 over 0; 0.15 hurt (-0.04..0.06).
* **Linear time and memory: recursive downsampling** (as in Vecalign). Long documents are aligned
  first at a coarse resolution (blocks of <= 8 sentences summed into one vector), recursively until
  the coarse DP is small, then the coarse path is projected back and widened into a band; the exact
  DP runs only inside the band, vectorised per row (a run of 0-1 steps inside a row is a running
  maximum). No N x M array is allocated: 10k x 10k peaks at ~160 MB traced.
* **Neighbour contrast** (Bertalign, default weight 0.2): a bead also gains
  ``neighbour_weight * (cos - nbr) / kNN``, nbr = mean cosine of each side's span with the sentences
  just before and after the other side's span. The kNN margin compares a span with the whole band;
  this compares it with its immediate rivals, which is exactly the decision behind an m-n bead (take
  the next sentence in, or leave it to the neighbouring bead). Strict F1 (eval script, weight 0 /
  0.2): textberg-dev 0.8495 / 0.8678, opusbooks-enru-val 0.9043 / 0.9081, tass-stress 0.9835 /
  0.9887; 0.1 / 0.15 / 0.25 / 0.4 gave 0.850 / 0.868 / 0.868 / 0.864 on textberg-dev. The
  neighbour cosines are read off the (a, 1) / (1, b) cosines the gains already hold
  (``align.dpkernel.neighbours``, compiled: no span vectors, no extra matrix products, same F1 on all three
  sets); materialising span vectors (``_layout_neighbours``) is only the fallback for custom
  bead-type sets, and took opusbooks-enru-val alignment from ~7 s to ~11 s.
* **Optional second pass on re-encoded concatenations** (``concat=k``, off by default): spans of
  2..k sentences around first-pass beads that are not confident 1-1 (m-n, null, 1-1 scoring below
  ``concat_conf``) are embedded as one text and replace the sums. Measured (nw 0.2): textberg-dev
  0.8678 -> 0.8654 (k=3) / 0.8664 (k=4); opusbooks-enru-val 0.9081 -> 0.9085 (k=3, 7,242 spans,
  1,163 s of embedding on the shared machine). Only on the first 500 gold beads of
  opusbooks-enru-val did it help (0.921 -> 0.9345), which the full split did not confirm. So the sums
  cost no measurable accuracy here, and concatenations stay an opt-in. ``concat_window`` 0 requests
  fewer spans than 2 (textberg-dev k=3: 1409 vs 1892) at identical F1 on textberg-dev and the
  opusbooks slice, hence default 0. Cost: the spans hold ~2-8x the sentences' tokens (textberg-dev
  k=4, all spans: 311k tokens vs 39k).
* **Tried on textberg-dev / opusbooks-enru-val and not adopted** (strict F1 vs 0.8495 / 0.9043
  baseline; code removed): span normaliser = the span's own kNN among same-size spans
  (0.824 / 0.894; with mn_penalty 0, null_gain -0.06: 0.843 / 0.914); max of members' kNN (0.855 /
  0.905); length-weighted member kNN (0.846 / -); per-type kNN inflation factor (0.832 / 0.896);
  mean-centred embeddings (<= 0.832 for any threshold, ratio or difference margin); penalty on the
  worst member margin of an m-n span (<= 0.861 / 0.905); m-n penalty growing as (a+b-2)**1.5 / **2
  (0.854 / 0.907, 0.821 / 0.905); length-weighted span sums (mimic mean pooling of a concatenation;
  with nw 0.2: 0.861 / 0.911, but tass-stress 0.973); a bead-type prior re-estimated from the first
  pass (<= 0.857); Bertalign's gain ``(cos - nbr) * log2(1 + min/max length)`` on sums (0.833 /
  0.914-0.918); dropping the 2-2 type (0.822 / 0.905). Re-tuning threshold / knn / mn_penalty / null_gain / length_weight /
  token_weight around nw 0.2 found nothing better than the defaults on textberg-dev.
  Later (2026-11-29, with the token pass): splitting a final 2-2 bead into two 1-1 beads when its diagonal
  cosines beat its cross cosines (min(c11, c22) − max(c12, c21) > τ). On textberg-dev 14 of the 17 predicted
  2-2 beads are right, and every τ in 0–0.08 broke more than it fixed (τ 0: 7 broken, 0 fixed); on
  opusbooks-enru-val τ 0 fixed 9 and broke 7. Over-merged 1-1 pairs (``1-1 -> 2-2``, the commonest Text+Berg test
  error) look like real 2-2 beads to sentence cosines.
  Also with the token pass (textberg-dev / opusbooks-enru-val / stress seed 17, defaults 0.9130 / 0.9152 / 0.9683):
  wider bead types (adding 3-3, 1-5, 5-1, 2-4, 4-2) 0.9133 / 0.9157 / 0.9683, within noise and a slower DP;
  ``null_gain`` -0.02 / -0.04 / -0.05: 0.9074 / 0.9027 / 0.8856 on textberg-dev (0.9134 / 0.9157 / 0.9168,
  0.9722 / 0.9683 / 0.9683 on the others); the e5 ``passage:`` prefix instead of ``query:``: 0.9035 on textberg-dev.
  Then (same defaults; textberg-dev unless named), none adopted:
  - *A linear map of the source vectors fitted to the document's own confident 1-1 beads* (no gold; top 70 % or
    40 % of the 1-1 beads by score, per document or pooled): orthogonal Procrustes 0.8796 / 0.8674; ridge towards
    the identity, λ 0.03 / 0.1 / 0.3, 0.905 / 0.906 / 0.913, and λ ≥ 1 changes nothing.
  - *A bead-end penalty at weak segment boundaries* (after a segment ending in ':' or ';', inside an unclosed
    parenthesis, or before a lower-case start), on the token pass's candidates: ':' / ';' at 0.02 / 0.05 / 0.1,
    0.9105 / 0.9087 / 0.8906; parenthesis and lower case, 0.913 at every weight; as a mismatch of the two sides'
    boundaries, 0.9095 / 0.913 / 0.9001. Only 80 of the 175 boundaries after ':' / ';' are gold bead ends here.
  - *A lower 1-0 gain for a well-formed sentence* (letters and end punctuation) than for debris (captions, OCR
    junk), λ 0.05: textberg-dev 0.9165, opusbooks-enru-val 0.9182, stress seeds 17 / 19 0.9644 / 0.9696 (defaults
    0.9683 / 0.9612). Seed 17 loses, and the gain works against the null beads of deleted well-formed sentences,
    which the omission flags are built on, so it stays out.
  - *ROVER over ten configurations* (token layers 4-8, neighbour weight 0.15, knn 3, centre 0.35 / 0.45, length
    weight 0.3; a monotone DP over the union of their beads, gain = votes - half): 0.913. The union of all ten
    outputs holds 355 of the 381 gold beads against the default's 354: the configurations make the same errors.
* **Token pass** (``align.tokenpass``, on when torch is installed): near every bead that is not a confident
  1-1, candidate beads gain from how well each member sentence's tokens are covered by the other side's span
  (middle-layer token states of the bundled e5-small), and the DP runs again there. Sums of sentence vectors
  find the right region (lax F1 0.985 on textberg-dev) but not the boundaries; tokens decide whether a
  sentence belongs in the bead. Strict F1 (eval script): textberg-dev 0.868 -> 0.913, opusbooks-enru-val
  0.908 -> 0.915, tass-stress seed 17 (tuning) 0.990 -> 0.994; reported sets in README.
* **Orphan pairs split off m-n beads** (``split_orphans``, on the final path). A line the other edition replaced
  with its own (TASS's English edition swaps background sentences; the stress set's ``replace`` edit) is a 1-1
  bead of two unrelated sentences in the bundled sample's gold and the stress set's. Next to a real bead the DP
  absorbs it (1-1 + 1-1 -> 2-2): the sum of the members still resembles the other side. In a bead with two or
  more sentences on each side, the pair at one end is split off when its cosine is below ``orphan_sim`` (0.88)
  and below the best cosine of either sentence with another one (in the bead or within ``orphan_window`` = 10
  positions), and neither sentence belongs with the rest of the bead (every cosine with the other side's other
  members below 0.88, no shared number or Latin name: a merged sentence next to an added one stays). Strict F1,
  bundled e5-small, without -> with: textberg-dev 0.913 -> 0.913, opusbooks-enru-val 0.9147 -> 0.9152,
  tass-stress seed 17 0.9557 -> 0.9683 (seeds 19 / 23, also tuning, e5-small-torch: 0.945 -> 0.961 / 0.943 ->
  0.966); reported: Text+Berg test 0.8788 -> 0.8885 (its commonest error, ``1-1 -> 2-2``, 28 -> 11), OPUS Books
  test 0.9304 -> 0.9312, stress seeds 13 / 29 0.9723 -> 0.9858 / 0.9678 -> 0.9809. In the floor grid
  (e5-small-torch) 0.84-0.88 never lost on a tuning set, 0.90 did (textberg-dev 0.9085). Tried first and not
  adopted (with a stress set whose replaced lines were gold 1-0 + 0-1, e5-small-torch): shedding the pair as a
  1-0 and a 0-1 bead, from 1-1 beads too (textberg-dev 0.913 -> 0.902 / 0.843 at floors 0.80 / 0.82; at 0.78 no
  loss on the tuning sets, but Text+Berg test, bundled e5-small, 0.8788 -> 0.8736); and, with the present gold,
  without the "belongs with the rest" test (bundled e5-small, other-member floor 0.86: textberg-dev 0.913 ->
  0.914, opusbooks-enru-val 0.9161; but the demo's sentence merged into its neighbour's translation, next to an
  added one, was split off with it).
* **A second refinement pass** re-centres a narrower band on the first path and recomputes the kNN
  normalisers there. On textberg-dev (short documents, full band) it changed nothing measurable
  (0.8322 vs 0.8327 without); it is meant for long documents, where the first pass's band is wide.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, replace
from typing import Sequence

import numpy as np

from corpus.records import Bead

from . import dpkernel
from .reorder import link_moved

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
    # moved sentences (``align.reorder.link_moved``): a 1-0 and a 0-1 bead in different gaps whose sentences are each
    # other's best match at least this alike become one crossing 1-1 bead (None: off, the beads stay monotone)
    moved_sim: float | None = 0.85

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
    ``lattice`` (a dict) receives the candidate beads of the last DP run (:func:`oracle_path`).
    ``clock`` (a dict) accumulates seconds per stage (``align``, ``token_states``, ``spans``), the number of spans
    embedded (``spans_embedded``) and whether the token pass ran (``token_pass``): the evaluation script times
    the stages apart with it."""
    cfg = config or AlignConfig()
    clock = {} if clock is None else clock

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
        return link_moved(path, es, et, cfg.moved_sim)

    def spans():
        rs, rt = concat_requests(path, len(src), len(tgt), cfg)
        clock["spans_embedded"] = clock.get("spans_embedded", 0) + len(rs) + len(rt)
        return encode_spans(src, rs, encoder, src_lang), encode_spans(tgt, rt, encoder, tgt_lang)

    sv = timed("spans", spans)
    path = timed("align", align_embedded, src, tgt, es, et, spans=sv, token_states=toks, **langs)
    return link_moved(path, es, et, cfg.moved_sim)


def token_states(src: Sequence[str], tgt: Sequence[str], cfg: AlignConfig, path: Sequence[Bead] | None = None):
    """(source, target) per-sentence token vectors for the token pass (``align.tokenpass``), or None when the
    pass is off, a side is empty, torch is not installed, or the first-pass ``path`` has no bead the pass may
    change. With ``path``, only the sentences of those beads are read (None for the others): in news most
    beads are confident 1-1s, and the token states are the pass's main cost."""
    if not cfg.token_pass or not src or not tgt:
        return None
    from align.flags import token_model
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
    ``lattice`` (a dict) receives the candidate beads of the last DP run (:func:`oracle_path`)."""
    cfg = config or AlignConfig()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    if src_emb.shape[0] != n or tgt_emb.shape[0] != m:
        raise ValueError(f"embeddings ({src_emb.shape[0]}, {tgt_emb.shape[0]}) do not match sentences ({n}, {m})")
    es = np.ascontiguousarray(src_emb, dtype=np.float32)
    et = np.ascontiguousarray(tgt_emb, dtype=np.float32)
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


def oracle_path(lattice: dict, gold: Sequence[Bead]) -> list[Bead]:
    """The path through a DP's candidate beads (``lattice``, filled by :func:`align_embedded`) with the most beads
    of ``gold``: what the best rescoring of the same candidates could reach. ``scripts/eval_alignment.py
    --oracle`` reports it, to tell errors of the search space (the gold bead was never a candidate: a type the
    aligner lacks, a bead the token pass kept fixed, a cell off the band) from errors of the scores.

    A gold bead among the candidates gains 1 and every other candidate loses 0.01. A 0-1 step has one constant
    gain in the DP (it is not a cell of the lattice), so it always loses 0.01: gold 0-1 beads are taken where the
    path needs them but not sought, and the oracle is a lower bound of the best path. The result is not passed
    through :func:`split_orphans`."""
    G, valid, lo, types, m = lattice["G"], lattice["valid"], lattice["lo"], tuple(lattice["types"]), lattice["m"]
    nt = len(types)
    ok = G > NEG / 2
    O = np.where(ok, np.float32(-0.01), np.float32(NEG))
    for b in gold:
        if len(b.src) == 1 and not b.tgt:  # the 1-0 channel (one source sentence, whatever the column)
            O[b.src[0] + 1, nt][ok[b.src[0] + 1, nt]] = 1.0
        elif b.src and b.tgt and isinstance(cell := lattice_cell(lattice, b), tuple):
            O[cell] = 1.0
    sa, sb = [a for a, _ in types] + [1], [b for _, b in types] + [0]
    steps, _ = dpkernel.dp_path(O, lo, valid, sa, sb, -0.01, m)
    beads = []
    for t, i, j in steps.tolist():
        if t < nt:
            a, b = types[t]
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), 1.0))
        else:
            beads.append(Bead((i - 1,), (), 1.0) if t == nt else Bead((), (j - 1,), 1.0))
    return beads


def lattice_cell(lattice: dict, b: Bead) -> tuple[int, int, int] | str:
    """Where a bead with two sides ends among a DP's candidate beads (``lattice``, see :func:`oracle_path`): its
    (row, type, layout column), or why it is not a candidate: ``non_contiguous`` (no monotone path holds it),
    ``bead_type`` (a type beyond the DP's) or ``not_a_candidate`` (off the band, or excluded by the token pass)."""
    types = tuple(lattice["types"])
    i, j = b.src[-1] + 1, b.tgt[-1] + 1
    if list(b.src) != list(range(b.src[0], i)) or list(b.tgt) != list(range(b.tgt[0], j)):
        return "non_contiguous"
    if (len(b.src), len(b.tgt)) not in types:
        return "bead_type"
    t, k = types.index((len(b.src), len(b.tgt))), j - int(lattice["lo"][i])
    G = lattice["G"]
    if 0 <= k < G.shape[2] and lattice["valid"][i, k] and G[i, t, k] > NEG / 2:
        return i, t, k
    return "not_a_candidate"


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
    ks = np.arange(W)
    for c0 in range(0, n1, chunk):
        c1 = min(n1, c0 + chunk)
        t0, t1 = int(lo[c0]), min(m1, int(lo[c1 - 1]) + W)
        if t1 <= t0:
            continue
        cj = np.clip(lo[c0:c1, None] + ks[None, :] - t0, 0, t1 - t0 - 1)
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
    ks = np.arange(W)
    for c0 in range(0, n1, chunk):
        c1 = min(n1, c0 + chunk)
        I = np.arange(c0, c1)[:, None]
        J = lo[c0:c1, None] + ks[None, :]
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
    the candidate beads the DP chose from (:func:`oracle_path`)."""
    n, m = len(es), len(et)
    types = tuple(types)
    amax = max(a for a, _ in types)
    bmax = max(b for _, b in types)
    ps, pt = dpkernel.prefix(es), dpkernel.prefix(et)
    ns_e = dpkernel.span_norms(ps, amax)  # (amax, n+1)
    nt_e = dpkernel.span_norms(pt, bmax)  # (bmax, m+1)
    W = int((hi - lo).max())
    ks_ = np.arange(W)
    J = lo[:, None] + ks_[None, :]  # DP column of each layout cell
    valid = (ks_[None, :] < (hi - lo)[:, None]) & (J <= m)
    all_types = types + ((1, 1),) if (1, 1) not in types else types
    if sv is None:
        cos = dpkernel.layout_cos(es, et, lo, W, all_types, ns_e, nt_e, m)
    else:
        cos = _layout_span_dots(sv[0], sv[1], lo, W, all_types)
    nbr = None
    if cfg.neighbour_weight:
        amax_, bmax_ = max(amax, 1), max(bmax, 1)
        if all((a, 1) in all_types and (1, b) in all_types for a, b in types):
            nbr = dpkernel.neighbours(cos, all_types, types, lo, n, m)
        else:  # a custom type set without the (a, 1) / (1, b) cosines: materialise span vectors
            svs = sv if sv is not None else (_span_vectors(ps, amax_), _span_vectors(pt, bmax_))
            nbr = _layout_neighbours(svs[0], svs[1], lo, W, types)
    t11 = all_types.index((1, 1))
    ks, kt, best_s, best_t = dpkernel.knn(cos[:, t11], lo, valid, n, m, cfg.knn)
    cks = np.concatenate([[0.0], np.cumsum(ks)])
    ckt = np.concatenate([[0.0], np.cumsum(kt)])
    cls_ = np.concatenate([[0.0], np.cumsum(ls)])
    clt = np.concatenate([[0.0], np.cumsum(lt)])
    ratio = max(clt[-1], 1.0) / max(cls_[-1], 1.0)
    if tok is not None:
        tdot = dpkernel.layout_dots(tok[0], tok[1], lo, W, types)
        ns = dpkernel.span_norms(dpkernel.prefix(tok[0]), amax) ** 2  # (amax, n+1): token count of each src span
        nt = dpkernel.span_norms(dpkernel.prefix(tok[1]), bmax) ** 2
    nt_ = len(types)
    # The gain of every bead type at every band cell, in one compiled pass (align.dpkernel.gains; its
    # numpy twin _numpy_gains is the fallback and the reference the tests compare with).
    G = dpkernel.gains(cos, lo, valid, types, m, cks, ckt, threshold=cfg.threshold, mn_penalty=cfg.mn_penalty,
                       size_exponent=cfg.size_exponent, null_gain=cfg.null_gain, length_weight=cfg.length_weight,
                       cls_=cls_, clt=clt, ratio=ratio, token_weight=cfg.token_weight,
                       neighbour_weight=cfg.neighbour_weight if nbr is not None else 0.0, nbr=nbr,
                       **(dict(tdot=tdot, ns=ns, nt=nt) if tok is not None else {}))
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
        return dpkernel.trace_beads(Bk, lo, types, m, ps, pt, ns_e, nt_e, cks, ckt, ks, kt, best_s, best_t,
                                    lambda x: _pair_score(x, cfg), lambda c, k: _null_score(c, k, cfg), scores=scores)
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(lo[i])
        t = int(Bk[i, k])
        if t == T_NULL_T or (i == 0):
            beads.append(Bead((), (j - 1,), _null_score(best_t[j - 1], kt[j - 1], cfg)))
            j -= 1
        elif t == T_NULL_S or t < 0:
            beads.append(Bead((i - 1,), (), _null_score(best_s[i - 1], ks[i - 1], cfg)))
            i -= 1
        else:
            a, b = types[t]
            if sv is None:
                c = float((ps[i] - ps[i - a]) @ (pt[j] - pt[j - b])) / max(ns_e[a - 1, i] * nt_e[b - 1, j], 1e-9)
            else:
                c = float(sv[0][a - 1, i] @ sv[1][b - 1, j])
            kn = ((cks[i] - cks[i - a]) / a + (ckt[j] - ckt[j - b]) / b) / 2
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
