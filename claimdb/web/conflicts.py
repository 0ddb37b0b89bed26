"""Stale edits: what another analyst changed since this one opened the form, next to what they typed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm

from claimdb.errors import Conflict
from claimdb.services.pages.labels import display, labels_for_values, state_at_version
from claimdb.services.records.lifecycle import Resource
from claimdb.web.fields import StartedField
from claimdb.web.formdata import session


@dataclass(frozen=True)
class ConflictRow:
    field: str
    label: str
    started: Any  # the record when the analyst opened the form (None if unknown)
    current: Any  # the record now, as the other analyst left it
    yours: Any  # what the analyst typed


@dataclass(frozen=True)
class ConflictInfo:
    message: str
    current_version: int | None
    started_version: int | None
    started_known: bool
    rows: list[ConflictRow]


def started_state(form: FlaskForm, resource: Resource, record_id: int) -> dict[str, Any] | None:
    """The record as it was when the analyst opened the form: from the audit trail, else the form's own copy."""
    version = form["version"].version() if "version" in form else None
    if version is None:
        return None
    state = state_at_version(session(), resource.name, record_id, version)
    if state is None and isinstance(form._fields.get("started"), StartedField):
        kept = form["started"].state()  # imported records have no audit entry per version
        state = kept if kept is not None and kept.get("version") == version else None
    return state


def same(a: Any, b: Any) -> bool:
    """Equal as the API compares them; lists (tags, aliases) regardless of order."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(json.dumps(x, sort_keys=True) for x in a) == sorted(json.dumps(x, sort_keys=True) for x in b)
    return bool(a == b)


def conflict_info(form: FlaskForm, resource: Resource, record_id: int, conflict: Conflict,
                  payload: Mapping[str, Any]) -> ConflictInfo:
    """What changed between the version the analyst started from and now, next to what they typed."""
    current = conflict.current or {}
    started_version = form["version"].version() if "version" in form else None
    started = started_state(form, resource, record_id)
    labels = {f.name: f.label.text for f in form}
    labels.setdefault("span", labels.get("span_start", "Span"))
    names = labels_for_values(session(), [started or {}, current, dict(payload)])
    rows: list[ConflictRow] = []
    for key in resource.schema.model_fields:
        if key not in current and (started is None or key not in started):
            continue
        now = current.get(key)
        was = started.get(key) if started is not None else None
        mine = payload.get(key, now)
        if (started is not None and was == now) or (started is None and mine == now):
            continue
        rows.append(ConflictRow(key, labels.get(key, key.replace("_", " ").capitalize()),
                                display(key, was, names), display(key, now, names),
                                display(key, mine, names)))
    return ConflictInfo(conflict.detail, current.get("version"), started_version, started is not None, rows)
