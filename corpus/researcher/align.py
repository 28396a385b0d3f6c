"""``tasscorpus align SRC TGT``: align two plain-text documents from the command line.

Registered in ``corpus/cli.py``; it works on files, not on the store, so it is also the quickest
way to try the aligner on one's own text. Page furniture is stripped and the declared languages
are checked first (``corpus.researcher.document``); long inputs report progress on stderr.
"""

from __future__ import annotations

import json

import click

from ..clickutil import EncoderOption
from .document import check_lang_code, describe_stripped, read_document, read_sentences  # noqa: F401
from .progress import Reporter

FORMATS = ("beads", "tsv", "jsonl")
# researcher mode's encoder: USE loads and embeds several times faster than e5-small and aligns as well on the
# rewrite benchmark (strict F1 dev 0.827 / 0.827, test 0.788 / 0.762; docs/experiments/aligner.md)
DEFAULT_ENCODER = "use"
TSV_HEADER = "src_text\ttgt_text\tscore"

# options shared by ``align SRC TGT`` and ``diff``
keep_furniture_option = click.option(
    "--keep-furniture", is_flag=True,
    help="Keep page furniture (headline, subtitle, photo credits, bylines, timestamps, teasers, tags, "
         "navigation, the dateline) as text. By default it is stripped and listed on stderr.")
force_lang_option = click.option(
    "--force-lang", is_flag=True,
    help="Go on when a file's text reads as another language than --src-lang / --tgt-lang declare.")


def load_pair(ctx, src: str, tgt: str, src_lang: str, tgt_lang: str, *, presegmented: bool, keep_furniture: bool,
              force_lang: bool):
    """Both documents of a researcher-mode command, with the languages checked and the stripped
    furniture said on stderr (unless the global ``--quiet``). Returns (src_lang, tgt_lang, src_doc, tgt_doc)."""
    src_lang = check_lang_code(src_lang, "--src-lang")
    tgt_lang = check_lang_code(tgt_lang, "--tgt-lang")
    s = read_document(src, src_lang, presegmented=presegmented, keep_furniture=keep_furniture,
                      force_lang=force_lang, option="--src-lang")
    t = read_document(tgt, tgt_lang, presegmented=presegmented, keep_furniture=keep_furniture,
                      force_lang=force_lang, option="--tgt-lang")
    root = ctx.find_root().obj if ctx is not None else None
    if not getattr(root, "quiet", False):
        for d in (s, t):
            msg = describe_stripped(d)
            if msg:
                click.echo(msg, err=True)
    return src_lang, tgt_lang, s, t


@click.command("align")
@click.argument("src", type=click.Path(dir_okay=False))
@click.argument("tgt", type=click.Path(dir_okay=False))
@click.option("--src-lang", required=True, help="ISO 639-1 language of SRC, e.g. ru")
@click.option("--tgt-lang", required=True, help="ISO 639-1 language of TGT, e.g. en")
@click.option("--encoder", "encoder_name", default=DEFAULT_ENCODER, show_default=True, cls=EncoderOption,
              help="Sentence encoder (see align.encoders).")
@click.option("--presegmented", is_flag=True, help="each input line is one sentence")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="beads", show_default=True,
              help="beads: Vecalign '[0, 1]:[0]' lines (0-based, over the body sentences); tsv: src_text, tgt_text, score "
                   "(with a header line); jsonl: one object a bead")
@click.option("--no-header", is_flag=True, help="tsv: no header line")
@keep_furniture_option
@force_lang_option
@click.pass_context
def align_cmd(ctx: click.Context, src: str, tgt: str, src_lang: str, tgt_lang: str, encoder_name: str,
              presegmented: bool, fmt: str, no_header: bool = False, keep_furniture: bool = False,
              force_lang: bool = False) -> None:
    """Align the sentences of SRC and TGT and print the beads."""
    from align.aligner import align
    from align.encoders import CachedEncoder, EncoderError, get_encoder

    src_lang, tgt_lang, sd, td = load_pair(ctx, src, tgt, src_lang, tgt_lang, presegmented=presegmented,
                                           keep_furniture=keep_furniture, force_lang=force_lang)
    s, t = sd.sentences, td.sentences
    try:
        enc = CachedEncoder(get_encoder(encoder_name))
    except EncoderError as e:
        raise click.ClickException(str(e)) from None
    with Reporter.for_run(ctx, len(s) + len(t)) as rep:
        try:
            with rep.phase("aligning"):
                beads = align(s, t, rep.encoder(enc), src_lang=src_lang, tgt_lang=tgt_lang)
        except EncoderError as e:
            raise click.ClickException(str(e)) from None
    if fmt == "tsv" and not no_header:
        click.echo(TSV_HEADER)
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
