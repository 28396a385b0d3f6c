"""A TASS-like stress set for the aligner, built (seeded, in memory) from WMT21 ru-en news documents.

WMT21 newstest2021 ru→en documents (``src.ru`` vs ``ref.A.en``) are 1-1 by construction. TASS's
English edition rewrites rather than translates: it merges and splits sentences, drops some,
adds background, and often stops early. Each document gets a few of those edits on the English
side, and the gold beads follow them:

* merge — two consecutive English sentences joined (gold 2-1);
* split — one English sentence cut at a clause boundary (", ", "; ", " and ", " but ") near its
  middle (gold 1-2);
* delete — an English sentence dropped (gold 1-0);
* insert — a sentence from another document inserted (gold 0-1);
* replace — an English sentence swapped for a sentence from another document (the edition put its own background
  line in the slot of one of the original's). Gold 1-1, as in the bundled sample: a bead whose sides say different
  things, which the flags mark ``unrelated``; merged into a neighbouring bead it is wrong;
* truncate — the last 1-3 English sentences dropped (gold 1-0 each), in some documents.

Never written into the repository: ``build_stress_set`` returns the documents.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from align.records import Bead

_CLAUSE = re.compile(r"(, | ; |; | and | but | while | which )")


@dataclass
class StressDoc:
    name: str
    src: list[str]
    tgt: list[str]
    gold: list[Bead]
    edits: dict


def _split_at_clause(s: str) -> tuple[str, str] | None:
    best = None
    for m in _CLAUSE.finditer(s):
        cut = m.start() if m.group(1).startswith(",") or m.group(1).startswith(";") or m.group(1).startswith(" ;") else m.start()
        left, right = s[: cut + (1 if s[cut] in ",;" else 0)].strip(), s[m.end() :].strip()
        if len(left) >= 20 and len(right) >= 20:
            score = abs(len(left) - len(right))
            if best is None or score < best[0]:
                best = (score, left, right)
    if best is None:
        return None
    left, right = best[1], best[2]
    if left[-1] in ",;":
        left = left[:-1] + "."
    elif left[-1] not in ".!?":
        left += "."
    return left, right[:1].upper() + right[1:]


def perturb(src: list[str], tgt: list[str], rng: random.Random, pool: list[str], name: str = "doc") -> StressDoc:
    """Apply seeded TASS-like edits to a 1-1 document pair (``tgt`` is edited)."""
    n = len(src)
    # units: (src ids, tgt texts)
    units: list[tuple[tuple[int, ...], list[str]]] = [((i,), [tgt[i]]) for i in range(n)]
    edits = {"merge": 0, "split": 0, "delete": 0, "insert": 0, "replace": 0, "truncate": 0}
    k = max(1, n // 6)
    swapped: set[str] = set()  # replacement lines are not edited again
    for _ in range(k):
        op = rng.choice(["merge", "split", "delete", "insert", "replace"])
        cands = [u for u in range(len(units))
                 if len(units[u][0]) == 1 and len(units[u][1]) == 1 and units[u][1][0] not in swapped]
        if not cands:
            break
        u = rng.choice(cands)
        if op == "merge" and u + 1 < len(units) and len(units[u + 1][0]) == 1 and len(units[u + 1][1]) == 1:
            units[u : u + 2] = [(units[u][0] + units[u + 1][0], [units[u][1][0] + " " + units[u + 1][1][0]])]
        elif op == "split":
            sp = _split_at_clause(units[u][1][0])
            if sp is None:
                continue
            units[u] = (units[u][0], list(sp))
        elif op == "delete" and 0 < u < len(units) - 1:
            units[u] = (units[u][0], [])
        elif op == "insert" and pool:
            units.insert(u, ((), [rng.choice(pool)]))
        elif op == "replace" and pool and 0 < u < len(units) - 1:
            units[u] = (units[u][0], [rng.choice(pool)])
            swapped.add(units[u][1][0])
        else:
            continue
        edits[op] += 1
    if n >= 8 and rng.random() < 0.3:
        t = rng.randint(1, 3)
        for u in range(len(units) - 1, -1, -1):
            if t == 0:
                break
            if units[u][0] and units[u][1]:
                units[u] = (units[u][0], [])
                t -= 1
                edits["truncate"] += 1
        # only a true tail: units after the truncated ones are all deletions now
    new_tgt: list[str] = []
    gold: list[Bead] = []
    for s_ids, texts in units:
        if s_ids and not texts:
            gold.extend(Bead((i,), ()) for i in s_ids)
            continue
        j0 = len(new_tgt)
        new_tgt.extend(texts)
        if not s_ids:
            gold.extend(Bead((), (j,)) for j in range(j0, len(new_tgt)))
        else:
            gold.append(Bead(tuple(s_ids), tuple(range(j0, len(new_tgt)))))
    return StressDoc(name, list(src), new_tgt, gold, edits)


def build_stress_set(docs_dir: str | Path, *, seed: int = 13, max_docs: int = 30) -> list[StressDoc]:
    """Perturbed documents from ``<docs_dir>/<docid>/{src.ru,ref.A.en}`` (sorted ids, seeded choice)."""
    root = Path(docs_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"no WMT21 documents under {root}")
    ids = sorted(p.name for p in root.iterdir() if (p / "src.ru").is_file() and (p / "ref.A.en").is_file())
    rng = random.Random(seed)
    chosen = sorted(rng.sample(ids, min(max_docs, len(ids))))
    raw = {}
    for d in ids:
        s = (root / d / "src.ru").read_text(encoding="utf-8").splitlines()
        t = (root / d / "ref.A.en").read_text(encoding="utf-8").splitlines()
        if len(s) == len(t):
            raw[d] = (s, t)
    out = []
    for d in chosen:
        if d not in raw:
            continue
        pool = [x for o, (_, t) in raw.items() if o != d and o not in chosen for x in t[1:6]]
        out.append(perturb(*raw[d], rng, pool, name=d))
    return out
