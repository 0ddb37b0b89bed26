"""The list pages of the seven nouns, through one pipeline with one rule for actor filters.

An actor filter (a statement's speaker, a source's publisher, an accusation's accuser, ...) takes an id
or any name or alias. A name resolves, through `search.names.resolve`, to every actor whose name or alias
matches, at most MAX_ACTORS of them (more is a field error asking for a more specific name); the
listing keeps each resolution so the page can say which actors it stands for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, load_only, selectinload

from claimdb.errors import Invalid
from claimdb.models import Accusation, Affiliation, Source, Statement
from claimdb.rules import CONTROL_MESSAGE, has_control
from claimdb.services.pages.labels import labels_for_values
from claimdb.services.paging import Page, Results
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES
from claimdb.services.search import names
from claimdb.services.statement_views import VIEW_COLUMNS, statement_views

MAX_ACTORS = 50


@dataclass
class Listing:
    """A page of list rows plus how each typed actor filter was understood."""

    results: Results[Any]
    resolutions: dict[str, names.Resolution] = field(default_factory=dict)
    labels: dict[str, dict[int, str]] = field(default_factory=dict)  # names of the records the rows refer to


@dataclass(frozen=True)
class ListSpec:
    """What differs between the list pages: the base query, the rows a page shows, the actor filters."""

    query: Callable[[], Select[Any]] | None = None
    rows: Callable[[Session, list[Any]], list[Any]] | None = None  # default: the API's shape
    actor_filters: Mapping[str, Sequence[Any]] = field(default_factory=dict)  # filter -> the columns it matches
    default_size: int | None = None  # None: the app's PER_PAGE
    own_filters: Callable[[Select[Any], Mapping[str, str]], Select[Any]] | None = None
    own_args: tuple[str, ...] = ()  # args `own_filters` handles (the resource's filter for them is skipped)
    labels: bool = False  # name the records the rows refer to (API-shaped rows only)


def _source_query() -> Select[Any]:
    return select(Source).options(load_only(Source.id, Source.title, Source.kind, Source.publisher_id,
                                            Source.published, Source.published_precision, Source.language,
                                            Source.original_language, Source.reliability, Source.author),
                                  selectinload(Source.publisher))


def _title_contains(query: Select[Any], args: Mapping[str, str]) -> Select[Any]:
    title = (args.get("q") or "").strip()
    # case-insensitive on both engines (LIKE is case-sensitive on PostgreSQL)
    return query.where(Source.title.icontains(title, autoescape=True)) if title else query


def _source_rows(session: Session, items: list[Any]) -> list[Any]:
    """Each source with its number of statements (one query for the page)."""
    ids = [s.id for s in items]
    counts = {r[0]: r[1] for r in session.execute(select(Statement.source_id, func.count(Statement.id))
                                                  .where(Statement.source_id.in_(ids)).group_by(Statement.source_id))}
    return [(s, counts.get(s.id, 0)) for s in items]


def _statement_query() -> Select[Any]:
    """The columns statement_views reads, nothing more: it names the speakers (through the chains) and
    reads the sources itself, so the page loads neither relationship nor the span's quote and context."""
    return select(Statement).options(load_only(*VIEW_COLUMNS))


def _statement_rows(session: Session, items: list[Any]) -> list[Any]:
    return list(statement_views(session, items, with_claims=True))


SPECS: dict[str, ListSpec] = {
    "actors": ListSpec(),
    "affiliations": ListSpec(labels=True, actor_filters={
        "actor_id": (Affiliation.member_id, Affiliation.organization_id),
        "member_id": (Affiliation.member_id,), "organization_id": (Affiliation.organization_id,)}),
    "sources": ListSpec(query=_source_query, rows=_source_rows, default_size=25,
                        actor_filters={"publisher": (Source.publisher_id,)},
                        own_filters=_title_contains, own_args=("q",)),
    "statements": ListSpec(query=_statement_query, rows=_statement_rows, default_size=25,
                           actor_filters={"speaker": (Statement.speaker_id,)}),
    "claims": ListSpec(),
    "accusations": ListSpec(labels=True, actor_filters={
        "accuser_id": (Accusation.accuser_id,), "accused_id": (Accusation.accused_id,),
        "actor_id": (Accusation.accuser_id, Accusation.accused_id)}),
    "contradictions": ListSpec(labels=True),
}


def resolve_actors(session: Session, name: str, text: str) -> names.Resolution:
    """The actors a typed filter stands for: an id, or every actor the name or alias matches (bounded)."""
    found = names.resolve(session, text, suggest=0, most=MAX_ACTORS)
    if found.more:
        raise Invalid({name: f"“{text}” matches more than {MAX_ACTORS} actors. Type more of the name."})
    return found


def list_page(session: Session, plural: str, args: Mapping[str, str], page: Page) -> Listing:
    """One page of a noun's list: its filters and ?sort applied, actor filters resolved, rows batch-loaded."""
    resource, spec = RESOURCES[plural], SPECS[plural]
    bad = {k: CONTROL_MESSAGE for k, v in args.items() if has_control(v)}
    if bad:  # refused here: PostgreSQL cannot even compare a NUL
        raise Invalid(bad)
    query = spec.query() if spec.query else select(resource.model)
    resolutions: dict[str, names.Resolution] = {}
    errors: dict[str, str] = {}
    for name, columns in spec.actor_filters.items():
        text = (args.get(name) or "").strip()
        if not text:
            continue
        try:
            resolutions[name] = found = resolve_actors(session, name, text)
        except Invalid as e:
            errors.update(e.errors)
            continue
        ids = [a.id for a in found.actors] or [-1]
        query = query.where(or_(*[column.in_(ids) for column in columns]))
    if errors:
        raise Invalid(errors)
    if spec.own_filters:
        query = spec.own_filters(query, args)
    rest = {k: v for k, v in args.items() if k not in spec.actor_filters and k not in spec.own_args}
    results = lifecycle.list_records(session, resource, rest, page, query=query)
    rows = results.map(lambda items: (spec.rows or resource.serialize)(session, list(items)))
    return Listing(rows, resolutions, labels_for_values(session, rows.items) if spec.labels else {})
