"""Exact, cheaper stand-ins for two of spaCy's Python pipeline components: the attribute ruler and the lemmatizer.

Why: in ``en_core_web_sm`` these two are a quarter of the parse (400 FNC-1 bodies, one process: attribute ruler 3.5 s,
lemmatizer 1.8 s, beside tok2vec 3.2, parser 2.8 and NER 8.8 s), because both walk every token in Python: the ruler
runs a ``Matcher`` of 179 patterns over each doc and builds a ``Span`` per match (nearly every token matches its
tag's pattern), and the lemmatizer calls ``rule_lemmatize`` per token, whose base-form shortcut (every singular noun,
every base verb) is recomputed each time because only the full rule path is cached.

Both components compute, token by token, a function of a few attributes of that token alone, so each result can be
kept per distinct key and written back for a whole doc at once:
* attribute ruler: the single-token patterns read only ``TAG``, ``LOWER``, ``DEP`` and ``IS_SPACE``; the attributes a
  token ends with are the ruler's writes of every pattern it matches, applied in pattern order (the ruler sorts its
  matches by pattern number, so a later pattern wins). The few multi-token patterns ("gon na", "there is": fixed
  sequences of such tests, no operators) are tried only where their first token's test passes, and merged in the same
  order. (A ``Matcher`` of just those 8 patterns still cost 4 of every 5 seconds: it builds Token objects per token.)
* lemmatizer (rule mode, no overwrite): a lemma is a function of the token's ``ORTH``, ``POS`` and ``MORPH`` (spaCy's
  own cache key); tokens that already carry a lemma (set by the ruler) are left alone, as spaCy does.

The components keep their class's other behaviour (config, serialisation, ``initialize``); only ``__call__`` changes.
Anything these stand-ins do not understand (another predicate, attribute or lemmatizer mode) leaves spaCy's own
component in place. Parses are compared attribute by attribute with spaCy's components in
``tests/nlp/test_fast_components.py`` and on whole corpora (docs/scaling.md, issue 17, session 9).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc

_READ = ("TAG", "LOWER", "DEP", "IS_SPACE")            # token attributes a single-token pattern may test
_WRITE = ("POS", "MORPH", "LEMMA", "TAG", "DEP")       # attributes the ruler may set (token-level, not lexical)
Check = Callable[[tuple[str, str, str, bool]], bool]
Key = tuple[int, int, int, int]                                           # the _READ attributes' ids
Found = tuple[tuple[int, ...], tuple[tuple[int, int], ...], tuple[int, ...]]


def _as_text(key: Key, strings: Any) -> tuple[str, str, str, bool]:
    return strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3])
# Per-key results kept per process; the distinct keys grow with the vocabulary (~30k per 400 news bodies), so a long
# run starts the cache afresh past this size (~25 MB) rather than holding one entry per word form it ever saw.
CACHE_LIMIT = 200_000


def _predicate(position: int, spec: Any) -> Check | None:
    """One pattern key's test on a token's (tag, lower, dep, is_space) strings, as spaCy's Matcher tests it."""
    if isinstance(spec, bool):
        return lambda key: key[position] == spec
    if isinstance(spec, str):
        return lambda key: key[position] == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, value), = spec.items()
        if op in ("IN", "NOT_IN") and isinstance(value, list) and all(isinstance(v, str) for v in value):
            members = frozenset(value)
            if op == "IN":
                return lambda key: key[position] in members
            return lambda key: key[position] not in members
        if op == "REGEX" and isinstance(value, str) and position != 3:
            pattern = re.compile(value)
            return lambda key: pattern.search(str(key[position])) is not None
    return None


def _single_token_test(token_pattern: dict[str, Any]) -> tuple[Check, str | None, str | None] | None:
    """The pattern's test, and the tag and lowercase form it requires literally (None: any), to index it by."""
    checks: list[Check] = []
    for name, spec in token_pattern.items():
        if name not in _READ:
            return None
        check = _predicate(_READ.index(name), spec)
        if check is None:
            return None
        checks.append(check)
    tag, lower = token_pattern.get("TAG"), token_pattern.get("LOWER")
    return (lambda key: all(check(key) for check in checks),
            tag if isinstance(tag, str) else None, lower if isinstance(lower, str) else None)


