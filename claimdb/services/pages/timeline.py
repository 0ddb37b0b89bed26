"""What a claim's timeline shows: each statement bearing on the claim, with its date, stance and speaker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimdb.models import Actor, Statement, StatementClaim

TIMELINE_LIMIT = 500


@dataclass(frozen=True)
class TimelinePoint:
    statement_id: int
    stated: dt.date | None
    precision: str | None  # "year", "month", "day" (None when undated)
    stance: str
    speaker: str


def claim_timeline(session: Session, claim_id: int, limit: int = TIMELINE_LIMIT) -> list[TimelinePoint]:
    """The statements on a claim, in date order, at most `limit` of them."""
    rows = session.execute(
        select(Statement.id, Statement.stated, Statement.stated_precision, StatementClaim.stance, Actor.name)
        .join(StatementClaim, StatementClaim.statement_id == Statement.id)
        .join(Actor, Actor.id == Statement.speaker_id)
        .where(StatementClaim.claim_id == claim_id)
        .order_by(Statement.stated, Statement.id).limit(limit)).all()
    return [TimelinePoint(r.id, r.stated, r.stated_precision, r.stance, r.name) for r in rows]
