"""Sign-in throttling (per username and per address, kept in the database) and equal answers for
unknown users and wrong passwords."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimdb.db import db
from claimdb.models import LoginFailure
from claimdb.services import users as user_service

from web_support import PASSWORD, text, token


def attempt(client: FlaskClient, username: str, password: str, address: str = "192.0.2.1") -> Any:
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token(client, "/login")},
                       environ_base={"REMOTE_ADDR": address})


def test_ten_failures_lock_the_username_even_for_the_right_password(app: Flask, users: Any) -> None:
    client = app.test_client()
    for _ in range(user_service.MAX_FAILURES_PER_USER):
        assert attempt(client, "analyst", "wrong-password").status_code == 200
    locked = attempt(client, "analyst", PASSWORD)
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 15 * 60
    page = text(locked)
    assert "Too many failed sign-ins" in page and 'name="username"' in page
    # From another address too: the account is what is throttled.
    assert attempt(app.test_client(), "analyst", PASSWORD, "198.51.100.7").status_code == 429
    # Others sign in as usual.
    assert attempt(app.test_client(), "viewer", PASSWORD).status_code == 302


def test_fifty_failures_from_one_address_lock_that_address(app: Flask, users: Any) -> None:
    client = app.test_client()
    for i in range(user_service.MAX_FAILURES_PER_ADDRESS):
        attempt(client, f"nobody{i % 40}", "wrong-password", "203.0.113.9")
    assert attempt(client, "viewer", PASSWORD, "203.0.113.9").status_code == 429
    assert attempt(app.test_client(), "viewer", PASSWORD, "203.0.113.10").status_code == 302


def test_the_lock_lifts_when_the_window_passes(app: Flask, users: Any) -> None:
    client = app.test_client()
    for _ in range(user_service.MAX_FAILURES_PER_USER):
        attempt(client, "analyst", "wrong-password")
    assert attempt(client, "analyst", PASSWORD).status_code == 429
    with app.app_context():  # as if sixteen minutes had passed
        for row in db.session.query(LoginFailure).all():
            row.at = row.at - dt.timedelta(minutes=16)
        db.session.commit()
    assert attempt(client, "analyst", PASSWORD).status_code == 302
    with app.app_context():  # old rows are pruned, and a success forgets the user's failures
        assert db.session.query(LoginFailure).count() == 0


def test_throttled_attempts_are_not_counted(app: Flask, users: Any) -> None:
    """Hammering a locked account does not push the unlock time further away."""
    client = app.test_client()
    for _ in range(user_service.MAX_FAILURES_PER_USER + 5):
        attempt(client, "analyst", "wrong-password")
    with app.app_context():
        assert db.session.query(LoginFailure).count() == user_service.MAX_FAILURES_PER_USER


def test_throttling_survives_a_second_app_on_the_same_database(app: Flask, users: Any) -> None:
    """Another process (another app object) sees the same failures: they live in the database."""
    from claimdb import create_app

    for _ in range(user_service.MAX_FAILURES_PER_USER):
        attempt(app.test_client(), "analyst", "wrong-password")
    other = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test",
                        "INSTANCE_PATH": app.instance_path})
    try:
        assert attempt(other.test_client(), "analyst", PASSWORD).status_code == 429
    finally:
        with other.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("who", ["unknown", "wrong", "deactivated"])
def test_unknown_user_wrong_password_and_deactivated_do_the_same_work(app: Flask, users: Any,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      who: str) -> None:
    """Each costs exactly one password-hash check and answers with the same message."""
    if who == "deactivated":
        with app.app_context():
            from claimdb.models import User

            user_service.set_active(db.session, db.session.get(User, users["viewer"]), False)
    username, password = {"unknown": ("nobody-here", PASSWORD), "wrong": ("analyst", "wrong-password"),
                          "deactivated": ("viewer", PASSWORD)}[who]
    client = app.test_client()
    csrf = token(client, "/login")
    user_service._dummy_hash()  # made once per process, like the real hashes it stands for
    checked: list[str] = []
    real = user_service.check_password_hash

    def counting(pwhash: str, pw: str) -> bool:
        checked.append(pwhash)
        return real(pwhash, pw)

    monkeypatch.setattr(user_service, "check_password_hash", counting)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf})
    assert response.status_code == 200
    assert "Wrong username or password, or the account is deactivated." in text(response)
    assert len(checked) == 1
    # The stand-in hash is as slow as a real one: the same method and parameters.
    method = checked[0].split("$", 1)[0]
    with app.app_context():
        from claimdb.models import User

        assert method == db.session.get(User, users["analyst"]).password_hash.split("$", 1)[0]
