"""Bulk writes pause the full-text triggers and rebuild the index once at the end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def suspended(session: Session) -> Iterator[None]:
    """Within the block the full-text index may lag; it is rebuilt in the same transaction after it."""
    try:
        from claimdb.services import fulltext  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # the full-text index is not installed yet
        yield
        return
    fulltext.suspend(session)
    yield
    fulltext.rebuild(session)
