"""Every refusal of the JSON API is application/problem+json with a reason, never a 5xx, and stores nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from claimdb.db import db

from web_support import snapshot

API = "/api/v1"


def problem(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and isinstance(body["errors"], dict)
    return body


def test_no_credentials_is_401_with_a_challenge(app: Flask, client: FlaskClient, data: dict[str, int]) -> None:
    before = snapshot(app)
    response = client.get(f"{API}/claims")
    problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    problem(client.post(f"{API}/claims", json={"text": "x"}), 401)
    problem(client.get(f"{API}/claims", headers={"Authorization": "Bearer cdb_not-a-token"}), 401)
    problem(client.get(f"{API}/claims", headers={"Authorization": "Bearer "}), 401)
    problem(client.get(f"{API}/claims", headers={"Authorization": "Basic YW5uYTpwdw=="}), 401)
    assert snapshot(app) == before


def test_a_bad_token_does_not_fall_back_to_the_session(client_for: Any) -> None:
    browser = client_for("analyst")
    assert browser.get(f"{API}/claims").status_code == 200
    problem(browser.get(f"{API}/claims", headers={"Authorization": "Bearer cdb_wrong"}), 401)


def test_a_revoked_token_is_refused(app: Flask, client: FlaskClient, api_for: Any) -> None:
    from claimdb.services import users

    headers = api_for("viewer")
    assert client.get(f"{API}/claims", headers=headers).status_code == 200
    with app.app_context():
        for token, _user in users.list_tokens(db.session):
            users.revoke_token(db.session, token.id)
    problem(client.get(f"{API}/claims", headers=headers), 401)


# role -> (read, write, delete) statuses
MATRIX = {
    None: (401, 401, 401),
    "viewer": (200, 403, 403),
    "analyst": (200, 201, 403),
    "admin": (200, 201, 204),
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_role_matrix(role: str | None, app: Flask, client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    headers = api_for(role) if role else {}
    read, write, delete = MATRIX[role]
    before = snapshot(app)
    assert client.get(f"{API}/claims/{data['claim_spare']}", headers=headers).status_code == read
    assert client.get(f"{API}/claims", headers=headers).status_code == read
    created = client.post(f"{API}/claims", json={"text": "a new claim"}, headers=headers)
    assert created.status_code == write
    edited = client.patch(f"{API}/claims/{data['claim_spare']}", json={"version": 1, "location": "Idlib"},
                          headers=headers)
    assert edited.status_code == (200 if write == 201 else write)
    deleted = client.delete(f"{API}/claims/{data['claim_spare']}", headers=headers)
    assert deleted.status_code == delete
    for response in (created, edited, deleted):
        if response.status_code >= 400:
            problem(response, response.status_code)
    if write >= 400:
        assert snapshot(app) == before


def test_role_is_checked_before_dependants(app: Flask, client: FlaskClient, api_for: Any,
                                           data: dict[str, int]) -> None:
    analyst, admin = api_for("analyst"), api_for("admin")
    before = snapshot(app)
    problem(client.delete(f"{API}/actors/{data['sham']}", headers=analyst), 403)
    body = problem(client.delete(f"{API}/actors/{data['sham']}", headers=admin), 409)
    assert {"type": "statement", "id": data["outer"], "label": "the Levant Front would intervene"} in body["dependants"]
    assert snapshot(app) == before


GUARDED = [
    ("claims", "claim_kidnap", {"statement", "contradiction", "accusation"}),
    ("sources", "source", {"statement"}),
    ("statements", "outer", {"statement"}),
    ("statements", "inner", {"accusation"}),
    ("actors", "hazzm", {"affiliation", "accusation"}),
    ("actors", "outlet", {"source"}),
]


def test_guarded_delete_names_the_dependants(app: Flask, client: FlaskClient, api_for: Any,
                                             data: dict[str, int]) -> None:
    admin = api_for("admin")
    before = snapshot(app)
    for noun, key, kinds in GUARDED:
        body = problem(client.delete(f"{API}/{noun}/{data[key]}", headers=admin), 409)
        assert {d["type"] for d in body["dependants"]} >= kinds, (noun, body["dependants"])
        assert all(set(d) == {"type", "id", "label"} for d in body["dependants"])
        assert client.get(f"{API}/{noun}/{data[key]}", headers=admin).status_code == 200
    assert snapshot(app) == before


def test_a_stale_edit_is_409_and_changes_nothing(app: Flask, client: FlaskClient, api_for: Any,
                                                 data: dict[str, int]) -> None:
    analyst = api_for("analyst")
    url = f"{API}/claims/{data['claim_none']}"
    first = client.patch(url, json={"version": 1, "status": "disputed"}, headers=analyst)
    assert first.status_code == 200
    before = snapshot(app)
    body = problem(client.patch(url, json={"version": 1, "status": "refuted", "location": "Aleppo"},
                                headers=analyst), 409)
    assert body["current"]["status"] == "disputed" and body["current"]["version"] == 2
    now = client.get(url, headers=analyst).get_json()
    assert now == first.get_json()
    assert snapshot(app) == before


MISSING = [
    "/claims/999999", "/claims/0", "/claims/-1", "/claims/abc", "/claims/1.5", "/claims/99999999999999999999999",
    "/claims/9223372036854775807", "/claims/2147483648", "/nothing-here", "/claims/1/extra",
]


def test_missing_records_and_routes_are_404(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    viewer = api_for("viewer")
    for path in MISSING:
        problem(client.get(API + path, headers=viewer), 404)


def test_missing_record_for_edit_and_delete(app: Flask, client: FlaskClient, api_for: Any,
                                            data: dict[str, int]) -> None:
    analyst, admin = api_for("analyst"), api_for("admin")
    before = snapshot(app)
    problem(client.patch(f"{API}/claims/999999", json={"version": 1}, headers=analyst), 404)
    problem(client.delete(f"{API}/claims/999999", headers=admin), 404)
    assert snapshot(app) == before


def test_wrong_method_is_405(app: Flask, client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    admin = api_for("admin")
    before = snapshot(app)
    problem(client.put(f"{API}/claims/{data['claim_none']}", json={}, headers=admin), 405)
    assert snapshot(app) == before


def test_bodies_that_are_not_json_objects(app: Flask, client: FlaskClient, api_for: Any,
                                          data: dict[str, int]) -> None:
    analyst = api_for("analyst")
    before = snapshot(app)
    as_json = {**analyst, "Content-Type": "application/json"}
    for raw in ("not json", "[]", '"text"', "1", "null", '{"text": "x"', "[" * 100_000, '{"text": "\\ud800"}',
                b"\xff\xfe{}", '{"text": "x", "tags": [' + "9" * 5000 + "]}"):
        body = problem(client.post(f"{API}/claims", data=raw, headers=as_json), 400)
        assert "body" in body["errors"]
    body = problem(client.post(f"{API}/claims", data="text=x", headers=analyst), 415)
    assert "body" in body["errors"]
    problem(client.post(f"{API}/claims", data='{"text": "x"}', headers={**analyst, "Content-Type": "text/plain"}), 415)
    problem(client.patch(f"{API}/claims/{data['claim_none']}", data="[]", headers=as_json), 400)
    assert snapshot(app) == before


def test_errors_are_given_by_field(app: Flask, client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    analyst = api_for("analyst")
    before = snapshot(app)
    body = problem(client.post(f"{API}/actors", json={"name": "", "kind": "wizard", "aliases": [{"language": "en"}],
                                                      "colour": "red"}, headers=analyst), 422)
    assert set(body["errors"]) == {"name", "kind", "aliases.0.name", "colour"}
    body = problem(client.post(f"{API}/statements", json={
        "source_id": data["source"], "speaker_id": 999999, "text": "x", "quote_type": "direct",
        "span": {"start": 5, "end": 9999}}, headers=analyst), 422)
    assert set(body["errors"]) >= {"speaker_id", "span"}
    body = problem(client.post(f"{API}/contradictions", json={
        "claim_a_id": data["claim_none"], "claim_b_id": data["claim_kidnap"], "kind": "negation"},
        headers=analyst), 422)
    assert body["errors"]
    body = problem(client.patch(f"{API}/claims/{data['claim_none']}", json={"status": "refuted"}, headers=analyst), 422)
    assert "version" in body["errors"]
    assert snapshot(app) == before


BAD_VALUES = [
    ("claims", {"text": "nul\u0000byte"}), ("claims", {"text": "bell\u0007"}), ("claims", {"text": 12}),
    ("claims", {"text": "x" * 20_001}), ("claims", {"text": "x", "tags": "a"}), ("claims", {"text": "x", "status": 1}),
    ("claims", {"text": "   "}), ("claims", {"text": "x", "occurred": "2015-02-30"}),
    ("statements", {"source_id": 2**70, "speaker_id": 1, "text": "x", "quote_type": "direct"}),
    ("statements", {"source_id": 2**31, "speaker_id": 2**40, "text": "x", "quote_type": "direct"}),
    ("statements", {"source_id": -1, "speaker_id": 1, "text": "x", "quote_type": "direct"}),
    ("statements", {"source_id": 1.0, "speaker_id": 1, "text": "x", "quote_type": "direct"}),
    ("statements", {"source_id": True, "speaker_id": 1, "text": "x", "quote_type": "direct"}),
    ("statements", {"source_id": "1", "speaker_id": 1, "text": "x", "quote_type": "direct"}),
    ("statements", {"source_id": 1, "speaker_id": 1, "text": "x", "quote_type": "direct", "credibility": 1e308}),
    ("actors", {"name": "x" * 501, "kind": "person"}), ("actors", {"name": "A", "kind": "person", "aliases": [1]}),
    ("sources", {"title": "t", "kind": "news_article", "url": "javascript:alert(1)"}),
    ("affiliations", {"member_id": 1, "organization_id": 1, "role": "member"}),
]


def test_bad_values_are_refused(app: Flask, client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    analyst = api_for("analyst")
    before = snapshot(app)
    for noun, payload in BAD_VALUES:
        body = problem(client.post(f"{API}/{noun}", json=payload, headers=analyst), 422)
        assert body["errors"], (noun, payload)
    assert snapshot(app) == before


ODD_QUERIES = [
    "q=%00", "q=a%01b", "kind=" + "x" * 6000, "from=99999-01", "to=%E2%80%AE", "q=%ff%fe", "sort=%00",
    "page=1e3", "per_page=%C2%B2", "page=99999999999999999999999", "q=' OR 1=1 --",
    "speaker_id=2147483648", "source_id=99999999999999999", "publisher_id=2147483648",
]


def test_odd_query_strings_never_fail(app: Flask, client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    """Each odd value is refused by name where the list takes that parameter, and ignored where it does not."""
    viewer = api_for("viewer")
    before = snapshot(app)
    for query in ODD_QUERIES:
        for noun in ("actors", "sources", "claims", "statements"):
            response = client.get(f"{API}/{noun}?{query}", headers=viewer)
            if response.status_code == 422:
                assert set(problem(response, 422)["errors"]) == {query.split("=")[0]}, (noun, query)
            else:
                assert response.status_code == 200 and "items" in response.get_json(), (noun, query)
    assert snapshot(app) == before


CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def test_a_browser_session_needs_the_csrf_header_to_write(app: Flask, client_for: Any, data: dict[str, int]) -> None:
    browser = client_for("analyst")
    assert browser.get(f"{API}/claims").status_code == 200
    before = snapshot(app)
    problem(browser.post(f"{API}/claims", json={"text": "forged"}), 400)
    problem(browser.post(f"{API}/claims", json={"text": "forged"}, headers={"X-CSRFToken": "nonsense"}), 400)
    assert snapshot(app) == before
    page = browser.get("/no-such-page").get_data(as_text=True)  # any page carries the token in a meta tag
    match = CSRF.search(page)
    assert match
    token = {"X-CSRFToken": match.group(1)}
    made = browser.post(f"{API}/claims", json={"text": "made in the browser"}, headers=token)
    assert made.status_code == 201
    claim = made.get_json()
    assert browser.patch(f"{API}/claims/{claim['id']}", json={"version": 1, "status": "refuted"},
                         headers=token).status_code == 200
    before = snapshot(app)
    problem(browser.delete(f"{API}/claims/{claim['id']}", headers=token), 403)  # analysts never delete
    assert snapshot(app) == before


def test_the_openapi_document_needs_no_token(client: FlaskClient) -> None:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"].startswith("3.1")
