"""Plain-language explanations of flags, for linguists reading a report or a diff.

``explain(flag, src_text, tgt_text)`` turns one flag (a ``Flag`` or its ``to_dict()`` form, also with ``detail`` as
a JSON string as the exports write it) into one or two sentences: what differs, the words or values on each side,
why it matters, and the flag's severity, e.g. "The number differs: «1100» in the Russian, "1,300" in the English.
Figures are facts a reader relies on (critical)." It reads the detectors' ``detail`` keys (``src``/``tgt``,
``src_cues``, ``classes``, ``src_term``, ``axis``, ``attribution_frames``, ``unrendered_numbers`` …) and falls back
to the text under the flag's spans when a key is missing, so a flag from an older store or another detector still
reads sensibly. Languages default to Russian source and English target (TASS); pass ``src_lang`` / ``tgt_lang``
otherwise.

``type_info(t)`` (and ``TYPE_INFO``, every type) gives a type's short label, a one-line description and why it
matters (the report's legend), as the type's detector declares them (``align.flags.registry.FlagType``).
``SEVERITY_INFO`` says what each severity means. This module reads no document records: it works on the flag alone
and the two side texts its spans index into.
"""

from __future__ import annotations

import json
import re
from typing import Any

def type_info(t: str) -> dict[str, str]:
    """A flag type's ``label``, ``what`` and ``why`` as its detector declares them (``FlagType``); empty for a type
    no registered detector declares."""
    from .registry import flag_type

    ft = flag_type(t)
    return {"label": ft.label or t.replace("_", " "), "what": ft.what, "why": ft.why} if ft is not None else {}


