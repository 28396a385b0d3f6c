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
