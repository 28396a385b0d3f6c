"""A static HTML review report: look at what the pipeline aligned and flagged, offline.

Layout (one folder, no network needed — no CDN, no external fonts)::

    index.html          labelled counts, legend of every colour, a filterable and sortable table of document
                        pairs, full-text search over every sentence, plots (score histograms, flags by type and by
                        section, a section × type table)
    unpaired.html       the articles of each edition that no pair holds (title, date, URL, status)
    flags.html          every flag of the corpus, most important first, explained, linked to its bead
    pairs/<doc_id>.html one page per pair: both editions side by side bead by bead, flag evidence spans
                        highlighted by type, each flag explained in plain language (``align.flags.explain``;
                        the raw detail behind a "details" toggle), flags most important first
                        (``corpus.records.flag_sort_key``), the alignment path as SVG, filters by flag type,
                        severity and score
    assets/report.css, assets/report.js   shared style and the small vanilla-JS filters, sort and search
    assets/search-index.js                 the sentences of every pair, for the search box on the index

One page per pair keeps every page small, so the report stays usable for thousands of pairs. Every
piece of article text (titles, sentences, URLs, flag details) is untrusted web text: it goes through
``html.escape`` in pages, is JSON-encoded with ``<``, ``>`` and ``&`` escaped in the search index, and the
script only ever inserts it with ``textContent``; links are only made for http(s) URLs. Plots are inline SVG
generated here. Pages fit a 1,280-pixel-wide window: tables wrap their text, and a wide table scrolls inside
its own box.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

import click

from align.flags.explain import SEVERITY_INFO, explain, type_info
from align.flags.registry import flag_type

from .records import SEVERITIES, flag_sort_key, flag_types


def type_colors() -> dict[str, str]:
    """Flag type → colour, as each type's detector declares it (``FlagType.colour``); unknown types are grey."""
    return {t: flag_type(t).colour for t in flag_types()}


def __getattr__(name: str):
    """``TYPE_COLORS`` (:func:`type_colors`) and ``CSS`` (:func:`css`), computed on access from the registry."""
    if name == "TYPE_COLORS":
        return type_colors()
    if name == "CSS":
        return css()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DEFAULT_COLOR = "#999999"
SEVERITY_COLORS: dict[str, str] = {"critical": "#b00020", "major": "#b85c00", "minor": "#5f6b7a"}
UNFLAGGED_COLOR = "#4c78a8"  # alignment path: a bead with no flag; also the bead-score histogram
PAIR_HIST_COLOR = "#72b7b2"  # the pair-score histogram
FLAGS_PAGE_LIMIT = 5000  # flags.html lists at most this many (the most important); pair pages hold every flag
_SENTINEL = (99,)  # sorts after every flag_sort_key tuple: a longer list of equally important flags ranks first


class ReportError(Exception):
    """Nothing to report or an unwritable output folder: one line."""


def esc(s) -> str:
    """HTML-escape untrusted text; control characters HTML forbids become U+FFFD (length-preserving)."""
    from .export.base import clean_xml_text

    return html.escape(clean_xml_text(str(s)), quote=True)


def _cls(t: str, prefix: str = "t-") -> str:
    """A flag type (or severity) as a CSS class name (ours, but never trust a string into markup)."""
    return prefix + re.sub(r"[^a-z0-9_]", "", str(t).lower())


def safe_href(url: str) -> str | None:
    return esc(url) if re.match(r"^https?://", url or "", re.I) else None


def link(url: str, text: str | None = None) -> str:
    h = safe_href(url)
    label = esc(text if text is not None else url)
    return f'<a href="{h}" rel="noopener noreferrer">{label}</a>' if h else label


def importance_key(flags) -> list[tuple]:
    """Sort key of a bead or a pair by its flags, most important first: the (severity, score) part of its flags'
    ``flag_sort_key`` in that order, so the one with the most important flag leads and a tie goes to the one with
    more such flags (not to a type name); no flags last."""
    return [flag_sort_key(f)[:2] for f in sorted(flags, key=flag_sort_key)] + [_SENTINEL]


def plural(n: int, unit: str) -> str:
    """``n`` with its unit, singular for one: "1 flag", "3 flags"."""
    return f"{n} {unit[:-1] if n == 1 and unit.endswith('s') else unit}"


def moved_beads(beads) -> set[int]:
    """Indices of the beads whose target sentences stand elsewhere in their article: the fewest beads whose removal
    leaves the target positions in order (the complement of a longest increasing run of first target indices, in
    bead order). A rewrite that moves a sentence gives such a crossing bead (``align.reorder``)."""
    import bisect

    items = [(k, min(b.tgt)) for k, b in enumerate(beads) if b.tgt]
    tails: list[int] = []  # tails[m]: item index ending the best increasing run of length m + 1
    prev = [-1] * len(items)
    for i, (_, t) in enumerate(items):
        m = bisect.bisect_left([items[j][1] for j in tails], t)
        prev[i] = tails[m - 1] if m else -1
        if m == len(tails):
            tails.append(i)
        else:
            tails[m] = i
    keep, i = set(), tails[-1] if tails else -1
    while i >= 0:
        keep.add(items[i][0])
        i = prev[i]
    return {k for k, _ in items} - keep


