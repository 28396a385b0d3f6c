"""The rewrite benchmark: its data files validate, its splits are balanced, and its scorer counts right."""

from __future__ import annotations

import copy
import json

import pytest

from corpus.evaluation import rewrites as rw
from corpus.records import Bead, Flag, Span

PAIR_FILES = sorted(rw.DATA_DIR.glob("r[0-9]*.json"))
DECOY_FILES = sorted((rw.DATA_DIR / "decoys").glob("d[0-9]*.json"))


# ----------------------------------------------------------------------------- the shipped data
@pytest.mark.parametrize("path", PAIR_FILES, ids=[p.stem for p in PAIR_FILES])
def test_pair_file_validates(path):
    pair = rw.load_pair(path)
    assert rw.validate(pair) == []
    raw = path.read_text(encoding="utf-8")
    assert json.loads(raw)["id"] == path.stem


@pytest.mark.parametrize("path", DECOY_FILES, ids=[p.stem for p in DECOY_FILES])
def test_decoy_file_validates(path):
    ids = {p.stem for p in PAIR_FILES}
    assert rw.validate_decoy(rw.load_decoy(path), ids) == []


def test_pairs_exist_and_splits_are_balanced():
    pairs = rw.load_pairs()
    assert len(pairs) >= 6
    dev, test = rw.load_pairs("dev"), rw.load_pairs("test")
    assert len(dev) + len(test) == len(pairs)
    assert abs(len(dev) - len(test)) <= 1
    for half in (dev, test):
        assert any(p.no_fact_difference for p in half), "each split needs no-difference pairs"
        assert any(not p.no_fact_difference for p in half), "each split needs pairs with differences"
    assert {p.id for p in rw.load_pairs("all")} == {p.id for p in pairs}
    with pytest.raises(ValueError):
        rw.load_pairs("train")


def test_benchmark_size():
    """Issue 21: at least 40 pairs, at least 15 of them with no fact difference (bites once all pairs are merged)."""
    pairs = rw.load_pairs()
    if len(pairs) < 40:
        pytest.skip(f"only {len(pairs)} of the 40+ pairs are on this branch (r21-r44 are written on another one)")
    assert sum(p.no_fact_difference for p in pairs) >= 15
    assert len({p.id for p in pairs}) == len(pairs)


def test_package_data_ships_the_benchmark():
    text = (rw.DATA_DIR.parents[2].parent / "pyproject.toml").read_text(encoding="utf-8")
    assert "evaluation/data/rewrites/*.json" in text


# ----------------------------------------------------------------------------- a tiny hand-made pair
def _raw() -> dict:
    return {
        "id": "r99", "split": "dev", "no_fact_difference": False, "rewrite_moves": ["reordered"], "topic": "t",
        "ru": {"url": "https://tass.ru/x/10000000", "published": "2026-01-01T10:00:00+03:00",
               "page": ["Заголовок", "ОМСК, 1 января. /ТАСС/. Завод выпустил 10 машин. Об этом сообщил директор.",
                        "Рабочих было 50.", "Теги"],
               "fields": {"headline": "Заголовок", "dateline": "ОМСК, 1 января. /ТАСС/."},
               "furniture": [0, 3],
               "body": ["Завод выпустил 10 машин.", "Об этом сообщил директор.", "Рабочих было 50."]},
        "en": {"url": "https://tass.com/x/1000000", "published": "2026-01-01T11:00:00+03:00",
               "page": ["All news", "OMSK, January 1. /TASS/. There were 50 workers.",
                        "The plant made 12 cars, the director said."],
               "fields": {"dateline": "OMSK, January 1. /TASS/."},
               "furniture": [0],
               "body": ["There were 50 workers.", "The plant made 12 cars, the director said."]},
        "beads": [[[0, 1], [1]], [[2], [0]]],
        "differences": [{"type": "number_changed", "ru": "10 машин", "en": "12 cars", "severity": "critical",
                         "note": "count changed"}],
    }


def _pair(raw=None) -> rw.RewritePair:
    return rw.parse_pair(raw or _raw())


def test_tiny_pair_is_valid_and_crossing_beads_are_allowed():
    assert rw.validate(_pair()) == []