def __getattr__(name: str):
    """``TYPE_INFO``: flag type → :func:`type_info`, for every registered type, computed on access."""
    if name == "TYPE_INFO":
        from .registry import flag_types

        return {t: type_info(t) for t in flag_types()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SEVERITY_INFO: dict[str, str] = {
    "critical": "a changed number, date or name, flipped polarity, or an unrelated bead",
    "major": "a dropped or added fact, a meaning, intensity or framing shift",
    "minor": "a dropped or moved attribution, rewording-level differences, or a difference the detectors are unsure of",
}

_LANG_NAMES = {"ru": "Russian", "en": "English", "uk": "Ukrainian", "be": "Belarusian", "de": "German",
               "fr": "French", "es": "Spanish", "zh": "Chinese", "ko": "Korean", "ja": "Japanese", "ar": "Arabic"}

_MODALITY = {
    "possibility": "a possibility",
    "necessity": "an obligation or need",
    "hedge": "a hedge",
    "certainty": "certainty",
    "intensifier": "an intensifier",
    "weak_report": "a tentative reporting verb",
    "strong_report": "an assertive reporting verb",
}

MAX_QUOTE = 140  # longer quoted text is cut with "…"


def _lang_name(lang: str | None, default: str) -> str:
    code = (lang or "").lower().split("-")[0].split("_")[0]
    return "the " + _LANG_NAMES[code] if code in _LANG_NAMES else default if not code else f"the {code} text"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _quote(text: Any, lang: str | None) -> str:
    """Text in the quotation marks of its language («…» for Russian, "…" otherwise), shortened."""
    s = " ".join(str(text).split())
    if len(s) > MAX_QUOTE:
        s = s[: MAX_QUOTE - 1].rstrip() + "…"
    code = (lang or "").lower()[:2]
    return f"«{s}»" if code in ("ru", "uk", "be") else f'"{s}"'


def _quotes(items, lang: str | None) -> str:
    items = [i for i in (items or []) if str(i).strip()]
    return ", ".join(_quote(i, lang) for i in dict.fromkeys(map(str, items)))


def _as_dict(flag) -> dict:
    """A ``Flag`` or its dict form as one dict: type, severity, score, detail (a dict) and spans as (start, end)."""
    if isinstance(flag, dict):
        d = dict(flag)
    else:
        d = {k: getattr(flag, k, None) for k in ("type", "severity", "score", "src_spans", "tgt_spans", "detail")}
    detail = d.get("detail") or {}
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            detail = {}
    d["detail"] = detail if isinstance(detail, dict) else {}
    for side in ("src_spans", "tgt_spans"):
        spans = []
        raw = d.get(side) or ()
        for sp in (raw,) if hasattr(raw, "start") else raw:
            try:
                a, b = (sp.start, sp.end) if hasattr(sp, "start") else (sp[0], sp[1])
                spans.append((int(a), int(b)))
            except (TypeError, ValueError, IndexError):
                continue
        d[side] = spans
    return d


def _span_texts(text: str, spans) -> list[str]:
    out = []
    for a, b in spans:
        piece = (text or "")[max(0, a):max(0, b)].strip()
        if piece:
            out.append(piece)
    return out


def _why(t: str, severity: str, override: str | None = None) -> str:
    why = override or type_info(t).get("why") or "Check both sides."
    return f"{why.rstrip('.')} ({severity})." if severity else why.rstrip(".") + "."


def _tidy(s: str) -> str:
    """No doubled full stop after a quoted sentence: «… года.». → «… года.»"""
    return re.sub(r'([.!?…]["»])\.(\s|$)', r"\1\2", s)


def explain(flag, src_text: str = "", tgt_text: str = "", *, src_lang: str = "ru", tgt_lang: str = "en") -> str:
    """One or two plain sentences on ``flag``: what differs, the words or values on each side, why it matters and
    its severity. ``src_text`` / ``tgt_text`` are the bead's side texts the flag's spans index into (sentences
    joined by one space): an omission or addition quotes the text under its spans (the words a reader sees
    highlighted), other types quote it only when the detail lacks the words themselves."""
    return _tidy(_explain(flag, src_text or "", tgt_text or "", src_lang, tgt_lang))


def _explain(flag, src_text: str, tgt_text: str, src_lang: str, tgt_lang: str) -> str:
    f = _as_dict(flag)
    t = str(f.get("type") or "difference")
    sev = str(f.get("severity") or "")
    d = f["detail"]
    S, T = _lang_name(src_lang, "the source"), _lang_name(tgt_lang, "the target")
    s_sp, t_sp = _span_texts(src_text, f["src_spans"]), _span_texts(tgt_text, f["tgt_spans"])

    def q_src(x):
        return _quote(x, src_lang)

    def q_tgt(x):
        return _quote(x, tgt_lang)

    if t in ("number_changed", "date_changed", "name_changed"):
        noun = {"number_changed": "number", "date_changed": "date", "name_changed": "name"}[t]
        a = d.get("src") if "src" in d else (s_sp[0] if s_sp else None)
        b = d.get("tgt") if "tgt" in d else (t_sp[0] if t_sp else None)
        if a and b:
            what = f"The {noun} differs: {q_src(a)} in {S}, {q_tgt(b)} in {T}."
        elif a:
            what = f"{_cap(S)} gives the {noun} {q_src(a)}, which {T} does not state."
        elif b:
            what = f"{_cap(T)} gives the {noun} {q_tgt(b)}, which {S} does not state."
        else:
            what = f"A {noun} differs between the sides."
        return f"{what} {_why(t, sev)}"

    if t == "negation_or_polarity":
        sc = d.get("src_cues") if "src_cues" in d else s_sp
        tc = d.get("tgt_cues") if "tgt_cues" in d else t_sp
        s_part = f"negation {_quotes(sc, src_lang)}" if sc else "no negation"
        t_part = f"negation {_quotes(tc, tgt_lang)}" if tc else "no negation"
        if sc and tc:
            what = (f"The sides negate a different number of times: {S} has {s_part}, {T} has {t_part}.")
        else:
            what = f"The polarity differs: {S} has {s_part}, {T} has {t_part}."
        return f"{what} {_why(t, sev)}"

    if t == "intensity_or_modality_shift":
        parts = []
        classes = d.get("classes") if isinstance(d.get("classes"), dict) else {}
        for cls, v in classes.items():
            if not isinstance(v, dict):
                continue
            name = _MODALITY.get(cls, str(cls).replace("_", " "))
            sc, tc = v.get("src") or [], v.get("tgt") or []
            if sc and not tc:
                p = f"{S} expresses {name} ({_quotes(sc, src_lang)}), {T} does not"
            elif tc and not sc:
                p = f"{T} expresses {name} ({_quotes(tc, tgt_lang)}), {S} does not"
            else:
                p = f"{name}: {_quotes(sc, src_lang) or '—'} in {S}, {_quotes(tc, tgt_lang) or '—'} in {T}"
            if v.get("tgt_future"):
                p += f" and states it as a plain future ({_quotes(v['tgt_future'], tgt_lang)})"
            elif v.get("src_future"):
                p += f"; {S} states it as a plain future ({_quotes(v['src_future'], src_lang)})"
            parts.append(p)
        if parts:
            what = "; ".join(parts)
            what = what[0].upper() + what[1:] + "."
        elif s_sp or t_sp:
            what = (f"The modal or reporting words differ: {_quotes(s_sp, src_lang) or '—'} in {S}, "
                    f"{_quotes(t_sp, tgt_lang) or '—'} in {T}.")
        else:
            what = "The strength of the statement differs between the sides."
        return f"{what} {_why(t, sev)}"

    if t == "framing_shift":
        st, tt = d.get("src_term") or s_sp, d.get("tgt_term") or t_sp
        ss, ts = d.get("src_state"), d.get("tgt_state")
        s_part = f"{_quotes(st, src_lang)}{f' ({ss})' if ss else ''}" if st else "no such term"
        t_part = f"{_quotes(tt, tgt_lang)}{f' ({ts})' if ts else ''}" if tt else "no such term"
        what = f"The term differs: {s_part} in {S}, {t_part} in {T}."
        note = str(d.get("note") or "").strip()
        if note:
            what += f" Lexicon note: {note.rstrip('.')}."
        return f"{what} {_why(t, sev)}"

    if t == "meaning_shift":
        if d.get("axis") and d.get("src_pole") and d.get("tgt_pole"):
            sc = _quotes(d.get("src_cues"), src_lang)
            tc = _quotes(d.get("tgt_cues"), tgt_lang)
            what = (f"The direction is reversed ({d['axis']}): {S} says {d['src_pole']}{f' ({sc})' if sc else ''}, "
                    f"{T} says {d['tgt_pole']}{f' ({tc})' if tc else ''}.")
            return f"{what} {_why(t, sev, 'A reversed direction states the opposite of the source')}"
        sim = d.get("sim")
        what = ("The two sides say noticeably different things"
                + (f" (meaning similarity {float(sim):.2f})" if isinstance(sim, (int, float)) else "") + ".")
        return f"{what} {_why(t, sev)}"

    if t == "unrelated":
        sim, rival = d.get("sim"), d.get("rival_sim")
        what = "The aligned sentences do not render each other"
        if isinstance(sim, (int, float)):
            what += f" (meaning similarity {float(sim):.2f}"
            if isinstance(rival, (int, float)):
                what += f"; a sentence elsewhere in the document is closer, {float(rival):.2f}"
            what += ")"
        return f"{what}. {_why(t, sev)}"

    if t in ("omission", "addition"):
        return _explain_coverage(t, sev, d, s_sp, t_sp, S, T, src_lang, tgt_lang)

    words = "; ".join(x for x in (_quotes(s_sp, src_lang), _quotes(t_sp, tgt_lang)) if x)
    label = type_info(t).get("label", t.replace("_", " "))
    return f"A difference of type {label} was flagged{f': {words}' if words else ''}. {_why(t, sev)}"


def _explain_coverage(t, sev, d, s_sp, t_sp, S, T, src_lang, tgt_lang) -> str:
    """Omission (source content the target lacks) or addition (target content the source lacks)."""
    omit = t == "omission"
    have, lack = (S, T) if omit else (T, S)
    lang = src_lang if omit else tgt_lang
    spans = s_sp if omit else t_sp
    scope = d.get("scope")
    frames = d.get("attribution_frames") if isinstance(d.get("attribution_frames"), dict) else None
    tag = d.get("attribution") in ("dropped", "added")  # an attribution tag only, its source not named elsewhere
    if d.get("from") == "unrelated":
        what = (f"{_cap(have)} sentence is not rendered in {lack} (the aligned sentences are unrelated)"
                + (f": {_quotes(spans, lang)}." if spans else "."))
    elif tag and omit:
        what = (f"{_cap(T)} leaves out who reported it" + (f": {_quotes(spans, lang)}" if spans else "")
                + f", and names this source nowhere else in the document.")
    elif tag:
        what = (f"{_cap(T)} adds who reported it" + (f": {_quotes(spans, lang)}" if spans else "")
                + f", a source {S} does not name.")
    elif scope == "sentence" and omit:
        what = f"{_cap(T)} leaves out a whole sentence" + (f": {_quotes(spans, lang)}." if spans else ".")
    elif scope == "sentence":
        what = f"{_cap(T)} adds a whole sentence with no counterpart in {S}" + (
            f": {_quotes(spans, lang)}." if spans else ".")
    else:
        words = spans or [x for x in (d.get("piece"), d.get("unaligned_words")) if x]
        if omit:
            what = f"{_cap(T)} leaves out" + (f": {_quotes(words, lang)}" if words else " part of the sentence")
        else:
            what = f"{_cap(T)} adds" + (f": {_quotes(words, lang)}" if words else " content")
            what += f", with no counterpart in {S}"
        what += "."
    extra = []
    if omit and frames:
        sf, tf = frames.get("src") or [], frames.get("tgt") or []
        extra.append(f"who reported it: {_quotes(sf, src_lang) or '—'} in {S}, {_quotes(tf, tgt_lang) or 'none'} in {T}")
    if omit and d.get("unrendered_numbers"):
        extra.append(f"figures not given in {T}: {_quotes(d['unrendered_numbers'], src_lang)}")
    if omit and d.get("unrendered_names"):
        extra.append(f"names not given in {T}: {_quotes(d['unrendered_names'], src_lang)}")
    if extra:
        what = what[:-1] + " (" + "; ".join(extra) + ")."
    if tag or (omit and frames and sev == "minor"):
        why = f"A{'' if omit else 'n'} {'dropped' if omit else 'added'} attribution changes who vouches for the fact"
    elif omit:
        why = f"A reader of {T} misses this content"
    else:
        why = f"A reader of {T} is told something {S} does not say"
    return f"{what} {_why(t, sev, why)}"