def script_json(obj) -> str:
    """JSON safe to place in a script file or element: ``<``, ``>``, ``&`` and the JS line separators escaped."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for a, b in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        s = s.replace(a, b)
    return s


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
def svg_histogram(values: list[float], *, title: str, unit: str = "items", bins: int = 20, width: int = 380,
                  height: int = 170, color: str = UNFLAGGED_COLOR) -> str:
    """A histogram of ``values``; the caption says what the bars count (``unit`` per score bin)."""
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
                     f'fill="{color}"><title>{x0:.2f}–{x0 + span / bins:.2f}: {c} {esc(unit)}</title></rect>')
    parts.append(f'<line x1="{pl}" y1="{pt + h}" x2="{pl + w}" y2="{pt + h}" stroke="#333"/>')
    parts.append(f'<line x1="{pl}" y1="{pt}" x2="{pl}" y2="{pt + h}" stroke="#333"/>')
    for frac in (0, 0.5, 1):
        x = pl + w * frac
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" font-size="10" text-anchor="middle">{lo + span * frac:.2f}</text>')
    parts.append(f'<text x="{pl - 4}" y="{pt + 8}" font-size="10" text-anchor="end">{top}</text>')
    parts.append(f'<text x="{pl - 4}" y="{pt + h}" font-size="10" text-anchor="end">0</text></svg>')
    return (f'<figure class="plot"><figcaption>{esc(title)} ({len(values)} {esc(unit)}; bars: {esc(unit)} per score '
            f'bin)</figcaption>{"".join(parts)}</figure>')


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
        c = (colors or {}).get(k, UNFLAGGED_COLOR)
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
    """The alignment as boxes on the (source sentence × target sentence) grid, coloured by the type of the
    bead's most important flag (blue when unflagged); null beads are ticks on the axis of the side that has
    them (see :func:`path_legend`)."""
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
        fl = sorted(fl, key=flag_sort_key)
        color = type_colors().get(fl[0].type, DEFAULT_COLOR) if fl else UNFLAGGED_COLOR
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


# ---------------------------------------------------------------------------- legends
def _swatch(color: str, shape: str = "box", stroke: str = "none") -> str:
    """A small colour sample for a legend (an inline SVG, so it needs no style attribute)."""
    w, h = (16, 5) if shape == "htick" else (5, 14) if shape == "vtick" else (14, 14)
    return (f'<svg class="sw" xmlns="http://www.w3.org/2000/svg" width="16" height="14" aria-hidden="true">'
            f'<rect x="{(16 - w) / 2:.1f}" y="{(14 - h) / 2:.1f}" width="{w}" height="{h}" fill="{color}" stroke="{stroke}"/></svg>')


def type_legend(counts: Counter | dict, unit: str = "flags", *, only_used: bool = False) -> str:
    """Every flag type (or, with ``only_used``, those with a count): its colour (chip and highlighted-text sample),
    what it means, why it matters, and how many flags of it the page covers."""
    rows = []
    types = flag_types()
    for t in [t for t in types if counts.get(t) or not only_used] + sorted(set(counts) - set(types)):
        info = type_info(t)
        rows.append(
            f'<tr><td><span class="chip {_cls(t)}">{esc(t)}</span></td><td><mark class="{_cls(t)}">text</mark></td>'
            f'<td>{esc(info.get("what", ""))} <span class="muted">{esc(info.get("why", ""))}</span></td>'
            f'<td class="num">{esc(plural(counts.get(t, 0), unit))}</td></tr>')
    return ('<table class="legend types"><caption>Flag types: chip colour, highlight colour in the texts, meaning'
            '</caption><colgroup><col class="c-chip"><col class="c-mark"><col><col class="c-n"></colgroup>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def severity_legend(counts: Counter | dict | None = None) -> str:
    items = "".join(
        f'<li><span class="sev {_cls(s, "s-")}">{esc(s)}</span> {esc(SEVERITY_INFO.get(s, ""))}'
        + (f' <span class="muted">({plural(counts.get(s, 0), "flags")})</span>' if counts is not None else "") + "</li>"
        for s in reversed(SEVERITIES))
    return f'<div class="legend sevs"><strong>Severity</strong> (most important first)<ul>{items}</ul></div>'


def path_legend() -> str:
    return (
        '<div class="legend pathlegend"><strong>Alignment path</strong><ul>'
        f'<li>{_swatch(UNFLAGGED_COLOR)} a bead (aligned sentences) with no flag</li>'
        f'<li>{_swatch(type_colors()["number_changed"])} a flagged bead, in the colour of its most important flag\'s type'
        ' (legend of flag types)</li>'
        f'<li>{_swatch("#555", "htick")} a tick above the grid: source sentences with no target counterpart (1-0)</li>'
        f'<li>{_swatch("#555", "vtick")} a tick left of the grid: target sentences with no source counterpart (0-1)</li>'
        f'<li>{_swatch(UNFLAGGED_COLOR)} a box off the diagonal: a sentence the rewrite moved elsewhere (a crossing '
        'bead, marked <span class="moved">moved</span> in the table)</li>'
        f'<li>{_swatch("#f7f7f7", stroke="#bbb")} grid: source sentences left to right, target sentences top to bottom; '
        'a monotone path runs down the diagonal</li></ul></div>')


def plot_legend() -> str:
    return (
        '<div class="legend plotlegend"><strong>Plots</strong><ul>'
        f'<li>{_swatch(UNFLAGGED_COLOR)} beads per alignment-score bin; also flags per section</li>'
        f'<li>{_swatch(PAIR_HIST_COLOR)} document pairs per pair-score bin</li>'
        '<li>flags by type: bars in the flag type\'s colour</li></ul></div>')


# ---------------------------------------------------------------------------- pages
BASE_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fff;
 overflow-wrap:anywhere}
header.top{background:#243447;color:#fff;padding:10px 18px}header.top a{color:#cde}
main{padding:12px 18px;max-width:100%}h1{font-size:20px;margin:4px 0}h2{font-size:16px;margin:18px 0 6px}
.muted{color:#666}.plots{display:flex;flex-wrap:wrap;gap:14px}.plot{margin:0;border:1px solid #ddd;padding:6px;border-radius:4px;max-width:100%}
figcaption{font-weight:600;font-size:12px;margin-bottom:4px}
.filters{position:sticky;top:0;background:#f4f6f8;border:1px solid #dde;padding:6px 10px;margin:8px 0;z-index:2;
 display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center}
.filters label{white-space:nowrap}.filters .grp{display:flex;flex-wrap:wrap;gap:4px 6px;align-items:center}.filters .types,.filters .sevs{display:flex;flex-wrap:wrap;gap:4px}
.chip{display:inline-block;border-radius:3px;padding:0 5px;font-size:12px;color:#fff;background:#999;margin:1px;
 overflow-wrap:normal}
.sev{display:inline-block;border-radius:3px;padding:0 4px;font-size:11px;font-weight:600;border:1px solid;background:#fff}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e3e3e3;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#fafafa;overflow-wrap:normal}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.pairs,table.beads,table.unpaired,table.flags{table-layout:fixed}
table.beads td.txt{white-space:pre-wrap}tr.null td.txt:empty::after{content:"∅";color:#aaa}
tr.flagged{background:#fffdf3}tr[id]{scroll-margin-top:130px}mark{padding:0 1px;border-radius:2px;background:#ffe08a;color:inherit}
.meta{display:grid;grid-template-columns:1fr 1fr;gap:10px}.meta div{border:1px solid #ddd;padding:6px;border-radius:4px;min-width:0}
.flaglist{font-size:12px}.flaglist .flag{margin:0 0 6px}.flaglist .expl{margin:2px 0}
.flaglist summary{color:#555;cursor:pointer;font-size:11px}
nav.pn a{margin-right:12px}details pre{white-space:pre-wrap;word-break:break-all;font-size:11px;background:#f7f7f7;padding:6px;margin:2px 0}
.count{font-weight:600}.scroll{overflow-x:auto;max-width:100%}
.legend{font-size:12px}.legend ul{margin:4px 0;padding-left:18px}.legend li{margin:1px 0}
table.legend.types{max-width:1000px}table.legend caption{text-align:left;font-weight:600;padding:2px 0}
col.c-chip{width:210px}col.w130px{width:130px}col.w190px{width:190px}col.w200px{width:200px}col.w31pc{width:31%}col.w34pc{width:34%}col.w34px{width:34px}col.w76px{width:76px}col.w210px{width:210px}col.w260px{width:260px}col.w96px{width:96px}col.w100px{width:100px}col.w60px{width:60px}col.w56px{width:56px}col.w50px{width:50px}col.w48px{width:48px}col.w64px{width:64px}col.c-mark{width:50px}col.c-n{width:80px}
.legends{display:flex;flex-wrap:wrap;gap:8px 30px;align-items:flex-start}
svg.sw{vertical-align:middle}.moved{font-size:11px;color:#5f6b7a;font-style:italic}.pathrow{display:flex;flex-wrap:wrap;gap:10px 24px;align-items:flex-start}.pathrow .legend{max-width:560px}
.hits{font-size:13px;margin:4px 0 10px;padding-left:22px}.hits li{margin:2px 0}.hits .where{color:#666;font-size:12px}
.ctx{font-size:12px;margin-top:2px}table.flags p.expl{margin:0}.searchnote{font-size:12px;color:#555;margin:0}
.counts dt{font-weight:600}
"""


