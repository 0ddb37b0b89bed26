"""Every route of the core web pages, for every role: the right status, table-driven."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from web_support import Data, build, snapshot, text, token

NOUNS = ("actors", "affiliations", "claims", "accusations", "contradictions")
READ, WRITE, ADMIN = "viewer", "analyst", "admin"


def routes(d: Data) -> list[tuple[str, str, str]]:
    """(method, path, least role that may use it)."""
    ids = {"actors": d.sham, "affiliations": d.affiliation, "claims": d.other_claim,
           "accusations": d.accusation, "contradictions": d.contradiction}
    table = [("GET", "/", READ), ("GET", "/api", READ),
             ("GET", "/lookup/actors?q=nusra", READ), ("GET", "/lookup/claims?q=hazzm", READ),
             ("GET", "/lookup/categories?q=k", READ), ("GET", "/lookup/statements?q=hazzm", READ),
             ("GET", "/admin/users", ADMIN), ("GET", "/admin/tokens", ADMIN)]
    for noun in NOUNS:
        i = ids[noun]
        table += [("GET", f"/{noun}", READ), ("GET", f"/{noun}/{i}", READ), ("GET", f"/{noun}/{i}/history", READ),
                  ("GET", f"/{noun}/new", WRITE), ("GET", f"/{noun}/{i}/edit", WRITE)]
    return table


RANK = {None: -1, READ: 0, WRITE: 1, ADMIN: 2}


@pytest.mark.parametrize("role", [None, READ, WRITE, ADMIN])
def test_every_page_answers_each_role_as_it_should(app: Flask, users: Any, client_for: Any, role: str | None) -> None:
    d = build(app)
    client = client_for(role) if role else app.test_client()
    wrong = []
    for method, path, least in routes(d):
        response = client.open(path, method=method)
        if role is None:
            ok = response.status_code == 302 and "/login" in response.headers["Location"]
        elif RANK[role] >= RANK[least]:
            ok = response.status_code == 200
        else:
            ok = response.status_code == 403
        if not ok:
            wrong.append(f"{method} {path} -> {response.status_code}")
    assert not wrong, f"{role}: {wrong}"


@pytest.mark.parametrize("role", [None, READ, WRITE])
def test_only_admins_delete(app: Flask, users: Any, client_for: Any, role: str | None) -> None:
    d = build(app)
    client = client_for(role) if role else app.test_client()
    csrf = token(client, "/login" if role is None else "/")
    before = snapshot(app)
    for noun, i in (("claims", d.other_claim), ("contradictions", d.contradiction), ("actors", d.sham)):
        response = client.post(f"/{noun}/{i}/delete", data={"csrf_token": csrf})
        if role is None:
            assert response.status_code == 302 and "/login" in response.headers["Location"], noun
        else:
            assert response.status_code == 403, (noun, response.status_code)
    assert snapshot(app) == before


def test_writes_are_refused_to_viewers_even_with_a_valid_token(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    viewer = client_for(READ)
    csrf = token(viewer, "/claims")
    before = snapshot(app)
    assert viewer.post("/claims/new", data={"text": "viewer claim", "csrf_token": csrf}).status_code == 403
    assert viewer.post(f"/claims/{d.claim}/edit", data={"text": "x", "version": "1", "csrf_token": csrf}
                       ).status_code == 403
    assert viewer.post("/lookup/actors", json={"name": "Viewer Actor"}, headers={"X-CSRFToken": csrf}
                       ).status_code == 403
    assert snapshot(app) == before


def test_admin_deletes_and_the_history_outlives_the_record(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    admin = client_for(ADMIN)
    response = admin.post(f"/contradictions/{d.contradiction}/delete", data={"csrf_token": token(admin)})
    assert response.status_code == 302 and response.headers["Location"] == "/contradictions"
    assert admin.get(f"/contradictions/{d.contradiction}").status_code == 404
    history = admin.get(f"/contradictions/{d.contradiction}/history")
    assert history.status_code == 200 and "admin" in text(history) and "deleted" in text(history)
    assert admin.get("/contradictions/999999/history").status_code == 404


def test_unknown_and_huge_ids_are_not_found(app: Flask, users: Any, client_for: Any) -> None:
    build(app)
    analyst = client_for(WRITE)
    for path in ("/actors/999999", "/claims/99999999999999999999", "/actors/0/edit", "/claims/abc",
                 "/contradictions/2147483648"):
        assert analyst.get(path).status_code == 404, path


def test_login_is_required_and_next_is_only_followed_to_local_paths(app: Flask, users: Any) -> None:
    from conftest import PASSWORD

    client = app.test_client()
    response = client.get("/claims?status=disputed")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    for target, expected in (("/claims", "/claims"), ("//evil.example/x", "/"), ("https://evil.example/", "/"),
                             ("/\\evil.example", "/")):
        fresh = app.test_client()
        csrf = token(fresh, "/login")
        done = fresh.post("/login", query_string={"next": target},
                          data={"username": "analyst", "password": PASSWORD, "csrf_token": csrf})
        assert done.status_code == 302 and done.headers["Location"] == expected, target


def test_wrong_password_and_logout(app: Flask, users: Any, client_for: Any) -> None:
    client = app.test_client()
    csrf = token(client, "/login")
    bad = client.post("/login", data={"username": "analyst", "password": "nope-nope", "csrf_token": csrf})
    assert bad.status_code == 200 and "Wrong username or password" in text(bad)
    assert 'value="analyst"' in text(bad)
    analyst = client_for(WRITE)
    assert analyst.post("/logout", data={}).status_code == 400  # no token: a forged logout does nothing
    assert analyst.get("/claims").status_code == 200
    assert analyst.post("/logout", data={"csrf_token": token(analyst)}).status_code == 302
    assert analyst.get("/claims").status_code == 302
