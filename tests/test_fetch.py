"""Fetching against a local fake TASS (tests/fakesite.py): politeness, faults, resumability."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.fetch import FetchConfig, fetch, load_mirror
from corpus.fetch.http import FetchError, HttpClient, RobotsRules
from corpus.store import Store
from fakesite import FakeSite, build_site, make_articles, write_mirror

ROOT = Path(__file__).resolve().parent.parent
SINCE = "2026-11-01"


@pytest.fixture()
def arts():
    return make_articles(6, 6)


@pytest.fixture()
def fake(arts):
    site = FakeSite(build_site(arts)).start()
    yield site
    site.stop()


def urls(store: Store) -> list[str]:
    return sorted(a.url for a in store.articles(status=None))


def test_every_reachable_article_once_and_rerun_fetches_nothing(fake, arts):
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, since=SINCE, config=FetchConfig.fast(), quiet=True)
    assert urls(store) == sorted(a.url for a in arts)
    assert s.counts["new"] == 12 and not [f for f in s.failures if f[0] != "not_found"]
    got = {a.url: a for a in store.articles()}
    for a in arts:
        g = got[a.url]
        assert g.paragraphs == tuple(a.paragraphs) and g.dateline_place == a.place and g.published == a.iso
    # politeness: robots.txt read first per host, disallowed paths never asked, identifying UA
    paths = fake.paths_requested()
    assert paths[0] == "tass.ru/robots.txt" and "tass.com/robots.txt" in paths
    assert not any(p.startswith(("tass.ru/search", "tass.ru/n/")) or "/api/" in p for p in paths)
    for p, h in fake.requests:
        if p == "tass.com/rss/v2.xml":
            assert h["user-agent"].startswith("Mozilla/") and "xml" in h["accept"]
        else:
            assert h["user-agent"].startswith("tasscorpus/") and "research corpus builder" in h["user-agent"]
    # a re-run requests no article page again and stores nothing new
    n = len(fake.requests)
    s2 = fetch(store, base_url=fake.base_url, since=SINCE, config=FetchConfig.fast(), quiet=True)
    assert s2.counts["new"] == 0 and s2.counts["already"] == 9
    assert not [p for p in fake.paths_requested()[n:] if "/economy/" in p or "/ekonomika/" in p]
    assert len(store.articles(status=None)) == 12


def test_one_request_at_a_time_per_host_hosts_in_parallel(arts):
    site = FakeSite(build_site(arts), delay=0.05).start()
    try:
        store = Store(":memory:")
        s = fetch(store, base_url=site.base_url, since=SINCE, config=FetchConfig.fast(), quiet=True)
        assert s.counts["new"] == 12
        assert site.max_in_flight == {"tass.ru": 1, "tass.com": 1}
        assert site.max_total == 2  # the two editions' pages were fetched side by side
    finally:
        site.stop()


def test_conditional_feed_requests(fake):
    store = Store(":memory:")
    fetch(store, base_url=fake.base_url, config=FetchConfig.fast(), quiet=True)
    assert store.fetch_entry("https://tass.ru/rss/yandex.xml")["etag"]
    n = len(fake.requests)
    s = fetch(store, base_url=fake.base_url, config=FetchConfig.fast(), quiet=True)
    assert s.counts["not_modified"] == 2 and s.counts["new"] == 0
    assert all("if-none-match" in h for p, h in fake.requests[n:] if p.endswith(".xml"))


def test_faults_are_survived_or_reported(fake, arts):
    f = fake.faults
    f["tass.com/rss/v2.xml"] = ["503"]
    f["tass.ru/sitemap.xml"] = ["500"]
    f["tass.ru/ekonomika/26104503"] = ["429"]  # Retry-After: 1
    f["tass.ru/ekonomika/26104504"] = ["timeout"]
    f["tass.ru/ekonomika/26104505"] = "cp1251"  # no charset, windows-1251 body
    f["tass.com/economy/1104501"] = "wrongcharset"
    f["tass.com/economy/1104503"] = ["truncated"]
    f["tass.com/economy/1104502"] = "gzip"
    f["tass.com/economy/1104504"] = "loop"
    f["tass.com/economy/1104505"] = "bot"
    store = Store(":memory:")
    t0 = time.monotonic()
    s = fetch(store, base_url=fake.base_url, since=SINCE, config=FetchConfig.fast(), quiet=True)
    assert time.monotonic() - t0 >= 1.0  # Retry-After honoured
    bad = {"https://tass.com/economy/1104504", "https://tass.com/economy/1104505"}
    assert urls(store) == sorted(a.url for a in arts if a.url not in bad)
    assert all(a.status == "ok" for a in store.articles(status=None))
    fails = {u: (o, r) for o, u, r in s.failures if o != "not_found"}
    assert fails["https://tass.com/economy/1104504"][1].startswith("redirect loop")
    assert fails["https://tass.com/economy/1104505"][0] == "bot_check"
    assert set(fails) == bad
    assert store.fetch_entry("https://tass.com/economy/1104505")["status"] == "bot_check"
    assert store.fetch_entry("https://tass.com/economy/1104505")["http_status"] == 403
    assert "bot_check" in str(s) and "redirect loop" in str(s)
    # once the site behaves, the next run fetches exactly the two missing ones
    f.clear()
    s2 = fetch(store, base_url=fake.base_url, since=SINCE, config=FetchConfig.fast(), quiet=True)
    assert s2.counts["new"] == 2 and urls(store) == sorted(a.url for a in arts)


def test_failed_feed_item_is_retried_despite_etag(fake):
    fake.faults["tass.com/economy/1104501"] = ["500", "500", "500"]
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, edition="en", config=FetchConfig.fast(), quiet=True)
    assert s.counts["new"] == 2 and s.counts["error"] == 1
    assert store.fetch_entry("https://tass.com/rss/v2.xml") is None  # no validators: the feed is read again
    s = fetch(store, base_url=fake.base_url, edition="en", config=FetchConfig.fast(), quiet=True)
    assert s.counts["new"] == 1 and store.fetch_entry("https://tass.com/rss/v2.xml")["etag"]
    s = fetch(store, base_url=fake.base_url, edition="en", config=FetchConfig.fast(), quiet=True)
    assert s.counts["not_modified"] == 1


def test_persistent_errors_give_up_with_reasons(fake):
    fake.faults["tass.ru/rss/yandex.xml"] = "garbage"
    fake.faults["tass.com/rss/v2.xml"] = "503"
    fake.faults["tass.com/economy/1104502"] = "truncated"
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, config=FetchConfig.fast(), quiet=True)
    reasons = {u: r for _, u, r in s.failures}
    assert reasons["https://tass.ru/rss/yandex.xml"].startswith("malformed feed")
    assert "HTTP 503 (gave up after 3 attempts)" in reasons["https://tass.com/rss/v2.xml"]
    assert s.counts["new"] == 0
    s = fetch(store, base_url=fake.base_url, since=SINCE, edition="en", config=FetchConfig.fast(), quiet=True)
    assert "truncated body" in {u: r for _, u, r in s.failures}["https://tass.com/economy/1104502"]
    assert s.counts["new"] == 5


def test_bot_check_breaker_stops_asking(fake):
    for n in range(3, 6):
        fake.faults[f"tass.ru/ekonomika/2610450{n}"] = "bot200"
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, since=SINCE, edition="ru",
              config=FetchConfig.fast(bot_check_breaker=2), quiet=True)
    asked = [p for p in fake.paths_requested() if p.startswith("tass.ru/ekonomika/")]
    assert len(asked) == 2 and s.counts["bot_check"] == 3 and s.counts["new"] == 3


def test_tass_com_feed_needs_browser_headers(fake):
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, edition="en", config=FetchConfig.fast(browser_ua_prefixes=()), quiet=True)
    assert s.failures[0][:2] == ("bot_check", "https://tass.com/rss/v2.xml")


def test_max_items_defers_the_rest(fake):
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, since=SINCE, edition="en", max_items=2, config=FetchConfig.fast(), quiet=True)
    assert s.counts["new"] == 2 and s.counts["deferred"] == 4
    s = fetch(store, base_url=fake.base_url, since=SINCE, edition="en", config=FetchConfig.fast(), quiet=True)
    assert s.counts["new"] == 4 and s.counts["already"] == 2


def test_client_policy(fake):
    c = HttpClient({"tass.ru", "tass.com"}, base_url=fake.base_url, config=FetchConfig.fast())
    with pytest.raises(FetchError) as e:
        c.get("https://example.org/x")
    assert e.value.kind == "offsite"
    for u in ("https://tass.ru/search?q=1", "https://tass.ru/v1/api/news", "https://tass.ru/n/123"):
        with pytest.raises(FetchError) as e:
            c.get(u)
        assert e.value.kind == "robots"
    fake.faults["tass.com/economy/1104500"] = "offsite"
    with pytest.raises(FetchError) as e:
        c.get("https://tass.com/economy/1104500")
    assert e.value.kind == "offsite"
    fake.faults["tass.com/economy/1104500"] = ["429"]
    fake.faults["tass.com/economy/1104501"] = ["429"]
    with pytest.raises(FetchError) as e:  # Retry-After 1 s over a 0.5 s limit: give up, do not hammer
        HttpClient({"tass.com"}, base_url=fake.base_url, config=FetchConfig.fast(max_retry_after=0.5)).get(
            "https://tass.com/economy/1104501")
    assert "Retry-After" in e.value.reason


def test_rate_limit_per_host_and_size_cap(fake):
    waits: list[float] = []
    c = HttpClient({"tass.ru", "tass.com"}, base_url=fake.base_url,
                   config=FetchConfig.fast(min_interval=30.0), sleep=waits.append)
    c.get("https://tass.com/economy/1104500")  # robots.txt, then the page: one wait
    c.get("https://tass.ru/ekonomika/26104503")  # another host: robots.txt without waiting, then one wait
    assert len(waits) == 2 and all(25 < w <= 30 for w in waits)
    small = HttpClient({"tass.com"}, base_url=fake.base_url, config=FetchConfig.fast(max_bytes=2000))
    with pytest.raises(FetchError) as e:
        small.get("https://tass.com/economy/1104500")
    assert "cap" in e.value.reason


def test_robots_rules_wildcards():
    r = RobotsRules.parse("User-agent: *\nDisallow: */api/*\nDisallow: /video/\nAllow: /video/ok$\n"
                          "User-agent: tasscorpus\nDisallow: /private\nCrawl-delay: 5\n", "tasscorpus/0.1")
    assert not r.allowed("https://tass.ru/private/1") and r.allowed("https://tass.ru/video/1")
    assert r.crawl_delay == 5.0
    r = RobotsRules.parse("User-agent: *\nDisallow: */api/*\nDisallow: /video/\nAllow: /video/ok$\n", "tasscorpus/0.1")
    assert not r.allowed("https://tass.ru/x/api/y") and not r.allowed("https://tass.ru/video/1")
    assert r.allowed("https://tass.ru/video/ok") and not r.allowed("https://tass.ru/video/ok2")
    assert r.allowed("https://tass.ru/politika/26100000")


def test_file_mirror_runs_the_same_path(fake, arts, tmp_path):
    root = write_mirror(fake.site, tmp_path / "data")
    a, b = Store(":memory:"), Store(":memory:")
    fetch(a, base_url=fake.base_url, config=FetchConfig.fast(), quiet=True)
    s = load_mirror(b, root, quiet=True)
    assert s.counts["new"] == 6
    assert a.snapshot()["articles"] == b.snapshot()["articles"]
    with pytest.raises(FileNotFoundError):
        load_mirror(b, tmp_path / "nope")


def test_warc_import(fake, arts, tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "tass.warc.gz"
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for p in ["tass.ru/rss/yandex.xml"] + [a.path for a in arts if a.layout != "feed"] + ["example.org/x"]:
            body = fake.site.get(p, b"<html>elsewhere</html>")
            hdrs = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://{p}", "response", payload=BytesIO(body), http_headers=hdrs))
    a, b = Store(":memory:"), Store(":memory:")
    fetch(a, base_url=fake.base_url, since=SINCE, config=FetchConfig.fast(), quiet=True)
    n = len(fake.requests)
    s = fetch(b, warcs=[path], quiet=True)
    assert len(fake.requests) == n  # no network
    assert s.counts["new"] == 9 + 3 - 0 and a.snapshot()["articles"] == b.snapshot()["articles"]
    assert {x.origin for x in b.articles()} == {"warc"}


def test_wayback_backfill(fake, arts):
    import json

    en = [a for a in arts if a.edition == "en"]
    rows = [["timestamp", "original", "statuscode", "mimetype", "length"]]
    for a in en:
        rows.append(["20261121000000", a.url.replace("https://", "http://"), "200", "text/html", "25000"])
        fake.site[f"web.archive.org/web/20261121000000id_/{a.url.replace('https://', 'http://')}"] = fake.site[a.path]
    rows.append(["20261121000000", "http://tass.com/economy/1100999", "200", "text/html", "900"])  # a stub
    fake.site["web.archive.org/cdx/search/cdx"] = json.dumps(rows).encode()
    fake.site["web.archive.org/robots.txt"] = b"User-agent: *\nDisallow: /search\n"
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, edition="en", since=SINCE, wayback=True,
              config=FetchConfig.fast(), quiet=True)
    assert s.counts["wayback_stub"] == 1 and s.counts["new"] == 6
    assert not any("1100999" in p for p in fake.paths_requested())


def test_cli(fake, tmp_path):
    from click.testing import CliRunner

    from corpus.cli import cli
    from corpus.fetch.cli import fetch_cmd

    if "fetch" not in cli.commands:
        cli.add_command(fetch_cmd)
    r = CliRunner()
    db = str(tmp_path / "s.sqlite")
    res = r.invoke(cli, ["--store", db, "--quiet", "fetch", "--base-url", fake.base_url, "--since", SINCE,
                         "--delay", "0", "--timeout", "0.3", "--deadline", "5"])
    assert res.exit_code == 0, res.output
    assert "new=12" in res.output
    for args, msg in ((["--since", "2026-02-30"], "is not a date"), (["--from-warc", str(tmp_path / "x.warc")], "not found"),
                      (["--edition", "jp"], "unknown edition"), (["--base-url", "ftp://x"], "only http"),
                      (["--since", "2026-11-02", "--until", "2026-11-01"], "after")):
        res = r.invoke(cli, ["--store", db, "fetch", *args])
        assert res.exit_code != 0 and msg in res.output and "Traceback" not in res.output


KILL_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from corpus.fetch import fetch, FetchConfig
from corpus.store import Store
fetch(Store({db!r}), base_url={base!r}, since={since!r}, config=FetchConfig.fast(timeout=2.0), quiet=True)
"""


