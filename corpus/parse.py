"""Parsers: RSS feeds and article pages → :class:`~corpus.records.Article`.

Why each piece is here:

* ``parse_rss`` reads feeds with feedparser (tolerant of the real world's broken XML) but takes the
  publication time from the raw ``pubDate`` so the article keeps its own UTC offset (feedparser
  normalises to UTC and loses it). tass.ru's ``yandex.xml`` carries the whole body in
  ``<yandex:full-text>``, which saves fetching (bot-checked) pages at all.
* ``parse_article_page`` tries the most stable markup first — JSON-LD, then Open Graph / article
  meta — and only then the layout-specific CSS of tass.com and the hashed Next.js class names of
  tass.ru, because page designs change and structured data changes least.
* Page furniture inside the body markup or feed text (a headline or subtitle repeated, a photo
  credit, the desk byline, a timestamp line, «Читайте также» / "Read also" teasers, tags) is taken
  out by ``corpus.furniture.strip_furniture`` wherever it sits: it must never be aligned or flagged
  as body text. Headline, subtitle and credit are kept as ``title``, ``lead`` and ``credit``.
* Every article is language-checked against its edition (langdetect, seeded for reproducible
  answers): a Russian text under the English edition must not slip into the corpus silently, so it
  is kept with ``status="lang_mismatch"`` and a reason.
* A bot-check page is recognised and reported as such (:class:`BotCheck`); it is never worked around.
"""

from __future__ import annotations

import email.utils
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

from .furniture import strip_furniture
from .records import Article

__all__ = [
    "FeedItem", "ParseError", "BotCheck", "edition_lang", "parse_rss",
    "article_from_feed_item", "parse_article_page", "decode_html", "check_language", "is_bot_check", "finish_article",
]

MOSCOW = timezone(timedelta(hours=3))  # TASS publishes in Moscow time (UTC+3, no DST since 2014)


class ParseError(Exception):
    """Input that cannot be parsed into what was asked (malformed feed, page without an article)."""


class BotCheck(ParseError):
    """The server answered with a bot-check / access-denied page instead of content."""


@dataclass(frozen=True)
class FeedItem:
    """One item of an RSS feed."""

    url: str
    title: str
    lead: str = ""
    published: str = ""  # ISO 8601 with timezone
    section: str = ""
    full_text: str | None = None  # the whole body when the feed carries it (tass.ru yandex.xml)
    source: str = ""
    edition: str = ""


def edition_lang(source: str, edition: str) -> str:
    """The language of a source's edition, as the source plug-in declares it (``corpus.fetch.sources``)."""
    from .fetch.sources import edition_lang as declared

    return declared(source, edition)


# ---------------------------------------------------------------------------- small helpers
_WS = re.compile(r"\s+")


def _clean(s: str | None) -> str:
    """Collapse whitespace (incl. NBSP) to single spaces; web text comes with arbitrary spacing."""
    return _WS.sub(" ", (s or "").replace("\xa0", " ")).strip()


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=MOSCOW)
    return dt.isoformat()


