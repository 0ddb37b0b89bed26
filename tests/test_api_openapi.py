"""The OpenAPI document: valid 3.1, complete, and describing what the API really answers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from claimdb.db import db
from claimdb.services.exchange import exports
from claimdb.services.records.registry import RESOURCES

API = "/api/v1"


@pytest.fixture
def doc(client: FlaskClient) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return dict(response.get_json())


def conforms(doc: dict[str, Any], schema_name: str, instance: Any) -> None:
    """Validate against a component schema, $refs resolved inside the document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": doc["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(instance), key=str)
    assert not errors, f"{schema_name}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_the_document_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    assert doc["servers"] == [{"url": API}]
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "A token from `claimdb token create`."}


def test_every_api_route_is_documented(app: Flask, doc: dict[str, Any]) -> None:
    documented = {(path, method.upper()) for path, item in doc["paths"].items()
                  for method in item if method in ("get", "post", "patch", "delete", "put")}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<[^>]*:record_id>", "{id}", rule.rule.removeprefix(API))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in the OpenAPI document"
    for noun in RESOURCES:
        assert {f"/{noun}", f"/{noun}/{{id}}"} <= set(doc["paths"])


def test_input_schemas_are_the_validating_schemas(doc: dict[str, Any]) -> None:
    for resource in RESOURCES.values():
        generated = resource.schema.model_json_schema(ref_template="#/components/schemas/{model}")
        generated.pop("$defs", None)
        assert doc["components"]["schemas"][resource.schema.__name__] == generated
        operation = doc["paths"][f"/{resource.plural}"]["post"]
        assert operation["requestBody"]["content"]["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{resource.schema.__name__}"}
        for example in generated["examples"]:
            resource.schema.model_validate(example)  # the documented example is accepted as it stands


def test_examples_conform_to_their_schemas(doc: dict[str, Any]) -> None:
    for name, schema in doc["components"]["schemas"].items():
        for example in schema.get("examples", []):
            conforms(doc, name, example)


def test_reads_lists_and_problems_conform(client: FlaskClient, api_for: Any, data: dict[str, int],
                                          doc: dict[str, Any]) -> None:
    headers = api_for("admin")
    for noun, resource in RESOURCES.items():
        name = resource.name.capitalize()
        listed = client.get(f"{API}/{noun}?per_page=2", headers=headers).get_json()
        conforms(doc, f"{name}List", listed)
        for item in listed["items"]:
            conforms(doc, name, item)
    conforms(doc, "Problem", client.get(f"{API}/claims/999999", headers=headers).get_json())
    conforms(doc, "Problem", client.delete(f"{API}/actors/{data['sham']}", headers=headers).get_json())
    stale = client.patch(f"{API}/claims/{data['claim_none']}", json={"version": 7}, headers=headers)
    conforms(doc, "Problem", stale.get_json())


def test_export_streams_the_claimdb_1_document(app: Flask, client: FlaskClient, api_for: Any,
                                              data: dict[str, int]) -> None:
    response = client.get(f"{API}/export", headers=api_for("viewer"))
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/json"
    body = response.get_data(as_text=True)
    with app.app_context():
        assert body == "".join(exports.document_chunks(db.session))
    document = json.loads(body)
    assert document["format"] == "claimdb/1"
    assert len(document["statements"]) == 3 and len(document["actors"]) == 5
    assert client.get(f"{API}/export").status_code == 401
    bad = client.get(f"{API}/export?format=xml", headers=api_for("viewer"))
    assert bad.status_code == 422 and "format" in bad.get_json()["errors"]


def test_search_and_report_conform(client: FlaskClient, api_for: Any, data: dict[str, int],
                                   doc: dict[str, Any]) -> None:
    headers = api_for("viewer")
    found = client.get(f"{API}/search?speaker=Nusra&facets=1", headers=headers)
    assert found.status_code == 200
    conforms(doc, "SearchResults", found.get_json())
    report = client.get(f"{API}/reports/contradictions", headers=headers)
    assert report.status_code == 200
    conforms(doc, "ContradictionReport", report.get_json())
    assert report.get_json()["contradictions"], "the data set has one contradiction"
