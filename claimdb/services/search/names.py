"""Finding actors by any name they go by: ids, names and aliases, normalized (DESIGN.md, "Search by speaker").

A typed name resolves to every actor whose name or alias normalizes to it; only when none does, to
those whose names contain all of its words. Forms, lists, search, reports and the spreadsheet import
all resolve names here, so "Qahtani" means the same actors everywhere.

"Contains all of its words" is answered by a trigram index over the normalized names and aliases
(SQLite: the FTS5 table `actor_name_fts`, tokenize='trigram', kept by triggers; PostgreSQL: pg_trgm
GIN indexes on both `normalized` columns; migration 5d2e7f3a9b10), so it costs about the same at
1,000 or 1,000,000 names. Words shorter than a trigram are checked by LIKE on the narrowed rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, bindparam, column, false, or_, select, table, text, union
from sqlalchemy import text as text_clause  # `text` is also the typed name's parameter below
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from claimdb.errors import Invalid
from claimdb.models import Actor, ActorAlias
from claimdb.normalize import name_words, normalize_name
from claimdb.rules import parse_id
from claimdb.services.search.fulltext import MAX_WORDS

MAX_MATCHES = 50  # a name that only partly matches more actors than this asks for more of the name
# Actors containing the words that resolve() ranks by name: a word in more names than this asks to
# choose anyway, and ranking every one of them grew with the archive (`a` at 1M: 46 ms, at 100k 11 ms).
CANDIDATES = 1_000


def matching_ids_query(text: str) -> Select[Any]:
    """Ids of actors whose name or an alias contains every word typed (normalized)."""
    words = name_words(text)[:MAX_WORDS]  # a pasted paragraph must not become a query SQLite cannot evaluate
    if not words:
        return select(Actor.id).where(false())
    return select(Actor.id).where(_NamedBy(Actor.id, tuple(words)))


class _NamedBy(ColumnElement[bool]):
    """SQL: `actor_id` is an actor whose name or an alias contains every word (normalized).

    Compiled per engine, so callers (the actor list's ?q=, resolve()) need not know which one runs."""

    inherit_cache = False

    def __init__(self, actor_id: Any, words: tuple[str, ...]) -> None:
        self.actor_id = actor_id
        self.words = words


_NAME_FTS = table("actor_name_fts", column("actor_id"), column("name"))


@compiles(_NamedBy, "sqlite")
def _named_by_sqlite(element: _NamedBy, compiler: SQLCompiler, **kw: Any) -> str:
    long_words = [w for w in element.words if len(w) >= 3]  # a trigram index cannot see shorter ones
    conditions: list[Any] = [_NAME_FTS.c.name.contains(w, autoescape=True)
                                             for w in element.words if len(w) < 3]
    if long_words:
        phrases = " ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        conditions.append(text("actor_name_fts MATCH :names_match").bindparams(names_match=phrases))
    ids = select(_NAME_FTS.c.actor_id).where(*conditions)
    return compiler.process(element.actor_id.in_(ids), **kw)


@compiles(_NamedBy)
def _named_by_default(element: _NamedBy, compiler: SQLCompiler, **kw: Any) -> str:
    # PostgreSQL: LIKE '%word%' on `normalized` is served by the pg_trgm GIN indexes.
    alias = select(ActorAlias.actor_id).where(
        and_(*[ActorAlias.normalized.contains(w, autoescape=True) for w in element.words]))
    named = select(Actor.id).where(and_(*[Actor.normalized.contains(w, autoescape=True) for w in element.words]))
    return compiler.process(element.actor_id.in_(named.union(alias)), **kw)


@dataclass(frozen=True)
class Resolution:
    """What a typed name stands for: the actors it names, and others whose names contain its words.

    `more` says that only part of the actors containing the words are given (the name is too vague)."""

    text: str
    actors: list[Actor]
    suggestions: list[Actor]
    exact: bool
    more: bool = False


def resolve(session: Session, text: str, *, suggest: int = 10, most: int = MAX_MATCHES) -> Resolution:
    """An id, or a name: exact normalized matches first; only if none, actors containing every word.

    Both steps are index lookups. With an exact match, the containment lookup runs only for
    `suggest` > 0 and reads at most that many more rows; without one, at most `most` actors are
    returned and `more` says whether others exist (the caller asks for a longer name)."""
    text = text.strip()
    if (actor_id := parse_id(text)) is not None:
        actor = session.get(Actor, actor_id)
        return Resolution(text, [actor] if actor else [], [], True)
    key = normalize_name(text)
    if not key:
        return Resolution(text, [], [], False)
    exact_ids = union(select(Actor.id).where(Actor.normalized == key),
                      select(ActorAlias.actor_id).where(ActorAlias.normalized == key))
    if not suggest:  # forms and filters: the containment lookup only when nothing matches exactly
        exact = list(session.scalars(select(Actor).where(Actor.id.in_(exact_ids)).order_by(Actor.name)))
        if exact:
            return Resolution(text, exact, [], True)
    # One query for both steps (search asks for suggestions on every call): the exact matches first,
    # then those containing every word, enough rows for either answer.
    window = most + 1 + suggest
    rows = _exact_then_containing(session, text, key, window, brief=False)
    split = _split(rows, window, suggest, most)
    if split is None:  # more namesakes than the window: read them all
        exact = list(session.scalars(select(Actor).where(Actor.id.in_(exact_ids)).order_by(Actor.name)))
        return Resolution(text, exact, [r[0] for r in rows if not r.exact][:suggest], True)
    actors, suggestions, exact_match, more = split
    return Resolution(text, [r[0] for r in actors], [r[0] for r in suggestions], exact_match, more=more)


def _split(rows: list[Any], window: int, suggest: int, most: int) -> tuple[list[Any], list[Any], bool, bool] | None:
    """Rows of _exact_then_containing as (actors, suggestions, exact, more): the exact matches with up
    to `suggest` others, else at most `most` partial matches; None when exact matches fill the window."""
    exact = [r for r in rows if r.exact]
    if exact and len(exact) == window:
        return None
    if exact:
        return exact, [r for r in rows if not r.exact][:suggest], True, False
    partial = rows[:most + 1]
    return partial[:most], [], False, len(partial) > most


_PREPARED: dict[tuple[Any, ...], Select[Any]] = {}


def _exact_then_containing(session: Session, text: str, key: str, window: int, *, brief: bool) -> list[Any]:
    """Up to `window` rows (an Actor, or with brief=True its id, name and kind) and `exact`: the actors
    whose name or alias normalizes to `key` first, then those containing every word, by name.

    The statement is built once per shape (engine, number and length of words) with the words as
    parameters: search resolves a name on every call, and building the query cost more than running it."""
    words = name_words(text)[:MAX_WORDS]
    engine = session.get_bind().dialect.name
    params: dict[str, Any] = {"key": key, "window": window, "candidates": CANDIDATES}
    if engine == "sqlite":
        short = [w for w in words if len(w) < 3]  # a trigram index cannot see shorter ones
        long_words = [w for w in words if len(w) >= 3]
        shape: tuple[Any, ...] = (engine, brief, len(short), bool(long_words))
        params.update({f"w{i}": _like_pattern(w) for i, w in enumerate(short)})
        if long_words:
            params["names_match"] = " ".join('"' + w.replace('"', '""') + '"' for w in long_words)
    else:
        shape = (engine, brief, len(words))
        params.update({f"w{i}": _like_pattern(w) for i, w in enumerate(words)})
    statement = _PREPARED.get(shape)
    if statement is None:
        statement = _PREPARED[shape] = _prepare(shape)
    if brief:  # plain columns: read on the connection, without the ORM's result processing
        return list(session.connection().execute(statement, params))
    return list(session.execute(statement, params))


def _like_pattern(word: str) -> str:
    return "%" + word.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _prepare(shape: tuple[Any, ...]) -> Select[Any]:
    engine, brief = shape[0], shape[1]
    key = bindparam("key", type_=String)
    parts: list[Select[Any]] = [select(Actor.id).where(Actor.normalized == key),
                                select(ActorAlias.actor_id).where(ActorAlias.normalized == key)]
    if engine == "sqlite":
        n_short, has_long = shape[2], shape[3]
        conditions: list[Any] = [_NAME_FTS.c.name.like(bindparam(f"w{i}"), escape="/") for i in range(n_short)]
        if has_long:
            conditions.append(text_clause("actor_name_fts MATCH :names_match"))
        if conditions:
            parts.append(_capped(select(_NAME_FTS.c.actor_id).where(*conditions)))
    elif shape[2]:  # PostgreSQL: LIKE '%word%' on `normalized` is served by the pg_trgm GIN indexes
        n = shape[2]
        parts.append(_capped(select(Actor.id).where(*[Actor.normalized.like(bindparam(f"w{i}"), escape="/")
                                                      for i in range(n)])))
        parts.append(_capped(select(ActorAlias.actor_id).where(
            *[ActorAlias.normalized.like(bindparam(f"w{i}"), escape="/") for i in range(n)])))
    is_exact = or_(Actor.normalized == key,
                   Actor.id.in_(select(ActorAlias.actor_id).where(ActorAlias.normalized == key)))
    columns: tuple[Any, ...] = (Actor.id, Actor.name, Actor.kind) if brief else (Actor,)
    return (select(*columns, is_exact.label("exact")).where(Actor.id.in_(union(*parts)))
            .order_by(is_exact.desc(), Actor.name, Actor.id).limit(bindparam("window")))


def _capped(query: Select[Any]) -> Select[Any]:
    """At most CANDIDATES of the query's ids (a member of a UNION takes a LIMIT only as a subquery)."""
    ids = query.limit(bindparam("candidates")).subquery()
    return select(*ids.c)


def resolve_one(session: Session, text: str, field: str) -> Actor:
    """The single actor a typed name or id stands for, or a field error naming the candidates."""
    found = resolve(session, text, suggest=0)
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
    more: bool = False

    @property
    def ids(self) -> list[int]:
        return [a["id"] for a in self.actors]

    def json(self) -> dict[str, Any]:
        return {"query": self.text, "actors": self.actors, "suggestions": self.suggestions, "exact": self.exact}


def resolve_field(session: Session, field_name: str, value: str) -> Resolved:
    """An actor id or any alias, as resolve() reads it (exact keys first, else all words).

    A name only part of too many actors' names resolves to none of them: they are offered as
    suggestions to choose from (`more`), so a search never fans out over an unbounded set."""
    text = value.strip()
    key = normalize_name(text)
    if parse_id(text) is not None or not key:
        return resolve_field_slowly(session, field_name, value)
    # resolve(session, value) as plain rows: the same query, no ORM objects (search and reports ask it every call)
    suggest, most = 10, MAX_MATCHES
    window = most + 1 + suggest
    split = _split(_exact_then_containing(session, text, key, window, brief=True), window, suggest, most)
    if split is None:
        return resolve_field_slowly(session, field_name, value)
    actors, suggestions, exact, more = split

    def brief(rows: list[Any]) -> list[dict[str, Any]]:
        return [{"id": r.id, "name": r.name, "kind": r.kind} for r in rows]
    if more:
        return Resolved(field_name, value, [], brief(actors), False, True)
    return Resolved(field_name, value, brief(actors), brief(suggestions), exact)


def resolve_field_slowly(session: Session, field_name: str, value: str) -> Resolved:
    """resolve_field through resolve() and ORM objects (more namesakes than one query's window)."""
    found = resolve(session, value)
    brief = [{"id": a.id, "name": a.name, "kind": a.kind} for a in found.actors]
    others = [{"id": a.id, "name": a.name, "kind": a.kind} for a in found.suggestions]
    if found.more:
        return Resolved(field_name, value, [], brief, False, True)
    return Resolved(field_name, value, brief, others, found.exact)
