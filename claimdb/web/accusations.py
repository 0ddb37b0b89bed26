"""Accusation pages: who accuses whom of what, in which statement."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.services.pages import record_pages
from claimdb.services.records import accusations, lifecycle
from claimdb.services.records.accusations import ACCUSATIONS
from claimdb.web import bp, editing
from claimdb.web.editing import ID, session
from claimdb.web.forms import AccusationForm
from claimdb.web.listing import list_view


def _form_context() -> dict[str, Any]:
    """Categories already in use, offered as suggestions (a <datalist>) for the free-text field."""
    return {"categories": accusations.categories(session())}


editing.register(bp, ACCUSATIONS, AccusationForm, "accusations/form.html", context=_form_context)


@bp.get("/accusations")
@auth.require("viewer")
def accusations_list() -> ResponseReturnValue:
    return list_view("accusations", "accusations/list.html",
                     categories=accusations.categories(session()))


@bp.get(f"/accusations/{ID}")
@auth.require("viewer")
def accusations_detail(record_id: int) -> ResponseReturnValue:
    record = lifecycle.get(session(), ACCUSATIONS, record_id)
    page = record_pages.accusation_page(session(), ACCUSATIONS.fetch(session(), record_id))
    return render_template("accusations/detail.html", record=record, p=page, resource=ACCUSATIONS)
