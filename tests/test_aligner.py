"""The sentence aligner on synthetic documents with a small deterministic fake encoder.

The fake encoder embeds a sentence as the normalised sum of fixed random vectors of its "words";
source words ``s<k>`` and target words ``t<k>`` share vector k, so a sentence and its "translation"
embed alike and a merged sentence embeds like the sum of its parts (as real encoders roughly do).
"""

import sys
import tracemalloc

import numpy as np
import pytest

from align.aligner import AlignConfig, align, align_embedded
from align.encoders import Encoder
from corpus.records import Bead

D = 64


class FakeEncoder(Encoder):
    name = "fake"
    dim = D

    def __init__(self):
        self.calls = 0

    def _vec(self, word: str) -> np.ndarray:
        k = int(word[1:]) if word[1:].isdigit() else abs(hash(word)) % 100_000
        return np.random.default_rng(k).normal(size=D)

    def _encode(self, texts, lang):
        self.calls += len(texts)
        return np.stack([sum(self._vec(w) for w in t.split()) for t in texts])


def make_doc(n, rng, start=0):
    """n parallel sentences of 4 words each (words numbered from ``start``)."""
    src, tgt = [], []
    for i in range(n):
        ids = [start + 4 * i + k for k in range(4)]
        src.append(" ".join(f"s{k}" for k in ids))
        tgt.append(" ".join(f"t{k}" for k in ids))
    return src, tgt


def check_invariants(beads, n, m):
    """Monotone, every sentence exactly once, scores in [0, 1]."""
    si = [i for b in beads for i in b.src]
    ti = [j for b in beads for j in b.tgt]
    assert si == list(range(n))
    assert ti == list(range(m))
    assert all(b.src or b.tgt for b in beads)
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_one_to_one():
    src, tgt = make_doc(30, None)
    beads = align(src, tgt, FakeEncoder(), src_lang="ru", tgt_lang="en")
    check_invariants(beads, 30, 30)
    assert all(b.src == b.tgt and len(b.src) == 1 for b in beads)
    assert min(b.score for b in beads) > 0.5


def _merges_doc():
    """A 30-sentence document whose target merges source 5+6, splits source 12 into two, drops source 20 and
    inserts a new sentence; and its gold."""
    src, tgt = make_doc(30, None)
    w = tgt[12].split()
    new_tgt = (tgt[:5] + [tgt[5] + " " + tgt[6]] + tgt[7:12] + [" ".join(w[:2]), " ".join(w[2:])] + tgt[13:20]
               + tgt[21:25] + ["t90001 t90002 t90003 t90004"] + tgt[25:])
    gold = ([Bead((i,), (i,)) for i in range(5)] + [Bead((5, 6), (5,))]
            + [Bead((i,), (i - 1,)) for i in range(7, 12)] + [Bead((12,), (11, 12))]
            + [Bead((i,), (i,)) for i in range(13, 20)] + [Bead((20,), ())]
            + [Bead((i,), (i - 1,)) for i in range(21, 25)] + [Bead((), (24,))]
            + [Bead((i,), (i,)) for i in range(25, 30)])
    return src, new_tgt, gold


def test_merges_splits_and_nulls():
    src, new_tgt, _ = _merges_doc()
    beads = align(src, new_tgt, FakeEncoder(), src_lang="ru", tgt_lang="en")
    check_invariants(beads, len(src), len(new_tgt))
    got = {(b.src, b.tgt) for b in beads}
    assert ((5, 6), (5,)) in got
    assert ((12,), (11, 12)) in got
    assert ((20,), ()) in got
    assert ((), (24,)) in got


def test_up_to_four_to_one():
    src, tgt = make_doc(20, None)
    merged = " ".join(tgt[8:12])
    new_tgt = tgt[:8] + [merged] + tgt[12:]
    beads = align(src, new_tgt, FakeEncoder(), src_lang="ru", tgt_lang="en")
    check_invariants(beads, 20, len(new_tgt))
    assert ((8, 9, 10, 11), (8,)) in {(b.src, b.tgt) for b in beads}
    # and the mirror image: one source sentence split into four target sentences
    beads = align(new_tgt, src, FakeEncoder(), src_lang="en", tgt_lang="ru")
    assert ((8,), (8, 9, 10, 11)) in {(b.src, b.tgt) for b in beads}


