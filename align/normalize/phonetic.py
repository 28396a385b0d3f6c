"""Cross-script phonetic comparison of a Cyrillic and a Latin name (Хиль ~ Gil, Шольц ~ Scholz, Нетаньяху ~ Netanyahu).

Why: Russian writes a foreign name by the *source* language's pronunciation (Spanish Gil → «Хиль», German Scholz →
«Шольц», pinyin Jinping → «Цзиньпин»), so transliterating the Cyrillic back to Latin with one scheme does not give
the English spelling. Both words are instead read as sequences of consonant segments, each a set of sound classes
it may stand for in some language's spelling (Cyrillic «х» = h/kh/Spanish j/g; Latin "j" = English dzh, Spanish h,
French zh, Korean ch; "c" = k/s/ts/ch; «в» = v/w/Spanish b …). Vowels are dropped; a few consonants are weak (Latin
h, w, y and Russian «й»/iotation cost little to drop). The two sequences are aligned by edit distance where two
segments cost nothing when their class sets share a class; the similarity is 1 − cost / the two sequences'
mean weight (so a short name inside a long one, Катар in Bayraktar, is not similar).
For one-consonant names the first vowels must agree too, so «Ли» is not "Lu".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WEAK = 0.3

# Latin graphemes, longest first: (grapheme, classes, weight). "_" marks a context rule handled in code.
_LATIN = [
    ("tsch", "CH", 1), ("sch", "SH", 1), ("tch", "CH", 1), ("dzh", "J", 1), ("dsh", "J", 1),
    ("zh", "ZH J CH", 1), ("kh", "H K", 1), ("gh", "G H K", 1), ("ch", "CH SH K H", 1), ("sh", "SH", 1),
    ("sz", "SH", 1), ("cz", "CH", 1), ("ph", "F", 1), ("th", "T S", 1), ("ts", "TS", 1), ("tz", "TS", 1),
    ("tr", "TR CH", 1), ("dj", "J", 1), ("dg", "J", 1), ("ck", "K", 1), ("qu", "K", 1), ("ks", "KS", 1), ("cs", "KS CH", 1),
    ("ll", "L Y", 1), ("ny", "N", 1), ("gn", "N G", 1),
    ("b", "B V", 1), ("c", "K S TS CH", 1), ("d", "D", 1), ("f", "F", 1), ("g", "G", 1), ("k", "K", 1), ("l", "L", 1),
    ("m", "M", 1), ("n", "N", 1), ("p", "P", 1), ("q", "K CH TS", 1), ("r", "R", 1), ("s", "S Z SH", 1),
    ("t", "T", 1), ("v", "V B", 1), ("w", "V", WEAK), ("x", "KS S SH H", 1), ("z", "Z S TS", 1),
    ("j", "J ZH H Y CH", 1), ("h", "H", WEAK), ("y", "Y", WEAK),
]
_LATIN_VOWELS = set("aeiou")
_FOLD = {"č": "ch", "š": "sh", "ž": "zh", "ć": "ch", "ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "đ": "dj", "ñ": "ny"}

_CYR = [
    ("дж", "J", 1), ("цз", "J TS", 1), ("чж", "ZH J CH", 1), ("тс", "TS", 1), ("дс", "TS", 1), ("кс", "KS", 1),
    ("б", "B", 1), ("в", "V B", 1), ("г", "G H", 1), ("д", "D", 1), ("ж", "ZH J", 1), ("з", "Z S", 1),
    ("к", "K", 1), ("л", "L", 1), ("м", "M", 1), ("н", "N", 1), ("п", "P", 1), ("р", "R", 1), ("с", "S", 1),
    ("т", "T", 1), ("ф", "F", 1), ("х", "H K G J", 1), ("ц", "TS", 1), ("ч", "CH J", 1), ("ш", "SH S", 1),
    ("щ", "SH CH", 1), ("й", "Y", WEAK),
]
_CYR_VOWELS = set("аеёиоуыэюя")
_IOTATED = set("еёюя")

# coarse vowel classes for the short-name check
_VOWEL_CLASS = {"a": "a", "o": "o", "e": "e", "i": "e", "u": "u",
                "а": "a", "я": "a", "о": "o", "ё": "o", "е": "e", "э": "e", "и": "e", "ы": "eu", "у": "u", "ю": "u"}


def _fold(word: str) -> str:
    w = "".join(_FOLD.get(ch, ch) for ch in word.lower())
    return "".join(ch for ch in unicodedata.normalize("NFKD", w) if not unicodedata.combining(ch))


@lru_cache(maxsize=20000)
def segments(word: str) -> tuple[tuple[frozenset, float], ...]:
    """The consonant segments of one name (either script) as (class set, weight) pairs; doubled letters count once."""
    w = _fold(word)
    cyr = bool(re.search(r"[а-яё]", w))
    table = _CYR if cyr else _LATIN
    vowels = _CYR_VOWELS if cyr else _LATIN_VOWELS
    w = re.sub(r"[^a-zа-яё]", "", w)
    if not cyr:
        # pinyin/Korean -ng at a syllable's end is Russian -н (Wang ~ Ван, Jinping ~ Цзиньпин, Yangtze ~ Янцзы)
        w = re.sub(r"ng(?![aeiouy])", "n", w)
    else:
        # and a Russian -нг at a syllable's end the same -ng (Чонг ~ Trong, Браунинг ~ Browning)
        w = re.sub(r"нг(?![аеёиоуыэюя])", "н", w)
    out: list[tuple[frozenset, float]] = []
    i, prev = 0, ""
    while i < len(w):
        ch = w[i]
        if ch in vowels:
            # Russian iotated vowels at the start or after a vowel or soft/hard sign carry a y (Юрий ~ Yuri)
            if cyr and ch in _IOTATED and (i == 0 or w[i - 1] in _CYR_VOWELS or w[i - 1] in "ьъ"):
                out.append((frozenset({"Y"}), WEAK))
            prev = ""
            i += 1
            continue
        if ch in "ьъ":
            i += 1
            continue
        for g, classes, weight in table:
            if w.startswith(g, i):
                if g == prev:  # a doubled letter ("ss", «лл») is one sound
                    i += len(g)
                    break
                cls = classes
                if not cyr and g == "g" and i + 1 < len(w) and w[i + 1] in "eiy":
                    cls = "G H J ZH"  # Spanish Gil ~ «Хиль», English George ~ «Джордж»
                if (not cyr and g == "r" and i > 0 and w[i - 1] in _LATIN_VOWELS and i + 1 < len(w)
                        and w[i + 1] not in _LATIN_VOWELS and w[i + 1] not in "ry"):
                    weight = WEAK  # a silent r of an English-style romanisation: Korean Park ~ «Пак»
                out.append((frozenset(cls.split()), float(weight)))
                prev = g
                i += len(g)
                break
        else:
            i += 1
    return tuple(out)


_PAIRS = {"TS": ("T", "S"), "KS": ("K", "S"), "TR": ("T", "R")}


def _splits(one: frozenset, first: frozenset, second: frozenset) -> bool:
    return any(c in one and a in first and b in second for c, (a, b) in _PAIRS.items())


def _first_vowel(word: str) -> str | None:
    w = _fold(word)
    for i, ch in enumerate(w):
        if ch in _VOWEL_CLASS:
            return _VOWEL_CLASS[ch]
        if ch == "y" and (i + 1 == len(w) or w[i + 1] not in _LATIN_VOWELS):  # "Yvan", "Lyn": y is the vowel
            return "e"
    return None


@lru_cache(maxsize=50000)
def phonetic_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two names as sounds (see the module docstring); 0 when either has no consonant."""
    sa, sb = segments(a), segments(b)
    wa, wb = sum(w for _, w in sa), sum(w for _, w in sb)
    if not sa or not sb or min(sum(1 for _, w in sa if w == 1), sum(1 for _, w in sb if w == 1)) == 0:
        return 0.0
    n, m = len(sa), len(sb)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + sa[i - 1][1]
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + sb[j - 1][1]
    for i in range(1, n + 1):
        ca, xa = sa[i - 1]
        for j in range(1, m + 1):
            cb, xb = sb[j - 1]
            sub = 0.0 if ca & cb else max(xa, xb)
            best = min(d[i - 1][j - 1] + sub, d[i - 1][j] + xa, d[i][j - 1] + xb)
            # one affricate or cluster against its two letters written apart («Гейтс» ~ Gates, "Saxe" ~ «Сакс»)
            if j >= 2 and _splits(ca, sb[j - 2][0], cb):
                best = min(best, d[i - 1][j - 2])
            if i >= 2 and _splits(cb, sa[i - 2][0], ca):
                best = min(best, d[i - 2][j - 1])
            d[i][j] = best
    sim = max(0.0, 1.0 - d[n][m] / ((wa + wb) / 2))
    strong = min(sum(1 for _, w in sa if w == 1), sum(1 for _, w in sb if w == 1))
    if strong <= 1:
        va, vb = _first_vowel(a), _first_vowel(b)
        if va and vb and not set(va) & set(vb) and not set(va + vb) <= {"a", "o"}:
            sim = min(sim, 0.5)
    return sim
