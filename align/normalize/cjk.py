"""Numbers and dates in Korean, Chinese and Japanese text, as the same mentions the Russian and English readers give.

Numbers: Arabic digits (full-width too) with CJK scale characters («1万2千» = 12,000, «2.5億» = 2.5e8, «3만» = 30,000,
«1억 2천만» = 1.2e8), numerals written in characters when a counter, unit or «第» / «百分之» marks them as a quantity
(«三千名», «百分之十五» = 15 %, «第三次» = ordinal 3; a numeral inside a word such as «统一» or «一定» is none), percent
and units in each script («15프로센트», «15％», «5トン»), vague quantities («수십», «数百» = 200–999). Numbers written in
characters are ``kind="word"`` like English number words, so a lone «一» is as weak as "one".

Dates: «2025년 12월 7일», «2025年12月7日», «12月7日», «7日», weekdays («월요일», «星期一», «月曜日») and Juche years
(«주체114(2025)년», «主体114年», "Juche 114" = 2025: Juche year + 1911; a Gregorian year printed beside it wins).
"""

from __future__ import annotations

import re

from .dates import DateMention
from .numbers import NumberMention

JUCHE_OFFSET = 1911
JUCHE = re.compile(r"(?:Juche|JUCHE|주체|主体|主體|チュチェ|Чучхе|чучхе|Juché)\s*(?P<jy>\d{1,3})"
                   r"(?:\s*[(（]\s*(?P<gy>\d{4})\s*[)）])?(?:\s*(?:년|年))?", re.U)

_JUCHE_RU = re.compile(r"(?<!\d)(?P<jy>\d{1,3})(?:-?го)?\s+год\w*\s+(?:чучхе|Чучхе)", re.U)
_FW = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_DIGIT_CH = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "십": 10, "백": 100, "천": 1000}
_BIG = {"万": 1e4, "萬": 1e4, "만": 1e4, "亿": 1e8, "億": 1e8, "억": 1e8, "兆": 1e12, "조": 1e12}

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_HAN_NUM = "〇零一二两兩三四五六七八九十拾百佰千仟万萬亿億兆"
# a run of digits and scale characters; Korean may put a space between groups («1억 2천만»)
_RUN_ZHJA = re.compile(rf"(?:{_NUM}|[{_HAN_NUM}])+", re.U)
_RUN_KO = re.compile(rf"{_NUM}(?:\s?[십백천]?\s?[만억조](?:\s?{_NUM}\s?[십백천]?)?)*(?:\s?{_NUM})?\s?[십백천]?"
                     r"(?:\s?[만억조])?", re.U)

# units after a number: name → pattern (all three languages; KCNA Korean writes 프로센트, 킬로메터)
_UNITS = [
    ("pp", r"퍼센트포인트|个百分点|ポイント"),
    ("%", r"%|프로센트|퍼센트|프로|パーセント"),
    ("USD", r"달러|美元|ドル"),
    ("EUR", r"유로|欧元|ユーロ"),
    ("RUB", r"루블|卢布|ルーブル"),
    ("CNY", r"위안|人民币|元"),
    ("JPY", r"엔|日元|円"),
    ("KPW", r"원"),
    ("km", r"킬로메터|킬로미터|km|公里|キロメートル|キロ"),
    ("kg", r"킬로그람|킬로그램|kg|公斤|キログラム"),
    ("t", r"톤|吨|噸|トン"),
]
_UNIT_RE = re.compile(r"\s?(?:" + "|".join(f"(?P<{'u' + str(i)}>{p})" for i, (_, p) in enumerate(_UNITS)) + ")")
# counters that make a numeral written in characters a quantity («三千名», «五人», «十回»)
_COUNTER = re.compile(r"[个個名人次年月日号號天吨噸米元倍架艘枚辆輛台家所座项項条條场場届屆位岁歳件回隻機カ箇ヶ周週度期"
                      r"种種批部项章条%％]|か所|カ所|トン|キロ|ドル|円|公里|美元|万|亿|億|兆", re.U)
_DATE_AFTER = re.compile(r"\s?(?:년|年|월|月|일|日|号|號)")
_TIME = re.compile(r"(?P<h>\d{1,2})\s?(?:시|時|时|点|點)\s?(?:(?P<mi>\d{1,2})\s?(?:분|分))?", re.U)
_APPROX = re.compile(r"(?:수|数|數|幾|几)(?P<small>[십백천十百千])?(?P<big>[만억万萬亿億])?", re.U)
_ORD_BEFORE = re.compile(r"(?:第|제)\s?$")
_ORD_AFTER = re.compile(r"\s?(?:번째|째|回目|番目|次(?!元))")
_PCT_BEFORE = re.compile(r"百分之$")


