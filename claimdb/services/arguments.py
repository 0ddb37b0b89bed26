"""Query-string arguments as analysts type them, read one way by every list, search and report.

Each reader either returns the value or notes a message under the argument's name, so a page or a
problem+json body can show every bad argument at once.
"""

from __future__ import annotations

from collections.abc import Mapping

from claimdb.errors import Invalid
from claimdb.partialdate import PartialDate, PartialDateError
from claimdb.rules import CONTROL_MESSAGE, has_control, parse_id

MAX_FIELD = 500  # characters in a name, title or category filter


def text_argument(args: Mapping[str, str], name: str, errors: dict[str, str], limit: int = MAX_FIELD) -> str:
    """The argument's text ("" when absent), or "" with a message for a wrong type, control characters
    or more than `limit` characters."""
    value = args.get(name) or ""
    if not isinstance(value, str):
        errors[name] = "Must be text."
        return ""
    if has_control(value):
        errors[name] = CONTROL_MESSAGE
        return ""
    if len(value) > limit:
        errors[name] = f"At most {limit:,} characters."
        return ""
    return value


def date_argument(value: str, name: str, errors: dict[str, str]) -> PartialDate | None:
    """A partial date typed the lenient way ("March 2015"), None when blank, or a message."""
    if not value.strip():
        return None
    try:
        return date_filter(name, value)
    except Invalid as e:
        errors.update(e.errors)
        return None


def date_filter(name: str, text: str, *, lenient: bool = True) -> PartialDate:
    """A partial date from a query string, or a field error."""
    try:
        return PartialDate.parse(text, lenient=lenient)
    except PartialDateError as e:
        raise Invalid({name: str(e)}) from None


def int_filter(name: str, text: str) -> int:
    """A record id from a query string, or a field error."""
    value = parse_id(text)
    if value is None:
        raise Invalid({name: "Must be a record id (a whole number)."})
    return value
