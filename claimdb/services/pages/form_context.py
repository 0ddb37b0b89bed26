"""What the statement and source forms look up around the record being typed: briefs, candidates, losses.

Small, single-purpose queries, each bounded, so a form page stays fast on a big archive.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only, selectinload

from claimdb.models import Actor, Source, Statement
from claimdb.services.records.spans import Anchor, reanchor


def source_brief(session: Session, source_id: int | None) -> Source | None:
    """A source's title and body length for the statement form, without the relationship loads."""
    if source_id is None:
        return None
    return session.scalars(select(Source).where(Source.id == source_id)
                           .options(load_only(Source.id, Source.title, Source.kind, Source.body, Source.published,
                                              Source.published_precision))).first()


def statement_brief(session: Session, statement_id: int | None) -> Statement | None:
    """A statement with its speaker, to name a reporting statement on a form."""
    if statement_id is None:
        return None
    return session.scalars(select(Statement).where(Statement.id == statement_id)
                           .options(selectinload(Statement.speaker))).first()


def enclosing_statements(session: Session, source_id: int, start: int, end: int) -> list[Statement]:
    """Statements of the source whose span contains [start, end): candidates to report a selection through.

    Innermost first, so the likeliest reporter comes first.
    """
    return list(session.scalars(
        select(Statement).where(Statement.source_id == source_id, Statement.span_start <= start,
                                Statement.span_end >= end)
        .options(selectinload(Statement.speaker))
        .order_by((Statement.span_end - Statement.span_start), Statement.id).limit(5)))


def lost_spans(session: Session, source_id: int, body: str) -> list[Statement]:
    """The statements whose quoted span a corrected body would lose (as the source's update will refuse)."""
    statements = session.scalars(select(Statement).where(Statement.source_id == source_id,
                                                         Statement.span_start.is_not(None))
                                 .options(selectinload(Statement.speaker)).order_by(Statement.span_start)).all()
    return [st for st in statements
            if reanchor(body, Anchor(st.span_start or 0, st.span_end or 0, st.span_prefix or "", st.span_quote or "",
                                     st.span_suffix or "")) is None]


def recent_speakers(session: Session, source_id: int, limit: int = 6) -> list[Actor]:
    """The speakers of a source's latest statements, most recent first: one-click picks on the next form."""
    latest = (select(Statement.speaker_id, func.max(Statement.id).label("last"))
              .where(Statement.source_id == source_id).group_by(Statement.speaker_id).subquery())
    return list(session.scalars(select(Actor).join(latest, latest.c.speaker_id == Actor.id)
                                .order_by(latest.c.last.desc()).limit(limit)))
