"""What each record's page shows around it: what an actor, a claim, a contradiction, an accusation touches.

Every function runs a bounded number of queries (one per kind of related record, never one per row)
and caps its lists, so a page about a prolific actor stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from claimdb.errors import NotFound
from claimdb.models import Accusation, Actor, Affiliation, Claim, Contradiction, Statement, StatementClaim
from claimdb.models.values import Stance
from claimdb.services.pages.labels import ref_labels
from claimdb.services.statement_views import StatementView, statement_views

LIST_CAP = 200  # rows per section on a cross-reference page; the section links to the full list


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _newest_statements(query: Select[Any]) -> Select[Any]:
    return query.order_by(Statement.stated.desc().nulls_last(), Statement.id.desc()).limit(LIST_CAP)


# ---------------------------------------------------------------- actor page


def actor_profile(session: Session, actor_id: int) -> dict[str, Any]:
    """Everything an actor touches: affiliations, statements, accusations, claims and contradictions."""
    actor = session.scalar(select(Actor).where(Actor.id == actor_id).options(selectinload(Actor.aliases)))
    if actor is None:
        raise NotFound(f"There is no actor {actor_id}.")
    profile: dict[str, Any] = {"actor": actor}
    profile["affiliations"] = _affiliations(session, actor_id)

    by_speaker = select(Statement).where(Statement.speaker_id == actor_id)
    direct = by_speaker.where(Statement.reported_by_id.is_(None))
    reported = by_speaker.where(Statement.reported_by_id.is_not(None))
    profile["statements_direct"] = statement_views(session, session.scalars(_newest_statements(direct)).all())
    profile["statements_direct_total"] = _count(session, direct)
    profile["statements_reported"] = statement_views(session, session.scalars(_newest_statements(reported)).all())
    profile["statements_reported_total"] = _count(session, reported)

    profile["accusations_made"] = _accusation_groups(session, Accusation.accuser_id == actor_id, "accused")
    profile["accusations_received"] = _accusation_groups(session, Accusation.accused_id == actor_id, "accuser")
    about = (select(Statement).where(Statement.id.in_(
        select(Accusation.statement_id).where(Accusation.accused_id == actor_id))))
    profile["statements_about"] = statement_views(session, session.scalars(_newest_statements(about)).all())
    profile["statements_about_total"] = _count(session, about)

    stances = session.execute(
        select(StatementClaim.claim_id, StatementClaim.stance, func.count().label("n"))
        .join(Statement, Statement.id == StatementClaim.statement_id)
        .where(Statement.speaker_id == actor_id)
        .group_by(StatementClaim.claim_id, StatementClaim.stance)
        .order_by(StatementClaim.claim_id.desc()).limit(LIST_CAP * 2)).all()
    claim_ids = sorted({r.claim_id for r in stances})
    claims = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(claim_ids)))} if claim_ids else {}
    held: dict[int, dict[str, Any]] = {}
    for r in stances:
        if r.claim_id in claims:
            entry = held.setdefault(r.claim_id, {"claim": claims[r.claim_id], "stances": {}})
            entry["stances"][r.stance] = r.n
    profile["claims"] = list(held.values())
    profile["contradictions"] = contradictions_of(session, claim_ids)
    return profile


def _affiliations(session: Session, actor_id: int) -> list[dict[str, Any]]:
    """The actor's affiliations both ways, oldest first (open starts first), with the other party's name."""
    rows = session.scalars(
        select(Affiliation).where(or_(Affiliation.member_id == actor_id, Affiliation.organization_id == actor_id))
        .order_by(Affiliation.start_on.asc().nulls_first(), Affiliation.id).limit(LIST_CAP)).all()
    names = ref_labels(session, {"actor": {r.member_id for r in rows} | {r.organization_id for r in rows}})["actor"] \
        if rows else {}
    return [{"id": r.id, "role": r.role, "as_member": r.member_id == actor_id,
             "member": {"id": r.member_id, "name": names.get(r.member_id)},
             "organization": {"id": r.organization_id, "name": names.get(r.organization_id)},
             "start": r.start_date, "end": r.end_date, "statement_id": r.statement_id, "note": r.note}
            for r in rows]


def _accusation_groups(session: Session, condition: Any, counterpart: str) -> list[dict[str, Any]]:
    """Accusations grouped by the other party and the category, biggest groups first."""
    rows = session.scalars(select(Accusation).where(condition).order_by(Accusation.id.desc()).limit(LIST_CAP)).all()
    column = "accused_id" if counterpart == "accused" else "accuser_id"
    names = ref_labels(session, {"actor": {getattr(r, column) for r in rows}}).get("actor", {})
    groups: dict[tuple[int, str], dict[str, Any]] = {}
    for r in rows:
        other = getattr(r, column)
        key = (other, r.category or "")
        group = groups.setdefault(key, {"counterpart": {"id": other, "name": names.get(other)},
                                        "category": r.category, "items": []})
        group["items"].append({"id": r.id, "act": r.act, "statement_id": r.statement_id, "claim_id": r.claim_id})
    return sorted(groups.values(), key=lambda g: (-len(g["items"]), str(g["counterpart"]["name"]),
                                                  g["category"] or ""))


# ---------------------------------------------------------------- claims and contradictions



def holders(session: Session, claim_ids: Sequence[int]) -> dict[int, dict[str, list[StatementView]]]:
    """{claim_id: {stance: [statement rows]}}: who asserts, denies, questions or reports each claim."""
    if not claim_ids:
        return {}
    links = session.execute(
        select(StatementClaim.claim_id, StatementClaim.statement_id, StatementClaim.stance, StatementClaim.certainty)
        .where(StatementClaim.claim_id.in_(claim_ids))
        .order_by(StatementClaim.claim_id, StatementClaim.statement_id).limit(LIST_CAP * len(claim_ids))).all()
    statements = session.scalars(select(Statement).where(
        Statement.id.in_({link.statement_id for link in links}))).all() if links else []
    rows = {r.id: r for r in statement_views(session, statements)}
    out: dict[int, dict[str, list[StatementView]]] = {c: {s: [] for s in Stance} for c in claim_ids}
    for link in links:
        row = rows.get(link.statement_id)
        if row is not None:
            out[link.claim_id].setdefault(link.stance, []).append(row.taking(link.stance, link.certainty))
    return out


def contradictions_of(session: Session, claim_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Contradictions touching any of these claims, with both claims' texts."""
    if not claim_ids:
        return []
    rows = session.scalars(select(Contradiction).where(or_(
        Contradiction.claim_a_id.in_(claim_ids), Contradiction.claim_b_id.in_(claim_ids)))
        .order_by(Contradiction.id.desc()).limit(LIST_CAP)).all()
    texts = ref_labels(session, {"claim": {r.claim_a_id for r in rows} | {r.claim_b_id for r in rows}}).get("claim", {})
    return [{"id": r.id, "kind": r.kind, "status": r.status, "note": r.note,
             "claim_a": {"id": r.claim_a_id, "text": texts.get(r.claim_a_id)},
             "claim_b": {"id": r.claim_b_id, "text": texts.get(r.claim_b_id)}} for r in rows]


