"""`tasscorpus diff SRC TGT`: align two documents and print their wording differences.

Output: one JSON object per bead (``--format jsonl``, the default) or a readable view with the
flagged spans marked (``--format text``: rich colours on a terminal, plain ``[[…]]`` marks otherwise;
each bead's flags most important first, ``corpus.records.flag_sort_key``). Furniture stripping,
language checks and progress are those of ``align SRC TGT`` (``corpus.researcher.align``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from corpus.clickutil import EncoderOption
from corpus.records import flag_sort_key
from corpus.researcher.align import force_lang_option, keep_furniture_option, load_pair
from corpus.researcher.progress import Reporter


def _mark(text: str, spans, rich: bool) -> str:
    """``text`` with the flagged spans marked; overlapping spans are merged."""
    merged: list[list[int]] = []
    for a, b in sorted((s.start, s.end) for s in spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if rich:
        from rich.markup import escape

        out, pos = [], 0
        for a, b in merged:
            out += [escape(text[pos:a]), "[bold reverse]", escape(text[a:b]), "[/bold reverse]"]
            pos = b
        out.append(escape(text[pos:]))
        return "".join(out)
    out, pos = [], 0
    for a, b in merged:
        out += [text[pos:a], "[[", text[a:b], "]]"]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _describe(f) -> str:
    d = f.detail
    if "src" in d or "tgt" in d:
        ev = f"{d.get('src')!s} → {d.get('tgt')!s}"
    elif "src_cues" in d:
        ev = f"{', '.join(d['src_cues']) or '—'} → {', '.join(d['tgt_cues']) or '—'}"
        if "axis" in d:  # a direction reversed by an antonym
            ev = f"{d['axis']} {d['src_pole']} → {d['tgt_pole']}: {ev}"
    elif "classes" in d:
        ev = "; ".join(f"{k}: {', '.join(v['src']) or '—'} → {', '.join(v['tgt']) or '—'}" for k, v in d["classes"].items())
    elif "src_term" in d:
        ev = f"{', '.join(d['src_term']) or '—'} → {', '.join(d['tgt_term']) or '—'}"
    elif "piece" in d:
        ev = f"{d['piece']!r}"
    elif "sim" in d:
        ev = f"similarity {d['sim']:.3f}" + (" (the whole side: the bead is unrelated)" if d.get("from") == "unrelated" else "")
    else:
        ev = ""
    if "attribution_frames" in d:  # an omission whose rendering names fewer sources of the information
        fr = d["attribution_frames"]
        ev += f"; attribution {', '.join(fr['src']) or '—'} → {', '.join(fr['tgt']) or '—'}"
    if "unrendered_numbers" in d:  # an omission whose source states quantities the rendering does not
        ev += f"; numbers {', '.join(d['unrendered_numbers'])} → —"
    if "unrendered_names" in d:  # an omission whose source names someone or somewhere the rendering does not
        ev += f"; names {', '.join(d['unrendered_names'])} → —"
    return f"{f.type} ({f.severity}, {f.score:.3f}) {ev}".rstrip()


def _print_text(beads, src, tgt, flags, rich: bool, src_lang: str = "ru", tgt_lang: str = "en") -> None:
    """Beads with their flagged spans marked; under each flag its evidence and a plain-language explanation."""
    from align.flags.explain import explain

    if rich:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        table = Table(show_lines=True, expand=True)
        table.add_column("bead", no_wrap=True)
        table.add_column("source", ratio=1)
        table.add_column("target", ratio=1)
        table.add_column("differences", ratio=1)
        for b, fl in zip(beads, flags):
            st = " ".join(src[i] for i in b.src)
            tt = " ".join(tgt[i] for i in b.tgt)
            from rich.markup import escape

            diffs = "\n".join(escape(_describe(f)) + "\n[/red][dim]" + escape(explain(f, st, tt, src_lang=src_lang, tgt_lang=tgt_lang)) + "[/dim][red]"
                              for f in fl)
            table.add_row(escape(b.to_vecalign()), _mark(st, [s for f in fl for s in f.src_spans], True),
                          _mark(tt, [s for f in fl for s in f.tgt_spans], True),
                          f"[red]{diffs}[/red]" if diffs else "")
        console.print(table)
        return
    for b, fl in zip(beads, flags):
        st = " ".join(src[i] for i in b.src)
        tt = " ".join(tgt[i] for i in b.tgt)
        click.echo(f"{b.to_vecalign()}  score={b.score:.3f}")
        click.echo(f"  SRC: {_mark(st, [s for f in fl for s in f.src_spans], False) or '(none)'}")
        click.echo(f"  TGT: {_mark(tt, [s for f in fl for s in f.tgt_spans], False) or '(none)'}")
        for f in fl:
            click.echo(f"  ! {_describe(f)}")
            click.echo(f"    {explain(f, st, tt, src_lang=src_lang, tgt_lang=tgt_lang)}")
        click.echo("")


@click.command("diff")
@click.argument("src", type=click.Path(dir_okay=False))
@click.argument("tgt", type=click.Path(dir_okay=False))
@click.option("--src-lang", default="ru", show_default=True, help="Language of SRC (ISO 639-1).")
@click.option("--tgt-lang", default="en", show_default=True, help="Language of TGT (ISO 639-1).")
@click.option("--presegmented", is_flag=True, help="The files hold one sentence per line.")
@click.option("--encoder", default="e5-small", show_default=True, metavar="NAME", cls=EncoderOption,
              help="Sentence encoder (see align.encoders).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True,
              help="One JSON object per bead, or a readable side-by-side view.")
@click.option("--lexicon", type=click.Path(dir_okay=False), default=None,
              help="Extra framing lexicon (TSV: ru, en_loaded, en_neutral, note) extending the built-in one.")
@keep_furniture_option
@force_lang_option
@click.pass_context
def diff_cmd(ctx: click.Context, src, tgt, src_lang, tgt_lang, presegmented, encoder, fmt, lexicon,
             keep_furniture=False, force_lang=False):
    """Align two documents (SRC, TGT) and print each bead with its wording differences."""
    if lexicon and not Path(lexicon).is_file():
        raise click.ClickException(f"{lexicon}: no such file")
    src_lang, tgt_lang, sd, td = load_pair(ctx, src, tgt, src_lang, tgt_lang, presegmented=presegmented,
                                           keep_furniture=keep_furniture, force_lang=force_lang)
    s_sents, t_sents = sd.sentences, td.sentences
    from align.flags import FlagConfig, LexiconError, build_detectors, detect

    cfg = FlagConfig(extra_lexicon=lexicon)
    try:
        build_detectors(cfg)  # reads the lexicons: report a bad file before embedding anything
    except LexiconError as e:
        raise click.ClickException(str(e)) from None
    from align.encoders import CachedEncoder, EncoderError, get_encoder

    try:
        enc = CachedEncoder(get_encoder(encoder))
    except EncoderError as e:
        raise click.ClickException(str(e)) from None
    try:
        from align.aligner import align
    except ImportError as e:
        raise click.ClickException(f"the sentence aligner is not available: {e}") from None
    with Reporter.for_run(ctx, len(s_sents) + len(t_sents)) as rep:
        penc = rep.encoder(enc)
        try:
            with rep.phase("aligning"):
                beads = align(s_sents, t_sents, penc, src_lang=src_lang, tgt_lang=tgt_lang)
            with rep.phase("flagging"):
                flags = detect(s_sents, t_sents, beads, src_lang=src_lang, tgt_lang=tgt_lang, encoder=penc, config=cfg)
        except EncoderError as e:
            raise click.ClickException(str(e)) from None
    flags = [sorted(fl, key=flag_sort_key) for fl in flags]  # most important first, in both formats
    if fmt == "text":
        _print_text(beads, s_sents, t_sents, flags, rich=sys.stdout.isatty(), src_lang=src_lang, tgt_lang=tgt_lang)
        return
    for b, fl in zip(beads, flags):
        click.echo(json.dumps({
            "src": list(b.src), "tgt": list(b.tgt),
            "src_text": " ".join(s_sents[i] for i in b.src), "tgt_text": " ".join(t_sents[i] for i in b.tgt),
            "score": round(float(b.score), 4), "flags": [f.to_dict() for f in fl],
        }, ensure_ascii=False))
