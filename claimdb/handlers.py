"""One place that turns every error into a page (web) or a problem+json body (under /api/)."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from claimdb.db import SAFE_METHODS, database_error, db
from claimdb.errors import DomainError, Unavailable

log = logging.getLogger(__name__)

# Sent with every response, pages and API alike. No inline script or style anywhere: everything
# lives in claimdb/static/, served from this origin (users may be offline: no CDN either).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def wants_problem() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: str, detail: str | None = None, errors: dict[str, str] | None = None,
            **extra: Any) -> Response:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {"type": "about:blank", "status": status, "title": title}
    if detail:
        body["detail"] = detail
    body["errors"] = errors or {}
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


# Never echoed back into a page, even to the person who typed them.
UNECHOED_FIELDS = ("password", "token")
# A form's own bookkeeping (hidden fields): posted again as it came, not shown.
PLUMBING_FIELDS = frozenset({"csrf_token", "version", "started", "next", "action"})


def kept_input() -> list[tuple[str, str]]:
    """What a failed form post carried, so the error page can give it back instead of losing it.

    A view that fails while saving re-renders its own form with the input; this is for the failures
    that come before the view runs (the database is unreachable while the signed-in user is loaded,
    or the form's CSRF token has expired), where the only other choice is to lose the analyst's text.
    """
    if request.method != "POST" or wants_problem() or not request.form:
        return []
    return [(name, value) for name, value in request.form.items(multi=True)
            if name == "csrf_token" or not any(word in name.lower() for word in UNECHOED_FIELDS)]


def _page(status: int, title: str, detail: str | None, resubmit: bool = False, **extra: Any) -> tuple[str, int]:
    error = SimpleNamespace(status=status, title=title, detail=detail, dependants=extra.get("dependants") or [],
                            errors=extra.get("errors") or {})
    kept = kept_input()
    shown = [(n, v) for n, v in kept if n not in PLUMBING_FIELDS and v.strip()]
    hidden = [(n, v) for n, v in kept if n != "csrf_token" and (n, v) not in shown]
    return render_template("error.html", error=error, kept=shown, kept_hidden=hidden,
                           resubmit=resubmit and bool(kept), kept_token=dict(kept).get("csrf_token", "")), status


def respond(status: int, title: str, detail: str | None, errors: dict[str, str] | None = None,
            resubmit: bool = False, **extra: Any) -> Any:
    """The error as problem+json under /api/, else as a page; `resubmit` lets that page post the input again."""
    if wants_problem():
        return problem(status, title, detail, errors, **extra)
    return _page(status, title, detail, resubmit=resubmit, errors=errors, **extra)


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(DomainError)
    def domain_error(e: DomainError) -> Any:
        db.session.rollback()
        # A fault that clears by itself (the database is back) lets the page post what was typed again.
        response = app.make_response(respond(e.status, e.title, e.detail, e.errors,
                                             resubmit=isinstance(e, Unavailable), **e.extra()))
        if isinstance(e, Unavailable) and e.retry_after:
            response.headers["Retry-After"] = str(e.retry_after)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(e: CSRFError) -> Any:
        # What was typed is shown to copy, never posted again with a fresh token (that would undo CSRF).
        return respond(400, "Form expired or forged", f"{e.description} Reload the page and submit again.")

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Any:
        response = app.make_response(respond(e.code or 500, e.name, e.description))
        allow = dict(e.get_headers()).get("Allow")  # a 405 says which methods would do
        if allow:
            response.headers["Allow"] = allow
        return response

    @app.errorhandler(DBAPIError)
    def database_fault(e: DBAPIError) -> Any:
        db.session.rollback()
        if e.connection_invalidated and request.method in SAFE_METHODS and not getattr(request, "_retried", False):
            # The server dropped the connection (a restart, a failover): the pool has already thrown
            # the dead connections away, so a read gets one more try on a fresh one.
            request._retried = True  # type: ignore[attr-defined]
            log.warning("database connection lost on %s %s; retrying once", request.method, request.path)
            try:
                return app.make_response(app.dispatch_request())
            except Exception as again:
                db.session.rollback()
                if not isinstance(again, DBAPIError):
                    return app.handle_user_exception(again)
                e = again
        meaning = database_error(e)
        if meaning is None:
            log.exception("database error on %s %s", request.method, request.path)
            return respond(500, "Internal error", "Something went wrong on our side; the error has been logged.")
        log.warning("database error on %s %s: %s", request.method, request.path, meaning.title)
        return domain_error(meaning)

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> Any:
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return respond(500, "Internal error", "Something went wrong on our side; the error has been logged.")
