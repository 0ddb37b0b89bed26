"""PartialDate: what analysts and the API may type, and how periods compare."""

from __future__ import annotations

import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimdb.partialdate import PRECISIONS, PartialDate, PartialDateError

D = datetime.date


def year(y: int) -> PartialDate:
    return PartialDate(D(y, 1, 1), "year")


def month(y: int, m: int) -> PartialDate:
    return PartialDate(D(y, m, 1), "month")


def day(y: int, m: int, d: int) -> PartialDate:
    return PartialDate(D(y, m, d), "day")


# --- strict parsing (API, import) -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015", year(2015)),
        ("2015-03", month(2015, 3)),
        ("2015-03-01", day(2015, 3, 1)),
        ("2015-12-31", day(2015, 12, 31)),
        ("0001", year(1)),
        ("9999-12-31", day(9999, 12, 31)),
        ("2016-02-29", day(2016, 2, 29)),
        ("2000-02-29", day(2000, 2, 29)),
    ],
)
def test_strict_reads_the_wire_format(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2015-3",
        "2015-03-1",
        "15",
        "201",
        "20150",
        "2015-",
        "2015-03-",
        " 2015",
        "2015 ",
        "2015/03/01",
        "March 2015",
        "1 March 2015",
        "03/2015",
        "yesterday",
        "2015-03-01T00:00",
        "+2015",
        "-2015",
        "٢٠١٥",  # Arabic-Indic digits are not the wire format
    ],
)
def test_strict_refuses_anything_else(text: str) -> None:
    with pytest.raises(PartialDateError, match=r"^Use 2015, 2015-03 or 2015-03-01\.$"):
        PartialDate.parse(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2015-02-30", "2015-02-30 is not a real date."),
        ("2015-04-31", "2015-04-31 is not a real date."),
        ("2015-02-29", "2015-02-29 is not a real date."),
        ("1900-02-29", "1900-02-29 is not a real date."),
        ("2015-03-00", "2015-03-00 is not a real date."),
        ("2015-13", "2015-13 is not a real month."),
        ("2015-00", "2015-00 is not a real month."),
        ("2015-13-01", "2015-13-01 is not a real month."),
        ("0000", "0000 is not a real year; years start at 0001."),
        ("0000-01-01", "0000-01-01 is not a real year; years start at 0001."),
    ],
)
def test_impossible_dates_are_refused_with_a_sentence(text: str, message: str) -> None:
    for lenient in (False, True):
        with pytest.raises(PartialDateError) as caught:
            PartialDate.parse(text, lenient=lenient)
        assert str(caught.value) == message


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_text_is_an_error_for_parse(text: str) -> None:
    with pytest.raises(PartialDateError, match=r"^Enter a date"):
        PartialDate.parse(text)
    with pytest.raises(PartialDateError, match=r"^Enter a date"):
        PartialDate.parse(text, lenient=True)


def test_the_error_is_a_value_error() -> None:
    assert issubclass(PartialDateError, ValueError)


# --- lenient parsing (web forms) --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015", year(2015)),
        ("2015-03", month(2015, 3)),
        ("2015-03-01", day(2015, 3, 1)),
        ("  2015-03-01  ", day(2015, 3, 1)),
        ("March 2015", month(2015, 3)),
        ("march 2015", month(2015, 3)),
        ("MARCH 2015", month(2015, 3)),
        ("Mar 2015", month(2015, 3)),
        ("Mar. 2015", month(2015, 3)),
        ("March, 2015", month(2015, 3)),
        ("Sept 2015", month(2015, 9)),
        ("Sep 2015", month(2015, 9)),
        ("September 2015", month(2015, 9)),
        ("May 2015", month(2015, 5)),
        ("1 March 2015", day(2015, 3, 1)),
        ("01 March 2015", day(2015, 3, 1)),
        ("1st March 2015", day(2015, 3, 1)),
        ("31 Dec 2015", day(2015, 12, 31)),
        ("1 March, 2015", day(2015, 3, 1)),
        ("March 1, 2015", day(2015, 3, 1)),
        ("March 1 2015", day(2015, 3, 1)),
        ("march 21st, 2015", day(2015, 3, 21)),
        ("Mar 1, 2015", day(2015, 3, 1)),
        ("  October   2014 ", month(2014, 10)),
        ("2015/03/01", day(2015, 3, 1)),
        ("2015/03", month(2015, 3)),
        ("03/2015", month(2015, 3)),
        ("12/2015", month(2015, 12)),
        ("29 February 2016", day(2016, 2, 29)),
    ],
)
def test_lenient_reads_what_analysts_type(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text, lenient=True) == expected


