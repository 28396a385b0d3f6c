"""Names in Korean, Chinese and Japanese text, keyed so they compare with the Latin and Cyrillic names of the other
editions (김정은 / 金正恩 / Kim Jong Un / Ким Чен Ын; 평양 / 平壤 / Pyongyang / Пхеньян).

These scripts have no capitals and write a name and its particle as one word («평양에서», «平壌で»), so names are found
by what marks them: the KCNA name table (``align/data/names_kcna.tsv``, found as substrings, longest first; its keys
are the ``=key`` of :mod:`.names`), and a person's name before an honorific or after a title («리병철동지», «총리 박봉주»,
«赵甬元同志», «朴正天氏») and in Korean a place before 시 / 군 / 구역 («원산시»). Chinese and Japanese renderings of Korean
names are read in their Korean readings (``align/data/hanja_ko.tsv``: 赵甬元 → jo, yong, won), so they key like Hangul. An unknown Korean name is romanised syllable by syllable in
the McCune–Reischauer-like scheme KCNA's English edition uses (리병철 → Ri Pyong Chol: one mention per syllable, as the
English writes it), keyed by :func:`align.normalize.names.skeleton`; :func:`match` compares it with a Latin or
Cyrillic spelling by a Korean sound key (:func:`korean_key`) that merges voicing, aspiration and the Russian
Kontsevich spellings (Пён ~ Pyong, Чхоль ~ Chol, Ын ~ Un).
"""

from __future__ import annotations

import csv
import difflib
import re
from functools import lru_cache

from .common import DATA
from .names import NameMention, ru_latin, skeleton, table_kind

_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

_INITIALS = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"]
_MEDIALS = ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
            "u", "ui", "i"]
_FINALS = ["", "k", "k", "ks", "n", "nj", "nh", "t", "l", "lk", "lm", "lp", "ls", "lt", "lp", "lh", "m", "p", "ps",
           "t", "t", "ng", "t", "t", "k", "t", "p", "t"]


