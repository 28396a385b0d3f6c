"""Build the TASS-like stress set (align.stress) and write it under /tmp, never into the repo.

    python scripts/make_stress_set.py [--shared PATH] [--seed 13] [--max-docs 30] [--out /tmp/tass-stress]

Writes <out>/<docid>/{src.ru, tgt.en, gold.ru-en.txt} (Vecalign beads) and prints one JSON summary.
``scripts/eval_alignment.py --dataset tass-stress`` builds the same set in memory.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from align.stress import build_stress_set  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-docs", type=int, default=30)
    ap.add_argument("--out", default="/tmp/tass-stress")
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    if out == ROOT or ROOT in out.parents:
        raise SystemExit("refusing to write third-party-derived data into the repository")
    docs = build_stress_set(Path(args.shared) / "eval/wmt21_newstest2021_ruen/docs", seed=args.seed, max_docs=args.max_docs)
    for d in docs:
        p = out / d.name
        p.mkdir(parents=True, exist_ok=True)
        (p / "src.ru").write_text("\n".join(d.src) + "\n", encoding="utf-8")
        (p / "tgt.en").write_text("\n".join(d.tgt) + "\n", encoding="utf-8")
        (p / "gold.ru-en.txt").write_text("\n".join(b.to_vecalign() for b in d.gold) + "\n", encoding="utf-8")
    edits = Counter()
    for d in docs:
        edits.update(d.edits)
    print(json.dumps({"out": str(out), "docs": len(docs), "seed": args.seed, "edits": dict(edits),
                      "gold_bead_types": dict(Counter(b.kind for d in docs for b in d.gold))}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
