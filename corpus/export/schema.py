"""The row schema, defined once as Hugging Face ``Features`` (the Arrow schema for Parquet is derived
from it, so Parquet files carry the HF metadata and ``load_dataset("parquet")`` restores the
``Translation`` feature). ``datasets`` is imported lazily: only Parquet/HF exports need it."""

from __future__ import annotations


def hf_features(src_lang: str, tgt_lang: str):
    from datasets import Features, List, Translation, Value

    flag = {
        "type": Value("string"),
        "score": Value("float64"),
        "severity": Value("string"),
        "src_spans": List(List(Value("int32"))),
        "tgt_spans": List(List(Value("int32"))),
        "detail": Value("string"),  # JSON object as text: detectors put different keys here
    }
    return Features({
        "id": Value("string"),
        "doc_id": Value("string"),
        "pair_id": Value("int64"),
        "bead_idx": Value("int32"),
        "translation": Translation(languages=[src_lang, tgt_lang]),
        "src_lang": Value("string"),
        "tgt_lang": Value("string"),
        "src_idx": List(Value("int32")),
        "tgt_idx": List(Value("int32")),
        "bead_type": Value("string"),
        "score": Value("float64"),
        "pair_score": Value("float64"),
        "pair_kind": Value("string"),
        "src_url": Value("string"),
        "tgt_url": Value("string"),
        "src_title": Value("string"),
        "tgt_title": Value("string"),
        "src_published": Value("string"),
        "tgt_published": Value("string"),
        "src_section": Value("string"),
        "tgt_section": Value("string"),
        "source": Value("string"),
        "flags": List(flag),
    })


def arrow_schema(src_lang: str, tgt_lang: str):
    return hf_features(src_lang, tgt_lang).arrow_schema


FIELD_DOCS: dict[str, str] = {
    "id": "content-derived bead id (hash of both URLs, the bead's sentence indices and texts); stable across re-runs",
    "doc_id": "content-derived document-pair id (hash of both URLs); the split unit",
    "pair_id": "the store's pair id (valid only for the store the export came from)",
    "bead_idx": "0-based position of the bead in the pair's alignment",
    "translation": "{src_lang: source text, tgt_lang: target text}; a side's sentences joined with one space, '' for a null side",
    "src_lang / tgt_lang": "ISO 639-1 codes of the two sides (ru, en for TASS)",
    "src_idx / tgt_idx": "0-based sentence indices of each side in its article (title and lead included, as segmented)",
    "bead_type": "'1-1', '2-1', '1-0', ... (source sentences - target sentences); 1-0 / 0-1 are null beads",
    "score": "alignment confidence of the bead in [0, 1] (0.5 at the aligner's null threshold); for a null bead, "
             "the confidence that the sentence has no counterpart",
    "pair_score": "document pairing confidence in [0, 1] that the two articles tell the same story",
    "pair_kind": "'1-1', or 'many-1' (several source articles merged into one target article)",
    "src_url / tgt_url": "canonical article URLs (tass.ru, tass.com)",
    "src_title / tgt_title": "article headlines",
    "src_published / tgt_published": "publication time, ISO 8601 with the site's UTC offset",
    "src_section / tgt_section": "rubric slug from the URL (e.g. politics, ekonomika)",
    "source": "news agency (tass)",
    "flags": "wording differences, most important first: list of {type, score, severity, src_spans, tgt_spans, detail} "
             "(see Flags); spans are [start, end) character offsets into the side's text in `translation`; detail is a "
             "JSON object as a string",
}
