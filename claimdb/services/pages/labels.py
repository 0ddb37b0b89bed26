"""Names for record ids and values as analysts read them: history tables, conflict panels, lookups, the start page.

One query per kind of record, whatever the number of ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimdb.models import Actor, Claim, Source, Statement
from claimdb.partialdate import PartialDate, PartialDateError
from claimdb.rules import parse_id
from claimdb.services import audit
from claimdb.services.records.registry import BY_NAME, RESOURCES
from claimdb.wording import short

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


def counts(session: Session) -> dict[str, int]:
    """How many records of each kind there are, for the start page (one COUNT per kind)."""
    return {plural: session.scalar(select(func.count()).select_from(r.model)) or 0 for plural, r in RESOURCES.items()}


def recent_changes(session: Session, limit: int = 15) -> list[dict[str, Any]]:
    """The latest audit entries with a label for each record, for the start page.

    Each row names its record by `plural` and `id` (None for an import or another bulk change) and says
    whether the record is `deleted` (its history is what is left to show); the page builds the links."""
    rows = []
    for e in audit.recent(session, limit):
        state = e.after or e.before or {}
        label = next((str(state[k]) for k in ("name", "title", "text", "act") if state.get(k)), None)
        is_record = e.entity in BY_NAME and e.entity_id is not None
        if not is_record:  # an import or another bulk change: say what, link nothing
            counts = state.get("counts") if isinstance(state.get("counts"), dict) else None
            what = ", ".join(f"{n} {k}" for k, n in counts.items()) if counts else (label or e.entity)
            rows.append({"entry": e, "what": "", "label": short(str(what), 90), "plural": None, "id": None,
                         "deleted": False})
            continue
        rows.append({"entry": e, "what": e.entity, "label": short(label, 90) if label else f"#{e.entity_id}",
                     "plural": BY_NAME[e.entity].plural, "id": e.entity_id, "deleted": e.action == "delete"})
    return rows


def lookup_statements(session: Session, text: str, limit: int = 15) -> list[dict[str, Any]]:
    """Suggestions for a statement field: by number, or statements whose text contains every word typed."""
    if (statement_id := parse_id(text)) is not None:
        query = select(Statement).where(Statement.id == statement_id)
    else:
        words = text.split()[:8]
        if not words:
            return []
        query = select(Statement).where(*[Statement.text.contains(w, autoescape=True) for w in words])
    rows = session.scalars(query.order_by(Statement.id.desc()).limit(limit)).all()
    speakers = ref_labels(session, {"actor": {s.speaker_id for s in rows}}).get("actor", {})
    return [{"id": s.id, "label": f"#{s.id} “{short(s.text, 100)}”",
             "detail": f"{speakers.get(s.speaker_id, '')} · source #{s.source_id}"} for s in rows]
