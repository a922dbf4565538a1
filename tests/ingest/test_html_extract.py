"""HTML body extraction: what is kept, what is removed and why, and hostile pages."""

from __future__ import annotations

import pytest

from storyline.config import Settings
from storyline.errors import InputError
from storyline.ingest.html_extract import extract_html
from storyline.meta.html_parse import flatten_deep_markup, parse_html

BODY = [
    "The city council voted on Tuesday to approve a new budget for public transport, ending months of debate "
    "between the mayor and opposition members over the cost of the plan.",
    "Under the agreement, bus fares will stay frozen until the end of next year, while two new tram lines will "
    "be built in the northern districts that have long complained about poor connections.",
    "Critics said the plan relied on optimistic forecasts of ticket revenue and warned that the city might have "
    "to borrow more money if passenger numbers did not recover as quickly as expected.",
    "The mayor rejected the criticism, saying the investment would pay for itself within a decade because "
    "fewer residents would need cars to reach their jobs in the city centre.",
]


def page(extra_body: str = "", head: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!DOCTYPE html><html lang="en"><head><title>Council approves transport budget | Daily Bugle</title>
<meta property="og:title" content="Council approves transport budget">
<meta property="og:site_name" content="Daily Bugle">
<meta property="og:type" content="article">
<meta name="author" content="Jane Doe">
<meta property="article:section" content="Opinion">
{head}</head><body>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World news section</a></li>
<li><a href="/sport">Sport results today</a></li></ul></nav>
<article><h1>Council approves transport budget</h1>
<div class="share-buttons"><a>Share on Facebook</a> <a>Share on Twitter</a></div>
{paras}
<script>var tracking = "this script text must never appear";</script>
{extra_body}
</article>
<aside class="related-posts"><h3>Related stories you may like</h3><ul>
<li><a href="/a">Mayor announces new bike lanes for the northern districts</a></li>
<li><a href="/b">Tram company reports record losses again this year</a></li></ul></aside>
<section id="comments" class="comments-area"><h3>12 comments on this article</h3>
<div class="comment"><p>This is a total waste of taxpayers money and everyone knows it, said a reader.</p></div>
<div class="comment"><p>Finally some good news for people living in the north of the city!</p></div></section>
<footer class="site-footer"><p>Copyright 2021 Daily Bugle Media Group. All rights reserved.</p>
<p>Contact us | Privacy policy | Terms of use</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


def test_article_body_kept_and_furniture_removed_with_reasons(settings: Settings) -> None:
    res = extract_html(page(), "https://www.dailybugle.example/2021/04/07/council-budget", settings)
    for p in BODY:
        assert p in res.text
    assert res.text.count("\n\n") >= len(BODY) - 1        # paragraphs separated by blank lines
    assert "Council approves transport budget" not in res.text   # title is metadata, not body
    assert "this script text" not in res.text
    for junk in ("Home", "Share on Facebook", "waste of taxpayers", "Copyright 2021", "record losses"):
        assert junk not in res.text
    reasons = {r.reason for r in res.removed}
    by_text = {r.text: r.reason for r in res.removed}

    def reason_of(fragment: str) -> str:
        hits = [reason for text, reason in by_text.items() if fragment in text]
        assert hits, f"{fragment!r} not listed in removed: {res.removed}"
        return hits[0]

    assert reason_of("Sport results today") == "navigation"
    assert reason_of("waste of taxpayers") == "reader comments"
    assert reason_of("record losses") == "related links"
    assert reason_of("Copyright 2021") == "site footer"
    assert reason_of("Share on Facebook") == "share buttons"
    assert any(r.startswith("headline") for r in reasons)
    assert not any("this script text" in r.text for r in res.removed)


def test_metadata(settings: Settings) -> None:
    res = extract_html(page(), "https://www.dailybugle.example/2021/04/07/council-budget", settings)
    assert res.title == "Council approves transport budget"
    assert res.author == "Jane Doe"
    assert res.outlet == "Daily Bugle"
    assert res.published is not None and res.published.isoformat() == "2021-04-07"
    assert "url" in res.published_basis
    assert "og:type=article" in res.genre_hints
    assert "section=opinion" in res.genre_hints


def test_outlet_falls_back_to_host_and_no_date_is_none(settings: Settings) -> None:
    html = page().replace('<meta property="og:site_name" content="Daily Bugle">', "")
    res = extract_html(html, "https://www.example-news.org/story/council-budget", settings)
    assert res.outlet == "example-news.org"
    assert res.published is None


def test_json_ld_date_and_type(settings: Settings) -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "OpinionNewsArticle", '
            '"headline": "Council approves transport budget", "datePublished": "2021-06-02T09:00:00+02:00"}'
            "</script>")
    res = extract_html(page(head=head), None, settings)
    assert res.published is not None and res.published.isoformat() == "2021-06-02"
    assert "json-ld @type=OpinionNewsArticle" in res.genre_hints


