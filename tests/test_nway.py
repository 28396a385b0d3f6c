"""N-way rows over a pivot: linking beads of several editions, storing them resumably, scoped pairing."""

from __future__ import annotations

import sqlite3

import pytest

from corpus.nway import NwayRow, link_rows, omission_summary, units
from corpus.records import Article, Bead, DocPair
from corpus.store import Store


def B(src, tgt, score=0.9):
    return Bead(tuple(src), tuple(tgt), score)


def cells(rows):
    return [{e: list(v) for e, v in r.cells.items()} for r in rows]


def test_link_rows_marks_omissions_and_additions_in_pivot_order():
    # pivot (en) has 4 sentences; ru leaves out en 2; es adds a sentence after en 1; kp merges en 0+1
    beads = {
        "ru": [B([0], [0]), B([1], [1]), B([], [2]), B([2], [3])],
        "es": [B([0], [0]), B([1], [1]), B([2], []), B([3], [2]), B([4], [3])],
        "kp": [B([0], [0, 1]), B([1], [2]), B([2], [3])],
    }
    rows = link_rows(4, beads, "en")
    assert cells(rows) == [
        {"en": [0, 1], "ru": [0, 1], "es": [0, 1], "kp": [0]},
        {"en": [], "ru": [], "es": [2], "kp": []},  # es only: its own row, after the row its previous bead links to
        {"en": [2], "ru": [], "es": [3], "kp": [1]},  # ru leaves it out
        {"en": [3], "ru": [2], "es": [4], "kp": [2]},
    ]
    assert rows[1].beads == {"es": 2}
    assert rows[2].beads == {"ru": 2, "es": 3, "kp": 1}
    # every sentence of every edition is in exactly one row
    for ed, n in (("en", 4), ("ru", 3), ("es", 5), ("kp", 3)):
        assert sorted(i for r in rows for i in r.cells[ed]) == list(range(n))


def test_link_rows_addition_before_the_first_pivot_sentence_and_a_moved_sentence():
    beads = {"cn": [B([0], []), B([2], [0]), B([1], [1])]}  # cn opens with its own sentence; a crossing bead
    rows = link_rows(2, beads, "en")
    assert cells(rows) == [{"en": [], "cn": [0]}, {"en": [0], "cn": [2]}, {"en": [1], "cn": [1]}]


def test_link_rows_without_beads_gives_pivot_only_rows():
    assert cells(link_rows(2, {}, "en")) == [{"en": [0]}, {"en": [1]}]


def test_row_round_trip():
    r = NwayRow({"en": (0,), "ru": ()}, {"ru": 3})
    assert NwayRow.from_dict(r.to_dict()) == r


def _art(store: Store, ed: str, n: int) -> int:
    lang = {"kp": "ko", "cn": "zh", "jp": "ja"}.get(ed, ed)
    a = Article(source="kcna", edition=ed, lang=lang, url=f"http://www.kcna.kp/{ed}/article/detail/{n:08x}", title=f"t{n}",
                lead="", paragraphs=("x",), published="2026-11-20T00:00:00+09:00", fetched="", section="", origin="page")
    return store.upsert_article(a)[0]


def test_put_pairs_scope_keeps_other_edition_pairs():
    s = Store(":memory:")
    en, ru, es = _art(s, "en", 1), _art(s, "ru", 2), _art(s, "es", 3)
    s.put_pairs([DocPair(ru, en, 0.9, "1-1", {})])
    s.put_pairs([DocPair(es, en, 0.8, "1-1", {})], replace_all=True, scope=({es}, {en}))
    assert {(p.src_id, p.tgt_id) for p in s.pairs()} == {(ru, en), (es, en)}
    s.put_pairs([], replace_all=True, scope=({es}, {en}))  # es paired with nothing now: only its pair goes
    assert {(p.src_id, p.tgt_id) for p in s.pairs()} == {(ru, en)}


