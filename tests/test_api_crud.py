"""The JSON API's record life cycle: create, read, list, edit, delete for every resource."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimdb.db import db
from claimdb.services import audit

from api_support import span

API = "/api/v1"


# noun -> (create payload, edit) built from the data set's ids
CASES: dict[str, Callable[[dict[str, int]], tuple[dict[str, Any], dict[str, Any]]]] = {
    "actors": lambda d: (
        {"name": "Sami al-Aridi", "kind": "person", "description": "Replaced al-Qahtani as Sharia leader",
         "aliases": [{"name": "Sami al-Oraydi", "language": "en"}, {"name": "سامي العريدي", "language": "ar"}]},
        {"reliability": "C", "aliases": [{"name": "al-Aridi", "language": None}]}),
    "affiliations": lambda d: (
        {"member_id": d["sham"], "organization_id": d["nusra"], "role": "spokesperson", "start": "2014",
         "end": "2015-03-01", "statement_id": d["outer"], "note": "spoke for Nusra"},
        {"role": "leader", "end": None}),
    "sources": lambda d: (
        {"title": "Nusra communiqué", "kind": "communique", "publisher_id": d["outlet"], "author": "Nusra media",
         "url": "https://example.org/communique", "published": "2015-03-02", "language": "ar",
         "original_language": "ar", "body": "We did not withdraw our fighters.", "reliability": "E", "note": "n"},
        {"reliability": "D", "title": "Nusra communiqué (translated)"}),
    "statements": lambda d: (
        {"source_id": d["source"], "speaker_id": d["hazzm"], "reported_by_id": None,
         "text": "Hazzm joined the Levant Front", "quote_type": "direct", "cue": "said", "hedge": None,
         "stated": "2015-02", "span": span("Hazzm joined the Levant Front"), "credibility": 2,
         "claims": [{"claim_id": d["claim_none"], "stance": "denies", "certainty": "certain"}]},
        {"credibility": 3,
         "claims": [{"claim_id": d["claim_kidnap"], "stance": "questions", "certainty": "possible"}]}),
    "claims": lambda d: (
        {"text": "Nusra withdrew its fighters from the frontlines", "occurred": "2015-02-27", "location": "Aleppo",
         "status": "unverified", "tags": ["frontline", "withdrawal"]},
        {"status": "refuted", "tags": ["withdrawal"]}),
    "accusations": lambda d: (
        {"statement_id": d["outer"], "accuser_id": d["sham"], "accused_id": d["levant"], "act": "did not intervene",
         "category": "abandonment", "claim_id": None},
        {"category": "inaction", "claim_id": d["claim_none"]}),
    "contradictions": lambda d: (
        {"claim_a_id": d["claim_spare"], "claim_b_id": d["claim_none"], "kind": "incompatible", "status": "open",
         "note": "each side blames the other"},
        {"status": "resolved"}),
}


@pytest.mark.parametrize("noun", list(CASES))
def test_full_life_cycle(noun: str, client: FlaskClient, api_for: Any, data: dict[str, int], app: Flask) -> None:
    analyst, admin = api_for("analyst"), api_for("admin")
    payload, edit = CASES[noun](data)

    made = client.post(f"{API}/{noun}", json=payload, headers=analyst)
    assert made.status_code == 201, made.get_json()
    record = made.get_json()
    assert made.headers["Location"] == f"{API}/{noun}/{record['id']}"
    assert {k: record[k] for k in payload} == payload
    assert record["version"] == 1
    assert client.get(made.headers["Location"], headers=analyst).get_json() == record

    listed = client.get(f"{API}/{noun}?per_page=200", headers=analyst).get_json()
    assert record in listed["items"]

    edited = client.patch(f"{API}/{noun}/{record['id']}", json={"version": 1, **edit}, headers=analyst)
    assert edited.status_code == 200, edited.get_json()
    after = edited.get_json()
    assert after == {**record, **edit, "version": 2, **({"chain": after["chain"]} if "chain" in after else {})}
    assert client.get(f"{API}/{noun}/{record['id']}", headers=analyst).get_json() == after

    with app.app_context():
        entries = audit.history(db.session, record_name(noun), record["id"])
        assert [(e.action, e.username) for e in entries] == [("update", "analyst"), ("create", "analyst")]

    gone = client.delete(f"{API}/{noun}/{record['id']}", headers=admin)
    assert gone.status_code == 204 and gone.data == b""
    assert client.get(f"{API}/{noun}/{record['id']}", headers=analyst).status_code == 404
    with app.app_context():
        assert audit.history(db.session, record_name(noun), record["id"])[0].username == "admin"


def record_name(noun: str) -> str:
    return noun.removesuffix("s")


def test_an_edit_without_changes_keeps_the_version(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    analyst = api_for("analyst")
    claim = client.get(f"{API}/claims/{data['claim_kidnap']}", headers=analyst).get_json()
    same = client.patch(f"{API}/claims/{claim['id']}", json={"version": claim["version"], "status": claim["status"]},
                        headers=analyst)
    assert same.status_code == 200 and same.get_json() == claim


def test_a_read_can_be_sent_back_as_an_edit(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    """Integrators GET, change a field and PATCH the whole thing back, id and chain included."""
    analyst = api_for("analyst")
    statement = client.get(f"{API}/statements/{data['inner']}", headers=analyst).get_json()
    sent = client.patch(f"{API}/statements/{data['inner']}", json={**statement, "credibility": 4}, headers=analyst)
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json()["credibility"] == 4

    moved = client.patch(f"{API}/claims/{data['claim_none']}", json={"id": 12345, "version": 1, "status": "refuted"},
                         headers=analyst)
    assert moved.status_code == 422 and "id" in moved.get_json()["errors"]
    unknown = client.patch(f"{API}/claims/{data['claim_none']}", json={"chain": [], "version": 1}, headers=analyst)
    assert unknown.status_code == 422 and unknown.get_json()["errors"] == {"chain": "Unknown field."}


def test_a_three_level_chain_reads_outermost_first(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    statement = client.get(f"{API}/statements/{data['inner']}", headers=api_for("viewer")).get_json()
    assert statement["chain"] == [
        {"statement_id": data["outer"], "speaker": {"id": data["sham"], "name": "Mujahed al-Sham"},
         "cue": "said", "hedge": None},
        {"statement_id": data["middle"], "speaker": {"id": data["levant"], "name": "Levant Front"},
         "cue": "pledged", "hedge": "reportedly"},
        {"statement_id": data["inner"], "speaker": {"id": data["nusra"], "name": "Nusra Front"},
         "cue": "says", "hedge": None},
    ]
    assert statement["claims"] == [{"claim_id": data["claim_kidnap"], "stance": "asserts", "certainty": "probable"}]


def test_statement_claims_are_replaced_by_an_edit(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    analyst = api_for("analyst")
    links = [{"claim_id": data["claim_none"], "stance": "denies", "certainty": "certain"},
             {"claim_id": data["claim_kidnap"], "stance": "reports", "certainty": "unknown"}]
    edited = client.patch(f"{API}/statements/{data['middle']}", json={"version": 1, "claims": links}, headers=analyst)
    assert edited.status_code == 200
    assert sorted(edited.get_json()["claims"], key=lambda c: c["claim_id"]) == sorted(
        links, key=lambda c: c["claim_id"])
    listed = client.get(f"{API}/statements?claim_id={data['claim_none']}", headers=analyst).get_json()
    assert [s["id"] for s in listed["items"]] == [data["middle"]]
    missing = client.patch(f"{API}/statements/{data['middle']}",
                           json={"version": 2, "claims": [{"claim_id": 999999, "stance": "asserts"}]}, headers=analyst)
    assert missing.status_code == 422 and "claims" in missing.get_json()["errors"]


def test_pages_follow_next_to_the_end(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    analyst = api_for("analyst")
    for i in range(8):
        assert client.post(f"{API}/claims", json={"text": f"paging claim {i}", "status": "confirmed"},
                           headers=analyst).status_code == 201
    url: str | None = f"{API}/claims?per_page=3&status=confirmed&sort=text"
    seen: list[int] = []
    texts: list[str] = []
    pages = 0
    while url:
        page = client.get(url, headers=analyst).get_json()
        assert page["total"] == 8 and len(page["items"]) <= 3
        seen += [c["id"] for c in page["items"]]
        texts += [c["text"] for c in page["items"]]
        url = page["next"]
        if url:
            assert url.startswith("/") and "status=confirmed" in url and "sort=text" in url and "per_page=3" in url
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 8
    assert texts == sorted(texts)


BOUNDS = [
    ("per_page=200", 200), ("per_page=1", 200), ("per_page=201", 422), ("per_page=0", 422),
    ("per_page=-1", 422), ("page=abc", 422), ("page=99999", 200), ("sort=-text", 200), ("sort=bogus", 422),
]


def test_page_bounds(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    viewer = api_for("viewer")
    for query, status in BOUNDS:
        response = client.get(f"{API}/claims?{query}", headers=viewer)
        assert response.status_code == status, (query, response.get_json())
        if status == 422:
            assert response.content_type == "application/problem+json"
            assert set(response.get_json()["errors"]) & {"page", "per_page", "sort"}


def test_list_filters(client: FlaskClient, api_for: Any, data: dict[str, int]) -> None:
    viewer = api_for("viewer")

    def ids(url: str) -> list[int]:
        response = client.get(f"{API}/{url}", headers=viewer)
        assert response.status_code == 200, response.get_json()
        return sorted(r["id"] for r in response.get_json()["items"])

    assert ids(f"statements?speaker_id={data['nusra']}") == [data["inner"]]
    assert ids(f"statements?source_id={data['source']}") == sorted([data["outer"], data["middle"], data["inner"]])
    assert ids(f"statements?reported_by_id={data['outer']}") == [data["middle"]]
    assert ids("statements?from=2015-03&to=2015-03") == [data["outer"]]
    assert ids("claims?status=disputed") == [data["claim_kidnap"]]
    assert ids(f"accusations?accused_id={data['hazzm']}") == [data["accusation"]]
    assert ids(f"contradictions?claim_id={data['claim_none']}") == [data["contradiction"]]
    assert ids("actors?kind=media") == [data["outlet"]]
    bad = client.get(f"{API}/statements?speaker_id=abc&from=2015-99", headers=viewer)
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"speaker_id", "from"}
