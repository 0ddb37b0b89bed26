"""Accusations: which party accuses which of what, in which statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.models import Accusation, Actor, Claim, Statement
from claimdb.services.arguments import int_filter
from claimdb.services.records.lifecycle import Resource, require_ids
from claimdb.services.records.rules import accusation_problems
from claimdb.services.records.schemas import AccusationIn
from claimdb.wording import short


def write_accusation(session: Session, row: Accusation, data: AccusationIn) -> None:
    errors: dict[str, str] = {}
    statements = require_ids(session, Statement, {"statement_id": data.statement_id}, errors, "statement")
    require_ids(session, Actor, {"accuser_id": data.accuser_id, "accused_id": data.accused_id}, errors, "actor")
    require_ids(session, Claim, {"claim_id": data.claim_id}, errors, "claim")
    statement = statements.get(data.statement_id)
    accuser_id = data.accuser_id if data.accuser_id is not None else (statement.speaker_id if statement else None)
    errors.update(accusation_problems(accuser_id, data.accused_id))
    if errors:
        raise Invalid(errors)
    assert accuser_id is not None
    row.statement_id, row.accuser_id, row.accused_id = data.statement_id, accuser_id, data.accused_id
    row.act = data.act
    row.category = data.category.strip() if data.category else None
    row.claim_id = data.claim_id


def serialize_accusations(_session: Session, rows: Sequence[Accusation]) -> list[dict[str, Any]]:
    return [
        {"id": a.id, "statement_id": a.statement_id, "accuser_id": a.accuser_id, "accused_id": a.accused_id,
         "act": a.act, "category": a.category, "claim_id": a.claim_id, "version": a.version}
        for a in rows
    ]


RECENT = 5_000  # accusations whose categories make the suggestions: the desk's current vocabulary


def categories(session: Session, prefix: str = "", limit: int = 50) -> list[str]:
    """Categories in use among the RECENT latest accusations, most used first: suggestions for the
    free-text field (any other category may still be typed).

    The accusation list page and the form ask on every call; counting every accusation's category
    grew with the archive (19–23 ms of a list page at 1M statements, 100,000 accusations), the latest
    RECENT are one walk down the primary key."""
    recent = (select(Accusation.category).where(Accusation.category.is_not(None))
              .order_by(Accusation.id.desc()).limit(RECENT).subquery())
    used = func.count().label("n")
    query = select(recent.c.category, used).group_by(recent.c.category)
    if prefix:
        query = query.where(recent.c.category.ilike(f"{prefix.replace('%', '').replace('_', '')}%"))
    return [r.category for r in session.execute(query.order_by(used.desc(), recent.c.category).limit(limit))]


def _actor_filter(name: str, column: Any) -> Any:
    return lambda q, v: q.where(column == int_filter(name, v))


def _either(query: Select[Any], value: str) -> Select[Any]:
    actor_id = int_filter("actor_id", value)
    return query.where(or_(Accusation.accuser_id == actor_id, Accusation.accused_id == actor_id))


ACCUSATIONS = Resource(
    name="accusation", plural="accusations", model=Accusation, schema=AccusationIn, write=write_accusation,
    serialize=serialize_accusations, dependants=lambda _s, _id: [],
    label=lambda a: f"Accusation #{a.id} “{short(a.act, 60)}”",
    filters={
        "accuser_id": _actor_filter("accuser_id", Accusation.accuser_id),
        "accused_id": _actor_filter("accused_id", Accusation.accused_id),
        "actor_id": _either,
        "statement_id": _actor_filter("statement_id", Accusation.statement_id),
        "claim_id": _actor_filter("claim_id", Accusation.claim_id),
        "category": lambda q, v: q.where(Accusation.category == v),
    },
    sorts={"category": Accusation.category, "act": Accusation.act},
)
