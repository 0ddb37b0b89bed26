"""Templates' url_for, with a fast path for the link to a record (`url_for(endpoint, record_id=N)`).

A list page links each row to its record, its speaker, its source …: about 130 links a page, and
Flask's url_for costs tens of microseconds a call (it builds the path through the routing map). The
path of an endpoint for one record is built once per request with a stand-in id; each link is then
that path with the id in the stand-in's place, the same string url_for builds (a test compares them
for every record endpoint). Other links made more than once in a page (a category, a tag, a filter)
are remembered for the request by their arguments. Anything else (a relative endpoint, arguments
that are not plain strings and numbers) goes to Flask's url_for unchanged."""

from __future__ import annotations

import re
from typing import Any

import flask
from flask import g, has_request_context
from flask.globals import request_ctx

from claimdb.rules import MAX_ID

_STAND_IN = 2_147_483_629  # a valid id whose digits cannot be mistaken for any other part of a path
_PLAIN_ANCHOR = re.compile(r"[A-Za-z0-9_.~-]*\Z")  # what url quoting leaves as it is


def url_for(endpoint: str, **values: Any) -> str:
    """flask.url_for(endpoint, **values), built from a per-request template for a record's link."""
    if endpoint[:1] == "." or not has_request_context():
        return flask.url_for(endpoint, **values)
    record_id = values.get("record_id")
    anchor = values.get("_anchor")
    if (type(record_id) is int and 1 <= record_id <= MAX_ID and len(values) == 1 + ("_anchor" in values)
            and (anchor is None or (type(anchor) is str and _PLAIN_ANCHOR.match(anchor)))):
        parts = _record_path(endpoint)
        if parts is not None:
            path = f"{parts[0]}{record_id}{parts[1]}"
            return f"{path}#{anchor}" if anchor is not None else path
    if not all(type(v) in _PLAIN for v in values.values()):
        return flask.url_for(endpoint, **values)
    built = _cache()[2]
    key = (endpoint, *sorted(values.items()))
    url = built.get(key)
    if url is None:
        url = built[key] = flask.url_for(endpoint, **values)
    return url


_PLAIN = (str, int, type(None))

# (this request's URL adapter, record paths by endpoint, links by endpoint and arguments)
_Cache = tuple[Any, dict[str, tuple[str, str] | None], dict[tuple[Any, ...], str]]


def _cache() -> _Cache:
    """This request's links, on `g` for this request's URL adapter only (g can outlive a request when
    an outer app context is pushed, as in tests)."""
    adapter = request_ctx.url_adapter
    cache: _Cache | None = g.get("_links")
    if cache is None or cache[0] is not adapter:
        cache = g._links = (adapter, {}, {})
    return cache


def _record_path(endpoint: str) -> tuple[str, str] | None:
    """The endpoint's path for a record, split around the id; None when it cannot be split that way."""
    paths = _cache()[1]
    if endpoint not in paths:
        built = flask.url_for(endpoint, record_id=_STAND_IN)
        head, found, tail = built.partition(str(_STAND_IN))
        plain = found and str(_STAND_IN) not in tail and "#" not in built
        paths[endpoint] = (head, tail) if plain else None
    return paths[endpoint]