def test_kill9_mid_fetch_then_resume_equals_uninterrupted(arts, tmp_path):
    site = FakeSite(build_site(arts), delay=0.12).start()
    try:
        db = tmp_path / "killed.sqlite"
        code = KILL_SCRIPT.format(root=str(ROOT), db=str(db), base=site.base_url, since=SINCE)
        proc = subprocess.Popen([sys.executable, "-c", code])
        deadline = time.monotonic() + 30
        n = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                    n = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                    con.close()
                except sqlite3.Error:
                    n = 0
            if n >= 5:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL, "the fetch finished before it could be killed"
        assert 5 <= n < 12
        site.delay = 0.0
        with Store(db) as resumed:
            stored = len(resumed.articles(status=None))
            assert stored == len(resumed.done_keys("fetch"))  # every stored article has its done-mark
            s = fetch(resumed, base_url=site.base_url, since=SINCE, config=FetchConfig.fast(), quiet=True)
            assert s.counts["new"] == 12 - stored and s.counts["already"] + s.counts["unchanged"] == stored
            got = resumed.snapshot()["articles"]
            assert len({u for u, _, _ in got}) == len(got) == 12
        ref = Store(":memory:")
        fetch(ref, base_url=site.base_url, since=SINCE, config=FetchConfig.fast(), quiet=True)
        assert got == ref.snapshot()["articles"]
    finally:
        site.stop()


