"""Article → sentences: the document-level wrapper around ``align.segment.split_sentences``.

Sentences keep their paragraph index and character offsets, so flags can point back at the published text.
"""

from __future__ import annotations

from align.segment import split_sentences

from .records import Article, Sentence


def segment_article(article: Article, *, include_title: bool = False) -> list[Sentence]:
    """Sentences of an article body (dateline already stripped by the parser), in order.

    TASS English bodies repeat the lead as their first paragraph; a lead is therefore not added
    separately. With ``include_title`` the title is sentence 0 (``para=-1``).
    """
    assert article.id is not None, "segment a stored article"
    out: list[Sentence] = []
    if include_title and article.title.strip():
        t = article.title.strip()
        out.append(Sentence(article.id, 0, t, -1, 0, len(t)))
    for pi, para in enumerate(article.paragraphs):
        for a, b in split_sentences(para, article.lang):
            out.append(Sentence(article.id, len(out), para[a:b], pi, a, b))
    return out
