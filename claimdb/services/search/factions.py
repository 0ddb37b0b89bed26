"""Search by faction: "by the faction or its people on the statement's date", as SQL and in batch.

The search and the contradiction report (faction= and origins) both ask these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, and_, exists, func, or_, select, union
from sqlalchemy.orm import Session, aliased

from claimdb.models import Actor, Affiliation, Statement
from claimdb.models.values import ORGANIZATION_KINDS, VOICE_ROLES
from claimdb.services.records.actors import held_on
from claimdb.services.sqlhints import role_in


def faction_matches(faction_ids: Sequence[int] | BindParameter[Any], statement: Any = Statement) -> ColumnElement[bool]:
    """SQL: the statement is by one of these factions, or by someone affiliated with one on its date
    (the ids may be one expanding parameter, bound when the statement runs)."""
    return faction_voice(faction_ids, statement.speaker_id, statement.stated)


def faction_voice(faction_ids: Sequence[int] | BindParameter[Any], actor: Any, day: Any) -> ColumnElement[bool]:
    """SQL: `actor` is one of these factions, or was affiliated with one on `day`.

    A NULL day counts when the actor was ever affiliated (the caller flags it). The first clause
    narrows by an index to the factions and their people; the second checks the date.
    """
    people = select(Affiliation.member_id).where(Affiliation.organization_id.in_(faction_ids),
                                                 role_in(Affiliation.role, VOICE_ROLES))
    voices = union(select(Actor.id).where(Actor.id.in_(faction_ids)), people)
    held = aliased(Affiliation)
    on_date = exists(select(held.id).where(
        held.member_id == actor, held.organization_id.in_(faction_ids),
        role_in(held.role, VOICE_ROLES), or_(day.is_(None), held_on(held, day))))
    return and_(actor.in_(voices), or_(actor.in_(faction_ids), on_date))


def affiliated_speaker(session: Session, statements: Sequence[Statement],
                       faction_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """For each statement, how it belongs to the faction: said by it, or by whom in which role.

    `undated` flags a statement with no date counted because its speaker was ever affiliated.
    """
    speakers = {s.speaker_id for s in statements} - set(faction_ids)
    names = dict(session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(faction_ids))).all())
    by_member: dict[int, list[Any]] = {}
    if speakers:
        for link in session.execute(select(
                Affiliation.member_id, Affiliation.organization_id, Affiliation.role, Affiliation.start_on,
                Affiliation.end_last).where(Affiliation.member_id.in_(speakers),
                                            Affiliation.organization_id.in_(faction_ids),
                                            role_in(Affiliation.role, VOICE_ROLES)).order_by(Affiliation.id)):
            by_member.setdefault(link.member_id, []).append(link)
    out: dict[int, dict[str, Any]] = {}
    for s in statements:
        if s.speaker_id in faction_ids:
            out[s.id] = {"organization": {"id": s.speaker_id, "name": names.get(s.speaker_id)}, "role": None,
                         "undated": False}
            continue
        for link in by_member.get(s.speaker_id, ()):
            if s.stated is None or holds(link, s.stated):
                out[s.id] = {"organization": {"id": link.organization_id, "name": names.get(link.organization_id)},
                             "role": link.role, "undated": s.stated is None}
                break
    return out


def holds(link: Any, day: dt.date) -> bool:
    """Whether the affiliation held on the day (open ends hold since always / still)."""
    return (link.start_on is None or link.start_on <= day) and (link.end_last is None or link.end_last >= day)


def faction_facet(session: Session, scoped: Any, size: int) -> list[dict[str, Any]]:
    """Statements per organization: said by it, or by someone affiliated with it on the statement's date."""
    through = (select(Affiliation.organization_id.label("org"), scoped.c.id.label("sid"))
               .join(scoped, Affiliation.member_id == scoped.c.speaker_id)
               .where(role_in(Affiliation.role, VOICE_ROLES),
                      or_(scoped.c.stated.is_(None), held_on(Affiliation, scoped.c.stated))))
    own = (select(scoped.c.speaker_id.label("org"), scoped.c.id.label("sid"))
           .join(Actor, Actor.id == scoped.c.speaker_id).where(Actor.kind.in_(ORGANIZATION_KINDS)))
    pairs = union(through, own).subquery("pairs")
    n = func.count().label("n")
    rows = session.execute(select(Actor.id, Actor.name, n).join(pairs, pairs.c.org == Actor.id)
                           .group_by(Actor.id, Actor.name).order_by(n.desc(), Actor.name).limit(size)).all()
    return [{"id": r.id, "name": r.name, "count": r.n} for r in rows]


def scoped_rows(query: Select[Any], limit: int) -> Any:
    """At most `limit` matching statements' ids, speakers, sources and dates, for facet counts."""
    return (query.with_only_columns(Statement.id, Statement.speaker_id, Statement.source_id, Statement.stated)
            .order_by(None).limit(limit).cte("scoped"))
