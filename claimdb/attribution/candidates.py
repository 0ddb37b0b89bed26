"""The working record the rules build before it becomes a Suggestion, and the analysed document.

Offsets here are token indexes (half-open), turned into code-point spans only
at the end, so that rules can step word by word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from claimdb.attribution.text import Quote, Sentence, Token, inside_quote_mask, quotes, sentences, tokenize

_TRIM: Final = " \t\n,;:"


@dataclass(slots=True)
class Document:
    """A body with its tokens, sentences and quotations, analysed once per ``suggest`` call."""

    body: str
    tokens: list[Token]
    sentences: list[Sentence]
    sentence_of: list[int]
    quotes: list[Quote]
    in_quote: list[bool]

    @classmethod
    def analyse(cls, body: str) -> Document:
        toks = tokenize(body)
        sents = sentences(body, toks)
        sentence_of = [0] * len(toks)
        for k, s in enumerate(sents):
            for i in range(s.first, s.last):
                sentence_of[i] = k
        found = quotes(body, toks)
        return cls(body, toks, sents, sentence_of, found, inside_quote_mask(len(toks), found))

    def sentence(self, i: int) -> Sentence:
        """The sentence holding token ``i``."""
        return self.sentences[self.sentence_of[i]]

    def words(self, a: int, b: int) -> str:
        """The body text from token ``a`` to token ``b`` (exclusive), as written."""
        if a >= b:
            return ""
        return self.body[self.tokens[a].start : self.tokens[b - 1].end]

    def char_span(self, rng: tuple[int, int]) -> tuple[int, int]:
        """Code-point offsets of a token range, without the commas or spaces at its edges."""
        start, end = self.tokens[rng[0]].start, self.tokens[rng[1] - 1].end
        text = self.body[start:end]
        right = text.rstrip(_TRIM)
        left = right.lstrip(_TRIM)
        return (start + len(right) - len(left), start + len(right))


@dataclass(slots=True)
class Candidate:
    """An attribution found by a rule; token ranges are half-open ``(first, last)``."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    pattern: str
    quote_type: str
    verb_class: str = ""
    hedge: str | None = None
    speaker_name: str = ""
    resolved: bool = False
    reported_by: int | None = None
    score: float = 0.0
    features: list[str] = field(default_factory=list)
