"""The web app in process: demo mode, sign-in, CSRF, roles, the review workflow, publishing,
public pages, feed, API, exports and the audit log."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import feedparser
import pytest
from fastapi.testclient import TestClient
from web_support import PASSWORD, SETTINGS, login

from factwatch.store import Store
from factwatch.store import review as rv
from factwatch.web.app import CSP, WebSettings, create_app

SOURCES = "https://who.example/myths\nhttps://moh.example/covid"


class _LD(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.blocks: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
            self.inside = dict(attrs).get("type") == "application/ld+json"
            if self.inside:
                self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.blocks[-1] += data


def test_demo_mode_read_only(app, cases, store: Store) -> None:
    c = TestClient(app)
    r = c.get("/")
    assert r.status_code == 200
    assert "read-only demo: add a user with factwatch users add" in r.text
    assert "Uống nước nóng chữa khỏi COVID-19" in r.text
    case_id = cases["afp-vi-001"]
    page = c.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert 'name="csrf_token"' not in page.text  # no form at all
    for path, data in [
        (f"/cases/{case_id}/comment", {"body": "x"}),
        (f"/cases/{case_id}/status", {"status": "in_review"}),
        (f"/cases/{case_id}/verdict", {"rating": "False", "explanation": "x", "sources": SOURCES}),
        (f"/cases/{case_id}/publish", {}),
        (f"/cases/{case_id}/assign", {"assignee": ""}),
    ]:
        assert c.post(path, data=data | {"csrf_token": ""}).status_code == 403
    assert store.get_case(case_id).status == "new"  # type: ignore[union-attr]
    # the first user ends demo mode: now everything but public pages needs sign-in
    rv.add_user(store, "ed", "editor", PASSWORD)
    assert c.get("/", follow_redirects=False).headers["location"] == "/login"
    assert c.get(f"/cases/{case_id}", follow_redirects=False).status_code == 303
    assert c.get("/dashboard", follow_redirects=False).status_code == 303
    assert c.get("/feed.atom").status_code == 200
    assert c.get("/api/v1/factchecks").status_code == 200


def test_security_headers_and_cookie_flags(app, users) -> None:
    c = TestClient(app)
    page = c.get("/login")
    assert page.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert page.headers["x-frame-options"] == "DENY"
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = c.post(
        "/login",
        data={"name": "editor", "password": PASSWORD, "login_token": token},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"]
    assert "fw_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    # the database keeps only a hash of the session token
    value = re.search(r"fw_session=([^;]+)", cookie).group(1)  # type: ignore[union-attr]
    from sqlalchemy import select

    from factwatch.store.schema_review import sessions

    with app.state.store.engine.connect() as conn:
        stored = [x[0] for x in conn.execute(select(sessions.c.token_hash))]
    assert value not in stored and len(stored) == 1


def test_login_wrong_password_rate_limited_and_login_csrf(app, users) -> None:
    c = TestClient(app)
    page = c.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    # no double-submit token: refused even with the right password
    bad = TestClient(app).post(
        "/login", data={"name": "editor", "password": PASSWORD, "login_token": token}
    )
    assert bad.status_code == 403
    codes = []
    for _ in range(6):
        page = c.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        codes.append(
            c.post(
                "/login", data={"name": "viewer", "password": "nope", "login_token": token}
            ).status_code
        )
    assert codes[:5] == [401] * 5 and codes[5] == 429
    page = c.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = c.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "login_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 429  # even the right password waits until the window passes
    assert argon2_hash_stored(app.state.store, "viewer")


def argon2_hash_stored(store: Store, name: str) -> bool:
    from sqlalchemy import select

    from factwatch.store.schema_review import users

    with store.engine.connect() as conn:
        h = conn.execute(select(users.c.password_hash).where(users.c.name == name)).scalar_one()
    return h.startswith("$argon2id$") and PASSWORD not in h


def test_csrf_refused_without_or_with_wrong_token(signed_in, cases, store: Store) -> None:
    s = signed_in("admin")
    case_id = cases["afp-fr-002"]
    assert s.client.post(f"/cases/{case_id}/comment", data={"body": "no token"}).status_code == 403
    r = s.client.post(f"/cases/{case_id}/comment", data={"body": "bad", "csrf_token": "x" * 43})
    assert r.status_code == 403
    # another session's token does not work either
    other = signed_in("editor")
    r = s.client.post(
        f"/cases/{case_id}/status", data={"status": "in_review", "csrf_token": other.csrf}
    )
    assert r.status_code == 403
    assert store.get_case(case_id).status == "new"  # type: ignore[union-attr]
    r = s.client.post(
        f"/cases/{case_id}/comment",
        data={"body": "ok", "csrf_token": s.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    # header form works for scripts
    r = s.client.post(
        f"/cases/{case_id}/comment",
        data={"body": "hdr"},
        headers={"X-CSRF-Token": s.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303


def _actions(case_id: int, csrf: str) -> dict[str, tuple[str, dict[str, str]]]:
    return {
        "assign": (f"/cases/{case_id}/assign", {"assignee": "reviewer", "csrf_token": csrf}),
        "comment": (f"/cases/{case_id}/comment", {"body": "looks false", "csrf_token": csrf}),
        "status": (f"/cases/{case_id}/status", {"status": "in_review", "csrf_token": csrf}),
        "verdict": (
            f"/cases/{case_id}/verdict",
            {
                "rating": "False",
                "explanation": "WHO says no.",
                "sources": SOURCES,
                "csrf_token": csrf,
            },
        ),
        "publish": (f"/cases/{case_id}/publish", {"csrf_token": csrf}),
    }


ALLOWED = {
    "viewer": set(),
    "reviewer": {"assign", "comment", "status", "verdict"},
    "editor": {"assign", "comment", "status", "verdict", "publish"},
    "admin": {"assign", "comment", "status", "verdict", "publish"},
}


@pytest.mark.parametrize("role", ["viewer", "reviewer", "editor", "admin"])
def test_role_permissions(role: str, signed_in, cases, store: Store) -> None:
    s = signed_in(role)
    case_id = cases["fc-en-003"]
    for name in ("assign", "comment", "status", "verdict", "publish"):
        path, data = _actions(case_id, s.csrf)[name]
        r = s.client.post(path, data=data, follow_redirects=False)
        if name in ALLOWED[role]:
            assert r.status_code == 303, (role, name, r.text)
        else:
            assert r.status_code == 403, (role, name, r.status_code)
    fb = s.client.post(
        f"/cases/{case_id}/not-about",
        data={
            "item_id": str(store.get_case(case_id).item_ids[0]),
            "factcheck_id": "fc-en-003",
            "csrf_token": s.csrf,
        },  # type: ignore[union-attr]
        follow_redirects=False,
    )
    assert fb.status_code == (403 if role == "viewer" else 303)
    audit = s.client.get("/audit")
    assert audit.status_code == (200 if role == "admin" else 403)
    status = store.get_case(case_id).status  # type: ignore[union-attr]
    assert (
        status
        == {"viewer": "new", "reviewer": "verdict", "editor": "published", "admin": "published"}[
            role
        ]
    )
    # the audit log cannot be changed from the app: no route accepts a write
    for method in ("post", "put", "delete", "patch"):
        assert getattr(s.client, method)("/audit").status_code == 405


def test_verdict_validation(signed_in, cases) -> None:
    s = signed_in("reviewer")
    case_id = cases["afp-vi-001"]
    base = {
        "rating": "False",
        "explanation": "Không đúng.",
        "sources": SOURCES,
        "csrf_token": s.csrf,
    }
    assert (
        s.client.post(
            f"/cases/{case_id}/verdict", data=base | {"rating": "Pants on fire"}
        ).status_code
        == 400
    )
    assert (
        s.client.post(f"/cases/{case_id}/verdict", data=base | {"explanation": "  "}).status_code
        == 400
    )
    assert (
        s.client.post(f"/cases/{case_id}/verdict", data=base | {"sources": ""}).status_code == 400
    )
    r = s.client.post(f"/cases/{case_id}/verdict", data=base | {"sources": "javascript:alert(1)"})
    assert r.status_code == 400 and "not an http(s) URL" in r.text
    # publishing before a verdict is refused (case is new)
    ed = signed_in("editor")
    assert (
        ed.client.post(f"/cases/{case_id}/publish", data={"csrf_token": ed.csrf}).status_code == 400
    )
    # a bad status move is refused
    assert (
        s.client.post(
            f"/cases/{case_id}/status", data={"status": "published", "csrf_token": s.csrf}
        ).status_code
        == 400
    )


def test_configurable_rating_scale(store: Store, cases, users) -> None:
    app = create_app(
        store=store, settings=WebSettings(site=SETTINGS.site, ratings=("Correct", "Incorrect"))
    )
    c = TestClient(app)
    csrf = login(c, "reviewer")
    case_id = cases["afp-vi-001"]
    page = c.get(f"/cases/{case_id}").text
    assert '<option value="Incorrect">' in page and "Mostly true" not in page
    ok = c.post(
        f"/cases/{case_id}/verdict",
        data={"rating": "Incorrect", "explanation": "x", "sources": SOURCES, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert ok.status_code == 303


def test_full_workflow_publish_and_public_outputs(signed_in, cases, store: Store) -> None:
    rev = signed_in("reviewer")
    ed = signed_in("editor")
    case_id = cases["afp-vi-001"]
    item_ids = store.get_case(case_id).item_ids  # type: ignore[union-attr]
    assert len(item_ids) == 3
    # queue: filters and spread sort
    q = rev.client.get("/", params={"lang": "vi"}).text
    assert "Uống nước nóng" in q and "puce 5G" not in q
    q = rev.client.get("/", params={"source": "telegram"}).text
    assert "puce 5G" in q and "Uống nước nóng" not in q
    q = rev.client.get("/", params={"signal": "claim_match", "sort": "spread"}).text
    assert q.index("Uống nước nóng") < q.index("puce 5G") < q.index("water supply")
    assert "No case matches" in rev.client.get("/", params={"date_from": "2026-12-01"}).text
    # the date filter selects cases by when they were first seen
    day = rev.client.get("/", params={"date_from": "2026-11-20", "date_to": "2026-11-20"}).text
    assert "Uống nước nóng" in day and "puce 5G" in day
    assert "No case matches" in rev.client.get("/", params={"date_from": "2026-11-21"}).text
    # case page: items, evidence, matched fact-check with its score, spread chart
    page = rev.client.get(f"/cases/{case_id}").text
    assert (
        "Nguyễn Văn A" in page and "best score 0.810" in page and "<svg" in page and "dense" in page
    )
    for name, data in [
        ("assign", {"assignee": "reviewer"}),
        ("status", {"status": "in_review"}),
        ("comment", {"body": "Checking with the health ministry."}),
        (
            "verdict",
            {
                "rating": "False",
                "explanation": "Hot water does not cure COVID-19.",
                "sources": SOURCES,
                "claimant": "Facebook posts",
            },
        ),
    ]:
        r = rev.client.post(
            f"/cases/{case_id}/{name}", data=data | {"csrf_token": rev.csrf}, follow_redirects=False
        )
        assert r.status_code == 303, (name, r.text)
    assert store.get_case(case_id).status == "verdict"  # type: ignore[union-attr]
    mine = rev.client.get("/", params={"assignee": "reviewer"}).text
    assert "Uống nước nóng" in mine and "puce 5G" not in mine
    r = ed.client.post(
        f"/cases/{case_id}/publish", data={"csrf_token": ed.csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    assert store.get_case(case_id).status == "published"  # type: ignore[union-attr]
    page = ed.client.get(f"/cases/{case_id}").text
    link = re.search(r'href="(/factchecks/\d+)"', page).group(1)  # type: ignore[union-attr]

    # the fact-check base has it at once
    fcs = [fc for fc in store.list_factchecks() if fc.id.startswith("Factwatch Desk:verdict:")]
    assert len(fcs) == 1
    fc = fcs[0]
    assert fc.rating == "False" and fc.lang == "vi" and fc.url == "https://checks.example" + link
    assert fc.appearances == [
        "https://facebook.example/posts/1",
        "https://zalo.example/m/2",
        "https://facebook.example/posts/3",
    ]

    anon = TestClient(ed.client.app)
    pub = anon.get(link)
    assert pub.status_code == 200 and "Hot water does not cure COVID-19." in pub.text
    p = _LD()
    p.feed(pub.text)
    assert [s.get("type") for s in p.scripts] == [
        "application/ld+json"
    ]  # the only script: data, not code
    ld = json.loads(p.blocks[0])
    assert ld["@type"] == "ClaimReview" and ld["@context"] == "https://schema.org"
    assert ld["claimReviewed"] == "Uống nước nóng chữa khỏi COVID-19"
    assert ld["reviewRating"]["alternateName"] == "False"
    assert ld["itemReviewed"]["@type"] == "Claim"
    assert [a["url"] for a in ld["itemReviewed"]["appearance"]] == fc.appearances
    assert ld["itemReviewed"]["author"]["name"] == "Facebook posts"
    assert ld["author"]["name"] == "Factwatch Desk"
    assert ld["url"] == fc.url and ld["inLanguage"] == "vi" and ld["datePublished"].startswith("20")

    feed = feedparser.parse(anon.get("/feed.atom").content)
    assert (
        not feed.bozo
        and feed.entries[0].link == fc.url
        and "Uống nước nóng" in feed.entries[0].title
    )
    assert feed.entries[0].summary == "Hot water does not cure COVID-19."
    api = anon.get("/api/v1/factchecks").json()
    assert (
        api["factchecks"][0]["id"] == fc.id and api["factchecks"][0]["claimReview"]["url"] == fc.url
    )
    search = anon.get(
        "/api/v1/claims:search", params={"query": "uong nuoc nong", "languageCode": "vi"}
    ).json()
    cl = search["claims"][0]
    assert cl["text"] == fc.claim and cl["claimant"] == "Facebook posts"
    rvw = cl["claimReview"][0]
    assert rvw["publisher"] == {"name": "Factwatch Desk", "site": "checks.example"}
    assert rvw["url"] == fc.url and rvw["textualRating"] == "False" and rvw["languageCode"] == "vi"
    assert {"title", "reviewDate"} <= set(rvw)
    assert anon.get(
        "/api/v1/claims:search", params={"query": "uong nuoc nong", "languageCode": "fr"}
    ).json() == {"claims": []}
    assert anon.get("/api/v1/claims:search").status_code == 400
    rows = list(csv.DictReader(io.StringIO(anon.get("/export/factchecks.csv").text)))
    assert rows[0]["id"] == fc.id and rows[0]["rating"] == "False"
    lines = anon.get("/export/factchecks.jsonl").text.splitlines()
    assert json.loads(lines[0])["url"] == fc.url
    # dashboard shows the verdict and the top spreading claim
    dash = ed.client.get("/dashboard", params={"date_from": "2026-11-01"}).text
    assert "Top spreading claims" in dash and "Uống nước nóng" in dash


def test_claims_search_paging(signed_in, store: Store, cases) -> None:
    ed = signed_in("editor")
    for fc_id in ("afp-vi-001", "afp-fr-002", "fc-en-003"):
        cid = cases[fc_id]
        ed.client.post(
            f"/cases/{cid}/verdict",
            data={
                "rating": "False",
                "explanation": "no",
                "sources": SOURCES,
                "claim": f"shared word {fc_id}",
                "csrf_token": ed.csrf,
            },
        )
        ed.client.post(f"/cases/{cid}/publish", data={"csrf_token": ed.csrf})
    c = ed.client
    first = c.get("/api/v1/claims:search", params={"query": "shared WORD", "pageSize": 2}).json()
    assert len(first["claims"]) == 2 and first["nextPageToken"]
    second = c.get(
        "/api/v1/claims:search",
        params={"query": "shared word", "pageSize": 2, "pageToken": first["nextPageToken"]},
    ).json()
    assert len(second["claims"]) == 1 and "nextPageToken" not in second
    texts = {x["text"] for x in first["claims"] + second["claims"]}
    assert len(texts) == 3


def test_not_about_feedback_reaches_the_matcher(signed_in, cases, store: Store) -> None:
    s = signed_in("reviewer")
    case_id = cases["afp-fr-002"]
    item_id = store.get_case(case_id).item_ids[0]  # type: ignore[union-attr]
    item = store.get_items([item_id])[0]
    r = s.client.post(
        f"/cases/{case_id}/not-about",
        data={"item_id": str(item_id), "factcheck_id": "afp-fr-002", "csrf_token": s.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert (item.content_hash, "afp-fr-002") in store.rejected_pairs()
    assert "marked not about this claim" in s.client.get(f"/cases/{case_id}").text
    # an item that is not in the case is refused
    other = store.get_case(cases["fc-en-003"]).item_ids[0]  # type: ignore[union-attr]
    r = s.client.post(
        f"/cases/{case_id}/not-about",
        data={"item_id": str(other), "factcheck_id": "afp-fr-002", "csrf_token": s.csrf},
    )
    assert r.status_code == 400


def test_audit_log_records_who_what_when_before_after(signed_in, cases, store: Store) -> None:
    s = signed_in("admin")
    case_id = cases["fc-en-003"]
    s.client.post(f"/cases/{case_id}/status", data={"status": "dismissed", "csrf_token": s.csrf})
    rows, total = rv.list_audit(store, object_type="case", object_id=str(case_id))
    assert total == 1
    a = rows[0]
    assert a["actor"] == "admin" and a["action"] == "case.status"
    assert (
        a["before"] == {"status": "new"}
        and a["after"] == {"status": "dismissed"}
        and a["at"] is not None
    )
    page = s.client.get("/audit").text
    assert "case.status" in page and "session.login" in page and "user.add" in page


def test_logout_ends_session(signed_in) -> None:
    s = signed_in("viewer")
    assert (
        s.client.post("/logout", data={"csrf_token": s.csrf}, follow_redirects=False).status_code
        == 303
    )
    assert s.client.get("/", follow_redirects=False).status_code == 303


def test_static_assets_served_locally(app) -> None:
    c = TestClient(app)
    css = c.get("/static/app.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    page = c.get("/login").text
    assert (
        "http://"
        not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", page.split("<body>")[0]).replace(
            "https://", "http://"
        )
        or "cdn" not in page
    )
    assert not re.search(r'(src|href)="(https?:)?//', page)
