"""The badge: a small label whose text always says what it means (a grade, a status, a stance).

Python rather than a Jinja macro because list pages show three or four per row: a macro call costs
about ten times this function. It renders exactly what the macro did (tests compare the two)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from claimdb.models import values

# The Admiralty grades' meanings come from the value sets ("B — Usually reliable" -> "usually reliable").
MEANINGS: dict[str, dict[Any, str]] = {"reliability": values.Reliability, "credibility": values.Credibility}


def badge(value: Any, kind: str, verbose: bool = False) -> Markup:
    """`value` as a badge of `kind`; a grade's meaning is spelt out (visually hidden unless `verbose`)."""
    k = escape(kind)
    if value is None or value == "":
        return Markup(f'<span class="badge badge-{k} badge-none">—<span class="visually-hidden"> no {k}</span></span>')
    v = value if isinstance(value, str) else str(value)
    key: Any = _as_int(v) if kind == "credibility" and v.isdigit() else v.upper()
    label = MEANINGS.get(kind, {}).get(key)
    meaning = label.split(" — ", 1)[-1].lower() if label else None
    if meaning:
        m, upper = escape(meaning), escape(v.upper())
        return Markup(f'<span class="badge badge-{k} badge-{k}-{escape(v.lower())}" title="{escape(kind.capitalize())} '
                      f'{upper}: {m}">{upper}<span class="{"badge-meaning" if verbose else "visually-hidden"}"> {m}'
                      '</span></span>')
    return Markup(f'<span class="badge badge-{k} badge-{k}-{escape(v.lower().replace(" ", "_"))}">'
                  f'{escape(v.replace("_", " "))}</span>')


def _as_int(text: str) -> int:
    """Jinja's `int` filter: a digit string that int() refuses ("²") is 0."""
    try:
        return int(text)
    except ValueError:
        try:
            return int(float(text))
        except ValueError:
            return 0
