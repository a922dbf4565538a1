"""Time expressions: hand-built sentences with the dates a reader would write down."""

from __future__ import annotations

from datetime import date

import pytest

from repo_paths import ROOT

spacy = pytest.importorskip("spacy")
pytestmark = pytest.mark.slow


def _times(nlp, text, anchor=None, bounds=None):
    from storyline.nlp.numbers.timex import resolve_times
    return {t.text: t for t in resolve_times(nlp(text), anchor, bounds)}


def test_weekdays_and_relative_days(nlp):
    # 23 April 2021 was a Friday.
    t = _times(nlp, "The commander spoke on Thursday. Last Sunday, five rockets hit a base. On Friday, three more "
                    "landed.", date(2021, 4, 23))
    assert t["Thursday"].value == "2021-04-22" and t["Thursday"].anchor == "published"
    assert t["Last Sunday"].value == "2021-04-18"
    assert t["Friday"].value == "2021-04-23"


def test_future_clause_picks_next_date(nlp):
    t = _times(nlp, "The administration plans to pull the last troops out on September 20th.", date(2021, 4, 23))
    assert t["September 20th"].value == "2021-09-20"
    t = _times(nlp, "This follows a March 15 attack on the base.", date(2021, 4, 7))
    assert t["March 15"].value == "2021-03-15"


def test_months_years_and_modifiers(nlp):
    t = _times(nlp, "A joint statement earlier in April said so. In July, the leaders sealed an agreement to end "
                    "the mission by the end of 2021. The US has kept troops there since 2020.", date(2021, 12, 10))
    assert t["earlier in April"].value == "2021-04"
    assert t["July"].value == "2021-07" and t["July"].precision == "month"
    end = t["the end of 2021"]          # TimeML: the signal ('by', 'since') is not part of the expression
    assert (end.value, end.precision, end.anchor, end.mod) == ("2021", "year", "absolute", "by")
    assert end.interval == ("2021-12-01", "2021-12-31")
    since = t["2020"]
    assert since.value == "2020" and since.interval == ("2020-01-01", "2021-12-10") and since.mod == "since"


def test_offsets_holidays_and_deictics(nlp):
    t = _times(nlp, "The strike on Thursday came four years after another one. Austin was hospitalised on New "
                    "Year's Day. Last month, strikes followed. He won power a year ago. Right now there are no plans.",
               date(2024, 1, 9))
    assert t["Thursday"].value == "2024-01-04"
    assert (t["four years"].type, t["four years"].value) == ("DURATION", "P4Y")
    assert t["New Year's Day"].value == "2024-01-01"
    assert t["Last month"].value == "2023-12"
    assert t["a year ago"].value == "2023"
    assert (t["Right now"].type, t["Right now"].value) == ("DATE", "PRESENT_REF")


def test_absolute_dates_and_iso(nlp):
    t = _times(nlp, "Tue Jan 09 2024. It was published 7 Apr, 2021 and updated on 2024-01-05 and Sept. 20th, "
                    "2019. The territory was liberated in March 2019.", None)
    assert t["Tue Jan 09 2024"].value == "2024-01-09"
    assert t["7 Apr, 2021"].value == "2021-04-07"
    assert t["2024-01-05"].value == "2024-01-05" and t["2024-01-05"].anchor == "absolute"
    assert t["March 2019"].value == "2019-03"


def test_bounds_give_intervals_to_relative_expressions(nlp):
    t = _times(nlp, "He told reporters last week that the vote in 2003 mattered.", None,
               (date(2020, 5, 1), date(2020, 6, 30)))
    lw = t["last week"]
    assert lw.anchor == "bounds" and lw.interval is not None
    assert lw.interval[0] <= "2020-04-27" and lw.interval[1] >= "2020-06-21"
    assert t["2003"].anchor == "absolute"


def test_counts_are_not_years(nlp):
    t = _times(nlp, "The army sent 2000 troops and 1,950 vehicles.", date(2021, 1, 1))
    assert not any(v.value == "2000" for v in t.values())


