"""Outlet identity from registered domains (Public Suffix List via tld): multi-part public suffixes and private
suffixes (blog and page hosts) give one outlet per site, never the suffix itself."""

from __future__ import annotations

import pytest

from storyline.meta.outlets import outlet_from_footer, outlet_from_host, registered_domain


@pytest.mark.parametrize(("host", "domain"), [
    ("www3.nhk.or.jp", "nhk.or.jp"),
    ("www.nhk.or.jp", "nhk.or.jp"),
    ("news.bbc.co.uk", "bbc.co.uk"),
    ("www.smh.com.au", "smh.com.au"),
    ("example.blogspot.com", "example.blogspot.com"),
    ("someone.github.io", "someone.github.io"),
    ("a.b.c.theguardian.com", "theguardian.com"),
    ("localhost.localdomain", "localhost.localdomain"),     # not on the list: the last two labels
    ("10.0.0.7", "0.7"),
])
def test_registered_domain(host: str, domain: str) -> None:
    assert registered_domain(host) == domain


def test_each_blog_and_pages_site_is_its_own_outlet() -> None:
    a = outlet_from_host("https://first-reporter.blogspot.com/2023/10/post.html")
    b = outlet_from_host("https://second-reporter.blogspot.com/2023/10/post.html")
    assert a == "first-reporter.blogspot.com" and b == "second-reporter.blogspot.com"
    assert outlet_from_host("https://alice.github.io/notes/") != outlet_from_host("https://bob.github.io/notes/")


def test_nhk_is_not_or_jp() -> None:
    assert outlet_from_host("https://www3.nhk.or.jp/nhkworld/en/news/20231003_01/") == "nhk.or.jp"
    assert outlet_from_footer("First published at www3.nhk.or.jp")[0] == "nhk.or.jp"


def test_known_names_still_win() -> None:
    assert outlet_from_host("https://www.reuters.com/world/x") == "Reuters"
    assert outlet_from_host("news.bbc.co.uk") == "BBC"
    assert outlet_from_host("abcnews.go.com") == "ABC News"
    assert outlet_from_host("localhost") is None