def test_empty_sides():
    enc = FakeEncoder()
    assert align([], [], enc, src_lang="ru", tgt_lang="en") == []
    beads = align(["s1 s2"], [], enc, src_lang="ru", tgt_lang="en")
    assert beads == [Bead((0,), (), 1.0)]


def test_config_signature_changes_with_parameters():
    assert AlignConfig().signature() != AlignConfig(threshold=0.5).signature()
    assert "1-4" in AlignConfig().signature()


def test_long_document_is_banded_and_correct():
    """A 3,000 x 3,100 document aligns through the banded search with memory far below N*M."""
    n = 3000
    rng = np.random.default_rng(1)
    base = rng.normal(size=(n, D))
    es = base + 0.3 * rng.normal(size=base.shape)
    et = list(base + 0.3 * rng.normal(size=base.shape))
    for k in range(100):  # 100 inserted target sentences
        et.insert(30 * k + 7, rng.normal(size=D))
    et = np.array(et)
    es = (es / np.linalg.norm(es, axis=1, keepdims=True)).astype(np.float32)
    et = (et / np.linalg.norm(et, axis=1, keepdims=True)).astype(np.float32)
    src = ["x" * 40] * n
    tgt = ["y" * 40] * len(et)
    tracemalloc.start()
    beads = align_embedded(src, tgt, es, et)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    check_invariants(beads, n, len(et))
    # a dense float64 N x M matrix alone would be 74 MB; the band keeps everything below that
    assert peak < 0.8 * n * len(et) * 8, peak
    ones = [b for b in beads if b.kind == "1-1"]
    assert len(ones) > 0.97 * n
    nulls = [b for b in beads if b.kind == "0-1"]
    assert len(nulls) >= 90


def test_embedding_count_is_one_per_sentence():
    src, tgt = make_doc(12, None)
    enc = FakeEncoder()
    align(src, tgt, enc, src_lang="ru", tgt_lang="en")
    assert enc.calls == 24  # concatenations are never re-encoded


def test_mismatched_embeddings_raise():
    with pytest.raises(ValueError):
        align_embedded(["a"], ["b"], np.zeros((2, 4), np.float32), np.zeros((1, 4), np.float32))


def test_neighbour_contrast_keeps_invariants_and_merges():
    """The default neighbour contrast (Bertalign's) still finds a 2-1 merge, a split and a null."""
    assert AlignConfig().neighbour_weight > 0
    src, tgt = make_doc(30, None)
    merged = tgt[5] + " " + tgt[6]
    new_tgt = tgt[:5] + [merged] + tgt[7:20] + tgt[21:]
    for nw in (0.0, AlignConfig().neighbour_weight, 1.0):
        # raw geometry (identical vectors for translations, ~0 for the rest): no cosine-range calibration
        beads = align(src, new_tgt, FakeEncoder(), src_lang="ru", tgt_lang="en",
                      config=AlignConfig(neighbour_weight=nw, calibrate=False))
        check_invariants(beads, len(src), len(new_tgt))
        got = {(b.src, b.tgt) for b in beads}
        assert ((5, 6), (5,)) in got
        assert ((20,), ()) in got


class SpanEncoder(FakeEncoder):
    """Records every text it embeds (to check which concatenations the second pass asks for)."""

    def __init__(self):
        super().__init__()
        self.texts = []

    def _encode(self, texts, lang):
        self.texts.extend(texts)
        return super()._encode(texts, lang)


def test_concat_pass_reencodes_only_spans_near_uncertain_beads():
    src, tgt = make_doc(40, None)
    merged = tgt[20] + " " + tgt[21]
    new_tgt = tgt[:20] + [merged] + tgt[22:]
    enc = SpanEncoder()
    cfg = AlignConfig(concat=3, concat_window=1)
    beads = align(src, new_tgt, enc, src_lang="ru", tgt_lang="en", config=cfg)
    check_invariants(beads, len(src), len(new_tgt))
    assert ((20, 21), (20,)) in {(b.src, b.tgt) for b in beads}
    spans = enc.texts[len(src) + len(new_tgt):]
    assert spans, "the m-n bead must trigger re-encoded concatenations"
    assert src[20] + " " + src[21] in spans  # the merged pair itself, as one text
    assert len(spans) < 0.5 * (2 * len(src) + 2 * len(new_tgt))  # confident 1-1 regions are skipped
    assert not any(src[0] in s for s in spans)


