"""The Alembic history builds the schema from nothing, matches the models, and unwinds to nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool

from claimdb import migrate
from claimdb.db import Base, normalize_url
from claimdb.migrate import include_name, include_object


def _tables(url: str) -> set[str]:
    engine = create_engine(normalize_url(url), poolclass=pool.NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.fresh_database
def test_upgrade_matches_the_models_and_downgrade_empties(database_url: str) -> None:
    # database_url is already at head (built by the migrations): no drift from the models.
    engine = create_engine(normalize_url(database_url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name, "include_object": include_object,
                                                        "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
    assert migrate.current_revision(database_url) == migrate.head_revision()

    migrate.downgrade(database_url, "base")
    assert _tables(database_url) <= {"alembic_version"}
    assert migrate.current_revision(database_url) is None  # read with plain SQL, as Alembic reads it

    migrate.upgrade(database_url)
    assert set(Base.metadata.tables) <= _tables(database_url)
    assert migrate.current_revision(database_url) == migrate.head_revision()


def test_a_command_starts_without_loading_alembic() -> None:
    """Every command checks the schema's revision; only `claimdb init` needs Alembic to run migrations."""
    code = "import sys, claimdb.console; print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
