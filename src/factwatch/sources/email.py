"""E-mail: single ``.eml`` messages, ``.mbox`` mailboxes, and IMAP folders.

Parsed with the standard library (``email``, ``imaplib``): multipart messages, quoted-printable
and base64, any charset Python knows (windows-1258 Vietnamese writes tones as combining marks: the
text is NFC-normalised afterwards).  Messages are parsed with ``compat32`` and only the headers
used are decoded (RFC 2047 words by ``policy.default``'s header parser): parsing everything with
``policy.default`` built an object for every header of every part and was ~3x slower.
mbox files are split on their "From " lines here (as ``mailbox.mbox`` does) to name each
message's line in rejections.  The plain-text
part is preferred; an HTML-only message is turned into text with lxml.  Attachments become media
entries (name, type, size), never stored.

The Item: ``source`` = ``email:<mailbox>`` (the .mbox file's stem, the .eml's folder, or
``user@host/FOLDER`` for IMAP), ``native_id`` = the Message-ID (else a hash of the raw message),
``title`` = Subject, ``author`` = the From address, ``published_at`` = Date (else the mbox
"From " line's date), ``extra`` = to / in-reply-to / references / list-id.

IMAP: ``factwatch ingest imap://user@host:993/INBOX`` (``imaps://`` for TLS, ``imap://`` plain, or
STARTTLS with ``?starttls=1``) with the password in ``$FACTWATCH_IMAP_PASSWORD``.  ``read_imap``
takes ``since_uid`` so watch mode fetches only new messages.
"""

from __future__ import annotations

import contextlib
import email
import hashlib
import imaplib
import os
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError, SourceFormat
from factwatch.sources.mapped import check_size, clean, to_utc

MAX_MESSAGE_BYTES = 50 * 1024 * 1024
MAX_PARTS = 500
_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]", re.M)
_MAIL_HEADERS = (
    b"from:",
    b"to:",
    b"subject:",
    b"date:",
    b"message-id:",
    b"received:",
    b"mime-version:",
    b"return-path:",
    b"delivered-to:",
)


def html_to_text(html: str) -> str:
    """Readable text of an HTML mail body: block elements on their own lines, no scripts/styles."""
    if not html.strip():
        return ""
    import lxml.html
    from lxml import etree

    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", html)
    for bad in doc.xpath("//script|//style|//head|//noscript"):
        bad.drop_tree()
    for br in doc.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    for blk in doc.xpath("//p|//div|//li|//tr|//h1|//h2|//h3|//h4|//h5|//h6|//blockquote|//table"):
        blk.tail = "\n" + (blk.tail or "")
    for a in doc.xpath("//a[@href]"):
        href = a.get("href", "")
        label = a.text_content().strip()
        if href.startswith("http") and href != label:
            a.tail = f" ({href})" + (a.tail or "")
    return str(doc.text_content())


