"""How claimdb words counts in messages people read ("1 source", "2 sources")."""

from __future__ import annotations


def counted(n: int, plural: str) -> str:
    """n and the noun, singular for exactly one; claimdb's record nouns all form their plural with -s."""
    return f"{n:,} {plural.removesuffix('s') if n == 1 else plural}"


def short(text: str | None, length: int = 80) -> str:
    """Text on one line, cut with an ellipsis to at most `length` characters (labels, messages)."""
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"