def test_bundled_sample_mirror_loads():
    """corpus/sample/data (rendered by corpus/sample/build.py) loads through the same code path."""
    import json

    from corpus.pipeline import sample_dir

    root = sample_dir()
    if not (root / "tass.ru" / "rss" / "yandex.xml").is_file():
        pytest.skip("corpus/sample/data not rendered yet")
    store = Store(":memory:")
    s = load_mirror(store, root, quiet=True)
    assert s.counts["new"] > 0 and not s.failures, str(s)
    arts = store.articles(status=None)
    assert all(a.status == "ok" and a.dateline_place and a.dateline_date for a in arts)
    assert not any("/ТАСС/" in p or "/TASS/" in p for a in arts for p in a.paragraphs)
    gold = root.parent / "gold.json"
    if gold.is_file():
        g = json.loads(gold.read_text(encoding="utf-8"))
        stored = {a.url for a in arts}
        assert {u for p in g.get("pairs", []) for u in (p["ru"], p["en"])} <= stored


# ---------------------------------------------------------------------------- issue 21 / 26
def _free_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return port


def test_unreachable_host_is_a_failure_naming_cause_and_url(tmp_path):
    from click.testing import CliRunner

    from corpus.cli import cli

    port = _free_port()
    db = tmp_path / "s.sqlite"
    res = CliRunner().invoke(cli, ["--store", str(db), "--quiet", "fetch", "--base-url", f"http://127.0.0.1:{port}",
                                   "--timeout", "1", "--delay", "0"])
    assert res.exit_code == 1, res.output
    last = res.output.strip().splitlines()[-1]
    assert last.startswith("Error: nothing fetched") and "connection refused" in last
    assert f"http://127.0.0.1:{port}/tass.ru/robots.txt" in last
    assert "disallowed by robots.txt" not in res.output and "Traceback" not in res.output
    # every URL shown is the one actually tried, not the live site's
    assert "https://tass." not in res.output


