"""Render the six-edition KCNA-style sample into a kcna.kp site mirror plus gold data.

Why: the N-way pipeline (fetch → segment → pair each edition with the pivot → align → flag → link)
needs a small offline fixture in all six languages whose right answers are known. Stories are
authored as JSON (``stories/kNN.json``, invented text in the agency's register, format in
``README.md``) as a table of rows: each row holds one sentence per edition, or ``null`` where
that edition leaves it out. This module turns them, deterministically, into what the KCNA
adapter (``corpus.fetch.kcna``) reads:

- ``data/www.kcna.kp/<ed>/category/articles/q/<latest id>.kcmsf``  the "latest news" listing of each edition
- ``data/www.kcna.kp/<ed>/article/detail/<hex>.html``  article pages (title, Juche date, one ``<p>`` per sentence,
  the dateline before the first sentence)
- ``gold.json``  pivot, pairs (edition article ↔ pivot article), gold beads per pair, N-way rows, planted flags

Every sentence is its own paragraph, so the gold sentence ids do not depend on how a language's
segmenter cuts text (``validate`` checks that ``split_sentences`` keeps each one whole). Text goes
through ``html.escape``. Usage: ``python -m corpus.sample.kcna.build [--check]``.
"""

from __future__ import annotations

import hashlib
import html
import json
import sys
from pathlib import Path

KCNA_DIR = Path(__file__).resolve().parent
STORIES_DIR = KCNA_DIR / "stories"
EDITIONS = ("kp", "en", "cn", "ru", "es", "jp")
PIVOT = "en"
LANGS = {"kp": "ko", "en": "en", "cn": "zh", "ru": "ru", "es": "es", "jp": "ja"}
HOST = "www.kcna.kp"
LATEST = "1ee9bdb7186944f765208f34ecfb5407"  # corpus.fetch.kcna.LATEST
# the agency's datelines in each edition (November <d>, 2026 = Juche 115)
DATELINES = {
    "kp": "(평양 11월 {d}일발 조선중앙통신)",
    "en": "Pyongyang, November {d} (KCNA) --",
    "cn": "朝中社平壤11月{d}日电",
    "ru": "Пхеньян, {d} ноября /ЦТАК/.",
    "es": "Pyongyang, {d} de noviembre (ACNC) --",
    "jp": "【平壌11月{d}日発朝鮮中央通信】",
}
FLAG_TYPES = ("omission", "addition", "number_changed", "date_changed", "name_changed", "negation_or_polarity",
              "intensity_or_modality_shift", "framing_shift", "meaning_shift", "unrelated")


# Stories say what the edition does ("omission": the edition leaves the pivot's sentence out). The pipeline flags
# the pair (source = the edition, target = the pivot) from the source's side, as ru → en for TASS: there, a
# sentence only the pivot has is an "addition" of the target, and one only the edition has an "omission".
PAIR_TYPE = {"omission": "addition", "addition": "omission"}


class SampleError(ValueError):
    """A story file is unreadable or invalid; the message lists every problem found."""


def load_stories(stories_dir: Path | str | None = None) -> list[dict]:
    d = Path(stories_dir) if stories_dir is not None else STORIES_DIR
    out = []
    for p in sorted(d.glob("k*.json")):
        try:
            out.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise SampleError(f"{p.name}: cannot read story JSON: {e}") from None
    return out


def url(story: dict, ed: str) -> str:
    h = hashlib.md5(f"tasscorpus-kcna-sample/{story['id']}/{ed}".encode()).hexdigest()[:20]
    return f"http://{HOST}/{ed}/article/detail/{h}"


def sentences(story: dict, ed: str) -> list[str]:
    return [r[ed] for r in story["rows"] if r.get(ed)]


def beads(story: dict, ed: str, pivot: str = PIVOT) -> list[list[list[int]]]:
    """Gold beads of edition ``ed`` (source) with the pivot (target), from the rows; rows neither side has are skipped."""
    out, i, j = [], 0, 0
    for r in story["rows"]:
        s = [i] if r.get(ed) else []
        t = [j] if r.get(pivot) else []
        i += bool(s)
        j += bool(t)
        if s or t:
            out.append([s, t])
    return out


def bead_of_row(story: dict, ed: str, row: int, pivot: str = PIVOT) -> int:
    return sum(1 for r in story["rows"][:row] if r.get(ed) or r.get(pivot))


