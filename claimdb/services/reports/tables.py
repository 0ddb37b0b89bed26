"""The report tables (models/report_tables.py), kept in step with every write, import and delete.

Every ORM flush that touches a statement, a claim link, a claim, an accusation, a contradiction or
an affiliation refreshes the rows it affects, in the flush's own transaction (a session event, so
the record life cycle, the spreadsheet import and the demo need no call of their own). The bulk
import writes with Core and calls refresh_for() at its end. A refresh deletes the affected keys'
rows and recomputes them from the base tables with the same SQL as rebuild(), so the maintained
numbers cannot drift from a computation from scratch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, delete, distinct, event, func, insert, or_, select, text
from sqlalchemy import tuple_ as row
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import get_history

from claimdb.models import Accusation, Affiliation, Claim, Contradiction, Statement, StatementClaim
from claimdb.models.report_tables import ReportAccusationEdge, ReportClaim, ReportContradiction, ReportMutualPair
from claimdb.models.values import ORIGIN_ROLES
from claimdb.services.sqlhints import role_in, unindexed

CHUNK = 500  # keys per IN list


def category_key(column: Any) -> ColumnElement[str]:
    """The category as the report compares it: folded by the database ('' for none)."""
    return func.coalesce(func.lower(column), "")


def origin_of(statement: Any = Statement) -> ColumnElement[int]:
    """SQL: the statement's independent origin, as contradictions.origins() computes it in Python."""
    held = aliased(Affiliation)
    organization = (select(held.organization_id)
                    .where(held.member_id == statement.speaker_id, role_in(held.role, ORIGIN_ROLES),
                           or_(statement.stated.is_(None),
                               and_(or_(held.start_on.is_(None), held.start_on <= statement.stated),
                                    or_(held.end_last.is_(None), held.end_last >= statement.stated))))
                    .order_by(unindexed(held.role).desc(), held.id).limit(1).scalar_subquery())
    return func.coalesce(organization, statement.speaker_id)


# -- recomputing rows for some keys (None: every key)

def _chunks(keys: Iterable[Any] | None) -> Iterator[list[Any] | None]:
    """The keys in IN-list sized batches; None (every key) as itself."""
    if keys is None:
        yield None
        return
    yield from _batches(keys)


def _batches(keys: Iterable[Any]) -> Iterator[list[Any]]:
    ordered = sorted(set(keys))
    for n in range(0, len(ordered), CHUNK):
        yield ordered[n:n + CHUNK]


def _refresh_claims(conn: Connection, claim_ids: Iterable[int] | None) -> None:
    for ids in _chunks(claim_ids):
        conn.execute(delete(ReportClaim).where(ReportClaim.claim_id.in_(ids)) if ids is not None
                     else delete(ReportClaim))
        asserting = StatementClaim.stance == "asserts"
        # Grouped by an expression, so the links are read in their own order and sorted: walking the
        # claim index instead read the statements in random order (twice as slow for the bulk rebuild).
        claim = unindexed(StatementClaim.claim_id, 0)
        counts = (select(claim.label("claim_id"),
                         func.sum(case((asserting, 1), else_=0)).label("asserts"),
                         func.sum(case((StatementClaim.stance == "denies", 1), else_=0)).label("denies"),
                         func.count(distinct(case((asserting, origin_of()), else_=None))).label("origins"))
                  .join(Statement, Statement.id == StatementClaim.statement_id)
                  .where(StatementClaim.stance.in_(("asserts", "denies")))
                  .group_by(claim))
        if ids is not None:
            counts = counts.where(StatementClaim.claim_id.in_(ids))
        c = counts.subquery()
        weight = case((and_(c.c.asserts > 0, c.c.denies > 0), c.c.asserts + c.c.denies), else_=None)
        conn.execute(insert(ReportClaim).from_select(
            ["claim_id", "asserts", "denies", "origins", "conflict_weight"],
            select(c.c.claim_id, c.c.asserts, c.c.denies, c.c.origins, weight)))


