"""Between a record form and the API payload: the field names are the API's, so one conversion serves all.

`form_payload` turns typed text into the payload, `form_data` turns a record into what the form shows,
`apply_errors` puts a service's `Invalid.errors` back next to the fields, `lookup_labels` names the
records a form's reference fields point at.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import Field, SelectField, StringField, SubmitField, TextAreaField

from claimdb.db import db
from claimdb.errors import Invalid
from claimdb.rules import parse_id
from claimdb.services.pages import labels
from claimdb.services.records.lifecycle import Resource
from claimdb.web.fields import RefField, clean_text

SKIPPED = {"csrf_token", "version", "started"}


def session() -> Session:
    """This request's database session (the scoped proxy's real object, for the type checker)."""
    return db.session()


def form_payload(form: FlaskForm, resource: Resource) -> dict[str, Any]:
    """What the analyst typed, as the API payload for this resource (only the schema's fields).

    Raises Invalid with every field that cannot even be converted (an unknown actor name, an
    unreadable date), keyed by form field name.
    """
    wanted = set(resource.schema.model_fields)
    payload: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in form:
        if f.name in SKIPPED or isinstance(f, SubmitField):
            continue
        if f.name in ("span_start", "span_end") and "span" in wanted:
            continue
        if f.name not in wanted:
            continue
        try:
            payload[f.name] = field_value(f)
        except Invalid as e:
            errors.update(e.errors)
    if "span" in wanted and "span_start" in form and "span_end" in form:
        start, end = _int_or_text(form["span_start"].data), _int_or_text(form["span_end"].data)
        payload["span"] = None if start is None and end is None else {"start": start, "end": end}
    if errors:
        raise Invalid(errors)
    return payload


def field_value(f: Field) -> Any:
    """One field's API value: the field's own payload() if it has one, else a generic conversion."""
    if hasattr(f, "payload"):
        return f.payload(session())
    if isinstance(f, SelectField):
        return f.data or None
    if isinstance(f, (StringField, TextAreaField)):
        return clean_text(f.data)
    return f.data


def _int_or_text(value: Any) -> Any:
    """A span offset: an int when it is one; anything else goes to the service, which names the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else text


def form_data(form_cls: type[FlaskForm], record: Mapping[str, Any]) -> dict[str, Any]:
    """A record (API shape) as `data=` for its form: dates as analysts read them, tags comma-joined."""
    probe = form_cls(formdata=None, meta={"csrf": False})
    data: dict[str, Any] = {}
    for f in probe:
        if f.name == "version":
            data["version"] = str(record.get("version", ""))
        elif f.name == "started":
            data["started"] = json.dumps({k: v for k, v in record.items() if k not in ("chain", "id")},
                                         ensure_ascii=False, separators=(",", ":"))
        elif f.name in ("span_start", "span_end"):
            span = record.get("span") or {}
            value = span.get(f.name.removeprefix("span_"))
            data[f.name] = "" if value is None else value
        elif f.name in record:
            value = record[f.name]
            data[f.name] = f.from_api(value) if hasattr(f, "from_api") else ("" if value is None else value)
    return data


def apply_errors(form: FlaskForm, errors: Mapping[str, str]) -> None:
    """Show a service's field errors next to the form's fields; others above the form.

    "span.start" -> span_start; "aliases.2.name" -> aliases; "body" or an unknown key -> the form.
    """
    names = {f.name for f in form}
    for key, message in errors.items():
        if key == "span" and "span_start" in names:
            key = "span_start"
        candidates = [key.replace(".", "_"), key.split(".")[0]]
        target = next((c for c in candidates if c in names and c != "csrf_token"), None)
        if target is None or target == "version":
            form.form_errors.append(message if key in ("body", "version") else f"{key}: {message}")
            continue
        f = form[target]
        if _blank(f.data) and message in ("Must be a string.", "Must be an integer.", "Must be an object."):
            message = "Required."
        f.errors = [*f.errors, message] if message not in f.errors else list(f.errors)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def lookup_labels(form: FlaskForm) -> dict[str, str]:
    """The names of the records the form's reference fields point at, for the searchable selects."""
    wanted: dict[str, set[int]] = {}
    pointers: dict[str, tuple[str, int]] = {}
    for f in form:
        if isinstance(f, RefField):
            record_id = parse_id(str(f.data or ""))
            if record_id is not None:
                wanted.setdefault(f.noun, set()).add(record_id)
                pointers[f.name] = (f.noun, record_id)
    found = labels.ref_labels(session(), wanted)
    return {name: found.get(kind, {}).get(ident, "") for name, (kind, ident) in pointers.items()}
