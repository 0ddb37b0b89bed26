"""The names' trigram index (`actor_name_fts`, SQLite; search.names) during an import: filled by two
statements after the rows are written instead of by a trigger per row.

A trigger's row goes into FTS5's pending terms, which FTS5 writes out as a new segment at the end
of every statement; an import writes rows in many statements, so the index grew by small segments
(40 µs per name; 4,000 actors with 8,000 aliases took 0.5 s). Filled in one statement: 0.05 s.
PostgreSQL's pg_trgm indexes keep themselves: nothing to do there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

INSERT_TRIGGERS = ("actor_name_fts_ai", "actor_alias_name_fts_ai")  # migration 5d2e7f3a9b10


@contextmanager
def filled_after(session: Session, first_actor: int) -> Iterator[None]:
    """Within the block, actors from id `first_actor` on (and their aliases) are written without their
    index rows; after it those rows are added and the triggers are back. Runs in the caller's
    transaction: if the block fails, rolling it back restores the triggers."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    saved = list(session.scalars(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN :names")
                                 .bindparams(bindparam("names", INSERT_TRIGGERS, expanding=True))))
    for name in INSERT_TRIGGERS:
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    yield
    # The rows the triggers write: rowid 2 * id for an actor's name, 2 * id + 1 for an alias.
    session.execute(text("INSERT INTO actor_name_fts(rowid, actor_id, name) "
                         "SELECT 2 * id, id, normalized FROM actor WHERE id >= :first"), {"first": first_actor})
    session.execute(text("INSERT INTO actor_name_fts(rowid, actor_id, name) "
                         "SELECT 2 * id + 1, actor_id, normalized FROM actor_alias WHERE actor_id >= :first"),
                    {"first": first_actor})
    for sql in saved:
        session.execute(text(sql))
