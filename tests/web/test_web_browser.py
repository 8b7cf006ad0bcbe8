"""Browser tests in Debian's headless Chromium (Playwright, never a downloaded browser) against a
real uvicorn server: sign in, triage, publish, public page and feed; and XSS payloads in every
field a post, a fact-check, a verdict or a user carries, rendered on every page that shows them,
with zero script executions."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import PASSWORD, PAYLOADS, SETTINGS, seed, seed_xss

from factwatch.store import Store
from factwatch.store import review as rv

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} absent: apt-get install chromium"
    ),
]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import uvicorn
    from argon2 import PasswordHasher

    from factwatch.web.app import WebSettings, create_app

    rv._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    store = Store.open(str(tmp_path_factory.mktemp("browser") / "web.db"))
    cases = seed(store)
    for role in ("admin", "editor", "reviewer", "viewer"):
        rv.add_user(store, role, role, PASSWORD)
    xss = seed_xss(store)
    port = _free_port()
    settings = WebSettings(site=rv.Site(url=f"http://127.0.0.1:{port}", name=SETTINGS.site.name))
    app = create_app(store=store, settings=settings)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started
    yield {"url": f"http://127.0.0.1:{port}", "store": store, "cases": cases, "xss": xss}
    srv.should_exit = True
    th.join(timeout=10)
    rv._hasher = None
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _sign_in(page: Any, base: str, name: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(base + "/")


def test_sign_in_triage_publish_public_page_and_feed(server: dict[str, Any], browser: Any) -> None:
    base = server["url"]
    case_id = server["cases"]["afp-fr-002"]
    ctx = browser.new_context()
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/")
    assert page.url == base + "/login"
    _sign_in(page, base, "editor")
    cookie = next(c for c in ctx.cookies() if c["name"] == "fw_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("fw_session") == -1  # invisible to scripts
    page.select_option("select[name=lang]", "fr")
    page.click("form.filters button[type=submit]")
    page.click("a.case-link")
    assert page.url == f"{base}/cases/{case_id}"
    assert "puce 5G" in page.inner_text("#case-title")
    page.select_option("#assign-select", "reviewer")
    page.click("#assign-submit")
    assert page.inner_text("#assignee") == "reviewer"
    page.click("#move-in_review")
    assert page.inner_text("#case-status") == "In review"
    page.fill("#comment-body", "Microscope photo is a known hoax.")
    page.click("#comment-submit")
    assert "Microscope photo is a known hoax." in page.content()
    page.select_option("select[name=rating]", "False")
    page.fill("textarea[name=explanation]", "Les vaccins ne contiennent aucune puce.")
    page.fill("textarea[name=sources]", "https://ansm.example/vaccins\nhttps://who.example/5g")
    page.click("#verdict-submit")
    assert page.inner_text("#case-status") == "Verdict"
    page.click("#publish")
    assert page.inner_text("#case-status") == "Published"
    link = page.get_attribute("a[id^=public-link-]", "href")
    assert link and link.startswith("/factchecks/")

    public = browser.new_context().new_page()  # anonymous reader
    public.goto(base + link)
    assert public.inner_text("#rating") == "False"
    ld = json.loads(public.inner_text("#claimreview"))
    assert ld["claimReviewed"] == "Le vaccin contient une puce 5G" and ld["url"] == base + link
    feed = public.goto(base + "/feed.atom")
    assert (
        feed is not None
        and feed.status == 200
        and "application/atom+xml" in feed.headers["content-type"]
    )
    assert "puce 5G" in feed.text()
    assert not errors
    ctx.close()


def test_no_script_runs_from_any_payload(server: dict[str, Any], browser: Any) -> None:
    base = server["url"]
    ctx = browser.new_context()
    page = ctx.new_page()
    dialogs: list[str] = []
    console: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))
    _sign_in(page, base, "admin")
    vid = server["xss"]["verdict"]
    paths = [
        "/",
        "/?source=xss",
        "/dashboard?date_from=2026-11-01&date_to=2026-11-30",
        "/audit",
        "/factchecks",
        f"/factchecks/{vid}",
        "/feed.atom",
        "/api/v1/factchecks",
        "/api/v1/claims:search?query=script",
    ]
    paths += [f"/cases/{c}" for c in server["xss"]["cases"]]
    seen = 0
    for path in paths:
        resp = page.goto(base + path)
        assert resp is not None and resp.status == 200, path
        csp = resp.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        page.wait_for_timeout(150)  # let autofocus/onload/animation handlers fire, if any existed
        html = page.content()
        # payload texts are on the page as text, not as markup
        seen += sum(
            1 for p in PAYLOADS if p in page.evaluate("document.documentElement.textContent")
        )
        if "text/html" in (resp.headers.get("content-type") or ""):
            found = page.evaluate(
                """() => {
                const bad = [];
                for (const s of document.querySelectorAll('script'))
                    if (s.type !== 'application/ld+json') bad.push('script');
                for (const el of document.querySelectorAll('*'))
                    for (const a of el.attributes)
                        if (a.name.startsWith('on')) bad.push(el.tagName + '@' + a.name);
                for (const el of document.querySelectorAll('[href],[src],[action],[data],[formaction]'))
                    for (const n of ['href','src','action','data','formaction']) {
                        const v = (el.getAttribute(n) || '').trim().toLowerCase();
                        if (v.startsWith('javascript:') || v.startsWith('data:') || v.startsWith('vbscript:'))
                            bad.push(el.tagName + '@' + n);
                    }
                for (const el of document.querySelectorAll('iframe,object,embed,base,meta[http-equiv],link[rel=import]'))
                    bad.push(el.tagName);
                return bad;
            }"""
            )
            assert found == [], (path, found)
        assert "<script>alert" not in html.replace("&lt;script&gt;alert", "") or path.endswith(
            (".atom", ".jsonl", "factchecks", "search?query=script")
        ), path
    assert dialogs == [], dialogs
    assert not [m for m in console if "XSS" in m or "alert" in m], console
    assert seen >= 50
    ctx.close()


def test_demo_banner_when_no_user(tmp_path: Path, browser: Any) -> None:
    import uvicorn

    from factwatch.web.app import create_app

    store = Store.open(str(tmp_path / "demo.db"))
    seed(store)
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(store=store, settings=SETTINGS),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    while not srv.started:
        time.sleep(0.05)
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        assert (
            page.inner_text("#demo-banner") == "read-only demo: add a user with factwatch users add"
        )
        assert re.search("Uống nước nóng", page.content())
        assert page.locator("form[method=post]").count() == 0
        page.close()
    finally:
        srv.should_exit = True
        th.join(timeout=10)
        store.close()
