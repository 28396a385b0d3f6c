"""Plain-text exports: JSONL (one row per line), Moses (two aligned files, one bead per line) and
TSV (header + one bead per line, backslash escapes)."""

from __future__ import annotations

import json

from .base import Writer, clean_xml_text, one_line


class JsonlWriter(Writer):
    """``<split>.jsonl``: one row (the full row model) per line, UTF-8, ``ensure_ascii=False``;
    text is exact (control characters are JSON-escaped, not replaced)."""

    name = "jsonl"
    description = "JSON Lines, one row per bead"
    files_doc = "`<split>.jsonl`, one row per line (UTF-8)"
    fields_doc = "every field below, as JSON; `flags[].detail` is a JSON string"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self._files = {s: open(self.folder / f"{s}.jsonl", "w", encoding="utf-8", newline="\n") for s in self.splits}

    def write(self, split, row):
        # lossless: JSON escapes control characters itself
        self._files[split].write(json.dumps(row, ensure_ascii=False) + "\n")

    def finish(self, info):
        self.abort()
        return self.main_name("jsonl")

    def abort(self):
        for f in self._files.values():
            f.close()


class MosesWriter(Writer):
    """``<split>.<src_lang>`` and ``<split>.<tgt_lang>``: line n of one is the translation of line n
    of the other. Line breaks inside a text are flattened to a space. ``<split>.ids`` (TSV: id,
    doc_id, bead_idx, src_url, tgt_url) traces each line back to its bead. Null beads are left out by
    default (an empty line breaks most Moses tools)."""

    name = "moses"
    include_null_default = False
    description = "Moses plain text, two line-aligned files"
    files_doc = (
        "`<split>.<src_lang>`, `<split>.<tgt_lang>` (line n of one translates line n of the other), "
        "`<split>.ids`"
    )
    fields_doc = (
        "the two texts of `translation`, line breaks flattened to a space; `<split>.ids` is TSV with `id, "
        "doc_id, bead_idx, src_url, tgt_url` per line (no header). Flags are not carried: use another format"
    )

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self._files = {}
        for s in self.splits:
            self._files[s] = tuple(
                open(self.folder / f"{s}.{ext}", "w", encoding="utf-8", newline="\n")
                for ext in (self.src_lang, self.tgt_lang, "ids")
            )

    def write(self, split, row):
        fs, ft, fi = self._files[split]
        fs.write(clean_xml_text(one_line(row["translation"][self.src_lang])).strip() + "\n")
        ft.write(clean_xml_text(one_line(row["translation"][self.tgt_lang])).strip() + "\n")
        fi.write("\t".join(tsv_escape(str(row[k])) for k in ("id", "doc_id", "bead_idx", "src_url", "tgt_url")) + "\n")

    def finish(self, info):
        self.abort()
        return f"{self.splits[0]}.{self.src_lang}" if len(self.splits) == 1 else "."

    def abort(self):
        for fs in self._files.values():
            for f in fs:
                f.close()


_TSV_ESC = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_escape(s: str) -> str:
    """Backslash escapes (as PostgreSQL's COPY text format): ``\\`` → ``\\\\``, tab → ``\\t``,
    LF → ``\\n``, CR → ``\\r``. No quoting: read with ``quoting=csv.QUOTE_NONE`` and unescape."""
    return s.translate(_TSV_ESC)


def tsv_unescape(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append({"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class TsvWriter(Writer):
    """``<split>.tsv`` with a header row. Columns: id, doc_id, bead_idx, bead_type, score,
    pair_score, <src_lang>, <tgt_lang>, src_url, tgt_url, src_title, tgt_title, src_published,
    tgt_published, section, flag_types (comma-separated), flags (JSON). Every field is
    backslash-escaped (see :func:`tsv_escape`)."""

    name = "tsv"
    description = "tab-separated values with a header, backslash-escaped"
    files_doc = "`<split>.tsv`: a header line naming the columns, then one bead per line"
    fields_doc = (
        "columns `id, doc_id, bead_idx, bead_type, score, pair_score, <src_lang>, <tgt_lang>, src_url, "
        "tgt_url, src_title, tgt_title, src_published, tgt_published, section, flag_types, flags`: "
        "`<src_lang>`/`<tgt_lang>` are `translation`'s two texts, `section` is `src_section`, `flag_types` "
        "the distinct flag types (comma-separated), `flags` the flag list as JSON. Every field is backslash-"
        "escaped (`\\\\`, `\\t`, `\\n`, `\\r`), nothing is quoted: read with `csv.QUOTE_NONE`, then unescape"
    )

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.columns = ["id", "doc_id", "bead_idx", "bead_type", "score", "pair_score", self.src_lang, self.tgt_lang,
                        "src_url", "tgt_url", "src_title", "tgt_title", "src_published", "tgt_published", "section",
                        "flag_types", "flags"]
        self._files = {}
        for s in self.splits:
            f = open(self.folder / f"{s}.tsv", "w", encoding="utf-8", newline="\n")
            f.write("\t".join(self.columns) + "\n")
            self._files[s] = f

    def write(self, split, row):
        vals = {
            **{k: row[k] for k in ("id", "doc_id", "bead_idx", "bead_type", "src_url", "tgt_url", "src_title",
                                   "tgt_title", "src_published", "tgt_published")},
            "score": f"{row['score']:.4f}",
            "pair_score": f"{row['pair_score']:.4f}",
            self.src_lang: row["translation"][self.src_lang],
            self.tgt_lang: row["translation"][self.tgt_lang],
            "section": row["src_section"],
            "flag_types": ",".join(sorted({f["type"] for f in row["flags"]})),
            "flags": json.dumps(row["flags"], ensure_ascii=False),
        }
        self._files[split].write("\t".join(tsv_escape(clean_xml_text(str(vals[c]))) for c in self.columns) + "\n")

    def finish(self, info):
        self.abort()
        return self.main_name("tsv")

    def abort(self):
        for f in self._files.values():
            f.close()
