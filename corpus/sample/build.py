"""Render the hand-written sample stories into a TASS-like site mirror plus gold data.

Why: the pipeline (fetch → parse → segment → pair → align → flag) needs a small, shippable,
offline fixture whose right answers are known. Stories are authored as JSON
(``stories/sNN.json``, format in ``README.md``); this module turns them, deterministically
(byte-identical output on re-run), into what the fetcher would see on the real sites:

- ``data/tass.ru/rss/yandex.xml``   RSS 2.0 with ``<yandex:full-text>`` (dateline + body)
- ``data/tass.com/rss/v2.xml``      RSS 2.0, title + lead
- ``data/tass.com/<section>/<id>.html``  article pages, "jsonld" or "classic" layout
- ``gold.json``                     pairs, unpaired URLs, gold sentence beads and planted flags

All text goes through lxml (XML) or ``html.escape`` (HTML) — story text is treated like untrusted
web text. ``validate()`` also re-segments every paragraph with ``align.segment.split_sentences`` so
gold sentence ids are exactly the ids the pipeline will produce.

Usage: ``python -m corpus.sample.build [--check]`` (``--check`` validates only).
"""

from __future__ import annotations

import html
import json
import re
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

SAMPLE_DIR = Path(__file__).resolve().parent
STORIES_DIR = SAMPLE_DIR / "stories"

__all__ = ["build", "load_stories", "validate", "render", "SampleError", "main"]

_RU_URL = re.compile(r"^https://tass\.ru/[a-z0-9\-]+/(\d{8})$")
_EN_URL = re.compile(r"^https://tass\.com/([a-z0-9\-]+)/(\d{7})$")
_ID = re.compile(r"^s\d{2,3}$")
_RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_SIDE_KEYS = ("url", "published", "place", "date", "title", "lead", "paragraphs")
_LAYOUTS = ("jsonld", "classic")
_YANDEX_NS = "http://news.yandex.ru"


class SampleError(ValueError):
    """A story file is unreadable or invalid; the message lists every problem found."""


# ----------------------------------------------------------------------------- loading
def load_stories(stories_dir: Path | str | None = None) -> list[dict]:
    """All ``sNN.json`` stories, sorted by file name. Raises SampleError on unreadable JSON."""
    d = Path(stories_dir) if stories_dir is not None else STORIES_DIR
    if not d.is_dir():
        raise SampleError(f"stories directory not found: {d}")
    out = []
    for p in sorted(d.glob("*.json")):
        try:
            story = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise SampleError(f"{p.name}: cannot read story JSON: {e}") from None
        if isinstance(story, dict):
            story.setdefault("_file", p.name)
        out.append(story)
    return out


def sentences(side: dict | None) -> list[str]:
    """The flattened sentence list of one side (sentence ids index into this)."""
    if not side:
        return []
    return [s for para in side["paragraphs"] for s in para]


def _paragraph_texts(side: dict) -> list[str]:
    return [" ".join(para) for para in side["paragraphs"]]


def _dateline(side: dict, lang: str) -> str:
    tag = "ТАСС" if lang == "ru" else "TASS"
    byline = f"/{side['byline']}/. " if side.get("byline") else ""  # «/Корр. ТАСС Имя Фамилия/.»
    return f"{side['place']}, {side['date']}. /{tag}/. {byline}"


def _bead_text(sents: list[str], ids: list[int]) -> str:
    return " ".join(sents[i] for i in ids)


