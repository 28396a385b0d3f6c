"""The store: one SQLite file, the only state of a run.

Every write is a transaction; every stage writes its outputs for one unit of work (an article, a
document pair) together with the mark that the unit is done, so an interrupted run resumes where it
stopped with nothing lost or duplicated. Keys are natural (URL, article-id pair, bead index), so a
re-run is an upsert, never a second row.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .records import Article, Bead, DocPair, Flag, Sentence, dumps

SCHEMA_VERSION = 2  # 2: articles.encoding, articles.credit (nway_units, nway_rows are created on open)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL, edition TEXT NOT NULL, lang TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL, lead TEXT NOT NULL, paragraphs TEXT NOT NULL,
    published TEXT NOT NULL, fetched TEXT NOT NULL, section TEXT NOT NULL,
    dateline_place TEXT NOT NULL, dateline_date TEXT NOT NULL,
    status TEXT NOT NULL, status_reason TEXT NOT NULL, origin TEXT NOT NULL,
    hash TEXT NOT NULL,
    encoding TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS articles_edition ON articles(source, edition, published);
CREATE TABLE IF NOT EXISTS sentences (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, text TEXT NOT NULL, para INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE IF NOT EXISTS pairs (
    id INTEGER PRIMARY KEY,
    src_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tgt_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    score REAL NOT NULL, kind TEXT NOT NULL, evidence TEXT NOT NULL,
    UNIQUE (src_id, tgt_id)
);
CREATE TABLE IF NOT EXISTS beads (
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL, score REAL NOT NULL,
    PRIMARY KEY (pair_id, idx)
);
CREATE TABLE IF NOT EXISTS flags (
    pair_id INTEGER NOT NULL, bead_idx INTEGER NOT NULL, n INTEGER NOT NULL,
    type TEXT NOT NULL, score REAL NOT NULL, severity TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (pair_id, bead_idx, n),
    FOREIGN KEY (pair_id, bead_idx) REFERENCES beads(pair_id, idx) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS embeddings (
    encoder TEXT NOT NULL, key TEXT NOT NULL, dim INTEGER NOT NULL, vec BLOB NOT NULL,
    PRIMARY KEY (encoder, key)
);
CREATE TABLE IF NOT EXISTS done (
    stage TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL, info TEXT NOT NULL,
    PRIMARY KEY (stage, key)
);
CREATE TABLE IF NOT EXISTS nway_units (
    pivot_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    pivot_edition TEXT NOT NULL, articles TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS nway_rows (
    pivot_id INTEGER NOT NULL REFERENCES nway_units(pivot_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (pivot_id, idx)
);
CREATE TABLE IF NOT EXISTS fetch_log (
    url TEXT PRIMARY KEY, status TEXT NOT NULL, http_status INTEGER, reason TEXT NOT NULL,
    etag TEXT, last_modified TEXT, at REAL NOT NULL
);
"""

_ARTICLE_COLS = (
    "source", "edition", "lang", "url", "title", "lead", "paragraphs", "published", "fetched",
    "section", "dateline_place", "dateline_date", "status", "status_reason", "origin", "hash",
    "encoding", "credit",
)

# Columns added after schema 1: (table, column, declaration); an older store gets them on open.
_ADDED_COLUMNS = (
    ("articles", "encoding", "TEXT NOT NULL DEFAULT ''"),
    ("articles", "credit", "TEXT NOT NULL DEFAULT ''"),
)


class StoreError(Exception):
    """A store that cannot be opened or used (wrong file, newer schema)."""


