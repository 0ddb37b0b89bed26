"""Administration pages: users (create, role, deactivate, reset password) and API tokens."""

from __future__ import annotations

import re
from typing import Any

from conftest import login
from flask import Flask

from claimdb.db import db
from claimdb.services import users as user_service

from web_support import text, token


def test_an_admin_manages_users(app: Flask, users: Any, client_for: Any) -> None:
    admin = client_for("admin")
    response = admin.post("/admin/users", data={"username": "Vera", "role": "analyst", "password": "pw-vera-1234",
                                                "csrf_token": token(admin, "/admin/users")})
    assert response.status_code == 302
    page = text(admin.get("/admin/users"))
    assert "vera" in page
    with app.app_context():
        found = user_service.find_user(db.session, "vera")
        assert found is not None and found.role == "analyst"
        vera_id = found.id

    refused = admin.post("/admin/users", data={"username": "vera", "role": "viewer", "password": "short",
                                               "csrf_token": token(admin, "/admin/users")})
    assert refused.status_code == 422 and 'value="vera"' in text(refused)

    csrf = token(admin, "/admin/users")
    assert admin.post(f"/admin/users/{vera_id}/role", data={"role": "viewer", "csrf_token": csrf}).status_code == 302
    vera = login(app.test_client(), "vera", "pw-vera-1234")
    assert vera.get("/claims/new").status_code == 403

    assert admin.post(f"/admin/users/{vera_id}/password", data={"password": "pw-new-5678", "csrf_token": csrf}
                      ).status_code == 302
    login(app.test_client(), "vera", "pw-new-5678")

    assert admin.post(f"/admin/users/{vera_id}/deactivate", data={"csrf_token": csrf}).status_code == 302
    assert vera.get("/claims").status_code == 302  # signed out at once
    fresh = app.test_client()
    response = fresh.post("/login", data={"username": "vera", "password": "pw-new-5678",
                                          "csrf_token": token(fresh, "/login")})
    assert response.status_code == 200 and "deactivated" in text(response)
    assert admin.post(f"/admin/users/{vera_id}/reactivate", data={"csrf_token": csrf}).status_code == 302
    login(app.test_client(), "vera", "pw-new-5678")


def test_an_admin_cannot_lock_themself_out(app: Flask, users: Any, client_for: Any) -> None:
    admin = client_for("admin")
    csrf = token(admin, "/admin/users")
    assert admin.post(f"/admin/users/{users['admin']}/deactivate", data={"csrf_token": csrf}).status_code == 403
    assert admin.post(f"/admin/users/{users['admin']}/role", data={"role": "viewer", "csrf_token": csrf}
                      ).status_code == 403
    assert admin.get("/admin/users").status_code == 200


def test_api_tokens_are_shown_once_and_can_be_revoked(app: Flask, users: Any, client_for: Any) -> None:
    admin = client_for("admin")
    response = admin.post("/admin/tokens", data={"label": "ingest <script>",
                                                 "csrf_token": token(admin, "/admin/tokens")})
    page = text(response)
    assert response.status_code == 201
    secret = re.search(r'id="new-token"[^>]*value="([^"]+)"', page).group(1)
    assert "ingest &lt;script&gt;" in page and "data-copy" in page
    api = app.test_client()
    assert api.get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listing = text(admin.get("/admin/tokens"))
    assert secret not in listing and "admin" in listing
    token_id = re.search(r"/admin/tokens/(\d+)/revoke", listing).group(1)
    assert admin.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": token(admin, "/admin/tokens")}
                      ).status_code == 302
    assert api.get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "Revoked" in text(admin.get("/admin/tokens"))
