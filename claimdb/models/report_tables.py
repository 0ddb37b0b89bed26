"""Report tables: whole-table numbers of the contradiction report, kept in step with every write.

They are derived data (claimdb.services.reports.tables maintains them in the transaction of each
write, import and delete, and `claimdb reports rebuild` recomputes them), so they carry no foreign
keys: a refresh deletes and recomputes the rows of the keys a write touched.
"""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from claimdb.db import Base


class ReportClaim(Base):
    """A claim's asserting and denying statements, and the independent origins of the asserting ones."""

    __tablename__ = "report_claim"
    __table_args__ = (
        # Stance conflicts, most statements first: a backward walk of this index, NULLs (no conflict) skipped.
        Index("ix_report_claim_conflict_weight_claim_id", "conflict_weight", "claim_id"),
    )

    claim_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    asserts: Mapped[int]
    denies: Mapped[int]
    origins: Mapped[int]  # distinct origins of the asserting statements
    conflict_weight: Mapped[int | None]  # asserts + denies when both are non-zero, else NULL


class ReportContradiction(Base):
    """An explicit contradiction's evidence: the statements asserting either of its claims."""

    __tablename__ = "report_contradiction"
    __table_args__ = (Index("ix_report_contradiction_weight_contradiction_id", "weight", "contradiction_id"),)

    contradiction_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    weight: Mapped[int]


class ReportAccusationEdge(Base):
    """Accusations from one actor to another in one category (case-folded by the database; '' for none)."""

    __tablename__ = "report_accusation_edge"
    __table_args__ = (Index("ix_report_accusation_edge_accusations", "accusations"),)

    accuser_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    accused_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    category_key: Mapped[str] = mapped_column(String(500), primary_key=True)
    category: Mapped[str | None] = mapped_column(String(500))  # one spelling as written
    accusations: Mapped[int]


class ReportMutualPair(Base):
    """Two actors (actor_a < actor_b) accusing each other of the same category, with both directions' count."""

    __tablename__ = "report_mutual_pair"
    __table_args__ = (
        Index("ix_report_mutual_pair_accusations_actor_a_actor_b", "accusations", "actor_a", "actor_b",
              "category_key"),
        Index("ix_report_mutual_pair_actor_b", "actor_b"),
    )

    actor_a: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    actor_b: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    category_key: Mapped[str] = mapped_column(String(500), primary_key=True)
    category: Mapped[str | None] = mapped_column(String(500))
    accusations: Mapped[int]


__all__ = ["ReportAccusationEdge", "ReportClaim", "ReportContradiction", "ReportMutualPair"]
