"""Dates known only to the year, the month or the day, as sources give them.

A source says "in 2015", "last October" or "on 1 March 2015"; storing a guessed
full date would invent precision the analyst never had. A PartialDate is the
first day of the period plus its precision, which is also how it is stored
(two columns) and how it travels ("2015", "2015-03", "2015-03-01").

Pure: no Flask, no SQLAlchemy, no I/O, no locale.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from typing import Final, Literal, TypeGuard

Precision = Literal["year", "month", "day"]

#: Every precision, coarse to fine; models use it for their CHECK constraint.
PRECISIONS: Final[tuple[Precision, ...]] = ("year", "month", "day")

_RANK: Final[dict[str, int]] = {p: i for i, p in enumerate(PRECISIONS)}

# English names on purpose: calendar.month_name follows the process locale.
_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_BY_WORD: Final[dict[str, int]] = {
    **{name.casefold(): i for i, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3].casefold(): i for i, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}

_STRICT_HINT: Final = "Use 2015, 2015-03 or 2015-03-01."
_LENIENT_HINT: Final = "Use 2015, March 2015, 1 March 2015 or 2015-03-01."

# [0-9] and re.ASCII: \d would also accept Arabic-Indic and other digits.
_ISO: Final = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)
_ORDINAL: Final = r"(?:st|nd|rd|th)?"
_MONTH_YEAR: Final = re.compile(r"([a-z]+)\.?[ ,]+([0-9]{4})", re.ASCII)
_DAY_MONTH_YEAR: Final = re.compile(rf"([0-9]{{1,2}}){_ORDINAL} ([a-z]+)\.?[ ,]+([0-9]{{4}})", re.ASCII)
_MONTH_DAY_YEAR: Final = re.compile(rf"([a-z]+)\.? ([0-9]{{1,2}}){_ORDINAL}[ ,]+([0-9]{{4}})", re.ASCII)
_SLASH_YMD: Final = re.compile(r"([0-9]{4})/([0-9]{2})(?:/([0-9]{2}))?", re.ASCII)
_SLASH_MY: Final = re.compile(r"([0-9]{2})/([0-9]{4})", re.ASCII)
_DAY_MONTH_ORDER: Final = re.compile(r"[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{2,4}", re.ASCII)


class PartialDateError(ValueError):
    """A date the analyst typed cannot be read; str() is a sentence for the form."""


def _is_precision(value: str) -> TypeGuard[Precision]:
    return value in _RANK


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A year, a month or a day, kept as its first day plus how precise it is."""

    first: datetime.date
    precision: Precision

    def __post_init__(self) -> None:
        # Direct construction and rows read back must obey what parse() makes,
        # so that equality and ordering never see two spellings of one period.
        if isinstance(self.first, datetime.datetime) or not isinstance(self.first, datetime.date):
            raise TypeError(f"first must be a datetime.date, not {self.first!r}.")
        if not _is_precision(self.precision):
            raise PartialDateError(f"{self.precision!r} is not a precision; use year, month or day.")
        misaligned = (self.precision != "day" and self.first.day != 1) or (
            self.precision == "year" and self.first.month != 1
        )
        if misaligned:
            raise PartialDateError(f"{self.first.isoformat()} is not the first day of a {self.precision}.")

    @classmethod
    def parse(cls, text: str, *, lenient: bool = False) -> PartialDate:
        """Read the wire format, or with lenient=True also what analysts type.

        Strict accepts exactly YYYY, YYYY-MM and YYYY-MM-DD. Lenient also reads
        month names ("March 2015", "1 March 2015", "March 1, 2015"), 2015/03/01,
        2015/03 and 03/2015, but refuses dd/mm/yyyy and mm/dd/yyyy alike: a
        silently swapped day and month is worse than asking again.
        """
        stripped = text.strip()
        if not stripped:
            hint = _LENIENT_HINT if lenient else _STRICT_HINT
            raise PartialDateError(f"Enter a date. {hint}")
        if not lenient:
            match = _ISO.fullmatch(text)
            if match is None:
                raise PartialDateError(_STRICT_HINT)
            return cls._from_parts(text, *match.groups())
        return cls._parse_lenient(stripped)

    @classmethod
    def parse_optional(cls, text: str | None, *, lenient: bool = False) -> PartialDate | None:
        """Like parse(), but an empty field means "no date", not an error."""
        if text is None or not text.strip():
            return None
        return cls.parse(text, lenient=lenient)

    @classmethod
    def from_columns(cls, first: datetime.date | None, precision: str | None) -> PartialDate | None:
        """Rebuild the value from its two stored columns; no date gives None."""
        if first is None:
            return None
        if precision is None:
            raise PartialDateError(f"The stored date {first} has no precision.")
        if not _is_precision(precision):
            raise PartialDateError(f"{precision!r} is not a precision; use year, month or day.")
        return cls(first, precision)

    @property
    def last(self) -> datetime.date:
        """The last day of the period, so ranges can be closed on both sides."""
        if self.precision == "year":
            return self.first.replace(month=12, day=31)
        if self.precision == "month":
            days = calendar.monthrange(self.first.year, self.first.month)[1]
            return self.first.replace(day=days)
        return self.first

    def isoformat(self) -> str:
        """The wire format: "2015", "2015-03" or "2015-03-01"."""
        if self.precision == "year":
            return f"{self.first.year:04d}"
        if self.precision == "month":
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return self.first.isoformat()

    def __str__(self) -> str:
        return self.isoformat()

    def human(self) -> str:
        """How pages show it: "2015", "March 2015" or "1 March 2015"."""
        month = _MONTH_NAMES[self.first.month - 1]
        if self.precision == "year":
            return str(self.first.year)
        if self.precision == "month":
            return f"{month} {self.first.year}"
        return f"{self.first.day} {month} {self.first.year}"

    def overlaps(self, other: PartialDate) -> bool:
        """Whether the two periods share at least one day ("2015" and "2015-03" do)."""
        return self.first <= other.last and other.first <= self.last

    def within(self, start: PartialDate | None, end: PartialDate | None) -> bool:
        """Whether the whole period lies in [start.first, end.last].

        A None bound is open: an affiliation with no start held since always,
        one with no end still holds.
        """
        after_start = start is None or start.first <= self.first
        before_end = end is None or self.last <= end.last
        return after_start and before_end

    def covers(self, day: datetime.date) -> bool:
        """Whether the day falls inside the period."""
        return self.first <= day <= self.last

    def _sort_key(self) -> tuple[datetime.date, int]:
        return (self.first, _RANK[self.precision])

    def __lt__(self, other: object) -> bool:
        # Same first day: the coarser period sorts first ("2015" < "2015-01").
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    @classmethod
    def _parse_lenient(cls, stripped: str) -> PartialDate:
        words = " ".join(stripped.casefold().split())
        if match := _ISO.fullmatch(words):
            return cls._from_parts(stripped, *match.groups())
        if match := _SLASH_YMD.fullmatch(words):
            return cls._from_parts(stripped, *match.groups())
        if match := _SLASH_MY.fullmatch(words):
            month, year = match.groups()
            return cls._from_parts(stripped, year, month, None)
        if match := _MONTH_YEAR.fullmatch(words):
            month_word, year = match.groups()
            month = cls._month_number(month_word)
            return cls._from_parts(stripped, year, month, None)
        if match := _DAY_MONTH_YEAR.fullmatch(words):
            day, month_word, year = match.groups()
            month = cls._month_number(month_word)
            return cls._from_parts(stripped, year, month, day)
        if match := _MONTH_DAY_YEAR.fullmatch(words):
            month_word, day, year = match.groups()
            month = cls._month_number(month_word)
            return cls._from_parts(stripped, year, month, day)
        if _DAY_MONTH_ORDER.fullmatch(words):
            raise PartialDateError(
                f"{stripped} could be read day-first or month-first; write it as 2015-03-01 or 1 March 2015."
            )
        raise PartialDateError(_LENIENT_HINT)

    @staticmethod
    def _month_number(word: str) -> str:
        number = _MONTHS_BY_WORD.get(word)
        if number is None:
            raise PartialDateError(f"{word.capitalize()} is not the name of a month.")
        return f"{number:02d}"

    @classmethod
    def _from_parts(cls, text: str, year: str, month: str | None, day: str | None) -> PartialDate:
        if int(year) < 1:
            raise PartialDateError(f"{text} is not a real year; years start at 0001.")
        if month is None:
            return cls(datetime.date(int(year), 1, 1), "year")
        if not 1 <= int(month) <= 12:
            raise PartialDateError(f"{text} is not a real month.")
        if day is None:
            return cls(datetime.date(int(year), int(month), 1), "month")
        try:
            first = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise PartialDateError(f"{text} is not a real date.") from None
        return cls(first, "day")


# ---------------------------------------------------------------- the wire format ("2015", "2015-03", "2015-03-01")


def iso(value: PartialDate | None) -> str | None:
    """A partial date as the API and files carry it; None stays None."""
    return value.isoformat() if value else None


@functools.lru_cache(maxsize=8192)
def parse_iso(text: str) -> PartialDate:
    """PartialDate.parse for the wire format, cached: imports see the same few dates again and again."""
    return PartialDate.parse(text)


def parse_date(text: str | None) -> PartialDate | None:
    """A wire-format partial date (already validated by the schema), or None."""
    return parse_iso(text) if text else None
