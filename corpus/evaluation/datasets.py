"""Readers of the evaluation sets in ``../shared/eval`` and the seeded perturbation suite built from WMT21.

Used by ``scripts/eval_flags.py`` (which scores the flag detectors on them); each reader returns plain lists and
dicts, nothing is scored here. The sets' layouts are described in each folder's SOURCE.txt; the suite's protocol in
the script's docstring. ``in_dev`` splits documents (or pairs) into dev and test halves by a hash of their key.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from pathlib import Path

PERTURB_TO_TYPE = {"number": "number_changed", "date": "date_changed", "name": "name_changed",
                   "negation": "negation_or_polarity", "modality": "intensity_or_modality_shift",
                   "drop_clause": "omission", "add_sentence": "addition", "add_clause": "addition",
                   "framing": "framing_shift"}
# kinds that add or drop text: their beads are neither positives nor negatives for the other types
TEXT_KINDS = ("add_sentence", "add_clause", "drop_clause")
ADD_CLAUSE_RATE = 0.125  # share of the otherwise unperturbed lines that get an added clause


def in_dev(key: str) -> bool:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0



# ----------------------------------------------------------------------------- WMT21 documents
def wmt21_docs(shared: Path, limit: int | None, include_ted: bool = False):
    """The WMT21 ru-en documents. By default only the news documents: the nine ``tsuite-tedtalks-*`` documents
    (843 of the 1,843 lines) are TED talks whose Russian is itself a translation of the English talk, not
    Russian news like TASS, and their references are loose; ``include_ted`` keeps them."""
    base = shared / "eval" / "wmt21_newstest2021_ruen" / "docs"
    ids = sorted(json.loads(l)["doc_id"] for l in (base / "index.jsonl").read_text().splitlines() if l.strip())
    if not include_ted:
        ids = [d for d in ids if not d.startswith("tsuite-")]
    out = []
    for d in ids:
        p = base / d
        src = (p / "src.ru").read_text(encoding="utf-8").splitlines()
        a = (p / "ref.A.en").read_text(encoding="utf-8").splitlines()
        b = (p / "ref.B.en").read_text(encoding="utf-8").splitlines() if (p / "ref.B.en").exists() else []
        out.append((d, src, a, b))
    if limit:
        # a bounded run keeps dev and test documents in balance
        dev = [x for x in out if in_dev(x[0])][: (limit + 1) // 2]
        test = [x for x in out if not in_dev(x[0])][: limit // 2]
        out = sorted(dev + test)
    return out


# ----------------------------------------------------------------------------- perturbations (English side)
_AUX = re.compile(r"\b(is|are|was|were|will|would|can|could|has|have|had|should|does|do|did)\s+(?!not\b|n't)")
_NEG = re.compile(r"\b(?:not|never)\s+|n't\b")
_MODAL_SWAPS = [(r"\bwill\b", "might"), (r"\bsaid\b", "hinted"), (r"\bmust\b", "may"), (r"\bcan\b", "must"),
                (r"\bis\b", "is probably"), (r"\bwas\b", "was allegedly"), (r"\bare\b", "are likely"),
                (r"\bhas\b", "has reportedly"), (r"\bstated\b", "suggested"), (r"\breported\b", "hinted")]


def _p_number(en, rng, ctx):
    from align.normalize import dates, numbers

    if not re.search(r"\d", ctx["ru"]) and not numbers(ctx["ru"], "ru"):
        return None  # a translator can only garble a number the source has
    ds = dates(en, "en")
    cands = [n for n in numbers(en, "en") if n.kind == "number" and re.search(r"[1-9]", n.text)
             and not any(not (n.end <= d.start or n.start >= d.end) for d in ds)]
    if not cands:
        return None
    n = rng.choice(cands)
    m = re.search(r"[1-9]", n.text)
    old = m.group()
    new = rng.choice([d for d in "123456789" if d != old])
    s = n.start + m.start()
    return en[:s] + new + en[s + 1:]


def _p_date(en, rng, ctx):
    from align.normalize import dates

    ds = [d for d in dates(en, "en") if d.kind in ("date", "year", "month", "weekday")]
    if not ds:
        return None
    d = rng.choice(ds)
    t = d.text
    if d.kind == "date":
        m = re.search(r"\d{1,2}", t)
        day = int(m.group())
        nd = day + rng.choice([1, 2, 3]) if day <= 25 else day - rng.choice([1, 2, 3])
        t2 = t[:m.start()] + str(nd) + t[m.end():]
    elif d.kind == "year":
        t2 = str(int(t) + rng.choice([-2, -1, 1]))
    elif d.kind == "month":
        months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December"]
        new = rng.choice([x for i, x in enumerate(months) if i + 1 != d.month])
        t2 = re.sub(r"^[A-Za-z]+\.?", new, t)
    else:
        days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        t2 = rng.choice([x for i, x in enumerate(days) if i != d.weekday])
    return en[:d.start] + t2 + en[d.end:]


def _rendered_names(ru, en):
    """English name mentions that render a name of the Russian line (same key or a close spelling): the
    names a translator could get wrong. Sentence-initial words and exonym-table entries are skipped."""
    from align.normalize import name_tokens, names_match

    ru_names = [m for m in name_tokens(ru, "ru") if m.kind in ("person", "place", "name")]
    out = []
    for n in name_tokens(en, "en"):
        if n.key.startswith("=") or len(n.text) < 4 or not n.text.isalpha() or not n.text[1:].islower():
            continue
        if _is_initial(en, n.start):
            continue
        if any(names_match(n, m) >= 0.75 for m in ru_names):
            out.append(n)
    return out


def _p_name(en, rng, ctx):
    """Swap a name rendered from the Russian (a person or place) for another real name seen rendered
    elsewhere in the suite, so the perturbation is a plausible wrong name, not a random capitalised word."""
    from align.normalize import NameMention, name_key, name_tokens, names_match

    ns = _rendered_names(ctx["ru"], en)
    if not ns:
        return None
    n = rng.choice(ns)
    ru_names = name_tokens(ctx["ru"], "ru")
    pool = [p for p in ctx["name_pool"] if p.lower() != n.text.lower()]
    rng.shuffle(pool)
    for p in pool[:50]:
        lem, key = name_key(p, "en")
        m = NameMention(0, len(p), p, lem, key)
        # a different name, and not one that happens to be in the Russian line
        if names_match(n, m) < 0.6 and not any(names_match(m, r) >= 0.6 for r in ru_names):
            return en[:n.start] + p + en[n.end:]
    return None


def _is_initial(text, i):
    return i == 0 or bool(re.search(r"[.!?]\s+$", text[:i]))


def _p_negation(en, rng, ctx):
    negs = list(_NEG.finditer(en))
    if negs and rng.random() < 0.5:
        m = rng.choice(negs)
        return (en[:m.start()] + en[m.end():]).replace("  ", " ")
    auxs = list(_AUX.finditer(en))
    if not auxs:
        if negs:
            m = rng.choice(negs)
            return (en[:m.start()] + en[m.end():]).replace("  ", " ")
        return None
    m = rng.choice(auxs)
    return en[:m.end(1)] + " not" + en[m.end(1):]


def _p_modality(en, rng, ctx):
    opts = [(p, r) for p, r in _MODAL_SWAPS if re.search(p, en)]
    if not opts:
        return None
    p, r = rng.choice(opts)
    ms = list(re.finditer(p, en))
    m = rng.choice(ms)
    return en[:m.start()] + r + en[m.end():]


def _p_drop_clause(en, rng, ctx):
    # a comma-delimited stretch of >= 4 words, not the whole sentence
    cuts = [m.start() for m in re.finditer(r",", en)]
    if not cuts:
        return None
    bounds = [0] + [c + 1 for c in cuts] + [len(en)]
    segs = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    segs = [(a, b) for a, b in segs if len(en[a:b].split()) >= 4]
    if len(segs) < 2:
        return None
    a, b = rng.choice(segs)
    if b - a > 0.6 * len(en):
        return None
    out = en[:a] + en[b:]
    out = re.sub(r",\s*$", "", out.rstrip())
    out = re.sub(r"\s*,\s*([.!?])$", r"\1", out)
    out = re.sub(r",\s*,", ",", out).strip()
    if out and out[-1] not in ".!?\"»" and en.rstrip()[-1:] in ".!?":
        out = out.rstrip(",;: ") + en.rstrip()[-1]
    return out[0].upper() + out[1:] if out else None


def _p_add_sentence(en, rng, ctx):
    pool = ctx["sentence_pool"]
    s = rng.choice(pool)
    sep = "" if en.rstrip()[-1:] in ".!?\"»" else "."
    return en.rstrip() + sep + " " + s


def clause_pool(lines) -> list[str]:
    """Comma-delimited stretches of 4-12 words inside ``lines`` (not a sentence's first stretch, which is
    usually its subject), without brackets or quotes that would be left open."""
    out = []
    for line in lines:
        segs = [x.strip() for x in line.rstrip(".!?").split(",")]
        for seg in segs[1:]:
            n = len(seg.split())
            if 4 <= n <= 12 and not re.search(r"[()\[\]\"«»“”]", seg):
                out.append(seg)
    return out


def _p_add_clause(en, rng, ctx):
    e = en.rstrip()
    if e[-1:] not in (".", "!", "?") or not ctx["clause_pool"]:
        return None
    return e[:-1].rstrip(",;: ") + ", " + rng.choice(ctx["clause_pool"]) + e[-1]


def _p_framing(en, rng, ctx):
    from align.flags.lexical import _lexicon

    for e in _lexicon(None):
        if e.en_loaded is None or e.en_neutral is None:
            continue
        m = e.en_loaded.search(en)
        if m and e.ru is not None and e.ru.search(ctx["ru"]):
            alt = e.en_neutral.pattern.split("(?:", 1)[1].rsplit(")", 1)[0].split("|")[0].replace("\\s+", " ")
            alt = re.sub(r"[\\?*()]", "", alt)
            return en[:m.start()] + alt + en[m.end():]
    return None


PERTURBATIONS = {"number": _p_number, "date": _p_date, "name": _p_name, "negation": _p_negation,
                 "modality": _p_modality, "drop_clause": _p_drop_clause, "add_sentence": _p_add_sentence,
                 "framing": _p_framing}


def build_suite(docs, seed: int, rate: float):
    """Per line: None (control) or one perturbation of the English side, seeded by (seed, doc, line)."""
    # names that render a Russian name somewhere in the suite (real person/place names, not capitalised words)
    name_pool = sorted({n.text for _, src, a, _ in docs for ru, line in zip(src, a) for n in _rendered_names(ru, line)})
    items = []
    kinds = list(PERTURBATIONS)
    for d, src, a, _ in docs:
        others = [l for d2, _, a2, _ in docs if d2 != d for l in a2 if 40 <= len(l) <= 160 and l.endswith(".")]
        clauses = clause_pool(others[:400])
        for k, (ru, en) in enumerate(zip(src, a)):
            rng = random.Random(f"{seed}:{d}:{k}")
            ctx = {"name_pool": name_pool, "sentence_pool": others[:400] or ["The talks will continue next week."],
                   "clause_pool": clauses, "ru": ru}
            kind, new = None, en
            if rng.random() < rate:
                # uniform over the perturbations that apply to this line; framing (rarely applicable) first.
                # Each perturbation draws from its own generator, so whether one kind applies (which depends
                # on the normaliser under test, e.g. for names) does not reshuffle the other kinds' draws.
                options = {}
                for kd in kinds:
                    out = PERTURBATIONS[kd](en, random.Random(f"{seed}:{d}:{k}:{kd}"), ctx)
                    if out and out != en:
                        options[kd] = out
                if options:
                    # framing first when it applies; the always-applicable additions only when nothing else does
                    pool = sorted(k for k in options if k != "add_sentence") or ["add_sentence"]
                    if "add_sentence" in options and rng.random() < 1 / len(kinds):
                        pool = ["add_sentence"]
                    kind = "framing" if "framing" in options else rng.choice(pool)
                    new = options[kind]
            if kind is None:
                # a line the draw above left alone may get an added clause; its own generator leaves the rest as it was
                r2 = random.Random(f"{seed}:{d}:{k}:add_clause")
                if r2.random() < ADD_CLAUSE_RATE:
                    out = _p_add_clause(en, r2, ctx)
                    if out and out != en:
                        kind, new = "add_clause", out
            items.append({"doc": d, "line": k, "ru": ru, "en": new, "orig": en, "kind": kind})
    return items


def reference_differences(path: Path) -> set[tuple[str, int, str]]:
    """(doc, line, type) of the WMT21 lines whose reference A already differs from the source in that type
    (adjudicated by hand; the file says how)."""
    out = set()
    for row in path.read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            doc, line, typ = row.split("\t")[:3]
            out.add((doc, int(line), typ))
    return out


# ----------------------------------------------------------------------------- sentence-level sets
def refresd_rows(shared: Path) -> list[tuple[str, str, str]]:
    """REFreSD en-fr: (label, English, French) per sentence pair."""
    rows = []
    with open(shared / "eval" / "refresd_enfr" / "REFreSD_sentence_labels", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            rows.append((c[1], c[2], c[3]))
    return rows


def exsemdiv_pairs(shared: Path, code: str) -> tuple[list[tuple[str, str]], list[int]]:
    """Ex-SemDiv (``code``: fra_Latn, spa_Latn): (en, other) pairs and labels, 1 = meaning edit, 0 = paraphrase."""
    base = shared / "eval" / "exsemdiv_briakou2023"
    pairs, y = [], []
    for suffix, lab in (("edits", 1), ("paraphrase", 0)):
        for line in (base / f"{code}.devtest.equivalents.chatgpt.{suffix}_alignments").read_text(
                encoding="utf-8").splitlines():
            c = line.split("\t")
            if len(c) >= 2:
                pairs.append((c[0], c[1]))
                y.append(lab)
    return pairs, y


def semdiverge_pairs(shared: Path, name: str) -> tuple[list[tuple[str, str]], list[bool]]:
    """Vyas 2018 en-fr (``name``: commoncrawl, opensubs): (en, fr) pairs and labels, True = divergent."""
    pairs, y = [], []
    for line in (shared / "eval" / "semdiverge_vyas2018_enfr" / f"{name}.test").read_text(encoding="utf-8").splitlines():
        c = line.split("\t")
        if len(c) >= 3:
            pairs.append((c[0], c[1]))
            y.append(c[2].strip() == "0")  # 0 = divergent
    return pairs, y


def ced_wmt22(shared: Path, lp: str) -> tuple[list[str], list[str], list[bool]]:
    """WMT22 critical-error detection test set of ``lp`` (en-de, pt-en): sources, MT outputs, labels (True = BAD)."""
    d = shared / "eval" / "wmt22_qe_ced_ende_pten" / lp
    src = (d / "test.2022.src").read_text(encoding="utf-8").splitlines()
    mt = (d / "test.2022.mt").read_text(encoding="utf-8").splitlines()
    lab = [l.strip() == "BAD" for l in (d / f"test.2022.{lp}.label").read_text().splitlines()]
    return src, mt, lab


def ced_wmt21_ende(shared: Path) -> list[tuple[str, str, bool]]:
    """WMT21 critical-error detection en-de test set: (source, MT output, True = ERR) with a gold label."""
    base = shared / "eval" / "wmt21_ced_mlqepe"
    gold = {}
    for line in (base / "ende_majority_test_goldlabels.txt").read_text(encoding="utf-8").splitlines():
        c = line.split("\t")
        if len(c) >= 4:
            gold[c[2]] = c[3].strip() == "ERR"
    rows = []
    with open(base / "ende_majority_test_blind.tsv", encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) >= 3 and c[0] in gold:
                rows.append((c[1], c[2], gold[c[0]]))
    return rows


# ----------------------------------------------------------------------------- MQM en→ru (token level)
MQM_MAP = {"Addition": "addition", "MT Hallucination": "addition", "Named Entity": "name_changed",
           "Wrong Transliteration": "name_changed", "Wrong Date/Time": "date_changed",
           "Wrong Unit Conversion": "number_changed", "Other POS omitted": "omission", "Omitted Preposition": "omission",
           "Omitted Conjunction": "omission", "Omitted Pronoun": "omission", "Omitted Auxiliary Verb": "omission"}




def mqm_segments(shared: Path) -> dict[tuple, dict]:
    """WMT22 QE en→ru MQM (train_2021_news): (system, doc, doc_id) → {src, tgt, spans: [(flag type, start, end)]},
    the error spans of the categories :data:`MQM_MAP` maps to a flag type, in target characters."""
    path = shared / "eval" / "wmt22_qe_enru_mqm" / "train_2021_news" / "mqm-newstest2021_enru.tsv"
    segs: dict[tuple, dict] = {}
    with open(path, encoding="utf-8") as f:
        rd = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rd)
        col = {h: i for i, h in enumerate(header)}
        for r in rd:
            if len(r) < len(header):
                continue
            key = (r[col["system"]], r[col["doc"]], r[col["doc_id"]])
            tgt_marked = r[col["target"]]
            seg = segs.setdefault(key, {"src": r[col["source"]], "tgt": re.sub(r"</?v>", "", tgt_marked), "spans": []})
            typ = MQM_MAP.get(r[col["category"]])
            m = re.search(r"<v>(.*?)</v>", tgt_marked)
            if typ and m:
                a = len(re.sub(r"</?v>", "", tgt_marked[:m.start()]))
                b = a + len(m.group(1))
                if b == a:  # an omission insertion point: mark the neighbouring token
                    b = a + 1
                seg["spans"].append((typ, a, b))
    return segs
