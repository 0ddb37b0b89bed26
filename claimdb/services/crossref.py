"""Cross-references for the analyst's pages: names for ids, and what an actor, a claim or a contradiction touches.

Every function runs a bounded number of queries (one per kind of related record, never one per row)
and caps its lists, so a page about a prolific actor stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimdb.models import Actor, Claim, Source, Statement
from claimdb.partialdate import PartialDate, PartialDateError
from claimdb.services import audit
from claimdb.services.common import short

# Which kind of record an API field refers to.
REF_KINDS: dict[str, str] = {
    "member_id": "actor", "organization_id": "actor", "speaker_id": "actor", "publisher_id": "actor",
    "accuser_id": "actor", "accused_id": "actor",
    "claim_id": "claim", "claim_a_id": "claim", "claim_b_id": "claim",
    "statement_id": "statement", "reported_by_id": "statement",
    "source_id": "source",
}
DATE_FIELDS = {"start", "end", "published", "stated", "occurred"}

_LABEL_QUERIES: dict[str, tuple[Any, Any]] = {
    "actor": (Actor, Actor.name),
    "claim": (Claim, Claim.text),
    "statement": (Statement, Statement.text),
    "source": (Source, Source.title),
}


def ref_labels(session: Session, wanted: Mapping[str, Iterable[int]]) -> dict[str, dict[int, str]]:
    """{kind: {id: label}} for the ids asked, one query per kind; missing ids are left out."""
    out: dict[str, dict[int, str]] = {}
    for kind, ids in wanted.items():
        model_column = _LABEL_QUERIES.get(kind)
        ids = sorted({i for i in ids if isinstance(i, int) and 0 < i < 2**31})
        if model_column is None or not ids:
            continue
        model, column = model_column
        rows = session.execute(select(model.id, column).where(model.id.in_(ids)))
        out[kind] = {row[0]: short(row[1], 90) for row in rows}
    return out


def labels_for_values(session: Session, states: Iterable[Mapping[str, Any]]) -> dict[str, dict[int, str]]:
    """Labels for every reference found in some records (API shape): ids, and a statement's claim links."""
    wanted: dict[str, set[int]] = {}
    for state in states:
        for key, value in state.items():
            kind = REF_KINDS.get(key)
            if kind and isinstance(value, int):
                wanted.setdefault(kind, set()).add(value)
            if key == "claims" and isinstance(value, list):
                for link in value:
                    if isinstance(link, dict) and isinstance(link.get("claim_id"), int):
                        wanted.setdefault("claim", set()).add(link["claim_id"])
    return ref_labels(session, wanted)


def display(key: str, value: Any, labels: Mapping[str, Mapping[int, str]] | None = None) -> str:
    """One field's value as an analyst reads it in a history or conflict table."""
    labels = labels or {}
    if value is None or value == "" or value == []:
        return "—"
    kind = REF_KINDS.get(key)
    if kind and isinstance(value, int):
        name = labels.get(kind, {}).get(value)
        return f"{name} (#{value})" if name else f"{kind} #{value}"
    if key in DATE_FIELDS and isinstance(value, str):
        try:
            return PartialDate.parse(value).human()
        except PartialDateError:
            return value
    if key == "span" and isinstance(value, dict):
        return f"characters {value.get('start')}–{value.get('end')}"
    if key == "aliases" and isinstance(value, list):
        return "; ".join(f"{a.get('name')} [{a.get('language')}]" if a.get("language") else str(a.get("name"))
                         for a in value if isinstance(a, dict))
    if key == "claims" and isinstance(value, list):
        parts = []
        for link in value:
            if isinstance(link, dict):
                name = labels.get("claim", {}).get(link.get("claim_id"))  # type: ignore[arg-type]
                parts.append(f"{link.get('stance')} “{name or '#' + str(link.get('claim_id'))}” "
                             f"({link.get('certainty')})")
        return "; ".join(parts)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if key == "chain":
        return " → ".join(str(level.get("speaker", {}).get("name")) for level in value if isinstance(level, dict))
    return str(value)


def state_at_version(session: Session, entity: str, entity_id: int, version: int) -> dict[str, Any] | None:
    """The record as it was at one version, read back from the audit trail (None if not recorded)."""
    for entry in audit.history(session, entity, entity_id):
        if entry.after is not None and entry.after.get("version") == version:
            return dict(entry.after)
    return None
