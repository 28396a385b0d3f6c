"""A static HTML review report: look at what the pipeline aligned and flagged, offline.

Layout (one folder, no network needed — no CDN, no external fonts)::

    index.html          summary, plots (score histograms, flags by type and by section), a filterable
                        table of document pairs
    pairs/<doc_id>.html one page per pair: both editions side by side bead by bead, flag evidence spans
                        highlighted by type, the alignment path as SVG, filters by flag type and score
    assets/report.css, assets/report.js   shared style and the small vanilla-JS filter

One page per pair keeps every page small, so the report stays usable for thousands of pairs. Every
piece of article text (titles, sentences, URLs, flag details) is untrusted web text and goes through
``html.escape``; links are only made for http(s) URLs. Plots are inline SVG generated here.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

import click

from .records import FLAG_TYPES

# one colour per flag type (colour-blind-friendly-ish palette); unknown types fall back to grey
TYPE_COLORS: dict[str, str] = dict(zip(FLAG_TYPES, (
    "#d62728", "#2ca02c", "#ff7f0e", "#e6b800", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#1f77b4", "#7f7f7f",
)))
DEFAULT_COLOR = "#999999"


class ReportError(Exception):
    """Nothing to report or an unwritable output folder: one line."""


def esc(s) -> str:
    """HTML-escape untrusted text; control characters HTML forbids become U+FFFD (length-preserving)."""
    from .export.base import clean_xml_text

    return html.escape(clean_xml_text(str(s)), quote=True)


def _cls(t: str) -> str:
    """A flag type as a CSS class name (types are ours, but never trust a string into markup)."""
    return "t-" + re.sub(r"[^a-z0-9_]", "", str(t).lower())


def safe_href(url: str) -> str | None:
    return esc(url) if re.match(r"^https?://", url or "", re.I) else None


def link(url: str, text: str | None = None) -> str:
    h = safe_href(url)
    label = esc(text if text is not None else url)
    return f'<a href="{h}" rel="noopener noreferrer">{label}</a>' if h else label


# ---------------------------------------------------------------------------- text highlighting
def highlight(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """Escape ``text`` and wrap the character ranges of ``marks`` — (start, end, type, tooltip) — in
    ``<mark>`` elements coloured by flag type. Overlapping spans are split at every boundary; a
    segment covered by several flags carries all their types."""
    n = len(text)
    marks = [(max(0, min(n, a)), max(0, min(n, b)), t, tip) for a, b, t, tip in marks]
    marks = [m for m in marks if m[1] > m[0]]
    if not marks:
        return esc(text)
    cuts = sorted({0, n, *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        seg = esc(text[a:b])
        cover = [m for m in marks if m[0] <= a and b <= m[1]]
        if cover:
            types = list(dict.fromkeys(m[2] for m in cover))
            tips = "; ".join(dict.fromkeys(m[3] for m in cover))
            out.append(f'<mark class="{" ".join(_cls(t) for t in types)}" title="{esc(tips)}">{seg}</mark>')
        else:
            out.append(seg)
    return "".join(out)


# ---------------------------------------------------------------------------- SVG plots
def svg_histogram(values: list[float], *, title: str, bins: int = 20, width: int = 380, height: int = 170,
                  color: str = "#4c78a8") -> str:
    if not values:
        return f'<figure class="plot"><figcaption>{esc(title)}</figcaption><p class="muted">no data</p></figure>'
    lo, hi = min(0.0, min(values)), max(1.0, max(values))
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / span * bins))] += 1
    top = max(counts)
    pl, pb, pt = 34, 22, 8
    w, h = width - pl - 18, height - pb - pt
    bw = w / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(title)}">']
    for i, c in enumerate(counts):
        bh = h * c / top if top else 0
        x0 = lo + span * i / bins
        parts.append(f'<rect x="{pl + i * bw:.1f}" y="{pt + h - bh:.1f}" width="{max(bw - 1, 1):.1f}" height="{bh:.1f}" '
                     f'fill="{color}"><title>{x0:.2f}–{x0 + span / bins:.2f}: {c}</title></rect>')
    parts.append(f'<line x1="{pl}" y1="{pt + h}" x2="{pl + w}" y2="{pt + h}" stroke="#333"/>')
    parts.append(f'<line x1="{pl}" y1="{pt}" x2="{pl}" y2="{pt + h}" stroke="#333"/>')
    for frac in (0, 0.5, 1):
        x = pl + w * frac
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" font-size="10" text-anchor="middle">{lo + span * frac:.2f}</text>')
    parts.append(f'<text x="{pl - 4}" y="{pt + 8}" font-size="10" text-anchor="end">{top}</text>')
    parts.append(f'<text x="{pl - 4}" y="{pt + h}" font-size="10" text-anchor="end">0</text></svg>')
    return f'<figure class="plot"><figcaption>{esc(title)} (n={len(values)})</figcaption>{"".join(parts)}</figure>'


def svg_bars(counts: dict[str, int], *, title: str, width: int = 380, colors: dict[str, str] | None = None,
             link_param: str | None = None) -> str:
    if not counts:
        return f'<figure class="plot"><figcaption>{esc(title)}</figcaption><p class="muted">no flags</p></figure>'
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    top = max(v for _, v in items) or 1
    row, label_w = 18, 170
    height = row * len(items) + 8
    bar_w = width - label_w - 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{esc(title)}">']
    for i, (k, v) in enumerate(items):
        y = 4 + i * row
        c = (colors or {}).get(k, "#4c78a8")
        bw = bar_w * v / top
        label = f'<text x="{label_w - 6}" y="{y + 12}" font-size="11" text-anchor="end">{esc(k or "(none)")}</text>'
        if link_param:  # click a bar label: filter the pair table below to it
            label = f'<a href="#{link_param}={esc(quote(k))}">{label}</a>'
        parts.append(label)
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bw:.1f}" height="{row - 5}" fill="{c}"><title>{esc(k)}: {v}</title></rect>')
        parts.append(f'<text x="{label_w + bw + 4:.1f}" y="{y + 12}" font-size="11">{v}</text>')
    parts.append("</svg>")
    return f'<figure class="plot"><figcaption>{esc(title)}</figcaption>{"".join(parts)}</figure>'


def svg_alignment_path(n_src: int, n_tgt: int, beads, flags, *, src_lang: str, tgt_lang: str, size: int = 300) -> str:
    """The alignment as boxes on the (source sentence × target sentence) grid, coloured by the
    bead's first flag type; null beads are ticks on the axis of the side that has them."""
    ns, nt = max(n_src, 1), max(n_tgt, 1)
    pad = 26
    cell = min(size / ns, size / nt)
    W, H = pad + ns * cell + 8, pad + nt * cell + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W:.0f}" height="{H:.0f}" class="path" role="img" '
             f'aria-label="alignment path">',
             f'<rect x="{pad}" y="{pad}" width="{ns * cell:.1f}" height="{nt * cell:.1f}" fill="#f7f7f7" stroke="#bbb"/>',
             f'<text x="{pad}" y="12" font-size="11">{esc(src_lang)} sentences →</text>',
             f'<text x="10" y="{pad}" font-size="11" transform="rotate(90 10 {pad})">{esc(tgt_lang)} sentences →</text>']
    for i, (b, fl) in enumerate(zip(beads, flags)):
        color = TYPE_COLORS.get(fl[0].type, DEFAULT_COLOR) if fl else "#4c78a8"
        tip = esc(f"bead {i} {b.kind} score {b.score:.3f}" + (f" — {', '.join(f.type for f in fl)}" if fl else ""))
        if b.src and b.tgt:
            x, y = pad + min(b.src) * cell, pad + min(b.tgt) * cell
            w, h = (max(b.src) - min(b.src) + 1) * cell, (max(b.tgt) - min(b.tgt) + 1) * cell
            parts.append(f'<a href="#b{i}"><rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 1.5):.1f}" height="{max(h, 1.5):.1f}" '
                         f'fill="{color}" fill-opacity="0.85"><title>{tip}</title></rect></a>')
        elif b.src:
            x, w = pad + min(b.src) * cell, (max(b.src) - min(b.src) + 1) * cell
            parts.append(f'<a href="#b{i}"><rect x="{x:.1f}" y="{pad - 7}" width="{max(w, 1.5):.1f}" height="5" fill="{color}">'
                         f'<title>{tip}</title></rect></a>')
        elif b.tgt:
            y, h = pad + min(b.tgt) * cell, (max(b.tgt) - min(b.tgt) + 1) * cell
            parts.append(f'<a href="#b{i}"><rect x="{pad - 7}" y="{y:.1f}" width="5" height="{max(h, 1.5):.1f}" fill="{color}">'
                         f'<title>{tip}</title></rect></a>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------- pages
CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fff}
header.top{background:#243447;color:#fff;padding:10px 18px}header.top a{color:#cde}
main{padding:12px 18px}h1{font-size:20px;margin:4px 0}h2{font-size:16px;margin:18px 0 6px}
.muted{color:#777}.plots{display:flex;flex-wrap:wrap;gap:14px}.plot{margin:0;border:1px solid #ddd;padding:6px;border-radius:4px}
figcaption{font-weight:600;font-size:12px;margin-bottom:4px}
.filters{position:sticky;top:0;background:#f4f6f8;border:1px solid #dde;padding:6px 10px;margin:8px 0;z-index:2;
 display:flex;flex-wrap:wrap;gap:10px;align-items:center}
.filters label{white-space:nowrap}.filters .types{display:flex;flex-wrap:wrap;gap:6px}
.chip{display:inline-block;border-radius:3px;padding:0 5px;font-size:12px;color:#fff;background:#999;margin:1px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e3e3e3;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#fafafa;position:sticky;top:44px}td.num{text-align:right;font-variant-numeric:tabular-nums}
table.beads td.txt{width:40%;white-space:pre-wrap}tr.null td.txt:empty::after{content:"∅";color:#aaa}
tr.flagged{background:#fffdf3}mark{padding:0 1px;border-radius:2px;background:#ffe08a}
.meta{display:grid;grid-template-columns:1fr 1fr;gap:10px}.meta div{border:1px solid #ddd;padding:6px;border-radius:4px}
.flaglist{font-size:12px}.flaglist code{font-size:11px;color:#555;word-break:break-all}
nav.pn a{margin-right:12px}details pre{white-space:pre-wrap;font-size:12px;background:#f7f7f7;padding:6px}
.count{font-weight:600}
""" + "".join(
    f".chip.{_cls(t)}{{background:{c}}}mark.{_cls(t)}{{background:{c}33;border-bottom:2px solid {c}}}" for t, c in TYPE_COLORS.items()
)

JS = r"""/* tasscorpus report filters: no dependencies, no network. Rows carry data-flags (space-separated
   flag types) and data-score; the filter UI is built from them. Text goes in via textContent only. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    var table = document.querySelector("table.filterable");
    var bar = document.querySelector(".filters");
    if (!table || !bar) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var counts = {};
    rows.forEach(function (r) {
      (r.getAttribute("data-flags") || "").split(" ").forEach(function (t) { if (t) counts[t] = (counts[t] || 0) + 1; });
    });
    var box = bar.querySelector(".types");
    Object.keys(counts).sort().forEach(function (t) {
      var lab = document.createElement("label");
      var cb = document.createElement("input");
      cb.type = "checkbox"; cb.value = t; cb.className = "ftype";
      var chip = document.createElement("span");
      chip.className = "chip t-" + t.toLowerCase().replace(/[^a-z0-9_]/g, "");
      chip.textContent = t + " (" + counts[t] + ")";
      lab.appendChild(cb); lab.appendChild(chip); box.appendChild(lab);
    });
    if (!Object.keys(counts).length) { box.textContent = "no flags"; }
    var minScore = bar.querySelector("#min-score"), onlyFlagged = bar.querySelector("#only-flagged"),
        q = bar.querySelector("#q"), counter = bar.querySelector(".count");
    function apply() {
      var checked = Array.prototype.slice.call(bar.querySelectorAll("input.ftype:checked")).map(function (c) { return c.value; });
      var min = parseFloat(minScore && minScore.value), text = q ? q.value.trim().toLowerCase() : "", shown = 0;
      rows.forEach(function (r) {
        var fl = (r.getAttribute("data-flags") || "").split(" ").filter(Boolean), ok = true;
        if (checked.length && !fl.some(function (t) { return checked.indexOf(t) >= 0; })) ok = false;
        if (onlyFlagged && onlyFlagged.checked && !fl.length) ok = false;
        if (!isNaN(min) && parseFloat(r.getAttribute("data-score")) < min) ok = false;
        if (text && r.textContent.toLowerCase().indexOf(text) < 0) ok = false;
        r.hidden = !ok; if (ok) shown++;
      });
      if (counter) counter.textContent = shown + " of " + rows.length + " shown";
    }
    // a view can be linked: #flags=omission,addition&min=0.5&flagged=1&q=text
    function fromHash() {
      var h = {};
      (location.hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("="); if (i > 0) h[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
      });
      if (!h.flags && !h.min && !h.flagged && !h.q) return;
      var want = (h.flags || "").split(",");
      Array.prototype.forEach.call(bar.querySelectorAll("input.ftype"), function (c) { c.checked = want.indexOf(c.value) >= 0; });
      if (minScore) minScore.value = h.min || "";
      if (onlyFlagged) onlyFlagged.checked = !!h.flagged;
      if (q) q.value = h.q || "";
    }
    bar.addEventListener("input", apply); bar.addEventListener("change", apply);
    window.addEventListener("hashchange", function () { fromHash(); apply(); });
    fromHash(); apply();
  });
})();
"""

SCRIPT_TAG = '<script src="{prefix}assets/report.js" id="tasscorpus-report-js"></script>'


def _page(title: str, body: str, *, prefix: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        # offline and inert: only our own script and style, nothing fetched from elsewhere
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; "
        "style-src 'self'; img-src 'self' data:\">"
        f"<title>{esc(title)}</title><link rel=\"stylesheet\" href=\"{prefix}assets/report.css\"></head><body>"
        f"{body}{SCRIPT_TAG.format(prefix=prefix)}</body></html>\n"
    )


def _filters(score_label: str, *, search: bool) -> str:
    return (
        '<div class="filters" role="search"><span>flag types:</span><span class="types"></span>'
        '<label><input type="checkbox" id="only-flagged"> only flagged</label>'
        f'<label>{esc(score_label)} ≥ <input type="number" id="min-score" step="0.05" min="-1" max="2" size="5"></label>'
        + ('<label>search <input type="search" id="q" size="18"></label>' if search else "")
        + '<span class="count"></span></div>'
    )


def _chips(types: list[str]) -> str:
    return "".join(f'<span class="chip {_cls(t)}">{esc(t)}</span>' for t in types)


def _pair_page(pd, *, prev_id: str | None, next_id: str | None) -> str:
    from .export.rows import side_text

    src, tgt, p = pd.src, pd.tgt, pd.pair
    rows = []
    for i, (b, fl) in enumerate(zip(pd.beads, pd.flags)):
        s_text, t_text = side_text(pd.src_sents, b.src), side_text(pd.tgt_sents, b.tgt)
        s_marks, t_marks = [], []
        for f in fl:
            tip = f"{f.type} ({f.severity}, {f.score:.2f})"
            s_marks += [(sp.start, sp.end, f.type, tip) for sp in f.src_spans]
            t_marks += [(sp.start, sp.end, f.type, tip) for sp in f.tgt_spans]
        types = list(dict.fromkeys(f.type for f in fl))
        flag_items = "".join(
            f'<div><span class="chip {_cls(f.type)}">{esc(f.type)}</span> {esc(f.severity)} {f.score:.2f}'
            + (f' <code>{esc(json.dumps(f.detail, ensure_ascii=False))}</code>' if f.detail else "") + "</div>"
            for f in fl
        )
        cls = " ".join(c for c in ("flagged" if fl else "", "null" if not (b.src and b.tgt) else "") if c)
        rows.append(
            f'<tr id="b{i}" class="{cls}" data-flags="{esc(" ".join(types))}" data-score="{b.score:.4f}">'
            f'<td class="num">{i}</td><td>{esc(b.kind)}</td><td class="num">{b.score:.3f}</td>'
            f'<td class="txt" lang="{esc(src.lang)}">{highlight(s_text, s_marks)}</td>'
            f'<td class="txt" lang="{esc(tgt.lang)}">{highlight(t_text, t_marks)}</td>'
            f'<td class="flaglist">{flag_items}</td></tr>'
        )
    nav = ['<a href="../index.html">← all pairs</a>']
    if prev_id:
        nav.append(f'<a href="{esc(prev_id)}.html">‹ previous</a>')
    if next_id:
        nav.append(f'<a href="{esc(next_id)}.html">next ›</a>')

    def meta(a) -> str:
        return (f'<div lang="{esc(a.lang)}"><strong>{esc(a.title)}</strong><br>{link(a.url)}<br>'
                f'<span class="muted">{esc(a.published)} · {esc(a.section)} · {esc(a.edition)} · '
                f'{len(pd.src_sents) if a is src else len(pd.tgt_sents)} sentences</span></div>')

    n_flags = sum(len(f) for f in pd.flags)
    body = (
        f'<header class="top"><nav class="pn">{"".join(nav)}</nav><h1>{esc(src.title)}</h1></header><main>'
        f'<div class="meta">{meta(src)}{meta(tgt)}</div>'
        f'<p>pair score {p.score:.3f} ({esc(p.kind)}) · {len(pd.beads)} beads · {n_flags} flags · doc id <code>{esc(pd.doc_id)}</code></p>'
        f'<h2>Alignment path</h2>{svg_alignment_path(len(pd.src_sents), len(pd.tgt_sents), pd.beads, pd.flags, src_lang=src.lang, tgt_lang=tgt.lang)}'
        f'<h2>Beads</h2>{_filters("bead score", search=True)}'
        f'<table class="beads filterable"><thead><tr><th>#</th><th>type</th><th>score</th><th>{esc(src.lang)}</th>'
        f'<th>{esc(tgt.lang)}</th><th>flags</th></tr></thead><tbody>{"".join(rows)}</tbody></table></main>'
    )
    return _page(f"{src.title} — tasscorpus report", body, prefix="../")


def _index_page(summaries: list[dict], plots: str, info: dict, counts: dict) -> str:
    rows = []
    for s in summaries:
        types = sorted(s["types"])
        rows.append(
            f'<tr data-flags="{esc(" ".join(types))}" data-score="{s["score"]:.4f}">'
            f'<td>{esc(s["published"][:16])}</td><td>{esc(s["section"])}</td>'
            f'<td lang="{esc(s["src_lang"])}"><a href="pairs/{esc(s["doc_id"])}.html">{esc(s["src_title"])}</a></td>'
            f'<td lang="{esc(s["tgt_lang"])}">{esc(s["tgt_title"])}</td>'
            f'<td class="num">{s["score"]:.3f}</td><td class="num">{s["beads"]}</td><td class="num">{s["mean_bead"]:.3f}</td>'
            f'<td>{_chips(types)}<span class="muted">{s["n_flags"] or ""}</span></td></tr>'
        )
    sig = info.get("signature")
    body = (
        '<header class="top"><h1>tasscorpus review report</h1>'
        f'<div>{len(summaries)} document pairs · {counts["beads"]} beads · {counts["flags"]} flags · '
        f'{esc(", ".join(info.get("sources", [])))} · '
        f'{esc(" … ".join(info["date_range"]) if info.get("date_range") else "")}</div></header><main>'
        f'<h2>Overview</h2><div class="plots">{plots}</div>'
        '<details><summary>Reproducibility signature</summary><pre>'
        f'{esc(json.dumps(sig, ensure_ascii=False, indent=2, sort_keys=True)) if sig is not None else "(no signature in the store)"}'
        '</pre></details>'
        f'<h2>Document pairs</h2>{_filters("pair score", search=True)}'
        '<table class="pairs filterable"><thead><tr><th>published</th><th>section</th><th>source title</th><th>target title</th>'
        '<th>pair score</th><th>beads</th><th>mean bead score</th><th>flags</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></main>'
    )
    return _page("tasscorpus review report", body)


def write_report(store, out, *, quiet: bool = False) -> Path:
    """Write the report into the folder ``out`` (atomically, like the exports); return the path of
    ``index.html``. Raises :class:`ReportError` when the store holds no aligned pairs."""
    from .export.atomic import staging
    from .export.rows import iter_pair_data, store_info
    from .progress import progress

    pairs = store.pairs()
    aligned = {r[0] for r in store.db.execute("SELECT DISTINCT pair_id FROM beads")}
    pairs = [p for p in pairs if p.id in aligned]
    if not pairs:
        raise ReportError("store has no aligned document pairs: run `tasscorpus build` first")
    # order by the source article's publication time
    pub = {a.id: a.published for a in store.articles(status=None)}
    pairs.sort(key=lambda p: (pub.get(p.src_id, ""), p.id))
    info = store_info(store)
    out = Path(out)
    try:
        with staging(out) as tmp:
            (tmp / "assets").mkdir()
            (tmp / "assets" / "report.css").write_text(CSS, encoding="utf-8")
            (tmp / "assets" / "report.js").write_text(JS, encoding="utf-8")
            (tmp / "pairs").mkdir()
            # doc ids first, so pages can link to their neighbours
            from .export.rows import doc_id

            urls = {a.id: a.url for a in store.articles(status=None)}
            ids = [doc_id(urls[p.src_id], urls[p.tgt_id]) for p in pairs]
            summaries, bead_scores, pair_scores = [], [], []
            by_type: Counter = Counter()
            by_section: Counter = Counter()
            section_type: dict[str, Counter] = defaultdict(Counter)
            n_beads = 0
            for k, pd in enumerate(progress(iter_pair_data(store, pairs), desc="report", total=len(pairs), quiet=quiet)):
                page = _pair_page(pd, prev_id=ids[k - 1] if k else None, next_id=ids[k + 1] if k + 1 < len(ids) else None)
                (tmp / "pairs" / f"{pd.doc_id}.html").write_text(page, encoding="utf-8")
                types: set[str] = set()
                nf = 0
                for fl in pd.flags:
                    for f in fl:
                        types.add(f.type)
                        by_type[f.type] += 1
                        by_section[pd.src.section or "(none)"] += 1
                        section_type[pd.src.section or "(none)"][f.type] += 1
                        nf += 1
                bead_scores += [b.score for b in pd.beads]
                pair_scores.append(pd.pair.score)
                n_beads += len(pd.beads)
                summaries.append({
                    "doc_id": pd.doc_id, "published": pd.src.published, "section": pd.src.section,
                    "src_title": pd.src.title, "tgt_title": pd.tgt.title, "src_lang": pd.src.lang,
                    "tgt_lang": pd.tgt.lang, "score": pd.pair.score, "beads": len(pd.beads),
                    "mean_bead": sum(b.score for b in pd.beads) / len(pd.beads), "types": types, "n_flags": nf,
                })
            plots = (
                svg_histogram(bead_scores, title="Bead alignment scores")
                + svg_histogram(pair_scores, title="Document pair scores", color="#72b7b2")
                + svg_bars(dict(by_type), title="Flags by type (click to filter)", colors=TYPE_COLORS, link_param="flags")
                + svg_bars(dict(by_section), title="Flags by section")
                + _section_table(section_type)
            )
            counts = {"beads": n_beads, "flags": sum(by_type.values())}
            (tmp / "index.html").write_text(_index_page(summaries, plots, info, counts), encoding="utf-8")
    except OSError as e:
        raise ReportError(f"cannot write report to {out}: {e.strerror or e}") from None
    return out / "index.html"


def _section_table(section_type: dict[str, Counter]) -> str:
    if not section_type:
        return ""
    types = sorted({t for c in section_type.values() for t in c})
    head = "".join(f'<th><span class="chip {_cls(t)}">{esc(t)}</span></th>' for t in types)
    body = "".join(
        f"<tr><td>{esc(sec)}</td>" + "".join(f'<td class="num">{c.get(t, 0) or ""}</td>' for t in types) + "</tr>"
        for sec, c in sorted(section_type.items())
    )
    return (f'<figure class="plot"><figcaption>Flags by section and type</figcaption>'
            f'<table><thead><tr><th>section</th>{head}</tr></thead><tbody>{body}</tbody></table></figure>')


@click.command("report")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (created); open OUT/index.html.")
@click.pass_context
def report_cmd(ctx, out):
    """Write a static HTML review report: editions side by side, flagged differences, plots."""
    from .export.cli import open_existing_store

    with open_existing_store(ctx, readonly=True) as store:
        try:
            path = write_report(store, out, quiet=bool(getattr(ctx.obj, "quiet", False)))
        except ReportError as e:
            raise click.ClickException(str(e)) from None
    click.echo(f"wrote report {path}")
