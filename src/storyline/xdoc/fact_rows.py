"""Compact, read-only fact records for the corpus view.

The corpus stages hold every article's facts in memory at once. As JSON-decoded dicts they cost ~84 KB per article
(a 15-key dict is ~650 bytes before its values), which put a 100k-article corpus near 8 GB. A ``FactRow`` keeps the
values in a tuple and shares one key index per field layout, and short repeated strings (ids, modalities, entity
types) are interned. It is a read-only ``Mapping``: the corpus stages read facts with ``[]``, ``get``, ``in`` and
``**`` and never change them; a ``dict(row)`` gives a plain dict where one is needed (JSON output).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from typing import Any

_LAYOUTS: dict[tuple[str, ...], dict[str, int]] = {}
_INTERN_MAX = 40            # ids, labels, names; long texts are unique anyway


class FactRow(Mapping[str, Any]):
    """One fact (claim, quote, entity, quantity, time, sentence) as an immutable mapping."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple[Any, ...]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        return default if i is None else self._values[i]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"FactRow({dict(self)!r})"


def _compact(value: Any) -> Any:
    if type(value) is str:
        return sys.intern(value) if len(value) <= _INTERN_MAX else value
    if type(value) is list:
        # [[start, end], ...] mention spans and alias lists: tuples are a third smaller and read the same way
        return tuple(tuple(v) if type(v) is list else _compact(v) for v in value)
    return value


def fact_row(d: dict[str, Any]) -> FactRow:
    """The compact form of one JSON-decoded fact dict."""
    keys = tuple(d)
    index = _LAYOUTS.get(keys)
    if index is None:
        index = _LAYOUTS.setdefault(keys, {k: i for i, k in enumerate(keys)})
    return FactRow(index, tuple(_compact(v) for v in d.values()))


def compact_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Every list of fact dicts in an article's facts as ``FactRow``s; other values unchanged."""
    return {k: ([fact_row(x) if type(x) is dict else x for x in v] if type(v) is list else v) for k, v in facts.items()}