def _refresh_contradictions(conn: Connection, contradiction_ids: Iterable[int] | None) -> None:
    a, b = aliased(ReportClaim), aliased(ReportClaim)
    for ids in _chunks(contradiction_ids):
        conn.execute(delete(ReportContradiction).where(ReportContradiction.contradiction_id.in_(ids))
                     if ids is not None else delete(ReportContradiction))
        rows = (select(Contradiction.id, func.coalesce(a.asserts, 0) + func.coalesce(b.asserts, 0))
                .outerjoin(a, a.claim_id == Contradiction.claim_a_id)
                .outerjoin(b, b.claim_id == Contradiction.claim_b_id))
        if ids is not None:
            rows = rows.where(Contradiction.id.in_(ids))
        conn.execute(insert(ReportContradiction).from_select(["contradiction_id", "weight"], rows))


def _refresh_pairs(conn: Connection, pairs: Iterable[tuple[int, int]] | None) -> None:
    """Edges in both directions between each unordered pair, and the pair's mutual accusations."""
    for chunk in _chunks(None if pairs is None else {(min(p), max(p)) for p in pairs}):
        key = category_key(Accusation.category)
        edges = (select(Accusation.accuser_id, Accusation.accused_id, key, func.min(Accusation.category),
                        func.count())
                 .group_by(Accusation.accuser_id, Accusation.accused_id, key))
        mutual_where: list[ColumnElement[bool]] = []
        if chunk is not None:
            both = chunk + [(y, x) for x, y in chunk]
            edges = edges.where(row(Accusation.accuser_id, Accusation.accused_id).in_(both))
            conn.execute(delete(ReportAccusationEdge).where(
                row(ReportAccusationEdge.accuser_id, ReportAccusationEdge.accused_id).in_(both)))
            conn.execute(delete(ReportMutualPair).where(
                row(ReportMutualPair.actor_a, ReportMutualPair.actor_b).in_(chunk)))
        else:
            conn.execute(delete(ReportAccusationEdge))
            conn.execute(delete(ReportMutualPair))
        conn.execute(insert(ReportAccusationEdge).from_select(
            ["accuser_id", "accused_id", "category_key", "category", "accusations"], edges))
        one, other = aliased(ReportAccusationEdge), aliased(ReportAccusationEdge)
        if chunk is not None:
            mutual_where.append(row(one.accuser_id, one.accused_id).in_(chunk))
        conn.execute(insert(ReportMutualPair).from_select(
            ["actor_a", "actor_b", "category_key", "category", "accusations"],
            select(one.accuser_id, one.accused_id, one.category_key,
                   case((one.category <= other.category, one.category), else_=other.category),
                   one.accusations + other.accusations)
            .join(other, and_(other.accuser_id == one.accused_id, other.accused_id == one.accuser_id,
                              other.category_key == one.category_key))
            .where(one.accuser_id < one.accused_id, one.category_key != "", *mutual_where)))


