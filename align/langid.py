"""Language of a text as ISO 639-1 probabilities: the script decides Korean, Japanese and Chinese, langdetect the rest.

langdetect reads Han-heavy text badly: a Japanese news text with many kanji (KCNA's Japanese edition: long chains
of titles and names) comes out as Korean, and so does a Chinese headline, though neither has a single Hangul letter.
The script settles these: Hangul is Korean, kana is Japanese, Han without either is Chinese (or Japanese when
langdetect prefers it among the two). Other texts go to langdetect (seeded, so answers are reproducible), with its
``zh-cn`` / ``zh-tw`` read as ``zh``. Texts with fewer than ``min_letters`` letters (default 20) get no verdict.
"""

from __future__ import annotations

import threading

_LOCK = threading.Lock()
_LD_MAP = {"zh-cn": "zh", "zh-tw": "zh"}


def _script_counts(text: str) -> dict[str, int]:
    c = {"hangul": 0, "kana": 0, "han": 0, "letters": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        c["letters"] += 1
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            c["hangul"] += 1
        elif 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9D:
            c["kana"] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            c["han"] += 1
    return c


def _langdetect(sample: str) -> dict[str, float]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    with _LOCK:
        DetectorFactory.seed = 0
        try:
            langs = detect_langs(sample)
        except LangDetectException:
            return {}
    probs: dict[str, float] = {}
    for la in langs:
        code = _LD_MAP.get(la.lang, la.lang.split("-")[0])
        probs[code] = probs.get(code, 0.0) + la.prob
    return probs


def language_probs(text: str, *, min_letters: int = 20, max_chars: int = 3000) -> dict[str, float]:
    """ISO 639-1 code → probability for ``text`` (its first ``max_chars`` characters); ``{}`` when it has
    too few letters to judge. CJK scripts (at least half the letters) are decided by script, see the module."""
    sample = text[:max_chars]
    c = _script_counts(sample)
    if c["letters"] < min_letters:
        return {}
    cjk = c["hangul"] + c["kana"] + c["han"]
    if cjk >= 0.5 * c["letters"]:
        if c["hangul"] >= 0.3 * cjk:
            return {"ko": 1.0}
        if c["kana"] >= max(2, 0.02 * cjk):
            return {"ja": 1.0}
        if c["hangul"] == 0:
            ld = _langdetect(sample)
            return {"ja": 1.0} if ld.get("ja", 0.0) > ld.get("zh", 0.0) else {"zh": 1.0}
    return _langdetect(sample)


def top_language(text: str, **kw) -> tuple[str, float] | None:
    """(code, probability) of the likeliest language of ``text``, or ``None`` when it cannot be judged."""
    probs = language_probs(text, **kw)
    if not probs:
        return None
    return max(probs.items(), key=lambda kv: kv[1])