def css() -> str:
    """``assets/report.css``: the shared style plus one chip and highlight rule per flag type and severity."""
    return BASE_CSS + "".join(
        f".chip.{_cls(t)}{{background:{c}}}mark.{_cls(t)}{{background:{c}33;border-bottom:2px solid {c}}}"
        for t, c in type_colors().items()
    ) + "".join(f".sev.{_cls(s, 's-')}{{color:{c};border-color:{c}}}" for s, c in SEVERITY_COLORS.items())

JS = r"""/* tasscorpus report: filters, sort and full-text search. No dependencies, no network.
   Table rows carry data-flags (space-separated flag types), data-sevs (severities), data-score, data-rank
   (0 = most important) and, on the index, data-doc (the pair's page). The filter UI is built from them.
   Article text only ever goes in via textContent. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  function norm(s) { return (s || "").toLowerCase().replace(/ё/g, "е"); }
  function words(s) { return (s || "").split(" ").filter(Boolean); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  ready(function () {
    var table = document.querySelector("table.filterable");
    var bar = document.querySelector(".filters");
    if (!table || !bar) return;
    var tbody = table.querySelector("tbody");
    var rows = Array.prototype.slice.call(tbody.querySelectorAll("tr"));
    var unit = table.getAttribute("data-unit") || "rows";
    function chips(attr, boxSel, cls, prefix, order) {
      var counts = {};
      rows.forEach(function (r) { words(r.getAttribute(attr)).forEach(function (t) { counts[t] = (counts[t] || 0) + 1; }); });
      var box = bar.querySelector(boxSel);
      if (!box) return;
      var keys = Object.keys(counts).sort(function (a, b) {
        var ia = order.indexOf(a), ib = order.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
      });
      keys.forEach(function (t) {
        var lab = el("label"), cb = el("input");
        cb.type = "checkbox"; cb.value = t; cb.className = cls;
        var chip = el("span", (prefix === "t-" ? "chip " : "sev ") + prefix + t.toLowerCase().replace(/[^a-z0-9_]/g, ""),
                      t + " (" + counts[t] + " " + (counts[t] === 1 ? unit.replace(/s$/, "") : unit) + ")");
        lab.appendChild(cb); lab.appendChild(chip); box.appendChild(lab);
      });
      if (!keys.length) box.textContent = "none";
    }
    var typeOrder = (bar.getAttribute("data-types") || "").split(" ");
    chips("data-flags", ".types", "ftype", "t-", typeOrder);
    chips("data-sevs", ".sevs", "fsev", "s-", ["critical", "major", "minor"]);
    var minScore = bar.querySelector("#min-score"), onlyFlagged = bar.querySelector("#only-flagged"),
        q = bar.querySelector("#q"), sortSel = bar.querySelector("#sort"), counter = bar.querySelector(".count");
    var hitsBox = document.querySelector("#hits"), note = document.querySelector("#search-note");
    var index = window.TASSCORPUS_SEARCH || null, normIndex = null;
    function searchIndex(text) {
      /* the pairs (doc id -> true) with a sentence or title containing text, and the first sentence hits */
      if (!index) return null;
      if (!normIndex) {
        normIndex = index.pairs.map(function (p) {
          return { d: p.d, t: norm(p.t.join(" \n ")), s: p.s.map(function (x) { return norm(x[2]); }) };
        });
      }
      var docs = {}, hits = [], total = 0;
      normIndex.forEach(function (p, k) {
        if (p.t.indexOf(text) >= 0) docs[p.d] = true;
        p.s.forEach(function (s, j) {
          if (s.indexOf(text) >= 0) {
            docs[p.d] = true; total++;
            if (hits.length < 100) hits.push([k, j]);
          }
        });
      });
      return { docs: docs, hits: hits, total: total };
    }
    function showHits(res, text) {
      if (!hitsBox) return;
      hitsBox.textContent = "";
      if (!res || !text) { if (note) note.textContent = ""; return; }
      var nd = Object.keys(res.docs).length;
      if (note) note.textContent = res.total + (res.total === 1 ? " sentence" : " sentences") + " in " + nd +
        (nd === 1 ? " document pair" : " document pairs") + (res.total === 1 ? " contains" : " contain") + " \u201c" + text + "\u201d" +
        (res.total > res.hits.length ? " (first " + res.hits.length + " shown)" : "");
      res.hits.forEach(function (h) {
        var p = index.pairs[h[0]], s = p.s[h[1]], li = el("li");
        var a = el("a");
        a.href = "pairs/" + encodeURIComponent(p.d) + ".html#b" + encodeURIComponent(String(s[0]));
        var low = norm(s[2]), i = low.indexOf(text), start = Math.max(0, i - 80), end = Math.min(s[2].length, i + text.length + 80);
        if (start > 0) a.appendChild(document.createTextNode("\u2026"));
        a.appendChild(document.createTextNode(s[2].slice(start, i)));
        a.appendChild(el("mark", null, s[2].slice(i, i + text.length)));
        a.appendChild(document.createTextNode(s[2].slice(i + text.length, end)));
        if (end < s[2].length) a.appendChild(document.createTextNode("\u2026"));
        li.appendChild(a);
        li.appendChild(el("span", "where", " \u2014 " + p.t[s[1] === "s" ? 0 : 1] + ", bead " + s[0]));
        hitsBox.appendChild(li);
      });
    }
    rows.forEach(function (r, i) { r.setAttribute("data-pos", String(i)); });
    function apply() {
      var checked = Array.prototype.slice.call(bar.querySelectorAll("input.ftype:checked")).map(function (c) { return c.value; });
      var sevs = Array.prototype.slice.call(bar.querySelectorAll("input.fsev:checked")).map(function (c) { return c.value; });
      var min = parseFloat(minScore && minScore.value), text = q ? norm(q.value.trim()) : "", shown = 0;
      var res = text ? searchIndex(text) : null;
      rows.forEach(function (r) {
        var fl = words(r.getAttribute("data-flags")), sv = words(r.getAttribute("data-sevs")), ok = true;
        if (checked.length && !fl.some(function (t) { return checked.indexOf(t) >= 0; })) ok = false;
        if (sevs.length && !sv.some(function (t) { return sevs.indexOf(t) >= 0; })) ok = false;
        if (onlyFlagged && onlyFlagged.checked && !fl.length) ok = false;
        if (!isNaN(min) && parseFloat(r.getAttribute("data-score")) < min) ok = false;
        if (text && norm(r.textContent).indexOf(text) < 0 && !(res && res.docs[r.getAttribute("data-doc")])) ok = false;
        r.hidden = !ok; if (ok) shown++;
      });
      if (counter) counter.textContent = shown + " of " + rows.length + " " + unit + " shown";
      showHits(res, text);
    }
    function sort() {
      var by = sortSel ? sortSel.value : "doc", attr = by === "importance" ? "data-rank" : "data-pos";
      rows.slice().sort(function (a, b) { return parseInt(a.getAttribute(attr), 10) - parseInt(b.getAttribute(attr), 10); })
        .forEach(function (r) { tbody.appendChild(r); });
    }
    // a view can be linked: #flags=omission,addition&sev=critical&min=0.5&flagged=1&q=text&sort=importance
    function fromHash() {
      var h = {};
      (location.hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i > 0) { try { h[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { h[kv.slice(0, i)] = kv.slice(i + 1); } }
      });
      if (!h.flags && !h.sev && !h.min && !h.flagged && !h.q && !h.sort) return;
      var want = (h.flags || "").split(","), wantSev = (h.sev || "").split(",");
      Array.prototype.forEach.call(bar.querySelectorAll("input.ftype"), function (c) { c.checked = want.indexOf(c.value) >= 0; });
      Array.prototype.forEach.call(bar.querySelectorAll("input.fsev"), function (c) { c.checked = wantSev.indexOf(c.value) >= 0; });
      if (minScore) minScore.value = h.min || "";
      if (onlyFlagged) onlyFlagged.checked = !!h.flagged;
      if (q) q.value = h.q || "";
      if (sortSel) sortSel.value = h.sort === "importance" ? "importance" : "doc";
    }
    bar.addEventListener("input", function () { sort(); apply(); });
    bar.addEventListener("change", function () { sort(); apply(); });
    window.addEventListener("hashchange", function () { fromHash(); sort(); apply(); });
    fromHash(); sort(); apply();
  });
})();
"""

