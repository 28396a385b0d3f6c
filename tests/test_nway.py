"""N-way rows over a pivot: linking beads of several editions, storing them resumably, scoped pairing."""

from __future__ import annotations

import sqlite3

import pytest

from corpus.nway import NwayRow, link_rows, omission_summary
from corpus.records import Article, Bead, DocPair
from corpus.store import Store


def B(src, tgt, score=0.9):
    return Bead(tuple(src), tuple(tgt), score)


def cells(rows):
    return [{e: list(v) for e, v in r.cells.items()} for r in rows]


def test_link_rows_marks_omissions_and_additions_in_pivot_order():
    # pivot (en) has 4 sentences; ru leaves out en 2; es adds a sentence after en 1; kp merges en 0+1
    beads = {
        "ru": [B([0], [0]), B([1], [1]), B([], [2]), B([2], [3])],
        "es": [B([0], [0]), B([1], [1]), B([2], []), B([3], [2]), B([4], [3])],
        "kp": [B([0], [0, 1]), B([1], [2]), B([2], [3])],
    }
    rows = link_rows(4, beads, "en")
    assert cells(rows) == [
        {"en": [0, 1], "ru": [0, 1], "es": [0, 1], "kp": [0]},
        {"en": [], "ru": [], "es": [2], "kp": []},  # es only: its own row, after the row its previous bead links to
        {"en": [2], "ru": [], "es": [3], "kp": [1]},  # ru leaves it out
        {"en": [3], "ru": [2], "es": [4], "kp": [2]},
    ]
    assert rows[1].beads == {"es": 2}
    assert rows[2].beads == {"ru": 2, "es": 3, "kp": 1}
    # every sentence of every edition is in exactly one row
    for ed, n in (("en", 4), ("ru", 3), ("es", 5), ("kp", 3)):
        assert sorted(i for r in rows for i in r.cells[ed]) == list(range(n))


def test_link_rows_addition_before_the_first_pivot_sentence_and_a_moved_sentence():
    beads = {"cn": [B([0], []), B([2], [0]), B([1], [1])]}  # cn opens with its own sentence; a crossing bead
    rows = link_rows(2, beads, "en")
    assert cells(rows) == [{"en": [], "cn": [0]}, {"en": [0], "cn": [2]}, {"en": [1], "cn": [1]}]


def test_link_rows_without_beads_gives_pivot_only_rows():
    assert cells(link_rows(2, {}, "en")) == [{"en": [0]}, {"en": [1]}]


def test_row_round_trip():
    r = NwayRow({"en": (0,), "ru": ()}, {"ru": 3})
    assert NwayRow.from_dict(r.to_dict()) == r


def _art(store: Store, ed: str, n: int) -> int:
    lang = {"kp": "ko", "cn": "zh", "jp": "ja"}.get(ed, ed)
    a = Article(source="kcna", edition=ed, lang=lang, url=f"http://www.kcna.kp/{ed}/article/detail/{n:08x}", title=f"t{n}",
                lead="", paragraphs=("x",), published="2026-11-20T00:00:00+09:00", fetched="", section="", origin="page")
    return store.upsert_article(a)[0]


def test_put_pairs_scope_keeps_other_edition_pairs():
    s = Store(":memory:")
    en, ru, es = _art(s, "en", 1), _art(s, "ru", 2), _art(s, "es", 3)
    s.put_pairs([DocPair(ru, en, 0.9, "1-1", {})])
    s.put_pairs([DocPair(es, en, 0.8, "1-1", {})], replace_all=True, scope=({es}, {en}))
    assert {(p.src_id, p.tgt_id) for p in s.pairs()} == {(ru, en), (es, en)}
    s.put_pairs([], replace_all=True, scope=({es}, {en}))  # es paired with nothing now: only its pair goes
    assert {(p.src_id, p.tgt_id) for p in s.pairs()} == {(ru, en)}


def test_store_nway_rows_are_transactional_and_resumable(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as s:
        en, ru = _art(s, "en", 1), _art(s, "ru", 2)
        pid = s.put_pairs([DocPair(ru, en, 0.9, "1-1", {})])[0]
        s.put_beads(pid, [B([0], [0])])
        rows = [NwayRow({"en": (0,), "ru": (0,)}, {"ru": 0}).to_dict()]
        s.put_nway(en, "en", {"ru": ru}, rows, "k1")
        assert s.nway_done_key(en) == "k1"
        with pytest.raises(RuntimeError):
            with s.transaction():
                s.put_nway(en, "en", {"ru": ru}, [], "k2")
                raise RuntimeError("interrupted")
        assert s.nway_done_key(en) == "k1"  # the half-written replacement rolled back
    with Store(path, readonly=True) as s:
        (u,) = s.nway_units()
        assert u["pivot_id"] == en and u["articles"] == {"ru": ru}
        assert [r.cells for r in u["rows"]] == [{"en": (0,), "ru": (0,)}]
        assert omission_summary(s) == {"ru": {"rows": 1, "leaves_out": 0, "adds": 0, "flags": {}}}


def test_store_without_nway_tables_reads_none(tmp_path):
    path = tmp_path / "old.sqlite"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("DROP TABLE nway_rows")
    con.execute("DROP TABLE nway_units")
    con.commit()
    con.close()
    with Store(path, readonly=True) as s:  # an older store, read as it is
        assert s.nway_units() == []
    with Store(path) as s:  # a writable open migrates it
        assert s.nway_units() == []
        assert {"nway_rows", "nway_units"} <= {r[0] for r in s.db.execute("SELECT name FROM sqlite_master")}


def test_link_stage_skips_unchanged_pivots_and_relinks_changed_ones():
    from corpus.nway import link_stage

    s = Store(":memory:")
    en, ru, es = _art(s, "en", 1), _art(s, "ru", 2), _art(s, "es", 3)
    from corpus.records import Sentence

    s.put_sentences(en, [Sentence(en, 0, "a", 0, 0, 1), Sentence(en, 1, "b", 0, 2, 3)])
    p_ru, p_es = s.put_pairs([DocPair(ru, en, 0.9, "1-1", {}), DocPair(es, en, 0.9, "1-1", {})])
    s.put_beads(p_ru, [B([0], [0]), B([], [1])])
    s.put_beads(p_es, [B([0], [0]), B([1], [1])])
    rep = link_stage(s, "kcna", ["en", "ru", "es"], "en")
    assert (rep.done, rep.skipped) == (1, 0)
    assert cells(s.nway_units()[0]["rows"]) == [{"en": [0], "ru": [0], "es": [0]}, {"en": [1], "ru": [], "es": [1]}]
    rep = link_stage(s, "kcna", ["en", "ru", "es"], "en")
    assert (rep.done, rep.skipped) == (0, 1)
    s.put_beads(p_ru, [B([0], [0]), B([1], [1])])  # re-aligned: the unit is stale
    rep = link_stage(s, "kcna", ["en", "ru", "es"], "en")
    assert rep.done == 1
    assert cells(s.nway_units()[0]["rows"])[1] == {"en": [1], "ru": [1], "es": [1]}
    assert omission_summary(s)["ru"] == {"rows": 2, "leaves_out": 0, "adds": 0, "flags": {}}
