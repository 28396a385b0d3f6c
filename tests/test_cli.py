"""The CLI: a click group whose errors are one clear line with a non-zero exit, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from corpus.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_cli(*args, cwd=None):
    """Run the real entry point in a subprocess (as a user would): returns (code, stdout, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TASSCORPUS_DEBUG", None)
    p = subprocess.run([sys.executable, "-m", "corpus.cli", *args], capture_output=True, text=True, env=env,
                       cwd=cwd or ROOT, timeout=120)
    return p.returncode, p.stdout, p.stderr


def test_help_lists_every_stage():
    r = invoke("--help")
    assert r.exit_code == 0
    for cmd in ("fetch", "segment", "pair", "align", "flag", "diff", "build", "demo", "export", "report", "stats"):
        assert cmd in r.output, cmd


def test_subcommand_help_is_useful():
    for cmd in ("demo", "build", "pair", "flag"):
        r = invoke(cmd, "--help")
        assert r.exit_code == 0 and "Usage:" in r.output and "--help" in r.output


def _one_line_error(code, out, err):
    assert code != 0
    assert "Traceback" not in out + err
    lines = [l for l in err.strip().splitlines() if l.strip()]
    assert lines, "an error message is printed"
    assert lines[-1].startswith("Error:") or lines[-1].startswith("Usage:") or "Error" in lines[-1]
    return lines[-1]


def test_unknown_command(tmp_path):
    msg = _one_line_error(*run_cli("frobnicate", cwd=tmp_path))
    assert "frobnicate" in msg


def test_stage_on_empty_store_is_one_line(tmp_path):
    from corpus.store import Store

    db = tmp_path / "empty.sqlite"
    Store(db).close()
    msg = _one_line_error(*run_cli("--store", str(db), "pair", cwd=tmp_path))
    assert "nothing to pair" in msg
    msg = _one_line_error(*run_cli("--store", str(db), "flag", cwd=tmp_path))
    assert "needs beads" in msg


def test_store_that_is_not_sqlite(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    msg = _one_line_error(*run_cli("--store", str(bad), "segment", cwd=tmp_path))
    assert "cannot open store" in msg
    assert bad.read_bytes() == b"garbage" * 1000  # never clobbered


def test_store_is_a_directory(tmp_path):
    msg = _one_line_error(*run_cli("--store", str(tmp_path), "stats", cwd=tmp_path))
    assert "directory" in msg


def test_demo_out_is_a_file(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    _one_line_error(*run_cli("demo", "--out", str(f), cwd=tmp_path))


def test_unknown_encoder_is_one_line(tmp_path):
    src, tgt = tmp_path / "a.txt", tmp_path / "b.txt"
    src.write_text("Привет.\n", encoding="utf-8")
    tgt.write_text("Hello.\n", encoding="utf-8")
    msg = _one_line_error(*run_cli("align", str(src), str(tgt), "--src-lang", "ru", "--tgt-lang", "en",
                                   "--encoder", "nope", cwd=tmp_path))
    assert "nope" in msg


def test_missing_input_file(tmp_path):
    _one_line_error(*run_cli("align", str(tmp_path / "missing.txt"), str(tmp_path / "x.txt"),
                             "--src-lang", "ru", "--tgt-lang", "en", cwd=tmp_path))


def test_stage_without_store_does_not_create_one(tmp_path):
    for cmd in (["build"], ["segment"], ["pair"], ["align"], ["flag"]):
        msg = _one_line_error(*run_cli(*cmd, cwd=tmp_path))
        assert "tasscorpus.sqlite does not exist" in msg, (cmd, msg)
        assert list(tmp_path.iterdir()) == [], cmd
    msg = _one_line_error(*run_cli("--store", str(tmp_path / "x" / "typo.sqlite"), "build", cwd=tmp_path))
    assert "does not exist" in msg and not (tmp_path / "x").exists()


def test_read_only_store_stats_export_report(tmp_path):
    from export_fixtures import make_store
    from test_store import read_only_media

    ro = tmp_path / "ro"
    ro.mkdir()
    make_store(ro / "s.sqlite", 2)
    before = (ro / "s.sqlite").read_bytes()
    with read_only_media(ro):
        code, out, err = run_cli("--store", str(ro / "s.sqlite"), "stats", "--json", cwd=tmp_path)
        assert code == 0, err
        import json

        assert json.loads(out)["aligned_pairs"] == 2
        code, out, err = run_cli("--store", str(ro / "s.sqlite"), "--quiet", "export", "--format", "jsonl",
                                 "--out", str(tmp_path / "o"), cwd=tmp_path)
        assert code == 0 and "12 beads" in out, err
        code, out, err = run_cli("--store", str(ro / "s.sqlite"), "--quiet", "report", "--out", str(tmp_path / "r"),
                                 cwd=tmp_path)
        assert code == 0 and (tmp_path / "r" / "index.html").is_file(), err
        # a stage that writes says so in one line
        msg = _one_line_error(*run_cli("--store", str(ro / "s.sqlite"), "segment", cwd=tmp_path))
        assert "s.sqlite" in msg and "read-only media" in msg
    assert (ro / "s.sqlite").read_bytes() == before
