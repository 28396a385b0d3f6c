"""Cross-lingual normalisation of numbers, dates and names, so detectors compare values, not strings.

On ru↔en news a raw comparison of digits or capitalised words is useless: «12 тыс.» is "12,000", «4 сентября»
is "Sept. 4", «Москвы» is "Moscow". The difference detectors (``align.flags``) and article pairing compare what
these modules return. One module per concern:

- :mod:`.numbers` — :func:`numbers` → :class:`NumberMention`; :func:`numbers_equal`.
- :mod:`.dates` — :func:`dates` → :class:`DateMention`; :func:`dates_compatible`.
- :mod:`.names` — :func:`name_tokens` → :class:`NameMention` with a script-independent key; :func:`names_match`,
  helped by :mod:`.phonetic` (Хиль ~ Gil) and :mod:`.institutions` (Минвостокразвития ~ its English expansion).
- :mod:`.common` — the data folder, Russian morphology, tokenisation.

Every mention carries ``start``/``end`` character offsets into the text it was found in.
"""

from __future__ import annotations

from .common import DATA, ru_lemma, ru_parse
from .dates import DateMention, dates, dates_compatible
from .names import (
    NameMention, name_key, name_tokens, names_match, ru_latin, skeleton, token_keys, transliterate,
)
from .numbers import NumberMention, numbers, numbers_equal

__all__ = [
    "DATA", "DateMention", "NameMention", "NumberMention", "dates", "dates_compatible", "name_key", "name_tokens",
    "names_match", "numbers", "numbers_equal", "ru_latin", "ru_lemma", "ru_parse", "skeleton", "token_keys",
    "transliterate",
]
