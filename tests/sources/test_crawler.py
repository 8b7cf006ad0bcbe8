from __future__ import annotations

import contextlib
import gzip
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources import SourceError, detect_format, read_source
from factwatch.sources.crawler import Crawler
from factwatch.sources.sitemaps import inflate, parse_sitemap

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>"""
URL = """<url><loc>{base}/{path}</loc><news:news><news:publication><news:name>Báo Mẫu</news:name><news:language>vi</news:language></news:publication>
<news:publication_date>2024-03-0{d}T08:00:00+07:00</news:publication_date><news:title>{title}</news:title></news:news></url>"""
ARTICLE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{body}</p><p>Đoạn thứ hai của bài báo với thêm thông tin chi tiết để trích xuất nội dung chính xác hơn.</p></article></body></html>"""

ARTICLES = {
    "tin/a1.html": (
        "Giá xăng giảm mạnh từ hôm nay",
        "Liên Bộ Công Thương - Tài chính điều chỉnh giá xăng dầu, xăng RON95 giảm 500 đồng mỗi lít từ 15 giờ chiều nay.",
    ),
    "tin/a2.html": (
        "Hà Nội cấm xe máy từ năm 2030?",
        "Thông tin Hà Nội cấm hoàn toàn xe máy từ năm 2030 lan truyền trên mạng xã hội là chưa chính xác, theo Sở Giao thông.",
    ),
    "private/a3.html": ("Bài nội bộ", "không được phép"),
    "tin/missing.html": ("Bài đã xóa", ""),
}


