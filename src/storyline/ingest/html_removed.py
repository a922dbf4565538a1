"""What HTML extraction dropped, and why (private helper of ``html_extract``).

trafilatura returns the kept body but says nothing about what it threw away. To keep the promise that nothing
disappears silently, we split the *original* page into text blocks (the text each block-level element holds
directly, in document order), check each against the kept body, and label every dropped block by its nearest
container that tells what it is: a ``<nav>``, a ``class="comments"``, ``id="related-posts"``, a footer...
Consecutive dropped blocks from the same container are merged into one entry ("navigation: Home | World |
Sport"), and the list is capped so one huge page cannot bloat the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from storyline.model import Removed

BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl", "dt",
     "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
     "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
     "ul", "center", "menu", "label", "button", "select", "option", "legend"]
)
SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
                       "canvas", "video", "audio", "map", "title", "meta", "link"])
MAX_BLOCKS = 200          # removed entries stored per article
MAX_ENTRY_CHARS = 500     # text kept per removed entry

# (reason, pattern over "tag role class id aria-label") — checked on the nearest ancestor first, so a share
# bar inside an article footer is "share buttons", not "footer".
_LABELS: list[tuple[str, re.Pattern[str]]] = [
    (reason, re.compile(rx)) for reason, rx in [
        ("reader comments", r"comment|disqus|respond\b|replies|\breply|discussion|talkback|kommentar"),
        ("share buttons", r"shar(?:e|ing)|social|addthis|sociable|follow-?us|shariff|\btweet"),
        ("related links", r"related|recommend|more-?stories|more-?from|read-?more|also-?read|trending|popular|"
                          r"most-?(?:read|viewed)|outbrain|taboola|you-?may|recirc|next-?(?:article|post)|teaser|"
                          r"further-?reading|see-?also|lesen-?sie-?auch|weitere"),
        ("advertising", r"(?:^|[\s_-])(?:ad|ads|adv|advert\w*|sponsor\w*|dfp|gpt|banner-?ad|anzeige|werbung)"
                        r"(?:$|[\s_-]|\d)|advertisement"),
        ("newsletter / subscription prompt", r"newsletter|subscri|sign-?up|signup|paywall|regwall|login|"
                                             r"register|membership|donat"),
        ("cookie / consent notice", r"cookie|consent|gdpr|privacy-?(?:banner|notice)"),
        ("navigation", r"^nav\b|\bnav(?:bar|igation)?\b|(?:^|[\s_-])nav(?:$|[\s_-])|menu|breadcrumb|pagination|"
                       r"pager\b|skip-?(?:link|to)|toolbar|topbar|\brole=navigation"),
        ("photo caption / credit", r"^(?:figcaption|caption|figure)\b|caption|credit|photo|gallery|"
                                   r"(?:^|[\s_-])(?:image|img|media)(?:$|[\s_-])"),
        ("sidebar", r"^aside\b|sidebar|side-?bar|widget|\brail\b|complementary"),
        ("site footer", r"^footer\b|footer|copyright|colophon|contentinfo|legal"),
        ("site header", r"^header\b|header|masthead|banner|site-?title|logo|branding"),
        ("byline / article metadata", r"byline|author|dateline|published|timestamp|\bdate\b|\bmeta\b|"
                                      r"(?:^|[\s_-])(?:tags?|categor\w*|keywords)(?:$|[\s_-])"),
        ("form / widget", r"^(?:form|button|select|label|fieldset|legend|option)\b"),
    ]
]
_LABELLED_TAGS = frozenset(["nav", "footer", "header", "aside", "figcaption", "caption", "figure", "form", "button",
                            "select", "label", "fieldset", "legend", "option"])
# when no container says what a block is, its own text may ("By Jane Doe", "Advertisement", "© 2019 ...")
_TEXT_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("byline / article metadata", re.compile(r"^(?:by|von|par|por|di|door|updated|published|posted)\b", re.I)),
    ("advertising", re.compile(r"^(?:advertisement|anzeige|sponsored|publicité|werbung)\b", re.I)),
    ("site footer", re.compile(r"©|\bcopyright\b|all rights reserved|alle rechte vorbehalten", re.I)),
    ("share buttons", re.compile(r"^(?:share|tweet|email|print|teilen|drucken)\b", re.I)),
    ("related links", re.compile(r"^(?:read (?:more|also|next)|related|more from|see also|lesen sie auch|"
                                 r"trending|recommended)\b", re.I)),
    ("reader comments", re.compile(r"^\d*\s*(?:comments?|kommentare?|responses?|replies)\b", re.I)),
]
_ANY_TEXT_LABEL = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in _TEXT_LABELS), re.I)
DEFAULT_REASON = "page text outside the article body (not selected by the extractor)"

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def iter_blocks(root: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """(block element, the text it holds directly) in document order of each block's first text.

    One pass of lxml's C tree walker (``iterwalk``) with a stack of "current block" owners: an element's text
    belongs to the nearest block ancestor-or-self, its tail to its parent's block, and the subtrees of
    ``<script>``/``<style>``/... are skipped without being visited. No per-node ``getparent()`` calls, no
    ancestor caches, no XPath smart strings: the cost is a few Python operations per element.
    """
    body = root.find("body")
    start = body if body is not None else root
    buffers: dict[HtmlElement, list[str]] = {}
    stack: list[HtmlElement | None] = []     # owning block of each open element; None = skipped element
    walker = etree.iterwalk(start, events=("start", "end"))
    next(walker)                             # the start element owns its own text, whatever its tag
    stack.append(start)
    if start.text and not start.text.isspace():
        buffers[start] = [start.text]
    for event, el in walker:
        if event == "start":
            tag = el.tag
            if tag in SKIP_TAGS or not isinstance(tag, str):   # script, style..., comments, PIs
                walker.skip_subtree()
                stack.append(None)
                continue
            owner = el if tag in BLOCK_TAGS else stack[-1]
            stack.append(owner)
            text = el.text
            if text and not text.isspace():
                if owner in buffers:
                    buffers[owner].append(text)
                else:
                    buffers[owner] = [text]
        else:
            stack.pop()
            if not stack:          # the start element's own tail is outside it
                break
            text = el.tail
            if text and not text.isspace():
                owner = stack[-1]
                if owner in buffers:
                    buffers[owner].append(text)
                else:
                    buffers[owner] = [text]
    for el, parts in buffers.items():   # dicts keep insertion order: first text of each block
        text = _norm(" ".join(parts))
        if _WORD.search(text):
            yield el, text


def _describe(el: HtmlElement) -> str:
    parts = [el.tag if isinstance(el.tag, str) else ""]
    for attr in ("role", "class", "id", "aria-label", "itemprop", "data-component"):
        v = el.get(attr)
        if v:
            parts.append(f"{attr}={v}" if attr == "role" else v)
    return " ".join(parts)[:300].lower()   # patterns are lower-case: case-folding regexes are twice as slow


# one pass that tells whether *any* label pattern matches: most container descriptions ("div row col-8")
# match none, and then thirteen searches become one
_ANY_LABEL = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in _LABELS))


@lru_cache(maxsize=32768)
def _match(desc: str) -> str | None:
    """The first label (in priority order) whose pattern occurs in a container description. A pure function
    of the string, cached across pages: articles of one outlet repeat the same class names."""
    if not _ANY_LABEL.search(desc):
        return None
    return next((reason for reason, rx in _LABELS if rx.search(desc)), None)


class _Labeller:
    """Nearest labelled container of an element, with a per-element cache (pages share long ancestor chains)."""

    def __init__(self) -> None:
        self.cache: dict[HtmlElement, tuple[str, HtmlElement | None]] = {}

    def label(self, el: HtmlElement) -> tuple[str, HtmlElement | None]:
        chain: list[HtmlElement] = []
        node: HtmlElement | None = el
        found: tuple[str, HtmlElement | None] = (DEFAULT_REASON, None)
        # <body>/<html> classes describe the whole page ("has-sidebar", "wp-custom-logo"), not one block
        while node is not None and node.tag not in ("body", "html"):
            if node in self.cache:
                found = self.cache[node]
                break
            chain.append(node)
            hit = None
            if node.attrib or node.tag in _LABELLED_TAGS:
                hit = _match(_describe(node))
            if hit:
                found = (hit, node)
                break
            node = node.getparent()
        for n in chain:
            self.cache[n] = found
        return found


class _BodyIndex:
    """Is this page block in the kept body? Linear in page + body size: the body's word trigrams are hashed
    once into a set, and each block is tested by set look-ups of its own trigrams (spacing and punctuation
    differ between the page and the extractor's output, so words, not characters, are compared).

    * fewer than 4 words: kept only when it is a whole line of the body (a subheading) — "Home", "House" or
      "Opinion" occur inside any article, so their words appearing in a sentence means nothing;
    * 4-5 words: the word sequence must occur in the body (all its trigrams, in order);
    * 6 words or more: at least 70 % of its trigrams occur in the body.
    """

    def __init__(self, body: str) -> None:
        words = _WORD.findall(body.lower())
        self.flat = " " + " ".join(words) + " "
        self.trigrams = set(zip(words, words[1:], words[2:], strict=False))
        self.lines = {" ".join(_WORD.findall(line)) for line in body.lower().splitlines()}

    def kept(self, text: str) -> bool:
        words = _WORD.findall(text.lower())
        n = len(words)
        if n < 4:
            return " ".join(words) in self.lines
        hits = sum(map(self.trigrams.__contains__, zip(words, words[1:], words[2:], strict=False)))
        if n < 6:
            # all trigrams present is necessary; the sequence check on the body string settles the rest
            # (only for these few short blocks, so the scan stays cheap)
            return hits == n - 2 and f" {' '.join(words)} " in self.flat
        return hits >= 0.7 * (n - 2)


def removed_blocks(page: HtmlElement | list[tuple[HtmlElement, str]], body: str,
                   title: str | None = None) -> list[Removed]:
    """Dropped page text, grouped by container and labelled with why it is not article text.

    ``page`` is the parsed page or its ``iter_blocks`` list, read before anything trimmed the tree.
    """
    index = _BodyIndex(body)
    labeller = _Labeller()
    title_norm = _norm(title or "").lower()
    # runs of dropped blocks with the same reason, not interrupted by kept text, become one entry
    groups: list[tuple[str, list[str]]] = []
    interrupted = True
    blocks = page if isinstance(page, list) else iter_blocks(page)
    for el, text in blocks:
        if index.kept(text):
            interrupted = True
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if title_norm and tag in ("h1", "h2") and text.lower() == title_norm:
            reason = "headline (kept as the title, not body text)"
        else:
            reason = labeller.label(el)[0]
            if reason == DEFAULT_REASON and len(text) < 200 and _ANY_TEXT_LABEL.search(text):
                reason = next((r for r, rx in _TEXT_LABELS if rx.search(text)), reason)
        if not interrupted and groups and groups[-1][0] == reason:
            groups[-1][1].append(text)
        else:
            groups.append((reason, [text]))
        interrupted = False
    out: list[Removed] = []
    for reason, texts in groups[:MAX_BLOCKS]:
        joined = " | ".join(texts)
        if len(joined) > MAX_ENTRY_CHARS:
            joined = joined[: MAX_ENTRY_CHARS - 1] + "…"
        out.append(Removed(joined, reason))
    if len(groups) > MAX_BLOCKS:
        rest = groups[MAX_BLOCKS:]
        chars = sum(len(t) for g in rest for t in g[1])
        out.append(Removed("", f"{len(rest)} more removed blocks ({chars:,} characters) not listed: "
                               f"cap of {MAX_BLOCKS} entries per article"))
    return out
