"""The six-edition KCNA-style sample: stories validate, gold is consistent, the mirror is current and readable."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from corpus.sample.kcna import build as K

NASTY = 'Kim & Co <b>"test"</b> </p><script>alert(1)</script>'


@pytest.fixture(scope="module")
def stories() -> list[dict]:
    return K.load_stories()


def _write(stories: list[dict], d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for s in stories:
        (d / f"{s['id']}.json").write_text(json.dumps(s, ensure_ascii=False), encoding="utf-8")
    return d


def test_stories_validate_and_plant_every_kind_of_difference(stories):
    assert K.validate(stories) == []
    assert len(stories) >= 6
    for s in stories:
        for ed in K.EDITIONS:
            assert 4 <= len(K.sentences(s, ed)) <= 10, (s["id"], ed)
    planted = {f["type"] for s in stories for f in s["flags"]}
    assert {"omission", "addition", "number_changed", "date_changed", "name_changed",
            "intensity_or_modality_shift"} <= planted
    # differences are spread over the editions, not all in one
    assert len({f["edition"] for s in stories for f in s["flags"]}) >= 5


def test_rendered_files_are_up_to_date(tmp_path):
    K.build(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(K.KCNA_DIR): p.read_bytes() for p in (K.KCNA_DIR / "data").rglob("*") if p.is_file()}
    committed[Path("gold.json")] = (K.KCNA_DIR / "gold.json").read_bytes()
    assert sorted(fresh) == sorted(committed), "run: python -m corpus.sample.kcna.build"
    for rel, blob in fresh.items():
        assert blob == committed[rel], f"{rel} is stale: run python -m corpus.sample.kcna.build"


def test_gold_is_consistent(stories):
    g = K.load_gold()
    assert g["pivot"] == "en" and g["editions"] == list(K.EDITIONS)
    assert len(g["pairs"]) == len(stories) * 5
    for p in g["pairs"]:
        key = f"{p['src']}|{p['tgt']}"
        gb = g["beads"][key]
        # beads are monotone and cover every sentence of both sides exactly once
        assert [i for s, _ in gb["beads"] for i in s] == list(range(len(gb["src"])))
        assert [j for _, t in gb["beads"] for j in t] == list(range(len(gb["tgt"])))
        assert all(s or t for s, t in gb["beads"])
        for f in g["flags"][key]:
            s_ids, t_ids = gb["beads"][f["bead"]]
            s_text = " ".join(gb["src"][i] for i in s_ids)
            t_text = " ".join(gb["tgt"][j] for j in t_ids)
            assert f["x"] in s_text and f["pivot"] in t_text, (key, f)
            # the pair's flag convention (source = edition, target = pivot): the edition leaving a sentence out
            # is an addition of the pivot, a sentence only the edition has an omission of the pivot
            if f["edition_says"] == "omission":
                assert f["type"] == "addition" and not s_ids and t_ids
            if f["edition_says"] == "addition":
                assert f["type"] == "omission" and s_ids and not t_ids
    # N-way rows agree with the pairwise beads: a row's (edition, pivot) cells are one bead of that pair
    for s in stories:
        pu = K.url(s, "en")
        rows = g["rows"][pu]
        for ed in K.EDITIONS:
            if ed == "en":
                continue
            gb = g["beads"][f"{K.url(s, ed)}|{pu}"]["beads"]
            assert [[r[ed], r["en"]] for r in rows if r[ed] or r["en"]] == gb


def test_build_is_deterministic(tmp_path):
    a = K.build(tmp_path / "a")
    b = K.build(tmp_path / "b")
    assert a == b


def test_pages_parse_back_to_the_authored_sentences(stories):
    """Integration: the KCNA adapter reads each rendered page back (dateline stripped, every sentence a paragraph)."""
    from corpus.fetch.kcna import KcnaSource

    src = KcnaSource.create()
    for s in stories:
        for ed in K.EDITIONS:
            u = K.url(s, ed)
            body = (K.KCNA_DIR / "data" / (u.split("://", 1)[1] + ".html")).read_bytes()
            art = src.parse_page(body, u, ed)
            assert art.status == "ok", (s["id"], ed, art.status_reason)
            assert list(art.paragraphs) == K.sentences(s, ed), (s["id"], ed)
            assert art.title == s["title"][ed]
            assert art.published == f"2026-11-{s['day']:02d}T00:00:00+09:00"
            assert art.dateline_date


def test_listing_links_every_story(stories):
    from corpus.fetch.kcna import LATEST, KcnaSource

    src = KcnaSource.create()
    for ed in K.EDITIONS:
        page = K.KCNA_DIR / "data" / K.HOST / ed / "category" / "articles" / "q" / f"{LATEST}.kcmsf"
        links = dict(src.listing_links(page.read_bytes(), f"http://{K.HOST}/{ed}/category/articles/q/{LATEST}.kcmsf", ed))
        assert set(links) == {K.url(s, ed) for s in stories}


def test_hostile_text_is_escaped(tmp_path, stories):
    from lxml import html as lxml_html

    s = copy.deepcopy(stories[0])
    s["title"]["en"] = NASTY
    s["rows"][1]["en"] = "Output rose by 5% at Kim & Co <b>after</b> the </p> change."
    files = K.build(tmp_path / "out", stories_dir=_write([s], tmp_path / "st"))
    raw = files[f"data/{K.url(s, 'en').split('://', 1)[1]}.html"].decode()
    assert "<script>" not in raw and "<b>" not in raw
    doc = lxml_html.fromstring(raw)
    assert doc.xpath('//div[@class="article-main-title"]')[0].text_content() == NASTY
    assert doc.xpath("//p")[1].text_content() == s["rows"][1]["en"]


@pytest.mark.parametrize("mutate, expect", [
    (lambda s: s["rows"][0].__setitem__("ru", s["rows"][0]["ru"] + " Второе предложение."), "split_sentences gives 2"),
    (lambda s: s["flags"][0].__setitem__("type", "typo"), "not in FLAG_TYPES"),
    (lambda s: s["flags"][0].__setitem__("pivot", "no such words"), "not found in the row's en sentence"),
    (lambda s: s["rows"][0].pop("jp"), "needs the keys"),
    (lambda s: s["rows"].append({e: None for e in K.EDITIONS}), "every edition is null"),
    (lambda s: s["title"].pop("cn"), "one title per edition"),
    (lambda s: s["flags"][0].__setitem__("edition", "en"), "non-pivot edition"),
])
def test_validate_reports_problems(stories, mutate, expect):
    s = copy.deepcopy(stories[0])
    mutate(s)
    problems = K.validate([s])
    assert any(expect in p for p in problems), problems


def test_build_raises_clear_error(tmp_path, stories):
    s = copy.deepcopy(stories[0])
    s["flags"][0]["type"] = "typo"
    with pytest.raises(K.SampleError, match=r"k01\.flags\[0\]\.type"):
        K.build(tmp_path / "out", stories_dir=_write([s], tmp_path / "st"))