class Site:
    def __init__(self, crawl_delay: float = 0.3) -> None:
        self.log: list[tuple[float, str, dict[str, str]]] = []
        self.inflight = 0
        self.max_inflight = 0
        self.lock = threading.Lock()
        site = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with site.lock:
                    site.inflight += 1
                    site.max_inflight = max(site.max_inflight, site.inflight)
                    site.log.append((time.monotonic(), self.path, dict(self.headers)))
                try:
                    self._serve()
                finally:
                    with site.lock:
                        site.inflight -= 1

            def _send(
                self,
                code: int,
                body: bytes = b"",
                ctype: str = "text/html; charset=utf-8",
                etag: str | None = None,
            ) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def _serve(self) -> None:
                base = site.base
                if self.path == "/robots.txt":
                    self._send(
                        200,
                        f"User-agent: *\nDisallow: /private/\nCrawl-delay: {crawl_delay}\nSitemap: {base}/sitemap_index.xml\n".encode(),
                        "text/plain",
                    )
                elif self.path == "/sitemap_index.xml":
                    body = f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{base}/news.xml.gz</loc></sitemap></sitemapindex>'
                    self._send(200, body.encode(), "application/xml")
                elif self.path == "/news.xml.gz":
                    if self.headers.get("If-None-Match") == '"news-1"':
                        self._send(304)
                        return
                    urls = "".join(
                        URL.format(base=base, path=p, d=i + 1, title=t)
                        for i, (p, (t, _b)) in enumerate(ARTICLES.items())
                    )
                    self._send(
                        200,
                        gzip.compress(NEWS.format(urls=urls).encode()),
                        "application/gzip",
                        etag='"news-1"',
                    )
                elif self.path.lstrip("/") in ARTICLES and self.path != "/tin/missing.html":
                    time.sleep(0.05)
                    t, b = ARTICLES[self.path.lstrip("/")]
                    self._send(200, ARTICLE.format(title=t, body=b).encode())
                else:
                    self._send(404, b"not found")

            def log_message(self, *a: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    s = Site()
    yield s
    s.close()


def test_polite_crawl(site: Site) -> None:
    rej = Rejections(quiet=True)
    state: dict = {}
    c = Crawler(allow_private=True, delay=0.05, per_host=2)
    items = sorted(c.crawl([site.base + "/"], rej, state=state), key=lambda it: it.url or "")
    assert [it.url for it in items] == [f"{site.base}/tin/a1.html", f"{site.base}/tin/a2.html"]
    a1 = items[0]
    assert (
        a1.source == "sitemap:127.0.0.1"
        and a1.title == "Giá xăng giảm mạnh từ hôm nay"
        and a1.lang == "vi"
    )
    assert "xăng RON95 giảm 500 đồng" in a1.text
    assert a1.published_at == datetime(2024, 3, 1, 1, 0, tzinfo=UTC)
    paths = [p for _t, p, _h in site.log]
    assert "/private/a3.html" not in paths  # robots.txt respected
    assert any("disallowed by robots.txt" in r for r in rej.items)
    assert any("missing.html" in r and "404" in r for r in rej.items)
    # Crawl-delay (0.3 s) is longer than the configured delay: once robots.txt is read, requests
    # to the host start >= 0.3 s apart.
    starts = [t for t, _u in c.started]
    assert c.started[0][1].endswith("/robots.txt") and len(starts) == 6
    gaps = [b - a for a, b in zip(starts[1:], starts[2:], strict=False)]
    assert min(gaps) >= 0.28, gaps  # (less a little for sleep jitter)
    assert site.log[-1][0] - site.log[1][0] >= 0.3 * 3  # as seen by the server too
    assert site.max_inflight <= 2
    assert all(h.get("User-Agent", "").startswith("factwatch/") for _t, _p, h in site.log)
    # Second crawl: the sitemap is unchanged (304) and nothing is fetched again.
    n_before = len(site.log)
    again = list(c.crawl([site.base + "/"], Rejections(quiet=True), state=state))
    assert again == []
    new_paths = [p for _t, p, _h in site.log[n_before:]]
    assert new_paths == ["/sitemap_index.xml", "/news.xml.gz"]
    assert site.log[-1][2].get("If-None-Match") == '"news-1"'


def test_private_address_refused_by_default(site: Site) -> None:
    rej = Rejections(quiet=True)
    assert list(Crawler(delay=0).crawl([site.base + "/"], rej)) == []
    assert "non-public" in rej.items[0] and site.log == []


def test_per_host_concurrency() -> None:
    s = Site(crawl_delay=0)
    try:
        c = Crawler(allow_private=True, delay=0, per_host=1)
        items = list(c.crawl([s.base + "/"], Rejections(quiet=True)))
        assert len(items) == 2 and s.max_inflight == 1
    finally:
        s.close()


def test_news_sitemap_file(tmp_path: Path) -> None:
    urls = "".join(
        URL.format(base="https://bao.example", path=p, d=i + 1, title=t)
        for i, (p, (t, _b)) in enumerate(ARTICLES.items())
    )
    p = tmp_path / "sitemap-news.xml"
    p.write_text(NEWS.format(urls=urls + "<url><loc>ftp://x</loc></url>"), encoding="utf-8")
    assert detect_format(str(p)).name == "sitemap"
    rej = Rejections(quiet=True)
    items = list(read_source(str(p), rej))
    assert len(items) == 4 and items[1].title == "Hà Nội cấm xe máy từ năm 2030?"
    assert items[0].source == "sitemap:bao.example" and items[0].extra["publication"] == "Báo Mẫu"
    assert len(rej.items) == 1 and "ftp://x" in rej.items[0]


def test_xml_attacks_and_bombs() -> None:
    laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&c;</loc></url></urlset>'
    rej = Rejections(quiet=True)
    entries, _ = parse_sitemap(laughs, "s.xml", rej)
    assert all(len(e.loc) < 100 for e in entries)  # entities not expanded
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&e;</loc></url></urlset>'
    entries, _ = parse_sitemap(xxe, "s.xml", rej)
    assert all("root:" not in e.loc for e in entries)
    with pytest.raises(SourceError, match="gzip bomb"):
        inflate(gzip.compress(b"\0" * 60_000_000))


@settings(max_examples=150, deadline=None)
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(
        lambda s: ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + s).encode()
    )
)
def test_hypothesis_sitemap(blob: bytes) -> None:
    with contextlib.suppress(SourceError):
        parse_sitemap(blob, "h.xml", Rejections(quiet=True))
