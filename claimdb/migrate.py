"""Run the Alembic migrations shipped with the package (checkout or wheel alike)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import make_url

from claimdb import schema_version
from claimdb.db import normalize_url
from claimdb.paths import MIGRATIONS

# Objects written by hand in migrations that autogenerate cannot compare: the full-text index
# (FTS5 tables on SQLite, a GIN expression index on PostgreSQL) and the expression index that
# makes a contradiction's unordered pair unique (SQLite cannot reflect it; PostgreSQL reflects
# it in a normalised spelling that never equals the model's).
HAND_WRITTEN_INDEXES = frozenset({"uq_contradiction_pair", "ix_statement_stated_desc", "ix_statement_span_start_desc",
                                  "ix_claim_occurred_desc", "ix_accusation_category_desc", "ix_actor_normalized_trgm",
                                  "ix_actor_alias_normalized_trgm", "ix_claim_text_prefix"})
HAND_WRITTEN_TABLES = ("statement_fts", "actor_name_fts")  # and their FTS5 shadow tables


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Autogenerate: skip reflected objects that are maintained by hand (see above)."""
    if name is None:
        return True
    return not (name.startswith(HAND_WRITTEN_TABLES) or (type_ == "index" and name in HAND_WRITTEN_INDEXES))


def include_object(obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
    """Autogenerate: skip model objects that are maintained by hand (see above)."""
    return include_name(name, type_, None)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = normalize_url(url)
    return config


@contextmanager
def private_files(url: str) -> Iterator[None]:
    """A SQLite database (and its journal) made inside is its owner's alone: files 0600, a new folder 0700.

    The umask is the process's, so this is for one-off work (`claimdb init`, tests), not a serving process.
    """
    parsed = make_url(normalize_url(url))
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        yield
        return
    path = Path(database)
    created = not path.exists()
    previous = os.umask(0o077)
    try:
        if created:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        yield
    finally:
        os.umask(previous)
    if created and path.exists():
        path.chmod(0o600)


def upgrade(url: str, revision: str = "head") -> None:
    """Create or upgrade the database to `revision`."""
    with private_files(url):
        command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


current_revision = schema_version.current_revision


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
