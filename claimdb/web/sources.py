"""Source pages: the list, the reading page with every statement's span marked, and the record forms."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.services.pages import form_context, source_pages
from claimdb.services.records.sources import SOURCES
from claimdb.web import bp, editing
from claimdb.web.forms_sources import SourceForm
from claimdb.web.listing import list_view


@bp.get("/sources")
@auth.require("viewer")
def sources_list() -> ResponseReturnValue:
    """Sources, newest first; filters and a bad value come back as messages above the table."""
    return list_view("sources", "sources/index.html")


@bp.get(f"/sources/{editing.ID}")
@auth.require("viewer")
def sources_detail(record_id: int) -> ResponseReturnValue:
    """The reading page: metadata, the body with spans marked and linked, the statements in order;
    for analysts, the unrecorded suggestions too, dashed, each to accept, edit or dismiss."""
    page = source_pages.source_page(editing.session(), record_id, suggestions=auth.has_role("analyst"))
    reporter = form_context.statement_brief(editing.session(), _int_arg("reported_by_id"))
    if reporter is not None and reporter.source_id != record_id:
        reporter = None
    new_statement = url_for("web.statements_new", source_id=record_id, reported_by_id=reporter.id if reporter else None)
    return render_template("sources/show.html", page=page, source=page.source, reporter=reporter,
                           new_statement=new_statement)


def _int_arg(name: str) -> int | None:
    text = (request.args.get(name) or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _without_empty_grade(form: SourceForm) -> dict[str, Any]:
    """An empty grade is left out, so the publisher's grade applies."""
    payload = editing.form_payload(form, SOURCES)
    if payload.get("reliability") is None:
        payload.pop("reliability", None)
    return payload


def _source_saved(form: SourceForm, created: dict[str, Any]) -> ResponseReturnValue:
    flash(f"Source #{created['id']} saved. Select passages in its text to record statements.", "success")
    return redirect(url_for("web.sources_detail", record_id=created["id"]))


@bp.route("/sources/new", methods=["GET", "POST"])
@auth.require("analyst")
def sources_new() -> ResponseReturnValue:
    """Like every create, except for the grade (see _without_empty_grade) and where it goes next."""
    flow = editing.CreateFlow(convert=_without_empty_grade, saved=_source_saved)
    return editing.create_form(SOURCES, SourceForm, "sources/form.html", flow)


@bp.route(f"/sources/{editing.ID}/edit", methods=["GET", "POST"])
@auth.require("analyst")
def sources_edit(record_id: int) -> ResponseReturnValue:
    """A refused body correction shows the statements to fix next to the body and keeps the typed text."""
    lost = []
    if request.method == "POST" and "body" in request.form:
        typed = request.form["body"].replace("\r\n", "\n").replace("\r", "\n")
        lost = form_context.lost_spans(editing.session(), record_id, typed)
    return editing.edit_record(SOURCES, record_id, SourceForm, "sources/form.html", lost=lost)


@bp.post(f"/sources/{editing.ID}/delete")
@auth.require("admin")
def sources_delete(record_id: int) -> ResponseReturnValue:
    return editing.delete_record(SOURCES, record_id)


@bp.get(f"/sources/{editing.ID}/history")
@auth.require("viewer")
def sources_history(record_id: int) -> ResponseReturnValue:
    return editing.record_history(SOURCES, record_id)
