"""The partitioned build (corpus.scale): plan, shards, resume, and the Ray executor giving the same
output as the local one for any number of workers, any partition order, a worker crash, and a killed
driver. Generated invented articles and a cheap fake encoder (tests/test_scale_support.py); the Ray
tests share one local Ray (2 CPUs) per module and skip when Ray is not installed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.scale.executor import LocalExecutor
from corpus.scale.plan import PlanError, make_plan
from corpus.scale.run import build
from corpus.scale.shards import done_ids
from corpus.scale.stages import CRASH_MARK, resolve_claims

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from test_scale_support import make_articles, make_store  # noqa: E402

SETUP = "test_scale_support:setup_worker"
ENC = "fake-bilingual"
def _cfg(**kw):
    from corpus.config import RunConfig

    return RunConfig(encoder=ENC, **kw)


KW = dict(setup=SETUP, quiet=True, buckets=4)


@pytest.fixture(scope="module", autouse=True)
def _hook():
    """The worker hook patches align.encoders (registers the fake encoder, drops the token model) in
    this process too when the local executor runs: undo it after the module."""
    import align.encoders as E

    saved = E.token_model
    yield
    E.token_model = saved
    E._REGISTRY.pop(ENC, None)
    E._DESCRIPTIONS.pop(ENC, None)


def _rows(store, out: Path) -> list[dict]:
    """The exported JSONL rows (what a user gets)."""
    from corpus.export import export

    path = export(store, "jsonl", out, quiet=True)
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def _local(tmp: Path, **kw):
    st = make_store(tmp / "s.sqlite", **kw)
    rep = build(st, tmp / "shards", LocalExecutor(), _cfg(), **KW)
    return st, rep


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The local executor's output on the generated corpus: (store snapshot, exported rows, report)."""
    tmp = tmp_path_factory.mktemp("ref")
    st, rep = _local(tmp)
    with st:
        return st.snapshot(), _rows(st, tmp / "jsonl"), rep


def test_local_build_pairs_aligns_and_flags(reference):
    snap, rows, rep = reference
    assert len(snap["pairs"]) == 12  # 4 renderings a day over 3 days
    assert rep.done == rep.total and rep.skipped == 0
    assert {r["src_url"] for r in rows} and any(r["flags"] for r in rows)
    types = {f["type"] for r in rows for f in r["flags"]}
    assert {"omission", "number_changed"} <= types  # the planted differences


def test_second_run_is_a_noop(tmp_path, reference):
    st, rep = _local(tmp_path)
    with st:
        before = st.snapshot()
        again = build(st, tmp_path / "shards", LocalExecutor(), _cfg(), **KW)
        assert again.done == 0 and again.skipped == again.total == rep.total
        assert st.snapshot() == before == reference[0]


def test_plan_is_written_once_and_a_changed_plan_refused(tmp_path):
    st, rep = _local(tmp_path)
    with st:
        plan = json.loads((tmp_path / "shards" / "plan.json").read_text())
        assert plan["hash"] == rep.plan_hash
        assert [p["id"] for p in plan["pair"]] == [f"tass-ru-2026-03-0{d}" for d in (1, 2, 3)]
        from corpus.records import Article

        st.upsert_article(Article("tass", "ru", "ru", "https://tass.ru/politika/9", "Новое", paragraphs=("Текст тут.",),
                                  published="2026-03-02T10:00:00+00:00"))
        with pytest.raises(PlanError, match="differs"):
            build(st, tmp_path / "shards", LocalExecutor(), _cfg(), **KW)
        with pytest.raises(PlanError, match="differs"):  # other settings: another plan too
            build(st, tmp_path / "shards", LocalExecutor(), _cfg(), **{**KW, "buckets": 8})


