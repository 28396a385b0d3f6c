"""Exports linguists use: Hugging Face datasets, Parquet, JSONL, TMX, Moses, TSV.

One row model for all (:mod:`corpus.export.rows`: one row per bead of each stored pair), a
name→writer registry whose formats are imported lazily (pyarrow/datasets/lxml only when asked for),
and atomic output (:mod:`corpus.export.atomic`: written into a staging folder and renamed into place,
so an interrupted export never leaves a file that looks complete).

Filters: ``min_score`` keeps beads whose alignment score is ≥ it; ``flags`` keeps beads carrying any
of the given flag types (``"none"``: only unflagged beads; ``"any"``: only flagged beads);
``split="train=0.9,test=0.1"`` assigns whole document pairs to splits by a hash of their URLs;
``include_null`` keeps/drops 1-0 and 0-1 beads (default: kept, except for TMX and Moses).
"""

from __future__ import annotations

import importlib
import json
from datetime import datetime, timezone
from pathlib import Path

from .rows import ExportError, Selection, parse_flags, parse_lang_pair, parse_split

# the built-in formats in the order the CLI lists them; any other registered format follows
BUILTIN_ORDER: tuple[str, ...] = ("hf", "parquet", "jsonl", "tmx", "moses", "tsv")

__all__ = ["WRITERS", "ExportError", "export", "get_writer", "writers"]


def writers() -> dict[str, type]:
    """Format name -> writer class: every ``Writer`` subclass of the modules of ``corpus.export`` (each module is
    imported once; the writers import their heavy libraries, pyarrow, datasets, lxml, only when they write)."""
    import pkgutil

    from .base import WRITER_CLASSES

    for m in pkgutil.iter_modules(__path__):
        if not m.name.startswith("_"):
            importlib.import_module(f"{__name__}.{m.name}")
    names = [n for n in BUILTIN_ORDER if n in WRITER_CLASSES] + [n for n in WRITER_CLASSES if n not in BUILTIN_ORDER]
    return {n: WRITER_CLASSES[n] for n in names}


def __getattr__(name: str):
    """``WRITERS``: format name -> "module:Class", from :func:`writers` on each access."""
    if name == "WRITERS":
        return {n: f"{c.__module__}:{c.__qualname__}" for n, c in writers().items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_writer(fmt: str):
    known = writers()
    try:
        return known[fmt]
    except KeyError:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(known)}") from None


