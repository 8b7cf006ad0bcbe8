"""Sign-in, sessions, CSRF and roles for the web app.

- Sessions are server-side: the ``fw_session`` cookie (HttpOnly, SameSite=Lax, Secure over HTTPS)
  carries a random token; the database keeps its SHA-256 and the session's CSRF token.
- Every state-changing request carries ``csrf_token`` (form field or ``X-CSRF-Token`` header),
  compared in constant time with the session's.  The sign-in form uses a double-submit cookie.
- Roles: viewer < reviewer < editor < admin, checked on the server for every action.
- Sign-in failures are rate limited per user name and per client address.
- Demo mode: while the database has no user, pages are readable without sign-in and nothing
  can be changed.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from fastapi import HTTPException, Request

from factwatch.store import Store
from factwatch.store import review as rv

SESSION_COOKIE = "fw_session"
LOGIN_COOKIE = "fw_login"


class LoginRequired(Exception):
    """Raised by a page that needs a signed-in user; the app redirects to /login."""


@dataclass
class Viewer:
    """Who is looking: a user, or nobody in demo mode (no users in the database)."""

    user: rv.User | None
    demo: bool

    @property
    def csrf(self) -> str:
        return self.user.csrf if self.user else ""

    def can(self, role: str) -> bool:
        return self.user is not None and self.user.can(role)


class LoginLimiter:
    """At most ``per_name`` failed sign-ins per user name and ``per_ip`` per client address in
    ``window`` seconds; further attempts are refused (429) until old failures age out."""

    def __init__(self, per_name: int = 5, per_ip: int = 20, window: float = 900.0) -> None:
        self.per_name, self.per_ip, self.window = per_name, per_ip, window
        self._fails: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> int:
        q = self._fails[key]
        while q and q[0] < now - self.window:
            q.popleft()
        return len(q)

    def blocked(self, name: str, ip: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return (
                self._recent("n:" + name, now) >= self.per_name
                or self._recent("i:" + ip, now) >= self.per_ip
            )

    def failed(self, name: str, ip: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._fails["n:" + name].append(now)
            self._fails["i:" + ip].append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._fails.pop("n:" + name, None)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "?"


def current_viewer(store: Store, request: Request) -> Viewer:
    user = rv.session_user(store, request.cookies.get(SESSION_COOKIE))
    if user is not None:
        return Viewer(user=user, demo=False)
    return Viewer(user=None, demo=not rv.has_users(store))


def require_view(store: Store, request: Request) -> Viewer:
    """A signed-in user, or anyone in demo mode; else redirect to /login."""
    v = current_viewer(store, request)
    if v.user is None and not v.demo:
        raise LoginRequired()
    return v


def require_action(store: Store, request: Request, csrf_token: str | None, role: str) -> rv.User:
    """A state change: signed-in user with at least ``role`` and the session's CSRF token."""
    v = current_viewer(store, request)
    if v.user is None:
        if v.demo:
            raise HTTPException(403, "read-only demo: add a user with factwatch users add")
        raise HTTPException(401, "sign in first")
    token = csrf_token or request.headers.get("x-csrf-token") or ""
    if not token or not hmac.compare_digest(token.encode(), v.user.csrf.encode()):
        raise HTTPException(403, "missing or wrong CSRF token")
    if not v.user.can(role):
        raise HTTPException(403, f"this needs the {role} role (you are {v.user.role})")
    return v.user


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def check_login_token(request: Request, form_token: str) -> bool:
    cookie = request.cookies.get(LOGIN_COOKIE) or ""
    return (
        bool(cookie)
        and bool(form_token)
        and hmac.compare_digest(cookie.encode(), form_token.encode())
    )
