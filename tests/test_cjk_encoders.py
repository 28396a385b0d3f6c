"""Encoder coverage of KCNA's six languages: what the pipeline says about the encoder of each language pair, and the
retrieval evaluation script (its data from ../shared skips when absent)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from align.coverage import covered, language_coverage, pair_note

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_encoders_cover_the_six_editions():
    for enc in ("e5-small", "use", "e5-small+use"):
        assert all(covered(enc, la) for la in ("ko", "en", "zh", "ru", "es", "ja")), enc
    assert covered("use", "vi") is False and covered("hf:some/model", "ko") is None
    assert pair_note("use", "vi", "en") == "vi-en: use (NOT trained on vi)"
    assert "ja" in language_coverage("e5-small+use") and "vi" not in language_coverage("e5-small+use")


class _Enc:
    def signature(self):
        return "fake"

    def encode(self, texts, lang=None):
        rng = np.random.default_rng(len(texts))
        v = rng.normal(size=(len(texts), 16))
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_align_stage_says_which_encoder_aligned_which_pair(tmp_path, monkeypatch):
    from corpus.config import RunConfig
    from corpus.pipeline import Runtime, align_stage
    from corpus.records import Article, DocPair
    from corpus.segment import segment_article
    from corpus.store import Store

    monkeypatch.setattr("align.encoders.token_model", lambda: None)  # no torch model in this unit test
    cfg = RunConfig(encoder="use")
    rt = Runtime(quiet=True, encoder=_Enc())
    with Store(tmp_path / "k.sqlite") as store:
        ids = []
        for ed, lang, text in (("kp", "ko", "회의가 평양에서 진행되였다. 참가자들은 결의를 다지였다."),
                               ("en", "en", "The meeting was held in Pyongyang. The participants made a pledge.")):
            a = Article(source="kcna", edition=ed, lang=lang, url=f"http://www.kcna.kp/{ed}/article/detail/ab12cd34",
                        title="t", lead="", paragraphs=(text,), published="2026-11-02T10:00:00+09:00")
            aid, _ = store.upsert_article(a)
            store.put_sentences(aid, segment_article(a.with_id(aid)))
            ids.append(aid)
        store.put_pairs([DocPair(ids[0], ids[1], 0.9, "1-1", {})])
        rep = align_stage(store, cfg, rt)
    assert rep.info["encoder"] == "ko-en: use (covers both)"
    assert "encoder=ko-en: use (covers both)" in rep.line()


def test_eval_encoders_script_prints_one_json_object(shared_dir):
    if not (shared_dir / "eval" / "exsemdiv_briakou2023").exists():
        pytest.skip("Ex-SemDiv not in ../shared")
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "eval_encoders.py"), "--encoders", "use",
                          "--sets", "flores-es", "--limit", "20", "--shared", str(shared_dir)],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    r = res["results"]["flores-es:es-en"]["use"]
    assert r["n"] == 20 and 0.5 <= r["p@1 es->en"] <= 1.0
    assert "ko" in res["coverage"]["use"]