# ----------------------------------------------------------------------------- validation
def _check_side(sid: str, lang: str, side: Any, problems: list[str]) -> bool:
    where = f"{sid}.{lang}"
    if not isinstance(side, dict):
        problems.append(f"{where}: must be an object")
        return False
    ok = True
    for k in _SIDE_KEYS:
        if k not in side:
            problems.append(f"{where}: missing key {k!r}")
            ok = False
    if not ok:
        return False
    for k in ("url", "published", "place", "date", "title", "lead"):
        if not isinstance(side[k], str) or not side[k].strip():
            problems.append(f"{where}.{k}: must be a non-empty string")
            ok = False
    if not ok:
        return False
    url_re = _RU_URL if lang == "ru" else _EN_URL
    if not url_re.match(side["url"]):
        digits = "8" if lang == "ru" else "7"
        problems.append(f"{where}.url: {side['url']!r} is not https://tass.{'ru' if lang == 'ru' else 'com'}/<slug>/<{digits}-digit id>")
    try:
        dt = datetime.fromisoformat(side["published"])
        if dt.tzinfo is None:
            problems.append(f"{where}.published: needs a UTC offset")
        else:
            months = _RU_MONTHS if lang == "ru" else _EN_MONTHS
            local = dt.astimezone(timezone(timedelta(hours=3)))
            want = (f"{local.day} {months[local.month - 1]}" if lang == "ru"
                    else f"{months[local.month - 1]} {local.day}")
            if side["date"] != want:
                problems.append(f"{where}.date: {side['date']!r} does not match published (MSK) {want!r}")
    except ValueError:
        problems.append(f"{where}.published: not ISO 8601: {side['published']!r}")
    if lang == "en" and side.get("layout") not in _LAYOUTS:
        problems.append(f"{where}.layout: must be one of {_LAYOUTS}, got {side.get('layout')!r}")
    paras = side["paragraphs"]
    if not isinstance(paras, list) or not paras or not all(isinstance(p, list) and p for p in paras):
        problems.append(f"{where}.paragraphs: must be a non-empty list of non-empty lists")
        return False
    for pi, para in enumerate(paras):
        for si, s in enumerate(para):
            if not isinstance(s, str) or not s.strip() or s != s.strip():
                problems.append(f"{where}.paragraphs[{pi}][{si}]: must be a non-empty trimmed string")
                ok = False
    if not ok:
        return False
    # the pipeline's segmenter must give back exactly the authored sentences
    from align.segment import split_sentences

    for pi, para in enumerate(paras):
        text = " ".join(para)
        got = [text[a:b] for a, b in split_sentences(text, lang)]
        if got != para:
            problems.append(
                f"{where}.paragraphs[{pi}]: split_sentences gives {len(got)} sentence(s) "
                f"{[g[:40] for g in got]} instead of {len(para)} {[s[:40] for s in para]}"
            )
            ok = False
    if lang == "en" and not _paragraph_texts(side)[0].startswith(side["lead"]):
        problems.append(f"{where}.lead: tass.com repeats the lead as the first body paragraph; "
                        "paragraph 0 must start with the lead")
    return ok


def _check_beads(sid: str, story: dict, n_ru: int, n_en: int, problems: list[str]) -> bool:
    beads = story.get("beads")
    if not isinstance(beads, list):
        problems.append(f"{sid}.beads: must be a list")
        return False
    ru_seen: list[int] = []
    en_seen: list[int] = []
    for k, b in enumerate(beads):
        if (not isinstance(b, list) or len(b) != 2
                or not all(isinstance(x, list) and all(isinstance(i, int) for i in x) for x in b)):
            problems.append(f"{sid}.beads[{k}]: must be [[ru ids], [en ids]]")
            return False
        if not b[0] and not b[1]:
            problems.append(f"{sid}.beads[{k}]: both sides empty")
        ru_seen += b[0]
        en_seen += b[1]
    ok = True
    if ru_seen != list(range(n_ru)):
        problems.append(f"{sid}.beads: ru ids {ru_seen} are not 0..{n_ru - 1} in order exactly once")
        ok = False
    if en_seen != list(range(n_en)):
        problems.append(f"{sid}.beads: en ids {en_seen} are not 0..{n_en - 1} in order exactly once")
        ok = False
    return ok


