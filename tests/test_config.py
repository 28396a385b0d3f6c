"""RunConfig (YAML in and out, one-line errors), Signature (per-stage hashes), and the pipeline's refusal
to mix results of two configs (``--redo`` recomputes, an interrupted redo resumes)."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from align.aligner import AlignConfig
from corpus.cli import cli
from corpus.config import ConfigError, RunConfig, Signature
from corpus.records import Article
from corpus.store import Store

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- RunConfig
def test_example_yaml_is_the_defaults_and_round_trips(tmp_path):
    cfg = RunConfig.from_yaml(ROOT / "docs" / "run.example.yaml")
    assert cfg == RunConfig()
    changed = RunConfig(source="kcna", editions=["en", "ru", "cn"], pivot="en", encoder="use",
                        alignment=AlignConfig(bead_types=((1, 1), (2, 1)), moved_sim=None))
    changed.flags.thresholds["names"] = 0.5
    path = tmp_path / "run.yaml"
    changed.to_yaml(path)
    back = RunConfig.from_yaml(path)
    assert back == changed
    assert back.alignment.bead_types == ((1, 1), (2, 1)) and back.flags.thresholds["names"] == 0.5
    assert back.flags.thresholds["dates"] == 0.6  # thresholds not given keep their defaults
    assert RunConfig.from_dict(changed.to_dict()) == changed


@pytest.mark.parametrize("text, needle", [
    ("encoderr: use\n", "unknown key encoderr"),
    ("flags:\n  unrelated_simm: 0.7\n", "unknown key flags.unrelated_simm"),
    ("alignment:\n  threshold: high\n", "alignment.threshold: expected float"),
    ("alignment:\n  knn: 2.5\n", "alignment.knn: expected int"),
    ("flags:\n  thresholds:\n    names: [1]\n", "flags.thresholds.names: expected float"),
    ("flags:\n  thresholds:\n    namez: 0.5\n", "unknown key flags.thresholds.namez"),
    ("pairing:\n  weights: {sim_leed: 1.0}\n", "unknown key pairing.weights.sim_leed"),
    ("editions: ru,en\n", "editions: expected"),
    ("editions: [ru, xx]\n", "tass has no edition 'xx'"),
    ("source: bbc\n", "unknown source 'bbc'"),
    ("pairing: 3\n", "pairing: expected a mapping"),
    ("alignment: {threshold: [\n", "not valid YAML"),
])
def test_bad_config_is_one_line_naming_key_and_file(tmp_path, text, needle):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        RunConfig.from_yaml(path)
    msg = str(e.value)
    assert needle in msg and str(path) in msg and "\n" not in msg


def test_cli_bad_config_is_one_line(tmp_path):
    db = tmp_path / "s.sqlite"
    Store(db).close()
    bad = tmp_path / "run.yaml"
    bad.write_text("flags:\n  extra_lexicon: 3\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["--store", str(db), "build", "--config", str(bad)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "flags.extra_lexicon: expected" in r.output and str(bad) in r.output
    r = CliRunner().invoke(cli, ["--store", str(db), "pair", "--editions", "ru,kp"])
    assert r.exit_code == 1 and "tass has no edition 'kp'" in r.output


# ---------------------------------------------------------------------------- Signature
def test_signature_hashes_follow_each_stages_section(tmp_path):
    base = Signature(RunConfig())
    assert base.hashes() == Signature(RunConfig.from_dict(json.loads(json.dumps(RunConfig().to_dict())))).hashes()
    lex = tmp_path / "a.tsv"
    lex.write_text("ru\ten_loaded\ten_neutral\tnote\nфоо\tfoo\tbar\tx\n", encoding="utf-8")
    with_lex = Signature(RunConfig().override(lexicon=str(lex))).hashes()
    assert with_lex["flag"] != base.hashes()["flag"]
    assert with_lex["pair"] == base.hashes()["pair"] and with_lex["align"] == base.hashes()["align"]
    # the lexicon's content counts, not its path
    copy = tmp_path / "b.tsv"
    copy.write_bytes(lex.read_bytes())
    assert Signature(RunConfig().override(lexicon=str(copy))).hashes() == with_lex
    enc = Signature(RunConfig(encoder="use")).hashes()
    assert all(enc[s] != base.hashes()[s] for s in ("pair", "align", "flag"))
    aligned = Signature(RunConfig(alignment=AlignConfig(threshold=0.5))).hashes()
    assert aligned["align"] != base.hashes()["align"] and aligned["flag"] == base.hashes()["flag"]
    from corpus.pairing import PairConfig

    many = Signature(RunConfig(pairing=PairConfig(many1_sent_sim=0.5))).hashes()
    assert many["align"] != base.hashes()["align"] and many["flag"] == base.hashes()["flag"]
    d = Signature(RunConfig().override(lexicon=str(lex))).as_dict()
    assert "+lex:" in d["flags"] and d["stages"] == with_lex and d["editions"] == "ru-en"
    assert str(base).startswith("tasscorpus:") and base.hashes()["flag"] in str(base)


# ---------------------------------------------------------------------------- a small store, a fake encoder
RU = ["Губернатор открыл новый мост через реку в понедельник.", "Длина моста составила 800 метров.",
      "Власти ведут специальную операцию по расчистке русла.", "Движение по мосту начнется весной."]
EN = ["The governor opened a new bridge over the river on Monday.", "The bridge is 800 metres long.",
      "The authorities are conducting a clearance of the riverbed.", "Traffic on the bridge will start in spring."]
RU2 = ["Фермеры собрали рекордный урожай пшеницы.", "Урожай вырос на 12% за год."]
EN2 = ["Farmers harvested a record wheat crop.", "The harvest grew by 12% in a year."]


class FakeEncoder:
    """A sentence and its translation share a vector (plus a little per-text noise); titles likewise."""

    name, dim = "fake-enc", 64

    def __init__(self):
        self.meaning = {}
        for k, (a, b) in enumerate(zip(RU + RU2, EN + EN2)):
            self.meaning[a] = self.meaning[b] = k

    def signature(self):
        return "fake-enc"

    def encode(self, texts, lang=None):
        out = []
        for t in texts:
            key = next((m for s, m in self.meaning.items() if s in t), None)
            seed = key if key is not None else 10_000 + int(hashlib.sha1(t.encode()).hexdigest()[:6], 16)
            base = np.random.default_rng(seed).normal(size=64)
            noise = np.random.default_rng(int(hashlib.sha1(t.encode()).hexdigest()[:8], 16)).normal(size=64)
            v = base + 0.1 * noise
            out.append(v / np.linalg.norm(v))
        return np.asarray(out, dtype=np.float32)


@pytest.fixture
def fake_encoder(monkeypatch):
    monkeypatch.setattr("align.encoders.token_model", lambda: None)  # no torch model in these tests
    monkeypatch.setattr("align.encoders.get_encoder", lambda name="e5-small", **kw: FakeEncoder())


def _store(path, source="tass", editions=("ru", "en")) -> Path:
    """Two Russian and two English articles telling two stories (invented text)."""
    with Store(path) as store:
        for i, (ru, en) in enumerate(((RU, EN), (RU2, EN2))):
            for ed, lang, sents, host in ((editions[0], "ru", ru, "ex.ru"), (editions[1], "en", en, "ex.com")):
                url = f"https://{host}/{source}/{ed}/{100 + i}"
                store.upsert_article(Article(source=source, edition=ed, lang=lang, url=url, title=sents[0], lead="",
                                             paragraphs=tuple(sents[1:]), published=f"2026-11-0{2 + i}T10:00:00+03:00"))
    return path


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--quiet", "--store", str(db), *args])


def _all_flags(db) -> list[str]:
    with Store(db) as store:
        return sorted(f.type for p in store.pairs() for fl in store.flags(p.id) for f in fl)


def test_flag_with_new_lexicon_refuses_then_redo_applies_it(tmp_path, fake_encoder):
    db = _store(tmp_path / "s.sqlite")
    r = invoke(db, "build")
    assert r.exit_code == 0, r.output
    before = _all_flags(db)
    assert "framing_shift" not in before
    with Store(db) as store:
        snap = store.snapshot()
    lex = tmp_path / "mine.tsv"
    lex.write_text("ru\ten_loaded\ten_neutral\tnote\nрасчистк\\w*\tclean-?up\tclearance\tmy note\n", encoding="utf-8")
    r = invoke(db, "flag", "--lexicon", str(lex))
    assert r.exit_code == 1
    assert "stage 'flag'" in r.output and "flags.extra_lexicon" in r.output and "--redo" in r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1
    with Store(db) as store:
        assert store.snapshot() == snap  # nothing changed by the refused run
        assert "+lex:" not in store.get_meta("signature")["flags"]
    r = invoke(db, "flag", "--lexicon", str(lex), "--redo")
    assert r.exit_code == 0, r.output
    after = _all_flags(db)
    assert after.count("framing_shift") == before.count("framing_shift") + 1
    with Store(db) as store:
        sig = store.get_meta("signature")
        assert "+lex:" in sig["flags"]
        h = Signature(RunConfig().override(lexicon=str(lex))).stage_hash("flag")
        assert sig["stages"]["flag"] == h
        assert {json.loads(i)["cfg"] for (i,) in store.db.execute("SELECT info FROM done WHERE stage='flag'")} == {h}
    # the same lexicon again: nothing to do, no refusal; dropping it refuses again
    assert invoke(db, "flag", "--lexicon", str(lex)).exit_code == 0
    r = invoke(db, "build")
    assert r.exit_code == 1 and "stage 'flag'" in r.output and "flags.extra_lexicon" in r.output


def test_changed_encoder_refuses_before_any_work_and_redo_recomputes_downstream(tmp_path, fake_encoder):
    db = _store(tmp_path / "s.sqlite")
    assert invoke(db, "build").exit_code == 0
    with Store(db) as store:
        snap = store.snapshot()
    r = invoke(db, "build", "--encoder", "use")
    assert r.exit_code == 1
    assert "stage 'pair'" in r.output and "stage 'align'" in r.output and "stage 'flag'" in r.output
    assert "encoder" in r.output
    with Store(db) as store:
        assert store.snapshot() == snap
    r = invoke(db, "build", "--encoder", "use", "--redo", "pair")  # redoing pair redoes align and flag too
    assert r.exit_code == 0, r.output
    with Store(db) as store:
        sig = store.get_meta("signature")
        want = Signature(RunConfig(encoder="use")).hashes()
        assert sig["stages"] == want
        for stage in ("pair", "align", "flag"):
            assert {json.loads(i)["cfg"] for (i,) in store.db.execute("SELECT info FROM done WHERE stage=?",
                                                                        (stage,))} == {want[stage]}
    r = invoke(db, "flag", "--redo", "align")
    assert r.exit_code == 1 and "--redo align: not a stage of this command" in r.output
    r = invoke(db, "build", "--redo", "segment")
    assert r.exit_code == 1 and "--redo segment: that stage has no config" in r.output


def test_interrupted_redo_resumes_with_nothing_old_left(tmp_path, fake_encoder, monkeypatch):
    from corpus.pipeline import ConfigChanged, Runtime, run
    import align.flags as flags_mod

    db = _store(tmp_path / "s.sqlite")
    assert invoke(db, "build").exit_code == 0
    lex = tmp_path / "mine.tsv"
    lex.write_text("ru\ten_loaded\ten_neutral\tnote\nрасчистк\\w*\tclean-?up\tclearance\tmy note\n", encoding="utf-8")
    cfg = RunConfig().override(lexicon=str(lex))
    real = flags_mod.detect
    calls = {"n": 0}

    def flaky(*a, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*a, **kw)

    monkeypatch.setattr(flags_mod, "detect", flaky)
    with Store(db) as store:
        with pytest.raises(KeyboardInterrupt):
            run(store, cfg, ["flag"], rt=Runtime(quiet=True, redo=frozenset({"flag"})))
        # one pair redone, the other has neither old flags nor a done-mark
        assert len(store.done_keys("flag")) == 1
        flagged = {p for (p,) in store.db.execute("SELECT DISTINCT pair_id FROM flags")}
        assert flagged <= {int(k) for k in store.done_keys("flag")}
        # another config on the half-redone store is refused; the same one resumes without --redo
        with pytest.raises(ConfigChanged):
            run(store, RunConfig(), ["flag"], rt=Runtime(quiet=True))
        monkeypatch.setattr(flags_mod, "detect", real)
        reps = run(store, cfg, ["flag"], rt=Runtime(quiet=True))
        assert reps[0].done == 1 and reps[0].skipped == 1
        assert len(store.done_keys("flag")) == len(store.pairs())


def test_kcna_editions_pair_from_the_cli(tmp_path, fake_encoder):
    db = _store(tmp_path / "k.sqlite", source="kcna", editions=("ru", "en"))
    r = invoke(db, "pair")
    assert r.exit_code == 1 and "0 tass/ru" in r.output  # the default source is tass
    r = invoke(db, "pair", "--source", "kcna", "--editions", "ru,en,kp")
    assert r.exit_code == 0, r.output  # three editions: the stages pair the first two
    with Store(db) as store:
        pairs = store.pairs()
        urls = sorted((store.article(p.src_id).url, store.article(p.tgt_id).url) for p in pairs)
        assert store.get_meta("signature")["source"] == "kcna"
    assert urls == [("https://ex.ru/kcna/ru/100", "https://ex.com/kcna/en/100"),
                    ("https://ex.ru/kcna/ru/101", "https://ex.com/kcna/en/101")]
    r = invoke(db, "pair", "--source", "kcna", "--editions", "ru,de")
    assert r.exit_code == 1 and "kcna has no edition 'de'" in r.output
    # the config file drives the same, the command line overrides it
    run_yaml = tmp_path / "run.yaml"
    run_yaml.write_text("source: kcna\neditions: [ru, en]\n", encoding="utf-8")
    assert invoke(db, "build", "--config", str(run_yaml)).exit_code == 0
    r = invoke(db, "pair", "--config", str(run_yaml), "--editions", "en,ru")
    assert r.exit_code == 1 and "stage 'pair'" in r.output and "editions" in r.output


# ---------------------------------------------------------------------------- the evaluation scripts' --config
def _script(name, monkeypatch):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, mod)  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


class _Got(Exception):
    pass


def _run_yaml(tmp_path) -> Path:
    p = tmp_path / "run.yaml"
    p.write_text("encoder: use\npairing:\n  threshold: 0.7\nalignment:\n  knn: 6\n"
                 "flags:\n  unrelated_sim: 0.7\n  thresholds: {names: 0.5}\n", encoding="utf-8")
    return p


def test_eval_alignment_reads_the_alignment_section(tmp_path, monkeypatch):
    ev = _script("eval_alignment", monkeypatch)
    run_yaml = _run_yaml(tmp_path)
    cfg = ev.parse_config(str(run_yaml))
    assert cfg.knn == 6 and cfg == RunConfig.from_yaml(run_yaml).alignment
    assert ev.config_encoder(str(run_yaml)) == "use" and ev.config_encoder('{"knn": 6}') == "e5-small"
    assert ev.parse_config('{"knn": 5}').knn == 5  # JSON overrides still work
    bad = tmp_path / "bad.yaml"
    bad.write_text("alignment:\n  knnn: 6\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="^bad --config: .*unknown key alignment.knnn"):
        ev.parse_config(str(bad))


def test_eval_pairing_reads_the_pairing_section(tmp_path, monkeypatch):
    ev = _script("eval_pairing", monkeypatch)
    seen = {}
    monkeypatch.setattr("align.encoders.get_encoder", lambda name="e5-small", **kw: seen.setdefault("enc", name) and FakeEncoder())
    monkeypatch.setattr(ev, "build_pool", lambda *a, **k: ([], [], set(), {}))

    def capture(src, tgt, enc, cfg):
        seen["cfg"] = cfg
        raise _Got

    monkeypatch.setattr(ev, "pair_articles", capture)
    with pytest.raises(_Got):
        ev.main(["--config", str(_run_yaml(tmp_path)), "--cache", str(tmp_path), "--seed", "1"])
    assert seen["enc"] == "use" and seen["cfg"].threshold == 0.7
    with pytest.raises(_Got):
        ev.main(["--config", str(_run_yaml(tmp_path)), "--cache", str(tmp_path), "--seed", "1", "--threshold", "0.2",
                 "--encoder", "e5-small"])
    assert seen["cfg"].threshold == 0.2  # the command line overrides the file


def test_eval_flags_reads_the_flags_section(tmp_path, monkeypatch):
    ev = _script("eval_flags", monkeypatch)
    seen = {}
    monkeypatch.setattr(ev, "make_encoder", lambda name, cache: seen.setdefault("enc", name) and FakeEncoder())

    def capture(cfg):
        seen["cfg"] = cfg
        raise _Got

    monkeypatch.setattr(ev, "token_evidence", capture)
    with pytest.raises(_Got):
        ev.main(["--config", str(_run_yaml(tmp_path)), "--sets", "rewrites", "--quiet"])
    assert seen["enc"] == "use"
    assert seen["cfg"].unrelated_sim == 0.7 and seen["cfg"].thresholds["names"] == 0.5
    bad = tmp_path / "bad.yaml"
    bad.write_text("flags: {thresholds: {names: high}}\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="^bad --config: .*flags.thresholds.names"):
        ev.main(["--config", str(bad), "--sets", "rewrites", "--quiet"])


def test_align_stage_finds_a_many1_part_with_the_runs_pairing_config(tmp_path, monkeypatch):
    from corpus.pairing import PairConfig
    from corpus.pipeline import Runtime, align_stage
    from corpus.records import DocPair
    from corpus.segment import segment_article

    seen = []
    monkeypatch.setattr("corpus.pairing.many1_span", lambda *a, config=None, **k: seen.append(config) or [])
    db = _store(tmp_path / "m.sqlite")
    with Store(db) as store:
        arts = store.articles()
        for a in arts:
            store.put_sentences(a.id, segment_article(a))
        ru = [a.id for a in arts if a.edition == "ru"]
        en = [a.id for a in arts if a.edition == "en"]
        store.put_pairs([DocPair(ru[1], en[0], 0.9, "many-1", {"primary_src_id": ru[0]})])
        cfg = RunConfig(pairing=PairConfig(many1_sent_sim=0.5))
        align_stage(store, cfg, Runtime(quiet=True, encoder=FakeEncoder()))
    assert [c.many1_sent_sim for c in seen] == [0.5]


def test_a_setting_added_later_at_its_default_is_no_change(tmp_path, fake_encoder):
    """Results recorded before a setting existed count as made with its default; another value refuses."""
    db = _store(tmp_path / "s.sqlite")
    assert invoke(db, "build").exit_code == 0
    with Store(db) as store:
        sections = store.get_meta("config_sections")
        h = Signature(RunConfig()).stage_hash("align")
        old = json.loads(json.dumps(sections[h]))
        del old["alignment"]["moved_sim"]  # as if the store predates the setting
        old["alignment"]["retired_knob"] = 3  # ... and had a setting removed since
        old_h = "0" * 12
        sections[old_h] = old
        store.set_meta("config_sections", sections)
        with store.transaction() as c:
            c.execute("UPDATE done SET info=json_set(info, '$.cfg', ?) WHERE stage='align'", (old_h,))
    assert invoke(db, "align").exit_code == 0
    r = invoke(db, "align", "--config", str(_yaml(tmp_path, "alignment: {moved_sim: 0.5}\n")))
    assert r.exit_code == 1 and "stage 'align' was run with a different alignment.moved_sim" in r.output
    # a hash whose section the store does not know is a change too
    with Store(db) as store, store.transaction() as c:
        c.execute("UPDATE done SET info=json_set(info, '$.cfg', 'ffffffffffff') WHERE stage='align'")
    r = invoke(db, "align")
    assert r.exit_code == 1 and "different config (not recorded)" in r.output


def _yaml(tmp_path, text):
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_sections_recorded_under_the_first_meta_key_are_read(tmp_path, fake_encoder):
    """Stores written by the first version of the check keep their sections in meta ``stage_config``."""
    db = _store(tmp_path / "s.sqlite")
    assert invoke(db, "build").exit_code == 0
    with Store(db) as store:
        sections = store.get_meta("config_sections")
        old = json.loads(json.dumps(sections[Signature(RunConfig()).stage_hash("align")]))
        del old["pairing_many1"]
        from corpus.config import section_hash

        store.set_meta("stage_config", {"align": old})
        store.set_meta("config_sections", {})
        with store.transaction() as c:
            c.execute("UPDATE done SET info=json_set(info, '$.cfg', ?) WHERE stage='align'", (section_hash(old),))
    assert invoke(db, "align").exit_code == 0
    r = invoke(db, "align", "--encoder", "use")
    assert r.exit_code == 1 and "stage 'align' was run with a different encoder" in r.output
