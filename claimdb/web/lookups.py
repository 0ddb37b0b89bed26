"""JSON endpoints behind the searchable selects: find an actor by any alias, a claim by its words, a category.

Errors here are problem+json (the script reads them), not pages.
"""

from __future__ import annotations

import re
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from claimdb import auth, handlers
from claimdb.errors import Invalid
from claimdb.rules import CONTROL
from claimdb.services.pages import labels
from claimdb.services.records import accusations, claims, lifecycle
from claimdb.services.records.actors import ACTORS
from claimdb.services.records.claims import CLAIMS
from claimdb.services.search import names
from claimdb.web import bp
from claimdb.web.editing import session

MAX_QUERY = 500


def _query() -> str:
    """What was typed, cut to a sane length; control characters (which PostgreSQL refuses) become spaces."""
    return CONTROL.sub(" ", (request.args.get("q") or "")[:MAX_QUERY])


@bp.get("/lookup/actors")
@auth.require("viewer")
def lookup_actors() -> ResponseReturnValue:
    """[{id, label, detail}] for actors whose name or alias matches what was typed (any script)."""
    text = _query()
    return jsonify(names.lookup(session(), text) if text.strip() else [])


@bp.post("/lookup/actors")
@auth.require("analyst")
def create_actor_inline() -> ResponseReturnValue:
    """Create a missing actor from a form's searchable select: {name[, kind]} -> 201 {id, label}."""
    body: Any = _small_json()
    if not isinstance(body, dict):
        return handlers.problem(400, "Bad request", "Send a JSON object: {\"name\": ...}.",
                                {"body": "Send a JSON object."})
    unknown = sorted(set(body) - {"name", "kind"})
    if unknown:
        return handlers.problem(422, "Invalid input", "Only name and kind can be set here.",
                                {k: "Unknown field." for k in unknown})
    payload = {"name": body.get("name"), "kind": body.get("kind") or "unknown"}
    try:
        created = lifecycle.create(session(), ACTORS, payload)
    except Invalid as e:
        return handlers.problem(422, "Invalid input", e.detail, e.errors)
    return jsonify({"id": created["id"], "label": created["name"], "detail": created["kind"]}), 201


@bp.get("/lookup/claims")
@auth.require("viewer")
def lookup_claims() -> ResponseReturnValue:
    text = _query()
    return jsonify(claims.lookup_claims(session(), text) if text.strip() else [])


@bp.post("/lookup/claims")
@auth.require("analyst")
def create_claim_inline() -> ResponseReturnValue:
    """Create a missing claim from a form's searchable select: {name} (the claim's text) -> 201 {id, label}."""
    body: Any = _small_json()
    if not isinstance(body, dict):
        return handlers.problem(400, "Bad request", "Send a JSON object: {\"name\": ...}.",
                                {"body": "Send a JSON object."})
    unknown = sorted(set(body) - {"name", "text"})
    if unknown:
        return handlers.problem(422, "Invalid input", "Only the claim's text can be set here.",
                                {k: "Unknown field." for k in unknown})
    try:
        created = lifecycle.create(session(), CLAIMS, {"text": body.get("text", body.get("name"))})
    except Invalid as e:
        return handlers.problem(422, "Invalid input", e.detail, {"name" if k == "text" else k: v
                                                                 for k, v in e.errors.items()})
    return jsonify({"id": created["id"], "label": created["text"], "detail": created["status"]}), 201


@bp.get("/lookup/statements")
@auth.require("viewer")
def lookup_statements() -> ResponseReturnValue:
    text = _query()
    return jsonify(labels.lookup_statements(session(), text) if text.strip() else [])


@bp.get("/lookup/categories")
@auth.require("viewer")
def lookup_categories() -> ResponseReturnValue:
    """Accusation categories already in use, most used first: [{id, label}] with the category as both.

    With ?act=, only the categories whose words match the act's ("kidnapped four members" -> kidnapping)."""
    act = CONTROL.sub(" ", (request.args.get("act") or "")[:MAX_QUERY])
    if act.strip():
        found = categories_for_act(accusations.categories(session(), "", limit=500), act)
    else:
        found = accusations.categories(session(), _query().strip())
    return jsonify([{"id": c, "label": c} for c in found])


STEM = 5  # letters two words must share to count as the same word ("kidnapped" ~ "kidnapping")


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in re.findall(r"\w+", text.lower()) if len(w) >= 4}


def categories_for_act(used: list[str], act: str, limit: int = 8) -> list[str]:
    """The categories in use whose words share a stem with the act's, best match first (then most used)."""
    words = _stems(act)
    scored = [(len(words & _stems(c)), n, c) for n, c in enumerate(used)]
    return [c for score, _, c in sorted(scored, key=lambda t: (-t[0], t[1])) if score][:limit]


def _small_json() -> Any:
    """The request's JSON if it is a small document (a name and a kind), else None.

    Size first: absurdly nested JSON makes the parser raise RecursionError, which Flask's
    silent mode does not catch."""
    if len(request.get_data(cache=True)) > 25_000:
        return None
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None
