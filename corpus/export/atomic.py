"""Atomic output: every export is written into a hidden staging folder inside the output folder
and moved into place (``os.replace``) only when complete, so an interrupted export never leaves a
file that looks finished, and a previous complete export stays intact until the new one is done."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

STAGING_PREFIX = ".tmp-export-"


def ensure_writable_dir(out: Path) -> Path:
    """Create ``out`` (and parents) and prove we can create files in it; raise OSError otherwise."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=STAGING_PREFIX, dir=out)
    os.close(fd)
    os.unlink(probe)
    return out


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
    ``out`` (each move is atomic on its own); on any error remove the staging folder and leave
    ``out`` as it was."""
    out = ensure_writable_dir(Path(out))
    tmp = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        for entry in sorted(tmp.iterdir()):
            _replace(entry, out / entry.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
