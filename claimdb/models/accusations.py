"""Accusations: which party accuses which of what, in which statement."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimdb.db import Base
from claimdb.models.actors import Actor
from claimdb.models.base import Versioned
from claimdb.models.claims import Claim
from claimdb.models.sources import Statement


class Accusation(Versioned, Base):
    """"Who says so" is the statement's speaker and its reporting chain up to the source."""

    __tablename__ = "accusation"
    __table_args__ = (
        CheckConstraint("accuser_id <> accused_id", name="not_self"),
        Index("ix_accusation_accuser_id_accused_id_category", "accuser_id", "accused_id", "category"),
        Index("ix_accusation_category_id", "category", "id"),  # list sorts (see Statement)
        Index("ix_accusation_act_id", "act", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="RESTRICT"), index=True)
    accuser_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    accused_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    act: Mapped[str] = mapped_column(String(500))
    category: Mapped[str | None] = mapped_column(String(500))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id", ondelete="RESTRICT"), index=True)

    statement: Mapped[Statement] = relationship(lazy="raise")
    accuser: Mapped[Actor] = relationship(foreign_keys=[accuser_id], lazy="raise")
    accused: Mapped[Actor] = relationship(foreign_keys=[accused_id], lazy="raise")
    claim: Mapped[Claim | None] = relationship(lazy="raise")
