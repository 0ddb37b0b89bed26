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
