"""Which protected domain does this domain imitate, and how?  Answered by hash lookups.

Index (built once from the entity registry):

* every official domain is split with the public suffix list (tldextract's bundled snapshot, no
  network) into its *label* (``baoquangninh``) and *suffix* (``com.vn``);
* the label's coarse confusable key (see :mod:`confusables`) and each key with one character
  deleted go into a hash map (a symmetric-deletion neighbourhood, as in SymSpell);
* exact maps by label, by coarse key, and the set of official domains (never flagged).

Query: a host is normalised (punycode decoded), split the same way, and its label's coarse key
and its one-deletion keys are looked up: ``len(label) + 1`` dictionary probes whatever the size of
the registry.  Candidates are then verified on the finer forms and the edit classified into the
dnstwist fuzzer vocabulary.  Combosquatting, subdomain abuse and the Vietnamese public-domain
patterns are a few more lookups on the tokens of the host.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from rapidfuzz.distance import OSA

from factwatch.impersonation.confusables import (
    ALT_PAIRS,
    coarse,
    coarse_ascii,
    is_cyrillic,
    skeleton,
)
from factwatch.models import Entity

TECHNIQUES: dict[str, str] = {
    "addition": "a character was added at the end of the name",
    "bitsquatting": "one character differs by a single bit from the original, as a memory or transmission error would produce",
    "cyrillic": "Latin letters were replaced by Cyrillic letters that look the same",
    "homoglyph": "characters were replaced by look-alike characters (e.g. 'rn' for 'm', '0' for 'o', accented or foreign letters)",
    "idn-homograph": "an internationalised (Unicode) name that reads like the original; in punycode it starts with 'xn--'",
    "hyphenation": "a hyphen was inserted into the name",
    "insertion": "a character was inserted into the name (often a neighbouring key on the keyboard)",
    "omission": "a character of the name was left out",
    "plural": "the name was put in the plural (an 's' or 'es' added)",
    "repetition": "a character of the name was doubled",
    "replacement": "a character was replaced by another (often a neighbouring key on the keyboard)",
    "subdomain": "a dot was inserted into the name, so the original reads across a subdomain",
    "transposition": "two neighbouring characters were swapped",
    "vowel-swap": "a vowel was replaced by another vowel",
    "dictionary": "the name was combined with a common word",
    "tld-swap": "the same name under another top-level domain or public suffix",
    "combosquatting": "the name combined with other words or with its own suffix (e.g. 'who-int.org', 'baoquangninh-news.net')",
    "subdomain-abuse": "the original domain or name is placed in the subdomain of an unrelated domain (e.g. 'chinhphu.vn.example.com')",
    "vn-gov-pattern": "imitates a Vietnamese public domain: the '.gov.vn' suffix swapped for '.vn'/'.com.vn', or a province name combined with 'gov' outside '.gov.vn'",
    "typosquatting": "one typing error away from the original",
}

# Words impostors attach to a name (en/fr/vi, accents folded), and bits of official suffixes.
COMBO_WORDS = frozenset(
    [
        "news",
        "tin",
        "tintuc",
        "tinmoi",
        "online",
        "official",
        "officiel",
        "login",
        "signin",
        "secure",
        "verify",
        "verification",
        "update",
        "live",
        "today",
        "daily",
        "media",
        "tv",
        "24h",
        "24",
        "247",
        "365",
        "vn",
        "info",
        "web",
        "portal",
        "world",
        "hot",
        "new",
        "support",
        "account",
        "mail",
        "app",
        "site",
        "page",
        "fan",
        "fans",
        "real",
        "chinhthuc",
        "bao",
        "baomoi",
        "vietnam",
        "hanoi",
        "dientu",
        "actu",
        "actualite",
        "actualites",
        "info",
        "infos",
        "direct",
        "journal",
        "france",
        "paris",
        "gov",
        "govt",
        "gouv",
        "int",
        "org",
        "com",
        "net",
        "co",
        "uk",
        "fr",
        "edu",
        "ac",
        "my",
        "the",
        "go",
        "global",
        "cong",
        "congthongtin",
        "service",
        "services",
        "pay",
        "payment",
        "help",
        "center",
        "centre",
        "id",
        "auth",
        "www",
        "www1",
        "www2",
        "www3",
        "m",
        "mobile",
        "my",
    ]
)

# Vietnam's provinces and centrally-run cities (folded, no spaces), as used in their
# ``<name>.gov.vn`` portals, including the names in use before the 2025 mergers.
VN_PROVINCES = tuple(
    sorted(
        set(
            [
                "angiang",
                "bariavungtau",
                "baria-vungtau",
                "bacgiang",
                "backan",
                "baclieu",
                "bacninh",
                "bentre",
                "binhdinh",
                "binhduong",
                "binhphuoc",
                "binhthuan",
                "camau",
                "cantho",
                "caobang",
                "danang",
                "daklak",
                "daknong",
                "dienbien",
                "dongnai",
                "dongthap",
                "gialai",
                "hagiang",
                "hanam",
                "hanoi",
                "hatinh",
                "haiduong",
                "haiphong",
                "haugiang",
                "hoabinh",
                "hungyen",
                "khanhhoa",
                "kiengiang",
                "kontum",
                "laichau",
                "lamdong",
                "langson",
                "laocai",
                "longan",
                "namdinh",
                "nghean",
                "ninhbinh",
                "ninhthuan",
                "phutho",
                "phuyen",
                "quangbinh",
                "quangnam",
                "quangngai",
                "quangninh",
                "quangtri",
                "soctrang",
                "sonla",
                "tayninh",
                "thaibinh",
                "thainguyen",
                "thanhhoa",
                "thuathienhue",
                "hue",
                "tiengiang",
                "travinh",
                "tuyenquang",
                "vinhlong",
                "vinhphuc",
                "yenbai",
                "hochiminhcity",
                "hochiminh",
                "tphcm",
            ]
        ),
        key=len,
        reverse=True,
    )
)

_VOWELS = set("aeiou")
_HOST_RE = re.compile(r"^[\w.-]+$", re.UNICODE)
_URL_RE = re.compile(r"(?:https?|hxxps?)://[^\s<>\"'`]+|www\.[^\s<>\"'`]+", re.IGNORECASE)
_BARE_RE = re.compile(r"(?<![@\w.-])((?:[\w-]{1,63}\.){1,6}[\w-]{2,63})(?![\w-])", re.UNICODE)
_SPLIT_TOKENS = re.compile(r"[.\-_]+")
_PLAIN_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\Z")
_ASCII_SKEL = bytes.maketrans(b"01", b"ol")
_ASCII_COARSE = bytes.maketrans(b"01dceqirmv395", b"olbccglnnu86s")


# ---------------------------------------------------------------------------- public suffixes
@dataclass(frozen=True)
class _Suffixes:
    rules: frozenset[str]
    wildcards: frozenset[str]
    exceptions: frozenset[str]


@lru_cache(maxsize=1)
def _suffixes() -> _Suffixes:
    """ICANN public suffixes from tldextract's bundled snapshot (no network)."""
    import tldextract

    ex = tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False
    )
    tlds = ex._get_tld_extractor().tlds(include_psl_private_domains=False)
    rules, wild, exc = set(), set(), set()
    for t in tlds:
        t = t.lower()
        if t.startswith("!"):
            exc.add(t[1:])
        elif t.startswith("*."):
            wild.add(t[2:])
        else:
            rules.add(t)
    # the snapshot lists IDN suffixes in Unicode; add their punycode too
    for t in list(rules):
        if not t.isascii():
            with contextlib.suppress(UnicodeError):
                rules.add(t.encode("idna").decode("ascii"))
    return _Suffixes(frozenset(rules), frozenset(wild), frozenset(exc))


