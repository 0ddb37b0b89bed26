"""Contradiction pages: the list (by status and kind), both claims side by side, and the editing routes."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.services.pages import record_pages
from claimdb.services.records import lifecycle
from claimdb.services.records.claims import CONTRADICTIONS
from claimdb.web import bp, editing
from claimdb.web.editing import ID, session
from claimdb.web.forms import ContradictionForm
from claimdb.web.listing import list_view

editing.register(bp, CONTRADICTIONS, ContradictionForm, "contradictions/form.html")


@bp.get("/contradictions")
@auth.require("viewer")
def contradictions_list() -> ResponseReturnValue:
    return list_view("contradictions", "contradictions/list.html")


@bp.get(f"/contradictions/{ID}")
@auth.require("viewer")
def contradictions_detail(record_id: int) -> ResponseReturnValue:
    record = lifecycle.get(session(), CONTRADICTIONS, record_id)
    page = record_pages.contradiction_page(session(), record_id)
    return render_template("contradictions/detail.html", record=record, p=page, resource=CONTRADICTIONS)
