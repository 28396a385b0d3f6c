"""TMX export: valid against the TMX 1.4 DTD (tests/data/tmx14.dtd), escaping right for & < > and
quotes, XML-invalid control characters replaced, and readable by translate-toolkit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from corpus.export import export
from corpus.store import Store
from export_fixtures import HOSTILE_SENT, SIGNATURE, fill_store

DTD = Path(__file__).parent / "data" / "tmx14.dtd"


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "s.sqlite")
    fill_store(s, 3)
    yield s
    s.close()


def validate(path: Path) -> etree._ElementTree:
    dtd = etree.DTD(str(DTD))
    tree = etree.parse(str(path))  # no DTD loading, no network
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    return tree


def test_tmx_validates_and_has_required_header(store, tmp_path):
    p = export(store, "tmx", tmp_path / "t", quiet=True)
    assert p == tmp_path / "t" / "corpus.tmx"
    tree = validate(p)
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    h = root.find("header")
    for attr, val in (("creationtool", "tasscorpus"), ("segtype", "sentence"), ("o-tmf", "tasscorpus"),
                      ("adminlang", "en"), ("srclang", "ru"), ("datatype", "plaintext")):
        assert h.get(attr) == val
    assert h.get("creationtoolversion")
    props = {e.get("type"): e.text for e in h.findall("prop")}
    assert json.loads(props["x-signature"]) == SIGNATURE
    tus = root.findall("body/tu")
    assert len(tus) == 3 * 4  # null beads left out by default
    assert len({tu.get("tuid") for tu in tus}) == len(tus)
    tu = tus[1]
    tp = {e.get("type"): e.text for e in tu.findall("prop")}
    assert tp["x-bead-type"] == "2-1" and tp["x-src-url"].startswith("https://tass.ru/")
    assert json.loads(tp["x-flags"])[0]["type"] == "number_changed" and tp["x-flag-types"] == "number_changed"
    XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["ru", "en"]


def test_tmx_escaping_and_control_characters(store, tmp_path):
    p = export(store, "tmx", tmp_path / "t", quiet=True)
    raw = p.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw and "&amp;" in raw
    assert "\x01" not in raw and "\x0b" not in raw
    seg = etree.parse(str(p)).getroot().find("body/tu/tuv/seg").text
    expected = HOSTILE_SENT.replace("\x01", "\ufffd").replace("\x0b", "\ufffd")
    assert seg == expected and len(seg) == len(HOSTILE_SENT)  # length kept: flag spans stay valid


def test_tmx_read_back_with_translate_toolkit(store, tmp_path):
    from translate.storage.tmx import tmxfile

    p = export(store, "tmx", tmp_path / "t", quiet=True)
    with open(p, "rb") as f:
        tm = tmxfile(f, "ru", "en")
    units = [u for u in tm.units if u.source or u.target]
    assert len(units) == 12
    u = units[0]
    assert u.source == HOSTILE_SENT.replace("\x01", "\ufffd").replace("\x0b", "\ufffd")
    assert u.target == 'He said: "<b>bold</b>" & <script>alert(4)</script> tab\there,\nnew line.'
    assert units[1].source == "Второе 0 — 12 тыс. человек. Третье 0."
    assert units[1].target == "Second 0, 12,000 people, and third 0."


def test_tmx_with_null_beads_and_splits_still_valid(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        fill_store(s, 10)
        out = export(s, "tmx", tmp_path / "t", include_null=True, split="train=0.5,test=0.5", quiet=True)
    n = 0
    for name in ("train.tmx", "test.tmx"):
        tree = validate(out / name)
        n += len(tree.getroot().findall("body/tu"))
    assert n == 10 * 6