def suffix_start(labels: list[str]) -> int:
    """Index of the first label of the public suffix (len(labels) when there is none)."""
    ps = _suffixes()
    n = len(labels)
    for i in range(max(0, n - 6), n):
        cand = ".".join(labels[i:])
        if cand in ps.exceptions:
            return i + 1
        if cand in ps.rules:
            return i
        if i + 1 < n and ".".join(labels[i + 1 :]) in ps.wildcards:
            return i
    return n


def split_host(labels: list[str]) -> int:
    """Like ``suffix_start`` but a host that is itself a public suffix (``quangninh.vn`` is one)
    is read as label + shorter suffix, so that it can still be compared."""
    i = suffix_start(labels)
    if i == 0 and len(labels) >= 2:
        return 1
    return i


# ---------------------------------------------------------------------------- hosts
def _decode_label(label: str) -> str:
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label


def normalize_host(value: str) -> str | None:
    """A host name from a domain or URL, lower case, punycode decoded; None if not a host."""
    if _PLAIN_HOST.match(value) and "xn--" not in value:  # fast path: a plain lower-case host
        return value if len(value) <= 253 else None
    v = value.strip().strip("\"'<>()[]")
    if not v:
        return None
    if "/" in v or "@" in v or v.lower().startswith(("http:", "https:", "hxxp")):
        if "://" not in v:
            v = "http://" + v
        v = re.sub(r"^hxxp", "http", v, flags=re.IGNORECASE)
        try:
            host = urlsplit(v).hostname or ""
        except ValueError:
            return None
    else:
        host = v.split(":", 1)[0]
    host = host.replace("[.]", ".").strip(".").lower()
    if not host or "." not in host or len(host) > 253 or not _HOST_RE.match(host):
        return None
    if "xn--" in host:
        host = ".".join(_decode_label(x) for x in host.split("."))
    labels = host.split(".")
    if any(not x or len(x) > 63 for x in labels):
        return None
    return host