def _parse(run: str) -> tuple[float, float, bool] | None:
    """(value, precision, written in characters) of a run such as «1万2千», «2.5億», «三千», «1억 2천만».

    The precision is the rounding step of the last number written: the scale characters after it times its
    decimals («2.5億» → 1e7, «3만» → 1e4), 0 for plain digits."""
    run = run.replace(" ", "")
    total, section, current = 0.0, 0.0, None
    chars = False
    last_dec, after = 0, 1.0  # decimals of the last number written, scale applied after it
    digits_ch = ""
    i = 0
    while i < len(run):
        m = re.match(_NUM, run[i:])
        if m:
            txt = m.group().replace(",", "")
            current = float(txt)
            last_dec, after = (len(txt.split(".")[1]) if "." in txt else 0), 1.0
            i += m.end()
            continue
        ch = run[i]
        if ch in _DIGIT_CH:
            chars = True
            digits_ch += str(_DIGIT_CH[ch])
            current = float(digits_ch)
            last_dec, after = 0, 1.0
        elif ch in _SMALL:
            chars = chars or ch in "十拾百佰千仟"
            section += (current if current is not None else 1.0) * _SMALL[ch]
            after *= _SMALL[ch]
            current, digits_ch = None, ""
        elif ch in _BIG:
            chars = chars or ch in "万萬亿億兆"
            big = _BIG[ch]
            part = section + (current or 0.0)
            if part == 0 and total:
                total *= big
            else:
                total += (part or 1.0) * big
            after *= big
            section, current, digits_ch = 0.0, None, ""
        else:
            return None
        i += 1
    value = total + section + (current or 0.0)
    prec = after * 10.0 ** -last_dec if after > 1 else 0.0
    return value, prec, chars and not re.search(r"\d", run)


def _unit(rest: str) -> tuple[str | None, int]:
    m = _UNIT_RE.match(rest)
    if not m:
        return None, 0
    return next(name for i, (name, _) in enumerate(_UNITS) if m.group(f"u{i}")), m.end()


def numbers(text: str, lang: str) -> list[NumberMention]:
    """Quantities of Korean (``ko``), Chinese (``zh``) or Japanese (``ja``) text, sorted by position; see the
    module. Years (a 4-digit number before 년 / 年) are ``kind="year"``; month and day numbers are left to
    :func:`dates`; clock times are minutes after midnight (``unit="time"``)."""
    t = text.translate(_FW)  # full-width digits are one character each: offsets stay the same
    out: list[NumberMention] = []
    taken: list[tuple[int, int]] = []

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    def add(n: NumberMention):
        out.append(n)
        taken.append((n.start, n.end))

    for m in JUCHE.finditer(t):
        taken.append(m.span())  # a Juche year is a date
    for m in _TIME.finditer(t):
        h, mi = int(m.group("h")), int(m.group("mi") or 0)
        if h <= 24 and mi <= 59 and (m.group("mi") or lang == "ko" or t[m.end(): m.end() + 1] in ("", " ", "，", "、")):
            if free(*m.span()):
                add(NumberMention(float(h * 60 + mi), m.start(), m.end(), text[m.start():m.end()], "time", "time"))
    for m in _APPROX.finditer(t):
        if not (m.group("small") or m.group("big")) or not free(*m.span()):
            continue
        f = _SMALL.get(m.group("small") or "", 1) * _BIG.get(m.group("big") or "", 1)
        lo, hi = 2.0 * f, 9.99 * f
        add(NumberMention((lo + hi) / 2, m.start(), m.end(), text[m.start():m.end()], None, "approx", lo, hi))
    run_re = _RUN_KO if lang == "ko" else _RUN_ZHJA
    for m in run_re.finditer(t):
        a, b = m.span()
        if not free(a, b) or not m.group().strip():
            continue
        run = m.group().rstrip()
        b = a + len(run)
        parsed = _parse(run)
        if parsed is None:
            continue
        value, prec, chars = parsed
        before, rest = t[max(0, a - 4):a], t[b:]
        if chars and lang == "ko":
            continue
        if chars and not (_COUNTER.match(rest) or _ORD_BEFORE.search(before) or _PCT_BEFORE.search(t[:a])):
            continue  # «统一», «一定», «万一»: a numeral inside a word
        if _PCT_BEFORE.search(t[:a]):
            a2 = a - 3
            add(NumberMention(value, a2, b, text[a2:b], "%", "word" if chars else "number", precision=prec))
            continue
        if _ORD_BEFORE.search(before):
            a2 = a - len(_ORD_BEFORE.search(before).group())
            add(NumberMention(value, a2, b, text[a2:b], None, "ordinal"))
            continue
        om = _ORD_AFTER.match(rest)
        if om and not chars and "." not in run:
            add(NumberMention(value, a, b + om.end(), text[a:b + om.end()], None, "ordinal"))
            continue
        dm = _DATE_AFTER.match(rest)
        if dm:
            if dm.group().strip() in ("년", "年") and 1000 <= value <= 2200 and not chars:
                add(NumberMention(value, a, b + dm.end(), text[a:b + dm.end()], None, "year"))
            else:
                taken.append((a, b + dm.end()))  # a month or a day: the dates reader's
            continue
        unit, ue = _unit(rest)
        add(NumberMention(value, a, b + ue, text[a:b + ue], unit, "word" if chars else "number", precision=prec))
    out.sort(key=lambda n: n.start)
    return out


