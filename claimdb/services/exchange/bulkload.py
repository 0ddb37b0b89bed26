"""Bulk writes for big imports: rows straight to the driver, indexes built once, engines kept tidy."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Date, text
from sqlalchemy.orm import Session

from claimdb.services.search import fulltext


def insert_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany straight to the driver: the rows are already checked and typed, and
    SQLAlchemy's per-row parameter processing cost as much as SQLite's own work."""
    if not rows:
        return
    table = model.__table__
    columns = list(rows[0])
    sqlite = session.get_bind().dialect.name == "sqlite"
    dates = {c.name for c in table.columns if isinstance(c.type, Date)} if sqlite else set()
    mark = "?" if sqlite else "%s"
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join([mark] * len(columns))})'
    if dates:  # SQLite stores dates as ISO text, as SQLAlchemy's Date type would write them
        values = [tuple(v.isoformat() if c in dates and v is not None else v
                        for c, v in zip(columns, row.values(), strict=True)) for row in rows]
    else:
        values = [tuple(row.values()) for row in rows]
    session.connection().exec_driver_sql(sql, values)


@contextmanager
def indexes_rebuilt(session: Session, models: Iterable[Any]) -> Iterator[None]:
    """Drop the secondary indexes of the biggest tables during a bulk load and build them once
    after it: one sort instead of a random B-tree insert per row per index."""
    connection = session.connection()
    indexes = [index for model in models for index in model.__table__.indexes]
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)


@contextmanager
def fulltext_suspended(session: Session) -> Iterator[None]:
    """Within the block the full-text index may lag; it is rebuilt once, in the same transaction, after it."""
    fulltext.suspend(session)
    yield
    fulltext.rebuild(session)


def reset_sequences(session: Session, models: Iterable[Any]) -> None:
    """PostgreSQL: move each id sequence past the ids inserted explicitly."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def analyze(session: Session, models: Iterable[Any]) -> None:
    """PostgreSQL: fresh statistics now; until autovacuum gets to the new rows, plans are far off."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        session.execute(text(f"ANALYZE {model.__tablename__}"))
