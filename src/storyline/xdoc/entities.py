"""Cross-article entities: one record per real-world person, organisation, place or group in the corpus.

Per-article entities (``nlp.entities``) already fold a story's own variants ("General Frank McKenzie", "McKenzie",
"the top US commander") and known aliases (IS / ISIS / Islamic State). Across articles we join them by:

1. the same normalised name or shared alias (an acronym or variant seen in one article names the entity in another);
2. for people, a bare surname or "F. Surname" joining the one full name in the corpus that fits it — only when that
   full name is unambiguous, so two different Smiths never merge;
3. metonymy: a capital used as an actor ("Washington signalled…", "Baghdad's announcement" as a claim subject or
   speaker) stands for that country's government, so those mentions join the country, while the same capital as a
   place where something happened stays a place.

Outputs ``id, name, type, aliases, article_ids`` plus ``roles`` and ``metonyms``; ``EntityIndex`` maps per-article
entity ids and surface strings to canonical ids for the alignment stage.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import content_id
from ..nlp.entities.lexicon import ALIASES
from ..nlp.entities.lexicon import norm_key as _norm_key
from .syndication import UnionFind
from .view import CorpusView

# The fact keys this stage reads, by kind of fact: the corpus view holds only declared keys (xdoc/fact_rows.py).
READS = {"claims": ("subject", "speaker"),
         "entities": ("id", "name", "type", "aliases", "role", "mention_count"),
         "quotes": ("speaker",)}

# Capitals (and seats of power) that news uses for governments.
CAPITALS: dict[str, str] = {
    "washington": "United States", "white house": "United States", "baghdad": "Iraq", "tehran": "Iran",
    "moscow": "Russia", "kremlin": "Russia", "beijing": "China", "london": "United Kingdom", "downing street": "United Kingdom",
    "paris": "France", "berlin": "Germany", "ankara": "Turkey", "damascus": "Syria", "kabul": "Afghanistan",
    "kyiv": "Ukraine", "kiev": "Ukraine", "tel aviv": "Israel", "jerusalem": "Israel", "riyadh": "Saudi Arabia",
    "cairo": "Egypt", "brussels": "European Union", "tokyo": "Japan", "seoul": "South Korea", "pyongyang": "North Korea",
    "islamabad": "Pakistan", "new delhi": "India", "ottawa": "Canada", "canberra": "Australia", "rome": "Italy",
    "madrid": "Spain", "doha": "Qatar", "abu dhabi": "United Arab Emirates", "caracas": "Venezuela", "havana": "Cuba",
}
_PERSONISH = {"person"}


@functools.lru_cache(maxsize=200_000)
def norm_key(surface: str) -> str:
    """``nlp.entities.extract.norm_key``, cached: the corpus stages look the same few thousand strings up millions of times."""
    return _norm_key(surface)
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+")


@dataclass(slots=True)
class EntityIndex:
    """Lookups from per-article facts to canonical entities."""

    records: list[dict[str, Any]] = field(default_factory=list)
    by_local: dict[str, str] = field(default_factory=dict)            # per-article entity id → canonical id
    by_surface: dict[str, str] = field(default_factory=dict)          # normalised surface → canonical id
    by_article_surface: dict[tuple[str, str], str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)               # canonical id → name

    def resolve(self, surface: str | None, article_id: str | None = None) -> str | None:
        """Canonical id for a name as an article wrote it (its own entities first, then corpus-wide)."""
        if not surface:
            return None
        key = norm_key(surface)
        if article_id is not None:
            hit = self.by_article_surface.get((article_id, key))
            if hit:
                return hit
        hit = self.by_surface.get(key) or self.by_surface.get(ALIASES.get(key, "").lower())
        if hit:
            return hit
        cap = CAPITALS.get(key)
        return self.by_surface.get(cap.lower()) if cap else None

    def name(self, cid: str | None) -> str | None:
        return self.names.get(cid) if cid else None


_CODE = re.compile(r"[A-Za-z][0-9]|[0-9][A-Za-z]|[_/\\]")


def place_ids(index: EntityIndex) -> set[str]:
    """Canonical ids of the places. A name that mixes letters and digits or carries ``_`` or ``/`` ("H1N1", "BA242",
    "beijing_2008") is a code the tagger took for a place: followed as a place it made "cases in H1N1" a series
    and set claims about the virus apart from claims about England."""
    return {r["id"] for r in index.records if r["type"] == "place" and not _CODE.search(r["name"])}


def _group(etype: str) -> str:
    return "person" if etype in _PERSONISH else "named"


def _tokens(name: str) -> list[str]:
    return _NAME_TOKEN.findall(name)


def _actor_surfaces(doc_facts: dict[str, Any]) -> set[str]:
    """Normalised strings a doc uses as an actor: claim subjects/speakers and quote speakers."""
    out: set[str] = set()
    for c in doc_facts.get("claims", ()):
        for k in ("subject", "speaker"):
            if c.get(k):
                out.add(norm_key(c[k]))
    for q in doc_facts.get("quotes", ()):
        if q.get("speaker"):
            out.add(norm_key(q["speaker"]))
    return out


def canonicalise(view: CorpusView) -> EntityIndex:
    """Join per-article entities into corpus entities (see module docstring for the rules)."""
    local: dict[str, Mapping[str, Any]] = {}
    owner: dict[str, str] = {}
    uf = UnionFind()
    key_owner: dict[tuple[str, str], str] = {}
    metonym_of: dict[str, str] = {}     # local id → country name it stands for
    for doc in view.docs:
        actors = _actor_surfaces(doc.facts)
        for e in doc.entities():
            lid = e["id"]
            local[lid] = e
            owner[lid] = doc.id
            uf.find(lid)
            nkey = norm_key(e["name"])
            cap = CAPITALS.get(nkey)
            if cap and e.get("type") in ("place", "org") and (nkey in actors or e.get("type") == "org"):
                metonym_of[lid] = cap
                keys = [("named", cap.lower())]
            else:
                group = _group(e.get("type", ""))
                keys = [(group, k) for k in _name_keys(e)]
                if group == "person":
                    # A one-word alias of a person is a surname or a first name that relatives and namesakes share
                    # ("Gadhafi" for the father and for each son); rule 2 joins it only where one full name fits.
                    own = norm_key(e["name"])
                    keys = [k for k in keys if " " in k[1] or k[1] == own]
            for k in keys:
                if k in key_owner:
                    uf.union(lid, key_owner[k])
                else:
                    key_owner[k] = lid
    _join_surnames(local, uf)
    return _emit(view, local, owner, uf, metonym_of)


def _name_keys(e: Mapping[str, Any]) -> list[str]:
    """Keys under which an entity may meet its other mentions: name, aliases, the alias table's canonical name."""
    keys = []
    for surface in [e["name"], *e.get("aliases", [])]:
        k = norm_key(surface)
        if not k:
            continue
        canon = ALIASES.get(k)
        if len(k) <= 2 and not canon:
            continue  # two-letter strings other than known acronyms are too ambiguous to join on
        keys.append(canon.lower() if canon else k)
    return sorted(set(keys))


