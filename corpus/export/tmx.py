"""TMX 1.4b export, written incrementally with lxml (``etree.xmlfile``) so escaping is lxml's and
memory stays flat. Valid against the TMX 1.4 DTD: header (creationtool, creationtoolversion,
segtype="sentence", o-tmf, adminlang, srclang, datatype) with ``x-`` props carrying the run's
signature; one ``<tu tuid=ID>`` per bead with props (URLs, scores, bead type, flags as JSON) before
its two ``<tuv xml:lang=..><seg>``.

XML 1.0 cannot hold most C0 control characters: they are replaced by U+FFFD (length-preserving, so
the flag span offsets in ``x-flags`` still point at the right characters). Null beads (1-0, 0-1) are
left out by default: CAT tools read an empty ``<seg>`` as "untranslated".
"""

from __future__ import annotations

import json
from contextlib import ExitStack

from .base import Writer, clean_xml_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TmxWriter(Writer):
    name = "tmx"
    include_null_default = False
    description = "TMX 1.4b translation memory"
    files_doc = "`<split>.tmx` (TMX 1.4b)"
    fields_doc = (
        "one `<tu tuid=\"<id>\">` per bead with two `<tuv xml:lang><seg>` (`translation`) and props `x-doc-id, "
        "x-bead-idx, x-bead-type, x-score, x-pair-score, x-src-url, x-tgt-url, x-src-published, x-tgt-"
        "published, x-section` and, on flagged beads, `x-flag-types` and `x-flags` (JSON)"
    )

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        from lxml import etree

        from .. import __version__

        self.etree = etree
        self._stacks: dict[str, ExitStack] = {}
        self._xf = {}
        for s in self.splits:
            stack = ExitStack()
            xf = stack.enter_context(etree.xmlfile(str(self.folder / f"{s}.tmx"), encoding="utf-8"))
            xf.write_declaration()
            stack.enter_context(xf.element("tmx", version="1.4"))
            header = etree.Element("header", {
                "creationtool": "tasscorpus", "creationtoolversion": __version__, "segtype": "sentence",
                "o-tmf": "tasscorpus", "adminlang": "en", "srclang": self.src_lang, "datatype": "plaintext",
            })
            for k in ("signature", "date_range", "sources", "selection"):
                if self.info.get(k) is not None:
                    self._prop(header, f"x-{k.replace('_', '-')}", json.dumps(self.info[k], ensure_ascii=False,
                                                                             sort_keys=True))
            self._prop(header, "x-split", s)
            xf.write(header, pretty_print=True)
            stack.enter_context(xf.element("body"))
            self._stacks[s] = stack
            self._xf[s] = xf

    def _prop(self, parent, type_: str, text) -> None:
        p = self.etree.SubElement(parent, "prop", {"type": type_})
        p.text = clean_xml_text(str(text))

    def write(self, split, row):
        E = self.etree
        tu = E.Element("tu", {"tuid": row["id"]})
        for t, v in (
            ("x-doc-id", row["doc_id"]), ("x-bead-idx", row["bead_idx"]), ("x-bead-type", row["bead_type"]),
            ("x-score", f"{row['score']:.4f}"), ("x-pair-score", f"{row['pair_score']:.4f}"),
            ("x-src-url", row["src_url"]), ("x-tgt-url", row["tgt_url"]),
            ("x-src-published", row["src_published"]), ("x-tgt-published", row["tgt_published"]),
            ("x-section", row["src_section"]),
        ):
            self._prop(tu, t, v)
        if row["flags"]:
            self._prop(tu, "x-flag-types", ",".join(sorted({f["type"] for f in row["flags"]})))
            self._prop(tu, "x-flags", json.dumps(row["flags"], ensure_ascii=False))
        for lang in (self.src_lang, self.tgt_lang):
            tuv = E.SubElement(tu, "tuv", {XML_LANG: lang})
            E.SubElement(tuv, "seg").text = clean_xml_text(row["translation"][lang])
        self._xf[split].write(tu, pretty_print=True)

    def finish(self, info):
        for stack in self._stacks.values():
            stack.close()
        self._stacks = {}
        return self.main_name("tmx")

    def abort(self):
        # do not close the xmlfile contexts normally (that would write closing tags); the staging
        # folder with the half-written file is removed by the caller
        for xf in self._xf.values():
            try:
                xf.flush()
            except Exception:
                pass
        self._stacks = {}