def test_concat_requests_window():
    """Spans of 2..k sentences that lie inside the marked neighbourhood of non-confident beads only."""
    from align.aligner import concat_requests

    path = [Bead((i,), (i,), 0.99) for i in range(10)]
    path[5] = Bead((5,), (5,), 0.3)  # an uncertain 1-1 bead
    rs, rt = concat_requests(path, 10, 10, AlignConfig(concat=3, concat_window=0))
    # window 0: the bead's own sentence plus one on either side -> sentences 4..6
    assert sorted(rs) == sorted(rt) == [(4, 2), (4, 3), (5, 2)]
    rs1, _ = concat_requests(path, 10, 10, AlignConfig(concat=3, concat_window=1))
    assert set(rs) < set(rs1) and all(3 <= s and s + l <= 8 for s, l in rs1)
    assert concat_requests(path, 10, 10, AlignConfig(concat=0)) == ([], [])
    confident = [Bead((i,), (i,), 0.99) for i in range(10)]
    assert concat_requests(confident, 10, 10, AlignConfig(concat=3)) == ([], [])


def test_neighbours_from_layout_match_span_vector_version():
    """The cheap neighbour similarity (read off the cosine layout) equals the span-vector one inside
    a full band."""
    from align import aligner as A
    from align import dpkernel

    rng = np.random.default_rng(3)
    n, m = 23, 27
    es = rng.normal(size=(n, D)).astype(np.float32)
    et = rng.normal(size=(m, D)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    types = A.DEFAULT_TYPES
    lo = np.zeros(n + 1, dtype=np.int64)
    W = m + 1
    ps, pt = A._prefix(es), A._prefix(et)
    cos = dpkernel.layout_dots(es, et, lo, W, types)
    ns, nt = dpkernel.span_norms(ps, 4), dpkernel.span_norms(pt, 4)
    for ti, (a, b) in enumerate(types):
        cos[:, ti] /= np.maximum(ns[a - 1][:, None] * nt[b - 1][None, :], 1e-9)
    new = dpkernel.neighbours(cos, types, types, lo, n, m)
    old = A._layout_neighbours(A._span_vectors(ps, 4), A._span_vectors(pt, 4), lo, W, types)
    I = np.arange(n + 1)[:, None]
    J = np.arange(W)[None, :]
    for ti, (a, b) in enumerate(types):
        ok = (I >= a) & (J >= b)
        np.testing.assert_allclose(new[:, ti][ok], old[:, ti][ok], atol=1e-5)


@pytest.fixture()
def ev(monkeypatch):
    """scripts/eval_alignment.py as a module."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("eval_alignment", Path(__file__).resolve().parent.parent / "scripts" / "eval_alignment.py")
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "eval_alignment", mod)  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def test_eval_error_breakdown(ev):
    """scripts/eval_alignment.py's breakdown names the gold type lost and what replaced it."""
    gold = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((), (2,))]
    pred = [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,)), Bead((), (2,))]
    doc = ev.Doc("d", ["a", "b", "c"], ["x", "y", "z"], gold, "ru", "en")
    out = ev.error_breakdown([doc], [pred])
    assert out["missed_gold"] == {"2-1": 1}
    assert out["wrong_predicted"] == {"1-0": 1, "1-1": 1}
    assert out["confusions"] == {"2-1 -> 1-0+1-1": 1}


