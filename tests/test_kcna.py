"""The KCNA adapter on the same machinery: six editions, Juche dates, datelines in six languages."""

from datetime import date

import pytest

from corpus.fetch import FetchConfig, fetch
from corpus.fetch.kcna import juche_to_date
from corpus.fetch.sources import get_source
from corpus.store import Store
from fakesite import FakeSite, build_kcna_site, make_kcna_articles


@pytest.mark.parametrize("text, want", [
    ("[Juche 115.11.20.]", date(2026, 11, 20)),
    ("주체115(2026)년 11월 20일", date(2026, 11, 20)),
    ("主体115.1.5", date(2026, 1, 5)),
    ("Juche 113 (2024).02.29", date(2024, 2, 29)),
    ("2026.11.20", date(2026, 11, 20)),
    ("주체115(2025)년 11월 20일", None),  # Juche and Gregorian years disagree
    ("Juche 115.13.40", None),
    ("", None),
])
def test_juche_dates(text, want):
    assert juche_to_date(text) == want


def test_kcna_urls():
    src = get_source("kcna")
    assert src.canonical("http://kcna.kp/en/article/q/0123456789abcdef0123456789abcdef.kcmsf") == (
        "en", "http://www.kcna.kp/en/article/q/0123456789abcdef0123456789abcdef.kcmsf")
    assert src.canonical("http://www.kcna.kp/jp/article/detail/0123abcd0123abcd")[0] == "jp"
    assert src.canonical("http://www.kcna.kp/en/category/articles.kcmsf") is None
    assert src.canonical("http://example.org/en/article/detail/0123abcd0123abcd") is None


@pytest.fixture()
def kcna_site():
    arts = make_kcna_articles(2)
    site = FakeSite(build_kcna_site(arts)).start()
    yield site, arts
    site.stop()


def test_fetch_all_kcna_editions(kcna_site):
    site, arts = kcna_site
    store = Store(":memory:")
    s = fetch(store, source="kcna", base_url=site.base_url, config=FetchConfig.fast(), quiet=True)
    assert s.counts["new"] == 12 and s.counts["error"] == 0, str(s)
    got = {a.url: a for a in store.articles(status=None)}
    assert set(got) == {a.url for a in arts}
    for a in arts:
        g = got[a.url]
        assert g.status == "ok", (a.edition, g.status_reason)
        assert g.published == f"2026-11-{a.day}T00:00:00+09:00"
        assert g.paragraphs == tuple(a.paragraphs), a.edition  # dateline stripped in every language
        assert g.dateline_place and g.dateline_date
        assert g.source == "kcna" and g.edition == a.edition
    assert {g.lang for g in got.values()} == {"ko", "en", "zh", "ru", "es", "ja"}
    assert not any("example.org" in p for p in site.paths_requested())
    s2 = fetch(store, source="kcna", base_url=site.base_url, config=FetchConfig.fast(), quiet=True)
    assert s2.counts["new"] == 0 and s2.counts["already"] == 12


def test_kcna_edition_and_language_check(kcna_site):
    site, arts = kcna_site
    ko = next(a for a in arts if a.edition == "kp")
    en = next(a for a in arts if a.edition == "en")
    site.site[en.path] = site.site[ko.path]  # a Korean text under the English edition
    store = Store(":memory:")
    s = fetch(store, source="kcna", edition="en", base_url=site.base_url, config=FetchConfig.fast(), quiet=True)
    assert s.counts["new"] == 2 and s.counts["lang_mismatch"] == 1
    bad = store.article_by_url(en.url)
    assert bad.status == "lang_mismatch" and "ko" in bad.status_reason
    assert [p for p in site.paths_requested() if "/article/" in p and not p.startswith("www.kcna.kp/en/")] == []
