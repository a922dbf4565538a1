"""Publication dates from HTML: each kind of evidence, and no invented dates."""

from __future__ import annotations

from datetime import date

from storyline.meta.html_dates import find_published_date, parse_date_text, url_date

TEXT = "<p>" + "The council met again to discuss the budget and the new tram lines in the north. " * 8 + "</p>"


def doc(head: str = "", body: str = "") -> str:
    return (f"<html><head><title>Budget vote</title>{head}</head><body><article><h1>Budget vote</h1>{body}{TEXT}"
            "</article></body></html>")


def test_json_ld_date_published() -> None:
    html = doc(head='<script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget vote",'
                    '"datePublished":"2021-04-07T10:00:00+02:00","dateModified":"2021-05-01T10:00:00+02:00"}'
                    "</script>")
    value, basis = find_published_date(html, None)
    assert value == date(2021, 4, 7)
    assert "json-ld" in basis or "htmldate" in basis


def test_meta_published_time_preferred_to_modified() -> None:
    html = doc(head='<meta property="article:modified_time" content="2020-03-09T08:00:00+01:00">'
                    '<meta property="article:published_time" content="2020-03-02T08:00:00+01:00">')
    value, basis = find_published_date(html, None)
    assert value == date(2020, 3, 2)
    assert "published_time" in basis or "htmldate" in basis


def test_url_date() -> None:
    value, basis = find_published_date(doc(), "https://news.example.com/2019/11/18/budget-vote/")
    assert value == date(2019, 11, 18)
    assert "url" in basis
    assert url_date("https://x.example/news/20191118-budget")[0] == date(2019, 11, 18)
    assert url_date("https://x.example/2019/13/45/nope")[0] is None


def test_no_date_gives_none_never_today() -> None:
    value, basis = find_published_date(doc(), "https://news.example.com/budget-vote")
    assert value is None
    assert basis


def test_date_line_under_headline_beats_stale_metadata() -> None:
    # metadata keeps a first-draft date; the page prints the date readers see under the headline
    html = doc(head='<meta property="article:published_time" content="2017-08-21T10:00:00+00:00">',
               body='<div class="meta"><span>03.04.2019</span> <span>Von Olaf Example</span></div>')
    value, basis = find_published_date(html, "https://www.example.de/a/sieben-berufe,3050673")
    assert value == date(2019, 4, 3)
    assert "headline" in basis


def test_utc_timestamp_one_day_off_local_date() -> None:
    html = doc(head='<meta property="article:published_time" content="2023-11-09T02:11:03+00:00">',
               body='<time datetime="2023-11-08T21:11:03-05:00" itemprop="datePublished">November 8, 2023</time>')
    value, _ = find_published_date(html, None)
    assert value == date(2023, 11, 8)


def test_future_and_implausible_dates_rejected() -> None:
    assert parse_date_text("2999-01-01") is None
    assert parse_date_text("1990-05-05") is None
    assert parse_date_text("2021-02-30") is None
    assert parse_date_text("2019-11-18T23:30:00-05:00") == date(2019, 11, 18)
    assert parse_date_text("18.11.2019") == date(2019, 11, 18)


def test_url_like_text_is_never_fetched() -> None:
    # htmldate downloads strings that look like URLs; our finder must treat them as (empty) content
    value, basis = find_published_date("https://example.invalid/2020/01/02/story", None)
    assert value is None or value == date(2020, 1, 2)


def test_garbage_does_not_crash() -> None:
    for junk in ("", "<<<>>>", "<html><body><time datetime='not a date'>soon</time></body></html>", "\x00" * 50):
        value, basis = find_published_date(junk, None)
        assert value is None
        assert isinstance(basis, str)


def test_url_slug_opening_with_a_number_is_not_a_day() -> None:
    # "/2023/10/3-fragen-an-..." is a month archive path and a slug "3 questions for ...", not 3 October
    assert url_date("https://blog.example.de/2023/10/3-fragen-an-tina/")[0] is None
    assert url_date("https://blog.example.de/2023/10/03/fragen/")[0] == date(2023, 10, 3)
    assert url_date("https://blog.example.de/news/2023-10-03-fragen")[0] == date(2023, 10, 3)
    # with the misleading slug gone, the page's own publication markup decides
    html = doc(head='<meta property="article:published_time" content="2023-10-31T08:47:16+00:00">')
    value, basis = find_published_date(html, "https://blog.example.de/2023/10/3-fragen-an-tina/")
    assert value == date(2023, 10, 31)


def test_date_line_above_the_headline() -> None:
    html = ("<html><head><title>Budget vote</title></head><body><nav>Home | World</nav>"
            "<p>02.02.2022 10:16 Uhr - Politik - dpa</p><h1>Budget vote</h1>" + TEXT + "</body></html>")
    value, basis = find_published_date(html, None)
    assert value == date(2022, 2, 2)
    assert "above the headline" in basis


def test_text_after_a_script_still_counts_under_the_headline() -> None:
    html = doc(body='<script>var x = "a long tracking snippet that is no visible text at all";</script>'
                    "Posted 12.01.2022")
    value, basis = find_published_date(html, None)
    assert value == date(2022, 1, 12)
    assert "under the headline" in basis


def test_labelled_publication_date_beats_declared_modification_day() -> None:
    # the page's only machine date is its last update; the reader is shown "Erschienen am 26. Jan 2022"
    html = doc(head='<meta property="og:updated_time" content="2022-01-27T18:34:20+0100">',
               body=TEXT + '<p class="meta"><span class="aural">Erschienen am</span> '
                           '<time datetime="2022-01-26">26. Jan 2022</time></p>')
    value, basis = find_published_date(html, None)
    assert value == date(2022, 1, 26)
    assert "publication" in basis
