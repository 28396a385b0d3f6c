"""Cross-lingual normalisation of numbers, dates and names (Russian, English; graceful elsewhere).

Why: on ru↔en news a raw comparison of digits or capitalised words is useless — «12 тыс.» is
"12,000", «1,5 млрд» is "1.5 billion", «4 сентября» is "Sept. 4", «Шойгу»/«Шойгу» are "Shoigu" and
«Москвы» is "Moscow". The difference detectors (``align.flags``) and article pairing compare the
normalised values these functions return, never the surface strings.

- :func:`numbers` → :class:`NumberMention` (value after scaling, a ``low``–``high`` range for vague
  quantities such as «десятки»/"dozens", unit/currency/percent, kind: number/ordinal/year/approx).
- :func:`dates` → :class:`DateMention` (day, month, year, weekday; explicit fields only).
- :func:`name_tokens` → :class:`NameMention` with a script-independent ``key``: Russian tokens are
  lemmatised (pymorphy3 when installed, a suffix-stripping fallback otherwise), transliterated
  with one fixed scheme, then reduced to a phonetic skeleton that also absorbs English spelling
  conventions (Moskva/Moscow → ``mskv``, Shoygu/Shoigu → ``shg``). Well-known exonyms and
  acronyms that no transliteration reaches (США/US, ООН/UN, Кремль/Kremlin) come from
  ``align/data/names.tsv``. A Cyrillic and a Latin name are also compared by sound
  (:mod:`align.normalize.phonetic`: Хиль ~ Gil, Шольц ~ Scholz), and Russian state-body
  abbreviations are matched to their English expansions by :mod:`align.normalize.institutions`.
- Ranges share what one end states: «10–15 тыс.» (scale), "5-7%" (unit), «с 3 по 13 декабря» /
  "December 3-15" (month, year); a four-digit number before the noun it counts («1100 учеников»)
  is a quantity, not a year.

Every mention carries ``start``/``end`` character offsets into the text it was found in.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


# ============================================================================ records
@dataclass(frozen=True)
class NumberMention:
    """A quantity in text. ``value`` is scaled («1,5 млрд» → 1.5e9); ``low``/``high`` bound vague
    quantities («десятки» → 20..99) and equal ``value`` for exact ones. ``precision`` is the
    rounding step the writer used (0.1e9 for "1.5 billion", 1 for "1500"), so a translator's
    rounding is not a change. ``kind``: number | ordinal | year | approx | word."""

    value: float
    start: int
    end: int
    text: str
    unit: str | None = None  # "%", "pp", "USD", "RUB", "EUR", "km", "kg", "t", ...
    kind: str = "number"
    low: float | None = None
    high: float | None = None
    precision: float = 0.0

    @property
    def lo(self) -> float:
        return self.value if self.low is None else self.low

    @property
    def hi(self) -> float:
        return self.value if self.high is None else self.high


@dataclass(frozen=True)
class DateMention:
    """A calendar reference; only explicitly written fields are set (``None`` otherwise).
    ``kind``: date (day+month), month, year, weekday, numeric (dd.mm.yyyy)."""

    start: int
    end: int
    text: str
    kind: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None  # 0 = Monday

    def fields(self) -> dict:
        return {k: v for k, v in (("day", self.day), ("month", self.month), ("year", self.year),
                                  ("weekday", self.weekday)) if v is not None}

    @property
    def key(self) -> str:
        return "-".join(f"{k}={v}" for k, v in self.fields().items())


@dataclass(frozen=True)
class NameMention:
    """A proper-name token (or a known multi-word name such as "United States").

    ``lemma`` is the dictionary form in the original script; ``key`` the script-independent form
    compared across languages (see :func:`name_key`)."""

    start: int
    end: int
    text: str
    lemma: str
    key: str
    kind: str = "name"  # person | place | org | acronym | exonym | name (capitalised, type unknown)


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


# ============================================================================ numbers
_EN_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "twice": 2, "thrice": 3,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_EN_ORD = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "hundredth": 100,
}
_EN_SCALE = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_APPROX = {"dozens": (20, 99), "scores": (20, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
              "millions": (2e6, 9.99e8), "billions": (2e9, 9.99e11)}

_RU_WORDS = {
    "ноль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
    "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200, "триста": 300, "четыреста": 400,
    "пятьсот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
    "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8,
    "полтора": 1.5, "полторы": 1.5, "дюжина": 12, "оба": 2, "обе": 2, "дважды": 2, "трижды": 3, "четырежды": 4,
}
_RU_ORD = {
    "первый": 1, "второй": 2, "третий": 3, "четвертый": 4, "пятый": 5, "шестой": 6, "седьмой": 7,
    "восьмой": 8, "девятый": 9, "десятый": 10, "одиннадцатый": 11, "двенадцатый": 12, "двадцатый": 20,
    "сотый": 100,
}
_RU_SCALE = {"тысяча": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}
_RU_APPROX = {"десяток": (10, 19), "десятки": (20, 99), "сотни": (200, 999), "тысячи": (2000, 9999),
              "миллионы": (2e6, 9.99e8), "миллиарды": (2e9, 9.99e11)}

# scale words written after digits: (regex, factor); longest alternatives first
_SCALE_AFTER = {
    "ru": [
        (r"трлн\.?|триллион\w*", 1e12), (r"млрд\.?|миллиард\w*", 1e9), (r"млн\.?|миллион\w*", 1e6),
        (r"тыс\.?|тысяч\w*", 1e3),
    ],
    "en": [
        (r"trillion|tn\b|trn\b|tln\b|trln\b", 1e12), (r"billion|bn\b|bln\b", 1e9), (r"million|mln\b|mn\b", 1e6),
        (r"thousand", 1e3),
    ],
}
_SCALE_GLUED_EN = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}

_UNITS: list[tuple[str, str]] = [
    (r"процентн\w*\s+пункт\w*|п\.\s?п\.|percentage\s+points?|pp\b", "pp"),
    (r"%|процент\w*|проц\.|per\s?cent\b|pct\b", "%"),
    (r"долл\.|доллар\w*|dollars?\b|USD\b", "USD"),
    (r"руб\.|рубл\w*|roubles?\b|rubles?\b|RUB\b", "RUB"),
    (r"евро\b|euros?\b|EUR\b", "EUR"),
    (r"юан\w*|yuan\b|CNY\b", "CNY"),
    (r"гривн\w*|гривен\w*|hryvnias?\b|hryvnas?\b|UAH\b", "UAH"),
    (r"фунт\w*\s+стерлинг\w*|pounds?\s+sterling|GBP\b", "GBP"),
    (r"км\b|километр\w*|kilomet(?:er|re)s?\b|km\b", "km"),
    (r"кг\b|килограмм\w*|kilograms?\b|kg\b", "kg"),
    (r"тонн\w*|tonnes?\b|tons?\b", "t"),
    (r"баррел\w*|barrels?\b", "bbl"),
    (r"кубометр\w*|куб\.\s?м\b|cubic\s+met(?:er|re)s?\b", "m3"),
]
_UNIT_RE = re.compile(r"\s?(?:" + "|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(_UNITS)) + ")", re.I)
_CUR_BEFORE = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "₽": "RUB", "₴": "UAH"}
_CUR_AFTER = re.compile(r"\s?([$€£¥₽₴])")

_COMMA_THOUSANDS = {"en", "zh", "ja", "ko", "he", "th", "hi"}  # "12,000"; elsewhere a comma is decimal
_YEAR_WORD_AFTER = re.compile(r"\s*(?:год\w*|гг?\.|г\b)", re.I)
_YEAR_WORD_BEFORE = re.compile(r"(?:\b(?:in|since|by|until|till|of|from|year|в|с|до|к|от|по|на)\s+)$", re.I)

_DIGITS = {
    "comma_thousands": re.compile(
        r"(?<![\w.,])(?P<int>\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,]\d|\d)|\d+)"
        r"(?:\.(?P<dec>\d+))?(?![.,]?\d)"
        r"(?!(?!(?:bn|tn|st|nd|rd|th|[kKmMb])\b)[^\W\d])", re.U),
    "space_thousands": re.compile(
        r"(?<![\w.,])(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)(?:[.,](?P<dec>\d+))?(?![\w]|[.,]\d)", re.U),
}
_ORD_SUFFIX = re.compile(r"-?(?:й|го|я|е|му|м|ми|х|ое|ого|ому|ый|ий|ая|ые)\b|(?:st|nd|rd|th)\b", re.U)


def _precision(dec: str | None, scale: float) -> float:
    return (10.0 ** -len(dec) if dec else 1.0) * scale if scale > 1 else 0.0


def numbers(text: str, lang: str) -> list[NumberMention]:
    """Every quantity in ``text``: digits (with language-specific separators, scale words, units
    and currencies), number words (English and Russian, any case), vague quantities and
    ordinals; four-digit years are ``kind="year"``. Sorted by position, non-overlapping."""
    lg = _lang(lang)
    out: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    style = "comma_thousands" if lg in _COMMA_THOUSANDS else "space_thousands"
    scales = _SCALE_AFTER.get(lg, _SCALE_AFTER["en"] + _SCALE_AFTER["ru"])
    for m in _TIME.finditer(text):
        # clock times ("18:30", «в 17 часов 47 минут», "5:47 PM") as minutes after midnight, so 24- and
        # 12-hour clocks compare equal; a duration («1 час 48 минут», "1 hour and 48 minutes") as minutes too
        h = int(m.group("h") or m.group("h2"))
        mi = int(m.group("mi") or m.group("mi2") or m.group("mi3") or 0)
        ap = (m.group("ap") or m.group("ap3") or m.group("ap4") or "").lower().replace(".", "")
        if h > 24 or mi > 59:
            continue
        if ap == "pm" and h < 12:
            h += 12
        elif ap == "am" and h == 12:
            h = 0
        out.append(NumberMention(float(h * 60 + mi), m.start(), m.end(), m.group(), "time", "time"))
        taken.append((m.start(), m.end()))
    for m in _DIGITS[style].finditer(text):
        if any(m.start() < e and s_ < m.end() for s_, e in taken):
            continue
        raw_int = re.sub(r"[ ,\u00a0\u202f]", "", m.group("int"))
        dec = m.group("dec")
        try:
            value = float(raw_int + ("." + dec if dec else ""))
        except ValueError:
            continue
        start, end = m.start(), m.end()
        kind, unit, scale = "number", None, 1.0
        rest = text[end:]
        # a model or code name («Т-90М», "COVID-19", "Su-35"): an identifier, not a quantity
        if _CODE_BEFORE.search(text[max(0, start - 12):start]):
            gl = re.match(r"[^\W\d_]*", rest)
            end += gl.end() if gl else 0
            out.append(NumberMention(value, start, end, text[start:end], None, "code"))
            taken.append((start, end))
            continue
        # currency symbol before ("$5", "US$ 5")
        pre = text[max(0, start - 3):start].rstrip()
        if pre and pre[-1] in _CUR_BEFORE:
            unit = _CUR_BEFORE[pre[-1]]
            start = start - (len(text[:start]) - len(text[:start].rstrip())) - 1
            if text[max(0, start - 2):start] == "US":
                start -= 2
        # ordinal suffix ("5-го", "1st")
        om = _ORD_SUFFIX.match(rest)
        if om and not dec and (om.group().startswith("-") or om.group() in ("st", "nd", "rd", "th")):
            out.append(NumberMention(value, start, end + om.end(), text[start:end + om.end()], None, "ordinal"))
            taken.append((start, end + om.end()))
            continue
        # glued English scale ("$5m", "3bn")
        g = re.match(r"(bn|tn|k|K|m|M|b)\b", rest)
        if g and lg not in ("ru", "uk", "be"):
            scale = _SCALE_GLUED_EN[g.group(1)]
            end += g.end()
            rest = text[end:]
        else:
            for pat, f in scales:
                sm = re.match(r"[ \u00a0\u202f]?(?:" + pat + ")", rest, re.I | re.U)
                if sm:
                    scale, end = f, end + sm.end()
                    rest = text[end:]
                    break
        um = _UNIT_RE.match(rest)
        if um:
            for i, (_, name) in enumerate(_UNITS):
                if um.group(f"u{i}"):
                    unit = name
                    break
            end += um.end()
        else:
            cm = _CUR_AFTER.match(rest)
            if cm:
                unit = _CUR_BEFORE[cm.group(1)]
                end += cm.end()
        v = value * scale
        if (scale == 1 and unit is None and not dec and len(raw_int) == 4 and raw_int == m.group("int")
                and 1000 <= value <= 2100):
            before = text[max(0, start - 12):start]
            # «на 1100 учеников», «2000 человек», "for 1100 students": a count of a noun, not a year
            counted = not _YEAR_WORD_AFTER.match(text[end:]) and _counted_noun(text[end:], lg, value)
            if not counted and (1900 <= value <= 2100 or _YEAR_WORD_AFTER.match(text[end:])
                                or _YEAR_WORD_BEFORE.search(before)):
                kind = "year"
                ym = _YEAR_WORD_AFTER.match(text[end:])
                if ym and lg in ("ru", "uk", "be"):
                    end += ym.end()
        prev = out[-1] if out and out[-1].kind == "number" else None
        if (prev is not None and kind == "number" and (scale > 1 or unit) and prev.unit is None
                and prev.precision == 0 and _RANGE_GAP.fullmatch(text[prev.end:m.start()])
                and 0 < prev.value < value):
            # a range shares its scale and unit: «10–15 тыс.» is 10,000 to 15,000, "5-7%" is 5% to 7%
            frac = None if float(prev.value).is_integer() else repr(float(prev.value)).split(".")[1]
            out[-1] = NumberMention(prev.value * scale, prev.start, prev.end, prev.text, unit, "number",
                                    precision=_precision(frac, scale))
        out.append(NumberMention(v, start, end, text[start:end], unit, kind, precision=_precision(dec, scale)))
        taken.append((start, end))
    out.extend(_word_numbers(text, lg, taken))
    out = _halves(out, text, lg)
    if lg in ("ru", "uk", "be"):
        # «за сутки» is "in 24 hours": a vague 24 so that it matches the English digits and is never a change
        for m in _RU_DAY.finditer(text):
            if all(m.end() <= n.start or m.start() >= n.end for n in out):
                out.append(NumberMention(24.0, m.start(), m.end(), m.group(), "h", "approx", 24.0, 24.0))
    out.sort(key=lambda n: n.start)
    return out


# between the two ends of a range: «10–15», «от 10 до 15», "5 to 7", "between 5 and 7"
_RANGE_GAP = re.compile(r"\s*[-–—]\s*|\s+(?:до|по|и|или|to|and|or)\s+", re.I | re.U)
_NEXT_WORD = re.compile(r"[ \u00a0\u202f]+([^\W\d_][\w-]*)", re.U)
_COUNT_FUNCTION = frozenset("""и или а но по до в во на с со к ко от из за года году год гг г
in on at to and or of the a an by for from since until till as when after before with""".split())


def _counted_noun(rest: str, lg: str, value: float) -> bool:
    """Whether a four-digit number is followed by the noun it counts («1100 учеников», "1100 students"), so it
    is a quantity and not a year. Russian: the next word is a lower-case noun or adjective (pymorphy3); English:
    a lower-case content word after a number outside 1900–2100 (English writes counts with a comma, "1,100", so
    a bare 1900–2100 stays a year there)."""
    m = _NEXT_WORD.match(rest)
    if not m or not m.group(1)[:1].islower() or m.group(1).lower() in _COUNT_FUNCTION:
        return False
    w = m.group(1)
    if re.search(r"[а-яё]", w.lower()):
        if lg not in ("ru", "uk", "be"):
            return False
        if re.fullmatch(_RU_MON, w, re.I):
            return False
        _, tags, _ = ru_parse(w)
        return bool({"NOUN", "ADJF"} & tags) or _morph() is None
    return not 1900 <= value <= 2100


_TIME = re.compile(
    r"(?<![\w.,:։])(?:(?P<h>\d{1,2})(?:[:։](?P<mi>\d{2})(?!\d|[.,]\d)(?:\s?(?P<ap>[ap]\.?m\.?)(?!\w))?"
    r"|\.(?P<mi3>\d{2})\s?(?P<ap3>[ap]\.?m\.?)(?!\w)|\s?(?P<ap4>[ap]\.?m\.?)(?!\w))"
    r"|(?P<h2>\d{1,2})\s+(?:час\w*|hours?)\s+(?:and\s+)?(?P<mi2>\d{1,2})\s+(?:минут\w*|minutes?))", re.I | re.U)
_CODE_BEFORE = re.compile(r"[^\W\d_]-$", re.U)
_RU_DAY = re.compile(r"(?<!\w)(?:сут(?:ки|ок|кам|ками|ках)|суточн\w*|круглосуточн\w*)(?!\w)", re.I | re.U)
_HALF = re.compile(r"(?:\bhalf[ -](?:a[ -])?|(?<!\w)пол-?)$", re.I | re.U)


def _halves(out: list[NumberMention], text: str, lg: str) -> list[NumberMention]:
    """"half a million" / «пол-миллиона» are 0.5 × the scale (the scale word alone was read as 1×)."""
    if lg != "en":
        return out
    res = []
    for n in out:
        m = _HALF.search(text[max(0, n.start - 8):n.start])
        if m and n.kind == "word" and n.value >= 100 and re.match(r"(?:a\s+)?(?:hundred|thousand|million|billion|trillion)",
                                                              n.text, re.I):
            a = n.start - len(m.group())
            v = n.value / 2
            n = NumberMention(v, a, n.end, text[a:n.end], n.unit, n.kind, precision=n.precision)
        res.append(n)
    return res


def _word_numbers(text: str, lg: str, taken: list[tuple[int, int]]) -> list[NumberMention]:
    """Numbers written as words; a run such as «двести тысяч» or "twenty-five million" is one mention."""
    if lg not in ("ru", "uk", "be", "en"):
        return []
    ru = lg != "en"
    toks = _tokens(text)

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    def classify(word: str):
        if ru:
            w = word.lower()
            if w.startswith("пол") and len(w) > 5:  # полмиллиона, полтысячи
                lem = ru_lemma(w[3:])
                if lem in _RU_SCALE:
                    return ("half_scale", _RU_SCALE[lem])
            lem, tags, _ = ru_parse(word)
            if w in _RU_APPROX:
                return ("approx", _RU_APPROX[w])
            if "plur" in tags and lem in ("десяток", "сотня", "тысяча", "миллион", "миллиард"):
                key = {"десяток": "десятки", "сотня": "сотни", "тысяча": "тысячи", "миллион": "миллионы",
                       "миллиард": "миллиарды"}[lem]
                return ("approx_or_scale", (_RU_APPROX[key], _RU_SCALE.get(lem)))
            if lem in _RU_SCALE:
                return ("scale", _RU_SCALE[lem])
            if lem == "сотня":
                return ("unit_val", 100)
            if lem in _RU_WORDS:
                return ("unit_val", _RU_WORDS[lem])
            if lem in _RU_ORD:
                return ("ordinal", _RU_ORD[lem])
            return None
        w = word.lower()
        if "-" in w:
            parts = w.split("-")
            if len(parts) == 2 and parts[0] in _EN_WORDS and parts[1] in _EN_WORDS:
                return ("unit_val", _EN_WORDS[parts[0]] + _EN_WORDS[parts[1]])
            if len(parts) == 2 and parts[0] in _EN_WORDS and parts[1] in _EN_ORD:
                return ("ordinal", _EN_WORDS[parts[0]] + _EN_ORD[parts[1]])
            if parts[0] in _EN_WORDS and len(parts) >= 2:  # "five-year"
                return ("unit_val", _EN_WORDS[parts[0]])
            return None
        if w in _EN_APPROX:
            return ("approx", _EN_APPROX[w])
        if w == "hundred":
            return ("hundred", 100)
        if w in _EN_SCALE:
            return ("scale", _EN_SCALE[w])
        if w in _EN_WORDS:
            return ("unit_val", _EN_WORDS[w])
        if w in _EN_ORD and w != "second":  # "second" is mostly the time unit / "a second time"
            return ("ordinal", _EN_ORD[w])
        return None

    out: list[NumberMention] = []
    i = 0
    while i < len(toks):
        a, b, word = toks[i]
        c = classify(word) if free(a, b) else None
        if c is None:
            # "a million", "a dozen", "one and a half"
            i += 1
            continue
        kind, val = c
        if kind == "ordinal":
            out.append(NumberMention(float(val), a, b, text[a:b], None, "ordinal"))
            i += 1
            continue
        if kind == "approx" or (kind == "approx_or_scale" and not _prev_is_number(out, toks, i, text)):
            lo, hi = val if kind == "approx" else val[0]
            j, scale = i + 1, 1.0
            out.append(NumberMention((lo + hi) / 2 * scale, a, b, text[a:b], None, "approx", lo * scale, hi * scale))
            i = j
            continue
        # a run of number words
        total, current, j, end = 0.0, 0.0, i, b
        any_val = False
        while j < len(toks):
            ta, tb, tw = toks[j]
            if j > i and text[toks[j - 1][1]:ta].strip() not in ("", "-"):
                break
            cj = classify(tw) if free(ta, tb) else None
            if cj is None:
                # "one and a half", "a hundred and five"
                prev_big = j > i and (classify(toks[j - 1][2]) or ("", 0))[0] in ("hundred", "scale")
                if not ru and tw.lower() == "and" and j + 1 < len(toks):
                    nxt = toks[j + 1][2].lower()
                    if not prev_big and not (nxt == "a" and j + 2 < len(toks) and toks[j + 2][2].lower() == "half"):
                        break
                    if nxt in ("a", "half") or classify(toks[j + 1][2]):
                        if nxt == "a" and j + 2 < len(toks) and toks[j + 2][2].lower() == "half":
                            current += 0.5
                            end = toks[j + 2][1]
                            j += 3
                            continue
                        j += 1
                        continue
                break
            k2, v2 = cj
            if k2 == "unit_val":
                current += v2
            elif k2 == "hundred":
                current = max(current, 1) * 100
            elif k2 in ("scale", "approx_or_scale"):
                f = v2 if k2 == "scale" else v2[1]
                total += max(current, 1) * f
                current = 0
            elif k2 == "half_scale":
                total += 0.5 * v2
            else:
                break
            any_val = True
            end = tb
            j += 1
        if not any_val:
            i += 1
            continue
        start = a
        # "a million", "a dozen", "a hundred"
        if not ru and i > 0 and toks[i - 1][2].lower() in ("a", "an") and classify(word)[0] in ("scale", "hundred") \
                or (not ru and i > 0 and toks[i - 1][2].lower() == "a" and word.lower() == "dozen"):
            start = toks[i - 1][0]
        value = total + current
        out.append(NumberMention(value, start, end, text[start:end], None, "word"))
        i = j if j > i else i + 1
    # attach a following unit/percent to word numbers ("пять процентов", "two percent")
    res = []
    for n in out:
        um = _UNIT_RE.match(text[n.end:])
        if um and n.kind in ("word", "approx"):
            unit = next(name for k, (_, name) in enumerate(_UNITS) if um.group(f"u{k}"))
            n = NumberMention(n.value, n.start, n.end + um.end(), text[n.start:n.end + um.end()], unit, n.kind,
                              n.low, n.high, n.precision)
        res.append(n)
    return res


def _prev_is_number(out, toks, i, text) -> bool:
    """True when the token before ``i`` is part of a number word run (then «тысячи» is a scale)."""
    if i == 0 or not out:
        return False
    return out[-1].end == toks[i - 1][1] and out[-1].kind == "word"


def numbers_equal(a: NumberMention, b: NumberMention, rel_tol: float = 1e-6) -> bool:
    """Whether two mentions state the same quantity, allowing the writer's rounding
    ("1.53 million" = "1.5 million") and vague ranges («десятки» = "dozens" = 30)."""
    if a.kind == "approx" or b.kind == "approx":
        return a.lo <= b.hi and b.lo <= a.hi
    va, vb = a.value, b.value
    if abs(va - vb) <= rel_tol * max(abs(va), abs(vb), 1e-9):
        return True
    step = max(a.precision, b.precision)
    if step > 0:
        coarse = a if a.precision >= b.precision else b
        fine = b if coarse is a else a
        return abs(round(fine.value / step) * step - coarse.value) <= 1e-6 * max(abs(coarse.value), 1)
    return False


# ============================================================================ dates
_RU_MONTHS = [
    r"январ\w*", r"феврал\w*", r"март\w*", r"апрел\w*", r"ма[йяею]\w*", r"июн\w*", r"июл\w*",
    r"август\w*", r"сентябр\w*", r"октябр\w*", r"ноябр\w*", r"декабр\w*",
]
_EN_MONTHS = [
    r"Jan(?:uary|\.)?", r"Feb(?:ruary|\.)?", r"Mar(?:ch|\.)?", r"Apr(?:il|\.)?", r"May", r"June?\.?",
    r"July?\.?", r"Aug(?:ust|\.)?", r"Sep(?:t(?:ember)?)?\.?", r"Oct(?:ober|\.)?", r"Nov(?:ember|\.)?",
    r"Dec(?:ember|\.)?",
]
_RU_WEEKDAYS = [r"понедельник\w*", r"вторник\w*", r"сред[аеуы]\b", r"четверг\w*", r"пятниц\w*",
                r"суббот\w*", r"воскресень\w*"]
_EN_WEEKDAYS = [r"Mon(?:day)?", r"Tue(?:s(?:day)?)?", r"Wed(?:nesday)?", r"Thu(?:rs(?:day)?)?",
                r"Fri(?:day)?", r"Sat(?:urday)?", r"Sun(?:day)?"]


def _alt(pats: list[str]) -> str:
    return "|".join(f"(?P<m{i}>{p})" for i, p in enumerate(pats))


def _which(m: re.Match, n: int, prefix: str = "m") -> int | None:
    for i in range(n):
        if m.group(f"{prefix}{i}"):
            return i
    return None


_RU_MON = _alt(_RU_MONTHS)
_EN_MON = _alt(_EN_MONTHS)
_RU_DATE = re.compile(
    rf"(?<!\d)(?P<day>[0-3]?\d)(?:-?го)?\s+(?:{_RU_MON})(?:\s+(?P<year>\d{{4}})(?:\s*(?:года|год|году|г\.?))?)?",
    re.I | re.U)
_RU_MONTH_YEAR = re.compile(
    rf"\b(?:{_RU_MON})(?:\s+(?P<year>\d{{4}})(?:\s*(?:года|год|году|г\.?))?)?", re.I | re.U)
_EN_DATE_MD = re.compile(
    rf"\b(?:{_EN_MON})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?", re.U)
_EN_DATE_DM = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MON})(?!\w)(?:,?\s+(?P<year>\d{{4}})\b)?", re.U)
# what precedes a bare "May" that is the month, not the modal: "in May", "since May", "early May", "mid-May"
_MONTH_CONTEXT = re.compile(r"(?:\b(?:in|of|since|until|till|by|from|through|during|early|late|last|next|this|"
                            r"before|after|throughout)\s+|\bmid-)$", re.I)
_EN_MONTH_YEAR = re.compile(rf"\b(?:{_EN_MON})(?!\w)(?:,?\s+(?P<year>\d{{4}})\b)?", re.U)
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>\d{4}|\d{2})(?![\d])")
_RU_WD = re.compile(rf"\b(?:{_alt(_RU_WEEKDAYS)})", re.I | re.U)
_EN_WD = re.compile(rf"\b(?:{_alt(_EN_WEEKDAYS)})\b", re.U)
_YEAR_ALONE = re.compile(r"(?<![\d.,])(?P<year>1[89]\d\d|20\d\d)(?![\d.,]\d|\w)")


_RU_RANGE = re.compile(
    rf"(?<!\d)(?P<d1>[0-3]?\d)(?:-?го)?\s*(?:[-–—]|\s(?:по|до|и|или)\s)\s*(?P<d2>[0-3]?\d)(?:-?го)?\s+(?:{_RU_MON})",
    re.I | re.U)
_EN_RANGE_MD = re.compile(
    rf"\b(?:{_EN_MON})\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:[-–—]|\s(?:to|through|and|or|until|till)\s)\s*"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?![\d.,]?\d)(?:,\s+(?P<year>\d{{4}})\b)?", re.U)
_EN_RANGE_DM = re.compile(
    rf"(?<![\d.,])(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:[-–—]|\s(?:to|through|and|or|until|till)\s)\s*"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MON})(?!\w)", re.U)
_SEASON = re.compile(r"(?<![\d.,/])(?P<y1>(?:19|20)\d\d)\s?[/–—-]\s?(?P<y2>(?:19|20)\d\d|\d\d)(?![\d.,/]?\d)", re.U)
# after "December 3 and 15": a counted noun or a verb says 15 is not a day ("… and 15 others were hurt")
_EN_NOT_DAY = re.compile(r"\s*(?:%|per\s?cent\b|(?!(?:in|at|on|the|this|next|last|and|inclusive|respectively)\b)"
                         r"[a-z]+)", re.U)


def dates(text: str, lang: str, ref_year: int | None = None) -> list[DateMention]:
    """Calendar references: «4 сентября» = "September 4" = "Sept. 4" = "4 September" (day=4, month=9),
    month (+year), weekdays, numeric dd.mm.yyyy, bare years. ``ref_year`` fills the year of a
    numeric two-digit year only; other fields stay as written (compare with :func:`dates_compatible`)."""
    lg = _lang(lang)
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, kind: str, **f):
        a, b = m.span()
        if any(not (b <= s or a >= e) for s, e in taken):
            return  # earlier (more specific) patterns win: "4 September 2020" is not also a bare year
        taken.append((a, b))
        out.append(DateMention(a, b, text[a:b], kind, **f))

    for m in _NUMERIC_DATE.finditer(text):
        d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        if 1 <= d <= 31 and 1 <= mo <= 12:
            if y < 100:
                y = (ref_year // 100 * 100 + y) if ref_year else 2000 + y
            add(m, "numeric", day=d, month=mo, year=y)
    ru = lg in ("ru", "uk", "be")
    if ru or lg not in ("en",):
        for m in _RU_DATE.finditer(text):
            day = int(m.group("day"))
            if 1 <= day <= 31:
                add(m, "date", day=day, month=_which(m, 12) + 1, year=int(m.group("year")) if m.group("year") else None)
        for m in _RU_MONTH_YEAR.finditer(text):
            mo = _which(m, 12)
            w = m.group(f"m{mo}").lower()
            if mo == 4 and not (w.startswith("ма") and w[:4] in ("май", "мая", "мае", "маю", "маем") or w in ("май", "мая", "мае", "маю")):
                continue
            if mo == 2 and not w.startswith("март"):
                continue
            add(m, "month", month=mo + 1, year=int(m.group("year")) if m.group("year") else None)
        for m in _RU_WD.finditer(text):
            add(m, "weekday", weekday=_which(m, 7))
    if not ru:
        for rx in (_EN_DATE_MD, _EN_DATE_DM):
            for m in rx.finditer(text):
                day = int(m.group("day"))
                if 1 <= day <= 31:
                    add(m, "date", day=day, month=_which(m, 12) + 1,
                        year=int(m.group("year")) if m.group("year") else None)
        for m in _EN_MONTH_YEAR.finditer(text):
            mo = _which(m, 12)
            w = m.group(f"m{mo}")
            full = w.rstrip(".") in ("January", "February", "March", "April", "June", "July", "August",
                                     "September", "October", "November", "December", "Sept")
            if not (full or m.group("year") or w.endswith(".") or (w == "May" and _MONTH_CONTEXT.search(text[:m.start()]))):
                continue  # "May", "Mar", "Jan" alone are too ambiguous (unless "in May", "since May", "mid-May")
            add(m, "month", month=mo + 1, year=int(m.group("year")) if m.group("year") else None)
        for m in _EN_WD.finditer(text):
            wd = m.group()
            if len(wd) <= 4 and not wd.endswith("."):  # "Sun", "Wed", "Mon": only full names
                if wd not in ("Tues", "Thurs"):
                    continue
            add(m, "weekday", weekday=_which(m, 7))
    # the other end of a day range shares its month (and year): «с 3 по 13 декабря», «3–13 декабря», "December
    # 3-15", "from 3 to 15 December", "between December 3 and 15"
    for rx, named in ((_RU_RANGE, True), (_EN_RANGE_MD, False), (_EN_RANGE_DM, False)) if ru else \
            ((_EN_RANGE_MD, False), (_EN_RANGE_DM, False)) if lg == "en" else ((_RU_RANGE, True),):
        for m in rx.finditer(text):
            d1, d2 = int(m.group("d1")), int(m.group("d2"))
            if not (1 <= d1 < d2 <= 31):
                continue
            if rx is _EN_RANGE_MD and _EN_NOT_DAY.match(text[m.end():]):
                continue  # "December 3 and 15 others": a count, not the range's end
            mo = _which(m, 12) + 1
            owner = next((d for d in out if d.kind == "date" and d.month == mo and d.start <= m.end() and
                          d.end >= m.start()), None)
            if owner is None:
                continue
            g = "d2" if owner.day == d1 else "d1"
            a, b = m.span(g)
            if any(not (b <= s_ or a >= e) for s_, e in taken):
                continue
            year = owner.year
            if "year" in rx.groupindex and m.group("year"):  # "May 18-21, 2027": the year is both ends'
                year = int(m.group("year"))
                b = m.end()
                k = out.index(owner)
                out[k] = DateMention(owner.start, owner.end, owner.text, owner.kind, day=owner.day, month=owner.month,
                                     year=year)
            taken.append((a, b))
            out.append(DateMention(a, b, text[a:b], "date", day=int(m.group(g)), month=mo, year=year))
    # a season or a span of years «2026/27», "2027/28", «2025–2030»: two years
    for m in _SEASON.finditer(text):
        y1, y2 = int(m.group("y1")), m.group("y2")
        y2 = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
        if y2 <= y1 or any(not (m.end() <= s_ or m.start() >= e) for s_, e in taken):
            continue
        taken.append(m.span())
        out.append(DateMention(m.start("y1"), m.end("y1"), m.group("y1"), "year", year=y1))
        out.append(DateMention(m.start("y2"), m.end("y2"), m.group("y2"), "year", year=y2))
    for m in _YEAR_ALONE.finditer(text):
        if not _YEAR_WORD_AFTER.match(text[m.end():]) and _counted_noun(text[m.end():], lg, int(m.group("year"))):
            continue  # «2000 человек»: a quantity
        add(m, "year", year=int(m.group("year")))
    out.sort(key=lambda d: d.start)
    return out


def dates_compatible(a: DateMention, b: DateMention) -> bool | None:
    """True when two mentions can denote the same date (every field both state agrees), False
    when a shared field differs, None when they share no field (not comparable)."""
    fa, fb = a.fields(), b.fields()
    shared = set(fa) & set(fb)
    if not shared:
        return None
    return all(fa[k] == fb[k] for k in shared)


# ============================================================================ names
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian / Belarusian letters
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w",
}


def transliterate(s: str) -> str:
    """Cyrillic → Latin with one fixed scheme (BGN/PCGN-like, no diacritics); other characters kept."""
    out = []
    for ch in s:
        low = ch.lower()
        if low in _TRANSLIT:
            t = _TRANSLIT[low]
            out.append(t.capitalize() if ch != low else t)
        else:
            out.append(ch)
    return "".join(out)


_SKELETON_RULES = [
    ("ght", "t"), ("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("dzh", "J"), ("dj", "J"), ("zh", "J"), ("kh", "k"),
    ("ph", "f"), ("tz", "ts"), ("ts", "c"), ("ck", "k"), ("ch", "C"), ("sh", "S"), ("x", "ks"), ("q", "k"), ("w", "v"),
    ("c", "k"), ("h", ""), ("C", "ch"), ("S", "sh"), ("j", "J"), ("J", "j"), ("gue", "g"),
]
_VOWELS = set("aeiouy")


def skeleton(latin: str) -> str:
    """A spelling-independent key of a Latin-script name: transliteration conventions merged
    (kh/h, w/v, c/k, ts/tz, silent gh, final z/s), double letters collapsed, vowels dropped after the first
    letter and "'s" stripped. Shoigu/Shoygu → ``shg``; Moscow/Moskva → ``mskv``."""
    s = latin.lower()
    s = re.sub(r"['’]s$", "", s)
    s = re.sub(r"[^a-z]", "", s)
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    # a final -z is the voiced English plural or Spanish -ez as Russian writes them (Флайерз, Родригез)
    s = re.sub(r"(.)\1+", r"\1", re.sub(r"z$", "s", s))
    if not s:
        return ""
    return re.sub(r"(.)\1+", r"\1", s[0] + "".join(ch for ch in s[1:] if ch not in _VOWELS))


def _vowel_form(latin: str) -> str:
    s = re.sub(r"[^a-z]", "", latin.lower())
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    s = re.sub(r"[eiyj]+", "i", s)
    return re.sub(r"(.)\1+", r"\1", s)


@lru_cache(maxsize=1)
def _exonyms() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """Built-in exonym/acronym table (``align/data/names.tsv``): surface or lemma → shared key.
    Single words map directly; multi-word names map by their lower-cased token sequence."""
    single: dict[str, str] = {}
    multi: dict[tuple[str, ...], str] = {}
    path = DATA / "names.tsv"
    if not path.exists():
        return single, multi
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 2:
                continue
            key = row[0].strip()
            for col in row[1:]:
                for form in col.split("|"):
                    form = form.strip().lower().replace("ё", "е")
                    if not form:
                        continue
                    if "-" in form and " " not in form:
                        single[form] = key
                    # as words ("kim jong un") and as the tokens name_tokens reads ("kim", "jong-un")
                    for toks in {tuple(re.findall(r"\w+", form)), tuple(_TOKEN.findall(form))}:
                        if len(toks) == 1:
                            single[toks[0]] = key
                        elif toks:
                            multi[toks] = key
    return single, multi


_RU_W = re.compile(r"^у(?=[аеиоэя])")


def ru_latin(word: str) -> str:
    """A lower-cased Russian name in Latin letters, with the initial «у» before a vowel read as the W it
    renders in English names (Уильям, Уэльс, Уивинг)."""
    return transliterate(_RU_W.sub("w", word.lower().replace("ё", "е")))


# Russian hypocoristic first names and the full name they shorten: «Саша» / "Sasha" is a faithful rendering of
# «Александр» / "Alexander" (and the reverse), so both get the full name's key. Only unambiguous pairs; not «Лена»
# (also a river), «Слава» (four full names) or "Ira" (also an acronym).
_HYPOCORISMS = {
    **dict.fromkeys(("саша", "шура"), "александр"), "женя": "евгений", "дима": "дмитрий", "миша": "михаил",
    "коля": "николай", **dict.fromkeys(("володя", "вова"), "владимир"), "сережа": "сергей",
    **dict.fromkeys(("леша", "алеша"), "алексей"), "паша": "павел", "петя": "петр", "ваня": "иван",
    "костя": "константин", "гоша": "георгий", "витя": "виктор", "толя": "анатолий", "катя": "екатерина",
    "маша": "мария", "наташа": "наталья", "таня": "татьяна", "оля": "ольга", "аня": "анна", "юля": "юлия",
    "настя": "анастасия", "света": "светлана", "люда": "людмила", "галя": "галина", "надя": "надежда",
    **dict.fromkeys(("sasha", "shura"), "alexander"), **dict.fromkeys(("zhenya", "zhenia"), "yevgeny"),
    "dima": "dmitry", "misha": "mikhail", "kolya": "nikolai", **dict.fromkeys(("volodya", "vova"), "vladimir"),
    **dict.fromkeys(("seryozha", "serezha"), "sergei"), **dict.fromkeys(("lyosha", "alyosha", "alesha"), "alexei"),
    "pasha": "pavel", "petya": "pyotr", "vanya": "ivan", "kostya": "konstantin", "gosha": "georgy",
    "vitya": "viktor", "tolya": "anatoly", "katya": "yekaterina", "masha": "maria", "natasha": "natalya",
    "tanya": "tatyana", "olya": "olga", "anya": "anna", **dict.fromkeys(("yulya", "yulia"), "yulia"),
    "nastya": "anastasia", "sveta": "svetlana", "lyuda": "lyudmila", "galya": "galina", "nadya": "nadezhda",
}


def name_key(word: str, lang: str) -> tuple[str, str]:
    """(lemma, key) of one name token; ``key`` is ``"=" + exonym key`` for names in the table,
    else the phonetic skeleton of the (lemmatised, transliterated) token; a hypocoristic first name
    (``_HYPOCORISMS``) gets its full name's skeleton."""
    single, _ = _exonyms()
    lg = _lang(lang)
    w = re.sub(r"['’]s$", "", word)
    low = w.lower().replace("ё", "е")
    if low in single:
        return low, "=" + single[low]
    cyr = bool(re.search(r"[а-яё]", low))
    lemma = low
    if cyr:
        lemma = ru_lemma(w) if lg in ("ru", "uk", "be", "") or cyr else low
        if lemma in single:
            return lemma, "=" + single[lemma]
        return lemma, skeleton(ru_latin(_HYPOCORISMS.get(lemma, lemma)))
    return lemma, skeleton(_HYPOCORISMS.get(lemma, lemma))


