"""The bundled sample: stories validate, rendered files are current, output is well-formed and escaped."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from corpus.records import FLAG_TYPES
from corpus.sample import build as B

SAMPLE = Path(B.__file__).resolve().parent
NASTY = 'Smith & Co <b>"Газпром" & «Роснефть»</b> it\'s'


@pytest.fixture(scope="module")
def stories() -> list[dict]:
    return B.load_stories()


def _write(stories: list[dict], d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for s in stories:
        s = {k: v for k, v in s.items() if k != "_file"}
        (d / f"{s['id']}.json").write_text(json.dumps(s, ensure_ascii=False), encoding="utf-8")
    return d


def test_all_stories_validate(stories):
    assert len(stories) >= 11
    assert B.validate(stories) == []


@pytest.mark.parametrize("sid", [f"s{i:02d}" for i in range(1, 12)])
def test_my_stories_present_and_valid(stories, sid):
    by_id = {s["id"]: s for s in stories}
    assert sid in by_id
    assert B.validate([by_id[sid]] + ([by_id["s11"]] if sid == "s10" else [])) == []


def test_s01_s11_cover_every_flag_type(stories):
    mine = [s for s in stories if s["id"] <= "s11"]
    types = [f["type"] for s in mine for f in s["flags"]]
    assert set(types) == set(FLAG_TYPES)
    assert sum(s["en"] is not None for s in mine) == 9
    layouts = {s["en"]["layout"] for s in mine if s["en"]}
    assert layouts == {"jsonld", "classic"}


def test_rendered_files_are_up_to_date(tmp_path):
    B.build(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(SAMPLE): p.read_bytes() for p in (SAMPLE / "data").rglob("*") if p.is_file()}
    committed[Path("gold.json")] = (SAMPLE / "gold.json").read_bytes()
    assert sorted(fresh) == sorted(committed), "run: python -m corpus.sample.build"
    for rel, blob in fresh.items():
        assert blob == committed[rel], f"{rel} is stale: run python -m corpus.sample.build"


def test_build_is_deterministic(tmp_path):
    B.build(tmp_path / "a")
    B.build(tmp_path / "b")
    for p in (tmp_path / "a").rglob("*"):
        if p.is_file():
            assert p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes()


def test_feeds_parse_and_carry_full_text(stories):
    ru = etree.parse(str(SAMPLE / "data/tass.ru/rss/yandex.xml"))
    ns = {"yandex": "http://news.yandex.ru"}
    items = ru.findall("channel/item")
    assert len(items) == len(stories)
    by_url = {s["ru"]["url"]: s for s in stories}
    for it in items:
        s = by_url[it.findtext("link")]["ru"]
        full = it.find("yandex:full-text", ns).text
        paras = full.split("\n")
        byline = f"/{s['byline']}/. " if s.get("byline") else ""
        assert paras[0] == f"{s['place']}, {s['date']}. /ТАСС/. {byline}" + " ".join(s["paragraphs"][0])
        assert paras[1:] == [" ".join(p) for p in s["paragraphs"][1:]]
        assert it.findtext("title") == s["title"] and it.findtext("description") == s["lead"]
        assert it.findtext("pubDate").endswith("+0300")
    en = etree.parse(str(SAMPLE / "data/tass.com/rss/v2.xml"))
    en_urls = [it.findtext("link") for it in en.findall("channel/item")]
    assert sorted(en_urls) == sorted(s["en"]["url"] for s in stories if s["en"])


def _page_of(side: dict, root: Path = SAMPLE) -> Path:
    section, num = side["url"].split("/")[-2:]
    return root / "data" / "tass.com" / section / f"{num}.html"


def _css(doc, tag: str, cls: str) -> list:
    """Elements by tag and exact class (xpath: lxml's cssselect needs an extra package)."""
    return doc.xpath(f'//{tag}[@class="{cls}"]')


def _check_page(side: dict, path: Path) -> None:
    doc = lxml_html.fromstring(path.read_bytes().decode("utf-8"))
    assert _css(doc, "h1", "news-header__title")[0].text_content() == side["title"]
    assert _css(doc, "div", "news-header__lead")[0].text_content() == side["lead"]
    assert doc.xpath('//meta[@property="og:title"]')[0].get("content") == side["title"]
    ps = [p.text_content() for p in doc.xpath('//div[@class="text-content"]/div[@class="text-block"]/p')]
    body = [" ".join(p) for p in side["paragraphs"]]
    body[0] = f"{side['place']}, {side['date']}. /TASS/. " + body[0]
    assert ps == body
    ld = doc.xpath('//script[@type="application/ld+json"]')
    if side["layout"] == "jsonld":
        obj = json.loads(ld[0].text)
        assert obj["@type"] == "NewsArticle"
        assert obj["headline"] == side["title"] and obj["description"] == side["lead"]
        assert obj["articleBody"] == "\n".join(body) and obj["url"] == side["url"]
        assert doc.xpath('//meta[@property="article:published_time"]')[0].get("content") == side["published"]
    else:
        assert ld == [] and doc.xpath('//meta[@property="article:published_time"]') == []


def test_pages_round_trip(stories):
    for s in stories:
        if s["en"]:
            _check_page(s["en"], _page_of(s["en"]))


def test_ampersand_and_quotes_in_committed_titles(stories):
    titles = [s[k]["title"] for s in stories for k in ("ru", "en") if s[k]]
    assert any("&" in t and '"' in t for t in titles)
    s02 = next(s for s in stories if s["id"] == "s02")
    raw = _page_of(s02["en"]).read_text(encoding="utf-8")
    assert "Patel &amp; Sons" in raw and "Patel & Sons" not in raw.split("<body>")[1]


def test_escaping_of_hostile_text(tmp_path, stories):
    s = copy.deepcopy(next(x for x in stories if x["id"] == "s01"))
    s["en"]["title"] = NASTY
    s["ru"]["title"] = NASTY + " </yandex:full-text>]]>"
    s["en"]["lead"] = s["en"]["paragraphs"][0][0] = "Shares of Smith & Co rose 5% after a <script>alert(1)</script> \"deal\" was signed."
    s["ru"]["paragraphs"][1][0] = "Акции «Газпрома» & Co выросли на 5% <после> сделки \"века\"."
    out = tmp_path / "out"
    B.build(out, stories_dir=_write([s], tmp_path / "stories"))
    _check_page(s["en"], _page_of(s["en"], out))
    raw = _page_of(s["en"], out).read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<b>" not in raw
    ru = etree.parse(str(out / "data/tass.ru/rss/yandex.xml"))
    it = ru.find("channel/item")
    assert it.findtext("title") == s["ru"]["title"]
    assert "<после>" in it.find("{http://news.yandex.ru}full-text").text
    en = etree.parse(str(out / "data/tass.com/rss/v2.xml"))
    assert en.find("channel/item").findtext("title") == NASTY


def test_gold(stories):
    g = json.loads((SAMPLE / "gold.json").read_text(encoding="utf-8"))
    assert set(g) == {"pairs", "unpaired_ru", "unpaired_en", "beads", "flags"}
    pairs = {(p["ru"], p["en"]): p for p in g["pairs"]}
    by_id = {s["id"]: s for s in stories}
    s10, s11 = by_id["s10"], by_id["s11"]
    assert pairs[(s10["ru"]["url"], s10["en"]["url"])]["kind"] == "many-1"
    assert pairs[(s11["ru"]["url"], s10["en"]["url"])]["kind"] == "many-1"
    assert by_id["s07"]["ru"]["url"] in g["unpaired_ru"]
    assert s11["ru"]["url"] not in g["unpaired_ru"]
    for s in stories:
        if s["en"]:
            key = f"{s['ru']['url']}|{s['en']['url']}"
            assert g["beads"][key]["beads"] == s["beads"]
            assert g["beads"][key]["ru"] == B.sentences(s["ru"])
            assert len(g["flags"][key]) == len(s["flags"])
    # gold covers every bundled pair, many-1 ones included (the demo grades every flag it outputs)
    for p in g["pairs"]:
        assert f"{p['ru']}|{p['en']}" in g["beads"], p
    m1 = g["beads"][f"{s11['ru']['url']}|{s10['en']['url']}"]
    assert m1["ru"] == B.sentences(s11["ru"]) and m1["part"] == [5, 6]


def test_validate_wants_gold_for_many1_pairs(stories):
    s10 = copy.deepcopy(next(x for x in stories if x["id"] == "s10"))
    s11 = next(x for x in stories if x["id"] == "s11")
    assert not B.validate([s10, s11])
    bad = copy.deepcopy(s10)
    del bad["also_beads"]
    assert any("s10.also_beads.s11: missing gold" in p for p in B.validate([bad, s11]))
    bad = copy.deepcopy(s10)
    bad["also_beads"]["s11"]["beads"][1][1] = [4]  # English ids out of order
    assert any("must be distinct English sentence ids in order" in p for p in B.validate([bad, s11]))
    bad = copy.deepcopy(s10)
    bad["also_beads"]["s11"]["flags"][0]["ru"] = "нет такого текста"
    assert any("s10.also_beads.s11.flags[0].ru" in p for p in B.validate([bad, s11]))


def test_segmenter_agrees_with_gold_sentences(stories):
    from align.segment import split_sentences

    for s in stories:
        for lang in ("ru", "en"):
            side = s[lang]
            if side:
                got = []
                for p in side["paragraphs"]:
                    t = " ".join(p)
                    got += [t[a:b] for a, b in split_sentences(t, lang)]
                assert got == B.sentences(side), s["id"]


@pytest.mark.parametrize(
    "mutate, expect",
    [
        (lambda s: s["ru"].__setitem__("url", "https://tass.ru/politika/2610410"), "8-digit"),
        (lambda s: s["en"].__setitem__("url", "https://tass.com/politics/11040120"), "7-digit"),
        (lambda s: s.__setitem__("beads", [[[1], [0]], [[0], [1]]] + s["beads"][2:]), "in order exactly once"),
        (lambda s: s["beads"].pop(), "exactly once"),
        (lambda s: s["flags"][0].__setitem__("type", "typo"), "not in FLAG_TYPES"),
        (lambda s: s["flags"][0].__setitem__("en", "Ukrainian regime"), "not found in bead"),
        (lambda s: s["ru"]["paragraphs"][0].__setitem__(0, s["ru"]["paragraphs"][0][0] + " Второе предложение."),
         "split_sentences gives 2"),
        (lambda s: s["en"].__setitem__("layout", "amp"), "layout"),
        (lambda s: s.__setitem__("also_ru", ["s99"]), "unknown story"),
        (lambda s: s["ru"].__setitem__("date", "3 ноября"), "does not match published"),
        (lambda s: s.pop("flags"), "missing key 'flags'"),
    ],
)
def test_validate_reports_problems(stories, mutate, expect):
    s = copy.deepcopy(next(x for x in stories if x["id"] == "s01"))
    mutate(s)
    problems = B.validate([s])
    assert any(expect in p for p in problems), problems


def test_build_raises_clear_error(tmp_path, stories):
    s = copy.deepcopy(next(x for x in stories if x["id"] == "s01"))
    s["flags"][0]["type"] = "typo"
    with pytest.raises(B.SampleError, match=r"s01\.flags\[0\]\.type"):
        B.build(tmp_path / "out", stories_dir=_write([s], tmp_path / "st"))
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "s01.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(B.SampleError, match="s01.json: cannot read story JSON"):
        B.load_stories(tmp_path / "bad")


def test_main_check(capsys):
    assert B.main(["--check"]) == 0
    assert "stories valid" in capsys.readouterr().out


def test_pipeline_parser_reads_rendered_pages(stories):
    """Integration: corpus.parse turns the rendered mirror back into the authored paragraphs."""
    parse = pytest.importorskip("corpus.parse")
    for s in stories:
        if not s["en"]:
            continue
        art = parse.parse_article_page(_page_of(s["en"]).read_bytes(), s["en"]["url"], source="tass", edition="en")
        assert list(art.paragraphs) == [" ".join(p) for p in s["en"]["paragraphs"]], s["id"]
