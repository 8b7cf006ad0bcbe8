"""Data access of the review workflow: users and sessions, the case queue, case pages, comments,
verdicts, publication, the audit log and dashboard figures.  Every function takes a ``Store``.

Every state change writes one ``audit_log`` row (who, what, when, before/after) in the same
transaction as the change itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, literal_column, select, true, update
from sqlalchemy.engine import Connection

from factwatch.models import CASE_STATUSES, FactCheck, Item, utcnow
from factwatch.store import schema as t
from factwatch.store import schema_review as r
from factwatch.store.core import Store, _aware
from factwatch.text.normalize import normalize_text

ROLES = ("viewer", "reviewer", "editor", "admin")
ROLE_RANK = {name: i for i, name in enumerate(ROLES)}
DEFAULT_RATINGS = (
    "True",
    "Mostly true",
    "Mixed",
    "Mostly false",
    "False",
    "Misleading",
    "Unproven",
)
# Numeric values on the true/false axis (ClaimReview ratingValue); the others have none.
RATING_VALUES = {"True": 5, "Mostly true": 4, "Mixed": 3, "Mostly false": 2, "False": 1}
SESSION_TTL = timedelta(hours=12)

# Status moves a reviewer may make with the status control ("verdict" and "published" are
# reached only by recording a verdict and by publishing it).
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    "new": ("in_review", "dismissed"),
    "in_review": ("dismissed", "new"),
    "verdict": ("in_review", "dismissed"),
    "dismissed": ("in_review",),
    "published": (),
}


class ReviewError(ValueError):
    """A request the workflow refuses (bad status move, missing field, ...)."""


def _new_id(result: Any) -> int:
    return int(result.inserted_primary_key[0])


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------- users
_hasher: Any = None


def password_hasher() -> Any:
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


@dataclass
class User:
    id: int
    name: str
    role: str
    csrf: str = ""

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def has_users(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(select(r.users.c.id).limit(1)).first() is not None


def add_user(store: Store, name: str, role: str, password: str, actor: str = "cli") -> int:
    name = normalize_text(name)
    if role not in ROLES:
        raise ReviewError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not name or len(name) > 200:
        raise ReviewError("user name must have 1 to 200 characters")
    if len(password) < 8:
        raise ReviewError("password must have at least 8 characters")
    pw = password_hasher().hash(password)
    now = utcnow()
    with store.engine.begin() as conn:
        old = conn.execute(
            select(r.users.c.id, r.users.c.role).where(r.users.c.name == name)
        ).first()
        if old is not None:
            conn.execute(
                update(r.users).where(r.users.c.id == old.id).values(role=role, password_hash=pw)
            )
            conn.execute(delete(r.sessions).where(r.sessions.c.user_id == old.id))
            audit(conn, actor, "user.update", "user", name, {"role": old.role}, {"role": role})
            return int(old.id)
        uid = _new_id(
            conn.execute(
                insert(r.users).values(name=name, role=role, password_hash=pw, created_at=now)
            )
        )
        audit(conn, actor, "user.add", "user", name, None, {"role": role})
        return uid


_DUMMY_HASH: str | None = None


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user if name and password match (constant work whether or not the name exists)."""
    global _DUMMY_HASH
    from argon2.exceptions import InvalidHashError, VerificationError

    ph = password_hasher()
    with store.engine.connect() as conn:
        row = conn.execute(
            select(r.users).where(
                r.users.c.name == normalize_text(name), r.users.c.disabled_at.is_(None)
            )
        ).first()
    if row is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = ph.hash(secrets.token_hex(16))
        with contextlib.suppress(VerificationError, InvalidHashError):
            ph.verify(_DUMMY_HASH, password)
        return None
    try:
        ph.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(id=row.id, name=row.name, role=row.role)


