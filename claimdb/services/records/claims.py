"""Claims and the contradictions between them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, String, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session, selectinload

from claimdb.errors import Invalid
from claimdb.models import Accusation, Claim, ClaimTag, Contradiction, StatementClaim
from claimdb.models.base import split_partial
from claimdb.partialdate import iso, parse_date
from claimdb.rules import parse_id
from claimdb.services.arguments import date_filter, int_filter
from claimdb.services.records.lifecycle import Resource, dependants, require_ids
from claimdb.services.records.rules import contradiction_problems
from claimdb.services.records.schemas import ClaimIn, ContradictionIn
from claimdb.wording import short

# ---------------------------------------------------------------- claims


def write_claim(session: Session, claim: Claim, data: ClaimIn) -> None:
    claim.text = data.text
    claim.occurred, claim.occurred_precision = split_partial(parse_date(data.occurred))
    claim.location = data.location
    claim.status = data.status
    existing: dict[str, ClaimTag] = {}
    if claim.id is not None:  # load the current tags into the collection before replacing it
        session.scalars(select(Claim).where(Claim.id == claim.id).options(selectinload(Claim.tag_rows))).all()
        existing = {t.tag: t for t in claim.tag_rows}
    tags = list(dict.fromkeys(t.strip() for t in data.tags))
    claim.tag_rows = [existing.get(t) or ClaimTag(tag=t) for t in tags]


def serialize_claims(session: Session, claims: Sequence[Claim]) -> list[dict[str, Any]]:
    ids = [c.id for c in claims]
    tags: dict[int, list[str]] = {}
    if ids:
        for row in session.execute(select(ClaimTag.claim_id, ClaimTag.tag).where(ClaimTag.claim_id.in_(ids))
                                   .order_by(ClaimTag.tag)):
            tags.setdefault(row.claim_id, []).append(row.tag)
    return [
        {"id": c.id, "text": c.text, "occurred": iso(c.occurred_date), "location": c.location, "status": c.status,
         "tags": tags.get(c.id, []), "version": c.version}
        for c in claims
    ]


def claim_dependants(session: Session, claim_id: int) -> list[dict[str, Any]]:
    return [
        *dependants(session, "statement", select(StatementClaim.statement_id, StatementClaim.stance)
                    .where(StatementClaim.claim_id == claim_id), lambda r: f"{r.stance} this claim"),
        *dependants(session, "contradiction", select(Contradiction.id, Contradiction.kind).where(
            or_(Contradiction.claim_a_id == claim_id, Contradiction.claim_b_id == claim_id)), lambda r: r.kind),
        *dependants(session, "accusation", select(Accusation.id, Accusation.act)
                    .where(Accusation.claim_id == claim_id), lambda r: short(r.act)),
    ]


def _tagged(query: Select[Any], value: str) -> Select[Any]:
    return query.where(Claim.id.in_(select(ClaimTag.claim_id).where(ClaimTag.tag == value)))


# Claims sort by the first 100 characters of their text, then id: the expression of the index
# ix_claim_text_prefix (migration b7c41e9d2a60), spelled with literals so both engines match it.
CLAIM_TEXT_SORT = func.substr(Claim.text, literal_column("1"), literal_column("100"), type_=String)

CLAIMS = Resource(
    name="claim", plural="claims", model=Claim, schema=ClaimIn, write=write_claim, serialize=serialize_claims,
    dependants=claim_dependants, label=lambda c: f"Claim “{short(c.text, 60)}”",
    filters={
        "status": lambda q, v: q.where(Claim.status == v),
        "tag": _tagged,
        "q": lambda q, v: q.where(func.lower(Claim.text).contains(v.lower(), autoescape=True)),
        "from": lambda q, v: q.where(Claim.occurred >= date_filter("from", v).first),
        "to": lambda q, v: q.where(Claim.occurred <= date_filter("to", v).last),
    },
    sorts={"text": CLAIM_TEXT_SORT, "occurred": Claim.occurred, "status": Claim.status},
)


def lookup_claims(session: Session, text: str, limit: int = 15) -> list[dict[str, Any]]:
    """Suggestions for a claim field: by id, or claims whose text contains every word typed."""
    text = text.strip()
    if (claim_id := parse_id(text)) is not None:
        query = select(Claim).where(Claim.id == claim_id)
    else:
        words = text.split()[:8]
        if not words:
            return []
        query = select(Claim).where(and_(*[Claim.text.ilike(f"%{_escape(w)}%", escape="\\") for w in words]))
    rows = session.scalars(query.order_by(Claim.id.desc()).limit(limit)).all()
    return [{"id": c.id, "label": short(c.text, 120), "detail": c.status} for c in rows]


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---------------------------------------------------------------- contradictions


def write_contradiction(session: Session, row: Contradiction, data: ContradictionIn) -> None:
    errors: dict[str, str] = {}
    require_ids(session, Claim, {"claim_a_id": data.claim_a_id, "claim_b_id": data.claim_b_id}, errors, "claim")
    other = None
    if data.claim_a_id != data.claim_b_id:
        pair = or_(and_(Contradiction.claim_a_id == data.claim_a_id, Contradiction.claim_b_id == data.claim_b_id),
                   and_(Contradiction.claim_a_id == data.claim_b_id, Contradiction.claim_b_id == data.claim_a_id))
        query = select(Contradiction.id).where(pair)
        if row.id is not None:
            query = query.where(Contradiction.id != row.id)
        other = session.scalar(query)
    errors.update(contradiction_problems(data.claim_a_id, data.claim_b_id,
                                         f"contradiction #{other}" if other is not None else None))
    if errors:
        raise Invalid(errors)
    row.claim_a_id, row.claim_b_id = data.claim_a_id, data.claim_b_id
    row.kind, row.status, row.note = data.kind, data.status, data.note


def serialize_contradictions(_session: Session, rows: Sequence[Contradiction]) -> list[dict[str, Any]]:
    return [
        {"id": c.id, "claim_a_id": c.claim_a_id, "claim_b_id": c.claim_b_id, "kind": c.kind, "status": c.status,
         "note": c.note, "version": c.version}
        for c in rows
    ]


CONTRADICTIONS = Resource(
    name="contradiction", plural="contradictions", model=Contradiction, schema=ContradictionIn,
    write=write_contradiction, serialize=serialize_contradictions, dependants=lambda _s, _id: [],
    label=lambda c: f"Contradiction #{c.id}",
    filters={
        "status": lambda q, v: q.where(Contradiction.status == v),
        "kind": lambda q, v: q.where(Contradiction.kind == v),
        "claim_id": lambda q, v: q.where(or_(Contradiction.claim_a_id == int_filter("claim_id", v),
                                             Contradiction.claim_b_id == int_filter("claim_id", v))),
    },
    sorts={"status": Contradiction.status, "kind": Contradiction.kind},
)
