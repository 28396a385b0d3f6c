"""Sentence segmentation: razdel for Russian, pysbd for the languages it knows, a regex fallback.

Segmenters return sentences with character offsets into the input paragraph, so flags can point
back at the published text.
"""

from __future__ import annotations

import re
from functools import lru_cache

# languages pysbd supports (its own list)
_PYSBD_LANGS = {
    "en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl", "fa", "nl", "da",
    "fr", "my", "el", "it", "ja", "de", "kk", "sk",
}

_FALLBACK = re.compile(r"[^.!?…]+(?:[.!?…]+[»\"”’)]*|$)\s*", re.S)
# A piece that is only a slash-enclosed agency tag or correspondent byline («/ТАСС/.», "/TASS/.",
# «/Корр. ТАСС Иван Петров/.») ends a dateline; it is no sentence of its own.
_TAG_PIECE = re.compile(r"/[^/\n]{1,80}/\.?")


@lru_cache(maxsize=None)
def _pysbd(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang, clean=False, char_span=True)


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans [start, end) of the sentences of ``text`` (whitespace trimmed).

    A dateline stays one span: the segmenters cut «МОСКВА, 3 декабря. /ТАСС/.» after the date, so a
    piece that is only a slash-enclosed tag or byline is joined to the piece before it."""
    if not text.strip():
        return []
    spans: list[tuple[int, int]] = []
    if lang == "ru" or lang == "uk" or lang == "be":
        import razdel

        spans = [(s.start, s.stop) for s in razdel.sentenize(text)]
    elif lang in _PYSBD_LANGS:
        spans = [(s.start, s.end) for s in _pysbd(lang).segment(text)]
    else:
        spans = [(m.start(), m.end()) for m in _FALLBACK.finditer(text)]
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            if out and _TAG_PIECE.fullmatch(text, a, b):
                out[-1] = (out[-1][0], b)  # «МОСКВА, 3 декабря. /ТАСС/.» is one unit
            else:
                out.append((a, b))
    return out
