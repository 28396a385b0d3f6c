"""`tasscorpus diff`: JSONL schema, readable text view, clear one-line errors."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.researcher.diff import diff_cmd
from corpus.records import FLAG_TYPES

RU = """Министр обороны Сергей Шойгу 4 сентября провел совещание в Москве.
На совещании обсудили закупку 12 тыс. единиц техники.
Россия не будет сокращать расходы на оборону.
"""
EN = """Defense Minister Sergei Shoigu held a meeting in Moscow on September 5.
The meeting discussed the purchase of 12,000 pieces of equipment.
Russia will cut defense spending.
"""


@pytest.fixture()
def docs(tmp_path: Path):
    s, t = tmp_path / "ru.txt", tmp_path / "en.txt"
    s.write_text(RU, encoding="utf-8")
    t.write_text(EN, encoding="utf-8")
    return s, t


def run(*args):
    return CliRunner().invoke(diff_cmd, [str(a) for a in args], catch_exceptions=False)


def test_missing_file_is_one_line_error(tmp_path, docs):
    r = run(tmp_path / "nope.txt", docs[1])
    assert r.exit_code != 0 and "no such file" in r.output and "Traceback" not in r.output


def test_not_utf8_and_empty(tmp_path, docs):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa binary")
    r = run(bad, docs[1])
    assert r.exit_code == 1 and "not UTF-8" in r.output
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    r = run(docs[0], empty)
    assert r.exit_code == 1 and "no text" in r.output


def test_bad_lexicon_and_format(tmp_path, docs):
    lex = tmp_path / "lex.tsv"
    lex.write_text("one column only\n", encoding="utf-8")
    r = run(*docs, "--lexicon", lex)
    assert r.exit_code == 1 and "lex.tsv:1" in r.output
    r = run(*docs, "--format", "xml")
    assert r.exit_code == 2 and "xml" in r.output


def test_bad_encoder(docs):
    r = run(*docs, "--encoder", "no-such-encoder")
    assert r.exit_code == 1 and "unknown encoder" in r.output


@pytest.fixture()
def aligner():
    return pytest.importorskip("align.aligner", reason="align.aligner (the sentence aligner) is not available")


def test_jsonl_schema(docs, aligner):
    r = run(*docs, "--presegmented")
    assert r.exit_code == 0, r.output
    rows = [json.loads(l) for l in r.output.splitlines()]
    assert sum(len(x["src"]) for x in rows) == 3 and sum(len(x["tgt"]) for x in rows) == 3
    for x in rows:
        assert set(x) == {"src", "tgt", "src_text", "tgt_text", "score", "flags"}
        for f in x["flags"]:
            assert set(f) == {"type", "score", "severity", "src_spans", "tgt_spans", "detail"}
            assert f["type"] in FLAG_TYPES
            for a, b in f["src_spans"]:
                assert 0 <= a < b <= len(x["src_text"])
            for a, b in f["tgt_spans"]:
                assert 0 <= a < b <= len(x["tgt_text"])
    found = {f["type"] for x in rows for f in x["flags"]}
    assert {"date_changed", "negation_or_polarity"} <= found
    assert "number_changed" not in found  # «12 тыс.» = "12,000"


def test_text_format_marks_differences(docs, aligner):
    r = run(*docs, "--format", "text")
    assert r.exit_code == 0, r.output
    assert "[[4 сентября]]" in r.output and "[[September 5]]" in r.output
    assert "! date_changed" in r.output and "\x1b[" not in r.output  # no ANSI codes when not a TTY


def test_text_view_explains_each_flag_in_plain_language(docs, aligner):
    r = run(*docs, "--format", "text")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("  ! date_changed"))
    assert "date" in lines[i + 1].lower() and "4 сентября" in lines[i + 1] and "September 5" in lines[i + 1]


def test_text_view_names_a_dropped_attribution():
    from corpus.researcher.diff import _describe
    from corpus.records import Flag

    f = Flag("omission", 0.05, "major", (), (), {"piece": "сообщили в МЧС",
                                                "attribution_frames": {"src": ["сообщили"], "tgt": []}})
    assert _describe(f) == "omission (major, 0.050) 'сообщили в МЧС'; attribution сообщили → —"


def test_text_view_names_a_reversed_direction_and_an_unrelated_side():
    from corpus.researcher.diff import _describe
    from corpus.records import Flag

    f = Flag("meaning_shift", 1.0, "major", (), (), {"axis": "trade", "src_pole": "export", "tgt_pole": "import",
                                                      "src_cues": ["экспортирует"], "tgt_cues": ["imports"]})
    assert _describe(f) == "meaning_shift (major, 1.000) trade export → import: экспортирует → imports"
    f = Flag("omission", 0.17, "major", (), (), {"from": "unrelated", "sim": 0.83})
    assert _describe(f) == "omission (major, 0.170) similarity 0.830 (the whole side: the bead is unrelated)"


def test_text_view_names_unrendered_numbers():
    from corpus.researcher.diff import _describe
    from corpus.records import Flag

    f = Flag("omission", 0.05, "major", (), (), {"piece": "набрав 10 очков", "unrendered_numbers": ["10"]})
    assert _describe(f) == "omission (major, 0.050) 'набрав 10 очков'; numbers 10 → —"
    f = Flag("omission", 0.05, "major", (), (), {"piece": "что в штате Техас", "unrendered_names": ["Техас"]})
    assert _describe(f) == "omission (major, 0.050) 'что в штате Техас'; names Техас → —"


# ------------------------------------------------------------------ researcher mode on pasted pages (invented)
RU_PAGE = """Все новости
Шойгу провел совещание по закупкам техники
На совещании обсудили закупку техники, сообщили в министерстве
© Иван Сидоров/ТАСС
Редакция сайта ТАСС
3 декабря, 10:15
МОСКВА, 3 декабря. /ТАСС/. Министр обороны Сергей Шойгу 4 сентября провел совещание в Москве.
На совещании обсудили закупку 12 тыс. единиц техники.
Читайте также
Спрос на ипотеку вырос в ноябре
Россия не будет сокращать расходы на оборону, заявил министр.
Теги: Оборона, Армия
"""
EN_PAGE = """All news
Shoigu holds meeting on arms purchases
© Ivan Sidorov/TASS
MOSCOW, December 3. /TASS/. Defense Minister Sergei Shoigu held a meeting in Moscow on September 5.
Read also: Mortgage demand up in November
The meeting discussed the purchase of 12,000 pieces of equipment.
Russia will cut defense spending, the minister said.
December 3, 10:15
"""
RU_FURNITURE = [ln for ln in RU_PAGE.splitlines() if not ln.endswith(".") or ln.startswith("МОСКВА")]
EN_FURNITURE = [ln for ln in EN_PAGE.splitlines() if not ln.endswith(".") or ln.startswith("MOSCOW")]


def test_pasted_pages_furniture_is_never_aligned_or_flagged(tmp_path, aligner):
    s, t = tmp_path / "ru.txt", tmp_path / "en.txt"
    s.write_text(RU_PAGE, encoding="utf-8")
    t.write_text(EN_PAGE, encoding="utf-8")
    r = run(s, t)
    assert r.exit_code == 0, r.output
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    text = " ".join(x["src_text"] + " " + x["tgt_text"] for x in rows)
    for ln in RU_FURNITURE + EN_FURNITURE:
        assert ln.split(" /")[0] not in text, ln  # no furniture line, no dateline («МОСКВА, 3 декабря.»)
    assert sum(len(x["src"]) for x in rows) == 3 and sum(len(x["tgt"]) for x in rows) == 3
    found = sorted(f["type"] for x in rows for f in x["flags"])
    assert found == ["date_changed", "negation_or_polarity"]  # no omission / addition from furniture
    assert "ru.txt: stripped 10 furniture items" in r.stderr and "en.txt: stripped 6 furniture items" in r.stderr


def test_wrong_languages_are_one_line_errors(tmp_path, docs):
    r = run(*docs, "--src-lang", "xx")
    assert r.exit_code == 1 and "--src-lang 'xx' is not an ISO 639-1 language code" in r.output
    r = run(*docs, "--src-lang", "en", "--tgt-lang", "ru")  # the files swapped
    assert r.exit_code == 1 and "reads as 'ru'" in r.output and "--force-lang" in r.output
    assert len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output


def test_swapped_one_line_files_are_caught_by_their_script(tmp_path):
    """Too short for langdetect, but English declared as Russian has no Cyrillic letter (issue 26's swapped files)."""
    ru, en = tmp_path / "ru.txt", tmp_path / "en.txt"
    ru.write_text("Каждая школа будет рассчитана на 1100 учеников.\n", encoding="utf-8")
    en.write_text("Each school will be designed for 1,300 students.\n", encoding="utf-8")
    r = run(str(en), str(ru), "--src-lang", "ru", "--tgt-lang", "en")
    assert r.exit_code == 1 and "Latin script" in r.output and "--force-lang" in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_text_view_lists_flags_most_important_first(docs, monkeypatch):
    """Whatever order the detectors give, a bead's flags are printed by corpus.records.flag_sort_key."""
    import align.flags
    from align import encoders
    from corpus.records import Flag
    from test_aligner import FakeEncoder

    monkeypatch.setattr(encoders, "_REGISTRY", {**encoders._REGISTRY})
    encoders.register("fake", FakeEncoder)
    unsorted = [Flag("omission", 0.3, "minor", (), (), {}), Flag("addition", 0.9, "major", (), (), {}),
                Flag("number_changed", 0.5, "critical", (), (), {}), Flag("meaning_shift", 0.95, "major", (), (), {})]
    monkeypatch.setattr(align.flags, "detect", lambda src, tgt, beads, **kw: [list(unsorted)] + [[] for _ in beads[1:]])
    r = run(*docs, "--presegmented", "--encoder", "fake", "--format", "text", "--force-lang")
    assert r.exit_code == 0, r.output
    marks = [l.split("(")[0].strip("! ").strip() for l in r.stdout.splitlines() if l.startswith("  ! ")]
    assert marks == ["number_changed", "meaning_shift", "addition", "omission"]
