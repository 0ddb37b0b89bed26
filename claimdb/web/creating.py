"""The one create-form flow every "new" page goes through: GET shows the form, POST stores or re-renders.

GET: the form filled from same-named query arguments (?claim_a_id=3). POST: validate, convert the typed
text to the service's input, store it, answer with the record's page; a refused form comes back (422)
with what was typed and a message next to each field. `CreateFlow` holds the few places a page differs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from claimdb.errors import DomainError, Invalid, Unavailable
from claimdb.services.records import lifecycle
from claimdb.services.records.lifecycle import Resource
from claimdb.web.formdata import SKIPPED, apply_errors, form_payload, lookup_labels, session


@dataclass(frozen=True)
class CreateFlow:
    """Hooks for what a create page does differently; each is optional."""

    prefill: Callable[[], dict[str, Any]] | None = None  # GET: the form's data (default: same-named query args)
    prepare: Callable[[FlaskForm], None] | None = None  # GET: adjust the prefilled form
    convert: Callable[[FlaskForm], Any] | None = None  # POST: the typed input as the service takes it
    create: Callable[[FlaskForm, Any], Any] | None = None  # POST: store it (default: lifecycle.create)
    saved: Callable[[FlaskForm, Any], ResponseReturnValue] | None = None  # the answer once stored
    context: Callable[[FlaskForm, bool], dict[str, Any]] | None = None  # template variables (form, is GET)


def safe_next(target: str | None) -> str | None:
    """A `next` URL only when it is a path on this site (never //host or a scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 for c in target):
        return None
    return target


def create_form(resource: Resource, form_cls: type[FlaskForm], template: str, flow: CreateFlow | None = None,
                **context: Any) -> ResponseReturnValue:
    """GET: the form, prefilled. POST: store it and answer (default: the record's page, or a safe ?next)."""
    flow = flow or CreateFlow()
    if request.method == "GET":
        data = flow.prefill() if flow.prefill else {
            f: request.args[f] for f in _field_names(form_cls) if f in request.args and f not in SKIPPED}
        form = form_cls(formdata=None, data=data)
        if flow.prepare:
            flow.prepare(form)
        return _render(template, form, resource, flow, True, 200, context)
    form = form_cls()
    ok = form.validate()
    try:
        payload = flow.convert(form) if flow.convert else form_payload(form, resource)
    except Invalid as e:
        apply_errors(form, e.errors)
        ok = False
    if not ok and flow.convert is None and flow.create is None:
        dry_run(form, resource)
    if ok:
        try:
            created = flow.create(form, payload) if flow.create else lifecycle.create(session(), resource, payload)
        except Invalid as e:
            apply_errors(form, e.errors)
        except Unavailable as e:  # disk full, read-only, unreachable: say so and keep what was typed
            flash(f"{e.title}: {e.detail}", "error")
            return _render(template, form, resource, flow, False, e.status, context)
        else:
            return flow.saved(form, created) if flow.saved else _saved(resource, created)
    return _render(template, form, resource, flow, False, 422, context)


def dry_run(form: FlaskForm, resource: Resource) -> None:
    """Run the service's checks on what the form could convert, and store nothing: a refused form then
    shows every message in one round trip (an unreadable date and a quote that differs from its span),
    not one more on each submit. Fields that already have an error are left out and keep their message."""
    failed = [f for f in form if f.errors]
    kept = [(f, f.data) for f in failed]
    for f in failed:
        f.data = None
    try:
        payload = form_payload(form, resource)
    except Invalid:
        return
    finally:
        for f, data in kept:
            f.data = data
    taken = {f.name for f in failed}
    savepoint = session().begin_nested()
    try:
        lifecycle.create(session(), resource, payload, commit=False)
    except Invalid as e:
        fresh = {k: v for k, v in e.errors.items()
                 if k.replace(".", "_") not in taken and k.split(".")[0] not in taken
                 and not (k == "span" and "span_start" in taken)}
        apply_errors(form, fresh)
    except DomainError:
        pass
    finally:
        savepoint.rollback()


def create_form_page(template: str, form: FlaskForm, resource: Resource,
                     context: dict[str, Any]) -> ResponseReturnValue:
    """A create form shown again as typed (200), for a page that changes the form without storing it."""
    return render_template(template, form=form, resource=resource, record=None, labels=lookup_labels(form),
                           conflict=None, **context)


def _saved(resource: Resource, created: dict[str, Any]) -> ResponseReturnValue:
    flash(f"{resource.name.capitalize()} #{created['id']} saved.", "success")
    return redirect(safe_next(request.args.get("next"))
                    or url_for(f"web.{resource.plural}_detail", record_id=created["id"]))


def _render(template: str, form: FlaskForm, resource: Resource, flow: CreateFlow, is_get: bool, status: int,
            context: dict[str, Any]) -> ResponseReturnValue:
    extra = flow.context(form, is_get) if flow.context else {}
    return render_template(template, form=form, resource=resource, record=None, labels=lookup_labels(form),
                           conflict=None, **{**context, **extra}), status


def _field_names(form_cls: type[FlaskForm]) -> list[str]:
    return [f.name for f in form_cls(formdata=None, meta={"csrf": False})]
