"""list sort indexes ending in id for contradiction status, source published and source reliability

These list sorts had only a single-column index. SQLite reads (column, rowid) off it, but PostgreSQL
sorted: a sequential scan and a sort for every page of contradictions by status (at 1M statements,
10,000 contradictions: 2.6 ms for the first page, 8 ms for ?page=199), an incremental sort by id
for sources by date or grade. Each index is replaced by (column, id), which reads any page off the
index on both engines, as every other list sort does, and still serves the column's filters
(tests/test_list_plans.py checks every sort of every list on both engines).

Revision ID: e3a8f0c1d472
Revises: b7c41e9d2a60
Create Date: 2026-12-01 22:10:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = "e3a8f0c1d472"
down_revision: str | Sequence[str] | None = "b7c41e9d2a60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# (table, old single-column index, old column, new index, new columns)
REPLACED = [
    ("contradiction", "ix_contradiction_status", "status", "ix_contradiction_status_id", ["status", "id"]),
    ("source", "ix_source_published", "published", "ix_source_published_id", ["published", "id"]),
    ("source", "ix_source_reliability", "reliability", "ix_source_reliability_id", ["reliability", "id"]),
]


def upgrade() -> None:
    for table, old, _column, new, columns in REPLACED:
        op.drop_index(old, table_name=table)
        op.create_index(new, table, columns)


def downgrade() -> None:
    for table, old, column, new, _columns in reversed(REPLACED):
        op.drop_index(new, table_name=table)
        op.create_index(old, table, [column])