SURNAME_DOMINANCE = 0.8    # share of a surname's full-name mentions one person needs to take a bare surname


def _join_surnames(local: dict[str, Mapping[str, Any]], uf: UnionFind) -> None:
    """'McKenzie' or 'F. McKenzie' in one article → 'Frank McKenzie' elsewhere, when only one full name fits."""
    full_by_surname: dict[str, set[str]] = defaultdict(set)
    full_root: dict[str, str] = {}
    said: Counter[str] = Counter()          # mentions of each full name across the corpus
    for lid, e in local.items():
        if e.get("type") != "person":
            continue
        toks = _tokens(e["name"])
        if len(toks) >= 2:
            full = " ".join(t.lower() for t in toks)
            full_by_surname[toks[-1].lower()].add(full)
            full_root.setdefault(full, lid)
            said[full] += max(1, e.get("mention_count", 0))
    for lid, e in sorted(local.items()):
        if e.get("type") != "person":
            continue
        toks = _tokens(e["name"])
        if not toks:
            continue
        fulls = full_by_surname.get(toks[-1].lower(), set())
        if len(toks) >= 2:
            # "F. McKenzie" / "Frank McKenzie": join a full name with the same surname and a compatible first name.
            first = toks[0].lower()
            fits = {f for f in fulls if f.split()[0] == first or (len(first) == 1 and f.split()[0].startswith(first))}
        else:
            fits = fulls
        if len(fits) > 1:
            # "Obama" with Barack Obama named hundreds of times and Michelle Obama a few: the one the corpus is
            # about; with no such favourite (two Smiths alike), no join.
            best = max(sorted(fits), key=lambda f: said[f])
            fits = {best} if said[best] >= SURNAME_DOMINANCE * sum(said[f] for f in fits) else set()
        if len(fits) == 1:
            uf.union(lid, full_root[next(iter(fits))])


