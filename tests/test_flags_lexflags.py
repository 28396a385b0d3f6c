"""Names of any origin across scripts, durations, modality and framing on rewrites (issue 21 item 3): every text
here is invented for these tests."""

import pytest

from align.flags import FlagConfig, detect
from corpus.records import Bead

ENTITIES = ("numbers", "dates", "names")


def found(ru, en, detectors=ENTITIES, encoder=None):
    """(type, source text, target text) of each flag of a one-sentence bead, read off the spans."""
    cfg = FlagConfig(detectors=detectors)
    fl = detect([ru], [en], [Bead((0,), (0,))], src_lang="ru", tgt_lang="en", config=cfg, encoder=encoder)[0]
    return sorted((f.type, " ".join(ru[s.start:s.end] for s in f.src_spans),
                   " ".join(en[s.start:s.end] for s in f.tgt_spans)) for f in fl)


# ------------------------------------------------------------------------------------------------ names
@pytest.mark.parametrize("ru,en", [
    ("Об этом сообщил министр Ли Сон Мин.", "Minister Lee Sung-min said this."),
    ("Ли Сон Мин прибыл в Сеул на переговоры.", "Lee Sung-min arrived in Seoul for talks."),
    ("Генсек Нгуен Фу Чонг принял делегацию.", "General Secretary Nguyen Phu Trong received the delegation."),
    ("Премьер Вьетнама Фам Минь Тьинь посетит Казань.", "Vietnamese Prime Minister Pham Minh Chinh will visit Kazan."),
    ("Министр Пак Чон Хо встретился с послом.", "Minister Park Jong-ho met the ambassador."),
    ("Встреча прошла в Хошимине.", "The meeting took place in Ho Chi Minh City."),
    ("Президент Турции Реджеп Тайип Эрдоган выступил в Анкаре.", "Turkish President Recep Tayyip Erdogan spoke in Ankara."),
    ("Министр иностранных дел Венесуэлы Иван Хиль прибыл в Москву.", "Venezuelan Foreign Minister Yvan Gil arrived in Moscow."),
    ("Сделку одобрил Хуан Карлос Гонсалес.", "The deal was approved by Juan Carlos Gonzalez."),
    ("Лидер КНДР Ким Чен Ын осмотрел завод.", "North Korean leader Kim Jong Un inspected the plant."),
])
def test_names_of_syllable_languages_and_other_origins_render_faithfully(ru, en):
    assert found(ru, en) == []


@pytest.mark.parametrize("ru,en,pair", [
    ("Об этом сообщил министр Ли Сон Мин.", "Minister Kim Sung-min said this.", ("Ли", "Kim")),
    ("Генсек Нгуен Фу Чонг принял делегацию.", "General Secretary Pham Phu Trong received the delegation.",
     ("Нгуен", "Pham")),
])
def test_a_changed_syllable_name_is_still_caught(ru, en, pair):
    assert found(ru, en) == [("name_changed",) + pair]


# ------------------------------------------------------------------------------------------------ durations
@pytest.mark.parametrize("ru,en", [
    ("Перелет займет 2 часа 40 минут.", "The flight will take two hours and 40 minutes."),
    ("Перелет займет 2 ч 40 мин.", "The flight takes 2h 40m."),
    ("Встреча продлилась 1 час 48 минут.", "The meeting lasted an hour and 48 minutes."),
    ("Матч продлился 3 часа 5 минут.", "The match lasted three hours and five minutes."),
    ("Поездка длится 1,5 часа.", "The trip lasts 90 minutes."),
    ("Строительство займет полтора года.", "Construction will take 18 months."),
])
def test_a_duration_read_in_other_units_is_no_number_change(ru, en):
    assert found(ru, en) == []


def test_a_changed_duration_is_one_flag_naming_both_values():
    ru, en = "Перелет займет 2 часа 40 минут.", "The flight will take two hours and 50 minutes."
    assert found(ru, en) == [("number_changed", "2 часа 40 минут", "two hours and 50 minutes")]
    f = detect([ru], [en], [Bead((0,), (0,))], src_lang="ru", tgt_lang="en", config=FlagConfig(detectors=ENTITIES))[0][0]
    assert (f.detail["src_value"], f.detail["tgt_value"]) == (160.0, 170.0)
    assert found("Поездка длится 1,5 часа.", "The trip lasts 80 minutes.") == [("number_changed", "1,5", "80")]


# ------------------------------------------------------------------------------------------------ modality by meaning
@pytest.fixture(scope="module")
def encoder():
    from align.encoders import get_encoder, token_model

    if token_model() is None:
        pytest.skip("needs torch: cue rendering by meaning reads the bundled model's token vectors")
    return get_encoder("e5-small")