def _alt_keys(m: NameMention) -> tuple[str, ...]:
    """The keys a mention may match by: its lemma's and, for a Russian word, its surface form's. pymorphy3
    guesses a lemma for a foreign name it does not know, and the guess can be a verb («Рассел» → «рассесть»,
    «Флайерз» → «флайерзнуть»); the surface form of a nominative name keeps the name's skeleton."""
    if m.key.startswith("=") or not re.search(r"[а-яё]", m.text.lower()):
        return (m.key,)
    surface = _surface_key(m.text)
    return (m.key,) if surface == m.key or not surface else (m.key, surface)


@lru_cache(maxsize=50000)
def _surface_key(word: str) -> str:
    """The skeleton of a Russian word as written (names_match compares every pair of a bead's names)."""
    return skeleton(ru_latin(re.sub(r"['’]s$", "", word)))


def names_match(a: NameMention, b: NameMention) -> float:
    """Similarity of two name mentions in [0, 1]: 1 for the same key; otherwise a spelling
    similarity of their vowel-normalised forms (catches leftover declension, e.g. Lavrova/Lavrov)."""
    if a.key == b.key:
        return 1.0
    if a.key.startswith("=") or b.key.startswith("="):
        return 0.0
    keys_a, keys_b = _alt_keys(a), _alt_keys(b)
    if set(keys_a) & set(keys_b):
        return 1.0
    # a Russian place adjective renders its place («Окское междуречье» / "Oka", «Волжский» / "Volga"): its key
    # without the adjective's -sk- is the place's
    for x, y, kx, ky in ((a, b, keys_a, keys_b), (b, a, keys_b, keys_a)):
        if x.lemma.endswith(("ский", "цкий")) and any(k.endswith("sk") and len(k) >= 4 and k[:-2] in ky for k in kx):
            return 0.9
    best = 0.0
    for ka in keys_a:
        for kb in keys_b:
            if min(len(ka), len(kb)) >= 3 and (ka.startswith(kb) or kb.startswith(ka)):
                best = max(best, 0.9 if abs(len(ka) - len(kb)) <= 1 else 0.8)
    if best:
        return best
    la = _vowel_form(ru_latin(a.lemma))
    lb = _vowel_form(ru_latin(b.lemma))
    # the phonetic reading only ever says "the same name"; below that its graded similarity of two different
    # names is noise (Катар inside Bayraktar), and the spelling ratio grades the substitution
    phon = _cross_script(a, b)
    return max(difflib.SequenceMatcher(None, la, lb).ratio(), phon if phon >= _PHONETIC_SAME else 0.0)