def export(
    store, fmt: str, out, *, min_score: float | None = None, flags=None, split=None,
    include_null: bool | None = None, lang_pair=None, license: str = "other",
    push_to_hub: str | None = None, private: bool = False, quiet: bool = False, overwrite: bool = False,
) -> Path:
    """Write the store's aligned beads as ``fmt`` into the folder ``out``; return what a user loads:
    ``out/hf`` for ``hf`` (``datasets.load_from_disk``), the file (``out/corpus.jsonl``,
    ``corpus.parquet``, ``corpus.tmx``, ``corpus.tsv``, ``corpus.<src lang>`` for Moses) without a
    split, or ``out`` itself when there are several splits. ``out/export-info.<fmt>.json`` records
    the selection, counts, the files written and the run's reproducibility signature;
    ``out/export-info.<fmt>.md`` documents the format's fields (the ``hf`` card is ``README.md``).

    Files in ``out`` that no tasscorpus export wrote are never replaced or deleted: the export is
    refused, naming them, unless ``overwrite``. Nothing is created when no bead matches the filters.
    Raises :class:`ExportError`."""
    from ..progress import progress
    from .atomic import foreign_files, relative_files, staging
    from .rows import choose_lang_pair, iter_pair_data, make_row, split_of, store_info

    writer_cls = get_writer(fmt)
    if push_to_hub and fmt != "hf":
        raise ExportError("--push-to-hub needs --format hf")
    if min_score is not None:
        try:
            min_score = float(min_score)
        except (TypeError, ValueError):
            raise ExportError(f"bad minimum score {min_score!r}") from None
    sel = Selection(min_score=min_score, flags=parse_flags(flags), split=parse_split(split),
                    include_null=include_null, lang_pair=parse_lang_pair(lang_pair))
    from . import nway as _nway

    lay = None if sel.lang_pair else _nway.layout(store)  # a multi-edition store: one row per N-way row
    if lay is None:
        src_lang, tgt_lang = choose_lang_pair(store, sel.lang_pair)
    elif fmt not in _nway.WRITERS:
        raise ExportError(f"{fmt} holds two languages and this store has {len(lay.langs)}: give --lang-pair "
                          f"(e.g. {lay.langs[1]}-{lay.pivot_lang})")
    else:
        writer_cls, (src_lang, tgt_lang) = _nway.WRITERS[fmt], lay.langs[:2]
    keep_null = writer_cls.include_null_default if include_null is None else bool(include_null)
    stems = list(sel.split) if sel.split else [getattr(writer_cls, "default_stem", "corpus")]

    from .. import __version__

    info = {
        "tool": "tasscorpus", "version": __version__, "format": fmt,
        "exported_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        **({"languages": lay.langs, "pivot": lay.pivot_lang} if lay else {"language_pair": f"{src_lang}-{tgt_lang}"}),
        **store_info(store),
        "selection": {**sel.as_dict(), "include_null": keep_null},
    }
    counts = {s: {"rows": 0, "pairs": 0} for s in stems}
    out = Path(out)
    try:
        with staging(out) as tmp:
            kw = {"license": license, "quiet": quiet} if fmt == "hf" else {}
            if lay:
                kw["langs"] = lay.langs
            w = writer_cls(tmp, stems, src_lang=src_lang, tgt_lang=tgt_lang, info=info, **kw)
            try:
                pairs = [] if lay else store.pairs()
                if lay:
                    _export_nway_rows(store, lay, sel, keep_null, w, stems, counts)
                for pd in progress(iter_pair_data(store, pairs), desc=f"export {fmt}", total=len(pairs), quiet=quiet):
                    if (pd.src.lang, pd.tgt.lang) != (src_lang, tgt_lang):
                        continue
                    stem = split_of(pd.doc_id, sel.split) or stems[0]
                    n = 0
                    for i, (b, fl) in enumerate(zip(pd.beads, pd.flags)):
                        if sel.keeps(b, fl, keep_null):
                            w.write(stem, make_row(pd, i))
                            n += 1
                    if n:
                        counts[stem]["rows"] += n
                        counts[stem]["pairs"] += 1
                if not any(c["rows"] for c in counts.values()):
                    raise ExportError("no beads match the filters (nothing exported; previous files left as they were)")
                info["counts"] = counts
                rel = w.finish(info)
            except BaseException:
                w.abort()
                raise
            from .docs import format_readme

            (tmp / f"export-info.{fmt}.md").write_text(
                _nway.readme(fmt, lay, stems) if lay else
                format_readme(fmt, writer_cls, src_lang=src_lang, tgt_lang=tgt_lang, stems=stems), encoding="utf-8")
            info["files"] = relative_files(tmp) + [f"export-info.{fmt}.json"]
            (tmp / f"export-info.{fmt}.json").write_text(
                json.dumps(info, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            foreign = [] if overwrite else foreign_files(tmp, out)
            if foreign:
                shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
                raise ExportError(f"{out} holds files this export would replace that tasscorpus did not write "
                                  f"({shown}): choose another --out, move them away, or pass --overwrite")
    except OSError as e:
        raise ExportError(f"cannot write export to {out}: {e.strerror or e}") from None
    result = (out / rel) if rel != "." else out
    if push_to_hub:
        from .hf import push_to_hub as _push

        _push(out, push_to_hub, private=private)
    return result


def _export_nway_rows(store, lay, sel, keep_null: bool, w, stems: list[str], counts: dict) -> None:
    """Write the N-way rows that pass the selection (``flags``: any edition's flags; a row said by one language
    only is a null row). ``min_score`` is a bead score of one language pair: refused here."""
    from . import nway as _nway
    from .rows import split_of

    if sel.min_score is not None:
        raise ExportError("--min-score filters beads of one language pair: give --lang-pair with it")
    docs: dict[str, set] = {}
    for did, row in _nway.iter_rows(store, lay):
        if not keep_null and len(row["langs"]) < 2:
            continue
        if not sel.keeps_types({f["type"] for f in _nway.all_flags(row, lay)}):
            continue
        stem = split_of(did, sel.split) or stems[0]
        w.write(stem, row)
        counts[stem]["rows"] += 1
        docs.setdefault(stem, set()).add(did)
    for stem, ds in docs.items():
        counts[stem]["pairs"] = len(ds)

