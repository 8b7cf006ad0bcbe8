import httpx
import pytest

from factwatch.cli._io import Rejections
from factwatch.sources.base import SourceError
from factwatch.sources.fetch import Fetcher, FetchRefused, check_url
from factwatch.sources.web import read_url

PRIVATE = [
    "http://127.0.0.1/admin",
    "http://localhost:8080/",
    "http://10.0.0.5/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://100.64.0.1/",
    "http://metadata.internal/",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_addresses_are_refused(url):
    with pytest.raises(FetchRefused):
        check_url(url)
    check_url(url, allow_private=True)  # explicitly allowed


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/", "gopher://x/", "http://user:pw@example.com/"],
)
def test_other_schemes_and_credentials_refused(url):
    with pytest.raises(FetchRefused):
        check_url(url, allow_private=True)


def test_ingest_command_refuses_loopback_url(cli):
    r = cli("ingest", "http://127.0.0.1:9/feed.xml")
    assert r.exit_code == 1 and "non-public address 127.0.0.1" in r.stderr


def _transport(routes):
    def handler(request: httpx.Request) -> httpx.Response:
        return routes[str(request.url)](request)

    return httpx.MockTransport(handler)


def test_redirect_to_private_address_is_refused():
    t = _transport(
        {
            "http://93.184.216.34/a": lambda r: httpx.Response(
                302, headers={"location": "http://127.0.0.1/secret"}
            )
        }
    )
    with pytest.raises(FetchRefused):
        Fetcher(transport=t).fetch("http://93.184.216.34/a")


def test_redirect_limit_and_size_cap():
    loop = _transport(
        {"http://93.184.216.34/a": lambda r: httpx.Response(302, headers={"location": "/a"})}
    )
    with pytest.raises(SourceError, match="redirects"):
        Fetcher(transport=loop, max_redirects=3).fetch("http://93.184.216.34/a")
    big = _transport(
        {"http://93.184.216.34/big": lambda r: httpx.Response(200, content=b"x" * 5000)}
    )
    with pytest.raises(SourceError, match="cap"):
        Fetcher(transport=big, max_bytes=1000).fetch("http://93.184.216.34/big")


def test_article_extraction_through_the_transport():
    html = """<html><head><title>Sự thật về nước chanh</title></head><body><nav>menu</nav><article>
    <h1>Sự thật về nước chanh</h1><p>Nhiều bài đăng trên mạng xã hội cho rằng uống nước chanh nóng mỗi sáng có thể chữa khỏi ung thư.
    Các bác sĩ khẳng định điều này không có cơ sở khoa học và người bệnh cần tuân thủ phác đồ điều trị.</p>
    <p>Bộ Y tế khuyến cáo người dân không tin vào các bài thuốc truyền miệng chưa được kiểm chứng.</p></article></body></html>"""
    t = _transport(
        {
            "http://93.184.216.34/news": lambda r: httpx.Response(
                200, headers={"content-type": "text/html; charset=utf-8"}, content=html.encode()
            )
        }
    )
    rej = Rejections(quiet=True)
    items = list(read_url("http://93.184.216.34/news", rej, fetcher=Fetcher(transport=t)))
    assert len(items) == 1 and "ung thư" in items[0].text and "menu" not in items[0].text
