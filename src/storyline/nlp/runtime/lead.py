"""An article's lead, the text its story embedding is computed from, and the key a stored vector is filed under.

One definition for the per-article workers (``nlp.pipeline.lead_vectors``, which embed the leads ahead of the
corpus stages) and the corpus view (``xdoc.view``, which checks a stored vector against its own lead's hash).
"""

from __future__ import annotations

import hashlib

LEAD_CHARS = 700


def title_and_lead(title: str | None, text: str | None) -> tuple[str, str]:
    """The article's display title (its own, else its first line) and its lead: title + the start of the body.
    One definition, used by the corpus view and by the workers that embed the lead ahead of the corpus stages.
    An untitled article's lead is the start of its text alone: its "title" is that text's own first line, and
    repeating it would weigh the first line twice and cost the embedder a fifth more tokens."""
    text, title = text or "", title or ""
    shown = title.strip()
    if not shown:
        return text.strip().split("\n", 1)[0][:160], text.strip()[:LEAD_CHARS]
    body = text[len(title):] if text.startswith(title) else text
    return shown, (shown + ". " + body.strip()[:LEAD_CHARS]).strip()


def text_hash(text: str) -> str:
    """Key of a precomputed vector: which exact text it encodes."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
