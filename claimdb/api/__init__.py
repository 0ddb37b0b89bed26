"""The JSON API under /api/v1: one blueprint; each module below registers its routes on it."""

from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("api", __name__)


@bp.record_once
def _keep_field_order(state: BlueprintSetupState) -> None:
    """Records read id first, as documented; config.JSON_SORT_KEYS is ignored since Flask 2.3."""
    state.app.json.sort_keys = False  # type: ignore[attr-defined]


# The modules register their routes on bp; search.py (search and the contradiction report) is the
# search engineer's.
from claimdb.api import auth_checks, exports, openapi, resources, search  # noqa: E402

__all__ = ["auth_checks", "bp", "exports", "openapi", "resources", "search"]
