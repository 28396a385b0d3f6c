"""Hugging Face datasets export: a hub-ready folder.

Layout of the output folder::

    README.md                          dataset card (YAML metadata + docs + reproducibility signature)
    LICENSE                            the licence note (TASS content is copyrighted; set your licence)
    data/<split>-00000-of-00001.parquet  the rows (the card's ``configs`` point here)
    hf/                                ``DatasetDict.save_to_disk`` → ``datasets.load_from_disk("<out>/hf")``

So ``load_from_disk(OUT/"hf")`` and ``load_dataset(str(OUT))`` (parquet via the card) both work, and
``--push-to-hub`` uploads with ``DatasetDict.push_to_hub`` (same ``data/<split>-*`` file names) and
then replaces the hub's auto-generated card with ours.
"""

from __future__ import annotations

import json
from pathlib import Path

from .parquet import ParquetWriter
from .rows import ExportError

HF_DIR = "hf"

LICENSE_NOTE = (
    "The texts are news articles of the TASS agency (tass.ru, tass.com) and are protected by copyright. "
    "This card's `license: other` is a placeholder: whoever builds or shares this dataset must set the licence "
    "that applies to their use and is responsible for having the right to use and redistribute the content."
)


def size_category(n: int) -> str:
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]
    for b, name in bounds:
        if n < b:
            return name
    return "1B<n<10B"


def dataset_card(info: dict, *, src_lang: str, tgt_lang: str, splits: list[str], license: str = "other",
                 all_splits: list[str] | None = None) -> str:
    """README.md with YAML metadata for the Hub, field docs, licence note and the signature.
    ``splits`` are the splits with data (the card's ``configs``); ``all_splits`` those asked for."""
    import yaml

    from .docs import field_section, flag_section

    counts = info.get("counts", {})
    total = sum(c.get("rows", 0) for c in counts.values())
    meta = {
        "language": [src_lang, tgt_lang],
        "license": license,
        "multilinguality": "translation",
        "task_categories": ["translation"],
        "size_categories": [size_category(total)],
        "pretty_name": f"tasscorpus {src_lang}-{tgt_lang} sentence-aligned news",
        "tags": ["parallel-corpus", "sentence-alignment", "news", "translation-differences"],
        "configs": [{
            "config_name": "default",
            "data_files": [{"split": s, "path": f"data/{s}-*"} for s in splits],
        }],
    }
    if license == "other":
        meta["license_name"] = "tass-content-copyrighted"
        meta["license_link"] = "LICENSE"
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    lines = [
        "---", front.rstrip(), "---", "",
        f"# tasscorpus {src_lang}–{tgt_lang}", "",
        "Sentence-aligned parallel news from two editions of the same agency, built by "
        "tasscorpus (fetch → segment → pair articles → align sentences → flag wording "
        "differences). One row per alignment bead.", "",
        "## Licence", "", LICENSE_NOTE, "",
        "## Load", "",
        "```python",
        "from datasets import load_from_disk, load_dataset",
        'ds = load_from_disk("<this folder>/hf")        # as saved',
        'ds = load_dataset("<this folder or hub repo>")  # parquet files under data/',
        "```", "",
        "## Splits", "",
        "| split | rows | document pairs |", "|---|---:|---:|",
        *[f"| {s} | {counts.get(s, {}).get('rows', 0)} | {counts.get(s, {}).get('pairs', 0)} |" for s in (all_splits or splits)],
        "",
        "Splits are assigned per document pair (hash of both URLs), so a document never straddles splits; "
        "a split that received no rows is left out of the dataset.", "",
        *field_section(),
        *flag_section(),
        "## Text", "",
        "Text is exactly as segmented (no normalisation) in this dataset, the Parquet and JSONL exports; the TMX, TSV "
        "and Moses exports replace XML-invalid control characters (C0 except tab/LF/CR, U+FFFE/U+FFFF) with U+FFFD, "
        "one for one, so flag span offsets stay valid.", "",
        "## Selection", "",
        "```json", json.dumps(info.get("selection", {}), ensure_ascii=False, indent=2), "```", "",
        "## Reproducibility", "",
        f"Publication dates: {(info.get('date_range') or ['?', '?'])[0]} … {(info.get('date_range') or ['?', '?'])[1]}; "
        f"sources: {', '.join(info.get('sources', [])) or '?'}.", "",
        "```json", json.dumps({k: v for k, v in info.items() if k != "selection"}, ensure_ascii=False, indent=2,
                              sort_keys=True), "```", "",
    ]
    if "signature" not in info:
        lines += ["(The store held no run signature: it was built before signatures were recorded or by hand.)", ""]
    return "\n".join(lines)