@pytest.mark.parametrize("edit, problem", [
    (lambda d: d["ru"]["body"].__setitem__(0, "Завод выпустил 11 машин."), "not (in order) a substring"),
    (lambda d: d["ru"]["furniture"].append(7), "furniture indices out of range"),
    (lambda d: d["ru"]["fields"].__setitem__("credit", "© Кто-то/ТАСС"), "not an exact page line"),
    (lambda d: d["ru"]["fields"].__setitem__("dateline", "ОМСК, 2 января. /ТАСС/."), "dateline"),
    (lambda d: d["ru"]["fields"].__setitem__("teaser", "Теги"), "unknown field"),
    (lambda d: d["ru"]["body"].pop(), "beads must cover each ru sentence"),
    (lambda d: d["beads"].append([[2], []]), "repeated [2]"),
    (lambda d: d["differences"][0].__setitem__("ru", "машин"), None),
    (lambda d: d["differences"][0].__setitem__("ru", "0"), "occurs 2 times"),
    (lambda d: d["differences"][0].__setitem__("en", "13 cars"), "not a substring"),
    (lambda d: d["differences"][0].__setitem__("severity", "major"), "breaks the contract"),
    (lambda d: d["differences"][0].__setitem__("type", "number_change"), "not in the taxonomy"),
    (lambda d: d["differences"].append({"type": "omission", "ru": "Рабочих", "en": "workers", "severity": "major"}),
     "en side must be empty"),
    (lambda d: d.__setitem__("split", "test"), "odd ids are dev"),
    (lambda d: d.__setitem__("no_fact_difference", True), "no_fact_difference is true"),
    (lambda d: d["en"]["page"].__setitem__(2, "The plant made 12 cars, the director said. It rained."),
     "text in no gold sentence"),
    (lambda d: d.__setitem__("beads", [[[2], [0]], [[0, 1], [1]]]), "not in ru sentence order"),
    (lambda d: d["ru"]["fields"].__setitem__("subtitle", "Рабочих было 50."), "not marked as furniture"),
])
def test_validate_reports_each_problem(edit, problem):
    d = _raw()
    edit(d)
    probs = rw.validate(rw.parse_pair(d))
    if problem is None:
        assert probs == []
    else:
        assert any(problem in p for p in probs), probs


def test_parse_pair_rejects_a_malformed_file(tmp_path):
    d = _raw()
    del d["en"]["body"]
    p = tmp_path / "r99.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(rw.FormatError, match="en side lacks body"):
        rw.load_pair(p)


# ----------------------------------------------------------------------------- scoring
def _result(pair, flags, beads=None, no_diff=None):
    beads = beads if beads is not None else list(pair.beads)
    gold = tuple((d.type, d.severity, rw.gold_positions(pair, d)) for d in pair.differences)
    pred = rw.predicted_from_flags(pair.ru.body, pair.en.body, beads, flags)
    nd = pair.no_fact_difference if no_diff is None else no_diff
    return rw.PairResult(pair.id, pair.split, nd, gold, tuple(pred))


def test_true_positive_on_a_crossing_bead():
    pair = _pair()
    # bead 0 = ru [0, 1] ↔ en [1]; "10 машин" starts at 15 of the ru side text, "12 cars" at 15 of the en side text
    ru_text, en_text = pair.ru.text((0, 1)), pair.en.text((1,))
    f = Flag("number_changed", 0.9, "critical", (Span(ru_text.index("10"), ru_text.index("10") + 2),),
             (Span(en_text.index("12"), en_text.index("12") + 2),))
    res = rw.score_flags([_result(pair, [[f], []])])
    assert res["dev"]["per_type"]["number_changed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1,
                                                        "fp": 0, "fn": 0}
    assert res["dev"]["explicit"]["tp"] == 1 and res["dev"]["all"]["fp"] == 0
    assert res["dev"]["per_severity"]["critical"]["precision"] == 1.0
    assert res["dev"]["severity_agreement"] == 1.0
    assert "test" not in res and res["all"]["pairs"] == 1


def test_overlap_on_one_side_only_is_enough():
    pair = _pair()
    en_text = pair.en.text((1,))
    f = Flag("number_changed", 0.5, "critical", (Span(30, 40),),  # ru span on the second sentence: no overlap
             (Span(en_text.index("12"), en_text.index("12") + 7),))
    assert rw.score_flags([_result(pair, [[f], []])])["all"]["per_type"]["number_changed"]["tp"] == 1


def test_span_in_the_wrong_sentence_is_a_false_alarm():
    pair = _pair()
    ru_text = pair.ru.text((0, 1))
    at = ru_text.index("директор")
    f = Flag("number_changed", 0.5, "critical", (Span(at, at + 8),), ())
    t = rw.score_flags([_result(pair, [[f], []])])["all"]["per_type"]["number_changed"]
    assert (t["tp"], t["fp"], t["fn"]) == (0, 1, 1)


