"""Page rendering for the web app: one Jinja2 environment (autoescape on), pagination links, article markup.

Nothing here marks text safe except the two helpers that first escape it and then add only their own tags.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..report.charts import fmt_number, shape_points
from ..report.html import date_label, outlet_of
from ..store.queries import MARK_CLOSE, MARK_OPEN


def highlight(snippet: str | None) -> Markup:
    """An FTS snippet → HTML: the text is escaped, then the private-use markers become balanced <mark> tags."""
    out, open_ = [], False
    for ch in str(escape(snippet or "")):
        if ch == MARK_OPEN and not open_:
            out.append("<mark>")
            open_ = True
        elif ch == MARK_CLOSE and open_:
            out.append("</mark>")
            open_ = False
        elif ch not in (MARK_OPEN, MARK_CLOSE):
            out.append(ch)
    if open_:
        out.append("</mark>")
    return Markup("".join(out))


def url(path: str, **params: Any) -> str:
    """A same-site link with its query string encoded (never user text spliced into a URL by hand)."""
    clean = {k: v for k, v in params.items() if v is not None and v != "" and not (k == "offset" and v == 0)}
    return path + ("?" + urlencode(clean) if clean else "")


class Views:
    def __init__(self) -> None:
        self.env = Environment(
            loader=ChoiceLoader([PackageLoader("storyline.web", "templates"), PackageLoader("storyline.report", "templates")]),
            autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(highlight=highlight, num=fmt_number, outlet=outlet_of,
                                date_label=lambda a: date_label(a)[0], basis=lambda a: date_label(a)[1])
        self.env.globals.update(url=url, shape_points=shape_points)

    def render(self, name: str, **ctx: Any) -> str:
        return self.env.get_template(name).render(**ctx)

    @staticmethod
    def pager(path: str, params: dict[str, Any], limit: int, offset: int, total: int | None,
              has_next: bool | None = None, shown: int | None = None) -> dict[str, Any]:
        """Previous/next links; ``total`` when known (counted lists), else ``has_next`` and ``shown`` (search)."""
        nxt = has_next if has_next is not None else total is not None and offset + limit < total
        last = min(offset + limit, total) if total is not None else offset + (shown if shown is not None else limit)
        return {"first": min(offset + 1, last), "last": last, "total": total,
                "prev": url(path, **params, limit=limit, offset=max(offset - limit, 0)) if offset > 0 else None,
                "next": url(path, **params, limit=limit, offset=offset + limit) if nxt else None}

    @staticmethod
    def article_view(d: dict[str, Any]) -> dict[str, Any]:
        """The article text cut into plain / quote / claim segments (non-overlapping, earliest span wins)."""
        text = d.get("text") or ""
        spans = [(q["start"], q["end"], "quote", f"quote — {q.get('speaker') or 'unattributed'}") for q in d.get("quotes", [])]
        spans += [(c["start"], c["end"], "claim", f"claim: {c.get('subject') or ''} {c.get('predicate') or ''} "
                   f"{c.get('object') or ''} ({c.get('modality') or ''}{'' if c.get('polarity', True) else ', negated'})")
                  for c in d.get("claims", [])]
        segments, pos = [], 0
        for start, end, kind, title in sorted((s for s in spans if isinstance(s[0], int) and isinstance(s[1], int)),
                                              key=lambda s: (s[0], -s[1]))[:2000]:
            if start < pos or end <= start or end > len(text):
                continue
            if start > pos:
                segments.append({"text": text[pos:start], "kind": None})
            segments.append({"text": text[start:end], "kind": kind, "title": title})
            pos = end
        if pos < len(text):
            segments.append({"text": text[pos:], "kind": None})
        label, basis = date_label(d)
        return {"segments": segments, "date": label, "basis": basis}
