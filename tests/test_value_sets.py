"""Each value set is defined once (claimdb.models.values): the database CHECKs, the API schemas, the
OpenAPI document, the web forms and the filters all take it from there, so none can drift."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import CheckConstraint

from claimdb.db import Base
from claimdb.models import values
from claimdb.services.records import schemas

# (table, column, value set, API schema, field)
COLUMNS = [
    ("actor", "kind", values.ActorKind, schemas.ActorIn, "kind"),
    ("actor", "reliability", values.Reliability, schemas.ActorIn, "reliability"),
    ("affiliation", "role", values.AffiliationRole, schemas.AffiliationIn, "role"),
    ("source", "kind", values.SourceKind, schemas.SourceIn, "kind"),
    ("source", "reliability", values.Reliability, schemas.SourceIn, "reliability"),
    ("statement", "quote_type", values.QuoteType, schemas.StatementIn, "quote_type"),
    ("statement_claim", "stance", values.Stance, schemas.ClaimLinkIn, "stance"),
    ("statement_claim", "certainty", values.Certainty, schemas.ClaimLinkIn, "certainty"),
    ("claim", "status", values.ClaimStatus, schemas.ClaimIn, "status"),
    ("contradiction", "kind", values.ContradictionKind, schemas.ContradictionIn, "kind"),
    ("contradiction", "status", values.ContradictionStatus, schemas.ContradictionIn, "status"),
]


def _enum(schema: dict[str, Any]) -> list[Any]:
    """The enum of a JSON-schema property, looking through anyOf [..., null]."""
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    return next(_enum(option) for option in schema.get("anyOf", []) if option.get("type") != "null")


@pytest.mark.parametrize(("table", "column", "value_set", "schema", "field"), COLUMNS,
                         ids=[f"{t}.{c}" for t, c, *_ in COLUMNS])
def test_database_check_and_api_schema_take_the_same_value_set(table: str, column: str, value_set: dict[str, str],
                                                               schema: Any, field: str) -> None:
    checks = [str(c.sqltext) for c in Base.metadata.tables[table].constraints if isinstance(c, CheckConstraint)]
    assert f"{column} IN ({', '.join(repr(v) for v in value_set)})" in checks
    assert _enum(schema.model_json_schema()["properties"][field]) == list(value_set)


def test_credibility_is_the_admiralty_scale_everywhere() -> None:
    prop = schemas.StatementIn.model_json_schema()["properties"]["credibility"]
    bounds = next(option for option in prop["anyOf"] if option.get("type") == "integer")
    assert (bounds["minimum"], bounds["maximum"]) == (min(values.Credibility), max(values.Credibility))


def test_openapi_filters_list_the_value_sets_the_server_accepts(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    search = {p["name"]: p for p in document["paths"]["/search"]["get"]["parameters"]}
    report = {p["name"]: p for p in document["paths"]["/reports/contradictions"]["get"]["parameters"]}
    assert search["stance"]["schema"]["enum"] == list(values.Stance)
    assert search["status"]["schema"]["enum"] == list(values.ClaimStatus)
    assert report["status"]["schema"]["enum"] == list(values.ContradictionStatus)


@pytest.mark.parametrize(("form", "field", "value_set"), [
    ("ActorForm", "kind", values.ActorKind), ("AffiliationForm", "role", values.AffiliationRole),
    ("ClaimForm", "status", values.ClaimStatus), ("ContradictionForm", "kind", values.ContradictionKind),
    ("ContradictionForm", "status", values.ContradictionStatus), ("SourceForm", "kind", values.SourceKind),
    ("StatementForm", "quote_type", values.QuoteType),
])
def test_web_forms_offer_exactly_the_value_set(app: Flask, form: str, field: str, value_set: dict[str, str]) -> None:
    from claimdb.web import forms, forms_sources

    form_cls = getattr(forms, form, None) or getattr(forms_sources, form)
    with app.test_request_context():
        offered = [value for value, *_ in form_cls(meta={"csrf": False})[field].iter_choices() if value != ""]
    assert offered == list(value_set)