SCRIPT_TAG = '<script src="{prefix}assets/report.js" id="tasscorpus-report-js"></script>'
INDEX_SCRIPT_TAG = '<script src="assets/search-index.js" id="tasscorpus-search-index"></script>'


def _page(title: str, body: str, *, prefix: str = "", extra_scripts: str = "", extra_head: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        # offline and inert: only our own script and style, nothing fetched from elsewhere
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; "
        "style-src 'self'; img-src 'self' data:\">"
        f"<title>{esc(title)}</title><link rel=\"stylesheet\" href=\"{prefix}assets/report.css\">{extra_head}</head><body>"
        f"{body}{extra_scripts}{SCRIPT_TAG.format(prefix=prefix)}</body></html>\n"
    )


def _filters(score_label: str, *, search: str | None, rows_sorted: bool = False) -> str:
    """The filter bar: flag types and severities (filled in by the script from the rows), only flagged, a
    minimum score, a search box (``search`` is its label, None for none) and the sort order (none when the rows
    are already most important first, ``rows_sorted``)."""
    return (
        f'<div class="filters" role="search" data-types="{esc(" ".join(flag_types()))}">'
        '<span class="grp"><span>flag types:</span><span class="types"></span></span>'
        '<span class="grp"><span>severity:</span><span class="sevs"></span></span>'
        + ('' if rows_sorted else '<label><input type="checkbox" id="only-flagged"> only flagged</label>')
        + f'<label>{esc(score_label)} ≥ <input type="number" id="min-score" step="0.05" min="-1" max="2"></label>'
        + (f'<label>{esc(search)} <input type="search" id="q" size="22"></label>' if search else "")
        + ('' if rows_sorted else '<label>sort <select id="sort"><option value="doc">document order</option>'
           '<option value="importance">most important flags first</option></select></label>')
        + '<span class="count"></span></div>'
    )


def chip(t: str) -> str:
    """A flag type's coloured label; hovering it shows what the type means."""
    return f'<span class="chip {_cls(t)}" title="{esc(type_info(t).get("what", t))}">{esc(t)}</span>'


def _chips(types: list[str]) -> str:
    return "".join(chip(t) for t in types)


def _sev(s: str) -> str:
    return f'<span class="sev {_cls(s, "s-")}" title="{esc(SEVERITY_INFO.get(s, s))}">{esc(s)}</span>'


