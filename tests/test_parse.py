"""Feed and page parsers (corpus.parse): fields, datelines stripped, language check, bot checks."""

from dataclasses import replace

import pytest

from corpus.parse import (
    BotCheck, ParseError, article_from_feed_item, check_language, decode_html, is_bot_check,
    parse_article_page, parse_rss,
)
from fakesite import make_articles, render_page, render_v2, render_yandex


@pytest.fixture(scope="module")
def arts():
    return make_articles(4, 4)


def test_yandex_feed_full_text(arts):
    ru = [a for a in arts if a.edition == "ru"]
    items = parse_rss(render_yandex(ru), source="tass", edition="ru")
    assert [i.url for i in items] == [a.url for a in ru]
    it = items[0]
    assert it.title == ru[0].title and it.lead == ru[0].lead
    assert it.published == "2026-11-20T09:15:00+03:00"  # the feed's own offset is kept
    assert it.section == "ekonomika"
    assert it.full_text and it.full_text.startswith("МОСКВА, 20 ноября. /ТАСС/.")
    art = article_from_feed_item(it)
    assert (art.source, art.edition, art.lang, art.status) == ("tass", "ru", "ru", "ok")
    assert (art.dateline_place, art.dateline_date) == ("МОСКВА", "20 ноября")
    assert art.paragraphs == tuple(ru[0].paragraphs)  # dateline stripped, paragraphs kept


def test_v2_feed_has_no_full_text(arts):
    en = [a for a in arts if a.edition == "en"]
    items = parse_rss(render_v2(en), source="tass", edition="en")
    assert len(items) == 4 and all(i.full_text is None for i in items)
    assert items[1].published == en[1].iso
    with pytest.raises(ParseError):
        article_from_feed_item(items[0])


def test_malformed_feeds():
    with pytest.raises(ParseError):
        parse_rss(b"", source="tass", edition="en")
    with pytest.raises(ParseError):
        parse_rss(b"<html><body>not a feed</body></html>", source="tass", edition="en")
    # damaged after the first item: the readable item is kept
    broken = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title>'
              b"<link>https://tass.com/world/1100001</link></item><item><title>B & <<</title></channel>")
    items = parse_rss(broken, source="tass", edition="en")
    assert items[0].url == "https://tass.com/world/1100001"


@pytest.mark.parametrize("layout", ["jsonld", "classic"])
def test_tass_com_layouts(arts, layout):
    a = replace([x for x in arts if x.edition == "en"][0], layout=layout)
    art = parse_article_page(render_page(a), a.url, source="tass", edition="en")
    assert art.title == a.title and art.lead == a.lead
    assert art.published == "2026-11-20T11:15:00+03:00"
    assert (art.dateline_place, art.dateline_date) == ("MOSCOW", "November 20")
    # tass.com repeats the lead as the first paragraph: it stays body text
    assert art.paragraphs == tuple(a.paragraphs) and art.paragraphs[0] == a.lead
    assert art.section == "economy" and art.status == "ok"


def test_layouts_agree(arts):
    a = [x for x in arts if x.edition == "en"][1]
    got = [parse_article_page(render_page(replace(a, layout=l)), a.url, source="tass", edition="en")
           for l in ("jsonld", "classic")]
    assert got[0].hash == got[1].hash and got[0].published == got[1].published


def test_jsonld_body_without_breaks_uses_markup_paragraphs(arts):
    a = replace([x for x in arts if x.edition == "en"][0], layout="jsonld")
    page = render_page(a).decode().replace("\\n", " ").encode()  # articleBody as one blob
    art = parse_article_page(page, a.url, source="tass", edition="en")
    assert art.paragraphs == tuple(a.paragraphs)


def test_tass_ru_nextjs_page(arts):
    a = replace([x for x in arts if x.edition == "ru"][2], layout="nextjs")
    art = parse_article_page(render_page(a), a.url, source="tass", edition="ru")
    assert art.title == a.title and art.lead == a.lead and art.published == a.iso
    assert art.dateline_place == "ИГОРА /Ленинградская область/"
    assert art.paragraphs == tuple(a.paragraphs)


def test_language_mismatch_is_flagged_not_mixed(arts):
    ru = replace([x for x in arts if x.edition == "ru"][0], layout="jsonld", url="https://tass.com/economy/1100009")
    art = parse_article_page(render_page(ru), ru.url, source="tass", edition="en")
    assert art.status == "lang_mismatch" and "ru" in art.status_reason
    ok, reason = check_language("The government approved the budget for the next year on Monday.", "en")
    assert ok and reason == ""
    # seeded: the same answer every time
    assert len({check_language("Правительство одобрило бюджет на следующий год.", "en")[1] for _ in range(5)}) == 1


def test_bot_check_pages():
    stub = b"<html><body>Please confirm you are not a robot: captcha</body></html>"
    assert is_bot_check(stub) and is_bot_check(b"<html>whatever</html>", 403)
    assert not is_bot_check(b"<html>" + b"captcha " * 2000 + b"</html>")  # big page: an article that mentions it
    with pytest.raises(BotCheck):
        parse_article_page(stub, "https://tass.ru/politika/26100000", source="tass", edition="ru")
    big_challenge = b"<html><head><script>" + b"var x=1;" * 2000 + b"</script></head><body>Checking your browser</body></html>"
    with pytest.raises(BotCheck):
        parse_article_page(big_challenge, "https://tass.ru/politika/26100000", source="tass", edition="ru")
    with pytest.raises(ParseError):
        parse_article_page(b"<html><body></body></html>", "https://tass.com/world/1", source="tass", edition="en")


