"""Cross-edition pairing (corpus.pairing): logic with a deterministic fake encoder, plus the real encoder
on a few hand-written ru/en items and on the bundled sample stories."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from corpus.pairing import FEATURES, PairConfig, fit_logistic, pair_articles
from corpus.records import Article

ROOT = Path(__file__).resolve().parent.parent

# a tiny bilingual dictionary: the fake encoder maps Russian words to English before hashing, so a
# translation gets (nearly) the same bag of words as its source
RU_EN = {
    "губернатор": "governor", "открыл": "opened", "новый": "new", "мост": "bridge", "через": "across",
    "реку": "river", "волгу": "volga", "длина": "length", "составила": "was", "метров": "meters",
    "строительство": "construction", "заняло": "took", "года": "years", "рубли": "rouble", "курс": "rate",
    "вырос": "rose", "доллар": "dollar", "биржа": "exchange", "торги": "trading", "завершились": "ended",
    "банк": "bank", "снизил": "cut", "ставку": "rate", "ключевую": "key", "процента": "percent",
    "инфляция": "inflation", "замедлилась": "slowed", "сборная": "team", "выиграла": "won", "матч": "match",
    "хоккей": "hockey", "счетом": "score", "финал": "final", "вулкан": "volcano", "извергся": "erupted",
    "камчатке": "kamchatka", "пепел": "ash", "поднялся": "rose", "высоту": "height", "километров": "kilometers",
    "авиация": "aviation", "предупреждена": "warned", "школа": "school", "открылась": "opened",
    "учеников": "pupils", "примет": "will_take", "город": "city", "министр": "minister", "заявил": "said",
    "переговоры": "talks", "продолжатся": "will_continue", "неделе": "week", "следующей": "next",
}


def _tok(text: str) -> list[str]:
    return re.findall(r"[a-zа-яё_]+|\d+", text.lower())


class FakeEncoder:
    """Hashing bag of (translated) words: deterministic, instant, cross-lingual by construction."""

    name = "fake"
    dim = 256

    def signature(self) -> str:
        return "fake-bow-256"

    def encode(self, texts, lang=None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            for w in _tok(t):
                w = RU_EN.get(w, w)
                h = int(hashlib.sha1(w.encode()).hexdigest(), 16)
                out[r, h % self.dim] += 1.0 if (h >> 12) % 2 else -1.0
        n = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(n, 1e-12)


STORIES = {
    "bridge": (
        ["Губернатор открыл новый мост через реку Волгу", "Длина составила 900 метров",
         "Строительство заняло 3 года"],
        ["Governor opened new bridge across river Volga", "Length was 900 meters", "Construction took 3 years"],
    ),
    "bank": (
        ["Банк снизил ключевую ставку", "Ключевую ставку снизил до 7 процента", "Инфляция замедлилась"],
        ["Bank cut key rate", "Key rate cut to 7 percent", "Inflation slowed"],
    ),
    "volcano": (
        ["Вулкан извергся Камчатке", "Пепел поднялся высоту 8 километров", "Авиация предупреждена"],
        ["Volcano erupted Kamchatka", "Ash rose height 8 kilometers", "Aviation warned"],
    ),
    "hockey": (
        ["Сборная выиграла матч финал хоккей", "Счетом 4 1 сборная выиграла", "Финал матч хоккей"],
        ["Team won match final hockey", "Score 4 1 team won", "Final match hockey"],
    ),
    "school": (
        ["Школа открылась город", "Школа примет 1200 учеников", "Город школа открылась"],
        ["School opened city", "School will_take 1200 pupils", "City school opened"],
    ),
}

_ids = iter(range(1, 10_000))


def art(lang: str, key: str, lines: list[str], hour: float, place: str = "") -> Article:
    ed = "ru" if lang == "ru" else "en"
    url = f"https://tass.{'ru' if lang == 'ru' else 'com'}/x/{key}-{next(_ids)}"
    h = int(hour)
    m = int(round((hour - h) * 60))
    day, h = 1 + h // 24, h % 24
    return Article(source="tass", edition=ed, lang=lang, url=url, title=lines[0], lead=lines[1],
                   paragraphs=tuple(lines[2:]) or (lines[1],), published=f"2026-11-{day:02d}T{h:02d}:{m:02d}:00+03:00",
                   dateline_place=place, id=next(_ids))


def ru(key, hour, place="МОСКВА", lines=None):
    return art("ru", key, lines or STORIES[key][0], hour, place)


def en(key, hour, place="MOSCOW", lines=None):
    return art("en", key, lines or STORIES[key][1], hour, place)


ENC = FakeEncoder()


def pairs_of(pairs):
    return {(p.src_id, p.tgt_id): p for p in pairs}


def test_translations_pair_and_unrelated_items_stay_unpaired():
    rs = [ru("bridge", 10), ru("bank", 11), ru("volcano", 12), ru("hockey", 12.5)]
    es = [en("bridge", 12), en("bank", 13), en("school", 14)]  # school: English-only
    got = pairs_of(pair_articles(rs, es, ENC))
    assert set(got) == {(rs[0].id, es[0].id), (rs[1].id, es[1].id)}
    assert all(p.kind == "1-1" for p in got.values())


def test_time_window_filters_candidates():
    cfg = PairConfig(before_hours=1.0, after_hours=48.0)
    r = ru("bridge", 100)
    # a perfect translation outside the window (60 h after, 2 h before) is never a candidate
    assert pair_articles([r], [en("bridge", 160)], ENC, cfg) == []
    assert pair_articles([r], [en("bridge", 98)], ENC, cfg) == []
    # inside the window (30 min before, 47 h after) it is paired
    assert len(pair_articles([r], [en("bridge", 99.5)], ENC, cfg)) == 1
    assert len(pair_articles([r], [en("bridge", 147)], ENC, cfg)) == 1
    stats: dict = {}
    pair_articles([r], [en("bridge", 160)], ENC, cfg, stats=stats)
    assert stats["candidates_kept"] == 0


def test_one_to_one_near_duplicate_loses():
    exact = ru("bank", 10)
    # a near-duplicate follow-up: shares the headline, different body
    dup = ru("bank", 10.5, lines=[STORIES["bank"][0][0], "Инфляция замедлилась", "Министр заявил переговоры продолжатся"])
    e = en("bank", 12)
    got = pair_articles([dup, exact], [e], ENC)
    assert [(p.src_id, p.tgt_id) for p in got] == [(exact.id, e.id)]


def test_threshold_controls_pairing():
    r, e = ru("bridge", 10), en("bridge", 11)
    assert pair_articles([r], [e], ENC, PairConfig(threshold=0.5))
    assert pair_articles([r], [e], ENC, PairConfig(threshold=1.01)) == []


def test_many_to_one_detected_and_flagged():
    a, b = ru("bridge", 10), ru("volcano", 10.5)
    other = ru("hockey", 11)
    merged = en("bridge", 13, lines=STORIES["bridge"][1] + STORIES["volcano"][1])
    got = pairs_of(pair_articles([a, b, other], [merged], ENC))
    assert set(got) == {(a.id, merged.id), (b.id, merged.id)}
    assert got[(a.id, merged.id)].kind == "1-1"
    m1 = got[(b.id, merged.id)]
    assert m1.kind == "many-1"
    assert m1.evidence["many1"] is True and m1.evidence["primary_src_id"] == a.id
    assert len(m1.evidence["owned_tgt_sents"]) >= 2
    # switched off: only the 1-1 pair remains
    assert set(pairs_of(pair_articles([a, b, other], [merged], ENC, PairConfig(many1=False)))) == {(a.id, merged.id)}


def test_near_duplicate_is_not_a_many_one():
    exact = ru("volcano", 10)
    dup = ru("volcano", 11, lines=STORIES["volcano"][0][:2] + ["Министр заявил переговоры продолжатся"])
    e = en("volcano", 12)
    got = pair_articles([exact, dup], [e], ENC)
    assert [(p.src_id, p.kind) for p in got] == [(exact.id, "1-1")]


def test_evidence_and_score_stored():
    r, e = ru("volcano", 10, place="МОСКВА"), en("volcano", 12, place="MOSCOW")
    (p,) = pair_articles([r], [e], ENC)
    assert 0.5 <= p.score <= 1.0
    for f in FEATURES:
        assert f in p.evidence
    assert p.evidence["place"] == 1  # МОСКВА ↔ MOSCOW
    assert p.evidence["numbers"] == 1.0  # "8 километров" ↔ "8 kilometers"
    assert p.evidence["delay"] == pytest.approx(2 / 24, abs=1e-3)
    json.dumps(p.evidence)  # JSON-serialisable for the store
    # a different dateline place disagrees
    (q,) = pair_articles([ru("volcano", 10, place="ПЕКИН")], [en("volcano", 12, place="MOSCOW")], ENC)
    assert q.evidence["place"] == -1


def test_articles_need_ids_and_empty_inputs():
    r = ru("bridge", 10)
    from dataclasses import replace

    with pytest.raises(ValueError):
        pair_articles([replace(r, id=None)], [en("bridge", 11)], ENC)
    assert pair_articles([], [en("bridge", 11)], ENC) == []


def test_scale_blocks_match_single_block():
    """Block-wise candidate generation gives the same pairs as one big block."""
    rs, es = [], []
    for k, key in enumerate(STORIES):
        for d in range(3):
            rs.append(ru(key, 30 * d + k))
            es.append(en(key, 30 * d + k + 2))
    a = pair_articles(rs, es, ENC, PairConfig(block=2))
    b = pair_articles(rs, es, ENC, PairConfig(block=1000))
    assert [(p.src_id, p.tgt_id) for p in a] == [(p.src_id, p.tgt_id) for p in b]
    assert len(a) == len(es)


def test_fit_logistic_separates():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] - X[:, 1] > 0).astype(float)
    bias, w = fit_logistic(X, y)
    assert w[0] > 0 > w[1]
    assert (((X @ w + bias) > 0) == (y > 0)).mean() > 0.95


# ---------------------------------------------------------------------------- real encoder
@pytest.fixture(scope="module")
def e5c(e5, tmp_path_factory):
    """The bundled encoder behind a disk cache (/tmp/tasscorpus-cache), so re-runs skip embedding."""
    from align.encoders import CachedEncoder
    from corpus.store import Store

    try:
        store = Store(Path("/tmp/tasscorpus-cache") / "test-pairing.sqlite")
    except Exception:  # an unwritable /tmp: a per-session cache
        store = Store(tmp_path_factory.mktemp("cache") / "emb.sqlite")
    yield CachedEncoder(e5, store)
    store.close()


HAND = [
    ("МОСКВА", "MOSCOW",
     "Путин провел телефонный разговор с президентом Франции", "Президент России Владимир Путин обсудил с Эмманюэлем Макроном ситуацию на Ближнем Востоке.",
     "Putin holds phone talks with French president", "Russian President Vladimir Putin discussed the situation in the Middle East with Emmanuel Macron."),
    ("ВЛАДИВОСТОК", "VLADIVOSTOK",
     "Во Владивостоке открылся новый морской терминал", "Терминал сможет принимать до 5 млн тонн грузов в год.",
     "New sea terminal opens in Vladivostok", "The terminal will be able to handle up to 5 million tonnes of cargo a year."),
    ("МОСКВА", "MOSCOW",
     "Банк России сохранил ключевую ставку на уровне 16%", "Совет директоров Банка России принял решение сохранить ключевую ставку.",
     "Bank of Russia keeps key rate at 16%", "The Bank of Russia board of directors decided to keep the key rate unchanged."),
    ("КАЗАНЬ", "KAZAN",
     "В Казани стартовал международный турнир по фехтованию", "В соревнованиях участвуют 300 спортсменов из 20 стран.",
     "International fencing tournament kicks off in Kazan", "The competition brings together 300 athletes from 20 countries."),
]


def test_real_encoder_hand_written_pairs(e5c):
    rs, es = [], []
    for k, (pr, pe, tr, lr, te, le) in enumerate(HAND):
        rs.append(Article("tass", "ru", "ru", f"https://tass.ru/h/{k}", tr, lr, (lr,), f"2026-11-20T{9 + k:02d}:00:00+03:00",
                          dateline_place=pr, id=k + 1))
        es.append(Article("tass", "en", "en", f"https://tass.com/h/{k}", te, le, (le,), f"2026-11-20T{11 + k:02d}:00:00+03:00",
                          dateline_place=pe, id=100 + k))
    # a Russian-only item on a related topic (the Bank of Russia) must stay unpaired
    rs.append(Article("tass", "ru", "ru", "https://tass.ru/h/x", "Минфин увеличил продажи валюты",
                      "Министерство финансов России с понедельника увеличит ежедневные продажи юаней.",
                      ("Министерство финансов России с понедельника увеличит ежедневные продажи юаней.",),
                      "2026-11-20T10:30:00+03:00", dateline_place="МОСКВА", id=50))
    got = {(p.src_id, p.tgt_id) for p in pair_articles(rs, es, e5c)}
    assert got == {(k + 1, 100 + k) for k in range(len(HAND))}


SAMPLE = ROOT / "corpus" / "sample"


def _sample_articles():
    """Parse the rendered sample mirror the way the fetcher would: the Russian yandex feed (full text)
    and the English article pages; store-like ids assigned in order."""
    from corpus.parse import article_from_feed_item, parse_article_page, parse_rss

    data = SAMPLE / "data"
    feed = data / "tass.ru" / "rss" / "yandex.xml"
    rs = [article_from_feed_item(it, fetched="2026-11-21T00:00:00+00:00", origin="sample")
          for it in parse_rss(feed.read_bytes(), source="tass", edition="ru")]
    es = []
    for page in sorted((data / "tass.com").glob("*/*.html")):
        url = "https://tass.com/" + page.relative_to(data / "tass.com").with_suffix("").as_posix()
        es.append(parse_article_page(page.read_bytes(), url, source="tass", edition="en",
                                     fetched="2026-11-21T00:00:00+00:00", origin="sample"))
    rs = [a.with_id(i + 1) for i, a in enumerate(a for a in rs if a.status == "ok")]
    es = [a.with_id(1000 + i) for i, a in enumerate(a for a in es if a.status == "ok")]
    return rs, es


def test_bundled_sample_pairs_match_gold(e5c):
    """End to end on the bundled sample (corpus/sample: parsed with corpus.parse): precision and recall
    1.0 on gold.json's pairs, many-1 included."""
    gold_path = SAMPLE / "gold.json"
    if not gold_path.exists() or not (SAMPLE / "data" / "tass.ru" / "rss" / "yandex.xml").exists():
        pytest.skip("the bundled sample is not rendered (python -m corpus.sample.build)")
    pytest.importorskip("corpus.parse")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold_pairs = {(g["ru"], g["en"]) for g in gold["pairs"]}
    rs, es = _sample_articles()
    url = {a.id: a.url for a in (*rs, *es)}
    got = pair_articles(rs, es, e5c)
    pred = {(url[p.src_id], url[p.tgt_id]) for p in got}
    assert pred - gold_pairs == set(), "false pairs"
    assert gold_pairs - pred == set(), "missed pairs"


# ---------------------------------------------------------------------------- headlines and same-topic decoys
@pytest.mark.parametrize("headlines", ["drop-en", "drop-both"])
def test_real_encoder_rewrite_benchmark_dev_without_headlines(e5c, headlines):
    """The rewrite benchmark's dev stories and their same-topic decoys (corpus/evaluation/data/rewrites), with the
    English headlines removed (as on pasted pages) or both: every story paired with its rewrite, nothing else."""
    pytest.importorskip("corpus.evaluation.rewrites")
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_pairing", ROOT / "scripts" / "eval_pairing.py")
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    src, tgt, gold, _kinds = ev.build_rewrites_pool("dev")
    src, tgt = ev.drop_headlines(src, "ru", headlines), ev.drop_headlines(tgt, "en", headlines)
    url = {a.id: a.url for a in (*src, *tgt)}
    pred = {(url[p.src_id], url[p.tgt_id]) for p in pair_articles(src, tgt, e5c)}
    assert pred - gold == set(), "false pairs"
    assert gold - pred == set(), "missed pairs"
