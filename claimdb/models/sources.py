"""Sources, the statements attributed inside them, and how each statement bears on claims."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claimdb.db import Base
from claimdb.models.actors import Actor
from claimdb.models.base import Versioned, date_column, partial_date_checks, precision_column, read_partial
from claimdb.models.values import Certainty, QuoteType, Reliability, SourceKind, Stance, check_in
from claimdb.partialdate import PartialDate

if TYPE_CHECKING:
    from claimdb.models.claims import Claim


class Source(Versioned, Base):
    """A document: article, communiqué, post, video transcript, report."""

    __tablename__ = "source"
    __table_args__ = (
        CheckConstraint(check_in("kind", SourceKind), name="kind_valid"),
        CheckConstraint(check_in("reliability", Reliability), name="reliability_valid"),
        *partial_date_checks("published"),
        Index("ix_source_title_id", "title", "id"),  # list sorts (see Statement)
        Index("ix_source_published_id", "published", "id"),
        Index("ix_source_reliability_id", "reliability", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    author: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    published: Mapped[dt.date | None] = date_column("published")
    published_precision: Mapped[str | None] = precision_column("published")
    language: Mapped[str | None] = mapped_column(String(35))
    original_language: Mapped[str | None] = mapped_column(String(35))
    body: Mapped[str] = mapped_column(Text, default="")
    reliability: Mapped[str | None] = mapped_column(String(1))
    note: Mapped[str | None] = mapped_column(Text)

    publisher: Mapped[Actor | None] = relationship(lazy="raise")

    @property
    def published_date(self) -> PartialDate | None:
        return read_partial(self.published, self.published_precision)


class Statement(Versioned, Base):
    """One utterance by a speaker inside a source, maybe reported through another statement.

    The span is kept as offsets and as its quote with a little context (a W3C TextQuoteSelector),
    so that it can be found again when the source's body is corrected.
    """

    __tablename__ = "statement"
    __table_args__ = (
        CheckConstraint(check_in("quote_type", QuoteType), name="quote_type_valid"),
        CheckConstraint("credibility BETWEEN 1 AND 6", name="credibility_range"),
        CheckConstraint("reported_by_id IS NULL OR reported_by_id <> id", name="not_own_reporter"),
        CheckConstraint(
            "(span_start IS NULL AND span_end IS NULL) OR (span_start IS NOT NULL AND span_end IS NOT NULL"
            " AND span_start >= 0 AND span_end > span_start)",
            name="span_valid",
        ),
        *partial_date_checks("stated"),
        Index("ix_statement_speaker_id_stated", "speaker_id", "stated"),
        Index("ix_statement_source_id_span_start", "source_id", "span_start"),
        # One index per offered list sort, id as the tiebreak, so any page is read off an index
        # (PostgreSQL also has hand-written DESC NULLS LAST twins: migration 5d2e7f3a9b10).
        Index("ix_statement_stated_id", "stated", "id"),
        Index("ix_statement_source_id_id", "source_id", "id"),
        Index("ix_statement_speaker_id_id", "speaker_id", "id"),
        Index("ix_statement_span_start_id", "span_start", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"))
    speaker_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text)
    quote_type: Mapped[str] = mapped_column(String(12))
    cue: Mapped[str | None] = mapped_column(String(500))
    hedge: Mapped[str | None] = mapped_column(String(500))
    stated: Mapped[dt.date | None] = date_column("stated")
    stated_precision: Mapped[str | None] = precision_column("stated")
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    span_prefix: Mapped[str | None] = mapped_column(Text)
    span_quote: Mapped[str | None] = mapped_column(Text)
    span_suffix: Mapped[str | None] = mapped_column(Text)
    credibility: Mapped[int | None]

    source: Mapped[Source] = relationship(lazy="raise")
    speaker: Mapped[Actor] = relationship(lazy="raise")
    reported_by: Mapped[Statement | None] = relationship(remote_side=[id], lazy="raise")
    claim_links: Mapped[list[StatementClaim]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", lazy="raise", order_by="StatementClaim.claim_id"
    )

    @property
    def stated_date(self) -> PartialDate | None:
        return read_partial(self.stated, self.stated_precision)


class StatementClaim(Base):
    """How a statement bears on a claim: asserts, denies, questions or merely reports it."""

    __tablename__ = "statement_claim"
    __table_args__ = (
        CheckConstraint(check_in("stance", Stance), name="stance_valid"),
        CheckConstraint(check_in("certainty", Certainty), name="certainty_valid"),
        Index("ix_statement_claim_claim_id_stance", "claim_id", "stance"),
    )

    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="RESTRICT"), primary_key=True)
    stance: Mapped[str] = mapped_column(String(10))
    certainty: Mapped[str] = mapped_column(String(10), default="unknown")

    statement: Mapped[Statement] = relationship(back_populates="claim_links", lazy="raise")
    claim: Mapped[Claim] = relationship(lazy="raise")


__all__ = ["Source", "Statement", "StatementClaim"]
