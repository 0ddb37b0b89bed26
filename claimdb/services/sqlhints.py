"""Expressions that keep the planner off an index that would be the wrong way in.

SQLite plans a freshly imported database without table statistics, so an index that merely matches a
condition can win over the one that narrows it: the affiliation list's (role, id) sort index looked like
the way into any `role IN (...)` test, and a report or search by faction then read every affiliation of
those roles once per statement (a faction report at 1M statements: 57 s instead of well under one).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func


def unindexed(column: Any, empty: Any = "") -> ColumnElement[Any]:
    """The column as an expression no index can serve (for a NOT NULL column, the same values)."""
    return func.coalesce(column, empty)


def role_in(role: Any, roles: Iterable[str]) -> ColumnElement[bool]:
    """SQL: the affiliation's role is one of these, tested on the rows another index found (the
    member's, the organization's), never used to find them."""
    return unindexed(role).in_(list(roles))
