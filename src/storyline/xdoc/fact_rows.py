"""Compact, read-only fact records for the corpus view.

The corpus stages hold every article's facts in memory at once, so what a fact costs decides how large a corpus fits
(84 KB per article as JSON-decoded dicts, 45 KB as the first compact rows, ~20 KB now; figures in docs/scaling.md).
Three things keep it small:

* **Only what a stage reads is held.** ``READ_KEYS`` lists, per kind of fact, the keys some corpus stage reads;
  ``compact_facts`` drops the rest (offsets of cues and speakers, article ids, mention spans, ...). Entity mention
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

from array import array
from collections.abc import Iterator, Mapping
from typing import Any

# Per kind of fact, the keys the corpus stages (xdoc/*.py) read; add a key here when a stage starts reading it.
#   claims: align (frame, mentions, refs), relations (spans covering quantities), timeline (dates, summaries),
#           entities (subject/speaker as actors), sources (speaker)
#   entities: entities (canonicalisation: name, type, aliases, role, mention counts), stories (ids, mention counts)
#   quantities: relations (numeric conflicts); quotes: entities (speakers as actors); times: timeline, stories
READ_KEYS: dict[str, tuple[str, ...]] = {
    "claims": ("id", "start", "end", "text", "subject", "predicate", "object", "polarity", "modality", "speaker",
               "event_date", "event_date_precision", "time_basis"),
    "entities": ("id", "name", "type", "aliases", "role", "mention_count"),
    "quantities": ("id", "start", "end", "text", "value", "low", "high", "approximate", "counted", "location", "unit",
                   "as_of"),
    "quotes": ("speaker",),
    "times": ("start", "value", "precision", "type", "historic", "interval"),
}
_SHARE_MAX = 40             # strings up to this length are shared (names, labels); long texts rarely repeat
_TABLE_MAX = 500_000        # entries in the sharing table before it starts afresh (bounds memory while loading)
_UNIQUE = frozenset({"id"})  # values never equal across facts: not worth a table entry


class FactRow(tuple, Mapping[str, Any]):
    """One fact as an immutable mapping. Subclasses (one per layout, see ``row_class``) set ``_keys`` (every key, in
    order), ``_index`` (key → position of its value in the tuple) and ``_const`` (keys whose value is ``None``,
    ``True`` or ``False``: held once by the class, not in each row). The tuple protocol is hidden behind the
    mapping's: iterating gives keys, ``in`` tests keys, equality is a mapping's, and rows are unhashable like dicts."""

    __slots__ = ()
    _keys: tuple[str, ...] = ()
    _index: dict[str, int] = {}
    _const: dict[str, Any] = {}

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


_Layout = tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]
_LAYOUTS: dict[_Layout, type[FactRow]] = {}


def row_class(keys: tuple[str, ...], const: tuple[tuple[str, Any], ...] = ()) -> type[FactRow]:
    """The ``FactRow`` class for one layout: ``keys`` in order, of which those in ``const`` have that fixed value and
    the rest are stored in the row, in order (created once, shared by every row of the layout)."""
    cls = _LAYOUTS.get((keys, const))
    if cls is None:
        fixed = dict(const)
        stored = [k for k in keys if k not in fixed]
        cls = type("FactRow", (FactRow,), {"__slots__": (), "_keys": keys, "_const": fixed,
                                           "_index": {k: i for i, k in enumerate(stored)}})
        cls = _LAYOUTS.setdefault((keys, const), cls)
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


def fact_row(d: Mapping[str, Any], keys: tuple[str, ...] | None = None, sharer: Sharer | None = None) -> FactRow:
    """The compact form of one fact dict: all its keys, or those of ``keys`` it has (in that order)."""
    sh = sharer or Sharer()
    # ``keys`` itself when the fact has them all (the usual case): no layout tuple made per fact
    layout = tuple(d) if keys is None else keys if all(k in d for k in keys) else tuple(k for k in keys if k in d)
    items = [(k, d[k]) for k in layout]
    const = tuple((k, v) for k, v in items if _constant(v))
    return row_class(layout, const)([v if k in _UNIQUE else sh.value(v) for k, v in items if not _constant(v)])


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
    """An article's facts as the corpus view holds them: each known kind (``READ_KEYS``) as a tuple of ``FactRow``s
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
            keys = READ_KEYS.get(kind)
            if kind == "times":
                items = [t for t in items if t.get("value")]     # every reader skips unresolved times
            elif kind == "entities":
                items = [_entity(e) for e in items]
            rows = [fact_row(x, keys, sh) if isinstance(x, Mapping) else x for x in items]
            if keys is not None and "id" not in keys:
                same: dict[tuple[Any, ...], FactRow] = {}
                rows = [same.setdefault((type(r), *tuple.__getitem__(r, slice(None))), r) if isinstance(r, FactRow)
                        else r for r in rows]
            out[kind] = tuple(rows)
    return out