def _check_flags(sid: str, story: dict, ru: list[str], en: list[str], problems: list[str]) -> None:
    from corpus.records import FLAG_TYPES

    flags = story.get("flags")
    if not isinstance(flags, list):
        problems.append(f"{sid}.flags: must be a list")
        return
    beads = story["beads"]
    for fi, f in enumerate(flags):
        where = f"{sid}.flags[{fi}]"
        if not isinstance(f, dict) or not {"bead", "type", "ru", "en"} <= set(f):
            problems.append(f"{where}: needs keys bead, type, ru, en (and note)")
            continue
        if f["type"] not in FLAG_TYPES:
            problems.append(f"{where}.type: {f['type']!r} not in FLAG_TYPES")
        k = f["bead"]
        if not isinstance(k, int) or not 0 <= k < len(beads):
            problems.append(f"{where}.bead: {k!r} out of range 0..{len(beads) - 1}")
            continue
        if not isinstance(f["ru"], str) or not isinstance(f["en"], str):
            problems.append(f"{where}: ru/en must be strings")
            continue
        if not f["ru"] and not f["en"]:
            problems.append(f"{where}: ru and en both empty")
        ru_text = _bead_text(ru, beads[k][0])
        en_text = _bead_text(en, beads[k][1])
        if f["ru"] not in ru_text:
            problems.append(f"{where}.ru: {f['ru']!r} not found in bead {k} ru text {ru_text[:80]!r}")
        if f["en"] not in en_text:
            problems.append(f"{where}.en: {f['en']!r} not found in bead {k} en text {en_text[:80]!r}")


def _check_also_beads(sid: str, story: dict, other: str, other_story: dict, problems: list[str]) -> None:
    """Gold of a many-1 pair: ``also_beads[other]`` = {"beads", "flags"} over ``other``'s Russian sentences
    and the ids of the English sentences of ``sid`` that tell ``other``'s story (its part, ascending, each
    once: the rest of the English text is not aligned with ``other``); flags as in ``flags``."""
    where = f"{sid}.also_beads.{other}"
    g = (story.get("also_beads") or {}).get(other) if isinstance(story.get("also_beads", {}), dict) else None
    if not isinstance(g, dict) or not isinstance(g.get("beads"), list) or not isinstance(g.get("flags"), list):
        problems.append(f"{where}: missing gold (an object with beads and flags) for the many-1 pair")
        return
    ru_s, en_s = sentences(other_story.get("ru")), sentences(story.get("en"))
    ru_seen: list[int] = []
    en_seen: list[int] = []
    for k, b in enumerate(g["beads"]):
        if (not isinstance(b, list) or len(b) != 2
                or not all(isinstance(x, list) and all(isinstance(i, int) for i in x) for x in b) or not (b[0] or b[1])):
            problems.append(f"{where}.beads[{k}]: must be [[ru ids], [en ids]], not both empty")
            return
        ru_seen += b[0]
        en_seen += b[1]
    if ru_seen != list(range(len(ru_s))):
        problems.append(f"{where}.beads: ru ids {ru_seen} are not 0..{len(ru_s) - 1} in order exactly once")
        return
    if en_seen != sorted(set(en_seen)) or not all(0 <= i < len(en_s) for i in en_seen):
        problems.append(f"{where}.beads: en ids {en_seen} must be distinct English sentence ids in order")
        return
    _check_flags(where, {"flags": g["flags"], "beads": g["beads"]}, ru_s, en_s, problems)


