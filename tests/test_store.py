"""The store: transactional, idempotent writes; stale downstream results dropped on change."""

import sqlite3

import numpy as np
import pytest

from corpus.records import Article, Bead, DocPair, Flag, Sentence, Span
from corpus.store import Store, StoreError


def art(url, edition="ru", body=("Первый абзац.", "Второй абзац."), **kw):
    return Article(source="tass", edition=edition, lang=edition, url=url, title="T " + url,
                   paragraphs=tuple(body), published="2026-11-20T10:00:00+03:00", **kw)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        yield s


def _fill(store):
    a, _ = store.upsert_article(art("https://tass.ru/a/1"))
    b, _ = store.upsert_article(art("https://tass.com/a/1", "en", ("First.", "Second.")))
    store.put_sentences(a, [Sentence(a, 0, "Первый абзац."), Sentence(a, 1, "Второй абзац.")])
    store.put_sentences(b, [Sentence(b, 0, "First."), Sentence(b, 1, "Second.")])
    (pid,) = store.put_pairs([DocPair(a, b, 0.9, evidence={"sim": 0.9})])
    store.put_beads(pid, [Bead((0,), (0,), 0.8), Bead((1,), (), 0.1)])
    store.put_flags(pid, [[], [Flag("omission", 0.9, "major", (Span(0, 13),), ())]])
    return a, b, pid


def test_rerun_is_idempotent(store):
    _fill(store)
    snap = store.snapshot()
    counts = store.counts()
    _fill(store)  # the same writes again
    assert store.snapshot() == snap
    assert store.counts() == counts
    assert counts["beads"] == {"1-0": 1, "1-1": 1}
    assert counts["flags"] == {"omission": 1}


def test_upsert_unchanged_article_is_not_rewritten(store):
    a1, changed1 = store.upsert_article(art("https://tass.ru/a/1"))
    a2, changed2 = store.upsert_article(art("https://tass.ru/a/1"))
    assert (a1, changed1) == (a2, True) and changed2 is False
    assert len(store.articles()) == 1


def test_changed_article_invalidates_downstream(store):
    a, b, pid = _fill(store)
    assert store.is_done("segment", str(a)) and store.is_done("align", str(pid))
    _, changed = store.upsert_article(art("https://tass.ru/a/1", body=("Новый текст.",)))
    assert changed
    assert store.sentences(a) == []
    assert not store.is_done("segment", str(a))
    assert not store.is_done("align", str(pid))
    assert store.beads(pid) == []
    assert store.flags(pid) == []


def test_failed_transaction_leaves_nothing(store):
    a, _ = store.upsert_article(art("https://tass.ru/a/1"))
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.put_sentences(a, [Sentence(a, 0, "x")])
            raise RuntimeError("interrupted")
    assert store.sentences(a) == []
    assert not store.is_done("segment", str(a))


def test_bad_write_rolls_back_whole_unit(store):
    a, _ = store.upsert_article(art("https://tass.ru/a/1"))
    with pytest.raises(sqlite3.IntegrityError):
        store.put_sentences(a, [Sentence(a, 0, "x"), Sentence(a, 0, "duplicate idx")])
    assert store.sentences(a) == [] and not store.is_done("segment", str(a))


def test_flags_roundtrip(store):
    _, _, pid = _fill(store)
    flags = store.flags(pid)
    assert flags[0] == []
    f = flags[1][0]
    assert (f.type, f.severity, f.src_spans, f.tgt_spans) == ("omission", "major", (Span(0, 13),), ())


def test_pairs_replace_all_drops_old_results(store):
    a, b, pid = _fill(store)
    c, _ = store.upsert_article(art("https://tass.com/a/2", "en", ("Other.",)))
    (pid2,) = store.put_pairs([DocPair(a, c, 0.7)], replace_all=True)
    assert [p.id for p in store.pairs()] == [pid2]
    assert store.beads(pid) == [] and not store.is_done("align", str(pid))


