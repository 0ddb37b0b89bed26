"""Server-rendered pages for analysts.

One blueprint; each noun's module adds its routes when imported at the bottom of this file.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from claimdb import auth
from claimdb.models import values
from claimdb.partialdate import PartialDate, PartialDateError
from claimdb.web import badges, urls

bp = Blueprint("web", __name__)


@bp.record_once
def _template_globals(state: Any) -> None:
    """Globals every template and imported macro sees: `can("analyst")` hides buttons a role may not use
    (the routes enforce roles anyway); `values` holds the value sets' labels; `badge` (web/badges.py);
    `url_for` with a fast path for records' links (web/urls.py)."""
    state.app.jinja_env.globals.update(can=auth.has_role, values=values, badge=badges.badge, url_for=urls.url_for)
    state.app.jinja_env.filters["partial_date"] = _partial_date


def _partial_date(value: Any) -> str:
    """A partial date (or its wire form "2015-03") as analysts read it: "March 2015"."""
    if value is None or value == "":
        return ""
    if isinstance(value, PartialDate):
        return value.human()
    try:
        return PartialDate.parse(str(value)).human()
    except PartialDateError:
        return str(value)


# Each module adds its routes to bp when imported.
from claimdb.web import (  # noqa: E402
    accusations,
    actors,
    admin,
    affiliations,
    claims,
    contradictions,
    home,
    imports,
    lookups,
    search,
    session,
    sources,
    statements,
)
from claimdb.web import suggestions as suggestions  # noqa: E402  (attribution suggestions' actions)

__all__ = [
    "accusations", "actors", "admin", "affiliations", "bp", "claims", "contradictions", "home", "imports", "lookups",
    "search", "session", "sources", "statements",
]