def romanize_syllable(ch: str) -> str:
    """One Hangul syllable in KCNA's English romanisation (McCune–Reischauer without diacritics): 병 → pyong."""
    o = ord(ch) - 0xAC00
    if not 0 <= o < 11172:
        return ch
    return _INITIALS[o // 588] + _MEDIALS[(o % 588) // 28] + _FINALS[o % 28]


def romanize(word: str) -> str:
    """A Hangul word in KCNA's English romanisation, syllables joined (원산 → wonsan); other characters dropped."""
    return "".join(romanize_syllable(ch) for ch in word if _HANGUL.match(ch))


_KEY_RULES = [
    ("chkh", "ch"), ("pkh", "p"), ("tkh", "t"), ("kkh", "k"),  # Russian aspirates: Чхоль, Пхеньян, Тхэ
    ("chzh", "J"), ("dzh", "J"), ("tch", "J"), ("zh", "J"), ("ch", "J"), ("ts", "J"), ("j", "J"), ("z", "J"),
    ("ph", "p"), ("th", "t"), ("kh", "k"), ("sh", "s"), ("ng", "n"), ("g", "k"), ("d", "t"), ("b", "p"), ("l", "r"),
    ("w", "v"), ("f", "p"), ("c", "k"), ("q", "k"), ("x", "ks"), ("h", ""),
]


def korean_key(latin_or_cyrillic: str) -> str:
    """A sound key for a romanised Korean name in any scheme: consonants only, voicing and aspiration merged,
    ㅈ/ㅊ as one letter, ng = n, l = r. Pyong ~ Пён ~ Byeong → ``pn``; Chol ~ Чхоль ~ Cheol → ``Jr``."""
    s = latin_or_cyrillic.lower()
    if re.search(r"[а-яё]", s):
        s = ru_latin(s)
    s = re.sub(r"[^a-z]", "", s)
    for a, b in _KEY_RULES:
        s = s.replace(a, b)
    s = re.sub(r"[aeiouy]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], re.Pattern | None]:
    """CJK form → key of ``names_kcna.tsv`` and one regex of all forms, longest first."""
    forms: dict[str, str] = {}
    path = DATA / "names_kcna.tsv"
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t"):
                if not row or row[0].startswith("#") or len(row) < 4:
                    continue
                for col in row[1:4]:
                    for form in col.split("|"):
                        if form.strip():
                            forms.setdefault(form.strip(), row[0].strip())
    if not forms:
        return forms, None
    return forms, re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


_SURNAMES = set("김리이박최정조강윤장한림오신서권황안송전홍로류문량백허남주차현구라곽변공방함태계길석선설손우원염옥편")
# honorifics and titles after a Korean person's name («리병철동지», «박봉주 총리»)
_KO_AFTER = r"(?=\s?(?:동지|동무|선생|씨|님|대사|원수|장군|총리|부총리|위원장|부위원장|비서|부장|상\b))"
_KO_PERSON_AFTER = re.compile(rf"(?<![\uac00-\ud7a3])([\uac00-\ud7a3]{{2,3}}){_KO_AFTER}")
_KO_PERSON_BEFORE = re.compile(r"(?:위원장|부위원장|총리|부총리|비서|부장|외무상|국방상|대사|원수)\s([\uac00-\ud7a3]{3})"
                               r"(?=[\s,.·]|동지|이|가|은|는|을|를|와|과|의|에게|$)")
_KO_PLACE = re.compile(r"(?<![\uac00-\ud7a3])([\uac00-\ud7a3]{2,4}?)(?:시|군|구역|항)"
                       r"(?=(?:에서|에|의|를|을|는|은|와|과|로|으로|이|가|까지|안의)?(?:\s|$|[,.]))")
# particles and endings stripped from a Korean word before it is romanised as a possible name
_KO_PARTICLES = re.compile(r"(?:에서는|에서|에게|으로|로서|께서는|께서|동지|까지|부터|이다|이며|들은|들이|과|와|은|는|이|가|을|를|의|에|도|로"
                           r"|시|군|구역)+$")


def _person(text: str, a: int, b: int, out: list[NameMention]) -> None:
    for k in range(a, b):
        rom = romanize_syllable(text[k])
        out.append(NameMention(k, k + 1, text[k], rom, skeleton(rom), "person"))


@lru_cache(maxsize=1)
def _hanja() -> dict[str, str]:
    """Hanzi / Kanji → its Korean reading in KCNA's romanisation (``align/data/hanja_ko.tsv``)."""
    out: dict[str, str] = {}
    path = DATA / "hanja_ko.tsv"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                ch, reading = line.split("\t", 1)
                out.setdefault(ch.strip(), reading.strip())
    return out


_HAN_SURNAMES = "金李朴崔郑鄭赵趙姜尹张張韩韓林吴吳呉申徐权權権黄黃安宋全洪卢盧柳文梁白许許南朱车車玄具罗羅郭边邊辺孔方咸太桂吉石宣孙孫禹元廉玉片"
_HAN_TITLES = (r"同志|委员长|委員長|副委员长|副委員長|总理|総理|副总理|副総理|书记|書記|部长|部長|大使|外相|外务相|外務相|国防相|"
               r"國防相|氏|先生|次帅|次帥|元帅|元帥|总参谋长|総参謀長")
_HAN_PERSON_AFTER = re.compile(rf"([{_HAN_SURNAMES}][\u4e00-\u9fff]{{1,2}}?)(?=\s?(?:{_HAN_TITLES}))")
_HAN_PERSON_BEFORE = re.compile(rf"(?:{_HAN_TITLES})\s?([{_HAN_SURNAMES}][\u4e00-\u9fff]{{2}})")


def _han_person(text: str, a: int, b: int) -> list[NameMention] | None:
    """One ``person`` mention per character of a Chinese or Japanese rendering of a Korean name, keyed by the
    character's Korean reading (赵甬元 → jo, yong, won), or None when a character has no known reading."""
    table = _hanja()
    readings = [table.get(text[k]) for k in range(a, b)]
    if not all(readings):
        return None
    return [NameMention(k, k + 1, text[k], r, skeleton(r), "person") for k, r in zip(range(a, b), readings)]


def name_tokens(text: str, lang: str) -> list[NameMention]:
    """Name mentions of Korean (``ko``), Chinese (``zh``) or Japanese (``ja``) text, by position (see the module).
    Table names carry the table's ``=key`` (``kind`` from :func:`.names.table_kind`); unknown Korean persons give one
    ``person`` mention per syllable, places one ``place`` mention, keyed by the skeleton of their romanisation."""
    forms, rx = _table()
    out: list[NameMention] = []
    taken: list[tuple[int, int]] = []
    if rx is not None:
        for m in rx.finditer(text):
            out.append(NameMention(m.start(), m.end(), m.group(), m.group(), "=" + forms[m.group()],
                                   table_kind(forms[m.group()])))
            taken.append(m.span())

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    if lang == "ko":
        for rx_p in (_KO_PERSON_AFTER, _KO_PERSON_BEFORE):
            for m in rx_p.finditer(text):
                a, b = m.span(1)
                if text[a] in _SURNAMES and free(a, b):
                    _person(text, a, b, out)
                    taken.append((a, b))
        for m in _KO_PLACE.finditer(text):
            a, b = m.span(1)
            if free(a, b):
                rom = romanize(m.group(1))
                out.append(NameMention(a, b, m.group(1), rom, skeleton(rom), "place"))
                taken.append((a, b))
    else:
        for rx_p in (_HAN_PERSON_BEFORE, _HAN_PERSON_AFTER):
            for m in rx_p.finditer(text):
                a, b = m.span(1)
                ms = _han_person(text, a, b) if free(a, b) else None
                if ms:
                    out.extend(ms)
                    taken.append((a, b))
    out.sort(key=lambda n: n.start)
    return out


def token_keys(text: str, lang: str) -> list[NameMention]:
    """What a name of the other edition may correspond to here: every table name, and in Korean every word with
    its particles stripped, romanised (원산시에서 → wonsan), and its syllables (for a name written apart)."""
    out = [m for m in name_tokens(text, lang) if m.key.startswith("=")]
    if lang == "ko":
        for m in re.finditer(r"[\uac00-\ud7a3]+", text):
            w = m.group()
            stem = _KO_PARTICLES.sub("", w) or w
            if len(stem) >= 2:
                rom = romanize(stem)
                out.append(NameMention(m.start(), m.start() + len(stem), stem, rom, skeleton(rom), "token"))
    return out


def has_cjk(s: str) -> bool:
    return bool(_CJK.search(s))


def match(a: NameMention, b: NameMention) -> float | None:
    """Similarity in [0, 1] of two mentions when either is written in Hangul, Hanzi or Kana; ``None`` otherwise
    (then :func:`align.normalize.names.names_match` decides). Same key → 1; a table name against anything else → 0;
    a romanised Korean name against a Latin or Cyrillic one → 0.9 when their :func:`korean_key` agree, else the
    spelling similarity of those keys (below 0.75 for different names; 0 for a single syllable)."""
    ca, cb = has_cjk(a.text), has_cjk(b.text)
    if not (ca or cb):
        return None
    if a.key == b.key and a.key:
        return 1.0
    if a.key.startswith("=") or b.key.startswith("="):
        return 0.0
    best = 0.0
    for ra in ((a.lemma,) if ca else (a.text, a.lemma)):  # a declined Russian form and its lemma
        for rb in ((b.lemma,) if cb else (b.text, b.lemma)):
            if has_cjk(ra) or has_cjk(rb):
                continue
            ka, kb = korean_key(ra), korean_key(rb)
            if not ka or not kb:
                continue
            if ka == kb:
                return 0.9
            if not (ca and len(a.text) == 1 or cb and len(b.text) == 1):
                best = max(best, round(0.7 * difflib.SequenceMatcher(None, ka, kb).ratio(), 3))
    # one syllable of a name against another is the same or not: no graded similarity, so a changed name's
    # syllables pair up in order (리병철 → Pak Jong Chon is one substitution, not three crossing ones)
    return best
