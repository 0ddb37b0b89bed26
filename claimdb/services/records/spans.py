"""Spans: where a statement sits in its source's body, and finding it again after the body changes."""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 32  # characters of prefix and suffix kept with each quote (a W3C TextQuoteSelector)


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    quote: str
    suffix: str


def anchor(body: str, start: int, end: int) -> Anchor:
    """The span with the quote and context that let it be found again."""
    return Anchor(start, end, body[max(0, start - CONTEXT):start], body[start:end], body[end:end + CONTEXT])


def reanchor(body: str, old: Anchor) -> Anchor | None:
    """The same quote in a corrected body, or None when it is gone or no longer unique.

    Never guesses: a quote that occurs several times is placed only if its context picks out
    exactly one occurrence.
    """
    if body[old.start:old.end] == old.quote and (
        body[max(0, old.start - len(old.prefix)):old.start] == old.prefix
        or body[old.end:old.end + len(old.suffix)] == old.suffix
    ):
        return anchor(body, old.start, old.end)
    hits = _occurrences(body, old.quote)
    if len(hits) == 1:
        return anchor(body, hits[0], hits[0] + len(old.quote))
    if not hits:
        return None
    in_context = [h for h in hits
                  if body[max(0, h - len(old.prefix)):h] == old.prefix
                  and body[h + len(old.quote):h + len(old.quote) + len(old.suffix)] == old.suffix]
    if len(in_context) == 1:
        return anchor(body, in_context[0], in_context[0] + len(old.quote))
    return None


def _occurrences(body: str, quote: str, cap: int = 50) -> list[int]:
    hits: list[int] = []
    at = body.find(quote)
    while at != -1 and len(hits) < cap:
        hits.append(at)
        at = body.find(quote, at + 1)
    return hits
