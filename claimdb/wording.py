"""How claimdb words counts in messages people read ("1 source", "2 sources")."""

from __future__ import annotations


def counted(n: int, plural: str) -> str:
    """n and the noun, singular for exactly one; claimdb's record nouns all form their plural with -s."""
    return f"{n:,} {plural.removesuffix('s') if n == 1 else plural}"
