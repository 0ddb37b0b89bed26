"""Actors, their aliases and affiliations; resolving a typed name to actors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.orm import Session, selectinload

from claimdb.errors import Invalid
from claimdb.models import Accusation, Actor, ActorAlias, Affiliation, Source, Statement
from claimdb.normalize import name_words, normalize_name
from claimdb.partialdate import PartialDate
from claimdb.rules import parse_id
from claimdb.services.records.common import date_filter, dependants, int_filter, iso, parse_date
from claimdb.services.records.lifecycle import Resource, require_ids
from claimdb.services.records.rules import affiliation_problems
from claimdb.services.records.schemas import ActorIn, AffiliationIn, AliasIn

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

# ---------------------------------------------------------------- resolving names


def matching_ids_query(text: str) -> Select[Any]:
    """Ids of actors whose name or an alias contains every word typed (normalized)."""
    words = name_words(text)
    if not words:
        return select(Actor.id).where(false())
    alias = select(ActorAlias.actor_id).where(
        and_(*[ActorAlias.normalized.contains(w, autoescape=True) for w in words]))
    named = select(Actor.id).where(and_(*[Actor.normalized.contains(w, autoescape=True) for w in words]))
    return named.union(alias)  # type: ignore[return-value]


@dataclass(frozen=True)
class Resolution:
    """What a typed name stands for: the actors it names, and others whose names contain its words."""

    text: str
    actors: list[Actor]
    suggestions: list[Actor]
    exact: bool


def resolve(session: Session, text: str, *, suggest: int = 10) -> Resolution:
    """An id, or a name: exact normalized matches first; only if none, actors containing every word."""
    text = text.strip()
    if (actor_id := parse_id(text)) is not None:
        actor = session.get(Actor, actor_id)
        return Resolution(text, [actor] if actor else [], [], True)
    key = normalize_name(text)
    if not key:
        return Resolution(text, [], [], False)
    exact_ids = select(Actor.id).where(Actor.normalized == key).union(
        select(ActorAlias.actor_id).where(ActorAlias.normalized == key))
    exact = list(session.scalars(select(Actor).where(Actor.id.in_(exact_ids)).order_by(Actor.name)))
    partial = list(session.scalars(
        select(Actor).where(Actor.id.in_(matching_ids_query(text))).order_by(Actor.name).limit(200 + suggest)))
    if exact:
        chosen = {a.id for a in exact}
        return Resolution(text, exact, [a for a in partial if a.id not in chosen][:suggest], True)
    return Resolution(text, partial[:200], [], False)


def resolve_one(session: Session, text: str, field: str) -> Actor:
    """The single actor a typed name or id stands for, or a field error naming the candidates."""
    found = resolve(session, text)
    if len(found.actors) == 1:
        return found.actors[0]
    if not found.actors:
        raise Invalid({field: f"No actor is called “{text}”. Create it first or pick one from the list."})
    names = "; ".join(f"{a.name} (#{a.id})" for a in found.actors[:8])
    raise Invalid({field: f"“{text}” could be several actors: {names}. Pick one."})


def lookup(session: Session, text: str, limit: int = 15) -> list[dict[str, Any]]:
    """Suggestions for a searchable select: [{id, label, detail}]."""
    found = resolve(session, text, suggest=limit)
    actors = (found.actors + found.suggestions)[:limit]
    aliases: dict[int, list[str]] = {}
    if actors:
        for row in session.execute(select(ActorAlias.actor_id, ActorAlias.name)
                                   .where(ActorAlias.actor_id.in_([a.id for a in actors])).order_by(ActorAlias.id)):
            aliases.setdefault(row.actor_id, []).append(row.name)
    return [{"id": a.id, "label": a.name,
             "detail": " · ".join(filter(None, [a.kind, ("aka " + ", ".join(aliases[a.id][:3])) if a.id in aliases
                                                else None]))}
            for a in actors]


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