def _flag_item(f, s_text: str, t_text: str, src_lang: str, tgt_lang: str) -> str:
    """One flag in the pair page: type, severity, score, the plain-language explanation, the raw detail hidden."""
    text = explain(f, s_text, t_text, src_lang=src_lang, tgt_lang=tgt_lang)
    raw = json.dumps(f.detail, ensure_ascii=False, indent=1, sort_keys=True) if f.detail else ""
    return (
        f'<div class="flag">{chip(f.type)} {_sev(f.severity)} '
        f'<span class="muted" title="confidence score, 0–1">score {f.score:.2f}</span>'
        f'<p class="expl">{esc(text)}</p>'
        + (f'<details><summary>details</summary><pre>{esc(raw)}</pre></details>' if raw else "")
        + "</div>"
    )


def excerpt(text: str, spans, f_type: str, width: int = 70) -> str:
    """The part of ``text`` around the first of ``spans`` (``width`` characters either side, cut at a space),
    escaped, with the flag's spans in it highlighted; the whole text when there is no span."""
    if not text:
        return '<span class="muted">∅</span>'
    if not spans:
        a, b = 0, min(len(text), 2 * width)
    else:
        a, b = max(0, spans[0].start - width), min(len(text), spans[0].end + width)
    if a > 0 and " " in text[a:spans[0].start if spans else a + width]:
        a = text.index(" ", a) + 1
    if b < len(text) and " " in text[(spans[0].end if spans else a):b]:
        b = text.rindex(" ", spans[0].end if spans else a, b)
    marks = [(sp.start - a, sp.end - a, f_type, f_type) for sp in spans]
    return ("…" if a > 0 else "") + highlight(text[a:b], marks) + ("…" if b < len(text) else "")


def _flags_page(entries: list[tuple]) -> str:
    """Every flag of the corpus in one table, most important first (``flag_sort_key``), each explained, shown in
    context and linked to its bead. ``entries``: (flag, explanation, doc id, bead index, source title, source
    text, target text, source language, target language) per flag. At most ``FLAGS_PAGE_LIMIT`` rows, so the
    page stays usable on a large corpus; the header says so when flags are left out."""
    n_all = len(entries)
    entries = sorted(entries, key=lambda e: flag_sort_key(e[0]))[:FLAGS_PAGE_LIMIT]
    rows = "".join(
        f'<tr data-flags="{esc(f.type)}" data-sevs="{esc(f.severity)}" data-score="{f.score:.4f}" data-rank="{k}">'
        f'<td>{_sev(f.severity)}</td><td>{chip(f.type)}</td>'
        f'<td class="num">{f.score:.2f}</td><td><p class="expl">{esc(text)}</p>'
        f'<div class="ctx"><span class="muted">{esc(sl)}:</span> <span lang="{esc(sl)}">{excerpt(st, f.src_spans, f.type)}</span>'
        f'<br><span class="muted">{esc(tl)}:</span> <span lang="{esc(tl)}">{excerpt(tt, f.tgt_spans, f.type)}</span></div></td>'
        f'<td lang="{esc(sl)}"><a href="pairs/{esc(doc)}.html#b{bead}">{esc(title)}</a> '
        f'<span class="muted">bead {bead}</span></td></tr>'
        for k, (f, text, doc, bead, title, st, tt, sl, tl) in enumerate(entries))
    body = (
        '<header class="top"><nav class="pn"><a href="index.html">← all pairs</a></nav>'
        f'<h1>All flags, most important first</h1><div>{plural(n_all, "flags")}'
        + (f' (the {len(entries)} most important listed here; every flag is on its pair\'s page)'
           if len(entries) < n_all else "")
        + ', by severity, then score '
        '(a confidence from 0 to 1), then type</div></header><main>'
        '<details class="legendbox"><summary>Legend: colours, flag types and severities</summary>'
        f'<div class="legends">{severity_legend(Counter(e[0].severity for e in entries))}</div>'
        f'{type_legend(Counter(e[0].type for e in entries), only_used=True)}</details>'
        f'{_filters("flag score", search="search", rows_sorted=True)}'
        '<table class="flags filterable" data-unit="flags"><colgroup><col class="w76px"><col class="w210px">'
        '<col class="w50px"><col><col class="w260px"></colgroup><thead><tr><th>severity</th><th>type</th>'
        '<th class="num">score</th><th>what differs</th><th>where</th></tr></thead>'
        f'<tbody>{rows}</tbody></table></main>'
    )
    return _page("All flags — tasscorpus report", body)


def _ranks(keys: list) -> list[int]:
    """The position of each item when sorted by ``keys`` (0 = first), stable."""
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    rank = [0] * len(keys)
    for r, i in enumerate(order):
        rank[i] = r
    return rank


