"""Who may call the API: a bearer token or the browser session, CSRF for cookies, roles by method."""

from __future__ import annotations

from flask import Response, g, request
from flask_login import current_user

from claimdb import auth, handlers
from claimdb.api import bp
from claimdb.api.wire import session
from claimdb.db import SAFE_METHODS
from claimdb.errors import Forbidden
from claimdb.models import User
from claimdb.services import audit, users
from claimdb.services.users import TokenUser

# Endpoints anyone may read: the API's own description (tools fetch it before they hold a token).
PUBLIC_ENDPOINTS = frozenset({"api.openapi"})

CHALLENGE = 'Bearer realm="claimdb"'


def required_role(method: str) -> str:
    """Viewers read, analysts and admins write, only admins delete."""
    if method in SAFE_METHODS:
        return "viewer"
    return "admin" if method == "DELETE" else "analyst"


def unauthorized(detail: str) -> Response:
    response = handlers.problem(401, "Authentication required", detail)
    response.headers["WWW-Authenticate"] = CHALLENGE
    return response


@bp.before_request
def authenticate() -> Response | None:
    """Resolve the caller, refuse anonymous and under-privileged ones, check CSRF for cookie sessions.

    A request that carries a bearer header is judged by that token alone, even if the browser also
    sends a session cookie: a bad token must not fall back to somebody's session (which is not even
    read: claimdb.sessions).
    """
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    token = auth.bearer_token(request)
    user: User | TokenUser | None
    if token is not None:
        user = users.token_owner(session(), token) if token else None
        if user is None:
            return unauthorized("The bearer token is unknown, revoked, or belongs to a disabled account.")
        g._login_user = user  # what flask_login.current_user reads for the rest of this request
        audit.acting_as(session(), user)
    elif current_user.is_authenticated:
        user = current_user
        if request.method not in SAFE_METHODS:
            auth.csrf.protect()  # a cookie can be sent cross-site; a bearer header cannot
    else:
        return unauthorized("Send Authorization: Bearer TOKEN (see `claimdb token create`) or log in.")
    role = required_role(request.method)
    if auth.RANK[user.role] < auth.RANK[role]:
        action = {"viewer": "read", "analyst": "write", "admin": "delete"}[role]
        raise Forbidden(f"Only {'admins' if role == 'admin' else 'analysts and admins'} may {action} "
                        f"records; you are signed in as {user.role}.")
    return None
