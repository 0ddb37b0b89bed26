"""Where the shipped resources are, in a checkout and in an installed wheel alike."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    """A top-level folder of the checkout, or its copy inside the installed package."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


TEMPLATES = _resource("templates")
MIGRATIONS = _resource("migrations")
STATIC = PACKAGE / "static"
DEMO = PACKAGE / "demo" / "sample_article.json"
