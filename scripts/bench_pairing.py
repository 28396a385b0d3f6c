#!/usr/bin/env python
"""Speed/memory of corpus.pairing at a month of real volume on generated data; print one JSON object.

A month of TASS is ≈3,000 English and ≈30,000 Russian items. Embedding 33k articles is not what this bench
measures (that is the encoder's cost, paid once and cached): the articles are synthetic, and the encoder is a
lookup that returns precomputed vectors — every text carries its story tag, and its vector is the story's
random unit vector plus per-text noise (English items get their Russian story's vector plus more noise).
Everything else is the real code path: views, sentence splitting, time-window blocks, top-k candidate
generation, number/name/place features (align.normalize), logistic scoring, assignment, many-1 checks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import numpy as np  # noqa: E402

from corpus import __version__  # noqa: E402
from corpus.pairing import PairConfig, pair_articles  # noqa: E402
from corpus.records import Article  # noqa: E402

NAMES = [("Иванов", "Ivanov"), ("Петров", "Petrov"), ("Лавров", "Lavrov"), ("Шойгу", "Shoigu"), ("Сидоров", "Sidorov"),
         ("Кузнецов", "Kuznetsov"), ("Смирнов", "Smirnov"), ("Попов", "Popov"), ("Волков", "Volkov"), ("Орлов", "Orlov")]
PLACES = [("МОСКВА", "MOSCOW"), ("КАЗАНЬ", "KAZAN"), ("ВЛАДИВОСТОК", "VLADIVOSTOK"), ("МИНСК", "MINSK")]
TAG = re.compile(r"\bs(\d+)\b")


class PrecomputedEncoder:
    """Returns precomputed story vectors (+ deterministic per-text noise) instead of running a model."""

    name = "precomputed"

    def __init__(self, base: np.ndarray, en_noise: float = 0.35, text_noise: float = 0.15):
        self.base = base
        self.dim = base.shape[1]
        self.en_noise = en_noise
        self.text_noise = text_noise
        self.calls = 0
        self.texts = 0

    def signature(self) -> str:
        return f"precomputed-random-unit(d={self.dim})"

    def encode(self, texts, lang=None) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            m = TAG.search(t)
            seed = int(hashlib.blake2b(t.encode(), digest_size=8).hexdigest(), 16)
            g = np.random.default_rng(seed)
            v = self.base[int(m.group(1))].copy() if m else np.zeros(self.dim, dtype=np.float32)
            noise = self.text_noise + (self.en_noise if lang == "en" else 0.0)
            v += g.standard_normal(self.dim).astype(np.float32) * noise / np.sqrt(self.dim)
            out[r] = v / max(float(np.linalg.norm(v)), 1e-12)
        return out


def build(n_ru: int, n_en: int, days: int, seed: int):
    rng = random.Random(seed)
    t0 = datetime(2026, 10, 1, tzinfo=timezone(timedelta(hours=3)))
    src, tgt, gold = [], [], set()
    ru_times = sorted(rng.uniform(0, days * 24) for _ in range(n_ru))
    translated = set(rng.sample(range(n_ru), n_en))
    for k, h in enumerate(ru_times):
        nm, pl, num = rng.choice(NAMES), rng.choice(PLACES), rng.randint(2, 999)
        ru = Article("tass", "ru", "ru", f"https://tass.ru/b/{k}", f"{nm[0]} сообщил о событии s{k}",
                     f"По словам {nm[0]}а, в событии s{k} участвовали {num} человек.",
                     (f"Событие s{k} прошло в {pl[0].title()}.", f"Его стоимость составила {num} млн рублей. Итоги s{k} подведут позже."),
                     (t0 + timedelta(hours=h)).isoformat(), dateline_place=pl[0], id=k + 1)
        src.append(ru)
        if k in translated:
            he = h + rng.uniform(0.5, 12)
            en = Article("tass", "en", "en", f"https://tass.com/b/{k}", f"{nm[1]} reports on event s{k}",
                         f"According to {nm[1]}, {num} people took part in event s{k}.",
                         (f"According to {nm[1]}, {num} people took part in event s{k}.",
                          f"Event s{k} took place in {pl[1].title()}.", f"It cost {num} million roubles. Results of s{k} are due later."),
                         (t0 + timedelta(hours=he)).isoformat(), dateline_place=pl[1], id=1_000_000 + k)
            tgt.append(en)
            gold.add((ru.id, en.id))
    return src, tgt, gold


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ru", type=int, default=30000)
    ap.add_argument("--en", type=int, default=3000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    t_build = time.perf_counter()
    src, tgt, gold = build(args.ru, args.en, args.days, args.seed)
    base = np.random.default_rng(args.seed).standard_normal((args.ru, args.dim)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    enc = PrecomputedEncoder(base)
    t_build = time.perf_counter() - t_build
    cfg = PairConfig()
    stats: dict = {}
    t0 = time.perf_counter()
    pairs = pair_articles(src, tgt, enc, cfg, quiet=args.quiet, stats=stats)
    secs = time.perf_counter() - t0
    pred = {(p.src_id, p.tgt_id) for p in pairs}
    tp = len(pred & gold)
    print(json.dumps({
        "tool": f"tasscorpus {__version__} scripts/bench_pairing.py",
        "note": "generated articles with precomputed embeddings (random unit vectors + noise): embedding cost is "
                "NOT measured here; everything after the encoder is the real code path",
        "encoder": enc.signature(),
        "config": cfg.signature(),
        "ru_items": len(src), "en_items": len(tgt), "days": args.days, "dim": args.dim, "seed": args.seed,
        "seconds": round(secs, 2),
        "seconds_build_data": round(t_build, 2),
        "all_pairs": len(src) * len(tgt),
        **stats,
        "encoder_texts": enc.texts,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "pairs": len(pairs), "precision": round(tp / len(pred), 4) if pred else 0.0,
        "recall": round(tp / len(gold), 4) if gold else 0.0,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
