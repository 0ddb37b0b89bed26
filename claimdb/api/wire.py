"""Reading requests and shaping responses: JSON bodies, query strings, pages with a `next` link."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, jsonify, request, url_for
from sqlalchemy.orm import Session

from claimdb.db import db
from claimdb.errors import BadRequest, DomainError, Invalid
from claimdb.rules import CONTROL
from claimdb.services.paging import Page, Results

MAX_ARG = 5000  # characters in one query-string value


def session() -> Session:
    """This request's database session (the scoped proxy's real object, for the type checker)."""
    return db.session()


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 415/400 problem that says what to send instead."""
    if not request.is_json:
        raise UnsupportedMediaType(
            f"Send the body as JSON with Content-Type: application/json (got {request.mimetype or 'none'}).",
            errors={"body": "Send Content-Type: application/json."})
    raw = request.get_data(cache=True)
    if _too_deep(raw):
        raise BadRequest("The body is not valid JSON.", errors={"body": "Not valid JSON: nested too deeply."})
    try:
        payload = json.loads(raw)
        # A lone surrogate ("\ud800") parses but cannot be stored as UTF-8: refuse it here.
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError) as e:  # JSONDecodeError, UnicodeError and huge ints are ValueErrors
        raise BadRequest("The body is not valid JSON.", errors={"body": f"Not valid JSON: {_reason(e)}"}) from None
    if not isinstance(payload, dict):
        raise BadRequest("The body must be a JSON object.", errors={"body": "Send a JSON object."})
    return payload


MAX_DEPTH = 32  # records nest three levels; anything near the parser's recursion limit is an attack
STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
BRACKETS = re.compile(rb"[\[\]{}]")


def _too_deep(raw: bytes) -> bool:
    """Refuse absurd nesting before the parser recurses into it: a RecursionError deep inside C code
    has been seen to leave CPython 3.11's compiler unusable for the rest of the process."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return False
    depth = 0
    for bracket in BRACKETS.findall(STRINGS.sub(b"", raw)):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _reason(e: Exception) -> str:
    if isinstance(e, RecursionError):
        return "nested too deeply."
    return str(e).splitlines()[0][:200] if str(e) else type(e).__name__


def query_args() -> dict[str, str]:
    """The query string as single values, refusing control characters and absurd lengths by name."""
    errors: dict[str, str] = {}
    args: dict[str, str] = {}
    for name, value in request.args.items():
        if CONTROL.search(value) or CONTROL.search(name):
            errors[name] = "Remove control characters."
        elif len(value) > MAX_ARG:
            errors[name] = f"At most {MAX_ARG:,} characters."
        else:
            args[name] = value
    if errors:
        raise Invalid(errors)
    return args


def next_url(results: Results[Any]) -> str | None:
    """The next page's URL (a path from the root), keeping every other query argument; None on the last.

    Keyset lists continue with ?after=CURSOR (instead of ?page=N+1), so following `next` costs the same
    at any depth."""
    if not results.has_next:
        return None
    args = request.args.to_dict(flat=False)
    if results.after:  # keyset lists: the cursor seeks the sort index, whatever the depth
        args.pop("page", None)
        args["after"] = [results.after]
    else:
        args.pop("after", None)
        args["page"] = [str(results.number + 1)]
    assert request.endpoint is not None
    # urlencode, not url_for(**args): a query argument named like one of url_for's own would clash.
    return url_for(request.endpoint, **(request.view_args or {})) + "?" + urlencode(args, doseq=True)


def page_json(results: Results[Any], convert: Callable[[Sequence[Any]], Sequence[Any]] | None = None) -> Response:
    """{"items", "total", "next"}: the list envelope of every collection.

    A total counted only up to paging.COUNT_CAP is a lower bound; the header `X-Total-Capped: true`
    says so (the envelope keeps its three members)."""
    items = list(convert(results.items)) if convert else list(results.items)
    response = jsonify({"items": items, "total": results.total, "next": next_url(results)})
    if results.capped:
        response.headers["X-Total-Capped"] = "true"
    return response


def page_from_args(args: dict[str, str]) -> Page:
    return Page.from_args(args, current_app.config)
