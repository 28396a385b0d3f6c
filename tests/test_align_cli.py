"""``align_cmd`` through click's CliRunner, with a registered fake encoder (no model download)."""

import json

import pytest
from click.testing import CliRunner

from align import encoders
from corpus.researcher.align import align_cmd
from align.score import parse_bead

from test_aligner import FakeEncoder  # tests/ is on sys.path under pytest (rootdir-relative import)


@pytest.fixture(autouse=True)
def fake_encoder():
    encoders.register("fake", FakeEncoder)
    yield
    encoders._REGISTRY.pop("fake", None)


def write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(p)


def docs(tmp_path):
    src = [" ".join(f"s{4 * i + k}" for k in range(4)) for i in range(8)]
    tgt = [" ".join(f"t{4 * i + k}" for k in range(4)) for i in range(8)]
    tgt = tgt[:3] + [tgt[3] + " " + tgt[4]] + tgt[5:]
    return write(tmp_path, "src.txt", src), write(tmp_path, "tgt.txt", tgt)


def run(*args):
    return CliRunner().invoke(align_cmd, list(args))


def test_beads_format(tmp_path):
    s, t = docs(tmp_path)
    r = run(s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--presegmented")
    assert r.exit_code == 0, r.output
    beads = [parse_bead(x) for x in r.output.splitlines()]
    assert [i for b in beads for i in b.src] == list(range(8))
    assert [j for b in beads for j in b.tgt] == list(range(7))
    assert "[3, 4]:[3]" in r.output.splitlines()


def test_jsonl_and_tsv(tmp_path):
    s, t = docs(tmp_path)
    r = run(s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--presegmented", "--format", "jsonl")
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert rows[0]["src"] == [0] and rows[0]["src_text"] == "s0 s1 s2 s3" and 0 <= rows[0]["score"] <= 1
    r = run(s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--presegmented", "--format", "tsv")
    assert r.exit_code == 0 and all(len(x.split("\t")) == 3 for x in r.output.splitlines())


def test_tsv_has_a_header_line_unless_asked_not_to(tmp_path):
    s, t = docs(tmp_path)
    args = [s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--presegmented", "--format", "tsv"]
    lines = run(*args).stdout.splitlines()
    assert lines[0] == "src_text\ttgt_text\tscore"
    assert lines[1].startswith("s0 s1 s2 s3\tt0 t1 t2 t3\t") and len(lines) == 1 + 7
    lines = run(*args, "--no-header").stdout.splitlines()
    assert lines[0].startswith("s0 s1 s2 s3\t") and len(lines) == 7


def test_segments_without_presegmented(tmp_path):
    s = write(tmp_path, "s.txt", ["s1 s2 s3. s4 s5 s6."])
    t = write(tmp_path, "t.txt", ["t1 t2 t3.", "t4 t5 t6."])
    r = run(s, t, "--src-lang", "en", "--tgt-lang", "en", "--encoder", "fake")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == ["[0]:[0]", "[1]:[1]"]


def test_errors_are_one_line(tmp_path):
    s, t = docs(tmp_path)
    r = run(str(tmp_path / "nope.txt"), t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake")
    assert r.exit_code == 1 and "no such file" in r.output and "Traceback" not in r.output
    empty = write(tmp_path, "empty.txt", ["", "  "])
    r = run(empty, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--presegmented")
    assert r.exit_code == 1 and "no sentences" in r.output
    r = run(s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "nosuch")
    assert r.exit_code == 1 and "unknown encoder" in r.output
    assert len(r.output.strip().splitlines()) == 1


# ------------------------------------------------------------------ pasted pages (invented furniture)
RU_PAGE = [
    "Все новости",
    "Кабмин выделит средства на ремонт школ",
    "Деньги направят на замену окон, уточнили в правительстве",
    "© Петр Ковалев/ТАСС",
    "Редакция сайта ТАСС",
    "3 декабря, 10:15",
    "МОСКВА, 3 декабря. /ТАСС/. s0 s1 s2 s3.",
    "s4 s5 s6 s7.",
    "Читайте также",
    "Спрос на ипотеку вырос в ноябре",
    "s8 s9 s10 s11.",
    "Теги: Образование, Правительство",
]
EN_PAGE = [
    "All news",
    "Government to fund school repairs",
    "© Peter Kovalev/TASS",
    "MOSCOW, December 3. /TASS/. t0 t1 t2 t3.",
    "Read also: Mortgage demand up in November",
    "t4 t5 t6 t7.",
    "t8 t9 t10 t11.",
    "December 3, 10:15",
]


def test_furniture_is_stripped_and_said_on_stderr(tmp_path):
    s, t = write(tmp_path, "ru.txt", RU_PAGE), write(tmp_path, "en.txt", EN_PAGE)
    r = run(s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--format", "jsonl")
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["src_text"], x["tgt_text"]) for x in rows] == [
        ("s0 s1 s2 s3.", "t0 t1 t2 t3."), ("s4 s5 s6 s7.", "t4 t5 t6 t7."), ("s8 s9 s10 s11.", "t8 t9 t10 t11.")]
    assert "ru.txt: stripped 10 furniture items" in r.stderr and "credit (line 4) '© Петр Ковалев/ТАСС'" in r.stderr
    assert "en.txt: stripped 6 furniture items" in r.stderr and "dateline (line 4) 'MOSCOW, December 3. /TASS/.'" in r.stderr


def test_keep_furniture_keeps_every_line_and_the_dateline_one_sentence(tmp_path):
    s, t = write(tmp_path, "ru.txt", RU_PAGE), write(tmp_path, "en.txt", EN_PAGE)
    r = run(s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--format", "jsonl", "--keep-furniture")
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    src = [x for row in rows for x in [row["src_text"]] if x]
    joined = " ".join(src)
    assert "© Петр Ковалев/ТАСС" in joined and "Редакция сайта ТАСС" in joined
    n_src = sum(len(x["src"]) for x in rows)
    assert n_src == len(RU_PAGE) + 1  # every line, the dateline line as two sentences: dateline + body
    assert r.stderr == ""


def test_dateline_is_one_sentence_with_keep_furniture(tmp_path):
    from corpus.researcher.document import read_document

    s = write(tmp_path, "ru.txt", ["МОСКВА, 3 декабря. /ТАСС/. /Корр. ТАСС Иван Петров/. s0 s1 s2 s3."])
    t = write(tmp_path, "en.txt", ["IGORA /Leningrad Region/, December 4. /TASS/. t0 t1 t2 t3. t4 t5."])
    assert read_document(s, "ru", keep_furniture=True).sentences == [
        "МОСКВА, 3 декабря. /ТАСС/. /Корр. ТАСС Иван Петров/.", "s0 s1 s2 s3."]
    assert read_document(t, "en", keep_furniture=True).sentences == [
        "IGORA /Leningrad Region/, December 4. /TASS/.", "t0 t1 t2 t3.", "t4 t5."]
    assert read_document(t, "en").sentences == ["t0 t1 t2 t3.", "t4 t5."]  # stripped by default
    r = run(s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--format", "jsonl", "--keep-furniture")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert sum(len(x["src"]) for x in rows) == 2 and sum(len(x["tgt"]) for x in rows) == 3


def test_declared_languages_are_checked(tmp_path):
    s, t = docs(tmp_path)
    r = run(s, t, "--src-lang", "xx", "--tgt-lang", "en", "--encoder", "fake", "--presegmented")
    assert r.exit_code == 1 and "--src-lang 'xx' is not an ISO 639-1 language code" in r.output
    assert len(r.output.strip().splitlines()) == 1
    ru = write(tmp_path, "ru.txt", ["Правительство России одобрило проект бюджета на следующий год.",
                                    "Расходы на строительство дорог вырастут почти на двенадцать процентов."])
    en = write(tmp_path, "en.txt", ["The Russian government approved the draft budget for next year.",
                                    "Spending on road construction will grow by almost twelve percent."])
    r = run(ru, en, "--src-lang", "en", "--tgt-lang", "ru", "--encoder", "fake")  # swapped
    assert r.exit_code == 1 and "ru.txt: the text reads as 'ru'" in r.output and "--force-lang" in r.output
    assert len(r.output.strip().splitlines()) == 1
    r = run(ru, en, "--src-lang", "en", "--tgt-lang", "ru", "--encoder", "fake", "--force-lang")
    assert r.exit_code == 0, r.output
    r = run(ru, en, "--src-lang", "RU", "--tgt-lang", "en", "--encoder", "fake")
    assert r.exit_code == 0, r.output


def test_progress_for_long_inputs_and_quiet(tmp_path, monkeypatch):
    from corpus import cli as corpus_cli
    from corpus.researcher import progress

    monkeypatch.setattr(progress, "MIN_SENTENCES", 20)
    monkeypatch.setattr(progress, "CHUNK", 4)
    src = [" ".join(f"s{4 * i + k}" for k in range(4)) for i in range(12)]
    tgt = [" ".join(f"t{4 * i + k}" for k in range(4)) for i in range(12)]
    s, t = write(tmp_path, "s.txt", src), write(tmp_path, "t.txt", tgt)
    args = ["align", s, t, "--src-lang", "ru", "--tgt-lang", "en", "--encoder", "fake", "--presegmented", "--force-lang"]
    r = CliRunner().invoke(corpus_cli.cli, args)
    assert r.exit_code == 0, r.output
    assert "embedding ru (aligning): 12/12 (100%)" in r.stderr and "ETA" in r.stderr
    assert "aligning…" in r.stderr and "aligning: done in" in r.stderr
    assert r.stdout.splitlines() == [f"[{i}]:[{i}]" for i in range(12)]
    quiet = CliRunner().invoke(corpus_cli.cli, ["--quiet", *args])
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == r.stdout
    monkeypatch.setattr(progress, "CHUNK", 100)  # a side shorter than one chunk is counted too
    assert "embedding en (aligning): 12/12 (100%)" in CliRunner().invoke(corpus_cli.cli, args).stderr
    monkeypatch.setattr(progress, "MIN_SENTENCES", 400)  # a short input shows nothing
    assert CliRunner().invoke(corpus_cli.cli, args).stderr == ""
