"""Small word descriptors the learned parts share (shape, crude lemma, distance buckets).

No tagger or parser: these stand in for part-of-speech and syntax, cheaply
enough to compute for every token of every training article.
"""

from __future__ import annotations

from claimdb.attribution.lexicon import verb_lemma


def is_word(text: str) -> bool:
    return text[0].isalnum()


def shape(text: str) -> str:
    """ "Xx" for capitalised, "X" for all capitals, "x" lower, "d" digits; punctuation as itself."""
    if text[0].isupper():
        return "X" if len(text) > 1 and text.isupper() else "Xx"
    if text[0].isdigit():
        return "d"
    if text[0].isalpha():
        return "x"
    return text


def lemma(low: str) -> str:
    """The lexicon's base form for a reporting verb, else the word without a common suffix."""
    hit = verb_lemma(low)
    if hit is not None:
        return hit[0]
    for suffix in ("ing", "ed", "es", "s"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return low[: -len(suffix)]
    return low


def bucket(d: int) -> str:
    """A signed distance in coarse buckets (0-3 exact, then up to 6, 12, far)."""
    a = abs(d)
    b = str(a) if a <= 3 else "6" if a <= 6 else "12" if a <= 12 else "far"
    return ("-" if d < 0 else "") + b