def test_oracle_path_is_the_best_path_through_the_candidates(ev):
    """corpus.evaluation.oracle.oracle_path / eval_alignment.lattice_oracle: the best path through the last DP's candidate beads
    by gold beads, and why a missed gold bead was out of reach."""
    from corpus.evaluation.oracle import oracle_path

    src, tgt, gold = _merges_doc()
    enc = FakeEncoder()
    es, et = enc.encode(src, "ru"), enc.encode(tgt, "en")
    lat: dict = {}
    beads = align_embedded(src, tgt, es, et, src_lang="ru", tgt_lang="en", lattice=lat)
    assert {(b.src, b.tgt) for b in beads} == {(b.src, b.tgt) for b in gold}
    assert [(b.src, b.tgt) for b in oracle_path(lat, gold)] == [(b.src, b.tgt) for b in gold]
    # a gold that disagrees with the aligner but whose beads are all candidates: the oracle follows the gold
    other = gold[:5] + [Bead((5,), (5,)), Bead((6,), ())] + gold[6:]
    assert [(b.src, b.tgt) for b in oracle_path(lat, other)] == [(b.src, b.tgt) for b in other]
    # beads no path through the candidates holds: a non-contiguous bead and a 5-1 bead (beyond the bead types)
    odd = gold[:5] + [Bead((5, 7), (5,)), Bead((6,), ()), Bead((), (6,))] + gold[7:12] + \
        [Bead((13, 14, 15, 16, 17), (13,))] + [Bead((), (j,)) for j in range(14, 18)] + gold[17:]
    assert sorted(i for b in odd for i in b.src) == list(range(30))
    assert sorted(j for b in odd for j in b.tgt) == list(range(30))
    doc = ev.Doc("d", src, tgt, odd, "ru", "en")
    out = ev.lattice_oracle([doc], [lat])
    assert out["missed_gold"] == {"non_contiguous": 1, "bead_type": 1}
    assert 0.9 < out["strict"]["recall"] < 1.0
    # an empty side: the only path is all null beads
    empty = ev.lattice_oracle([ev.Doc("e", ["s1"], [], [Bead((0,), ())], "ru", "en")], [{}])
    assert empty["strict"]["precision"] == 1.0


def test_eval_config_overrides_take_bead_types_as_pairs_or_names(ev):
    cfg = ev.parse_config('{"bead_types": [[1, 1], "1-2", [3, 3]], "knn": 6}')
    assert cfg.bead_types == ((1, 1), (1, 2), (3, 3)) and cfg.knn == 6
    for bad in ('{"bead_types": [[0, 2]]}', '{"bead_types": 5}', '{"no_such_field": 1}', '[1]', "{"):
        with pytest.raises(SystemExit, match="^bad --config: "):
            ev.parse_config(bad)


def test_gold_corrections_move_a_sentence_to_the_bead_that_renders_it(ev):
    gold = [Bead((0,), (0,)), Bead((1,), ()), Bead((2, 3), (1,)), Bead((4, 5), (2,)), Bead((6,), (3,))]
    fixed = ev.apply_corrections(gold, [(1, (), (1,)), (5, (2,), (3,))])
    assert fixed == [Bead((0,), (0,)), Bead((1, 2, 3), (1,)), Bead((4,), (2,)), Bead((5, 6), (3,))]
    with pytest.raises(SystemExit, match="source sentence 4"):  # sentence 4's bead is not the one listed
        ev.apply_corrections(gold, [(4, (1,), (3,))])
    val, test = ev.gold_corrections("val"), ev.gold_corrections("test")
    assert len(val) == 38 and len(test) == 40 and all(new for _, _, new in val + test)


def test_gold_corrections_match_the_published_opus_books_gold(ev):
    from pathlib import Path

    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    if not (shared / "eval" / "crocoalign_opusbooks_enru").is_dir():
        pytest.skip("../shared/eval not available")
    for split in ("val", "test"):
        (doc,) = ev.load_dataset(f"opusbooks-enru-{split}", shared)
        fixed = ev.apply_corrections(doc.gold, ev.gold_corrections(split))
        assert sorted(i for b in fixed for i in b.src) == sorted(i for b in doc.gold for i in b.src)
        assert len(set(fixed) - set(doc.gold)) >= len(ev.gold_corrections(split))


