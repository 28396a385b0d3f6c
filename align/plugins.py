"""Plug-in discovery shared by every registry: import a package's plug-in modules once, so each registers itself.

Detectors (``align.flags``), encoders (``align/*_encoder.py``) and sources (``corpus.fetch``) are one file each; their
registries call :func:`import_plugins` on first use instead of listing the files.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

_done: set[str] = set()


def import_plugins(package: str, accept: Callable[[str], bool] = lambda name: not name.startswith("_")) -> None:
    """Import every submodule of ``package`` whose name ``accept`` takes (by default the non-private ones), once per
    package; marked done before importing, so a plug-in that reaches its registry while loading does not recurse."""
    if package in _done:
        return
    _done.add(package)
    pkg = importlib.import_module(package)
    for m in pkgutil.iter_modules(pkg.__path__):
        if accept(m.name):
            importlib.import_module(f"{package}.{m.name}")
