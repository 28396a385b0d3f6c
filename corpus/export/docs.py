"""Field documentation shipped with every export: the HF dataset card's sections and the
``export-info.<fmt>.md`` README written next to every other format's files.

One source for all formats, so they cannot drift apart: the row fields (:data:`FIELD_DOCS` of
:mod:`corpus.export.schema`), the flag types (each with the meaning and severity its detector declares,
``align.flags.registry``), the severity levels and score ranges (the team's contracts), and the ``detail``
keys each detector of ``align/flags`` writes.
"""

from __future__ import annotations

from align.flags.registry import detector_order, flag_type

from ..records import SEVERITIES, flag_types


def flag_type_docs() -> dict[str, tuple[str, str]]:
    """Flag type → (severity under the contract, what it means), as each type's detector declares it
    (``align.flags.registry.FlagType``: ``severity``, ``description``), for every registered type."""
    return {t: (flag_type(t).severity_text(), flag_type(t).description) for t in flag_types()}


def __getattr__(name: str):
    """``FLAG_TYPE_DOCS`` (:func:`flag_type_docs`) and ``DETAIL_KEYS`` (:func:`detail_keys`), computed on access."""
    if name == "FLAG_TYPE_DOCS":
        return flag_type_docs()
    if name == "DETAIL_KEYS":
        return detail_keys()
    if name == "FORMAT_DOCS":  # format -> (files, how the row fields appear in them), as each writer declares them
        from . import writers

        return {n: (c.files_doc, c.fields_doc) for n, c in writers().items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SEVERITY_DOCS: dict[str, str] = {
    "critical": "a changed number, date or name, flipped polarity (negation_or_polarity), or an unrelated bead",
    "major": "a dropped or added fact (omission / addition), a meaning_shift, an intensity_or_modality_shift, "
             "a framing_shift (loaded term swapped)",
    "minor": "a dropped or moved attribution tag, and any difference the detectors are unsure of but still report",
}

# detail keys the built-in detectors of align/flags/*.py write, after ``detector``: (key, flag types, meaning)
_DETAIL_KEYS: tuple[tuple[str, str, str], ...] = (
    ("threshold", "all", "the detector's decision threshold, on its raw score"),
    ("raw_score", "all", "the detector's own score, on its own scale (`score` is the [0, 1] confidence)"),
    ("src, tgt", "number/date/name_changed", "the differing expression on each side as written (null: absent on that side)"),
    ("src_value, tgt_value", "number_changed", "the numbers' values"),
    ("src_date, tgt_date", "date_changed", "the dates, normalised"),
    ("src_key, tgt_key, similarity, kind", "name_changed", "the names' normalised keys, how alike they are, the kind "
                                                           "of a one-sided name"),
    ("src_cues, tgt_cues", "negation_or_polarity, meaning_shift", "the negation or direction cues found on each side"),
    ("axis, src_pole, tgt_pole", "meaning_shift", "the direction axis (up/down, export/import) and each side's pole"),
    ("classes", "intensity_or_modality_shift", "per modality class, the cues of each side ({class: {src: [...], tgt: [...]}})"),
    ("src_term, tgt_term, src_state, tgt_state, note, lexicon", "framing_shift",
     "the loaded terms, their framing, the lexicon's note and which lexicon file"),
    ("scope", "omission, addition", "what the spans cover: clause, words, bead or sentence (a whole null side)"),
    ("piece, gain, share_term, sim, sim_without", "omission, addition",
     "the dropped/added piece and how much the bead similarity rises without it"),
    ("length_log_ratio", "omission, addition", "log of the target/source length ratio"),
    ("token_uncovered, least_covered_words, unaligned_run, unaligned_words", "omission, addition",
     "token-level evidence: share of words with no counterpart and the longest such run"),
    ("attribution_frames", "omission", "the attribution phrases of each side when the target names fewer sources"),
    ("unrendered_numbers, unrendered_names", "omission", "quantities / lone names of the source with no trace in the target"),
    ("sim, rival_sim, unrelated_below", "unrelated", "the bead's similarity, a neighbour's, and the floor under which "
                                                     "the bead counts as unrelated"),
    ("from", "omission, addition", "`unrelated` when the flag is a whole side of an unrelated bead"),
)


def detail_keys() -> tuple[tuple[str, str, str], ...]:
    """(key, flag types, meaning) of every ``detail`` key: ``detector`` (naming every registered detector), the
    built-in detectors' keys, then those another registered detector declares (``Detector.detail_keys``)."""
    from align.flags.registry import DETECTORS

    names = detector_order()
    extra = tuple(row for n in names for row in DETECTORS[n].detail_keys)
    return (("detector", "all", "the detector that emitted the flag: " + ", ".join(names)), *_DETAIL_KEYS, *extra)

def flag_section() -> list[str]:
    """Markdown lines: flag types (from the detector registry), severities, scores, ordering, detail keys."""
    docs = flag_type_docs()
    lines = [
        "## Flags", "",
        "Each bead carries a list of wording differences between its two sides, **most important first** "
        "(severity critical → major → minor, then score, high to low, then type: `corpus.records.flag_sort_key`). "
        "A flag is `{type, score, severity, src_spans, tgt_spans, detail}`:", "",
        "- `type`: one of the types below.",
        f"- `severity`: one of {', '.join(f'`{s}`' for s in reversed(SEVERITIES))}.",
        "- `score`: a confidence in [0, 1] (higher = more certainly a real difference), comparable across types: "
        "sort by it. The detector's own raw score is `detail.raw_score`.",
        "- `src_spans`, `tgt_spans`: `[start, end)` character offsets into that side's text in `translation`.",
        "- `detail`: a JSON object (as a string) with the detector's evidence; keys below.", "",
        "| type | severity | meaning |", "|---|---|---|",
        *[f"| `{t}` | {sev} | {what} |" for t, (sev, what) in docs.items()],
        "",
        "| severity | means |", "|---|---|",
        *[f"| `{s}` | {SEVERITY_DOCS[s]} |" for s in reversed(SEVERITIES)],
        "",
        "### `detail` keys", "",
        "| key | flag types | meaning |", "|---|---|---|",
        *[f"| `{k}` | {types} | {meaning} |" for k, types, meaning in detail_keys()],
        "",
    ]
    return lines


def field_section() -> list[str]:
    from .schema import FIELD_DOCS

    return ["## Fields", "", "| field | meaning |", "|---|---|",
            *[f"| `{k}` | {v} |" for k, v in FIELD_DOCS.items()], ""]


def format_readme(fmt: str, writer_cls, *, src_lang: str, tgt_lang: str, stems: list[str]) -> str:
    """``export-info.<fmt>.md``: what the files of this export are and what every field means."""
    files, mapping = writer_cls.files_doc, writer_cls.fields_doc
    lines = [
        f"# tasscorpus export: {fmt} ({src_lang}–{tgt_lang})", "",
        f"{(writer_cls.description or fmt)[:1].upper()}{(writer_cls.description or fmt)[1:]}. One row per alignment bead (a group of source sentences and the target "
        f"sentences that render them). Splits: {', '.join(stems)}. The selection, counts, files and the run's "
        f"reproducibility signature are in `export-info.{fmt}.json`.", "",
        "## Files", "", f"{files}.", "",
        "## How the fields appear in this format", "", f"{mapping}.", "",
        *field_section(),
        *flag_section(),
        "## Text", "",
        "Text is as segmented, no normalisation. TMX, TSV and Moses replace XML-invalid control characters "
        "(C0 except tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) with U+FFFD one for one, so span offsets stay valid; "
        "JSONL, Parquet and HF keep the text exact. TASS content is copyrighted: check your right to use and share it.",
        "",
    ]
    return "\n".join(lines)


__all__ = ["FLAG_TYPE_DOCS", "SEVERITY_DOCS", "DETAIL_KEYS", "FORMAT_DOCS", "flag_section", "field_section",
           "format_readme", "flag_type_docs", "detail_keys"]
