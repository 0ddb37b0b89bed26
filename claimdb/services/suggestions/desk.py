"""The desk's two answers to a suggestion: record it as a statement, or dismiss it for that source."""

from __future__ import annotations

from typing import Any, Final

from pydantic import Field
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.models import DismissedSuggestion
from claimdb.services.records import lifecycle
from claimdb.services.records.schemas import (
    ClaimLinkIn,
    Credibility,
    DateText,
    QuoteType,
    Ref,
    RequiredLongText,
    SpanIn,
    Strict,
    Text500,
    validate,
)
from claimdb.services.records.sources import STATEMENTS
from claimdb.services.suggestions.proposals import Proposal, proposals

# Quotation marks a direct quote's suggested span keeps and a recorded quote leaves out.
QUOTE_MARKS: Final = "\"'“”‘’«»„‚‹›「」『』"


class DismissIn(Strict):
    """Which suggestion to dismiss: its span, as the suggestions list gave it."""

    span: SpanIn


class AcceptIn(Strict):
    """Which suggestion to record (its span), and any statement field to set otherwise than suggested."""

    span: SpanIn
    speaker_id: Ref | None = None
    reported_by_id: Ref | None = None
    text: RequiredLongText | None = None
    quote_type: QuoteType | None = None
    cue: Text500 | None = None
    hedge: Text500 | None = None
    stated: DateText | None = None
    credibility: Credibility | None = None
    claims: list[ClaimLinkIn] = Field(default_factory=list, max_length=500)


def find(session: Session, source_id: int, start: int, end: int) -> tuple[Proposal, list[Proposal]]:
    """The suggestion on exactly this span (dismissed ones included), with the whole list it is indexed in."""
    items = proposals(session, source_id, include_dismissed=True)
    match = next((p for p in items if (p.span.start, p.span.end) == (start, end)), None)
    if match is None:
        raise Invalid({"span": f"No suggestion in source {source_id} has the span {start}–{end}. "
                               "Reload the suggestions and use a span from the list."})
    return match, items


def dismiss(session: Session, source_id: int, payload: Any) -> tuple[dict[str, Any], bool]:
    """Hide a suggestion for this source from now on; (the dismissal, whether it is new). Idempotent."""
    data = validate(DismissIn, payload)
    proposal, _ = find(session, source_id, data.span.start, data.span.end)
    row = session.scalar(select(DismissedSuggestion).where(
        DismissedSuggestion.source_id == source_id, DismissedSuggestion.span_start == proposal.span.start,
        DismissedSuggestion.span_end == proposal.span.end))
    created = row is None or row.quote != proposal.text
    if row is None:
        row = DismissedSuggestion(source_id=source_id, span_start=proposal.span.start, span_end=proposal.span.end)
        session.add(row)
    if created:  # new, or a stale one left at these offsets by a body correction
        row.quote = proposal.text
        row.cue = proposal.cue[:500] or None
        row.speaker = proposal.speaker_text[:500] or None
        row.user_id = session.info.get("audit_user_id")
        row.username = session.info.get("audit_username")
    try:
        session.flush()
    except IntegrityError:  # another analyst dismissed it at the same moment: theirs stands
        session.rollback()
        return dismiss(session, source_id, payload)[0], False
    answer = dismissal_json(row)
    session.commit()
    return answer, created


def dismissal_json(row: DismissedSuggestion) -> dict[str, Any]:
    return {"source_id": row.source_id, "span": {"start": row.span_start, "end": row.span_end}, "text": row.quote,
            "cue": row.cue, "speaker": row.speaker, "dismissed_by": row.username,
            "dismissed_at": row.at.isoformat() if row.at else None}


def accept(session: Session, source_id: int, payload: Any) -> dict[str, Any]:
    """Record a suggestion as a statement (through the ordinary create, with its rules and audit); the
    statement as a read returns it. A speaker name that resolved to no single actor needs ``speaker_id``."""
    data = validate(AcceptIn, payload)
    proposal, items = find(session, source_id, data.span.start, data.span.end)
    if proposal.statement_id is not None:
        raise Invalid({"span": f"This suggestion is already recorded as statement {proposal.statement_id}."})
    given = data.model_fields_set
    speaker_id = data.speaker_id if data.speaker_id is not None else proposal.speaker_id
    if speaker_id is None:
        why = (f"“{proposal.speaker_text}” is not the name or alias of exactly one actor."
               if proposal.speaker_text else "The text names no speaker.")
        raise Invalid({"speaker_id": f"{why} Send speaker_id: the id of the actor who said it."})
    quote_type = data.quote_type if data.quote_type is not None else proposal.quote_type
    start, end = proposal.span.start, proposal.span.end
    text = proposal.text
    if quote_type == "direct":  # record what is quoted, without its quotation marks
        inner = text.strip().strip(QUOTE_MARKS).strip()
        if inner:
            start += text.index(inner)
            end = start + len(inner)
            text = inner
    parent = items[proposal.reported_by] if proposal.reported_by is not None else None
    statement: dict[str, Any] = {
        "source_id": source_id, "speaker_id": speaker_id,
        "reported_by_id": data.reported_by_id if "reported_by_id" in given else (parent.statement_id if parent
                                                                                 else None),
        "text": data.text if data.text is not None else text,
        "quote_type": quote_type,
        "cue": data.cue if "cue" in given else (proposal.cue[:500] or None),
        "hedge": data.hedge if "hedge" in given else proposal.hedge,
        "stated": data.stated, "span": {"start": start, "end": end}, "credibility": data.credibility,
        "claims": [link.model_dump() for link in data.claims],
    }
    # Recording a suggestion overrides an earlier dismissal of it: the model must not learn both.
    session.execute(delete(DismissedSuggestion).where(
        DismissedSuggestion.source_id == source_id, DismissedSuggestion.span_start == proposal.span.start,
        DismissedSuggestion.span_end == proposal.span.end))
    try:
        return lifecycle.create(session, STATEMENTS, statement)
    except Exception:
        session.rollback()  # the dismissal stays when the statement is refused
        raise
