"""The pipeline by partition: a fixed plan, one Parquet shard per finished partition, one code path for
an in-process run (:class:`~corpus.scale.executor.LocalExecutor`) and a Ray cluster
(:class:`~corpus.scale.executor.RayExecutor`, the ``[ray]`` extra, imported only when asked for).

``plan`` decides the partitions, ``stages`` holds the per-partition functions, ``shards`` writes, reads and
merges the shards, ``executor`` runs partitions and ``run`` drives a whole build.
"""
