"""A source body with statement spans marked: properly nested pieces whose text is exactly the body.

Spans may nest (a statement reported through another) and even cross; the pieces come out so that a
template can wrap each in elements without breaking the HTML, and their text joined is the body.
A mark is either a recorded statement or an unrecorded suggestion (its own kind of piece, drawn
dashed); both nest and cross the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Mark:
    """A statement's span to mark in a body (end exclusive)."""

    statement_id: int
    start: int
    end: int
    title: str = ""
    classes: str = ""  # CSS classes of the highlight (speaker colour, nesting, hedge, quote type)
    label: str = ""  # the speaker's name, shown beside the highlight by CSS (not part of the text)
    speaker_id: int = 0
    suggestion: bool = False  # an unrecorded suggestion: statement_id is then the suggestion's index


@dataclass(frozen=True)
class Token:
    """One piece of a marked body, in document order.

    "text" carries body text (escaped by the template); "open"/"close" wrap a span piece. The
    outermost open piece is a link (<a class="span"><mark>); a piece inside another is a plain
    <mark class="span"> because links cannot nest. A span that crosses another is split into
    pieces; the first piece of each statement carries its #statement-N anchor.

    A suggestion's piece (``suggestion`` true, ``statement_id`` its index) is always a plain mark, so
    selecting text in it and the statement links around or inside it work as before: a statement
    piece is a link whenever no link is open around it. Links never nest.
    """

    kind: Literal["text", "open", "close"]
    text: str = ""
    statement_id: int = 0
    link: bool = False
    anchor: bool = False
    title: str = ""
    classes: str = ""
    label: str = ""
    speaker_id: int = 0
    suggestion: bool = False


def mark_body(body: str, marks: Sequence[Mark]) -> list[Token]:
    """The body as properly nested tokens whose text, joined, is exactly the body."""
    usable = sorted((m for m in marks if 0 <= m.start < m.end <= len(body)),
                    key=lambda m: (m.start, -m.end, m.suggestion, m.statement_id))
    points = sorted({0, len(body), *(m.start for m in usable), *(m.end for m in usable)})
    starting: dict[int, list[Mark]] = {}
    for m in usable:
        starting.setdefault(m.start, []).append(m)
    tokens: list[Token] = []
    stack: list[tuple[Mark, bool]] = []  # open pieces, outermost first, with whether each is a link
    anchored: set[tuple[bool, int]] = set()

    def open_(m: Mark) -> None:
        link = not m.suggestion and not any(linked for _, linked in stack)
        first = (m.suggestion, m.statement_id) not in anchored
        anchored.add((m.suggestion, m.statement_id))
        stack.append((m, link))
        tokens.append(Token("open", statement_id=m.statement_id, link=link, anchor=first, title=m.title,
                            classes=m.classes, label=m.label if first else "", speaker_id=m.speaker_id,
                            suggestion=m.suggestion))

    def close_top() -> Mark:
        m, link = stack.pop()
        tokens.append(Token("close", statement_id=m.statement_id, link=link, suggestion=m.suggestion))
        return m

    for i, at in enumerate(points):
        ending = [n for n, (m, _) in enumerate(stack) if m.end == at]
        if ending:
            reopen = []
            while len(stack) > ending[0]:
                m = close_top()
                if m.end != at:
                    reopen.append(m)
            for m in reversed(reopen):  # pieces that continue past here, outermost first again
                open_(m)
        for m in starting.get(at, []):
            open_(m)
        if i + 1 < len(points) and points[i + 1] > at:
            tokens.append(Token("text", text=body[at:points[i + 1]]))
    while stack:
        close_top()
    return tokens


