"""The newsroom web app: ``create_app(db)`` -> FastAPI application (run by ``factwatch serve``).

Server-rendered Jinja2 templates with autoescaping everywhere, no inline script, a strict
Content-Security-Policy and every asset served by the app itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup

from factwatch.store import Store
from factwatch.store import review as rv
from factwatch.web.auth import LoginLimiter, LoginRequired

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
STATUS_LABELS = {
    "new": "New",
    "in_review": "In review",
    "verdict": "Verdict",
    "published": "Published",
    "dismissed": "Dismissed",
}


@dataclass
class WebSettings:
    site: rv.Site = field(default_factory=rv.Site)
    ratings: tuple[str, ...] = rv.DEFAULT_RATINGS
    secure_cookies: bool = False

    @classmethod
    def from_env(cls) -> WebSettings:
        """``FACTWATCH_PUBLIC_URL``, ``FACTWATCH_PUBLISHER``, ``FACTWATCH_RATINGS`` (comma-separated),
        ``FACTWATCH_SECURE_COOKIES=1``."""
        ratings = tuple(
            x.strip() for x in os.environ.get("FACTWATCH_RATINGS", "").split(",") if x.strip()
        )
        return cls(
            site=rv.Site(
                url=os.environ.get("FACTWATCH_PUBLIC_URL", "http://127.0.0.1:8000"),
                name=os.environ.get("FACTWATCH_PUBLISHER", "factwatch"),
            ),
            ratings=ratings or rv.DEFAULT_RATINGS,
            secure_cookies=os.environ.get("FACTWATCH_SECURE_COOKIES", "") == "1",
        )


def safe_url(value: Any) -> str | None:
    """An http(s) URL fit for ``href``, else None (``javascript:``, ``data:`` ... are never links)."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    low = v.lower()
    if (low.startswith("http://") or low.startswith("https://")) and not any(
        c.isspace() or ord(c) < 32 for c in v
    ):
        return v
    return None


def fmt_dt(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "" if value is None else str(value)


def fmt_json(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["dt"] = fmt_dt
    env.filters["js"] = fmt_json
    env.globals["STATUS_LABELS"] = STATUS_LABELS
    return env


def create_app(
    db: str | None = None, *, store: Store | None = None, settings: WebSettings | None = None
) -> FastAPI:
    store = store or Store.open(db)
    settings = settings or WebSettings.from_env()
    app = FastAPI(title="factwatch", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.settings = settings
    app.state.limiter = LoginLimiter()
    app.state.env = make_env()
    app.state.cache = {}

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if (
            request.url.path.startswith(("/login", "/cases", "/audit", "/dashboard"))
            or request.url.path == "/"
        ):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)
        html = app.state.env.get_template("error.html").render(
            status=exc.status_code,
            message=str(exc.detail),
            viewer=None,
            site=settings.site,
            back=None,
        )
        return HTMLResponse(html, status_code=exc.status_code)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from factwatch.web import public, views

    app.include_router(views.router)
    app.include_router(public.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    return app


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    env: jinja2.Environment = request.app.state.env
    ctx.setdefault("viewer", None)
    ctx.setdefault("status", status)
    ctx.setdefault("site", request.app.state.settings.site)
    html = env.get_template(template).render(request_path=request.url.path, **ctx)
    return HTMLResponse(html, status_code=status)


__all__ = ["CSP", "Markup", "WebSettings", "create_app", "render", "safe_url"]
