"""Attribution suggestions at the desk (DESIGN.md, "Attribution suggestions"): propose, accept, dismiss, learn.

The interface the faces share (the API in claimdb/api/suggestions.py, the web actions in
claimdb/web/suggestions.py, the CLI in claimdb/cli_suggestions.py, and the source page):

* ``proposals(session, source_id, *, min_confidence=None, include_dismissed=False) -> list[Proposal]``:
  the extractor's suggestions for the source's body, scored by the installation's trained model (if
  any), ordered by ``span.start``; each speaker resolved to an actor by the normalized names and aliases
  search uses (the whole name, else its longest run of words that names exactly one actor); a recorded
  statement of the source on almost the same span (each covering ≥ 80 % of the other) given as
  ``statement_id``; dismissed ones left out; ``reported_by`` indexes renumbered after filtering (null
  when the parent was left out). Raises ``NotFound`` for a missing source.
* ``for_source_page(session, source_id) -> list[Proposal]``: what the source page shows in place (not
  dismissed, confidence ≥ ``claimdb.attribution.DEFAULT_MIN_CONFIDENCE``). A ``Proposal`` is a frozen
  dataclass: ``index, span, text, quote_type, cue, cue_span, hedge, speaker_id, speaker_name,
  speaker_text, speaker_span, reported_by, statement_id, confidence, dismissed``; ``json()`` gives the
  API's item. Its accept and dismiss buttons post to ``/sources/ID/suggestions/accept`` and
  ``/sources/ID/suggestions/dismiss`` (see claimdb/web/suggestions.py for the form fields).
* ``dismiss(session, source_id, {"span": {...}})`` and ``accept(session, source_id, {"span": {...},
  ...overrides})``: the desk's answers; accept records through ``lifecycle.create``.
* ``train_from_desk(session)``, ``status(session)``, ``retrain_if_due(session)``: learning from the desk.
"""

from claimdb.services.suggestions.desk import accept, dismiss
from claimdb.services.suggestions.proposals import Proposal, for_source_page, proposals, resolve_speakers
from claimdb.services.suggestions.training import (
    RETRAIN_EVERY,
    TrainingReport,
    TrainingStatus,
    retrain_if_due,
    status,
    train_from_desk,
)

__all__ = [
    "RETRAIN_EVERY", "Proposal", "TrainingReport", "TrainingStatus", "accept", "dismiss", "for_source_page",
    "proposals", "resolve_speakers", "retrain_if_due", "status", "train_from_desk",
]