def test_pair_window_reads_neighbouring_days():
    arts = make_articles()
    plan = make_plan(arts, {"source": "tass", "src_edition": "ru", "tgt_edition": "en", "before_hours": 1.0,
                            "after_hours": 48.0}, buckets=4)
    by_day = {p["day"]: p["tgt_days"] for p in plan.pair}
    # English days overlapping [day − 1 h, day end + 48 h], ends included: the last rendering is published at
    # 2026-03-04 00:00, exactly where the window of 2026-03-01 ends
    assert by_day["2026-03-01"] == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]
    assert by_day["2026-03-03"] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert "2026-03-01" not in by_day["2026-03-03"]
    # competitors: the Russian days whose items' windows reach those English items (49 h either side)
    ctx = {p["day"]: p["src_days"] for p in plan.pair}
    assert ctx["2026-03-02"] == ["2026-03-01", "2026-03-02", "2026-03-03"]


def test_target_claimed_by_two_windows_goes_to_the_higher_score_then_smaller_url():
    ev = json.dumps({})
    rows = [
        {"src_url": "ru/b", "tgt_url": "en/1", "score": 0.9, "kind": "1-1", "evidence": ev},
        {"src_url": "ru/a", "tgt_url": "en/1", "score": 0.8, "kind": "1-1", "evidence": ev},
        {"src_url": "ru/d", "tgt_url": "en/2", "score": 0.7, "kind": "1-1", "evidence": ev},
        {"src_url": "ru/c", "tgt_url": "en/2", "score": 0.7, "kind": "1-1", "evidence": ev},
        {"src_url": "ru/e", "tgt_url": "en/1", "score": 0.6, "kind": "many-1", "evidence": json.dumps({"primary_src_url": "ru/a"})},
        {"src_url": "ru/f", "tgt_url": "en/1", "score": 0.6, "kind": "many-1", "evidence": json.dumps({"primary_src_url": "ru/b"})},
    ]
    got = [(r["src_url"], r["tgt_url"], r["kind"]) for r in resolve_claims(rows)]
    assert got == [("ru/b", "en/1", "1-1"), ("ru/f", "en/1", "many-1"), ("ru/c", "en/2", "1-1")]
    assert resolve_claims(list(reversed(rows))) == resolve_claims(rows)