def test_embedding_cache(store):
    v = np.arange(4, dtype=np.float32)
    store.put_embeddings("enc", {"k1": v})
    store.put_embeddings("enc", {"k1": v * 2})  # first write wins: content-addressed
    got = store.get_embeddings("enc", ["k1", "k2"])
    assert list(got) == ["k1"] and np.array_equal(got["k1"], v)
    assert store.get_embeddings("other", ["k1"]) == {}


def test_store_survives_reopen(tmp_path):
    p = tmp_path / "s.sqlite"
    with Store(p) as s:
        _fill(s)
        snap = s.snapshot()
    with Store(p) as s:
        assert s.snapshot() == snap


def test_not_a_store_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        Store(bad)
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


# ---------------------------------------------------------------------------- read-only media
import shutil
import subprocess
from contextlib import contextmanager


@contextmanager
def read_only_media(folder):
    """Make ``folder`` and every file in it immutable (``chattr +i``): even root cannot write or
    create files there, as on a read-only mount. Skips where the file system has no such flag."""
    paths = [*sorted(folder.iterdir()), folder]
    r = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, text=True) if shutil.which("chattr") else None
    if r is None or r.returncode != 0:
        pytest.skip("chattr +i not available here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True)


def test_read_only_store_is_read(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    with Store(ro / "s.sqlite") as s:
        _fill(s)
        snap = s.snapshot()
    before = (ro / "s.sqlite").read_bytes()
    with read_only_media(ro):
        with pytest.raises(StoreError):  # the writable open cannot work there (what users hit)
            with Store(ro / "s.sqlite") as s:
                s.snapshot()
        with Store(ro / "s.sqlite", readonly=True) as s:
            assert s.snapshot() == snap and s.counts()["flags"] == {"omission": 1}
            with pytest.raises(sqlite3.OperationalError):
                s.set_meta("x", 1)
    assert (ro / "s.sqlite").read_bytes() == before and sorted(p.name for p in ro.iterdir()) == ["s.sqlite"]


def test_read_only_open_never_creates_or_writes(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing.sqlite", readonly=True)
    assert not (tmp_path / "missing.sqlite").exists()
    p = tmp_path / "s.sqlite"
    with Store(p) as s:
        _fill(s)
    before = p.read_bytes()
    with Store(p, readonly=True) as s:
        assert len(s.articles()) == 2
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            s.upsert_article(art("https://tass.ru/a/9"))
    assert p.read_bytes() == before


def _schema1_store(path):
    """A store as schema 1 wrote it (no articles.encoding column)."""
    with Store(path) as s:
        _fill(s)
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE articles DROP COLUMN encoding")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()


def test_old_store_is_migrated_and_keeps_its_data(tmp_path):
    p = tmp_path / "old.sqlite"
    _schema1_store(p)
    with Store(p, readonly=True) as s:  # read as it is, without migrating
        assert {a.encoding for a in s.articles()} == {""}
    with Store(p) as s:
        assert s.get_meta("schema_version") == 2
        assert len(s.articles()) == 2 and s.counts()["flags"] == {"omission": 1}
        aid, _ = s.upsert_article(art("https://tass.ru/a/2", encoding="windows-1251 (meta charset)"))
        assert s.article(aid).encoding == "windows-1251 (meta charset)"


def test_read_only_file_in_a_writable_folder(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        _fill(s)
        snap = s.snapshot()
    r = subprocess.run(["chattr", "+i", str(tmp_path / "s.sqlite")], capture_output=True) if shutil.which("chattr") else None
    if r is None or r.returncode != 0:
        pytest.skip("chattr +i not available here")
    try:
        with Store(tmp_path / "s.sqlite", readonly=True) as s:
            assert s.snapshot() == snap
        with pytest.raises(StoreError, match="read-only media"):
            with Store(tmp_path / "s.sqlite") as s:
                s.set_meta("x", 1)
    finally:
        subprocess.run(["chattr", "-i", str(tmp_path / "s.sqlite")], capture_output=True)
