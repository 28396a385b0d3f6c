"""Click commands for the output side: ``export`` and ``stats`` (``report`` is :mod:`corpus.report`). They take the store from ``ctx.obj.open_store()`` (a :class:`corpus.cli.Ctx`) and turn
every bad input into a one-line ``click.ClickException``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..clickutil import RegistryChoice


def _formats() -> tuple[str, ...]:
    from . import writers

    return tuple(writers())


def _quiet(ctx: click.Context) -> bool:
    return bool(getattr(ctx.obj, "quiet", False))


@click.command("export")
@click.option("--format", "fmt", type=RegistryChoice(_formats), required=True, help="Output format.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Output folder (created). hf: OUT/hf is load_from_disk-able, OUT/README.md + OUT/data/ are hub-ready.")
@click.option("--min-score", type=float, default=None, help="Keep beads with alignment score ≥ this.")
@click.option("--flags", default=None, metavar="TYPE,...|none|any",
              help="Keep beads carrying any of these flag types; 'none' = only unflagged beads, 'any' = only flagged.")
@click.option("--split", default=None, metavar="NAME=FRAC,...",
              help="e.g. train=0.9,test=0.1: whole document pairs go to one split (deterministic, by URL hash).")
@click.option("--include-null/--exclude-null", default=None,
              help="Keep 1-0/0-1 beads (default: kept, except for tmx and moses).")
@click.option("--lang-pair", default=None, metavar="SRC-TGT", help="Language pair to export when the store holds several.")
@click.option("--license", "license_", default="other", show_default=True,
              help="hf: licence id for the dataset card. TASS content is copyrighted: set what applies to you.")
@click.option("--push-to-hub", default=None, metavar="REPO", help="hf: upload with DatasetDict.push_to_hub to REPO.")
@click.option("--private", is_flag=True, help="With --push-to-hub: create a private repo.")
@click.option("--overwrite", is_flag=True,
              help="Replace files in OUT that tasscorpus did not write (by default the export refuses and names them).")
@click.option("--from-shards", "from_shards", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Export the shards of a partitioned build (DIR with plan.json) without merging them into the store.")
@click.pass_context
def export_cmd(ctx, fmt, out, min_score, flags, split, include_null, lang_pair, license_, push_to_hub, private,
               overwrite, from_shards=None):
    """Export aligned beads (one row per bead) as a dataset: hf, parquet, jsonl, tmx, moses or tsv.

    Next to the files, OUT/export-info.FMT.json records the selection, counts and files, and
    OUT/export-info.FMT.md documents every field, flag type, severity and detail key (for hf the
    dataset card README.md does). Files in OUT that no tasscorpus export wrote are never replaced
    (unless --overwrite); nothing is written when no bead matches."""
    from . import ExportError, export

    if from_shards is not None:
        from ..scale.shards import export_from_shards

        if not (Path(from_shards) / "plan.json").is_file():
            raise click.ClickException(f"{from_shards} is not a shard folder (no plan.json)")
        ctx.obj.open_store(readonly=True).close()  # one-line refusal when the store is missing
        try:
            path = export_from_shards(ctx.obj.store_path, Path(from_shards), fmt, out, min_score=min_score, flags=flags,
                                      split=split, include_null=include_null, lang_pair=lang_pair, license=license_,
                                      push_to_hub=push_to_hub, private=private, quiet=_quiet(ctx), overwrite=overwrite)
        except ExportError as e:
            raise click.ClickException(str(e)) from None
        _say_exported(fmt, out, path, push_to_hub)
        return
    with ctx.obj.open_store(readonly=True) as store:
        try:
            path = export(store, fmt, out, min_score=min_score, flags=flags, split=split, include_null=include_null,
                          lang_pair=lang_pair, license=license_, push_to_hub=push_to_hub, private=private,
                          quiet=_quiet(ctx), overwrite=overwrite)
        except ExportError as e:
            raise click.ClickException(str(e)) from None
    _say_exported(fmt, out, path, push_to_hub)


def _say_exported(fmt, out, path, push_to_hub) -> None:
    info = json.loads((Path(out) / f"export-info.{fmt}.json").read_text(encoding="utf-8"))
    rows = sum(c["rows"] for c in info["counts"].values())
    pairs = sum(c["pairs"] for c in info["counts"].values())
    per_split = ", ".join(f"{k}={v['rows']}" for k, v in info["counts"].items())
    click.echo(f"wrote {fmt} {path}: {rows} beads from {pairs} document pairs"
               + (f" ({per_split})" if len(info["counts"]) > 1 else ""))
    if push_to_hub:
        click.echo(f"pushed to https://huggingface.co/datasets/{push_to_hub}")


# --------------------------------------------------------------------------- stats
def corpus_stats(store) -> dict:
    """Counts (articles per source/edition/status, pairs by kind, beads by type, flags by type) and
    mean scores."""
    c = store.counts()
    arts: dict[str, dict[str, int]] = {}
    for key, n in c["articles"].items():
        src, ed, st = key.split("/", 2)
        arts.setdefault(f"{src}/{ed}", {})[st] = n
    db = store.db
    pair_mean = db.execute("SELECT AVG(score) FROM pairs").fetchone()[0]
    bead_mean = db.execute("SELECT AVG(score) FROM beads").fetchone()[0]
    flag_mean = {t: round(m, 4) for t, m in db.execute("SELECT type, AVG(score) FROM flags GROUP BY type ORDER BY type")}
    flagged = db.execute("SELECT COUNT(*) FROM (SELECT DISTINCT pair_id, bead_idx FROM flags)").fetchone()[0]
    severity = dict(db.execute("SELECT severity, COUNT(*) FROM flags GROUP BY severity ORDER BY severity").fetchall())
    aligned = db.execute("SELECT COUNT(DISTINCT pair_id) FROM beads").fetchone()[0]
    return {
        "articles": arts,
        "sentences": c["sentences"],
        "pairs": c["pairs"],
        "aligned_pairs": aligned,
        "beads": c["beads"],
        "flagged_beads": flagged,
        "flags": c["flags"],
        "flags_by_severity": severity,
        "mean_scores": {
            "pair": None if pair_mean is None else round(pair_mean, 4),
            "bead": None if bead_mean is None else round(bead_mean, 4),
            "flag_by_type": flag_mean,
        },
    }


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.pass_context
def stats_cmd(ctx, as_json):
    """Corpus statistics: articles per edition and status, pairs, beads, flags, mean scores."""
    with ctx.obj.open_store(readonly=True) as store:
        s = corpus_stats(store)
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2, sort_keys=True))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = Table(title="articles")
    statuses = sorted({st for d in s["articles"].values() for st in d})
    t.add_column("source/edition")
    for st in statuses:
        t.add_column(st, justify="right")
    for k, d in sorted(s["articles"].items()):
        t.add_row(k, *[str(d.get(st, 0)) for st in statuses])
    if not s["articles"]:
        t.add_row("(store is empty: run `tasscorpus fetch`)")
    console.print(t)

    def simple(title: str, d: dict, extra: dict | None = None) -> None:
        tt = Table(title=title)
        tt.add_column("kind")
        tt.add_column("count", justify="right")
        if extra is not None:
            tt.add_column("mean score", justify="right")
        for k, v in d.items():
            tt.add_row(str(k), str(v), *([] if extra is None else [f"{extra.get(k, float('nan')):.3f}"]))
        if not d:
            tt.add_row("(none)", "0", *([] if extra is None else [""]))
        console.print(tt)

    simple("pairs", s["pairs"])
    simple("beads", s["beads"])
    simple("flags", s["flags"], s["mean_scores"]["flag_by_type"])
    ms = s["mean_scores"]
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    console.print(f"sentences {s['sentences']}; aligned pairs {s['aligned_pairs']}; flagged beads {s['flagged_beads']}; "
                  f"mean pair score {fmt(ms['pair'])}; mean bead score {fmt(ms['bead'])}")