_PHONETIC_SAME = 0.75  # the name detector's default ``name_match``


def _cross_script(a: NameMention, b: NameMention) -> float:
    """Phonetic similarity (:mod:`align.normalize.phonetic`) of a Cyrillic and a capitalised Latin mention, by the
    Russian lemma or surface form: foreign names are transcribed by their own language's rules (Хиль ~ Gil). Other
    pairs (same script, a lower-case word on either side) give 0."""
    from .phonetic import phonetic_similarity

    cyr_a, cyr_b = bool(re.search(r"[а-яё]", a.text.lower())), bool(re.search(r"[а-яё]", b.text.lower()))
    if cyr_a == cyr_b:
        return 0.0
    ru, en = (a, b) if cyr_a else (b, a)
    if not en.text[:1].isupper() or not ru.text[:1].isupper() or not re.fullmatch(r"[^\W\d_]+(?:['’]s)?", en.text):
        return 0.0  # a lower-case word of either side («обвинили» ~ "Barnaul") is no name to compare by sound
    latin = re.sub(r"['’]s$", "", en.text)
    forms = [latin]
    # a demonym or adjective renders its place: "Saharan" ~ «Сахара», "Venezuelan" ~ «Венесуэла»
    m = re.fullmatch(r"(.{4,}?)(?:ian|an|n|ese|i)", latin)
    if m:
        forms.append(m.group(1))
    return max(phonetic_similarity(r, f) for r in (ru.lemma, ru.text) for f in forms)


