"""The calendar reading of TIMEX3 values that the consumers (claims, quantities, timeline, stories) use: fast, no spaCy."""

from __future__ import annotations

from datetime import date

from storyline.nlp.numbers.timex_values import calendar_of, duration_value, is_historic, value_of


def test_only_dates_and_times_have_a_calendar_reading() -> None:
    assert calendar_of("2013-03-22", "DATE") == ("2013-03-22", "day")
    assert calendar_of("2013-03", "DATE") == ("2013-03", "month")
    assert calendar_of("2010-06-01T14:25", "TIME") == ("2010-06-01", "day")       # a TIME as its day
    assert calendar_of("2013-W11", "DATE") == ("2013-03", "month")                # the month of its Thursday
    assert calendar_of("2012-SU", "DATE") == ("2012", "year")
    assert calendar_of("2021", None) == ("2021", "year")                          # rows from before the type field
    for value, type_ in (("P1M", "DURATION"), ("P1W", "SET"), ("XXXX-WXX-4", "SET"), ("PRESENT_REF", "DATE"),
                         ("199", "DATE"), ("1998-XX", "DATE"), ("1925", "DURATION"), (None, "DATE")):
        assert calendar_of(value, type_) is None, value


def test_values_and_durations() -> None:
    assert value_of(date(2013, 3, 11), "week") == "2013-W11"
    assert value_of(date(2013, 1, 1), "quarter") == "2013-Q1"
    assert value_of(date(1990, 1, 1), "decade") == "199"
    assert value_of(date(2010, 6, 1), "time:14:25") == "2010-06-01T14:25"
    assert duration_value(3, "years") == "P3Y" and duration_value(None, "days") == "PXD"
    assert duration_value(1, "decade") == "P10Y" and duration_value(4, "hours") == "PT4H"
    assert duration_value(2.5, "years") == "P2Y6M"
    # unspecified decades in years, as TimeBank writes decades ('two decades' P20Y); centuries keep C ('centuries')
    assert duration_value(None, "decades") == "PXY" and duration_value(None, "centuries") == "PXC"


def test_historic_is_years_before_the_article() -> None:
    assert is_historic("1876", date(2010, 6, 1)) and is_historic("2003-03-20", date(2021, 4, 7))
    assert not is_historic("2009", date(2010, 6, 1)) and not is_historic("1876", None)


def test_calendar_ref_narrows_by_the_stored_interval() -> None:
    from storyline.nlp.numbers.timex_values import calendar_ref
    assert calendar_ref("2021", "DATE", ("2021-12-01", "2021-12-31")) == ("2021-12", "month")   # the end of 2021
    assert calendar_ref("2021-W15", "DATE", ("2021-04-12", "2021-04-18")) == ("2021-04", "month")
    assert calendar_ref("PRESENT_REF", "DATE", ("2024-01-09", "2024-01-09")) == ("2024-01-09", "day")
    assert calendar_ref("P3Y", "DURATION", ("2021-01-09", "2024-01-09")) is None
    assert calendar_ref("2021-04", "DATE", None) == ("2021-04", "month")
