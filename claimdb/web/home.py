"""The start page (counts, recent changes, quick links) and a short guide to the JSON API."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.services.pages import labels
from claimdb.web import bp
from claimdb.web.editing import session


@bp.get("/")
@auth.require("viewer")
def home() -> ResponseReturnValue:
    return render_template("home.html", counts=labels.counts(session()),
                           recent=labels.recent_changes(session()))


@bp.get("/api")
@auth.require("viewer")
def api_guide() -> ResponseReturnValue:
    return render_template("api.html")