def _claims_of_statements(conn: Connection, statement_ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for ids in _batches(statement_ids):
        found.update(conn.scalars(select(StatementClaim.claim_id).where(StatementClaim.statement_id.in_(ids))))
    return found


def _claims_of_speakers(conn: Connection, speaker_ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for ids in _batches(speaker_ids):
        found.update(conn.scalars(
            select(StatementClaim.claim_id).distinct().join(Statement, Statement.id == StatementClaim.statement_id)
            .where(Statement.speaker_id.in_(ids), StatementClaim.stance == "asserts")))
    return found


def _pairs_of_accusations(conn: Connection, accusation_ids: Iterable[int]) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for ids in _batches(accusation_ids):
        found.update((r[0], r[1]) for r in conn.execute(
            select(Accusation.accuser_id, Accusation.accused_id).where(Accusation.id.in_(ids))))
    return found


def _contradictions_of_claims(conn: Connection, claim_ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for ids in _batches(claim_ids):
        found.update(conn.scalars(select(Contradiction.id).where(Contradiction.claim_a_id.in_(ids))))
        found.update(conn.scalars(select(Contradiction.id).where(Contradiction.claim_b_id.in_(ids))))
    return found


@dataclass
class Touched:
    """The keys a write affected."""

    claims: set[int] = field(default_factory=set)
    contradictions: set[int] = field(default_factory=set)
    pairs: set[tuple[int, int]] = field(default_factory=set)
    speakers: set[int] = field(default_factory=set)  # whose statements' origins may have changed

    def __bool__(self) -> bool:
        return bool(self.claims or self.contradictions or self.pairs or self.speakers)


def _apply(conn: Connection, touched: Touched) -> None:
    claims = touched.claims | _claims_of_speakers(conn, touched.speakers)
    _refresh_claims(conn, claims)
    _refresh_contradictions(conn, touched.contradictions | _contradictions_of_claims(conn, claims))
    _refresh_pairs(conn, touched.pairs)


def rebuild(session: Session | Connection) -> None:
    """Recompute every report table from scratch (`claimdb reports rebuild`, a bulk import, the migration)."""
    conn = session.connection() if isinstance(session, Session) else session
    _refresh_claims(conn, None)
    _refresh_contradictions(conn, None)
    _refresh_pairs(conn, None)


def refresh_for(session: Session, *, statements: Iterable[int] = (), accusations: Iterable[int] = (),
                affiliations: Iterable[int] = (), contradictions: Iterable[int] = (),
                everything: bool = False) -> None:
    """Bring the report tables up to date after records with these ids were inserted with Core (the
    claimdb/1 import); `everything` rebuilds them (cheaper when the import is most of the data)."""
    if everything:
        rebuild(session)
        if session.get_bind().dialect.name == "postgresql":  # plans for the report read these at once
            for model in (ReportClaim, ReportContradiction, ReportAccusationEdge, ReportMutualPair):
                session.execute(text(f"ANALYZE {model.__tablename__}"))
        return
    conn = session.connection()
    members: set[int] = set()
    for ids in _batches(affiliations):
        members.update(conn.scalars(select(Affiliation.member_id).where(Affiliation.id.in_(ids))))
    _apply(conn, Touched(claims=_claims_of_statements(conn, statements), contradictions=set(contradictions),
                         pairs=_pairs_of_accusations(conn, accusations), speakers=members))


# -- the session events: every ORM write path

def _was(obj: Any, name: str) -> Any:
    """The attribute's stored value, before this flush changes it."""
    history = get_history(obj, name)
    stored = [*history.deleted, *history.unchanged]
    return stored[0] if stored else None


def _pending(session: Session) -> Touched:
    return session.info.setdefault("report_tables_touched", Touched())


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Note what the stored rows say before they change: old claim links, old pairs, old members."""
    touched = _pending(session)
    changing = [*session.dirty, *session.deleted]
    statement_ids = [o.id for o in changing if isinstance(o, Statement) and o.id is not None]
    for obj in changing:
        if isinstance(obj, StatementClaim):
            touched.claims.add(_was(obj, "claim_id"))
        elif isinstance(obj, Accusation):
            touched.pairs.add((_was(obj, "accuser_id"), _was(obj, "accused_id")))
        elif isinstance(obj, Affiliation):
            touched.speakers.add(_was(obj, "member_id"))
        elif isinstance(obj, Contradiction) and obj.id is not None:
            touched.contradictions.add(obj.id)
        elif isinstance(obj, Claim) and obj.id is not None:
            touched.claims.add(obj.id)
    touched.claims.discard(None)
    touched.speakers.discard(None)
    touched.pairs = {p for p in touched.pairs if None not in p}
    if statement_ids:
        with session.no_autoflush:
            touched.claims |= _claims_of_statements(session.connection(), statement_ids)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    """Add what the flushed rows say now, then refresh the affected rows in this transaction."""
    touched = session.info.pop("report_tables_touched", None) or Touched()
    statement_ids = []
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, StatementClaim):
            touched.claims.add(obj.claim_id)
        elif isinstance(obj, Statement):
            statement_ids.append(obj.id)
        elif isinstance(obj, Accusation):
            touched.pairs.add((obj.accuser_id, obj.accused_id))
        elif isinstance(obj, Affiliation):
            touched.speakers.add(obj.member_id)
        elif isinstance(obj, Contradiction):
            touched.contradictions.add(obj.id)
    if not touched and not statement_ids:
        return
    conn = session.connection()
    touched.claims |= _claims_of_statements(conn, statement_ids)
    _apply(conn, touched)


def maintained(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the report tables, sorted (to compare with a computation from scratch)."""
    out = {}
    for model in (ReportClaim, ReportContradiction, ReportAccusationEdge, ReportMutualPair):
        columns: Sequence[Any] = list(model.__table__.columns)
        out[model.__tablename__] = sorted(tuple(r) for r in session.execute(select(*columns)))
    return out


__all__ = ["category_key", "maintained", "origin_of", "rebuild", "refresh_for"]
