"""The `tasscorpus` command: a click group with one subcommand per stage, plus `build` and `demo`."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import click

from . import __version__
from .clickutil import EncoderOption


@dataclass
class Ctx:
    store_path: str
    quiet: bool

    def open_store(self, *, readonly: bool = False, must_exist: bool = False):
        """The store at ``store_path``. ``must_exist``: refuse (one line) instead of creating an
        empty store for a mistyped path or a folder without one; ``readonly``: open it without
        writing (``Store(readonly=True)``), for commands that only read it."""
        from pathlib import Path

        from .store import Store, StoreError

        if (must_exist or readonly) and self.store_path != ":memory:" and not Path(self.store_path).exists():
            raise click.ClickException(
                f"store {self.store_path} does not exist (give --store, or run `tasscorpus fetch` first)")
        try:
            return Store(self.store_path, readonly=readonly)
        except StoreError as e:
            raise click.ClickException(str(e)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tasscorpus")
@click.option("--store", "store_path", default="tasscorpus.sqlite", show_default=True, envvar="TASSCORPUS_STORE",
              help="SQLite store: the only state of a run (resumable).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.pass_context
def cli(ctx: click.Context, store_path: str, quiet: bool) -> None:
    """Build a translation-aligned ru↔en corpus from the TASS editions: fetch, segment, pair,
    align, flag wording differences, export."""
    ctx.obj = Ctx(store_path=store_path, quiet=quiet)


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as e:  # one line, never a traceback
        if os.environ.get("TASSCORPUS_DEBUG"):
            raise
        click.echo(f"Error: {type(e).__name__}: {e}", err=True)
        sys.exit(1)


# ---------------------------------------------------------------------------- stage commands
def _run_config(config=None, **overrides):
    """The run config: ``--config`` YAML (or the defaults) with the command-line options laid over it."""
    from .config import ConfigError, RunConfig

    try:
        cfg = RunConfig.from_yaml(config) if config else RunConfig()
        return cfg.override(**overrides)
    except ConfigError as e:
        raise click.ClickException(str(e)) from None


def _run_stages(ctx: click.Context, stages: list[str], *, config=None, redo=None, **overrides) -> list:
    from .pipeline import PipelineError, Runtime, run

    obj: Ctx = ctx.obj
    cfg = _run_config(config, **overrides)
    rt = Runtime(quiet=obj.quiet, redo=frozenset() if redo is None else frozenset([redo]))
    with obj.open_store(must_exist=True) as store:
        try:
            return run(store, cfg, stages, rt=rt, log=None if obj.quiet else (lambda s: click.echo(s, err=True)))
        except PipelineError as e:
            raise click.ClickException(str(e)) from None


_encoder_option = click.option(
    "--encoder", default=None, metavar="NAME", cls=EncoderOption, help="Sentence encoder (see align.encoders).",
)


_lexicon_option = click.option(
    "--lexicon", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Extra framing lexicon (TSV, see align/data/framing_lexicon.tsv) extending the built-in one.",
)

_config_option = click.option(
    "--config", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Run config (YAML, see docs/run.example.yaml); options given on the command line override it.",
)

_source_option = click.option("--source", default=None, help="Source whose articles to pair (default tass).")
_editions_option = click.option(
    "--editions", default=None, metavar="SRC,TGT",
    help="Editions to pair, source side first (default ru,en); codes of the source's editions.")


def _redo_option(stages: str):
    return click.option(
        "--redo", is_flag=False, flag_value="*", default=None, metavar="[STAGE]",
        help=f"Recompute a stage ({stages}) whose stored results were made with another config, and the stages "
             "after it; bare --redo: every changed stage.")


@cli.command("segment")
@click.pass_context
def segment_cmd(ctx):
    """Split stored articles into sentences."""
    _run_stages(ctx, ["segment"])


@cli.command("pair")
@_config_option
@_source_option
@_editions_option
@_encoder_option
@_redo_option("pair")
@click.pass_context
def pair_cmd(ctx, config, source, editions, encoder, redo):
    """Pair articles of two editions (default: tass ru → en) by content."""
    _run_stages(ctx, ["pair"], config=config, redo=redo, source=source, editions=editions, encoder=encoder)


@cli.command("flag")
@_config_option
@_encoder_option
@_lexicon_option
@_redo_option("flag")
@click.pass_context
def flag_cmd(ctx, config, encoder, lexicon, redo):
    """Flag wording differences on every aligned document pair."""
    _run_stages(ctx, ["flag"], config=config, redo=redo, encoder=encoder, lexicon=lexicon)


@cli.command("build")
@_config_option
@_source_option
@_editions_option
@_encoder_option
@_lexicon_option
@_redo_option("pair, align or flag")
@click.pass_context
def build_cmd(ctx, config, source, editions, encoder, lexicon, redo):
    """Run every stage on what the store holds: segment → pair → align → flag."""
    _run_stages(ctx, ["segment", "pair", "align", "flag"], config=config, redo=redo, source=source,
                editions=editions, encoder=encoder, lexicon=lexicon)


@cli.command("demo")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the exports, report and store.")
@_encoder_option
@click.pass_context
def demo_cmd(ctx, out, encoder):
    """Run the whole pipeline offline on the bundled sample (invented TASS-style releases with
    gold annotations): load → segment → pair → align → flag → export (HF dataset, JSONL, TMX) and
    an HTML report, then score the result against the sample's gold."""
    from .demo import run_demo

    obj: Ctx = ctx.obj
    # the demo keeps its store inside --out unless --store was given explicitly
    source = ctx.parent.get_parameter_source("store_path")
    store_path = obj.store_path if source is not None and source.name != "DEFAULT" else None
    log = (lambda s: None) if obj.quiet else (lambda s: click.echo(s, err=True))
    res = run_demo(out, store_path=store_path, encoder=encoder or "e5-small", quiet=obj.quiet, log=log)
    g = res["gold"]
    click.echo(f"demo: {sum(res['counts']['articles'].values())} articles, {sum(res['counts']['pairs'].values())} pairs, "
               f"{sum(res['counts']['beads'].values())} beads, {sum(res['counts']['flags'].values())} flags")
    click.echo(f"gold: pairs P={g['pair_precision']:.3f} R={g['pair_recall']:.3f}; beads strict F1={g['bead_strict_f1']:.3f} "
               f"lax F1={g['bead_lax_f1']:.3f}; flag precision {g['flag_precision']:.3f} "
               f"({len(g['false_alarms'])} false alarms among {g['flags_emitted']} flags, every flag graded)")
    click.echo("flag recall by type: " + ", ".join(f"{k}={v:.2f}" for k, v in g["flag_recall"].items()))
    for fmt, path in res["written"].items():
        click.echo(f"wrote {fmt:<6} {path}")


