"""Claims (normalised propositions) and the contradictions between them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, case
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimdb.db import Base
from claimdb.models.base import Versioned, date_column, partial_date_checks, precision_column, read_partial
from claimdb.models.values import ClaimStatus, ContradictionKind, ContradictionStatus, check_in
from claimdb.partialdate import PartialDate


class Claim(Versioned, Base):
    """A proposition independent of who says it ("Hazzm kidnapped four Nusra members")."""

    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint(check_in("status", ClaimStatus), name="status_valid"),
        *partial_date_checks("occurred"),
        Index("ix_claim_occurred_id", "occurred", "id"),  # list sorts (see Statement)
        Index("ix_claim_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    occurred: Mapped[dt.date | None] = date_column("occurred")
    occurred_precision: Mapped[str | None] = precision_column("occurred")
    location: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12), default="unverified")

    tag_rows: Mapped[list[ClaimTag]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", lazy="raise", order_by="ClaimTag.tag"
    )

    @property
    def occurred_date(self) -> PartialDate | None:
        return read_partial(self.occurred, self.occurred_precision)


class ClaimTag(Base):
    """A free-text tag on a claim; a row per tag so claims can be filtered by tag with an index."""

    __tablename__ = "claim_tag"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)

    claim: Mapped[Claim] = relationship(back_populates="tag_rows", lazy="raise")


class Contradiction(Versioned, Base):
    """Two claims that cannot both be true; the pair is unique in either order."""

    __tablename__ = "contradiction"
    __table_args__ = (
        CheckConstraint(check_in("kind", ContradictionKind), name="kind_valid"),
        CheckConstraint(check_in("status", ContradictionStatus), name="status_valid"),
        CheckConstraint("claim_a_id <> claim_b_id", name="distinct_claims"),
        Index("ix_contradiction_kind_id", "kind", "id"),  # list sorts (see Statement)
        Index("ix_contradiction_status_id", "status", "id"),  # the ?status= filter too
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_a_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="RESTRICT"), index=True)
    claim_b_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default="open")
    note: Mapped[str | None] = mapped_column(Text)

    claim_a: Mapped[Claim] = relationship(foreign_keys=[claim_a_id], lazy="raise")
    claim_b: Mapped[Claim] = relationship(foreign_keys=[claim_b_id], lazy="raise")


# The unordered pair: an expression index, portable to SQLite and PostgreSQL.
_a, _b = Contradiction.claim_a_id, Contradiction.claim_b_id
Index("uq_contradiction_pair", case((_a < _b, _a), else_=_b), case((_a < _b, _b), else_=_a), unique=True)
