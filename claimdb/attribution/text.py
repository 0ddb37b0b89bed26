"""Tokens, sentences and quotation marks, with code-point offsets.

Regular expressions only: the package must start instantly and run without
models, so there is no tagger or parser here; every later rule works on these
tokens and on the sentence they belong to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from claimdb.attribution.lexicon import words

# Words keep inner apostrophes, hyphens and dots ("don’t", "al-Sham", "U.S"); every
# other non-space character is a token of its own, so quotation marks stand alone.
_TOKEN: Final = re.compile(r"\w+(?:[’'\-.]\w+)*|[^\w\s]")

# A full stop after these does not end a sentence ("Sen. Warren", "Jan. 5").
_ABBREVIATIONS: Final = frozenset(
    words(
        "mr mrs ms dr sen rep gov gen lt col sgt capt cmdr adm prof st jr sr inc co corp ltd vs etc jan feb "
        "mar apr aug sep sept oct nov dec no u.s u.k u.n d.c a.m p.m rev hon pres maj fig"
    )
)

OPEN_QUOTES: Final = frozenset("“«„")
CLOSE_QUOTES: Final = frozenset("”»")
STRAIGHT_QUOTE: Final = '"'
QUOTE_CHARS: Final = frozenset('“”«»„"')


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation mark and where it is in the body."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as the index range ``[first, last)`` into the document's tokens."""

    first: int
    last: int


def tokenize(body: str) -> list[Token]:
    """Split ``body`` into word and punctuation tokens with code-point offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(body)]


def sentences(body: str, tokens: list[Token]) -> list[Sentence]:
    """Sentence boundaries: a blank line always ends one; ``. ! ?`` does before a capital.

    A closing quotation mark right after the full stop stays in the sentence it
    closes, so ``"… fighting," he said.`` and ``"… end."`` keep their quotes whole.
    """
    out: list[Sentence] = []
    first = 0
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if i + 1 >= n:
            break
        nxt = tokens[i + 1]
        gap = body[tok.end : nxt.start]
        if "\n" in gap:
            out.append(Sentence(first, i + 1))
            first = i + 1
            continue
        if tok.text not in ".!?" and not (tok.text in CLOSE_QUOTES or tok.text == STRAIGHT_QUOTE):
            continue
        if tok.text in CLOSE_QUOTES or tok.text == STRAIGHT_QUOTE:
            # Only a quote mark right after . ! ? ends a sentence, and only if a space follows.
            if i == 0 or tokens[i - 1].text not in ".!?" or not gap:
                continue
        elif i + 1 < n and (nxt.text in CLOSE_QUOTES or (nxt.text == STRAIGHT_QUOTE and not gap)):
            continue  # the closing quote belongs to this sentence; split after it
        if not gap:
            continue
        if tok.text == "." and i > 0 and is_abbreviation(tokens[i - 1]):
            continue
        if not (nxt.text[0].isupper() or nxt.text[0].isdigit() or nxt.text in QUOTE_CHARS or nxt.text in "‘("):
            continue
        out.append(Sentence(first, i + 1))
        first = i + 1
    if first < n:
        out.append(Sentence(first, n))
    return out


def is_abbreviation(tok: Token) -> bool:
    """A word whose full stop does not end a sentence ("Mr.", "Sen.", "U.S.", an initial)."""
    word = tok.lower
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and tok.text.isupper())


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: token indexes of its opening and closing marks (``close`` may be the paragraph end)."""

    open: int
    close: int
    closed: bool


def quotes(body: str, tokens: list[Token]) -> list[Quote]:
    """Pair double quotation marks, curly or straight, within a paragraph.

    Straight quotes alternate open/close; a quote left open at the end of a
    paragraph is closed there (news style opens every paragraph of a long quote
    and closes only the last one).
    """
    out: list[Quote] = []
    open_at: int | None = None
    for i, tok in enumerate(tokens):
        if i > 0 and open_at is not None and "\n" in body[tokens[i - 1].end : tok.start]:
            out.append(Quote(open_at, i - 1, False))
            open_at = None
        ch = tok.text
        if ch in OPEN_QUOTES:
            if open_at is not None:
                out.append(Quote(open_at, i - 1, False))
            open_at = i
        elif ch in CLOSE_QUOTES:
            if open_at is not None:
                out.append(Quote(open_at, i, True))
                open_at = None
        elif ch == STRAIGHT_QUOTE:
            if open_at is None:
                open_at = i
            else:
                out.append(Quote(open_at, i, True))
                open_at = None
    if open_at is not None and open_at + 1 < len(tokens):
        out.append(Quote(open_at, len(tokens) - 1, False))
    return out


def inside_quote_mask(n: int, found: list[Quote]) -> list[bool]:
    """For each token, whether it lies within a quotation (marks included)."""
    mask = [False] * n
    for q in found:
        for i in range(q.open, q.close + 1):
            mask[i] = True
    return mask
