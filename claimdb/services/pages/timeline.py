"""What a claim's timeline shows: each statement bearing on the claim, with its date, stance and speaker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimdb.models import Actor, Source, Statement, StatementClaim

TIMELINE_LIMIT = 500


@dataclass(frozen=True)
class TimelinePoint:
    statement_id: int
    stated: dt.date | None
    precision: str | None  # "year", "month", "day" (None when undated)
    stance: str
    speaker: str
    from_source: bool = False  # undated statement placed on its source's publication date


def claim_timeline(session: Session, claim_id: int, limit: int = TIMELINE_LIMIT) -> list[TimelinePoint]:
    """The statements on a claim, in date order, at most `limit` of them. A statement without a date is
    placed on its source's publication date (and says so); only when neither is known is it undated."""
    when = func.coalesce(Statement.stated, Source.published)
    rows = session.execute(
        select(Statement.id, Statement.stated, Statement.stated_precision, Source.published,
               Source.published_precision, StatementClaim.stance, Actor.name)
        .join(StatementClaim, StatementClaim.statement_id == Statement.id)
        .join(Actor, Actor.id == Statement.speaker_id)
        .join(Source, Source.id == Statement.source_id)
        .where(StatementClaim.claim_id == claim_id)
        .order_by(when.is_(None), when, Statement.id).limit(limit)).all()
    return [TimelinePoint(r.id, r.stated, r.stated_precision, r.stance, r.name) if r.stated is not None
            else TimelinePoint(r.id, r.published, r.published_precision if r.published else None, r.stance, r.name,
                               from_source=r.published is not None)
            for r in rows]
