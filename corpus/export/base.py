"""The writer interface: a writer streams rows into files inside a staging folder (see
:mod:`corpus.export.atomic`), one set of files per split, and never sees the final location."""

from __future__ import annotations

import re
from pathlib import Path

# XML 1.0 forbids these code points; we also keep them out of every text format so all formats carry
# the same text. Each is replaced by U+FFFD (one code point for one), so flag span offsets stay valid.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Line breaks of every kind, for line-oriented formats (Moses): flattened to one space.
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def clean_xml_text(s: str) -> str:
    """Replace XML-invalid control characters with U+FFFD (length-preserving)."""
    return _INVALID_XML.sub("\ufffd", s)


def one_line(s: str) -> str:
    """Flatten line breaks to single spaces (for one-segment-per-line formats)."""
    return _LINE_BREAKS.sub(" ", s)


WRITER_CLASSES: dict[str, type["Writer"]] = {}  # format name -> writer class, filled as writer modules are imported


class Writer:
    """Base class of an export format. A subclass that sets ``name`` registers itself as that format
    (:data:`WRITER_CLASSES`); ``description`` (one line), ``files_doc`` (what files it writes) and ``fields_doc`` (how
    the row fields appear in them) make its ``export-info`` README. ``splits`` are the file stems ("corpus" when there
    is no split)."""

    name: str = ""
    include_null_default: bool = True  # does the format keep 1-0 / 0-1 beads unless told otherwise?
    description: str = ""
    files_doc: str = ""
    fields_doc: str = ""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.__dict__.get("name"):
            WRITER_CLASSES[cls.name] = cls

    def __init__(self, folder: Path, splits: list[str], *, src_lang: str, tgt_lang: str, info: dict):
        self.folder = Path(folder)
        self.splits = splits
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self.info = info

    def write(self, split: str, row: dict) -> None:
        raise NotImplementedError

    def finish(self, info: dict) -> str:
        """Flush and close; return the name (relative to the output folder) of what a user loads."""
        raise NotImplementedError

    def abort(self) -> None:
        """Close open files after an error (the staging folder is removed by the caller)."""

    def main_name(self, ext: str) -> str:
        return f"{self.splits[0]}.{ext}" if len(self.splits) == 1 else "."
