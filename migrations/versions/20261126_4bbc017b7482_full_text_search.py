"""full text search over statement text

SQLite: an FTS5 external-content table `statement_fts` over statement.text, kept in sync by
triggers inside the writing transaction. PostgreSQL: an expression GIN index on
to_tsvector('simple', text), which autogenerate cannot see (so `alembic check` stays quiet).

The SQL is written out here rather than imported from claimdb.services.search.fulltext: a migration
must keep doing what it did when it was written.

Revision ID: 4bbc017b7482
Revises: d4af235cad21
Create Date: 2026-11-26 01:10:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = "4bbc017b7482"
down_revision: str | Sequence[str] | None = "d4af235cad21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE statement_fts USING fts5("
    "text, content='statement', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    # The external-content recipe from https://sqlite.org/fts5.html#external_content_tables
    "CREATE TRIGGER statement_fts_ai AFTER INSERT ON statement BEGIN "
    "INSERT INTO statement_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER statement_fts_ad AFTER DELETE ON statement BEGIN "
    "INSERT INTO statement_fts(statement_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER statement_fts_au AFTER UPDATE OF text ON statement BEGIN "
    "INSERT INTO statement_fts(statement_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO statement_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO statement_fts(statement_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS statement_fts_au",
    "DROP TRIGGER IF EXISTS statement_fts_ad",
    "DROP TRIGGER IF EXISTS statement_fts_ai",
    "DROP TABLE IF EXISTS statement_fts",
]
POSTGRES_UP = ["CREATE INDEX IF NOT EXISTS statement_fts_text ON statement USING gin (to_tsvector('simple', text))"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS statement_fts_text"]


def _run(statements: list[str]) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRES_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRES_DOWN)
