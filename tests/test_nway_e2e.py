"""End to end on a slice of the KCNA-style sample (one story, three editions: en pivot, ru, es): load the
mirror, build N-way, export every N-way format and the report, score on the gold, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from corpus.sample.kcna import build as K

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("en", "ru", "es")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from corpus.demo import run_kcna_demo

    tmp = tmp_path_factory.mktemp("kcna")
    story = next(s for s in K.load_stories() if s["id"] == "k06")  # es leaves out a sentence; cn/jp not in this slice
    st = tmp / "stories"
    st.mkdir()
    (st / "k06.json").write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    K.build(tmp / "mirror", stories_dir=st)
    gold = json.loads((tmp / "mirror" / "gold.json").read_text(encoding="utf-8"))
    res = run_kcna_demo(tmp / "out", editions=EDITIONS, data=tmp / "mirror" / "data", gold=gold, quiet=True,
                        log=lambda s: None)
    return res, story, gold


def test_pairs_rows_and_flags_name_both_editions(run):
    from corpus.store import Store

    res, story, _ = run
    g = res["gold"]
    assert set(g["pairs"]) == {"ru-en", "es-en"}
    for k, r in g["pairs"].items():
        assert r["pair_precision"] == r["pair_recall"] == 1.0, k
        assert r["bead_strict_f1"] >= 0.9, (k, r)
    assert g["nway_rows"] == len(story["rows"]) and g["nway_rows_exact"] >= 0.8
    assert res["omissions"]["es"]["leaves_out"] == 1  # the last sentence
    assert res["omissions"]["ru"]["leaves_out"] == 0
    with Store(res["store"], readonly=True) as s:
        eds = {a.id: a.edition for a in s.articles()}
        for p in s.pairs():
            for fl in s.flags(p.id):
                for f in fl:
                    assert f.detail["editions"] == [eds[p.src_id], eds[p.tgt_id]]


def test_exports_hold_every_edition(run):
    import datasets

    res, story, _ = run
    ds = datasets.load_from_disk(res["written"]["hf"])
    ds = ds[next(iter(ds))] if isinstance(ds, datasets.DatasetDict) else ds
    assert len(ds) == len(story["rows"])
    assert set(ds[0]["translation"]) == {"en", "ru", "es"}
    assert {"flags_en", "flags_ru", "flags_es", "idx_es", "leaves_out"} <= set(ds.column_names)
    last = ds[len(ds) - 1]
    assert last["translation"]["es"] == "" and last["leaves_out"] == ["es"]
    lines = [json.loads(x) for x in Path(res["written"]["jsonl"]).read_text(encoding="utf-8").splitlines()]
    assert [x["text_en"] for x in lines] == K.sentences(story, "en")
    assert "translation" not in lines[0] and {"text_ru", "text_es"} <= set(lines[0])
    tmx = etree.parse(res["written"]["tmx"], etree.XMLParser(load_dtd=False))
    dtd = etree.DTD(str(ROOT / "tests" / "data" / "tmx14.dtd"))
    assert dtd.validate(tmx), dtd.error_log
    tus = tmx.findall("body/tu")
    langs = [[t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tu.findall("tuv")] for tu in tus]
    assert langs[0] == ["en", "ru", "es"] and langs[-1] == ["en", "ru"]  # es leaves the last row out


def test_report_has_the_nway_view(run):
    res, story, _ = run
    out = Path(res["written"]["report"]).parent
    idx = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="nway/index.html"' in idx
    pages = [p for p in (out / "nway").glob("*.html") if p.name != "index.html"]
    assert len(pages) == 1
    page = pages[0].read_text(encoding="utf-8")
    assert 'id="hide-es"' in page and "c-es" in page and "td.out" not in page
    assert "∅" in (out / "assets" / "nway.css").read_text(encoding="utf-8")


def test_rerun_is_a_no_op(run):
    from corpus.config import RunConfig
    from corpus.nway import build_nway
    from corpus.pipeline import Runtime
    from corpus.store import Store

    res, _, _ = run
    with Store(res["store"]) as s:
        before = s.snapshot()
        cfg = RunConfig(source="kcna", editions=list(EDITIONS), pivot="en")
        reps = {r.stage: r for r in build_nway(s, cfg, Runtime(quiet=True))}
        assert reps["link"].done == 0 and reps["link"].skipped == 1
        assert reps["align"].done == 0 and reps["flag"].done == 0
        assert s.snapshot() == before


def test_cli_demo_rejects_unknown_source(tmp_path):
    from click.testing import CliRunner

    from corpus.cli import cli

    r = CliRunner().invoke(cli, ["demo", "--source", "xinhua", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "xinhua" in r.output