def create_session(store: Store, user: User, ttl: timedelta = SESSION_TTL) -> tuple[str, str]:
    """A new session: (cookie token, CSRF token)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    with store.engine.begin() as conn:
        conn.execute(delete(r.sessions).where(r.sessions.c.expires_at < now))
        conn.execute(
            insert(r.sessions).values(
                token_hash=_hash_token(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + ttl,
            )
        )
        audit(conn, user.name, "session.login", "user", user.name, None, None)
    return token, csrf


def session_user(store: Store, token: str | None) -> User | None:
    if not token or len(token) > 200:
        return None
    with store.engine.connect() as conn:
        row = conn.execute(
            select(r.users.c.id, r.users.c.name, r.users.c.role, r.sessions.c.csrf_token)
            .select_from(r.sessions.join(r.users, r.users.c.id == r.sessions.c.user_id))
            .where(
                r.sessions.c.token_hash == _hash_token(token),
                r.sessions.c.expires_at > utcnow(),
                r.users.c.disabled_at.is_(None),
            )
        ).first()
    if row is None:
        return None
    return User(id=row.id, name=row.name, role=row.role, csrf=row.csrf_token)


def end_session(store: Store, token: str | None, actor: str) -> None:
    if not token:
        return
    with store.engine.begin() as conn:
        conn.execute(delete(r.sessions).where(r.sessions.c.token_hash == _hash_token(token)))
        audit(conn, actor, "session.logout", "user", actor, None, None)


# ---------------------------------------------------------------------------------------- audit
def audit(
    conn: Connection,
    actor: str,
    action: str,
    object_type: str,
    object_id: Any,
    before: Any,
    after: Any,
) -> None:
    conn.execute(
        insert(r.audit_log).values(
            at=utcnow(),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            before=before,
            after=after,
        )
    )


def list_audit(
    store: Store,
    limit: int = 100,
    offset: int = 0,
    object_type: str | None = None,
    object_id: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    q = select(r.audit_log)
    cq = select(func.count()).select_from(r.audit_log)
    if object_type:
        q = q.where(r.audit_log.c.object_type == object_type)
        cq = cq.where(r.audit_log.c.object_type == object_type)
    if object_id:
        q = q.where(r.audit_log.c.object_id == object_id)
        cq = cq.where(r.audit_log.c.object_id == object_id)
    with store.engine.connect() as conn:
        rows = conn.execute(q.order_by(r.audit_log.c.id.desc()).limit(limit).offset(offset)).all()
        total = int(conn.execute(cq).scalar_one())
    return [dict(x._mapping) | {"at": _aware(x.at)} for x in rows], total


# ---------------------------------------------------------------------------------------- meta
def _get_meta(conn: Connection, key: str) -> str | None:
    row = conn.execute(select(r.review_meta.c.value).where(r.review_meta.c.key == key)).first()
    return row[0] if row else None


def _set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(r.review_meta).where(r.review_meta.c.key == key))
    conn.execute(insert(r.review_meta).values(key=key, value=value))


# ---------------------------------------------------------------------------------------- case stats
_WM_KEY = "case_stats.watermark"


def _refresh_cases(conn: Connection, rows: Sequence[Any]) -> None:
    ids = [x.id for x in rows]
    agg = {
        a.case_id: a
        for a in conn.execute(
            select(
                t.case_items.c.case_id,
                func.count().label("n"),
                func.count(func.distinct(t.items.c.author)).label("acc"),
                func.min(func.coalesce(t.items.c.published_at, t.items.c.ingested_at)).label(
                    "first"
                ),
                func.max(func.coalesce(t.items.c.published_at, t.items.c.ingested_at)).label(
                    "last"
                ),
            )
            .select_from(t.case_items.join(t.items, t.items.c.id == t.case_items.c.item_id))
            .where(t.case_items.c.case_id.in_(ids))
            .group_by(t.case_items.c.case_id)
        )
    }
    facets: set[tuple[str, str, int]] = set()
    for cid, lang, source in conn.execute(
        select(t.case_items.c.case_id, t.items.c.lang, t.items.c.source)
        .select_from(t.case_items.join(t.items, t.items.c.id == t.case_items.c.item_id))
        .where(t.case_items.c.case_id.in_(ids))
        .distinct()
    ):
        if lang:
            facets.add(("lang", str(lang)[:200], cid))
        if source:
            facets.add(("source", str(source)[:200], cid))
    for cid, kind in conn.execute(
        select(t.case_items.c.case_id, t.signals.c.kind)
        .select_from(t.case_items.join(t.signals, t.signals.c.item_id == t.case_items.c.item_id))
        .where(t.case_items.c.case_id.in_(ids))
        .distinct()
    ):
        facets.add(("signal", str(kind)[:200], cid))
    for x in rows:
        facets.add(("kind", str(x.kind)[:200], x.id))
    conn.execute(delete(r.case_stats).where(r.case_stats.c.case_id.in_(ids)))
    conn.execute(delete(r.case_facets).where(r.case_facets.c.case_id.in_(ids)))
    conn.execute(
        insert(r.case_stats),
        [
            dict(
                case_id=x.id,
                status=x.status,
                n_items=agg[x.id].n if x.id in agg else 0,
                n_accounts=agg[x.id].acc if x.id in agg else 0,
                first_seen=agg[x.id].first if x.id in agg else None,
                last_seen=agg[x.id].last if x.id in agg else None,
                created_at=x.created_at,
            )
            for x in rows
        ],
    )
    if facets:
        conn.execute(
            insert(r.case_facets), [dict(facet=f, value=v, case_id=c) for f, v, c in facets]
        )


def refresh_case_stats(
    store: Store, full: bool = False, chunk: int = 500, max_cases: int | None = None
) -> int:
    """Bring ``case_stats``/``case_facets`` up to date with cases changed since the last refresh
    (``cases.updated_at`` moves whenever an item is attached or the status changes).  Returns the
    number of cases refreshed.  Cheap when nothing changed: one indexed query.  With
    ``max_cases``, does nothing and returns -1 when more cases than that changed (a request can
    then leave the work to a background refresh)."""
    n = 0
    with store.engine.begin() as conn:
        wm = None if full else _get_meta(conn, _WM_KEY)
        q = select(
            t.cases.c.id,
            t.cases.c.kind,
            t.cases.c.status,
            t.cases.c.created_at,
            t.cases.c.updated_at,
        )
        if wm:
            # a little slack: a transaction that began earlier may commit after the last refresh
            q = q.where(t.cases.c.updated_at >= datetime.fromisoformat(wm) - timedelta(seconds=5))
        if max_cases is not None:
            n_changed = conn.execute(
                select(func.count()).select_from(q.limit(max_cases + 1).subquery())
            ).scalar_one()
            if n_changed > max_cases:
                return -1
        rows = conn.execute(q.order_by(t.cases.c.id)).all()
        if not rows:
            return 0
        newest = max(_aware(x.updated_at) for x in rows)  # type: ignore[type-var]
        for i in range(0, len(rows), chunk):
            _refresh_cases(conn, rows[i : i + chunk])
            n += len(rows[i : i + chunk])
        if newest is not None:
            _set_meta(conn, _WM_KEY, newest.isoformat())
    return n


# ---------------------------------------------------------------------------------------- queue
SORTS = {
    "spread": (r.case_stats.c.n_items.desc(), r.case_stats.c.case_id.desc()),
    "accounts": (r.case_stats.c.n_accounts.desc(), r.case_stats.c.case_id.desc()),
    "recent": (r.case_stats.c.last_seen.desc(), r.case_stats.c.case_id.desc()),
    "newest": (r.case_stats.c.created_at.desc(), r.case_stats.c.case_id.desc()),
}


@dataclass
class QueueFilter:
    status: str | None = None
    lang: str | None = None
    source: str | None = None
    signal: str | None = None
    kind: str | None = None
    assignee: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "spread"
    page: int = 1
    per_page: int = 50


def _day_start(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


COUNT_CAP = 1_000


def queue(store: Store, f: QueueFilter) -> tuple[list[dict[str, Any]], int]:
    """One page of the case queue and the number of cases matching the filters (with filters,
    counted up to ``COUNT_CAP + 1``)."""
    cs = r.case_stats
    conds: list[Any] = []
    if f.status:
        conds.append(cs.c.status == f.status)
    for facet, value in (
        ("lang", f.lang),
        ("source", f.source),
        ("signal", f.signal),
        ("kind", f.kind),
    ):
        if value:
            # correlated EXISTS: an index probe per case walked in sort order, so the first page
            # stops early instead of materialising every case with the facet
            cf = r.case_facets.alias(f"cf_{facet}")
            conds.append(
                exists().where(
                    cf.c.facet == facet, cf.c.value == value, cf.c.case_id == cs.c.case_id
                )
            )
    # date filter: cases first seen (their earliest item) within [date_from, date_to]
    if f.date_from:
        conds.append(cs.c.first_seen >= _day_start(f.date_from))
    if f.date_to:
        conds.append(cs.c.first_seen < _day_start(f.date_to) + timedelta(days=1))
    if f.assignee:
        conds.append(exists().where(t.cases.c.id == cs.c.case_id, t.cases.c.assignee == f.assignee))
    where = and_(*conds) if conds else true()
    order = SORTS.get(f.sort, SORTS["spread"])
    per_page = max(1, min(f.per_page, 200))
    page = max(1, f.page)
    with store.engine.connect() as conn:
        # ids first (index-only where an index covers filter and sort), then the 50 rows
        page_ids = [
            x[0]
            for x in conn.execute(
                select(cs.c.case_id)
                .where(where)
                .order_by(*order)
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
        ]
        by_id = {x.case_id: x for x in conn.execute(select(cs).where(cs.c.case_id.in_(page_ids)))}
        page_rows = [by_id[i] for i in page_ids if i in by_id]
        if conds:  # counted up to COUNT_CAP + 1: the page says "1,000+" beyond
            sub = (
                select(literal_column("1"))
                .select_from(cs)
                .where(where)
                .limit(COUNT_CAP + 1)
                .subquery()
            )
            total = int(conn.execute(select(func.count()).select_from(sub)).scalar_one())
        else:
            total = int(conn.execute(select(func.count()).select_from(cs)).scalar_one())
        ids = [x.case_id for x in page_rows]
        info = {
            c.id: c
            for c in conn.execute(
                select(
                    t.cases.c.id,
                    t.cases.c.kind,
                    t.cases.c.title,
                    t.cases.c.assignee,
                    t.cases.c.target_type,
                    t.cases.c.target_id,
                ).where(t.cases.c.id.in_(ids))
            )
        }
        facets: dict[int, dict[str, list[str]]] = {}
        for fc in conn.execute(select(r.case_facets).where(r.case_facets.c.case_id.in_(ids))):
            facets.setdefault(fc.case_id, {}).setdefault(fc.facet, []).append(fc.value)
    out = []
    for x in page_rows:
        c = info.get(x.case_id)
        if c is None:
            continue
        out.append(
            dict(
                id=x.case_id,
                title=c.title,
                kind=c.kind,
                assignee=c.assignee,
                target_type=c.target_type,
                target_id=c.target_id,
                status=x.status,
                n_items=x.n_items,
                n_accounts=x.n_accounts,
                first_seen=_aware(x.first_seen),
                last_seen=_aware(x.last_seen),
                created_at=_aware(x.created_at),
                facets={k: sorted(v) for k, v in facets.get(x.case_id, {}).items()},
            )
        )
    return out, total


def facet_values(store: Store, limit: int = 200) -> dict[str, list[str]]:
    """Values offered by the queue's filter menus."""
    out: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for facet in ("lang", "source", "signal", "kind"):
            rows = conn.execute(
                select(r.case_facets.c.value)
                .where(r.case_facets.c.facet == facet)
                .distinct()
                .limit(limit)
            ).all()
            out[facet] = sorted(x[0] for x in rows)
    return out


