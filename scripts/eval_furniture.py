"""Page furniture on the rewrite benchmark: line precision / recall per edition, body lines wrongly stripped, fields.

Runs ``corpus.furniture.strip_furniture`` on every page of ``corpus/evaluation/data/rewrites`` (pairs, and with
``--decoys`` the decoy articles) and compares with the gold ``furniture`` line indices and ``fields``:

* furniture lines: a page line is predicted furniture when nothing of it is left as body text (a dateline line keeps
  its body rest); precision, recall and ``body_lines_stripped`` (gold body lines predicted furniture: must be 0);
* fields: per key, how many gold values were found exactly, and how many predicted values are wrong;
* body sentences: pages whose stripped body, split by ``align.segment.split_sentences``, gives exactly the gold body
  sentences (dateline excluded).

Prints one JSON object (``--split dev|test|all``; tune on dev only).
"""

from __future__ import annotations

import argparse
import json

from corpus import __version__  # the package is installed (pip install -e .): no sys.path edit
from corpus.evaluation.rewrites import load_decoys, load_pairs
from corpus.furniture import FIELD_KINDS, strip_furniture


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "tp": tp, "fp": fp, "fn": fn}


def score_sides(sides) -> dict:
    """sides: (id, Side) items of one edition."""
    from align.segment import split_sentences

    tp = fp = fn = 0
    wrong_body: list[str] = []
    missed: list[str] = []
    fields = {k: {"gold": 0, "found": 0, "wrong": 0} for k in FIELD_KINDS}
    exact_body = 0
    for sid, side in sides:
        page = strip_furniture(list(side.page), side.lang)
        pred = set(page.furniture_index)
        gold = set(side.furniture)
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        wrong_body += [f"{sid}:{i} {side.page[i][:70]}" for i in sorted(pred - gold)]
        missed += [f"{sid}:{i} {side.page[i][:70]}" for i in sorted(gold - pred)]
        for k in FIELD_KINDS:
            g, p = side.fields.get(k), page.fields.get(k)
            if g is not None:
                fields[k]["gold"] += 1
                fields[k]["found"] += int(p == g)
            if p is not None and p != g:
                fields[k]["wrong"] += 1
        sents = [ln[a:b].strip() for ln in page.body for a, b in split_sentences(ln, side.lang)]
        exact_body += int(sents == list(side.body))
    return {"pages": len(sides), "furniture_lines": _prf(tp, fp, fn), "body_lines_stripped": len(wrong_body),
            "body_lines_stripped_list": wrong_body, "furniture_missed_list": missed, "fields": fields,
            "body_sentences_exact_pages": exact_body}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    ap.add_argument("--decoys", action="store_true", help="also score the decoy articles (no split)")
    ap.add_argument("--data", default=None, help="benchmark folder (default: corpus/evaluation/data/rewrites)")
    a = ap.parse_args(argv)
    pairs = load_pairs(None if a.split == "all" else a.split, a.data)
    out = {"tool": f"tasscorpus {__version__}", "script": "eval_furniture", "split": a.split,
           "pairs": [p.id for p in pairs], "editions": {}}
    for lang in ("ru", "en"):
        out["editions"][lang] = score_sides([(p.id, p.side(lang)) for p in pairs])
    if a.decoys:
        ds = load_decoys(a.data)
        out["decoys"] = {lang: score_sides([(d.id, d.side) for d in ds if d.edition == lang]) for lang in ("ru", "en")}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
