"""Claim pages: the list (by status, tag, text, date), who holds each claim, and the editing routes."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.services.pages import record_pages, timeline
from claimdb.services.records import lifecycle
from claimdb.services.records.claims import CLAIMS
from claimdb.web import bp, editing, pictures
from claimdb.web.editing import ID, session
from claimdb.web.forms import ClaimForm
from claimdb.web.listing import list_view

editing.register(bp, CLAIMS, ClaimForm, "claims/form.html")


@bp.get("/claims")
@auth.require("viewer")
def claims_list() -> ResponseReturnValue:
    return list_view("claims", "claims/list.html")


@bp.get(f"/claims/{ID}")
@auth.require("viewer")
def claims_detail(record_id: int) -> ResponseReturnValue:
    record = lifecycle.get(session(), CLAIMS, record_id)
    page = record_pages.claim_page(session(), record_id)
    picture = pictures.claim_timeline_svg(timeline.claim_timeline(session(), record_id))
    return render_template("claims/detail.html", record=record, p=page, resource=CLAIMS, timeline=picture)
