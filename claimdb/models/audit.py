"""The audit trail: every create, update and delete, with who, when, before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from claimdb.db import Base
from claimdb.models.users import utcnow
from claimdb.models.values import AuditAction, check_in


class AuditEntry(Base):
    """One change to one record; `username` is kept so the trail outlives the account."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        CheckConstraint(check_in("action", AuditAction), name="action_valid"),
        Index("ix_audit_entry_entity_entity_id", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    username: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