# ---------------------------------------------------------------------------------------- case page
@dataclass
class CaseItem:
    item: Item
    ingested_at: datetime | None
    signals: list[dict[str, Any]] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)  # fact-check ids marked "not about"


def case_detail(
    store: Store, case_id: int, item_limit: int = 50, item_offset: int = 0
) -> dict[str, Any] | None:
    """Everything the case page shows; items are paged (``item_limit`` from ``item_offset``)."""
    with store.engine.connect() as conn:
        c = conn.execute(select(t.cases).where(t.cases.c.id == case_id)).first()
        if c is None:
            return None
        stats = conn.execute(select(r.case_stats).where(r.case_stats.c.case_id == case_id)).first()
        n_items = int(
            conn.execute(
                select(func.count())
                .select_from(t.case_items)
                .where(t.case_items.c.case_id == case_id)
            ).scalar_one()
        )
        item_rows = conn.execute(
            select(t.items)
            .select_from(t.case_items.join(t.items, t.items.c.id == t.case_items.c.item_id))
            .where(t.case_items.c.case_id == case_id)
            .order_by(t.case_items.c.item_id)
            .limit(item_limit)
            .offset(item_offset)
        ).all()
        item_ids = [x.id for x in item_rows]
        sig_rows = conn.execute(
            select(t.signals)
            .where(t.signals.c.item_id.in_(item_ids))
            .order_by(t.signals.c.score.desc())
        ).all()
        items = [
            CaseItem(item=Store._item(x), ingested_at=_aware(x.ingested_at)) for x in item_rows
        ]
        hashes = {ci.item.content_hash: ci for ci in items}
        for fb in conn.execute(
            select(t.match_feedback).where(
                t.match_feedback.c.content_hash.in_(list(hashes)),
                t.match_feedback.c.verdict == "not_about",
            )
        ):
            hashes[fb.content_hash].rejected.add(fb.factcheck_id)
        by_item = {ci.item.id: ci for ci in items}
        fc_scores: dict[str, list[float]] = {}
        for s in sig_rows:
            sd = Store._signal(s)
            by_item[s.item_id].signals.append(
                dict(
                    id=sd.id,
                    kind=sd.kind,
                    score=sd.score,
                    target_type=sd.target_type,
                    target_id=sd.target_id,
                    evidence=sd.evidence,
                )
            )
            if sd.kind == "claim_match" and sd.target_id:
                fc_scores.setdefault(sd.target_id, []).append(sd.score)
        if c.target_type == "factcheck":
            fc_scores.setdefault(c.target_id, [])
        fcs = {
            x.id: Store._factcheck(x)
            for x in conn.execute(
                select(t.factchecks).where(t.factchecks.c.id.in_(list(fc_scores)))
            )
        }
        matched = [
            dict(factcheck=fcs[k], best=max(v) if v else None, n=len(v))
            for k, v in fc_scores.items()
            if k in fcs
        ]
        matched.sort(key=lambda m: -float(m["best"] or 0.0))  # type: ignore[arg-type]
        # signal kinds over the whole case (not just the page of items shown)
        kinds: dict[str, int] = dict(
            conn.execute(
                select(t.signals.c.kind, func.count())
                .select_from(
                    t.case_items.join(t.signals, t.signals.c.item_id == t.case_items.c.item_id)
                )
                .where(t.case_items.c.case_id == case_id)
                .group_by(t.signals.c.kind)
            ).all()
        )
        when = func.coalesce(t.items.c.published_at, t.items.c.ingested_at)
        day = _day_expr(store, when)
        spread = [
            (str(d), int(n), int(a))
            for d, n, a in conn.execute(
                select(day.label("d"), func.count(), func.count(func.distinct(t.items.c.author)))
                .select_from(t.case_items.join(t.items, t.items.c.id == t.case_items.c.item_id))
                .where(t.case_items.c.case_id == case_id)
                .group_by("d")
                .order_by("d")
            ).all()
        ]
        top_accounts = conn.execute(
            select(t.items.c.author, t.items.c.source, func.count().label("n"))
            .select_from(t.case_items.join(t.items, t.items.c.id == t.case_items.c.item_id))
            .where(t.case_items.c.case_id == case_id, t.items.c.author.is_not(None))
            .group_by(t.items.c.author, t.items.c.source)
            .order_by(func.count().desc())
            .limit(10)
        ).all()
        comments = conn.execute(
            select(r.comments).where(r.comments.c.case_id == case_id).order_by(r.comments.c.id)
        ).all()
        verdicts = conn.execute(
            select(r.verdicts)
            .where(r.verdicts.c.case_id == case_id)
            .order_by(r.verdicts.c.id.desc())
        ).all()
        history = conn.execute(
            select(r.audit_log)
            .where(r.audit_log.c.object_type == "case", r.audit_log.c.object_id == str(case_id))
            .order_by(r.audit_log.c.id.desc())
            .limit(50)
        ).all()
    return dict(
        case=dict(
            id=c.id,
            kind=c.kind,
            title=c.title,
            status=c.status,
            assignee=c.assignee,
            target_type=c.target_type,
            target_id=c.target_id,
            created_at=_aware(c.created_at),
            updated_at=_aware(c.updated_at),
        ),
        n_items=n_items,
        n_accounts=stats.n_accounts if stats is not None else None,
        items=items,
        item_offset=item_offset,
        item_limit=item_limit,
        matched=matched,
        signal_kinds=kinds,
        spread=spread,
        top_accounts=[dict(author=a.author, source=a.source, n=a.n) for a in top_accounts],
        comments=[dict(x._mapping) | {"created_at": _aware(x.created_at)} for x in comments],
        verdicts=[_verdict_dict(x) for x in verdicts],
        history=[dict(x._mapping) | {"at": _aware(x.at)} for x in history],
    )


