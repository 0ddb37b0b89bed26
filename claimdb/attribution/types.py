"""The values the attribution package hands out: spans and suggestions.

Kept apart from the rules and the model so that both can build them without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A half-open range of code-point offsets into the body (``body[start:end]``).

    Code points, not bytes or UTF-16 units, because statements store their
    spans that way (DESIGN.md) and Python strings index by code point.
    """

    start: int
    end: int


@dataclass(frozen=True)
class Suggestion:
    """One proposed attribution: who (speaker) said what (span) with which words (cue).

    ``speaker_name`` is the name as written, or, when ``speaker_span`` covers a
    pronoun or a description ("he", "the group"), the name it was resolved to;
    the service layer matches ``normalize_name(speaker_name)`` against aliases.
    ``speaker_name`` is empty when nobody is named ("there are reports that").
    ``reported_by`` is the index, in the same list, of the suggestion this one
    is relayed through ("X said that Y had stated that ...").
    """

    span: Span
    text: str
    quote_type: str
    cue: str
    cue_span: Span | None
    hedge: str | None
    speaker_name: str
    speaker_span: Span | None
    reported_by: int | None
    confidence: float
