"""Store: typed reads and writes of factwatch's records over SQLAlchemy Core."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, create_engine, event, func, insert, select, update
from sqlalchemy.engine import Connection

from factwatch.models import Account, Case, Entity, FactCheck, Item, Signal, utcnow
from factwatch.store import schema as t

DEFAULT_DB = "factwatch.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_db_url(db: str | None) -> str:
    """``--db`` value (path or URL) -> SQLAlchemy URL.  Falls back to $FACTWATCH_DB, then ./factwatch.db."""
    db = db or os.environ.get("FACTWATCH_DB") or DEFAULT_DB
    if "://" in db:
        if db.startswith("postgresql://"):
            return "postgresql+psycopg://" + db[len("postgresql://") :]
        if db.startswith("postgres://"):
            return "postgresql+psycopg://" + db[len("postgres://") :]
        return db
    return f"sqlite:///{Path(db).expanduser()}"


@dataclass
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_ids: list[str] = field(default_factory=list)  # inserted or updated records


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


class Store:
    """A factwatch database.  Open with ``Store.open(db)``; close with ``close()``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, db: str | None = None, migrate: bool = True) -> Store:
        url = resolve_db_url(db)
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 60})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=60000")
                cur.close()
        else:
            engine = create_engine(url, pool_pre_ping=True)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    def migrate(self) -> None:
        """Apply every Alembic migration not yet applied."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> Connection:
        return self.engine.connect()

    # ------------------------------------------------------------------ items
    def add_items(self, items: Iterable[Item]) -> UpsertResult:
        """Store new items; one already seen is skipped and gets its stored id.

        "Already seen" means the same (source, native id), or the same source with the same
        author, title, text and URL (a re-export under new ids).  Identical text from other
        accounts or sources is kept: copies are what campaign detection counts."""
        res = UpsertResult()
        now = utcnow()
        batch = list(items)
        with self.engine.begin() as conn:
            for start in range(0, len(batch), 500):
                chunk = batch[start : start + 500]
                by_native: dict[tuple[str, str], int] = {}
                by_hash: dict[tuple[str, str], int] = {}
                for src in {it.source for it in chunk}:
                    natives = [it.native_id for it in chunk if it.source == src]
                    hashes = [
                        it.content_hash for it in chunk if it.source == src and (it.text or it.url)
                    ]
                    for r in conn.execute(
                        select(t.items.c.id, t.items.c.native_id, t.items.c.content_hash).where(
                            t.items.c.source == src,
                            t.items.c.native_id.in_(natives) | t.items.c.content_hash.in_(hashes),
                        )
                    ):
                        by_native[(src, r.native_id)] = r.id
                        by_hash[(src, r.content_hash)] = r.id
                for it in chunk:
                    h = it.content_hash
                    hit = by_native.get((it.source, it.native_id))
                    if hit is None and (it.text or it.url):
                        hit = by_hash.get((it.source, h))
                    if hit is not None:
                        it.id = hit
                        res.unchanged += 1
                        continue
                    row = conn.execute(
                        insert(t.items).values(
                            source=it.source,
                            native_id=it.native_id,
                            url=it.url,
                            author=it.author,
                            title=it.title,
                            text=it.text,
                            lang=it.lang,
                            published_at=_aware(it.published_at),
                            media=it.media,
                            engagement=it.engagement,
                            extra=it.extra,
                            content_hash=h,
                            ingested_at=now,
                        )
                    )
                    it.id = int(row.inserted_primary_key[0])  # type: ignore[index]
                    by_native[(it.source, it.native_id)] = it.id
                    by_hash[(it.source, h)] = it.id
                    res.inserted += 1
        return res

    @staticmethod
    def item_from_row(row: Any) -> Item:
        """An :class:`Item` from a row of the ``items`` table."""
        return Store._item(row)

    @staticmethod
    def _item(row: Any) -> Item:
        return Item(
            id=row.id,
            source=row.source,
            native_id=row.native_id,
            url=row.url,
            author=row.author,
            title=row.title,
            text=row.text,
            lang=row.lang,
            published_at=_aware(row.published_at),
            media=list(row.media or []),
            engagement=dict(row.engagement or {}),
            extra=dict(row.extra or {}),
        )

    def iter_items(self, ids: Sequence[int] | None = None, batch: int = 1000) -> Iterator[Item]:
        q = select(t.items).order_by(t.items.c.id)
        if ids is not None:
            for i in range(0, len(ids), batch):
                with self.engine.connect() as conn:
                    rows = conn.execute(q.where(t.items.c.id.in_(ids[i : i + batch]))).all()
                yield from (self._item(r) for r in rows)
            return
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(q.where(t.items.c.id > last).limit(batch)).all()
            if not rows:
                return
            yield from (self._item(r) for r in rows)
            last = rows[-1].id

    def get_items(self, ids: Sequence[int]) -> list[Item]:
        return list(self.iter_items(ids))

    def count_items(self, unanalysed: bool = False) -> int:
        q = select(func.count()).select_from(t.items)
        if unanalysed:
            q = q.where(t.items.c.analysed_at.is_(None))
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def unanalysed_items(self, limit: int = 500) -> list[Item]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.items)
                .where(t.items.c.analysed_at.is_(None))
                .order_by(t.items.c.id)
                .limit(limit)
            ).all()
        return [self._item(r) for r in rows]

    def mark_analysed(self, ids: Sequence[int], conn: Connection | None = None) -> None:
        stmt = update(t.items).where(t.items.c.id.in_(list(ids))).values(analysed_at=utcnow())
        if conn is not None:
            conn.execute(stmt)
            return
        with self.engine.begin() as c:
            c.execute(stmt)

    # ------------------------------------------------------------------ fact-checks
    def upsert_factchecks(self, fcs: Iterable[FactCheck]) -> UpsertResult:
        """Insert new fact-checks, update changed ones (same id), leave identical ones alone."""
        res = UpsertResult()
        now = utcnow()
        with self.engine.begin() as conn:
            for fc in fcs:
                h = fc.content_hash
                values = dict(
                    claim=fc.claim,
                    title=fc.title,
                    rating=fc.rating,
                    url=fc.url,
                    lang=fc.lang,
                    claimant=fc.claimant,
                    published_at=_aware(fc.published_at),
                    author=fc.author,
                    appearances=fc.appearances,
                    extra=fc.extra,
                    content_hash=h,
                    updated_at=now,
                )
                old = conn.execute(
                    select(t.factchecks.c.content_hash).where(t.factchecks.c.id == fc.id)
                ).first()
                if old is None:
                    conn.execute(insert(t.factchecks).values(id=fc.id, created_at=now, **values))
                    res.inserted += 1
                    res.changed_ids.append(fc.id)
                elif old[0] != h or values["appearances"] or values["extra"]:
                    if old[0] == h:
                        res.unchanged += 1
                    else:
                        res.updated += 1
                        res.changed_ids.append(fc.id)
                    conn.execute(
                        update(t.factchecks).where(t.factchecks.c.id == fc.id).values(**values)
                    )
                else:
                    res.unchanged += 1
        return res

    @staticmethod
    def _factcheck(row: Any) -> FactCheck:
        return FactCheck(
            id=row.id,
            claim=row.claim,
            title=row.title,
            rating=row.rating,
            url=row.url,
            lang=row.lang,
            claimant=row.claimant,
            published_at=_aware(row.published_at),
            author=row.author,
            appearances=list(row.appearances or []),
            extra=dict(row.extra or {}),
        )

    def list_factchecks(self, ids: Sequence[str] | None = None) -> list[FactCheck]:
        q = select(t.factchecks).order_by(t.factchecks.c.id)
        if ids is not None:
            q = q.where(t.factchecks.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            return [self._factcheck(r) for r in conn.execute(q)]

    def get_factcheck(self, fc_id: str) -> FactCheck | None:
        got = self.list_factchecks([fc_id])
        return got[0] if got else None

    def count_factchecks(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.factchecks)).scalar_one())

    # ------------------------------------------------------------------ embeddings
    def get_vectors(self, owner_type: str, model: str) -> dict[str, tuple[str, np.ndarray]]:
        """owner_id -> (text_hash, float32 vector) for every stored vector of this owner type."""
        out: dict[str, tuple[str, np.ndarray]] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(
                select(t.embeddings).where(
                    t.embeddings.c.owner_type == owner_type, t.embeddings.c.model == model
                )
            ):
                out[r.owner_id] = (r.text_hash, np.frombuffer(r.vector, dtype="<f4"))
        return out

    def get_vectors_by_ids(
        self, owner_type: str, model: str, ids: Sequence[str]
    ) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for r in conn.execute(
                    select(t.embeddings.c.owner_id, t.embeddings.c.vector).where(
                        t.embeddings.c.owner_type == owner_type,
                        t.embeddings.c.model == model,
                        t.embeddings.c.owner_id.in_(list(ids[i : i + 500])),
                    )
                ):
                    out[r.owner_id] = np.frombuffer(r.vector, dtype="<f4")
        return out

    def iter_vectors(
        self, owner_type: str, model: str, batch: int = 5000
    ) -> Iterator[tuple[list[str], np.ndarray]]:
        """All stored vectors of an owner type, in chunks of (ids, matrix)."""
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(t.embeddings.c.owner_id, t.embeddings.c.vector)
                    .where(
                        t.embeddings.c.owner_type == owner_type,
                        t.embeddings.c.model == model,
                        t.embeddings.c.owner_id > last,
                    )
                    .order_by(t.embeddings.c.owner_id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            yield (
                [r.owner_id for r in rows],
                np.vstack([np.frombuffer(r.vector, dtype="<f4") for r in rows]),
            )
            last = rows[-1].owner_id

    def put_vectors(
        self, owner_type: str, model: str, rows: Sequence[tuple[str, str, np.ndarray]]
    ) -> None:
        """Store ``(owner_id, text_hash, vector)`` rows, replacing older ones."""
        if not rows:
            return
        with self.engine.begin() as conn:
            ids = [r[0] for r in rows]
            for i in range(0, len(ids), 500):
                conn.execute(
                    t.embeddings.delete().where(
                        t.embeddings.c.owner_type == owner_type,
                        t.embeddings.c.model == model,
                        t.embeddings.c.owner_id.in_(ids[i : i + 500]),
                    )
                )
            conn.execute(
                insert(t.embeddings),
                [
                    dict(
                        owner_type=owner_type,
                        owner_id=oid,
                        model=model,
                        text_hash=th,
                        dim=int(vec.shape[0]),
                        vector=np.asarray(vec, dtype="<f4").tobytes(),
                    )
                    for oid, th, vec in rows
                ],
            )

    # ------------------------------------------------------------------ entities
    def upsert_entities(self, ents: Iterable[Entity]) -> UpsertResult:
        res = UpsertResult()
        now = utcnow()
        with self.engine.begin() as conn:
            for e in ents:
                data = {
                    "aliases": e.aliases,
                    "domains": e.domains,
                    "accounts": [
                        a.__dict__ if hasattr(a, "__dict__") else _acc(a) for a in e.accounts
                    ],
                    "logos": e.logos,
                }
                old = conn.execute(select(t.entities.c.id).where(t.entities.c.id == e.id)).first()
                if old is None:
                    conn.execute(
                        insert(t.entities).values(
                            id=e.id, name=e.name, kind=e.kind, data=data, updated_at=now
                        )
                    )
                    res.inserted += 1
                else:
                    conn.execute(
                        update(t.entities)
                        .where(t.entities.c.id == e.id)
                        .values(name=e.name, kind=e.kind, data=data, updated_at=now)
                    )
                    res.updated += 1
        return res

    def list_entities(self) -> list[Entity]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.entities).order_by(t.entities.c.id)).all()
        out = []
        for r in rows:
            d = r.data or {}
            out.append(
                Entity(
                    id=r.id,
                    name=r.name,
                    kind=r.kind,
                    aliases=list(d.get("aliases", [])),
                    domains=list(d.get("domains", [])),
                    accounts=[Account(**a) for a in d.get("accounts", [])],
                    logos=list(d.get("logos", [])),
                )
            )
        return out

    # ------------------------------------------------------------------ signals and cases
    def add_signals(
        self, signals: Sequence[Signal], conn: Connection | None = None
    ) -> list[Signal]:
        """Store signals (one per item, kind and target: a repeat updates score and evidence)."""
        if conn is None:
            with self.engine.begin() as c:
                return self.add_signals(signals, c)
        now = utcnow()
        for s in signals:
            old = conn.execute(
                select(t.signals.c.id).where(
                    t.signals.c.item_id == s.item_id,
                    t.signals.c.kind == s.kind,
                    (t.signals.c.target_id == s.target_id)
                    if s.target_id is not None
                    else t.signals.c.target_id.is_(None),
                )
            ).first()
            if old is not None:
                conn.execute(
                    update(t.signals)
                    .where(t.signals.c.id == old[0])
                    .values(score=s.score, evidence=s.evidence)
                )
                s.id = old[0]
            else:
                r = conn.execute(
                    insert(t.signals).values(
                        item_id=s.item_id,
                        kind=s.kind,
                        score=float(s.score),
                        target_type=s.target_type,
                        target_id=s.target_id,
                        evidence=s.evidence,
                        created_at=now,
                    )
                )
                s.id = int(r.inserted_primary_key[0])  # type: ignore[index]
            s.created_at = s.created_at or now
        return list(signals)

    @staticmethod
    def _signal(r: Any) -> Signal:
        return Signal(
            id=r.id,
            item_id=r.item_id,
            kind=r.kind,
            score=r.score,
            target_type=r.target_type,
            target_id=r.target_id,
            evidence=dict(r.evidence or {}),
            created_at=_aware(r.created_at),
        )

    def signals_for_items(self, item_ids: Sequence[int]) -> list[Signal]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.signals)
                .where(t.signals.c.item_id.in_(list(item_ids)))
                .order_by(t.signals.c.id)
            ).all()
        return [self._signal(r) for r in rows]

    def list_signals(self, kind: str | None = None) -> list[Signal]:
        q = select(t.signals).order_by(t.signals.c.id)
        if kind:
            q = q.where(t.signals.c.kind == kind)
        with self.engine.connect() as conn:
            return [self._signal(r) for r in conn.execute(q)]

    def open_case(
        self,
        kind: str,
        target_type: str,
        target_id: str,
        title: str,
        item_id: int,
        signal_id: int | None,
        conn: Connection | None = None,
    ) -> int:
        """Open the case about ``target`` (or find the open one) and attach the item to it."""
        if conn is None:
            with self.engine.begin() as c:
                return self.open_case(kind, target_type, target_id, title, item_id, signal_id, c)
        now = utcnow()
        row = conn.execute(
            select(t.cases.c.id).where(
                t.cases.c.kind == kind,
                t.cases.c.target_type == target_type,
                t.cases.c.target_id == target_id,
            )
        ).first()
        if row is None:
            case_id = int(
                conn.execute(
                    insert(t.cases).values(
                        kind=kind,
                        target_type=target_type,
                        target_id=target_id,
                        title=title[:1000],
                        status="new",
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
            )
        else:
            case_id = int(row[0])
            conn.execute(update(t.cases).where(t.cases.c.id == case_id).values(updated_at=now))
        linked = conn.execute(
            select(t.case_items.c.item_id).where(
                t.case_items.c.case_id == case_id, t.case_items.c.item_id == item_id
            )
        ).first()
        if linked is None:
            conn.execute(
                insert(t.case_items).values(
                    case_id=case_id, item_id=item_id, signal_id=signal_id, added_at=now
                )
            )
        return case_id

    def _case(self, r: Any, conn: Connection) -> Case:
        links = conn.execute(
            select(t.case_items.c.item_id, t.case_items.c.signal_id)
            .where(t.case_items.c.case_id == r.id)
            .order_by(t.case_items.c.item_id)
        ).all()
        return Case(
            id=r.id,
            kind=r.kind,
            target_type=r.target_type,
            target_id=r.target_id,
            title=r.title,
            status=r.status,
            created_at=_aware(r.created_at),
            updated_at=_aware(r.updated_at),
            item_ids=[x.item_id for x in links],
            signal_ids=[x.signal_id for x in links if x.signal_id is not None],
        )

    def list_cases(self, status: str | None = None, limit: int | None = None) -> list[Case]:
        q = select(t.cases).order_by(t.cases.c.id)
        if status:
            q = q.where(t.cases.c.status == status)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [self._case(r, conn) for r in conn.execute(q).all()]

    def get_case(self, case_id: int) -> Case | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(t.cases).where(t.cases.c.id == case_id)).first()
            return self._case(r, conn) if r is not None else None

    def set_case_status(self, case_id: int, status: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(t.cases)
                .where(t.cases.c.id == case_id)
                .values(status=status, updated_at=utcnow())
            )

    # ------------------------------------------------------------------ feedback
    def add_feedback(
        self, content_hash: str, factcheck_id: str, verdict: str, user: str | None = None
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                t.match_feedback.delete().where(
                    t.match_feedback.c.content_hash == content_hash,
                    t.match_feedback.c.factcheck_id == factcheck_id,
                )
            )
            conn.execute(
                insert(t.match_feedback).values(
                    content_hash=content_hash,
                    factcheck_id=factcheck_id,
                    verdict=verdict,
                    user=user,
                    created_at=utcnow(),
                )
            )

    def rejected_pairs(self) -> set[tuple[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.match_feedback.c.content_hash, t.match_feedback.c.factcheck_id).where(
                    t.match_feedback.c.verdict == "not_about"
                )
            ).all()
        return {(r[0], r[1]) for r in rows}

    # ------------------------------------------------------------------ analyser state
    def get_state(self, name: str, conn: Connection | None = None) -> bytes | None:
        got = self.get_state_stamped(name, conn)
        return got[0] if got is not None else None

    def get_state_stamped(
        self, name: str, conn: Connection | None = None
    ) -> tuple[bytes, datetime] | None:
        """The state ``name`` and when it was written (an analyser that keeps a copy in memory
        compares the stamp to know whether another process has written since)."""
        q = select(t.analyser_state.c.data, t.analyser_state.c.updated_at).where(
            t.analyser_state.c.name == name
        )
        if conn is not None:
            r = conn.execute(q).first()
        else:
            with self.engine.connect() as c:
                r = c.execute(q).first()
        return (bytes(r[0]), r[1]) if r is not None else None

    def state_stamp(self, name: str, conn: Connection | None = None) -> datetime | None:
        """When the state ``name`` was last written (None: never)."""
        q = select(t.analyser_state.c.updated_at).where(t.analyser_state.c.name == name)
        if conn is not None:
            return conn.execute(q).scalar()
        with self.engine.connect() as c:
            return c.execute(q).scalar()

    def put_state(self, name: str, data: bytes, conn: Connection | None = None) -> datetime:
        """Replace the state ``name`` (an upsert, safe when several processes save at once);
        inside ``conn``'s transaction when given.  Returns the new stamp."""
        if conn is None:
            with self.engine.begin() as c:
                return self.put_state(name, data, c)
        stamp = utcnow()
        values = {"name": name, "data": data, "updated_at": stamp}
        if self.dialect in ("postgresql", "sqlite"):
            if self.dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as upsert
            else:
                from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
            stmt = upsert(t.analyser_state).values(**values)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["name"],
                    set_={"data": data, "updated_at": stamp},
                )
            )
        else:
            conn.execute(t.analyser_state.delete().where(t.analyser_state.c.name == name))
            conn.execute(insert(t.analyser_state).values(**values))
        return stamp


def _acc(a: Any) -> dict[str, Any]:
    return {
        "platform": a.platform,
        "handle": a.handle,
        "display_name": a.display_name,
        "url": a.url,
    }