@pytest.mark.parametrize("text", ["01/03/2015", "03/01/2015", "13/03/2015", "3/1/2015", "01.03.2015", "01-03-15"])
def test_lenient_refuses_day_month_order_it_would_have_to_guess(text: str) -> None:
    with pytest.raises(PartialDateError, match="day-first or month-first"):
        PartialDate.parse(text, lenient=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30 February 2015", "30 February 2015 is not a real date."),
        ("February 29, 2015", "February 29, 2015 is not a real date."),
        ("2015/02/30", "2015/02/30 is not a real date."),
        ("13/2015", "13/2015 is not a real month."),
        ("2015/13", "2015/13 is not a real month."),
        ("Marhc 2015", "Marhc is not the name of a month."),
        ("1 Foo 2015", "Foo is not the name of a month."),
    ],
)
def test_lenient_explains_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(PartialDateError) as caught:
        PartialDate.parse(text, lenient=True)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    ["yesterday", "2015-3", "2015-3-1", "3/2015", "15", "March", "1 March", "a month ago"],
)
def test_lenient_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(PartialDateError):
        PartialDate.parse(text, lenient=True)


def test_lenient_hint_mentions_the_friendly_formats() -> None:
    with pytest.raises(PartialDateError, match="March 2015"):
        PartialDate.parse("yesterday", lenient=True)


# --- parse_optional and from_columns -----------------------------------------


@pytest.mark.parametrize("text", [None, "", "   "])
def test_parse_optional_treats_blank_as_no_date(text: str | None) -> None:
    assert PartialDate.parse_optional(text) is None
    assert PartialDate.parse_optional(text, lenient=True) is None


def test_parse_optional_parses_and_refuses_like_parse() -> None:
    assert PartialDate.parse_optional("2015-03") == month(2015, 3)
    assert PartialDate.parse_optional("March 2015", lenient=True) == month(2015, 3)
    with pytest.raises(PartialDateError):
        PartialDate.parse_optional("March 2015")
    with pytest.raises(PartialDateError):
        PartialDate.parse_optional("2015-02-30", lenient=True)


def test_from_columns_reads_rows_back() -> None:
    assert PartialDate.from_columns(D(2015, 3, 1), "month") == month(2015, 3)
    assert PartialDate.from_columns(D(2015, 1, 1), "year") == year(2015)
    assert PartialDate.from_columns(D(2015, 3, 7), "day") == day(2015, 3, 7)


def test_from_columns_without_a_date_is_none() -> None:
    assert PartialDate.from_columns(None, None) is None
    assert PartialDate.from_columns(None, "day") is None


@pytest.mark.parametrize(
    ("first", "precision"),
    [
        (D(2015, 3, 1), None),
        (D(2015, 3, 1), "week"),
        (D(2015, 3, 1), "Month"),
        (D(2015, 3, 7), "month"),
        (D(2015, 3, 1), "year"),
        (D(2015, 1, 7), "year"),
    ],
)
def test_from_columns_refuses_corrupt_rows(first: datetime.date, precision: str | None) -> None:
    with pytest.raises(PartialDateError):
        PartialDate.from_columns(first, precision)