@cli.command("align")
@click.argument("src", required=False, type=click.Path(dir_okay=False))
@click.argument("tgt", required=False, type=click.Path(dir_okay=False))
@click.option("--src-lang", default=None, help="Language of SRC (ISO 639-1), e.g. ru. Required with SRC TGT.")
@click.option("--tgt-lang", default=None, help="Language of TGT (ISO 639-1), e.g. en. Required with SRC TGT.")
@_encoder_option
@_config_option
@_redo_option("align")
@click.option("--presegmented", is_flag=True, help="With SRC TGT: each input line is one sentence.")
@click.option("--format", "fmt", type=click.Choice(["beads", "tsv", "jsonl"]), default="beads", show_default=True,
              help="With SRC TGT: beads = one Vecalign bead per line ([0, 1]:[0]); tsv; jsonl.")
@click.option("--no-header", is_flag=True, help="With SRC TGT --format tsv: no header line.")
@click.option("--keep-furniture", is_flag=True, help="With SRC TGT: keep page furniture and the dateline as text.")
@click.option("--force-lang", is_flag=True, help="With SRC TGT: go on when a text reads as another language than declared.")
@click.pass_context
def align_entry(ctx, src, tgt, src_lang, tgt_lang, encoder, config, redo, presegmented, fmt, no_header, keep_furniture, force_lang):
    """Align sentences.

    \b
    tasscorpus align                      align every stored document pair (pipeline stage)
    tasscorpus align SRC TGT --src-lang ru --tgt-lang en [--presegmented] [--format beads|tsv|jsonl]
                                          align two documents and print the beads (no store)
    """
    if src is None:
        if src_lang or tgt_lang or presegmented or fmt != "beads" or no_header or keep_furniture or force_lang:
            raise click.UsageError("--src-lang, --tgt-lang, --presegmented, --format, --no-header, --keep-furniture "
                                   "and --force-lang go with SRC TGT")
        _run_stages(ctx, ["align"], config=config, redo=redo, encoder=encoder)
        return
    if config or redo:
        raise click.UsageError("--config and --redo go with the pipeline stage (no SRC TGT)")
    if tgt is None:
        raise click.UsageError("give both SRC and TGT (or neither, to align the store's document pairs)")
    if not src_lang or not tgt_lang:
        raise click.UsageError("--src-lang and --tgt-lang are required with SRC TGT")
    from .researcher.align import align_cmd

    ctx.invoke(align_cmd, src=src, tgt=tgt, src_lang=src_lang, tgt_lang=tgt_lang,
               encoder_name=encoder or "e5-small", presegmented=presegmented, fmt=fmt, no_header=no_header,
               keep_furniture=keep_furniture, force_lang=force_lang)


# ---------------------------------------------------------------------------- feature commands
from .export.cli import export_cmd, stats_cmd  # noqa: E402  (light imports; heavy ones are lazy)
from .researcher.diff import diff_cmd  # noqa: E402

from .fetch.cli import fetch_cmd  # noqa: E402
from .report import report_cmd  # noqa: E402

for _cmd in (fetch_cmd, diff_cmd, export_cmd, report_cmd, stats_cmd):
    cli.add_command(_cmd)


if __name__ == "__main__":
    main()