class _RulerPlan:
    """The ruler's patterns as per-key tests: single-token ones indexed, multi-token ones as sequences of tests."""

    def __init__(self, ruler: Any) -> None:
        ids = importlib.import_module("spacy.attrs").IDS     # a compiled module without type stubs

        self.ok = False
        self.columns = [ids[name] for name in _WRITE]
        # tests indexed by the lowercase form they require, else by the tag they require, else kept for every key
        self.by_lower: dict[str, list[tuple[int, Check]]] = {}
        self.by_tag: dict[str, list[tuple[int, Check]]] = {}
        self.general: list[tuple[int, Check]] = []
        # multi-token patterns ("gon na", "there is"): a test per token, tried where their first token's test passes
        self.sequences: list[tuple[int, list[Check]]] = []
        self.writes: list[list[tuple[int, int]]] = []
        for pattern_id, entry in enumerate(ruler.patterns):
            writes = []
            for attr, value in ruler.attrs[pattern_id].items():
                if attr not in self.columns:
                    return
                writes.append((self.columns.index(attr), int(value)))
            self.writes.append(writes)
            alternatives = entry["patterns"]
            if all(len(alt) == 1 for alt in alternatives):
                if ruler.indices[pattern_id] not in (0, -1):
                    return                             # spaCy raises on such a pattern: keep its behaviour
                tests = [_single_token_test(alt[0]) for alt in alternatives]
                if any(test is None for test in tests):
                    return
                for found in tests:
                    assert found is not None
                    test, tag, lower = found
                    if lower is not None:
                        self.by_lower.setdefault(lower, []).append((pattern_id, test))
                    elif tag is not None:
                        self.by_tag.setdefault(tag, []).append((pattern_id, test))
                    else:
                        self.general.append((pattern_id, test))
            else:
                for alt in alternatives:
                    steps = [_single_token_test(token) for token in alt]
                    if any(step is None for step in steps) or not -len(alt) <= ruler.indices[pattern_id] < len(alt):
                        return
                    self.sequences.append((pattern_id, [step[0] for step in steps if step is not None]))
        self.indices = list(ruler.indices)
        # per key: the single-token patterns it matches, the writes they leave (the last one per column wins) and the
        # multi-token patterns whose first token it passes
        self.matched: dict[Key, Found] = {}
        self.ok = True

    def merged(self, pattern_ids: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        final: dict[int, int] = {}
        for pattern_id in pattern_ids:
            for column, value in self.writes[pattern_id]:
                final[column] = value
        return tuple(final.items())

    def single_matches(self, key: Key, strings: Any) -> Found:
        found = self.matched.get(key)
        if found is None:
            as_text = _as_text(key, strings)
            candidates = self.by_lower.get(as_text[1], []) + self.by_tag.get(as_text[0], []) + self.general
            ids = tuple(sorted({pid for pid, test in candidates if test(as_text)}))
            starts = tuple(n for n, (_pid, steps) in enumerate(self.sequences) if steps[0](as_text))
            if len(self.matched) >= CACHE_LIMIT:
                self.matched.clear()
            found = self.matched[key] = (ids, self.merged(ids), starts)
        return found

    def sequence_matches(self, keys: list[Key], strings: Any) -> dict[int, list[int]]:
        """Token position → the multi-token patterns that write to it, where their whole sequence matches."""
        extra: dict[int, list[int]] = {}
        for i, key in enumerate(keys):
            for n in self.single_matches(key, strings)[2]:
                pattern_id, steps = self.sequences[n]
                if i + len(steps) <= len(keys) and all(step(_as_text(keys[i + k], strings))
                                                       for k, step in enumerate(steps[1:], 1)):
                    index = self.indices[pattern_id]
                    extra.setdefault(i + index if index >= 0 else i + len(steps) + index, []).append(pattern_id)
        return extra


class FastAttributeRuler:
    """Mixed in before spaCy's ``AttributeRuler``: same writes, one pass of look-ups per doc."""

    def __call__(self, doc: Doc) -> Doc:
        plan: _RulerPlan = self.__dict__["_storyline_plan"]
        strings = doc.vocab.strings
        keys: list[Key] = [tuple(key) for key in doc.to_array(list(_READ)).tolist()]
        rows = doc.to_array(plan.columns).tolist()
        known = plan.matched.get
        multi = False
        for i, key in enumerate(keys):
            found = known(key) or plan.single_matches(key, strings)
            multi = multi or bool(found[2])
            if found[1]:
                row = rows[i]
                for column, value in found[1]:
                    row[column] = value
        if multi:
            # spaCy applies every match in pattern order: a token a multi-token pattern writes to gets all its
            # patterns' writes again, merged in that order (they cover every column the single ones wrote)
            for i, extra in plan.sequence_matches(keys, strings).items():
                row = rows[i]
                for column, value in plan.merged(tuple(sorted(plan.single_matches(keys[i], strings)[0] + tuple(extra)))):
                    row[column] = value
        if rows:
            doc.from_array(plan.columns, cast(Any, numpy.array(rows, dtype=numpy.uint64)))
        return doc


class FastLemmatizer:
    """Mixed in before spaCy's rule ``Lemmatizer``: one lemma per distinct (orth, pos, morph), written per doc."""

    def __call__(self, doc: Doc) -> Doc:
        from spacy.errors import Errors

        if not self._validated:                                   # type: ignore[attr-defined]
            self._validate_tables(Errors.E1004)                    # type: ignore[attr-defined]
        lemmas: dict[tuple[int, int, int], int] = self.__dict__["_storyline_lemmas"]
        strings = doc.vocab.strings
        out = []
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array(["ORTH", "POS", "MORPH", "LEMMA"]).tolist()):
            if lemma:
                out.append(lemma)
                continue
            key = (orth, pos, morph)
            found = lemmas.get(key)
            if found is None:
                if len(lemmas) >= CACHE_LIMIT:
                    lemmas.clear()
                found = lemmas[key] = strings.add(self.lemmatize(doc[i])[0])   # type: ignore[attr-defined]
            out.append(found)
        if out:
            doc.from_array(["LEMMA"], cast(Any, numpy.array(out, dtype=numpy.uint64)))
        return doc


