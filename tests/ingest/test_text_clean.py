from __future__ import annotations

from storyline.ingest.text_clean import clean_text


def _reasons(result):
    return {r.text: r.reason for r in result.removed}


def test_page_furniture_removed_with_reasons():
    text = "\n".join([
        "Minister resigns over budget row",
        "",
        "Mon Mar 04 2024",
        "icon-facebook icon-twitter icon-whatsapp",
        "The finance minister resigned on Monday, officials said.",
        "",
        "READ ALSO: Ten things to know about the budget",
        "",
        "She said the decision was final.",
        "Photo by Jane Doe/AFP: The minister leaves parliament",
        "Read more:",
        "Opposition demands early election",
        "Follow us on Twitter to stay updated",
        "3 min read",
        "© 2024 Example News. All rights reserved.",
    ])
    r = clean_text(text)
    reasons = _reasons(r)
    assert r.title == "Minister resigns over budget row"
    assert reasons["icon-facebook icon-twitter icon-whatsapp"] == "share buttons"
    assert reasons["READ ALSO: Ten things to know about the budget"] == "related-article link"
    assert reasons["Opposition demands early election"] == "related-article link"
    assert reasons["Photo by Jane Doe/AFP: The minister leaves parliament"] == "photo caption/credit"
    assert "follow" in reasons["Follow us on Twitter to stay updated"]
    assert "reading-time" in reasons["3 min read"]
    assert reasons["© 2024 Example News. All rights reserved."] == "site footer"
    assert r.date_lines == [("Mon Mar 04 2024", "2024-03-04")]
    assert "The finance minister resigned" in r.text and "She said the decision was final." in r.text
    for removed in reasons:
        assert removed not in r.text


def test_comment_section_and_form_are_not_article_text():
    body = "\n".join(["Headline of the piece", "First paragraph of the article.", "Second paragraph.",
                      "Third paragraph ends the article.",
                      "2 Comments on \"Headline of the piece\"", "Great article, thanks!", "I disagree strongly.",
                      "Leave a comment", "Your email address will not be published."])
    r = clean_text(body)
    assert r.had_comments
    assert "Great article" not in r.text and "I disagree" not in r.text
    assert _reasons(r)["Your email address will not be published."] == "comment form"
    assert _reasons(r)["Great article, thanks!"] == "reader comments section"


def test_comment_signatures_start_the_comment_section_without_a_heading():
    body = "\n\n".join(["Rebels take the port", "Rebel fighters took the port on Sunday, officials said.",
                        "The government denied it.",
                        "Enough is enough!!! February 21, 2011 at 12:12 am | Report abuse | I find it disgusting.",
                        "Nobody asked the people.", "March 9, 2011 at 10:05 am | Reply I agree totally."])
    r = clean_text(body)
    assert r.had_comments
    assert "The government denied it." in r.text
    assert "Enough is enough" not in r.text and "Nobody asked" not in r.text
    assert _reasons(r)["Nobody asked the people."] == "reader comments section"


def test_one_clock_time_with_a_bar_is_not_a_comment_section():
    body = "A headline\n\nThe flow stopped at 2:25 pm | officials said.\n\nWork goes on."
    r = clean_text(body)
    assert not r.had_comments and "Work goes on." in r.text


def test_byline_is_metadata_not_text():
    r = clean_text("A headline here\nBy Maria Lopez and John Smith\nThe story begins here, officials said.\nMore text.")
    assert r.bylines == ["Maria Lopez"]
    assert "By Maria" not in r.text


def test_duplicate_title_line_removed_once():
    r = clean_text("Same title line\n\nSame title line\nBody sentence one. Body two.\nMore body.")
    assert r.text.count("Same title line") == 1
    assert "repeated line" in _reasons(r)["Same title line"]


def test_clean_article_is_left_as_is():
    text = "WASHINGTON (AP) — The Senate passed the bill on Tuesday.\nLawmakers said it would take effect next year."
    r = clean_text(text)
    assert r.text == text and r.removed == []


def test_seed_cleaning(seeds):
    from storyline.ingest.decode import decode_and_normalise

    d = decode_and_normalise((seeds / "003_ca9583bd7c00a019.txt").read_bytes(), "003")
    r = clean_text(d.text)
    assert "weapons of mass destruction “ was" not in r.text       # the reader comment
    assert "Between 5,000 and 6,000 occupying US troops are still in Iraq." in r.text
    assert r.bylines == ["Adam Carlton"]
    d = decode_and_normalise((seeds / "004_b8e82f10cd3f249e.txt").read_bytes(), "004")
    r = clean_text(d.text)
    assert "SWIFT-free" not in r.text and "Published at" not in r.text
