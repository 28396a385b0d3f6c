"""Do the bundled encoders cover KCNA's six languages? Tatoeba-style retrieval P@1 per language pair; one JSON object.

    python scripts/eval_encoders.py [--encoders e5-small,use] [--sets tatoeba-rus,bible-enzh,flores-es,kcna-sample]
                                    [--limit 1000] [--shared PATH]

Each set is a list of translation pairs (x_i, y_i); every x_i is embedded, its nearest y by cosine is retrieved, and
P@1 is the share retrieved correctly (both directions: ``xx->en`` and ``en->xx``), as in the LASER Tatoeba test; the
median raw cosine of the translations and of the unrelated pairs shows where the encoder puts each language pair.
Sets, from the gold there is (``../shared/eval``; a set whose data is absent is reported as ``absent``):

- ``tatoeba-rus`` (also ``-deu``, ``-fra``, ``-ukr``, ``-bel``): LASER's Tatoeba test, 1,000 short pairs each.
- ``bible-enzh``: the en-zh Bible of bertalign, sentences grouped into verses by ``en.verse`` / ``zh.verse``; the
  first ``--limit`` verses present in both.
- ``flores-es``: the 67 FLORES-200 en-es pairs of Ex-SemDiv (``spa_Latn...paraphrase_alignments``: the English side
  is a meaning-preserving paraphrase, so this is a little harder than plain FLORES).
- ``kcna-sample``: the bundled six-edition KCNA-style sample (invented text, in the repo when it is there): every
  edition's gold 1-1 beads against English, for ko, zh, ja, ru, es.

Vectors are cached in /tmp/tasscorpus-cache/align-eval.sqlite (as scripts/eval_alignment.py), so re-runs are cheap.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import numpy as np  # noqa: E402

CACHE = Path("/tmp/tasscorpus-cache/align-eval.sqlite")
TATOEBA = ("rus", "deu", "fra", "ukr", "bel")
ISO = {"rus": "ru", "deu": "de", "fra": "fr", "ukr": "uk", "bel": "be"}
DEFAULT_SETS = ("tatoeba-rus", "bible-enzh", "flores-es", "kcna-sample")


def _lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def load_set(name: str, shared: Path, limit: int) -> dict[str, tuple[list[str], list[str]]] | None:
    """lang → (sentences in lang, their English translations), or None when the data is absent."""
    ev = shared / "eval"
    if name.startswith("tatoeba-"):
        code = name.split("-", 1)[1]
        d = ev / "laser_tatoeba" / "data" / "tatoeba" / "v1"
        if not d.exists():
            d = ev / "laser_tatoeba" / "data" / "tatoeba"
        x, e = d / f"tatoeba.{code}-eng.{code}", d / f"tatoeba.{code}-eng.eng"
        if not x.exists():
            return None
        return {ISO.get(code, code): (_lines(x)[:limit], _lines(e)[:limit])}
    if name == "bible-enzh":
        d = ev / "bertalign_bible_enzh" / "data" / "bible"
        if not (d / "en.verse").exists():
            return None
        en = _verses(_lines(d / "en" / "001"), _lines(d / "en.verse"))
        zh = _verses(_lines(d / "zh" / "001"), _lines(d / "zh.verse"))
        ids = [v for v in en if v in zh][:limit]
        return {"zh": ([zh[v] for v in ids], [en[v] for v in ids])}
    if name == "flores-es":
        p = ev / "exsemdiv_briakou2023" / "spa_Latn.devtest.equivalents.chatgpt.paraphrase_alignments"
        if not p.exists():
            return None
        rows = [r.split("\t") for r in _lines(p) if r.count("\t") >= 1][:limit]
        return {"es": ([r[1] for r in rows], [r[0] for r in rows])}
    if name == "kcna-sample":
        return _kcna_sample(limit)
    raise SystemExit(f"unknown set {name!r}")


def _verses(sents: list[str], ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for s, v in zip(sents, ids):
        out[v] = (out[v] + " " + s) if v in out else s
    return out


def _kcna_sample(limit: int):
    """The bundled KCNA-style sample's N-way rows, each edition's text against the English one (None when the sample
    is not bundled). Rows with a planted difference stay in: retrieval still has to find their counterpart."""
    try:
        from corpus.parse import edition_lang
        from corpus.sample.kcna.build import load_stories  # the six-edition sample (issue 25), when present
    except ImportError:
        return None
    out: dict[str, tuple[list[str], list[str]]] = {}
    for story in load_stories():
        for row in story.get("rows", []):
            en = row.get("en")
            for ed, text in row.items():
                lang = edition_lang("kcna", ed)
                if not en or not text or ed == "en" or lang is None:
                    continue
                xs, es = out.setdefault(lang, ([], []))
                if len(xs) < limit:
                    xs.append(text)
                    es.append(en)
    return out or None


def p_at_1(a: np.ndarray, b: np.ndarray) -> float:
    """Share of rows of ``a`` whose nearest row of ``b`` (cosine; rows are L2-normalised) has the same index."""
    if not len(a):
        return float("nan")
    return float(np.mean(np.argmax(a @ b.T, axis=1) == np.arange(len(a))))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoders", default="e5-small,use")
    ap.add_argument("--sets", default=",".join(DEFAULT_SETS),
                    help="comma-separated: " + ", ".join([f"tatoeba-{c}" for c in TATOEBA] +
                                                         ["bible-enzh", "flores-es", "kcna-sample"]))
    ap.add_argument("--limit", type=int, default=1000, help="pairs per language at most")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args(argv)

    from align.coverage import language_coverage
    from align.encoders import CachedEncoder, get_encoder
    from corpus.store import Store

    CACHE.parent.mkdir(parents=True, exist_ok=True)
    store = Store(CACHE)
    results: dict = {}
    sigs: dict = {}
    for enc_name in args.encoders.split(","):
        enc = CachedEncoder(get_encoder(enc_name), store)
        sigs[enc_name] = enc.signature()
        for set_name in args.sets.split(","):
            data = load_set(set_name, Path(args.shared), args.limit)
            if data is None:
                results.setdefault(set_name, "absent")
                continue
            for lang, (xs, es) in data.items():
                t = time.perf_counter()
                vx, ve = enc.encode(xs, lang), enc.encode(es, "en")
                key = f"{set_name}:{lang}-en"
                sims = vx @ ve.T
                off = sims[~np.eye(len(xs), dtype=bool)] if len(xs) > 1 else np.zeros(1)
                results.setdefault(key, {})[enc_name] = {
                    "n": len(xs), f"p@1 {lang}->en": round(p_at_1(vx, ve), 3), f"p@1 en->{lang}": round(p_at_1(ve, vx), 3),
                    # where the encoder puts translations and unrelated pairs of this language pair (raw cosines)
                    "cos_translation_median": round(float(np.median(np.diag(sims))), 3),
                    "cos_unrelated_median": round(float(np.median(off)), 3),
                    "seconds": round(time.perf_counter() - t, 1),
                }
    print(json.dumps({
        "results": results,
        "coverage": {e: language_coverage(e) for e in args.encoders.split(",")},
        "signature": {"encoders": sigs, "sets": args.sets, "limit": args.limit},
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
