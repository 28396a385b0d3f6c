"""Throughput of the partitioned build (corpus.scale) on a generated multi-day corpus; prints one JSON object.

    python scripts/bench_scale.py [--days 30] [--ru 500] [--en 150] [--workers 1,2] [--encoder e5-small]
        [--buckets 16] [--out DIR]

The corpus is invented text from templates (Russian items, the first ``--en`` of each day rendered in
English a few hours later, some renderings condensed or with a changed number), loaded into a fresh
store per run. Each worker count runs a fresh Ray build (``RayExecutor(workers=N)``, a local Ray with N
CPUs) into its own shard folder, merge included. Reported per run: wall time, per-stage time,
sentences and articles per second, and peak resident memory per worker process (ru_maxrss, which
includes the encoder). Model loading happens inside the first units of each worker and is counted.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RU_NAMES = ["Иван Соколов", "Анна Лебедева", "Пётр Морозов", "Ольга Волкова", "Сергей Новиков"]
EN_NAMES = ["Ivan Sokolov", "Anna Lebedeva", "Pyotr Morozov", "Olga Volkova", "Sergey Novikov"]
RU_CITY = ["Омске", "Томске", "Самаре", "Казани", "Перми", "Твери"]
EN_CITY = ["Omsk", "Tomsk", "Samara", "Kazan", "Perm", "Tver"]
RU_THING = ["новый мост", "детский сад", "завод по выпуску автобусов", "научный центр", "спортивный комплекс"]
EN_THING = ["a new bridge", "a kindergarten", "a bus factory", "a research centre", "a sports complex"]
RU_T = [
    "В {city} открыли {thing}, сообщил губернатор региона {name}.",
    "На строительство потратили {n} млн рублей.",
    "Работы начались {d} лет назад и шли без перерывов.",
    "По словам {name}, объект рассчитан на {m} человек.",
    "Жители города давно ждали этого события.",
    "В следующем году власти планируют построить ещё {k} таких объекта.",
]
EN_T = [
    "{thing_cap} has opened in {city}, regional governor {name} said.",
    "The construction cost {n} million rubles.",
    "The work began {d} years ago and went on without breaks.",
    "According to {name}, the facility is designed for {m} people.",
    "Residents of the city had long been waiting for this event.",
    "Next year the authorities plan to build {k} more such facilities.",
]


def make_articles(days: int, ru: int, en: int, seed: int = 0):
    from corpus.records import Article

    rng = random.Random(seed)
    d0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    out = []
    for d in range(days):
        for i in range(ru):
            s = d * ru + i
            slots = {"name": rng.randrange(5), "city": rng.randrange(6), "thing": rng.randrange(5),
                     "n": rng.randrange(10, 999), "d": rng.randrange(2, 9), "m": rng.randrange(50, 900), "k": rng.randrange(2, 5)}
            t = d0 + timedelta(days=d, seconds=int(86400 * i / ru))
            ru_s = [x.format(name=RU_NAMES[slots["name"]], city=RU_CITY[slots["city"]], thing=RU_THING[slots["thing"]],
                             n=slots["n"], d=slots["d"], m=slots["m"], k=slots["k"]) for x in RU_T]
            out.append(Article("tass", "ru", "ru", f"https://tass.ru/obschestvo/{100000 + s}", ru_s[0][:60],
                               paragraphs=(" ".join(ru_s[:2]), " ".join(ru_s[2:4]), " ".join(ru_s[4:])),
                               published=t.isoformat(), origin="bench"))
            if i % max(1, ru // en) or i // max(1, ru // en) >= en:
                continue
            n = slots["n"] + 1 if s % 5 == 0 else slots["n"]
            thing = EN_THING[slots["thing"]]
            en_s = [x.format(name=EN_NAMES[slots["name"]], city=EN_CITY[slots["city"]], thing_cap=thing[0].upper() + thing[1:],
                             n=n, d=slots["d"], m=slots["m"], k=slots["k"]) for x in EN_T]
            if s % 3 == 0:
                en_s = en_s[:4]
            out.append(Article("tass", "en", "en", f"https://tass.com/society/{900000 + s}", en_s[0][:60],
                               paragraphs=(" ".join(en_s[:2]), " ".join(en_s[2:])),
                               published=(t + timedelta(hours=1 + s % 6)).isoformat(), origin="bench"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--ru", type=int, default=500)
    ap.add_argument("--en", type=int, default=150)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--encoder", default="e5-small")
    ap.add_argument("--buckets", type=int, default=16)
    ap.add_argument("--out", default=None, help="keep stores and shards here (default: a temporary folder)")
    args = ap.parse_args()
    import ray

    from corpus import __version__
    from corpus.config import RunConfig
    from corpus.scale.executor import RayExecutor
    from corpus.scale.run import build
    from corpus.store import Store

    arts = make_articles(args.days, args.ru, args.en)
    out_root = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    runs = []
    for n in [int(x) for x in args.workers.split(",")]:
        d = out_root / f"w{n}"
        d.mkdir(parents=True, exist_ok=True)
        with Store(d / "s.sqlite") as st:
            for a in arts:
                st.upsert_article(a)
            t0 = time.perf_counter()
            with RayExecutor(workers=n, num_cpus=n) as ex:
                rep = build(st, d / "shards", ex, RunConfig(encoder=args.encoder), buckets=args.buckets, quiet=True)
            wall = time.perf_counter() - t0
            c = st.counts()
        runs.append({
            "workers": n, "seconds": round(wall, 1),
            "articles_per_s": round(len(arts) / wall, 2), "sentences_per_s": round(c["sentences"] / wall, 1),
            "stages_s": {k: round(v["seconds"], 1) for k, v in rep.stages.items()},
            "partitions": rep.total, "peak_rss_mb_per_worker": sorted(rep.peak_rss_mb.values()),
            "pairs": sum(c["pairs"].values()), "beads": sum(c["beads"].values()), "flags": sum(c["flags"].values()),
        })
        assert not ray.is_initialized()
    print(json.dumps({
        "signature": {"tool": f"tasscorpus {__version__}", "ray": ray.__version__, "encoder": args.encoder,
                      "days": args.days, "ru_per_day": args.ru, "en_per_day": args.en, "buckets": args.buckets,
                      "articles": len(arts)},
        "runs": runs,
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
