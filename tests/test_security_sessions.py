"""Sessions that end: logout ends that session, and a password change, deactivation or deletion ends all."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from claimdb.db import db
from claimdb.models import User
from claimdb.services import users as user_service

from web_support import PASSWORD, login, text, token

SESSION_COOKIE = "session"


def cookie_of(client: FlaskClient) -> str:
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie is not None, "not signed in"
    return cookie.value


def with_cookie(app: Flask, value: str) -> FlaskClient:
    """A fresh browser that was handed a copy of somebody's session cookie."""
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, value)
    return thief


def signed_in(client: FlaskClient) -> bool:
    return client.get("/claims").status_code == 200


def test_a_copied_cookie_stops_working_after_logout(app: Flask, users: Any) -> None:
    analyst = login(app.test_client(), "analyst")
    copy = cookie_of(analyst)
    assert signed_in(with_cookie(app, copy))
    assert analyst.post("/logout", data={"csrf_token": token(analyst)}).status_code == 302
    assert not signed_in(analyst)
    assert not signed_in(with_cookie(app, copy))
    api = with_cookie(app, copy).get("/api/v1/claims")
    assert api.status_code == 401


def test_logout_ends_only_that_session(app: Flask, users: Any) -> None:
    laptop, phone = login(app.test_client(), "analyst"), login(app.test_client(), "analyst")
    laptop.post("/logout", data={"csrf_token": token(laptop)})
    assert not signed_in(laptop) and signed_in(phone)


def test_a_password_reset_ends_every_session_of_that_user_only(app: Flask, users: Any, client_for: Any) -> None:
    laptop, phone = login(app.test_client(), "analyst"), login(app.test_client(), "analyst")
    copy = cookie_of(laptop)
    viewer = client_for("viewer")
    admin = client_for("admin")
    response = admin.post(f"/admin/users/{users['analyst']}/password",
                          data={"password": "pw-new-98765", "csrf_token": token(admin, "/admin/users")})
    assert response.status_code == 302
    assert not signed_in(laptop) and not signed_in(phone) and not signed_in(with_cookie(app, copy))
    assert signed_in(viewer) and signed_in(admin)
    assert signed_in(login(app.test_client(), "analyst", "pw-new-98765"))


def test_a_password_set_by_the_service_ends_sessions_too(app: Flask, users: Any) -> None:
    analyst = login(app.test_client(), "analyst")
    with app.app_context():
        user_service.set_password(db.session, db.session.get(User, users["analyst"]), "pw-changed-123")
    assert not signed_in(analyst)


def test_deactivation_ends_sessions_and_revokes_tokens_even_after_reactivation(app: Flask, users: Any,
                                                                                client_for: Any,
                                                                                api_for: Any) -> None:
    analyst = client_for("analyst")
    bearer = api_for("analyst")
    admin = client_for("admin")
    csrf = token(admin, "/admin/users")
    assert admin.get("/api/v1/claims").status_code == 200
    assert app.test_client().get("/api/v1/claims", headers=bearer).status_code == 200
    admin.post(f"/admin/users/{users['analyst']}/deactivate", data={"csrf_token": csrf})
    admin.post(f"/admin/users/{users['analyst']}/reactivate", data={"csrf_token": csrf})
    # Reactivated, the account may sign in again, but nothing issued before deactivation comes back.
    assert not signed_in(analyst)
    assert app.test_client().get("/api/v1/claims", headers=bearer).status_code == 401
    assert signed_in(login(app.test_client(), "analyst"))


def test_deleting_a_user_ends_their_sessions_and_tokens(app: Flask, users: Any, client_for: Any,
                                                        api_for: Any) -> None:
    analyst = client_for("analyst")
    bearer = api_for("analyst")
    admin = client_for("admin")
    response = admin.post(f"/admin/users/{users['analyst']}/delete",
                          data={"csrf_token": token(admin, "/admin/users")})
    assert response.status_code == 302
    assert not signed_in(analyst)
    assert app.test_client().get("/api/v1/claims", headers=bearer).status_code == 401
    assert "analyst" not in [u.username for u in _all_users(app)]
    refused = admin.post(f"/admin/users/{users['admin']}/delete", data={"csrf_token": token(admin, "/admin/users")})
    assert refused.status_code == 403


def _all_users(app: Flask) -> list[User]:
    with app.app_context():
        return user_service.list_users(db.session)


def test_a_remember_cookie_alone_never_signs_in(app: Flask, users: Any) -> None:
    """Flask-Login restores a session from a remember cookie through the same loader; without a live
    server-side session it gets nobody."""
    from flask_login.utils import encode_cookie

    with app.app_context():
        remember = encode_cookie(db.session.get(User, users["analyst"]).get_id())
    browser = app.test_client()
    browser.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert not signed_in(browser)


def test_an_idle_session_expires(app: Flask, users: Any) -> None:
    import datetime as dt

    from claimdb.models import UserSession

    analyst = login(app.test_client(), "analyst")
    with app.app_context():
        for row in db.session.query(UserSession).all():
            row.last_seen_at = row.last_seen_at - user_service.SESSION_IDLE - dt.timedelta(minutes=1)
        db.session.commit()
    assert not signed_in(analyst)


def test_the_old_admin_flow_still_reads_right(app: Flask, users: Any, client_for: Any) -> None:
    admin = client_for("admin")
    admin.post(f"/admin/users/{users['viewer']}/deactivate", data={"csrf_token": token(admin, "/admin/users")})
    page = text(admin.get("/admin/users"))
    assert "Deactivated" in page and f"/admin/users/{users['viewer']}/delete" in page
    assert PASSWORD not in page


def test_an_api_call_with_a_token_neither_reads_nor_writes_the_cookie_session(app: Flask, users: Any,
                                                                              api_for: Any,
                                                                              monkeypatch: Any) -> None:
    browser = login(app.test_client(), "admin")
    opened: list[str] = []
    signer = app.session_interface.get_signing_serializer
    monkeypatch.setattr(app.session_interface, "get_signing_serializer",
                        lambda a: opened.append("cookie") or signer(a))
    read = browser.get("/api/v1/claims", headers=api_for("viewer"))
    assert read.status_code == 200 and opened == []
    assert "Set-Cookie" not in read.headers and "Cookie" not in read.headers.get("Vary", "")
    # Judged by the token alone: the admin's cookie rides along, the viewer's token may not delete.
    assert browser.delete("/api/v1/claims/1", headers=api_for("viewer")).status_code == 403
    assert browser.get("/api/v1/claims", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert opened == []
    assert browser.get("/api/v1/claims").status_code == 200 and opened  # the cookie alone still signs in


def test_a_page_asked_with_a_token_is_answered_as_its_owner(app: Flask, users: Any, api_for: Any) -> None:
    headers = api_for("viewer")
    assert app.test_client().get("/claims", headers=headers).status_code == 200
    assert app.test_client().get("/admin/users", headers=headers).status_code == 403
    with app.app_context():
        user_service.set_active(db.session, db.session.get(User, users["viewer"]), False)
    assert app.test_client().get("/claims", headers=headers).status_code == 302
