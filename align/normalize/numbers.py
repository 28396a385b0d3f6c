"""Numbers in Russian and English text → :class:`NumberMention` (scaled value, range, unit, precision).

«12 тыс.» is 12,000, «1,5 млрд» is 1.5e9, «десятки» is 20..99; ranges share scale and unit («10–15 тыс.»,
"5-7%"); a four-digit number before the noun it counts («1100 учеников») is a quantity, not a year; the
precision a writer rounded to is kept so a translator's rounding is no change (:func:`numbers_equal`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .common import _lang, _morph, _tokens, ru_lemma, ru_parse


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
    # a stretch of time as (length, dimension): seconds ("s") for seconds to weeks, months ("mo") for months and years;
    # «1,5 часа» and "90 minutes" state the same duration in different units
    duration: tuple[float, str] | None = None

    @property
    def lo(self) -> float:
        return self.value if self.low is None else self.low

    @property
    def hi(self) -> float:
        return self.value if self.high is None else self.high


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
    if lg in ("ko", "zh", "ja", "es"):  # CJK numerals and units, Spanish separators and scale words
        from . import cjk, spanish

        return cjk.numbers(text, lg) if lg != "es" else spanish.numbers(text)
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
        dur = (float(h * 3600 + mi * 60), "s") if m.group("h2") else None
        out.append(NumberMention(float(h * 60 + mi), m.start(), m.end(), m.group(), "time", "time", duration=dur))
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
    out = _durations(sorted(out, key=lambda n: n.start), text)
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
        from .dates import _RU_MON  # months are dates' vocabulary; imported here to keep dates → numbers one-way

        if re.fullmatch(_RU_MON, w, re.I):
            return False
        _, tags, _ = ru_parse(w)
        return bool({"NOUN", "ADJF"} & tags) or _morph() is None
    return not 1900 <= value <= 2100


_TIME = re.compile(
    r"(?<![\w.,:։])(?:(?P<h>\d{1,2})(?:[:։](?P<mi>\d{2})(?!\d|[.,]\d)(?:\s?(?P<ap>[ap]\.?m\.?)(?!\w))?"
    r"|\.(?P<mi3>\d{2})\s?(?P<ap3>[ap]\.?m\.?)(?!\w)|\s?(?P<ap4>[ap]\.?m\.?)(?!\w))"
    r"|(?P<h2>\d{1,2})\s*(?:час\w*|ч\.?|hours?|hrs?\.?|h)\s+(?:and\s+)?(?P<mi2>\d{1,2})\s*(?:минут\w*|мин\.?|minutes?"
    r"|mins?\.?|m)(?!\w))", re.I | re.U)
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


# a time unit right after a number, and its length in its dimension's base unit
_DUR_UNITS = [
    (r"час\w*|hours?|hrs?", 3600.0, "s"), (r"минут\w*|minutes?|mins?", 60.0, "s"),
    (r"секунд\w*|seconds?|secs?", 1.0, "s"), (r"суток|сутки|дн(?:я|ей|ям|ями|ях)|день|days?", 86400.0, "s"),
    (r"недел\w*|weeks?", 604800.0, "s"), (r"месяц\w*|months?", 1.0, "mo"), (r"год(?:а|у|ом)?|лет|years?", 12.0, "mo"),
]
_DUR_RE = re.compile(r"[ \u00a0\u202f]*-?[ \u00a0\u202f]*(?:" + "|".join(f"(?P<d{i}>{p})" for i, (p, _, _) in enumerate(_DUR_UNITS))
                     + r")(?!\w)", re.I | re.U)
# between the parts of a compound duration: «2 часа 40 минут», "two hours and 40 minutes", "an hour, 5 minutes"
_DUR_JOIN = re.compile(r"\s*(?:,\s*)?(?:(?:and|и)\s+)?", re.I | re.U)
# "an hour and 48 minutes": the leading unit's one is a word
_DUR_ONE = re.compile(r"(?<!\w)(?:an?|one|один|одна)\s+(hour|day|week|month|year)\s+and\s+$", re.I | re.U)


def _durations(out: list[NumberMention], text: str) -> list[NumberMention]:
    """Mark the numbers followed by a time unit as durations («1,5 часа» = "90 minutes", «полтора года» = "18 months")
    and join a compound duration into one mention («2 часа 40 минут», "two hours and 40 minutes", "an hour and 48
    minutes"), whose value is in its smallest unit, as the clock-time reading of «1 час 48 минут» already is."""
    res: list[NumberMention] = []
    for n in out:
        if n.duration is None and n.unit is None and n.kind in ("number", "word"):
            m = _DUR_RE.match(text, n.end)
            if m:
                k = next(i for i in range(len(_DUR_UNITS)) if m.group(f"d{i}"))
                f, dim = _DUR_UNITS[k][1], _DUR_UNITS[k][2]
                n = NumberMention(n.value, n.start, n.end, n.text, n.unit, n.kind, n.low, n.high, n.precision,
                                  duration=(n.value * f, dim))
                prev = res[-1] if res else None
                pm = _DUR_RE.match(text, prev.end) if prev is not None and prev.duration else None
                unit_end = pm.end() if pm else (prev.end if prev is not None else -1)
                j = _DUR_JOIN.match(text, unit_end) if prev is not None and prev.duration else None
                if (j is not None and j.end() == n.start and prev.duration[1] == dim
                        and prev.duration[0] / max(prev.value, 1e-9) > f):
                    total = prev.duration[0] + n.value * f
                    res[-1] = NumberMention(total / f, prev.start, m.end(), text[prev.start:m.end()], "time", "time",
                                            duration=(total, dim))
                    continue
                one = _DUR_ONE.search(text[max(0, n.start - 30):n.start])
                if one:
                    big = {"hour": 3600.0, "day": 86400.0, "week": 604800.0, "month": 1.0, "year": 12.0}[one.group(1).lower()]
                    if big > f and (dim == "mo") == (one.group(1).lower() in ("month", "year")):
                        a = n.start - len(one.group())
                        total = big + n.value * f
                        n = NumberMention(total / f, a, m.end(), text[a:m.end()], "time", "time", duration=(total, dim))
        res.append(n)
    return res


def numbers_equal(a: NumberMention, b: NumberMention, rel_tol: float = 1e-6) -> bool:
    """Whether two mentions state the same quantity, allowing the writer's rounding
    ("1.53 million" = "1.5 million") and vague ranges («десятки» = "dozens" = 30); two durations compare by their
    length («1,5 часа» = "90 minutes")."""
    if a.duration and b.duration and a.duration[1] == b.duration[1] and a.kind != "approx" and b.kind != "approx":
        x, y = a.duration[0], b.duration[0]
        if abs(x - y) <= rel_tol * max(abs(x), abs(y), 1e-9):
            return True
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
