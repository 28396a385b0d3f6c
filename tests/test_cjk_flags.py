"""Number, date and name flags between KCNA-style editions and English (sentences written for these tests)."""

import pytest

from align.flags import FlagConfig, detect
from align.normalize import name_tokens, names_match
from align.records import Bead

ENTITIES = ("numbers", "dates", "names")


def found(src, tgt, lang):
    """(type, source text, target text) of each reported flag, the text read off the spans."""
    fl = detect([src], [tgt], [Bead((0,), (0,))], src_lang=lang, tgt_lang="en",
                config=FlagConfig(detectors=ENTITIES))[0]
    return sorted((f.type, " ".join(src[s.start:s.end] for s in f.src_spans),
                   " ".join(tgt[s.start:s.end] for s in f.tgt_spans), f.severity) for f in fl)


EN = "Kim Jong Un visited the Wonsan fertilizer factory in Pyongyang on December 7, 2025, where output rose to " \
     "30,000 tons, 15 percent more than last year."
FAITHFUL = {
    "ko": "김정은동지께서 2025년 12월 7일 평양의 원산비료공장을 현지지도하시였다. 생산량은 3만톤으로서 지난해보다 15프로센트 늘어났다.",
    "zh": "金正恩同志于2025年12月7日视察了平壤的元山化肥厂，产量增至3万吨，比去年增长百分之十五。",
    "ja": "金正恩委員長は2025年12月7日、平壌の元山肥料工場を視察し、生産量は3万トンで昨年より15％増えた。",
    "es": "Kim Jong Un visitó el 7 de diciembre de 2025 la fábrica de fertilizantes de Wonsan en Pyongyang, donde la "
          "producción llegó a 30.000 toneladas, un 15 por ciento más que el año pasado.",
}


@pytest.mark.parametrize("lang", sorted(FAITHFUL))
def test_faithful_rendering_has_no_entity_flag(lang):
    """Every number, date and name is matched across the scripts: not even a one-sided candidate is left."""
    assert found(FAITHFUL[lang], EN, lang) == []
    low = FlagConfig(detectors=ENTITIES, thresholds={d: 0.1 for d in ENTITIES})
    fl = detect([FAITHFUL[lang]], [EN], [Bead((0,), (0,))], src_lang=lang, tgt_lang="en", config=low)[0]
    assert [(f.type, f.detail.get("src"), f.detail.get("tgt")) for f in fl] == []


def test_changed_number_between_korean_and_english_names_both_values():
    ko = "생산량은 4만톤으로서 지난해보다 15프로센트 늘어났다."
    en = "Output rose to 30,000 tons, 15 percent more than last year."
    fl = detect([ko], [en], [Bead((0,), (0,))], src_lang="ko", tgt_lang="en",
                config=FlagConfig(detectors=ENTITIES))[0]
    assert [f.type for f in fl] == ["number_changed"]
    assert fl[0].severity == "critical"
    assert ko[fl[0].src_spans[0].start:fl[0].src_spans[0].end].startswith("4만")
    assert fl[0].detail["src_value"] == 40000 and fl[0].detail["tgt_value"] == 30000


@pytest.mark.parametrize("lang, src, want_src", [
    ("zh", "金正恩同志于2025年12月8日视察了平壤的元山化肥厂，产量增至3万吨，比去年增长百分之十五。", "2025年12月8日"),
    ("ja", "金正恩委員長は2025年12月8日、平壌の元山肥料工場を視察し、生産量は3万トンで昨年より15％増えた。", "2025年12月8日"),
    ("es", "Kim Jong Un visitó el 8 de diciembre de 2025 la fábrica de fertilizantes de Wonsan en Pyongyang, donde la "
           "producción llegó a 30.000 toneladas, un 15 por ciento más que el año pasado.", "8 de diciembre de 2025"),
])
def test_changed_date_is_flagged(lang, src, want_src):
    got = found(src, EN, lang)
    assert [(t, s) for t, s, _, _ in got] == [("date_changed", want_src)]


def test_changed_name_between_korean_and_english():
    ko = "김정은동지께서 함흥의 비료공장을 현지지도하시였다."
    en = "Kim Jong Un inspected a fertilizer factory in Wonsan."
    got = found(ko, en, "ko")
    assert [(t, s, e) for t, s, e, _ in got] == [("name_changed", "함흥", "Wonsan")]


def test_unknown_korean_names_match_latin_and_cyrillic_spellings():
    ko = name_tokens("리병철동지가 참가하였다.", "ko")
    en = name_tokens("Ri Pyong Chol took part.", "en")
    assert [m.text for m in ko] == ["리", "병", "철"]
    assert all(names_match(a, b) >= 0.75 for a, b in zip(ko, en))
    ru = name_tokens("В заседании участвовал Ри Пён Чхоль.", "ru")
    chol = next(m for m in ru if m.text == "Чхоль")
    assert names_match(ko[2], chol) >= 0.75 and names_match(ko[1], chol) < 0.75
    assert found("리병철동지가 참가하였다.", "Ri Pyong Chol took part.", "ko") == []
    got = found("리병철동지가 참가하였다.", "Pak Jong Chon took part.", "ko")
    assert [(t, s, e) for t, s, e, _ in got] == [("name_changed", "리병철", "Pak Jong Chon")]


def test_chinese_and_japanese_renderings_of_korean_names_read_in_korean():
    zh = "李炳哲同志出席了会议。"
    ja = "会議には李炳哲氏が出席した。"
    assert [m.lemma for m in name_tokens(zh, "zh")] == ["ri", "pyong", "chol"]
    assert found(zh, "Ri Pyong Chol attended the meeting.", "zh") == []
    assert found(ja, "Ri Pyong Chol attended the meeting.", "ja") == []
    got = found(zh, "Pak Jong Chon attended the meeting.", "zh")
    assert [(t, s, e) for t, s, e, _ in got] == [("name_changed", "李炳哲", "Pak Jong Chon")]


def test_spanish_institution_title_words_are_no_names():
    es = "La Fábrica Textil de Sinuiju presentó sus telas en la Casa de Exposiciones de la Industria Ligera."
    en = "The Sinuiju Textile Mill showed its fabrics at the Light Industry Exhibition Hall."
    assert found(es, en, "es") == []
    got = found("Los productos se presentaron en Kusong.", "The products were shown in Huichon.", "es")
    assert [(t, s, e) for t, s, e, _ in got] == [("name_changed", "Kusong", "Huichon")]
