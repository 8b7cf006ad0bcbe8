"""Tables, in SQLAlchemy Core.  Migrations in ``migrations/`` create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(200), nullable=False),
    Column("native_id", String(500), nullable=False),
    Column("url", Text),
    Column("author", String(500)),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("lang", String(16)),
    Column("published_at", DateTime(timezone=True)),
    Column("media", JSON, nullable=False, default=list),
    Column("engagement", JSON, nullable=False, default=dict),
    Column("extra", JSON, nullable=False, default=dict),
    Column("content_hash", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("analysed_at", DateTime(timezone=True)),
    UniqueConstraint("source", "native_id", name="uq_items_source_native"),
    Index("ix_items_content_hash", "content_hash"),
    Index("ix_items_analysed_at", "analysed_at"),
    Index("ix_items_published_at", "published_at"),
)

factchecks = Table(
    "factchecks",
    metadata,
    Column("id", String(500), primary_key=True),
    Column("claim", Text, nullable=False),
    Column("title", Text),
    Column("rating", String(200)),
    Column("url", Text),
    Column("lang", String(16)),
    Column("claimant", String(500)),
    Column("published_at", DateTime(timezone=True)),
    Column("author", String(500)),
    Column("appearances", JSON, nullable=False, default=list),
    Column("extra", JSON, nullable=False, default=dict),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Vectors of fact-checks and items, keyed by what they embed; recomputed only when the text
# (its hash) or the model changes.
embeddings = Table(
    "embeddings",
    metadata,
    Column("owner_type", String(32), primary_key=True),  # factcheck | item
    Column("owner_id", String(500), primary_key=True),
    Column("model", String(100), primary_key=True),
    Column("text_hash", String(64), nullable=False),
    Column("dim", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float32 little-endian
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("data", JSON, nullable=False),  # aliases, domains, accounts, logos
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

signals = Table(
    "signals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("target_type", String(32)),
    Column("target_id", String(500)),
    Column("evidence", JSON, nullable=False, default=dict),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("item_id", "kind", "target_id", name="uq_signals_item_kind_target"),
    Index("ix_signals_target", "target_type", "target_id"),
    Index("ix_signals_kind", "kind"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("target_type", String(32), nullable=False),
    Column("target_id", String(500), nullable=False),
    Column("title", Text, nullable=False),
    Column("status", String(32), nullable=False, default="new"),
    Column("assignee", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "target_type", "target_id", name="uq_cases_target"),
    Index("ix_cases_status", "status"),
)

case_items = Table(
    "case_items",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("signal_id", Integer, ForeignKey("signals.id", ondelete="SET NULL")),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Index("ix_case_items_item", "item_id"),
)

# A reviewer's "this post is not about this fact-check": the pair is never flagged again.
match_feedback = Table(
    "match_feedback",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("factcheck_id", String(500), primary_key=True),
    Column("verdict", String(32), nullable=False),  # not_about | confirmed
    Column("user", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Opaque persisted state of analysers (indexes, checkpoints), by name.
analyser_state = Table(
    "analyser_state",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Tables of other areas register on the same metadata (imported last: they import ``metadata``).
from factwatch.store import schema_review, schema_work  # noqa: E402,F401
