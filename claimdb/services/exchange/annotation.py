"""Statement spans as W3C Web Annotation targets: written by the export, read back by the import.

A TextQuoteSelector (the quoted text with a little context) survives edits to the surrounding text
and is how hand-kept files such as the demo dataset place their statements; a TextPositionSelector
gives the code-point offsets. Reading a target never guesses: text that is missing or ambiguous is
refused with a message the analyst can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from claimdb.models import Statement
from claimdb.wording import short


class TargetRefused(ValueError):
    """The target cannot be read or placed; the message says why."""


@dataclass(frozen=True)
class Target:
    """A statement's target as read from a file: the quoted text (if any) and the offsets given."""

    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    places: list[tuple[int, int]] = field(default_factory=list)


def web_annotation_target(st: Statement) -> dict[str, Any]:
    """The span as W3C Web Annotation selectors, for tools that speak that standard."""
    return {"source": st.source_id, "selector": [
        {"type": "TextPositionSelector", "start": st.span_start, "end": st.span_end},
        {"type": "TextQuoteSelector", "exact": st.span_quote, "prefix": st.span_prefix, "suffix": st.span_suffix},
    ]}


def read_target(target: Any, source_ref: Any) -> Target:
    """The selectors of a target object, checked for shape; `source_ref` is the statement's source_id."""
    selectors = target.get("selector") if isinstance(target, dict) else None
    selectors = [selectors] if isinstance(selectors, dict) else selectors
    if not isinstance(target, dict) or not isinstance(selectors, list) or not selectors \
            or set(target) - {"type", "source", "selector"}:
        raise TargetRefused('Expected a W3C Web Annotation target: {"selector": {"type": "TextQuoteSelector", '
                            '"exact": …, "prefix": …, "suffix": …}}.')
    if "source" in target and target["source"] != source_ref:
        raise TargetRefused(f"Its source {target['source']!r} is not the statement's source_id {source_ref!r}.")
    quote: dict[str, Any] | None = None
    places: list[tuple[int, int]] = []
    for sel in selectors:
        kind = sel.get("type") if isinstance(sel, dict) else None
        if kind == "TextQuoteSelector" and quote is None and set(sel) <= {"type", "exact", "prefix", "suffix"} \
                and isinstance(sel.get("exact"), str) and sel["exact"] \
                and all(isinstance(sel.get(k), str | None) for k in ("prefix", "suffix")):
            quote = sel
        elif kind == "TextPositionSelector" and set(sel) == {"type", "start", "end"} \
                and all(type(sel[k]) is int for k in ("start", "end")):
            places.append((sel["start"], sel["end"]))
        else:
            raise TargetRefused("Each selector must be a TextQuoteSelector {type, exact, prefix, suffix} (exact "
                                "a non-empty string; once) or a TextPositionSelector {type, start, end}.")
    if quote is None:
        return Target(places=places)
    return Target(quote["exact"], quote.get("prefix") or "", quote.get("suffix") or "", places)


def span_of(target: Any, source_ref: Any, span: Any, body: str | None) -> Any:
    """A statement's span as its file gives it with a target: the target placed in the body, checked
    against `span` when that is given too. A malformed `span` is given back as it is (the schema's
    message says what is wrong with it, not the target's), and so is any span without a body to
    place it in (the source's own problem is reported)."""
    found = read_target(target, source_ref)
    if isinstance(span, dict) and type(span.get("start")) is int and type(span.get("end")) is int:
        found.places.append((span["start"], span["end"]))
    elif span is not None:
        return span
    if body is None:
        return span
    start, end = place(found, body)
    return {"start": start, "end": end}


def place(target: Target, body: str) -> tuple[int, int]:
    """Where the target stands in the body. The quote, narrowed by its prefix and suffix, must occur
    exactly once; with offsets given too, it must stand exactly there (so a passage that repeats in
    the body still round-trips)."""
    if len(set(target.places)) > 1:
        raise TargetRefused("The span and the TextPositionSelector disagree: "
                            + ", ".join(f"{a}–{b}" for a, b in dict.fromkeys(target.places)) + ".")
    if target.exact is None:
        return target.places[0]
    exact, prefix, suffix = target.exact, target.prefix, target.suffix

    def fits(at: int) -> bool:
        return (body.startswith(exact, at) and at >= len(prefix) and body.startswith(prefix, at - len(prefix))
                and body.startswith(suffix, at + len(exact)))

    if target.places:
        start, end = target.places[0]
        if end - start != len(exact) or not fits(start):
            raise TargetRefused(f"The TextQuoteSelector “{short(exact, 80)}” does not agree with the span "
                                f"{start}–{end}: the body has “{short(body[start:end], 80)}” there.")
        return start, end
    hits = []
    at = body.find(exact)
    while at != -1:
        if fits(at):
            hits.append(at)
        at = body.find(exact, at + 1)
    context = " with that prefix and suffix" if prefix or suffix else ""
    if not hits:
        raise TargetRefused(f"The quoted text “{short(exact, 80)}” is not found in the source body{context}.")
    if len(hits) > 1:
        raise TargetRefused(f"The quoted text “{short(exact, 80)}” occurs {len(hits)} times{context}; "
                            "add a prefix or suffix that picks out one.")
    return hits[0], hits[0] + len(exact)
