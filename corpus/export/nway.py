"""N-way exports: one row per N-way row of a multi-edition store (``corpus.nway``), every edition at once.

A store whose N-way units span three or more languages is exported this way unless ``lang_pair`` picks one
(edition, pivot) pair (then the two-column exports apply unchanged). Row fields, per language ``L`` of the
store (ISO 639-1, pivot first): ``translation`` {L: text} (HF; ``""`` where the edition leaves the row out),
or one ``text_L`` column per edition (Parquet, JSONL); ``idx_L`` (sentence ids), ``url_L``, ``flags_L``
(that edition's flags against the pivot on this row, most important first; spans index into the bead's
texts); ``langs`` (languages that say the row), ``leaves_out`` (languages without a sentence where the pivot
has one), ``adds`` (languages with a sentence the pivot lacks). TMX: one ``<tu>`` per row, one ``<tuv>`` per
language that says it (rows said by one language only are left out unless ``include_null``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..records import content_hash, flag_sort_key
from .hf import HFWriter
from .parquet import ParquetWriter
from .rows import flag_row
from .text import JsonlWriter
from .tmx import XML_LANG, TmxWriter


@dataclass
class Layout:
    """What an N-way store holds: the pivot's language and every language (pivot first), edition of each."""

    pivot_lang: str
    langs: list[str]
    edition_of: dict[str, str]


def layout(store) -> Layout | None:
    """The store's N-way layout, or None when it has no N-way units over three or more languages."""
    units = store.nway_units()
    if not units:
        return None
    eds: dict[str, None] = {}
    pivot = units[0]["pivot_edition"]
    lang_of: dict[str, str] = {}
    for u in units:
        for e, aid in [(pivot, u["pivot_id"]), *u["articles"].items()]:
            eds.setdefault(e, None)
            lang_of.setdefault(e, store.article(aid).lang)
    sig = store.get_meta("signature") or {}
    order = [e for e in str(sig.get("editions", "")).split(",") if e in eds] if isinstance(sig, dict) else []
    order = [pivot] + [e for e in (order or eds) if e != pivot] + [e for e in eds if e not in order and e != pivot]
    langs = [lang_of[e] for e in order]
    if len(set(langs)) < 3:
        return None
    return Layout(lang_of[pivot], langs, {lang_of[e]: e for e in order})


def iter_rows(store, lay: Layout):
    """(doc_id, row dict) for every N-way row, pivot articles in store order, rows in pivot order."""
    from ..nway import row_flags, units

    for u in units(store):
        pivot = u["pivot_edition"]
        arts = {pivot: store.article(u["pivot_id"]), **{e: store.article(a) for e, a in u["articles"].items()}}
        sents = {e: [s.text for s in store.sentences(a.id)] for e, a in arts.items()}
        pids = {e: store.pair_id(a, u["pivot_id"]) for e, a in u["articles"].items()}
        beads = {e: store.beads(p) for e, p in pids.items() if p is not None}
        flags = {e: store.flags(p) for e, p in pids.items() if p is not None}
        did = content_hash(arts[pivot].url)  # the pivot article: the split unit
        for ri, r in enumerate(u["rows"]):
            rf = row_flags(r, flags, beads, pivot)
            row: dict = {"id": "", "doc_id": did, "row_idx": ri, "pivot_lang": lay.pivot_lang}
            texts = {}
            for lang in lay.langs:
                e = lay.edition_of[lang]
                cell = r.cells.get(e, ())
                texts[lang] = " ".join(sents[e][i] for i in cell) if e in arts else ""
                row[f"idx_{lang}"] = list(cell)
                row[f"url_{lang}"] = arts[e].url if e in arts else ""
                row[f"flags_{lang}"] = [flag_row(f) for f in sorted(rf.get(e, []), key=flag_sort_key)]
            row["translation"] = texts
            row["id"] = content_hash(did, str(ri), *(f"{k}:{v}" for k, v in texts.items()))
            row["langs"] = [lang for lang in lay.langs if r.cells.get(lay.edition_of[lang])]
            has_pivot = bool(r.cells.get(pivot))
            row["leaves_out"] = [lang for lang in lay.langs[1:] if lay.edition_of[lang] in arts and has_pivot
                                 and not r.cells.get(lay.edition_of[lang])]
            row["adds"] = [lang for lang in lay.langs[1:] if not has_pivot and r.cells.get(lay.edition_of[lang])]
            row["source"] = arts[pivot].source
            yield did, row


def all_flags(row: dict, lay: Layout) -> list[dict]:
    return [f for lang in lay.langs for f in row[f"flags_{lang}"]]


def nway_features(langs: list[str], *, flat: bool):
    from datasets import Features, List, Translation, Value

    flag = {"type": Value("string"), "score": Value("float64"), "severity": Value("string"),
            "src_spans": List(List(Value("int32"))), "tgt_spans": List(List(Value("int32"))), "detail": Value("string")}
    f: dict = {"id": Value("string"), "doc_id": Value("string"), "row_idx": Value("int32"), "pivot_lang": Value("string")}
    if flat:
        f.update({f"text_{lang}": Value("string") for lang in langs})
    else:
        f["translation"] = Translation(languages=langs)
    for lang in langs:
        f[f"idx_{lang}"] = List(Value("int32"))
        f[f"url_{lang}"] = Value("string")
        f[f"flags_{lang}"] = List(flag)
    f.update({"langs": List(Value("string")), "leaves_out": List(Value("string")), "adds": List(Value("string")),
              "source": Value("string")})
    return Features(f)


