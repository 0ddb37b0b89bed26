"""Attribution suggestions: who said what in a source's body (DESIGN.md, "Attribution suggestions").

Pure text analysis: no Flask, no database, no I/O or downloads. ``suggest``
runs the rules (the cold start) and, given a trained ``Model``, lets it
re-score them and add what its cue tagger finds beyond them (tagger.py).
Matching speakers to actors is the service layer's job, by
``normalize_name(speaker_name)``.
"""

from __future__ import annotations

from typing import Final

from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.learn import Model, train
from claimdb.attribution.rules import find, merge
from claimdb.attribution.types import Span, Suggestion

__all__ = ["DEFAULT_MIN_CONFIDENCE", "Model", "Span", "Suggestion", "suggest", "train"]

#: The confidence below which the source page hides a suggestion by default (measured in benchmarks/README.md).
DEFAULT_MIN_CONFIDENCE: Final = 0.6


def suggest(body: str, *, model: Model | None = None) -> list[Suggestion]:
    """Proposed attributions in ``body``, ordered by the start of their content span."""
    doc = Document.analyse(body)
    cands = find(doc)
    if model is not None:
        extra: list[Candidate] = []
        if model.tagger is not None:
            extra = model.tagger.extend(doc, cands)
            model.tagger.adjust(doc, cands)
        model.rescore(cands)
        cands = [c for c in cands if c.score >= model.floor]
        if extra:
            cands = merge(doc, cands, extra)
    return to_suggestions(doc, cands)


def to_suggestions(doc: Document, cands: list[Candidate]) -> list[Suggestion]:
    """Turn candidates (token ranges) into suggestions (code-point spans), keeping nesting indexes valid."""
    order = sorted(range(len(cands)), key=lambda k: (_span(doc, cands[k].content).start, cands[k].content[1]))
    new_index = {old: new for new, old in enumerate(order)}
    out: list[Suggestion] = []
    for old in order:
        cand = cands[old]
        span = _span(doc, cand.content)
        parent = new_index.get(cand.reported_by) if cand.reported_by is not None else None
        out.append(
            Suggestion(
                span=span,
                text=doc.body[span.start : span.end],
                quote_type=cand.quote_type,
                cue=doc.words(*cand.cue) if cand.cue else "",
                cue_span=_span(doc, cand.cue) if cand.cue else None,
                hedge=cand.hedge,
                speaker_name=cand.speaker_name,
                speaker_span=_span(doc, cand.source) if cand.source else None,
                reported_by=parent,
                confidence=round(cand.score, 3),
            )
        )
    return out


def _span(doc: Document, rng: tuple[int, int]) -> Span:
    return Span(*doc.char_span(rng))