def test_unreachable_robots_is_not_a_disallow(fake):
    port = _free_port()
    store = Store(":memory:")
    s = fetch(store, base_url=f"http://127.0.0.1:{port}", edition="en", config=FetchConfig.fast(), quiet=True)
    ((kind, url, reason),) = s.failures
    assert kind == "unreachable" and "connection refused" in reason and f"127.0.0.1:{port}/tass.com/robots.txt" in reason
    assert s.counts["robots"] == 0 and s.failed_outright()
    assert s.tried(url) == f"http://127.0.0.1:{port}/tass.com/rss/v2.xml"
    # a robots.txt answering 5xx stops the crawl too, and says why (not "disallowed")
    fake.faults["tass.com/robots.txt"] = "503"
    s = fetch(Store(":memory:"), base_url=fake.base_url, edition="en", config=FetchConfig.fast(), quiet=True)
    assert s.counts["robots"] == 0 and s.failures
    assert all("robots.txt unavailable: HTTP 503" in r for _, _, r in s.failures)
    # a run that reaches the site but stores nothing new is no failure
    fake.faults.clear()
    store = Store(":memory:")
    fetch(store, base_url=fake.base_url, edition="en", config=FetchConfig.fast(), quiet=True)
    s = fetch(store, base_url=fake.base_url, edition="en", config=FetchConfig.fast(), quiet=True)
    assert s.stored == 0 and not s.failed_outright()


