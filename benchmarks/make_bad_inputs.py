"""Generate the bad-input corpus: >= 200 malformed files, each with good records around the damage.

``python benchmarks/make_bad_inputs.py OUTDIR`` writes the files and ``OUTDIR/manifest.jsonl``, one
line per file: ``{"file", "kind", "format" (forced, or null to sniff), "good" (records that must
be stored), "min_rejected"}``.  Every good record's text is unique across the corpus, so one
database can take the whole corpus and count what each file added.

Kinds: truncated JSON, deeply nested JSON, wrong and mixed encodings, NUL bytes, huge lines,
gzip/zip bombs, binary junk, impossible dates, HTML where JSON was expected, wrong JSON types,
broken CSV rows, broken e-mails, broken chat lines, broken subtitles/video metadata.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>Bad Gateway</h1><p>cloudflare</p></body></html>"
)


@dataclass
class Case:
    file: str
    kind: str
    format: str | None
    good: int
    min_rejected: int = 1


class Corpus:
    def __init__(self, out: Path, seed: int = 7) -> None:
        self.out = out
        self.rng = random.Random(seed)
        self.cases: list[Case] = []
        self.n = 0

    def uid(self) -> str:
        self.n += 1
        return f"{self.n:05d}"

    def add(
        self,
        name: str,
        data: bytes,
        kind: str,
        good: int,
        fmt: str | None = None,
        min_rejected: int = 1,
    ) -> None:
        name = f"{len(self.cases):03d}-{name}"
        (self.out / name).write_bytes(data)
        self.cases.append(Case(name, kind, fmt, good, min_rejected))

    def junk(self, n: int) -> bytes:
        return bytes(self.rng.randrange(256) for _ in range(n))

    # ------------------------------------------------------------ JSON Lines posts
    def post(self, lang: str = "en") -> bytes:
        u = self.uid()
        text = {
            "en": f"Good post {u}: the mayor said the bridge reopens on Monday.",
            "fr": f"Bon message {u} : le maire annonce la réouverture du pont lundi.",
            "vi": f"Bài tốt {u}: thị trưởng nói cây cầu mở lại vào thứ Hai.",
        }[lang]
        return (
            json.dumps(
                {"id": f"good-{u}", "text": text, "published_at": "2024-03-01T10:00:00Z"},
                ensure_ascii=False,
            ).encode()
            + b"\n"
        )

    def jsonl(self, name: str, bad_lines: list[bytes], kind: str) -> None:
        good = [self.post(lang) for lang in ("en", "fr", "vi")]
        body = good[0] + b"".join(bad_lines) + good[1] + good[2]
        self.add(name + ".jsonl", body, kind, good=3, min_rejected=len(bad_lines))

    def gen_jsonl(self) -> None:
        line = json.dumps(
            {"id": "t", "text": "Tin giả về vắc-xin lan truyền trên mạng", "author": "x"},
            ensure_ascii=False,
        ).encode()
        for cut in range(5, len(line), max(1, len(line) // 24)):
            self.jsonl(f"truncated-{cut}", [line[:cut] + b"\n"], "truncated JSON")
        for depth, opener, closer in (
            (100_000, b"[", b"]"),
            (50_000, b'{"a":', b"}"),
            (200_000, b"[", b""),
        ):
            self.jsonl(
                f"nested-{depth}", [opener * depth + closer * depth + b"\n"], "deeply nested JSON"
            )
        deep_text = b'{"id": "deep", "text": ' + b"[" * 30000 + b"]" * 30000 + b"}\n"
        self.jsonl("nested-in-field", [deep_text], "deeply nested JSON")
        for enc in ("latin-1", "cp1252", "utf-16", "utf-16-le", "shift_jis", "cp1258", "koi8-r"):
            txt = (
                {"cp1258": "Hà Nội"}.get(enc, "Café «crème» naïve")
                if enc != "shift_jis"
                else "日本語のテキスト"
            )
            if enc == "koi8-r":
                txt = "Привет мир"
            try:
                bad = (
                    json.dumps({"id": f"enc-{enc}", "text": txt}, ensure_ascii=False).encode(enc)
                    + b"\n"
                )
            except UnicodeEncodeError:
                continue
            self.jsonl(f"encoding-{enc}", [bad], "wrong encoding")
        mixed = (
            json.dumps({"id": "m1", "text": "Tiếng Việt "}, ensure_ascii=False).encode()[:-2]
            + 'café"}'.encode("latin-1")
            + b"\n"
        )
        self.jsonl("mixed-encoding", [mixed], "mixed encodings")
        for pos in (0, 3, 10, 25):
            raw = bytearray(
                json.dumps({"id": f"nul{pos}", "text": "a line with a NUL byte"}).encode()
            )
            raw.insert(min(pos, len(raw)), 0)
            self.jsonl(f"nul-{pos}", [bytes(raw) + b"\n"], "NUL bytes")
        self.jsonl(
            "huge-line",
            [b'{"id": "huge", "text": "' + b"A" * (11 * 1024 * 1024) + b'"}\n'],
            "huge line",
        )
        for i in range(20):
            junk = self.junk(self.rng.randrange(20, 400)).replace(b"\n", b" ")
            self.jsonl(f"junk-{i}", [junk + b"\n"], "binary junk")
        for i, date in enumerate(
            [
                "2024-02-30T10:00:00Z",
                "2024-13-01",
                "9999-99-99",
                "1850-01-01T00:00:00Z",
                "yesterday",
                "3024-01-01T00:00:00Z",
                -1e20,
                1e30,
                "1e400",
                True,
            ]
        ):
            bad = (
                json.dumps(
                    {"id": f"date{i}", "text": f"dated post {i}", "published_at": date}
                ).encode()
                + b"\n"
            )
            self.jsonl(f"date-{i}", [bad], "impossible date")
        for i, html in enumerate(
            [
                HTML_PAGE,
                "<html><body>Not found</body></html>",
                "<?xml version='1.0'?><error>rate limited</error>",
            ]
        ):
            self.jsonl(f"html-{i}", [html.encode() + b"\n"], "HTML where JSON was expected")
        for i, obj in enumerate(
            [
                [1, 2, 3],
                "just a string",
                42,
                None,
                {"id": ["a"], "text": "x"},
                {"id": "n", "text": 5},
                {"id": "", "text": "no id"},
                {"text": "no id at all"},
                {"id": "e"},
            ]
        ):
            self.jsonl(f"types-{i}", [json.dumps(obj).encode() + b"\n"], "wrong JSON types")

    # ------------------------------------------------------------ Telegram export
    def telegram(self, n: int) -> tuple[dict, list[str]]:
        msgs = []
        texts = []
        for i in range(n):
            u = self.uid()
            t = f"Tin nhắn kênh {u}: giá điện tăng 30% từ tháng sau."
            texts.append(t)
            msgs.append(
                {
                    "id": i + 1,
                    "type": "message",
                    "date": "2024-03-01T08:00:00",
                    "date_unixtime": str(1709280000 + i),
                    "from": "Kênh",
                    "from_id": "channel42",
                    "text": t,
                    "text_entities": [{"type": "plain", "text": t}],
                }
            )
        return {
            "name": "Kênh",
            "type": "public_channel",
            "id": 42_000 + self.n,
            "messages": msgs,
        }, texts

    def gen_telegram(self) -> None:
        for k in range(30):
            chat, _ = self.telegram(6)
            doc = json.dumps(chat, ensure_ascii=False, indent=1)
            starts = [doc.index(f'"id": {i + 1},\n') for i in range(6)]
            cut_in = 1 + k % 5  # cut inside message cut_in (0-based index)
            lo = starts[cut_in] + 5
            hi = (starts[cut_in + 1] - 10) if cut_in + 1 < 6 else len(doc) - 20
            cut = self.rng.randrange(lo, max(lo + 1, hi))
            self.add(
                f"telegram-truncated-{k}.json",
                doc[:cut].encode(),
                "truncated JSON",
                good=cut_in,
                fmt="telegram",
            )
        for k in range(10):
            chat, _ = self.telegram(5)
            doc = json.dumps(chat, ensure_ascii=False, indent=1)
            # damage message 3 (index 2) in the middle of the file; the others must be kept
            at = doc.index('"id": 3,\n')
            end = doc.index('"id": 4,\n')
            mid = doc[at:end]
            damage = [
                mid.replace('"text": "', '"text": "\x00', 1),
                mid.replace('"date_unixtime": "', '"date_unixtime": "99999999999999', 1),
                mid.replace('"text": "', '"text": ' + "[" * 20000 + "]" * 20000 + ', "x": "', 1),
                mid.replace('"from": ', '"from" ', 1),
                mid.replace('"date_unixtime"', '"date_unixtime": "", "date_x"', 1).replace(
                    '"date": "2024-03-01T08:00:00"', '"date": "2024-02-30T08:00:00"', 1
                ),
            ][k % 5]
            kind = [
                "NUL bytes",
                "impossible date",
                "deeply nested JSON",
                "truncated JSON",
                "impossible date",
            ][k % 5]
            data = (doc[:at] + damage + doc[end:]).encode()
            if k >= 5:  # same damage, plus a Latin-1 byte inside message 3 only
                data = data.replace("Tin nhắn kênh".encode(), "Tin nh\xe9".encode("latin-1"), 3)[:]
                # messages 1-3 now hold the Latin-1 byte: only 4 and 5 are good
                self.add(
                    f"telegram-damaged-latin1-{k}.json",
                    data,
                    "mixed encodings",
                    good=2,
                    fmt=None,
                    min_rejected=3,
                )
                continue
            self.add(f"telegram-damaged-{k}.json", data, kind, good=4, fmt=None)
        self.add(
            "telegram-html.json",
            HTML_PAGE.encode(),
            "HTML where JSON was expected",
            good=0,
            fmt="telegram",
        )
        self.add(
            "telegram-junk.json", b"{" + self.junk(3000), "binary junk", good=0, fmt="telegram"
        )

    # ------------------------------------------------------------ WhatsApp
    def wa_line(self) -> bytes:
        u = self.uid()
        return f"14/02/2024, 20:{int(u) % 60:02d} - Bố: Tin nhắn tốt {u}: uống nước muối không chữa được cúm\n".encode()

    def gen_whatsapp(self) -> None:
        bads: list[tuple[str, bytes]] = [
            ("nul", b"14/02/2024, 20:10 - M\xe1\xba\xb9: c\x00\x00\x00\n"),
            ("latin1", "14/02/2024, 20:11 - Mère: très bien\n".encode("latin-1")),
            (
                "cp1258",
                "14/02/2024, 20:12 - Mẹ: Hà Nội\n".encode().replace(
                    "Hà".encode(), "H\xe0".encode("latin-1")
                ),
            ),
            ("utf16", "14/02/2024, 20:13 - Mẹ: xin chào".encode("utf-16-le") + b"\n"),
            ("date-31-02", "31/02/2024, 20:14 - Mẹ: ngày không tồn tại\n".encode()),
            ("hour-25", "14/02/2024, 25:14 - Mẹ: giờ không tồn tại\n".encode()),
            ("ampm-13", "14/02/2024, 13:14 PM - Mẹ: giờ sai\n".encode()),
            ("huge", b"14/02/2024, 20:15 - M: " + b"x" * (1024 * 1024 + 10) + b"\n"),
        ]
        for name, bad in bads:
            for variant in range(2):
                lines = [self.wa_line() for _ in range(3)]
                body = (
                    lines[0]
                    + bad
                    + (b"continuation of the bad message\n" if variant else b"")
                    + lines[1]
                    + lines[2]
                )
                kind = {"nul": "NUL bytes", "huge": "huge line"}.get(
                    name,
                    "impossible date"
                    if name.startswith(("date", "hour", "ampm"))
                    else "wrong encoding",
                )
                self.add(
                    f"WhatsApp Chat with bad-{name}-{variant}.txt",
                    body,
                    kind,
                    good=3,
                    fmt="whatsapp",
                )
        for i in range(8):
            lines = [self.wa_line() for _ in range(2)]
            self.add(
                f"WhatsApp Chat with junk-{i}.txt",
                lines[0] + self.junk(300).replace(b"\n", b" ") + b"\n" + lines[1],
                "binary junk",
                good=2,
                fmt="whatsapp",
            )
        # zip bombs: deflate of 60 MB of zeros, and one whose header lies about its size
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("_chat.txt", b"0" * 60_000_000)
        self.add("whatsapp-bomb.zip", buf.getvalue(), "zip bomb", good=0, fmt="whatsapp")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("_chat.txt", b"".join(self.wa_line() for _ in range(2)))
            zf.writestr("inner/_chat.txt", b"\n" * 40_000_000)
        self.add("whatsapp-bomb-mixed.zip", buf.getvalue(), "zip bomb", good=2, fmt="whatsapp")
        self.add("whatsapp-truncated.zip", buf.getvalue()[:300], "zip bomb", good=0, fmt="whatsapp")

    # ------------------------------------------------------------ e-mail
    def mail(self, extra_headers: str = "", body: str | None = None) -> bytes:
        u = self.uid()
        body = (
            body
            if body is not None
            else f"Thư tốt {u}: ngân hàng không bao giờ hỏi mật khẩu qua thư.\n"
        )
        return (
            f"From sender{u}@example.org Thu Jan 18 10:00:00 2024\n"
            f"From: sender{u}@example.org\nTo: desk@example.org\nSubject: Message {u}\n"
            f"Message-ID: <m{u}@example.org>\nDate: Thu, 18 Jan 2024 10:00:00 +0000\n{extra_headers}"
            "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n"
        ).encode()

    def gen_email(self) -> None:
        bads = [
            ("no-headers", b"From x Thu Jan 18 10:00:00 2024\njust some text without headers\n\n"),
            (
                "junk",
                b"From x Thu Jan 18 10:00:00 2024\n"
                + self.junk(500).replace(b"\nFrom ", b"\n>From ")
                + b"\n\n",
            ),
            ("nul-headers", b"From x Thu Jan 18 10:00:00 2024\n\x00\x00\x00\x00\n\n"),
            ("empty-body", b"From x Thu Jan 18 10:00:00 2024\nX-Spam: yes\n\n\n"),
            (
                "html-only-headers",
                b"From x Thu Jan 18 10:00:00 2024\n" + HTML_PAGE.encode() + b"\n\n",
            ),
        ]
        for name, bad in bads:
            for _v in range(2):
                body = self.mail() + bad + self.mail() + self.mail()
                self.add(f"bad-{name}-{_v}.mbox", body, "broken e-mail", good=3, fmt="mbox")
        self.add("junk.eml", self.junk(2000), "binary junk", good=0, fmt="eml")
        self.add(
            "html.eml", HTML_PAGE.encode(), "HTML where an e-mail was expected", good=0, fmt="eml"
        )
        self.add("empty.eml", b"", "empty file", good=0, fmt="eml")
        self.add(
            "not-mbox.mbox",
            HTML_PAGE.encode(),
            "HTML where an e-mail was expected",
            good=0,
            fmt="mbox",
        )

    # ------------------------------------------------------------ video
    def gen_video(self) -> None:
        info = {
            "id": "v1",
            "title": "t",
            "description": "d",
            "webpage_url": "https://example.org/v1",
            "extractor_key": "Youtube",
        }
        doc = json.dumps(info).encode()
        for i, cut in enumerate((1, 10, 40, len(doc) - 1)):
            self.add(
                f"video-truncated-{i}.info.json", doc[:cut], "truncated JSON", good=0, fmt="video"
            )
        self.add("video-nested.info.json", b"[" * 100000, "deeply nested JSON", good=0, fmt="video")
        self.add(
            "video-html.info.json",
            HTML_PAGE.encode(),
            "HTML where JSON was expected",
            good=0,
            fmt="video",
        )
        self.add(
            "video-latin1.info.json",
            json.dumps({**info, "title": "Café"}, ensure_ascii=False).encode("latin-1"),
            "wrong encoding",
            good=0,
            fmt="video",
        )
        for i, ts in enumerate([1e30, -1e15, "soon"]):
            self.add(
                f"video-date-{i}.info.json",
                json.dumps({**info, "timestamp": ts}).encode(),
                "impossible date",
                good=0,
                fmt="video",
            )
        self.add(
            "video-noid.info.json",
            json.dumps([info]).encode(),
            "wrong JSON types",
            good=0,
            fmt="video",
        )

    # ------------------------------------------------------------ mapped CSV
    def gen_mapped(self) -> None:
        rows_bad = [
            ("too-many-fields", b'x1,"text",a,b,c,d\n'),
            ("bad-date", b"x2,some text,31/02/2024 10:00\n"),
            ("nul", b"x3,te\x00xt,01/02/2024 10:00\n"),
            ("empty-text", b"x4,,01/02/2024 10:00\n"),
            ("year-0001", b"x5,old text,01/01/0001 00:00\n"),
        ]
        for name, bad in rows_bad:
            u = [self.uid() for _ in range(3)]
            good = [f"g{x},Mapped good row {x} về giá xăng,01/02/2024 10:00\n".encode() for x in u]
            csvname = f"mapped-{name}.csv"
            self.add(
                csvname,
                b"id,text,time\n" + good[0] + bad + good[1] + good[2],
                "broken CSV row",
                good=0,
                fmt="csv-data",
            )
            self.cases.pop()  # the data file is read through its mapping, not on its own
            mapping = f'input = "{len(self.cases):03d}-{csvname}"\n[columns]\nid = "id"\ntext = "text"\ntime = "time"\n[time]\nformat = "%d/%m/%Y %H:%M"\n'
            self.add(
                f"mapped-{name}.mapping.toml",
                mapping.encode(),
                "broken CSV row" if name != "bad-date" else "impossible date",
                good=3,
                fmt=None,
            )

    # ------------------------------------------------------------ whole files
    def gen_files(self) -> None:
        self.add(
            "bomb.jsonl.gz", gzip.compress(b"\n" * 200_000_000, 9), "gzip bomb", good=0, fmt=None
        )
        self.add(
            "bomb2.json.gz",
            gzip.compress(b'{"id": "1", "text": "' + b"a" * 50_000_000, 9),
            "gzip bomb",
            good=0,
            fmt=None,
        )
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("posts.jsonl", b" " * 100_000_000)
        self.add("bomb.zip", buf.getvalue(), "zip bomb", good=0, fmt=None)
        for i in range(10):
            self.add(
                f"junk-{i}.bin",
                self.junk(self.rng.randrange(100, 5000)),
                "binary junk",
                good=0,
                fmt=None,
            )
        self.add("page.json", HTML_PAGE.encode(), "HTML where JSON was expected", good=0, fmt=None)
        self.add("empty.json", b"", "empty file", good=0, fmt=None)
        self.add("bom-only.jsonl", b"\xef\xbb\xbf", "empty file", good=0, fmt=None, min_rejected=0)

    def generate(self) -> list[Case]:
        self.out.mkdir(parents=True, exist_ok=True)
        self.gen_jsonl()
        self.gen_telegram()
        self.gen_whatsapp()
        self.gen_email()
        self.gen_video()
        self.gen_mapped()
        self.gen_files()
        with open(self.out / "manifest.jsonl", "w", encoding="utf-8") as fh:
            for c in self.cases:
                fh.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
        return self.cases


def generate(out: Path, seed: int = 7) -> list[Case]:
    return Corpus(out, seed).generate()


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/.cache/bad_inputs")
    cases = generate(out)
    print(f"{len(cases)} malformed inputs written to {out}")
