"""Executors run the units of a stage (one partition each) and yield each unit's result as it finishes.

:class:`LocalExecutor` (the default) runs them one after the other in this process with one
:class:`~corpus.scale.stages.Worker`; :class:`RayExecutor` runs them on a Ray cluster in a pool of
actors, each a ``Worker`` that loads the encoder once. Both run the same ``Worker.run``: a unit
whose shard exists is skipped, a finished unit's shard is its done-mark. Ray is imported only by
:class:`RayExecutor`.
"""

from __future__ import annotations

from typing import Iterator

from .stages import Worker


class ExecutorError(Exception):
    """An executor that cannot start (Ray not installed, no cluster at the address)."""


class Executor:
    """Start with the workers' settings, ``map`` units (any order of results), ``close``."""

    name = "executor"
    workers = 1

    def start(self, settings: dict) -> None:
        raise NotImplementedError

    def map(self, units: list[dict]) -> Iterator[dict]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class LocalExecutor(Executor):
    """In process, one unit after another (no Ray)."""

    name = "local"

    def __init__(self):
        self._worker: Worker | None = None

    def start(self, settings: dict) -> None:
        if self._worker is None or self._worker.s != settings:
            self._worker = Worker(settings)

    def map(self, units: list[dict]) -> Iterator[dict]:
        for u in units:
            yield self._worker.run(u)


class RayExecutor(Executor):
    """A pool of ``workers`` Ray actors (default: one per CPU of the cluster, at most 8).

    ``address`` None starts a local Ray (``num_cpus=workers``, or ``num_cpus`` when given); an address
    (``ray:HOST:PORT`` on the command line, or ``auto``) joins that cluster. Ray already initialised in
    this process (a test's cluster) is used as it is. Actors are restarted when they or their node die,
    and the unit they were running is retried (``max_task_retries``); a unit whose shard got written
    before the death is skipped on retry."""

    name = "ray"

    def __init__(self, address: str | None = None, *, workers: int | None = None, num_cpus: int | None = None,
                 cpus_per_worker: float = 1.0, max_retries: int = 4):
        try:
            import ray  # noqa: F401
        except ImportError:
            raise ExecutorError("--executor ray needs Ray: pip install 'tasscorpus[ray]'") from None
        self.address = address
        self.workers = workers
        self.num_cpus = num_cpus
        self.cpus_per_worker = cpus_per_worker
        self.max_retries = max_retries
        self._actors: list = []
        self._settings: dict | None = None
        self._own = False

    def _init(self) -> None:
        import ray

        if ray.is_initialized():
            return
        kw = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False,
              "runtime_env": {"env_vars": {"PYTHONPATH": _code_path()}}}
        try:
            if self.address:
                ray.init(address=self.address, **kw)
            else:
                ray.init(num_cpus=self.num_cpus or self.workers or None, **kw)
        except Exception as e:  # ConnectionError, RuntimeError, ...: one line for the CLI
            raise ExecutorError(f"cannot start Ray ({self.address or 'local'}): {e}".splitlines()[0]) from None
        self._own = True

    def start(self, settings: dict) -> None:
        import ray

        if self._actors and self._settings == settings:
            return
        self._kill()
        self._init()
        n = self.workers or max(1, min(8, int(ray.cluster_resources().get("CPU", 1) // max(self.cpus_per_worker, 0.01))))
        # SPREAD: one encoder per node before two on one (a node lost takes fewer workers with it)
        remote = ray.remote(Worker).options(num_cpus=self.cpus_per_worker, max_restarts=-1,
                                            max_task_retries=self.max_retries, scheduling_strategy="SPREAD")
        self._actors = [remote.remote(settings) for _ in range(n)]
        self._settings = dict(settings)
        self.workers = n

    def map(self, units: list[dict]) -> Iterator[dict]:
        from ray.util import ActorPool

        pool = ActorPool(list(self._actors))
        yield from pool.map_unordered(lambda a, u: a.run.remote(u), units)

    def _kill(self) -> None:
        if not self._actors:
            return
        import ray

        for a in self._actors:
            try:
                ray.kill(a)
            except Exception:
                pass
        self._actors = []

    def close(self) -> None:
        self._kill()
        if self._own:
            import ray

            ray.shutdown()
            self._own = False


def get_executor(spec: str | None, *, workers: int | None = None) -> Executor:
    """``local`` (or None) → :class:`LocalExecutor`; ``ray`` → a local Ray; ``ray:ADDRESS`` → join a
    cluster (``ray:auto``, ``ray:10.0.0.5:6379``)."""
    if spec is None or spec == "local":
        return LocalExecutor()
    if spec == "ray":
        return RayExecutor(workers=workers)
    if spec.startswith("ray:") and spec[4:]:
        return RayExecutor(spec[4:], workers=workers)
    raise ExecutorError(f"unknown executor {spec!r}: use local, ray or ray:ADDRESS")


def _code_path() -> str:
    """PYTHONPATH for Ray workers: the folder this ``corpus`` package was imported from first, so the
    workers of a local Ray run the driver's code (a source checkout, not another installed copy)."""
    import os
    from pathlib import Path

    here = str(Path(__file__).resolve().parents[2])
    rest = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != here]
    return os.pathsep.join([here, *rest])
