"""Rules about raw values that every face applies the same way: record ids, safe text, spreadsheet cells.

Pure: no Flask, no SQLAlchemy. The web forms, the API, the query-string parsers, the schemas and the
exports all ask these, so a rule changes in one place.
"""

from __future__ import annotations

import re
from typing import Any, Final

# Ids are INTEGER columns: a larger number would make PostgreSQL fail, not say "missing".
MAX_ID: Final = 2_147_483_647

# Control characters other than tab and newline (web forms turn the browser's CR LF into LF first).
CONTROL_CHARS: Final = r"\x00-\x08\x0b-\x1f\x7f"
CONTROL: Final = re.compile(f"[{CONTROL_CHARS}]")
CONTROL_MESSAGE: Final = "Remove control characters (only tab and newline are allowed)."

# Characters that show nothing: Unicode's format (Cf) and space (Zs, Zl, Zp) characters, such as
# U+200B zero-width space, U+00A0 no-break space, U+FEFF, U+202E right-to-left override and the
# invisible tag characters, plus the Hangul fillers. A required text needs one character outside them.
INVISIBLE: Final = (
    "\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u1680\u180e\u2000-\u200f"
    "\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\u3164\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
INVISIBLE_MESSAGE: Final = ("Use visible characters: this holds only spaces or invisible ones "
                            "(such as zero-width spaces).")

# A spreadsheet runs a cell that starts like a formula ("=HYPERLINK(…)" from a hostile communiqué).
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def parse_id(text: Any) -> int | None:
    """A record id typed as text ("42", "#42"), or None when the text is not one."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 1 <= text <= MAX_ID else None
    if not isinstance(text, str):
        return None
    digits = text.strip().removeprefix("#")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 10:
        return None
    value = int(digits)
    return value if 1 <= value <= MAX_ID else None


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


def spreadsheet_cell(value: Any) -> Any:
    """A value as a CSV cell that Excel and LibreOffice will show, never run (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value
