"""The suggestions for one source as the desk sees them: speakers resolved, recorded ones marked, dismissed ones hidden.

Bounded work per call: the source, the model's revision (and the model itself only when it changed),
one query for the source's statements, one for its dismissals, one batched alias lookup for every
speaker name; then the pure-Python extractor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimdb.attribution import DEFAULT_MIN_CONFIDENCE, Span, suggest
from claimdb.errors import NotFound
from claimdb.models import Actor, ActorAlias, DismissedSuggestion, Source, Statement
from claimdb.normalize import normalize_name
from claimdb.services.suggestions.store import current_model

#: A recorded statement is "the same" as a suggestion when their overlap covers at least this share of
#: *each* span: the desk trims quotation marks, a leading "that" or a final full stop that the extractor
#: keeps (or the other way round), and nothing more. A nested quote inside a recorded statement covers
#: too little of it to count, so it keeps its own (or no) statement.
SAME_SPAN_SHARE: Final = 0.8
#: Longer speaker names are descriptions ("a Syrian activist in Aleppo …"); only their first words are tried.
MAX_NAME_WORDS: Final = 8


@dataclass(frozen=True)
class Proposal:
    """One suggestion as the API and the source page show it.

    ``index`` is its position in the list it came in, ``reported_by`` the index of the proposal it is
    relayed through (null when that one is not in the list). ``speaker_id`` is the actor the speaker's
    name or alias resolved to (null when none or several did); ``speaker_name`` is then that actor's
    name, else the name as written (``speaker_text``; "" when nobody is named, as in "there are reports").
    ``statement_id`` is the recorded statement on (almost) the same span; ``dismissed`` is only ever true
    when dismissed ones were asked for.
    """

    index: int
    span: Span
    text: str
    quote_type: str
    cue: str
    cue_span: Span | None
    hedge: str | None
    speaker_id: int | None
    speaker_name: str
    speaker_text: str
    speaker_span: Span | None
    reported_by: int | None
    statement_id: int | None
    confidence: float
    dismissed: bool = False

    def json(self) -> dict[str, Any]:
        """The item shape of ``GET /api/v1/sources/ID/suggestions`` (DESIGN.md, "Attribution suggestions")."""
        return {
            "span": _span_json(self.span), "text": self.text, "quote_type": self.quote_type, "cue": self.cue,
            "cue_span": _span_json(self.cue_span), "hedge": self.hedge,
            "speaker": {"id": self.speaker_id, "name": self.speaker_name},
            "speaker_span": _span_json(self.speaker_span), "reported_by": self.reported_by,
            "statement_id": self.statement_id, "confidence": self.confidence,
        }


def _span_json(span: Span | None) -> dict[str, int] | None:
    return {"start": span.start, "end": span.end} if span is not None else None


def proposals(session: Session, source_id: int, *, min_confidence: float | None = None,
              include_dismissed: bool = False) -> list[Proposal]:
    """The source's suggestions ordered by span start; those under ``min_confidence`` and dismissed ones left out."""
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    return proposals_for_body(session, source_id, source.body or "", min_confidence=min_confidence,
                              include_dismissed=include_dismissed)


def for_source_page(session: Session, source_id: int) -> list[Proposal]:
    """What the source page shows in place: not dismissed, at least ``DEFAULT_MIN_CONFIDENCE`` confident."""
    return proposals(session, source_id, min_confidence=DEFAULT_MIN_CONFIDENCE)