def _verdict_dict(x: Any) -> dict[str, Any]:
    d = dict(x._mapping)
    d["created_at"] = _aware(x.created_at)
    d["published_at"] = _aware(x.published_at)
    d["sources"] = list(x.sources or [])
    return d


# ---------------------------------------------------------------------------------------- actions
def _case_row(conn: Connection, case_id: int) -> Any:
    row = conn.execute(select(t.cases).where(t.cases.c.id == case_id)).first()
    if row is None:
        raise ReviewError(f"no case {case_id}")
    return row


def _touch(conn: Connection, case_id: int, **values: Any) -> None:
    now = utcnow()
    conn.execute(update(t.cases).where(t.cases.c.id == case_id).values(updated_at=now, **values))
    if "status" in values:
        conn.execute(
            update(r.case_stats)
            .where(r.case_stats.c.case_id == case_id)
            .values(status=values["status"])
        )


def assign_case(store: Store, case_id: int, assignee: str | None, actor: str) -> None:
    assignee = normalize_text(assignee or "")[:200] or None
    with store.engine.begin() as conn:
        c = _case_row(conn, case_id)
        if (
            assignee is not None
            and conn.execute(select(r.users.c.id).where(r.users.c.name == assignee)).first() is None
        ):
            raise ReviewError(f"no user named {assignee!r}")
        _touch(conn, case_id, assignee=assignee)
        audit(
            conn,
            actor,
            "case.assign",
            "case",
            case_id,
            {"assignee": c.assignee},
            {"assignee": assignee},
        )


