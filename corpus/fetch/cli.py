"""`tasscorpus fetch`: the click command (registered by corpus/cli.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..clickutil import RegistryChoice


class EditionOption(click.Option):
    """``--edition``: its help lists each registered source's editions, read when the help is shown."""

    def get_help_record(self, ctx):
        from .sources import editions, source_names

        self.help = ("Edition of --source (" + "; ".join(f"{s}: {', '.join(editions(s))}" for s in source_names())
                     + "), or all.")
        return super().get_help_record(ctx)


def _source_names():
    from .sources import source_names

    return source_names()


def _all_editions():
    from .sources import all_editions

    return all_editions()


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.command("fetch")
@click.option("--source", type=RegistryChoice(_source_names), default="tass", show_default=True,
              help="News agency to fetch.")
@click.option("--edition", cls=EditionOption, type=RegistryChoice(_all_editions, ("all",)), default="all",
              show_default=True, help="Edition of --source, or all.")
@click.option("--since", callback=_date, default=None, metavar="DATE",
              help="Backfill from this date (YYYY-MM-DD, inclusive) through news sitemaps.")
@click.option("--until", callback=_date, default=None, metavar="DATE", help="Backfill up to this date (inclusive).")
@click.option("--base-url", default=None, metavar="URL",
              help="Fetch <URL>/<host>/<path> instead of the live site (a local mirror: http://…, file://… or a directory).")
@click.option("--from-warc", "warcs", multiple=True, metavar="FILE",
              help="Import articles from WARC file(s) (repeatable); no network unless --base-url/--wayback.")
@click.option("--max-items", type=click.IntRange(min=0), default=None, metavar="N",
              help="Request at most N article pages in this run (the rest waits for the next run).")
@click.option("--wayback", is_flag=True, help="With --since/--until: also use Wayback Machine captures.")
@click.option("--delay", type=click.FloatRange(min=0.0), default=None, metavar="SECONDS",
              help="Minimum seconds between two requests to one host (default 2).")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=None, metavar="SECONDS",
              help="Per-read timeout: connecting, and each wait for more of a response (default 20).")
@click.option("--deadline", type=click.FloatRange(min=0.01), default=None, metavar="SECONDS",
              help="Overall limit for one response, however slowly it trickles in (default 60).")
@click.option("--contact", default=None, metavar="URL", help="Contact URL in the User-Agent.")
@click.pass_context
def fetch_cmd(ctx, source, edition, since, until, base_url, warcs, max_items, wayback, delay, timeout, deadline,
              contact):
    """Fetch new articles politely and resumably (robots.txt obeyed, rate-limited, conditional
    requests); re-running fetches only what is new, an interrupted run resumes. Exits non-zero
    when nothing could be fetched at all (host unreachable, every request failing), naming the
    cause and the URL tried."""
    from .core import fetch
    from .http import FetchConfig
    from .sources import get_source

    src = get_source(source)
    if edition != "all" and edition not in src.editions:
        raise click.ClickException(f"unknown edition {edition!r} of {source} (choose from: {', '.join(src.editions)}, all)")
    if since and until and since > until:
        raise click.ClickException(f"--since {since} is after --until {until}")
    for w in warcs:
        p = Path(w)
        if not p.is_file():
            raise click.ClickException(f"WARC file not found: {w}")
    if base_url:
        if "://" not in base_url:
            if not Path(base_url).is_dir():
                raise click.ClickException(f"--base-url {base_url!r}: not a URL and not a directory")
            base_url = Path(base_url).resolve().as_uri()
        elif not base_url.startswith(("http://", "https://", "file://")):
            raise click.ClickException(f"--base-url {base_url!r}: only http://, https:// and file:// are supported")
    if wayback and not (since or until):
        raise click.ClickException("--wayback needs --since and/or --until")
    kw = {k: v for k, v in (("min_interval", delay), ("timeout", timeout), ("deadline", deadline), ("contact", contact))
          if v is not None}
    config = None
    if kw:
        config = (FetchConfig.fast(**kw) if (base_url or "").startswith("file:") else FetchConfig(**kw))
    obj = ctx.obj
    with obj.open_store() as store:
        try:
            summary = fetch(store, source=source, edition=edition, since=since, until=until, base_url=base_url,
                            warcs=warcs, quiet=obj.quiet, max_items=max_items, wayback=wayback, config=config,
                            log=None if obj.quiet else (lambda s: click.echo(s, err=True)))
        except (ValueError, OSError) as e:
            raise click.ClickException(str(e).splitlines()[0] if str(e) else type(e).__name__) from None
    click.echo(str(summary))
    failed = summary.failed_outright()
    if failed:
        raise click.ClickException(failed)
