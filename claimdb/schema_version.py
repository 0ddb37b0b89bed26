"""Which migration a database is at, read with plain SQL.

Every command checks it before it runs; reading it through Alembic imported Alembic and every dialect it
supports (a third of a second at each start of `claimdb`), which only `claimdb init` needs.
"""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, pool, text

from claimdb.db import normalize_url

VERSION_TABLE = "alembic_version"  # Alembic's default, which migrations/env.py keeps


def current_revision(url: str) -> str | None:
    """The revision the database is at; None for a database never set up."""
    engine = create_engine(normalize_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(VERSION_TABLE):
                return None
            revisions = conn.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    finally:
        engine.dispose()
    if len(revisions) > 1:  # branches merged by hand; claimdb's history is one line
        raise RuntimeError(f"the database is at several revisions at once: {', '.join(sorted(revisions))}")
    return revisions[0] if revisions else None
