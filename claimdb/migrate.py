"""Run the Alembic migrations shipped with the package (checkout or wheel alike)."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from claimdb.db import normalize_url
from claimdb.paths import MIGRATIONS

# Objects written by hand in migrations that autogenerate cannot compare: the full-text index
# (FTS5 tables on SQLite, a GIN expression index on PostgreSQL) and the expression index that
# makes a contradiction's unordered pair unique (SQLite cannot reflect it; PostgreSQL reflects
# it in a normalised spelling that never equals the model's).
HAND_WRITTEN_INDEXES = frozenset({"uq_contradiction_pair"})


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Autogenerate: skip reflected objects that are maintained by hand (see above)."""
    if name is None:
        return True
    return not (name.startswith("statement_fts") or (type_ == "index" and name in HAND_WRITTEN_INDEXES))


def include_object(obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
    """Autogenerate: skip model objects that are maintained by hand (see above)."""
    return include_name(name, type_, None)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = normalize_url(url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Create or upgrade the database to `revision`."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    engine = create_engine(normalize_url(url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