def test_construction_refuses_a_first_day_that_does_not_start_the_period() -> None:
    with pytest.raises(PartialDateError, match="not the first day of a month"):
        PartialDate(D(2015, 3, 2), "month")
    with pytest.raises(PartialDateError, match="not the first day of a year"):
        PartialDate(D(2015, 2, 1), "year")


def test_construction_refuses_a_datetime() -> None:
    with pytest.raises(TypeError):
        PartialDate(datetime.datetime(2015, 3, 1), "day")


def test_precisions_are_listed_coarse_to_fine() -> None:
    assert PRECISIONS == ("year", "month", "day")


# --- last, formatting ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "last"),
    [
        (year(2015), D(2015, 12, 31)),
        (month(2015, 2), D(2015, 2, 28)),
        (month(2016, 2), D(2016, 2, 29)),
        (month(2000, 2), D(2000, 2, 29)),
        (month(1900, 2), D(1900, 2, 28)),
        (month(2015, 4), D(2015, 4, 30)),
        (month(2015, 12), D(2015, 12, 31)),
        (day(2015, 3, 7), D(2015, 3, 7)),
        (year(9999), D(9999, 12, 31)),
        (month(9999, 12), D(9999, 12, 31)),
    ],
)
def test_last_is_the_last_day_of_the_period(value: PartialDate, last: datetime.date) -> None:
    assert value.last == last


@pytest.mark.parametrize(
    ("value", "iso", "human"),
    [
        (year(2015), "2015", "2015"),
        (month(2015, 3), "2015-03", "March 2015"),
        (day(2015, 3, 1), "2015-03-01", "1 March 2015"),
        (day(2014, 10, 21), "2014-10-21", "21 October 2014"),
        (year(1), "0001", "1"),
        (month(812, 1), "0812-01", "January 812"),
    ],
)
def test_formats(value: PartialDate, iso: str, human: str) -> None:
    assert value.isoformat() == iso
    assert str(value) == iso
    assert value.human() == human


def test_human_form_is_read_back_by_lenient_parse() -> None:
    for value in (year(2015), month(2015, 3), day(2015, 3, 1)):
        assert PartialDate.parse(value.human(), lenient=True) == value


partial_dates = st.builds(
    lambda d, p: PartialDate(d if p == "day" else d.replace(day=1, month=1 if p == "year" else d.month), p),
    st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)),
    st.sampled_from(PRECISIONS),
)


@given(partial_dates)
def test_round_trip_through_the_wire_format(value: PartialDate) -> None:
    assert PartialDate.parse(value.isoformat()) == value
    assert PartialDate.parse(value.isoformat(), lenient=True) == value
    assert PartialDate.from_columns(value.first, value.precision) == value


@given(partial_dates)
def test_period_contains_its_own_bounds(value: PartialDate) -> None:
    assert value.first <= value.last
    assert value.covers(value.first)
    assert value.covers(value.last)
    assert value.within(value, value)
    assert value.overlaps(value)


# --- covers, overlaps, within ----------------------------------------------------


def test_covers() -> None:
    assert year(2015).covers(D(2015, 1, 1))
    assert year(2015).covers(D(2015, 12, 31))
    assert not year(2015).covers(D(2014, 12, 31))
    assert not year(2015).covers(D(2016, 1, 1))
    assert month(2016, 2).covers(D(2016, 2, 29))
    assert not month(2016, 2).covers(D(2016, 3, 1))
    assert day(2015, 3, 1).covers(D(2015, 3, 1))
    assert not day(2015, 3, 1).covers(D(2015, 3, 2))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (year(2015), month(2015, 3), True),
        (year(2015), day(2015, 12, 31), True),
        (year(2015), day(2016, 1, 1), False),
        (month(2015, 3), month(2015, 3), True),
        (month(2015, 3), month(2015, 4), False),
        (month(2015, 3), day(2015, 3, 31), True),
        (month(2015, 3), day(2015, 4, 1), False),
        (day(2015, 3, 1), day(2015, 3, 1), True),
        (day(2015, 3, 1), day(2015, 3, 2), False),
        (year(2014), year(2015), False),
    ],
)
def test_overlaps_is_symmetric(a: PartialDate, b: PartialDate, expected: bool) -> None:
    assert a.overlaps(b) is expected
    assert b.overlaps(a) is expected


