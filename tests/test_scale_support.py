"""Support for the partitioned-build tests (no tests here): a generated multi-day corpus of invented
articles, a cheap deterministic bilingual fake encoder, and the worker set-up hook that registers it.

Words are pseudo-words built from syllables; the Russian word n and the English word n are the same
syllables in Cyrillic and Latin letters, and the fake encoder maps both to the same random vector
(seeded by a stable hash, so every process agrees): a sentence and its rendering embed alike.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone

import numpy as np

from align.encoders import Encoder

RU_SYL = ["ка", "ло", "ми", "ра", "ну", "те", "во", "са"]
EN_SYL = ["ka", "lo", "mi", "ra", "nu", "te", "vo", "sa"]
_LAT = dict(zip(RU_SYL, EN_SYL))
D = 48


def word(n: int, lang: str) -> str:
    syl = RU_SYL if lang == "ru" else EN_SYL
    return "".join(syl[(n >> (3 * k)) & 7] for k in range(3))


def _token(w: str) -> str:
    w = w.lower().strip(".,")
    if w[:1].isascii():
        return w
    return "".join(_LAT.get(w[i:i + 2], w[i:i + 2]) for i in range(0, len(w), 2))


class FakeEncoder(Encoder):
    """Bag of pseudo-words: the sum of each word's vector (shared by its two spellings)."""

    name = "fake-bilingual"
    dim = D

    def signature(self) -> str:
        return "fake-bilingual-1"

    def _encode(self, texts, lang):
        out = np.zeros((len(texts), D), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.split():
                tok = _token(w)
                if tok:
                    out[i] += np.random.default_rng(zlib.crc32(tok.encode())).normal(size=D).astype(np.float32)
        return out


def setup_worker() -> None:
    """Worker hook: register the fake encoder and leave out the torch token model (not the point here)."""
    import align.encoders as E

    E.register("fake-bilingual", lambda **kw: FakeEncoder())
    E.token_model = lambda: None


def sentence(story: int, k: int, lang: str, number: int | None = None) -> str:
    words = [word(story * 40 + k * 6 + j, lang) for j in range(6)]
    if number is not None:
        words.insert(3, str(number))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def make_articles(days: int = 3, per_day: int = 5, en_per_day: int = 4, start: str = "2026-03-01"):
    """``per_day`` Russian items a day, the first ``en_per_day`` of them rendered in English 1–7 hours
    later (so some renderings fall on the next UTC day); every third rendering drops its last
    sentence, every fourth changes a number."""
    from corpus.records import Article

    d0 = datetime.fromisoformat(start).replace(tzinfo=timezone.utc)
    out = []
    for d in range(days):
        for i in range(per_day):
            story = d * per_day + i
            t = d0 + timedelta(days=d, hours=2 + i * 5)
            n = 10 + story
            ru_paras = (sentence(story, 0, "ru") + " " + sentence(story, 1, "ru", n), sentence(story, 2, "ru"),
                        sentence(story, 3, "ru") + " " + sentence(story, 4, "ru"))
            out.append(Article("tass", "ru", "ru", f"https://tass.ru/politika/{1000 + story}", sentence(story, 9, "ru"),
                               paragraphs=ru_paras, published=t.isoformat(), origin="sample"))
            if i >= en_per_day:
                continue
            m = n + 1 if story % 4 == 3 else n
            en_paras = [sentence(story, 0, "en") + " " + sentence(story, 1, "en", m), sentence(story, 2, "en"),
                        sentence(story, 3, "en") + (" " + sentence(story, 4, "en") if story % 3 else "")]
            out.append(Article("tass", "en", "en", f"https://tass.com/politics/{5000 + story}", sentence(story, 9, "en"),
                               paragraphs=tuple(en_paras), published=(t + timedelta(hours=1 + story % 7)).isoformat(),
                               origin="sample"))
    return out


def make_store(path, **kw):
    from corpus.store import Store

    st = Store(path)
    for a in make_articles(**kw):
        st.upsert_article(a)
    return st
