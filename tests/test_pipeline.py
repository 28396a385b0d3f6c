"""End to end: the demo on the bundled sample, and interrupt-and-resume giving the same store."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.config import RunConfig
from corpus.pipeline import PipelineError, Runtime, run, sample_dir
from corpus.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """One demo run shared by the tests below (it embeds the sample once)."""
    from corpus.demo import run_demo

    out = tmp_path_factory.mktemp("demo") / "out"
    res = run_demo(out, quiet=True, log=lambda s: None)
    return res


def _copy_embeddings(src_store: str, dst: Store) -> None:
    """Warm a new store's embedding cache from another store (content-addressed, so safe)."""
    with sqlite3.connect(src_store) as s:
        rows = s.execute("SELECT encoder, key, dim, vec FROM embeddings").fetchall()
    with dst.transaction() as db:
        db.executemany("INSERT OR IGNORE INTO embeddings VALUES (?, ?, ?, ?)", rows)


def _load_sample(store: Store) -> None:
    from corpus.fetch import fetch

    fetch(store, source="tass", edition="all", base_url=sample_dir().as_uri(), quiet=True)


def test_demo_end_to_end(demo_run):
    import datasets

    out = Path(demo_run["out"])
    ds = datasets.load_from_disk(demo_run["written"]["hf"])
    if isinstance(ds, datasets.DatasetDict):
        ds = ds[next(iter(ds))]
    assert len(ds) == sum(demo_run["counts"]["beads"].values()) > 50
    row = ds[0]
    assert set(row["translation"]) == {"ru", "en"}
    for col in ("score", "flags"):
        assert col in ds.column_names
    lines = [json.loads(x) for x in Path(demo_run["written"]["jsonl"]).read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(ds)
    # every flag type of the taxonomy is planted in the sample; the demo finds the pairs and beads
    g = demo_run["gold"]
    assert g["segmentation_mismatches"] == 0
    assert g["pair_precision"] >= 0.9 and g["pair_recall"] >= 0.9
    assert g["bead_strict_f1"] >= 0.8
    assert (out / "demo_summary.json").exists()
    # datelines are stripped from the text to align
    assert not any("/ТАСС/" in r["translation"]["ru"] or "/TASS/" in r["translation"]["en"] for r in ds)


def test_rerun_changes_nothing(demo_run):
    with Store(demo_run["store"]) as store:
        before = store.snapshot()
        reports = run(store, RunConfig(), rt=Runtime(quiet=True))
        assert all(r.done == 0 for r in reports), [r.line() for r in reports]
        assert store.snapshot() == before


def test_interrupted_stage_resumes_to_same_store(demo_run, tmp_path, monkeypatch):
    import align.aligner as aligner

    with Store(demo_run["store"]) as ref:
        expected = ref.snapshot()
    real = aligner.align
    calls = {"n": 0}

    def flaky(*a, **kw):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-stage
        return real(*a, **kw)

    with Store(tmp_path / "s.sqlite") as store:
        _copy_embeddings(demo_run["store"], store)
        _load_sample(store)
        monkeypatch.setattr(aligner, "align", flaky)
        with pytest.raises(KeyboardInterrupt):
            run(store, RunConfig(), rt=Runtime(quiet=True))
        assert len(store.done_keys("align")) == 3  # what was finished is kept
        monkeypatch.setattr(aligner, "align", real)
        run(store, RunConfig(), rt=Runtime(quiet=True))
        assert store.snapshot() == expected


def test_kill_9_during_build_then_resume(demo_run, tmp_path):
    """A build killed with SIGKILL mid-run resumes to the same store as an uninterrupted run."""
    db = tmp_path / "k.sqlite"
    with Store(db) as store:
        _load_sample(store)
        # a half-warm embedding cache: the build re-embeds enough to be killed mid-run, yet stays short
        _copy_embeddings(demo_run["store"], store)
        with store.transaction() as c:
            c.execute("DELETE FROM embeddings WHERE rowid % 2 = 0")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "corpus.cli", "--store", str(db), "--quiet", "build"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    killed = False
    while time.time() < deadline and proc.poll() is None:
        with sqlite3.connect(db, timeout=5) as c:
            n = c.execute("SELECT COUNT(*) FROM done WHERE stage='align'").fetchone()[0]
        if n >= 2:
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert killed, f"build finished before it could be killed: {proc.stderr.read().decode()[-500:]}"
    with Store(db) as store:
        assert 2 <= len(store.done_keys("align")) < len(store.pairs())
        run(store, RunConfig(), rt=Runtime(quiet=True))
        with Store(demo_run["store"]) as ref:
            assert store.snapshot() == ref.snapshot()


def test_stage_order_is_checked(tmp_path):
    with Store(tmp_path / "e.sqlite") as store:
        with pytest.raises(PipelineError, match="needs"):
            run(store, RunConfig(), rt=Runtime(quiet=True), stages=["align"])
        with pytest.raises(PipelineError, match="unknown stage"):
            run(store, RunConfig(), rt=Runtime(quiet=True), stages=["nope"])
        with pytest.raises(PipelineError, match="nothing to pair"):
            run(store, RunConfig(), rt=Runtime(quiet=True), stages=["segment", "pair"])


# ---------------------------------------------------------------------------- many-1 alignment
class _DictEncoder:
    """Deterministic fake encoder: each sentence maps to the vector of its 'meaning' id (a Russian sentence
    and its English rendering share one), plus a small per-text perturbation."""

    def __init__(self, meaning: dict[str, int]):
        self.meaning = meaning

    def signature(self) -> str:
        return "dict-fake"

    def encode(self, texts, lang=None):
        import hashlib

        import numpy as np

        out = []
        for t in texts:
            base = np.random.default_rng(self.meaning.get(t, 10_000 + len(t))).normal(size=64)
            noise = np.random.default_rng(int(hashlib.sha1(t.encode()).hexdigest()[:8], 16)).normal(size=64)
            v = base + 0.25 * noise
            out.append(v / np.linalg.norm(v))
        return np.asarray(out, dtype=np.float32)


def test_many1_pair_aligned_only_with_its_part_of_the_target(tmp_path, monkeypatch):
    """A secondary Russian item merged at the end of an English story is aligned with that end only: no bead
    (hence no flag) on the English sentences of the main story."""
    from corpus.pipeline import align_stage, flag_stage
    from corpus.records import Article, DocPair
    from corpus.segment import segment_article

    monkeypatch.setattr("align.encoders.token_model", lambda: None)  # no torch model in this unit test
    main_ru = ["Завод в Ярославле выпустил первую партию тракторов.", "Партия насчитывает 40 машин.",
               "Серийный выпуск начнется весной."]
    main_en = ["The Yaroslavl plant has produced its first batch of tractors.", "The batch includes 40 machines.",
               "Serial production will begin in spring."]
    side_ru = ["Цены на удобрения за месяц снизились на 4%.", "Аналитики ждут стабилизации к лету.",
               "Экспорт удобрений при этом вырос."]
    side_en = ["Fertilizer prices fell by 4% over the month.", "Analysts expect them to stabilize by summer."]
    meaning = {s: k for k, s in enumerate(main_ru)} | {s: k for k, s in enumerate(main_en)}
    meaning |= {s: 50 + k for k, s in enumerate(side_ru)} | {s: 50 + k for k, s in enumerate(side_en)}
    rt = Runtime(quiet=True, encoder=_DictEncoder(meaning))
    with Store(tmp_path / "m1.sqlite") as store:
        ids = []
        for url, lang, paras in (("https://tass.ru/ekonomika/20000001", "ru", main_ru),
                                 ("https://tass.ru/ekonomika/20000002", "ru", side_ru),
                                 ("https://tass.com/economy/2000001", "en", main_en + side_en)):
            a = Article(source="tass", edition=lang, lang=lang, url=url, title="t", lead="",
                        paragraphs=(" ".join(paras),), published="2026-11-02T10:00:00+03:00")
            aid, _ = store.upsert_article(a)
            store.put_sentences(aid, segment_article(a.with_id(aid)))
            ids.append(aid)
        assert [s.text for s in store.sentences(ids[2])] == main_en + side_en
        store.put_pairs([DocPair(ids[0], ids[2], 0.9, "1-1", {}),
                         DocPair(ids[1], ids[2], 0.9, "many-1", {"primary_src_id": ids[0]})])
        align_stage(store, RunConfig(), rt)
        many = next(p for p in store.pairs() if p.kind == "many-1")
        beads = store.beads(many.id)
        assert sorted(j for b in beads for j in b.tgt) == [3, 4]  # the side story's two English sentences
        assert sorted(i for b in beads for i in b.src) == [0, 1, 2]  # every Russian sentence once
        assert [(b.src, b.tgt) for b in beads if b.tgt] == [((0,), (3,)), ((1,), (4,))]
        flag_stage(store, RunConfig(), Runtime(quiet=True, encoder=rt.encoder))
        flags = store.flags(many.id)
        for b, fl in zip(beads, flags):
            assert not (fl and b.tgt and not set(b.tgt) <= {3, 4})


# ---------------------------------------------------------------------------- demo grading
def _graded_store(tmp_path):
    """A store with three pairs: a gold 1-1 pair, a gold many-1 pair, and a pair the gold does not have."""
    from corpus.segment import segment_article
    from corpus.records import Article, Bead, DocPair, Flag

    texts = {
        "https://tass.ru/x/20000011": ("ru", ["Мост открыли в пятницу.", "Его длина 900 метров."]),
        "https://tass.ru/x/20000012": ("ru", ["Цены на хлеб выросли на 2%.", "Рост замедлится к лету."]),
        "https://tass.ru/x/20000013": ("ru", ["Вулкан выбросил пепел."]),
        "https://tass.com/x/2000011": ("en", ["The bridge opened on Friday.", "It is 900 metres long.",
                                              "Bread prices rose by 2%."]),
    }
    store = Store(tmp_path / "g.sqlite")
    ids = {}
    for url, (lang, sents) in texts.items():
        a = Article(source="tass", edition=lang, lang=lang, url=url, title="t", lead="", paragraphs=(" ".join(sents),),
                    published="2026-11-02T10:00:00+03:00")
        ids[url], _ = store.upsert_article(a)
        store.put_sentences(ids[url], segment_article(a.with_id(ids[url])))
    r1, r2, r3, e = (ids[u] for u in texts)
    store.put_pairs([DocPair(r1, e, 0.9, "1-1", {}), DocPair(r2, e, 0.9, "many-1", {"primary_src_id": r1}),
                     DocPair(r3, e, 0.4, "1-1", {})])
    gold = {
        "pairs": [{"ru": u, "en": "https://tass.com/x/2000011", "kind": k} for u, k in
                  (("https://tass.ru/x/20000011", "1-1"), ("https://tass.ru/x/20000012", "many-1"))],
        "beads": {
            "https://tass.ru/x/20000011|https://tass.com/x/2000011": {
                "ru": texts["https://tass.ru/x/20000011"][1], "en": texts["https://tass.com/x/2000011"][1],
                "beads": [[[0], [0]], [[1], [1]], [[], [2]]]},
            "https://tass.ru/x/20000012|https://tass.com/x/2000011": {
                "ru": texts["https://tass.ru/x/20000012"][1], "en": texts["https://tass.com/x/2000011"][1],
                "beads": [[[0], [2]], [[1], []]], "part": [2]},
        },
        "flags": {
            "https://tass.ru/x/20000011|https://tass.com/x/2000011": [{"bead": 2, "type": "addition"}],
            "https://tass.ru/x/20000012|https://tass.com/x/2000011": [{"bead": 1, "type": "omission"}],
        },
    }
    return store, gold, (r1, r2, r3, e), Bead, Flag


def test_demo_grades_every_flag(tmp_path):
    """Flags on a pair the gold lacks, and a many-1 pair's flags on target text outside its part, are false
    alarms; flags on planted differences are right."""
    from corpus.demo import evaluate_against_gold

    store, gold, (r1, r2, r3, e), Bead, Flag = _graded_store(tmp_path)
    pid = {(p.src_id, p.tgt_id): p.id for p in store.pairs()}
    with store:
        store.put_beads(pid[(r1, e)], [Bead((0,), (0,)), Bead((1,), (1,)), Bead((), (2,))])
        store.put_flags(pid[(r1, e)], [[], [], [Flag("addition", 0.9, "major")]])  # planted: right
        # the many-1 pair aligned against the whole English text: its second Russian sentence lands on the
        # bridge sentences, and a number flag there is a false alarm even though that Russian sentence is an
        # (omission) planted difference
        store.put_beads(pid[(r2, e)], [Bead((0,), (2,)), Bead((1,), (0, 1))])
        store.put_flags(pid[(r2, e)], [[], [Flag("number_changed", 0.9, "critical")]])
        store.put_beads(pid[(r3, e)], [Bead((0,), (0,))])
        store.put_flags(pid[(r3, e)], [[Flag("unrelated", 0.9, "critical")]])  # pair not in gold
        rep = evaluate_against_gold(store, gold)
    assert rep.flags_emitted == 3
    assert rep.flag_precision == pytest.approx(1 / 3)
    assert sorted(f["why"] for f in rep.false_alarms) == ["pair not in gold", "target sentences outside the pair's part"]
    assert rep.pair_precision == pytest.approx(2 / 3) and rep.pair_recall == 1.0
    assert rep.flag_recall == {"addition": 1.0, "omission": 0.0}