def to_punycode(host: str) -> str:
    if host.isascii():
        return host
    out = []
    for label in host.split("."):
        if label.isascii():
            out.append(label)
        else:
            try:
                out.append(label.encode("idna").decode("ascii"))
            except UnicodeError:
                out.append("xn--" + label.encode("punycode").decode("ascii"))
    return ".".join(out)


def extract_hosts(text: str) -> list[str]:
    """Hosts of the URLs and bare domain names in a text, in order, once each."""
    seen: dict[str, None] = {}
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    for m in _URL_RE.finditer(text):
        spans.append(m.span())
        h = normalize_host(m.group(0).rstrip(".,;:!?)]}»"))
        if h:
            seen.setdefault(h, None)
    for m in _BARE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        h = normalize_host(m.group(1))
        if h and _has_suffix(h):
            seen.setdefault(h, None)
    return list(seen)


def _has_suffix(host: str) -> bool:
    labels = host.split(".")
    i = suffix_start(labels)
    return 0 < i < len(labels)


# ---------------------------------------------------------------------------- the index
@dataclass(slots=True)
class Protected:
    entity_id: str
    domain: str
    label: str
    suffix: str
    stripped: str  # label without hyphens
    skel: str
    coarse: str


@dataclass(slots=True)
class DomainMatch:
    domain: str
    entity_id: str | None
    imitates: str
    technique: str
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "entity_id": self.entity_id,
            "imitates": self.imitates,
            "technique": self.technique,
            "score": round(self.score, 3),
            "evidence": self.evidence,
        }


def _deletes(s: str) -> list[str]:
    return [s[:i] + s[i + 1 :] for i in range(len(s))]


def classify_edit(orig: str, seen: str) -> str | None:
    """The dnstwist fuzzer name for a single edit turning ``orig`` into ``seen`` (else None)."""
    lo, ls = len(orig), len(seen)
    if ls == lo + 1:
        i = 0
        while i < lo and orig[i] == seen[i]:
            i += 1
        if seen[i + 1 :] != orig[i:]:
            return None
        ch = seen[i]
        if (i > 0 and seen[i - 1] == ch) or (i + 1 < ls and seen[i + 1] == ch):
            return "repetition"
        if i == lo:
            return "addition"
        if ch == "-":
            return "hyphenation"
        if ch == "s" and i >= 3:
            return "plural"
        return "insertion"
    if ls == lo - 1:
        return "omission" if OSA.distance(orig, seen) == 1 else None
    if ls == lo:
        diff = [i for i in range(lo) if orig[i] != seen[i]]
        if len(diff) == 1:
            a, b = orig[diff[0]], seen[diff[0]]
            if a in _VOWELS and b in _VOWELS:
                return "vowel-swap"
            x = ord(a) ^ ord(b)
            if x and x & (x - 1) == 0:
                return "bitsquatting"
            if coarse_ascii(a) == coarse_ascii(b):
                return "homoglyph"
            return "replacement"
        if (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and orig[diff[0]] == seen[diff[1]]
            and orig[diff[1]] == seen[diff[0]]
        ):
            return "transposition"
    return None