def test_handset_times_floor(nlp):
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_facts
    s = bench_facts.score_handset(nlp)
    assert s["time_precision"] >= 0.85 and s["time_recall"] >= 0.85, s


def test_past_n_units_is_a_duration(nlp):
    t = _times(nlp, "Attacks rose over the past three years.", date(2024, 1, 9))
    r = t["the past three years"]
    assert (r.type, r.value) == ("DURATION", "P3Y")


# --- TimeML types and values (issue 15) -------------------------------------------------------------------------
# 22 March 2013 was a Friday (ISO week 12).
PUB = date(2013, 3, 22)


def _one(t, text):
    r = t[text]
    return r.type, r.value


def test_clock_times_are_times_never_years(nlp):
    t = _times(nlp, "The flow of oil was shut off at 1425 local time (1925 GMT). The well was completed at 1930 CDT "
                    "on 1 June. Police arrived at 10:35 a.m.", date(2010, 6, 3))
    assert _one(t, "1425 local time") == ("TIME", "2010-06-03T14:25")
    assert _one(t, "1925 GMT") == ("TIME", "2010-06-03T19:25")
    assert _one(t, "1930 CDT") == ("TIME", "2010-06-01T19:30")        # the day its sentence names
    assert _one(t, "10:35 a.m.") == ("TIME", "2010-06-03T10:35")
    assert not any(r.type == "DATE" and r.value in ("1425", "1925", "1930") for r in t.values())


def test_historic_years_are_flagged(nlp):
    t = _times(nlp, "The company, founded in 1876, said in 2012 that profits rose.", PUB)
    assert _one(t, "1876") == ("DATE", "1876") and t["1876"].historic
    assert not t["2012"].historic


def test_sentence_final_months_and_seasons_weeks_quarters(nlp):
    t = _times(nlp, "The vote took place in March. Prices rose last summer and fell in the last week. Sales grew in "
                    "the first quarter, as in the 1990s.", PUB)
    assert _one(t, "March") == ("DATE", "2013-03") and t["March"].precision == "month"
    assert _one(t, "last summer") == ("DATE", "2012-SU")
    assert _one(t, "the last week") == ("DATE", "2013-W11") and t["the last week"].interval == ("2013-03-11",
                                                                                                "2013-03-17")
    assert _one(t, "the first quarter") == ("DATE", "2013-Q1")
    assert _one(t, "the 1990s") == ("DATE", "199")


def test_durations_are_not_dates(nlp):
    t = _times(nlp, "It took a decade. The talks lasted several days and a month later nothing had changed; they "
                    "will continue over the next two years.", PUB)
    assert _one(t, "a decade") == ("DURATION", "P10Y")
    assert _one(t, "several days") == ("DURATION", "PXD")
    assert _one(t, "the next two years") == ("DURATION", "P2Y")
    assert all(r.precision is None for r in t.values() if r.type == "DURATION")


def test_a_month_is_a_duration(nlp):
    t = _times(nlp, "The strike lasted a month.", PUB)
    assert _one(t, "a month") == ("DURATION", "P1M")


def test_sets(nlp):
    t = _times(nlp, "The board meets every week and reviews prices each season; the fee is paid annually.", PUB)
    assert _one(t, "every week") == ("SET", "P1W")
    assert t["each season"].type == "SET"
    assert _one(t, "annually") == ("SET", "P1Y")


def test_references_today_and_parts_of_day(nlp):
    t = _times(nlp, "Now the plan is in force. He recently left, and the future is unclear. Officials met today and "
                    "again this morning.", PUB)
    assert _one(t, "Now") == ("DATE", "PRESENT_REF")
    assert _one(t, "recently") == ("DATE", "PAST_REF")
    assert _one(t, "the future") == ("DATE", "FUTURE_REF")
    assert _one(t, "today") == ("DATE", "2013-03-22")
    assert _one(t, "this morning") == ("TIME", "2013-03-22TMO")


def test_ages_are_not_time_expressions(nlp):
    t = _times(nlp, "The 45-year-old driver, who is 45 years old, was released.", PUB)
    assert not t