def add_comment(store: Store, case_id: int, body: str, actor: str) -> int:
    body = normalize_text(body)
    if not body:
        raise ReviewError("empty comment")
    if len(body) > 20_000:
        raise ReviewError("comment longer than 20,000 characters")
    with store.engine.begin() as conn:
        _case_row(conn, case_id)
        cid = _new_id(
            conn.execute(
                insert(r.comments).values(
                    case_id=case_id, author=actor, body=body, created_at=utcnow()
                )
            )
        )
        audit(conn, actor, "case.comment", "case", case_id, None, {"comment_id": cid, "body": body})
    return cid


def move_case(store: Store, case_id: int, status: str, actor: str) -> None:
    if status not in CASE_STATUSES:
        raise ReviewError(f"unknown status {status!r}")
    with store.engine.begin() as conn:
        c = _case_row(conn, case_id)
        if status not in STATUS_MOVES.get(c.status, ()):
            raise ReviewError(f"a case cannot move from {c.status} to {status} this way")
        _touch(conn, case_id, status=status)
        audit(conn, actor, "case.status", "case", case_id, {"status": c.status}, {"status": status})


def _clean_url(u: str) -> str | None:
    u = u.strip()
    if not u or len(u) > 2000 or any(ch.isspace() for ch in u):
        return None
    low = u.lower()
    if not (low.startswith("https://") or low.startswith("http://")) or len(u) < 11:
        return None
    return u


def add_verdict(
    store: Store,
    case_id: int,
    *,
    rating: str,
    explanation: str,
    sources: list[str],
    actor: str,
    ratings: tuple[str, ...] = DEFAULT_RATINGS,
    claim: str | None = None,
    claimant: str | None = None,
    lang: str | None = None,
) -> int:
    """Record a verdict (rating on the configured scale, explanation, >= 1 http(s) source URL);
    the case moves to ``verdict``."""
    if rating not in ratings:
        raise ReviewError(f"rating must be one of: {', '.join(ratings)}")
    explanation = normalize_text(explanation)
    if not explanation:
        raise ReviewError("a verdict needs an explanation")
    clean = [u for u in (_clean_url(s) for s in sources) if u]
    bad = [s for s in sources if s.strip() and _clean_url(s) is None]
    if bad:
        raise ReviewError(f"not an http(s) URL: {bad[0][:200]}")
    if not clean:
        raise ReviewError("a verdict needs at least one source URL")
    with store.engine.begin() as conn:
        c = _case_row(conn, case_id)
        if c.status not in ("new", "in_review", "verdict"):
            raise ReviewError(f"a {c.status} case cannot take a verdict")
        if lang is None:
            lang_row = conn.execute(
                select(t.items.c.lang, func.count().label("n"))
                .select_from(t.case_items.join(t.items, t.items.c.id == t.case_items.c.item_id))
                .where(t.case_items.c.case_id == case_id, t.items.c.lang.is_not(None))
                .group_by(t.items.c.lang)
                .order_by(func.count().desc())
                .limit(1)
            ).first()
            lang = lang_row[0] if lang_row else None
        values = dict(
            case_id=case_id,
            claim=normalize_text(claim or "") or normalize_text(c.title),
            claimant=normalize_text(claimant or "")[:500] or None,
            lang=(normalize_text(lang or "")[:16] or None),
            rating=rating,
            explanation=explanation,
            sources=clean,
            author=actor,
            created_at=utcnow(),
        )
        vid = _new_id(conn.execute(insert(r.verdicts).values(**values)))
        _touch(conn, case_id, status="verdict")
        audit(
            conn,
            actor,
            "case.verdict",
            "case",
            case_id,
            {"status": c.status},
            {
                "status": "verdict",
                "verdict_id": vid,
                "rating": rating,
                "explanation": explanation,
                "sources": clean,
            },
        )
    return vid


