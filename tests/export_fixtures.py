"""Shared test helper: a small store filled directly with records (no pipeline stages needed),
including hostile text (markup, quotes, control characters) and every bead shape."""

from __future__ import annotations

from pathlib import Path

from corpus.records import Article, Bead, DocPair, Flag, Sentence, Span
from corpus.store import Store

HOSTILE_TITLE = 'Взрыв <script>alert(1)</script> & <img src=x onerror="alert(2)"> «кавычки»'
HOSTILE_SENT = 'Он сказал: "<b>bold</b>" & \'single\' <iframe src=javascript:alert(3)></iframe> \x01\x0b end.'

SIGNATURE = {"tool": "tasscorpus", "version": "0.1.0", "encoder": "e5-small:test", "aligner": {"win": 3}}


def _article(edition: str, n: int, title: str, sents: list[str], section: str, day: int) -> Article:
    lang = edition
    host = "tass.ru" if edition == "ru" else "tass.com"
    return Article(source="tass", edition=edition, lang=lang, url=f"https://{host}/{section}/{1000 + n}",
                   title=title, paragraphs=tuple(sents), published=f"2026-11-{day:02d}T10:00:00+03:00",
                   section=section, origin="sample")


def fill_store(store: Store, n_pairs: int = 4, *, hostile: bool = True, signature: bool = True) -> list[int]:
    """``n_pairs`` ru/en document pairs. Pair 0 is hostile (markup/control chars) when asked; each
    pair has beads 1-1, 2-1, 1-0, 0-1, 1-1 with flags on some."""
    pair_ids = []
    for n in range(n_pairs):
        section = ["politics", "economy", "world"][n % 3]
        ru = [f"Первое предложение {n}.", f"Второе {n} — 12 тыс. человек.", f"Третье {n}.", f"Четвёртое {n}.",
              f"Пятое {n} без перевода.", f"Шестое {n}."]
        en = [f"First sentence {n}.", f"Second {n}, 12,000 people, and third {n}.", f"Fourth {n}.",
              f"Extra English sentence {n}.", f"Sixth {n}."]
        ru_title, en_title = f"Новость {n}", f"News {n}"
        if hostile and n == 0:
            ru[0] = HOSTILE_SENT
            en[0] = 'He said: "<b>bold</b>" & <script>alert(4)</script> tab\there,\nnew line.'
            ru_title = HOSTILE_TITLE
            en_title = "<script>alert('t')</script> News & <b>markup</b>"
        a_ru = _article("ru", 2 * n, ru_title, ru, section, 1 + n)
        a_en = _article("en", 2 * n + 1, en_title, en, section, 1 + n)
        rid, _ = store.upsert_article(a_ru)
        eid, _ = store.upsert_article(a_en)
        store.put_sentences(rid, [Sentence(rid, i, t, para=i, start=0, end=len(t)) for i, t in enumerate(ru)])
        store.put_sentences(eid, [Sentence(eid, i, t, para=i, start=0, end=len(t)) for i, t in enumerate(en)])
        (pid,) = store.put_pairs([DocPair(rid, eid, score=0.9 - 0.1 * n, kind="1-1", evidence={"time": 1.0})])
        beads = [
            Bead((0,), (0,), 0.95),
            Bead((1, 2), (1,), 0.80 - 0.05 * n),
            Bead((3,), (2,), 0.70),
            Bead((4,), (), 0.0),
            Bead((), (3,), 0.0),
            Bead((5,), (4,), 0.40 + 0.1 * n),
        ]
        store.put_beads(pid, beads)
        s1 = f"Второе {n} — 12 тыс. человек. Третье {n}."
        flags = [
            [Flag("framing_shift", 0.6, "major", (Span(0, 2),), (Span(0, 2),), {"lexicon": "<script>x</script>"})]
            if n == 0 else [],
            [Flag("number_changed", 0.9, "critical", (Span(s1.index("12"), s1.index("12") + 7),), (Span(10, 16),),
                  {"src": "12 тыс.", "tgt": "12,000"})] if n % 2 == 0 else [],
            [],
            [Flag("omission", 1.0, "major", (Span(0, len(ru[4])),), (), {})],
            [Flag("addition", 1.0, "major", (), (Span(0, len(en[3])),), {})],
            [Flag("meaning_shift", 0.55, "minor", (Span(0, 5),), (Span(0, 5),), {}),
             Flag("negation_or_polarity", 0.7, "major", (Span(2, 6),), (Span(1, 4),), {})] if n == 1 else [],
        ]
        store.put_flags(pid, flags)
        pair_ids.append(pid)
    if signature:
        store.set_meta("signature", SIGNATURE)
    return pair_ids


def make_store(path: Path, n_pairs: int = 4, **kw) -> Path:
    with Store(path) as s:
        fill_store(s, n_pairs, **kw)
    return path