def proposals_for_body(session: Session, source_id: int, body: str, *, min_confidence: float | None = None,
                       include_dismissed: bool = False) -> list[Proposal]:
    suggestions = suggest(body, model=current_model(session)) if body.strip() else []
    if not suggestions:
        return []
    recorded = session.execute(
        select(Statement.id, Statement.span_start, Statement.span_end)
        .where(Statement.source_id == source_id, Statement.span_start.is_not(None))).all()
    dismissed = {(row.span_start, row.span_end): row.quote for row in session.execute(
        select(DismissedSuggestion.span_start, DismissedSuggestion.span_end, DismissedSuggestion.quote)
        .where(DismissedSuggestion.source_id == source_id))}
    speakers = resolve_speakers(session, [s.speaker_name for s in suggestions])
    statement_of = same_span_statements([s.span for s in suggestions],
                                        [(r.id, r.span_start, r.span_end) for r in recorded])
    items: list[Proposal] = []
    for k, s in enumerate(suggestions):
        speaker_id, speaker_name = speakers.get(s.speaker_name, (None, s.speaker_name))
        items.append(Proposal(
            index=k, span=s.span, text=s.text, quote_type=s.quote_type, cue=s.cue, cue_span=s.cue_span,
            hedge=s.hedge, speaker_id=speaker_id, speaker_name=speaker_name, speaker_text=s.speaker_name,
            speaker_span=s.speaker_span, reported_by=s.reported_by, statement_id=statement_of.get(k),
            confidence=s.confidence, dismissed=dismissed.get((s.span.start, s.span.end)) == s.text))
    keep = [p for p in items if (include_dismissed or not p.dismissed)
            and (min_confidence is None or p.confidence >= min_confidence)]
    return reindexed(keep)


def reindexed(kept: Sequence[Proposal]) -> list[Proposal]:
    """Number the kept proposals afresh, in span order; a parent that was left out becomes null."""
    ordered = sorted(kept, key=lambda p: (p.span.start, p.span.end, p.index))
    new_index = {p.index: k for k, p in enumerate(ordered)}
    return [replace(p, index=k, reported_by=new_index.get(p.reported_by) if p.reported_by is not None else None)
            for k, p in enumerate(ordered)]


def same_span_statements(spans: Sequence[Span], recorded: Iterable[tuple[int, int, int]]) -> dict[int, int]:
    """{suggestion index: statement id}, one to one, best overlap first, each covering ``SAME_SPAN_SHARE``
    of the other."""
    pairs: list[tuple[float, int, int]] = []
    for statement_id, start, end in recorded:
        for k, span in enumerate(spans):
            overlap = min(end, span.end) - max(start, span.start)
            if overlap <= 0:
                continue
            share = min(overlap / (end - start), overlap / (span.end - span.start))
            if share >= SAME_SPAN_SHARE:
                pairs.append((-share, k, statement_id))
    pairs.sort()
    found: dict[int, int] = {}
    used: set[int] = set()
    for _, k, statement_id in pairs:
        if k not in found and statement_id not in used:
            found[k] = statement_id
            used.add(statement_id)
    return found


def name_keys(name: str) -> list[str]:
    """The lookup keys a speaker name is tried under: its whole normalized form, then ever shorter runs of
    its words, leftmost first ("Syrian activist Assem Zaidan" → … "assem zaidan" …)."""
    words = normalize_name(name).split()[:MAX_NAME_WORDS]
    return [" ".join(words[i:i + n]) for n in range(len(words), 0, -1) for i in range(len(words) - n + 1)]


def resolve_speakers(session: Session, names: Iterable[str]) -> dict[str, tuple[int | None, str]]:
    """{name as written: (actor id, actor name)} for the names that resolve to exactly one actor.

    A name resolves by the longest run of its words whose normalized form equals exactly one actor's
    name or alias key (normalized as for search, Arabic script included); a run that names several
    actors stops the search (the analyst picks), and a name with no matching run stays unresolved.
    """
    keys_of = {name: name_keys(name) for name in set(names) if name.strip()}
    keys = sorted({k for ks in keys_of.values() for k in ks})
    if not keys:
        return {}
    actors: dict[str, dict[int, str]] = {}
    named = select(Actor.normalized, Actor.id, Actor.name).where(Actor.normalized.in_(keys))
    aliased = (select(ActorAlias.normalized, Actor.id, Actor.name).join(Actor, Actor.id == ActorAlias.actor_id)
               .where(ActorAlias.normalized.in_(keys)))
    for key, actor_id, actor_name in session.execute(named.union_all(aliased)):
        actors.setdefault(key, {})[actor_id] = actor_name
    resolved: dict[str, tuple[int | None, str]] = {}
    for name, ks in keys_of.items():
        match = next((actors[k] for k in ks if k in actors), None)
        if match is not None and len(match) == 1:
            resolved[name] = next(iter(match.items()))
    return resolved
