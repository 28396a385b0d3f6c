"""A 2-node Ray cluster (``ray.cluster_utils.Cluster``, both nodes on this machine) loses a node in the
middle of a partitioned build: its worker is restarted on the other node, the unit it was running is
retried, and the output is the local executor's. Skipped when Ray is not installed."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from corpus.scale.executor import LocalExecutor, RayExecutor  # noqa: E402
from corpus.scale.run import ENV_UNIT_DELAY, build  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_scale import ENC, KW, _cfg, _shard_count  # noqa: E402
from test_scale_support import make_store  # noqa: E402


@pytest.fixture()
def cluster():
    from ray.cluster_utils import Cluster

    import align.encoders as E

    saved = E.token_model
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 2})
    extra = c.add_node(num_cpus=2)
    ray.init(address=c.address, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join([str(HERE.parent), str(HERE)])}})
    c.wait_for_nodes()
    yield c, extra
    ray.shutdown()
    c.shutdown()
    E.token_model = saved
    E._REGISTRY.pop(ENC, None)
    E._DESCRIPTIONS.pop(ENC, None)


def test_a_node_removed_mid_run_and_the_build_completes_with_the_same_output(tmp_path, cluster, monkeypatch):
    c, extra = cluster
    with make_store(tmp_path / "ref.sqlite") as st:
        build(st, tmp_path / "ref", LocalExecutor(), _cfg(), **KW)
        reference = st.snapshot()
    monkeypatch.setenv(ENV_UNIT_DELAY, "0.3")
    shards = tmp_path / "shards"
    got: dict = {}

    def run():
        try:
            with make_store(tmp_path / "s.sqlite") as st, RayExecutor(workers=2) as ex:  # one per node (SPREAD)
                got["rep"] = build(st, shards, ex, _cfg(), merge=False, **KW)
        except BaseException as e:  # reported by the assertion below
            got["error"] = e

    t = threading.Thread(target=run)
    t.start()
    deadline = time.time() + 180
    while _shard_count(shards) < 4 and time.time() < deadline and t.is_alive():
        time.sleep(0.05)
    assert _shard_count(shards) >= 4 and t.is_alive(), got
    nodes_before = {n["NodeID"] for n in ray.nodes() if n["Alive"]}
    c.remove_node(extra)
    t.join(timeout=400)
    assert not t.is_alive() and "error" not in got, got.get("error")
    rep = got["rep"]
    assert len({n["NodeID"] for n in ray.nodes() if n["Alive"]}) == len(nodes_before) - 1
    assert rep.done + rep.skipped == rep.total and _shard_count(shards) == rep.total
    assert len(rep.peak_rss_mb) >= 3  # the lost node's worker was replaced by a new process
    from corpus.scale.shards import merge
    from corpus.store import Store

    with Store(tmp_path / "s.sqlite") as st:
        merge(st, shards)
        assert st.snapshot() == reference