@dataclass
class Site:
    """Who publishes and where: the public base URL and the organisation's name."""

    url: str = "http://127.0.0.1:8000"
    name: str = "factwatch"

    def factcheck_url(self, verdict_id: int) -> str:
        return f"{self.url.rstrip('/')}/factchecks/{verdict_id}"


def verdict_factcheck(v: dict[str, Any], appearances: list[str], site: Site) -> FactCheck:
    """The FactCheck a published verdict becomes (id ``<site name>:verdict:<id>``)."""
    extra: dict[str, Any] = {}
    if v["rating"] in RATING_VALUES:
        extra = {"rating_value": RATING_VALUES[v["rating"]], "best_rating": 5, "worst_rating": 1}
    published = v["published_at"]
    return FactCheck(
        id=f"{normalize_text(site.name) or 'factwatch'}:verdict:{v['id']}",
        claim=v["claim"],
        title=v["claim"],
        rating=v["rating"],
        url=site.factcheck_url(v["id"]),
        lang=v["lang"],
        claimant=v["claimant"],
        published_at=published.replace(microsecond=0) if published else None,
        author=normalize_text(site.name) or "factwatch",
        appearances=appearances,
        extra=extra,
    )


def _appearances(conn: Connection, case_id: int, limit: int = 50) -> list[str]:
    rows = conn.execute(
        select(t.items.c.url)
        .select_from(t.case_items.join(t.items, t.items.c.id == t.case_items.c.item_id))
        .where(t.case_items.c.case_id == case_id, t.items.c.url.is_not(None))
        .order_by(func.coalesce(t.items.c.published_at, t.items.c.ingested_at), t.items.c.id)
        .limit(limit * 2)
    ).all()
    out: list[str] = []
    for (u,) in rows:
        cu = _clean_url(u or "")
        if cu and cu not in out:
            out.append(cu)
    return out[:limit]


def publish_verdict(store: Store, case_id: int, actor: str, site: Site) -> FactCheck:
    """Publish the case's latest verdict: public page, feed, API; the fact-check enters the
    fact-check base at once (the matcher embeds it on its next run)."""
    with store.engine.begin() as conn:
        c = _case_row(conn, case_id)
        if c.status != "verdict":
            raise ReviewError(
                f"only a case with a verdict can be published (this one is {c.status})"
            )
        v = conn.execute(
            select(r.verdicts)
            .where(r.verdicts.c.case_id == case_id)
            .order_by(r.verdicts.c.id.desc())
            .limit(1)
        ).first()
        if v is None:
            raise ReviewError("this case has no verdict")
        now = utcnow().replace(microsecond=0)
        vd = _verdict_dict(v) | {"published_at": now}
        fc = verdict_factcheck(vd, _appearances(conn, case_id), site)
        conn.execute(
            update(r.verdicts)
            .where(r.verdicts.c.id == v.id)
            .values(published_at=now, published_by=actor, factcheck_id=fc.id)
        )
        _touch(conn, case_id, status="published")
        audit(
            conn,
            actor,
            "case.publish",
            "case",
            case_id,
            {"status": c.status},
            {"status": "published", "verdict_id": v.id, "factcheck_id": fc.id, "url": fc.url},
        )
    store.upsert_factchecks([fc])
    return fc


def _require_case_item(conn: Connection, case_id: int, item_id: int) -> None:
    """The case exists and the item is one of its items, or ReviewError."""
    _case_row(conn, case_id)
    linked = conn.execute(
        select(t.case_items.c.item_id).where(
            t.case_items.c.case_id == case_id, t.case_items.c.item_id == item_id
        )
    ).first()
    if linked is None:
        raise ReviewError(f"item {item_id} is not in case {case_id}")


def mark_not_about(store: Store, case_id: int, item_id: int, factcheck_id: str, actor: str) -> None:
    """A reviewer says this item is not about this fact-check: the matcher never flags the pair again."""
    with store.engine.begin() as conn:
        _require_case_item(conn, case_id, item_id)
        if (
            conn.execute(select(t.factchecks.c.id).where(t.factchecks.c.id == factcheck_id)).first()
            is None
        ):
            raise ReviewError(f"no fact-check {factcheck_id!r}")
    item = store.get_items([item_id])[0]
    store.add_feedback(item.content_hash, factcheck_id, "not_about", actor)
    with store.engine.begin() as conn:
        audit(
            conn,
            actor,
            "match.not_about",
            "case",
            case_id,
            None,
            {"item_id": item_id, "factcheck_id": factcheck_id, "content_hash": item.content_hash},
        )