def test_store_nway_rows_are_transactional_and_resumable(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as s:
        en, ru = _art(s, "en", 1), _art(s, "ru", 2)
        pid = s.put_pairs([DocPair(ru, en, 0.9, "1-1", {})])[0]
        s.put_beads(pid, [B([0], [0])])
        rows = [NwayRow({"en": (0,), "ru": (0,)}, {"ru": 0}).to_dict()]
        s.put_nway(en, "en", {"ru": ru}, rows, "k1")
        assert s.nway_done_key(en) == "k1"
        with pytest.raises(RuntimeError):
            with s.transaction():
                s.put_nway(en, "en", {"ru": ru}, [], "k2")
                raise RuntimeError("interrupted")
        assert s.nway_done_key(en) == "k1"  # the half-written replacement rolled back
    with Store(path, readonly=True) as s:
        (u,) = units(s)
        assert u["pivot_id"] == en and u["articles"] == {"ru": ru}
        assert [r.cells for r in u["rows"]] == [{"en": (0,), "ru": (0,)}]
        assert omission_summary(s) == {"ru": {"rows": 1, "leaves_out": 0, "adds": 0, "flags": {}}}


def test_store_without_nway_tables_reads_none(tmp_path):
    path = tmp_path / "old.sqlite"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("DROP TABLE nway_rows")
    con.execute("DROP TABLE nway_units")
    con.commit()
    con.close()
    with Store(path, readonly=True) as s:  # an older store, read as it is
        assert s.nway_units() == []
    with Store(path) as s:  # a writable open migrates it
        assert s.nway_units() == []
        assert {"nway_rows", "nway_units"} <= {r[0] for r in s.db.execute("SELECT name FROM sqlite_master")}


def test_link_stage_skips_unchanged_pivots_and_relinks_changed_ones():
    from corpus.nway import link_stage

    s = Store(":memory:")
    en, ru, es = _art(s, "en", 1), _art(s, "ru", 2), _art(s, "es", 3)
    from corpus.records import Sentence

    s.put_sentences(en, [Sentence(en, 0, "a", 0, 0, 1), Sentence(en, 1, "b", 0, 2, 3)])
    p_ru, p_es = s.put_pairs([DocPair(ru, en, 0.9, "1-1", {}), DocPair(es, en, 0.9, "1-1", {})])
    s.put_beads(p_ru, [B([0], [0]), B([], [1])])
    s.put_beads(p_es, [B([0], [0]), B([1], [1])])
    rep = link_stage(s, "kcna", ["en", "ru", "es"], "en")
    assert (rep.done, rep.skipped) == (1, 0)
    assert cells(units(s)[0]["rows"]) == [{"en": [0], "ru": [0], "es": [0]}, {"en": [1], "ru": [], "es": [1]}]
    rep = link_stage(s, "kcna", ["en", "ru", "es"], "en")
    assert (rep.done, rep.skipped) == (0, 1)
    s.put_beads(p_ru, [B([0], [0]), B([1], [1])])  # re-aligned: the unit is stale
    rep = link_stage(s, "kcna", ["en", "ru", "es"], "en")
    assert rep.done == 1
    assert cells(units(s)[0]["rows"])[1] == {"en": [1], "ru": [1], "es": [1]}
    assert omission_summary(s)["ru"] == {"rows": 2, "leaves_out": 0, "adds": 0, "flags": {}}
    s.put_pairs([], replace_all=True)  # the pivot article lost its pairs: its rows go
    link_stage(s, "kcna", ["en", "ru", "es"], "en")
    assert units(s) == [] and s.nway_done_key(en) is None


# ---------------------------------------------------------------------------- exports and report, no encoder
NASTY = 'Kim & Co <script>alert(1)</script> said "no" </td>'


@pytest.fixture()
def nway_store(tmp_path):
    """A hand-built three-edition store: en pivot (3 sentences), ru leaves sentence 2 out, es adds one."""
    from corpus.nway import link_stage
    from corpus.records import Flag, Sentence, Span

    s = Store(tmp_path / "n.sqlite")
    texts = {"en": ["One.", NASTY, "Three."], "ru": ["Один.", "Два & <b>два</b>."], "es": ["Uno.", "Dos.", "Extra.", "Tres."]}
    ids = {}
    for n, (ed, sents) in enumerate(texts.items()):
        ids[ed] = _art(s, ed, n)
        s.put_sentences(ids[ed], [Sentence(ids[ed], i, t, i, 0, len(t)) for i, t in enumerate(sents)])
    p_ru, p_es = s.put_pairs([DocPair(ids["ru"], ids["en"], 0.9, "1-1", {}), DocPair(ids["es"], ids["en"], 0.8, "1-1", {})])
    s.put_beads(p_ru, [B([0], [0]), B([1], [1]), B([], [2])])
    s.put_beads(p_es, [B([0], [0]), B([1], [1]), B([2], []), B([3], [2])])
    s.put_flags(p_ru, [[], [Flag("number_changed", 0.9, "critical", (Span(0, 3),), (Span(0, 3),), {"editions": ["ru", "en"]})],
                       [Flag("addition", 0.8, "major", (), (Span(0, 6),), {"editions": ["ru", "en"]})]])
    s.put_flags(p_es, [[], [], [Flag("omission", 0.7, "major", (Span(0, 6),), (), {"editions": ["es", "en"]})], []])
    s.set_meta("signature", {"editions": "en,ru,es", "pivot": "en"})
    link_stage(s, "kcna", ["en", "ru", "es"], "en")
    yield s
    s.close()


def test_nway_exports_one_row_per_nway_row(nway_store, tmp_path):
    import json as _json

    from corpus.export import ExportError, export

    path = export(nway_store, "jsonl", tmp_path / "j", quiet=True)
    rows = [_json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [r["text_en"] for r in rows] == ["One.", NASTY, "", "Three."]
    assert [r["text_es"] for r in rows] == ["Uno.", "Dos.", "Extra.", "Tres."]
    assert [r["text_ru"] for r in rows] == ["Один.", "Два & <b>два</b>.", "", ""]
    assert rows[3]["leaves_out"] == ["ru"] and rows[2]["adds"] == ["es"]
    assert [f["type"] for f in rows[1]["flags_ru"]] == ["number_changed"] and rows[1]["flags_es"] == []
    info = _json.loads((tmp_path / "j" / "export-info.jsonl.json").read_text(encoding="utf-8"))
    assert info["languages"] == ["en", "ru", "es"] and info["pivot"] == "en"
    # filters: a flag of any edition keeps the row
    path = export(nway_store, "jsonl", tmp_path / "f", flags="omission", quiet=True)
    assert [_json.loads(x)["row_idx"] for x in path.read_text(encoding="utf-8").splitlines()] == [2]
    with pytest.raises(ExportError, match="give --lang-pair"):
        export(nway_store, "moses", tmp_path / "m", quiet=True)
    with pytest.raises(ExportError, match="--min-score"):
        export(nway_store, "jsonl", tmp_path / "s", min_score=0.5, quiet=True)
    # one language pair: the two-column export as before
    path = export(nway_store, "jsonl", tmp_path / "p", lang_pair="ru-en", quiet=True)
    rows = [_json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3 and set(rows[0]["translation"]) == {"ru", "en"}


def test_nway_hf_card_names_every_language_and_the_agency(nway_store, tmp_path):
    import datasets

    from corpus.export import export

    ds = datasets.load_from_disk(str(export(nway_store, "hf", tmp_path / "h", quiet=True)))["train"]
    assert set(ds.features["translation"].languages) == {"en", "ru", "es"} and len(ds) == 4
    card = (tmp_path / "h" / "README.md").read_text(encoding="utf-8")
    assert "language:\n- en\n- ru\n- es\n" in card and "N-way, pivot en" in card
    assert "TASS agency" not in card and "news articles of kcna" in card
    assert "news articles of kcna" in (tmp_path / "h" / "LICENSE").read_text(encoding="utf-8")


def test_nway_tmx_and_parquet(nway_store, tmp_path):
    import pyarrow.parquet as pq
    from lxml import etree

    from corpus.export import export

    tmx = etree.parse(str(export(nway_store, "tmx", tmp_path / "t", quiet=True)))
    tus = tmx.findall("body/tu")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [[t.get(lang) for t in tu.findall("tuv")] for tu in tus] == [["en", "ru", "es"], ["en", "ru", "es"], ["en", "es"]]
    assert tus[1].find("tuv/seg").text == NASTY  # escaped by lxml, read back exactly
    t = pq.read_table(export(nway_store, "parquet", tmp_path / "q", quiet=True))
    assert t.column_names[:7] == ["id", "doc_id", "row_idx", "pivot_lang", "text_en", "text_ru", "text_es"]
    assert t.num_rows == 4


def test_nway_report_escapes_text_and_summarises_editions(nway_store, tmp_path):
    from corpus.report import write_report

    idx = write_report(nway_store, tmp_path / "r", quiet=True)
    out = idx.parent
    main = idx.read_text(encoding="utf-8")
    assert 'href="nway/index.html"' in main
    page = next(p for p in (out / "nway").glob("*.html") if p.name != "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;два&lt;/b&gt;" in page
    assert page.count('class="txt out c-ru"') == 1  # ru leaves the last pivot sentence out
    assert page.count('class="txt add c-es"') == 1
    assert 'id="hide-ru"' in page and "#hide-ru:checked ~ table .c-ru" in (out / "assets" / "nway.css").read_text()
    summary = (out / "nway" / "index.html").read_text(encoding="utf-8")
    assert "<td>ru (ru)</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">0</td>" in summary
    assert "<td>es (es)</td><td class=\"num\">3</td><td class=\"num\">0</td><td class=\"num\">1</td>" in summary


def test_two_edition_store_has_no_nway_view(tmp_path):
    from corpus.export.nway import layout

    s = Store(":memory:")
    en, ru = _art(s, "en", 1), _art(s, "ru", 2)
    s.put_pairs([DocPair(ru, en, 0.9, "1-1", {})])
    assert layout(s) is None


def test_cli_build_goes_n_way_with_a_pivot_or_three_editions(tmp_path, monkeypatch):
    import corpus.nway as nway
    from click.testing import CliRunner

    from corpus.cli import cli

    seen = []
    monkeypatch.setattr(nway, "build_nway", lambda store, cfg, rt, log=None: seen.append((cfg.editions, cfg.pivot)) or [])
    db = str(tmp_path / "s.sqlite")
    Store(db).close()
    run = CliRunner().invoke
    r = run(cli, ["--store", db, "build", "--source", "kcna", "--editions", "kp,en,cn,ru,es,jp"])
    assert r.exit_code == 0, r.output
    r = run(cli, ["--store", db, "build", "--source", "kcna", "--editions", "ru,en", "--pivot", "en"])
    assert r.exit_code == 0, r.output
    cfg = tmp_path / "run.yaml"
    cfg.write_text("source: kcna\neditions: [cn, en, jp]\npivot: jp\n", encoding="utf-8")
    r = run(cli, ["--store", db, "build", "--config", str(cfg)])
    assert r.exit_code == 0, r.output
    assert seen == [(["kp", "en", "cn", "ru", "es", "jp"], None), (["ru", "en"], "en"), (["cn", "en", "jp"], "jp")]
    r = run(cli, ["--store", db, "build", "--source", "kcna", "--editions", "kp,en,ru", "--pivot", "de"])
    assert r.exit_code == 1 and "pivot: 'de' is not one of the editions kp,en,ru" in r.output
    assert "Traceback" not in r.output and len(seen) == 3


def test_pivot_defaults():
    from corpus.config import RunConfig
    from corpus.nway import pivot_of

    assert pivot_of(RunConfig(source="kcna", editions=["kp", "en", "cn"])) == "en"
    assert pivot_of(RunConfig(source="kcna", editions=["kp", "cn", "jp"])) == "jp"  # no en: the last edition
    assert pivot_of(RunConfig(source="kcna", editions=["kp", "en", "cn"], pivot="kp")) == "kp"