def test_without_anchor_relative_values_stay_unknown(nlp):
    t = _times(nlp, "He left last week and returned for three days in 2011.", None)
    assert t["last week"].value is None and t["last week"].anchor is None
    assert _one(t, "three days") == ("DURATION", "P3D")
    assert _one(t, "2011") == ("DATE", "2011")


def test_year_less_dates_follow_tense_far_back(nlp):
    # 7 May 1999, a Friday: a past clause reaches back past six months; an unclear one leans to the past
    t = _times(nlp, "He was last seen Nov. 3. Back in April, rumours spread.", date(1999, 5, 7))
    assert t["Nov. 3"].value == "1998-11-03"
    t = _times(nlp, "Back in April, rumours spread.", date(2014, 11, 7))
    assert t["April"].value == "2014-04"


def test_deadlines_and_past_perfect_plans(nlp):
    # 30 March 2000 was a Thursday; 30 October 1989 a Monday
    t = _times(nlp, "Officials postponed until Tuesday morning any action on the permit.", date(2000, 3, 30))
    assert _one(t, "Tuesday morning") == ("TIME", "2000-04-04TMO")
    t = _times(nlp, "The offer was extended to Nov. 16. It had been due to expire Friday evening.", date(1989, 10, 30))
    assert _one(t, "Friday evening") == ("TIME", "1989-10-27TEV")


def test_the_year_reported_on_or_a_year_long(nlp):
    from storyline.nlp.numbers.timex import resolve_times
    doc = nlp("For the year, volume was flat. For the year ended Sept. 30, it earned $4 million.")
    spans = [r for r in resolve_times(doc, date(1989, 10, 30), None) if r.text == "the year"]
    assert (spans[0].text, spans[0].type, spans[0].value) == ("the year", "DATE", "1989")
    assert (spans[1].text, spans[1].type, spans[1].value) == ("the year", "DURATION", "P1Y")


def test_n_units_later_is_a_duration(nlp):
    t = _times(nlp, "The gap closes slowly. Three days later, the index fell. A few days later, it rose.",
               date(1989, 10, 30))
    assert _one(t, "Three days") == ("DURATION", "P3D")
    assert _one(t, "A few days") == ("DURATION", "PXD")


def test_quarters_follow_the_quarter_reported_on(nlp):
    t = _times(nlp, "Kimberly-Clark posted a gain in third-quarter net income. After a flat second quarter, it "
                    "cited its consumer business. Charges were taken in the year-earlier period. The current "
                    "quarter began well.", date(1989, 11, 1))
    assert t["the year-earlier period"].value == "1988-Q3"
    assert t["The current quarter"].value == "1989-Q4"


def test_week_of_day_before_and_generic_today(nlp):
    # 24 February 2000 was a Thursday
    t = _times(nlp, "A hearing is set for the week of March 6. The day before last Tuesday's hearing, he left. "
                    "The day after tomorrow is open. It is a fact of today's world.", date(2000, 2, 24))
    assert _one(t, "the week of March 6") == ("DATE", "2000-W10")
    assert _one(t, "The day before last Tuesday") == ("DATE", "2000-02-21")
    assert _one(t, "The day after tomorrow") == ("DATE", "2000-02-26")
    assert "today" not in t


def test_over_the_past_decade_is_a_duration(nlp):
    t = _times(nlp, "Threats had become routine over the past decade.", date(1998, 10, 25))
    assert _one(t, "the past decade") == ("DURATION", "P10Y")


def test_second_day_of_a_coordinated_date(nlp):
    # 'April 24 and 25': the second day of the month just named; '3 and 4 percent' or '4 people' is a count
    t = _times(nlp, "The summit will be held on April 24 and 25.", date(1999, 2, 10))
    assert (t["April 24"].value, t["25"].value, t["25"].type) == ("1999-04-24", "1999-04-25", "DATE")
    t = _times(nlp, "It met on March 3 and 4 people died. Prices rose on March 5 and 6 percent later.",
               date(1999, 3, 10))
    assert set(t) == {"March 3", "March 5"}


