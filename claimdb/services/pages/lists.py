"""The source and statement list pages: filters (an actor typed by any name), batch-loaded rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only, selectinload

from claimdb.models import Source, Statement
from claimdb.services.records import lifecycle
from claimdb.services.records.sources import SOURCES, STATEMENTS
from claimdb.services.search import names
from claimdb.services.statement_views import statement_views


@dataclass
class Listing:
    """A page of list rows plus how a typed actor name was understood."""

    results: Any  # Results[row]
    resolution: Any = None  # actors.Resolution for a typed speaker/publisher, else None


def list_sources(session: Session, args: Mapping[str, str], page: Any) -> Listing:
    """Sources with their publishers and statement counts; ?publisher= takes an id or any alias,
    ?q= matches words of the title whatever their case."""
    query = select(Source).options(load_only(Source.id, Source.title, Source.kind, Source.publisher_id,
                                             Source.published, Source.published_precision, Source.language,
                                             Source.original_language, Source.reliability, Source.author),
                                   selectinload(Source.publisher))
    resolution = None
    typed = (args.get("publisher") or "").strip()
    if typed:
        resolution = names.resolve(session, typed)
        query = query.where(Source.publisher_id.in_([a.id for a in resolution.actors] or [-1]))
    title = (args.get("q") or "").strip()
    if title:  # case-insensitive on both engines (LIKE is case-sensitive on PostgreSQL)
        query = query.where(Source.title.icontains(title, autoescape=True))
    rest = {k: v for k, v in args.items() if k != "q"}
    results = lifecycle.list_records(session, SOURCES, rest, page, query=query)
    ids = [s.id for s in results.items]
    counts = {r[0]: r[1] for r in session.execute(select(Statement.source_id, func.count(Statement.id))
                                                  .where(Statement.source_id.in_(ids)).group_by(Statement.source_id))}
    return Listing(results.map(lambda items: [(s, counts.get(s.id, 0)) for s in items]), resolution)


def list_statements(session: Session, args: Mapping[str, str], page: Any) -> Listing:
    """Statements with speaker, source title and chain; ?speaker= takes an id or any alias."""
    query = select(Statement).options(
        selectinload(Statement.speaker),
        selectinload(Statement.source).load_only(Source.id, Source.title, Source.kind, Source.reliability))
    resolution = None
    typed = (args.get("speaker") or "").strip()
    if typed:
        resolution = names.resolve(session, typed)
        query = query.where(Statement.speaker_id.in_([a.id for a in resolution.actors] or [-1]))
    results = lifecycle.list_records(session, STATEMENTS, args, page, query=query)
    return Listing(results.map(lambda items: statement_views(session, items, with_claims=True)), resolution)
