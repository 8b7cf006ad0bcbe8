"""Helpers of the web app tests: seed data through the Store API, sign in like a browser."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from factwatch.models import FactCheck, Item, Signal
from factwatch.store import Store
from factwatch.store import review as rv
from factwatch.web.app import WebSettings

DATA = Path(__file__).parent.parent / "data" / "web"
PASSWORD = "correct horse battery"
ROLES = ("admin", "editor", "reviewer", "viewer")
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def load_jsonl(name: str) -> list[dict]:
    return [
        json.loads(x) for x in (DATA / name).read_text(encoding="utf-8").splitlines() if x.strip()
    ]


def seed(store: Store) -> dict[str, int]:
    """Fact-checks, posts, claim_match signals and one case per fact-check; -> fc id -> case id."""
    store.upsert_factchecks([FactCheck(**fc) for fc in load_jsonl("factchecks.jsonl")])
    cases: dict[str, int] = {}
    for p in load_jsonl("posts.jsonl"):
        fc_id = p.pop("fc")
        hours = p.pop("hours")
        item = Item(published_at=T0 + timedelta(hours=hours), **p)
        store.add_items([item])
        assert item.id is not None
        sig = store.add_signals(
            [
                Signal(
                    item_id=item.id,
                    kind="claim_match",
                    score=0.81,
                    target_type="factcheck",
                    target_id=fc_id,
                    evidence={
                        "score": 0.81,
                        "lexical": 0.42,
                        "dense": 0.88,
                        "sentence": item.text[:80],
                    },
                )
            ]
        )[0]
        fc = store.get_factcheck(fc_id)
        assert fc is not None
        cases[fc_id] = store.open_case("claim", "factcheck", fc_id, fc.claim, item.id, sig.id)
    return cases


SETTINGS = WebSettings(site=rv.Site(url="https://checks.example", name="Factwatch Desk"))


_TOKEN = re.compile(r'name="(?:login_token|csrf_token)" value="([^"]+)"')


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in; returns the session's CSRF token (read from a page, as a browser would)."""
    page = client.get("/login")
    token = _TOKEN.search(page.text)
    assert token is not None
    r = client.post(
        "/login",
        data={"name": name, "password": password, "login_token": token.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    home = client.get("/")
    csrf = _TOKEN.search(home.text)
    assert csrf is not None
    return csrf.group(1)


@dataclass
class Session:
    client: TestClient
    csrf: str


PAYLOADS = [
    x for x in (DATA / "xss_payloads.txt").read_text(encoding="utf-8").splitlines() if x.strip()
]


def seed_xss(store: Store) -> dict[str, Any]:
    """Every payload in post text, title, author and URL; in case titles, fact-checks, a verdict,
    a comment and a user name.  Returns the case ids and the published verdict id."""
    assert len(PAYLOADS) >= 50
    cases: list[int] = []
    for start in range(0, len(PAYLOADS), 20):
        chunk = PAYLOADS[start : start + 20]
        fc_id = f"xss-fc-{start}"
        store.upsert_factchecks(
            [
                FactCheck(
                    id=fc_id,
                    claim=chunk[0],
                    title=chunk[-1],
                    rating=chunk[1],
                    url=chunk[2],
                    author=chunk[3],
                    claimant=chunk[4],
                    lang="en",
                )
            ]
        )
        for i, p in enumerate(chunk):
            url = p if i % 2 else "https://evil.example/" + p.replace(" ", "%20")
            item = Item(
                source="xss",
                native_id=f"{start}-{i}",
                text=f"{p} {start}-{i}",
                title=p,
                author=p,
                url=url,
                lang="en",
                published_at=T0 + timedelta(hours=i),
            )
            store.add_items([item])
            assert item.id is not None
            sig = store.add_signals(
                [
                    Signal(
                        item_id=item.id,
                        kind="claim_match",
                        score=0.9,
                        target_type="factcheck",
                        target_id=fc_id,
                        evidence={"sentence": p, "score": 0.9, p[:20]: p},
                    )
                ]
            )[0]
            cid = store.open_case("claim", "factcheck", fc_id, chunk[0], item.id, sig.id)
        cases.append(cid)
    name = PAYLOADS[1][:200]
    rv.add_user(store, name, "reviewer", PASSWORD)
    rv.assign_case(store, cases[0], name, "admin")
    rv.add_comment(store, cases[0], " ".join(PAYLOADS[:10]), name)
    vid = rv.add_verdict(
        store,
        cases[0],
        rating="False",
        explanation=" ".join(PAYLOADS[10:20]),
        sources=["https://src.example/" + p.replace(" ", "%20") for p in PAYLOADS[20:25]],
        actor=name,
        claim=PAYLOADS[0] + " " + PAYLOADS[6],
        claimant=PAYLOADS[25],
    )
    rv.publish_verdict(store, cases[0], "admin", SETTINGS.site)
    return {"cases": cases, "verdict": vid}
