"""Actor pages: the list (by name, alias or kind), the cross-reference profile, and the editing routes."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.services.pages import record_pages
from claimdb.services.records.actors import ACTORS
from claimdb.web import bp, editing
from claimdb.web.editing import ID, session
from claimdb.web.forms import ActorForm
from claimdb.web.listing import list_view

editing.register(bp, ACTORS, ActorForm, "actors/form.html")


@bp.get("/actors")
@auth.require("viewer")
def actors_list() -> ResponseReturnValue:
    return list_view("actors", "actors/list.html")


@bp.get(f"/actors/{ID}")
@auth.require("viewer")
def actors_detail(record_id: int) -> ResponseReturnValue:
    profile = record_pages.actor_profile(session(), record_id)
    record = ACTORS.read(session(), profile["actor"])
    return render_template("actors/detail.html", record=record, p=profile, resource=ACTORS)