def _decode_part(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


_SURROGATES = re.compile("[\udc80-\udcff]")


def _unescape_8bit(value: str) -> str:
    """Raw 8-bit header bytes (kept by the parser as surrogates): UTF-8, else cp1252."""
    if not _SURROGATES.search(value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def decode_header_value(value: Any) -> str:
    """A raw header value as text: RFC 2047 encoded words decoded, raw 8-bit read as UTF-8."""
    if value is None:
        return ""
    text = _unescape_8bit(str(value))
    if "=?" not in text:
        return text
    try:  # policy.default's unstructured-header parser: encoded words, folding, mixed text
        return str(policy.default.header_factory("subject", text))
    except Exception:  # noqa: BLE001 - a header we cannot decode is kept as written
        return text


def _headers(msg: Message) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in msg.raw_items():
        out.setdefault(k.lower(), []).append(decode_header_value(v))
    return out


def _body_and_media(msg: Message) -> tuple[str, list[dict[str, Any]], int]:
    plain: list[str] = []
    html: list[str] = []
    media: list[dict[str, Any]] = []
    n = 0
    for part in msg.walk():
        n += 1
        if n > MAX_PARTS:
            break
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disp = (part.get_content_disposition() or "").lower()
        fname = decode_header_value(part.get_filename()) or None
        if (
            disp == "attachment"
            or (fname and not ctype.startswith("text/"))
            or not ctype.startswith(("text/", "message/"))
        ):
            payload = part.get_payload(decode=True)
            media.append(
                {
                    "type": ctype.split("/")[0]
                    if ctype.split("/")[0] in ("image", "video", "audio")
                    else "attachment",
                    "name": clean(fname) or None,
                    "mime_type": ctype,
                    "size": len(payload) if isinstance(payload, bytes) else None,
                }
            )
            continue
        if ctype == "text/plain":
            plain.append(_decode_part(part))
        elif ctype == "text/html":
            html.append(_decode_part(part))
    if plain and any(p.strip() for p in plain):
        body = "\n\n".join(plain)
    else:
        body = "\n\n".join(html_to_text(h) for h in html)
    return body, media, n


def _addr(value: Any) -> str | None:
    if not value:
        return None
    name, addr = parseaddr(str(value))
    return (addr or name or str(value)).strip().lower() or None


def message_item(
    raw: bytes, mailbox_name: str, fallback_date: datetime | None = None, uid: str | None = None
) -> Item:
    """The Item of one raw RFC 5322 message; ValueError when it is not a usable message."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise ValueError(f"message of {len(raw)} bytes is over the {MAX_MESSAGE_BYTES}-byte limit")
    # compat32 parsing: policy.default builds a structured object for every header, which made
    # mbox ingest ~3x slower; headers are decoded here only where they are used.
    msg = email.message_from_bytes(raw, policy=policy.compat32)
    hd = _headers(msg)

    def h(name: str) -> str:
        return hd.get(name, [""])[0]

    if not set(hd) & {"from", "subject", "date", "message-id", "to"}:
        raise ValueError("no From, To, Subject, Date or Message-ID header: not an e-mail message")
    subject = clean(h("subject"))
    body, media, _n = _body_and_media(msg)
    text = clean(body)
    if not text and not subject:
        raise ValueError("message has neither subject nor readable body")
    published = None
    date_h = h("date")
    if date_h:
        try:
            published = to_utc(parsedate_to_datetime(str(date_h)))
        except (TypeError, ValueError, IndexError, OverflowError):
            published = None
    if published is None and fallback_date is not None:
        published = fallback_date
    mid = h("message-id").strip().strip("<>")
    native_id = mid or f"sha256:{hashlib.sha256(raw).hexdigest()[:32]}"
    extra: dict[str, Any] = {"mailbox": mailbox_name}
    to = [a for _n2, a in getaddresses(hd.get("to", [])) if a]
    if to:
        extra["to"] = to[:50]
    for name in ("in-reply-to", "references", "list-id", "reply-to"):
        if h(name):
            extra[name.replace("-", "_")] = clean(h(name))[:2000]
    if date_h and published is None:
        extra["bad_date"] = clean(str(date_h))[:200]
    if uid:
        extra["imap_uid"] = uid
    return Item(
        source=f"email:{mailbox_name}",
        native_id=native_id,
        text=text or subject,
        title=subject or None,
        author=_addr(h("from")),
        published_at=published,
        media=media,
        extra=extra,
    )


# ---------------------------------------------------------------------------- files
def read_eml(path: str, rejections: RejectSink) -> Iterator[Item]:
    check_size(path, MAX_MESSAGE_BYTES)
    raw = Path(path).read_bytes()
    folder = Path(path).resolve().parent.name or "eml"
    try:
        yield message_item(raw, folder)
    except (ValueError, TypeError, LookupError, IndexError, AttributeError) as exc:
        rejections.add(path, str(exc))


_FROM_LINE_DATE = re.compile(r"^From \S+\s+(.+)$")
_FROM_SEP = re.compile(rb"^From \S+ +\w{3} \w{3} +\d{1,2} \d{2}:\d{2}(:\d{2})? (\S+ )?\d{4}\s*$")


def _from_line_date(line: str) -> datetime | None:
    m = _FROM_LINE_DATE.match(line)
    if not m:
        return None
    for fmt in ("%a %b %d %H:%M:%S %Y", "%a %b  %d %H:%M:%S %Y", "%a %b %d %H:%M:%S %z %Y"):
        try:
            return to_utc(datetime.strptime(m.group(1).strip(), fmt))
        except ValueError:
            continue
    return None


def read_mbox(path: str, rejections: RejectSink) -> Iterator[Item]:
    """Each message of an mbox; ``FILE:LINE`` names the line of its "From " separator."""
    check_size(path)
    name = Path(path).stem
    # Split on "From " lines ourselves (as mailbox.mbox does) to know each message's line number.
    with open(path, "rb") as fh:
        start_line = 0
        lineno = 0
        buf: list[bytes] = []
        from_line = ""
        prev_blank = False

        def flush() -> Iterator[Item]:
            if not buf:
                return
            raw = b"".join(buf)
            if len(raw) > MAX_MESSAGE_BYTES:
                rejections.add(
                    f"{path}:{start_line}", f"message over the {MAX_MESSAGE_BYTES}-byte limit"
                )
                return
            raw = re.sub(rb"(?m)^>(>*From )", rb"\1", raw)  # mboxrd un-quoting
            try:
                yield message_item(raw, name, fallback_date=_from_line_date(from_line))
            except (ValueError, TypeError, LookupError, IndexError, AttributeError) as exc:
                rejections.add(f"{path}:{start_line}", str(exc))

        for line in fh:
            lineno += 1
            if line.startswith(b"From ") and (lineno == 1 or prev_blank or _FROM_SEP.match(line)):
                yield from flush()
                buf = []
                start_line = lineno
                from_line = line.decode("latin-1").rstrip()
                prev_blank = False
                continue
            if lineno == 1:
                rejections.add(f"{path}:1", "not an mbox: the first line is no 'From ' separator")
                return
            prev_blank = line in (b"\n", b"\r\n")
            buf.append(line)
        yield from flush()


def _sniff_eml(name: str, head: bytes) -> bool:
    if name.lower().endswith(".eml"):
        return True
    h = head[:4096].lstrip()
    if h.startswith(b"From "):
        return False
    first = h.split(b"\n", 1)[0].lower()
    hits = sum(1 for x in _MAIL_HEADERS if re.search(rb"(?mi)^" + re.escape(x), h[:4096]))
    return (
        bool(_HEADER.match(h))
        and first.startswith(_MAIL_HEADERS + (b"x-", b"arc-", b"dkim-", b"authentication-results:"))
        and hits >= 2
    )


def _sniff_mbox(name: str, head: bytes) -> bool:
    if not head.startswith(b"From "):
        return False
    first = head.split(b"\n", 1)[0]
    return bool(re.match(rb"^From \S+ ", first)) and bool(_HEADER.search(head[:8192]))


# ---------------------------------------------------------------------------- IMAP
@dataclass
class ImapConfig:
    host: str
    port: int
    user: str
    mailbox: str
    tls: bool
    starttls: bool
    password: str


def parse_imap_url(url: str, password: str | None = None) -> ImapConfig:
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps"):
        raise SourceError(f"{url}: not an imap:// or imaps:// URL")
    if not parts.hostname or not parts.username:
        raise SourceError(f"{url}: write it as imap://USER@HOST[:PORT]/MAILBOX")
    if parts.password:
        raise SourceError(f"{url}: put the password in $FACTWATCH_IMAP_PASSWORD, not in the URL")
    pw = password if password is not None else os.environ.get("FACTWATCH_IMAP_PASSWORD")
    if pw is None:
        raise SourceError(f"{url}: set $FACTWATCH_IMAP_PASSWORD to the mailbox password")
    tls = parts.scheme == "imaps"
    q = parse_qs(parts.query)
    return ImapConfig(
        host=parts.hostname,
        port=parts.port or (993 if tls else 143),
        user=unquote(parts.username),
        mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
        tls=tls,
        starttls=q.get("starttls", ["0"])[0] in ("1", "true", "yes"),
        password=pw,
    )


def _imap_connect(
    cfg: ImapConfig, timeout: float, ssl_context: ssl.SSLContext | None
) -> imaplib.IMAP4:
    try:
        if cfg.tls:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                cfg.host,
                cfg.port,
                ssl_context=ssl_context or ssl.create_default_context(),
                timeout=timeout,
            )
        else:
            conn = imaplib.IMAP4(cfg.host, cfg.port, timeout=timeout)
            if cfg.starttls:
                conn.starttls(ssl_context or ssl.create_default_context())
        conn.login(cfg.user, cfg.password)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise SourceError(
            f"imap://{cfg.user}@{cfg.host}:{cfg.port}: cannot log in ({exc})"
        ) from exc
    return conn


def _quote_mailbox(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_imap(
    url: str,
    rejections: RejectSink,
    since_uid: int = 0,
    password: str | None = None,
    timeout: float = 30.0,
    batch: int = 100,
    ssl_context: ssl.SSLContext | None = None,
    state: dict[str, Any] | None = None,
) -> Iterator[Item]:
    """Messages of an IMAP folder with UID > ``since_uid``, oldest first.

    ``state`` (if given) receives ``uidvalidity`` and ``last_uid`` as messages are read, so a
    caller can checkpoint; when the folder's UIDVALIDITY changed, ``since_uid`` no longer means
    anything and everything is read again (the store drops the repeats).
    """
    cfg = parse_imap_url(url, password)
    name = f"{cfg.user}@{cfg.host}/{cfg.mailbox}"
    conn = _imap_connect(cfg, timeout, ssl_context)
    try:
        typ, data = conn.select(_quote_mailbox(cfg.mailbox), readonly=True)
        if typ != "OK":
            raise SourceError(f"{url}: cannot open mailbox {cfg.mailbox!r} ({data})")
        uv = conn.response("UIDVALIDITY")[1]
        validity = int(uv[0]) if uv and uv[0] else None
        if state is not None:
            if state.get("uidvalidity") not in (None, validity):
                since_uid = 0
            state["uidvalidity"] = validity
        typ, data = conn.uid("SEARCH", None, f"UID {since_uid + 1}:*")  # type: ignore[arg-type]
        if typ != "OK":
            raise SourceError(f"{url}: UID SEARCH failed ({data})")
        uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > since_uid)
        for i in range(0, len(uids), batch):
            chunk = uids[i : i + batch]
            typ, fetched = conn.uid("FETCH", ",".join(map(str, chunk)), "(UID BODY.PEEK[])")
            if typ != "OK":
                raise SourceError(f"{url}: FETCH failed ({fetched})")
            for entry in fetched:
                if not isinstance(entry, tuple):
                    continue
                m = re.search(rb"UID (\d+)", entry[0])
                uid = m.group(1).decode() if m else "?"
                try:
                    yield message_item(entry[1], name, uid=uid)
                except (ValueError, TypeError, LookupError, IndexError, AttributeError) as exc:
                    rejections.add(f"{url}:UID {uid}", str(exc))
                if state is not None and uid.isdigit():
                    state["last_uid"] = max(int(uid), int(state.get("last_uid") or 0))
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()


FORMATS = [
    SourceFormat(
        name="mbox",
        description="mbox mailbox (many e-mails, 'From ' separated)",
        sniff=_sniff_mbox,
        read=read_mbox,
        priority=25,
    ),
    SourceFormat(
        name="eml",
        description="one e-mail message (.eml, RFC 5322)",
        sniff=_sniff_eml,
        read=read_eml,
        priority=26,
    ),
]
