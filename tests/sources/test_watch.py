from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from factwatch.cli._io import Rejections
from factwatch.sources.watch import SourceConfig, Watcher, backoff_delay, load_config, read_states
from factwatch.store import Store

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tin nhanh</title><link>http://127.0.0.1/</link><description>d</description>
{items}
</channel></rss>"""
ITEM = "<item><title>{t}</title><link>http://127.0.0.1/a/{i}</link><guid>a-{i}</guid><pubDate>Mon, 04 Mar 2024 0{i}:00:00 +0000</pubDate><description>Nội dung bài {i}</description></item>"


class FeedServer:
    def __init__(self) -> None:
        self.n_items = 2
        self.hits: list[dict[str, str]] = []
        server = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.hits.append(dict(self.headers))
                body = RSS.format(
                    items="".join(
                        ITEM.format(t=f"Bài {i}", i=i) for i in range(1, server.n_items + 1)
                    )
                ).encode()
                etag = f'"v{server.n_items}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/rss"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed():  # type: ignore[no-untyped-def]
    s = FeedServer()
    yield s
    s.close()


def test_feed_checkpoint_and_conditional_get(feed: FeedServer, tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "w.db"))
    cfg = SourceConfig("tin", "feed", {"url": feed.url}, interval=60, allow_private=True)
    w = Watcher(store, [cfg], Rejections(quiet=True))
    assert w.poll_once(cfg) == 2
    assert w.poll_once(cfg) == 0
    assert feed.hits[1].get("If-None-Match") == '"v2"'  # conditional request, answered 304
    feed.n_items = 3
    assert w.poll_once(cfg) == 1
    st = read_states(store)["tin"]
    assert st.items_total == 3 and st.status == "ok" and st.errors == 0
    assert st.last_item_at == "2024-03-04T03:00:00+00:00"
    # a new Watcher (a restart) resumes from the stored checkpoint
    w2 = Watcher(store, [cfg], Rejections(quiet=True))
    assert w2.poll_once(cfg) == 0 and feed.hits[-1].get("If-None-Match") == '"v3"'
    store.close()


def test_refuses_private_address_unless_allowed(feed: FeedServer, tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "w.db"))
    cfg = SourceConfig("tin", "feed", {"url": feed.url}, interval=10)
    w = Watcher(store, [cfg], Rejections(quiet=True))
    assert w.poll_once(cfg) == 0
    st = read_states(store)["tin"]
    assert st.status == "backoff" and st.errors == 1 and "non-public" in (st.last_error or "")
    store.close()


def test_backoff_grows_and_resets(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "w.db"))
    cfg = SourceConfig(
        "gone", "dir", {"path": str(tmp_path / "missing")}, interval=10, max_backoff=60
    )
    w = Watcher(store, [cfg], Rejections(quiet=True))
    delays = []
    for _ in range(5):
        t0 = time.time()
        w.poll_once(cfg)
        delays.append(w.states["gone"].next_run - t0)
    for got, want in zip(delays, [10, 20, 40, 60, 60], strict=True):  # doubling, capped, +-10 %
        assert 0.89 * want <= got <= 1.11 * want
    assert w.states["gone"].errors == 5
    (tmp_path / "missing").mkdir()
    w.poll_once(cfg)
    assert w.states["gone"].errors == 0 and w.states["gone"].errors_total == 5
    rng = random.Random(1)
    assert 0.9 * 60 <= backoff_delay(cfg, 30, rng) <= 1.1 * 60
    store.close()


def test_dir_source_ingests_new_files_once(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[1] / "data" / "sources"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    store = Store.open(str(tmp_path / "w.db"))
    cfg = SourceConfig("inbox", "dir", {"path": str(inbox), "settle_seconds": 0}, interval=1)
    w = Watcher(store, [cfg], Rejections(quiet=True))
    shutil.copy(data / "telegram" / "result.json", inbox / "result.json")
    assert w.poll_once(cfg) == 5
    assert w.poll_once(cfg) == 0
    shutil.copy(data / "whatsapp" / "WhatsApp Chat with Neighbours.txt", inbox / "wa.txt")
    assert w.poll_once(cfg) == 3
    assert store.count_items() == 8
    store.close()


def test_config(tmp_path: Path) -> None:
    p = tmp_path / "w.toml"
    p.write_text(
        '[defaults]\ninterval = 30\n[[source]]\nname = "a"\ntype = "feed"\nurl = "https://x.example/rss"\n[[source]]\nname = "b"\ntype = "dir"\npath = "/tmp"\ninterval = 5\n',
        encoding="utf-8",
    )
    a, b = load_config(str(p))
    assert (a.interval, b.interval, a.options) == (30.0, 5.0, {"url": "https://x.example/rss"})
    p.write_text('[[source]]\nname = "a"\ntype = "carrier-pigeon"\n', encoding="utf-8")
    with pytest.raises(Exception, match="unknown type"):
        load_config(str(p))


def test_watch_command_stops_cleanly_on_sigterm(feed: FeedServer, tmp_path: Path) -> None:
    cfg = tmp_path / "watch.toml"
    cfg.write_text(
        f'[defaults]\ninterval = 0.5\nallow_private = true\n[[source]]\nname = "tin"\ntype = "feed"\nurl = "{feed.url}"\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "w.db")
    env = {**os.environ, "FACTWATCH_DB": db}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from factwatch.cli.main import main; main()", "watch", str(cfg)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and len(feed.hits) < 2:
        time.sleep(0.1)
    assert len(feed.hits) >= 2, "the watcher did not poll twice"
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "SIGTERM received" in err
    from typer.testing import CliRunner

    from factwatch.cli.main import app

    res = CliRunner().invoke(app, ["--db", db, "status", "--format", "jsonl"])
    [row] = [json.loads(x) for x in res.stdout.splitlines()]
    assert (
        row["id"] == "tin"
        and row["status"] == "stopped"
        and row["items_total"] == 2
        and row["errors"] == 0
    )
    table = CliRunner().invoke(app, ["--db", db, "status"])
    assert table.exit_code == 0 and "stopped" in table.stdout


def test_watch_once_command(feed: FeedServer, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from factwatch.cli.main import app

    cfg = tmp_path / "watch.toml"
    cfg.write_text(
        f'[defaults]\ninterval = 3600\nallow_private = true\n[[source]]\nname = "tin"\ntype = "feed"\nurl = "{feed.url}"\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "w.db")
    for _ in range(2):  # the second run polls again at once although the interval is an hour
        res = CliRunner().invoke(app, ["--db", db, "watch", str(cfg), "--once"])
        assert res.exit_code == 0, res.output
    assert len(feed.hits) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[[source]]\nname = 1\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["--db", db, "watch", str(bad)]).exit_code == 2
