"""Newsroom pages: sign-in, the case queue, case pages and their actions, dashboard, audit log."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError

from factwatch.models import CASE_STATUSES, utcnow
from factwatch.store import Store
from factwatch.store import review as rv
from factwatch.web import auth
from factwatch.web.app import render
from factwatch.web.charts import bar_chart, line_chart

router = APIRouter()
INLINE_REFRESH = 300  # changed cases refreshed within a request
DASHBOARD_TTL = 30.0


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _refresh(request: Request) -> None:
    """Bring the queue's case statistics up to date, at most once a second.  A few changed cases
    are refreshed inline; after a large ingest the work goes to one background thread and the
    queue shows the previous figures until it is done."""
    cache = request.app.state.cache
    now = time.monotonic()
    if now - cache.get("refreshed", 0.0) < 1.0:
        return
    cache["refreshed"] = now
    store = _store(request)
    try:
        done = rv.refresh_case_stats(store, max_cases=INLINE_REFRESH)
    except DBAPIError:  # another worker refreshed the same cases at the same time
        cache["refreshed"] = 0.0
        return
    if done == -1:
        lock: threading.Lock = cache.setdefault("refresh_lock", threading.Lock())
        if lock.acquire(blocking=False):

            def work() -> None:
                try:
                    rv.refresh_case_stats(store)
                except DBAPIError:
                    pass
                finally:
                    lock.release()

            threading.Thread(target=work, name="case-stats-refresh", daemon=True).start()


def _facets(request: Request) -> dict[str, list[str]]:
    cache = request.app.state.cache
    now = time.monotonic()
    got = cache.get("facets")
    if got is None or now - got[0] > 60:
        got = (now, rv.facet_values(_store(request)))
        cache["facets"] = got
    return got[1]  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------ sign-in
@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    token = auth.new_login_token()
    resp = render(request, "login.html", login_token=token, error=None, name="")
    _set_login_cookie(request, resp, token)
    return resp


def _set_login_cookie(request: Request, resp: Response, token: str) -> None:
    resp.set_cookie(
        auth.LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        max_age=3600,
        path="/login",
        secure=request.app.state.settings.secure_cookies or request.url.scheme == "https",
    )


@router.post("/login")
def login(
    request: Request, name: str = Form(""), password: str = Form(""), login_token: str = Form("")
) -> Response:
    store = _store(request)
    ip = auth.client_ip(request)
    name = name.strip()[:200]

    def again(msg: str, status: int) -> Response:
        token = auth.new_login_token()
        resp = render(request, "login.html", status=status, login_token=token, error=msg, name=name)
        _set_login_cookie(request, resp, token)
        return resp

    if not auth.check_login_token(request, login_token):
        return again("The sign-in form expired; please try again.", 403)
    limiter: auth.LoginLimiter = request.app.state.limiter
    if limiter.blocked(name, ip):
        return again("Too many failed sign-ins; wait a few minutes.", 429)
    user = rv.authenticate(store, name, password[:1000])
    if user is None:
        limiter.failed(name, ip)
        return again("Wrong name or password.", 401)
    limiter.succeeded(name)
    token, _csrf = rv.create_session(store, user)
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(
        auth.SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        path="/",
        max_age=int(rv.SESSION_TTL.total_seconds()),
        secure=request.app.state.settings.secure_cookies or request.url.scheme == "https",
    )
    resp.delete_cookie(auth.LOGIN_COOKIE, path="/login")
    return resp


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    user = auth.require_action(_store(request), request, csrf_token, "viewer")
    rv.end_session(_store(request), request.cookies.get(auth.SESSION_COOKIE), user.name)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(auth.SESSION_COOKIE, path="/")
    return resp


# ------------------------------------------------------------------------------------ queue
@router.get("/", response_class=HTMLResponse)
def queue_page(
    request: Request,
    status: str = "",
    lang: str = "",
    source: str = "",
    signal: str = "",
    kind: str = "",
    assignee: str = "",
    date_from: str = "",
    date_to: str = "",
    sort: str = "spread",
    page: int = 1,
) -> Response:
    store = _store(request)
    viewer = auth.require_view(store, request)
    _refresh(request)
    f = rv.QueueFilter(
        status=status if status in CASE_STATUSES else None,
        lang=lang[:200] or None,
        source=source[:200] or None,
        signal=signal[:200] or None,
        kind=kind[:200] or None,
        assignee=assignee[:200] or None,
        date_from=_date(date_from),
        date_to=_date(date_to),
        sort=sort if sort in rv.SORTS else "spread",
        page=max(1, min(page, 100_000)),
    )
    rows, total = rv.queue(store, f)
    params = {
        k: v
        for k, v in dict(
            status=f.status or "",
            lang=lang,
            source=source,
            signal=signal,
            kind=kind,
            assignee=assignee,
            date_from=date_from,
            date_to=date_to,
            sort=f.sort,
        ).items()
        if v
    }
    capped = total > rv.COUNT_CAP
    pages = max(1, (total + f.per_page - 1) // f.per_page)
    if capped:
        pages = max(pages, f.page + (1 if len(rows) == f.per_page else 0))

    def page_link(p: int) -> str:
        return "/?" + urlencode(params | {"page": p})

    return render(
        request,
        "queue.html",
        viewer=viewer,
        rows=rows,
        total=total,
        capped=capped,
        f=f,
        params=params,
        facets=_facets(request),
        users=rv.user_names(store) if viewer.user else [],
        statuses=CASE_STATUSES,
        sorts=list(rv.SORTS),
        page=f.page,
        pages=pages,
        prev_link=page_link(f.page - 1) if f.page > 1 else None,
        next_link=page_link(f.page + 1) if f.page < pages else None,
    )


# ------------------------------------------------------------------------------------ case page
@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, offset: int = 0, error: str = "") -> Response:
    store = _store(request)
    viewer = auth.require_view(store, request)
    offset = max(0, offset)
    detail = rv.case_detail(store, case_id, item_limit=50, item_offset=offset)
    if detail is None:
        raise HTTPException(404, f"no case {case_id}")
    spread = detail["spread"]
    chart = line_chart(
        [d for d, _, _ in spread],
        [("items", [n for _, n, _ in spread]), ("accounts", [a for _, _, a in spread])],
        title="Spread over time",
    )
    users = rv.user_names(store) if viewer.can("reviewer") else []
    return render(
        request,
        "case.html",
        viewer=viewer,
        d=detail,
        c=detail["case"],
        chart=chart,
        users=users,
        ratings=request.app.state.settings.ratings,
        moves=rv.STATUS_MOVES.get(detail["case"]["status"], ()),
        error=error[:300],
        media_reviews=rv.media_reviews(store, case_id),
        media_categories=MEDIA_CATEGORIES,
    )


def _done(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


def _refused(request: Request, case_id: int, exc: rv.ReviewError) -> Response:
    return render(request, "error.html", status=400, message=str(exc), back=f"/cases/{case_id}")


@router.post("/cases/{case_id}/assign")
def case_assign(
    request: Request, case_id: int, assignee: str = Form(""), csrf_token: str = Form("")
) -> Response:
    user = auth.require_action(_store(request), request, csrf_token, "reviewer")
    try:
        rv.assign_case(_store(request), case_id, assignee or None, user.name)
    except rv.ReviewError as exc:
        return _refused(request, case_id, exc)
    return _done(case_id)


@router.post("/cases/{case_id}/comment")
def case_comment(
    request: Request, case_id: int, body: str = Form(""), csrf_token: str = Form("")
) -> Response:
    user = auth.require_action(_store(request), request, csrf_token, "reviewer")
    try:
        rv.add_comment(_store(request), case_id, body, user.name)
    except rv.ReviewError as exc:
        return _refused(request, case_id, exc)
    return _done(case_id)


@router.post("/cases/{case_id}/status")
def case_status(
    request: Request, case_id: int, status: str = Form(""), csrf_token: str = Form("")
) -> Response:
    user = auth.require_action(_store(request), request, csrf_token, "reviewer")
    try:
        rv.move_case(_store(request), case_id, status, user.name)
    except rv.ReviewError as exc:
        return _refused(request, case_id, exc)
    return _done(case_id)


@router.post("/cases/{case_id}/verdict")
def case_verdict(
    request: Request,
    case_id: int,
    rating: str = Form(""),
    explanation: str = Form(""),
    sources: str = Form(""),
    claim: str = Form(""),
    claimant: str = Form(""),
    lang: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    user = auth.require_action(_store(request), request, csrf_token, "reviewer")
    try:
        rv.add_verdict(
            _store(request),
            case_id,
            rating=rating,
            explanation=explanation,
            sources=[s for s in sources.splitlines() if s.strip()],
            actor=user.name,
            ratings=request.app.state.settings.ratings,
            claim=claim or None,
            claimant=claimant or None,
            lang=lang or None,
        )
    except rv.ReviewError as exc:
        return _refused(request, case_id, exc)
    return _done(case_id)


@router.post("/cases/{case_id}/publish")
def case_publish(request: Request, case_id: int, csrf_token: str = Form("")) -> Response:
    user = auth.require_action(_store(request), request, csrf_token, "editor")
    try:
        fc = rv.publish_verdict(
            _store(request), case_id, user.name, request.app.state.settings.site
        )
    except rv.ReviewError as exc:
        return _refused(request, case_id, exc)
    _retro_match_later(_store(request), fc.id)
    return _done(case_id)


def _retro_match_later(store: Any, factcheck_id: str) -> None:
    """Past items that repeat a newly published fact-check get signals and cases, in the
    background (it embeds the fact-check and scans stored post vectors)."""
    import logging
    import threading

    def run() -> None:
        from factwatch.pipeline import retro_match

        try:
            retro_match(store, [factcheck_id])
        except Exception:  # noqa: BLE001 - a failed background scan must not break the app
            logging.getLogger(__name__).exception("retro-matching %s failed", factcheck_id)

    threading.Thread(target=run, name=f"retro-{factcheck_id}", daemon=True).start()


MEDIA_CATEGORIES = (
    ("DecontextualizedContent", "Out of context"),
    ("TransformedContent", "Manipulated"),
    ("EditedOrCroppedContent", "Edited or cropped"),
    ("StagedContent", "Staged"),
    ("SatireOrParodyContent", "Satire or parody"),
    ("OriginalMediaContent", "Original, in context"),
)


@router.post("/cases/{case_id}/media-review")
def case_media_review(
    request: Request,
    case_id: int,
    item_id: int = Form(0),
    media_index: int = Form(-1),
    category: str = Form(""),
    note: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    user = auth.require_action(_store(request), request, csrf_token, "reviewer")
    try:
        rv.add_media_review(
            _store(request), case_id, item_id, media_index, category, user.name, note
        )
    except rv.ReviewError as exc:
        return _refused(request, case_id, exc)
    return _done(case_id)


@router.post("/cases/{case_id}/not-about")
def case_not_about(
    request: Request,
    case_id: int,
    item_id: int = Form(0),
    factcheck_id: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    user = auth.require_action(_store(request), request, csrf_token, "reviewer")
    try:
        rv.mark_not_about(_store(request), case_id, item_id, factcheck_id, user.name)
    except rv.ReviewError as exc:
        return _refused(request, case_id, exc)
    return _done(case_id)


# ------------------------------------------------------------------------------------ dashboard
def dashboard_context(store: Store, d_from: date, d_to: date) -> dict[str, Any]:
    """Figures and charts shared by the dashboard page and the periodic report."""
    rv.refresh_case_stats(store)
    data = rv.dashboard(store, d_from, d_to)
    days = data["days"]
    charts = {
        "over_time": line_chart(
            days,
            [
                ("items ingested", [data["items_per_day"].get(d, 0) for d in days]),
                ("items flagged", [data["flagged_per_day"].get(d, 0) for d in days]),
                ("cases opened", [data["cases_per_day"].get(d, 0) for d in days]),
            ],
            title="Items ingested, flagged and cases opened per day",
        ),
        "by_source": bar_chart(
            [(str(a), b) for a, b in data["by_source"]], title="Items by source"
        ),
        "by_lang": bar_chart([(str(a), b) for a, b in data["by_lang"]], title="Items by language"),
        "by_signal": bar_chart(
            [(str(a), b) for a, b in data["by_signal"]], title="Signals by kind"
        ),
        "by_status": bar_chart(
            [(str(a), b) for a, b in data["by_status"]], title="Cases by status"
        ),
        "ratings": bar_chart([(str(a), b) for a, b in data["ratings"]], title="Verdicts by rating"),
    }
    return {"data": data, "charts": charts}


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, date_from: str = "", date_to: str = "") -> Response:
    store = _store(request)
    viewer = auth.require_view(store, request)
    d_to = _date(date_to) or utcnow().date()
    d_from = _date(date_from) or d_to - timedelta(days=29)
    if d_from > d_to:
        d_from, d_to = d_to, d_from
    if (d_to - d_from).days > 730:
        d_from = d_to - timedelta(days=730)
    # the figures scan a period of items: cached for DASHBOARD_TTL seconds per period
    cache = request.app.state.cache.setdefault("dashboard", {})
    now = time.monotonic()
    hit = cache.get((d_from, d_to))
    if hit is None or now - hit[0] > DASHBOARD_TTL:
        hit = (now, dashboard_context(store, d_from, d_to))
        if len(cache) > 32:
            cache.clear()
        cache[(d_from, d_to)] = hit
    return render(request, "dashboard.html", viewer=viewer, **hit[1])


# ------------------------------------------------------------------------------------ audit
@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, page: int = 1, object_type: str = "", object_id: str = ""
) -> Response:
    store = _store(request)
    viewer = auth.require_view(store, request)
    if not viewer.can("admin"):
        raise HTTPException(403, "the audit log is readable by admins only")
    page = max(1, page)
    rows, total = rv.list_audit(
        store,
        limit=100,
        offset=(page - 1) * 100,
        object_type=object_type[:32] or None,
        object_id=object_id[:500] or None,
    )
    return render(
        request,
        "audit.html",
        viewer=viewer,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, (total + 99) // 100),
    )