def _pair_page(pd, *, prev_id: str | None, next_id: str | None) -> str:
    from .export.rows import side_text

    src, tgt, p = pd.src, pd.tgt, pd.pair
    rows = []
    ranks = _ranks([importance_key(fl) for fl in pd.flags])
    moved = moved_beads(pd.beads)
    type_counts: Counter = Counter()
    sev_counts: Counter = Counter()
    for i, (b, fl) in enumerate(zip(pd.beads, pd.flags)):
        fl = sorted(fl, key=flag_sort_key)
        s_text, t_text = side_text(pd.src_sents, b.src), side_text(pd.tgt_sents, b.tgt)
        s_marks, t_marks = [], []
        for f in fl:
            tip = f"{f.type} ({f.severity}, {f.score:.2f})"
            s_marks += [(sp.start, sp.end, f.type, tip) for sp in f.src_spans]
            t_marks += [(sp.start, sp.end, f.type, tip) for sp in f.tgt_spans]
            type_counts[f.type] += 1
            sev_counts[f.severity] += 1
        types = list(dict.fromkeys(f.type for f in fl))
        sevs = list(dict.fromkeys(f.severity for f in fl))
        flag_items = "".join(_flag_item(f, s_text, t_text, src.lang, tgt.lang) for f in fl)
        cls = " ".join(c for c in ("flagged" if fl else "", "null" if not (b.src and b.tgt) else "") if c)
        rows.append(
            f'<tr id="b{i}" class="{cls}" data-flags="{esc(" ".join(types))}" data-sevs="{esc(" ".join(sevs))}" '
            f'data-score="{b.score:.4f}" data-rank="{ranks[i]}">'
            f'<td class="num">{i}</td><td>{esc(b.kind)}'
            + ('<br><span class="moved" title="the target sentences stand elsewhere in their article">moved</span>'
               if i in moved else "")
            + f'</td><td class="num">{b.score:.3f}</td>'
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

    n_flags = sum(type_counts.values())
    n_flagged = sum(1 for fl in pd.flags if fl)
    by_sev = ", ".join(f"{sev_counts[s]} {s}" for s in reversed(SEVERITIES) if sev_counts.get(s))
    body = (
        f'<header class="top"><nav class="pn">{"".join(nav)}</nav><h1>{esc(src.title)}</h1></header><main>'
        f'<div class="meta">{meta(src)}{meta(tgt)}</div>'
        f'<p class="counts">pair score {p.score:.3f} ({esc(p.kind)}) · {len(pd.beads)} beads (aligned sentence groups), '
        f'{n_flagged} of them flagged · {n_flags} flags{f" ({by_sev})" if by_sev else ""} · doc id '
        f'<code>{esc(pd.doc_id)}</code></p>'
        '<details class="legendbox"><summary>Legend: colours, flag types and severities</summary>'
        f'<div class="legends">{severity_legend(sev_counts)}</div>'
        f'{type_legend(type_counts, only_used=True)}</details>'
        f'<h2>Alignment path</h2><div class="pathrow"><div class="scroll">'
        f'{svg_alignment_path(len(pd.src_sents), len(pd.tgt_sents), pd.beads, pd.flags, src_lang=src.lang, tgt_lang=tgt.lang)}'
        f'</div>{path_legend()}</div><h2>Beads</h2>{_filters("bead score", search="search text")}'
        f'<table class="beads filterable" data-unit="beads"><colgroup><col class="w34px"><col class="w48px">'
        '<col class="w60px"><col><col><col class="w31pc"></colgroup>'
        f'<thead><tr><th>#</th><th>type</th><th>score</th><th>{esc(src.lang)}</th>'
        f'<th>{esc(tgt.lang)}</th><th>differences (most important first)</th></tr></thead><tbody>{"".join(rows)}</tbody></table></main>'
    )
    return _page(f"{src.title} — tasscorpus report", body, prefix="../")


def _index_page(summaries: list[dict], plots: str, info: dict, counts: dict, type_counts: Counter,
                sev_counts: Counter, unpaired: dict[str, list], extra: str = "") -> str:
    rows = []
    ranks = _ranks([s["importance"] for s in summaries])
    for s, rank in zip(summaries, ranks):
        types = s["types"]  # most important first
        sevs = [v for v in reversed(SEVERITIES) if v in s["sevs"]]
        rows.append(
            f'<tr data-flags="{esc(" ".join(types))}" data-sevs="{esc(" ".join(sevs))}" data-score="{s["score"]:.4f}" '
            f'data-rank="{rank}" data-doc="{esc(s["doc_id"])}">'
            f'<td>{esc(s["published"][:16].replace("T", " "))}</td><td>{esc(s["section"])}</td>'
            f'<td lang="{esc(s["src_lang"])}"><a href="pairs/{esc(s["doc_id"])}.html">{esc(s["src_title"])}</a></td>'
            f'<td lang="{esc(s["tgt_lang"])}">{esc(s["tgt_title"])}</td>'
            f'<td class="num">{s["score"]:.3f}</td><td class="num">{s["beads"]}</td><td class="num">{s["mean_bead"]:.3f}</td>'
            f'<td class="num">{s["n_flags"]}</td><td>{_sev(sevs[0]) if sevs else ""} {_chips(types)}</td></tr>'
        )
    sig = info.get("signature")
    n_unpaired = sum(len(v) for v in unpaired.values())
    per_ed = ", ".join(f"{esc(e)} {len(v)}" for e, v in sorted(unpaired.items()))
    body = (
        '<header class="top"><h1>tasscorpus review report</h1>'
        f'<div>{len(summaries)} document pairs · {counts["beads"]} beads (aligned sentence groups), '
        f'{counts["flagged_beads"]} of them flagged · <a href="flags.html">{counts["flags"]} flags</a> · '
        f'<a href="unpaired.html">{n_unpaired} unpaired articles</a>{f" ({per_ed})" if per_ed else ""} · '
        f'{esc(", ".join(info.get("sources", [])))} · '
        f'{esc(" … ".join(info["date_range"]) if info.get("date_range") else "")}</div></header><main>{extra}'
        '<details class="legendbox"><summary>Legend: colours, flag types and severities</summary>'
        f'<div class="legends">{severity_legend(sev_counts)}{plot_legend()}</div>'
        f'{type_legend(type_counts)}</details>'
        f'<h2>Document pairs</h2>{_filters("pair score", search="search titles and sentences")}'
        '<p class="searchnote" id="search-note"></p><ol class="hits" id="hits"></ol>'
        '<table class="pairs filterable" data-unit="pairs"><colgroup><col class="w96px"><col class="w100px">'
        '<col><col><col class="w60px"><col class="w56px"><col class="w64px"><col class="w50px">'
        '<col class="w190px"></colgroup><thead><tr><th>published</th><th>section</th><th>source title</th>'
        '<th>target title</th><th class="num">pair score</th><th class="num">beads</th><th class="num">mean bead score</th>'
        '<th class="num">flags</th><th>top severity, flag types</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
        f'<h2>Overview</h2><div class="plots">{plots}</div>'
        '<details><summary>Reproducibility signature</summary><pre>'
        f'{esc(json.dumps(sig, ensure_ascii=False, indent=2, sort_keys=True)) if sig is not None else "(no signature in the store)"}'
        '</pre></details></main>'
    )
    return _page("tasscorpus review report", body, extra_scripts=INDEX_SCRIPT_TAG)


def unpaired_articles(store) -> dict[str, list]:
    """The articles (any status) that no stored pair holds, by edition, in publication order."""
    paired = {r[0] for r in store.db.execute("SELECT src_id FROM pairs UNION SELECT tgt_id FROM pairs")}
    out: dict[str, list] = defaultdict(list)
    for a in store.articles(status=None):
        if a.id not in paired:
            out[a.edition].append(a)
    return dict(out)


def _unpaired_page(unpaired: dict[str, list]) -> str:
    sections = []
    for ed, arts in sorted(unpaired.items()):
        status = Counter(a.status for a in arts)
        rows = "".join(
            f'<tr><td>{esc(a.published[:16].replace("T", " "))}</td><td lang="{esc(a.lang)}">{esc(a.title) or "<span class=muted>(no title)</span>"}</td>'
            f'<td>{link(a.url)}</td><td>{esc(a.status)}{f" — {esc(a.status_reason)}" if a.status_reason else ""}</td></tr>'
            for a in arts)
        sections.append(
            f'<section class="edition" id="ed-{esc(ed)}"><h2>Edition {esc(ed)}: {len(arts)} unpaired articles</h2>'
            f'<p class="muted">by status: {esc(", ".join(f"{k} {v}" for k, v in sorted(status.items())))}</p>'
            '<table class="unpaired"><colgroup><col class="w130px"><col><col class="w34pc"><col class="w200px">'
            '</colgroup><thead><tr><th>published</th><th>title</th><th>URL</th><th>status</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></section>')
    body = (
        '<header class="top"><nav class="pn"><a href="index.html">← all pairs</a></nav>'
        f'<h1>Unpaired articles</h1><div>{sum(len(v) for v in unpaired.values())} articles that no document pair holds '
        '(no counterpart found in the other edition, or not alignable: see the status)</div></header><main>'
        + ("".join(sections) or '<p class="muted">Every stored article is in a document pair.</p>') + "</main>"
    )
    return _page("Unpaired articles — tasscorpus report", body)


def write_report(store, out, *, quiet: bool = False) -> Path:
    """Write the report into the folder ``out`` (atomically, like the exports); return the path of
    ``index.html``. Raises :class:`ReportError` when the store holds no aligned pairs."""
    from .export.atomic import staging
    from .export.rows import iter_pair_data, side_text, store_info
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
            (tmp / "assets" / "report.css").write_text(css(), encoding="utf-8")
            (tmp / "assets" / "report.js").write_text(JS, encoding="utf-8")
            (tmp / "pairs").mkdir()
            # doc ids first, so pages can link to their neighbours
            from .export.rows import doc_id

            urls = {a.id: a.url for a in store.articles(status=None)}
            ids = [doc_id(urls[p.src_id], urls[p.tgt_id]) for p in pairs]
            summaries, bead_scores, pair_scores, search, flag_entries = [], [], [], [], []
            by_type: Counter = Counter()
            by_sev: Counter = Counter()
            by_section: Counter = Counter()
            section_type: dict[str, Counter] = defaultdict(Counter)
            n_beads = n_flagged = 0
            for k, pd in enumerate(progress(iter_pair_data(store, pairs), desc="report", total=len(pairs), quiet=quiet)):
                page = _pair_page(pd, prev_id=ids[k - 1] if k else None, next_id=ids[k + 1] if k + 1 < len(ids) else None)
                (tmp / "pairs" / f"{pd.doc_id}.html").write_text(page, encoding="utf-8")
                all_flags = [f for fl in pd.flags for f in fl]
                sevs: set[str] = set()
                nf = 0
                for i, fl in enumerate(pd.flags):
                    n_flagged += bool(fl)
                    b = pd.beads[i]
                    for f in fl:
                        st, tt = side_text(pd.src_sents, b.src), side_text(pd.tgt_sents, b.tgt)
                        flag_entries.append((f, explain(f, st, tt, src_lang=pd.src.lang, tgt_lang=pd.tgt.lang),
                                             pd.doc_id, i, pd.src.title, st, tt, pd.src.lang, pd.tgt.lang))
                        sevs.add(f.severity)
                        by_type[f.type] += 1
                        by_sev[f.severity] += 1
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
                    "mean_bead": sum(b.score for b in pd.beads) / len(pd.beads), "sevs": sevs, "n_flags": nf,
                    "types": list(dict.fromkeys(f.type for f in sorted(all_flags, key=flag_sort_key))),
                    "importance": importance_key(all_flags),
                })
                # the search index: every sentence of the pair with its bead (the page anchor) and side
                sents = [[i, side, pd.src_sents[j] if side == "s" else pd.tgt_sents[j]]
                         for i, b in enumerate(pd.beads) for side, idx in (("s", b.src), ("t", b.tgt)) for j in idx]
                search.append({"d": pd.doc_id, "t": [pd.src.title, pd.tgt.title], "s": sents})
            (tmp / "assets" / "search-index.js").write_text(
                "/* sentences of every pair for the report's search box; generated */\nwindow.TASSCORPUS_SEARCH = "
                + script_json({"pairs": search}) + ";\n", encoding="utf-8")
            plots = (
                svg_histogram(bead_scores, title="Bead alignment scores", unit="beads")
                + svg_histogram(pair_scores, title="Document pair scores", unit="pairs", color=PAIR_HIST_COLOR)
                + svg_bars(dict(by_type), title="Number of flags by type (click a type to filter the pairs)",
                           colors=type_colors(), link_param="flags")
                + svg_bars(dict(by_section), title="Number of flags by section")
                + _section_table(section_type)
            )
            counts = {"beads": n_beads, "flags": sum(by_type.values()), "flagged_beads": n_flagged}
            unpaired = unpaired_articles(store)
            extra = _nway_pages(store, tmp)  # "" for a two-edition store
            (tmp / "index.html").write_text(_index_page(summaries, plots, info, counts, by_type, by_sev, unpaired, extra),
                                            encoding="utf-8")
            (tmp / "unpaired.html").write_text(_unpaired_page(unpaired), encoding="utf-8")
            (tmp / "flags.html").write_text(_flags_page(flag_entries), encoding="utf-8")
    except OSError as e:
        raise ReportError(f"cannot write report to {out}: {e.strerror or e}") from None
    return out / "index.html"


