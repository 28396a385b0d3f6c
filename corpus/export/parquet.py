"""Parquet export (pyarrow), streamed in row groups so memory stays flat on a large store. The schema
is the HF features' Arrow schema (:mod:`corpus.export.schema`), so ``datasets.load_dataset("parquet",
data_files=...)`` gets the ``Translation`` feature back."""

from __future__ import annotations

from pathlib import Path

from .base import Writer

BATCH = 2000


class ParquetWriter(Writer):
    """``<split>.parquet`` (or the paths given by :meth:`paths` in subclasses)."""

    name = "parquet"
    description = "Apache Parquet, one row per bead (HF features in the schema metadata)"
    files_doc = "`<split>.parquet` (zstd; the HF features in the schema metadata)"
    fields_doc = "every field below, as Arrow columns; `flags[].detail` is a JSON string"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        import pyarrow.parquet as pq

        self.schema = self.features().arrow_schema
        self._buf: dict[str, list[dict]] = {s: [] for s in self.splits}
        self._writers = {}
        for s in self.splits:
            p = self.path(s)
            p.parent.mkdir(parents=True, exist_ok=True)
            self._writers[s] = pq.ParquetWriter(p, self.schema, compression="zstd")

    def features(self):
        """The rows' HF ``Features`` (the Arrow schema derives from them)."""
        from .schema import hf_features

        return hf_features(self.src_lang, self.tgt_lang)

    def path(self, split: str) -> Path:
        return self.folder / f"{split}.parquet"

    def _flush(self, split: str) -> None:
        import pyarrow as pa

        rows = self._buf[split]
        if rows:
            self._writers[split].write_table(pa.Table.from_pylist(rows, schema=self.schema))
            rows.clear()

    def write(self, split, row):
        self._buf[split].append(row)
        if len(self._buf[split]) >= BATCH:
            self._flush(split)

    def _close(self) -> None:
        for s in self.splits:
            self._flush(s)
            self._writers[s].close()

    def finish(self, info):
        self._close()
        return self.main_name("parquet")

    def abort(self):
        for w in self._writers.values():
            try:
                w.close()
            except Exception:
                pass
