"""What the number, date and name normalisers share: the data folder, Russian morphology (pymorphy3 when
installed, a suffix-stripping fallback otherwise) and word tokenisation."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


# ============================================================================ Russian morphology
@lru_cache(maxsize=1)
def _morph():
    """pymorphy3 analyser, or ``None`` when the package is absent (then a suffix fallback is used)."""
    try:
        import pymorphy3
    except ImportError:
        return None
    return pymorphy3.MorphAnalyzer()


_RU_SUFFIXES = sorted(
    "ами ями ого его ому ему ыми ими ой ей ом ем ам ям ах ях ую юю ая яя ое ее ые ие ых их ым им "
    "ов ев ы и а я у ю е о ь й".split(),
    key=len, reverse=True,
)


def _strip_ru(word: str) -> str:
    for s in _RU_SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 3:
            return word[: -len(s)]
    return word


_NAME_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"}


@lru_cache(maxsize=50000)
def ru_parse(word: str) -> tuple[str, frozenset, bool]:
    """(lemma, grammemes, known) of a Russian word; prefers a proper-name reading when the word
    is capitalised (so «Лаврова» → «лавров», not the adjective)."""
    m = _morph()
    low = word.lower().replace("ё", "е")
    if m is None:
        return _strip_ru(low), frozenset(), False
    parses = m.parse(word)
    if not parses:
        return low, frozenset(), False
    best = parses[0]
    if word[:1].isupper():
        for p in parses[:4]:
            if _NAME_TAGS & set(p.tag.grammemes) and p.score >= 0.1:
                best = p
                break
    known = bool(m.word_is_known(low))
    return best.normal_form.replace("ё", "е"), frozenset(best.tag.grammemes), known


def ru_lemma(word: str) -> str:
    return ru_parse(word)[0]


# ============================================================================ helpers
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*", re.U)


def _tokens(text: str):
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _lang(lang: str | None) -> str:
    return (lang or "").lower().split("-")[0].split("_")[0]
