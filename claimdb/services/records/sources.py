"""Sources and the statements in them: spans, nested attribution and attribution chains."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from claimdb.errors import Invalid
from claimdb.models import Accusation, Actor, Affiliation, Claim, Source, Statement, StatementClaim
from claimdb.models.base import split_partial
from claimdb.partialdate import iso, parse_date
from claimdb.services import audit
from claimdb.services.arguments import date_filter, int_filter
from claimdb.services.records.chains import MAX_CHAIN, chains
from claimdb.services.records.lifecycle import Resource, dependants, require_ids
from claimdb.services.records.rules import claim_link_problems, publisher_problems, reporter_problems
from claimdb.services.records.schemas import SourceIn, StatementIn
from claimdb.services.records.spans import Anchor, anchor, reanchor
from claimdb.wording import short

# ---------------------------------------------------------------- sources


def write_source(session: Session, source: Source, data: SourceIn) -> None:
    errors: dict[str, str] = {}
    publishers = require_ids(session, Actor, {"publisher_id": data.publisher_id}, errors, "actor")
    publisher = publishers.get(data.publisher_id) if data.publisher_id else None
    if publisher is not None:
        errors.update(publisher_problems(publisher.name, publisher.kind))
    moved: list[tuple[Statement, Anchor]] = []
    if source.id is not None and data.body != source.body:
        moved = _reanchor_statements(session, source.id, data.body, errors)
    if errors:
        raise Invalid(errors)
    reliability = data.reliability
    if source.id is None and "reliability" not in data.model_fields_set and publisher is not None:
        reliability = publisher.reliability  # a new source takes its publisher's usual grade
    source.title = data.title
    source.kind = data.kind
    source.publisher_id = data.publisher_id
    source.author = data.author
    source.url = data.url
    source.published, source.published_precision = split_partial(parse_date(data.published))
    source.language = data.language
    source.original_language = data.original_language
    source.body = data.body
    source.reliability = reliability
    source.note = data.note
    _move_spans(session, moved)


def _reanchor_statements(session: Session, source_id: int, body: str,
                         errors: dict[str, str]) -> list[tuple[Statement, Anchor]]:
    """Where each spanned statement sits in the corrected body; refuse the body if one is lost."""
    statements = session.scalars(select(Statement).where(Statement.source_id == source_id,
                                                         Statement.span_start.is_not(None))
                                 .order_by(Statement.span_start)).all()
    moved, lost = [], []
    for st in statements:
        assert st.span_start is not None and st.span_end is not None
        old = Anchor(st.span_start, st.span_end, st.span_prefix or "", st.span_quote or "", st.span_suffix or "")
        new = reanchor(body, old)
        if new is None:
            lost.append(st)
        elif (new.start, new.end, new.prefix, new.suffix) != (old.start, old.end, old.prefix, old.suffix):
            moved.append((st, new))
    if lost:
        listed = "; ".join(f"#{st.id} “{short(st.span_quote, 60)}”" for st in lost[:20])
        errors["body"] = (
            f"This correction would lose the place of {len(lost)} statement(s), whose quoted text no longer "
            f"occurs exactly once: {listed}. Fix those statements' spans first, or keep their quoted text."
        )
    return moved


def _move_spans(session: Session, moved: list[tuple[Statement, Anchor]]) -> None:
    if not moved:
        return
    before = {row["id"]: row for row in serialize_statements(session, [st for st, _ in moved])}
    for st, new in moved:
        st.span_start, st.span_end = new.start, new.end
        st.span_prefix, st.span_quote, st.span_suffix = new.prefix, new.quote, new.suffix
        st.bump_version()
        after = dict(before[st.id], span={"start": new.start, "end": new.end}, version=st.version)
        audit.record(session, "update", "statement", st.id, before[st.id], after)


def serialize_sources(_session: Session, sources: Sequence[Source]) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "title": s.title, "kind": s.kind, "publisher_id": s.publisher_id, "author": s.author,
         "url": s.url, "published": iso(s.published_date), "language": s.language,
         "original_language": s.original_language, "body": s.body, "reliability": s.reliability, "note": s.note,
         "version": s.version}
        for s in sources
    ]


def source_dependants(session: Session, source_id: int) -> list[dict[str, Any]]:
    return dependants(session, "statement", select(Statement.id, Statement.text)
                      .where(Statement.source_id == source_id).order_by(Statement.id), lambda r: short(r.text))


def _published_from(query: Select[Any], value: str) -> Select[Any]:
    return query.where(Source.published >= date_filter("from", value).first)


def _published_to(query: Select[Any], value: str) -> Select[Any]:
    return query.where(Source.published <= date_filter("to", value).last)


SOURCES = Resource(
    name="source", plural="sources", model=Source, schema=SourceIn, write=write_source,
    serialize=serialize_sources, dependants=source_dependants, label=lambda s: f"Source “{short(s.title, 60)}”",
    filters={
        "kind": lambda q, v: q.where(Source.kind == v),
        "publisher_id": lambda q, v: q.where(Source.publisher_id == int_filter("publisher_id", v)),
        "reliability": lambda q, v: q.where(Source.reliability == v),
        "q": lambda q, v: q.where(func.lower(Source.title).contains(v.lower(), autoescape=True)),
        "from": _published_from,
        "to": _published_to,
    },
    sorts={"title": Source.title, "published": Source.published, "reliability": Source.reliability},
    default_sort="-published",
)

# ---------------------------------------------------------------- statements


def write_statement(session: Session, st: Statement, data: StatementIn) -> None:
    errors: dict[str, str] = {}
    sources = require_ids(session, Source, {"source_id": data.source_id}, errors, "source")
    require_ids(session, Actor, {"speaker_id": data.speaker_id}, errors, "actor")
    parents = require_ids(session, Statement, {"reported_by_id": data.reported_by_id}, errors, "statement")
    claim_ids = [link.claim_id for link in data.claims]
    errors.update(claim_link_problems(claim_ids))
    found = set(session.scalars(select(Claim.id).where(Claim.id.in_(claim_ids)))) if claim_ids else set()
    missing = [c for c in claim_ids if c not in found]
    if missing:
        errors.setdefault("claims", f"There is no claim {', '.join(map(str, missing))}.")
    parent = parents.get(data.reported_by_id) if data.reported_by_id else None
    if parent is not None:
        errors.update(reporter_problems(st.id, data.source_id, parent.id, parent.source_id,
                                        partial(_reporter_of, session), MAX_CHAIN))
    if st.id is not None and data.source_id != st.source_id:
        stray = session.scalars(select(Statement.id).where(Statement.reported_by_id == st.id).limit(5)).all()
        if stray:
            errors.setdefault("source_id", "Statements reported through this one ("
                              + ", ".join(f"#{i}" for i in stray) + ") would leave their source; move them first.")
    source = sources.get(data.source_id)
    span = None
    if source is not None:
        span = span_anchor(source.body or "", data, errors)
    if errors:
        raise Invalid(errors)
    st.source_id = data.source_id
    st.speaker_id = data.speaker_id
    st.reported_by_id = data.reported_by_id
    st.text = data.text
    st.quote_type = data.quote_type
    st.cue = data.cue
    st.hedge = data.hedge
    st.stated, st.stated_precision = split_partial(parse_date(data.stated))
    st.credibility = data.credibility
    if span is None:
        st.span_start = st.span_end = None
        st.span_prefix = st.span_quote = st.span_suffix = None
    else:
        st.span_start, st.span_end = span.start, span.end
        st.span_prefix, st.span_quote, st.span_suffix = span.prefix, span.quote, span.suffix
    existing: dict[int, StatementClaim] = {}
    if st.id is not None:  # load the current links into the collection before replacing it
        with_links = select(Statement).where(Statement.id == st.id).options(selectinload(Statement.claim_links))
        session.scalars(with_links).all()
        existing = {link.claim_id: link for link in st.claim_links}
    links = []
    for link in data.claims:
        row = existing.get(link.claim_id) or StatementClaim(claim_id=link.claim_id)
        row.stance, row.certainty = link.stance, link.certainty
        links.append(row)
    st.claim_links = links


def span_anchor(body: str, data: StatementIn, errors: dict[str, str]) -> Anchor | None:
    """The statement's span anchored in the body; notes a field error if it lies outside it or if a
    direct quote differs from the text it spans."""
    if data.span is None:
        return None
    if not (data.span.start < data.span.end <= len(body)):
        errors["span"] = (f"The span must lie inside the source body (0–{len(body)}) and end after it starts; "
                          f"got {data.span.start}–{data.span.end}.")
        return None
    span = anchor(body, data.span.start, data.span.end)
    if data.quote_type == "direct" and data.text != span.quote:
        errors["text"] = f"A direct quote must equal the spanned text exactly: “{short(span.quote, 200)}”."
    return span


def _reporter_of(session: Session, statement_id: int) -> int | None:
    return session.scalar(select(Statement.reported_by_id).where(Statement.id == statement_id))


def serialize_statements(session: Session, statements: Sequence[Statement]) -> list[dict[str, Any]]:
    ids = [s.id for s in statements]
    links: dict[int, list[dict[str, Any]]] = {}
    if ids:
        # columns, not ORM objects: a page of 50 statements has a hundred links, each an object to build
        for link in session.execute(select(StatementClaim.statement_id, StatementClaim.claim_id,
                                           StatementClaim.stance, StatementClaim.certainty)
                                    .where(StatementClaim.statement_id.in_(ids))
                                    .order_by(StatementClaim.statement_id, StatementClaim.claim_id)):
            links.setdefault(link.statement_id, []).append(
                {"claim_id": link.claim_id, "stance": link.stance, "certainty": link.certainty})
    chain = chains(session, statements)
    return [
        {"id": s.id, "source_id": s.source_id, "speaker_id": s.speaker_id, "reported_by_id": s.reported_by_id,
         "text": s.text, "quote_type": s.quote_type, "cue": s.cue, "hedge": s.hedge, "stated": iso(s.stated_date),
         "span": {"start": s.span_start, "end": s.span_end} if s.span_start is not None else None,
         "credibility": s.credibility, "claims": links.get(s.id, []), "version": s.version, "chain": chain[s.id]}
        for s in statements
    ]


def statement_dependants(session: Session, statement_id: int) -> list[dict[str, Any]]:
    return [
        *dependants(session, "statement", select(Statement.id, Statement.text)
                    .where(Statement.reported_by_id == statement_id), lambda r: short(r.text)),
        *dependants(session, "accusation", select(Accusation.id, Accusation.act)
                    .where(Accusation.statement_id == statement_id), lambda r: short(r.act)),
        *dependants(session, "affiliation", select(Affiliation.id, Affiliation.role)
                    .where(Affiliation.statement_id == statement_id), lambda r: r.role),
    ]


def _stated_from(query: Select[Any], value: str) -> Select[Any]:
    return query.where(Statement.stated >= date_filter("from", value).first)


def _stated_to(query: Select[Any], value: str) -> Select[Any]:
    return query.where(Statement.stated <= date_filter("to", value).last)


def _with_claim(query: Select[Any], value: str) -> Select[Any]:
    linked = select(StatementClaim.statement_id).where(StatementClaim.claim_id == int_filter("claim_id", value))
    return query.where(Statement.id.in_(linked))


STATEMENTS = Resource(
    name="statement", plural="statements", model=Statement, schema=StatementIn, write=write_statement,
    serialize=serialize_statements, dependants=statement_dependants,
    label=lambda s: f"Statement #{s.id} “{short(s.text, 60)}”",
    filters={
        "source_id": lambda q, v: q.where(Statement.source_id == int_filter("source_id", v)),
        "speaker_id": lambda q, v: q.where(Statement.speaker_id == int_filter("speaker_id", v)),
        "reported_by_id": lambda q, v: q.where(Statement.reported_by_id == int_filter("reported_by_id", v)),
        "claim_id": _with_claim,
        "quote_type": lambda q, v: q.where(Statement.quote_type == v),
        "from": _stated_from,
        "to": _stated_to,
    },
    sorts={"stated": Statement.stated, "source": Statement.source_id, "speaker": Statement.speaker_id,
           "span": Statement.span_start},
    default_sort="-stated",
)