def lexical(ru, en, encoder):
    """The cue detectors' flags, with the token vectors the full tool computes (coverage runs, its flags left out)."""
    return [f for f in found(ru, en, ("coverage", "negation", "modality", "framing"), encoder)
            if f[0] not in ("addition",) and not (f[0] == "omission" and not f[1])]


@pytest.mark.parametrize("ru,en", [
    ("Он обязательно приедет на форум в мае.", "He is sure to come to the forum in May."),
    ("Компания рассчитывает увеличить добычу до 120 тыс. баррелей.",
     "The company is counting on increasing output to 120,000 barrels."),
    ("Предположительно, пожар начался из-за замыкания.", "The fire was presumably caused by a short circuit."),
])
def test_a_cue_rendered_by_words_no_list_has_is_no_shift(ru, en, encoder):
    assert lexical(ru, en, encoder) == []


@pytest.mark.parametrize("ru,en,typ,cue", [
    ("Он обязательно приедет на форум в мае.", "He will come to the forum in May.", "intensity_or_modality_shift",
     "обязательно"),
    ("Компания рассчитывает увеличить добычу до 120 тыс. баррелей.",
     "The company will increase output to 120,000 barrels.", "intensity_or_modality_shift", "рассчитывает"),
    ("Предположительно, пожар начался из-за замыкания.", "The fire was caused by a short circuit.", "omission",
     "Предположительно"),
])
def test_a_cue_the_rendering_drops_is_still_caught(ru, en, typ, cue, encoder):
    assert [(t, s) for t, s, _ in lexical(ru, en, encoder)] == [(typ, cue)]


def test_a_denied_exclusion_turned_into_an_exclusion_is_one_polarity_flag(encoder):
    ru = "Авиакомпания не исключает увеличения частоты рейсов летом."
    assert lexical(ru, "The airline ruled out increasing the frequency of flights in the summer.", encoder) == [
        ("negation_or_polarity", "", "ruled out")]
    assert lexical(ru, "The airline does not rule out increasing the number of flights in the summer.", encoder) == []


def test_make_it_possible_and_about_a_number_word_are_no_modality():
    ru, en = "Документ позволит сократить сроки примерно на полгода.", "The document will make it possible to cut the time by about six months."
    assert found(ru, en, ("modality",)) == []


# ------------------------------------------------------------------------------------------------ framing by meaning
RESTRICTIONS = "Компании переориентировались на рынки Азии, несмотря на нелегитимные ограничения западных стран."


@pytest.mark.parametrize("ru,en,expected", [
    (RESTRICTIONS, "Companies shifted to Asian markets despite Western restrictions.",
     [("framing_shift", "нелегитимные", "")]),
    (RESTRICTIONS, "Companies shifted to Asian markets despite the West's unjust restrictions.", []),
    (RESTRICTIONS, "Companies shifted to Asian markets despite illegitimate Western restrictions.", []),
    ("Об этом заявил участник спецоперации.", "This was stated by a participant in the special military operation.", []),
    ("Об этом заявил участник спецоперации.", "This was stated by a participant in the war.",
     [("framing_shift", "спецоперации", "war")]),
    ("Об этом заявили представители киевского режима.", "This was stated by representatives of the Kyiv authorities.",
     [("framing_shift", "киевского режима", "Kyiv authorities")]),
    ("Заложников освободили утром.", "The hostages were released in the morning.", []),
    # «освобожденные» said of people is "freed", not the loaded "liberated" of captured territory
    ("Освобожденных военнослужащих доставят в Москву для лечения и реабилитации в медицинских учреждениях Минобороны.",
     "The freed servicemen will be taken to Moscow for treatment and rehabilitation at Defense Ministry medical "
     "facilities.", []),
    ("Подразделения освободили населенный пункт в Донецкой области.", "The units captured a village in the Donetsk region.",
     [("framing_shift", "освободили", "captured")]),
])
def test_a_loaded_term_dropped_or_swapped_is_a_framing_shift_and_one_rendered_otherwise_is_not(ru, en, expected, encoder):
    assert lexical(ru, en, encoder) == expected


def test_a_hope_stated_as_a_future_is_a_shift_and_a_plan_is_not():
    assert [t for t, _, _ in found("Компания рассчитывает увеличить добычу в 2026 году.",
                                   "The company will increase output in 2026.", ("modality",))] == [
        "intensity_or_modality_shift"]
    assert found("Планируется, что завод откроют в 2027 году.", "The plant will open in 2027.", ("modality",)) == []
    assert found("Компания планирует увеличить добычу в 2026 году.", "The company will increase output in 2026.",
                 ("modality",)) == []
