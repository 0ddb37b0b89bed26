"""Shared fixtures: every test database is built by the real migrations, on SQLite and PostgreSQL.

Migrations run once per engine per session into a template; each test gets a cheap copy of it
(a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so tests are isolated and
services may commit freely. PostgreSQL runs only when CLAIMDB_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, pool, text

from claimdb import create_app, migrate
from claimdb.db import Base, db, normalize_url

from web_support import PASSWORD, login

PG_ENV = "CLAIMDB_TEST_DATABASE_URL"
# Optional: run only some engines' variants (CI's PostgreSQL leg sets "postgresql" after the SQLite leg).
ENGINES_ENV = "CLAIMDB_TEST_ENGINES"


def _pg_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    return normalize_url(url) if url else None


def _pg_execute(admin_url: str, sql: str) -> None:
    engine = create_engine(admin_url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    admin = _pg_admin_url()
    if admin is None:
        pytest.skip(f"{PG_ENV} is not set")
    name = f"claimdb_tmpl_{uuid.uuid4().hex[:10]}"
    _pg_execute(admin, f'CREATE DATABASE "{name}"')
    migrate.upgrade(make_url(admin).set(database=name).render_as_string(hide_password=False))
    yield name
    _pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, fully migrated database for one test."""
    engines = os.environ.get(ENGINES_ENV)
    if engines and request.param not in engines.split(","):
        pytest.skip(f"{ENGINES_ENV}={engines}: this run leaves {request.param} out")
    if request.param == "sqlite":
        target = tmp_path / "claimdb.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    if request.node.get_closest_marker("fresh_database") is None:
        url = request.getfixturevalue("pg_shared")
        _empty(url)
        yield url
        return
    template = request.getfixturevalue("pg_template")
    admin = _pg_admin_url()
    assert admin is not None
    name = f"claimdb_test_{uuid.uuid4().hex[:12]}"
    _pg_execute(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    _pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_shared(pg_template: str) -> Iterator[str]:
    """One migrated PostgreSQL database the tests share, emptied before each test: far cheaper than
    a clone per test. Tests that change the schema itself ask for `@pytest.mark.fresh_database`."""
    admin = _pg_admin_url()
    assert admin is not None
    name = f"claimdb_shared_{uuid.uuid4().hex[:10]}"
    _pg_execute(admin, f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    _pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty(url: str) -> None:
    """Every table emptied and every id sequence restarted, as if just migrated."""
    engine = create_engine(normalize_url(url), poolclass=pool.NullPool)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '20s'"))  # a leaked transaction fails loudly, never hangs
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test",
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if not database_url.startswith("sqlite"):
        # A response a test did not read to the end (a streamed export) still holds a connection;
        # finalize it now, while its database exists. Left to a later garbage collection, it would
        # fail against the dropped database inside psycopg's C code, and that has been seen to
        # corrupt CPython 3.11's recursion counter ("AST constructor recursion depth mismatch").
        gc.collect()


@pytest.fixture
def session(app: Flask) -> Iterator[Any]:
    """The app's session inside an app context, for service-level tests."""
    with app.app_context():
        yield db.session


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashes() -> Iterator[str]:
    """Cheap password hashes for the whole suite: scrypt's deliberate slowness (tens of milliseconds per
    sign-in) would dominate it. Real hashes and the unknown-user stand-in change alike, so the tests of
    equal work still compare like with like; claimdb itself always uses scrypt."""
    from claimdb.services import users as user_service

    saved = user_service.PASSWORD_METHOD
    user_service.PASSWORD_METHOD = "pbkdf2:sha256:1000"
    yield user_service.PASSWORD_METHOD
    user_service.PASSWORD_METHOD = saved


@pytest.fixture(scope="session")
def password_hash(fast_password_hashes: str) -> str:
    """PASSWORD hashed once: a hash per user per test would still add up."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, fast_password_hashes)


@pytest.fixture
def users(app: Flask, password_hash: str) -> dict[str, Any]:
    """One user per role, named after it: viewer, analyst, admin (password PASSWORD)."""
    from claimdb.models import User

    with app.app_context():
        made = [User(username=role, password_hash=password_hash, role=role, active=True)
                for role in ("viewer", "analyst", "admin")]
        db.session.add_all(made)
        db.session.commit()
        return {user.role: user.id for user in made}


@pytest.fixture
def client_for(app: Flask, users: dict[str, Any]) -> Any:
    """client_for("analyst") -> a test client logged in with that role (CSRF on)."""

    def make(role: str) -> FlaskClient:
        return login(app.test_client(), role)

    return make


@pytest.fixture
def api_for(app: Flask, users: dict[str, Any]) -> Any:
    """api_for("analyst") -> headers with a bearer token for that role."""
    from claimdb.models import User
    from claimdb.services import users as user_service

    def make(role: str) -> dict[str, str]:
        with app.app_context():
            user = db.session.get(User, users[role])
            return {"Authorization": f"Bearer {user_service.create_token(db.session, user)}"}

    return make


@pytest.fixture
def demo(app: Flask) -> Any:
    """The sample article's dataset, loaded through the real import."""
    from claimdb.services.exchange import demo as demo_service

    with app.app_context():
        return demo_service.load(db.session)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An anonymous test client (API tests add Bearer headers per request)."""
    return app.test_client()


@pytest.fixture
def data(app: Flask) -> dict[str, int]:
    """A small data set for the API tests, made through the record services (ids by name)."""
    from api_support import build

    return build(app)


@pytest.fixture
def both_engines(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, str]:
    """An empty migrated SQLite file and the emptied shared PostgreSQL database, for tests that compare
    the two engines on the same data (skipped without CLAIMDB_TEST_DATABASE_URL)."""
    if not os.environ.get("CLAIMDB_TEST_DATABASE_URL"):
        pytest.skip("CLAIMDB_TEST_DATABASE_URL is not set")
    sqlite_file = tmp_path / "same.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), sqlite_file)
    pg_url = request.getfixturevalue("pg_shared")
    _empty(pg_url)
    return f"sqlite:///{sqlite_file}", pg_url
