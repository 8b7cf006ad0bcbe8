"""Mastodon (REST + streaming) and Bluesky Jetstream against local servers replaying real formats."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources import SourceError
from factwatch.sources.bluesky import event_item, read_jetstream
from factwatch.sources.mastodon import MastodonClient, parse_link_header, status_item


def status(i: int, text: str, **kw: object) -> dict:
    return {
        "id": str(110000000000000000 + i),
        "created_at": f"2024-03-0{1 + i % 9}T10:00:00.000Z",
        "in_reply_to_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "fr",
        "uri": f"https://mastodon.example/users/alice/statuses/{110000000000000000 + i}",
        "url": f"https://mastodon.example/@alice/{110000000000000000 + i}",
        "replies_count": 1,
        "reblogs_count": i,
        "favourites_count": 2 * i,
        "content": f"<p>{text}</p>",
        "reblog": None,
        "account": {"id": "1", "username": "alice", "acct": "alice", "display_name": "Alice"},
        "media_attachments": [],
        "tags": [{"name": "desinformation", "url": "https://mastodon.example/tags/desinformation"}],
        **kw,
    }


STATUSES = [
    status(
        i, f"Statut {i} : la rumeur sur les <a href='https://x.example'>compteurs</a> est fausse"
    )
    for i in range(1, 8)
]


class Masto:
    def __init__(self) -> None:
        self.statuses = list(STATUSES)  # oldest first
        self.requests: list[str] = []
        m = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                m.requests.append(self.path)
                u = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(u.query).items()}
                if u.path == "/api/v1/streaming/public":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    events = [
                        ":thump\n\n",
                        f"event: update\ndata: {json.dumps(status(50, 'En direct : faux communiqué de la préfecture'))}\n\n",
                        "event: delete\ndata: 123\n\n",
                        "event: update\ndata: {broken\n\n",
                        f"event: update\ndata: {json.dumps(status(51, 'Deuxième message en direct'))}\n\n",
                    ]
                    for e in events:
                        b = e.encode()
                        self.wfile.write(f"{len(b):x}\r\n".encode() + b + b"\r\n")
                        self.wfile.flush()
                        time.sleep(0.05)
                    time.sleep(0.5)
                    self.wfile.write(b"0\r\n\r\n")
                    return
                if u.path == "/api/v1/accounts/lookup":
                    return self._json(
                        {"id": "1", "acct": q.get("acct")}
                        if q.get("acct") == "alice"
                        else {"error": "not found"},
                        200 if q.get("acct") == "alice" else 404,
                    )
                if u.path in (
                    "/api/v1/timelines/public",
                    "/api/v1/timelines/tag/desinformation",
                    "/api/v1/accounts/1/statuses",
                ):
                    limit = int(q.get("limit", 20))
                    ids = [int(s["id"]) for s in m.statuses]
                    if (
                        "min_id" in q
                    ):  # oldest just above min_id, page ascending; served newest-first
                        sel = [s for s in m.statuses if int(s["id"]) > int(q["min_id"])][:limit]
                    else:
                        top = int(q["max_id"]) if "max_id" in q else max(ids) + 1
                        sel = [s for s in m.statuses if int(s["id"]) < top][-limit:]
                    sel = sorted(sel, key=lambda s: -int(s["id"]))
                    links = []
                    if sel:
                        base = f"http://127.0.0.1:{m.port}{u.path}?limit={limit}"
                        links.append(f'<{base}&max_id={sel[-1]["id"]}>; rel="next"')
                        links.append(f'<{base}&min_id={sel[0]["id"]}>; rel="prev"')
                    return self._json(sel, 200, ", ".join(links))
                self._json({"error": "not found"}, 404)

            def _json(self, obj: object, code: int, link: str = "") -> None:
                body = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                if link:
                    self.send_header("Link", link)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def masto():  # type: ignore[no-untyped-def]
    m = Masto()
    yield m
    m.close()


def test_timeline_pagination_and_since(masto: Masto) -> None:
    c = MastodonClient(masto.base, allow_private=True, limit=3, token="")
    state: dict = {}
    items = list(c.timeline("tag:desinformation", Rejections(quiet=True), state=state))
    assert len(items) == 7 and len({it.native_id for it in items}) == 7  # 3 pages via rel="next"
    assert sum("max_id=" in r for r in masto.requests) == 3
    it = items[0]
    assert it.source == "mastodon:127.0.0.1" and it.author == "alice@127.0.0.1" and it.lang == "fr"
    assert it.text == "Statut 7 : la rumeur sur les compteurs (https://x.example) est fausse"
    assert it.engagement == {"replies_count": 1, "reblogs_count": 7, "favourites_count": 14}
    assert it.extra["tags"] == ["desinformation"]
    assert state["since_id"] == STATUSES[-1]["id"]
    # five new statuses arrive; reading forward from since_id gets all of them, none twice
    masto.statuses += [status(i, f"Nouveau statut {i}") for i in range(8, 13)]
    new = list(
        c.timeline(
            "tag:desinformation", Rejections(quiet=True), since_id=state["since_id"], state=state
        )
    )
    assert sorted(it.text for it in new) == sorted(f"Nouveau statut {i}" for i in range(8, 13))
    assert state["since_id"] == masto.statuses[-1]["id"]


def test_account_and_public(masto: Masto) -> None:
    c = MastodonClient(masto.base, allow_private=True, limit=40, token="")
    assert len(list(c.timeline("account:@alice", Rejections(quiet=True)))) == 7
    assert len(list(c.timeline("public", Rejections(quiet=True)))) == 7
    with pytest.raises(SourceError, match="HTTP 404"):
        list(c.timeline("account:bob", Rejections(quiet=True)))


def test_streaming(masto: Masto) -> None:
    c = MastodonClient(masto.base, allow_private=True, token="")
    rej = Rejections(quiet=True)
    items = list(c.stream(rej, "public", duration=5))
    assert [it.text for it in items] == [
        "En direct : faux communiqué de la préfecture",
        "Deuxième message en direct",
    ]
    assert len(rej.items) == 1 and "bad status" in rej.items[0]


def test_refuses_private_by_default(masto: Masto) -> None:
    with pytest.raises(SourceError, match="non-public"):
        list(MastodonClient(masto.base, token="").timeline("public", Rejections(quiet=True)))


def test_boost_and_link_header() -> None:
    boost = status(
        2, "", reblog=status(3, "Le texte boosté"), account={"acct": "bob@other.example"}
    )
    it = status_item(boost, "mastodon.example")
    assert it.text == "Le texte boosté" and it.extra["boosted_by"] == "bob@other.example"
    assert parse_link_header(
        '<https://m/x?max_id=1>; rel="next", <https://m/x?min_id=9>; rel="prev"'
    ) == {"next": "https://m/x?max_id=1", "prev": "https://m/x?min_id=9"}


# ------------------------------------------------------------------ Bluesky Jetstream
def jet(i: int, text: str, **rec: object) -> dict:
    return {
        "did": "did:plc:abc123xyz",
        "time_us": 1725911162329308 + i,
        "kind": "commit",
        "commit": {
            "rev": f"3l3qo2vuowo2{i}",
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": f"3l3qo2vutsw2{i}",
            "record": {
                "$type": "app.bsky.feed.post",
                "createdAt": "2024-09-09T19:46:02.102Z",
                "langs": ["vi"],
                "text": text,
                **rec,
            },
            "cid": f"bafyreib{i}",
        },
    }


MESSAGES = [
    json.dumps(
        {
            "did": "did:plc:abc123xyz",
            "time_us": 1725911162329300,
            "kind": "identity",
            "identity": {
                "did": "did:plc:abc123xyz",
                "handle": "lan.bsky.social",
                "seq": 1,
                "time": "2024-09-09T19:46:02.102Z",
            },
        }
    ),
    json.dumps(
        jet(
            1,
            "Tin giả: uống nước chanh chữa khỏi ung thư",
            embed={
                "$type": "app.bsky.embed.images",
                "images": [
                    {
                        "alt": "ảnh",
                        "image": {
                            "$type": "blob",
                            "ref": {"$link": "bafkreiimg"},
                            "mimeType": "image/jpeg",
                            "size": 1000,
                        },
                    }
                ],
            },
        )
    ),
    json.dumps(
        {
            **jet(2, "x"),
            "commit": {
                "rev": "r",
                "operation": "delete",
                "collection": "app.bsky.feed.post",
                "rkey": "3l3qo2vutsw21",
            },
        }
    ),
    "{not json",
    json.dumps(
        jet(
            3,
            "An unrelated post about cats",
            reply={
                "root": {"uri": "at://did:plc:r/app.bsky.feed.post/1", "cid": "c"},
                "parent": {"uri": "at://did:plc:p/app.bsky.feed.post/2", "cid": "c"},
            },
        )
    ),
    json.dumps(
        jet(
            4,
            "Fake news về ung thư lan truyền",
            embed={
                "$type": "app.bsky.embed.external",
                "external": {"uri": "https://bao.example/a", "title": "Bài báo", "description": ""},
            },
        )
    ),
]


@pytest.fixture
def jetstream():  # type: ignore[no-untyped-def]
    from websockets.sync.server import serve

    seen_paths: list[str] = []

    def handler(ws) -> None:  # type: ignore[no-untyped-def]
        seen_paths.append(ws.request.path)
        for m in MESSAGES:
            ws.send(m)
        time.sleep(0.3)

    server = serve(handler, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.socket.getsockname()[1]
    yield f"ws://127.0.0.1:{port}/subscribe", seen_paths
    server.shutdown()


def test_jetstream(jetstream) -> None:  # type: ignore[no-untyped-def]
    url, paths = jetstream
    rej = Rejections(quiet=True)
    state: dict = {}
    items = list(read_jetstream(rej, url=url, duration=3, state=state, allow_private=True))
    assert [it.text for it in items] == [
        "Tin giả: uống nước chanh chữa khỏi ung thư",
        "An unrelated post about cats",
        "Fake news về ung thư lan truyền",
    ]
    a = items[0]
    assert a.native_id == "at://did:plc:abc123xyz/app.bsky.feed.post/3l3qo2vutsw21"
    assert a.url == "https://bsky.app/profile/did:plc:abc123xyz/post/3l3qo2vutsw21"
    assert a.published_at == datetime(2024, 9, 9, 19, 46, 2, 102000, tzinfo=UTC) and a.lang == "vi"
    assert a.media == [
        {
            "type": "image",
            "url": "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:abc123xyz/bafkreiimg@jpeg",
            "alt": "ảnh",
        }
    ]
    assert items[1].extra["reply_to"] == "at://did:plc:p/app.bsky.feed.post/2"
    assert items[2].extra["link"] == "https://bao.example/a"
    assert len(rej.items) == 1 and "not JSON" in rej.items[0]
    assert state["cursor"] == 1725911162329308 + 4
    assert "wantedCollections=app.bsky.feed.post" in paths[0]
    # keyword filter (accent-insensitive) and resuming from the cursor (rewound 5 s)
    kept = list(
        read_jetstream(
            Rejections(quiet=True),
            url=url,
            keywords=["UNG THU"],
            duration=3,
            state=state,
            allow_private=True,
        )
    )
    assert [it.native_id[-1] for it in kept] == ["1", "4"]
    assert f"cursor={1725911162329308 + 4 - 5_000_000}" in paths[1]


def test_jetstream_refuses_private_by_default(jetstream) -> None:  # type: ignore[no-untyped-def]
    url, _ = jetstream
    with pytest.raises(SourceError, match="non-public"):
        list(read_jetstream(Rejections(quiet=True), url=url, duration=1))


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.integers() | st.text(max_size=10),
        lambda k: (
            st.lists(k, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "kind",
                        "commit",
                        "did",
                        "rkey",
                        "record",
                        "collection",
                        "operation",
                        "text",
                        "createdAt",
                        "embed",
                        "images",
                        "reply",
                        "langs",
                        "time_us",
                    ]
                ),
                k,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_hypothesis_events(ev: object) -> None:
    for obj in (
        ev,
        {
            "kind": "commit",
            "did": "d",
            "commit": {
                "collection": "app.bsky.feed.post",
                "operation": "create",
                "rkey": "r",
                "record": ev,
            },
        },
    ):
        if not isinstance(obj, dict):
            continue
        try:
            it = event_item(obj)
        except (ValueError, TypeError):
            continue
        assert it is None or it.native_id.startswith("at://")
        with contextlib.suppress(ValueError, TypeError):
            status_item(obj, "h")


def test_mastodon_in_watch_mode(masto: Masto, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from factwatch.sources.watch import SourceConfig, Watcher, read_states
    from factwatch.store import Store

    store = Store.open(str(tmp_path / "w.db"))
    cfg = SourceConfig(
        "masto",
        "mastodon",
        {"url": masto.base, "timeline": "tag:desinformation"},
        interval=1,
        allow_private=True,
    )
    w = Watcher(store, [cfg], Rejections(quiet=True))
    assert w.poll_once(cfg) == 7
    masto.statuses += [status(i, f"Statut tardif {i}") for i in range(20, 23)]
    assert w.poll_once(cfg) == 3
    assert any("min_id=" in r for r in masto.requests)
    st = read_states(store)["masto"]
    assert st.checkpoint["since_id"] == masto.statuses[-1]["id"] and st.items_total == 10
    store.close()
