"""Page furniture (corpus.furniture): recognised as fields, never left in the body; body lines never dropped.

All page text here is invented for the tests."""

import pytest

from corpus.furniture import classify_line, strip_furniture

RU_PAGE = [
    "Все новости",
    "Экономика и бизнес",
    "Кабмин выделит средства на ремонт школ в трех регионах",
    "Деньги направят на замену окон и кровли, уточнили в правительстве",
    "© Петр Ковалев/ТАСС",
    "Редакция сайта ТАСС",
    "3 декабря, 10:15",
    "",
    "МОСКВА, 3 декабря. /ТАСС/. Правительство выделит 2,4 млрд рублей на ремонт школ в Тверской, Курской и "
    "Омской областях. Распоряжение опубликовано на портале правовой информации.",
    "Читайте также",
    "Спрос на ипотеку вырос в ноябре на 12%",
    "По словам вице-премьера, работы начнутся весной.",
    "© Анна Лебедева/ТАСС",
    "Ранее правительство уже направляло средства на капитальный ремонт.",
    "Теги: Образование, Правительство РФ",
    "Россия",
]
RU_BODY = [
    "Правительство выделит 2,4 млрд рублей на ремонт школ в Тверской, Курской и Омской областях. "
    "Распоряжение опубликовано на портале правовой информации.",
    "По словам вице-премьера, работы начнутся весной.",
    "Ранее правительство уже направляло средства на капитальный ремонт.",
]

EN_PAGE = [
    "All news",
    "© Peter Kovalev/TASS",
    "Read also",
    "Mortgage demand up 12% in November",
    "Russian government to fund school repairs in three regions",  # headline after the teaser: no dateline yet
    "IGORA /Leningrad Region/, December 4. /TASS/.",
    "The Russian government will allocate 2.4 billion rubles to repair schools, the cabinet said.",
    "Work will start in spring.",
    "Read also: Kremlin says talks will go on",
    "December 4, 10:15",
]


def test_ru_page_fields_and_body():
    p = strip_furniture(RU_PAGE, "ru")
    assert p.body == RU_BODY
    assert p.fields == {
        "headline": "Кабмин выделит средства на ремонт школ в трех регионах",
        "subtitle": "Деньги направят на замену окон и кровли, уточнили в правительстве",
        "credit": "© Петр Ковалев/ТАСС", "byline": "Редакция сайта ТАСС", "timestamp": "3 декабря, 10:15",
        "dateline": "МОСКВА, 3 декабря. /ТАСС/.",
    }
    assert p.of_kind("teaser") == ["Читайте также", "Спрос на ипотеку вырос в ноябре на 12%"]
    assert p.of_kind("credit") == ["© Петр Ковалев/ТАСС", "© Анна Лебедева/ТАСС"]  # the one inside the body too
    assert "Теги: Образование, Правительство РФ" in p.of_kind("tags") and "Россия" in {s.text for s in p.stripped}
    assert p.furniture_index == [0, 1, 2, 3, 4, 5, 6, 9, 10, 12, 14, 15]
    assert all(s.reason for s in p.stripped)


def test_en_page_dateline_alone_on_a_later_line():
    p = strip_furniture(EN_PAGE, "en")
    assert p.body == EN_PAGE[6:8]
    assert p.fields["dateline"] == "IGORA /Leningrad Region/, December 4. /TASS/."
    assert (p.dateline_place, p.dateline_date) == ("IGORA /Leningrad Region/", "December 4")
    assert p.fields["headline"] == "Russian government to fund school repairs in three regions"
    assert p.fields["credit"] == "© Peter Kovalev/TASS" and p.fields["timestamp"] == "December 4, 10:15"
    assert p.of_kind("navigation") == ["All news"]
    assert p.of_kind("teaser") == ["Read also", "Mortgage demand up 12% in November",
                                   "Read also: Kremlin says talks will go on"]


def test_correspondent_dateline_is_one_field():
    p = strip_furniture(["Заголовок новости о выставке", "КАЗАНЬ, 5 декабря. /Корр. ТАСС Ильдар Сафин/. "
                         "В Казани открылась выставка. Она продлится неделю."], "ru")
    assert p.fields["dateline"] == "КАЗАНЬ, 5 декабря. /Корр. ТАСС Ильдар Сафин/."
    assert p.body == ["В Казани открылась выставка. Она продлится неделю."]
    assert p.dateline_byline == "Корр. ТАСС Ильдар Сафин"
    p = strip_furniture(["МОСКВА, 5 декабря. /ТАСС/.", "/Корр. ТАСС Ильдар Сафин/.", "Выставка открылась."], "ru")
    assert p.fields["dateline"] == "МОСКВА, 5 декабря. /ТАСС/. /Корр. ТАСС Ильдар Сафин/."
    assert p.body == ["Выставка открылась."]


