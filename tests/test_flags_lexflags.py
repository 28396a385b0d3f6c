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