def test_charsets(arts):
    a = replace([x for x in arts if x.edition == "ru"][0], layout="nextjs")
    page = render_page(a)
    cp = page.decode().replace('<meta charset="utf-8">', "").encode("cp1251")
    for body, ctype in ((page, "text/html; charset=iso-8859-1"), (cp, "text/html"), (cp, "")):
        art = parse_article_page(body, a.url, source="tass", edition="ru", content_type=ctype)
        assert art.title == a.title and art.status == "ok"
    assert decode_html("Привет".encode("cp1251"), "text/html; charset=windows-1251") == "Привет"


def test_feed_html_full_text():
    xml = ('<?xml version="1.0"?><rss version="2.0" xmlns:yandex="http://news.yandex.ru"><channel><item>'
           "<title>T</title><link>https://tass.ru/politika/26100001</link>"
           "<pubDate>Fri, 20 Nov 2026 09:15:00 +0300</pubDate>"
           "<yandex:full-text>&lt;p&gt;МОСКВА, 20 ноября. /ТАСС/. Первый &lt;b&gt;абзац&lt;/b&gt; текста новости.&lt;/p&gt;"
           "&lt;p&gt;Второй абзац текста новости о бюджете.&lt;/p&gt;</yandex:full-text></item></channel></rss>")
    it = parse_rss(xml.encode(), source="tass", edition="ru")[0]
    art = article_from_feed_item(it)
    assert art.paragraphs == ("Первый абзац текста новости.", "Второй абзац текста новости о бюджете.")


# ------------------------------------------------------------------ page furniture inside the body (invented)
from dataclasses import dataclass, field  # noqa: E402

from fakesite import FakeArticle  # noqa: E402


@dataclass
class FurnishedArticle(FakeArticle):
    """A fake article whose body markup / feed text carries furniture before, inside and after the body."""

    before: list = field(default_factory=list)
    inside: list = field(default_factory=list)
    after: list = field(default_factory=list)

    def body_paragraphs(self):
        b = super().body_paragraphs()
        return [*self.before, b[0], *self.inside, *b[1:], *self.after]


RU_FURNITURE = dict(
    before=["Правительство одобрило параметры бюджета", "© Мария Орлова/ТАСС", "Редакция сайта ТАСС",
            "20 ноября, 09:15"],
    inside=["Читайте также", "Экономисты ждут роста инвестиций в следующем году"],
    after=["Теги: Бюджет, Правительство"],
)
EN_FURNITURE = dict(
    before=["All news", "© Maria Orlova/TASS"],
    inside=["Read also: Economists expect investment to grow next year"],
    after=["November 20, 11:15", "Tags: Budget, Government"],
)


def _furnished(a, **kw):
    return FurnishedArticle(**{k: getattr(a, k) for k in a.__dataclass_fields__}, **kw)


@pytest.mark.parametrize("edition, layout", [("ru", "feed"), ("ru", "nextjs"), ("en", "jsonld"), ("en", "classic")])
def test_furniture_never_stays_in_paragraphs(arts, edition, layout):
    base = [x for x in arts if x.edition == edition][0]
    a = _furnished(replace(base, layout=layout), **(RU_FURNITURE if edition == "ru" else EN_FURNITURE))
    if layout == "feed":
        art = article_from_feed_item(parse_rss(render_yandex([a]), source="tass", edition="ru")[0])
    else:
        art = parse_article_page(render_page(a), a.url, source="tass", edition=edition)
    assert art.paragraphs == tuple(a.paragraphs)  # the body, and only the body
    assert art.credit == ("© Мария Орлова/ТАСС" if edition == "ru" else "© Maria Orlova/TASS")
    assert (art.dateline_place, art.dateline_date) == (a.place, a.date_printed)
    assert art.title == a.title and art.status == "ok"


def test_headline_and_subtitle_from_the_body_fill_empty_fields():
    xml = ('<?xml version="1.0"?><rss version="2.0" xmlns:yandex="http://news.yandex.ru"><channel><item>'
           "<title></title><link>https://tass.ru/politika/26100002</link>"
           "<pubDate>Fri, 20 Nov 2026 09:15:00 +0300</pubDate>"
           "<yandex:full-text>Совет Федерации одобрил закон о бюджете\nЗакон вступит в силу с 1 января\n"
           "© Олег Белов/ТАСС\nМОСКВА, 20 ноября. /ТАСС/. Сенаторы одобрили закон о бюджете на следующий год.\n"
           "Голосование прошло в среду.</yandex:full-text></item></channel></rss>")
    art = article_from_feed_item(parse_rss(xml.encode(), source="tass", edition="ru")[0])
    assert art.title == "Совет Федерации одобрил закон о бюджете" and art.lead == "Закон вступит в силу с 1 января"
    assert art.credit == "© Олег Белов/ТАСС"
    assert art.paragraphs == ("Сенаторы одобрили закон о бюджете на следующий год.", "Голосование прошло в среду.")


def test_store_keeps_the_credit_and_migrates_an_old_store(tmp_path, arts):
    import sqlite3

    from corpus.store import Store

    a = _furnished(replace([x for x in arts if x.edition == "en"][0], layout="classic"), **EN_FURNITURE)
    art = parse_article_page(render_page(a), a.url, source="tass", edition="en")
    path = tmp_path / "old.sqlite"
    with Store(path) as s:
        pass
    db = sqlite3.connect(path)  # an older store: no credit column yet
    db.execute("ALTER TABLE articles DROP COLUMN credit")
    db.commit()
    db.close()
    with Store(path) as s:
        aid, _ = s.upsert_article(art)
        assert s.article(aid).credit == "© Maria Orlova/TASS"
        assert s.article(aid).paragraphs == tuple(a.paragraphs)
