"""Finding actors by any name they go by: ids, names and aliases, normalized (DESIGN.md, "Search by speaker").

A typed name resolves to every actor whose name or alias normalizes to it; only when none does, to
those whose names contain all of its words. Forms, lists, search, reports and the spreadsheet import
all resolve names here, so "Qahtani" means the same actors everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, false, select
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.models import Actor, ActorAlias
from claimdb.normalize import name_words, normalize_name
from claimdb.rules import parse_id
from claimdb.services.search.fulltext import MAX_WORDS


def matching_ids_query(text: str) -> Select[Any]:
    """Ids of actors whose name or an alias contains every word typed (normalized)."""
    words = name_words(text)[:MAX_WORDS]  # a pasted paragraph must not become a query SQLite cannot evaluate
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


@dataclass(frozen=True)
class Resolved:
    """What a typed speaker or faction name resolved to, and the other actors it might mean."""

    field: str
    text: str
    actors: list[dict[str, Any]]
    suggestions: list[dict[str, Any]]
    exact: bool

    @property
    def ids(self) -> list[int]:
        return [a["id"] for a in self.actors]

    def json(self) -> dict[str, Any]:
        return {"query": self.text, "actors": self.actors, "suggestions": self.suggestions, "exact": self.exact}


def resolve_field(session: Session, field_name: str, value: str) -> Resolved:
    """An actor id or any alias, as resolve() reads it (exact keys first, else all words)."""
    found = resolve(session, value)
    brief = [{"id": a.id, "name": a.name, "kind": a.kind} for a in found.actors]
    others = [{"id": a.id, "name": a.name, "kind": a.kind} for a in found.suggestions]
    return Resolved(field_name, value, brief, others, found.exact)
