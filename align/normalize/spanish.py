"""Numbers and dates in Spanish text, as the same mentions the Russian and English readers give.

Numbers: a dot groups thousands and a comma is the decimal mark («1.500,5» = 1500.5, «2,5» = 2.5; a space or a
thin space may group too: «12 000»); scale words («12 mil», «1,5 millones», «2.500 millones», «mil millones» = 1e9,
«millardo» = 1e9, «billón» = 1e12: the long scale), units and currencies («por ciento», «dólares», «toneladas»),
number words («tres», «veinte», «doscientos»: ``kind="word"``), vague quantities («decenas» = 20–99, «cientos»,
«miles»), ordinals «1.º», «3.ª». Four-digit numbers 1900–2100 with no scale are years.

Names: the capitalised words of institution and event titles («Fábrica», «Exposición», «Ministerio»:
``align/data/es_common_caps.txt``) are dropped from the name mentions, as English ones are.

Dates: «7 de diciembre de 2025», «7 de diciembre», «diciembre de 2025», «el 3 y el 7 de diciembre», weekdays, 7/12/2025.
"""

from __future__ import annotations

import re

from .common import DATA
from .dates import DateMention
from .numbers import NumberMention

_WORDS = {
    "cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16,
    "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintidós": 22,
    "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
    "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200,
    "doscientas": 200, "trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400,
    "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600, "setecientos": 700,
    "setecientas": 700, "ochocientos": 800, "ochocientas": 800, "novecientos": 900, "novecientas": 900,
    "docena": 12, "doble": 2, "triple": 3,
}
_SCALE = {"mil": 1e3, "millón": 1e6, "millon": 1e6, "millones": 1e6, "millardo": 1e9, "millardos": 1e9,
          "billón": 1e12, "billon": 1e12, "billones": 1e12}
_APPROX = {"decenas": (20, 99), "centenares": (200, 999), "cientos": (200, 999), "miles": (2000, 9999),
           "millones": (2e6, 9.99e8)}
_UNITS = [
    ("pp", r"puntos?\s+porcentuales"),
    ("%", r"%|por\s?ciento"),
    ("USD", r"dólares(?:\s+estadounidenses)?|dólar|USD"),
    ("EUR", r"euros?|EUR"),
    ("RUB", r"rublos?"),
    ("CNY", r"yuanes|yuan"),
    ("JPY", r"yenes|yen"),
    ("km", r"kilómetros?|km\b"),
    ("kg", r"kilogramos?|kg\b"),
    ("t", r"toneladas?"),
]
_UNIT_RE = re.compile(r"\s?(?:de\s+)?(?:" + "|".join(f"(?P<u{i}>{p})" for i, (_, p) in enumerate(_UNITS)) + r")(?!\w)",
                      re.I | re.U)
_DIGITS = re.compile(r"(?<![\w.,])(?P<int>\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)"
                     r"(?:,(?P<dec>\d+))?(?![\w]|[.,]\d)", re.U)
_SCALE_AFTER = re.compile(r"\s(?P<w>mil\s+millones|mil|millones|millón|millon|millardos?|billones|billón|billon)(?!\w)",
                          re.I | re.U)
_ORD = re.compile(r"\s?\.?[ºª°]")
_WORD = re.compile(r"[^\W\d_]+", re.U)


def numbers(text: str) -> list[NumberMention]:
    """Quantities of Spanish text, sorted by position (see the module)."""
    out: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    for m in _DIGITS.finditer(text):
        raw, dec = m.group("int"), m.group("dec")
        value = float(re.sub(r"[. \u00a0\u202f]", "", raw) + ("." + dec if dec else ""))
        a, b = m.span()
        rest = text[b:]
        om = _ORD.match(rest)
        if om and not dec:
            out.append(NumberMention(value, a, b + om.end(), text[a:b + om.end()], None, "ordinal"))
            taken.append((a, b + om.end()))
            continue
        scale = 1.0
        sm = _SCALE_AFTER.match(rest)
        if sm:
            w = sm.group("w").lower()
            scale = 1e9 if w.startswith("mil ") else _SCALE[w]
            b += sm.end()
            rest = text[b:]
        unit = None
        if text[max(0, a - 2):a].strip() in ("$", "US$"):
            unit, a = "USD", a - len(text[max(0, a - 2):a].lstrip()) - (1 if text[a - 1:a] == " " else 0)
        um = _UNIT_RE.match(rest)
        if um:
            unit = next(name for i, (name, _) in enumerate(_UNITS) if um.group(f"u{i}"))
            b += um.end()
        kind = "number"
        if scale == 1 and unit is None and not dec and "." not in raw and len(raw) == 4 and 1900 <= value <= 2100:
            kind = "year"
        prec = (10.0 ** -len(dec) if dec else 1.0) * scale if scale > 1 else 0.0
        out.append(NumberMention(value * scale, a, b, text[a:b], unit, kind, precision=prec))
        taken.append((a, b))
    out.extend(_word_numbers(text, taken))
    out.sort(key=lambda n: n.start)
    return out