def _nway_pages(store, tmp: Path) -> str:
    """For a store with N-way units over three or more languages: ``nway/index.html`` (per-edition summary: rows
    said, rows left out, rows added, flags by type; one line per pivot article) and ``nway/<doc>.html`` (one column
    per edition, rows in pivot order, each edition's flags against the pivot under its text; checkboxes hide
    columns, pure CSS: ``assets/nway.css``). Returns the index's link box, or "" when there is no such store."""
    from .export.nway import iter_rows, layout
    from .nway import omission_summary

    lay = layout(store)
    if lay is None:
        return ""
    langs = lay.langs
    (tmp / "nway").mkdir()
    (tmp / "assets" / "nway.css").write_text(
        "table.nway{table-layout:fixed}table.nway td.txt{white-space:pre-wrap}td.out{background:#fbeaea}"
        "td.out::after{content:'∅ left out';color:#a55;font-size:12px}td.add{background:#eaf5ea}"
        "main>label{margin-right:14px}.nf{font-size:12px;margin-top:3px}\n"
        + "".join(f"#hide-{x}:checked ~ table .c-{x}{{display:none}}" for x in langs) + "\n", encoding="utf-8")
    summary = omission_summary(store)
    ed_lang = {e: x for x, e in lay.edition_of.items()}
    docs: dict[str, list[dict]] = {}
    for did, row in iter_rows(store, lay):
        docs.setdefault(did, []).append(row)
    toggles = "".join(f'<input type="checkbox" id="hide-{esc(x)}"><label for="hide-{esc(x)}">hide {esc(x)} '
                      f'({esc(lay.edition_of[x])})</label>' for x in langs)
    lines = []
    head = "".join(f'<th class="c-{esc(x)}">{esc(x)}{" (pivot)" if x == lay.pivot_lang else ""}</th>' for x in langs)
    for did, rows in docs.items():
        body = []
        for r in rows:
            cells = []
            for x in langs:
                text = r["translation"][x]
                cls = "txt"
                if not text and r["url_" + x] and x in r["leaves_out"]:
                    cls += " out"
                elif text and x in r["adds"]:
                    cls += " add"
                # a flag is the pair's (source = this edition, target = the pivot): say which side says more
                more = {"addition": f"{lay.pivot_lang} says more", "omission": f"{x} says more"}
                fl = "".join(f'<div class="nf">{chip(f["type"])} {_sev(f["severity"])} {f["score"]:.2f}'
                             + (f' <span class="muted">{esc(more[f["type"]])}</span>' if f["type"] in more else "")
                             + '</div>' for f in r["flags_" + x])
                cells.append(f'<td class="{cls} c-{esc(x)}" lang="{esc(x)}">{esc(text)}{fl}</td>')
            body.append(f'<tr id="r{r["row_idx"]}"><td class="num">{r["row_idx"]}</td>{"".join(cells)}</tr>')
        pivot_url = rows[0]["url_" + lay.pivot_lang]
        title = next((a.title for a in [store.article_by_url(pivot_url)] if a), did)
        n_flags = sum(len(r["flags_" + x]) for r in rows for x in langs)
        page = (f'<header class="top"><nav class="pn"><a href="index.html">← all N-way units</a></nav>'
                f'<h1>{esc(title)}</h1></header><main><p>{len(rows)} rows · {n_flags} flags · pivot {link(pivot_url)}</p>'
                + toggles + f'<table class="nway"><colgroup><col class="w34px">{"<col>" * len(langs)}</colgroup>'
                f'<thead><tr><th>#</th>{head}</tr></thead><tbody>{"".join(body)}'
                '</tbody></table></main>')
        (tmp / "nway" / f"{did}.html").write_text(
            _page(f"{title} — N-way", page, prefix="../", extra_head='<link rel="stylesheet" href="../assets/nway.css">'),
            encoding="utf-8")
        linked = [x for x in langs if rows[0]["url_" + x]]
        lines.append(f'<tr><td><a href="{esc(did)}.html">{esc(title)}</a></td><td>{esc(", ".join(linked))}</td>'
                     f'<td class="num">{len(rows)}</td><td class="num">{n_flags}</td></tr>')
    srows = "".join(
        f'<tr><td>{esc(ed_lang.get(e, e))} ({esc(e)})</td><td class="num">{d["rows"]}</td><td class="num">{d["leaves_out"]}</td>'
        f'<td class="num">{d["adds"]}</td><td>{" ".join(f"{chip(t)} {n}" for t, n in d["flags"].items())}</td></tr>'
        for e, d in summary.items())
    stable = ('<table class="nwaysum"><thead><tr><th>edition</th><th class="num">rows shared with the pivot</th>'
              '<th class="num">pivot rows it leaves out</th><th class="num">rows it adds</th><th>flags against the pivot</th>'
              f'</tr></thead><tbody>{srows}</tbody></table>')
    idx = (f'<header class="top"><nav class="pn"><a href="../index.html">← all pairs</a></nav><h1>N-way view: '
           f'{esc(", ".join(langs))} (pivot {esc(lay.pivot_lang)})</h1></header><main><h2>What each edition leaves out or adds</h2>'
           f'{stable}<h2>Pivot articles</h2><table><thead><tr><th>title</th><th>editions paired with it</th><th class="num">rows</th><th class="num">flags</th>'
           f'</tr></thead><tbody>{"".join(lines)}</tbody></table></main>')
    (tmp / "nway" / "index.html").write_text(_page("N-way view — tasscorpus report", idx, prefix="../"), encoding="utf-8")
    return (f'<section class="nwaybox"><h2>{len(langs)} editions, pivot {esc(lay.pivot_lang)}: '
            f'<a href="nway/index.html">N-way view</a></h2>{stable}</section>')


