"""The audit trail: services record each change in the transaction that makes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimdb.models import AuditEntry


class Acting(Protocol):
    """Who acts: an account, or a bearer token's owner (services.users.TokenUser)."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...


def acting_as(session: Session, user: Acting | None, name: str | None = None) -> None:
    """Attribute the changes made through this session to a user (or to a named tool, like the CLI)."""
    session.info["audit_user_id"] = user.id if user is not None else None
    session.info["audit_username"] = user.username if user is not None else name


def record(session: Session, action: str, entity: str, entity_id: int | None,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Add one entry to the session; it commits or rolls back with the change it describes."""
    session.add(AuditEntry(
        user_id=session.info.get("audit_user_id"), username=session.info.get("audit_username"),
        action=action, entity=entity, entity_id=entity_id, before=before, after=after,
    ))


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def changes(entry: AuditEntry) -> list[Change]:
    """What one entry changed, field by field (every field for a create or a delete)."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [Change(k, before.get(k), after.get(k)) for k in keys
            if k != "version" and before.get(k) != after.get(k)]


def history(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    """Every entry for one record, newest first."""
    query = (select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    return list(session.scalars(query))


def recent(session: Session, limit: int = 50) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
