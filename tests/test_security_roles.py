"""The role matrix: every route and method of the app, for every kind of caller, answers as the
route's declared role says. The expectations come from route metadata, never from a hand-kept list:
a web view declares its role with `auth.require(role)` (which records it on the view), the API's
role follows the method (`api.auth_checks.required_role`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimdb.api import auth_checks
from claimdb.auth import RANK
from claimdb.db import db
from claimdb.models import User
from claimdb.services import users as user_service

from web_support import login, token

# Open to anyone by design: the sign-in page and static files (there is no health endpoint yet).
OPEN_ENDPOINTS = frozenset({"web.login", "static"})
MISSING_ID = 999_999  # every id route resolves to "not found" once the caller is allowed in


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    endpoint: str
    api: bool
    role: str | None  # None: open to anyone


def declared_role(app: Flask, endpoint: str, method: str, path: str) -> str | None:
    if path.startswith("/api/"):
        return None if endpoint in auth_checks.PUBLIC_ENDPOINTS else auth_checks.required_role(method)
    return getattr(app.view_functions[endpoint], "required_role", None)


def all_routes(app: Flask) -> list[Route]:
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {name: MISSING_ID for name in rule.arguments}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            path = adapter.build(rule.endpoint, values, method=method)
            found.append(Route(method, path, rule.endpoint, path.startswith("/api/"),
                               declared_role(app, rule.endpoint, method, path)))
    # Signing out ends the caller's session: walk it last.
    return sorted(found, key=lambda r: r.endpoint == "web.logout")


def test_every_route_declares_who_may_use_it(app: Flask) -> None:
    routes = all_routes(app)
    assert len(routes) > 100
    undeclared = [f"{r.method} {r.path} ({r.endpoint})" for r in routes
                  if r.role is None and r.endpoint not in OPEN_ENDPOINTS and
                  r.endpoint not in auth_checks.PUBLIC_ENDPOINTS]
    assert not undeclared, f"routes without auth.require(role): {undeclared}"


@dataclass
class Caller:
    """How one kind of caller reaches the web pages and the API."""

    role: str | None  # None: treated as anonymous
    web: FlaskClient
    api: FlaskClient
    api_headers: dict[str, str]


def _bearer(app: Flask, user_id: int) -> str:
    with app.app_context():
        return user_service.create_token(db.session, db.session.get(User, user_id))


def caller(kind: str, app: Flask, users: dict[str, int]) -> Caller:
    if kind == "anonymous":
        client = app.test_client()
        return Caller(None, client, client, {})
    if kind in RANK:
        return Caller(kind, login(app.test_client(), kind), app.test_client(),
                      {"Authorization": f"Bearer {_bearer(app, users[kind])}"})
    if kind == "deactivated":  # an analyst's browser and token from before an admin deactivated them
        browser = login(app.test_client(), "analyst")
        old_token = _bearer(app, users["analyst"])
        with app.app_context():
            user_service.set_active(db.session, db.session.get(User, users["analyst"]), False)
        return Caller(None, browser, browser, {"Authorization": f"Bearer {old_token}"})
    assert kind == "revoked"  # a bearer token an admin revoked, sent to pages and API alike
    revoked = _bearer(app, users["admin"])
    with app.app_context():
        user_service.revoke_token(db.session, user_service.list_tokens(db.session)[-1][0].id)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {revoked}"
    return Caller(None, client, client, {"Authorization": f"Bearer {revoked}"})


def verdict(route: Route, role: str | None, status: int, location: str) -> str | None:
    """What is wrong with this answer, or None."""
    if status >= 500:
        return "server error"
    if route.role is None:
        open_by_design = route.endpoint in OPEN_ENDPOINTS or route.endpoint in auth_checks.PUBLIC_ENDPOINTS
        return None if open_by_design else "no declared role"
    # Refusal sends the browser to sign in and come back (?next=); logging out goes to plain /login.
    to_login = status in (302, 303) and location.startswith("/login?next=")
    if role is None:
        expected = "401" if route.api else "redirect to /login"
        ok = status == 401 if route.api else to_login
        return None if ok else f"expected {expected}"
    if RANK[role] < RANK[route.role]:
        return None if status == 403 else f"expected 403 (needs {route.role})"
    return None if status not in (401, 403) and not to_login else f"expected access ({route.role} may)"


@pytest.mark.parametrize("kind", ["anonymous", "viewer", "analyst", "admin", "deactivated", "revoked"])
def test_the_role_matrix(app: Flask, users: dict[str, int], kind: str) -> None:
    who = caller(kind, app, users)
    csrf = token(who.web, "/login" if who.role is None else "/")
    wrong = []
    for route in all_routes(app):
        if route.api:
            response = who.api.open(route.path, method=route.method, headers=who.api_headers,
                                    json={} if route.method in ("POST", "PATCH") else None)
        else:
            response = who.web.open(route.path, method=route.method, headers={"X-CSRFToken": csrf},
                                    data={"csrf_token": csrf} if route.method == "POST" else None)
        problem = verdict(route, who.role, response.status_code, response.headers.get("Location", ""))
        if problem:
            wrong.append(f"{route.method} {route.path}: {response.status_code}, {problem}")
    assert not wrong, f"{kind}:\n" + "\n".join(wrong)


def test_viewer_writes_and_analyst_deletes_are_declared_as_such(app: Flask) -> None:
    """The metadata itself says what the issue promises: viewers never write, analysts never delete."""
    for route in all_routes(app):
        if route.role is None:
            continue
        if route.method in ("POST", "PATCH", "PUT", "DELETE") and route.endpoint != "web.logout":
            assert route.role != "viewer" or route.endpoint.startswith("web.lookup"), route
        if route.method == "DELETE" or route.endpoint.endswith("_delete"):  # deleting a record
            assert route.role == "admin", route