def test_network_reasons_are_named():
    import socket

    from corpus.fetch.http import network_reason

    assert network_reason(ConnectionRefusedError(111, "Connection refused")) == ("connection refused", True)
    r, unreachable = network_reason(socket.gaierror(-2, "Name or service not known"))
    assert r.startswith("DNS lookup failed") and unreachable
    assert network_reason(TimeoutError("timed out"))[0].startswith("timed out")


@pytest.mark.parametrize("fault", ["trickle", "trickleheaders"])
def test_trickling_response_hits_the_overall_deadline(fake, fault):
    fake.faults["tass.com/economy/1104500"] = fault
    c = HttpClient({"tass.com"}, base_url=fake.base_url, config=FetchConfig.fast(timeout=0.5, deadline=1.0, retries=0))
    c.get("https://tass.com/robots.txt")  # robots.txt read first, outside the timed part
    t0 = time.monotonic()
    with pytest.raises(FetchError) as e:
        c.get("https://tass.com/economy/1104500")
    assert time.monotonic() - t0 < 3.0  # each read came within the per-read timeout; the deadline stopped it
    assert "1s deadline" in e.value.reason and fake.base_url in e.value.reason


def test_wrong_header_charset_falls_back_to_meta_and_detection(fake, arts):
    fake.faults["tass.ru/ekonomika/26104503"] = "cp1251meta"  # windows-1251, header says iso-8859-1
    fake.faults["tass.ru/ekonomika/26104504"] = "cp1251nometa"  # the same without a <meta> charset
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, since=SINCE, edition="ru", config=FetchConfig.fast(), quiet=True)
    assert s.counts["new"] == 6 and not s.counts["lang_mismatch"], str(s)
    by = {a.url: a for a in store.articles(status=None)}
    want = {a.url: a for a in arts}
    for u in ("https://tass.ru/ekonomika/26104503", "https://tass.ru/ekonomika/26104504"):
        assert by[u].status == "ok" and by[u].paragraphs == tuple(want[u].paragraphs) and by[u].title == want[u].title
    assert by["https://tass.ru/ekonomika/26104503"].encoding == "windows-1251 (meta charset)"
    assert by["https://tass.ru/ekonomika/26104504"].encoding.endswith("(detected)")
    assert by["https://tass.ru/ekonomika/26104505"].encoding == "utf-8"
    assert by["https://tass.ru/ekonomika/26104500"].encoding == "utf-8 (feed)"
    # the encoding is stored with the article
    assert store.article_by_url("https://tass.ru/ekonomika/26104503").encoding == "windows-1251 (meta charset)"


def test_text_in_another_language_still_mismatches_after_every_reading(fake, arts):
    en = next(a for a in arts if a.path == "tass.com/economy/1104501")
    fake.site["tass.ru/ekonomika/26104503"] = fake.site[en.path]  # English text under the Russian edition
    store = Store(":memory:")
    fetch(store, base_url=fake.base_url, since=SINCE, edition="ru", config=FetchConfig.fast(), quiet=True)
    a = store.article_by_url("https://tass.ru/ekonomika/26104503")
    assert a.status == "lang_mismatch" and "read as: utf-8" in a.status_reason


def test_damaged_feed_is_reported_even_when_items_were_recovered(fake):
    fake.faults["tass.ru/rss/yandex.xml"] = "damaged"
    store = Store(":memory:")
    s = fetch(store, base_url=fake.base_url, edition="ru", config=FetchConfig.fast(), quiet=True)
    assert s.counts["new"] == 2  # the two items before the damage
    (reason,) = [r for _, u, r in s.failures if u == "https://tass.ru/rss/yandex.xml"]
    assert reason.startswith("malformed feed (2 items recovered)")
    assert store.fetch_entry("https://tass.ru/rss/yandex.xml")["status"] == "error"  # read whole next run
