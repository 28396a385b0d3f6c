"""Plain-language flag explanations (align.flags.explain) on made-up flags of every type."""

from __future__ import annotations

import json

import pytest

from align.flags.explain import SEVERITY_INFO, TYPE_INFO, explain
from corpus.records import FLAG_TYPES, SEVERITIES, Flag, Span


def test_type_info_covers_every_flag_type_and_severity():
    assert set(TYPE_INFO) == set(FLAG_TYPES)
    for t, info in TYPE_INFO.items():
        assert info["label"] and info["what"].endswith(".") and info["why"].endswith("."), t
    assert set(SEVERITY_INFO) == set(SEVERITIES)


def sp(text: str, part: str) -> Span:
    a = text.index(part)
    return Span(a, a + len(part))


SRC = "Каждая школа будет рассчитана на 1100 учеников, сообщили в МЧС."
TGT = "Each school will be designed for 1,300 students."


def test_number_changed_names_both_values_and_severity():
    f = Flag("number_changed", 1.0, "critical", (sp(SRC, "1100"),), (sp(TGT, "1,300"),),
             {"detector": "numbers", "src": "1100", "tgt": "1,300", "src_value": 1100.0, "tgt_value": 1300.0})
    assert explain(f, SRC, TGT) == ('The number differs: «1100» in the Russian, "1,300" in the English. '
                                    "Figures are facts a reader relies on (critical).")


def test_one_sided_and_missing_detail_fall_back_to_spans():
    f = Flag("number_changed", 0.4, "minor", (sp(SRC, "1100"),), (), {"src": "1100", "tgt": None})
    assert explain(f, SRC, TGT).startswith("The Russian gives the number «1100», which the English does not state.")
    # no detail at all (an older store): the text under the spans is quoted
    f = Flag("date_changed", 1.0, "critical", (sp(SRC, "школа"),), (sp(TGT, "school"),), {})
    out = explain(f, SRC, TGT)
    assert "«школа» in the Russian" in out and '"school" in the English' in out and out.endswith("(critical).")


def test_dict_form_and_json_detail_and_other_languages():
    d = Flag("name_changed", 0.8, "critical", (Span(0, 4),), (Span(0, 6),),
             {"src": "Хиль", "tgt": "Maduro", "similarity": 0.2}).to_dict()
    assert explain(d) == explain(Flag.from_dict(d))
    assert "«Хиль» in the Russian, \"Maduro\" in the English" in explain(d)
    row = dict(d, detail=json.dumps(d["detail"], ensure_ascii=False))  # as the exports write it
    assert explain(row) == explain(d)
    out = explain(d, src_lang="de", tgt_lang="fr")
    assert '"Хиль" in the German, "Maduro" in the French' in out
    assert explain({"type": "name_changed", "detail": "not json", "src_spans": [[0, "x"]]}).startswith("A name differs")


def test_omission_attribution_is_minor_and_says_who_reported():
    src = "Пожар потушен, по данным МЧС."
    tgt = "The fire was put out."
    f = Flag("omission", 0.3, "minor", (sp(src, "по данным МЧС"),), (),
             {"detector": "coverage", "scope": "clause", "piece": "по данным МЧС",
              "attribution_frames": {"src": ["по данным МЧС"], "tgt": []}})
    out = explain(f, src, tgt)
    assert out == ("The English leaves out: «по данным МЧС» (who reported it: «по данным МЧС» in the Russian, none in "
                   "the English). A dropped attribution changes who vouches for the fact (minor).")


def test_attribution_tag_dropped_or_added():
    src = "Переговоры продолжатся. Об этом заявил журналистам Песков."
    f = Flag("omission", 0.6, "minor", (sp(src, "Об этом заявил журналистам Песков."),), (),
             {"scope": "clause", "attribution": "dropped"})
    assert explain(f, src, "Talks will continue.") == (
        "The English leaves out who reported it: «Об этом заявил журналистам Песков.», and names this source nowhere "
        "else in the document. A dropped attribution changes who vouches for the fact (minor).")
    tgt = "Talks will continue, a source told TASS."
    f = Flag("addition", 0.6, "minor", (), (sp(tgt, "a source told TASS"),), {"scope": "clause", "attribution": "added"})
    assert explain(f, "Переговоры продолжатся.", tgt) == (
        'The English adds who reported it: "a source told TASS", a source the Russian does not name. An added '
        "attribution changes who vouches for the fact (minor).")


