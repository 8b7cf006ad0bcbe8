"""The core records that flow through factwatch.

Plain dataclasses: no storage, web or CLI code depends on anything but these, and the analysers
read and write only these. Timestamps are timezone-aware UTC ``datetime`` objects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from factwatch.text.normalize import normalize_text


def utcnow() -> datetime:
    return datetime.now(UTC)


def content_hash(*parts: str | None) -> str:
    """Stable hash of normalised content, used for idempotent ingest and import."""
    h = hashlib.sha256()
    for p in parts:
        h.update(normalize_text(p or "").casefold().encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


@dataclass(slots=True)
class Item:
    """One piece of content as seen: a post, article, message, video transcript."""

    source: str
    native_id: str
    text: str
    title: str | None = None
    url: str | None = None
    author: str | None = None
    lang: str | None = None
    published_at: datetime | None = None
    media: list[dict[str, Any]] = field(default_factory=list)
    engagement: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    id: int | None = None  # storage key, set once stored

    @property
    def content_hash(self) -> str:
        """Same author, title, text and URL: the same item (within one source)."""
        return content_hash(self.author, self.title, self.text, self.url)

    @property
    def full_text(self) -> str:
        """Title, text and the text read in its images, as analysers that read prose see them."""
        parts = []
        if self.title and self.title.strip() and self.title.strip() not in self.text:
            parts.append(self.title.strip())
        parts.append(self.text)
        parts.extend(
            o["text"] for o in self.extra.get("ocr", []) if isinstance(o, dict) and o.get("text")
        )
        return "\n".join(p for p in parts if p)


@dataclass(slots=True)
class FactCheck:
    """A ClaimReview-shaped record: a claim, the verdict on it and where it was published."""

    id: str
    claim: str
    title: str | None = None
    rating: str | None = None
    url: str | None = None
    lang: str | None = None
    claimant: str | None = None
    published_at: datetime | None = None
    author: str | None = None  # the reviewing organisation
    appearances: list[str] = field(default_factory=list)  # URLs where the claim appeared
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return content_hash(self.claim, self.title, self.rating, self.url, self.lang, self.claimant)

    @property
    def search_text(self) -> str:
        """The text a post is matched against: the claim, plus the title when it adds words."""
        if self.title and self.title.strip() and self.title.strip() != self.claim.strip():
            return f"{self.claim.strip()}\n{self.title.strip()}"
        return self.claim.strip()


@dataclass(slots=True)
class Account:
    platform: str
    handle: str
    display_name: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Entity:
    """An organisation or person whose official domains, handles and logos are protected."""

    id: str
    name: str
    kind: str = "organisation"  # agency | media | organisation | person
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    logos: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Signal:
    """What an analyser found about one item, with the evidence a human needs to weigh it.

    ``target_type``/``target_id`` name what the signal is about (a fact-check, an entity, a
    campaign, ...); signals with a target are grouped into Cases.
    """

    item_id: int
    kind: str  # claim_match | clickbait | lookalike_domain | impersonation | campaign | ...
    score: float
    target_type: str | None = None
    target_id: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    created_at: datetime | None = None


CASE_STATUSES = ("new", "in_review", "verdict", "published", "dismissed")


@dataclass(slots=True)
class Case:
    """A claim or story under review (never a person)."""

    kind: str  # claim | impersonation | campaign
    target_type: str
    target_id: str
    title: str
    status: str = "new"
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    item_ids: list[int] = field(default_factory=list)
    signal_ids: list[int] = field(default_factory=list)
