"""Exports for spreadsheets and fact-check platforms: CSV per record kind, ClaimReview JSON-LD."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from claimdb.db import db
from claimdb.services.exchange import exports
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES

API = "/api/v1"


def rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_every_entity_exports_as_csv(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    viewer = api_for("viewer")
    for entity, resource in RESOURCES.items():
        response = client.get(f"{API}/export?format=csv&entity={entity}", headers=viewer)
        assert response.status_code == 200 and response.is_streamed
        assert response.mimetype == "text/csv"
        assert f'filename="claimdb-{entity}.csv"' in response.headers["Content-Disposition"]
        body = response.get_data()
        assert body.split(b"\r\n")[0].decode("utf-8-sig").split(",") == exports.csv_columns(resource)
        listed = client.get(f"{API}/{entity}?per_page=200", headers=viewer).get_json()
        assert [int(r["id"]) for r in rows(body)] == sorted(r["id"] for r in listed["items"])


def test_statement_rows_read_without_lookups(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    body = client.get(f"{API}/export?format=csv&entity=statements", headers=api_for("viewer")).get_data()
    inner = next(r for r in rows(body) if int(r["id"]) == data["inner"])
    assert inner["speaker_name"] == "Nusra Front"
    assert inner["source_title"] == "Rebel infighting in Aleppo"
    assert inner["chain"] == "Mujahed al-Sham said > Levant Front pledged (reportedly) > Nusra Front says"
    assert inner["claims"] == f"{data['claim_kidnap']} asserts (probable)"
    assert int(inner["span_end"]) - int(inner["span_start"]) == len("Hazzm kidnapped four members")
    actors = rows(client.get(f"{API}/export?format=csv&entity=actors", headers=api_for("viewer")).get_data())
    assert next(r for r in actors if r["name"] == "Nusra Front")["aliases"] == "Jabhat al-Nusra [en]"


def test_csv_defuses_formulas_and_keeps_text(app: Flask, client: FlaskClient, api_for: Any,
                                            data: dict[str, int]) -> None:
    with app.app_context():
        lifecycle.create(db.session, RESOURCES["claims"], {
            "text": '=HYPERLINK("http://evil.example","click")', "location": "Aleppo, \"old city\"\nnorth",
            "tags": ["a", "b"]})
    body = client.get(f"{API}/export?format=csv&entity=claims", headers=api_for("viewer")).get_data()
    row = next(r for r in rows(body) if "HYPERLINK" in r["text"])
    assert row["text"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["location"] == "Aleppo, \"old city\"\nnorth" and row["tags"] == "a; b"


def test_csv_needs_a_known_entity(client: FlaskClient, api_for: Any) -> None:
    for query in ("format=csv", "format=csv&entity=users", "format=csv&entity="):
        response = client.get(f"{API}/export?{query}", headers=api_for("viewer"))
        assert response.status_code == 422 and "entity" in response.get_json()["errors"]


def test_claimreview_for_reviewed_claims(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    response = client.get(f"{API}/export?format=claimreview", headers=api_for("viewer"))
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    document = json.loads(response.get_data(as_text=True))
    assert document["@context"] == "https://schema.org"
    [review] = document["@graph"]  # the other claims are unverified: nothing reviewed to publish
    assert review == {
        "@type": "ClaimReview", "identifier": f"claim-{data['claim_kidnap']}",
        "claimReviewed": "Hazzm kidnapped four Nusra members",
        "itemReviewed": {
            "@type": "Claim", "text": "Hazzm kidnapped four Nusra members",
            "author": [{"@type": "Organization", "name": "Nusra Front"}],
            "appearance": [{"@type": "CreativeWork", "headline": "Rebel infighting in Aleppo",
                            "datePublished": "2015-03"}],
            "datePublished": "2015-02"},
        "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                         "alternateName": "Disputed"},
    }


def test_claimreview_of_an_empty_database_is_valid_json(app: Flask) -> None:
    with app.app_context():
        assert json.loads("".join(exports.claimreview_chunks(db.session, author="Desk"))) == {
            "@context": "https://schema.org", "@graph": []}
