"""Run the real tool on the rewrite benchmark: align each pair, detect flags, and hand the results to the scorer.

``flag_results(pairs, encoder, config)`` aligns each pair with ``align.aligner.align`` (or takes the gold beads with
``beads="gold"``, to look at the flag stage alone), runs ``align.flags.detect`` and returns one
:class:`corpus.evaluation.rewrites.PairResult` per pair for :func:`corpus.evaluation.rewrites.score_flags`.

Input (``input=``):
* ``"gold"`` (default): the gold body sentences of each side, as a user's segmenter would ideally give them;
* ``"page"``: the raw page lines as a user copies them, furniture stripped by ``corpus.furniture.strip_furniture``
  when that module exists (``furniture_stripper()`` says which was used), each remaining line split by
  ``align.segment.split_sentences``; predicted spans are mapped back to the page by text, so a flag on furniture left
  in the text is a false alarm and a flag on body text is scored against the gold as usual.

``alignment_docs(pairs)`` gives the gold body sentences and gold beads for ``scripts/eval_alignment.py``.
"""

from __future__ import annotations

from typing import Callable, Sequence

from corpus.evaluation.rewrites import PairResult, RewritePair, Side, gold_positions, predicted_from_flags

__all__ = ["INPUTS", "furniture_stripper", "page_sentences", "flag_results", "alignment_docs", "evaluate_flags"]

INPUTS = ("gold", "page")


def furniture_stripper() -> tuple[Callable | None, str]:
    """``corpus.furniture.strip_furniture`` and a label for the output, or (None, label) when it is not there."""
    try:
        from corpus.furniture import strip_furniture
    except ImportError:
        return None, "none (corpus.furniture not available: raw page lines)"
    return strip_furniture, "corpus.furniture.strip_furniture"


def _body_lines(side: Side, strip: Callable | None) -> list[tuple[int, int, str]]:
    """(page line index, char offset in that line, text) of each line kept as body text."""
    page = list(side.page)
    if strip is None:
        return [(i, 0, line) for i, line in enumerate(page)]
    res = strip(page, side.lang)
    body = list(getattr(res, "body", res))
    index = list(getattr(res, "body_index", []))
    out, k = [], 0
    for n, text in enumerate(body):
        cands = [index[n]] if n < len(index) else list(range(k, len(page)))
        for li in cands:
            at = page[li].find(text) if text else -1
            if at >= 0:
                out.append((li, at, text))
                k = li + 1
                break
        else:
            raise ValueError(f"furniture stripper returned a body line not on the page: {text[:60]!r}")
    return out


def page_sentences(side: Side, strip: Callable | None) -> tuple[list[str], list[tuple[int, int]]]:
    """The sentences a user's run sees on ``side``'s page, and where each sits: (page line index, char offset)."""
    from align.segment import split_sentences

    sents, units = [], []
    for li, off, text in _body_lines(side, strip):
        for a, b in split_sentences(text, side.lang):
            s = text[a:b]
            lead = len(s) - len(s.lstrip())
            s = s.strip()
            if s:
                sents.append(s)
                units.append((li, off + a + lead))
    return sents, units


def flag_results(pairs: Sequence[RewritePair], encoder, config=None, *, input: str = "gold",
                 beads: str = "aligned", log: Callable[[str], None] | None = None) -> list[PairResult]:
    """One :class:`PairResult` per pair: gold differences and the flags the tool raises (see the module doc)."""
    from align.aligner import align
    from align.flags import detect

    if input not in INPUTS:
        raise ValueError(f"unknown input {input!r}; choose {', '.join(INPUTS)}")
    if beads not in ("aligned", "gold"):
        raise ValueError(f"unknown beads {beads!r}; choose aligned or gold")
    if input == "page" and beads == "gold":
        raise ValueError("gold beads index gold sentences: use them with input='gold'")
    strip = furniture_stripper()[0] if input == "page" else None
    out = []
    for p in pairs:
        if input == "page":
            src, su = page_sentences(p.ru, strip)
            tgt, tu = page_sentences(p.en, strip)
        else:
            src, tgt, su, tu = list(p.ru.body), list(p.en.body), None, None
        bs = list(p.beads) if beads == "gold" else align(src, tgt, encoder, src_lang="ru", tgt_lang="en")
        flags = detect(src, tgt, bs, src_lang="ru", tgt_lang="en", encoder=encoder, config=config)
        pred = predicted_from_flags(src, tgt, bs, flags, su, tu)
        unit = "line" if input == "page" else "sentence"
        gold = tuple((d.type, d.severity, gold_positions(p, d, unit)) for d in p.differences)
        out.append(PairResult(p.id, p.split, p.no_fact_difference, gold, tuple(pred)))
        if log:
            log(f"{p.id}: {len(gold)} gold, {len(pred)} flags")
    return out


def alignment_docs(pairs: Sequence[RewritePair]) -> list[tuple[str, list[str], list[str], list]]:
    """(id, ru body sentences, en body sentences, gold beads) of each pair."""
    return [(p.id, list(p.ru.body), list(p.en.body), list(p.beads)) for p in pairs]


def evaluate_flags(encoder, config=None, *, split: str = "all", input: str = "gold", beads: str = "aligned",
                   log: Callable[[str], None] | None = None) -> dict:
    """The ``rewrites`` block of ``scripts/eval_flags.py``: what was run (split, input, furniture stripper, beads)
    and :func:`corpus.evaluation.rewrites.score_flags` of the tool's flags on those pairs."""
    from corpus.evaluation.rewrites import load_pairs, score_flags

    pairs = load_pairs(split)
    if not pairs:
        raise ValueError(f"no rewrite pairs in split {split!r}")
    results = flag_results(pairs, encoder, config, input=input, beads=beads, log=log)
    info = {"split": split, "input": input, "beads": beads, "pairs": len(pairs),
            "no_difference_pairs": sum(p.no_fact_difference for p in pairs)}
    if input == "page":
        info["furniture"] = furniture_stripper()[1]
    return {**info, "scores": score_flags(results)}
