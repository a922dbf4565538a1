"""Outlet names: from a URL host, a "Published at" footer, a dateline tag like "(AP)", or a byline suffix.

A short table maps well-known news domains and wire tags to the names readers use; anything else keeps its
registered domain (e.g. "example-news.com"), which is still a faithful outlet identifier.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

KNOWN_DOMAINS = {
    "apnews.com": "AP", "reuters.com": "Reuters", "afp.com": "AFP", "bbc.co.uk": "BBC", "bbc.com": "BBC",
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post", "wsj.com": "The Wall Street Journal",
    "theguardian.com": "The Guardian", "cnn.com": "CNN", "foxnews.com": "Fox News", "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News", "abcnews.go.com": "ABC News", "npr.org": "NPR", "politico.com": "Politico",
    "aljazeera.com": "Al Jazeera", "rt.com": "RT", "tass.com": "TASS", "dw.com": "DW", "france24.com": "France 24",
    "militarytimes.com": "Military Times", "defense.gov": "U.S. Department of Defense", "state.gov": "U.S. Department of State",
    "bloomberg.com": "Bloomberg", "ft.com": "Financial Times", "economist.com": "The Economist", "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times", "huffpost.com": "HuffPost", "huffingtonpost.com": "HuffPost",
    "breitbart.com": "Breitbart", "thehill.com": "The Hill", "axios.com": "Axios", "vox.com": "Vox",
    "independent.co.uk": "The Independent", "telegraph.co.uk": "The Telegraph", "dailymail.co.uk": "Daily Mail",
    "timesofisrael.com": "The Times of Israel", "haaretz.com": "Haaretz", "alarabiya.net": "Al Arabiya",
    "newarab.com": "The New Arab", "alaraby.co.uk": "The New Arab", "rudaw.net": "Rudaw", "kurdistan24.net": "Kurdistan24",
    "presstv.ir": "Press TV", "xinhuanet.com": "Xinhua", "news.cn": "Xinhua", "cnbc.com": "CNBC", "time.com": "Time",
    "newsweek.com": "Newsweek", "theatlantic.com": "The Atlantic", "yahoo.com": "Yahoo News", "msn.com": "MSN",
}
WIRE_TAGS = {"AP": "AP", "AFP": "AFP", "REUTERS": "Reuters", "UPI": "UPI", "XINHUA": "Xinhua", "TASS": "TASS",
             "IANS": "IANS", "PTI": "PTI", "ANI": "ANI", "DPA": "dpa", "EFE": "EFE", "ANSA": "ANSA", "CNN": "CNN"}
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu"}


def registered_domain(host: str) -> str:
    """The registered domain by the Public Suffix List (``tld``, bundled list, no network): ``www3.nhk.or.jp`` →
    ``nhk.or.jp``, and each site under a private suffix its own (``x.blogspot.com``, ``y.github.io``). Hosts the list
    does not know (an IP, ``localhost``, an unlisted suffix) fall back to the last two labels, or three after a
    two-letter country code's ``co``/``com``/…"""
    name = host.lower().strip(".")
    if name.startswith("www."):
        name = name[4:]
    try:
        from tld import get_fld

        fld = get_fld(name, fix_protocol=True, fail_silently=True, search_private=True)
    except Exception:  # noqa: BLE001 - a host the parser chokes on gets the fallback below
        fld = None
    if fld:
        return str(fld)
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def outlet_from_host(host_or_url: str) -> str | None:
    text = host_or_url.strip()
    host = urlsplit(text).hostname if "://" in text else text.split("/")[0]
    if not host or "." not in host:
        return None
    domain = registered_domain(host)
    full = host.lower().removeprefix("www.")
    return KNOWN_DOMAINS.get(full) or KNOWN_DOMAINS.get(domain) or domain


_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Za-z .'’-]{1,40}?)(?:,\s*[A-Z][\w .]{1,30})?\s*\((?P<tag>[A-Za-z][\w .&-]{0,30})\)\s*[—–-]{1,2}\s")
_PUBLISHED_AT = re.compile(r"(?:published|first published|appeared|originally published)\s+(?:at|on|in|by)\s+(?P<host>(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+)", re.I)


def outlet_from_dateline(text: str) -> tuple[str, str] | None:
    """("ESTA", "dateline 'SULAIMANI (ESTA) —'") from an opening like "SULAIMANI (ESTA) — …"."""
    m = _DATELINE.match(text)
    if not m or not m["place"].replace(" ", "").isupper():
        return None
    tag = m["tag"].strip()
    return WIRE_TAGS.get(tag.upper(), tag), f"dateline {m.group(0).strip()!r}"


def outlet_from_footer(line: str) -> tuple[str, str] | None:
    m = _PUBLISHED_AT.search(line)
    if not m:
        return None
    name = outlet_from_host(m["host"])
    return (name, f"footer {line.strip()!r}") if name else None


def unknown_outlet_label(source: str) -> str:
    """A label for an article whose outlet is unknown: one per source (its file or record name), so separate sources
    are never merged into a single "unknown" outlet in profiles, stance, agreement counts or evidence."""
    name = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source
    return f"unknown outlet ({name})"
