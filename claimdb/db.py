"""The database: one Flask-SQLAlchemy extension, the declarative Base, and engine settings."""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}


class Base(DeclarativeBase):
    """Every model; named constraints keep Alembic's batch rebuilds on SQLite stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def normalize_url(url: str) -> str:
    """Use psycopg 3 for a bare postgresql:// URL (the only PostgreSQL driver we install)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def configure_sqlite(engine: Engine, busy_timeout: int) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for anything that may write.

    pysqlite starts transactions lazily and a deferred transaction that later writes can fail at
    once with "database is locked" under concurrent writers; taking the write lock up front makes
    writers queue on the busy timeout instead. Read-only requests keep cheap deferred transactions.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint; WAL keeps it consistent
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: index pages of big imports and reports stay cached
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = has_request_context() and request.method in SAFE_METHODS
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def init_app(app: Flask) -> None:
    """Bind the extension to the app and tune the engine for its dialect."""
    url = normalize_url(app.config["DATABASE_URL"])
    app.config["DATABASE_URL"] = url
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # hide_parameters: a logged database error never shows the values it was writing (password hashes).
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": not url.startswith("sqlite"),
                                                        "hide_parameters": True})
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT"])
