"""Compact, read-only fact records for the corpus view.

The corpus stages hold every article's facts in memory at once, so what a fact costs decides how large a corpus fits
(84 KB per article as JSON-decoded dicts, 45 KB as the first compact rows, ~20 KB now; figures in docs/scaling.md).
Three things keep it small:

* **Only what a stage reads is held.** Each stage module declares the fact keys it reads in a module-level
  ``READS`` (kind of fact → keys), as spaCy components declare what they require; ``READ_KEYS``, per kind, is the
  union of those declarations (``stage_reads`` finds them), and ``compact_facts`` drops the rest (offsets of cues and speakers, article ids, mention spans, ...). Entity mention
  spans are only ever counted, so an entity holds ``mention_count`` instead; sentences are only searched for the
  one holding an offset, so they are a flat array of bounds; times without a resolved value are skipped by every
  reader, so they are not held.
* **One object per fact.** A ``FactRow`` is a tuple of values whose class (one per key layout) maps keys to
  positions; it reads as a ``Mapping`` (``row["x"]``, ``get``, ``in``, ``**``, ``dict(row)``) and cannot be changed.
  Values that are ``None``, ``True`` or ``False`` (most event dates, roles, ranges, flags) live in the class, not
  the row, so a key that is usually empty costs nothing per fact and still reads as present.
* **Repeated values are shared.** Short strings (predicates, names, speakers, units) and offsets recur across
  articles; a bounded table while loading makes equal values one object. Unlike ``sys.intern`` the table is dropped
  after loading, so unique strings cost nothing extra.
"""

from __future__ import annotations

import functools
import os
import pkgutil
import sys
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import fields
from importlib import import_module
from typing import Any

from ..model import Claim, Entity, Quantity, Quote, TimeRef

_SHARE_MAX = 40             # strings up to this length are shared (names, labels); long texts rarely repeat
_TABLE_MAX = 500_000        # entries in the sharing table before it starts afresh (bounds memory while loading)
_UNIQUE = frozenset({"id"})  # values never equal across facts: not worth a table entry


class FactRow(tuple, Mapping[str, Any]):
    """One fact as an immutable mapping. Subclasses (one per layout, see ``row_class``) set ``_keys`` (every key, in
    order), ``_index`` (key → position of its value in the tuple), ``_const`` (keys whose value is ``None``,
    ``True`` or ``False``: held once by the class, not in each row) and ``_kind`` (the kind of fact, for the
    strict check of what a stage reads; None for full rows). The tuple protocol is hidden behind the
    mapping's: iterating gives keys, ``in`` tests keys, equality is a mapping's, and rows are unhashable like dicts."""

    __slots__ = ()
    _keys: tuple[str, ...] = ()
    _index: dict[str, int] = {}
    _const: dict[str, Any] = {}
    _kind: str | None = None

    def __getitem__(self, key: str) -> Any:  # type: ignore[override]
        i = self._index.get(key)
        if i is not None:
            return tuple.__getitem__(self, i)
        try:
            return self._const[key]
        except KeyError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        return self._const.get(key, default) if i is None else tuple.__getitem__(self, i)

    def __contains__(self, key: object) -> bool:
        return key in self._index or key in self._const

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __eq__(self, other: object) -> bool:
        return Mapping.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        eq = Mapping.__eq__(self, other)
        return eq if eq is NotImplemented else not eq

    def __lt__(self, other: object) -> bool:
        return NotImplemented       # mappings have no order

    __le__ = __gt__ = __ge__ = __lt__
    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return fact_row, (dict(self),)

    def __repr__(self) -> str:
        return f"FactRow({dict(self)!r})"


_Layout = tuple[tuple[str, ...], tuple[tuple[str, Any], ...], str | None]
_LAYOUTS: dict[_Layout, type[FactRow]] = {}


def row_class(keys: tuple[str, ...], const: tuple[tuple[str, Any], ...] = (), kind: str | None = None) -> type[FactRow]:
    """The ``FactRow`` class for one layout: ``keys`` in order, of which those in ``const`` have that fixed value and
    the rest are stored in the row, in order (created once, shared by every row of the layout and kind)."""
    cls = _LAYOUTS.get((keys, const, kind))
    if cls is None:
        fixed = dict(const)
        stored = [k for k in keys if k not in fixed]
        cls = type("FactRow", (FactRow,), {"__slots__": (), "_keys": keys, "_const": fixed, "_kind": kind,
                                           "_index": {k: i for i, k in enumerate(stored)}})
        cls = _LAYOUTS.setdefault((keys, const, kind), cls)
    return cls