def test_omission_and_addition_scopes():
    src, tgt = "Первое. Второе предложение.", ""
    f = Flag("omission", 1.0, "major", (Span(0, len(src)),), (), {"scope": "sentence"})
    assert explain(f, src, tgt) == ("The English leaves out a whole sentence: «Первое. Второе предложение.» "
                                    "A reader of the English misses this content (major).")
    f = Flag("addition", 1.0, "major", (), (Span(0, 9),), {"scope": "sentence"})
    assert explain(f, "", "Extra one.").startswith('The English adds a whole sentence with no counterpart in the '
                                                   'Russian: "Extra one".')
    tgt = "Prices rose, the ministry said on Monday."
    f = Flag("addition", 0.2, "major", (), (sp(tgt, "on Monday"),), {"scope": "words", "unaligned_words": "on Monday"})
    assert explain(f, "Цены выросли.", tgt) == ('The English adds: "on Monday", with no counterpart in the Russian. '
                                                "A reader of the English is told something the Russian does not say "
                                                "(major).")
    f = Flag("omission", 0.2, "major", (sp(SRC, "1100 учеников"),), (),
             {"scope": "clause", "unrendered_numbers": ["1100"], "unrendered_names": ["МЧС"]})
    out = explain(f, SRC, TGT)
    assert "figures not given in the English: «1100»" in out and "names not given in the English: «МЧС»" in out
    f = Flag("omission", 0.8, "major", (Span(0, 6),), (), {"from": "unrelated", "scope": "bead", "sim": 0.3})
    assert explain(f, SRC, TGT).startswith("The Russian sentence is not rendered in the English (the aligned sentences")


def test_negation_modality_framing_meaning_unrelated():
    f = Flag("negation_or_polarity", 1.0, "critical", (), (Span(10, 13),), {"src_cues": [], "tgt_cues": ["not"]})
    assert explain(f).startswith('The polarity differs: the Russian has no negation, the English has negation "not".')
    f = Flag("intensity_or_modality_shift", 1.5, "major", (), (),
             {"classes": {"possibility": {"src": ["может"], "tgt": [], "tgt_future": ["will"]},
                          "weak_report": {"src": [], "tgt": ["hinted"]}}})
    out = explain(f)
    assert out == ('The Russian expresses a possibility («может»), the English does not and states it as a plain '
                   'future ("will"); the English expresses a tentative reporting verb ("hinted"), the Russian does '
                   "not. The claim is stronger or weaker than in the source (major).")
    f = Flag("framing_shift", 1.0, "major", (), (),
             {"src_term": ["киевский режим"], "tgt_term": ["Kiev authorities"], "src_state": "loaded",
              "tgt_state": "neutral", "note": "delegitimises"})
    assert explain(f).startswith('The term differs: «киевский режим» (loaded) in the Russian, "Kiev authorities" '
                                 "(neutral) in the English. Lexicon note: delegitimises.")
    f = Flag("meaning_shift", 1.0, "major", (), (),
             {"axis": "quantity", "src_pole": "up", "tgt_pole": "down", "src_cues": ["выросли"], "tgt_cues": ["fell"]})
    assert explain(f).startswith('The direction is reversed (quantity): the Russian says up («выросли»), the English '
                                 'says down ("fell").')
    f = Flag("meaning_shift", 0.3, "major", (), (), {"sim": 0.71})
    assert "(meaning similarity 0.71)" in explain(f)
    f = Flag("unrelated", 0.7, "critical", (), (), {"sim": 0.3, "rival_sim": 0.86})
    assert explain(f) == ("The aligned sentences do not render each other (meaning similarity 0.30; a sentence "
                          "elsewhere in the document is closer, 0.86). Neither side's content is in the other: check "
                          "the alignment, then both sentences (critical).")


@pytest.mark.parametrize("t", FLAG_TYPES)
def test_every_type_reads_as_sentences_without_detail(t):
    out = explain(Flag(t, 0.5, "major", (Span(0, 5),), (Span(0, 4),), {}), "Текст тут.", "Text here.")
    assert out.endswith("(major).") and len(out) > 40 and "None" not in out and "{" not in out


def test_long_quotes_are_cut():
    long = "слово " * 100
    f = Flag("omission", 1.0, "major", (Span(0, len(long)),), (), {"scope": "sentence"})
    out = explain(f, long, "")
    assert "…»" in out and len(out) < 300
