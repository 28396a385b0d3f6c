"""The Ray executor gives the local executor's output: 2 workers (the export rows), 1 and 4 workers with
the partitions in shuffled order, and a worker killed mid-partition (retried, nothing lost or
duplicated). One local Ray with 2 CPUs for the module; skipped when Ray is not installed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from corpus.scale.executor import LocalExecutor, RayExecutor  # noqa: E402
from corpus.scale.run import ENV_CRASH_AFTER, build  # noqa: E402
from corpus.scale.stages import CRASH_MARK  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_scale import ENC, KW, _cfg, SETUP, _rows, _shard_count  # noqa: E402
from test_scale_support import make_store  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    import align.encoders as E

    saved = E.token_model
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join([str(HERE.parent), str(HERE)])}})
    yield
    ray.shutdown()
    E.token_model = saved
    E._REGISTRY.pop(ENC, None)
    E._DESCRIPTIONS.pop(ENC, None)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ref")
    st = make_store(tmp / "s.sqlite")
    with st:
        rep = build(st, tmp / "shards", LocalExecutor(), _cfg(), **KW)
        return st.snapshot(), _rows(st, tmp / "jsonl"), rep


def _ray_build(tmp: Path, workers: int, **kw):
    st = make_store(tmp / "s.sqlite")
    with RayExecutor(workers=workers, cpus_per_worker=0.5) as ex:
        rep = build(st, tmp / "shards", ex, _cfg(), **{**KW, **kw})
    return st, rep


def test_two_ray_workers_export_what_the_local_executor_exports(tmp_path, reference):
    st, rep = _ray_build(tmp_path, 2)
    with st:
        assert rep.done == rep.total and len(rep.peak_rss_mb) == 2  # two worker processes did the work
        assert _rows(st, tmp_path / "jsonl") == reference[1]
        assert st.snapshot() == reference[0]


@pytest.mark.parametrize("workers,seed", [(1, None), (4, 1), (2, 2)])
def test_any_number_of_workers_and_any_partition_order_give_the_same_output(tmp_path, reference, workers, seed):
    st, rep = _ray_build(tmp_path, workers, shuffle_seed=seed)
    with st:
        assert rep.done == rep.total
        assert st.snapshot() == reference[0]


def test_a_worker_dying_mid_partition_is_retried_with_nothing_lost_or_duplicated(tmp_path, reference, monkeypatch):
    monkeypatch.setenv(ENV_CRASH_AFTER, "3")  # the first worker to finish a 4th unit dies before writing it
    st, rep = _ray_build(tmp_path, 2)
    with st:
        assert (tmp_path / "shards" / CRASH_MARK).exists()  # the crash did happen
        assert rep.done == rep.total and _shard_count(tmp_path / "shards") == rep.total
        assert not list((tmp_path / "shards").rglob("*.tmp-*"))
        assert st.snapshot() == reference[0]
        assert len(rep.peak_rss_mb) >= 3  # the dead worker's replacement is a new process
