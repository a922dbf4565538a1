from __future__ import annotations

from datetime import date

import pytest

from storyline.ingest.text_dates import date_from_url, find_date_in_line
from storyline.meta.bounds import infer_bounds
from storyline.meta.genre import classify_genre
from storyline.meta.outlets import outlet_from_dateline, outlet_from_footer, outlet_from_host


@pytest.mark.parametrize("line,iso", [
    ("23 April, 2021", "2021-04-23"), ("7 Apr, 2021", "2021-04-07"), ("Tue Jan 09 2024", "2024-01-09"),
    ("January 9, 2024", "2024-01-09"), ("Published: 2023-11-02 10:32 GMT", "2023-11-02"),
    ("Sept. 20th, 2021", "2021-09-20"), ("Posted on March 3, 2022 at 5:00 pm", "2022-03-03"),
])
def test_date_lines(line, iso):
    assert find_date_in_line(line) == iso


@pytest.mark.parametrize("line", ["Updated: 2023-11-02", "The vote on 23 April, 2021 was decisive and changed everything",
                                  "2,500 troops", "Between 2020 and 2021"])
def test_not_date_lines(line):
    assert find_date_in_line(line) is None


def test_url_dates():
    assert date_from_url("https://example.com/world/2021/04/07/us-iraq") == date(2021, 4, 7)
    assert date_from_url("https://example.com/a/b") is None
    assert date_from_url("https://example.com/2021/13/45/x") is None


def test_outlets():
    assert outlet_from_host("https://www.reuters.com/world/x") == "Reuters"
    assert outlet_from_host("news.bbc.co.uk") == "BBC"
    assert outlet_from_host("https://www.some-local-paper.co.uk/a") == "some-local-paper.co.uk"
    assert outlet_from_dateline("SULAIMANI (ESTA) — The United States will")[0] == "ESTA"
    assert outlet_from_dateline("WASHINGTON (AP) — Lawmakers")[0] == "AP"
    assert outlet_from_dateline("The (new) plan — is") is None
    assert outlet_from_footer("Published at www.rt.com")[0] == "RT"


def test_bounds_from_pending_deadline_and_current_year():
    text = ("In March, officials signed a deal to end the mission by the end of 2019. "
            "The troops left ahead of the end of the year, the ministry said.")
    b = infer_bounds(text)
    assert b is not None and b.earliest == date(2019, 3, 1) and b.latest == date(2019, 12, 31)
    assert "2019" in b.basis


def test_bounds_lower_only_from_past_year():
    b = infer_bounds("The war began in 2003 and the troops withdrew, the report said.")
    assert b is not None and b.earliest == date(2003, 1, 1) and b.latest is None


def test_no_bounds_without_evidence():
    assert infer_bounds("Officials said the talks would continue. 2,500 troops remain.") is None


def test_seed_001_bounded_to_second_half_of_2021(seeds):
    b = infer_bounds((seeds / "001_78d3394bab3e3c7a.txt").read_text())
    assert (b.earliest, b.latest) == (date(2021, 7, 1), date(2021, 12, 31))


def test_genre_signals():
    opinion = ("I believe this occupation is a disgrace. The so-called mission was a pretext, and we must end it. "
               "The regime's propaganda is absurd.")
    g, why = classify_genre(opinion)
    assert g == "opinion" and any("first person" in w for w in why)
    news = ("WASHINGTON (AP) — The Pentagon said on Monday it had no plans to withdraw. Officials told reporters the "
            "troops would stay. The minister said talks would continue, according to a statement.")
    assert classify_genre(news, has_dateline=True)[0] == "news"
    pr = "FOR IMMEDIATE RELEASE\nAcme Corp announces new product.\nMedia contact: press@acme.test\n###"
    assert classify_genre(pr)[0] == "press-release"
    assert classify_genre("Quoted: “I think we must go,” she said. Officials said so.")[0] != "opinion"
