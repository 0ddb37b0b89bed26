"""The searchable selects' JSON endpoints: any alias, any script, inline create for analysts only."""

from __future__ import annotations

from typing import Any

from flask import Flask

from web_support import build, token


def test_actor_lookup_matches_aliases_and_arabic(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    viewer = client_for("viewer")
    assert [r["id"] for r in viewer.get("/lookup/actors?q=Jabhat al Nusra").json] == [d.nusra]
    assert [r["id"] for r in viewer.get("/lookup/actors?q=جبهة النصرة").json] == [d.nusra]
    found = viewer.get("/lookup/actors?q=levant force").json
    assert found[0]["id"] == d.levant and found[0]["label"] == "Levant Front"
    assert viewer.get("/lookup/actors?q=").json == []
    assert viewer.get(f"/lookup/actors?q={d.sham}").json[0]["label"] == "Mujahed al-Sham"


def test_claim_and_category_lookups(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    viewer = client_for("viewer")
    ids = [r["id"] for r in viewer.get("/lookup/claims?q=hazzm kidnapped").json]
    assert set(ids) == {d.claim, d.other_claim}
    assert [r["id"] for r in viewer.get("/lookup/claims?q=nobody").json] == [d.other_claim]
    assert viewer.get("/lookup/categories?q=kid").json == [{"id": "kidnapping", "label": "kidnapping"}]


def test_an_analyst_creates_a_missing_actor_inline(app: Flask, users: Any, client_for: Any) -> None:
    build(app)
    analyst = client_for("analyst")
    csrf = token(analyst, "/actors/new")
    created = analyst.post("/lookup/actors", json={"name": "135 cultural figures"}, headers={"X-CSRFToken": csrf})
    assert created.status_code == 201
    assert created.json["label"] == "135 cultural figures"
    page = analyst.get(f"/actors/{created.json['id']}").get_data(as_text=True)
    assert "Unknown / unnamed" in page
    typed = analyst.post("/lookup/actors", json={"name": "Sami al-Aridi", "kind": "person"},
                         headers={"X-CSRFToken": csrf})
    assert typed.status_code == 201
    assert analyst.get("/lookup/actors?q=aridi").json[0]["detail"].startswith("person")

    bad = analyst.post("/lookup/actors", json={"name": ""}, headers={"X-CSRFToken": csrf})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json" and "name" in bad.json["errors"]
    bad = analyst.post("/lookup/actors", json={"name": "x", "kind": "alien"}, headers={"X-CSRFToken": csrf})
    assert bad.status_code == 422 and "kind" in bad.json["errors"]
    bad = analyst.post("/lookup/actors", json=["x"], headers={"X-CSRFToken": csrf})
    assert bad.status_code == 400
    assert analyst.post("/lookup/actors", json={"name": "No token"}).status_code == 400
    assert analyst.get("/lookup/actors?q=no token").json == []


def test_a_viewer_cannot_create_inline(app: Flask, users: Any, client_for: Any) -> None:
    build(app)
    viewer = client_for("viewer")
    refused = viewer.post("/lookup/actors", json={"name": "Viewer made"},
                          headers={"X-CSRFToken": token(viewer, "/actors")})
    assert refused.status_code == 403
    assert viewer.get("/lookup/actors?q=viewer made").json == []


def test_statement_lookup_by_number_or_words(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    viewer = client_for("viewer")
    found = viewer.get("/lookup/statements?q=kidnapped four").json
    assert [r["id"] for r in found] == [d.statement] and "Nusra Front" in found[0]["detail"]
    assert viewer.get(f"/lookup/statements?q=%23{d.denial}").json[0]["id"] == d.denial
    assert viewer.get("/lookup/statements?q=").json == []


def test_an_analyst_creates_a_missing_claim_inline(app: Flask, users: Any, client_for: Any) -> None:
    build(app)
    analyst = client_for("analyst")
    csrf = token(analyst, "/contradictions/new")
    assert 'data-create-url="/lookup/claims"' in analyst.get("/contradictions/new").get_data(as_text=True)
    created = analyst.post("/lookup/claims", json={"name": "Hazzm fired first"}, headers={"X-CSRFToken": csrf})
    assert created.status_code == 201 and created.json["label"] == "Hazzm fired first"
    assert [r["id"] for r in analyst.get("/lookup/claims?q=fired first").json] == [created.json["id"]]
    bad = analyst.post("/lookup/claims", json={"name": " "}, headers={"X-CSRFToken": csrf})
    assert bad.status_code == 422 and "name" in bad.json["errors"]
    assert analyst.post("/lookup/claims", json={"name": "x", "status": "refuted"},
                        headers={"X-CSRFToken": csrf}).status_code == 422
    viewer = client_for("viewer")
    assert viewer.post("/lookup/claims", json={"name": "Viewer claim"},
                       headers={"X-CSRFToken": token(viewer, "/claims")}).status_code == 403
    assert 'data-create-url' not in viewer.get("/claims").get_data(as_text=True)
