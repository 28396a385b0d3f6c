"""The HTML review report: hostile article text stays inert, spans are highlighted, each flag is explained in
plain language, the index searches every sentence, every colour has a legend, unpaired articles are listed, and
the pages render in headless Chromium within 1,280 px with the filter UI built by our script (screenshots kept
under artifacts/)."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lhtml

from corpus.records import FLAG_TYPES, Article, Bead, DocPair, Flag, Sentence, Span
from corpus.report import SEVERITY_COLORS, TYPE_COLORS, UNFLAGGED_COLOR, ReportError, highlight, safe_href, write_report
from corpus.store import Store
from test_export import group
from export_fixtures import HOSTILE_TITLE, fill_store, make_store

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"

SEARCH_WORD = "инсталляций"  # only in a sentence of the "art" pair, never in a title
LONG = "https://tass.ru/" + "x" * 260  # an unbreakable token: must wrap, not widen the page
ART_RU = [f"Выставка современных {SEARCH_WORD} откроется в музее 4 декабря.", "Вход будет бесплатным.",
          f"Подробности на сайте {LONG}.", "Музей не работает по понедельникам."]
ART_EN = ["The exhibition of contemporary art opens at the museum on December 5.", "Admission will cost 300 rubles.",
          f"Details are on {LONG}.", "The museum is open on Mondays."]


def sp(text: str, part: str) -> tuple[Span]:
    a = text.index(part)
    return (Span(a, a + len(part)),)


ART_FLAGS = [  # one of every flag type, on the "art" pair
    [Flag("date_changed", 1.0, "critical", sp(ART_RU[0], "4 декабря"), sp(ART_EN[0], "December 5"),
          {"src": "4 декабря", "tgt": "December 5"}),
     Flag("omission", 0.3, "minor", sp(ART_RU[0], "современных " + SEARCH_WORD), (),
          {"scope": "words", "unaligned_words": "современных " + SEARCH_WORD}),
     Flag("framing_shift", 0.5, "major", sp(ART_RU[0], SEARCH_WORD), (),
          {"src_term": [SEARCH_WORD], "tgt_term": [], "src_state": "loaded"}),
     Flag("meaning_shift", 0.4, "major", sp(ART_RU[0], ART_RU[0]), sp(ART_EN[0], ART_EN[0]), {"sim": 0.7})],
    [Flag("number_changed", 0.4, "minor", (), sp(ART_EN[1], "300"), {"src": None, "tgt": "300"}),
     Flag("name_changed", 0.8, "critical", sp(ART_RU[1], "Вход"), sp(ART_EN[1], "Admission"),
          {"src": "Вход", "tgt": "Admission"}),
     Flag("intensity_or_modality_shift", 1.0, "major", (), sp(ART_EN[1], "will"),
          {"classes": {"certainty": {"src": [], "tgt": ["will"]}}})],
    [Flag("addition", 0.2, "major", (), sp(ART_EN[2], "Details"), {"scope": "clause", "piece": "Details"})],
    [Flag("negation_or_polarity", 1.0, "critical", sp(ART_RU[3], "не"), (), {"src_cues": ["не"], "tgt_cues": []}),
     Flag("unrelated", 0.9, "critical", (), (), {"sim": 0.2})],
]


def add_art_pair_and_unpaired(store: Store) -> None:
    """A pair whose flags cover every type and whose text has an unbreakable 276-character token, plus unpaired
    articles in both editions (one with a hostile title, one a bot-check stub)."""
    ids = []
    for ed, title, sents, n in (("ru", "Музей покажет новое искусство", ART_RU, 900),
                                ("en", "Museum to show new art " + "Ю" * 120, ART_EN, 901)):
        host = "tass.ru" if ed == "ru" else "tass.com"
        a = Article(source="tass", edition=ed, lang=ed, url=f"https://{host}/kultura/{n}", title=title,
                    paragraphs=tuple(sents), published="2026-11-20T10:00:00+03:00", section="kultura-" + "y" * 40)
        aid, _ = store.upsert_article(a)
        store.put_sentences(aid, [Sentence(aid, i, t, para=i, start=0, end=len(t)) for i, t in enumerate(sents)])
        ids.append(aid)
    (pid,) = store.put_pairs([DocPair(ids[0], ids[1], score=0.95)])
    store.put_beads(pid, [Bead((i,), (i,), 0.9) for i in range(4)])
    store.put_flags(pid, ART_FLAGS)
    for ed, title, n, status, reason in (
            ("ru", HOSTILE_TITLE, 950, "ok", ""),
            ("ru", "Одинокая новость без пары", 951, "ok", ""),
            ("en", "Lonely English story", 952, "bot_check", "403 <challenge>")):
        host = "tass.ru" if ed == "ru" else "tass.com"
        store.upsert_article(Article(source="tass", edition=ed, lang=ed, url=f"https://{host}/x/{n}", title=title,
                                     paragraphs=("Текст.",), published=f"2026-11-2{n - 950}T09:00:00+03:00",
                                     status=status, status_reason=reason))


@pytest.fixture()
def report(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        fill_store(s, 5)
        add_art_pair_and_unpaired(s)
        path = write_report(s, tmp_path / "report", quiet=True)
    return path


def pages(index: Path) -> list[Path]:
    return [index, index.parent / "unpaired.html", index.parent / "flags.html",
            *sorted((index.parent / "pairs").glob("*.html"))]


def pair_page(index: Path, needle: str) -> Path:
    return next(p for p in pages(index)[3:] if needle in p.read_text(encoding="utf-8"))


def search_index(index: Path) -> dict:
    raw = (index.parent / "assets" / "search-index.js").read_text(encoding="utf-8")
    body = raw[raw.index("window.TASSCORPUS_SEARCH = ") + len("window.TASSCORPUS_SEARCH = "):].rstrip().rstrip(";")
    return json.loads(body)


def test_report_layout(report):
    assert report.name == "index.html"
    assert (report.parent / "assets" / "report.js").exists() and (report.parent / "assets" / "report.css").exists()
    assert len(list((report.parent / "pairs").glob("*.html"))) == 6
    doc = lhtml.parse(str(report)).getroot()
    assert len(doc.xpath('//table[contains(@class, "pairs")]/tbody/tr')) == 6
    assert len(doc.xpath("//svg")) >= 4  # two histograms, two bar charts
    for a in doc.xpath('//table[contains(@class, "pairs")]//a'):
        assert (report.parent / a.get("href")).exists()
    assert "e5-small:test" in doc.text_content()  # signature shown


def test_hostile_text_stays_inert(report):
    for page in pages(report):
        raw = page.read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<img" not in raw and "<iframe" not in raw and "<b>" not in raw
        doc = lhtml.fromstring(raw)
        scripts = doc.xpath("//script")
        assert [x.get("id") for x in scripts] == (["tasscorpus-search-index"] if page == report else []) + \
            ["tasscorpus-report-js"]
        for x in scripts:
            assert x.get("src").endswith((".js")) and "/assets/" in "/" + x.get("src") and not (x.text or "").strip()
        assert not doc.xpath("//*[@style]")  # the CSP allows no inline style
        assert not doc.xpath("//img | //iframe | //object | //embed | //b")
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            assert not [k for k in el.attrib if k.lower().startswith("on")], (page, el.tag, el.attrib)
            for k in ("href", "src"):
                assert not (el.get(k) or "").strip().lower().startswith("javascript:")
    # the planted text is there, as text
    index_text = lhtml.parse(str(report)).getroot().text_content()
    assert "<script>alert(1)</script>" in index_text and '<img src=x onerror="alert(2)">' in index_text
    hostile = pair_page(report, "Взрыв")
    text = lhtml.parse(str(hostile)).getroot().text_content()
    assert "<iframe src=javascript:alert(3)></iframe>" in text and "<script>alert(4)</script>" in text
    assert '"lexicon": "<script>x</script>"' in text  # flag detail escaped too
    assert "\x01" not in hostile.read_text(encoding="utf-8")
    # the search index holds the hostile text as data: no markup characters in the file, the text intact
    raw = (report.parent / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw and "&" not in raw and "\u2028" not in raw
    data = search_index(report)
    assert HOSTILE_TITLE in [t for p in data["pairs"] for t in p["t"]]
    assert any("<iframe src=javascript:alert(3)></iframe>" in s[2] for p in data["pairs"] for s in p["s"])
    # and the unpaired page lists the hostile title as text
    unpaired = lhtml.parse(str(report.parent / "unpaired.html")).getroot()
    assert HOSTILE_TITLE in unpaired.text_content()


def test_flags_explained_in_plain_language_raw_detail_behind_a_toggle(report):
    page = pair_page(report, "Музей покажет")
    doc = lhtml.parse(str(page)).getroot()
    expl = [p.text_content() for p in doc.xpath('//td[@class="flaglist"]//p[@class="expl"]')]
    assert len(expl) == sum(len(fl) for fl in ART_FLAGS)
    assert ('The date differs: «4 декабря» in the Russian, "December 5" in the English. When something happened is '
            "a fact a reader relies on (critical).") in expl
    assert any(e.startswith('The English gives the number "300", which the Russian does not state.') for e in expl)
    # raw JSON only inside a closed "details" toggle, never as a bare code column
    assert not doc.xpath('//td[@class="flaglist"]//code')
    for d in doc.xpath('//td[@class="flaglist"]//details'):
        assert d.xpath("summary")[0].text_content() == "details" and d.get("open") is None
        json.loads(d.xpath("pre")[0].text_content())
    raw = [d.xpath("pre")[0].text_content() for d in doc.xpath('//td[@class="flaglist"]//details')]
    assert any('"tgt": "December 5"' in r for r in raw)
    # the fixture's number flag, explained on the hostile page too (text escaped, not interpreted)
    hostile = lhtml.parse(str(pair_page(report, "Взрыв"))).getroot()
    assert 'The number differs: «12 тыс.» in the Russian, "12,000" in the English.' in hostile.text_content()


def test_flags_most_important_first_and_pairs_ranked(report):
    page = pair_page(report, "Новость 1<")  # pair 1: a minor meaning_shift stored before a major negation
    doc = lhtml.parse(str(page)).getroot()
    row = doc.xpath('//tr[@id="b5"]')[0]
    assert [c.text_content() for c in row.xpath('.//div[@class="flag"]/span[contains(@class, "chip")]')] == [
        "negation_or_polarity", "meaning_shift"]
    art = lhtml.parse(str(pair_page(report, "Музей покажет"))).getroot()
    first = art.xpath('//tr[@id="b0"]//div[@class="flag"]/span[contains(@class, "chip")]')
    assert [c.text_content() for c in first] == ["date_changed", "framing_shift", "meaning_shift", "omission"]
    sevs = [s.text_content() for s in art.xpath('//tr[@id="b0"]//div[@class="flag"]/span[contains(@class, "sev")]')]
    assert sevs == ["critical", "major", "major", "minor"]
    # data-rank: bead 3 (two critical flags) before bead 0 (one critical at 1.0), bead 1 (one critical at 0.8),
    # then bead 2 (one major)
    ranks = {r.get("id"): int(r.get("data-rank")) for r in art.xpath("//table[contains(@class, 'beads')]/tbody/tr")}
    assert sorted(ranks, key=ranks.get) == ["b3", "b0", "b1", "b2"]
    # index: the pairs ranked by their most important flags (the art pair has three critical flags)
    index = lhtml.parse(str(report)).getroot()
    rows = index.xpath('//table[contains(@class, "pairs")]/tbody/tr')
    by_rank = sorted(rows, key=lambda r: int(r.get("data-rank")))
    assert "Музей покажет" in by_rank[0].text_content() and "Новость 3" in by_rank[-1].text_content()
    assert by_rank[0].get("data-sevs") == "critical major minor"


def test_search_index_covers_every_sentence(report):
    data = search_index(report)
    index = lhtml.parse(str(report)).getroot()
    assert SEARCH_WORD not in " ".join(r.text_content() for r in index.xpath("//table[contains(@class, 'pairs')]//tr"))
    hits = [(p["d"], s) for p in data["pairs"] for s in p["s"] if SEARCH_WORD in s[2]]
    assert len(hits) == 1
    doc, (bead, side, text) = hits[0]
    assert (bead, side, text) == (0, "s", ART_RU[0])
    assert (report.parent / "pairs" / f"{doc}.html").exists()
    # every sentence of every pair is in the index, with its bead
    with Store(report.parent.parent / "s.sqlite") as s:
        n_sents = s.db.execute("SELECT COUNT(*) FROM sentences WHERE article_id IN "
                               "(SELECT src_id FROM pairs UNION SELECT tgt_id FROM pairs)").fetchone()[0]
    assert sum(len(p["s"]) for p in data["pairs"]) == n_sents


def test_legend_for_every_colour_and_labelled_counts(report):
    css = (report.parent / "assets" / "report.css").read_text(encoding="utf-8")
    for page in pages(report)[:1] + pages(report)[2:]:
        doc = lhtml.parse(str(page)).getroot()
        legend_types = {c.text_content() for c in doc.xpath('//table[contains(@class, "legend")]//span[contains(@class, "chip")]')}
        used = {c.text_content() for c in doc.xpath('//span[contains(@class, "chip")]')} | \
            {t for m in doc.xpath("//mark") for t in re.findall(r"t-(\w+)", m.get("class"))}
        assert used <= legend_types, (page, used - legend_types)
        legend_sevs = {s.text_content() for s in doc.xpath('//div[contains(@class, "sevs")]//span[contains(@class, "sev")]')}
        assert legend_sevs == {"critical", "major", "minor"}
        for r in doc.xpath('//table[contains(@class, "legend")]//tr'):  # a colour sample of each type's mark
            assert r.xpath(".//mark")
    # the alignment path: every fill it uses is a legend swatch or the colour of a type in the legend
    page = pair_page(report, "Музей покажет")
    doc = lhtml.parse(str(page)).getroot()
    fills = {r.get("fill") for r in doc.xpath('//svg[contains(@class, "path")]//rect')}
    swatches = {r.get("fill") for r in doc.xpath('//div[contains(@class, "pathlegend")]//rect')}
    legend_types = {c.text_content() for c in doc.xpath('//table[contains(@class, "legend")]//span[contains(@class, "chip")]')}
    assert fills <= swatches | {TYPE_COLORS[t] for t in legend_types} and UNFLAGGED_COLOR in swatches
    assert set(TYPE_COLORS[t] for t in FLAG_TYPES if t in legend_types) == {TYPE_COLORS[t] for t in FLAG_TYPES}
    for c in SEVERITY_COLORS.values():
        assert c in css
    # counts say what they count
    head = " ".join(lhtml.parse(str(report)).getroot().xpath("//header")[0].text_content().split())
    assert re.search(r"6 document pairs · 34 beads \(aligned sentence groups\), 19 of them flagged · 26 flags · "
                     r"3 unpaired articles \(en 1, ru 2\)", head), head
    figs = [f.text_content() for f in lhtml.parse(str(report)).getroot().xpath("//figcaption")]
    assert "Bead alignment scores (34 beads; bars: beads per score bin)" in figs
    assert any(f.startswith("Number of flags by type") for f in figs)
    text = " ".join(doc.xpath('//p[@class="counts"]')[0].text_content().split())
    assert "4 beads (aligned sentence groups), 4 of them flagged · 10 flags (4 critical, 4 major, 2 minor)" in text


def test_all_flags_page_most_important_first(report):
    doc = lhtml.parse(str(report.parent / "flags.html")).getroot()
    rows = doc.xpath("//table[contains(@class, 'flags')]/tbody/tr")
    assert len(rows) == 26
    keys = [(-["minor", "major", "critical"].index(r.get("data-sevs")), -float(r.get("data-score")), r.get("data-flags"))
            for r in rows]
    assert keys == sorted(keys) and rows[0].get("data-sevs") == "critical" and rows[-1].get("data-sevs") == "minor"
    first = [td.text_content() for td in rows[0].xpath("td")]
    assert first[:3] == ["critical", "date_changed", "1.00"] and first[3].startswith("The date differs: «4 декабря»")
    # shown in context: each side's words around the flag, the flagged ones highlighted
    assert [m.text_content() for m in rows[0].xpath('.//div[@class="ctx"]//mark')] == ["4 декабря", "December 5"]
    assert "музее 4 декабря" in rows[0].xpath('.//div[@class="ctx"]')[0].text_content()
    for r in rows:
        href = r.xpath(".//a/@href")[0]
        page, bead = href.split("#")
        target = lhtml.parse(str(report.parent / page)).getroot()
        assert target.xpath(f'//tr[@id="{bead}"]//span[contains(@class, "chip")]')
    index = lhtml.parse(str(report)).getroot()
    assert index.xpath('//header//a[@href="flags.html"]')[0].text_content() == "26 flags"


def test_all_flags_page_is_capped_on_a_large_corpus(tmp_path, monkeypatch):
    import corpus.report as rep

    monkeypatch.setattr(rep, "FLAGS_PAGE_LIMIT", 5)
    with Store(tmp_path / "s.sqlite") as s:
        fill_store(s, 5)
        index = write_report(s, tmp_path / "report", quiet=True)
    doc = lhtml.parse(str(index.parent / "flags.html")).getroot()
    rows = doc.xpath("//table[contains(@class, 'flags')]/tbody/tr")
    assert [r.get("data-sevs") for r in rows] == ["critical"] * 3 + ["major"] * 2
    assert "16 flags (the 5 most important listed here; every flag is on its pair's page)" in \
        " ".join(doc.xpath("//header")[0].text_content().split())


def test_unpaired_articles_per_edition(report):
    index = lhtml.parse(str(report)).getroot()
    assert index.xpath('//a[@href="unpaired.html"]')[0].text_content() == "3 unpaired articles"
    doc = lhtml.parse(str(report.parent / "unpaired.html")).getroot()
    eds = {s.get("id"): s for s in doc.xpath('//section[@class="edition"]')}
    assert set(eds) == {"ed-ru", "ed-en"}
    en_rows = [[td.text_content() for td in tr.xpath("td")] for tr in eds["ed-en"].xpath(".//tbody/tr")]
    assert en_rows == [["2026-11-22 09:00", "Lonely English story", "https://tass.com/x/952",
                        "bot_check — 403 <challenge>"]]
    ru_titles = [tr.xpath("td")[1].text_content() for tr in eds["ed-ru"].xpath(".//tbody/tr")]
    assert ru_titles == [HOSTILE_TITLE, "Одинокая новость без пары"]
    assert eds["ed-ru"].xpath(".//a/@href") == ["https://tass.ru/x/950", "https://tass.ru/x/951"]
    assert "2 unpaired articles" in eds["ed-ru"].xpath("h2")[0].text_content()


def test_highlight_and_links():
    s = "Второе — 12 тыс. человек"
    a = s.index("12")
    out = highlight(s, [(a, a + 7, "number_changed", "n"), (0, 6, "framing_shift", "<x>")])
    doc = lhtml.fromstring(f"<div>{out}</div>")
    marks = doc.xpath("//mark")
    assert [m.text for m in marks] == ["Второе", "12 тыс."]
    assert marks[1].get("class") == "t-number_changed" and marks[0].get("title") == "<x>"
    assert doc.text_content() == s
    # overlapping spans split at boundaries; out-of-range spans clamped
    out = highlight("abcdef", [(1, 4, "omission", "o"), (3, 99, "addition", "a")])
    doc = lhtml.fromstring(f"<div>{out}</div>")
    assert [(m.text, m.get("class")) for m in doc.xpath("//mark")] == [
        ("bc", "t-omission"), ("d", "t-omission t-addition"), ("ef", "t-addition")]
    assert highlight("<b>", []) == "&lt;b&gt;"
    assert safe_href("javascript:alert(1)") is None and safe_href('https://tass.ru/a?b=1&c="') == \
        "https://tass.ru/a?b=1&amp;c=&quot;"


def test_report_cli_and_errors(tmp_path):
    db = make_store(tmp_path / "s.sqlite", 2)
    r = CliRunner().invoke(group(), ["--store", str(db), "--quiet", "report", "--out", str(tmp_path / "rep")])
    assert r.exit_code == 0 and "index.html" in r.output
    assert (tmp_path / "rep" / "index.html").exists()
    Store(tmp_path / "empty.sqlite").close()
    r = CliRunner().invoke(group(), ["--store", str(tmp_path / "empty.sqlite"), "report", "--out", str(tmp_path / "r2")])
    assert r.exit_code == 1 and r.output.strip().splitlines()[-1].startswith("Error: store has no aligned")
    (tmp_path / "f").write_text("x")
    r = CliRunner().invoke(group(), ["--store", str(db), "report", "--out", str(tmp_path / "f")])
    assert r.exit_code == 1 and r.output.strip().splitlines()[-1].startswith("Error: cannot write report")
    with Store(tmp_path / "empty.sqlite") as s, pytest.raises(ReportError):
        write_report(s, tmp_path / "r3")


# ---------------------------------------------------------------------------- rendering
def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit non-interlaced RGB/RGBA PNG (what Chromium writes) into rows of pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0
            bpp = 3 if ctype == 2 else 4
        elif typ == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(*args, tmp: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    return subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}", *args], capture_output=True, timeout=90)


PROBE = """
window.addEventListener("load", function () {
  Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  document.body.setAttribute("data-scroll-width", String(document.documentElement.scrollWidth));
});
"""


def dom(url: str, tmp: Path, *extra: str):
    r = chromium("--dump-dom", "--window-size=1280,900", "--virtual-time-budget=3000", *extra, url, tmp=tmp)
    return lhtml.fromstring(r.stdout.decode("utf-8"))


def count_text(d) -> str:
    return d.xpath('//div[@class="filters"]//span[@class="count"]')[0].text_content()


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="chromium not installed")
def test_report_fits_1280_px_in_headless_chromium(report, tmp_path):
    """No horizontal overflow at 1,280 px on any page, with every "details" toggle open (legends, raw flag
    detail), although the fixture has a 276-character unbreakable token, a long section name and all ten types."""
    probe = tmp_path / "probe"
    shutil.copytree(report.parent, probe)
    with (probe / "assets" / "report.js").open("a", encoding="utf-8") as f:
        f.write(PROBE)
    for k, page in enumerate(pages(probe / "index.html")):
        d = dom(page.as_uri(), tmp_path / f"ud{k}")
        width = d.xpath("//body")[0].get("data-scroll-width")
        assert width is not None and int(width) <= 1280, (page.name, width)


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="chromium not installed")
def test_report_renders_in_headless_chromium(report, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    hostile = pair_page(report, "Взрыв")
    art = pair_page(report, "Музей покажет")
    for name, page in (("report_index.png", report), ("report_pair.png", art), ("report_unpaired.png",
                                                                                report.parent / "unpaired.html")):
        shot = ARTIFACTS / name
        shot.unlink(missing_ok=True)
        chromium(f"--screenshot={shot}", "--window-size=1280,900", page.as_uri(), tmp=tmp_path / "ud")
        assert shot.exists(), name
        data = shot.read_bytes()
        assert len(data) > 20_000, (name, len(data))
        w, h, rows = png_pixels(data)
        assert (w, h) == (1280, 900)
        bpp = len(rows[0]) // w
        colours = {row[x * bpp:x * bpp + 3] for row in rows[::9] for x in range(0, w, 7)}
        assert len(colours) > 50, (name, len(colours))  # not a blank page: text, plots, chips
        dark = sum(1 for row in rows[::9] for x in range(0, w, 7) if sum(row[x * bpp:x * bpp + 3]) < 200)
        assert dark > 100, name  # there is text
    # the DOM after our script ran: the filter UI is populated from the data, counts say what they count
    d = dom(report.as_uri(), tmp_path / "ud2")
    labels = [lab.text_content() for lab in d.xpath('//div[@class="filters"]//span[@class="types"]/label')]
    assert "omission (6 pairs)" in labels and "number_changed (4 pairs)" in labels and "unrelated (1 pair)" in labels
    sevs = [lab.text_content() for lab in d.xpath('//div[@class="filters"]//span[@class="sevs"]/label')]
    assert sevs == ["critical (4 pairs)", "major (6 pairs)", "minor (2 pairs)"]
    assert count_text(d) == "6 of 6 pairs shown"
    assert len(d.xpath("//script")) == 2  # nothing injected by article text
    # the filters work: a linked view (URL hash) pre-sets them and the script hides non-matching rows
    d = dom(report.as_uri() + "#flags=number_changed", tmp_path / "ud4")
    assert count_text(d) == "4 of 6 pairs shown"
    assert len(d.xpath('//table[contains(@class, "pairs")]/tbody/tr[not(@hidden)]')) == 4
    assert count_text(dom(report.as_uri() + "#min=0.75", tmp_path / "ud5")) == "3 of 6 pairs shown"
    assert count_text(dom(report.as_uri() + "#sev=minor", tmp_path / "ud6")) == "2 of 6 pairs shown"
    # sorted most important first: the art pair (three critical flags) leads, in document order it is last
    d = dom(report.as_uri() + "#sort=importance", tmp_path / "ud7")
    first = d.xpath('//table[contains(@class, "pairs")]/tbody/tr')[0].text_content()
    assert "Музей покажет" in first
    assert "Музей покажет" in dom(report.as_uri(), tmp_path / "ud8").xpath(
        '//table[contains(@class, "pairs")]/tbody/tr')[-1].text_content()
    # full-text search: a word that is in one sentence only (no title) finds its pair and links to its bead
    d = dom(report.as_uri() + "#q=" + SEARCH_WORD, tmp_path / "ud9")
    assert count_text(d) == "1 of 6 pairs shown"
    shown = d.xpath('//table[contains(@class, "pairs")]/tbody/tr[not(@hidden)]')
    assert len(shown) == 1 and "Музей покажет" in shown[0].text_content()
    hits = d.xpath('//ol[@id="hits"]/li')
    assert len(hits) == 1 and hits[0].xpath(".//mark")[0].text_content() == SEARCH_WORD
    assert hits[0].xpath(".//a/@href")[0] == f"pairs/{art.stem}.html#b0"
    assert d.xpath('//p[@id="search-note"]')[0].text_content() == \
        f"1 sentence in 1 document pair contains \u201c{SEARCH_WORD}\u201d"
    # hostile text searched for is shown as text, and nothing is injected
    d = dom(report.as_uri() + "#q=%3Ciframe", tmp_path / "ud10")
    assert count_text(d) == "1 of 6 pairs shown" and not d.xpath("//iframe | //img") and len(d.xpath("//script")) == 2
    d = dom(hostile.as_uri(), tmp_path / "ud3")
    assert count_text(d) == "6 of 6 beads shown"
    assert not d.xpath("//img | //iframe") and len(d.xpath("//script")) == 1


def test_moved_sentence_is_marked(tmp_path):
    """A crossing bead (a sentence the rewrite moved, paired by the aligner's moved-sentence pass) is marked
    "moved" in the bead table, and only that bead."""
    from corpus.report import moved_beads

    assert moved_beads([Bead((0,), (0,)), Bead((1,), (3,)), Bead((2,), (1,)), Bead((3,), (2,)), Bead((4,), ())]) == {1}
    assert moved_beads([Bead((0,), (0,)), Bead((1,), ()), Bead((), (1,)), Bead((2, 3), (2,))]) == set()
    with Store(tmp_path / "s.sqlite") as s:
        ids = []
        for ed, n in (("ru", 1), ("en", 2)):
            sents = [f"{ed} sentence {i}." for i in range(4)]
            aid, _ = s.upsert_article(Article(source="tass", edition=ed, lang=ed, url=f"https://tass.ru/m/{n}",
                                              title=f"Moved {ed}", paragraphs=tuple(sents)))
            s.put_sentences(aid, [Sentence(aid, i, t, para=i, start=0, end=len(t)) for i, t in enumerate(sents)])
            ids.append(aid)
        (pid,) = s.put_pairs([DocPair(ids[0], ids[1], score=0.9)])
        s.put_beads(pid, [Bead((0,), (0,), 0.9), Bead((1,), (3,), 0.9), Bead((2,), (1,), 0.9), Bead((3,), (2,), 0.9)])
        s.put_flags(pid, [[], [], [], []])
        index = write_report(s, tmp_path / "rep", quiet=True)
    page = next((index.parent / "pairs").glob("*.html"))
    doc = lhtml.parse(str(page)).getroot()
    marked = [tr.get("id") for tr in doc.xpath("//table[contains(@class, 'beads')]/tbody/tr")
              if tr.xpath('.//span[@class="moved"]')]
    assert marked == ["b1"]
    assert doc.xpath('//div[contains(@class, "pathlegend")]//span[@class="moved"]')
