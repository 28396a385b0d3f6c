"""The HTML review report: hostile article text stays inert, spans are highlighted, the pages render
in headless Chromium with the filter UI built by our script (screenshots kept under artifacts/)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lhtml

from corpus.report import ReportError, highlight, safe_href, write_report
from corpus.store import Store
from test_export import group
from export_fixtures import fill_store, make_store

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture()
def report(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        fill_store(s, 5)
        path = write_report(s, tmp_path / "report", quiet=True)
    return path


def pages(index: Path) -> list[Path]:
    return [index, *sorted((index.parent / "pairs").glob("*.html"))]


def test_report_layout(report):
    assert report.name == "index.html"
    assert (report.parent / "assets" / "report.js").exists() and (report.parent / "assets" / "report.css").exists()
    assert len(list((report.parent / "pairs").glob("*.html"))) == 5
    doc = lhtml.parse(str(report)).getroot()
    assert len(doc.xpath('//table[contains(@class, "pairs")]/tbody/tr')) == 5
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
        assert len(scripts) == 1 and scripts[0].get("id") == "tasscorpus-report-js"
        assert scripts[0].get("src").endswith("assets/report.js") and not (scripts[0].text or "").strip()
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
    hostile = next(p for p in pages(report)[1:] if "Взрыв" in p.read_text(encoding="utf-8"))
    text = lhtml.parse(str(hostile)).getroot().text_content()
    assert "<iframe src=javascript:alert(3)></iframe>" in text and "<script>alert(4)</script>" in text
    assert '{"lexicon": "<script>x</script>"}' in text  # flag detail escaped too
    assert "\x01" not in hostile.read_text(encoding="utf-8")


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


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="chromium not installed")
def test_report_renders_in_headless_chromium(report, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    hostile = next(p for p in pages(report)[1:] if "Взрыв" in p.read_text(encoding="utf-8"))
    for name, page in (("report_index.png", report), ("report_pair.png", hostile)):
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
    # the DOM after our script ran: the filter UI is populated from the data
    r = chromium("--dump-dom", report.as_uri(), tmp=tmp_path / "ud2")
    dom = lhtml.fromstring(r.stdout.decode("utf-8"))
    labels = [l.text_content() for l in dom.xpath('//div[@class="filters"]//span[@class="types"]/label')]
    assert any(l.startswith("omission (5)") for l in labels) and any(l.startswith("number_changed") for l in labels)
    assert dom.xpath('//div[@class="filters"]//span[@class="count"]')[0].text_content() == "5 of 5 shown"
    assert len(dom.xpath("//script")) == 1  # nothing injected by article text
    # the filters work: a linked view (URL hash) pre-sets them and the script hides non-matching rows
    r = chromium("--dump-dom", report.as_uri() + "#flags=number_changed", tmp=tmp_path / "ud4")
    dom = lhtml.fromstring(r.stdout.decode("utf-8"))
    assert dom.xpath('//div[@class="filters"]//span[@class="count"]')[0].text_content() == "3 of 5 shown"
    assert len(dom.xpath('//table[contains(@class, "pairs")]/tbody/tr[not(@hidden)]')) == 3
    r = chromium("--dump-dom", report.as_uri() + "#min=0.75", tmp=tmp_path / "ud5")
    dom = lhtml.fromstring(r.stdout.decode("utf-8"))
    assert dom.xpath('//div[@class="filters"]//span[@class="count"]')[0].text_content() == "2 of 5 shown"
    r = chromium("--dump-dom", hostile.as_uri(), tmp=tmp_path / "ud3")
    dom = lhtml.fromstring(r.stdout.decode("utf-8"))
    assert dom.xpath('//div[@class="filters"]//span[@class="count"]')[0].text_content() == "6 of 6 shown"
    assert not dom.xpath("//img | //iframe") and len(dom.xpath("//script")) == 1