def validate(stories: list[dict]) -> list[str]:
    """Every problem found in the stories, one line each (empty list = valid)."""
    problems: list[str] = []
    ids: dict[str, dict] = {}
    urls: dict[str, str] = {}
    for n, story in enumerate(stories):
        if not isinstance(story, dict):
            problems.append(f"story #{n}: must be a JSON object")
            continue
        sid = story.get("id")
        if not isinstance(sid, str) or not _ID.match(sid):
            problems.append(f"story #{n} ({story.get('_file', '?')}): id {sid!r} is not like 's01'")
            continue
        if story.get("_file") not in (None, f"{sid}.json"):
            problems.append(f"{sid}: file is named {story['_file']!r}, expected {sid}.json")
        if sid in ids:
            problems.append(f"{sid}: duplicate story id")
            continue
        ids[sid] = story
        for k in ("ru", "en", "also_ru", "beads", "flags"):
            if k not in story:
                problems.append(f"{sid}: missing key {k!r}")
        if any(k not in story for k in ("ru", "en", "also_ru", "beads", "flags")):
            continue
        ru_ok = _check_side(sid, "ru", story["ru"], problems)
        en = story["en"]
        en_ok = True if en is None else _check_side(sid, "en", en, problems)
        for lang, ok in (("ru", ru_ok), ("en", en_ok)):
            side = story[lang]
            if side and ok:
                if side["url"] in urls:
                    problems.append(f"{sid}.{lang}.url: {side['url']} already used by {urls[side['url']]}")
                urls[side["url"]] = sid
        if not isinstance(story["also_ru"], list):
            problems.append(f"{sid}.also_ru: must be a list of story ids")
        if en is None:
            if story["beads"] or story["flags"] or story["also_ru"]:
                problems.append(f"{sid}: a story without English must have empty beads, flags, also_ru")
            continue
        if not (ru_ok and en_ok):
            continue
        dt_ru = datetime.fromisoformat(story["ru"]["published"])
        dt_en = datetime.fromisoformat(en["published"])
        if not timedelta(0) < dt_en - dt_ru <= timedelta(hours=24):
            problems.append(f"{sid}: English published {dt_en - dt_ru} after Russian (want 0 < Δ ≤ 24 h)")
        ru_s, en_s = sentences(story["ru"]), sentences(en)
        if _check_beads(sid, story, len(ru_s), len(en_s), problems):
            _check_flags(sid, story, ru_s, en_s, problems)
    # many-1: also_ru must name existing Russian-only stories, each claimed once
    claimed: dict[str, str] = {}
    for sid, story in ids.items():
        for other in story.get("also_ru") or []:
            if other not in ids:
                problems.append(f"{sid}.also_ru: unknown story {other!r}")
            elif ids[other].get("en") is not None:
                problems.append(f"{sid}.also_ru: {other} has its own English item (must be \"en\": null)")
            elif other in claimed:
                problems.append(f"{sid}.also_ru: {other} is already covered by {claimed[other]}")
            elif other == sid:
                problems.append(f"{sid}.also_ru: cannot name itself")
            else:
                claimed[other] = sid
                _check_also_beads(sid, story, other, ids[other], problems)
                en, ru = story.get("en"), ids[other].get("ru")
                try:
                    if en and ru and (datetime.fromisoformat(en["published"])
                                      <= datetime.fromisoformat(ru["published"])):
                        problems.append(f"{sid}.also_ru: {other}'s Russian item is published after this English item")
                except (KeyError, TypeError, ValueError):
                    pass  # already reported by the side checks
    return problems


# ----------------------------------------------------------------------------- rendering
def _rss(items: list[dict], *, title: str, link: str, description: str, language: str,
         yandex: bool) -> bytes:
    from lxml import etree

    nsmap = {"yandex": _YANDEX_NS} if yandex else None
    rss = etree.Element("rss", nsmap=nsmap)
    rss.set("version", "2.0")
    ch = etree.SubElement(rss, "channel")
    for tag, text in (("title", title), ("link", link), ("description", description),
                      ("language", language)):
        etree.SubElement(ch, tag).text = text
    for it in items:
        el = etree.SubElement(ch, "item")
        for tag in ("title", "link", "pubDate", "description", "category"):
            etree.SubElement(el, tag).text = it[tag]
        if yandex:
            etree.SubElement(el, f"{{{_YANDEX_NS}}}full-text").text = it["full_text"]
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _feed_item(side: dict, lang: str, category: str) -> dict:
    dt = datetime.fromisoformat(side["published"])
    paras = _paragraph_texts(side)
    paras[0] = _dateline(side, lang) + paras[0]
    return {
        "title": side["title"], "link": side["url"], "pubDate": format_datetime(dt),
        "description": side["lead"], "category": category, "full_text": "\n".join(paras),
        "_sort": (dt.timestamp(), side["url"]),
    }


