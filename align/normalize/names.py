"""Proper names → :class:`NameMention` with a script-independent ``key``.

Russian tokens are lemmatised, transliterated with one fixed scheme and reduced to a phonetic skeleton that
also absorbs English spelling conventions (Moskva/Moscow → ``mskv``); exonyms and acronyms no
transliteration reaches (США/US, Кремль/Kremlin) come from ``align/data/names.tsv``; a Cyrillic and a Latin
name are also compared by sound (:mod:`.phonetic`), and state-body abbreviations are matched to their
expansions (:mod:`.institutions`). :func:`names_match` scores two mentions in [0, 1].
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from .common import _NAME_TAGS, _TOKEN, DATA, _lang, _morph, _tokens, ru_lemma, ru_parse
from .numbers import _EN_ORD, _EN_SCALE, _EN_WORDS


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
    for path in (DATA / "names.tsv", DATA / "names_kcna.tsv"):  # names_kcna.tsv: KCNA's six editions
        if path.exists():
            _read_exonyms(path, single, multi)
    return single, multi


_TABLE_KINDS = ("person",)  # an optional last column of names_kcna.tsv


@lru_cache(maxsize=1)
def person_keys() -> frozenset[str]:
    """Keys of table names that are persons (``kind`` column ``person``): they take part in person swaps."""
    keys = set()
    for path in (DATA / "names.tsv", DATA / "names_kcna.tsv"):
        if path.exists():
            with path.open(encoding="utf-8") as f:
                keys.update(row[0].strip() for row in csv.reader(f, delimiter="\t")
                            if row and not row[0].startswith("#") and row[-1].strip() == "person")
    return frozenset(keys)


def table_kind(key: str) -> str:
    """The mention kind of a table name: ``person`` for a listed person, ``exonym`` otherwise."""
    return "person" if key.lstrip("=") in person_keys() else "exonym"


def _read_exonyms(path, single: dict, multi: dict) -> None:
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 2:
                continue
            key = row[0].strip()
            for col in row[1:]:
                if col.strip() in _TABLE_KINDS:
                    continue
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
    from . import names_cjk

    cjk = names_cjk.match(a, b)  # a Hangul, Hanzi or Kana mention (KCNA's kp, cn, jp editions)
    if cjk is not None:
        return cjk
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
    Other languages: capitalised non-initial tokens, keyed by their skeleton; Korean, Chinese and Japanese:
    :func:`align.normalize.names_cjk.name_tokens`."""
    lg = _lang(lang)
    if lg in ("ko", "zh", "ja"):
        from . import names_cjk

        return names_cjk.name_tokens(text, lg)
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
                out.append(NameMention(a, e, text[a:e], text[a:e].lower(), "=" + key, table_kind(key)))
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
            out.append(NameMention(a, b, w, lemma, key, table_kind(key)))
            i += 1
            continue
        if cyr:
            lemma, tags, known = ru_parse(w)
            if lemma in single:
                out.append(NameMention(a, b, w, lemma, "=" + single[lemma], table_kind(single[lemma])))
                i += 1
                continue
            if _syllable_run(toks, i, text):
                # «Ли Сон Мин», «Нгуен Фу Чонг»: a Korean, Chinese or Vietnamese name written syllable by syllable;
                # its syllables are often Russian words too («сон», «мин», «ли»), so the dictionary is not asked
                low_w = low.replace("ё", "е")
                out.append(NameMention(a, b, w, low_w, skeleton(ru_latin(low_w)), "person"))
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
                out.append(NameMention(a, b, w, base, "=" + single[base], table_kind(single[base])))
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
    if lg == "es":  # title words of Spanish institution names («Fábrica», «Exposición») are no names
        from .spanish import drop_common_caps

        return drop_common_caps(out)
    return out


_SYLLABLE = re.compile(r"[А-ЯЁ][а-яё]{0,4}")


def _syllable_run(toks, i: int, text: str) -> bool:
    """Whether token ``i`` is in a run of two to four capitalised Cyrillic words of at most five letters joined by a
    space or hyphen only, none an adjective or acronym: a name of a language written in syllables (Korean «Ли Сон
    Мин», Chinese «Ван И», Vietnamese «Фам Минь Тьинь»). A Russian name's parts are longer or include a patronymic."""

    def ok(k: int) -> bool:
        w = toks[k][2]
        return bool(_SYLLABLE.fullmatch(w)) and "ADJF" not in ru_parse(w)[1]

    def joined(k: int) -> bool:  # tokens k and k + 1 are adjacent
        return k + 1 < len(toks) and text[toks[k][1]:toks[k + 1][0]] in (" ", "-", "\u00a0")

    if not ok(i):
        return False
    lo = i
    while lo > 0 and joined(lo - 1) and ok(lo - 1):
        lo -= 1
    hi = i
    while joined(hi) and ok(hi + 1):
        hi += 1
    return 2 <= hi - lo + 1 <= 4


def _institution_compound(word: str) -> bool:
    from .institutions import segment_compound

    return segment_compound(word) is not None


def token_keys(text: str, lang: str) -> list[NameMention]:
    """Every word of ``text`` (any case) as a key-bearing mention, plus adjacent pairs joined
    ("Quang Binh" → one key): what a name on the other side may correspond to when it is not
    written as a name here (a Russian adjective, a lower-cased word)."""
    if _lang(lang) in ("ko", "zh", "ja"):
        from . import names_cjk

        return names_cjk.token_keys(text, _lang(lang))
    toks = _tokens(text)
    out = []
    for i, (a, b, w) in enumerate(toks):
        if len(w) < 3 or w.isdigit():
            continue
        lemma, key = name_key(w, lang)
        out.append(NameMention(a, b, w, lemma, key, "token"))
        if "-" in w:  # "sub-Saharan", "pro-Kiev", a Korean given name's second syllable ("Jong-ho"): the parts too
            for pm in re.finditer(r"[^-]{2,}", w):
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
