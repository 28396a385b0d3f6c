"""A local fake TASS (both editions) on 127.0.0.1, with fault injection.

Served under ``http://127.0.0.1:<port>/<host>/<path>`` — the layout ``fetch(base_url=...)`` maps
canonical URLs to. Content is generated (invented text, not real articles): feeds (tass.ru
``yandex.xml`` with full text, tass.com ``v2.xml`` that only answers a browser-like User-Agent with
an XML Accept header, as the real one does), news sitemaps (tass.ru index → ``sitemap_news{N}``,
tass.com ``sitemap_news{0..}``), robots.txt, and article pages in three layouts (tass.com JSON-LD,
tass.com classic CSS-only, tass.ru Next.js with hashed class names).

Faults are injected per path: ``site.faults[path] = ["429", "500", ...]`` consumes one per request;
a plain string is permanent. Kinds: 429 (Retry-After), 500, 503, timeout, truncated, cp1251
(body in windows-1251, no charset), wrongcharset (UTF-8 labelled ISO-8859-1), loop (redirect loop),
offsite (redirect to another host), bot (403 challenge), bot200 (small 200 challenge page), garbage,
gzip (a gzip-encoded body), cp1251meta (windows-1251 body saying so in its <meta>, served as
ISO-8859-1), cp1251nometa (the same without the <meta>), trickle (the body dribbles out in small pieces
for up to ``trickle_seconds``, then the rest at once), trickleheaders (the same with header lines), damaged (a feed cut off inside an item after
its first items).
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MSK = timezone(timedelta(hours=3))

RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
             "октября", "ноября", "декабря"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]

RU_PLACES = ["МОСКВА", "САНКТ-ПЕТЕРБУРГ", "ИГОРА /Ленинградская область/", "КАЗАНЬ", "НОВОСИБИРСК"]
EN_PLACES = ["MOSCOW", "ST. PETERSBURG", "IGORA /Leningrad Region/", "KAZAN", "NOVOSIBIRSK"]
RU_SENT = [
    "Правительство рассмотрело проект бюджета на следующий год и одобрило основные параметры документа.",
    "По словам министра, расходы на строительство дорог в регионах вырастут почти на двенадцать процентов.",
    "Участники совещания также обсудили развитие транспортной инфраструктуры и поддержку малого бизнеса.",
    "Эксперты отмечают, что новые меры помогут сохранить устойчивый рост экономики в ближайшие годы.",
    "Ранее в ведомстве сообщили о планах расширить программу льготной ипотеки для молодых семей.",
    "Заседание комиссии продолжится на следующей неделе, когда будут подведены итоги обсуждения.",
]
EN_SENT = [
    "The government reviewed the draft budget for next year and approved the main parameters of the document.",
    "According to the minister, spending on road construction in the regions will grow by almost twelve percent.",
    "The participants of the meeting also discussed the development of transport infrastructure and support for small business.",
    "Experts note that the new measures will help maintain steady economic growth in the coming years.",
    "Earlier, the ministry reported plans to expand the preferential mortgage program for young families.",
    "The commission's meeting will continue next week, when the results of the discussion will be summed up.",
]


@dataclass
class FakeArticle:
    edition: str  # "ru" | "en"
    url: str
    title: str
    lead: str
    paragraphs: list[str]  # body paragraphs WITHOUT the dateline
    place: str
    date_printed: str
    published: datetime
    layout: str  # "feed" (ru, full text in yandex.xml), "nextjs", "jsonld", "classic"
    in_feed: bool = True

    @property
    def path(self) -> str:
        return self.url.split("://", 1)[1]

    @property
    def iso(self) -> str:
        return self.published.isoformat()

    def body_paragraphs(self) -> list[str]:
        tag = "ТАСС" if self.edition == "ru" else "TASS"
        first = f"{self.place}, {self.date_printed}. /{tag}/. {self.paragraphs[0]}"
        return [first, *self.paragraphs[1:]]


def make_articles(n_ru: int = 6, n_en: int = 6, *, start: datetime | None = None) -> list[FakeArticle]:
    """Invented articles: the newest half of each edition is in its feed, the older half only in
    sitemaps (reachable by backfill). Dates step back one day per article."""
    start = start or datetime(2026, 11, 20, 9, 15, tzinfo=MSK)
    arts: list[FakeArticle] = []
    for i in range(n_ru):
        d = start - timedelta(days=i)
        paras = [" ".join(RU_SENT[(i + k) % 6: (i + k) % 6 + 2]) or RU_SENT[0] for k in range(3)]
        paras = [p if p else RU_SENT[k] for k, p in enumerate(paras)]
        paras[0] = f"Новость номер {i + 1}: " + paras[0]
        arts.append(FakeArticle(
            edition="ru", url=f"https://tass.ru/ekonomika/{26104500 + i}",
            title=f"Правительство одобрило параметры бюджета, сообщение {i + 1}",
            lead=f"Расходы на дороги вырастут, сообщили в правительстве, сообщение {i + 1}.",
            paragraphs=paras, place=RU_PLACES[i % len(RU_PLACES)],
            date_printed=f"{d.day} {RU_MONTHS[d.month - 1]}", published=d,
            layout="feed" if i < (n_ru + 1) // 2 else "nextjs", in_feed=i < (n_ru + 1) // 2,
        ))
    for i in range(n_en):
        d = start - timedelta(days=i, hours=-2)
        paras = [" ".join(EN_SENT[(i + k) % 6: (i + k) % 6 + 2]) or EN_SENT[0] for k in range(3)]
        paras = [p if p else EN_SENT[k] for k, p in enumerate(paras)]
        paras[0] = f"News item number {i + 1}: " + paras[0]
        arts.append(FakeArticle(
            edition="en", url=f"https://tass.com/economy/{1104500 + i}",
            title=f"Government approves budget parameters, report {i + 1}",
            lead=paras[0],  # tass.com repeats the lead as the first paragraph
            paragraphs=paras, place=EN_PLACES[i % len(EN_PLACES)],
            date_printed=f"{EN_MONTHS[d.month - 1]} {d.day}", published=d,
            layout="jsonld" if i % 2 == 0 else "classic", in_feed=i < (n_en + 1) // 2,
        ))
    return arts


# ---------------------------------------------------------------------------- rendering
def _x(s: str) -> str:
    return html.escape(s, quote=True)


def render_yandex(arts: list[FakeArticle]) -> bytes:
    items = []
    for a in arts:
        items.append(
            f"<item><title>{_x(a.title)}</title><link>{a.url}</link>"
            f"<pubDate>{format_datetime(a.published)}</pubDate><description>{_x(a.lead)}</description>"
            f"<category>Экономика</category><yandex:full-text>{_x(chr(10).join(a.body_paragraphs()))}"
            f"</yandex:full-text></item>"
        )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:yandex="http://news.yandex.ru">'
            f"<channel><title>ТАСС</title>{''.join(items)}</channel></rss>").encode("utf-8")


def render_v2(arts: list[FakeArticle]) -> bytes:
    items = "".join(
        f"<item><title>{_x(a.title)}</title><link>{a.url}</link><pubDate>{format_datetime(a.published)}</pubDate>"
        f"<description>{_x(a.lead)}</description><category>Economy</category></item>"
        for a in arts
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>TASS</title>'
            f"{items}</channel></rss>").encode("utf-8")


def render_urlset(arts: list[FakeArticle]) -> bytes:
    urls = "".join(
        f"<url><loc>{a.url}</loc><news:news><news:publication><news:name>TASS</news:name>"
        f"<news:language>{a.edition}</news:language></news:publication>"
        f"<news:publication_date>{a.iso}</news:publication_date><news:title>{_x(a.title)}</news:title>"
        f"</news:news></url>"
        for a in arts
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode("utf-8")


def render_index(locs: list[str]) -> bytes:
    s = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in locs)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{s}</sitemapindex>").encode("utf-8")


_FILLER = "<!-- " + ("layout filler " * 400) + "-->"  # real pages are tens of KB


def render_page(a: FakeArticle) -> bytes:
    body = a.body_paragraphs()
    ps = "".join(f"<p>{_x(p)}</p>" for p in body)
    unix = int(a.published.timestamp())
    if a.layout == "nextjs":
        cls = "Paragraph_paragraph__x1y2z"
        ps = "".join(f'<p class="{cls}">{_x(p)}</p>' for p in body)
        return (f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{_x(a.title)}</title>'
                f'<meta property="og:title" content="{_x(a.title)}">'
                f'<meta property="article:published_time" content="{a.iso}"></head><body>{_FILLER}'
                f'<main><h1 class="NewsHeader_titles__a8Fz1">{_x(a.title)}</h1>'
                f'<div class="NewsHeader_lead__Qw3e1">{_x(a.lead)}</div>'
                f'<article class="Content_wrapper__9xZk2">{ps}</article></main>'
                f'<script id="__NEXT_DATA__" type="application/json">{{"props":{{}}}}</script></body></html>').encode()
    head = f'<meta property="og:title" content="{_x(a.title)}">'
    if a.layout == "jsonld":
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title, "description": a.lead,
              "datePublished": a.iso, "articleBody": "\n".join(body), "url": a.url}
        ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
        head += (f'<meta property="article:published_time" content="{a.iso}">'
                 f'<script type="application/ld+json">{ld_json}</script>')
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_x(a.title)}</title>{head}</head>'
            f'<body>{_FILLER}<div class="news-header"><h1 class="news-header__title">{_x(a.title)}</h1>'
            f'<div class="news-header__lead">{_x(a.lead)}</div><dateformat time="{unix}"></dateformat></div>'
            f'<div class="text-content"><div class="text-block">{ps}</div></div></body></html>').encode()


ROBOTS_RU = b"User-agent: *\nDisallow: /search\nDisallow: /preview/\nDisallow: /n/\nDisallow: */api/*\nDisallow: /video/\n"
ROBOTS_COM = b"User-agent: *\nDisallow: /search\nDisallow: */api/*\n"


def build_site(arts: list[FakeArticle], *, per_sitemap: int = 2) -> dict[str, bytes]:
    """path (``<host>/<path>``) → body for every file of the fake site."""
    site: dict[str, bytes] = {"tass.ru/robots.txt": ROBOTS_RU, "tass.com/robots.txt": ROBOTS_COM}
    ru = [a for a in arts if a.edition == "ru"]
    en = [a for a in arts if a.edition == "en"]
    site["tass.ru/rss/yandex.xml"] = render_yandex([a for a in ru if a.in_feed])
    site["tass.com/rss/v2.xml"] = render_v2([a for a in en if a.in_feed])
    for ed, lst, host in (("ru", ru, "tass.ru"), ("en", en, "tass.com")):
        chunks = [lst[i:i + per_sitemap] for i in range(0, len(lst), per_sitemap)]
        for n, ch in enumerate(chunks):
            site[f"{host}/sitemap/sitemap_news{n}.xml"] = render_urlset(ch)
        if ed == "ru":
            site["tass.ru/sitemap.xml"] = render_index(
                [f"https://tass.ru/sitemap/sitemap_news{n}.xml" for n in range(len(chunks))]
                + ["https://tass.ru/sitemap/sitemap_tags.xml"])
    for a in arts:
        if a.layout != "feed":
            site[a.path] = render_page(a)
    # an article page the fetcher must never request (robots) and an API path
    site["tass.ru/search"] = b"<html>search</html>"
    return site


def write_mirror(site: dict[str, bytes], root: Path) -> Path:
    """The same site as a mirror directory (pages get an ``.html`` suffix)."""
    for path, body in site.items():
        p = root / path
        if not (path.endswith(".xml") or path.endswith(".txt")):
            p = p.with_name(p.name + ".html")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(body)
    return root


# ---------------------------------------------------------------------------- server
@dataclass
class FakeSite:
    site: dict[str, bytes]
    faults: dict[str, list[str] | str] = field(default_factory=dict)
    delay: float = 0.0  # seconds added to every request (to let a test kill a fetch mid-way)
    timeout_sleep: float = 0.8
    trickle_seconds: float = 8.0
    requests: list[tuple[str, dict]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: dict[str, int] = field(default_factory=dict)
    max_in_flight: dict[str, int] = field(default_factory=dict)  # per host: the concurrency seen
    max_total: int = 0

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):  # quiet
                pass

            def do_GET(self):
                site._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def paths_requested(self) -> list[str]:
        return [p for p, _ in self.requests]

    def _fault(self, path: str) -> str | None:
        with self.lock:
            f = self.faults.get(path)
            if isinstance(f, list):
                return f.pop(0) if f else None
            return f

    def _send(self, h, status: int, body: bytes = b"", headers: dict | None = None, *, length: int | None = None):
        h.send_response(status)
        hdrs = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for k, v in hdrs.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body) if length is None else length))
        h.end_headers()
        self._leave(h)  # before the body goes out: the client may send its next request the moment it has it
        try:
            h.wfile.write(body)
            h.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0].lstrip("/")
        host = path.split("/", 1)[0]
        with self.lock:
            self.requests.append((path, {k.lower(): v for k, v in h.headers.items()}))
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.max_in_flight[host] = max(self.max_in_flight.get(host, 0), self.in_flight[host])
            self.max_total = max(self.max_total, sum(self.in_flight.values()))
        h.counted_host = host
        try:
            self._respond(h, path)
        finally:
            self._leave(h)

    def _leave(self, h: BaseHTTPRequestHandler) -> None:
        """The request no longer counts as in flight (once per request: at the response, or at the end)."""
        host = getattr(h, "counted_host", None)
        if host is not None:
            h.counted_host = None
            with self.lock:
                self.in_flight[host] -= 1

    def _respond(self, h: BaseHTTPRequestHandler, path: str) -> None:
        if self.delay:
            time.sleep(self.delay)
        fault = self._fault(path) or (self._fault(path[:-2]) if path.endswith("-x") else None)
        if fault == "429":
            return self._send(h, 429, b"slow down", {"Retry-After": "1"})
        if fault in ("500", "503"):
            return self._send(h, int(fault), b"server error")
        if fault == "timeout":
            time.sleep(self.timeout_sleep)
            h.close_connection = True
            return self._send(h, 503, b"late")
        if fault == "bot":
            return self._send(h, 403, b"<html><body>Are you a robot? captcha</body></html>")
        if fault == "bot200":
            return self._send(h, 200, b"<html><body><div class='captcha'>Please confirm you are not a bot: captcha</div></body></html>")
        if fault == "loop":
            nxt = path + "-x" if not path.endswith("-x") else path[:-2]
            return self._send(h, 302, b"", {"Location": f"/{nxt}"})
        if fault == "offsite":
            return self._send(h, 301, b"", {"Location": "http://example.org/elsewhere"})
        if fault == "garbage":
            return self._send(h, 200, b"<rss><channel><item><title>broken & <<<", {"Content-Type": "application/xml"})
        body = self.site.get(path)
        if body is None:
            return self._send(h, 404, b"not found")
        ctype = "application/xml; charset=utf-8" if path.endswith(".xml") else (
            "text/plain" if path.endswith(".txt") else "text/html; charset=utf-8")
        if path == "tass.com/rss/v2.xml":  # like the real one: browsers only, XML Accept
            ua, acc = h.headers.get("User-Agent", ""), h.headers.get("Accept", "")
            if not ua.startswith("Mozilla/") or "xml" not in acc:
                return self._send(h, 403, b"<html>Forbidden: captcha</html>")
        if fault == "cp1251":
            body = body.decode("utf-8").replace('<meta charset="utf-8">', "").encode("cp1251", "replace")
            ctype = "text/html"
        elif fault in ("cp1251meta", "cp1251nometa"):
            meta = '<meta charset="windows-1251">' if fault == "cp1251meta" else ""
            body = body.decode("utf-8").replace('<meta charset="utf-8">', meta).encode("cp1251", "replace")
            ctype = "text/html; charset=iso-8859-1"
        elif fault == "damaged":
            cut = body.index(b"</item>") + len(b"</item>")
            cut = body.index(b"</item>", cut) + len(b"</item>")
            body = body[:cut] + b"<item><title>broken & <<< </channel"
        elif fault == "wrongcharset":
            ctype = "text/html; charset=iso-8859-1"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if h.headers.get("If-None-Match") == etag:
            return self._send(h, 304, b"", {"ETag": etag})
        if fault == "gzip":
            import gzip

            return self._send(h, 200, gzip.compress(body), {"Content-Type": ctype, "Content-Encoding": "gzip", "ETag": etag})
        if fault == "trickle":
            h.send_response(200)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            self._leave(h)
            t_end = time.monotonic() + self.trickle_seconds
            try:
                i = 0
                while i < len(body) and time.monotonic() < t_end:
                    h.wfile.write(body[i:i + 20])
                    h.wfile.flush()
                    i += 20
                    time.sleep(0.05)
                h.wfile.write(body[i:])
                h.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if fault == "trickleheaders":
            self._leave(h)
            t_end = time.monotonic() + self.trickle_seconds
            try:
                h.wfile.write(b"HTTP/1.1 200 OK\r\n")
                n = 0
                while time.monotonic() < t_end:
                    h.wfile.write(f"X-Filler-{n}: {'x' * 20}\r\n".encode())
                    h.wfile.flush()
                    n += 1
                    time.sleep(0.05)
                h.wfile.write(f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
                h.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            h.close_connection = True
            return
        if fault == "truncated":
            h.close_connection = True
            return self._send(h, 200, body[: len(body) // 2], {"Content-Type": ctype, "ETag": etag}, length=len(body))
        return self._send(h, 200, body, {"Content-Type": ctype, "ETag": etag})


# ---------------------------------------------------------------------------- KCNA
KCNA_TEXT = {
    "kp": ("(평양 11월 {d}일발 조선중앙통신)", ["농업부문에서 올해 알곡생산계획을 넘쳐 수행하기 위한 사업이 힘있게 진행되고 있다.",
                                          "여러 도의 농장들에서 과학적인 영농방법을 받아들여 좋은 성과를 거두고 있다."]),
    "en": ("Pyongyang, November {d} (KCNA) --", ["Agricultural workers across the country are making efforts to carry out this year's grain production plan.",
                                                "Farms in several provinces have introduced scientific farming methods and achieved good results."]),
    "cn": ("朝中社平壤11月{d}日电", ["全国农业部门正在努力完成今年的粮食生产计划，各地农场积极引进科学的耕作方法。",
                               "多个道的农场取得了良好的成果，农业工作者们表示将继续努力。"]),
    "ru": ("Пхеньян, {d} ноября /ЦТАК/.", ["Работники сельского хозяйства по всей стране прилагают усилия для выполнения плана производства зерна.",
                                          "Хозяйства в нескольких провинциях внедрили научные методы земледелия и добились хороших результатов."]),
    "es": ("Pyongyang, {d} de noviembre (ACNC) --", ["Los trabajadores agrícolas de todo el país se esfuerzan por cumplir el plan de producción de cereales de este año.",
                                                     "Las granjas de varias provincias han introducido métodos científicos de cultivo y obtenido buenos resultados."]),
    "jp": ("【平壌11月{d}日発朝鮮中央通信】", ["全国の農業部門で今年の穀物生産計画を遂行するための活動が力強く行われている。",
                                   "いくつかの道の農場では科学的な営農方法を取り入れて良い成果を上げている。"]),
}


@dataclass
class KcnaArticle:
    edition: str
    url: str
    title: str
    paragraphs: list[str]  # without the dateline
    dateline: str
    day: int  # November <day>, 2026 = Juche 115
    detail: bool  # /article/detail/<hex> (new) or /article/q/<hex>.kcmsf (old)

    @property
    def path(self) -> str:
        return self.url.split("://", 1)[1]


def make_kcna_articles(per_edition: int = 2) -> list[KcnaArticle]:
    out = []
    for e, (dl, sents) in KCNA_TEXT.items():
        for i in range(per_edition):
            h = hashlib.md5(f"{e}{i}".encode()).hexdigest()
            detail = i % 2 == 1
            url = f"http://www.kcna.kp/{e}/article/detail/{h[:20]}" if detail else f"http://www.kcna.kp/{e}/article/q/{h}.kcmsf"
            day = 20 - i
            out.append(KcnaArticle(edition=e, url=url, title=f"{sents[0][:30]} {i + 1}", paragraphs=[sents[0], sents[1]],
                                   dateline=dl.format(d=day), day=day, detail=detail))
    return out


def render_kcna_page(a: KcnaArticle) -> bytes:
    ps = [f"{a.dateline} {a.paragraphs[0]}", *a.paragraphs[1:]]
    body = "".join(f"<p>{_x(p)}</p>" for p in ps)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>KCNA</title></head><body>{_FILLER}'
            f'<div class="article-main-title">{_x(a.title)}</div>'
            f'<div class="publish-time">[Juche 115.11.{a.day}.]</div>'
            f'<div class="article-content-body"><div class="content-wrapper">{body}</div></div></body></html>').encode()


def build_kcna_site(arts: list[KcnaArticle]) -> dict[str, bytes]:
    site: dict[str, bytes] = {}
    for e in KCNA_TEXT:
        lis = "".join(
            f'<li><a href="/{a.path.split("/", 1)[1]}">{_x(a.title)}<span class="publish-time">[Juche 115.11.{a.day}.]</span></a></li>'
            for a in arts if a.edition == e)
        lis += '<li><a href="http://example.org/elsewhere">elsewhere</a></li>'
        site[f"www.kcna.kp/{e}/category/articles/q/1ee9bdb7186944f765208f34ecfb5407.kcmsf"] = (
            f'<html><head><meta charset="utf-8"></head><body><ul class="article-link">{lis}</ul></body></html>').encode()
    for a in arts:
        site[a.path] = render_kcna_page(a)
    return site
