"""The database: one Flask-SQLAlchemy extension, the declarative Base, and engine settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Flask, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

from claimdb.errors import DomainError, Invalid, Unavailable

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


def configure_sqlite(engine: Engine, busy_timeout: int, mmap_size: int = 0) -> None:
    """WAL, foreign keys, a busy timeout, memory-mapped reads, and BEGIN IMMEDIATE for anything that may write.

    pysqlite starts transactions lazily and a deferred transaction that later writes can fail at
    once with "database is locked" under concurrent writers; taking the write lock up front makes
    writers queue on the busy timeout instead. Read-only requests keep cheap deferred transactions.
    """

    database = make_url(engine.url).database or ""
    if database not in ("", ":memory:") and not database.startswith("file:") and not engine.url.query.get("uri"):
        path = Path(database).resolve()

        @event.listens_for(engine, "do_connect")
        def _never_create(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
            # Open the file read-write but never create it: a missing database is an error that says so
            # (only `claimdb init` makes one), not an empty database that loses everything silently.
            cargs[:] = [f"file:{quote(str(path))}?mode=rw"]
            cparams["uri"] = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint; WAL keeps it consistent
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: index pages of big imports and reports stay cached
        cursor.execute(f"PRAGMA mmap_size = {int(mmap_size)}")  # see config.Defaults.SQLITE_MMAP_SIZE
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = has_request_context() and request.method in SAFE_METHODS
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _in_memory(url: str) -> bool:
    return url.startswith("sqlite") and (url.rstrip("/") == "sqlite:" or ":memory:" in url or "mode=memory" in url)


def init_app(app: Flask) -> None:
    """Bind the extension to the app and tune the engine for its dialect."""
    url = normalize_url(app.config["DATABASE_URL"])
    app.config["DATABASE_URL"] = url
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # hide_parameters: a logged database error never shows the values it was writing (password hashes).
    # pool_use_lifo: the next request takes the connection used last, whose page and statement caches
    # are warm (SQLite keeps both per connection), instead of rotating through every pooled one.
    options: dict[str, Any] = {"pool_pre_ping": not url.startswith("sqlite"), "hide_parameters": True}
    if not _in_memory(url):  # an in-memory SQLite database has one connection (StaticPool): no queue
        options["pool_use_lifo"] = True
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT"], app.config["SQLITE_MMAP_SIZE"])


SQLITE_TOO_COMPLEX = ("expression tree is too large", "too many terms in compound select", "too many sql variables",
                      "like or glob pattern too complex", "parser stack overflow", "string or blob too big")
# PostgreSQL SQLSTATE classes: 08 connection exception, 57P admin shutdown / crash / cannot connect now.
PG_GONE = ("08", "57P")
# What a connection attempt says while the server is down, restarting or unreachable (no SQLSTATE then).
PG_GONE_SAYS = ("connection failed", "could not connect", "connection refused", "connection reset",
                "server closed the connection", "terminating connection", "the database system is shutting down",
                "the database system is starting up", "the database system is in recovery mode", "connection is lost",
                "consuming input failed", "ssl syscall")


def database_error(e: DBAPIError) -> DomainError | None:
    """What a database error means for the person who caused it, or None for a plain bug.

    Every engine's way of saying "disk full", "read-only", "no such database", "connection lost" and
    "busy" gets its own message: "busy, try again" is only true of the last.
    """
    message = str(getattr(e, "orig", None) or e).lower()
    sqlstate = str(getattr(getattr(e, "orig", None), "sqlstate", None) or "")
    if "disk is full" in message or "no space left" in message or sqlstate.startswith("53"):
        return Unavailable("The database's disk is full, so nothing was saved. Ask whoever runs claimdb to free "
                           "some space, then save again.", title="Disk full", status=507)
    if "readonly database" in message or "read-only" in message or sqlstate == "25006":
        return Unavailable("The database is read-only at the moment, so nothing was saved. Ask whoever runs "
                           "claimdb to make it writable again (file permissions or a read-only mount).",
                           title="Database is read-only")
    if "unable to open database file" in message or "no such table" in message or sqlstate == "3D000":
        return Unavailable("The database is missing or not set up (run `claimdb init`, or check "
                           "CLAIMDB_DATABASE_URL). Nothing was saved.", title="Database missing")
    if e.connection_invalidated or sqlstate.startswith(PG_GONE) or any(sign in message for sign in PG_GONE_SAYS):
        return Unavailable("The database could not be reached; nothing was saved. It usually comes back by "
                           "itself within moments: try again shortly.", title="Database unreachable",
                           retry_after=5)
    if "database is locked" in message or "busy" in message or sqlstate in ("55P03", "57014"):
        return Unavailable("The database is busy with other work; nothing was saved. Try again shortly.",
                           title="Database busy", retry_after=2)
    if any(reason in message for reason in SQLITE_TOO_COMPLEX):
        return Invalid({"request": "The search is too long or complex for the database; use fewer words."},
                       detail="The request is too large for the database to evaluate.")
    if "nul (0x00)" in message:
        return Invalid({"request": "Text may not contain NUL characters."},
                       detail="The request contains a NUL character.")
    return None