def _token_pass_case():
    """Six source sentences, five target sentences; source 2 and 3 are rendered together by target 2, but
    source 3's sentence vector sits between targets 2 and 3, while its tokens are all in target 2. A shared
    component compresses the cosines into e5's range (0.66-0.98)."""
    rng = np.random.default_rng(7)
    g = rng.normal(size=(5, 32))
    u = 2.0 * rng.normal(size=32)
    es = np.stack([u + g[k] + 0.3 * rng.normal(size=32) for k in (0, 1, 2, 3, 3, 4)])
    es[3] = u + 0.5 * g[3] + 0.5 * g[2] + 0.3 * rng.normal(size=32)
    et = np.stack([u + g[k] + 0.3 * rng.normal(size=32) for k in range(5)])
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    eye = np.eye(24, dtype=np.float32)
    S = [eye[4 * i:4 * i + 4] for i in range(6)]
    T = [S[0], S[1], np.concatenate([S[2], S[3]]), S[4], S[5]]
    src = [f"s{i}" for i in range(6)]
    tgt = [f"t{j}" for j in range(5)]
    return src, tgt, es, et, S, T


def test_token_pass_merges_a_sentence_whose_tokens_the_other_side_renders():
    src, tgt, es, et, S, T = _token_pass_case()
    first = align_embedded(src, tgt, es, et)
    check_invariants(first, 6, 5)
    assert ((3, 4), (3,)) in {(b.src, b.tgt) for b in first}  # the sentence vectors alone merge source 3 wrongly
    beads = align_embedded(src, tgt, es, et, token_states=(S, T))
    check_invariants(beads, 6, 5)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,)), ((4,), (3,)), ((5,), (4,))]
    # the pass is off with token_pass=False, and token states must match the sentences
    off = align_embedded(src, tgt, es, et, config=AlignConfig(token_pass=False), token_states=(S, T))
    assert [(b.src, b.tgt) for b in off] == [(b.src, b.tgt) for b in first]
    with pytest.raises(ValueError):
        align_embedded(src, tgt, es, et, token_states=(S[:5], T))


def test_token_pass_coverage_gain_values_and_frozen_confident_beads():
    from align.tokenpass import coverage_gains

    src, tgt, es, et, S, T = _token_pass_case()
    path = align_embedded(src, tgt, es, et)
    types = ((1, 1), (2, 1))
    lo = np.zeros(7, dtype=np.int64)
    valid = np.ones((7, 6), dtype=bool)
    ex = coverage_gains(path, lo, valid, types, S, T, band=3, weight=0.5, centre=0.3, mn_penalty=0.02)
    # 1-1 bead (source 2, target 2) ends at cell (3, 3): source 2 fully covered, target 2 half covered
    assert ex[3, 0, 3] == pytest.approx(0.5 * (1.0 + 0.5 - 2 * 0.3))
    # 2-1 bead (sources 2-3, target 2) ends at (4, 3): every sentence fully covered, minus one extra sentence
    assert ex[4, 1, 3] == pytest.approx(0.5 * (3.0 - 3 * 0.3) - 0.02)
    # far from the path (band 1): not computed
    narrow = coverage_gains(path, lo, valid, types, S, T, band=1, weight=0.5, centre=0.3, mn_penalty=0.02)
    assert np.isnan(narrow[1, 0, 5]) and not np.isnan(narrow[1, 0, 1])
    # confident first-pass 1-1 beads away from the uncertain region keep their place
    beads = align_embedded(src, tgt, es, et, token_states=(S, T))
    from align.tokenpass import frozen, needed

    conf = AlignConfig().token_pass_conf
    firm = [b for b, keep in zip(path, frozen(path, conf)) if keep]
    assert firm and all((b.src, b.tgt) in {(x.src, x.tgt) for x in beads} for b in firm)
    # token vectors only for the sentences of the beads the pass may change: the same beads
    ws, wt = needed(path, conf)
    assert ws and len(ws) < 6 and not any(i in ws for b in firm for i in b.src)
    part = ([x if i in ws else None for i, x in enumerate(S)], [x if j in wt else None for j, x in enumerate(T)])
    assert [(b.src, b.tgt) for b in align_embedded(src, tgt, es, et, token_states=part)] == [(b.src, b.tgt) for b in beads]


def test_effective_config_drops_the_token_pass_without_torch(monkeypatch):
    import importlib.util

    assert AlignConfig(token_pass=False).effective().token_pass is False
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    cfg = AlignConfig().effective()
    assert cfg.token_pass is False and "token_pass=False" in cfg.signature()


