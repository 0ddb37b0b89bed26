"""Affiliation pages: who belonged to, led, spoke for or merged into whom, and when."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.services.pages import record_pages
from claimdb.services.pages.labels import labels_for_values
from claimdb.services.records import lifecycle
from claimdb.services.records.actors import AFFILIATIONS
from claimdb.web import bp, editing
from claimdb.web.editing import ID, session
from claimdb.web.forms import AffiliationForm

editing.register(bp, AFFILIATIONS, AffiliationForm, "affiliations/form.html")


@bp.get("/affiliations")
@auth.require("viewer")
def affiliations_list() -> ResponseReturnValue:
    results, errors = editing.list_results(AFFILIATIONS, actor_fields=("actor_id", "member_id", "organization_id"))
    rows = AFFILIATIONS.serialize(session(), results.items)
    labels = labels_for_values(session(), rows)
    return render_template("affiliations/list.html", results=results, rows=rows, labels=labels,
                           errors=errors, args=request.args)


@bp.get(f"/affiliations/{ID}")
@auth.require("viewer")
def affiliations_detail(record_id: int) -> ResponseReturnValue:
    record = lifecycle.get(session(), AFFILIATIONS, record_id)
    page = record_pages.affiliation_page(session(), AFFILIATIONS.fetch(session(), record_id))
    return render_template("affiliations/detail.html", record=record, p=page, resource=AFFILIATIONS)
