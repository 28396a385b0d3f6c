"""Sentence segmentation: razdel for Russian, a quote-aware rule for Korean, Chinese and Japanese, pysbd for
the other languages it knows (Spanish with its titles and abbreviations rejoined), a regex fallback.

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
    elif lang in _CJK_LANGS:
        spans = _cjk_spans(text, lang)
    elif lang in _PYSBD_LANGS:
        spans = [(s.start, s.end) for s in _pysbd(lang).segment(text)]
        if lang == "es":
            spans = _es_rejoin(text, spans)
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


# ============================================================================ Korean, Chinese, Japanese
_CJK_LANGS = {"ko", "zh", "ja"}
_FULL_END = "。！？!?…"  # full-width ends need no space after them (nor do ! ? in CJK text)
_OPEN = "「『“《〈（(【‘〔"
_CLOSE = "」』”》〉）)】’〕"
# what may follow a closing quote inside the same sentence: a quoting particle («…》라고», 「…」と述べた, “…”的说法)
_QUOTE_GOES_ON = {
    "ja": re.compile(r"[とっをがはのにでもや、，]"),
    "zh": re.compile(r"[的等，、,。]"),
}


def _cjk_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of Korean, Chinese or Japanese text.

    A sentence ends at 。！？ (no space needed), and in Korean also at . ! ? followed by a space or the end
    («…하였다. 회의는…»; "2.5" and "J. Smith" do not end one). Nothing inside quotation marks or brackets
    («…》, 「…」, 『…』, “…”, 《…》) ends a sentence; a closing mark right after an end closes the sentence unless a
    quoting particle follows (「…。」と述べた, 《…다.》라고). A line break always ends a unit, so a heading line is one."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    depth = 0
    i = 0
    goes_on = _QUOTE_GOES_ON.get(lang)

    def cut(end: int) -> None:
        nonlocal start
        if end > start:
            spans.append((start, end))
        start = end

    while i < n:
        ch = text[i]
        if ch == "\n":
            cut(i)
            depth = 0
            i += 1
            continue
        if ch in _OPEN and not (ch in "‘“" and depth and text[i - 1:i] in _CLOSE):
            depth += 1
        elif ch in _CLOSE:
            if depth:
                depth -= 1
            if depth == 0 and i > 0 and text[i - 1] in _FULL_END + ".":
                j = i + 1
                while j < n and text[j] in _CLOSE:
                    j += 1
                nxt = text[j:j + 1]
                if lang == "ko":
                    ends = nxt == "" or nxt.isspace()  # «…다.》라고: a particle glued to the mark goes on
                else:
                    ends = nxt == "" or not (goes_on and goes_on.match(nxt))
                if ends and (text[i - 1] != "." or lang == "ko"):
                    cut(j)
                    i = j
                    continue
        elif depth == 0 and (ch in _FULL_END or (lang == "ko" and ch == ".")):
            j = i + 1
            while j < n and (text[j] in _FULL_END or text[j] in ".") and text[j] != "\n":
                j += 1  # "?!", "……"
            while j < n and text[j] in _CLOSE:
                j += 1
            nxt = text[j:j + 1]
            if ch in "。！？" or nxt == "" or nxt.isspace() or (ch in "!?…" and lang != "ko"):
                if ch == "." and _KO_NOT_END.search(text, max(0, i - 8), i + 1):
                    i += 1
                    continue
                if lang != "ko" and nxt and goes_on and ch not in "。！？" and goes_on.match(nxt):
                    i = j
                    continue
                cut(j)
                i = j
                continue
        i += 1
    cut(n)
    return spans


# a "." that ends no Korean sentence: an initial ("J. 바이든"), a number's or list's dot ("1. ", "12.7.")
_KO_NOT_END = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]|\d)\.$")


# ============================================================================ Spanish
# a title never ends a sentence (Sr. García, Dña. Pérez); the other abbreviations end one only before a capital
_ES_TITLES = frozenset("sr sra srta sres dr dra dña dn d lic ing gral excmo excma ilmo ilma prof profa mons arq".split())
_ES_ABBR = frozenset("ee.uu uu.ee ee. uu p.m a.m etc núm art pág vol cap aprox tel av avda dpto depto admón".split())
_ES_LAST_WORD = re.compile(r"([^\s¿¡(«\"“]+)\.\s*$")


def _es_rejoin(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """pysbd's Spanish pieces with the cuts after a title («Sr.», «Dña.», «Dr.») undone, and after another
    abbreviation («EE.UU.», «p.m.», «etc.») undone when the next piece starts in lower case."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out:
            pa, pb = out[-1]
            m = _ES_LAST_WORD.search(text[pa:pb])
            nxt = text[a:b].lstrip()[:1]
            if m:
                w = m.group(1).lower()
                if w in _ES_TITLES or ((w in _ES_ABBR or "." in w) and nxt[:1].islower()):
                    out[-1] = (pa, b)
                    continue
            if nxt[:1].islower():
                out[-1] = (pa, b)  # a sentence never starts in lower case
                continue
        out.append((a, b))
    return out