def test_deeply_nested_html_is_flattened_not_lost(settings: Settings) -> None:
    deep = "<div>" * 50_000 + "".join(f"<p>{p}</p>" for p in BODY) + "</div>" * 50_000
    html = f"<html><head><title>Deep page</title></head><body>{deep}</body></html>"
    res = extract_html(html, None, settings)
    assert BODY[0][:60] in res.text
    assert any("flattened" in r.reason for r in res.removed)


def test_flatten_keeps_text_and_bounds_depth() -> None:
    html = "<body>" + "<div><span>" * 400 + "x" + "</span></div>" * 400 + "<p>after</p></body>"
    flat, dropped = flatten_deep_markup(html, 100)
    assert dropped > 0
    parsed = parse_html(flat)
    assert parsed is not None
    assert "x" in parsed.tree.text_content() and "after" in parsed.tree.text_content()


def test_truncated_html_still_extracts(settings: Settings) -> None:
    html = page()
    cut = html[: html.index(BODY[3][:40]) + 20]          # cut in the middle of the last paragraph
    res = extract_html(cut, None, settings)
    assert BODY[0] in res.text and BODY[1] in res.text


@pytest.mark.parametrize("bad", ["", "   \n ", "\x00\x01\x02\x03\x04\x05" * 200])
def test_unusable_input_raises_input_error(settings: Settings, bad: str) -> None:
    with pytest.raises(InputError) as err:
        extract_html(bad, "file.html", settings)
    assert err.value.source == "file.html"


def test_page_without_article_falls_back_and_says_so(settings: Settings) -> None:
    html = "<html><body><div>Only a short line here.</div></body></html>"
    res = extract_html(html, None, settings)
    assert "Only a short line here." in res.text
    assert res.method


def test_strip_inert_keeps_json_ld_and_visible_tails() -> None:
    from lxml.html import HtmlElement

    from storyline.meta.html_parse import strip_inert

    html = ('<html><head><meta name="x" content="y"><link rel="stylesheet" href="a.css"><style>p{}</style>'
            '<script type="application/ld+json">{"@type": "NewsArticle"}</script></head><body>'
            '<p>one <script>var hidden = 1;</script>two<style>.x{}</style> three</p></body></html>')
    parsed = parse_html(html)
    assert parsed is not None
    tree = parsed.tree
    assert all(isinstance(el, HtmlElement) for el in tree.iter())   # C-level lookup: still lxml.html elements
    assert strip_inert(tree) == 5
    assert tree.find(".//script").get("type") == "application/ld+json"
    assert tree.find(".//style") is None and tree.find(".//meta") is None and tree.find(".//link") is None
    assert " ".join(tree.find(".//p").text_content().split()) == "one two three"


def test_removed_list_reads_the_page_before_trimming(settings: Settings) -> None:
    # text right after an inline script is one block with its neighbours, and the removed list still sees
    # every word of a dropped block that holds a script
    extra = ('<div class="newsletter-box">Sign up for our daily briefing<script>track()</script> and get the '
             'news first</div>')
    res = extract_html(page(extra_body=extra), None, settings)
    hits = [r for r in res.removed if "daily briefing" in r.text]
    assert hits and "get the news first" in hits[0].text
    assert hits[0].reason == "newsletter / subscription prompt"


def test_body_index_rules() -> None:
    from storyline.ingest.html_removed import _BodyIndex

    index = _BodyIndex("World news\n\nThe council voted on Tuesday to approve a new budget for transport.")
    assert index.kept("World news")                       # a whole body line (subheading)
    assert not index.kept("council voted")                # short and inside a sentence: page furniture
    assert index.kept("voted on Tuesday to")              # 4-5 words: must occur in sequence
    assert not index.kept("Tuesday voted on to")
    assert index.kept("The council voted on Tuesday, to approve a new budget!")   # punctuation differs
    assert not index.kept("The mayor said on Tuesday that a new stadium would be built")


def test_short_fast_result_gets_the_full_cascade(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.ingest import html_extract

    calls: list[str] = []
    real = html_extract._trafilatura_body

    def spy(tree, url, mode):
        calls.append(mode)
        return "too short" if mode == "precision-fast" else real(tree, url, mode)

    monkeypatch.setattr(html_extract, "_trafilatura_body", spy)
    res = extract_html(page(), None, settings)
    assert calls[:2] == ["precision-fast", "precision"]
    assert BODY[0] in res.text
