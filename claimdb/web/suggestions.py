"""Accepting and dismissing attribution suggestions from the source page (the actions; the page draws them).

The interface for the source page's template (it lists what
``claimdb.services.suggestions.for_source_page(session, source_id)`` returns, each a ``Proposal``):

* ``POST /sources/ID/suggestions/accept`` (analysts; Flask-WTF ``csrf_token``): ``span_start`` and
  ``span_end`` (the proposal's ``span``, as given), plus the prefilled, editable statement fields with
  the statement form's names: ``speaker_id`` (an actor id, "#id" or any name or alias), ``text``,
  ``quote_type``, ``cue``, ``hedge``, ``stated`` ("2015-03", "March 2015"), ``reported_by_id``,
  ``credibility``. A field left out keeps the suggested value; a field sent empty means none (for
  ``speaker_id``, ``text`` and ``quote_type``: the suggested value). Recorded: back to
  ``/sources/ID#suggestions`` with a flash. Refused (an unresolved speaker, a direct quote whose text
  was changed …): the statement form, prefilled with everything sent and the reason flashed, so
  nothing typed is lost.
* ``POST /sources/ID/suggestions/dismiss`` (analysts; ``csrf_token``): ``span_start``, ``span_end``.
  Back to ``/sources/ID#suggestions`` with a flash; the suggestion stays hidden for that source.
* ``GET /sources/ID/selection?span_start=&span_end=`` (analysts; reads only): the guesses for a
  selection the source page's confirm card shows, as JSON (``form_context.selection_card``): the same
  the statement form prefills from that span. A bad span is a 400 problem+json, a missing source 404.
* ``POST /suggestions/train`` (analysts; ``csrf_token``; optional ``next``, a local path): retrain the
  model from the desk now, and say how it went.

A missing source is a 404 page; a missing CSRF token a 400, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue

from claimdb import auth, handlers
from claimdb.errors import Invalid, NotFound
from claimdb.models import Source
from claimdb.partialdate import PartialDate, PartialDateError
from claimdb.services import suggestions
from claimdb.services.pages import form_context
from claimdb.services.search import names
from claimdb.web import bp
from claimdb.web.creating import safe_next
from claimdb.web.editing import ID
from claimdb.web.formdata import session

# Optional statement fields: sent empty, they mean "none" rather than "as suggested".
CLEARABLE: Final = ("cue", "hedge", "stated", "reported_by_id", "credibility")
DEFAULTED: Final = ("speaker_id", "text", "quote_type")


def _back(source_id: int) -> ResponseReturnValue:
    return redirect(url_for("web.sources_detail", record_id=source_id) + "#suggestions")


def _require_source(source_id: int) -> None:
    if session().get(Source, source_id) is None:
        raise NotFound(f"There is no source {source_id}.")


def _int(name: str, text: str) -> int:
    text = text.strip().lstrip("#")
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        raise Invalid({name: "A whole number."})
    return int(text)


def _span(fields: Mapping[str, str] | None = None) -> dict[str, int]:
    """{"start", "end"} from the span_start and span_end fields (the posted form unless given)."""
    fields = request.form if fields is None else fields
    errors: dict[str, str] = {}
    span: dict[str, int] = {}
    for name, key in (("span_start", "start"), ("span_end", "end")):
        try:
            span[key] = _int(name, fields.get(name, ""))
        except Invalid as e:
            errors.update(e.errors)
    if errors:
        raise Invalid(errors)
    return span


def accept_payload(form: Any) -> dict[str, Any]:
    """The API's accept body from the posted fields (typed names resolved as the statement form does)."""
    payload: dict[str, Any] = {"span": _span()}
    for name in DEFAULTED:
        value = (form.get(name) or "").strip() if name != "text" else (form.get(name) or "")
        if value.strip():
            payload[name] = value
    if "speaker_id" in payload:
        text = payload["speaker_id"]
        bare = text.lstrip("#")
        payload["speaker_id"] = (_int("speaker_id", bare) if bare.isascii() and bare.isdigit()
                                 else names.resolve_one(session(), text, "speaker_id").id)
    for name in CLEARABLE:
        if name not in form:
            continue
        value = (form.get(name) or "").strip()
        if not value:
            payload[name] = None
        elif name in ("reported_by_id", "credibility"):
            payload[name] = _int(name, value)
        elif name == "stated":
            try:
                payload[name] = PartialDate.parse(value, lenient=True).isoformat()
            except PartialDateError as e:
                raise Invalid({"stated": str(e)}) from None
        else:
            payload[name] = value
    return payload


def _statement_form(source_id: int, error: Invalid) -> ResponseReturnValue:
    """The statement form with everything that was posted, and why it was refused."""
    for field, message in (error.errors or {"form": error.detail}).items():
        flash(f"{field.replace('_', ' ').capitalize()}: {message}", "error")
    keep = ("speaker_id", "text", "quote_type", "cue", "hedge", "stated", "reported_by_id", "credibility",
            "span_start", "span_end")
    args = {"source_id": str(source_id), **{k: request.form[k] for k in keep if request.form.get(k)}}
    return redirect(url_for("web.statements_new") + "?" + urlencode(args))


@bp.post(f"/sources/{ID}/suggestions/accept")
@auth.require("analyst")
def suggestions_accept(record_id: int) -> ResponseReturnValue:
    """Record a suggestion as a statement in one action (its fields as posted, else as suggested)."""
    _require_source(record_id)
    try:
        created = suggestions.accept(session(), record_id, accept_payload(request.form))
    except Invalid as e:
        return _statement_form(record_id, e)
    try:
        suggestions.retrain_if_due(session())
    except Exception:  # the statement is stored; a failed retraining is only logged
        session().rollback()
        current_app.logger.exception("Retraining the suggestion model after an accepted suggestion failed")
    flash(f"Statement #{created['id']} recorded from the suggestion.", "success")
    return _back(record_id)


@bp.post(f"/sources/{ID}/suggestions/dismiss")
@auth.require("analyst")
def suggestions_dismiss(record_id: int) -> ResponseReturnValue:
    """Hide a suggestion for this source."""
    _require_source(record_id)
    try:
        suggestions.dismiss(session(), record_id, {"span": _span()})
    except Invalid as e:
        flash("Not dismissed: " + "; ".join(e.errors.values() or [e.detail]), "error")
    else:
        flash("Suggestion dismissed: it stays hidden for this source.", "success")
    return _back(record_id)


@bp.post("/suggestions/train")
@auth.require("analyst")
def suggestions_train() -> ResponseReturnValue:
    """Retrain the suggestion model from the desk's statements and dismissals now."""
    try:
        report = suggestions.train_from_desk(session())
    except Invalid as e:
        flash("; ".join(e.errors.values() or [e.detail]), "error")
    else:
        flash(report.summary(), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("web.home"))


@bp.get(f"/sources/{ID}/selection")
@auth.require("analyst")
def sources_selection(record_id: int) -> ResponseReturnValue:
    """The confirm card's guesses for a selection in the source's body (what GET /statements/new prefills)."""
    try:
        span = _span(request.args)
    except Invalid as e:
        return handlers.problem(400, "Bad request", "span_start and span_end must be whole numbers.", e.errors)
    try:
        card = form_context.selection_card(session(), record_id, span["start"], span["end"])
    except NotFound as e:
        return handlers.problem(404, "Not found", e.detail)
    except Invalid as e:
        return handlers.problem(400, "Bad request", e.detail, e.errors)
    return jsonify(card)