def _unit(*xs):
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_split_orphans_splits_an_unrelated_pair_off_an_mn_bead():
    from align.aligner import split_orphans

    # sentences 0 translate each other (cos 0.99); 1 and 1 are an orphan pair (cos 0.6) that is less alike than
    # source 1 is to target 0 (0.84), and neither is close to the rest of the bead (below orphan_sim)
    es = np.stack([_unit(1, 0, 0, 0), _unit(0.75, 0.66, 0, 0)])
    et = np.stack([_unit(0.99, 0.14, 0, 0), _unit(0, 0.91, 0.415, 0)])
    assert abs(float(es[1] @ et[1]) - 0.6) < 0.01 and 0.8 < float(es[1] @ et[0]) < AlignConfig().orphan_sim
    src = ["Первое предложение.", "Второе предложение о другом."]
    tgt = ["The first sentence.", "Background from another story."]
    cfg = AlignConfig()

    def split(beads, src=src, tgt=tgt, es=es, et=et, cfg=cfg):
        return split_orphans(beads, src, tgt, es, et, cfg)

    out = split([Bead((0, 1), (0, 1), 0.9)])
    assert [(b.src, b.tgt) for b in out] == [((0,), (0,)), ((1,), (1,))]
    assert out[0].score == 0.9 and out[1].score < 0.5  # the split-off pair scores low: a rival beats it
    # not when the end pair is alike enough, nor when the rule is off, nor for a 1-n bead (one side has no pair)
    assert split([Bead((0, 1), (0, 1))], cfg=AlignConfig(orphan_sim=0.5)) == [Bead((0, 1), (0, 1))]
    assert split([Bead((0, 1), (0, 1))], cfg=AlignConfig(orphan_sim=None)) == [Bead((0, 1), (0, 1))]
    assert split([Bead((0,), (0, 1))]) == [Bead((0,), (0, 1))]
    # not when a sentence of the pair shares a number with the rest of the bead (it was merged into it)
    merged = ["Он выиграл со временем 1 минута 38,42 секунды.", "Сумма двух попыток составила 1 минуту 38,42."]
    assert split([Bead((0, 1), (0, 1))], src=merged, tgt=["He won in 1:38.42.", tgt[1]]) == [Bead((0, 1), (0, 1))]
    # nor when a sentence of the pair is close to the rest of the bead
    es_close = np.stack([_unit(1, 0, 0, 0), _unit(0.95, 0.3, 0, 0)])
    assert split([Bead((0, 1), (0, 1))], es=es_close) == [Bead((0, 1), (0, 1))]
    # an unrelated pair with no rival (nothing else is more alike) stays in its bead
    es2 = np.stack([_unit(1, 0, 0, 0), _unit(0, 0, 1, 0)])
    et2 = np.stack([_unit(1, 0, 0, 0), _unit(0, 0, 0.6, 0.8)])
    assert split([Bead((0, 1), (0, 1))], es=es2, et=et2) == [Bead((0, 1), (0, 1))]


def test_stress_replace_edit_is_a_one_to_one_gold_bead():
    import random

    from align.stress import perturb

    src = [f"Предложение номер {i}." for i in range(30)]
    tgt = [f"Sentence number {i}." for i in range(30)]
    pool = [f"Background line {k} from another story." for k in range(20)]
    seen = 0
    for seed in range(40):
        doc = perturb(src, tgt, random.Random(seed), pool)
        # every sentence of both sides is in exactly one gold bead, in order
        assert [i for b in doc.gold for i in b.src] == list(range(len(src)))
        assert [j for b in doc.gold for j in b.tgt] == list(range(len(doc.tgt)))
        swapped = [b for b in doc.gold if len(b.src) == 1 and len(b.tgt) == 1 and doc.tgt[b.tgt[0]] in pool]
        # a replacement is not merged, split or deleted afterwards (a truncated tail may still drop it)
        assert len(swapped) == doc.edits["replace"] or (doc.edits["truncate"] and len(swapped) < doc.edits["replace"])
        seen += doc.edits["replace"]
    assert seen > 0
