"""Reading a document given on the command line (``align`` / ``diff``): text, furniture, language, sentences.

A user pastes a page as it reads on the site, so by default the page furniture (headline, subtitle,
credits, bylines, timestamps, teasers, tags, navigation) and the dateline are taken off by
``corpus.furniture.strip_furniture`` before the body is split into sentences; ``keep_furniture``
keeps every line (the dateline is then one sentence). The declared language is checked: an unknown
ISO 639-1 code is an error, and so is text that langdetect reads as clearly another language
(``force_lang`` goes on anyway). Every problem is a one-line ``click.ClickException``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from ..dateline import split_dateline
from ..furniture import DATELINE_WITHIN, Page, Stripped, strip_furniture

# ISO 639-1 codes (the two-letter ones a user may declare with --src-lang / --tgt-lang)
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en
eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv
ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne
ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st
su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

# a text is "clearly another language" when langdetect gives the declared one less than this ...
DECLARED_MAX = 0.10
# ... and another language at least this
OTHER_MIN = 0.90


@dataclass
class Document:
    """A document read for researcher mode: its sentences and what was taken off the page."""

    path: str
    lang: str
    sentences: list[str]
    page: Page | None = None  # None with keep_furniture
    stripped: list[Stripped] = field(default_factory=list)


def check_lang_code(code: str, option: str) -> str:
    """The declared language as a lower-case ISO 639-1 code; an unknown code is a one-line error."""
    c = (code or "").strip().lower()
    if c not in ISO_639_1:
        from ..parse import edition_lang

        lang = edition_lang("kcna", c)  # KCNA's edition codes kp, cn, jp are not language codes
        lang = lang if lang != c else None
        hint = f"; KCNA's {c} edition is written in {lang!r}, pass {option} {lang}" if lang else ""
        raise click.ClickException(f"{option} {code!r} is not an ISO 639-1 language code (e.g. ru, en, de){hint}")
    return c


def _langdetect_profiles() -> set[str]:
    import langdetect.detector_factory as df

    df.init_factory()
    return {x.split("-")[0] for x in df._factory.get_lang_list()}


CYRILLIC_LANGS = {"ru", "uk", "be", "bg", "mk", "kk", "ky", "tg", "mn"}
LATIN_LANGS = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "sv", "da", "no", "fi", "tr", "ro", "hu",
               "id", "ms", "vi", "hr", "sl", "et", "lv", "lt", "ca", "eu", "ga"}


def _check_script(path: str, sample: str, lang: str, option: str) -> None:
    """A short text langdetect cannot judge still shows its script: English declared as Russian (swapped files) has
    no Cyrillic letter at all. Raise when the letters of its words (3+ letters), at least 10, are almost all (≥ 90 %) in the other
    script."""
    import re

    letters = [ch for w in re.findall(r"[^\W\d_]{3,}", sample) for ch in w]  # words, not codes such as "s0"
    if len(letters) < 10:
        return
    cyr = sum("\u0400" <= ch <= "\u04ff" for ch in letters) / len(letters)
    lat = sum(ch.isascii() for ch in letters) / len(letters)
    wrong = ("Latin" if lang in CYRILLIC_LANGS and lat >= 0.9 else
             "Cyrillic" if lang in LATIN_LANGS and cyr >= 0.9 else None)
    if wrong:
        raise click.ClickException(f"{path}: the text is written in {wrong} script, not the script of {lang!r} "
                                   f"as {option} says; fix {option} or pass --force-lang")


def check_text_lang(path: str, text: str, lang: str, option: str) -> None:
    """Raise when langdetect reads ``text`` as clearly another language than ``lang`` declares.

    Only languages langdetect knows are checked, and texts too short to judge pass (a verdict on
    them would be noise): the check is there to catch swapped files or a wrong --src-lang."""
    if lang not in _langdetect_profiles():
        return
    from align.langid import language_probs

    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 40:
        _check_script(path, sample, lang, option)  # too short for langdetect: its script still tells
        return
    probs = language_probs(sample, max_chars=5000)  # the script decides Korean, Japanese, Chinese
    if not probs:
        return
    top, p = max(probs.items(), key=lambda kv: kv[1])
    if top != lang and p >= OTHER_MIN and probs.get(lang, 0.0) < DECLARED_MAX:
        raise click.ClickException(
            f"{path}: the text reads as {top!r} (langdetect {p:.2f}), not {lang!r} as {option} says; "
            f"fix {option} or pass --force-lang")


def read_text(path: str) -> str:
    p = Path(path)
    if not p.is_file():
        raise click.ClickException(f"{path}: no such file")
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path}: not UTF-8 text") from None
    except OSError as e:
        raise click.ClickException(f"{path}: {e.strerror or e}") from None


def read_document(path: str, lang: str, *, presegmented: bool = False, keep_furniture: bool = False,
                  force_lang: bool = False, option: str = "--src-lang") -> Document:
    """The sentences of a UTF-8 text file: one per non-empty line with ``presegmented``, else each
    line is a paragraph split by ``align.segment.split_sentences``. Furniture is stripped first unless
    ``keep_furniture``; the text's language is checked against ``lang`` unless ``force_lang``."""
    from align.segment import split_sentences

    text = read_text(path)
    lines = [ln.strip() for ln in text.splitlines()]
    page = None
    if keep_furniture:
        body = [ln for ln in lines if ln]
    else:
        page = strip_furniture(lines, lang)
        body = page.body
    if not force_lang:
        check_text_lang(path, "\n".join(body), lang, option)
    if keep_furniture:  # the dateline is one sentence, whatever the segmenter makes of what follows it
        for i, ln in enumerate(body[:DATELINE_WITHIN]):
            dl = split_dateline(ln, lang)
            if dl:
                head = ln[: len(ln) - len(dl.rest)].strip()
                body = body[:i] + [head] + ([dl.rest] if dl.rest else []) + body[i + 1:]
                break
    if presegmented:
        sents = list(body)
    else:
        sents = []
        for ln in body:
            sents.extend(ln[a:b].strip() for a, b in split_sentences(ln, lang) if ln[a:b].strip())
    if not sents:
        why = " after the page furniture was stripped (try --keep-furniture)" if page and page.stripped else ""
        raise click.ClickException(f"{path}: no text (no sentences{why})")
    return Document(path, lang, sents, page, list(page.stripped) if page else [])


def read_sentences(path: str, lang: str, presegmented: bool) -> list[str]:
    """Every sentence of a file, furniture kept (the behaviour of the plain reader)."""
    return read_document(path, lang, presegmented=presegmented, keep_furniture=True, force_lang=True).sentences


def describe_stripped(doc: Document, limit: int = 60) -> str:
    """What was taken off the page, for stderr: a heading line, then one indented line per item."""
    if not doc.stripped:
        return ""
    parts = []
    for s in doc.stripped:
        t = s.text if len(s.text) <= limit else s.text[: limit - 1] + "…"
        parts.append(f"{s.kind} (line {s.index + 1}) {t!r}")
    n = len(doc.stripped)
    return (f"{doc.path}: stripped {n} furniture item{'s' if n != 1 else ''} (--keep-furniture keeps them):\n  "
            + "\n  ".join(parts))
