"""Who is asking: sessions (Flask-Login), bearer tokens, CSRF, and role checks for every face."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Request, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import DBAPIError

from claimdb.db import db
from claimdb.errors import Forbidden, Unauthorized
from claimdb.models import User
from claimdb.services import audit, users

login_manager = LoginManager()
csrf = CSRFProtect()

F = TypeVar("F", bound=Callable[..., Any])

RANK = {"viewer": 0, "analyst": 1, "admin": 2}
# The cookie session's own key (see services.users.start_session); Flask-Login's id binds the account's.
SESSION_KEY = "_claimdb_session"
API_PREFIX = "/api/"


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "web.login"
    login_manager.session_protection = "strong"
    csrf.init_app(app)

    @app.before_request
    def _remember_actor() -> None:
        """Tell the audit trail who is acting in this request (an API call with a bearer token is told
        by claimdb.api.auth_checks, from the token alone: its cookie session is never read)."""
        if is_api_bearer_call(request):
            return
        user = current_user if current_user.is_authenticated else None
        audit.acting_as(db.session(), user)


def bearer_token(req: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header, "" for an empty one, None without one."""
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def is_api_bearer_call(req: Request) -> bool:
    """An API request that carries a bearer header: judged by its token alone, without the cookie session."""
    return req.path.startswith(API_PREFIX) and bearer_token(req) is not None


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """A cookie counts only while its server-side session lives (so a remember cookie alone never does).

    When the database cannot be read, the request fails once with that fault; its error page then
    renders as for an anonymous visitor instead of failing again on the same read.
    """
    if g.get("_claimdb_user_unreadable"):
        return None
    try:
        return users.user_for_session(db.session(), user_id, session.get(SESSION_KEY))
    except DBAPIError:
        g._claimdb_user_unreadable = True
        raise


def sign_in(user: User) -> None:
    """Start a recorded session for the user in this browser."""
    session[SESSION_KEY] = users.start_session(db.session(), user)
    login_user(user)


def sign_out() -> None:
    """End this browser's session on the server too, so a copy of the cookie is worthless."""
    users.end_session(db.session(), session.pop(SESSION_KEY, None))
    logout_user()


@login_manager.request_loader
def _load_from_token(req: Request) -> User | None:
    """A page asked with a bearer token (the API reads tokens in claimdb.api.auth_checks)."""
    token = bearer_token(req)
    return users.user_for_token(db.session(), token) if token else None


@login_manager.unauthorized_handler
def _unauthorized() -> Any:
    if request.path.startswith("/api/"):
        raise Unauthorized("Send Authorization: Bearer TOKEN (see `claimdb token create`) or log in.")
    return redirect(url_for("web.login", next=request.full_path if request.query_string else request.path))


def require(role: str) -> Callable[[F], F]:
    """Let a view run only for a logged-in user of at least this role (viewer < analyst < admin)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if RANK[current_user.role] < RANK[role]:
                raise Forbidden(f"This needs the {role} role; you are signed in as {current_user.role}.")
            return view(*args, **kwargs)

        wrapped.required_role = role  # type: ignore[attr-defined]  # read by the role-matrix test
        return wrapped  # type: ignore[return-value]

    return decorator


def has_role(role: str) -> bool:
    return bool(current_user.is_authenticated and RANK[current_user.role] >= RANK[role])
