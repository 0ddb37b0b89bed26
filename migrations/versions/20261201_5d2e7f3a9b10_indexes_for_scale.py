"""indexes for a million statements: every list sort, names by trigram

Each offered list sort gets an index ending in `id` (the tiebreak), replacing the single-column
index it extends, so any page is read off an index instead of sorting the table. PostgreSQL
matches an index only with the same NULLS order, so the nullable sort columns also get a
hand-written `DESC NULLS LAST` twin there (SQLite sorts NULL lowest: one index serves both ways).

Names containing words: SQLite gets the FTS5 table `actor_name_fts` (trigram tokenizer) over the
normalized names (rowid = 2 * actor id) and aliases (rowid = 2 * alias id + 1), kept by triggers;
PostgreSQL gets pg_trgm GIN indexes on both `normalized` columns (LIKE '%word%' uses them).
The SQL is written out here rather than imported: a migration must keep doing what it did.

Revision ID: 5d2e7f3a9b10
Revises: 5d1e7a2c9b40
Create Date: 2026-12-01 16:20:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = "5d2e7f3a9b10"
down_revision: str | Sequence[str] | None = "5d1e7a2c9b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, old single-column index, old column, new index, new columns)
REPLACED = [
    ("statement", "ix_statement_stated", "stated", "ix_statement_stated_id", ["stated", "id"]),
    ("claim", "ix_claim_occurred", "occurred", "ix_claim_occurred_id", ["occurred", "id"]),
    ("claim", "ix_claim_status", "status", "ix_claim_status_id", ["status", "id"]),
    ("accusation", "ix_accusation_category", "category", "ix_accusation_category_id", ["category", "id"]),
]
ADDED = [
    ("statement", "ix_statement_source_id_id", ["source_id", "id"]),
    ("statement", "ix_statement_speaker_id_id", ["speaker_id", "id"]),
    ("statement", "ix_statement_span_start_id", ["span_start", "id"]),
    ("accusation", "ix_accusation_act_id", ["act", "id"]),
    ("actor", "ix_actor_name_id", ["name", "id"]),
]
POSTGRES_UP = [
    "CREATE INDEX ix_statement_stated_desc ON statement (stated DESC NULLS LAST, id DESC)",
    "CREATE INDEX ix_statement_span_start_desc ON statement (span_start DESC NULLS LAST, id DESC)",
    "CREATE INDEX ix_claim_occurred_desc ON claim (occurred DESC NULLS LAST, id DESC)",
    "CREATE INDEX ix_accusation_category_desc ON accusation (category DESC NULLS LAST, id DESC)",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_actor_normalized_trgm ON actor USING gin (normalized gin_trgm_ops)",
    "CREATE INDEX ix_actor_alias_normalized_trgm ON actor_alias USING gin (normalized gin_trgm_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_actor_alias_normalized_trgm",
    "DROP INDEX IF EXISTS ix_actor_normalized_trgm",
    "DROP INDEX IF EXISTS ix_accusation_category_desc",
    "DROP INDEX IF EXISTS ix_claim_occurred_desc",
    "DROP INDEX IF EXISTS ix_statement_span_start_desc",
    "DROP INDEX IF EXISTS ix_statement_stated_desc",
]
SQLITE_UP = [
    "CREATE VIRTUAL TABLE actor_name_fts USING fts5(actor_id UNINDEXED, name, tokenize='trigram')",
    "CREATE TRIGGER actor_name_fts_ai AFTER INSERT ON actor BEGIN "
    "INSERT INTO actor_name_fts(rowid, actor_id, name) VALUES (2 * new.id, new.id, new.normalized); END",
    "CREATE TRIGGER actor_name_fts_ad AFTER DELETE ON actor BEGIN "
    "DELETE FROM actor_name_fts WHERE rowid = 2 * old.id; END",
    "CREATE TRIGGER actor_name_fts_au AFTER UPDATE OF normalized ON actor BEGIN "
    "UPDATE actor_name_fts SET name = new.normalized WHERE rowid = 2 * new.id; END",
    "CREATE TRIGGER actor_alias_name_fts_ai AFTER INSERT ON actor_alias BEGIN "
    "INSERT INTO actor_name_fts(rowid, actor_id, name) VALUES (2 * new.id + 1, new.actor_id, new.normalized); END",
    "CREATE TRIGGER actor_alias_name_fts_ad AFTER DELETE ON actor_alias BEGIN "
    "DELETE FROM actor_name_fts WHERE rowid = 2 * old.id + 1; END",
    "CREATE TRIGGER actor_alias_name_fts_au AFTER UPDATE OF normalized, actor_id ON actor_alias BEGIN "
    "UPDATE actor_name_fts SET name = new.normalized, actor_id = new.actor_id WHERE rowid = 2 * new.id + 1; END",
    "INSERT INTO actor_name_fts(rowid, actor_id, name) SELECT 2 * id, id, normalized FROM actor",
    "INSERT INTO actor_name_fts(rowid, actor_id, name) SELECT 2 * id + 1, actor_id, normalized FROM actor_alias",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS actor_alias_name_fts_au",
    "DROP TRIGGER IF EXISTS actor_alias_name_fts_ad",
    "DROP TRIGGER IF EXISTS actor_alias_name_fts_ai",
    "DROP TRIGGER IF EXISTS actor_name_fts_au",
    "DROP TRIGGER IF EXISTS actor_name_fts_ad",
    "DROP TRIGGER IF EXISTS actor_name_fts_ai",
    "DROP TABLE IF EXISTS actor_name_fts",
]


def upgrade() -> None:
    for table, old, _column, new, columns in REPLACED:
        op.drop_index(old, table_name=table)
        op.create_index(new, table, columns)
    for table, name, columns in ADDED:
        op.create_index(name, table, columns)
    dialect = op.get_bind().dialect.name
    for sql in POSTGRES_UP if dialect == "postgresql" else SQLITE_UP if dialect == "sqlite" else []:
        op.execute(sql)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for sql in POSTGRES_DOWN if dialect == "postgresql" else SQLITE_DOWN if dialect == "sqlite" else []:
        op.execute(sql)
    for table, name, _columns in reversed(ADDED):
        op.drop_index(name, table_name=table)
    for table, old, column, new, _columns in reversed(REPLACED):
        op.drop_index(new, table_name=table)
        op.create_index(old, table, [column])
