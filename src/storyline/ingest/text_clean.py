"""Boilerplate removal for plain-text articles: a line classifier with named reasons.

Text copied from web pages keeps the page furniture: share-button rows, "Follow us", "READ ALSO" links, photo
credits and captions, reading-time widgets, reader comments with their forms, site footers. Each line is classified
by the rules below; every dropped line is kept in ``removed`` with the rule's reason, and metadata lines (date lines,
bylines, "Published at …") are dropped from the body but returned as evidence for the metadata stage.
Rules look at the shape of a line and its position, never at any one site's wording of an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Removed
from .text_dates import find_date_in_line

_SOCIAL = r"(facebook|twitter|x\.com|whatsapp|telegram|linkedin|reddit|pinterest|email|e-mail|messenger|viber|vk|tumblr|print|copy link|share|tweet)"
_SHARE_ROW = re.compile(rf"^(?:(?:icon-)?{_SOCIAL}\b[\s|·•,/-]*){{2,}}$", re.I)
_SHARE_PROMPT = re.compile(rf"^(share( this( article| story| page)?)?( on {_SOCIAL})?|share via .*|click to share.*|{_SOCIAL})\s*:?$", re.I)
_FOLLOW = re.compile(r"^(follow us\b|follow (?:\w+ ){0,3}on (twitter|facebook|instagram|x|telegram)|subscribe\b|sign up (for|to)\b|join (us|our)\b.*\b(telegram|whatsapp|channel|newsletter)|get (our|the) newsletter|download (our|the) app)", re.I)
_RELATED_LABEL = re.compile(r"^(read also|also read|read more|see also|related( articles?| stories| news| coverage)?|more on this( story)?|recommended( for you)?|you may also like|more from\b.*|trending( now)?|most read|popular)\s*[:»>-]?\s*", re.I)
_READING_TIME = re.compile(r"^\d+\s*(min|mins|minute|minutes)\s+read$", re.I)
_PHOTO = re.compile(r"^(photo|image|picture|photograph|pictured|file photo|credit|illustration|video)\s*(by|credit|courtesy|:|/)", re.I)
_CAPTION_TAIL = re.compile(r"(\[(getty|afp|reuters|ap|epa|anadolu|shutterstock|file|photo)[^\]]*\]|\((getty( images)?|afp|reuters|ap|epa|photo|file photo)[^)]*\)|/\s*(getty( images)?|afp|reuters|ap photo|epa))\s*$", re.I)
_COMMENTS_HEAD = re.compile(r"^(\d+\s+(comments?|responses?|replies|thoughts)\b.*|comments?\s*(\(\d+\))?|leave a (comment|reply)|post a comment|add a comment|join the (discussion|conversation)|show comments|view comments|what do you think\?)\s*:?$", re.I)
# A reader comment's signature as comment systems print it: "March 9, 2011 at 10:05 am | Reply", "| Report abuse |".
# A page whose text carries two or more of these has a comment section from the first one on.
_COMMENT_STAMP = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4},? (?:at )?\d{1,2}:\d{2}\s*"
    r"[ap]\.?m\.?\s*\||\|\s*(?:report abuse|reply)\b", re.I)
_COMMENT_FORM = re.compile(r"(your email address will not be published|required fields are marked|this site uses akismet|learn how your comment data is processed|save my name, email|notify me of (follow-up|new) (comments|posts)|you must be logged in to post)", re.I)
_FOOTER = re.compile(r"^(published (at|on|by|in)\s+(www\.)?[\w.-]+\.[a-z]{2,}|©|\(c\)\s*\d{4}|copyright\b|all rights reserved|terms (of use|and conditions)|privacy policy|cookie (policy|settings)|about us\s*\|)", re.I)
_AD = re.compile(r"^(advertisement|advertising|sponsored( content)?|story continues below( advertisement)?|continue reading (below|the main story)|scroll to continue.*)$", re.I)
_BYLINE = re.compile(r"^(?i:by|contributed by|written by|author:|words by|reporting by)\s+(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|al-\w+|bin|el))*?)(?:\s*(?:[,|/–—-]|and\b).*)?$")
_WIRE_CREDITS = re.compile(r"^\(?(reporting by|additional reporting by|editing by|writing by|compiled by)\b", re.I)
_URL_ONLY = re.compile(r"^(https?://|www\.)\S+$", re.I)


@dataclass(slots=True)
class CleanedText:
    text: str
    title: str | None
    removed: list[Removed] = field(default_factory=list)
    date_lines: list[tuple[str, str]] = field(default_factory=list)   # (line, iso date) in order of appearance
    bylines: list[str] = field(default_factory=list)                  # author names found on byline lines
    footer_lines: list[str] = field(default_factory=list)             # "Published at www.rt.com" and friends
    had_comments: bool = False


def _letters(line: str) -> int:
    return sum(map(str.isalpha, line))   # map/sum run in C: a line costs no Python-level loop


def _has_letter(line: str) -> bool:
    return any(map(str.isalpha, line))   # stops at the first letter, usually the first character


_BEYOND_LATIN = re.compile("[\u0250-\U0010ffff]")


def _latin_share(text: str) -> float:
    """Share of letters below U+0250 (Latin scripts). ASCII text is all Latin; otherwise only the few
    characters beyond U+0250 are looked at one by one."""
    if text.isascii():
        return 1.0
    letters = _letters(text)
    if not letters:
        return 1.0
    beyond = sum(map(str.isalpha, _BEYOND_LATIN.findall(text)))
    return (letters - beyond) / letters


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 30 and len(line) <= 220 and not line.endswith((".", ":", ",", ";")) or line.endswith(("?", "!"))


def classify_line(line: str, *, doc_is_latin: bool) -> str | None:
    """The reason a single line is page furniture, or None when it may be article text."""
    if not line:
        return None
    if not _has_letter(line):
        return "junk line (no words)"
    if doc_is_latin and _latin_share(line) < 0.5:
        return "stray line in another script (not the article's language)"
    if _URL_ONLY.match(line):
        return "bare link"
    if _SHARE_ROW.match(line) or _SHARE_PROMPT.match(line):
        return "share buttons"
    if _FOLLOW.match(line):
        return "follow/subscribe prompt"
    if _READING_TIME.match(line):
        return "reading-time widget"
    if _AD.match(line):
        return "advertisement marker"
    if _COMMENT_FORM.search(line):
        return "comment form"
    if _FOOTER.match(line):
        return "site footer"
    if _WIRE_CREDITS.match(line) and len(line) < 200:
        return "wire credits line"
    # a caption tail ends in "[...]", "(...)" or "/ Getty": look for it only on lines that can hold one
    if len(line) < 300 and (_PHOTO.match(line) or ((line.rstrip()[-1:] in ")]" or "/" in line)
                                                   and _CAPTION_TAIL.search(line))):
        return "photo caption/credit"
    return None


def clean_text(text: str) -> CleanedText:
    """Split ``text`` into article lines and removed furniture; find the title, date lines and bylines."""
    lines = text.split("\n")
    doc_is_latin = _latin_share(text) >= 0.8
    result = CleanedText(text="", title=None)
    kept: list[str] = []
    seen: set[str] = set()
    in_comments = False
    related_pending = False
    stamped = sum(1 for line in lines if _COMMENT_STAMP.search(line)) >= 2
    for idx, line in enumerate(lines):
        if not line:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if stamped and not in_comments and _COMMENT_STAMP.search(line):
            # The words before the first signature on its line are that comment's own text.
            in_comments = result.had_comments = True
        if in_comments:
            reason = "comment form" if _COMMENT_FORM.search(line) else "reader comments section"
            result.removed.append(Removed(line, reason))
            continue
        if _COMMENTS_HEAD.match(line) and idx > len(lines) // 3:
            in_comments = result.had_comments = True
            result.removed.append(Removed(line, "reader comments section"))
            continue
        related = _RELATED_LABEL.match(line)
        if related and (related.end() == len(line) or line[: related.end()].rstrip().endswith((":", "»", ">", "-")) or line.isupper()):
            result.removed.append(Removed(line, "related-article link"))
            related_pending = related.end() == len(line)   # a bare label: the link title is on the next line
            continue
        if related_pending and _looks_like_title(line):
            related_pending = False
            result.removed.append(Removed(line, "related-article link"))
            continue
        related_pending = False
        iso = find_date_in_line(line) if len(line) <= 80 else None
        if iso:
            result.date_lines.append((line, iso))
            result.removed.append(Removed(line, "date line (used as publication-date evidence)"))
            continue
        byline = _BYLINE.match(line) if len(line) <= 120 else None
        if byline and len(byline.group("name").split()) <= 5:
            result.bylines.append(byline.group("name").strip())
            result.removed.append(Removed(line, "byline (used as author evidence)"))
            continue
        furniture = classify_line(line, doc_is_latin=doc_is_latin)
        if furniture == "site footer":
            result.footer_lines.append(line)
        if furniture:
            result.removed.append(Removed(line, furniture))
            continue
        if line in seen and len(line) < 300:
            result.removed.append(Removed(line, "repeated line (duplicate title or paragraph)"))
            continue
        seen.add(line)
        kept.append(line)
    while kept and kept[-1] == "":
        kept.pop()
    result.text = "\n".join(kept)
    body_lines = [ln for ln in kept if ln]
    if len(body_lines) >= 2 and _looks_like_title(body_lines[0]):
        result.title = body_lines[0]
    return result