@lru_cache(maxsize=1)
def _en_common() -> frozenset:
    """English words capitalised by convention that are not names to compare (titles, institutions,
    sentence starters): ``align/data/en_common_caps.txt``."""
    path = DATA / "en_common_caps.txt"
    if not path.exists():
        return frozenset()
    return frozenset(l.strip().lower() for l in path.read_text(encoding="utf-8").splitlines()
                     if l.strip() and not l.startswith("#"))


# a hyphen opens a sentence only as a dash ("— Jamal", " - Jamal"), not inside a compound ("Ust-Jamal")
_SENT_START = re.compile(r"(?:^|[.!?…]\s+|[\n]|[«\"“(—–]\s*|(?<!\w)-\s*)$")


def _sentence_initial(text: str, start: int) -> bool:
    return bool(_SENT_START.search(text[max(0, start - 4):start])) or start == 0


def name_tokens(text: str, lang: str) -> list[NameMention]:
    """Proper-name tokens of ``text`` with script-independent keys.

    Russian: capitalised tokens that are not sentence-initial, plus sentence-initial ones that
    pymorphy3 reads as a name/surname/place/organisation or does not know; all-caps acronyms.
    English: capitalised tokens except conventional capitals (titles, institutions, sentence
    starters: ``en_common_caps.txt``). Known multi-word names ("United States") are one mention.
    Other languages: capitalised non-initial tokens, keyed by their skeleton."""
    lg = _lang(lang)
    toks = _tokens(text)
    single, multi = _exonyms()
    out: list[NameMention] = []
    i = 0
    common = _en_common()
    max_n = max((len(k) for k in multi), default=0)
    while i < len(toks):
        a, b, w = toks[i]
        # multi-word exonyms, matched on lower-cased (Russian: lemmatised) tokens
        hit = None
        for n in range(min(max_n, len(toks) - i), 1, -1):
            seq = toks[i:i + n]
            if any(text[seq[k][1]:seq[k + 1][0]].strip() not in ("", "-") for k in range(n - 1)):
                continue
            forms = tuple(t[2].lower().replace("ё", "е") for t in seq)
            key = multi.get(forms)
            if key is None and re.search(r"[а-яё]", forms[0]):
                key = multi.get(tuple(ru_lemma(t[2]) for t in seq))
            if key is not None:
                hit = (n, key)
                break
        if hit:
            n, key = hit
            e = toks[i + n - 1][1]
            if w[:1].isupper() or w.isupper() or lg in ("ru", "uk", "be"):
                out.append(NameMention(a, e, text[a:e], text[a:e].lower(), "=" + key, "exonym"))
                i += n
                continue
        if not w[:1].isupper() or w[:1].isdigit():
            i += 1
            continue
        low = w.lower().replace("ё", "е")
        base = re.sub(r"['’]s$", "", low)
        initial = _sentence_initial(text, a)
        is_acr = w.isupper() and len(w) >= 2
        cyr = bool(re.search(r"[а-яё]", low))
        if base in single:
            lemma, key = name_key(w, lang)
            out.append(NameMention(a, b, w, lemma, key, "exonym"))
            i += 1
            continue
        if cyr:
            lemma, tags, known = ru_parse(w)
            if lemma in single:
                out.append(NameMention(a, b, w, lemma, "=" + single[lemma], "exonym"))
                i += 1
                continue
            if initial and not is_acr and not (_NAME_TAGS & tags) and (known or _morph() is None):
                i += 1
                continue
            if (not initial and "ADJF" in tags and lemma.endswith(("ский", "цкий", "ской", "цкой"))
                    and i + 1 < len(toks) and toks[i + 1][0] - b <= 1 and ru_lemma(toks[i + 1][2]) in _RU_GEO_NOUNS):
                # «Свердловской области», «в Дзержинском районе»: the adjective made from a place name is that
                # place's name (not «Красная площадь», «Центральный округ»: translated, "Red Square")
                lemma, key = name_key(w, lang)
                out.append(NameMention(a, b, w, lemma, key, "place"))
                i += 1
                continue
            if not (_NAME_TAGS & tags) and known and not is_acr and _morph() is not None:
                # a capitalised common word mid-sentence (a title, «Министерство»): not a name to compare
                if "NOUN" not in tags or lemma in _RU_COMMON_CAPS:
                    i += 1
                    continue
            if "-" in w and not is_acr:
                parts = [(a + m.start(), a + m.end(), m.group()) for m in re.finditer(r"[^-]+", w)]
                if len(parts) > 1:
                    for pa, pb, pw in parts:
                        if len(pw) >= 3 and pw[:1].isupper():
                            pl, pk = name_key(pw, lang)
                            out.append(NameMention(pa, pb, pw, pl, pk, "name"))
                    i += 1
                    continue
            lemma, key = name_key(w, lang)
            kind = ("acronym" if is_acr else "person" if {"Name", "Surn", "Patr"} & tags else "place" if "Geox" in tags
                    else "org" if {"Orgn", "Trad"} & tags else "name" if not known else "common")
            if kind in ("name", "common") and _institution_compound(w):
                kind = "org"  # «Минвостокразвития», «Росстат»: a state body's compound abbreviation
            if kind == "common" and not initial and i > 0 and toks[i - 1][1] == a - 1 \
                    and ru_lemma(toks[i - 1][2]) in _RU_PLACE_HEADS:
                # a capitalised noun in apposition to a generic place noun is that place's name («космодрома
                # Байконур», «аэропорта Внуково»), though the dictionary knows the word as a common noun
                kind = "place"
            out.append(NameMention(a, b, w, lemma, key, kind))
            i += 1
            continue
        # Latin script
        head, _, tail = w.partition("-")
        if tail and head[:1].isupper() and tail.islower() and not is_acr:
            # a compound adjective ("Russian-language", "Moscow-based", "Kremlin-backed") names only its first part
            w, b = head, a + len(head)
            low = base = head.lower()
            if base in single:
                out.append(NameMention(a, b, w, base, "=" + single[base], "exonym"))
                i += 1
                continue
        if base in common or base in _EN_WORDS or base in _EN_ORD or base in _EN_SCALE or (initial and not is_acr and lg == "en" and base in _EN_FUNCTION):
            i += 1
            continue
        if initial and not is_acr and lg != "en":
            i += 1
            continue
        if "-" in w and not is_acr:
            # a hyphenated chain of names ("Cheshkino-Totma-Kotlas", "Jean-Claude") is compared part by part,
            # as on the Russian side: the other side may write the parts apart or with dashes
            parts = [(a + m.start(), a + m.end(), m.group()) for m in re.finditer(r"[^-]+", w)]
            caps = [p for p in parts if len(p[2]) >= 3 and p[2][:1].isupper() and p[2].lower() not in common]
            if len(caps) > 1:
                for pa, pb, pw in caps:
                    pl, pk = name_key(pw, lang)
                    if pk:
                        out.append(NameMention(pa, pb, pw, pl, pk, "name"))
                i += 1
                continue
        lemma, key = name_key(w, lang)
        if key:
            out.append(NameMention(a, b, w, lemma, key, "acronym" if is_acr else "name"))
        i += 1
    return out


