"""Merging the name clusters of one article: acronyms defined in the text ("Islamic State (IS)"), initials
("J. Smith" / "John Smith"), and a surname the tagger typed as an organisation or place once and as a person
elsewhere. Kept apart from ``entities`` so the index there stays about lookup and resolution.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .lexicon import ACRONYM_STOP, norm_key

_ACRONYM_RE = re.compile(r"\(\s*([A-Z][A-Za-z&.]{1,9})\s*[),]")


@dataclass(slots=True)
class _Cluster:
    type: str
    names: Counter[str] = field(default_factory=Counter)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    canon: str | None = None          # fixed canonical name from the alias table
    tokens: frozenset[str] = frozenset()

    def canonical(self) -> str:
        if self.canon:
            return self.canon
        # The longest name form wins ("Frank McKenzie" over "McKenzie"); ties go to the most frequent, then text.
        return max(self.names, key=lambda n: (len(n.split()), self.names[n], len(n), n))


def _acronym_of(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in ACRONYM_STOP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _match_person(clusters: list[_Cluster], surface: str) -> _Cluster | None:
    """A short name ("McKenzie") joins the latest person whose name contains all its words."""
    words = frozenset(_bare(w) for w in surface.split())
    for cl in reversed(clusters):
        tokens = frozenset(_bare(w) for w in cl.tokens)
        if cl.type == "person" and words and (words <= tokens or tokens and tokens <= words):
            return cl
    return None


def _bare(word: str) -> str:
    """A name word without its Arabic article ("al-Sudani" → "Sudani"), so short forms find the full name."""
    low = word.lower()
    for art in ("al-", "el-", "ad-", "as-", "ash-", "an-", "ar-", "at-", "az-"):
        if low.startswith(art) and len(word) > len(art) + 2:
            return word[len(art) :]
    return word


def _merge_acronyms(text: str, clusters: list[_Cluster], by_key: dict[str, _Cluster]) -> None:
    """"Iraqi Security Forces (ISF)": the acronym and the long name are one entity, and every bare ISF a mention."""
    for m in _ACRONYM_RE.finditer(text):
        acr = m.group(1).replace(".", "")
        if not acr.isupper() and sum(c.isupper() for c in acr) < 2:
            continue
        words = re.findall(r"[\w’'-]+", text[max(0, m.start() - 120) : m.start()])
        # Take just enough words before the parenthesis to spell the acronym.
        name_words: list[str] = []
        letters = 0
        for w in reversed(words):
            name_words.insert(0, w)
            if w.lower() not in ACRONYM_STOP:
                letters += 1
            if letters >= len(acr):
                break
        long_name = " ".join(name_words)
        if _acronym_of(long_name) != acr.upper() or not name_words[0][0].isupper():
            continue
        long_key, acr_key = norm_key(long_name), norm_key(acr)
        cl = by_key.get(long_key) or by_key.get(acr_key)
        if cl is None:
            cl = _Cluster(type="org")
            clusters.append(cl)
        ls = text.rfind(long_name, 0, m.start())
        if ls >= 0 and (ls, ls + len(long_name)) not in cl.mentions:
            cl.names[long_name] += 1
            cl.mentions.append((ls, ls + len(long_name)))
        other = by_key.get(acr_key)
        if other is not None and other is not cl:
            _absorb(cl, other, clusters)
            for k, v in list(by_key.items()):
                if v is other:
                    by_key[k] = cl
        for am in re.finditer(rf"\b{re.escape(m.group(1))}\b", text):
            if (am.start(), am.end()) not in cl.mentions:
                cl.mentions.append((am.start(), am.end()))
        cl.names[m.group(1)] += 1
        by_key[long_key] = by_key[acr_key] = cl


def _merge_by_initials(clusters: list[_Cluster]) -> None:
    """An all-capitals org name that spells the initials of another org's name is the same org (PMU)."""
    for cl in list(clusters):
        if cl not in clusters or cl.type not in ("org", "place"):
            continue
        for name in list(cl.names):
            compact = name.replace(".", "")
            if not (compact.isupper() and 2 <= len(compact) <= 8):
                continue
            for other in clusters:
                if other is cl or other.type not in ("org", "place"):
                    continue
                if any(_acronym_of(n) == compact and len(n.split()) > 1 for n in other.names):
                    _absorb(other, cl, clusters)
                    break
            break


def _merge_mistyped_surnames(clusters: list[_Cluster]) -> None:
    """NER sometimes tags a bare surname as ORG or GPE ("McKenzie's announcement"); give it back to the person."""
    persons = [c for c in clusters if c.type == "person"]
    for cl in list(clusters):
        if cl.type == "person" or cl.canon or len(cl.names) != 1:
            continue
        words = frozenset(_bare(w) for w in next(iter(cl.names)).split())
        owners = [p for p in persons if len(p.tokens) > len(words) and words <= {_bare(w) for w in p.tokens}]
        if len(owners) == 1:
            _absorb(owners[0], cl, clusters)


def _absorb(into: _Cluster, other: _Cluster, clusters: list[_Cluster]) -> None:
    into.names.update(other.names)
    into.mentions.extend(m for m in other.mentions if m not in into.mentions)
    into.roles.extend(other.roles)
    into.canon = into.canon or other.canon
    if other in clusters:
        clusters.remove(other)