class DomainIndex:
    """Answers "which protected domain does this host imitate?" by hashing, not by pairs."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.protected: list[Protected] = []
        self.officials: set[str] = set()
        self.del_index: dict[str, list[int]] = {}
        self.by_stripped: dict[str, list[int]] = {}
        self.by_coarse: dict[str, list[int]] = {}
        self.by_skel: dict[str, list[int]] = {}
        self.pre4: dict[str, list[int]] = {}
        self.suf4: dict[str, list[int]] = {}
        self.by_province: dict[str, list[int]] = {}
        seen: set[tuple[str, str]] = set()
        for ent in entities:
            for d in ent.domains:
                host = normalize_host(d)
                if not host:
                    continue
                self.officials.add(host)
                self.officials.add(to_punycode(host))
                labels = host.split(".")
                i = split_host(labels)
                if i == 0 or i >= len(labels):
                    continue
                label, suffix = labels[i - 1], ".".join(labels[i:])
                if (ent.id, label + "." + suffix) in seen:
                    continue
                seen.add((ent.id, label + "." + suffix))
                stripped = label.replace("-", "")
                p = Protected(
                    ent.id,
                    label + "." + suffix,
                    label,
                    suffix,
                    stripped,
                    skeleton(stripped),
                    coarse(stripped),
                )
                pid = len(self.protected)
                self.protected.append(p)
                for key in {p.coarse, *_deletes(p.coarse)}:
                    self.del_index.setdefault(key, []).append(pid)
                self.by_stripped.setdefault(stripped, []).append(pid)
                self.by_coarse.setdefault(p.coarse, []).append(pid)
                self.by_skel.setdefault(p.skel, []).append(pid)
                if len(p.skel) >= 4:
                    self.pre4.setdefault(p.skel[:4], []).append(pid)
                    self.suf4.setdefault(p.skel[-4:], []).append(pid)
                if suffix.endswith("gov.vn"):
                    self.by_province.setdefault(skeleton(stripped), []).append(pid)

    def __len__(self) -> int:
        return len(self.protected)

    # ------------------------------------------------------------------ queries
    def is_official(self, host: str) -> bool:
        """True for an official domain of a registered entity and for its subdomains."""
        labels = host.split(".")
        offs = self.officials
        return any(".".join(labels[i:]) in offs for i in range(len(labels) - 1))

    def check_many(
        self, values: Iterable[str], min_score: float = 0.6
    ) -> Iterator[tuple[str, DomainMatch | None]]:
        for v in values:
            yield v, self.check(v, min_score)

    def check(self, value: str, min_score: float = 0.6) -> DomainMatch | None:
        """The best match of a domain or URL against the registry, or None (official/unrelated)."""
        host = normalize_host(value)
        if host is None:
            return None
        return self.check_host(host, min_score)

    def check_host(self, host: str, min_score: float = 0.6) -> DomainMatch | None:
        """Like ``check`` for a host already normalised (``normalize_host``)."""
        labels = host.split(".")
        si = split_host(labels)
        if si == 0 or si >= len(labels):
            return None
        reg = labels[si - 1]
        suffix = ".".join(labels[si:]) if len(labels) - si > 1 else labels[-1]
        best: list[Any] = []  # [score, pid, technique, extra]

        def offer(score: float, pid: int, technique: str, **extra: Any) -> None:
            if not best or score > best[0]:
                best[:] = [score, pid, technique, extra]

        stripped = reg.replace("-", "") if "-" in reg else reg
        if stripped.isascii():
            q_skel = stripped.encode("ascii").translate(_ASCII_SKEL).decode("ascii")
            q_coarse = stripped.encode("ascii").translate(_ASCII_COARSE).decode("ascii")
        else:
            q_skel = skeleton(stripped)
            q_coarse = coarse_ascii(q_skel)
        # 1. the label itself: exact, homoglyph, one edit away (deletion neighbourhood), also
        #    read with its multi-letter look-alikes contracted ('rn' -> 'm', ...)
        di = self.del_index
        readings = [(q_skel, q_coarse)]
        for a, b in ALT_PAIRS:
            if a in q_skel:
                v = q_skel.replace(a, b)
                readings.append((v, coarse_ascii(v)))
        for n_read, (v_skel, v_coarse) in enumerate(readings):
            cands = di.get(v_coarse)
            found: set[int] | None = set(cands) if cands else None
            for i in range(len(v_coarse)):
                hits = di.get(v_coarse[:i] + v_coarse[i + 1 :])
                if hits:
                    if found is None:
                        found = set(hits)
                    else:
                        found.update(hits)
            if found:
                for pid in found:
                    r = self._verify(
                        reg, stripped, v_skel, v_coarse, suffix, self.protected[pid], n_read > 0
                    )
                    if r is not None:
                        offer(r[0], pid, r[1])
        if "es" in stripped:  # dnstwist's plural adds 'es' after s/x/z: two letters at once
            for m in re.finditer("es", stripped):
                k = coarse(stripped[: m.start()] + stripped[m.end() :])
                for pid in self.by_coarse.get(k, ()):
                    p = self.protected[pid]
                    if p.stripped[m.start() - 1 : m.start()] in ("s", "x", "z") and (
                        p.suffix == suffix or len(p.stripped) >= 7
                    ):
                        offer(0.8, pid, "plural")
        # 2. dnstwist's 'subdomain': a dot inserted into the name (possibly making a public
        #    suffix of it, as 'vietnam.net.vn')
        nl = len(labels)
        if nl >= 3:
            for span in (1, 2, 3):
                for start in range(min(3, nl - span - 1)):
                    joined = "".join(labels[start : nl - span]).replace("-", "")
                    pids = self.by_stripped.get(joined)
                    if pids:
                        suf = ".".join(labels[nl - span :])
                        for pid in pids:
                            if self.protected[pid].suffix == suf:
                                offer(0.96, pid, "subdomain")
        # 3. combosquatting: the name plus words (with or without hyphens)
        if not best or best[0] < 0.8:
            self._combos(reg, q_skel, suffix, offer)
        # 4. subdomain abuse: an official domain or name inside the subdomain
        if si >= 2 and (not best or best[0] < 0.95):
            self._subdomain_abuse(labels[:si], offer)
        # 5. Vietnamese public-domain patterns: a province name and 'gov' outside .gov.vn
        province_hit: tuple[str, str] | None = None
        if "gov" in host and not suffix.endswith("gov.vn"):
            flat = "".join(labels[:si]).replace("-", "")
            if "gov" in flat:
                for prov in VN_PROVINCES:
                    if prov in flat:
                        pids = self.by_province.get(prov)
                        if pids:
                            offer(0.9, pids[0], "vn-gov-pattern", province=prov)
                        else:
                            province_hit = (prov, f"{prov}.gov.vn")
                        break
        if not best and province_hit is None:
            return None
        if self.is_official(host):
            return None
        if not best:
            assert province_hit is not None
            if min_score > 0.8:
                return None
            return DomainMatch(
                domain=host,
                entity_id=None,
                imitates=province_hit[1],
                technique="vn-gov-pattern",
                score=0.8,
                evidence=self._evidence(host, "vn-gov-pattern", None, province=province_hit[0]),
            )
        score, pid, technique, extra = best
        if score < min_score:
            return None
        p = self.protected[pid]
        return DomainMatch(
            domain=host,
            entity_id=p.entity_id,
            imitates=extra.pop("imitates", p.domain),
            technique=technique,
            score=score,
            evidence=self._evidence(host, technique, p, **extra),
        )

    def _verify(
        self,
        reg: str,
        stripped: str,
        q_skel: str,
        q_coarse: str,
        suffix: str,
        p: Protected,
        alt: bool = False,
    ) -> tuple[float, str] | None:
        same_suffix = suffix == p.suffix
        n = len(p.stripped)
        if stripped == p.stripped:
            if reg != p.label:  # only the hyphens differ
                tech = classify_edit(p.label, reg) or "hyphenation"
                return (0.9, tech) if same_suffix or n > 4 else (0.7, tech)
            if same_suffix:
                return None
            if p.suffix.endswith("gov.vn") and suffix.endswith("vn"):
                return 0.95, "vn-gov-pattern"
            return (0.85 if n >= 4 else 0.75), "tld-swap"
        unicode = not stripped.isascii()
        look = (
            ("cyrillic" if any(is_cyrillic(c) for c in stripped) else "idn-homograph")
            if unicode
            else "homoglyph"
        )
        # under another suffix a short name one edit away is mostly another real name
        cross = 0.0 if same_suffix else (0.1 if n >= 7 else 0.25)
        if q_skel == p.skel:
            if alt:
                return 0.85 - cross, look
            if unicode:
                return 0.95 - cross / 2, look
            return 0.9 - cross / 2, look
        if n <= 3:
            # three letters have dense neighbourhoods (bbc, nbc, abc, cbc): only same suffix, low score
            if not same_suffix:
                return None
            base = 0.62
        else:
            base = 0.8 if n >= 5 else 0.7
        if q_coarse == p.coarse:
            return min(base + 0.05, 0.85) - cross, look
        if not unicode and not alt:
            edit = classify_edit(p.label, reg) or classify_edit(p.stripped, stripped)
            if edit is not None:
                return base - cross, edit
        if OSA.distance(q_skel, p.skel) <= 1:
            return base - 0.05 - cross, look
        if n >= 8 and OSA.distance(q_coarse, p.coarse) <= 1:
            return base - 0.1 - cross, look
        return None

    def _combos(self, reg: str, q_skel: str, suffix: str, offer: Any) -> None:
        by_skel = self.by_skel
        if "-" in reg:
            toks = [t for t in reg.split("-") if t]
            n = len(toks)
            for i in range(n):
                for j in range(i + 1, min(n, i + 3) + 1):
                    if j - i == n:
                        continue
                    pids = by_skel.get(skeleton("".join(toks[i:j])))
                    if not pids:
                        continue
                    rest = [t.lower() for t in toks[:i] + toks[j:]]
                    for pid in pids:
                        p = self.protected[pid]
                        known = COMBO_WORDS | set(p.suffix.split("."))
                        if all(t in known or t.isdigit() for t in rest):
                            gov = p.suffix.endswith("gov.vn") and "gov" in rest
                            offer(
                                0.85, pid, "vn-gov-pattern" if gov else "combosquatting", words=rest
                            )
                        elif len(p.stripped) >= 8:
                            offer(0.65, pid, "combosquatting", words=rest)
        # no separator: the name at the start or the end of the label
        n = len(q_skel)
        if n < 6:
            return
        for pids, at_start in (
            (self.pre4.get(q_skel[:4]), True),
            (self.suf4.get(q_skel[-4:]), False),
        ):
            if not pids:
                continue
            for pid in pids:
                p = self.protected[pid]
                ln = len(p.skel)
                if ln >= n:
                    continue
                raw = reg.replace("-", "") if len(reg.replace("-", "")) == n else q_skel
                if at_start:
                    if not q_skel.startswith(p.skel):
                        continue
                    r = raw[ln:]
                elif q_skel.endswith(p.skel):
                    r = raw[: n - ln]
                else:
                    continue
                known = COMBO_WORDS | set(p.suffix.split(".")) | {p.suffix.replace(".", "")}
                if r in known or r.isdigit():
                    gov = p.suffix.endswith("gov.vn") and "gov" in r
                    offer(0.8, pid, "vn-gov-pattern" if gov else "combosquatting", words=[r])
                elif ln >= 7 and len(r) >= 3:
                    offer(0.55, pid, "combosquatting", words=[r])

    def _subdomain_abuse(self, sub: list[str], offer: Any) -> None:
        """``sub``: the labels before the public suffix (the registered label last)."""
        offs = self.officials
        # whole labels ('rennes-lindy-hop.com.cdn.example'), then hyphen-separated tokens
        # ('login-who.int.example.net')
        for toks in (sub, [t for t in _SPLIT_TOKENS.split(".".join(sub)) if t]):
            n = len(toks)
            for i in range(n):
                for j in range(i + 2, min(n, i + 4) + 1):
                    cand = ".".join(toks[i:j])
                    if cand in offs:
                        pid = self._pid_for_domain(cand)
                        if pid is not None:
                            offer(0.95, pid, "subdomain-abuse", imitates=cand)
                            return
        # the name alone as a subdomain label (not the registered label itself: that is
        # combosquatting, with its own rules)
        for t in _SPLIT_TOKENS.split(".".join(sub[:-1])):
            if len(t) >= 5:
                for pid in self.by_stripped.get(t, ()):
                    offer(0.75, pid, "subdomain-abuse")

    def _pid_for_domain(self, host: str) -> int | None:
        labels = host.split(".")
        si = split_host(labels)
        if 0 < si < len(labels):
            key = labels[si - 1] + "." + ".".join(labels[si:])
            for pid in self.by_stripped.get(labels[si - 1].replace("-", ""), ()):
                if self.protected[pid].domain == key:
                    return pid
        return None

    @staticmethod
    def _evidence(host: str, technique: str, p: Protected | None, **extra: Any) -> dict[str, Any]:
        ev: dict[str, Any] = {
            "explanation": TECHNIQUES.get(technique, technique),
            "unicode": host,
            "punycode": to_punycode(host),
            "skeleton": skeleton(host),
        }
        if p is not None:
            ev["protected_label"] = p.label
            ev["protected_suffix"] = p.suffix
        ev.update({k: v for k, v in extra.items() if v is not None})
        return ev
