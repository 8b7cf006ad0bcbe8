"""Tables of the review workflow (users, sessions, comments, verdicts, audit log) and the
denormalised case statistics the newsroom queue sorts and filters on.  See ``docs/webapp.md``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from factwatch.store.schema import cases, items, metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(32), nullable=False),  # admin | editor | reviewer | viewer
    Column("password_hash", String(500), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True)),
)

# Server-side sessions: the cookie carries a random token, the database only its SHA-256.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_sessions_user", "user_id"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("author", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_comments_case", "case_id"),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("claim", Text, nullable=False),  # the claim reviewed, as published
    Column("claimant", String(500)),
    Column("lang", String(16)),
    Column("rating", String(200), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("sources", JSON, nullable=False),  # list of URLs
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("published_by", String(200)),
    Column("factcheck_id", String(500)),
    Index("ix_verdicts_case", "case_id"),
    Index("ix_verdicts_published_at", "published_at"),
)

# Append-only: the app has no route that updates or deletes a row.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_id", String(500)),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_at", "at"),
    Index("ix_audit_object", "object_type", "object_id"),
)

# Per-case figures the queue sorts and filters on, refreshed incrementally from ``cases.updated_at``
# (``Store.open_case`` and ``set_case_status`` bump it): spread = items and distinct accounts.
case_stats = Table(
    "case_stats",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("n_items", Integer, nullable=False),
    Column("n_accounts", Integer, nullable=False),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_case_stats_spread", "n_items", "case_id"),
    Index("ix_case_stats_status_spread", "status", "n_items", "case_id"),
    Index("ix_case_stats_last_seen", "last_seen"),
    Index("ix_case_stats_accounts", "n_accounts", "case_id"),
    Index("ix_case_stats_created", "created_at"),
    Index("ix_case_stats_first_seen", "first_seen", "last_seen", "n_items", "n_accounts"),
)

# Facets of a case for filtering: ("lang", "vi"), ("source", "rss"), ("signal", "claim_match").
case_facets = Table(
    "case_facets",
    metadata,
    Column("facet", String(16), primary_key=True),
    Column("value", String(200), primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_case_facets_case", "case_id"),
)

# Small key/value settings of the review app (watermarks, ...).
review_meta = Table(
    "review_meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# Indexes on core tables that the queue and dashboard need.
Index("ix_cases_updated_at", cases.c.updated_at)
Index("ix_cases_created_at", cases.c.created_at)
Index("ix_items_ingested_at", items.c.ingested_at)

__all__ = [
    "audit_log",
    "case_facets",
    "case_stats",
    "comments",
    "metadata",
    "review_meta",
    "sessions",
    "users",
    "verdicts",
]

# A reviewer's rating of one image or video an item carries (published as schema.org MediaReview
# next to the case's ClaimReview).
media_reviews = Table(
    "media_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("media_index", Integer, nullable=False),
    Column("media_type", String(16), nullable=False),  # image | video | audio
    Column("media_url", Text),  # where the medium is (http(s) URL), when known
    Column("category", String(64), nullable=False),  # MediaManipulationRatingEnumeration member
    Column("note", Text),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_media_reviews_case", "case_id"),
)