def test_merge_and_export_from_shards_without_touching_the_store(tmp_path, reference):
    from corpus.scale.shards import export_from_shards, merge
    from corpus.store import Store

    st = make_store(tmp_path / "s.sqlite")
    build(st, tmp_path / "shards", LocalExecutor(), _cfg(), merge=False, **KW)
    assert st.counts()["sentences"] == 0  # nothing merged yet
    st.close()
    export_from_shards(tmp_path / "s.sqlite", tmp_path / "shards", "jsonl", tmp_path / "x", quiet=True)
    rows = [json.loads(x) for x in (tmp_path / "x" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == reference[1]
    with Store(tmp_path / "s.sqlite") as st:
        assert st.counts()["sentences"] == 0  # export read the shards only
        merge(st, tmp_path / "shards")
        assert st.snapshot() == reference[0]
        merge(st, tmp_path / "shards")  # an upsert: merging twice changes nothing
        assert st.snapshot() == reference[0]


def _shard_count(root: Path) -> int:
    n = sum(len(done_ids(root, s)) for s in ("segment", "embed", "pair", "align"))
    return n + (root / "pairs.parquet").exists()


def test_kill_9_of_the_driver_then_rerun_skips_finished_partitions(tmp_path, reference):
    """The CLI build (local executor) killed with SIGKILL mid-run; the rerun computes only the rest."""
    make_store(tmp_path / "s.sqlite").close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
           "TASSCORPUS_SCALE_UNIT_DELAY": "0.4", "TASSCORPUS_SCALE_SETUP": SETUP}
    shards = tmp_path / "shards"
    cmd = [sys.executable, "-m", "corpus.cli", "--quiet", "--store", str(tmp_path / "s.sqlite"), "build",
           "--executor", "local", "--encoder", ENC, "--shards", str(shards), "--buckets", "4"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while _shard_count(shards) < 5 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, proc.stderr.read().decode()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = _shard_count(shards)
    assert 5 <= finished < reference[2].total
    from corpus.store import Store

    with Store(tmp_path / "s.sqlite") as st:
        assert st.counts()["sentences"] == 0  # killed before the merge
        rep = build(st, shards, LocalExecutor(), _cfg(), **KW)
        assert rep.skipped == finished and rep.done == rep.total - finished
        assert st.snapshot() == reference[0]


def test_build_on_a_merged_store_has_nothing_to_redo(tmp_path, reference):
    """Merge writes the pipeline's own done-marks and signature: plain `build` afterwards recomputes nothing."""
    from corpus.pipeline import Runtime, run
    from test_scale_support import FakeEncoder

    st, _ = _local(tmp_path)
    with st:
        reps = run(st, _cfg(), rt=Runtime(quiet=True, encoder=FakeEncoder()))
        assert [(r.stage, r.done) for r in reps] == [("segment", 0), ("pair", 0), ("align", 0), ("flag", 0)]
        assert st.snapshot() == reference[0]
        assert st.get_meta("signature")["encoder"] == "fake-bilingual-1"


def test_cli_build_by_partition_merge_and_export_from_shards(tmp_path, reference, monkeypatch):
    from click.testing import CliRunner

    from corpus.cli import cli

    monkeypatch.setenv("TASSCORPUS_SCALE_SETUP", SETUP)
    make_store(tmp_path / "s.sqlite").close()
    r = CliRunner()
    base = ["--quiet", "--store", str(tmp_path / "s.sqlite")]
    res = r.invoke(cli, [*base, "build", "--executor", "local", "--encoder", ENC, "--buckets", "4"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "s.sqlite.shards" / "plan.json").exists()  # default shard folder: next to the store
    res = r.invoke(cli, [*base, "export", "--format", "jsonl", "--out", str(tmp_path / "x"),
                         "--from-shards", str(tmp_path / "s.sqlite.shards")])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in (tmp_path / "x" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == reference[1]
    res = r.invoke(cli, [*base, "merge", str(tmp_path / "s.sqlite.shards")])
    assert res.exit_code == 0 and res.output.startswith("merged sentences"), res.output
    # bad input: one line, non-zero exit, no traceback
    for args, msg in ((["merge", str(tmp_path)], "not a shard folder"),
                      (["build", "--executor", "spark"], "unknown executor"),
                      (["export", "--format", "jsonl", "--out", str(tmp_path / "y"), "--from-shards", str(tmp_path)],
                       "not a shard folder")):
        res = r.invoke(cli, [*base, *args])
        assert res.exit_code != 0 and msg in res.output and "Traceback" not in res.output, res.output


def test_ray_is_imported_only_when_asked_for(tmp_path, monkeypatch):
    code = ("import sys, corpus.cli, corpus.scale.run, corpus.scale.executor\n"
            "assert 'ray' not in sys.modules, 'ray imported'\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    # without Ray installed, --executor ray is a one-line error
    from click.testing import CliRunner

    from corpus.cli import cli

    monkeypatch.setitem(sys.modules, "ray", None)
    make_store(tmp_path / "s.sqlite").close()
    res = CliRunner().invoke(cli, ["--store", str(tmp_path / "s.sqlite"), "build", "--executor", "ray"])
    assert res.exit_code == 1 and "needs Ray: pip install 'tasscorpus[ray]'" in res.output, res.output


def test_embedding_a_partition_encodes_unique_uncached_sentences_sorted_by_length():
    import numpy as np

    from align.encoders import CachedEncoder, text_key
    from corpus.scale.stages import embed_rows
    from test_scale_support import FakeEncoder

    calls = []

    class Counting(FakeEncoder):
        def _encode(self, texts, lang):
            calls.append(list(texts))
            return super()._encode(texts, lang)

    enc = CachedEncoder(Counting(), None)
    enc.encode(["Кало мира."], "ru")  # already in the worker's cache
    calls.clear()
    texts = ["Длинное предложение тут.", "Кало мира.", "Два слова.", "Длинное предложение тут.", "Ну."]
    rows = embed_rows(texts, "ru", enc)
    assert calls == [["Ну.", "Два слова.", "Длинное предложение тут."]]
    assert sorted(r["key"] for r in rows) == sorted({text_key(t) for t in texts})  # the shard holds every one
    assert all(np.allclose(r["vec"], enc.encode([t], "ru")[0]) for t in texts for r in rows if r["key"] == text_key(t))