def test_pre_and_post_years_and_durations_closed_by_wire_quotes(nlp):
    t = _times(nlp, "But the post-1959 politics have split families, and pre-1914 Europe was different.",
               date(2000, 2, 24))
    assert (t["post-1959"].value, t["pre-1914"].value) == ("1959", "1914")
    # the doubled apostrophe is wire copy's closing quote; "three days' notice" stays out (a possessive)
    t = _times(nlp, "``I am talking about three days'' more or less, Castro said.", date(2000, 4, 5))
    assert t["about three days"].value == "P3D"


def test_us_election_day(nlp):
    # the Tuesday after the first Monday of November: forward in a future clause, back in a past one
    t = _times(nlp, "Violence is going to be a major theme of our campaign from now to Election Day.", date(1998, 10, 26))
    assert t["Election Day"].value == "1998-11-03"
    t = _times(nlp, "Turnout on Election Day was low.", date(2021, 2, 1))
    assert t["Election Day"].value == "2020-11-03"


def test_now_that_is_the_present(nlp):
    # TimeBank marks 'now that' as 'now' (2 of 2, AQUAINT 1 of 1): the conjunction still says 'at present'
    t = _times(nlp, "Aqaba is Iraq's only outlet now that an international noose has tightened.", date(1990, 8, 16))
    assert (t["now"].type, t["now"].value) == ("DATE", "PRESENT_REF")


def test_names_that_look_like_times(nlp):
    t = _times(nlp, "The poster showed Gary Cooper from the film High Noon. For Poland, high noon comes today. "
                    "They met at noon.", date(1999, 3, 12))
    assert set(t) == {"today", "noon"} and t["noon"].value == "1999-03-12T12:00"
    t = _times(nlp, "He scanned the crowd at the annual March for Life on Capitol Hill. In March, he left.",
               date(1999, 1, 22))
    assert list(t) == ["March"] and t["March"].start > 60
    t = _times(nlp, "Gonzalez said on CBS's ''60 Minutes.'' He had waited 60 minutes.", date(2000, 4, 17))
    assert list(t) == ["60 minutes"] and t["60 minutes"].value == "PT60M"


def test_hour_of_a_part_of_day_takes_the_day_beside_it(nlp):
    t = _times(nlp, "This courageous father will leave at 4 in the morning (4 a.m. EDT Thursday), Castro said.",
               date(2000, 4, 5))
    assert (t["4 in the morning"].type, t["4 in the morning"].value) == ("TIME", "2000-04-06T04:00")
    t = _times(nlp, "The rally ended at 9 o'clock at night.", date(2000, 4, 5))
    assert t["9 o'clock at night"].value == "2000-04-05T21:00"
    t = _times(nlp, "He ranked 4 in the morning session.", date(2000, 4, 5))
    assert not t                    # no clock preposition: a rank, not an hour


def test_unit_long_adjectives_are_durations(nlp):
    t = _times(nlp, "They left their third day-long meeting, part of a decades-long battle.", date(2000, 4, 3))
    assert (t["day-long"].type, t["day-long"].value) == ("DURATION", "P1D")
    assert t["decades-long"].value == "PXY"            # the article goes with the battle, not the decades


def test_fronted_day_of_a_past_plan_is_past(nlp):
    # 30 September 1998 was a Wednesday
    t = _times(nlp, "On Friday, the Kenyan government planned to pay the families.", date(1998, 9, 30))
    assert t["Friday"].value == "1998-09-25"
    t = _times(nlp, "The Kenyan government plans to pay the families on Friday.", date(1998, 9, 30))
    assert t["Friday"].value == "1998-10-02"
    t = _times(nlp, "A meeting was planned for Friday.", date(1998, 9, 30))
    assert t["Friday"].value == "1998-10-02"            # the plan's own date, not fronted


def test_a_bare_year_is_no_time(nlp):
    t = _times(nlp, "She was his teacher from his year in kindergarten. For the year, volume was flat.",
               date(2000, 4, 5))
    assert list(t) == ["the year"] and t["the year"].value == "2000"
