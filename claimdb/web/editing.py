"""The shared life of a record page: create, edit (with stale-edit protection), delete, history.

Views stay thin: each noun's module calls `new_record`, `edit_record`, `delete_record` and
`record_history` (or `register` for all four) with its Resource, its form class and its template.
The form's field names are the API's field names (plus `span_start`/`span_end` and a hidden
`version`), so one conversion serves every noun: `form_payload` turns typed text into the API
payload, `form_data` turns a record into what the form shows, and `apply_errors` puts a service's
`Invalid.errors` back next to the fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from claimdb import auth
from claimdb.errors import Conflict, InUse, Invalid, NotFound, Unavailable
from claimdb.services import audit
from claimdb.services.pages.labels import display, labels_for_values
from claimdb.services.records import lifecycle
from claimdb.services.records.lifecycle import Resource
from claimdb.web.conflicts import ConflictInfo, ConflictRow, conflict_info, same, started_state
from claimdb.web.creating import CreateFlow, create_form, safe_next
from claimdb.web.fields import StartedField, VersionField
from claimdb.web.formdata import (
    apply_errors,
    field_value,
    form_data,
    form_payload,
    lookup_labels,
    session,
)

# Record ids in URLs: ids beyond the integer column's range are simply not found (never a database error).
ID = "<int(max=2147483647):record_id>"


# ---------------------------------------------------------------- views


def record_url(resource: Resource, record_id: int) -> str:
    return url_for(f"web.{resource.plural}_detail", record_id=record_id)


def new_record(resource: Resource, form_cls: type[FlaskForm], template: str, **context: Any) -> ResponseReturnValue:
    """The usual create page (see creating.create_form for pages with their own hooks)."""
    return create_form(resource, form_cls, template, **context)


def edit_record(resource: Resource, record_id: int, form_cls: type[FlaskForm], template: str,
                **context: Any) -> ResponseReturnValue:
    """GET: the form filled from the record. POST: update with the version the form was opened at."""
    record = lifecycle.get(session(), resource, record_id)
    if request.method == "GET":
        form = form_cls(formdata=None, data=form_data(form_cls, record))
        return _render_form(template, form, resource, record, **context)
    form = form_cls()
    if "rebase" in request.form:
        return _rebase(template, form, resource, record, **context)
    payload, status = _submit(form, resource)
    conflict = None
    if payload is not None:
        version = form["version"].version()
        try:
            after = lifecycle.update(session(), resource, record_id, {**payload, "version": version})
        except Invalid as e:
            apply_errors(form, e.errors)
            status = 422
        except Conflict as e:
            conflict = conflict_info(form, resource, record_id, e, payload)
            status = 409
        except Unavailable as e:  # disk full, read-only, unreachable: say so and keep what was typed
            flash(f"{e.title}: {e.detail}", "error")
            status = e.status
        else:
            if after["version"] == record["version"]:
                flash("Nothing changed.", "message")
            else:
                flash(f"{resource.name.capitalize()} #{record_id} saved.", "success")
            return redirect(record_url(resource, record_id))
    return _render_form(template, form, resource, record, status=status, conflict=conflict, **context)


def _rebase(template: str, form: FlaskForm, resource: Resource, record: Mapping[str, Any],
            **context: Any) -> ResponseReturnValue:
    """Apply the analyst's changes on top of the current version: re-render, not save.

    A field the analyst left as it was when they opened the form takes the current value (so the other
    analyst's change to it survives); a field they changed keeps their input.
    """
    started = started_state(form, resource, record["id"])
    current = form_data(type(form), record)
    try:
        payload = form_payload(form, resource) if started is not None else {}
    except Invalid:
        payload = {}
    for key, mine in payload.items():
        if started is not None and key in started and same(mine, started[key]):
            for name in ("span_start", "span_end") if key == "span" else (key,):
                if name in form and name in current:
                    form[name].data = current[name]
    form["version"].data = str(record["version"])
    if isinstance(form._fields.get("started"), StartedField):
        form["started"].data = current["started"]
    flash(f"Your changes are now applied on top of version {record['version']}. Review them and save.", "warning")
    return _render_form(template, form, resource, record, **context)


def _submit(form: FlaskForm, resource: Resource) -> tuple[dict[str, Any] | None, int]:
    """The payload when the form validates and converts; otherwise None with errors on the form."""
    ok = form.validate()
    try:
        payload = form_payload(form, resource)
    except Invalid as e:
        apply_errors(form, e.errors)
        return None, 422
    return (payload, 200) if ok else (None, 422)


def _render_form(template: str, form: FlaskForm, resource: Resource, record: Mapping[str, Any] | None,
                 status: int = 200, conflict: ConflictInfo | None = None, **context: Any) -> ResponseReturnValue:
    return render_template(template, form=form, resource=resource, record=record, labels=lookup_labels(form),
                           conflict=conflict, **context), status


def delete_record(resource: Resource, record_id: int) -> ResponseReturnValue:
    """Delete, or a 409 page naming the dependants (the admin role is checked by the route first)."""
    record = resource.fetch(session(), record_id)
    label = resource.label(record)
    try:
        lifecycle.delete(session(), resource, record_id)
    except Unavailable as e:
        flash(f"{e.title}: {e.detail}", "error")
        return redirect(record_url(resource, record_id))
    except InUse as e:
        return render_template("_delete_refused.html", resource=resource, record_id=record_id, label=label,
                               error=e, dependants=e.dependants), 409
    history = url_for(f"web.{resource.plural}_history", record_id=record_id)
    flash(f"{label} deleted. Its history stays at {history}.", "success")
    return redirect(url_for(f"web.{resource.plural}_list"))


def record_history(resource: Resource, record_id: int) -> ResponseReturnValue:
    """Every audit entry of a record, deleted records included (404 only when there is nothing at all)."""
    entries = audit.history(session(), resource.name, record_id)
    record = session().get(resource.model, record_id)
    if record is None and not entries:
        raise NotFound(f"There is no {resource.name} {record_id} and no history for one.")
    label = resource.label(record) if record is not None else _label_from_history(resource, record_id, entries)
    names = labels_for_values(session(), [e.before or {} for e in entries] + [e.after or {} for e in entries])
    rows = [(e, [(c.field, display(c.field, c.before, names), display(c.field, c.after, names))
                 for c in audit.changes(e)]) for e in entries]
    return render_template("_history.html", resource=resource, record_id=record_id, label=label,
                           exists=record is not None, rows=rows)


def _label_from_history(resource: Resource, record_id: int, entries: list[Any]) -> str:
    for e in entries:
        state = e.before or e.after or {}
        for key in ("name", "title", "text", "act"):
            if state.get(key):
                return f"{resource.name.capitalize()} “{str(state[key])[:60]}” (deleted)"
    return f"{resource.name.capitalize()} #{record_id} (deleted)"


# ---------------------------------------------------------------- routes for a noun


def register(bp: Blueprint, resource: Resource, form_cls: type[FlaskForm], template: str,
             context: Callable[[], dict[str, Any]] | None = None) -> None:
    """Add /NOUN/new, /NOUN/ID/edit (analyst+), /NOUN/ID/delete (admin) and /NOUN/ID/history (viewer+).

    Endpoints are web.NOUN_new, web.NOUN_edit, web.NOUN_delete, web.NOUN_history. `context` adds
    template variables to the form page (choices, hints).
    """
    noun = resource.plural
    rid = ID

    def extra() -> dict[str, Any]:
        return context() if context else {}

    @auth.require("analyst")
    def new() -> ResponseReturnValue:
        return new_record(resource, form_cls, template, **extra())

    @auth.require("analyst")
    def edit(record_id: int) -> ResponseReturnValue:
        return edit_record(resource, record_id, form_cls, template, **extra())

    @auth.require("admin")
    def delete(record_id: int) -> ResponseReturnValue:
        return delete_record(resource, record_id)

    @auth.require("viewer")
    def history(record_id: int) -> ResponseReturnValue:
        return record_history(resource, record_id)

    bp.add_url_rule(f"/{noun}/new", f"{noun}_new", new, methods=["GET", "POST"])
    bp.add_url_rule(f"/{noun}/{rid}/edit", f"{noun}_edit", edit, methods=["GET", "POST"])
    bp.add_url_rule(f"/{noun}/{rid}/delete", f"{noun}_delete", delete, methods=["POST"])
    bp.add_url_rule(f"/{noun}/{rid}/history", f"{noun}_history", history, methods=["GET"])


__all__ = [
    "ID",
    "ConflictInfo",
    "ConflictRow",
    "CreateFlow",
    "VersionField",
    "apply_errors",
    "create_form",
    "delete_record",
    "edit_record",
    "field_value",
    "form_data",
    "form_payload",
    "lookup_labels",
    "new_record",
    "record_history",
    "record_url",
    "register",
    "safe_next",
    "session",
]
