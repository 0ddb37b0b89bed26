"""Response headers (CSP without inline script, nosniff, framing, referrer), production settings,
and private database and instance files."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from claimdb import create_app, migrate
from claimdb.paths import STATIC, TEMPLATES

from web_support import build, login, text

SECRET_32 = "k" * 32


def csp_directives(value: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in value.split(";") if part.strip()}


def assert_secure_headers(response: Any, where: str) -> None:
    headers = response.headers
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin"), where
    csp = csp_directives(headers.get("Content-Security-Policy", ""))
    assert csp.get("frame-ancestors") == "frame-ancestors 'none'", where
    assert csp.get("object-src") == "object-src 'none'", where
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in csp.get(directive, "") and "'unsafe-eval'" not in csp.get(directive, ""), where
    assert csp.get("script-src") == "script-src 'self'", where


def test_every_kind_of_response_carries_the_headers(app: Flask, users: Any, client_for: Any, api_for: Any) -> None:
    d = build(app)
    anonymous = app.test_client()
    analyst = client_for("analyst")
    for client, path in ((anonymous, "/login"), (anonymous, "/claims"), (anonymous, "/static/claimdb.css"),
                         (analyst, "/"), (analyst, f"/sources/{d.source}"), (analyst, "/no/such/page"),
                         (analyst, f"/claims/{d.claim}/edit"), (analyst, "/reports/contradictions?format=csv")):
        assert_secure_headers(client.get(path), path)
    api = app.test_client()
    for path, headers in (("/api/v1/claims", api_for("viewer")), ("/api/v1/claims", {}),
                          ("/api/v1/openapi.json", {}), ("/api/v1/claims/999999", api_for("viewer"))):
        response = api.get(path, headers=headers)
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert_secure_headers(response, path)


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_script_or_style_that_the_policy_would_block() -> None:
    found = []
    for path in [*Path(TEMPLATES).rglob("*.html"), *Path(STATIC).rglob("*.svg")]:
        source = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(source):
                found.append(f"{path.name}: {what}: {match.group(0)!r}")
    assert not found, found


def test_rendered_pages_have_no_inline_script(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    admin = client_for("admin")
    for path in ("/", "/login", f"/sources/{d.source}", f"/statements/{d.statement}", "/statements/new",
                 "/admin/users", "/admin/tokens", "/search?speaker=nusra", "/reports/contradictions"):
        page = text(admin.get(path))
        for pattern, what in INLINE:
            assert not pattern.search(page), f"{path}: {what}"


def production(tmp_path: Path, **extra: Any) -> Flask:
    return create_app({"ENV": "production", "DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path), **extra})


def test_production_makes_cookies_secure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMDB_SESSION_COOKIE_SECURE", raising=False)
    app = production(tmp_path, SECRET_KEY=SECRET_32)
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    development = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert development.config["SESSION_COOKIE_SECURE"] is False


def test_production_sends_the_session_cookie_with_secure(tmp_path: Path, database_url: str,
                                                         password_hash: str) -> None:
    from claimdb.db import db
    from claimdb.models import User

    app = create_app({"ENV": "production", "TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_32,
                      "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        db.session.add(User(username="analyst", password_hash=password_hash, role="analyst", active=True))
        db.session.commit()
    client = app.test_client()
    page = client.get("/login", base_url="https://localhost")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(page)).group(1)  # type: ignore[union-attr]
    from web_support import PASSWORD

    response = client.post("/login", base_url="https://localhost", headers={"Referer": "https://localhost/login"},
                           data={"username": "analyst", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    # (Flask-Login also sends an expired remember_token to clear it: a deletion carries nothing.)
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "Max-Age=0" not in c]
    assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies), cookies
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("key", [None, "", "short-but-set", "k" * 31, b"b" * 31])
def test_production_refuses_a_missing_or_short_secret_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          key: Any) -> None:
    monkeypatch.delenv("CLAIMDB_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match=r"CLAIMDB_SECRET_KEY.*at least 32 bytes"):
        production(tmp_path, SECRET_KEY=key)
    assert production(tmp_path, SECRET_KEY=SECRET_32).config["SECRET_KEY"] == SECRET_32


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    database = folder / "claimdb.sqlite3"
    migrate.upgrade(f"sqlite:///{database}")
    assert mode(folder) == 0o700
    assert mode(database) == 0o600
    for companion in folder.iterdir():
        assert mode(companion) & 0o077 == 0, companion


def test_the_generated_secret_key_and_its_folder_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMDB_SECRET_KEY", raising=False)
    folder = tmp_path / "fresh-instance"
    create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(folder)})
    assert mode(folder) == 0o700
    assert mode(folder / "secret_key") == 0o600


def test_login_page_still_works_with_the_policy(app: Flask, users: Any) -> None:
    """The page sets its `js` class from the static script now (no inline script)."""
    page = text(app.test_client().get("/login"))
    assert 'class="no-js"' in page and "/static/claimdb.js" in page
    login(app.test_client(), "analyst")