class _IndexedWords(list[str]):
    """A lemma index's word list that answers ``in`` from a set: spaCy's rule lemmatizer tests every candidate form
    against the part of speech's list (thousands of words) by ``form in index``, a linear scan, ~85 µs a token."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(words)
        self._members = frozenset(words)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _index_lemma_words(lemmatizer: Any) -> None:
    if not lemmatizer.lookups.has_table("lemma_index"):
        return
    table = lemmatizer.lookups.get_table("lemma_index")
    for pos in list(table.keys()):
        words = table[pos]
        if type(words) is list and all(isinstance(w, str) for w in words):
            table[pos] = _IndexedWords(words)


def _swap(component: Any, mixin: type) -> None:
    cls = type(component)
    component.__class__ = type(f"{mixin.__name__}_{cls.__name__}", (mixin, cls), {})


def speed_up(nlp: spacy.Language) -> list[str]:
    """Give the pipeline's attribute ruler and rule lemmatizer their exact stand-ins; returns the names changed."""
    from spacy.pipeline import AttributeRuler, Lemmatizer

    changed = []
    for name, component in nlp.pipeline:
        if type(component) is AttributeRuler:
            plan = _RulerPlan(component)
            if plan.ok:
                component.__dict__["_storyline_plan"] = plan
                _swap(component, FastAttributeRuler)
                changed.append(name)
        elif (isinstance(component, Lemmatizer) and not isinstance(component, FastLemmatizer)
              and component.mode == "rule" and not component.overwrite):
            component.__dict__["_storyline_lemmas"] = {}
            _index_lemma_words(component)
            _swap(component, FastLemmatizer)
            changed.append(name)
    return changed
