"""Atomic, non-destructive output.

Every export is written into a hidden staging folder inside the output folder and moved into place
(``os.replace``) only when complete, so an interrupted export never leaves a file that looks
finished, and a previous complete export stays intact until the new one is done. An export never
replaces or deletes a file it did not write: each export lists its files in
``export-info.<fmt>.json``, and an entry of the output folder that would be replaced is checked
against those lists first (:func:`foreign_files`; ``overwrite=True`` skips the check). An output
folder that the export had to create is removed again when the export fails (nothing matched, an
error, Ctrl-C)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

STAGING_PREFIX = ".tmp-export-"


def ensure_writable_dir(out: Path) -> list[Path]:
    """Create ``out`` (and parents) and prove we can create files in it; raise OSError otherwise.
    Returns the folders it created, deepest first (so a failed export can remove them again)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} exists and is not a folder")
    created = []
    p = out.absolute()
    while not p.exists():
        created.append(p)
        p = p.parent
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=STAGING_PREFIX, dir=out)
        os.close(fd)
        os.unlink(probe)
    except BaseException:
        _remove_empty(created)
        raise
    return created


def _remove_empty(folders: list[Path]) -> None:
    for d in folders:  # deepest first; a folder something else has put a file into stays
        try:
            d.rmdir()
        except OSError:
            break


def owned_files(out: Path) -> set[str]:
    """Paths (relative to ``out``, '/'-separated) that earlier tasscorpus exports wrote there, from
    the ``files`` lists of their ``export-info.*.json`` (the info files themselves included)."""
    owned: set[str] = set()
    for info in Path(out).glob("export-info.*.json"):
        try:
            d = json.loads(info.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(d, dict) or d.get("tool") != "tasscorpus":
            continue
        files = d.get("files")
        if not isinstance(files, list):  # written before exports listed their files
            files = _legacy_files(Path(out), d)
        owned.update(str(f) for f in files)
        owned.add(info.name)
    return owned


def _legacy_files(out: Path, info: dict) -> list[str]:
    """What an export that did not yet list its files wrote, from its format, split names and
    language pair (so re-running an export into an older export's folder still works). For ``hf``
    everything under ``hf/`` and ``data/`` counts as its own: those exports did not record more."""
    fmt = info.get("format")
    if not isinstance(fmt, str):
        return []
    stems = [str(s) for s in (info.get("counts") or {})]
    langs = str(info.get("language_pair", "")).split("-")
    if fmt == "hf":
        return [f"{top}/{f}" for top in ("hf", "data") if (out / top).is_dir() for f in relative_files(out / top)] + [
            "README.md", "LICENSE", "export-info.hf.md"]
    exts = {"jsonl": ["jsonl"], "tsv": ["tsv"], "tmx": ["tmx"], "parquet": ["parquet"], "moses": [*langs, "ids"]}
    return [f"{s}.{e}" for s in stems for e in exts.get(fmt, [])] + [f"export-info.{fmt}.md"]


def relative_files(folder: Path) -> list[str]:
    """Every file (and symlink) under ``folder``, as sorted '/'-separated relative paths."""
    folder = Path(folder)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def foreign_files(staged: Path, out: Path) -> list[str]:
    """Files in ``out`` that moving ``staged``'s entries into place would replace or delete but
    that no tasscorpus export wrote (relative paths, sorted)."""
    owned = owned_files(out)
    foreign: list[str] = []
    for entry in sorted(Path(staged).iterdir()):
        dst = Path(out) / entry.name
        if dst.is_dir() and not dst.is_symlink():
            foreign += [f"{entry.name}/{f}" for f in relative_files(dst) if f"{entry.name}/{f}" not in owned]
        elif (dst.exists() or dst.is_symlink()) and entry.name not in owned:
            foreign.append(entry.name)
    return foreign


def _replace(src: Path, dst: Path) -> None:
    """Move ``src`` over ``dst``. Files: one atomic rename. Folders cannot be renamed over a
    non-empty folder, so the old one is first renamed aside and removed after the swap."""
    if src.is_dir() and dst.exists():
        if dst.is_dir() and not dst.is_symlink():
            old = dst.with_name(f"{STAGING_PREFIX}old-{dst.name}-{os.getpid()}")
            os.replace(dst, old)
            os.replace(src, dst)
            shutil.rmtree(old, ignore_errors=True)
            return
        dst.unlink()
    elif dst.is_dir() and not dst.is_symlink():
        shutil.rmtree(dst)
    os.replace(src, dst)


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """Yield an empty staging folder inside ``out``; on success move each of its entries into
    ``out`` (each move is atomic on its own); on any error remove the staging folder (and ``out``
    itself when this call created it and it is still empty) and leave ``out`` as it was."""
    out = Path(out)
    created = ensure_writable_dir(out)
    tmp = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_empty(created)
        raise
    try:
        for entry in sorted(tmp.iterdir()):
            _replace(entry, out / entry.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
