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
