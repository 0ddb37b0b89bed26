"""The contradiction report's accusation parts: mutual accusations and the who-accuses-whom network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, union
from sqlalchemy.orm import Session, aliased

from claimdb.models import Accusation, Actor, Statement
from claimdb.services.search.factions import faction_voice
from claimdb.services.statement_views import statement_views

EDGE_LIMIT = 60  # the network shows the heaviest edges
ROW_LIMIT = 5_000  # accusations loaded for the shown mutual pairs
COUNT_CAP = 10_000


def accusation_scope(filters: Any, actor_ids: Sequence[int], faction_ids: Sequence[int]) -> list[ColumnElement[bool]]:
    """Conditions on Accusation (joined to its Statement) that a kept accusation meets."""
    scope: list[ColumnElement[bool]] = []
    if actor_ids:
        scope.append(or_(Accusation.accuser_id.in_(actor_ids), Accusation.accused_id.in_(actor_ids)))
    if faction_ids:
        # A union of two index-driven halves: an OR across the two columns would scan every accusation.
        halves = [select(Accusation.id).join(Statement, Statement.id == Accusation.statement_id)
                  .where(faction_voice(faction_ids, column, Statement.stated))
                  for column in (Accusation.accuser_id, Accusation.accused_id)]
        scope.append(Accusation.id.in_(union(*halves)))
    if filters.date_from:
        scope.append(Statement.stated >= filters.date_from.first)
    if filters.date_to:
        scope.append(Statement.stated <= filters.date_to.last)
    return scope


def mutual_accusations(session: Session, scope: list[ColumnElement[bool]],
                       limit: int) -> tuple[list[dict[str, Any]], int]:
    """Pairs that accuse each other of the same category (case-blind), most accusations first."""
    reverse = aliased(Accusation)
    category = func.lower(Accusation.category)
    low = case((Accusation.accuser_id < Accusation.accused_id, Accusation.accuser_id), else_=Accusation.accused_id)
    high = case((Accusation.accuser_id < Accusation.accused_id, Accusation.accused_id), else_=Accusation.accuser_id)
    keys = (select(low.label("a"), high.label("b"), category.label("category"))
            .join(Statement, Statement.id == Accusation.statement_id)
            .where(Accusation.category.is_not(None), *scope,
                   exists(select(reverse.id).where(reverse.accuser_id == Accusation.accused_id,
                                                   reverse.accused_id == Accusation.accuser_id,
                                                   func.lower(reverse.category) == category)))
            .group_by(low, high, category))
    chosen = session.execute(keys.order_by(func.count().desc(), low, high, category).limit(limit)).all()
    total = len(chosen) if len(chosen) < limit else (
        session.scalar(select(func.count()).select_from(keys.limit(COUNT_CAP + 1).subquery())) or 0)
    if not chosen:
        return [], total
    pair = [and_(Accusation.accuser_id.in_((k.a, k.b)), Accusation.accused_id.in_((k.a, k.b)),
                 func.lower(Accusation.category) == k.category) for k in chosen]
    # SQLite's lower() folds ASCII only: group by the database's own folding, not Python's.
    grouped: dict[tuple[int, int, str], list[Accusation]] = {}
    for row, folded in session.execute(select(Accusation, category).where(or_(*pair)).order_by(Accusation.id)
                                       .limit(ROW_LIMIT)):
        key = (min(row.accuser_id, row.accused_id), max(row.accuser_id, row.accused_id), folded)
        grouped.setdefault(key, []).append(row)
    rows = [r for group in grouped.values() for r in group]
    statements = session.scalars(select(Statement).where(Statement.id.in_({r.statement_id for r in rows}))).all()
    stmt = {view.id: view.stmt() for view in statement_views(session, statements)}
    names = dict(session.execute(select(Actor.id, Actor.name).where(
        Actor.id.in_({k.a for k in chosen} | {k.b for k in chosen}))).all())
    entries = []
    for k in chosen:
        mine = grouped.get((k.a, k.b, k.category), [])
        entries.append({
            "actors": [{"id": k.a, "name": names.get(k.a)}, {"id": k.b, "name": names.get(k.b)}],
            "category": mine[0].category if mine else k.category,
            "accusations": [{"id": r.id, "accuser_id": r.accuser_id, "accused_id": r.accused_id, "act": r.act,
                             "statement": stmt[r.statement_id]} for r in mine]})
    return entries, total


def accusation_edges(session: Session, scope: list[ColumnElement[bool]],
                     limit: int = EDGE_LIMIT) -> list[dict[str, Any]]:
    """Who accuses whom of what, counted: the heaviest `limit` edges (one GROUP BY)."""
    accuser, accused = aliased(Actor), aliased(Actor)
    n = func.count().label("n")
    rows = session.execute(
        select(Accusation.accuser_id, accuser.name.label("accuser_name"), Accusation.accused_id,
               accused.name.label("accused_name"), Accusation.category, n)
        .join(Statement, Statement.id == Accusation.statement_id)
        .join(accuser, accuser.id == Accusation.accuser_id).join(accused, accused.id == Accusation.accused_id)
        .where(*scope)
        .group_by(Accusation.accuser_id, accuser.name, Accusation.accused_id, accused.name, Accusation.category)
        .order_by(n.desc(), Accusation.accuser_id, Accusation.accused_id).limit(limit)).all()
    return [{"accuser": {"id": r.accuser_id, "name": r.accuser_name},
             "accused": {"id": r.accused_id, "name": r.accused_name}, "category": r.category, "count": r.n}
            for r in rows]
