"""Bulk writes for big imports: rows straight to the driver, indexes built once, engines kept tidy."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ColumnElement,
    and_,
    case,
    literal,
    literal_column,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from claimdb.services.exchange.background import Background
from claimdb.services.search import fulltext

CHUNK_ROWS = 20_000


class RowWriter:
    """Rows of one table in chunks of CHUNK_ROWS: multi-row INSERTs on SQLite, one COPY on PostgreSQL,
    on the `background` worker when there is one. Rows are tuples in `columns` order, already checked
    and typed (dates as ISO text on SQLite, as datetime.date on PostgreSQL)."""

    def __init__(self, session: Session, model: Any, columns: Sequence[str], *,
                 parent: RowWriter | None = None, background: Background | None = None) -> None:
        self.session = session
        self.parent = parent  # rows this table's rows refer to: written first
        self.background = background
        self.table = model.__table__.name
        self.columns = tuple(columns)
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.postgresql = session.get_bind().dialect.name == "postgresql"
        names = ", ".join(f'"{c}"' for c in self.columns)
        if self.postgresql:
            self.sql = f'COPY "{self.table}" ({names}) FROM STDIN'
        else:
            self.sql = f'INSERT INTO "{self.table}" ({names}) VALUES '
            self.one = f"({', '.join(['?'] * len(self.columns))})"

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK_ROWS:
            self.flush()

    def extend(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.parent is not None:
            self.parent.flush()
        connection = self.session.connection()
        rows, self.rows = self.rows, []
        self.written += len(rows)
        if self.background is None:
            self._write(connection, rows)
        else:
            self.background.submit(lambda: self._write(connection, rows))

    def _write(self, connection: Connection, rows: list[tuple[Any, ...]]) -> None:
        raw: Any = connection.connection.dbapi_connection
        if self.postgresql:
            with raw.cursor() as cursor, cursor.copy(self.sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            return
        # As many rows per INSERT as SQLite takes parameters: one statement step inserts them all
        # (twice as fast as executemany's step per row for narrow rows, and the engine's work runs
        # without Python's lock for the whole batch).
        # The rest, fewer than a batch, row by row: a statement for each length would each stay in the
        # driver's statement cache (about 3 MB apiece).
        per = max(1, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(self.columns))
        whole = len(rows) - len(rows) % per
        if whole:
            full = self.sql + ", ".join([self.one] * per)
            for n in range(0, whole, per):
                connection.exec_driver_sql(full, tuple(chain.from_iterable(rows[n:n + per])))
        if whole < len(rows):
            connection.exec_driver_sql(self.sql + self.one, rows[whole:])


@contextmanager
def indexes_rebuilt(session: Session, models: Iterable[Any]) -> Iterator[None]:
    """Drop the secondary indexes of the biggest tables during a bulk load and build them once
    after it: one sort instead of a random B-tree insert per row per index.

    PostgreSQL: every B-tree index that backs no constraint (the migrations' expression and DESC
    indexes too), and the tables' foreign keys, which are checked once, by one join each, when they
    are added back (a check per copied row cost more than the copy). The full-text GIN index stays:
    its upkeep runs in the server while the import checks the next statements, where building it
    after the COPY ran alone on one core (a 1M import: 71 s instead of 78 s; 200k: 16.4 s, 17.5 s)."""
    if session.get_bind().dialect.name == "postgresql":
        with _postgresql_rebuilt(session, [model.__tablename__ for model in models]):
            yield
        return
    connection = session.connection()
    indexes = [index for model in models for index in model.__table__.indexes]
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)


@contextmanager
def _postgresql_rebuilt(session: Session, tables: list[str]) -> Iterator[None]:
    indexes = session.execute(text(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        "AND i.tablename = ANY(:tables) AND i.indexdef NOT LIKE '%USING gin%' "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
        "AND c.connamespace = to_regnamespace(current_schema())) ORDER BY i.indexname"), {"tables": tables}).all()
    keys = session.execute(text(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(:tables) ORDER BY c.conname"),
        {"tables": tables}).all()
    for table, name, _definition in keys:
        session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for name, _definition in indexes:
        session.execute(text(f'DROP INDEX "{name}"'))
    yield
    session.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))  # index builds sort in memory
    for _name, definition in indexes:
        session.execute(text(definition))
    for table, name, definition in keys:
        session.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))


@contextmanager
def checks_deferred(session: Session) -> Iterator[None]:
    """SQLite: no CHECK constraint per inserted row within the block; broken_check() tests the rows once after.

    SQLite codes `x IN ('a', 'b', ...)` as a lookup table that it builds again for every row an
    executemany inserts: the enum checks alone were half of the statement insert time and 80% of
    the claim links' (measured at 200k). The rows are the import's checked records, and
    broken_check() proves the constraints hold for them with one scan per table, where each list
    is built once. The flag belongs to the connection, so it is cleared whatever happens."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    connection.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")


def broken_check(session: Session, model: Any, scope: ColumnElement[bool]) -> tuple[Any, str] | None:
    """The first row within `scope` that breaks one of the table's CHECK constraints: (its primary
    key's first column, the constraint's name), or None."""
    table = model.__table__
    checks = [c for c in table.constraints if isinstance(c, CheckConstraint)]
    if not checks:
        return None
    broken = [not_(_condition(check)) for check in checks]  # NULL means satisfied, as for the constraint
    which = case(*((test, literal(str(check.name))) for test, check in zip(broken, checks, strict=True)))
    key = next(iter(table.primary_key.columns))
    found = session.execute(select(key, which).where(and_(scope, or_(*broken))).limit(1)).first()
    return (found[0], found[1]) if found is not None else None


def _condition(check: CheckConstraint) -> ColumnElement[bool]:
    """The constraint's condition as an expression (a model may give it as SQL text)."""
    if isinstance(check.sqltext, ColumnElement):
        return check.sqltext
    return literal_column(f"({check.sqltext.text})", Boolean())


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