_RU_CATEGORIES = {
    "politika": "Политика", "ekonomika": "Экономика и бизнес", "obschestvo": "Общество",
    "proisshestviya": "Происшествия", "sport": "Спорт", "nauka": "Наука", "kultura": "Культура",
    "mezhdunarodnaya-panorama": "Международная панорама", "armiya-i-opk": "Армия и ОПК",
}
_EN_CATEGORIES = {
    "politics": "Russian Politics & Diplomacy", "economy": "Business & Economy",
    "society": "Society & Culture", "emergencies": "Emergencies", "sport": "Sports",
    "science": "Science & Space", "world": "World", "defense": "Military & Defense",
}


def _slug(url: str) -> str:
    return url.rstrip("/").split("/")[-2]


def _page(side: dict) -> bytes:
    """A tass.com article page in the story's layout; every text escaped with html.escape."""
    e = html.escape
    dt = datetime.fromisoformat(side["published"])
    paras = _paragraph_texts(side)
    paras[0] = _dateline(side, "en") + paras[0]
    section = _slug(side["url"])
    head = [
        '<meta charset="utf-8">',
        f"<title>{e(side['title'])} - {e(_EN_CATEGORIES.get(section, section.title()))} - TASS</title>",
        f'<meta property="og:title" content="{e(side["title"])}">',
    ]
    if side["layout"] == "jsonld":
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle",
            "headline": side["title"], "description": side["lead"],
            "datePublished": dt.isoformat(), "articleBody": "\n".join(paras), "url": side["url"],
            "publisher": {"@type": "Organization", "name": "TASS"},
        }
        # JSON inside <script>: escape <, >, & so text can never close the script element
        blob = (json.dumps(ld, ensure_ascii=False, indent=1)
                .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
        head += [
            f'<meta property="article:published_time" content="{e(dt.isoformat())}">',
            f'<meta property="og:url" content="{e(side["url"])}">',
            f'<script type="application/ld+json">{blob}</script>',
        ]
    body_ps = "\n".join(f"<p>{e(p)}</p>" for p in paras)
    wrapper = "news" if side["layout"] == "jsonld" else "b-material-wrapper"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
{chr(10).join(head)}
</head>
<body>
<header class="site-header"><a href="https://tass.com/">TASS</a></header>
<main class="{wrapper}">
<div class="news-header">
<h1 class="news-header__title">{e(side['title'])}</h1>
<div class="news-header__lead">{e(side['lead'])}</div>
<dateformat time="{int(dt.timestamp())}"></dateformat>
</div>
<div class="text-content">
<div class="text-block">
{body_ps}
</div>
</div>
</main>
</body>
</html>
"""
    return page.encode("utf-8")


def gold(stories: list[dict]) -> dict:
    """The gold data: pairs (by URL), unpaired URLs, beads and flags per pair."""
    by_id = {s["id"]: s for s in stories}
    pairs, beads, flags = [], {}, {}
    covered: set[str] = set()
    for s in stories:
        en = s["en"]
        if en is None:
            continue
        kind = "many-1" if s["also_ru"] else "1-1"
        pairs.append({"ru": s["ru"]["url"], "en": en["url"], "kind": kind, "story": s["id"]})
        covered.add(s["id"])
        for other in s["also_ru"]:
            o_ru = by_id[other]["ru"]
            pairs.append({"ru": o_ru["url"], "en": en["url"], "kind": "many-1", "story": other})
            covered.add(other)
            g = s["also_beads"][other]
            o_key = f"{o_ru['url']}|{en['url']}"
            beads[o_key] = {"ru": sentences(o_ru), "en": sentences(en), "beads": g["beads"],
                            "part": [j for b in g["beads"] for j in b[1]]}
            flags[o_key] = [
                {"bead": f["bead"], "type": f["type"], "ru": f["ru"], "en": f["en"], "note": f.get("note", "")}
                for f in g["flags"]
            ]
        key = f"{s['ru']['url']}|{en['url']}"
        beads[key] = {"ru": sentences(s["ru"]), "en": sentences(en), "beads": s["beads"]}
        flags[key] = [
            {"bead": f["bead"], "type": f["type"], "ru": f["ru"], "en": f["en"],
             "note": f.get("note", "")}
            for f in s["flags"]
        ]
    unpaired_ru = [s["ru"]["url"] for s in stories if s["id"] not in covered]
    return {"pairs": pairs, "unpaired_ru": unpaired_ru, "unpaired_en": [],
            "beads": beads, "flags": flags}


def render(stories: list[dict]) -> dict[str, bytes]:
    """Relative path (under the sample dir) → file bytes, for every output file."""
    files: dict[str, bytes] = {}
    ru_items = [_feed_item(s["ru"], "ru", _RU_CATEGORIES.get(_slug(s["ru"]["url"]), _slug(s["ru"]["url"])))
                for s in stories]
    en_sides = [s["en"] for s in stories if s["en"] is not None]
    en_items = [_feed_item(e, "en", _EN_CATEGORIES.get(_slug(e["url"]), _slug(e["url"])))
                for e in en_sides]
    for items in (ru_items, en_items):
        items.sort(key=lambda it: it["_sort"], reverse=True)  # feeds list newest first
    files["data/tass.ru/rss/yandex.xml"] = _rss(
        ru_items, title="ТАСС", link="https://tass.ru/", language="ru", yandex=True,
        description="ТАСС: новости (учебная выборка tasscorpus, вымышленные материалы)")
    files["data/tass.com/rss/v2.xml"] = _rss(
        en_items, title="TASS", link="https://tass.com/", language="en", yandex=False,
        description="TASS: news (tasscorpus sample, invented stories)")
    for side in en_sides:
        m = _EN_URL.match(side["url"])
        assert m is not None
        files[f"data/tass.com/{m.group(1)}/{m.group(2)}.html"] = _page(side)
    files["gold.json"] = (json.dumps(gold(stories), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return files


def build(out_dir: Path | str | None = None, stories_dir: Path | str | None = None) -> None:
    """Validate the stories and (re)write ``data/`` and ``gold.json`` under ``out_dir``.

    ``out_dir`` defaults to this package's directory. Stale rendered ``.html``/``.xml`` files under
    ``data/tass.ru`` and ``data/tass.com`` (pages of deleted stories) are removed; nothing else is.
    Raises SampleError listing every problem.
    """
    stories = load_stories(stories_dir)
    problems = validate(stories)
    if problems:
        raise SampleError(f"{len(problems)} problem(s) in sample stories:\n  " + "\n  ".join(problems))
    out = Path(out_dir) if out_dir is not None else SAMPLE_DIR
    files = render(stories)
    # drop stale rendered files (pages of deleted stories) but nothing else the directory holds
    for site in ("tass.ru", "tass.com"):
        root = out / "data" / site
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file() and p.suffix in (".html", ".xml") and p.relative_to(out).as_posix() not in files:
                    p.unlink()
    for rel, blob in sorted(files.items()):
        p = out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(blob)


def main(argv: list[str] | None = None) -> int:
    """``python -m corpus.sample.build [--check] [--stories DIR] [--out DIR]``; exit 1 with the
    problem list (no traceback) when a story is invalid."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m corpus.sample.build", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="validate the stories only, write nothing")
    ap.add_argument("--stories", type=Path, default=None, help=f"stories directory (default {STORIES_DIR})")
    ap.add_argument("--out", type=Path, default=None, help=f"output directory (default {SAMPLE_DIR})")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        stories = load_stories(args.stories)
        if args.check:
            problems = validate(stories)
            if problems:
                raise SampleError(f"{len(problems)} problem(s) in sample stories:\n  " + "\n  ".join(problems))
            print(f"{len(stories)} stories valid")
            return 0
        build(args.out, args.stories)
        out = args.out or SAMPLE_DIR
        print(f"rendered {len(stories)} stories into {out / 'data'} and {out / 'gold.json'}")
        return 0
    except SampleError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