def _emit(view: CorpusView, local: dict[str, Mapping[str, Any]], owner: dict[str, str], uf: UnionFind,
          metonym_of: dict[str, str]) -> EntityIndex:
    index = EntityIndex()
    groups: dict[str, list[str]] = defaultdict(list)
    for lid in sorted(local):
        groups[uf.find(lid)].append(lid)
    for members in groups.values():
        names: Counter[str] = Counter()
        types: Counter[str] = Counter()
        aliases: set[str] = set()
        roles: Counter[str] = Counter()
        metonyms: set[str] = set()
        articles: set[str] = set()
        mentions = 0
        country = None
        for lid in members:
            e = local[lid]
            if lid in metonym_of:
                country = metonym_of[lid]
                metonyms.add(e["name"])
                aliases.add(e["name"])
                continue
            names[e["name"]] += max(1, e.get("mention_count", 0))
            types[e.get("type", "unknown")] += 1
            aliases.update(e.get("aliases", []))
            aliases.add(e["name"])
            if e.get("role"):
                roles[e["role"]] += 1
        for lid in members:
            articles.add(owner[lid])
            mentions += max(1, local[lid].get("mention_count", 0))
        if names:
            # The fullest, most used name: "Frank McKenzie" over "McKenzie"; an alias-table name wins outright.
            table = [n for n in names if ALIASES.get(norm_key(n), "").lower() == norm_key(n)]
            name = max(table or names, key=lambda n: (len(_tokens(n)), names[n], len(n), n))
            etype = max(types, key=lambda t: (types[t], t))
        else:
            name, etype = country or sorted(metonyms)[0], "place"
        cid = content_id("ent", _group(etype), norm_key(name))
        rec = {"id": cid, "name": name, "type": etype, "aliases": sorted(aliases - {name}),
               "article_ids": sorted(articles, key=lambda a: view.by_id[a].order), "roles": sorted(roles, key=lambda r: (-roles[r], r)),
               "mentions": mentions}
        if metonyms:
            rec["metonyms"] = sorted(metonyms)
        index.records.append(rec)
        index.names[cid] = name
        for lid in members:
            index.by_local[lid] = cid
            e = local[lid]
            for s in [e["name"], *e.get("aliases", [])]:
                index.by_article_surface[(owner[lid], norm_key(s))] = cid
        for s in [name, *aliases]:
            if s not in metonyms:
                index.by_surface.setdefault(norm_key(s), cid)
    _merge_duplicate_ids(index)
    index.records.sort(key=lambda r: (-len(r["article_ids"]), -r["mentions"], r["name"], r["id"]))
    return index


def _merge_duplicate_ids(index: EntityIndex) -> None:
    """Two groups can end with the same canonical name (a metonym group and its country): fold them together."""
    by_id: dict[str, dict[str, Any]] = {}
    for rec in index.records:
        prev = by_id.get(rec["id"])
        if prev is None:
            by_id[rec["id"]] = rec
            continue
        prev["aliases"] = sorted(set(prev["aliases"]) | set(rec["aliases"]))
        prev["article_ids"] = list(dict.fromkeys(prev["article_ids"] + rec["article_ids"]))
        prev["roles"] = sorted(set(prev["roles"]) | set(rec["roles"]))
        prev["mentions"] += rec["mentions"]
        if rec.get("metonyms") or prev.get("metonyms"):
            prev["metonyms"] = sorted(set(prev.get("metonyms", [])) | set(rec.get("metonyms", [])))
    index.records = list(by_id.values())


def link_speakers(quotes: list[dict[str, Any]], records: list[dict[str, Any]]) -> None:
    """Cross-article ids of each quote's speaker and affiliation (``speaker_corpus_id``,
    ``speaker_affiliation_corpus_id``): the corpus entity whose name or alias the quote's article wrote, else the one
    of that name anywhere (most prominent first), a capital standing for its country; None when no entity fits."""
    in_article: dict[tuple[str, str], str] = {}
    anywhere: dict[str, str] = {}
    for rec in records:
        for surface in [rec["name"], *rec.get("aliases", [])]:
            key = norm_key(surface)
            anywhere.setdefault(key, rec["id"])
            for aid in rec.get("article_ids", []):
                in_article.setdefault((aid, key), rec["id"])

    def look(surface: str | None, aid: str) -> str | None:
        if not surface:
            return None
        key = norm_key(surface)
        cap = CAPITALS.get(key)
        return in_article.get((aid, key)) or anywhere.get(key) or (anywhere.get(norm_key(cap)) if cap else None)

    for q in quotes:
        q["speaker_corpus_id"] = look(q.get("speaker"), q.get("article_id", ""))
        q["speaker_affiliation_corpus_id"] = look(q.get("speaker_affiliation"), q.get("article_id", ""))