def _word_numbers(text: str, taken: list[tuple[int, int]]) -> list[NumberMention]:
    """«doscientos cincuenta», «tres mil», «decenas»: a run of number words is one mention."""
    toks = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)
            if all(m.end() <= s or m.start() >= e for s, e in taken)]
    out: list[NumberMention] = []
    i = 0
    while i < len(toks):
        a, b, w = toks[i]
        if w in _APPROX and not (i > 0 and toks[i - 1][2] in _WORDS and toks[i - 1][1] + 1 >= a):
            lo, hi = _APPROX[w]
            out.append(NumberMention((lo + hi) / 2, a, b, text[a:b], None, "approx", lo, hi))
            i += 1
            continue
        if w not in _WORDS and w not in ("mil",):
            i += 1
            continue
        total, current, j, end = 0.0, 0.0, i, b
        while j < len(toks):
            ta, tb, tw = toks[j]
            if j > i and text[toks[j - 1][1]:ta].strip().lower() not in ("", "y"):
                break
            if tw in _WORDS:
                current += _WORDS[tw]
            elif tw in _SCALE:
                total += max(current, 1) * _SCALE[tw]
                current = 0
            elif tw == "y" and j > i:
                j += 1
                continue
            else:
                break
            end = tb
            j += 1
        value = total + current
        um = _UNIT_RE.match(text[end:])
        unit = None
        if um:
            unit = next(name for k, (name, _) in enumerate(_UNITS) if um.group(f"u{k}"))
            end += um.end()
        out.append(NumberMention(value, a, end, text[a:end], unit, "word"))
        i = max(j, i + 1)
    return out


_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "se(?:p)?tiembre", "octubre",
           "noviembre", "diciembre"]
_MON = "|".join(f"(?P<m{i}>{p})" for i, p in enumerate(_MONTHS))
_DATE = re.compile(rf"(?<!\d)(?P<d>[0-3]?\d)(?:\s*\.?º)?\s+de\s+(?:{_MON})(?:\s+(?:de|del)\s+(?P<y>\d{{4}}))?(?!\w)",
                   re.I | re.U)
_MONTH_YEAR = re.compile(rf"(?<!\w)(?:{_MON})(?:\s+(?:de|del)\s+(?P<y>\d{{4}}))?(?!\w)", re.I | re.U)
_RANGE = re.compile(rf"(?<!\d)(?P<d1>[0-3]?\d)\s*(?:[-–—]|\s(?:y|al|a|o)\s(?:el\s)?)\s*(?P<d2>[0-3]?\d)\s+de\s+"
                    rf"(?:{_MON})", re.I | re.U)
_NUMERIC = re.compile(r"(?<![\d./])(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>\d{4})(?![\d])")
_WEEKDAYS = ["lunes", "martes", "mi[ée]rcoles", "jueves", "viernes", "s[áa]bado", "domingo"]
_WD = re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<w{i}>{p})" for i, p in enumerate(_WEEKDAYS)) + r")(?!\w)", re.I | re.U)
_YEAR = re.compile(r"(?<![\d.,])(?P<y>19\d\d|20\d\d)(?![\d.,]\d|\w)")


def _month(m: re.Match) -> int:
    return next(i for i in range(12) if m.group(f"m{i}")) + 1


def dates(text: str) -> list[DateMention]:
    """Calendar references of Spanish text with only the written fields set (see the module)."""
    from .cjk import juche_years

    out: list[DateMention] = juche_years(text)  # "Juche 114 (2025)"
    taken: list[tuple[int, int]] = [(d.start, d.end) for d in out]

    def add(a, b, kind, **f):
        if any(not (b <= s or a >= e) for s, e in taken):
            return
        taken.append((a, b))
        out.append(DateMention(a, b, text[a:b], kind, **f))

    for m in _NUMERIC.finditer(text):
        d, mo = int(m.group("d")), int(m.group("m"))
        if 1 <= d <= 31 and 1 <= mo <= 12:
            add(m.start(), m.end(), "numeric", day=d, month=mo, year=int(m.group("y")))
    for m in _DATE.finditer(text):
        d = int(m.group("d"))
        if 1 <= d <= 31:
            add(m.start(), m.end(), "date", day=d, month=_month(m), year=int(m.group("y")) if m.group("y") else None)
    for m in _RANGE.finditer(text):  # «del 3 al 7 de diciembre»: the first day shares the month
        d1 = int(m.group("d1"))
        if 1 <= d1 <= 31:
            add(m.start("d1"), m.end("d1"), "date", day=d1, month=_month(m))
    for m in _MONTH_YEAR.finditer(text):
        w = m.group().lower()
        if w == "mayo" and not m.group("y") and not re.search(r"(?:de|en|desde|hasta)\s+$", text[:m.start()], re.I):
            continue
        add(m.start(), m.end(), "month", month=_month(m), year=int(m.group("y")) if m.group("y") else None)
    for m in _WD.finditer(text):
        add(m.start(), m.end(), "weekday", weekday=next(i for i in range(7) if m.group(f"w{i}")))
    for m in _YEAR.finditer(text):
        rest = text[m.end():m.end() + 12]
        if re.match(r"\s+(?:mil|millones|personas|toneladas|dólares|euros)", rest, re.I):
            continue
        add(m.start(), m.end(), "year", year=int(m.group("y")))
    out.sort(key=lambda d: d.start)
    return out


_COMMON_CAPS: frozenset | None = None


def drop_common_caps(mentions: list) -> list:
    """Name mentions without the capitalised title words of ``es_common_caps.txt`` (known names and acronyms stay)."""
    global _COMMON_CAPS
    if _COMMON_CAPS is None:
        path = DATA / "es_common_caps.txt"
        _COMMON_CAPS = frozenset(
            w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")
        ) if path.exists() else frozenset()
    def common(word: str) -> bool:  # the listed singular, or its plural («Exposiciones», «Fábricas»)
        w = word.lower()
        return any(f in _COMMON_CAPS for f in (w, w[:-1], w[:-2], w[:-5] + "ión" if w.endswith("iones") else ""))

    return [m for m in mentions if m.key.startswith("=") or m.text.isupper() or not common(m.text)]
