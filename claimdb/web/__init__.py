"""Server-rendered pages for analysts."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web", __name__)