def _section_table(section_type: dict[str, Counter]) -> str:
    """Number of flags per (flag type, section): types as rows, sections as columns, inside a box that scrolls
    sideways when a corpus has many sections."""
    if not section_type:
        return ""
    sections = sorted(section_type)
    types = [t for t in flag_types() if any(c.get(t) for c in section_type.values())]
    types += sorted({t for c in section_type.values() for t in c} - set(types))
    head = "".join(f'<th class="num">{esc(s)}</th>' for s in sections)
    body = "".join(
        f'<tr><td>{chip(t)}</td>'
        + "".join(f'<td class="num">{section_type[s].get(t, 0) or ""}</td>' for s in sections)
        + f'<td class="num">{sum(section_type[s].get(t, 0) for s in sections)}</td></tr>'
        for t in types
    )
    return (f'<figure class="plot wide"><figcaption>Number of flags by type and section</figcaption><div class="scroll">'
            f'<table class="sectiontype"><thead><tr><th>flag type</th>{head}<th class="num">all</th></tr></thead>'
            f'<tbody>{body}</tbody></table></div></figure>')


@click.command("report")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (created); open OUT/index.html.")
@click.pass_context
def report_cmd(ctx, out):
    """Write a static HTML review report: editions side by side, flagged differences, plots."""
    with ctx.obj.open_store(readonly=True) as store:
        try:
            path = write_report(store, out, quiet=bool(getattr(ctx.obj, "quiet", False)))
        except ReportError as e:
            raise click.ClickException(str(e)) from None
    click.echo(f"wrote report {path}")
