"""Actors (anyone who speaks or is spoken of), their aliases, and their affiliations over time."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimdb.db import Base
from claimdb.models.base import (
    Versioned,
    date_column,
    partial_date_checks,
    precision_column,
    read_partial,
    split_partial,
)
from claimdb.models.values import ActorKind, AffiliationRole, Reliability, check_in
from claimdb.partialdate import PartialDate

if TYPE_CHECKING:
    from claimdb.models.sources import Statement


class Actor(Versioned, Base):
    """A person, faction, government, outlet, group or unnamed voice."""

    __tablename__ = "actor"
    __table_args__ = (
        CheckConstraint(check_in("kind", ActorKind), name="kind_valid"),
        CheckConstraint(check_in("reliability", Reliability), name="reliability_valid"),
        Index("ix_actor_name_id", "name", "id"),  # the list's default sort
        Index("ix_actor_kind_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    # normalize_name(name): the key lookups by speaker compare against, next to the aliases' keys.
    normalized: Mapped[str] = mapped_column(String(500), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    reliability: Mapped[str | None] = mapped_column(String(1))

    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", lazy="raise", order_by="ActorAlias.id"
    )

    def __repr__(self) -> str:
        return f"<Actor {self.id} {self.name!r}>"


class ActorAlias(Base):
    """Another name of an actor: spelling, transliteration, other script, an outlet's misspelling."""

    __tablename__ = "actor_alias"
    __table_args__ = (UniqueConstraint("actor_id", "normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(35))
    normalized: Mapped[str] = mapped_column(String(500), index=True)

    actor: Mapped[Actor] = relationship(back_populates="aliases", lazy="raise")


class Affiliation(Versioned, Base):
    """Member, leader, spokesperson… of an organization over a span of partial dates."""

    __tablename__ = "affiliation"
    __table_args__ = (
        CheckConstraint(check_in("role", AffiliationRole), name="role_valid"),
        CheckConstraint("member_id <> organization_id", name="not_self"),
        CheckConstraint("start_on IS NULL OR end_last IS NULL OR start_on <= end_last", name="end_after_start"),
        CheckConstraint("(end_on IS NULL) = (end_last IS NULL)", name="end_last_paired"),
        *partial_date_checks("start_on"),
        *partial_date_checks("end_on"),
        Index("ix_affiliation_organization_id_member_id", "organization_id", "member_id"),
        Index("ix_affiliation_start_on_id", "start_on", "id"),  # list sorts (see Statement)
        Index("ix_affiliation_end_on_id", "end_on", "id"),
        Index("ix_affiliation_role_id", "role", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    start_on: Mapped[dt.date | None] = date_column("start_on")
    start_on_precision: Mapped[str | None] = precision_column("start_on")
    end_on: Mapped[dt.date | None] = date_column("end_on")
    end_on_precision: Mapped[str | None] = precision_column("end_on")
    # Last day of the end period ("2015-02" -> 2015-02-28): lets SQL test "held on this date" with an index.
    end_last: Mapped[dt.date | None] = mapped_column(Date)
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str | None] = mapped_column(Text)

    member: Mapped[Actor] = relationship(foreign_keys=[member_id], lazy="raise")
    organization: Mapped[Actor] = relationship(foreign_keys=[organization_id], lazy="raise")
    statement: Mapped[Statement | None] = relationship(lazy="raise")

    @property
    def start_date(self) -> PartialDate | None:
        return read_partial(self.start_on, self.start_on_precision)

    @property
    def end_date(self) -> PartialDate | None:
        return read_partial(self.end_on, self.end_on_precision)

    def set_span(self, start: PartialDate | None, end: PartialDate | None) -> None:
        """Set both ends at once so the derived `end_last` can never disagree with `end`."""
        self.start_on, self.start_on_precision = split_partial(start)
        self.end_on, self.end_on_precision = split_partial(end)
        self.end_last = end.last if end else None
