"""The contradiction report's accusation parts: mutual accusations and the who-accuses-whom network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select, union
from sqlalchemy import tuple_ as row
from sqlalchemy.orm import Session, aliased

from claimdb.models import Accusation, Actor, Statement
from claimdb.models.report_tables import ReportAccusationEdge, ReportMutualPair
from claimdb.services.reports.tables import category_key
from claimdb.services.search.factions import faction_voice
from claimdb.services.statement_views import VIEW_COLUMNS, stmts

EDGE_LIMIT = 60  # the network shows the heaviest edges
EDGE_SAMPLE = 2_000  # a wide date range alone: the network counts this many most recent accusations in it
ROW_LIMIT = 5_000  # accusations loaded for the shown mutual pairs


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


def _pair_in_scope(scope: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """SQL: the mutual pair has an accusation in scope, in either direction (probed by the pair's key)."""
    pair = ReportMutualPair
    return exists(
        select(Accusation.id).join(Statement, Statement.id == Accusation.statement_id)
        .where(or_(and_(Accusation.accuser_id == pair.actor_a, Accusation.accused_id == pair.actor_b),
                   and_(Accusation.accuser_id == pair.actor_b, Accusation.accused_id == pair.actor_a)),
               category_key(Accusation.category) == pair.category_key, *scope))


def mutual_query(scope: list[ColumnElement[bool]], probe: bool = False) -> Select[Any]:
    """The mutual pairs (report_mutual_pair) with an accusation in scope; all of them without a scope.
    With `probe` (a wide date range), each pair is probed in index order instead of collecting the
    keys of every accusation in range first."""
    pair = ReportMutualPair
    query: Any = select(pair.actor_a, pair.actor_b, pair.category_key, pair.accusations)
    if scope and probe:
        query = query.where(_pair_in_scope(scope))
    elif scope:
        low = case((Accusation.accuser_id < Accusation.accused_id, Accusation.accuser_id), else_=Accusation.accused_id)
        high = case((Accusation.accuser_id < Accusation.accused_id, Accusation.accused_id), else_=Accusation.accuser_id)
        keys = (select(low, high, category_key(Accusation.category))
                .join(Statement, Statement.id == Accusation.statement_id).where(*scope))
        query = query.where(row(pair.actor_a, pair.actor_b, pair.category_key).in_(keys))
    return query


def mutual_probe(scope: list[ColumnElement[bool]]) -> tuple[Select[Any], ColumnElement[bool]]:
    """Every mutual pair in page order, and the condition that keeps one (for a budgeted count)."""
    pair = ReportMutualPair
    order = (pair.accusations, pair.actor_a, pair.actor_b, pair.category_key)
    return select(pair.actor_a).order_by(*(c.desc() for c in order)), _pair_in_scope(scope)


def mutual_accusations(session: Session, scope: list[ColumnElement[bool]], limit: int,
                       after: tuple[Any, ...] | None = None,
                       probe: bool = False) -> tuple[list[dict[str, Any]], tuple[Any, ...] | None]:
    """A page of pairs that accuse each other of the same category (case-blind), most accusations first,
    and the key to continue after (None on the last page)."""
    pair = ReportMutualPair
    order = (pair.accusations, pair.actor_a, pair.actor_b, pair.category_key)
    query = mutual_query(scope, probe)
    if after:
        query = query.where(row(*order) < row(*after))
    found = session.execute(query.order_by(*(c.desc() for c in order)).limit(limit + 1)).all()
    chosen = found[:limit]
    last = (chosen[-1].accusations, chosen[-1].actor_a, chosen[-1].actor_b, chosen[-1].category_key) \
        if len(found) > limit else None
    if not chosen:
        return [], None
    category = category_key(Accusation.category)
    keys = {(k.actor_a, k.actor_b, k.category_key) for k in chosen}
    directions = {d for k in chosen for d in ((k.actor_a, k.actor_b), (k.actor_b, k.actor_a))}
    grouped: dict[tuple[int, int, str], list[Accusation]] = {}
    # Both directions of each pair through the (accuser_id, accused_id, …) index; the category as the
    # database folds it (SQLite's lower() folds ASCII only), compared here.
    for record, folded in session.execute(
            select(Accusation, category).where(row(Accusation.accuser_id, Accusation.accused_id).in_(directions))
            .order_by(Accusation.id).limit(ROW_LIMIT)):
        key = (min(record.accuser_id, record.accused_id), max(record.accuser_id, record.accused_id), folded)
        if key in keys:
            grouped.setdefault(key, []).append(record)
    rows = [r for group in grouped.values() for r in group]
    statements = session.execute(select(*VIEW_COLUMNS).where(Statement.id.in_({r.statement_id for r in rows}))).all()
    stmt = {found["id"]: found for found in stmts(session, statements)}
    names = dict(session.execute(select(Actor.id, Actor.name).where(
        Actor.id.in_({k.actor_a for k in chosen} | {k.actor_b for k in chosen}))).all())
    entries = []
    for k in chosen:
        mine = grouped.get((k.actor_a, k.actor_b, k.category_key), [])
        entries.append({
            "actors": [{"id": k.actor_a, "name": names.get(k.actor_a)},
                       {"id": k.actor_b, "name": names.get(k.actor_b)}],
            "category": mine[0].category if mine else k.category_key,
            "accusations": [{"id": r.id, "accuser_id": r.accuser_id, "accused_id": r.accused_id, "act": r.act,
                             "statement": stmt[r.statement_id]} for r in mine]})
    return entries, last


def accusation_edges(session: Session, scope: list[ColumnElement[bool]], limit: int = EDGE_LIMIT,
                     sample: bool = False) -> tuple[list[dict[str, Any]], bool]:
    """Who accuses whom of what, counted: the heaviest `limit` edges (the edge table, or one GROUP BY
    over the accusations in scope), and whether only a sample was counted. With `sample` (a wide date
    range alone) only the EDGE_SAMPLE most recent accusations in scope are counted, so the work stays
    the same however many the range holds."""
    accuser, accused = aliased(Actor), aliased(Actor)
    if not scope:
        edge = ReportAccusationEdge
        top = session.execute(
            select(edge.accuser_id, accuser.name.label("accuser_name"), edge.accused_id,
                   accused.name.label("accused_name"), edge.category, edge.accusations.label("n"))
            .join(accuser, accuser.id == edge.accuser_id).join(accused, accused.id == edge.accused_id)
            .order_by(edge.accusations.desc(), edge.accuser_id, edge.accused_id, edge.category_key)
            .limit(limit)).all()
        return _edges(top), False
    sampled = False
    if sample:
        ids = session.scalars(select(Accusation.id).join(Statement, Statement.id == Accusation.statement_id)
                              .where(*scope).order_by(Statement.stated.desc(), Statement.id.desc())
                              .limit(EDGE_SAMPLE + 1)).all()
        sampled = len(ids) > EDGE_SAMPLE
        scope = [Accusation.id.in_(ids[:EDGE_SAMPLE])]
    n = func.count().label("n")
    rows = session.execute(
        select(Accusation.accuser_id, accuser.name.label("accuser_name"), Accusation.accused_id,
               accused.name.label("accused_name"), Accusation.category, n)
        .join(Statement, Statement.id == Accusation.statement_id)
        .join(accuser, accuser.id == Accusation.accuser_id).join(accused, accused.id == Accusation.accused_id)
        .where(*scope)
        .group_by(Accusation.accuser_id, accuser.name, Accusation.accused_id, accused.name, Accusation.category)
        .order_by(n.desc(), Accusation.accuser_id, Accusation.accused_id).limit(limit)).all()
    return _edges(rows), sampled


def _edges(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"accuser": {"id": r.accuser_id, "name": r.accuser_name},
             "accused": {"id": r.accused_id, "name": r.accused_name}, "category": r.category, "count": r.n}
            for r in rows]
