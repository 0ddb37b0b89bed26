"""The OpenAPI 3.1 document, generated from the pydantic schemas that validate requests.

Input shapes are the services' own schemas; read shapes are those plus `id` and `version` (and
`chain` for statements), so the document cannot drift from the rules. Only routes the app really
has are described: the test suite checks that every API route appears here.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import Flask, Response, current_app, jsonify, url_for

from claimdb.api import bp
from claimdb.api.openapi_extra import extra_paths
from claimdb.api.spec import Builder, ChainLevel, Problem, json_content, problem_responses, ref
from claimdb.rules import MAX_ID
from claimdb.services.records.lifecycle import Resource
from claimdb.services.records.registry import RESOURCES


def component_name(resource: Resource) -> str:
    return resource.name.capitalize()


def add_resource(builder: Builder, resource: Resource) -> None:
    """The input, patch, read and list shapes of one record kind."""
    builder.model(resource.schema)
    source = builder.schemas[resource.schema.__name__]
    name = component_name(resource)
    builder.schemas[name] = read_schema(resource, source)
    builder.schemas[f"{name}Patch"] = patch_schema(name, source)
    builder.schemas[f"{name}List"] = {
        "type": "object", "title": f"{name}List", "description": f"One page of {resource.plural}.",
        "properties": {
            "items": {"type": "array", "items": ref(name)},
            "total": {"type": "integer", "minimum": 0, "description": "Matching records on all pages."},
            "next": {"type": ["string", "null"],
                     "description": "The next page (a path from the server's root), null on the last page."},
        },
        "required": ["items", "total", "next"], "additionalProperties": False,
    }


def read_schema(resource: Resource, source: dict[str, Any]) -> dict[str, Any]:
    """A record as reads return it: every input field (always present), plus id and version."""
    properties: dict[str, Any] = {"id": {"type": "integer", "minimum": 1}}
    for key, value in source["properties"].items():
        value = copy.deepcopy(value)
        value.pop("default", None)
        properties[key] = value
    properties["version"] = {"type": "integer", "minimum": 1,
                             "description": "Send it back with a PATCH; a stale one gets 409."}
    if resource.plural == "statements":
        properties["chain"] = {"type": "array", "items": ref("ChainLevel"), "readOnly": True,
                               "description": "The attribution chain, outermost first, ending with this statement."}
    examples = [{"id": 1, **example, "version": 1} for example in source.get("examples", [])]
    if resource.plural == "statements":
        examples = [{**e, "chain": EXAMPLE_CHAIN} for e in examples]
    name = component_name(resource)
    return {"type": "object", "title": name, "description": source.get("description", name),
            "properties": properties, "required": list(properties), "additionalProperties": False,
            "examples": examples}


def patch_schema(name: str, source: dict[str, Any]) -> dict[str, Any]:
    """A partial edit: any input field, plus the `version` that was read (required)."""
    properties = {key: {k: v for k, v in value.items() if k != "default"}
                  for key, value in copy.deepcopy(source["properties"]).items()}
    properties["version"] = {"type": "integer", "description": "The version you read."}
    example = {"version": 1, **dict(list(source.get("examples", [{}])[0].items())[:2])}
    return {"type": "object", "title": f"{name}Patch",
            "description": f"Change some fields of a {name.lower()}; fields left out keep their value.",
            "properties": properties, "required": ["version"], "additionalProperties": False,
            "examples": [example]}


EXAMPLE_CHAIN = [
    {"statement_id": 12, "speaker": {"id": 5, "name": "Mujahed al-Sham"}, "cue": "said", "hedge": None},
    {"statement_id": 1, "speaker": {"id": 9, "name": "Levant Front"}, "cue": "statement", "hedge": None},
]


ID_PARAMETER = {"name": "id", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def list_parameters(resource: Resource) -> list[dict[str, Any]]:
    sorts = ["id", *resource.sorts]
    parameters: list[dict[str, Any]] = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200,
                                                       "default": 50}},
        {"name": "after", "in": "query", "description": "The cursor a list's `next` link carries: continue "
         "after its last record (any other value is a 400 problem). Follow `next` rather than build it.",
         "schema": {"type": "string", "maxLength": 2000}},
        {"name": "sort", "in": "query", "description": "A field name; a leading '-' sorts descending.",
         "schema": {"type": "string", "enum": [*sorts, *(f"-{s}" for s in sorts)],
                    "default": resource.default_sort}},
    ]
    for name in resource.filters:
        schema: dict[str, Any] = {"type": "string"}
        description = "Filter."
        if name.endswith("_id"):
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            description = f"Only records linked to this {name.removesuffix('_id').replace('_', ' ')}."
        elif name in ("from", "to"):
            description = "A partial date (2015, 2015-03, 2015-03-01) bounding the record's date."
        elif name == "q":
            description = "Text the record contains."
        parameters.append({"name": name, "in": "query", "description": description, "schema": schema})
    return parameters


def resource_paths(builder: Builder, resource: Resource) -> dict[str, Any]:
    add_resource(builder, resource)
    name, noun = component_name(resource), resource.plural
    what = resource.name
    collection = {
        "get": {"operationId": f"list_{noun}", "tags": [noun], "summary": f"List {noun}",
                "parameters": list_parameters(resource),
                "responses": {"200": {"description": f"A page of {noun}.", "content": json_content(ref(f"{name}List"))},
                              **problem_responses(400, 401, 403, 422)}},
        "post": {"operationId": f"create_{what}", "tags": [noun], "summary": f"Create a {what}",
                 "requestBody": {"required": True, "content": json_content(ref(resource.schema.__name__))},
                 "responses": {"201": {"description": f"The new {what}, as a read returns it.",
                                       "headers": {"Location": {"schema": {"type": "string"},
                                                                "description": "The new record's URL."}},
                                       "content": json_content(ref(name))},
                               **problem_responses(400, 401, 403, 415, 422)}},
    }
    item = {
        "parameters": [ID_PARAMETER],
        "get": {"operationId": f"get_{what}", "tags": [noun], "summary": f"Read a {what}",
                "responses": {"200": {"description": f"The {what}.", "content": json_content(ref(name))},
                              **problem_responses(401, 403, 404)}},
        "patch": {"operationId": f"update_{what}", "tags": [noun], "summary": f"Edit a {what}",
                  "requestBody": {"required": True, "content": json_content(ref(f"{name}Patch"))},
                  "responses": {"200": {"description": f"The {what} after the edit.",
                                        "content": json_content(ref(name))},
                                **problem_responses(400, 401, 403, 404, 409, 415, 422)}},
        "delete": {"operationId": f"delete_{what}", "tags": [noun], "summary": f"Delete a {what} (admins)",
                   "responses": {"204": {"description": "Deleted."}, **problem_responses(401, 403, 404, 409)}},
    }
    return {f"/{noun}": collection, f"/{noun}/{{id}}": item}


def build(app: Flask) -> dict[str, Any]:
    """The whole document for this app's routes."""
    builder = Builder()
    for model in (Problem, ChainLevel):
        builder.model(model)
    paths: dict[str, Any] = {}
    for resource in RESOURCES.values():
        paths.update(resource_paths(builder, resource))
    routes = api_routes(app)
    paths.update(extra_paths(builder, routes))
    paths["/openapi.json"] = {"get": {
        "operationId": "openapi", "tags": ["meta"], "summary": "This document", "security": [],
        "responses": {"200": {"description": "OpenAPI 3.1", "content": json_content({"type": "object"})}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "claimdb API", "version": _version(),
                 "description": "Claims, who made them, in which sources, reported by whom. Every request "
                                "needs a user: `Authorization: Bearer TOKEN` (from `claimdb token create`) "
                                "or a browser session (unsafe methods then need the X-CSRFToken header). "
                                "Errors are application/problem+json."},
        "servers": [{"url": url_for("api.openapi").removesuffix("/openapi.json")}],
        "security": [{"bearer": []}, {"session": []}],
        "tags": [{"name": r.plural} for r in RESOURCES.values()],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(builder.schemas.items())),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A token from `claimdb token create`."},
                "session": {"type": "apiKey", "in": "cookie", "name": app.config.get("SESSION_COOKIE_NAME", "session"),
                            "description": "The web UI's login session."},
            },
        },
    }


def api_routes(app: Flask) -> set[str]:
    """The blueprint's URL rules, relative to its prefix ("/claims/<int(...):record_id>")."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")]
    prefix = next(rule.rule for rule in rules if rule.endpoint == "api.openapi").removesuffix("/openapi.json")
    return {rule.rule.removeprefix(prefix) for rule in rules}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("claimdb")
    except PackageNotFoundError:
        return "0"


@bp.get("/openapi.json", endpoint="openapi")
def openapi_json() -> Response:
    """The document; public, so tools can read it before they hold a token."""
    key = "claimdb.openapi"
    if key not in current_app.extensions:
        current_app.extensions[key] = build(current_app)
    return jsonify(current_app.extensions[key])