def test_wrong_type_is_a_false_alarm_and_a_miss():
    pair = _pair()
    ru_text = pair.ru.text((0, 1))
    f = Flag("date_changed", 0.9, "critical", (Span(ru_text.index("10"), ru_text.index("10") + 2),), ())
    res = rw.score_flags([_result(pair, [[f], []])])["all"]
    assert res["per_type"]["date_changed"]["fp"] == 1
    assert res["per_type"]["number_changed"]["fn"] == 1
    assert res["all"]["tp"] == 0 and res["all"]["precision"] == 0.0


def test_flag_without_spans_covers_its_bead_and_a_duplicate_counts_as_false_alarm():
    pair = _pair()
    f = Flag("number_changed", 0.9, "critical")
    res = rw.score_flags([_result(pair, [[f, f], []])])["all"]
    assert res["per_type"]["number_changed"]["tp"] == 1
    assert res["per_type"]["number_changed"]["fp"] == 1
    assert res["duplicate_flags"] == 1


def test_every_flag_on_a_no_difference_pair_is_a_false_alarm():
    d = _raw()
    d["en"]["page"][2] = d["en"]["body"][1] = "The plant made 10 cars, the director said."
    d["no_fact_difference"], d["differences"] = True, []
    pair = rw.parse_pair(d)
    assert rw.validate(pair) == []
    flags = [[Flag("number_changed", 0.7, "critical"), Flag("omission", 0.3, "minor")], [Flag("addition", 0.4, "major")]]
    res = rw.score_flags([_result(pair, flags), _result(_pair(), [[], []])])["all"]
    nd = res["no_difference_pairs"]
    assert nd["pairs"] == 1 and nd["false_flags"] == 3 and nd["false_flags_per_pair"] == 3.0
    assert nd["by_type"] == {"addition": 1, "number_changed": 1, "omission": 1}
    assert res["per_severity"]["critical"]["false_flags_per_no_difference_pair"] == 1.0
    assert res["per_severity"]["critical"]["recall"] == 0.0  # the other pair's number change was missed
    assert res["all"]["fp"] == 3 and res["all"]["fn"] == 1


def test_each_gold_difference_is_found_once_and_matching_is_maximal():
    # two gold omissions in one sentence; flag A overlaps both, flag B only the first: both must be found
    d = _raw()
    d["ru"]["page"][2] = d["ru"]["body"][2] = "Рабочих было 50, все из Омска."
    d["en"]["page"][1] = "OMSK, January 1. /TASS/. There were 50 workers."
    d["differences"] = [{"type": "omission", "ru": "Рабочих", "en": "", "severity": "minor"},
                        {"type": "omission", "ru": "все из Омска", "en": "", "severity": "major"}]
    pair = rw.parse_pair(d)
    assert rw.validate(pair) == []
    side = pair.ru.text((2,))
    a = Flag("omission", 0.9, "major", (Span(0, len(side)),), ())
    b = Flag("omission", 0.8, "major", (Span(0, 7),), ())
    res = rw.score_flags([_result(pair, [[], [a, b]])])["all"]
    assert res["per_type"]["omission"]["tp"] == 2 and res["per_type"]["omission"]["fp"] == 0
    assert res["per_severity"]["minor"]["recall"] == 1.0
    assert res["severity_agreement"] == 0.5


def test_gold_and_predicted_positions_in_page_lines():
    pair = _pair()
    g = rw.gold_positions(pair, pair.differences[0], unit="line")
    assert g[0] == rw.Position("ru", 1, pair.ru.page[1].index("10 машин"), pair.ru.page[1].index("10 машин") + 8)
    assert g[1].unit == 2 and pair.en.page[2][g[1].start:g[1].end] == "12 cars"
    # a predicted sentence located in page line 2 at offset 0; the flag's span maps through that offset
    p = rw.predicted_from_flags(["x", "The plant made 12 cars, the director said."], ["y"], [Bead((1,), (0,))],
                                [[Flag("number_changed", 1.0, "critical", (Span(15, 17),), ())]],
                                src_units=[None, (2, 0)], tgt_units=[(5, 3)], src_lang="en", tgt_lang="ru")
    assert p[0].positions == (rw.Position("en", 2, 15, 17),)
    assert p[0].positions[0].overlaps(g[1])


def test_alignment_scorer_copes_with_crossing_gold_beads():
    from align.score import score

    gold = [Bead((0, 1), (1,)), Bead((2,), (0,))]
    assert score(gold, gold)["strict"]["f1"] == 1.0
    monotone = [Bead((0,), ()), Bead((1, 2), (0, 1))]
    s = score(gold, monotone)
    assert s["strict"]["f1"] == 0.0 and s["lax"]["precision"] == 0.5
