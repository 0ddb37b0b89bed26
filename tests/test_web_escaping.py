"""Hostile text in every text field of the core nouns is shown as text on list and detail pages."""

from __future__ import annotations

from typing import Any

from flask import Flask

from claimdb.db import db
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES

from web_support import build, text

EVIL = "<script>alert(1)</script>"


def evil(field: str) -> str:
    return f"{EVIL}{field}"


def test_hostile_text_is_escaped_everywhere_it_is_shown(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    with app.app_context():
        def make(noun: str, **payload: Any) -> int:
            return int(lifecycle.create(db.session, RESOURCES[noun], payload)["id"])

        actor = make("actors", name=evil("name"), kind="group", description=evil("description"),
                     aliases=[{"name": evil("alias")}])
        claim = make("claims", text=evil("claim"), location=evil("location"), tags=[evil("tag")])
        other = make("claims", text=evil("other"))
        affiliation = make("affiliations", member_id=actor, organization_id=d.nusra, role="member",
                           note=evil("note"))
        accusation = make("accusations", statement_id=d.statement, accuser_id=actor, accused_id=d.hazzm,
                          act=evil("act"), category=evil("category"), claim_id=claim)
        contradiction = make("contradictions", claim_a_id=claim, claim_b_id=other, kind="other",
                             note=evil("cnote"))
    viewer = client_for("admin")
    pages = {
        "/actors": ["name", "alias"],
        f"/actors/{actor}": ["name", "alias", "description", "act", "category", "note"],
        "/claims": ["claim", "tag"],
        f"/claims/{claim}": ["claim", "location", "tag", "act", "other"],
        "/affiliations": ["name"],
        f"/affiliations/{affiliation}": ["name", "note"],
        "/accusations": ["act", "category", "name"],
        f"/accusations/{accusation}": ["act", "category", "name", "claim"],
        "/contradictions": ["claim", "other"],
        f"/contradictions/{contradiction}": ["claim", "other", "cnote"],
        f"/actors/{actor}/edit": ["name", "description", "alias"],
        f"/claims/{claim}/history": ["claim", "location", "tag"],
        "/": ["name"],
    }
    for path, fields in pages.items():
        page = text(viewer.get(path))
        assert "<script>alert(1)</script>" not in page, path
        for field in fields:
            assert f"&lt;script&gt;alert(1)&lt;/script&gt;{field}" in page, (path, field)
