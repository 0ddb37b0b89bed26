"""Secrets stay secret: passwords, password hashes, session keys and API tokens never reach the logs,
the audit trail, pages or exports; and the audit trail is written only by services, never edited."""

from __future__ import annotations

import ast
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text as sql

from claimdb.db import db
from claimdb.models import AuditEntry, User, UserSession
from claimdb.paths import STATIC

from web_support import PASSWORD, build, login, text, token

PACKAGE = Path(STATIC).parent
NEW_PASSWORD = "pw-brand-new-4711"


def secrets_of(app: Flask, *tokens: str) -> list[str]:
    """Everything that must never be shown: passwords, hashes, session keys, tokens."""
    with app.app_context():
        found = [PASSWORD, NEW_PASSWORD, *tokens]
        for user in db.session.query(User).all():
            found += [user.password_hash, user.password_hash.rsplit("$", 1)[-1], user.session_key]
        found += [row.key_hash for row in db.session.query(UserSession).all()]
        return found


def test_user_changes_are_audited_without_secrets(app: Flask, users: Any, client_for: Any, api_for: Any,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    admin = client_for("admin")
    bearer = api_for("admin")["Authorization"].split()[1]
    csrf = token(admin, "/admin/users")
    admin.post("/admin/users", data={"username": "vera", "role": "analyst", "password": NEW_PASSWORD,
                                     "csrf_token": csrf})
    refused = admin.post("/admin/users", data={"username": "vera", "role": "analyst", "password": NEW_PASSWORD,
                                               "csrf_token": csrf})
    assert refused.status_code == 422 and NEW_PASSWORD not in text(refused)
    with app.app_context():
        vera = db.session.query(User).filter_by(username="vera").one().id
    admin.post(f"/admin/users/{vera}/role", data={"role": "viewer", "csrf_token": csrf})
    admin.post(f"/admin/users/{vera}/password", data={"password": NEW_PASSWORD + "x", "csrf_token": csrf})
    admin.post(f"/admin/users/{vera}/deactivate", data={"csrf_token": csrf})
    admin.post(f"/admin/users/{vera}/delete", data={"csrf_token": csrf})
    created = admin.post("/admin/tokens", data={"label": "ingest", "csrf_token": token(admin, "/admin/tokens")})
    shown = re.search(r'id="new-token"[^>]*value="([^"]+)"', text(created)).group(1)  # type: ignore[union-attr]
    app.test_client().get("/api/v1/claims", headers={"Authorization": f"Bearer {shown}"})
    app.test_client().get("/api/v1/claims", headers={"Authorization": "Bearer cdb_not-a-real-token"})
    failed = app.test_client()
    bad = failed.post("/login", data={"username": "analyst", "password": NEW_PASSWORD,
                                      "csrf_token": token(failed, "/login")})
    assert NEW_PASSWORD not in text(bad)

    with app.app_context():
        entries = db.session.query(AuditEntry).filter_by(entity="user").order_by(AuditEntry.id).all()
        assert [e.action for e in entries] == ["create", "update", "update", "update", "delete"]
        assert entries[2].after is not None and entries[2].after.get("password") == "changed"
        trail = json.dumps([[e.before, e.after] for e in entries])
    assert "password_hash" not in trail and "session_key" not in trail
    for secret in secrets_of(app, bearer, shown, NEW_PASSWORD + "x"):
        assert secret not in trail
        assert secret not in caplog.text
    assert shown not in text(admin.get("/admin/tokens"))


def test_exports_carry_no_account_data(app: Flask, users: Any, client_for: Any, api_for: Any) -> None:
    build(app)
    headers = api_for("analyst")
    client = app.test_client()
    bodies = [client.get("/api/v1/export", headers=headers).get_data(as_text=True),
              client.get("/api/v1/export?format=claimreview", headers=headers).get_data(as_text=True)]
    bodies += [client.get(f"/api/v1/export?format=csv&entity={entity}", headers=headers).get_data(as_text=True)
               for entity in ("actors", "affiliations", "sources", "statements", "claims", "accusations",
                              "contradictions")]
    bodies.append(text(client_for("analyst").get("/reports/contradictions?format=csv")))
    secrets = secrets_of(app, headers["Authorization"].split()[1])
    for body in bodies:
        assert "password" not in body.lower() and "token_hash" not in body
        for secret in secrets:
            assert secret not in body


def test_a_logged_database_error_does_not_show_the_values(app: Flask) -> None:
    """Database errors are logged (handlers.database_busy); their text must not carry bound values."""
    with app.app_context():
        with pytest.raises(Exception) as failed:
            db.session.execute(sql("SELECT * FROM no_such_table WHERE x = :secret"), {"secret": "hunter2-hash"})
        db.session.rollback()
    assert "hunter2-hash" not in str(failed.value)


def test_no_route_can_write_the_audit_trail(app: Flask, users: Any, client_for: Any) -> None:
    # 1. History pages are read-only: every rule that shows the trail answers GET only.
    for rule in app.url_map.iter_rules():
        if "history" in rule.rule or "audit" in rule.rule:
            assert rule.methods is not None and rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule
    # 2. Nothing outside the services (and the model) touches AuditEntry or audit.record.
    writers = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(("services/", "models/")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "AuditEntry":
                writers.append(f"{relative}: AuditEntry")
            if isinstance(node, ast.Attribute) and node.attr == "record" and \
                    isinstance(node.value, ast.Name) and node.value.id == "audit":
                writers.append(f"{relative}: audit.record")
    assert not writers, writers
    # 3. Writing methods on a history page are refused, whoever asks.
    d = build(app)
    admin = client_for("admin")
    csrf = token(admin)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = admin.open(f"/claims/{d.claim}/history", method=method, data={"csrf_token": csrf})
        assert response.status_code == 405, method
    with app.app_context():
        before = db.session.query(AuditEntry).count()
    login(app.test_client(), "analyst")
    with app.app_context():
        assert db.session.query(AuditEntry).count() == before
