"""Russian state-body abbreviations matched to their English expansions (Минвостокразвития ~ "the Ministry for the
Development of the Russian Far East", ФСБ ~ "Federal Security Service", Росстат ~ "the Federal Statistics Service").

Why: TASS's English desk spells out what the Russian abbreviates, so no name key or transliteration links the two,
and the English words of the expansion ("Far", "East") then look like names the Russian does not have. Two readings,
both driven by the word table ``align/data/institutions.tsv`` (Russian forms → English words; no list of whole
institutions):

- a compound abbreviation is segmented into table stems (мин|восток|развития, рос|стат, гос|дума; it must start with
  a head stem such as Мин-, Рос-, Гос-, Сов-); the English renders it when a short stretch of the other text holds a
  word for every non-head stem (the head's word may be left out: "Rosstat" / "the statistics service");
- an acronym (ФСБ, МЧС, ЦБ, СК, ВСУ) stands for table words with its letters' initials; the English renders it when a
  short stretch holds such a word for at least two thirds of the letters, each a different word.

:func:`rendering` returns the character span of that stretch in the other text, or ``None``. :func:`glossed_by`
tells whether an English word translates a word of a Russian text (the reverse check for a spelled-out Russian name:
«Министерство по развитию Дальнего Востока» / "Far East").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "institutions.tsv"
MAX_TAIL = 5  # letters of an inflection or suffix a compound's stem may carry («развит|ия», «имущ|ество»)


@dataclass(frozen=True)
class Entry:
    forms: tuple[str, ...]  # Russian: dictionary form first, then stems
    glosses: tuple[str, ...]  # English words; "agro*" = a prefix
    head: bool = False

    @property
    def initial(self) -> str:
        return self.forms[0][:1]

    def renders(self, word: str) -> bool:
        w = word.lower()
        return any(w.startswith(g[:-1]) if g.endswith("*") else w == g for g in self.glosses)


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """The word table (``align/data/institutions.tsv``)."""
    out = []
    if not DATA.exists():
        return ()
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        forms = tuple(f.strip().replace("ё", "е") for f in cols[0].split("|") if f.strip())
        glosses = tuple(g.strip().lower() for g in cols[1].split("|") if g.strip())
        out.append(Entry(forms, glosses, len(cols) > 2 and cols[2].strip() == "head"))
    return tuple(out)


@lru_cache(maxsize=1)
def _stems() -> dict[str, list[Entry]]:
    stems: dict[str, list[Entry]] = {}
    for e in entries():
        for f in e.forms:
            if " " not in f and len(f) >= 3:
                stems.setdefault(f, []).append(e)
    return stems


@lru_cache(maxsize=20000)
def segment_compound(word: str) -> tuple[Entry, ...] | None:
    """The table entries a compound abbreviation is made of (Минвостокразвития → министерство, восток, развитие), or
    ``None`` when the word is not such a compound: it must split wholly into 2+ stems, each followed by at most
    ``MAX_TAIL`` letters, the first a head; of several splits the one with the least tail is kept."""
    w = word.lower().replace("ё", "е")
    if not re.fullmatch(r"[а-я]+", w) or len(w) < 5:
        return None
    stems = _stems()
    best: dict[int, tuple[int, tuple[Entry, ...]]] = {0: (0, ())}  # position -> (tail letters, entries)
    for i in range(len(w)):
        if i not in best:
            continue
        tail0, seq = best[i]
        for s, es in stems.items():
            if not w.startswith(s, i):
                continue
            if not seq and not any(e.head for e in es):
                continue
            e = next((e for e in es if e.head), es[0]) if not seq else es[0]
            j = i + len(s)
            for t in range(0, MAX_TAIL + 1):
                if j + t > len(w):
                    break
                cand = (tail0 + t, seq + (e,))
                if j + t not in best or cand[0] < best[j + t][0]:
                    best[j + t] = cand
    got = best.get(len(w))
    if not got or len(got[1]) < 2:
        return None
    return got[1]


def acronym_letters(word: str) -> tuple[tuple[Entry, ...], ...] | None:
    """For a Cyrillic acronym of 2–5 capitals, the table entries each letter may stand for; ``None`` otherwise."""
    if not re.fullmatch(r"[А-ЯЁ]{2,5}", word):
        return None
    by_initial: dict[str, list[Entry]] = {}
    for e in entries():
        by_initial.setdefault(e.initial, []).append(e)
    return tuple(tuple(by_initial.get(ch.lower().replace("ё", "е"), ())) for ch in word)


_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)


def _covered(slots: list[tuple[Entry, ...]], words: list[str]) -> int:
    """How many slots get a distinct word of ``words`` that renders one of their entries (greedy, few slots)."""
    used: set[int] = set()
    n = 0
    for options in slots:
        k = next((k for k, w in enumerate(words) if k not in used and any(e.renders(w) for e in options)), None)
        if k is not None:
            used.add(k)
            n += 1
    return n


def rendering(word: str, other_text: str) -> tuple[int, int] | None:
    """The span of ``other_text`` (English) that spells out the Russian abbreviation ``word``, or ``None`` (see the
    module docstring). The stretch is the shortest one found, at most three words a part plus three."""
    comp = segment_compound(word)
    if comp is not None:
        optional, slots = [(comp[0],)], [(e,) for e in comp[1:]]
        need = len(slots)
    else:
        letters = acronym_letters(word)
        if letters is None:
            return None
        slots = [opts for opts in letters if opts]
        optional = []
        need = max(2, -(-2 * len(letters) // 3))
        if len(slots) < need:
            return None
    toks = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(other_text)]
    width = 3 * len(slots + optional) + 3
    best = None
    for i, (a, _, w) in enumerate(toks):
        if not any(e.renders(w) for opts in slots + optional for e in opts):
            continue
        for j in range(i, min(len(toks), i + width)):
            if not any(e.renders(toks[j][2]) for opts in slots + optional for e in opts):
                continue
            words = [t[2] for t in toks[i:j + 1]]
            if _covered(slots, words) >= need:
                span = (a, toks[j][1])
                if best is None or span[1] - span[0] < best[1] - best[0]:
                    best = span
                break
    if best is None:
        return None
    # the whole title-case run the stretch sits in ("the Federal Statistics Service", "the Defense Ministry")
    k0 = next(k for k, t in enumerate(toks) if t[0] == best[0])
    k1 = next(k for k, t in enumerate(toks) if t[1] == best[1])

    def part(k: int, step: int) -> bool:
        # a capitalised institution word right next to the stretch; "of the" may sit in between
        gap = other_text[toks[min(k, k - step)][1]:toks[max(k, k - step)][0]]
        return gap.strip() == "" and toks[k][2][:1].isupper() and _institution_word(toks[k][2])

    for step in (-1, 1):
        k = k0 if step < 0 else k1
        while True:
            n = k + step
            if 0 <= n < len(toks) and part(n, step):
                k = n
                continue
            m = n
            while 0 <= m < len(toks) and toks[m][2].lower() in _CONNECT and \
                    not other_text[toks[min(m, m - step)][1]:toks[max(m, m - step)][0]].strip():
                m += step
            if m != n and 0 <= m < len(toks) and part(m, step):
                k = m
                continue
            break
        if step < 0:
            k0 = k
        else:
            k1 = k
    return toks[k0][0], toks[k1][1]


_CONNECT = frozenset({"of", "for", "on", "and", "the"})
_HEADS = frozenset("ministry agency service office department board authority committee council watchdog "
                   "inspectorate directorate administration commission".split())


def _institution_word(word: str) -> bool:
    w = re.sub(r"['’]s$", "", word.lower())
    return w in _HEADS or any(e.renders(w) for e in entries())


@lru_cache(maxsize=1)
def _by_form() -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in entries():
        for f in e.forms:
            out.setdefault(f, []).append(e)
    return out


def glossed_by(english_word: str, russian_lemmas) -> bool:
    """Whether ``english_word`` renders a table word among ``russian_lemmas`` (Russian dictionary forms): "East" for
    «восток», "Far" for «дальний», "Development" for «развитие»."""
    forms = _by_form()
    for lem in russian_lemmas:
        for e in forms.get(lem, ()):
            if e.renders(english_word):
                return True
    return False


def gloss_in(russian_lemma: str, other_text: str) -> tuple[int, int] | None:
    """The span of the first word of ``other_text`` that translates the table word ``russian_lemma`` («Востока» →
    "East"), or ``None``: the converse of :func:`glossed_by`, for a capitalised word of a spelled-out Russian name."""
    es = _by_form().get(russian_lemma, ())
    if not es:
        return None
    for m in _WORD.finditer(other_text):
        if any(e.renders(m.group()) for e in es):
            return m.span()
    return None
