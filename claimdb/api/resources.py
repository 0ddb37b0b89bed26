"""CRUD for every record kind, generated from the registry so the seven resources behave alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, url_for

from claimdb.api import bp
from claimdb.api.wire import json_body, page_from_args, page_json, query_args, session
from claimdb.errors import Invalid
from claimdb.rules import MAX_ID
from claimdb.services.records import lifecycle
from claimdb.services.records.lifecycle import Resource
from claimdb.services.records.registry import RESOURCES

# Record ids are positive INTEGERs; anything else in the path is a 404 from the router.
ID = f"<int(min=1, max={MAX_ID}):record_id>"

# Fields a read returns but a write does not take; an edit may echo them back unchanged.
READ_ONLY = ("id", "chain")


def list_view(resource: Resource) -> Callable[[], Response]:
    def view() -> Response:
        args = query_args()
        results = lifecycle.list_json(session(), resource, args, page_from_args(args))
        return page_json(results)

    return view


def create_view(resource: Resource) -> Callable[[], Response]:
    def view() -> Response:
        record = lifecycle.create(session(), resource, json_body())
        response = jsonify(record)
        response.status_code = 201
        response.headers["Location"] = url_for(f"api.{resource.plural}_get", record_id=record["id"])
        return response

    return view


def get_view(resource: Resource) -> Callable[..., Response]:
    def view(record_id: int) -> Response:
        return jsonify(lifecycle.get(session(), resource, record_id))

    return view


def update_view(resource: Resource) -> Callable[..., Response]:
    def view(record_id: int) -> Response:
        payload = json_body()
        if any(key in payload for key in READ_ONLY):
            payload = _without_read_only(resource, record_id, payload)
        return jsonify(lifecycle.update(session(), resource, record_id, payload))

    return view


def delete_view(resource: Resource) -> Callable[..., Response | tuple[str, int]]:
    def view(record_id: int) -> tuple[str, int]:
        lifecycle.delete(session(), resource, record_id)
        return "", 204

    return view


def _without_read_only(resource: Resource, record_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    """Let a client send back a record it read (with `id`, `chain`), as long as it does not change them."""
    current = lifecycle.get(session(), resource, record_id)
    echoed = [key for key in READ_ONLY if key in payload and key in current]
    errors = {key: "Read-only: it cannot be changed." for key in echoed if payload[key] != current[key]}
    if errors:
        raise Invalid(errors)
    return {k: v for k, v in payload.items() if k not in echoed}


def register(resource: Resource) -> None:
    noun = resource.plural
    bp.add_url_rule(f"/{noun}", f"{noun}_list", list_view(resource), methods=["GET"])
    bp.add_url_rule(f"/{noun}", f"{noun}_create", create_view(resource), methods=["POST"])
    bp.add_url_rule(f"/{noun}/{ID}", f"{noun}_get", get_view(resource), methods=["GET"])
    bp.add_url_rule(f"/{noun}/{ID}", f"{noun}_update", update_view(resource), methods=["PATCH"])
    bp.add_url_rule(f"/{noun}/{ID}", f"{noun}_delete", delete_view(resource), methods=["DELETE"])


for _resource in RESOURCES.values():
    register(_resource)
