"""Public pages and API: published fact-checks, their ClaimReview JSON-LD, the Atom feed, the
JSON API (with a Google Fact Check Tools-shaped ``claims:search``) and CSV/JSONL exports."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup

from factwatch.models import FactCheck
from factwatch.publish.claimreview_out import (
    claimreview_script,
    factcheck_tools_claim,
    factchecks_to_claimreview,
)
from factwatch.publish.feeds import atom_feed, factcheck_record, to_csv, to_jsonl
from factwatch.store import Store
from factwatch.store import review as rv
from factwatch.text.normalize import fold_diacritics, normalize_text
from factwatch.web import auth
from factwatch.web.app import render

router = APIRouter()
MAX_EXPORT = 100_000


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _site(request: Request) -> rv.Site:
    return request.app.state.settings.site  # type: ignore[no-any-return]


def _claimreview(request: Request, fc: FactCheck) -> dict[str, Any]:
    site = _site(request)
    return factchecks_to_claimreview(fc, site_name=site.name, site_url=site.url)


@router.get("/factchecks", response_class=HTMLResponse)
def factchecks_page(request: Request, page: int = 1) -> Response:
    page = max(1, min(page, 10_000))
    fcs = rv.published(_store(request), limit=50, offset=(page - 1) * 50)
    viewer = auth.current_viewer(_store(request), request)
    return render(request, "factchecks.html", viewer=viewer, fcs=fcs, page=page)


@router.get("/factchecks/{verdict_id}", response_class=HTMLResponse)
def factcheck_page(request: Request, verdict_id: int) -> Response:
    got = rv.published_verdict(_store(request), verdict_id)
    if got is None:
        raise HTTPException(404, "no published fact-check here")
    v, fc = got
    ld = Markup(claimreview_script(_claimreview(request, fc)))  # JSON with <, >, & escaped
    media_ld = [
        Markup(claimreview_script(o))
        for o in rv.media_review_objects(_store(request), v, fc, _site(request))
    ]
    viewer = auth.current_viewer(_store(request), request)
    return render(
        request, "factcheck.html", viewer=viewer, v=v, fc=fc, jsonld=ld, media_jsonld=media_ld
    )


@router.get("/feed.atom")
def feed(request: Request) -> Response:
    fcs = rv.published(_store(request), limit=50)
    site = _site(request)
    return Response(
        atom_feed(
            fcs,
            site_name=site.name,
            site_url=site.url,
            explanations=rv.explanations(_store(request), [fc.id for fc in fcs]),
        ),
        media_type="application/atom+xml; charset=utf-8",
    )


@router.get("/api/v1/factchecks")
def api_factchecks(request: Request, limit: int = 50, offset: int = 0) -> JSONResponse:
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    fcs = rv.published(_store(request), limit=limit + 1, offset=offset)
    more = len(fcs) > limit
    fcs = fcs[:limit]
    return JSONResponse(
        {
            "factchecks": [
                factcheck_record(fc) | {"claimReview": _claimreview(request, fc)} for fc in fcs
            ],
            "next_offset": offset + limit if more else None,
        }
    )


def _fold(text: str) -> str:
    return fold_diacritics(normalize_text(text)).casefold()


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _offset(token: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return max(0, int(raw.removeprefix("o:")))
    except (ValueError, UnicodeDecodeError):
        return 0


@router.get("/api/v1/claims:search")
def api_claims_search(
    request: Request,
    query: str = "",
    languageCode: str = "",
    pageSize: int = 10,
    pageToken: str = "",  # noqa: N803
) -> JSONResponse:
    """Shaped like Google Fact Check Tools ``claims:search``: every query word (accents and case
    folded) must occur in the claim or title; ``languageCode`` filters by language prefix."""
    words = _fold(query[:500]).split()
    if not words:
        raise HTTPException(400, "query is required")
    page_size = max(1, min(pageSize, 100))
    start = _offset(pageToken) if pageToken else 0
    lang = languageCode.strip().lower()
    site = _site(request)
    hits: list[dict[str, Any]] = []
    seen = 0
    for fc in rv.published(_store(request), limit=MAX_EXPORT):
        if lang and not (fc.lang or "").lower().startswith(lang.split("-")[0]):
            continue
        hay = _fold(f"{fc.claim} {fc.title or ''}")
        if not all(w in hay for w in words):
            continue
        if seen >= start and len(hits) <= page_size:
            hits.append(factcheck_tools_claim(fc, site_name=site.name, site_url=site.url))
        seen += 1
        if len(hits) > page_size:
            break
    out: dict[str, Any] = {"claims": hits[:page_size]}
    if len(hits) > page_size:
        out["nextPageToken"] = _token(start + page_size)
    return JSONResponse(out)


@router.get("/export/factchecks.csv")
def export_csv(request: Request) -> Response:
    fcs = rv.published(_store(request), limit=MAX_EXPORT)
    return Response(
        to_csv(fcs),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="factchecks.csv"'},
    )


@router.get("/export/factchecks.jsonl")
def export_jsonl(request: Request) -> Response:
    fcs = rv.published(_store(request), limit=MAX_EXPORT)
    return Response(
        to_jsonl([factcheck_record(fc) for fc in fcs]),
        media_type="application/x-ndjson; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="factchecks.jsonl"'},
    )


@router.get("/export/claimreview.jsonl")
def export_claimreview(request: Request) -> Response:
    """One ClaimReview JSON-LD object a line: ``factwatch factchecks import`` reads it back."""
    fcs = rv.published(_store(request), limit=MAX_EXPORT)
    return Response(
        to_jsonl([_claimreview(request, fc) for fc in fcs]),
        media_type="application/x-ndjson; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="claimreview.jsonl"'},
    )