class Sharer:
    """Makes equal short strings and ints one object while a view loads. ``bool``/``float`` are kept out of the int
    table (``True == 1 == 1.0`` as dict keys, but not in JSON). When full it starts afresh rather than growing:
    frequent values come straight back, so sharing stays nearly as good at bounded memory."""

    __slots__ = ("strings", "ints")

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.ints: dict[int, int] = {}

    def value(self, v: Any) -> Any:
        t = type(v)
        if t is str:
            if len(v) > _SHARE_MAX:
                return v
            table: dict[Any, Any] = self.strings
        elif t is int:
            if -5 <= v <= 256:
                return v            # CPython's own small ints
            table = self.ints
        elif t is list:
            # alias lists: tuples are smaller and read the same way; nested lists (spans) as tuples too
            return tuple(tuple(x) if type(x) is list else self.value(x) for x in v)
        else:
            return v
        got = table.get(v)
        if got is None:
            if len(table) >= _TABLE_MAX:
                table.clear()
            table[v] = got = v
        return got


def _constant(v: Any) -> bool:
    return v is None or v is True or v is False


def fact_row(d: Mapping[str, Any], keys: tuple[str, ...] | None = None, sharer: Sharer | None = None,
             kind: str | None = None) -> FactRow:
    """The compact form of one fact dict: all its keys, or those of ``keys`` it has (in that order); ``kind`` (of
    fact) for the strict check of reads."""
    sh = sharer or Sharer()
    # ``keys`` itself when the fact has them all (the usual case): no layout tuple made per fact
    layout = tuple(d) if keys is None else keys if all(k in d for k in keys) else tuple(k for k in keys if k in d)
    items = [(k, d[k]) for k in layout]
    const = tuple((k, v) for k, v in items if _constant(v))
    return row_class(layout, const, kind)([v if k in _UNIQUE else sh.value(v) for k, v in items if not _constant(v)])


def sentence_bounds(sentences: list[dict[str, Any]]) -> array:
    """Sentence spans as one flat array ``[start0, end0, start1, end1, ...]``: 4 bytes an offset instead of a dict
    per sentence (offsets are into text capped far below 2**31 characters)."""
    return array("i", [x for s in sentences for x in (s["start"], s["end"])])


def sentence_at(bounds: array, pos: int) -> tuple[int, int] | None:
    """The first sentence (start, end) with start <= pos < end, as the list of sentence dicts would give it."""
    for i in range(0, len(bounds) - 1, 2):
        if bounds[i] <= pos < bounds[i + 1]:
            return bounds[i], bounds[i + 1]
    return None


def _entity(e: Mapping[str, Any]) -> Mapping[str, Any]:
    if "mentions" not in e:
        return e
    return {**e, "mention_count": len(e["mentions"])}


def compact_facts(facts: dict[str, Any], sharer: Sharer | None = None) -> dict[str, Any]:
    """An article's facts as the corpus view holds them: each declared kind (``read_keys()``) as a tuple of ``FactRow``s
    with only the keys read, ``sentences`` as ``sentence_bounds``; other lists as tuples of full rows, other values
    unchanged. Rows without an id that come out equal (quotes by one speaker) are one object."""
    sh = sharer or Sharer()
    out: dict[str, Any] = {}
    for kind, items in facts.items():
        if type(items) is not list:
            out[kind] = items
        elif kind == "sentences":
            out[kind] = sentence_bounds(items)
        else:
            keys = read_keys().get(kind)
            if kind == "times":
                items = [t for t in items if t.get("value")]     # every reader skips unresolved times
            elif kind == "entities":
                items = [_entity(e) for e in items]
            rows = [fact_row(x, keys, sh, kind if keys is not None else None) if isinstance(x, Mapping) else x for x in items]
            if keys is not None and "id" not in keys:
                same: dict[tuple[Any, ...], FactRow] = {}
                rows = [same.setdefault((type(r), *tuple.__getitem__(r, slice(None))), r) if isinstance(r, FactRow)
                        else r for r in rows]
            out[kind] = tuple(rows)
    return out