class HFWriter(ParquetWriter):
    name = "hf"
    default_stem = "train"
    description = "Hugging Face datasets (save_to_disk + parquet + dataset card)"
    files_doc = (
        "`hf/` (`datasets.load_from_disk`), `data/<split>-00000-of-00001.parquet`, `README.md` (dataset "
        "card), `LICENSE`"
    )
    fields_doc = "every field below, as HF features; `flags[].detail` is a JSON string"

    def __init__(self, *a, license: str = "other", quiet: bool = False, **kw):
        self.license = license
        self.quiet = quiet
        super().__init__(*a, **kw)

    def path(self, split: str) -> Path:
        return self.folder / "data" / f"{split}-00000-of-00001.parquet"

    def finish(self, info):
        import pyarrow.parquet as pq
        from datasets import Dataset, DatasetDict, DatasetInfo, NamedSplit
        from datasets.table import InMemoryTable

        self._close()
        features = self.features()
        # a split that received no document (small corpus, small fraction) is left out: datasets
        # cannot load_from_disk a zero-row split; the card's split table still lists it with 0 rows
        counts = info.get("counts", {})
        splits = [s for s in self.splits if counts.get(s, {}).get("rows", 1)]
        for s in self.splits:
            if s not in splits:
                self.path(s).unlink()
        dd = DatasetDict({
            s: Dataset(InMemoryTable(pq.read_table(self.path(s))), info=DatasetInfo(features=features.copy()),
                       split=NamedSplit(s))
            for s in splits
        })
        import datasets

        bars = datasets.is_progress_bar_enabled()
        if self.quiet:
            datasets.disable_progress_bars()
        try:
            dd.save_to_disk(str(self.folder / HF_DIR))
        finally:
            if bars:
                datasets.enable_progress_bars()
        (self.folder / "LICENSE").write_text(LICENSE_NOTE + "\n", encoding="utf-8")
        card = self.card(info, splits)
        (self.folder / "README.md").write_text(card, encoding="utf-8")
        return HF_DIR

    def card(self, info: dict, splits: list[str]) -> str:
        return dataset_card(info, src_lang=self.src_lang, tgt_lang=self.tgt_lang, splits=splits,
                            license=self.license, all_splits=self.splits)


def push_to_hub(folder: Path, repo: str, *, private: bool = False, token: str | None = None) -> None:
    """Upload an HF export: ``DatasetDict.push_to_hub`` for the data, then our card as README.md."""
    from datasets import load_from_disk

    folder = Path(folder)
    try:
        dd = load_from_disk(str(folder / HF_DIR))
        dd.push_to_hub(repo, private=private, token=token, commit_message="tasscorpus export")
        card = folder / "README.md"
        if card.exists():
            from huggingface_hub import HfApi

            HfApi(token=token).upload_file(path_or_fileobj=str(card), path_in_repo="README.md", repo_id=repo,
                                           repo_type="dataset", commit_message="tasscorpus dataset card")
    except Exception as e:  # network, auth, bad repo id: one line
        msg = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ExportError(f"push to hub {repo} failed: {type(e).__name__}: {msg}") from None