BODY_LIKE = [
    "Фото с места событий опубликовал глава региона.",  # starts like a credit
    "All news agencies reported the decision on Monday.",  # starts like navigation
    "Read also the statement of the ministry, the spokesman advised reporters.",
    "3 декабря в 10:15 поезд прибыл в Казань.",  # a date and a time inside a sentence
    "Россия",  # one word, but between punctuated paragraphs
    "Теги и метки на товарах заменят к весне.",
    "Автор проекта Иван Петров рассказал о планах.",
    "By Monday the talks resumed in Geneva.",  # starts like a byline
    "Темы: экономика и право обсудят на форуме.",  # starts like a tag list
]


def test_body_lines_are_never_stripped():
    page = ["МОСКВА, 3 декабря. /ТАСС/. Первое предложение новости."] + BODY_LIKE + ["Последнее предложение."]
    p = strip_furniture(page, "ru")
    assert p.body == ["Первое предложение новости.", *BODY_LIKE, "Последнее предложение."]
    assert [s.kind for s in p.stripped] == ["dateline"]


def test_plain_text_without_furniture_is_left_alone():
    lines = ["The minister said the talks would continue.", "No date was set for the next round."]
    p = strip_furniture(lines, "en")
    assert p.body == lines and p.stripped == [] and p.fields == {}


def test_headline_without_dateline_only_on_pasted_pages():
    lines = ["Talks to go on next week", "The minister said the talks would continue."]
    assert strip_furniture(lines, "en").fields == {"headline": "Talks to go on next week"}
    assert strip_furniture(lines, "en", pasted=False).body == lines  # parsed markup: a subheading may be body


def test_known_headline_and_subtitle_from_markup():
    lines = ["Talks to go on", "The talks will continue, he said.", "MOSCOW, May 1. /TASS/. Body text here.",
             "Talks to go on", "The talks will continue, he said."]
    p = strip_furniture(lines, "en", headline="Talks to go on", subtitle="The talks will continue, he said.",
                        pasted=False)
    # the subtitle repeated after the dateline is body (tass.com repeats its lead); a headline never is
    assert p.body == ["Body text here.", "The talks will continue, he said."]
    assert [s.kind for s in p.stripped] == ["headline", "subtitle", "dateline", "headline"]


@pytest.mark.parametrize("line, kind", [
    ("18 декабря, 23:27", "timestamp"), ("18 декабря 2025, 23:27", "timestamp"), ("DEC 18, 23:27", "timestamp"),
    ("Обновлено 18 декабря, 23:27", "timestamp"), ("18.12.2025 23:27", "timestamp"),
    ("© Михаил Синицын/ТАСС", "credit"), ("© AP Photo/Ivan Ivanov", "credit"), ("Фото: пресс-служба мэрии", "credit"),
    ("Mikhail Sinitsyn/TASS", "credit"), ("Редакция сайта ТАСС", "byline"), ("Автор: Иван Петров", "byline"),
    ("By John Smith", "byline"), ("Читайте также:", "teaser"),
    ("Read also", "teaser"), ("Tags: Russia, Economy", "tags"), ("#бюджет #школы", "tags"), ("Все новости", "navigation"),
])
def test_line_patterns(line, kind):
    assert classify_line(line)[0] == kind


@pytest.mark.parametrize("line", BODY_LIKE[:4] + BODY_LIKE[-2:] + ["В 23:27 по московскому времени сработала сирена."])
def test_sentences_are_not_patterns(line):
    assert classify_line(line) is None


def _benchmark_sides():
    rewrites = pytest.importorskip("corpus.evaluation.rewrites")
    try:
        pairs, decoys = rewrites.load_pairs(None), rewrites.load_decoys()
    except (FileNotFoundError, OSError):
        pytest.skip("rewrite benchmark data not present")
    return [(p.id, p.side(l)) for p in pairs for l in ("ru", "en")] + [(d.id, d.side) for d in decoys]


def test_rewrite_benchmark_pages_never_lose_a_body_line():
    """Every page of the rewrite benchmark (dev, test and decoys): no gold body line is stripped, and every
    gold field is recognised exactly (scripts/eval_furniture.py prints the per-edition numbers)."""
    sides = _benchmark_sides()
    if not sides:
        pytest.skip("rewrite benchmark is empty")
    for sid, side in sides:
        p = strip_furniture(list(side.page), side.lang)
        assert not set(p.furniture_index) - set(side.furniture), (sid, side.lang)
        for k, v in side.fields.items():
            assert p.fields.get(k) == v, (sid, side.lang, k)


def test_a_page_of_only_headline_like_lines_keeps_them_as_body():
    """A one-line flash whose text equals the headline, or short unpunctuated lines only: that is the body."""
    p = strip_furniture(["Путин подписал указ о бюджете", "© Олег Белов/ТАСС"], "ru",
                        headline="Путин подписал указ о бюджете", pasted=False)
    assert p.body == ["Путин подписал указ о бюджете"] and p.fields == {"credit": "© Олег Белов/ТАСС"}
    lines = ["s0 s1 s2 s3", "s4 s5 s6 s7", "s8 s9"]
    assert strip_furniture(lines, "en").body == lines
