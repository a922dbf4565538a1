"""``PartialDate``, the one codec of dates known to a day, a month or a year, and the one month table."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.lang.en import months
from storyline.meta.date_values import MONTHS
from storyline.model import PartialDate, shape_precision
from storyline.nlp.numbers.timex_rules import month_no
from storyline.report.charts import parse_partial
from storyline.xdoc.view import period


@pytest.mark.parametrize(("value", "precision", "span"), [
    ("2021-04-07", "day", (date(2021, 4, 7), date(2021, 4, 7))),
    ("2021-04-07T14:25", "day", (date(2021, 4, 7), date(2021, 4, 7))),    # a time of day is ignored
    ("2021-02", "month", (date(2021, 2, 1), date(2021, 2, 28))),
    ("2024-02", "month", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2021-12", "month", (date(2021, 12, 1), date(2021, 12, 31))),
    ("2021", "year", (date(2021, 1, 1), date(2021, 12, 31))),
])
def test_each_shape_gives_its_precision_and_days(value: str, precision: str, span: tuple[date, date]) -> None:
    p = PartialDate.parse(value)
    assert p is not None and p.precision == precision == shape_precision(value) and p.span == span
    assert str(p) == value and p.first == span[0]
    assert parse_partial(value) == (*span, precision) and period(value) == span


def test_a_given_precision_wins_over_the_shape() -> None:
    """As stored beside claims' event dates: the precision word decides the days covered."""
    assert period("2021-04-07", "month") == (date(2021, 4, 7), date(2021, 4, 30))      # from the day named
    assert period("2021-04-07", "year") == (date(2021, 1, 1), date(2021, 12, 31))
    assert period("2021-04", "week") == (date(2021, 1, 1), date(2021, 12, 31))         # other words: the year
    assert period("2021", "day") == (date(2021, 1, 1), date(2021, 1, 1))


@pytest.mark.parametrize("value", [None, "", 2021, "199", "2021-Q1", "2021-W12", "2021-SU", "PRESENT_REF",
                                   "2021-13", "2021-02-30", "2021-04x", "20215", "2021-4", "XXXX-04"])
def test_anything_else_is_not_a_partial_date(value: object) -> None:
    assert PartialDate.parse(value) is None and parse_partial(value) is None
    assert period(value if isinstance(value, str) else None) is None


def test_one_month_table_for_page_dates_and_time_expressions() -> None:
    table = months()
    assert MONTHS is table        # the page-date patterns read the same table
    assert set(table.values()) == set(range(1, 13))
    assert table["sept"] == table["september"] == table["sep"] == 9 and table["may"] == 5
    assert [month_no(m) for m in ("January", "Feb.", "Sept", "December")] == [1, 2, 9, 12]