# ---------------------------------------------------------------------------------------- published
def published(store: Store, limit: int = 100, offset: int = 0) -> list[FactCheck]:
    """Published fact-checks, newest first (read from the fact-check base)."""
    with store.engine.connect() as conn:
        ids = [
            x[0]
            for x in conn.execute(
                select(r.verdicts.c.factcheck_id)
                .where(
                    r.verdicts.c.published_at.is_not(None), r.verdicts.c.factcheck_id.is_not(None)
                )
                .order_by(r.verdicts.c.published_at.desc(), r.verdicts.c.id.desc())
                .limit(limit)
                .offset(offset)
            )
        ]
    got = {fc.id: fc for fc in store.list_factchecks(ids)} if ids else {}
    return [got[i] for i in ids if i in got]


def explanations(store: Store, factcheck_ids: list[str]) -> dict[str, str]:
    """fact-check id -> the explanation of the verdict it was published from."""
    if not factcheck_ids:
        return {}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(r.verdicts.c.factcheck_id, r.verdicts.c.explanation).where(
                r.verdicts.c.factcheck_id.in_(factcheck_ids)
            )
        ).all()
    return {fid: text for fid, text in rows}


def user_names(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [x[0] for x in conn.execute(select(r.users.c.name).order_by(r.users.c.name))]


def published_verdict(store: Store, verdict_id: int) -> tuple[dict[str, Any], FactCheck] | None:
    with store.engine.connect() as conn:
        v = conn.execute(
            select(r.verdicts).where(
                r.verdicts.c.id == verdict_id, r.verdicts.c.published_at.is_not(None)
            )
        ).first()
    if v is None or not v.factcheck_id:
        return None
    fc = store.get_factcheck(v.factcheck_id)
    if fc is None:
        return None
    return _verdict_dict(v), fc


# ---------------------------------------------------------------------------------------- dashboard
def _day_expr(store: Store, col: Any) -> Any:
    if store.dialect == "sqlite":
        return func.substr(col, 1, 10)
    return func.to_char(col, "YYYY-MM-DD")


def dashboard(store: Store, date_from: date, date_to: date) -> dict[str, Any]:
    """Figures of the dashboard and the periodic report for [date_from, date_to] (whole days, UTC)."""
    lo = _day_start(date_from)
    hi = _day_start(date_to) + timedelta(days=1)
    days = [
        (date_from + timedelta(days=i)).isoformat() for i in range((date_to - date_from).days + 1)
    ]
    out: dict[str, Any] = {"from": date_from, "to": date_to, "days": days}
    with store.engine.connect() as conn:
        it = t.items
        d_items = _day_expr(store, it.c.ingested_at)
        in_range = and_(it.c.ingested_at >= lo, it.c.ingested_at < hi)
        out["items_per_day"] = dict(
            conn.execute(
                select(d_items.label("d"), func.count()).where(in_range).group_by("d")
            ).all()
        )
        sig_first = (
            select(t.signals.c.item_id, func.min(t.signals.c.created_at).label("at"))
            .where(t.signals.c.created_at >= lo, t.signals.c.created_at < hi)
            .group_by(t.signals.c.item_id)
            .subquery()
        )
        d_sig = _day_expr(store, sig_first.c.at)
        out["flagged_per_day"] = dict(
            conn.execute(select(d_sig.label("d"), func.count()).group_by("d")).all()
        )
        d_case = _day_expr(store, t.cases.c.created_at)
        out["cases_per_day"] = dict(
            conn.execute(
                select(d_case.label("d"), func.count())
                .where(t.cases.c.created_at >= lo, t.cases.c.created_at < hi)
                .group_by("d")
            ).all()
        )
        out["by_source"] = conn.execute(
            select(it.c.source, func.count())
            .where(in_range)
            .group_by(it.c.source)
            .order_by(func.count().desc())
            .limit(15)
        ).all()
        out["by_lang"] = conn.execute(
            select(func.coalesce(it.c.lang, "?"), func.count())
            .where(in_range)
            .group_by(it.c.lang)
            .order_by(func.count().desc())
            .limit(15)
        ).all()
        out["by_signal"] = conn.execute(
            select(t.signals.c.kind, func.count())
            .where(t.signals.c.created_at >= lo, t.signals.c.created_at < hi)
            .group_by(t.signals.c.kind)
            .order_by(func.count().desc())
        ).all()
        out["by_status"] = conn.execute(
            select(t.cases.c.status, func.count())
            .where(t.cases.c.created_at >= lo, t.cases.c.created_at < hi)
            .group_by(t.cases.c.status)
        ).all()
        vrows = conn.execute(
            select(
                r.verdicts.c.created_at,
                r.verdicts.c.published_at,
                t.cases.c.created_at.label("opened"),
                r.verdicts.c.rating,
            )
            .select_from(r.verdicts.join(t.cases, t.cases.c.id == r.verdicts.c.case_id))
            .where(r.verdicts.c.created_at >= lo, r.verdicts.c.created_at < hi)
        ).all()
        hours = sorted(
            ((_aware(v.created_at) - _aware(v.opened)).total_seconds() / 3600.0)  # type: ignore[operator]
            for v in vrows
        )
        pub_hours = sorted(
            ((_aware(v.published_at) - _aware(v.opened)).total_seconds() / 3600.0)  # type: ignore[operator]
            for v in vrows
            if v.published_at is not None
        )
        out["verdicts"] = len(vrows)
        out["published"] = len(pub_hours)
        out["ratings"] = Counter(v.rating for v in vrows).most_common()
        out["time_to_verdict_h"] = _quantiles(hours)
        out["time_to_publish_h"] = _quantiles(pub_hours)
        top = conn.execute(
            select(
                r.case_stats.c.case_id,
                r.case_stats.c.n_items,
                r.case_stats.c.n_accounts,
                r.case_stats.c.status,
                t.cases.c.title,
            )
            .select_from(r.case_stats.join(t.cases, t.cases.c.id == r.case_stats.c.case_id))
            .where(r.case_stats.c.last_seen >= lo, r.case_stats.c.first_seen < hi)
            .order_by(r.case_stats.c.n_items.desc(), r.case_stats.c.case_id.desc())
            .limit(10)
        ).all()
        out["top_cases"] = [dict(x._mapping) for x in top]
    out["totals"] = {
        "items": sum(out["items_per_day"].values()),
        "flagged": sum(out["flagged_per_day"].values()),
        "cases": sum(out["cases_per_day"].values()),
    }
    return out


def _quantiles(xs: list[float]) -> dict[str, float | None]:
    if not xs:
        return {"n": 0, "median": None, "p90": None}
    return {
        "n": len(xs),
        "median": xs[len(xs) // 2],
        "p90": xs[min(len(xs) - 1, int(0.9 * len(xs)))],
    }


__all__ = [
    "DEFAULT_RATINGS",
    "ROLES",
    "QueueFilter",
    "ReviewError",
    "Site",
    "User",
    "add_comment",
    "add_user",
    "add_verdict",
    "assign_case",
    "authenticate",
    "case_detail",
    "create_session",
    "dashboard",
    "end_session",
    "facet_values",
    "has_users",
    "list_audit",
    "mark_not_about",
    "move_case",
    "publish_verdict",
    "published",
    "published_verdict",
    "queue",
    "refresh_case_stats",
    "session_user",
]


# ------------------------------------------------------------------------------------ media reviews
def add_media_review(
    store: Store,
    case_id: int,
    item_id: int,
    media_index: int,
    category: str,
    actor: str,
    note: str = "",
) -> int:
    """Rate one image or video that an item of the case carries (manipulated, out of context,
    ...); published as schema.org MediaReview next to the case's ClaimReview."""
    from factwatch.publish.mediareview import media_category

    try:
        cat = media_category(category)
    except ValueError as exc:
        raise ReviewError(str(exc)) from exc
    with store.engine.begin() as conn:
        _require_case_item(conn, case_id, item_id)
        media = conn.execute(select(t.items.c.media).where(t.items.c.id == item_id)).scalar_one()
        media = list(media or [])
        if not 0 <= media_index < len(media) or not isinstance(media[media_index], dict):
            raise ReviewError(f"item {item_id} has no medium number {media_index}")
        m = media[media_index]
        mtype = str(m.get("type") or "image")
        if mtype not in ("image", "video", "audio"):
            mtype = "image"
        url = _clean_url(str(m.get("url") or ""))
        created = utcnow()
        values = {
            "case_id": case_id,
            "item_id": item_id,
            "media_index": media_index,
            "media_type": mtype,
            "media_url": url,
            "category": cat,
            "note": normalize_text(note)[:2000] or None,
            "author": actor,
            "created_at": created,
        }
        new_id = int(conn.execute(insert(r.media_reviews).values(**values)).inserted_primary_key[0])  # type: ignore[index]
        audit(
            conn,
            actor,
            "media_review",
            "case",
            case_id,
            None,
            {**values, "created_at": created.isoformat()},
        )
    return new_id


def media_reviews(store: Store, case_id: int) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(r.media_reviews, t.items.c.url.label("item_url"))
            .join(t.items, t.items.c.id == r.media_reviews.c.item_id)
            .where(r.media_reviews.c.case_id == case_id)
            .order_by(r.media_reviews.c.id)
        ).all()
    return [dict(row._mapping) for row in rows]


def media_review_objects(
    store: Store, verdict: dict[str, Any], fc: FactCheck, site: Site
) -> list[dict[str, Any]]:
    """schema.org MediaReview JSON-LD for the media rated in the case of a published verdict."""
    from factwatch.publish.mediareview import media_review_jsonld

    out = []
    for mr in media_reviews(store, int(verdict["case_id"])):
        urls = [u for u in (mr["media_url"], _clean_url(str(mr["item_url"] or ""))) if u]
        if not urls:
            continue
        out.append(
            media_review_jsonld(
                media_urls=urls[:1],
                appearance_urls=urls[1:],
                category=mr["category"],
                url=fc.url or site.url,
                author_name=site.name,
                author_url=site.url,
                date_published=fc.published_at or mr["created_at"],
                media_type=mr["media_type"],
                in_language=fc.lang,
                identifier=f"{fc.id}-media-{mr['id']}",
                headline=fc.title,
            )
        )
    return out
