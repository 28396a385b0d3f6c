"""Datelines are split off bodies into place/date fields (corpus.dateline)."""

import pytest

from corpus.dateline import split_dateline


@pytest.mark.parametrize(
    "text, lang, place, date, rest, tag, byline",
    [
        ("МОСКВА, 26 декабря. /ТАСС/. Президент заявил.", "ru", "МОСКВА", "26 декабря", "Президент заявил.", "ТАСС", ""),
        ("ИГОРА /Ленинградская область/, 26 декабря. /ТАСС/. Текст.", "ru",
         "ИГОРА /Ленинградская область/", "26 декабря", "Текст.", "ТАСС", ""),
        ("МОСКВА, 26 декабря. /ТАСС/. /Корр. ТАСС Иван Петров/. Текст.", "ru",
         "МОСКВА", "26 декабря", "Текст.", "ТАСС", "Корр. ТАСС Иван Петров"),
        ("САНКТ-ПЕТЕРБУРГ, 3 мая. /Корр. ТАСС Анна Смирнова/. Текст.", "ru",
         "САНКТ-ПЕТЕРБУРГ", "3 мая", "Текст.", "ТАСС", "Корр. ТАСС Анна Смирнова"),
        ("MOSCOW, December 26. /TASS/. The president said.", "en", "MOSCOW", "December 26", "The president said.", "TASS", ""),
        ("IGORA /Leningrad Region/, December 26. /TASS/. Text.", "en",
         "IGORA /Leningrad Region/", "December 26", "Text.", "TASS", ""),
        ("ST. PETERSBURG, Dec. 3. /TASS/. Text.", "en", "ST. PETERSBURG", "Dec. 3", "Text.", "TASS", ""),
        ("NEW YORK, May 1. /TASS/.", "en", "NEW YORK", "May 1", "", "TASS", ""),
        ("Pyongyang, December 26 (KCNA) -- Text.", "en", "Pyongyang", "December 26", "Text.", "KCNA", ""),
    ],
)
def test_datelines(text, lang, place, date, rest, tag, byline):
    d = split_dateline(text, lang)
    assert (d.place, d.date, d.rest, d.tag, d.byline) == (place, date, rest, tag, byline)
    assert d


@pytest.mark.parametrize("text", [
    "The president said on December 26 that talks would go on.",
    "МОСКВА сегодня, 26 декабря, принимает гостей.",
    "MOSCOW, December 26. The dateline without the agency tag is not a dateline.",
    "",
])
def test_no_dateline_leaves_text_alone(text):
    d = split_dateline(text, "en")
    assert (d.place, d.date, d.rest) == ("", "", text)
    assert not d


@pytest.mark.parametrize("text, lang, first", [
    ("МОСКВА, 3 декабря. /ТАСС/. Президент провел совещание.", "ru", "МОСКВА, 3 декабря. /ТАСС/."),
    ("МОСКВА, 3 декабря. /ТАСС/. /Корр. ТАСС Иван Петров/. Президент провел совещание.", "ru",
     "МОСКВА, 3 декабря. /ТАСС/. /Корр. ТАСС Иван Петров/."),
    ("КАЗАНЬ, 5 мая. /Корр. ТАСС Анна Смирнова/. Выставка открылась.", "ru", "КАЗАНЬ, 5 мая. /Корр. ТАСС Анна Смирнова/."),
    ("IGORA /Leningrad Region/, December 4. /TASS/. The race began.", "en", "IGORA /Leningrad Region/, December 4. /TASS/."),
    ("ST. PETERSBURG, Dec. 3. /TASS/. The race began. It ended.", "en", "ST. PETERSBURG, Dec. 3. /TASS/."),
])
def test_sentence_splitter_keeps_the_dateline_one_unit(text, lang, first):
    from align.segment import split_sentences

    sents = [text[a:b] for a, b in split_sentences(text, lang)]
    assert sents[0] == first and len(sents) == 2 + text.count("It ended")
