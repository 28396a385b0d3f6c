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


class LazyGroup(click.Group):
    """The ``tasscorpus`` group: the feature modules' commands (``LAZY``: name -> "module:attribute") are imported
    when one is run or the commands are listed, so that ``tasscorpus align SRC TGT`` does not import the report,
    fetch, export and flag modules first."""

    LAZY = {"fetch": "corpus.fetch.cli:fetch_cmd", "diff": "corpus.researcher.diff:diff_cmd",
            "export": "corpus.export.cli:export_cmd", "report": "corpus.report:report_cmd",
            "stats": "corpus.export.cli:stats_cmd"}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx, name):
        if name not in self.commands and name in self.LAZY:
            import importlib

            mod, attr = self.LAZY[name].split(":")
            self.add_command(getattr(importlib.import_module(mod), attr), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


_executor_option = click.option(
    "--executor", default=None, metavar="local|ray|ray:ADDRESS",
    help="Run by partition (a plan, one Parquet shard per finished partition, resumable): local = in process, "
         "ray = a local Ray, ray:ADDRESS = join a Ray cluster (needs the [ray] extra). Default: one process on the store.",
)
_workers_option = click.option("--workers", type=click.IntRange(min=1), default=None,
                               help="With --executor ray: number of worker actors (default: one per CPU, at most 8).")
_buckets_option = click.option("--buckets", type=click.IntRange(min=1), default=16, show_default=True,
                               help="With --executor: align+flag partitions (document pairs hashed into buckets).")
_shards_option = click.option(
    "--shards", "shards_dir", type=click.Path(file_okay=False), default=None,
    help="With --executor: folder of the plan and shards (shared storage on a cluster; default STORE.shards).")


def _scale_build(ctx, executor: str, workers, shards_dir, cfg, *, store=None, buckets=16):
    """Build by partition with ``executor`` into ``shards_dir``, then merge the shards into the store."""
    from .scale.executor import ExecutorError, get_executor
    from .scale.plan import PlanError
    from .scale.run import build

    obj: Ctx = ctx.obj
    log = None if obj.quiet else (lambda s: click.echo(s, err=True))
    try:
        ex = get_executor(executor, workers=workers)
    except ExecutorError as e:
        raise click.ClickException(str(e)) from None

    def go(st):
        root = shards_dir or f"{st.path}.shards"
        try:
            with ex:
                rep = build(st, root, ex, cfg, quiet=obj.quiet, log=log, buckets=buckets)
        except (ExecutorError, PlanError) as e:
            raise click.ClickException(str(e)) from None
        if log:
            log(rep.line())
        return rep

    if store is not None:
        return go(store)
    with obj.open_store(must_exist=True) as st:
        return go(st)


@cli.command("build")
@_config_option
@_source_option
@_editions_option
@_encoder_option
@_lexicon_option
@click.option("--pivot", default=None, metavar="EDITION",
              help="N-way: pair, align and flag every other edition against this one, then link N-way rows "
                   "(default with three or more --editions: en).")
@_redo_option("pair, align or flag")
@_executor_option
@_workers_option
@_shards_option
@_buckets_option
@click.pass_context
def build_cmd(ctx, config, source, editions, encoder, lexicon, pivot, redo, executor, workers, shards_dir, buckets):
    """Run every stage on what the store holds: segment → pair → align → flag (with three or more
    editions or --pivot: each edition against the pivot, then N-way rows).

    With --executor, by partition (pairing per source-edition day against its time window) into
    shards that are merged into the store at the end; a rerun skips finished partitions."""
    cfg = _run_config(config, source=source, editions=editions, encoder=encoder, lexicon=lexicon)
    nway = pivot is not None or cfg.pivot is not None or len(cfg.editions) > 2
    if executor is not None:
        if redo is not None:
            raise click.UsageError("--redo does not go with --executor (give another --shards folder to recompute)")
        if nway:
            raise click.UsageError("--executor runs one edition pair; an N-way build (--pivot, 3+ editions) runs in process")
        _scale_build(ctx, executor, workers, shards_dir, cfg, buckets=buckets)
        return
    if nway:
        import dataclasses

        from .config import ConfigError
        from .nway import build_nway
        from .pipeline import PipelineError, Runtime

        obj: Ctx = ctx.obj
        try:
            cfg = dataclasses.replace(cfg, pivot=pivot or cfg.pivot).validate("command line")
        except ConfigError as e:
            raise click.ClickException(str(e)) from None
        rt = Runtime(quiet=obj.quiet, redo=frozenset() if redo is None else frozenset([redo]))
        with obj.open_store(must_exist=True) as store:
            try:
                build_nway(store, cfg, rt, log=None if obj.quiet else (lambda s: click.echo(s, err=True)))
            except PipelineError as e:
                raise click.ClickException(str(e)) from None
        return
    _run_stages(ctx, ["segment", "pair", "align", "flag"], config=config, redo=redo, source=source,
                editions=editions, encoder=encoder, lexicon=lexicon)


@cli.command("merge")
@click.argument("shards_dir", type=click.Path(file_okay=False))
@click.pass_context
def merge_cmd(ctx, shards_dir):
    """Upsert the shards of a partitioned build (SHARDS_DIR, with its plan.json) into the store."""
    from pathlib import Path

    from .scale.shards import merge

    if not (Path(shards_dir) / "plan.json").is_file():
        raise click.ClickException(f"{shards_dir} is not a shard folder (no plan.json)")
    with ctx.obj.open_store(must_exist=True) as st:
        try:
            c = merge(st, shards_dir)
        except (OSError, ValueError) as e:
            raise click.ClickException(f"cannot merge {shards_dir}: {e}") from None
    click.echo("merged " + ", ".join(f"{k} {v}" for k, v in c.items()))


@cli.command("demo")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the exports, report and store.")
@_encoder_option
@click.option("--source", "sample", type=click.Choice(["tass", "kcna"]), default="tass", show_default=True,
              help="Which bundled sample: tass (ru/en) or kcna (six editions, N-way with the en pivot).")
@_executor_option
@_workers_option
@click.pass_context
def demo_cmd(ctx, out, encoder, sample, executor, workers):
    """Run the whole pipeline offline on the bundled sample (invented TASS-style releases with
    gold annotations): load → segment → pair → align → flag → export (HF dataset, JSONL, TMX) and
    an HTML report, then score the result against the sample's gold."""
    from .demo import run_demo

    obj: Ctx = ctx.obj
    # the demo keeps its store inside --out unless --store was given explicitly
    source = ctx.parent.get_parameter_source("store_path")
    store_path = obj.store_path if source is not None and source.name != "DEFAULT" else None
    log = (lambda s: None) if obj.quiet else (lambda s: click.echo(s, err=True))
    if sample == "kcna":
        if executor is not None:
            raise click.UsageError("--executor runs the TASS demo; the six-edition demo runs in process")
        from .demo import print_kcna_demo, run_kcna_demo

        print_kcna_demo(run_kcna_demo(out, store_path=store_path, encoder=encoder or "e5-small", quiet=obj.quiet, log=log),
                        click.echo)
        return
    build = None
    if executor is not None:
        def build(st, cfg):
            _scale_build(ctx, executor, workers, None, cfg, store=st)
    res = run_demo(out, store_path=store_path, encoder=encoder or "e5-small", quiet=obj.quiet, log=log, build=build)
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
                                          align two documents and print the beads (no store;
                                          default encoder: use, the quickest to start)
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
    from .researcher.align import DEFAULT_ENCODER, align_cmd

    ctx.invoke(align_cmd, src=src, tgt=tgt, src_lang=src_lang, tgt_lang=tgt_lang,
               encoder_name=encoder or DEFAULT_ENCODER, presegmented=presegmented, fmt=fmt, no_header=no_header,
               keep_furniture=keep_furniture, force_lang=force_lang)


# feature commands (fetch, diff, export, report, stats): imported on use, see LazyGroup


if __name__ == "__main__":
    main()
