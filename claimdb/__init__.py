"""claimdb: a claim and attribution tracking database for open-source analysts."""

from __future__ import annotations

from claimdb.app import create_app

__all__ = ["create_app"]
