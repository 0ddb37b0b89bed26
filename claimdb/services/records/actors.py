"""Actors, their aliases and affiliations; resolving a typed name to actors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, selectinload

from claimdb.errors import Invalid
from claimdb.models import Accusation, Actor, ActorAlias, Affiliation, Source, Statement
from claimdb.normalize import normalize_name
from claimdb.partialdate import PartialDate, iso, parse_date
from claimdb.services.arguments import date_filter, int_filter
from claimdb.services.records.lifecycle import Resource, dependants, require_ids
from claimdb.services.records.rules import affiliation_problems
from claimdb.services.records.schemas import ActorIn, AffiliationIn, AliasIn
from claimdb.services.search.names import matching_ids_query

# ---------------------------------------------------------------- actors


def write_actor(session: Session, actor: Actor, data: ActorIn) -> None:
    actor.name = data.name
    actor.normalized = normalize_name(data.name)
    actor.kind = data.kind
    actor.description = data.description
    actor.reliability = data.reliability
    existing = {a.normalized: a for a in actor.aliases} if actor.id is not None else {}
    rows = []
    for key, alias in unique_aliases(actor.normalized, data.aliases):
        row = existing.get(key) or ActorAlias(normalized=key)
        row.name, row.language = alias.name, alias.language
        rows.append(row)
    actor.aliases = rows


def unique_aliases(name_key: str, aliases: Sequence[AliasIn]) -> list[tuple[str, AliasIn]]:
    """Aliases with their keys; one that normalizes like the name or an earlier alias adds nothing
    (first spelling wins), so it is dropped rather than refused."""
    kept: dict[str, AliasIn] = {}
    for alias in aliases:
        key = normalize_name(alias.name)
        if key and key != name_key and key not in kept:
            kept[key] = alias
    return list(kept.items())


def serialize_actors(session: Session, actors: Sequence[Actor]) -> list[dict[str, Any]]:
    ids = [a.id for a in actors]
    if ids:  # load every alias in one query
        session.scalars(select(Actor).where(Actor.id.in_(ids)).options(selectinload(Actor.aliases))).all()
    return [
        {"id": a.id, "name": a.name, "kind": a.kind, "description": a.description, "reliability": a.reliability,
         "aliases": [{"name": x.name, "language": x.language} for x in a.aliases], "version": a.version}
        for a in actors
    ]


def actor_dependants(session: Session, actor_id: int) -> list[dict[str, Any]]:
    return [
        *dependants(session, "statement", select(Statement.id, Statement.text).where(Statement.speaker_id == actor_id),
                    lambda r: r.text[:80]),
        *dependants(session, "source", select(Source.id, Source.title).where(Source.publisher_id == actor_id),
                    lambda r: r.title),
        *dependants(session, "affiliation", select(Affiliation.id, Affiliation.role).where(
            or_(Affiliation.member_id == actor_id, Affiliation.organization_id == actor_id)), lambda r: r.role),
        *dependants(session, "accusation", select(Accusation.id, Accusation.act).where(
            or_(Accusation.accuser_id == actor_id, Accusation.accused_id == actor_id)), lambda r: r.act[:80]),
    ]


ACTORS = Resource(
    name="actor", plural="actors", model=Actor, schema=ActorIn, write=write_actor, serialize=serialize_actors,
    dependants=actor_dependants, label=lambda a: f"Actor “{a.name}”",
    filters={
        "q": lambda q, v: q.where(Actor.id.in_(matching_ids_query(v))),
        "kind": lambda q, v: q.where(Actor.kind == v),
    },
    sorts={"name": Actor.name, "kind": Actor.kind},
    default_sort="name",
)

# ---------------------------------------------------------------- affiliations


def write_affiliation(session: Session, affiliation: Affiliation, data: AffiliationIn) -> None:
    errors: dict[str, str] = {}
    actors = require_ids(session, Actor, {"member_id": data.member_id, "organization_id": data.organization_id},
                         errors, "actor")
    require_ids(session, Statement, {"statement_id": data.statement_id}, errors, "statement")
    organization = actors.get(data.organization_id)
    errors.update(affiliation_problems(data, organization.name if organization else None,
                                       organization.kind if organization else None))
    start, end = parse_date(data.start), parse_date(data.end)
    if errors:
        raise Invalid(errors)
    affiliation.member_id = data.member_id
    affiliation.organization_id = data.organization_id
    affiliation.role = data.role
    affiliation.set_span(start, end)
    affiliation.statement_id = data.statement_id
    affiliation.note = data.note


def serialize_affiliations(_session: Session, rows: Sequence[Affiliation]) -> list[dict[str, Any]]:
    return [
        {"id": f.id, "member_id": f.member_id, "organization_id": f.organization_id, "role": f.role,
         "start": iso(f.start_date), "end": iso(f.end_date), "statement_id": f.statement_id, "note": f.note,
         "version": f.version}
        for f in rows
    ]


def held_on(affiliation: type[Affiliation] | Any, day: Any) -> Any:
    """SQL: the affiliation held on `day` (a date column or value); open ends hold since always / still."""
    return and_(or_(affiliation.start_on.is_(None), affiliation.start_on <= day),
                or_(affiliation.end_last.is_(None), affiliation.end_last >= day))


def _affiliation_on(query: Select[Any], value: str) -> Select[Any]:
    day: PartialDate = date_filter("on", value)
    return query.where(held_on(Affiliation, day.first))


AFFILIATIONS = Resource(
    name="affiliation", plural="affiliations", model=Affiliation, schema=AffiliationIn, write=write_affiliation,
    serialize=serialize_affiliations, dependants=lambda _s, _id: [], label=lambda f: f"Affiliation #{f.id}",
    filters={
        "member_id": lambda q, v: q.where(Affiliation.member_id == int_filter("member_id", v)),
        "organization_id": lambda q, v: q.where(Affiliation.organization_id == int_filter("organization_id", v)),
        "actor_id": lambda q, v: q.where(or_(Affiliation.member_id == int_filter("actor_id", v),
                                             Affiliation.organization_id == int_filter("actor_id", v))),
        "role": lambda q, v: q.where(Affiliation.role == v),
        "on": _affiliation_on,
    },
    sorts={"start": Affiliation.start_on, "end": Affiliation.end_on, "role": Affiliation.role},
)
