"""Safe HTML parsing shared by body extraction and date finding (private helper).

Hostile or broken pages must never crash a run or make it lose the page silently:

* libxml2 stops building the tree at nesting depth 256 (``Excessive depth in document``) unless
  ``huge_tree`` is set, and then everything below that point is lost, so a page with 50,000 nested ``<div>``s
  parses to an empty tree. Python code walking trees recursively (trafilatura, our own helpers) also dislikes
  very deep trees. We therefore *flatten* over-deep markup before parsing: tags opened deeper than the cap are
  dropped (their text is kept), which keeps every word of the page while bounding the depth.
* Huge pages are cut at ``max_chars`` (the caller records that it happened).
* An XML declaration with an encoding makes lxml refuse a ``str``; it is stripped.

We never hand a bare string to htmldate's or trafilatura's loaders: htmldate *downloads* a string that looks like
a URL, which must not happen for a document's content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

# libxml2's own limit without XML_PARSE_HUGE is 256 open elements; stay under it with a margin for the
# implicit html/body wrappers the parser adds.
PARSER_DEPTH_LIMIT = 250

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Tags, comments, doctype. Attribute values may contain ">" inside quotes, hence the alternation.
_TAG = re.compile(r"""<!--.*?-->|<![^>]*>|<(/?)([A-Za-z][A-Za-z0-9:_-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr", "basefont", "frame", "isindex"]
)
_RAW_TEXT = frozenset(("script", "style", "textarea", "title", "xmp", "noscript", "template"))
# Elements whose end tag is optional: a new one of the same kind closes the previous (as libxml2 does).
_SELF_CLOSING_SIBLINGS = frozenset(("p", "li", "dt", "dd", "option", "tr", "td", "th"))
_BLOCKS_CLOSING_P = frozenset(
    ["address", "article", "aside", "blockquote", "div", "dl", "fieldset", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul", "figure"]
)


@dataclass(slots=True)
class ParsedHtml:
    tree: HtmlElement
    notes: list[str] = field(default_factory=list)   # what was done to make the page parseable


def _max_depth(tree: HtmlElement) -> int:
    """Depth of the deepest element, iteratively (no recursion on hostile trees)."""
    deepest = 0
    stack: list[tuple[HtmlElement, int]] = [(tree, 1)]
    while stack:
        el, d = stack.pop()
        if d > deepest:
            deepest = d
        stack.extend((child, d + 1) for child in el)
    return deepest


def flatten_deep_markup(html: str, max_depth: int) -> tuple[str, int]:
    """Drop start/end tags that would open elements deeper than ``max_depth``; keep all text.

    A streaming pass over the tags with a stack of open element names (implicit closes of ``<p>``/``<li>``
    etc. approximated as libxml2 does them). Returns the new markup and how many tags were dropped.
    """
    out: list[str] = []
    stack: list[str] = []
    dropped_open: dict[str, int] = {}
    dropped = 0
    pos = 0
    raw_until: str | None = None
    for m in _TAG.finditer(html):
        closing, name = m.group(1), m.group(2)
        if raw_until is not None:
            # inside <script>/<style>...: only its own end tag counts
            if closing and name and name.lower() == raw_until:
                raw_until = None
                if stack and stack[-1] == name.lower():
                    stack.pop()
            continue
        if not name:   # comment or doctype
            continue
        name = name.lower()
        if not closing:
            if name in _VOID or m.group(3).rstrip().endswith("/"):
                continue
            if stack and ((name in _SELF_CLOSING_SIBLINGS and stack[-1] == name)
                          or (name in _BLOCKS_CLOSING_P and stack[-1] == "p")):
                stack.pop()
            if len(stack) >= max_depth:
                out.append(html[pos:m.start()])
                out.append(" ")
                pos = m.end()
                dropped_open[name] = dropped_open.get(name, 0) + 1
                dropped += 1
                continue
            stack.append(name)
            if name in _RAW_TEXT:
                raw_until = name
        else:
            if dropped_open.get(name):
                dropped_open[name] -= 1
                out.append(html[pos:m.start()])
                out.append(" ")
                pos = m.end()
                dropped += 1
                continue
            if name in stack:
                while stack and stack.pop() != name:
                    pass
    if not dropped:
        return html, 0
    out.append(html[pos:])
    return "".join(out), dropped


# lxml.html picks each element's Python class (FormElement, InputElement...) with a Python callback that runs
# every time lxml hands out an element proxy — and trafilatura's XPaths with ``re:test`` hand out one per tested
# attribute, thousands per page. Nobody downstream (trafilatura, htmldate, us) uses those form classes, so
# every element is a plain ``HtmlElement`` chosen by lxml's C-level default lookup: the same trees and the
# same extraction results, about 7 % less time in trafilatura.
_FAST_LOOKUP = etree.ElementDefaultClassLookup(element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
                                               entity=HtmlEntity)


def _parse(html: str) -> tuple[HtmlElement | None, bool]:
    """Parse; report whether libxml2 hit its depth limit (the tree is then incomplete)."""
    parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(_FAST_LOOKUP)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (ParserError, ValueError, TypeError):
        return None, False
    too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message for e in parser.error_log)
    return tree, too_deep


def parse_html(html: str, max_depth: int = PARSER_DEPTH_LIMIT, max_chars: int | None = None) -> ParsedHtml | None:
    """Parse possibly hostile HTML into an lxml tree; None when there is no markup tree to be had."""
    notes: list[str] = []
    if max_chars is not None and len(html) > max_chars:
        notes.append(f"page cut at {max_chars:,} of {len(html):,} characters")
        html = html[:max_chars]
    html = _XML_DECL.sub("", html, count=1).replace("\x00", "")
    if not html.strip():
        return None
    depth = max(8, min(max_depth, PARSER_DEPTH_LIMIT))
    tree, too_deep = _parse(html)
    if too_deep or (tree is not None and depth < PARSER_DEPTH_LIMIT and _max_depth(tree) > depth):
        html, n = flatten_deep_markup(html, depth)
        notes.append(f"markup nested deeper than {depth} levels: {n:,} tags flattened, their text kept")
        tree, too_deep = _parse(html)
        if too_deep:   # the flattening heuristics missed something: fall back to text only
            tree = None
    if tree is None:
        return None
    return ParsedHtml(tree=tree, notes=notes)


# Elements that carry no article text and that every trafilatura stage throws away first (its tree cleaning,
# readability's and justext's own cleaning): deleting them once, after metadata and dates have been read,
# spares trafilatura copying and scanning them several times per page (its cascade deep-copies the tree three
# or four times and measures ``text_content()`` of large subtrees, inline script text included).
# JSON-LD scripts are kept: trafilatura's baseline reads ``articleBody`` and its forum test reads ``@type``.
_INERT_TAGS = ("script", "style", "link", "meta")


def strip_inert(tree: HtmlElement) -> int:
    """Delete ``<script>`` (except JSON-LD), ``<style>``, ``<link>`` and ``<meta>`` in place, keeping tail text.

    Returns how many elements were removed.
    """
    doomed = [el for el in tree.iter(*_INERT_TAGS)
              if el.tag != "script" or (el.get("type") or "").strip().lower() != "application/ld+json"]
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)
    return len(doomed)
