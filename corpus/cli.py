"""The `tasscorpus` command: a click group with one subcommand per stage, plus `build` and `demo`."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import click

from . import __version__


@dataclass
class Ctx:
    store_path: str
    quiet: bool

    def open_store(self):
        from .store import Store, StoreError

        try:
            return Store(self.store_path)
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
def _run_stages(ctx: click.Context, stages: list[str], **opt) -> list:
    from .pipeline import Options, PipelineError, run

    obj: Ctx = ctx.obj
    opts = Options(quiet=obj.quiet, **{k: v for k, v in opt.items() if v is not None})
    with obj.open_store() as store:
        try:
            return run(store, opts, stages, log=None if obj.quiet else (lambda s: click.echo(s, err=True)))
        except PipelineError as e:
            raise click.ClickException(str(e)) from None


_encoder_option = click.option(
    "--encoder", default=None, metavar="NAME",
    help="Sentence encoder: e5-small (bundled, default) or hf:<model id or path>.",
)


@cli.command("segment")
@click.pass_context
def segment_cmd(ctx):
    """Split stored articles into sentences."""
    _run_stages(ctx, ["segment"])


@cli.command("pair")
@_encoder_option
@click.pass_context
def pair_cmd(ctx, encoder):
    """Pair articles of the Russian and English editions by content."""
    _run_stages(ctx, ["pair"], encoder=encoder)


@cli.command("flag")
@_encoder_option
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Extra framing lexicon (TSV) to extend the built-in one.")
@click.pass_context
def flag_cmd(ctx, encoder, lexicon):
    """Flag wording differences on every aligned document pair."""
    _run_stages(ctx, ["flag"], encoder=encoder, lexicon=lexicon)


@cli.command("build")
@_encoder_option
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Extra framing lexicon (TSV) to extend the built-in one.")
@click.pass_context
def build_cmd(ctx, encoder, lexicon):
    """Run every stage on what the store holds: segment → pair → align → flag."""
    _run_stages(ctx, ["segment", "pair", "align", "flag"], encoder=encoder, lexicon=lexicon)
