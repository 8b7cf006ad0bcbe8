"""XSS without a browser: every payload rendered on every page that shows it comes out as text,
never as markup (no script element but JSON-LD, no event-handler attribute, no script URL)."""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient
from web_support import PAYLOADS, login, seed_xss

from factwatch.store import Store

URL_ATTRS = {"href", "src", "action", "data", "formaction", "xlink:href", "background"}


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("type") != "application/ld+json":
            self.bad.append("script")
        if tag in (
            "iframe",
            "object",
            "embed",
            "base",
            "img",
            "video",
            "audio",
            "math",
            "image",
        ) or (tag == "meta" and "http-equiv" in a):
            self.bad.append(tag)
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append(f"{tag}@{k}")
            if k in URL_ATTRS and (v or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.bad.append(f"{tag}@{k}={v}")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_payloads_render_as_text_everywhere(app, users, store: Store) -> None:
    xss = seed_xss(store)
    c = TestClient(app)
    login(c, "admin")
    pages = [
        "/",
        "/?source=xss",
        "/dashboard?date_from=2026-11-01&date_to=2026-11-30",
        "/audit",
        "/factchecks",
        f"/factchecks/{xss['verdict']}",
    ] + [f"/cases/{cid}" for cid in xss["cases"]]
    shown: set[str] = set()
    for path in pages:
        r = c.get(path)
        assert r.status_code == 200, path
        assert "script-src 'self'" in r.headers["content-security-policy"]
        p = Audit()
        p.feed(r.text)
        assert p.bad == [], (path, p.bad[:5])
        text = "".join(p.text)
        shown |= {x for x in PAYLOADS if x in text}
    assert len(shown) >= 50, len(shown)
    # non-HTML outputs: the feed is well-formed XML, the API valid JSON holding the raw strings
    import xml.etree.ElementTree as ET

    ET.fromstring(c.get("/feed.atom").content)
    api = c.get("/api/v1/factchecks").json()
    assert api["factchecks"][0]["claim"].startswith(PAYLOADS[0])
