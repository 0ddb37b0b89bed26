"""indexes for the list sorts that had none: actor kind, affiliation dates and role, source title,
contradiction kind, and a claim text prefix

Lists are read by keyset from a (sort column, id) index (claimdb.services.paging). A claim's text
runs to 20,000 characters, more than a PostgreSQL B-tree entry holds, so claims sort by the first
CLAIM_SORT_PREFIX characters of their text, then id, from an expression index written out here (its
name is in claimdb.migrate.HAND_WRITTEN_INDEXES: autogenerate cannot compare expression indexes).

Revision ID: b7c41e9d2a60
Revises: 94d7c6538228
Create Date: 2026-12-01 19:00:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = "b7c41e9d2a60"
down_revision: str | Sequence[str] | None = "94d7c6538228"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADDED = [
    ("actor", "ix_actor_kind_id", ["kind", "id"]),
    ("affiliation", "ix_affiliation_start_on_id", ["start_on", "id"]),
    ("affiliation", "ix_affiliation_end_on_id", ["end_on", "id"]),
    ("affiliation", "ix_affiliation_role_id", ["role", "id"]),
    ("source", "ix_source_title_id", ["title", "id"]),
    ("contradiction", "ix_contradiction_kind_id", ["kind", "id"]),
]


def upgrade() -> None:
    for table, name, columns in ADDED:
        op.create_index(name, table, columns)
    op.execute("CREATE INDEX ix_claim_text_prefix ON claim (substr(text, 1, 100), id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_claim_text_prefix")
    for table, name, _columns in reversed(ADDED):
        op.drop_index(name, table_name=table)
