"""scripts/eval_flags.py: the hand-checked list of WMT21 lines whose reference already differs from the source."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from eval_flags import REFERENCE_DIFFERENCES, TYPES, reference_differences, wmt21_docs  # noqa: E402

SHARED = ROOT.parent / "shared"


def rows():
    return [r.split("\t") for r in REFERENCE_DIFFERENCES.read_text(encoding="utf-8").splitlines()
            if r.strip() and not r.startswith("#")]


def test_reference_differences_parse_to_known_types():
    known = reference_differences()
    assert len(known) == len(rows()) > 0
    for doc, line, typ in known:
        assert typ in TYPES and line >= 0 and doc
    assert all(len(r) == 6 for r in rows())


@pytest.mark.skipif(not (SHARED / "eval" / "wmt21_newstest2021_ruen").is_dir(), reason="../shared/eval absent")
def test_each_listed_line_carries_the_quoted_fragments():
    docs = {d: (src, a) for d, src, a, _ in wmt21_docs(SHARED, None)}
    for doc, line, _typ, ru, en, _note in rows():
        src, ref_a = docs[doc]
        assert ru in src[int(line)], (doc, line, ru)
        assert en in ref_a[int(line)], (doc, line, en)


def test_omission_threshold_follows_the_token_evidence(monkeypatch):
    """The evaluation decides omission with the threshold the detector itself applies in that run."""
    import align.flags as F
    from align.flags import FlagConfig
    from eval_flags import threshold_key

    cfg = FlagConfig()
    monkeypatch.setattr("align.encoders.token_model", lambda: None)  # no torch
    assert threshold_key("omission", cfg) == "coverage_plain"
    monkeypatch.setattr("align.encoders.token_model", lambda: object())
    assert threshold_key("omission", cfg) == "coverage"
    assert threshold_key("omission", FlagConfig(token_coverage=False)) == "coverage_plain"
    assert threshold_key("addition", cfg) == "coverage_addition" and threshold_key("name_changed", cfg) == "names"
    monkeypatch.setattr("align.encoders.token_model", lambda: None)
    assert threshold_key("addition", cfg) == "coverage_addition_plain"


def _toy_docs():
    """Twelve small documents whose comma-delimited stretches all differ (each carries its document's number)."""
    docs = []
    for k in range(12):
        en = [f"The minister said on Monday, speaking in Moscow before round {k} of the talks, that prices would rise.",
              f"Three people were injured, according to the emergency services of district {k}, in the accident.",
              f"The company, which was founded in {1990 + k} in Kazan, opened a new plant near Samara.",
              f"Officials did not comment on the report, published by newspaper number {k} late on Tuesday."]
        ru = ["Министр заявил, что цены вырастут.", "Три человека пострадали в аварии.",
              "Компания открыла новый завод под Самарой.", "Чиновники не прокомментировали сообщение газеты."]
        docs.append((f"doc{k}", ru, en, []))
    return docs


def test_added_clauses_leave_the_other_perturbations_as_they_were(monkeypatch):
    """The add_clause kind only turns some otherwise unperturbed lines into positives: every other line of the
    suite is identical with and without it, and the clause comes from another document's sentence."""
    import corpus.evaluation.datasets as E

    docs = _toy_docs()
    with_clauses = E.build_suite(docs, 13, 0.5)
    monkeypatch.setattr(E, "ADD_CLAUSE_RATE", 0.0)
    without = E.build_suite(docs, 13, 0.5)
    added = [(a, b) for a, b in zip(with_clauses, without) if a["kind"] == "add_clause"]
    assert added and all(b["kind"] is None for _, b in added)
    assert all(a == b for a, b in zip(with_clauses, without) if a["kind"] != "add_clause")
    pool = set(E.clause_pool([x for _, _, en, _ in docs for x in en]))
    for a, _ in added:
        head, _, clause = a["en"].rpartition(", ")
        assert a["en"].startswith(a["orig"][:-1]) and a["en"].endswith(".") and clause[:-1] in pool
        assert clause[:-1] not in a["orig"]  # never the line's own text


def test_clause_pool_takes_inner_stretches_of_four_to_twelve_words():
    import corpus.evaluation.datasets as E

    assert E.clause_pool(["The company, which was founded in 1995 in Kazan, opened a plant, near Samara."]) == [
        "which was founded in 1995 in Kazan"]  # "opened a plant" has 3 words; the first stretch is the subject
    assert E.clause_pool(['He said, "we will see about that next week", and left.']) == []