# What the stages read. A stage module (any module of this package but this one) declares the fact keys it reads in a
# module-level ``READS = {"claims": ("start", "end"), ...}``; the view keeps the union and nothing else. Stages are
# found by walking the package, so a new stage is counted when it declares, with no list to keep here.
_PACKAGE = __name__.rpartition(".")[0]        # storyline.xdoc
_FIELD_ORDER: dict[str, tuple[str, ...]] = {kind: tuple(f.name for f in fields(cls)) for kind, cls in (
    ("claims", Claim), ("entities", Entity), ("quantities", Quantity), ("quotes", Quote), ("times", TimeRef))}


@functools.cache
def stage_reads() -> dict[str, dict[str, tuple[str, ...]]]:
    """Each stage module's ``READS`` by module name (modules that read no facts declare none)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for info in sorted(pkgutil.walk_packages(sys.modules[_PACKAGE].__path__, _PACKAGE + "."), key=lambda i: i.name):
        if info.name != __name__:
            reads = getattr(import_module(info.name), "READS", None)
            if reads is not None:
                out[info.name] = reads
    return out


@functools.cache
def read_keys() -> dict[str, tuple[str, ...]]:
    """Per kind of fact, the keys some stage reads: the union of the ``READS`` declarations, in the fields' order
    (``model``; derived keys such as an entity's ``mention_count`` after them, sorted)."""
    wanted: dict[str, set[str]] = {}
    for reads in stage_reads().values():
        for kind, keys in reads.items():
            wanted.setdefault(kind, set()).update(keys)
    order = {kind: {k: i for i, k in enumerate(names)} for kind, names in _FIELD_ORDER.items()}
    return {kind: tuple(sorted(keys, key=lambda k: (order.get(kind, {}).get(k, len(keys) + 99), k)))
            for kind, keys in sorted(wanted.items())}


def __getattr__(name: str) -> Any:
    # ``READ_KEYS`` is derived on first use: the stages import this module, so it cannot import them while loading
    if name == "READ_KEYS":
        return read_keys()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class UndeclaredRead(AssertionError):
    """A stage read a fact key that its ``READS`` does not declare (raised in strict mode only). An AssertionError,
    so that no ``except KeyError``/``except Exception`` fallback of the stage reads it as a missing value."""


UNDECLARED: list[str] = []      # every undeclared read seen in strict mode, for a test to check after the fact


def _check(row: FactRow, key: object) -> None:
    kind = row._kind
    if kind is None:
        return
    reader = sys._getframe(2).f_globals.get("__name__", "")
    if reader == __name__ or not reader.startswith("storyline."):
        return      # this module (pickling, equality) and code outside the package (tests, the Mapping mixins)
    if reader.startswith(_PACKAGE + "."):
        declared = stage_reads().get(reader, {}).get(kind, ())
        msg = f"{reader} reads {kind}[{key!r}] but does not declare it: add it to READS in {reader}"
    else:
        declared = read_keys().get(kind, ())
        msg = f"{reader} reads {kind}[{key!r}], which no corpus stage declares in its READS"
    if key not in declared:
        UNDECLARED.append(msg)
        raise UndeclaredRead(msg)


_PLAIN = (FactRow.__getitem__, FactRow.get, FactRow.__contains__)


def _strict_getitem(self: FactRow, key: str) -> Any:
    _check(self, key)
    return _PLAIN[0](self, key)


def _strict_get(self: FactRow, key: str, default: Any = None) -> Any:
    _check(self, key)
    return _PLAIN[1](self, key, default)


def _strict_contains(self: FactRow, key: object) -> bool:
    _check(self, key)
    return _PLAIN[2](self, key)


def strict_reads(on: bool = True) -> None:
    """Strict mode (the test suite's, or ``STORYLINE_STRICT_READS=1``): a stage module reading a fact key (``[]``,
    ``get``, ``in``) that its ``READS`` does not declare raises ``UndeclaredRead``, where the plain rows would give
    None or False and the stage would quietly read nothing in production. Code outside the stages may read any key
    some stage declares; tests may read anything. Off by default: the check looks at the caller's frame on every read."""
    methods = (_strict_getitem, _strict_get, _strict_contains) if on else _PLAIN
    FactRow.__getitem__, FactRow.get, FactRow.__contains__ = methods  # type: ignore[method-assign]


if os.environ.get("STORYLINE_STRICT_READS") == "1":
    strict_reads()