_WEEKDAYS = [
    r"월요일|星期一|周一|週一|礼拜一|月曜日?", r"화요일|星期二|周二|週二|礼拜二|火曜日?", r"수요일|星期三|周三|週三|礼拜三|水曜日?",
    r"목요일|星期四|周四|週四|礼拜四|木曜日?", r"금요일|星期五|周五|週五|礼拜五|金曜日", r"토요일|星期六|周六|週六|礼拜六|土曜日?",
    r"일요일|星期日|星期天|周日|週日|礼拜天|日曜日?",
]
_WD = re.compile("|".join(f"(?P<w{i}>{p})" for i, p in enumerate(_WEEKDAYS)), re.U)
_YMD = re.compile(r"(?:(?P<y>\d{4})\s?(?:년|年)\s?)?(?:(?P<m>\d{1,2})\s?(?:월|月)\s?)?(?:(?P<d>\d{1,2})\s?(?:일|日|号|號))?",
                  re.U)
_SLASH = re.compile(r"(?<![\d.])(?P<y>\d{4})[./-](?P<m>\d{1,2})[./-](?P<d>\d{1,2})\.?(?![\d])")


def juche_years(text: str) -> list[DateMention]:
    """Juche years in any language («주체114(2025)년», «主体114年», "Juche 114"): Juche year + 1911 = Gregorian
    year; when both are printed the Gregorian one is kept. A Juche year followed by a month and day
    («주체114년 12월 7일») is the whole date."""
    out = []
    t = text.translate(_FW)
    for m in _JUCHE_RU.finditer(t):  # «114 года чучхе»
        out.append(DateMention(m.start(), m.end(), text[m.start():m.end()], "year",
                               year=int(m.group("jy")) + JUCHE_OFFSET))
    for m in JUCHE.finditer(t):
        year = int(m.group("gy")) if m.group("gy") else int(m.group("jy")) + JUCHE_OFFSET
        a, b = m.span()
        if any(a < d.end and d.start < b for d in out):
            continue
        md = re.match(r"\s?(?P<m>\d{1,2})\s?(?:월|月)\s?(?:(?P<d>\d{1,2})\s?(?:일|日|号|號))?", t[b:])
        if md and md.group("m") and 1 <= int(md.group("m")) <= 12:
            day = int(md.group("d")) if md.group("d") else None
            b += md.end()
            out.append(DateMention(a, b, text[a:b], "date" if day else "month", day=day, month=int(md.group("m")),
                                   year=year))
        else:
            out.append(DateMention(a, b, text[a:b], "year", year=year))
    return out


def dates(text: str, lang: str) -> list[DateMention]:
    """Calendar references of Korean, Chinese or Japanese text with only the written fields set: «2025년 12월 7일»
    = «2025年12月7日» = "December 7, 2025"; «12月», «7日», «2025年», weekdays, 2025.12.7 and Juche years."""
    t = text.translate(_FW)
    out = juche_years(text)
    taken = [(d.start, d.end) for d in out]

    def add(a, b, kind, **f):
        if any(not (b <= s or a >= e) for s, e in taken):
            return
        taken.append((a, b))
        out.append(DateMention(a, b, text[a:b], kind, **f))

    for m in _SLASH.finditer(t):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            add(m.start(), m.end(), "numeric", day=d, month=mo, year=y)
    for m in _YMD.finditer(t):
        if not m.group().strip() or not (m.group("y") or m.group("m") or m.group("d")):
            continue
        if m.start() > 0 and t[m.start() - 1].isdigit():
            continue
        y = int(m.group("y")) if m.group("y") else None
        mo = int(m.group("m")) if m.group("m") else None
        d = int(m.group("d")) if m.group("d") else None
        if (mo is not None and not 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
            continue
        if y is not None and not (1000 <= y <= 2200):
            continue
        rest = t[m.end():m.end() + 2]
        if d is not None and mo is None and y is None and re.match(r"\s?(?:간|동안|以内|内|間|之内|까지의)", rest):
            continue  # «7日内», «7일간»: a number of days
        a, b = m.start(), m.end()
        while b > a and t[b - 1] == " ":
            b -= 1
        kind = "date" if d is not None and mo is not None else "month" if mo else "year" if y and not d else "day"
        add(a, b, kind, day=d, month=mo, year=y)
    for m in _WD.finditer(t):
        add(m.start(), m.end(), "weekday", weekday=next(i for i in range(7) if m.group(f"w{i}")))
    out.sort(key=lambda d: d.start)
    return out
