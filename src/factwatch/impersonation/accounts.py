"""Which registered entity does this page or account impersonate, and how?

Keys of an entity: its name, aliases, the display names and handles of its registered accounts and
the labels of its official domains, each reduced to a compact skeleton (accents folded, confusables
mapped to ASCII, spaces and separators removed) — with and without the words impostors add
("official", "news", "fan", "24h", "tin tức", ...).  Keys go into a hash map and a one-deletion
neighbourhood map (for swapped, doubled or dropped letters), so a check costs a few lookups
whatever the size of the registry.  A registered account (same platform and handle) is never
flagged.  Avatars are compared with the registered logos by perceptual hash (pHash, imagehash).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from factwatch.impersonation.confusables import coarse_ascii, skeleton
from factwatch.impersonation.domains import VN_PROVINCES, split_host
from factwatch.models import Entity
from factwatch.text.normalize import fold_diacritics, normalize_text

ACCOUNT_TECHNIQUES: dict[str, str] = {
    "confusable": "uses look-alike characters (other alphabets, '0' for 'o', 'rn' for 'm') to copy a registered name or handle",
    "dropped-diacritics": "copies the name without its accents or tone marks",
    "separators": "copies a registered handle with dots, dashes or underscores added or removed",
    "added-words": "copies the name and adds words such as 'official', 'news', 'fan', '24h' or 'tin tức'",
    "edit-distance": "copies the name with a letter swapped, doubled, dropped or changed",
    "name-copy": "uses the entity's exact name on an account the entity has not registered",
    "unregistered-platform": "uses the entity's name or handle on a platform where it has no registered account",
    "avatar": "uses a picture that looks like the entity's registered logo",
}

ADDED_WORDS = frozenset(
    [
        "official",
        "officiel",
        "offical",
        "oficial",
        "news",
        "fan",
        "fans",
        "fanpage",
        "fanclub",
        "club",
        "page",
        "pages",
        "24h",
        "24",
        "247",
        "365",
        "7",
        "tin",
        "tintuc",
        "tuc",
        "tinmoi",
        "tinnong",
        "nong",
        "moi",
        "online",
        "tv",
        "channel",
        "kenh",
        "live",
        "daily",
        "today",
        "hq",
        "real",
        "the",
        "vn",
        "vietnam",
        "viet",
        "info",
        "infos",
        "actu",
        "actus",
        "actualite",
        "actualites",
        "direct",
        "chinhthuc",
        "chinh",
        "thuc",
        "group",
        "nhom",
        "hoi",
        "media",
        "update",
        "updates",
        "hot",
        "breaking",
        "press",
        "bao",
        "baomoi",
        "moinhat",
        "nhat",
        "team",
        "support",
        "admin",
        "page_official",
        "tv24",
        "24h7",
        "express",
    ]
)
# Words that must stay part of a name even though they look generic.
_KEEP = frozenset({"new", "le", "la", "les", "de", "du", "world"})
_PEEL = sorted((w for w in ADDED_WORDS if len(w) >= 2 and w not in _KEEP), key=len, reverse=True)
_PROVINCE_KEYS = frozenset(p.replace("-", "") for p in VN_PROVINCES)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _tokens(text: str) -> list[str]:
    """Folded word tokens of a name or handle; camelCase and digits split off."""
    text = _CAMEL.sub(" ", normalize_text(text))
    text = re.sub(r"(?<=[^\W\d_])(?=\d)", " ", text)
    return [t.casefold() for t in _TOKEN.findall(text)]


def compact(text: str) -> str:
    """Case-folded, separators removed, accents kept."""
    return "".join(_tokens(text))


def folded(text: str) -> str:
    return fold_diacritics("".join(_tokens(text))).lower()


def name_cores(tokens: list[str]) -> list[tuple[str, list[str]]]:
    """The name with the words impostors add taken off either end, longest first.

    Works on tokens ("VnExpress Official" -> "vnexpress") and inside one run of letters
    ("tintucvnexpress" -> "vnexpress"); each core comes with the words removed.
    """
    out: dict[str, list[str]] = {}
    n = len(tokens)
    for i in range(n):
        if i and not _added(tokens[i - 1]):
            break
        for j in range(n, i, -1):
            if j < n and not _added(tokens[j]):
                break
            if (i, j) == (0, n):
                continue
            core = "".join(tokens[i:j])
            if core not in out:
                out[core] = tokens[:i] + tokens[j:]
    # inside a run of letters: peel known words off the start and the end (3 at most)
    frontier: list[tuple[str, list[str]]] = [("".join(tokens), [])]
    for _ in range(3):
        nxt: list[tuple[str, list[str]]] = []
        for s, added in frontier:
            for w in _PEEL:
                if len(s) > len(w) + 2:
                    if s.startswith(w):
                        nxt.append((s[len(w) :], [*added, w]))
                    if s.endswith(w):
                        nxt.append((s[: -len(w)], [*added, w]))
        for s, added in nxt:
            out.setdefault(s, added)
        frontier = nxt[:50]
    return sorted(out.items(), key=lambda kv: -len(kv[0]))


def _added(token: str) -> bool:
    return token.isdigit() or (token in ADDED_WORDS and token not in _KEEP)


def squeeze(s: str) -> str:
    """Doubled letters made single: 'afpp' -> 'afp'."""
    return re.sub(r"(.)\1+", r"\1", s)


@dataclass(slots=True)
class ObservedAccount:
    platform: str
    handle: str
    display_name: str | None = None
    url: str | None = None
    avatar: str | None = None  # a local image path

    @classmethod
    def from_dict(cls, obj: dict[str, Any]) -> ObservedAccount:
        def s(key: str) -> str | None:
            v = obj.get(key)
            if v is None:
                return None
            if isinstance(v, bool) or not isinstance(v, str | int | float):
                raise ValueError(f"'{key}' must be a string, got {type(v).__name__}")
            return str(v)[:500]

        platform = s("platform")
        handle = s("handle")
        if not handle and not s("display_name"):
            raise ValueError("an account needs a 'handle' or a 'display_name'")
        return cls(
            platform=(platform or "").strip().lower(),
            handle=(handle or "").strip().lstrip("@"),
            display_name=s("display_name"),
            url=s("url"),
            avatar=s("avatar"),
        )


@dataclass(slots=True)
class AccountMatch:
    account: str
    platform: str
    entity_id: str
    imitates: str
    technique: str
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "platform": self.platform,
            "entity_id": self.entity_id,
            "imitates": self.imitates,
            "technique": self.technique,
            "score": round(self.score, 3),
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class _Key:
    entity_id: str
    source: str  # what it was made from: "name", "alias", "handle:<platform>", "domain", ...
    original: str
    folded: str
    skel: str


def _deletes(s: str) -> list[str]:
    return [s[:i] + s[i + 1 :] for i in range(len(s))]


class AccountIndex:
    def __init__(self, entities: Iterable[Entity], phash_max: int = 10) -> None:
        self.entities: dict[str, Entity] = {}
        self.registered: set[tuple[str, str]] = set()
        self.registered_urls: set[str] = set()
        self.platforms: dict[str, set[str]] = {}
        self.keys: list[_Key] = []
        self.by_skel: dict[str, list[int]] = {}
        self.by_del: dict[str, list[int]] = {}
        self.short_keys: dict[str, list[int]] = {}
        self.logo_hashes: dict[str, list[tuple[str, Any]]] = {}
        self.phash_max = phash_max
        for ent in entities:
            self.entities[ent.id] = ent
            plats = self.platforms.setdefault(ent.id, set())
            for a in ent.accounts:
                plat = a.platform.lower()
                plats.add(plat)
                self.registered.add((plat, _handle_key(a.handle)))
                if a.url:
                    self.registered_urls.add(a.url.rstrip("/").lower())
                self._add(ent.id, f"handle:{plat}", a.handle)
                if a.display_name:
                    self._add(ent.id, f"display_name:{plat}", a.display_name)
            self._add(ent.id, "name", ent.name)
            for al in ent.aliases:
                self._add(ent.id, "alias", al)
            for d in ent.domains:
                labels = d.split(".")
                si = split_host(labels)
                if 0 < si <= len(labels):
                    self._add(ent.id, "domain", labels[si - 1])
                self._add(ent.id, "domain", d)
            self._logos(ent)

    def _add(self, entity_id: str, source: str, text: str) -> None:
        toks = _tokens(text)
        form = "".join(toks)
        f = fold_diacritics(form).lower()
        sk = skeleton(f)
        if len(sk) < 2:
            return
        if source == "domain" and sk in _PROVINCE_KEYS:
            return  # a province's portal label is the place's name, not a brand
        if any(
            self.keys[i].entity_id == entity_id and self.keys[i].original == text
            for i in self.by_skel.get(sk, ())
        ):
            return
        kid = len(self.keys)
        self.keys.append(_Key(entity_id, source, text, f, sk))
        self.by_skel.setdefault(sk, []).append(kid)
        if len(sk) >= 5:
            c = coarse_ascii(sk)
            for d in {c, *_deletes(c)}:
                self.by_del.setdefault(d, []).append(kid)
        elif len(sk) >= 3:
            # short names (acronyms): only doubled or swapped letters are looked for
            self.short_keys.setdefault(squeeze(sk), []).append(kid)
            self.short_keys.setdefault("".join(sorted(sk)), []).append(kid)

    def _logos(self, ent: Entity) -> None:
        if not ent.logos:
            return
        for path in ent.logos:
            h = phash_file(path)
            if h is not None:
                self.logo_hashes.setdefault(ent.id, []).append((path, h))

    # ------------------------------------------------------------------ queries
    def is_registered(self, acc: ObservedAccount) -> bool:
        if (acc.platform, _handle_key(acc.handle)) in self.registered:
            return True
        return bool(acc.url and acc.url.rstrip("/").lower() in self.registered_urls)

    def check(self, acc: ObservedAccount, min_score: float = 0.6) -> AccountMatch | None:
        if self.is_registered(acc):
            return None
        best: tuple[float, int, str, str, dict[str, Any]] | None = None

        def offer(score: float, kid: int, technique: str, field_: str, **extra: Any) -> None:
            nonlocal best
            if best is None or score > best[0]:
                best = (score, kid, technique, field_, extra)

        for field_, text in (("handle", acc.handle), ("display_name", acc.display_name)):
            if not text:
                continue
            self._match_text(acc, field_, text, offer)
        avatar_hit: tuple[str, str, int] | None = None
        if acc.avatar and self.logo_hashes:
            avatar_hit = self._avatar(acc.avatar)
        if best is None:
            if avatar_hit is not None and avatar_hit[2] <= max(2, self.phash_max // 2):
                eid, logo, dist = avatar_hit
                ent = self.entities[eid]
                score = 0.75
                if score < min_score:
                    return None
                return AccountMatch(
                    account=acc.handle or acc.display_name or "",
                    platform=acc.platform,
                    entity_id=eid,
                    imitates=ent.name,
                    technique="avatar",
                    score=score,
                    evidence={
                        "explanation": ACCOUNT_TECHNIQUES["avatar"],
                        "avatar": acc.avatar,
                        "logo": logo,
                        "phash_distance": dist,
                    },
                )
            return None
        score, kid, technique, field_, extra = best
        key = self.keys[kid]
        ev: dict[str, Any] = {
            "explanation": ACCOUNT_TECHNIQUES.get(technique, technique),
            "matched_field": field_,
            "matched_value": acc.handle if field_ == "handle" else acc.display_name,
            "protected_value": key.original,
            "protected_source": key.source,
            "skeleton": key.skel,
        }
        registered_here = acc.platform in self.platforms.get(key.entity_id, set())
        ev["entity_has_account_on_platform"] = registered_here
        if avatar_hit is not None and avatar_hit[0] == key.entity_id:
            ev["avatar"] = acc.avatar
            ev["logo"] = avatar_hit[1]
            ev["phash_distance"] = avatar_hit[2]
            score = min(1.0, score + 0.1)
        ev.update(extra)
        if score < min_score:
            return None
        return AccountMatch(
            account=acc.handle or acc.display_name or "",
            platform=acc.platform,
            entity_id=key.entity_id,
            imitates=key.original,
            technique=technique,
            score=score,
            evidence=ev,
        )

    def _match_text(self, acc: ObservedAccount, field_: str, text: str, offer: Any) -> None:
        toks = _tokens(text)
        if not toks:
            return
        raw = "".join(toks)
        fold = fold_diacritics(raw).lower()
        sk = skeleton(fold)
        plat = acc.platform
        # exact skeleton: copy, dropped accents, confusables, separators
        for kid in self.by_skel.get(sk, ()):
            key = self.keys[kid]
            short = len(sk) <= 3
            # 'Who', 'Ap': a short common word is only a copy if written exactly like the original
            if (
                short
                and field_ == "display_name"
                and not _confusable_only(raw)
                and _letters(text) != _letters(key.original)
            ):
                continue
            registered_here = plat in self.platforms.get(key.entity_id, set())
            key_compact = compact(key.original)
            if _confusable_only(raw):
                offer(0.95, kid, "confusable", field_)
            elif fold != key.folded:
                offer(0.9, kid, "confusable", field_)  # ASCII look-alikes: '0' for 'o'
            elif raw != key_compact and raw == fold and key_compact != key.folded:
                offer(0.9, kid, "dropped-diacritics", field_)
            elif (
                field_ == "handle"
                and key.source.startswith("handle:")
                and _handle_key(text) != _handle_key(key.original)
            ):
                offer(0.9, kid, "separators", field_)
            elif not registered_here:
                offer(0.87 if not short else 0.75, kid, "unregistered-platform", field_)
            else:
                offer(0.87 if not short else 0.7, kid, "name-copy", field_)
        # added words around the name
        cores = name_cores([fold_diacritics(t).lower() for t in toks])
        for core, added in cores:
            csk = skeleton(core)
            if csk == sk or len(csk) < 2:
                continue
            for kid in self.by_skel.get(csk, ()):
                key = self.keys[kid]
                score = 0.85 if len(csk) >= 4 else 0.75
                if csk != skeleton(key.folded) or fold_diacritics(core) != key.folded:
                    score = min(score, 0.85)
                offer(score, kid, "added-words", field_, added=added)
        # short names (acronyms): a doubled or swapped letter, written as an acronym
        for form, added in [(sk, []), *((skeleton(c), ad) for c, ad in cores[:3])]:
            if not 3 <= len(form) <= 5:
                continue
            for probe in {squeeze(form), "".join(sorted(form))}:
                for kid in self.short_keys.get(probe, ()):
                    key = self.keys[kid]
                    if key.skel == form or abs(len(key.skel) - len(form)) > 1:
                        continue
                    if OSA.distance(form, key.skel) != 1:
                        continue
                    if field_ == "display_name" and not text.isupper() and len(key.skel) <= 3:
                        continue
                    offer(0.62, kid, "edit-distance", field_, distance=1, added=added)
        # one edit away (swapped, doubled, dropped letters), on the whole and the core names
        forms: list[tuple[str, list[str]]] = [(sk, [])]
        forms += [(skeleton(c), ad) for c, ad in cores[:3]]
        for form, added in forms:
            if len(form) < 5:
                continue
            c = coarse_ascii(form)
            cands: set[int] = set()
            for d in (c, *_deletes(c)):
                hits = self.by_del.get(d)
                if hits:
                    cands.update(hits)
            for kid in cands:
                key = self.keys[kid]
                if key.skel == form:
                    continue
                dist = OSA.distance(form, key.skel)
                if dist <= 1 or c == coarse_ascii(key.skel):
                    tech = (
                        "confusable"
                        if dist > 1 or _ascii_lookalike(form, key.skel)
                        else "edit-distance"
                    )
                    base = 0.8 if len(key.skel) >= 7 else 0.7
                    if added:
                        offer(base - 0.05, kid, tech, field_, distance=dist, added=added)
                    else:
                        offer(base, kid, tech, field_, distance=dist)

    def _avatar(self, path: str) -> tuple[str, str, int] | None:
        h = phash_file(path)
        if h is None:
            return None
        best: tuple[str, str, int] | None = None
        for eid, logos in self.logo_hashes.items():
            for logo, lh in logos:
                d = int(h - lh)
                if d <= self.phash_max and (best is None or d < best[2]):
                    best = (eid, logo, d)
        return best


def _letters(text: str) -> str:
    """Letters and digits as written (case kept): 'V_TV' -> 'VTV'."""
    return re.sub(r"[\W_]+", "", text)


def _handle_key(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def _confusable_only(raw: str) -> bool:
    """True if the text has letters outside Latin (e.g. Cyrillic/Greek look-alikes)."""
    for ch in raw:
        if ch.isalpha() and not ch.isascii():
            name = unicodedata.name(ch, "")
            if not name.startswith("LATIN"):
                return True
    return False


def _ascii_lookalike(a: str, b: str) -> bool:
    return len(a) == len(b) and a != b and coarse_ascii(a) == coarse_ascii(b)


def phash_file(path: str) -> Any | None:
    """pHash of an image file, or None if it cannot be read."""
    try:
        import imagehash
        from PIL import Image

        p = Path(path)
        if not p.is_file() or p.stat().st_size > 20 * 1024 * 1024:
            return None
        with Image.open(p) as im:
            im.draft("L", (256, 256))
            return imagehash.phash(im.convert("L"))
    except Exception:  # noqa: BLE001 - an unreadable picture is no evidence, not an error
        return None