@pytest.mark.parametrize(
    ("value", "start", "end", "expected"),
    [
        (month(2015, 3), None, None, True),
        (month(2015, 3), year(2015), None, True),
        (month(2015, 3), None, year(2015), True),
        (month(2015, 3), year(2015), year(2015), True),
        (year(2015), year(2015), year(2015), True),
        (day(2015, 3, 1), day(2015, 3, 1), day(2015, 3, 1), True),
        (day(2015, 3, 1), month(2015, 3), month(2015, 3), True),
        (day(2015, 3, 31), None, month(2015, 3), True),
        (day(2015, 4, 1), None, month(2015, 3), False),
        (day(2015, 2, 28), month(2015, 3), None, False),
        # Partly outside is not within: the period must lie inside.
        (year(2015), month(2015, 3), None, False),
        (year(2015), None, month(2015, 11), False),
        (month(2015, 3), day(2015, 3, 2), None, False),
        (month(2015, 3), None, day(2015, 3, 30), False),
        (month(2015, 3), day(2015, 3, 1), day(2015, 3, 31), True),
        # Start and end may be coarser or finer than the value.
        (month(2014, 10), year(2014), month(2015, 1), True),
        (month(2016, 1), year(2014), month(2015, 1), False),
        (year(2013), None, year(2014), True),
        (year(2015), None, year(2014), False),
    ],
)
def test_within(
    value: PartialDate,
    start: PartialDate | None,
    end: PartialDate | None,
    expected: bool,
) -> None:
    assert value.within(start, end) is expected


# --- ordering -----------------------------------------------------------------


def test_equality_is_first_day_and_precision() -> None:
    assert year(2015) == PartialDate.parse("2015")
    assert year(2015) != month(2015, 1)
    assert month(2015, 1) != day(2015, 1, 1)
    assert hash(year(2015)) == hash(PartialDate.parse("2015"))
    assert len({year(2015), month(2015, 1), day(2015, 1, 1), PartialDate.parse("2015")}) == 3
    not_a_date: object = "2015"
    assert year(2015) != not_a_date


def test_same_first_day_sorts_coarse_to_fine() -> None:
    assert year(2015) < month(2015, 1) < day(2015, 1, 1)
    assert day(2015, 1, 1) > month(2015, 1) > year(2015)
    assert year(2015) <= year(2015)
    assert year(2015) >= year(2015)
    assert not year(2015) < year(2015)


def test_earlier_first_day_sorts_first_whatever_the_precision() -> None:
    assert day(2014, 12, 31) < year(2015)
    assert year(2015) < day(2015, 1, 2)
    assert month(2015, 2) < day(2015, 3, 1)


def test_sorting_a_mixed_list() -> None:
    expected = [
        day(2014, 12, 31),
        year(2015),
        month(2015, 1),
        day(2015, 1, 1),
        day(2015, 1, 2),
        month(2015, 3),
        day(2015, 3, 1),
        day(2015, 3, 31),
        year(2016),
    ]
    shuffled = expected[:]
    random.Random(2015).shuffle(shuffled)
    assert sorted(shuffled) == expected
    assert min(shuffled) == day(2014, 12, 31)
    assert max(shuffled) == year(2016)


def test_comparing_with_other_types_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        assert year(2015) < D(2015, 1, 1)


@given(partial_dates, partial_dates)
def test_ordering_follows_first_day_then_precision(a: PartialDate, b: PartialDate) -> None:
    key_a = (a.first, PRECISIONS.index(a.precision))
    key_b = (b.first, PRECISIONS.index(b.precision))
    assert (a < b) is (key_a < key_b)
    assert (a == b) is (key_a == key_b)
    assert (a <= b) is (key_a <= key_b)
