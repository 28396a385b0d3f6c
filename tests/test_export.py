"""Exports: one row per bead, filters, deterministic splits, each format's files, atomic writes,
push-to-hub plumbing, and the CLI (export, stats) with one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from corpus.cli import Ctx
from corpus.export import ExportError, export
from corpus.export.cli import export_cmd, stats_cmd
from corpus.records import Bead, DocPair
from corpus.store import Store
from export_fixtures import HOSTILE_SENT, SIGNATURE, fill_store, make_store


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "s.sqlite")
    fill_store(s, 4)
    yield s
    s.close()


def read_jsonl(p: Path) -> list[dict]:
    return [json.loads(l) for l in p.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------------- rows
def test_one_row_per_bead_with_full_model(store, tmp_path):
    p = export(store, "jsonl", tmp_path / "o", quiet=True)
    assert p == tmp_path / "o" / "corpus.jsonl"
    rows = read_jsonl(p)
    assert len(rows) == 4 * 6  # every bead, null beads included by default for jsonl
    r = rows[1]
    assert r["bead_type"] == "2-1" and r["src_idx"] == [1, 2] and r["tgt_idx"] == [1]
    assert r["translation"] == {"ru": "Второе 0 — 12 тыс. человек. Третье 0.", "en": "Second 0, 12,000 people, and third 0."}
    assert r["src_url"].startswith("https://tass.ru/") and r["tgt_url"].startswith("https://tass.com/")
    assert r["src_published"].startswith("2026-11-01") and r["src_section"] == "politics"
    assert r["pair_score"] == pytest.approx(0.9) and r["score"] == pytest.approx(0.8)
    (f,) = r["flags"]
    assert f["type"] == "number_changed" and f["severity"] == "critical"
    a, b = f["src_spans"][0]
    assert r["translation"]["ru"][a:b] == "12 тыс."  # spans index the exported side text
    assert json.loads(f["detail"]) == {"src": "12 тыс.", "tgt": "12,000"}
    nulls = [x for x in rows if x["bead_type"] in ("1-0", "0-1")]
    assert len(nulls) == 8 and all("" in x["translation"].values() for x in nulls)
    assert rows[0]["translation"]["ru"] == HOSTILE_SENT  # JSONL is lossless
    assert len({x["id"] for x in rows}) == len(rows)
    info = json.loads((tmp_path / "o" / "export-info.jsonl.json").read_text())
    assert info["signature"] == SIGNATURE and info["sources"] == ["tass/en", "tass/ru"]
    assert info["date_range"][0].startswith("2026-11-01") and info["counts"]["corpus"] == {"rows": 24, "pairs": 4}


def test_ids_are_content_derived_not_store_ids(tmp_path):
    """Two stores holding the same content under different integer ids export the same bead ids."""
    from corpus.records import Article

    with Store(tmp_path / "a.sqlite") as a, Store(tmp_path / "b.sqlite") as b:
        fill_store(a, 3)
        for i in range(5):  # shift b's article ids
            b.upsert_article(Article("tass", "ru", "ru", f"https://tass.ru/x/{i}", "x"))
        fill_store(b, 3)
        ra = read_jsonl(export(a, "jsonl", tmp_path / "ea", quiet=True))
        rb = read_jsonl(export(b, "jsonl", tmp_path / "eb", quiet=True))
        url = ra[0]["src_url"]
        assert a.article_by_url(url).id != b.article_by_url(url).id
    assert [r["id"] for r in ra] == [r["id"] for r in rb]
    assert [r["doc_id"] for r in ra] == [r["doc_id"] for r in rb]


def test_filters(store, tmp_path):
    def rows(**kw):
        return read_jsonl(export(store, "jsonl", tmp_path / "f", quiet=True, **kw))

    kept = rows(min_score=0.68)
    assert len(kept) == 4 * 3 and all(r["score"] >= 0.68 for r in kept)
    om = rows(flags="omission")
    assert len(om) == 4 and all(r["bead_type"] == "1-0" for r in om)
    two = rows(flags="omission,number_changed")
    assert len(two) == 4 + 2 and all({f["type"] for f in r["flags"]} & {"omission", "number_changed"} for r in two)
    none = rows(flags="none")
    assert none and all(not r["flags"] for r in none)
    anyf = rows(flags="any")
    assert len(anyf) + len(none) == 24 and all(r["flags"] for r in anyf)
    assert all(r["bead_type"] not in ("1-0", "0-1") for r in rows(include_null=False))
    with pytest.raises(ExportError, match="unknown flag type"):
        rows(flags="omission,bogus")
    with pytest.raises(ExportError, match="no beads match"):
        rows(min_score=5)


def test_split_is_deterministic_by_document(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        fill_store(s, 30, hostile=False)
        out = export(s, "jsonl", tmp_path / "sp", split="train=0.7,dev=0.1,test=0.2", quiet=True)
        assert out == tmp_path / "sp"
        parts = {n: read_jsonl(out / f"{n}.jsonl") for n in ("train", "dev", "test")}
        again = export(s, "jsonl", tmp_path / "sp2", split="train=0.7,dev=0.1,test=0.2", quiet=True)
        parts2 = {n: read_jsonl(again / f"{n}.jsonl") for n in ("train", "dev", "test")}
    docs = {n: {r["doc_id"] for r in rows} for n, rows in parts.items()}
    assert not (docs["train"] & docs["test"]) and not (docs["train"] & docs["dev"]) and not (docs["dev"] & docs["test"])
    assert sum(len(d) for d in docs.values()) == 30
    assert len(docs["train"]) > len(docs["test"]) > 0  # 30 docs: the hash spreads them
    assert parts == parts2
    # each document's beads all sit in its split
    for n, rows in parts.items():
        for d in docs[n]:
            assert sum(r["doc_id"] == d for r in rows) == 6


@pytest.mark.parametrize("spec,msg", [("train=0.9,test=0.2", "sum to 1"), ("train", "NAME=FRACTION"),
                                      ("train=x,test=1", "fraction"), ("tr ain=1", "split name")])
def test_bad_split(store, tmp_path, spec, msg):
    with pytest.raises(ExportError, match=msg):
        export(store, "jsonl", tmp_path / "x", split=spec, quiet=True)


# ---------------------------------------------------------------------------- formats
def test_parquet(store, tmp_path):
    import pyarrow.parquet as pq

    p = export(store, "parquet", tmp_path / "pq", quiet=True)
    t = pq.read_table(p)
    assert t.num_rows == 24
    rows = t.to_pylist()
    assert rows[1]["translation"]["ru"].startswith("Второе 0") and rows[1]["flags"][0]["src_spans"] == [[11, 18]]
    assert b"huggingface" in (t.schema.metadata or {})  # HF features travel with the file


def test_moses(store, tmp_path):
    p = export(store, "moses", tmp_path / "m", quiet=True)
    assert p.name == "corpus.ru"
    ru = (tmp_path / "m" / "corpus.ru").read_text(encoding="utf-8").split("\n")[:-1]
    en = (tmp_path / "m" / "corpus.en").read_text(encoding="utf-8").split("\n")[:-1]
    ids = (tmp_path / "m" / "corpus.ids").read_text(encoding="utf-8").split("\n")[:-1]
    assert len(ru) == len(en) == len(ids) == 4 * 4  # null beads left out by default
    assert all(l.strip() for l in ru + en)
    assert en[0] == 'He said: "<b>bold</b>" & <script>alert(4)</script> tab\there, new line.'
    assert "\x0b" not in ru[0] and "\x01" not in ru[0]
    assert ru[1] == "Второе 0 — 12 тыс. человек. Третье 0." and en[1] == "Second 0, 12,000 people, and third 0."
    with_null = export(store, "moses", tmp_path / "m2", include_null=True, quiet=True)
    assert len(with_null.read_text(encoding="utf-8").split("\n")) - 1 == 24


def test_tsv(store, tmp_path):
    from corpus.export.text import tsv_unescape

    p = export(store, "tsv", tmp_path / "t", quiet=True)
    raw = p.read_text(encoding="utf-8").split("\n")[:-1]
    assert len(raw) == 25  # header + 24 beads: tabs and newlines inside text never break a row
    with open(p, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 24 and list(rows[0])[:8] == ["id", "doc_id", "bead_idx", "bead_type", "score", "pair_score", "ru", "en"]
    assert tsv_unescape(rows[0]["en"]) == 'He said: "<b>bold</b>" & <script>alert(4)</script> tab\there,\nnew line.'
    assert rows[1]["flag_types"] == "number_changed" and json.loads(tsv_unescape(rows[1]["flags"]))[0]["src_spans"] == [[11, 18]]


def test_hf_dataset_and_card(store, tmp_path):
    import yaml
    from datasets import DatasetDict, Translation, load_from_disk

    out = tmp_path / "hfout"
    p = export(store, "hf", out, quiet=True)
    assert p == out / "hf"
    dd = load_from_disk(str(out / "hf"))
    assert isinstance(dd, DatasetDict) and list(dd) == ["train"] and dd["train"].num_rows == 24
    feats = dd["train"].features
    assert isinstance(feats["translation"], Translation) and feats["translation"].languages == ["ru", "en"]
    r = dd["train"][1]
    assert r["translation"]["en"].startswith("Second 0") and r["flags"][0]["tgt_spans"] == [[10, 16]]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n")
    meta = yaml.safe_load(card.split("---\n")[1])
    assert meta["language"] == ["ru", "en"] and meta["license"] == "other" and meta["task_categories"] == ["translation"]
    assert meta["size_categories"] == ["n<1K"]
    (cfg,) = meta["configs"]
    for df in cfg["data_files"]:
        assert list(out.glob(df["path"])), df
    assert "copyright" in card and "e5-small:test" in card  # licence note and signature
    assert (out / "LICENSE").exists()


def test_hf_splits_load_via_card(tmp_path):
    from datasets import load_dataset

    with Store(tmp_path / "s.sqlite") as s:
        fill_store(s, 12, hostile=False)
        export(s, "hf", tmp_path / "hf", split="train=0.8,test=0.2", license="cc-by-nc-4.0", quiet=True)
    ds = load_dataset(str(tmp_path / "hf"), cache_dir=str(tmp_path / "cache"))
    assert set(ds) == {"train", "test"} and ds["train"].num_rows + ds["test"].num_rows == 72
    assert ds["train"].features["translation"].languages == ["ru", "en"]
    assert "license: cc-by-nc-4.0" in (tmp_path / "hf" / "README.md").read_text()


def test_push_to_hub_calls_datasets_api(store, tmp_path, monkeypatch):
    import datasets
    import huggingface_hub

    calls = []
    monkeypatch.setattr(datasets.DatasetDict, "push_to_hub",
                        lambda self, repo, **kw: calls.append(("push", repo, sorted(self), kw)))
    monkeypatch.setattr(huggingface_hub.HfApi, "upload_file", lambda self, **kw: calls.append(("card", kw)))
    export(store, "hf", tmp_path / "h", push_to_hub="me/tass", private=True, quiet=True)
    assert calls[0][0] == "push" and calls[0][1] == "me/tass" and calls[0][2] == ["train"] and calls[0][3]["private"] is True
    assert calls[1][1]["repo_id"] == "me/tass" and calls[1][1]["path_in_repo"] == "README.md"
    assert calls[1][1]["repo_type"] == "dataset"

    def boom(self, repo, **kw):
        raise RuntimeError("401 Unauthorized\nlong server text\nmore")

    monkeypatch.setattr(datasets.DatasetDict, "push_to_hub", boom)
    with pytest.raises(ExportError) as e:
        export(store, "hf", tmp_path / "h", push_to_hub="me/tass", quiet=True)
    assert "\n" not in str(e.value) and "401 Unauthorized" in str(e.value)
    r = CliRunner().invoke(group(), ["--store", store.path, "export", "--format", "hf", "--out", str(tmp_path / "h"),
                                     "--push-to-hub", "me/tass"])
    assert r.exit_code == 1 and r.output.strip().splitlines()[-1].startswith("Error: push to hub me/tass failed")
    with pytest.raises(ExportError, match="needs --format hf"):
        export(store, "jsonl", tmp_path / "j", push_to_hub="me/tass", quiet=True)


# ---------------------------------------------------------------------------- atomic writes
def test_interrupted_export_leaves_no_file_and_keeps_previous(store, tmp_path, monkeypatch):
    from corpus.export.text import JsonlWriter

    out = tmp_path / "atomic"
    fresh = tmp_path / "fresh"
    good = export(store, "jsonl", out, quiet=True)
    before = good.read_bytes()
    orig = JsonlWriter.write
    n = {"rows": 0}

    def failing(self, split, row):
        n["rows"] += 1
        if n["rows"] > 10:
            raise KeyboardInterrupt  # as if the user hit Ctrl-C halfway
        orig(self, split, row)

    monkeypatch.setattr(JsonlWriter, "write", failing)
    with pytest.raises(KeyboardInterrupt):
        export(store, "jsonl", out, min_score=0.1, quiet=True)
    assert good.read_bytes() == before  # previous complete export untouched
    n["rows"] = 0
    with pytest.raises(KeyboardInterrupt):
        export(store, "jsonl", fresh, quiet=True)
    assert not (fresh / "corpus.jsonl").exists() and not (fresh / "export-info.jsonl.json").exists()
    assert sorted(p.name for p in out.iterdir()) == ["corpus.jsonl", "export-info.jsonl.json", "export-info.jsonl.md"]
    assert not fresh.exists()  # no staging leftovers, and not even the folder the failed export created


def test_interrupted_hf_export_keeps_previous_dataset(store, tmp_path, monkeypatch):
    import datasets

    out = tmp_path / "hf"
    export(store, "hf", out, quiet=True)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    orig = datasets.DatasetDict.save_to_disk

    def half(self, path, **kw):
        orig(self, path, **kw)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(datasets.DatasetDict, "save_to_disk", half)
    with pytest.raises(ExportError, match="No space left"):
        export(store, "hf", out, min_score=0.5, quiet=True)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert datasets.load_from_disk(str(out / "hf"))["train"].num_rows == 24


# ---------------------------------------------------------------------------- CLI
def group():
    @click.group()
    @click.option("--store", "store_path", required=True)
    @click.option("--quiet", is_flag=True)
    @click.pass_context
    def g(ctx, store_path, quiet):
        ctx.obj = Ctx(store_path=store_path, quiet=quiet)

    from corpus.report import report_cmd

    for c in (export_cmd, stats_cmd, report_cmd):
        g.add_command(c)
    return g


def run(*args):
    return CliRunner().invoke(group(), ["--quiet", *map(str, args)])


def one_line_error(r, needle: str):
    assert r.exit_code != 0, r.output
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    last = r.output.strip().splitlines()[-1]
    assert last.startswith("Error:") and needle in last, r.output
    return last


def test_cli_export_and_errors(tmp_path):
    db = make_store(tmp_path / "s.sqlite", 3)
    r = run("--store", db, "export", "--format", "tsv", "--out", tmp_path / "o", "--min-score", "0.5",
            "--flags", "none", "--split", "train=0.5,test=0.5")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("wrote tsv") and "train=" in r.output
    assert (tmp_path / "o" / "train.tsv").exists() and (tmp_path / "o" / "test.tsv").exists()
    r = run("--store", db, "export", "--format", "jsonl", "--out", tmp_path / "o2", "--exclude-null")
    assert r.exit_code == 0 and "12 beads from 3 document pairs" in r.output
    one_line_error(run("--store", tmp_path / "missing.sqlite", "export", "--format", "jsonl", "--out", tmp_path / "x"),
                   "does not exist")
    assert not (tmp_path / "missing.sqlite").exists()
    Store(tmp_path / "empty.sqlite").close()
    one_line_error(run("--store", tmp_path / "empty.sqlite", "export", "--format", "jsonl", "--out", tmp_path / "x"),
                   "no aligned document pairs")
    one_line_error(run("--store", db, "export", "--format", "xml", "--out", tmp_path / "x"), "xml")
    (tmp_path / "afile").write_text("x")
    one_line_error(run("--store", db, "export", "--format", "jsonl", "--out", tmp_path / "afile"), "cannot write")
    one_line_error(run("--store", db, "export", "--format", "jsonl", "--out", tmp_path / "afile" / "sub"), "cannot write")
    one_line_error(run("--store", db, "export", "--format", "jsonl", "--out", tmp_path / "x", "--flags", "bogus"),
                   "unknown flag type")
    one_line_error(run("--store", db, "export", "--format", "jsonl", "--out", tmp_path / "x", "--split", "a=0.5"),
                   "sum to 1")
    one_line_error(run("--store", db, "export", "--format", "tmx", "--out", tmp_path / "x", "--push-to-hub", "a/b"),
                   "needs --format hf")


def test_several_language_pairs_need_a_choice(tmp_path):
    from corpus.records import Article, Sentence

    with Store(tmp_path / "s.sqlite") as s:
        fill_store(s, 2, hostile=False)
        ko = s.upsert_article(Article("kcna", "ko", "ko", "https://kcna.kp/ko/1", "제목", paragraphs=("문장.",)))[0]
        en = s.upsert_article(Article("kcna", "en", "en", "https://kcna.kp/en/1", "Title", paragraphs=("Sentence.",)))[0]
        s.put_sentences(ko, [Sentence(ko, 0, "문장.")])
        s.put_sentences(en, [Sentence(en, 0, "Sentence.")])
        (pid,) = s.put_pairs([DocPair(ko, en, 0.8)])
        s.put_beads(pid, [Bead((0,), (0,), 0.9)])
        with pytest.raises(ExportError, match="several language pairs"):
            export(s, "jsonl", tmp_path / "x", quiet=True)
        rows = read_jsonl(export(s, "jsonl", tmp_path / "ko", lang_pair="ko-en", quiet=True))
        assert rows == [rows[0]] and rows[0]["translation"] == {"ko": "문장.", "en": "Sentence."}
        assert rows[0]["flags"] == []


def test_stats(tmp_path):
    db = make_store(tmp_path / "s.sqlite", 3)
    r = run("--store", db, "stats", "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.output)
    assert s["articles"] == {"tass/en": {"ok": 3}, "tass/ru": {"ok": 3}}
    assert s["pairs"] == {"1-1": 3} and s["aligned_pairs"] == 3
    assert s["beads"] == {"0-1": 3, "1-0": 3, "1-1": 9, "2-1": 3}
    assert s["flags"]["omission"] == 3 and s["flags"]["number_changed"] == 2
    assert s["mean_scores"]["pair"] == pytest.approx((0.9 + 0.8 + 0.7) / 3, abs=1e-4)
    r = run("--store", db, "stats")
    assert r.exit_code == 0 and "beads" in r.output and "omission" in r.output and "mean pair score" in r.output
    one_line_error(run("--store", tmp_path / "nope.sqlite", "stats"), "does not exist")
    Store(tmp_path / "empty.sqlite").close()
    r = run("--store", tmp_path / "empty.sqlite", "stats", "--json")
    assert r.exit_code == 0 and json.loads(r.output)["aligned_pairs"] == 0


def test_hf_split_without_rows_is_left_out(tmp_path):
    from datasets import load_from_disk

    with Store(tmp_path / "s.sqlite") as s:
        fill_store(s, 1, hostile=False)
        export(s, "hf", tmp_path / "h", split="train=0.5,test=0.5", quiet=True)
        info = json.loads((tmp_path / "h" / "export-info.hf.json").read_text())
    (full,) = [k for k, v in info["counts"].items() if v["rows"]]
    dd = load_from_disk(str(tmp_path / "h" / "hf"))
    assert list(dd) == [full] and dd[full].num_rows == 6
    assert [p.name.split("-")[0] for p in (tmp_path / "h" / "data").iterdir()] == [full]


def test_export_never_deletes_or_replaces_files_it_did_not_write(store, tmp_path):
    out = tmp_path / "o"
    (out / "hf").mkdir(parents=True)
    (out / "hf" / "my-notes.txt").write_text("mine")
    (out / "README.md").write_text("my readme")
    with pytest.raises(ExportError, match=r"tasscorpus did not write \(README.md, hf/my-notes.txt\).*--overwrite"):
        export(store, "hf", out, quiet=True)
    assert (out / "hf" / "my-notes.txt").read_text() == "mine" and (out / "README.md").read_text() == "my readme"
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "hf"]  # nothing else left behind
    # a same-name file of the user's
    (out / "corpus.jsonl").write_text("my corpus\n")
    with pytest.raises(ExportError, match=r"\(corpus.jsonl\)"):
        export(store, "jsonl", out, quiet=True)
    assert (out / "corpus.jsonl").read_text() == "my corpus\n"
    # --overwrite says yes
    export(store, "jsonl", out, quiet=True, overwrite=True)
    assert len(read_jsonl(out / "corpus.jsonl")) == 24


def test_export_replaces_its_own_files(store, tmp_path):
    out = tmp_path / "o"
    export(store, "hf", out, quiet=True)
    export(store, "jsonl", out, quiet=True)
    info = json.loads((out / "export-info.hf.json").read_text())
    assert "hf/dataset_dict.json" in info["files"] and "README.md" in info["files"]
    # re-running both replaces what they wrote before, without --overwrite
    export(store, "hf", out, min_score=0.5, quiet=True)
    export(store, "jsonl", out, min_score=0.5, quiet=True)
    assert json.loads((out / "export-info.hf.json").read_text())["counts"]["train"]["rows"] < 24
    # a file the user put inside an exported folder afterwards is still theirs
    (out / "hf" / "train" / "extra.txt").write_text("mine")
    with pytest.raises(ExportError, match="hf/train/extra.txt"):
        export(store, "hf", out, quiet=True)
    assert (out / "hf" / "train" / "extra.txt").read_text() == "mine"


def test_nothing_matches_creates_nothing(store, tmp_path):
    out = tmp_path / "a" / "b" / "out"
    for fmt in ("jsonl", "hf", "tsv"):
        with pytest.raises(ExportError, match="no beads match"):
            export(store, fmt, out, min_score=2, quiet=True)
        assert not (tmp_path / "a").exists(), fmt
    # an existing folder is kept, untouched
    out.mkdir(parents=True)
    (out / "keep.txt").write_text("x")
    with pytest.raises(ExportError):
        export(store, "jsonl", out, min_score=2, quiet=True)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_cli_refuses_to_clobber_and_overwrite_flag(tmp_path):
    db = make_store(tmp_path / "s.sqlite", 2)
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "corpus.tsv").write_text("mine")
    one_line_error(run("--store", db, "export", "--format", "tsv", "--out", tmp_path / "o"), "--overwrite")
    assert (tmp_path / "o" / "corpus.tsv").read_text() == "mine"
    r = run("--store", db, "export", "--format", "tsv", "--out", tmp_path / "o", "--overwrite")
    assert r.exit_code == 0, r.output
    one_line_error(run("--store", db, "export", "--format", "tsv", "--out", tmp_path / "n", "--min-score", "2"),
                   "no beads match")
    assert not (tmp_path / "n").exists()


def test_flags_in_rows_are_most_important_first(store, tmp_path):
    from corpus.records import Flag, flag_sort_key

    rows = read_jsonl(export(store, "jsonl", tmp_path / "o", quiet=True))
    multi = [r["flags"] for r in rows if len(r["flags"]) > 1]
    assert multi  # the fixture stores a minor flag before a major one on the same bead
    for fl in multi:
        keys = [flag_sort_key(Flag(f["type"], f["score"], f["severity"])) for f in fl]
        assert keys == sorted(keys)
        assert fl[0]["severity"] == "major"


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "tmx", "moses", "parquet", "hf"])
def test_every_format_documents_its_fields(store, tmp_path, fmt):
    from corpus.export.docs import DETAIL_KEYS
    from corpus.export.schema import FIELD_DOCS
    from corpus.records import FLAG_TYPES, SEVERITIES

    out = tmp_path / fmt
    export(store, fmt, out, quiet=True)
    doc = (out / ("README.md" if fmt == "hf" else f"export-info.{fmt}.md")).read_text(encoding="utf-8")
    for t in FLAG_TYPES:
        assert f"| `{t}` |" in doc, t
    for s in SEVERITIES:
        assert f"| `{s}` |" in doc, s
    for k in FIELD_DOCS:
        assert f"| `{k}` |" in doc, k
    for k, _, _ in DETAIL_KEYS:
        assert f"| `{k}` |" in doc, k
    assert "[0, 1]" in doc and "raw_score" in doc and "most important first" in doc
    if fmt == "tsv":
        header = (out / "corpus.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")
        assert header[0] == "id" and header[-1] == "flags"
        assert ", ".join(header).replace("ru, en", "<src_lang>, <tgt_lang>") in doc  # the header line is documented
    assert f"export-info.{fmt}.md" in json.loads((out / f"export-info.{fmt}.json").read_text())["files"]


def test_export_replaces_what_an_older_export_wrote(store, tmp_path):
    """An export-info file from before exports listed their files still vouches for that export's files."""
    out = tmp_path / "o"
    export(store, "hf", out, quiet=True)
    export(store, "moses", out, quiet=True)
    for fmt in ("hf", "moses"):
        p = out / f"export-info.{fmt}.json"
        info = json.loads(p.read_text())
        del info["files"]
        p.write_text(json.dumps(info))
    (out / "export-info.hf.md").unlink()  # older exports wrote no README of their own
    export(store, "hf", out, min_score=0.5, quiet=True)
    export(store, "moses", out, min_score=0.5, quiet=True)
    assert json.loads((out / "export-info.moses.json").read_text())["counts"]["corpus"]["rows"] < 24
