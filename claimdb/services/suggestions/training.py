"""Learning from the desk: recorded statements are positives, dismissed suggestions negatives.

Each source the desk has worked on becomes one training example: its recorded attributions (content
span, the cue's words found near it, the speaker's name or alias found near it) and its dismissed
spans. Analysts read top to bottom and rarely finish a source, so only the part up to the paragraph
after the last recorded or dismissed passage is used: a suggestion there that was neither recorded
nor dismissed was passed over (a negative, as ``claimdb.attribution.train`` counts it), while the
unread rest says nothing. Statements with neither cue nor hedge are the outlet's own voice, not
attributions: they teach nothing either way.

Retraining is due every ``RETRAIN_EVERY`` statements. ``claimdb suggestions train`` and the explicit
"train now" action always train; after an accepted suggestion the app retrains in that request only
when the desk's material is small enough to train well inside a second (``INLINE_CHARS``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claimdb.attribution import Span, train
from claimdb.attribution.learn import Example, Labelled
from claimdb.errors import Invalid
from claimdb.models import Actor, ActorAlias, DismissedSuggestion, Source, Statement, SuggestionModel
from claimdb.models.users import utcnow
from claimdb.services.suggestions.store import stored

#: Newly recorded statements after which the model is retrained.
RETRAIN_EVERY: Final = 25
#: Body characters the desk may hold for a retraining inside a request. Measured on the shared 2-core
#: machine: training runs at about 170,000–220,000 characters a second (PolNeAR's 840 training articles,
#: 3.8 M characters: 22.6 s; 40 articles, 132,000 characters: 0.6 s; the demo desk: 0.04 s), so this
#: keeps an inline retraining near half a second; larger desks retrain through the CLI or "train now".
INLINE_CHARS: Final = 100_000
#: Fewer worked sources cannot be calibrated (held-out folds need two): the model would claim certainty.
MIN_SOURCES: Final = 2
#: How far around a statement's span its cue and its speaker's name are looked for.
WINDOW: Final = 300


@dataclass(frozen=True)
class TrainingReport:
    """What one training learnt from, how long it took, and what it produced."""

    sources: int
    attributions: int
    dismissals: int
    statements_seen: int
    seconds: float
    weights: int
    floor: float

    def summary(self) -> str:
        return (f"Trained on {self.sources} source(s): {self.attributions} recorded attribution(s), "
                f"{self.dismissals} dismissed suggestion(s), in {self.seconds:.2f} s "
                f"({self.weights} weights, confidence floor {self.floor}).")

    def json(self) -> dict[str, Any]:
        return {"sources": self.sources, "attributions": self.attributions, "dismissals": self.dismissals,
                "statements_seen": self.statements_seen, "seconds": round(self.seconds, 3),
                "weights": self.weights, "floor": self.floor}


@dataclass(frozen=True)
class TrainingStatus:
    """Whether a model is trained, on how much, and whether retraining is due."""

    trained_at: str | None
    sources: int
    attributions: int
    dismissals: int
    statements: int
    new_statements: int
    due: bool

    def json(self) -> dict[str, Any]:
        return {"trained_at": self.trained_at, "sources": self.sources, "attributions": self.attributions,
                "dismissals": self.dismissals, "statements": self.statements,
                "new_statements": self.new_statements, "retrain_every": RETRAIN_EVERY, "due": self.due}


def status(session: Session) -> TrainingStatus:
    count = session.scalar(select(func.count(Statement.id))) or 0
    row = stored(session)
    seen = row.statements_seen if row is not None else 0
    return TrainingStatus(
        trained_at=row.trained_at.isoformat() if row is not None else None,
        sources=row.sources if row else 0, attributions=row.attributions if row else 0,
        dismissals=row.dismissals if row else 0, statements=count, new_statements=max(0, count - seen),
        due=count - seen >= RETRAIN_EVERY)


def retrain_if_due(session: Session) -> TrainingReport | None:
    """Train now if ``RETRAIN_EVERY`` statements were recorded since the last training and the desk's
    material is small enough to train inside the request; otherwise leave it to the CLI or the explicit action."""
    if not status(session).due:
        return None
    worked = select(Statement.source_id).where(Statement.span_start.is_not(None))
    chars = session.scalar(select(func.sum(func.length(Source.body))).where(Source.id.in_(worked))) or 0
    if chars > INLINE_CHARS:
        return None
    try:
        return train_from_desk(session)
    except Invalid:
        return None


def train_from_desk(session: Session, *, seed: int = 0, min_sources: int = MIN_SOURCES) -> TrainingReport:
    """Train the re-scorer on everything the desk recorded and dismissed, store it, and report."""
    started = time.perf_counter()
    examples, attributions, dismissals = desk_examples(session)
    if len(examples) < max(1, min_sources):
        raise Invalid({"model": f"Not enough to learn from yet: {len(examples)} worked source(s), and training "
                                f"needs {max(1, min_sources)}. Record statements (with a span and a cue) or "
                                "dismiss suggestions in more sources first."}, "Not enough to learn from yet.")
    count = session.scalar(select(func.count(Statement.id))) or 0
    model = train(examples, seed=seed)
    seconds = time.perf_counter() - started
    data = model.to_dict()
    _save(session, data, sources=len(examples), attributions=attributions, dismissals=dismissals,
          statements_seen=count, seconds=seconds)
    return TrainingReport(len(examples), attributions, dismissals, count, seconds, len(data["weights"]),
                          model.floor)


def _save(session: Session, data: dict[str, Any], **fields: Any) -> None:
    for attempt in range(2):
        row = stored(session)
        if row is None:
            row = SuggestionModel(id=1, revision=0)
            session.add(row)
        row.model = data
        for name, value in fields.items():
            setattr(row, name, value)
        row.trained_at = utcnow()
        row.revision = (row.revision or 0) + 1
        try:
            session.commit()
            return
        except IntegrityError:  # another training stored the first row meanwhile: overwrite it
            session.rollback()
            if attempt:
                raise


def desk_examples(session: Session) -> tuple[list[Example], int, int]:
    """One example per worked source, cut after the last worked passage; with the counts of positives and negatives."""
    statements = session.execute(
        select(Statement.source_id, Statement.span_start, Statement.span_end, Statement.cue, Statement.hedge,
               Statement.speaker_id)
        .where(Statement.span_start.is_not(None)).order_by(Statement.source_id, Statement.span_start)).all()
    dismissed = session.execute(
        select(DismissedSuggestion.source_id, DismissedSuggestion.span_start, DismissedSuggestion.span_end)
        .order_by(DismissedSuggestion.source_id, DismissedSuggestion.span_start)).all()
    by_source: dict[int, list[Any]] = {}
    for r in statements:
        by_source.setdefault(r.source_id, []).append(r)
    dismissed_in: dict[int, list[Any]] = {}
    for d in dismissed:
        dismissed_in.setdefault(d.source_id, []).append(d)
    source_ids = sorted(by_source.keys() | dismissed_in.keys())
    if not source_ids:
        return [], 0, 0
    names = _speaker_names(session, {r.speaker_id for r in statements})
    examples: list[Example] = []
    positives = negatives = 0
    # Bodies a batch at a time: a desk's sources can hold megabytes of text.
    for i in range(0, len(source_ids), 200):
        batch = source_ids[i:i + 200]
        rows = session.execute(select(Source.id, Source.body).where(Source.id.in_(batch)))
        bodies = {row.id: row.body for row in rows}
        for source_id in batch:
            body = bodies.get(source_id) or ""
            recorded = by_source.get(source_id, [])
            labelled = [label for r in recorded
                        if (label := labelled_statement(body, r.span_start, r.span_end, r.cue or r.hedge,
                                                        names.get(r.speaker_id, ()))) is not None]
            negatives_here = [Span(r.span_start, r.span_end) for r in dismissed_in.get(source_id, [])
                              if r.span_end <= len(body)]
            if not labelled and not negatives_here:
                continue
            worked = [r.span_end for r in recorded if r.span_end <= len(body)] + [d.end for d in negatives_here]
            cut = cut_after(body, max(worked))
            examples.append(Example(body[:cut], [a for a in labelled if a[0].end <= cut], negatives_here))
            positives += len(labelled)
            negatives += len(negatives_here)
    return examples, positives, negatives


def _speaker_names(session: Session, actor_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    ids = sorted(set(actor_ids))
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    rows = select(Actor.id, Actor.name).where(Actor.id.in_(ids)).union_all(
        select(ActorAlias.actor_id, ActorAlias.name).where(ActorAlias.actor_id.in_(ids)))
    for actor_id, name in session.execute(rows):
        found.setdefault(actor_id, []).append(name)
    return {k: tuple(v) for k, v in found.items()}


def cut_after(body: str, end: int) -> int:
    """The end of the paragraph holding offset ``end`` (or of the body)."""
    stop = body.find("\n", end)
    return len(body) if stop < 0 else stop


def labelled_statement(body: str, start: int | None, end: int | None, cue: str | None,
                       speaker_names: Sequence[str]) -> Labelled | None:
    """(content, cue, speaker) spans of a recorded attribution; None for a statement without a cue or hedge."""
    if start is None or end is None or end > len(body) or not (cue or "").strip():
        return None
    assert cue is not None
    content = Span(start, end)
    return content, nearest(body, [cue], content), nearest(body, speaker_names, content)


def nearest(body: str, phrases: Sequence[str], content: Span) -> Span | None:
    """The occurrence of any phrase (case-insensitive, whole words) within ``WINDOW`` of the content, nearest
    to it; one outside the content is preferred to one inside it (a cue or speaker rarely sits in what is said)."""
    lo, hi = max(0, content.start - WINDOW), min(len(body), content.end + WINDOW)
    best: tuple[int, int, Span] | None = None
    for phrase in phrases:
        phrase = phrase.strip()
        if not phrase:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(body, lo, hi):
            inside = int(m.start() >= content.start and m.end() <= content.end)
            distance = max(content.start - m.end(), m.start() - content.end, 0)
            key = (inside, distance, Span(m.start(), m.end()))
            if best is None or key[:2] < best[:2]:
                best = key
    return best[2] if best is not None else None
