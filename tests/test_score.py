"""Vecalign-compatible strict/lax scoring: hand-made cases plus the validation vectors in ../shared."""

from pathlib import Path

import pytest

from align.score import ScoreError, parse_bead, read_beads, score, score_docs
from corpus.records import Bead


def B(s, t):
    return Bead(tuple(s), tuple(t))


def test_parse_bead_formats():
    assert parse_bead("[0, 1]:[2]") == B((0, 1), (2,))
    assert parse_bead("[3]:[]") == B((3,), ())
    assert parse_bead("[]:[4,5]") == B((), (4, 5))
    with pytest.raises(ScoreError):
        parse_bead("0-1")


def test_identical_is_perfect():
    gold = [B([0], [0]), B([1, 2], [1]), B([], [2]), B([3], [3])]
    r = score(gold, gold)
    assert r["strict"]["f1"] == 1.0 and r["lax"]["f1"] == 1.0
    assert r["null"]["precision"] == 1.0 and r["null"]["recall"] == 1.0


def test_strict_vs_lax_and_nulls():
    gold = [B([0], [0]), B([1, 2], [1]), B([3], [])]
    test = [B([0], [0]), B([1], [1]), B([2], []), B([3], [])]
    r = score(gold, test)
    # precision over 4 test beads: [0]:[0] and [3]:[] strict; [1]:[1] lax only; [2]:[] wrong
    assert r["strict"]["precision"] == pytest.approx(2 / 4)
    assert r["lax"]["precision"] == pytest.approx(3 / 4)
    # recall over non-null gold beads [0]:[0], [1,2]:[1]; test without nulls [0]:[0], [1]:[1]
    assert r["strict"]["recall"] == pytest.approx(1 / 2)
    assert r["lax"]["recall"] == pytest.approx(1.0)
    assert r["null"]["precision"] == pytest.approx(1 / 2) and r["null"]["recall"] == 1.0


def test_counts_are_pooled_over_documents():
    g1 = [B([0], [0])]
    t1 = [B([0], [0])]
    g2 = [B([0], [0]), B([1], [1]), B([2], [2])]
    t2 = [B([0, 1], [0, 1]), B([2], [2])]
    r = score_docs([g1, g2], [t1, t2])
    assert r["strict"]["precision"] == pytest.approx(2 / 3)  # pooled, not the mean of 1 and 1/2
    assert r["strict"]["recall"] == pytest.approx(2 / 4)


def _r(res):
    return [round(res[k][m], 3) for k in ("strict", "lax") for m in ("precision", "recall", "f1")]


def test_vector_gold_vs_itself(shared_dir: Path):
    d = shared_dir / "eval/textberg_defr_vecalign/bleualign_data"
    golds = [read_beads(d / f"test{i}.defr") for i in range(7)]
    assert _r(score_docs(golds, golds)) == [1.0] * 6


def test_vector_bertalign_textberg(shared_dir: Path):
    d = shared_dir / "eval/bertalign_textberg_outputs/data/text+berg"
    names = sorted(p.name for p in (d / "gold").glob("*.align"))
    assert len(names) == 7
    g = [read_beads(d / "gold" / n) for n in names]
    t = [read_beads(d / "auto" / n) for n in names]
    assert _r(score_docs(g, t)) == [0.938, 0.941, 0.939, 0.993, 0.991, 0.992]


def test_vector_hunalign_textberg(shared_dir: Path):
    d = shared_dir / "eval/textberg_defr_vecalign/bleualign_data"
    out = shared_dir / "eval/baseline_outputs/textberg_test/hunalign_nulldic"
    g = [read_beads(d / f"test{i}.defr") for i in range(7)]
    tests = sorted(p for p in out.iterdir() if p.is_file())
    assert len(tests) == 7, tests
    t = [read_beads(p) for p in tests]
    assert _r(score_docs(g, t)) == [0.723, 0.782, 0.751, 0.837, 0.901, 0.868]


def test_vector_vecalign_opusbooks(shared_dir: Path):
    d = shared_dir / "eval/crocoalign_opusbooks_enru/derived/test"
    r = score(read_beads(d / "gold.en-ru.txt"), read_beads(d / "sysout.vecalign-labse.en-ru.txt"))
    assert _r(r) == [0.921, 0.921, 0.921, 0.988, 0.986, 0.987]