def _institution_compound(word: str) -> bool:
    from .institutions import segment_compound

    return segment_compound(word) is not None


def token_keys(text: str, lang: str) -> list[NameMention]:
    """Every word of ``text`` (any case) as a key-bearing mention, plus adjacent pairs joined
    ("Quang Binh" → one key): what a name on the other side may correspond to when it is not
    written as a name here (a Russian adjective, a lower-cased word)."""
    toks = _tokens(text)
    out = []
    for i, (a, b, w) in enumerate(toks):
        if len(w) < 3 or w.isdigit():
            continue
        lemma, key = name_key(w, lang)
        out.append(NameMention(a, b, w, lemma, key, "token"))
        if "-" in w:  # "sub-Saharan", "pro-Kiev": the parts too
            for pm in re.finditer(r"[^-]{3,}", w):
                pl, pk = name_key(pm.group(), lang)
                out.append(NameMention(a + pm.start(), a + pm.end(), pm.group(), pl, pk, "token"))
        if i + 1 < len(toks) and toks[i + 1][0] - b <= 1 and w[:1].isupper() and toks[i + 1][2][:1].isupper():
            j = toks[i + 1]
            joined = w + j[2]
            lem2, key2 = name_key(joined, lang)
            out.append(NameMention(a, j[1], text[a:j[1]], lem2, key2, "token"))
    return out


# nouns whose capitalised -ский adjective names a place: «Тверская область», «Дзержинский район»
_RU_GEO_NOUNS = frozenset("""область район край округ улица проспект площадь переулок шоссе набережная бульвар
город поселок село""".split())
_RU_PLACE_HEADS = frozenset("""космодром аэропорт аэродром порт город поселок село деревня станица станция остров река
озеро гора залив пролив полуостров""".split())
_RU_COMMON_CAPS = frozenset("""министерство министр президент премьер правительство совет комитет служба управление
агентство партия суд республика область край округ федерация штат""".split())

_EN_FUNCTION = frozenset("""a an the this that these those it its he she they we i you his her their our my your
in on at by for from with to of as if when while after before since during until according however but and or so
yet also there here what who whom which where why how all some many most more no not one two three several both
each every other another such earlier later meanwhile moreover furthermore besides then now today yesterday
tomorrow last next first second third new former previously currently recently still even only just about
over under between among against without within into onto upon through across around near behind above below
despite although though because unless whether once instead finally overall thus therefore hence nevertheless
experts officials sources reports residents people police authorities analysts observers critics""".split())
