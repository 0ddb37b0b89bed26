"""Source pages: the list, the reading page with every statement's span marked, and the record forms."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.errors import Invalid
from claimdb.models.values import Reliability, SourceKind
from claimdb.services.pages import lists, reading
from claimdb.services.paging import Page
from claimdb.services.records import lifecycle
from claimdb.services.records.sources import SOURCES
from claimdb.web import bp, editing
from claimdb.web.forms_sources import SourceForm


@bp.get("/sources")
@auth.require("viewer")
def sources_index() -> ResponseReturnValue:
    """Sources, newest first; filters and a bad value come back as messages above the table."""
    errors: dict[str, str] = {}
    listing = None
    try:
        page = Page.from_args(request.args, current_app.config, default_size=25)
        listing = lists.list_sources(editing.session(), request.args, page)
    except Invalid as e:
        errors = e.errors
    return render_template("sources/index.html", listing=listing, errors=errors, kinds=SourceKind,
                           grades=Reliability, args=request.args), (422 if errors else 200)


@bp.get(f"/sources/{editing.ID}")
@auth.require("viewer")
def sources_show(record_id: int) -> ResponseReturnValue:
    """The reading page: metadata, the body with spans marked and linked, the statements in order."""
    page = reading.source_page(editing.session(), record_id)
    reporter = reading.statement_brief(editing.session(), _int_arg("reported_by_id"))
    if reporter is not None and reporter.source_id != record_id:
        reporter = None
    new_statement = f"/statements/new?source_id={record_id}" + (f"&reported_by_id={reporter.id}" if reporter else "")
    return render_template("sources/show.html", page=page, source=page.source, reporter=reporter,
                           new_statement=new_statement)


def _int_arg(name: str) -> int | None:
    text = (request.args.get(name) or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@bp.route("/sources/new", methods=["GET", "POST"])
@auth.require("analyst")
def sources_new() -> ResponseReturnValue:
    """Like every create, except that an empty grade is left out so the publisher's grade applies."""
    if request.method == "GET":
        return editing.new_record(SOURCES, SourceForm, "sources/form.html")
    form = SourceForm()
    ok = form.validate()
    try:
        payload = editing.form_payload(form, SOURCES)
    except Invalid as e:
        editing.apply_errors(form, e.errors)
        ok = False
    if ok:
        if payload.get("reliability") is None:
            payload.pop("reliability", None)
        try:
            created = lifecycle.create(editing.session(), SOURCES, payload)
        except Invalid as e:
            editing.apply_errors(form, e.errors)
        else:
            flash(f"Source #{created['id']} saved. Select passages in its text to record statements.", "success")
            return redirect(f"/sources/{created['id']}")
    return render_template("sources/form.html", form=form, resource=SOURCES, record=None,
                           labels=editing.lookup_labels(form), conflict=None), 422


@bp.route(f"/sources/{editing.ID}/edit", methods=["GET", "POST"])
@auth.require("analyst")
def sources_edit(record_id: int) -> ResponseReturnValue:
    """A refused body correction shows the statements to fix next to the body and keeps the typed text."""
    lost = []
    if request.method == "POST" and "body" in request.form:
        typed = request.form["body"].replace("\r\n", "\n").replace("\r", "\n")
        lost = reading.lost_spans(editing.session(), record_id, typed)
    return editing.edit_record(SOURCES, record_id, SourceForm, "sources/form.html", lost=lost)


@bp.post(f"/sources/{editing.ID}/delete")
@auth.require("admin")
def sources_delete(record_id: int) -> ResponseReturnValue:
    return editing.delete_record(SOURCES, record_id)


@bp.get(f"/sources/{editing.ID}/history")
@auth.require("viewer")
def sources_history(record_id: int) -> ResponseReturnValue:
    return editing.record_history(SOURCES, record_id)
