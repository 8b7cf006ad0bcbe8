"""The one way factwatch fetches a URL: time-outs, a size cap, a redirect limit, no SSRF.

Every URL that reaches the network (feeds, articles, crawls) goes through ``fetch``.  Each hop of
a redirect chain is resolved and refused when any address it resolves to is private, loopback,
link-local, multicast, reserved or unspecified, unless ``allow_private`` is set.  Tests swap the
transport (httpx's ``MockTransport``) through ``Fetcher(transport=...)``.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from factwatch.sources.base import SourceError

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "factwatch/0.1 (+https://github.com/factwatch/factwatch)"


class FetchRefused(SourceError):
    """The URL was refused before any byte was sent (scheme, private address, ...)."""


@dataclass
class Response:
    url: str  # final URL after redirects
    status: int
    headers: dict[str, str]
    content: bytes

    @property
    def text(self) -> str:
        ctype = self.headers.get("content-type", "")
        charset = "utf-8"
        if "charset=" in ctype:
            charset = ctype.split("charset=", 1)[1].split(";")[0].strip().strip('"') or "utf-8"
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"))
    )


def check_url(url: str, allow_private: bool = False, resolve: bool = True) -> None:
    """Raise ``FetchRefused`` unless ``url`` is http(s) to a public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"{url}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise FetchRefused(f"{url}: no host name")
    if parts.username or parts.password:
        raise FetchRefused(f"{url}: credentials in URLs are refused")
    if allow_private:
        return
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addrs = [literal]
    elif host.lower() == "localhost" or host.lower().endswith(
        (".localhost", ".local", ".internal")
    ):
        raise FetchRefused(f"{url}: {host} is a local name (use --allow-private to fetch it)")
    elif not resolve:
        return
    else:
        try:
            infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchRefused(f"{url}: cannot resolve {host} ({exc})") from exc
        addrs = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for ip in addrs:
        if not _is_public(ip):
            raise FetchRefused(
                f"{url}: {host} resolves to non-public address {ip} (use --allow-private to fetch it)"
            )


@dataclass
class Fetcher:
    allow_private: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    transport: httpx.BaseTransport | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url`` following at most ``max_redirects`` redirects, each hop checked."""
        # With a mock transport nothing is resolved: the test decides what each URL answers.
        resolve = self.transport is None
        hdrs = {"User-Agent": USER_AGENT, **self.headers, **(headers or {})}
        with httpx.Client(
            transport=self.transport, timeout=self.timeout, follow_redirects=False
        ) as client:
            current = url
            for _hop in range(self.max_redirects + 1):
                check_url(current, self.allow_private, resolve=resolve)
                with client.stream("GET", current, headers=hdrs) as resp:
                    if resp.status_code in (301, 302, 303, 307, 308) and "location" in resp.headers:
                        current = urljoin(current, resp.headers["location"])
                        continue
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.max_bytes:
                        raise SourceError(
                            f"{current}: response of {declared} bytes exceeds the {self.max_bytes}-byte cap"
                        )
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise SourceError(
                                f"{current}: response exceeds the {self.max_bytes}-byte cap"
                            )
                        chunks.append(chunk)
                    return Response(
                        url=str(resp.url),
                        status=resp.status_code,
                        headers={k.lower(): v for k, v in resp.headers.items()},
                        content=b"".join(chunks),
                    )
            raise SourceError(f"{url}: more than {self.max_redirects} redirects")


def fetch(url: str, allow_private: bool = False) -> Response:
    return Fetcher(allow_private=allow_private).fetch(url)
