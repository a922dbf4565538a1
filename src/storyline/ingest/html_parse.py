"""Moved to :mod:`storyline.meta.html_parse`: the date finder in ``meta`` parses HTML too, and ``meta`` sits below
``ingest`` in the layer rule (docs/architecture.md). Kept only for callers outside ``src/`` (benchmarks)."""

from ..meta.html_parse import PARSER_DEPTH_LIMIT, ParsedHtml, flatten_deep_markup, parse_html, strip_inert

__all__ = ["PARSER_DEPTH_LIMIT", "ParsedHtml", "flatten_deep_markup", "parse_html", "strip_inert"]
