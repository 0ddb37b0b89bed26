"""Alembic environment: the URL comes from claimdb's configuration, never from alembic.ini."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine, pool

from claimdb import models  # noqa: F401  (registers every table on Base.metadata)
from claimdb.db import Base, normalize_url
from claimdb.migrate import include_name, include_object

config = context.config


def database_url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    from claimdb import create_app

    return normalize_url(str(create_app().config["DATABASE_URL"]))


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=Base.metadata, render_as_batch=True,
                      literal_binds=True, include_name=include_name, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)


def _run(connection: Any) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      include_name=include_name, include_object=include_object,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
