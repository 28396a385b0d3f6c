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
    monkeypatch.setattr(F, "token_model", lambda: None)  # no torch
    assert threshold_key("omission", cfg) == "coverage_plain"
    monkeypatch.setattr(F, "token_model", lambda: object())
    assert threshold_key("omission", cfg) == "coverage"
    assert threshold_key("omission", FlagConfig(token_coverage=False)) == "coverage_plain"
    assert threshold_key("addition", cfg) == "coverage_addition" and threshold_key("name_changed", cfg) == "names"