class Store:
    """A SQLite-backed store. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path = ":memory:", *, readonly: bool = False):
        """Open (and create, unless ``readonly``) the store at ``path``.

        ``readonly=True`` is for commands that only read (stats, export, report): the file is opened
        with SQLite's ``mode=ro`` and never written, so a store on read-only media (a read-only file
        or folder, where SQLite cannot create its ``-wal``/``-shm`` files) is read as an immutable
        file. A read-only store must exist and have this tool's schema (a store of schema 1 is read
        as it is: its missing columns read as their defaults)."""
        self.path = str(path)
        self.readonly = readonly
        if self.path != ":memory:":
            p = Path(self.path)
            if p.exists() and p.is_dir():
                raise StoreError(f"store path {self.path} is a directory")
            if readonly and not p.exists():
                raise StoreError(f"store {self.path} does not exist")
            if not readonly:
                p.parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly and self.path != ":memory:":
                self.db = self._connect_readonly(Path(self.path))
                self._check_version()
                self._columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
                return
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            self.db.execute("PRAGMA foreign_keys=ON")
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            with self.transaction():
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        self.db.execute(stmt)
                for table, col, decl in _ADDED_COLUMNS:  # migrate an older store in place
                    if col not in {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}:
                        self.db.execute(f"ALTER TABLE {table} ADD COLUMN {col} {decl}")
                # written on every open: a file SQLite could only open read-only fails here, at open
                self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                                (str(max(self._check_version(), SCHEMA_VERSION)),))
            self._columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
        except sqlite3.DatabaseError as e:
            hint = ""
            if not readonly and Path(self.path).is_file() and ("unable to open" in str(e) or "readonly" in str(e)):
                hint = " (read-only media? stats, export and report can still read it)"
            raise StoreError(f"cannot open store {self.path}: {e}{hint}") from None

    @staticmethod
    def _connect_readonly(p: Path) -> sqlite3.Connection:
        """``mode=ro``; where SQLite cannot open that (a WAL store in a folder it cannot write), the
        file is read as immutable (nothing else can be writing to read-only media either)."""
        from urllib.parse import quote

        uri = "file:" + quote(str(p.resolve()))
        try:
            db = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None, timeout=30.0)
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError as e:
            if "unable to open" not in str(e):
                raise
        db = sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, isolation_level=None, timeout=30.0)
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db

    def _check_version(self) -> int:
        """The store's schema version (inserting this tool's into a new store); a newer one is refused."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):
                raise StoreError(f"{self.path} is not a tasscorpus store (no meta table)") from None
            raise
        if row is None:
            if self.readonly:
                raise StoreError(f"{self.path} is not a tasscorpus store (no schema version)")
            self.db.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            return SCHEMA_VERSION
        if int(row[0]) > SCHEMA_VERSION:
            raise StoreError(f"store {self.path} has schema {row[0]}, newer than this tasscorpus")
        return int(row[0])

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work. Nested use joins the outer transaction."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # ------------------------------------------------------------------ meta
    def set_meta(self, key: str, value) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, dumps(value)))

    def get_meta(self, key: str, default=None):
        import json

        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    # ------------------------------------------------------------------ done marks
    def is_done(self, stage: str, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM done WHERE stage=? AND key=?", (stage, key)).fetchone() is not None

    def mark_done(self, stage: str, key: str, info: dict | None = None) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO done(stage, key, at, info) VALUES (?, ?, ?, ?)",
                (stage, key, time.time(), dumps(info or {})),
            )

    def done_keys(self, stage: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT key FROM done WHERE stage=?", (stage,))}

    def clear_done(self, stage: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM done WHERE stage=?", (stage,))

    # ------------------------------------------------------------------ articles
    def upsert_article(self, a: Article) -> tuple[int, bool]:
        """Insert or update by URL. Returns (id, changed); unchanged content is not rewritten."""
        import json

        with self.transaction() as db:
            row = db.execute("SELECT id, hash, status FROM articles WHERE url=?", (a.url,)).fetchone()
            values = (
                a.source, a.edition, a.lang, a.url, a.title, a.lead, json.dumps(list(a.paragraphs), ensure_ascii=False),
                a.published, a.fetched, a.section, a.dateline_place, a.dateline_date, a.status,
                a.status_reason, a.origin, a.hash, a.encoding, a.credit,
            )
            if row is None:
                cur = db.execute(
                    f"INSERT INTO articles({', '.join(_ARTICLE_COLS)}) VALUES ({', '.join('?' * len(_ARTICLE_COLS))})",
                    values,
                )
                return int(cur.lastrowid), True
            art_id, old_hash, old_status = row
            if old_hash == a.hash and old_status == a.status:
                return int(art_id), False
            db.execute(
                f"UPDATE articles SET {', '.join(c + '=?' for c in _ARTICLE_COLS)} WHERE id=?",
                (*values, art_id),
            )
            # content changed: downstream results for this article are stale
            db.execute("DELETE FROM sentences WHERE article_id=?", (art_id,))
            db.execute("DELETE FROM done WHERE stage='segment' AND key=?", (str(art_id),))
            stale = [r[0] for r in db.execute("SELECT id FROM pairs WHERE src_id=? OR tgt_id=?", (art_id, art_id))]
            for pid in stale:
                db.execute("DELETE FROM done WHERE stage IN ('align','flag') AND key=?", (str(pid),))
                db.execute("DELETE FROM beads WHERE pair_id=?", (pid,))
            return int(art_id), True

    def _article_select(self) -> str:
        """The article columns to read; a column an old read-only store lacks reads as its default."""
        return ", ".join(c if c in self._columns else f"'' AS {c}" for c in _ARTICLE_COLS)

    def _article(self, row) -> Article:
        import json

        d = dict(zip(("id", *_ARTICLE_COLS), row))
        d["paragraphs"] = tuple(json.loads(d["paragraphs"]))
        d.pop("hash")
        return Article(**d)

    def article(self, article_id: int) -> Article:
        row = self.db.execute(f"SELECT id, {self._article_select()} FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        return self._article(row)

    def article_by_url(self, url: str) -> Article | None:
        row = self.db.execute(f"SELECT id, {self._article_select()} FROM articles WHERE url=?", (url,)).fetchone()
        return None if row is None else self._article(row)

    def articles(
        self, *, edition: str | None = None, source: str | None = None, status: str | None = "ok",
        since: str | None = None, until: str | None = None,
    ) -> list[Article]:
        q = f"SELECT id, {self._article_select()} FROM articles WHERE 1=1"
        args: list = []
        for col, val in (("edition", edition), ("source", source), ("status", status)):
            if val is not None:
                q += f" AND {col}=?"
                args.append(val)
        if since:
            q += " AND published>=?"
            args.append(since)
        if until:
            q += " AND published<?"
            args.append(until)
        q += " ORDER BY published, id"
        return [self._article(r) for r in self.db.execute(q, args)]

    # ------------------------------------------------------------------ sentences
    def put_sentences(self, article_id: int, sentences: Iterable[Sentence], *, stage: str = "segment") -> None:
        """Replace an article's sentences and mark the article segmented, atomically."""
        with self.transaction() as db:
            db.execute("DELETE FROM sentences WHERE article_id=?", (article_id,))
            db.executemany(
                'INSERT INTO sentences(article_id, idx, text, para, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
                [(article_id, s.idx, s.text, s.para, s.start, s.end) for s in sentences],
            )
            self.mark_done(stage, str(article_id))

    def sentences(self, article_id: int) -> list[Sentence]:
        return [
            Sentence(article_id, idx, text, para, start, end)
            for idx, text, para, start, end in self.db.execute(
                'SELECT idx, text, para, start, "end" FROM sentences WHERE article_id=? ORDER BY idx', (article_id,)
            )
        ]

    # ------------------------------------------------------------------ pairs
    def put_pairs(self, pairs: Iterable[DocPair], *, replace_all: bool = False,
                  scope: tuple[set[int], set[int]] | None = None) -> list[int]:
        """Upsert document pairs by (src_id, tgt_id). With ``replace_all`` pairs not given are removed
        (with ``scope=(src ids, tgt ids)`` only those between these articles: one edition pair of several)."""
        ids = []
        with self.transaction() as db:
            keep = set()
            for p in pairs:
                row = db.execute("SELECT id, score, kind FROM pairs WHERE src_id=? AND tgt_id=?", (p.src_id, p.tgt_id)).fetchone()
                if row is None:
                    cur = db.execute(
                        "INSERT INTO pairs(src_id, tgt_id, score, kind, evidence) VALUES (?, ?, ?, ?, ?)",
                        (p.src_id, p.tgt_id, float(p.score), p.kind, dumps(p.evidence)),
                    )
                    pid = int(cur.lastrowid)
                else:
                    pid = int(row[0])
                    db.execute(
                        "UPDATE pairs SET score=?, kind=?, evidence=? WHERE id=?",
                        (float(p.score), p.kind, dumps(p.evidence), pid),
                    )
                keep.add(pid)
                ids.append(pid)
            if replace_all:
                for pid, s_id, t_id in db.execute("SELECT id, src_id, tgt_id FROM pairs").fetchall():
                    if pid not in keep and (scope is None or (s_id in scope[0] and t_id in scope[1])):
                        db.execute("DELETE FROM pairs WHERE id=?", (pid,))
                        db.execute("DELETE FROM done WHERE stage IN ('align','flag') AND key=?", (str(pid),))
        return ids

    def pairs(self) -> list[DocPair]:
        import json

        return [
            DocPair(src_id=s, tgt_id=t, score=sc, kind=k, evidence=json.loads(ev), id=i)
            for i, s, t, sc, k, ev in self.db.execute("SELECT id, src_id, tgt_id, score, kind, evidence FROM pairs ORDER BY id")
        ]

    def pair(self, pair_id: int) -> DocPair:
        for p in self.pairs():
            if p.id == pair_id:
                return p
        raise KeyError(pair_id)

    # ------------------------------------------------------------------ beads and flags
    def put_beads(self, pair_id: int, beads: Iterable[Bead], *, stage: str = "align", info: dict | None = None) -> None:
        """Replace a pair's beads (and so its flags) and mark the pair aligned, atomically."""
        with self.transaction() as db:
            db.execute("DELETE FROM beads WHERE pair_id=?", (pair_id,))
            db.execute("DELETE FROM done WHERE stage='flag' AND key=?", (str(pair_id),))
            db.executemany(
                "INSERT INTO beads(pair_id, idx, src, tgt, score) VALUES (?, ?, ?, ?, ?)",
                [(pair_id, i, dumps(list(b.src)), dumps(list(b.tgt)), float(b.score)) for i, b in enumerate(beads)],
            )
            self.mark_done(stage, str(pair_id), info)

    def beads(self, pair_id: int) -> list[Bead]:
        import json

        return [
            Bead(tuple(json.loads(s)), tuple(json.loads(t)), sc)
            for s, t, sc in self.db.execute("SELECT src, tgt, score FROM beads WHERE pair_id=? ORDER BY idx", (pair_id,))
        ]

    def put_flags(self, pair_id: int, flags: list[list[Flag]], *, stage: str = "flag", info: dict | None = None) -> None:
        """Replace a pair's flags (one list per bead, in bead order) and mark the pair flagged."""
        with self.transaction() as db:
            db.execute("DELETE FROM flags WHERE pair_id=?", (pair_id,))
            rows = [
                (pair_id, bi, n, f.type, float(f.score), f.severity, dumps(f.to_dict()))
                for bi, fl in enumerate(flags)
                for n, f in enumerate(fl)
            ]
            db.executemany(
                "INSERT INTO flags(pair_id, bead_idx, n, type, score, severity, data) VALUES (?, ?, ?, ?, ?, ?, ?)", rows
            )
            self.mark_done(stage, str(pair_id), info)

    def flags(self, pair_id: int) -> list[list[Flag]]:
        import json

        n_beads = self.db.execute("SELECT COUNT(*) FROM beads WHERE pair_id=?", (pair_id,)).fetchone()[0]
        out: list[list[Flag]] = [[] for _ in range(n_beads)]
        for bi, data in self.db.execute("SELECT bead_idx, data FROM flags WHERE pair_id=? ORDER BY bead_idx, n", (pair_id,)):
            out[bi].append(Flag.from_dict(json.loads(data)))
        return out

    def pair_id(self, src_id: int, tgt_id: int) -> int | None:
        row = self.db.execute("SELECT id FROM pairs WHERE src_id=? AND tgt_id=?", (src_id, tgt_id)).fetchone()
        return None if row is None else int(row[0])

    # ------------------------------------------------------------------ N-way rows
    def put_nway(self, pivot_id: int, pivot_edition: str, articles: dict[str, int], rows: list[dict], key: str) -> None:
        """Replace one pivot article's N-way rows (``articles``: edition → its article id) and mark it
        linked with ``key`` (the hash of its inputs), atomically."""
        with self.transaction() as db:
            db.execute("DELETE FROM nway_rows WHERE pivot_id=?", (pivot_id,))
            db.execute("INSERT OR REPLACE INTO nway_units(pivot_id, pivot_edition, articles) VALUES (?, ?, ?)",
                       (pivot_id, pivot_edition, dumps(articles)))
            db.executemany("INSERT INTO nway_rows(pivot_id, idx, data) VALUES (?, ?, ?)",
                           [(pivot_id, i, dumps(r)) for i, r in enumerate(rows)])
            self.mark_done("link", str(pivot_id), {"key": key, "rows": len(rows)})

    def drop_nway(self, pivot_id: int) -> None:
        """Remove one pivot article's N-way rows and its link done-mark, atomically."""
        with self.transaction() as db:
            db.execute("DELETE FROM nway_rows WHERE pivot_id=?", (pivot_id,))
            db.execute("DELETE FROM nway_units WHERE pivot_id=?", (pivot_id,))
            db.execute("DELETE FROM done WHERE stage='link' AND key=?", (str(pivot_id),))

    def nway_done_key(self, pivot_id: int) -> str | None:
        import json

        row = self.db.execute("SELECT info FROM done WHERE stage='link' AND key=?", (str(pivot_id),)).fetchone()
        return None if row is None else json.loads(row[0]).get("key")

    def nway_units(self) -> list[dict]:
        """Every linked pivot article: {pivot_id, pivot_edition, articles: {edition: id}, rows: [row dict]}
        (``corpus.nway.units`` reads the rows as ``NwayRow``; a store from before these tables has none)."""
        import json

        try:
            units = self.db.execute("SELECT pivot_id, pivot_edition, articles FROM nway_units ORDER BY pivot_id").fetchall()
        except sqlite3.OperationalError:
            return []
        out = []
        for pid, ped, arts in units:
            rows = [json.loads(d) for (d,) in
                    self.db.execute("SELECT data FROM nway_rows WHERE pivot_id=? ORDER BY idx", (pid,))]
            out.append({"pivot_id": pid, "pivot_edition": ped, "articles": json.loads(arts), "rows": rows})
        return out

    # ------------------------------------------------------------------ embedding cache
    def get_embeddings(self, encoder: str, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        uniq = list(dict.fromkeys(keys))
        for i in range(0, len(uniq), 500):
            chunk = uniq[i : i + 500]
            q = f"SELECT key, dim, vec FROM embeddings WHERE encoder=? AND key IN ({', '.join('?' * len(chunk))})"
            for key, dim, vec in self.db.execute(q, (encoder, *chunk)):
                out[key] = np.frombuffer(vec, dtype=np.float32, count=dim)
        return out

    def put_embeddings(self, encoder: str, items: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO embeddings(encoder, key, dim, vec) VALUES (?, ?, ?, ?)",
                [(encoder, k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    # ------------------------------------------------------------------ fetch log
    def log_fetch(self, url: str, status: str, *, http_status: int | None = None, reason: str = "",
                  etag: str | None = None, last_modified: str | None = None) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO fetch_log(url, status, http_status, reason, etag, last_modified, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (url, status, http_status, reason, etag, last_modified, time.time()),
            )

    def fetch_entry(self, url: str) -> dict | None:
        row = self.db.execute(
            "SELECT status, http_status, reason, etag, last_modified, at FROM fetch_log WHERE url=?", (url,)
        ).fetchone()
        if row is None:
            return None
        return dict(zip(("status", "http_status", "reason", "etag", "last_modified", "at"), row))

    # ------------------------------------------------------------------ stats
    def counts(self) -> dict:
        c = {}
        c["articles"] = {
            f"{src}/{ed}/{st}": n
            for src, ed, st, n in self.db.execute(
                "SELECT source, edition, status, COUNT(*) FROM articles GROUP BY source, edition, status"
            )
        }
        c["sentences"] = self.db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        c["pairs"] = dict(self.db.execute("SELECT kind, COUNT(*) FROM pairs GROUP BY kind").fetchall())
        kinds: dict[str, int] = {}
        import json

        for s, t in self.db.execute("SELECT src, tgt FROM beads"):
            k = f"{len(json.loads(s))}-{len(json.loads(t))}"
            kinds[k] = kinds.get(k, 0) + 1
        c["beads"] = dict(sorted(kinds.items()))
        c["flags"] = dict(self.db.execute("SELECT type, COUNT(*) FROM flags GROUP BY type ORDER BY type").fetchall())
        return c

    def snapshot(self) -> dict:
        """Everything the pipeline produced, as plain data without ids' incidental values
        (used to compare an interrupted-and-resumed run with an uninterrupted one)."""
        arts = {a.id: a.url for a in self.articles(status=None)}
        out = {
            "articles": sorted((a.url, a.hash, a.status) for a in self.articles(status=None)),
            "sentences": sorted(
                (arts[aid], idx, text)
                for aid, idx, text in self.db.execute("SELECT article_id, idx, text FROM sentences")
            ),
        }
        pairs = {p.id: (arts[p.src_id], arts[p.tgt_id]) for p in self.pairs()}
        out["pairs"] = sorted((*pairs[p.id], round(p.score, 5), p.kind) for p in self.pairs())
        out["beads"] = sorted(
            (*pairs[pid], idx, s, t, round(sc, 5))
            for pid, idx, s, t, sc in self.db.execute("SELECT pair_id, idx, src, tgt, score FROM beads")
        )
        out["flags"] = sorted(
            (*pairs[pid], bi, n, data)
            for pid, bi, n, data in self.db.execute("SELECT pair_id, bead_idx, n, data FROM flags")
        )
        return out