def claim_page(session: Session, claim_id: int) -> dict[str, Any]:
    """A claim with who holds it (by stance, with chain, source and date), its contradictions and accusations."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}.")
    accusations = session.scalars(select(Accusation).where(Accusation.claim_id == claim_id)
                                  .order_by(Accusation.id.desc()).limit(LIST_CAP)).all()
    names = ref_labels(session, {"actor": {a.accuser_id for a in accusations} | {a.accused_id for a in accusations}})
    return {"holders": holders(session, [claim_id])[claim_id], "contradictions": contradictions_of(session, [claim_id]),
            "accusations": [{"id": a.id, "act": a.act, "category": a.category, "statement_id": a.statement_id,
                             "accuser": {"id": a.accuser_id, "name": names.get("actor", {}).get(a.accuser_id)},
                             "accused": {"id": a.accused_id, "name": names.get("actor", {}).get(a.accused_id)}}
                            for a in accusations]}


def contradiction_page(session: Session, contradiction_id: int) -> dict[str, Any]:
    """Both claims side by side, each with who holds it."""
    row = session.get(Contradiction, contradiction_id)
    if row is None:
        raise NotFound(f"There is no contradiction {contradiction_id}.")
    claims = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_([row.claim_a_id, row.claim_b_id])))}
    held = holders(session, [row.claim_a_id, row.claim_b_id])
    return {"sides": [{"claim": claims.get(cid), "holders": held.get(cid, {})}
                      for cid in (row.claim_a_id, row.claim_b_id)]}


def accusation_page(session: Session, accusation: Accusation) -> dict[str, Any]:
    """An accusation's parties, claim and the statement (with its chain) that makes it."""
    statement = session.get(Statement, accusation.statement_id)
    names = ref_labels(session, {"actor": [accusation.accuser_id, accusation.accused_id],
                                 "claim": [accusation.claim_id] if accusation.claim_id else []})
    return {"statement": statement_views(session, [statement])[0] if statement else None,
            "accuser": {"id": accusation.accuser_id, "name": names.get("actor", {}).get(accusation.accuser_id)},
            "accused": {"id": accusation.accused_id, "name": names.get("actor", {}).get(accusation.accused_id)},
            "claim": ({"id": accusation.claim_id, "text": names.get("claim", {}).get(accusation.claim_id)}
                      if accusation.claim_id else None)}


def affiliation_page(session: Session, affiliation: Affiliation) -> dict[str, Any]:
    names = ref_labels(session, {"actor": [affiliation.member_id, affiliation.organization_id]}).get("actor", {})
    statement = session.get(Statement, affiliation.statement_id) if affiliation.statement_id else None
    return {"member": {"id": affiliation.member_id, "name": names.get(affiliation.member_id)},
            "organization": {"id": affiliation.organization_id, "name": names.get(affiliation.organization_id)},
            "statement": statement_views(session, [statement])[0] if statement else None}