def _flat(row: dict) -> dict:
    out = {k: v for k, v in row.items() if k != "translation"}
    for lang, text in row["translation"].items():
        out[f"text_{lang}"] = text
    order = ["id", "doc_id", "row_idx", "pivot_lang", *(f"text_{x}" for x in row["translation"])]
    return {k: out[k] for k in order} | {k: v for k, v in out.items() if k not in order}


class _Langs:
    def __init__(self, *a, langs: list[str], **kw):
        self.langs = langs
        super().__init__(*a, **kw)


class NwayJsonlWriter(_Langs, JsonlWriter):
    description = "JSON Lines, one N-way row per line (one text column per edition)"

    def write(self, split, row):
        super().write(split, _flat(row))


class NwayParquetWriter(_Langs, ParquetWriter):
    description = "Apache Parquet, one N-way row per record (one text column per edition)"

    def features(self):
        return nway_features(self.langs, flat=True)

    def write(self, split, row):
        super().write(split, _flat(row))


class NwayHFWriter(_Langs, HFWriter):
    description = "Hugging Face datasets, one N-way row per record (translation holds every edition)"

    def features(self):
        return nway_features(self.langs, flat=False)

    def finish(self, info):
        rel = super().finish(info)
        lic = self.folder / "LICENSE"
        agencies = sorted({x.split("/")[0] for x in info.get("sources", [])}) or ["the agency"]
        lic.write_text(lic.read_text(encoding="utf-8").replace(
            "news articles of the TASS agency (tass.ru, tass.com)", f"news articles of {', '.join(agencies)}", 1),
            encoding="utf-8")
        return rel

    def card(self, info, splits):
        from .hf import dataset_card

        text = dataset_card(info, src_lang=self.langs[0], tgt_lang=self.langs[1], splits=splits,
                            license=self.license, all_splits=self.splits)
        langs_yaml = "language:\n" + "".join(f"- {x}\n" for x in self.langs)
        text = text.replace(f"language:\n- {self.langs[0]}\n- {self.langs[1]}\n", langs_yaml, 1)
        title = f"# tasscorpus {self.langs[0]}–{self.langs[1]}"
        agencies = sorted({x.split("/")[0] for x in info.get("sources", [])}) or ["the agency"]
        text = text.replace(f"pretty_name: tasscorpus {self.langs[0]}-{self.langs[1]} sentence-aligned news",
                            f"pretty_name: tasscorpus {'-'.join(self.langs)} N-way sentence-aligned news", 1)
        text = text.replace("news from two editions of the same agency", f"news from {len(self.langs)} editions of the same agency", 1)
        text = text.replace("news articles of the TASS agency (tass.ru, tass.com)", f"news articles of {', '.join(agencies)}", 1)
        return text.replace(title, f"# tasscorpus {', '.join(self.langs)} (N-way, pivot {self.langs[0]})", 1).replace(
            "One row per alignment bead.", "One row per N-way row: " + __doc__.split("\n\n", 1)[1].replace("\n", " ").strip(), 1)


class NwayTmxWriter(_Langs, TmxWriter):
    description = "TMX 1.4b, one <tu> per N-way row with one <tuv> per language"

    def write(self, split, row):
        E = self.etree
        tu = E.Element("tu", {"tuid": row["id"]})
        self._prop(tu, "x-doc-id", row["doc_id"])
        self._prop(tu, "x-row-idx", row["row_idx"])
        for lang in self.langs:
            if row[f"url_{lang}"]:
                self._prop(tu, f"x-url-{lang}", row[f"url_{lang}"])
        for lang in self.langs:
            if row[f"flags_{lang}"]:
                self._prop(tu, f"x-flags-{lang}", json.dumps(row[f"flags_{lang}"], ensure_ascii=False))
        if row["leaves_out"]:
            self._prop(tu, "x-leaves-out", ",".join(row["leaves_out"]))
        for lang in self.langs:
            text = row["translation"][lang]
            if text:
                tuv = E.SubElement(tu, "tuv", {XML_LANG: lang})
                from .base import clean_xml_text

                E.SubElement(tuv, "seg").text = clean_xml_text(text)
        self._xf[split].write(tu, pretty_print=True)


WRITERS = {"jsonl": NwayJsonlWriter, "parquet": NwayParquetWriter, "hf": NwayHFWriter, "tmx": NwayTmxWriter}


def readme(fmt: str, lay: Layout, stems: list[str]) -> str:
    return "\n".join([
        f"# tasscorpus export: {fmt} (N-way: {', '.join(lay.langs)}; pivot {lay.pivot_lang})", "",
        __doc__.strip(), "",
        "Editions: " + ", ".join(f"{lang} = {lay.edition_of[lang]}" for lang in lay.langs), "",
        "Files: " + ", ".join(stems), "",
    ])
