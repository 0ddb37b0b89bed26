"""The JSON API under /api/v1: one blueprint; each module below registers its routes on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)

# The modules register their routes on bp; search.py (search and the contradiction report) is the
# search engineer's.
from claimdb.api import auth_checks, exports, openapi, resources, search  # noqa: E402
from claimdb.api import suggestions as suggestions  # noqa: E402  (attribution suggestions)

__all__ = ["auth_checks", "bp", "exports", "openapi", "resources", "search"]