def normalize_date(value: str | None) -> str:
    """RFC 822, ISO 8601 or unix seconds → ISO 8601 with timezone ("" when unparseable)."""
    v = (value or "").strip()
    if not v:
        return ""
    if re.fullmatch(r"\d{9,11}", v):
        return datetime.fromtimestamp(int(v), MOSCOW).isoformat()
    try:
        return _iso(datetime.fromisoformat(v.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return _iso(email.utils.parsedate_to_datetime(v))
    except (TypeError, ValueError, IndexError):
        return ""


def section_from_url(url: str) -> str:
    """The rubric/section slug: the first path segment of an article URL with more than one segment."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return parts[0] if len(parts) >= 2 else ""


def _html_to_paragraphs(text: str) -> list[str]:
    """Feed text may be plain (paragraphs on lines) or HTML (<p>…</p>); both become paragraphs."""
    if "<" in text and re.search(r"</?(p|br|div|b|i|a|strong|em)\b", text, re.I):
        from selectolax.lexbor import LexborHTMLParser as HTMLParser

        tree = HTMLParser(f"<div id='root'>{text}</div>")
        ps = [_clean(n.text(separator="")) for n in tree.css("p")]
        if ps:
            return [p for p in ps if p]
        for br in tree.css("br"):
            br.replace_with("\n")
        root = tree.css_first("#root")
        text = root.text(separator="") if root else text
    return [p for p in (_clean(line) for line in text.split("\n")) if p]


# ---------------------------------------------------------------------------- feeds
def parse_rss(xml: bytes, *, source: str, edition: str, base_url: str | None = None) -> list[FeedItem]:
    """Items of an RSS/Atom feed. Raises :class:`ParseError` when nothing usable can be read.

    A feed that is malformed but still yields items (feedparser's ``bozo``) is accepted: the items
    read before the damage are real. ``base_url`` resolves relative links.
    """
    import feedparser

    if not xml or not xml.strip():
        raise ParseError("empty feed")
    d = feedparser.parse(xml)
    if not d.entries:
        why = f": {d.get('bozo_exception')}" if d.get("bozo") else ""
        raise ParseError(f"no items in feed{why}".replace("\n", " ")[:300])
    items: list[FeedItem] = []
    for e in d.entries:
        link = e.get("link") or e.get("id") or ""
        if base_url:
            link = urljoin(base_url, link)
        if not link or not urlsplit(link).scheme.startswith("http"):
            continue
        raw_date = e.get("published") or e.get("updated") or ""
        full = e.get("yandex_full-text") or e.get("full-text")
        if not full:
            for c in e.get("content", []) or []:
                if c.get("value") and len(c["value"]) > len(e.get("summary", "")):
                    full = c["value"]
                    break
        tags = e.get("tags") or []
        items.append(
            FeedItem(
                url=link.strip(),
                title=_clean(_strip_tags(e.get("title", ""))),
                lead=_clean(_strip_tags(e.get("summary", ""))),
                published=normalize_date(raw_date),
                section=section_from_url(link) or (_clean(tags[0].get("term")) if tags else ""),
                full_text=full if full and full.strip() else None,
                source=source,
                edition=edition,
            )
        )
    if not items:
        raise ParseError("feed has items but none with a usable link")
    return items


def _strip_tags(s: str) -> str:
    if "<" not in s:
        return s
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    return HTMLParser(f"<div>{s}</div>").text(separator="")


def article_from_feed_item(item: FeedItem, *, fetched: str = "", origin: str = "rss") -> Article:
    """An article built from a feed item that carries the full text (``item.full_text``)."""
    if not item.full_text:
        raise ParseError(f"feed item {item.url} has no full text")
    art = Article(
        source=item.source,
        edition=item.edition,
        lang=edition_lang(item.source, item.edition),
        url=item.url,
        title=item.title,
        lead=item.lead,
        paragraphs=tuple(_html_to_paragraphs(item.full_text)),
        published=item.published,
        fetched=fetched or now_iso(),
        section=item.section,
        origin=origin,
    )
    return finish_article(art)


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# ---------------------------------------------------------------------------- pages
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset=["']?([A-Za-z0-9_\-]{2,30})""", re.I)


def decode_html(body: bytes, content_type: str = "") -> str:
    """Bytes → text whatever the server claims: a wrong or missing charset is common.

    Valid UTF-8 is taken as UTF-8 (a false positive is practically impossible for non-ASCII text,
    and servers often mislabel it as Latin-1); otherwise the declared charset (HTTP header, then
    ``<meta charset>``) if it decodes cleanly; otherwise charset-normalizer's guess.
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = []
    m = re.search(r"charset=([\w\-]+)", content_type or "", re.I)
    if m:
        declared.append(m.group(1))
    m2 = _META_CHARSET.search(body[:4096])
    if m2:
        declared.append(m2.group(1).decode("ascii"))
    for cs in declared:
        try:
            return body.decode(cs)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # declared dependency; keep a usable fallback all the same
        return body.decode("cp1251", "replace")
    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", "replace")


_BOT_MARKERS = (
    "captcha", "are you a robot", "are you human", "bot check", "access denied", "ddos-guard",
    "qrator", "cf-challenge", "checking your browser", "вы робот", "проверка браузера", "доступ ограничен",
    "подтвердите, что вы не робот",
)


def is_bot_check(html: bytes | str, http_status: int | None = None) -> bool:
    """A bot-check / access-denied page: 403 (or 401), or a small page with a challenge marker.

    Small = under ~5 KB, as archived bot-check stubs are; a real article page is far larger, so a
    marker word inside an article's text does not trip this.
    """
    if http_status in (401, 403):
        return True
    raw = html if isinstance(html, bytes) else html.encode("utf-8", "replace")
    if len(raw) >= 5000:
        return False
    low = raw.decode("utf-8", "replace").lower()
    return any(m in low for m in _BOT_MARKERS)


def _jsonld_article(tree) -> dict:
    """The first NewsArticle/Article object among the page's JSON-LD blocks ({} when none)."""
    want = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting"}

    def walk(o):
        if isinstance(o, list):
            for x in o:
                yield from walk(x)
        elif isinstance(o, dict):
            t = o.get("@type")
            types = t if isinstance(t, list) else [t]
            if any(isinstance(x, str) and x.lower() in want for x in types):
                yield o
            if "@graph" in o:
                yield from walk(o["@graph"])

    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(deep=True, separator="", strip=False) or "")
        except (json.JSONDecodeError, ValueError):
            continue
        for obj in walk(data):
            return obj
    return {}


def _meta(tree, *names: str) -> str:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            n = tree.css_first(f'meta[{attr}="{name}"]')
            if n is not None and n.attributes.get("content"):
                return _clean(n.attributes["content"])
    return ""


def _text(node) -> str:
    # separator "" keeps "a <b>b</b>." as "a b." (inline markup must not add spaces)
    return _clean(node.text(separator="")) if node is not None else ""


def _css_paragraphs(tree) -> list[str]:
    """Body paragraphs from visible markup: tass.com's .text-content / .text-block p, or tass.ru's
    Next.js ``Paragraph_paragraph__<hash>`` elements, or a generic <article> p."""
    for sel in (
        ".text-content .text-block p",
        ".text-block p",
        ".text-content p",
        '[class*="Paragraph_paragraph__"]',
        '[class*="text-content"] p',
        "article p",
    ):
        ps = [_text(n) for n in tree.css(sel)]
        ps = [p for p in ps if p]
        if ps:
            return ps
    return []


def _first(tree, *selectors: str) -> str:
    for sel in selectors:
        t = _text(tree.css_first(sel))
        if t:
            return t
    return ""


def parse_article_page(html: bytes | str, url: str, *, source: str, edition: str,
                       feed_item: FeedItem | None = None, origin: str = "page", fetched: str = "",
                       http_status: int | None = None, content_type: str = "") -> Article:
    """An article from its page. Raises :class:`BotCheck` for bot-check pages and
    :class:`ParseError` when the page holds no article; ``feed_item`` fills gaps (title, lead, date)."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    if is_bot_check(html, http_status):
        raise BotCheck(f"bot-check page ({len(html)} bytes)" + (f", HTTP {http_status}" if http_status else ""))
    text = decode_html(html, content_type) if isinstance(html, bytes) else html
    tree = HTMLParser(text)
    ld = _jsonld_article(tree)

    title = _clean(ld.get("headline")) or _meta(tree, "og:title") or _first(
        tree, ".news-header__title", 'h1[class*="NewsHeader_title"]', '[class*="title"] h1', "h1"
    )
    lead = _clean(ld.get("description")) or _first(
        tree, ".news-header__lead", '[class*="NewsHeader_lead"]', '[class*="Lead_lead__"]'
    ) or _meta(tree, "og:description", "description")
    published = normalize_date(ld.get("datePublished")) or normalize_date(_meta(tree, "article:published_time"))
    if not published:
        df = tree.css_first("dateformat[time]")
        if df is not None:
            published = normalize_date(df.attributes.get("time"))
    if not published:
        tm = tree.css_first("time[datetime]")
        if tm is not None:
            published = normalize_date(tm.attributes.get("datetime"))
    body = ld.get("articleBody")
    paragraphs = _html_to_paragraphs(body) if isinstance(body, str) and body.strip() else []
    if len(paragraphs) <= 1:
        # no JSON-LD body, or one without paragraph breaks: the visible markup keeps the paragraphs
        css = _css_paragraphs(tree)
        if len(css) > len(paragraphs):
            paragraphs = css

    if feed_item is not None:
        title = title or feed_item.title
        lead = lead or feed_item.lead
        published = published or feed_item.published
    if not title and not paragraphs:
        if any(m in text.lower() for m in _BOT_MARKERS):  # a big challenge page (JS challenge etc.)
            raise BotCheck(f"bot-check page ({len(html)} bytes, no article)")
        raise ParseError("no article found on page (no title, no body)")
    art = Article(
        source=source,
        edition=edition,
        lang=edition_lang(source, edition),
        url=url,
        title=title,
        lead=lead,
        paragraphs=tuple(paragraphs),
        published=published,
        fetched=fetched or now_iso(),
        section=section_from_url(url) or (feed_item.section if feed_item else ""),
        origin=origin,
    )
    return finish_article(art)


# ---------------------------------------------------------------------------- dateline + language
def finish_article(art: Article) -> Article:
    """Take page furniture and the dateline (wherever it stands in the first paragraphs) off the
    body into their fields, then check status (empty / language). A headline or subtitle found in
    the body fills ``title`` / ``lead`` only when the page markup gave none."""
    page = strip_furniture(art.paragraphs, art.lang, headline=art.title, subtitle=art.lead, pasted=False)
    art = replace(
        art, paragraphs=tuple(page.body), dateline_place=page.dateline_place, dateline_date=page.dateline_date,
        title=art.title or page.fields.get("headline", ""), lead=art.lead or page.fields.get("subtitle", ""),
        credit=art.credit or page.fields.get("credit", ""),
    )
    if not art.paragraphs:
        return replace(art, status="empty", status_reason="no body text")
    ok, reason = check_language(" ".join([art.title, *art.paragraphs]), art.lang)
    if not ok:
        return replace(art, status="lang_mismatch", status_reason=reason + _edition_note(art, reason))
    return art


def lang_edition(source: str, lang: str) -> str | None:
    """The edition of ``source`` whose language is ``lang`` (``kcna``, ``ko`` → ``kp``), or None."""
    from .fetch.sources import SOURCES, editions, load

    load()
    if source not in SOURCES:
        return None
    return next((e for e, la in editions(source).items() if la == lang), None)


def _edition_note(art: Article, reason: str) -> str:
    """Where edition codes are not language codes (KCNA's kp, cn, jp), name both editions in the reason."""
    m = re.match(r"langdetect says (\S+)", reason)
    other = lang_edition(art.source, m.group(1)) if m else None
    if art.edition == art.lang and (other is None or other == m.group(1)):
        return ""
    return f" (article under the {art.edition} edition" + (f"; reads like the {other} edition)" if other else ")")


def check_language(text: str, expected: str, *, min_prob: float = 0.3) -> tuple[bool, str]:
    """(ok, reason): is ``text`` in the ``expected`` language (ISO 639-1)?

    ``align.langid.language_probs`` decides: the script for Korean, Japanese and Chinese (langdetect reads kanji-heavy
    Japanese as Korean), seeded langdetect for the others. Texts with too few letters to judge pass (a verdict on
    them would be noise).
    """
    from align.langid import language_probs

    probs = language_probs(text)
    if not probs or probs.get(expected, 0.0) >= min_prob:
        return True, ""
    top = max(probs.items(), key=lambda kv: kv[1])
    return False, f"langdetect says {top[0]} ({top[1]:.2f}), edition language is {expected}"
