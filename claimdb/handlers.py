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


def _page(status: int, title: str, detail: str | None, **extra: Any) -> tuple[str, int]:
    error = SimpleNamespace(status=status, title=title, detail=detail, dependants=extra.get("dependants") or [],
                            errors=extra.get("errors") or {})
    return render_template("error.html", error=error), status


def respond(status: int, title: str, detail: str | None, errors: dict[str, str] | None = None,
            **extra: Any) -> Any:
    if wants_problem():
        return problem(status, title, detail, errors, **extra)
    return _page(status, title, detail, errors=errors, **extra)


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(DomainError)
    def domain_error(e: DomainError) -> Any:
        db.session.rollback()
        response = app.make_response(respond(e.status, e.title, e.detail, e.errors, **e.extra()))
        if isinstance(e, Unavailable) and e.retry_after:
            response.headers["Retry-After"] = str(e.retry_after)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(e: CSRFError) -> Any:
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
