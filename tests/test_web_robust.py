"""No input gets a 500 from the core pages: odd values come back as field messages or a 4xx page, storing nothing."""

from __future__ import annotations

from typing import Any

from flask import Flask

from web_support import build, form_fields, snapshot, text, token

ODD = ["", " ", "\x00", "\x01nul", "9" * 40, "-1", "0", "1e9", "<b>", "%", "_", "' OR 1=1 --", "\u202eevil",
       "x" * 600, "😀", "2015-13-45", "null"]


def test_odd_form_values_never_crash(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    analyst = client_for("analyst")
    forms = {"/actors/new": ["name", "kind", "aliases", "description", "reliability"],
             "/affiliations/new": ["member_id", "organization_id", "role", "start", "end", "statement_id", "note"],
             "/claims/new": ["text", "occurred", "location", "status", "tags"],
             "/accusations/new": ["statement_id", "accuser_id", "accused_id", "act", "category", "claim_id"],
             "/contradictions/new": ["claim_a_id", "claim_b_id", "kind", "status", "note"]}
    csrf = token(analyst, "/claims/new")
    before = snapshot(app)
    for path, names in forms.items():
        for value in ODD:
            response = analyst.post(path, data={**dict.fromkeys(names, value), "csrf_token": csrf})
            assert response.status_code == 422, (path, value, response.status_code)
    fields = form_fields(text(analyst.get(f"/claims/{d.claim}/edit")))
    for version, status in (("", 422), ("abc", 422), ("-1", 422), ("9" * 30, 422), ("1.5", 422), ("0", 409),
                            ("2", 409)):
        response = analyst.post(f"/claims/{d.claim}/edit", data={**fields, "text": "edited", "version": version})
        assert response.status_code == status, (version, response.status_code)
    assert analyst.post(f"/claims/{d.claim}/edit", data={"csrf_token": csrf}).status_code == 422
    assert snapshot(app) == before


def test_odd_list_arguments_never_crash(app: Flask, users: Any, client_for: Any) -> None:
    build(app)
    viewer = client_for("viewer")
    before = snapshot(app)
    for noun in ("actors", "affiliations", "claims", "accusations", "contradictions"):
        for query in ("page=-1", "page=99999999999", "per_page=1000", "sort=%00", "sort=-bogus", "kind=\x00",
                      "q=%25%5F", "status=nope", "actor_id=9999999999999999999999", "accused_id=%00",
                      "from=never&to=1999-99", "on=yesterday", "claim_id=x", "q=" + "x" * 6000):
            response = viewer.get(f"/{noun}?{query}")
            assert response.status_code in (200, 400, 422), (noun, query, response.status_code)
    for path in ("/lookup/actors?q=%00", "/lookup/claims?q=" + "w " * 3000, "/lookup/categories?q=%25",
                 "/lookup/statements?q=%5C"):
        assert viewer.get(path).status_code == 200, path
    assert snapshot(app) == before
