"""What the desk taught the attribution suggestions: dismissed suggestions per source, and the trained model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from claimdb.db import Base
from claimdb.models.users import utcnow


class DismissedSuggestion(Base):
    """A suggestion an analyst dismissed: it stays hidden for that source, and teaches the model a negative.

    Matched by span *and* quote, so a body correction that moves text never hides a different passage.
    """

    __tablename__ = "dismissed_suggestion"
    __table_args__ = (
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span_valid"),
        # One per passage of a source; also the index the suggestions read filters by.
        UniqueConstraint("source_id", "span_start", "span_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A dismissal means nothing without its source: it goes with it (no dependant to list on delete).
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"))
    span_start: Mapped[int]
    span_end: Mapped[int]
    quote: Mapped[str] = mapped_column(Text)
    cue: Mapped[str | None] = mapped_column(String(500))
    speaker: Mapped[str | None] = mapped_column(String(500))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    username: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SuggestionModel(Base):
    """The installation's trained re-scorer (``claimdb.attribution.Model.to_dict()``): one current row, id 1."""

    __tablename__ = "suggestion_model"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    model: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Training size: sources, recorded attributions and dismissals it learnt from.
    sources: Mapped[int]
    attributions: Mapped[int]
    dismissals: Mapped[int]
    # How many statements existed when it was trained: retraining is due N statements later.
    statements_seen: Mapped[int]
    seconds: Mapped[float]
    trained_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Grows on every training: the app caches the parsed model per revision.
    revision: Mapped[int] = mapped_column(default=1)


__all__ = ["DismissedSuggestion", "SuggestionModel"]
