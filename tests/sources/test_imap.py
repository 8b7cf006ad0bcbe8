"""IMAP against a real Dovecot started on loopback for the test (Debian ``dovecot-imapd``).

Skipped when ``/usr/sbin/dovecot`` is missing; ``apt-get install -y dovecot-imapd`` provides it.
"""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from factwatch.cli._io import Rejections
from factwatch.sources import SourceError
from factwatch.sources.email import read_imap

DOVECOT = shutil.which("dovecot") or (
    "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
)
pytestmark = pytest.mark.skipif(
    DOVECOT is None or os.geteuid() != 0, reason="needs Debian dovecot-imapd, run as root"
)
DATA = Path(__file__).resolve().parents[1] / "data" / "sources" / "email"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def imap_server() -> Iterator[tuple[int, Path]]:
    # Not under pytest's tmp dir: that is mode 0700 and Dovecot's own users must read the files.
    root = Path(tempfile.mkdtemp(prefix="factwatch-dovecot-"))
    os.chmod(root, 0o755)
    for d in ("run", "state", "home"):
        (root / d).mkdir()
    os.chmod(root / "home", 0o777)
    port = _free_port()
    (root / "passwd").write_text("desk:{PLAIN}s3cret-pw\n", encoding="utf-8")
    conf = root / "dovecot.conf"
    conf.write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
""",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"dovecot exited: {out}")
            time.sleep(0.1)
    else:
        proc.terminate()
        pytest.fail("dovecot did not start listening")
    # Fill the mailbox over IMAP itself.
    c = imaplib.IMAP4("127.0.0.1", port, timeout=10)
    c.login("desk", "s3cret-pw")
    c.create('"Signalements"')
    for name in ("phishing_vi_cp1258.eml", "newsletter_fr_html.eml"):
        c.append('"Signalements"', None, None, (DATA / name).read_bytes())
    c.append('"Signalements"', None, None, b"X-Junk: 1\r\n\r\n\x00\x01 not a mail")
    c.logout()
    yield port, root
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(root, ignore_errors=True)


def test_read_folder_then_only_new(imap_server: tuple[int, Path]) -> None:
    port, _root = imap_server
    url = f"imap://desk@127.0.0.1:{port}/Signalements"
    rej = Rejections(quiet=True)
    state: dict[str, object] = {}
    items = list(read_imap(url, rej, password="s3cret-pw", state=state))
    assert [it.title for it in items] == [
        "Thông báo khóa tài khoản",
        "Alerte : les compteurs Linky",
    ]
    assert items[0].source == "email:desk@127.0.0.1/Signalements"
    assert items[0].extra["imap_uid"] == "1"
    assert "tài khoản của quý khách sẽ bị khóa" in items[0].text
    assert len(rej.items) == 1 and rej.items[0].startswith(f"{url}:UID 3: ")
    assert state["last_uid"] == 3 and isinstance(state["uidvalidity"], int)
    # Nothing new: nothing read.  One more message: only it is read.
    assert list(read_imap(url, rej, since_uid=3, password="s3cret-pw")) == []
    c = imaplib.IMAP4("127.0.0.1", port, timeout=10)
    c.login("desk", "s3cret-pw")
    c.append(
        '"Signalements"',
        None,
        None,
        "From: a@b.example\r\nSubject: =?utf-8?q?Tin_m=E1=BB=9Bi?=\r\nMessage-ID: <n1@b>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNội dung mới\r\n".encode(),
    )
    c.logout()
    new = list(read_imap(url, rej, since_uid=3, password="s3cret-pw"))
    assert [(it.native_id, it.text) for it in new] == [("n1@b", "Nội dung mới")]


def test_wrong_password(imap_server: tuple[int, Path]) -> None:
    port, _ = imap_server
    with pytest.raises(SourceError, match="cannot log in"):
        list(
            read_imap(
                f"imap://desk@127.0.0.1:{port}/INBOX", Rejections(quiet=True), password="nope"
            )
        )


def test_password_from_env(imap_server: tuple[int, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    port, _ = imap_server
    monkeypatch.setenv("FACTWATCH_IMAP_PASSWORD", "s3cret-pw")
    assert list(read_imap(f"imap://desk@127.0.0.1:{port}/INBOX", Rejections(quiet=True))) == []
