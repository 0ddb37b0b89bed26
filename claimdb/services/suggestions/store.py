"""The installation's trained model: one row, read through a small cache keyed by its revision."""

from __future__ import annotations

import threading
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimdb.attribution import Model
from claimdb.models import SuggestionModel

# Parsing a PolNeAR-sized model (8,000 weights) costs milliseconds; a request only reads its revision.
_CACHE: dict[tuple[str, int, str], Model] = {}
_CACHE_SIZE: Final = 4
_LOCK = threading.Lock()


def current_model(session: Session) -> Model | None:
    """The trained model, or None before the first training (the rules alone then)."""
    row = session.execute(select(SuggestionModel.revision, SuggestionModel.trained_at)
                          .where(SuggestionModel.id == 1)).first()
    if row is None:
        return None
    key = (str(session.get_bind().engine.url), row.revision, row.trained_at.isoformat())
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    data = session.scalar(select(SuggestionModel.model).where(SuggestionModel.id == 1))
    if data is None:
        return None
    try:
        model = Model.from_dict(data)
    except (ValueError, KeyError, TypeError):
        return None  # a model from another format: suggest with the rules until the next training
    with _LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = model
    return model


def stored(session: Session) -> SuggestionModel | None:
    """The model's row (training size, time), without parsing the model."""
    return session.get(SuggestionModel, 1)
