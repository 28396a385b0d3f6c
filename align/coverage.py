"""Which languages each encoder covers, and the one line the pipeline prints about the encoder of a language pair.

From the model cards: ``e5-small`` (multilingual-e5-small) is built on XLM-RoBERTa and covers its ~100 languages;
``use`` (multilingual Universal Sentence Encoder v3) covers 16; ``e5+use`` is only as good as its weaker member on a
language. KCNA's six editions (ko, en, zh, ru, es, ja) are covered by both; the measured retrieval quality per pair
is in the README (``scripts/eval_encoders.py``). ``hf:`` models are not known here (``None``).
"""

from __future__ import annotations

_XLMR = frozenset("""af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl gu ha he hi hr
hu hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms my ne nl no om or pa pl ps pt ro ru sa sd si sk
sl so sq sr su sv sw ta te th tl tr ug uk ur uz vi xh yi zh""".split())
_USE = frozenset("ar zh en fr de it ja ko nl pl pt ru es th tr".split())
ENCODER_LANGS: dict[str, frozenset] = {"e5-small": _XLMR, "e5-small-torch": _XLMR, "use": _USE}


def _base(lang: str) -> str:
    return (lang or "").lower().split("-")[0].split("_")[0]


def covered(encoder: str, lang: str) -> bool | None:
    """Whether ``encoder`` (a registered name, or an ensemble "a+b") was trained on ``lang``; None if unknown."""
    names = encoder.split("+") if not encoder.startswith("hf:") else [encoder]
    names = ["e5-small" if n == "e5" else n for n in names]
    if any(n not in ENCODER_LANGS for n in names):
        return None
    return all(_base(lang) in ENCODER_LANGS[n] for n in names)


def language_coverage(encoder: str) -> list[str] | None:
    """The ISO 639-1 codes ``encoder`` covers (sorted), or None when unknown."""
    names = ["e5-small" if n == "e5" else n for n in encoder.split("+")]
    if any(n not in ENCODER_LANGS for n in names):
        return None
    langs = frozenset.intersection(*(ENCODER_LANGS[n] for n in names))
    return sorted(langs)


def pair_note(encoder: str, src_lang: str, tgt_lang: str) -> str:
    """"ko-en: e5-small (covers both)", or what it does not cover: the pipeline's line about a language pair."""
    miss = [la for la in (src_lang, tgt_lang) if covered(encoder, la) is False]
    unknown = covered(encoder, src_lang) is None
    state = ("coverage unknown" if unknown else "covers both" if not miss else
             "NOT trained on " + ", ".join(miss))
    return f"{src_lang}-{tgt_lang}: {encoder} ({state})"
