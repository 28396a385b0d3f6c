"""Numbers and dates in Korean, Chinese, Japanese and Spanish compare with the English ones (texts written for
these tests)."""

import pytest

from align.normalize import dates, dates_compatible, numbers, numbers_equal


def _vals(text, lang):
    return [(n.value, n.unit, n.kind) for n in numbers(text, lang)]


@pytest.mark.parametrize("lang, text, want", [
    ("zh", "今年生产了1万2千吨钢材。", [(12000.0, "t", "number")]),
    ("zh", "投资约2.5亿元。", [(2.5e8, "CNY", "number")]),
    ("zh", "产量增长了百分之十五。", [(15.0, "%", "word")]),
    # numerals inside words («统一», «一定») are no quantity
    ("zh", "三千名代表出席了第三次会议，统一是一定要实现的。", [(3000.0, None, "word"), (3.0, None, "ordinal")]),
    ("ja", "鉄鋼生産は1万2千トンで、15％増えた。", [(12000.0, "t", "number"), (15.0, "%", "number")]),
    ("ja", "予算は５億円に達した。", [(5e8, "JPY", "number")]),
    ("ko", "강철생산량은 3만톤으로서 15프로센트 늘어났다.", [(30000.0, "t", "number"), (15.0, "%", "number")]),
    ("ko", "투자액은 5억 달러, 총 1억 2천만원이다.", [(5e8, "USD", "number"), (1.2e8, "KPW", "number")]),
    ("ko", "제3차 회의에 수천명이 참가하였다.", [(3.0, None, "ordinal"), (5995.0, None, "approx")]),
    ("es", "La producción creció un 15 por ciento hasta 1.500,5 toneladas.", [(15.0, "%", "number"),
                                                                            (1500.5, "t", "number")]),
    ("es", "Costará 12 mil millones de dólares y 2,5 millones de euros.", [(1.2e10, "USD", "number"),
                                                                           (2.5e6, "EUR", "number")]),
    ("es", "Asistieron doscientos cincuenta delegados y 3.200 obreros.", [(250.0, None, "word"),
                                                                           (3200.0, None, "number")]),
])
def test_numbers_in_each_language(lang, text, want):
    assert _vals(text, lang) == want


def test_same_quantity_across_scripts():
    en = {n.text: n for n in numbers("It produced 12,000 tons, 30,000 tons, 250 million dollars and 15 percent.", "en")}
    zh = numbers("生产了1万2千吨。", "zh")[0]
    ko = numbers("3만톤을 생산하였다.", "ko")[0]
    ja = numbers("2.5億ドルを投じた。", "ja")[0]
    es = numbers("un 15 por ciento", "es")[0]
    assert numbers_equal(zh, en["12,000 tons"]) and numbers_equal(ko, en["30,000 tons"])
    assert numbers_equal(ja, en["250 million dollars"]) and numbers_equal(es, en["15 percent"])
    assert not numbers_equal(ko, en["12,000 tons"])


@pytest.mark.parametrize("lang, text, want", [
    ("ko", "회의는 2025년 12월 7일 일요일에 열렸다.", [{"year": 2025, "month": 12, "day": 7}, {"weekday": 6}]),
    ("ko", "주체114(2025)년 12월 7일", [{"year": 2025, "month": 12, "day": 7}]),
    ("ko", "주체114년", [{"year": 2025}]),
    ("zh", "会议于2025年12月7日举行。", [{"year": 2025, "month": 12, "day": 7}]),
    ("zh", "主体114年12月", [{"year": 2025, "month": 12}]),
    ("ja", "会議は12月7日（日曜日）に開かれた。", [{"month": 12, "day": 7}, {"weekday": 6}]),
    ("es", "La sesión se celebró el domingo 7 de diciembre de 2025.", [{"weekday": 6},
                                                                      {"year": 2025, "month": 12, "day": 7}]),
    ("en", "in Juche 114", [{"year": 2025}]),
    ("ru", "в 114 году чучхе", [{"year": 2025}]),
])
def test_dates_in_each_language(lang, text, want):
    assert [d.fields() for d in dates(text, lang)] == want


def test_juche_year_is_no_number_and_dates_compare():
    en = dates("on December 7, 2025", "en")[0]
    ko = dates("2025년 12월 7일", "ko")[0]
    ja = dates("2025年12月8日", "ja")[0]
    assert dates_compatible(ko, en) is True and dates_compatible(ja, en) is False
    assert [n.kind for n in numbers("주체114(2025)년 12월 7일", "ko")] == []