def validate(stories: list[dict]) -> list[str]:
    from align.segment import split_sentences

    problems = []
    ids = set()
    for s in stories:
        sid = s.get("id", "?")
        if sid in ids:
            problems.append(f"{sid}: duplicate id")
        ids.add(sid)
        if not isinstance(s.get("day"), int) or not 1 <= s["day"] <= 30:
            problems.append(f"{sid}.day: must be a day of November")
        if set(s.get("title", {})) != set(EDITIONS):
            problems.append(f"{sid}.title: needs one title per edition {EDITIONS}")
        for ri, r in enumerate(s.get("rows", [])):
            if set(r) != set(EDITIONS):
                problems.append(f"{sid}.rows[{ri}]: needs the keys {EDITIONS}")
                continue
            if not any(r.values()):
                problems.append(f"{sid}.rows[{ri}]: every edition is null")
            for ed, text in r.items():
                if text is None:
                    continue
                if not isinstance(text, str) or text != text.strip() or not text:
                    problems.append(f"{sid}.rows[{ri}].{ed}: must be a non-empty trimmed string or null")
                elif len(split_sentences(text, LANGS[ed])) != 1:
                    problems.append(f"{sid}.rows[{ri}].{ed}: split_sentences gives {len(split_sentences(text, LANGS[ed]))} sentences")
        for ed in EDITIONS:
            n = len(sentences(s, ed))
            if not 4 <= n <= 10:
                problems.append(f"{sid}.{ed}: {n} sentences (want 4-10)")
        for fi, f in enumerate(s.get("flags", [])):
            where = f"{sid}.flags[{fi}]"
            if f.get("type") not in FLAG_TYPES:
                problems.append(f"{where}.type: {f.get('type')!r} not in FLAG_TYPES")
            if f.get("edition") not in EDITIONS or f.get("edition") == PIVOT:
                problems.append(f"{where}.edition: must be a non-pivot edition")
                continue
            try:
                r = s["rows"][f["row"]]
            except (KeyError, IndexError, TypeError):
                problems.append(f"{where}.row: no such row")
                continue
            for side, ed in (("x", f["edition"]), ("pivot", PIVOT)):
                if f.get(side) and f[side] not in (r.get(ed) or ""):
                    problems.append(f"{where}.{side}: {f[side]!r} not found in the row's {ed} sentence")
    if problems:
        return problems
    return []


def _page(story: dict, ed: str) -> str:
    d = story["day"]
    sents = sentences(story, ed)
    ps = [f"{DATELINES[ed].format(d=d)} {sents[0]}", *sents[1:]]
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in ps)
    title = html.escape(story["title"][ed], quote=False)
    return (f'<!DOCTYPE html>\n<html lang="{LANGS[ed]}"><head><meta charset="utf-8"><title>KCNA Watch sample</title></head>\n'
            f'<body><div class="header">KCNA</div>\n<div class="article-main-title">{title}</div>\n'
            f'<div class="publish-time">[Juche 115.11.{d}.]</div>\n'
            f'<div class="article-content-body"><div class="content-wrapper">\n{body}</div></div>\n</body></html>\n')


def render(stories: list[dict]) -> dict[str, bytes]:
    files: dict[str, str] = {}
    for ed in EDITIONS:
        lis = "".join(
            f'<li><a href="{url(s, ed).split(HOST, 1)[1]}">{html.escape(s["title"][ed], quote=False)}'
            f'<span class="publish-time">[Juche 115.11.{s["day"]}.]</span></a></li>\n'
            for s in stories)
        files[f"data/{HOST}/{ed}/category/articles/q/{LATEST}.kcmsf"] = (
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n<ul class="article-link">\n{lis}</ul>\n</body></html>\n')
        for s in stories:
            files[f"data/{url(s, ed).split('://', 1)[1]}.html"] = _page(s, ed)
    files["gold.json"] = json.dumps(gold(stories), ensure_ascii=False, indent=1) + "\n"
    return {k: v.encode("utf-8") for k, v in files.items()}


def gold(stories: list[dict]) -> dict:
    """pairs (one per story and non-pivot edition), beads and sentences per pair, N-way rows (per pivot URL: per
    edition the sentence ids of each row, [] where it leaves the row out), planted flags."""
    g: dict = {"pivot": PIVOT, "editions": list(EDITIONS), "pairs": [], "beads": {}, "flags": {}, "rows": {}}
    for s in stories:
        pu = url(s, PIVOT)
        seen = {ed: 0 for ed in EDITIONS}
        rows = []
        for r in s["rows"]:
            rows.append({ed: [seen[ed]] if r.get(ed) else [] for ed in EDITIONS})
            for ed in EDITIONS:
                seen[ed] += bool(r.get(ed))
        g["rows"][pu] = rows
        for ed in EDITIONS:
            if ed == PIVOT:
                continue
            key = f"{url(s, ed)}|{pu}"
            g["pairs"].append({"edition": ed, "src": url(s, ed), "tgt": pu, "story": s["id"]})
            g["beads"][key] = {"src": sentences(s, ed), "tgt": sentences(s, PIVOT), "beads": beads(s, ed)}
            g["flags"][key] = [
                {"bead": bead_of_row(s, ed, f["row"]), "type": PAIR_TYPE.get(f["type"], f["type"]), "x": f["x"],
                 "pivot": f["pivot"], "edition_says": f["type"]}
                for f in s["flags"] if f["edition"] == ed]
    return g


def build(out: Path | str | None = None, *, stories_dir: Path | str | None = None) -> dict[str, bytes]:
    stories = load_stories(stories_dir)
    problems = validate(stories)
    if problems:
        raise SampleError("; ".join(problems))
    files = render(stories)
    root = Path(out) if out is not None else KCNA_DIR
    for rel, blob in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(blob)
    return files


def data_dir() -> Path:
    return KCNA_DIR / "data"


def load_gold() -> dict:
    return json.loads((KCNA_DIR / "gold.json").read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        stories = load_stories()
        problems = validate(stories)
        if problems:
            raise SampleError("; ".join(problems))
        if "--check" not in argv:
            build()
    except SampleError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{len(stories)} stories valid" + ("" if "--check" in argv else f"; wrote {KCNA_DIR / 'data'} and gold.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
