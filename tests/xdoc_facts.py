"""Hand-built articles and facts for the cross-document tests (shapes of model.py, no NLP run)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from storyline.model import Article, Claim, Entity, Quantity, TimeRef, content_id


class Doc:
    """Builds one article's text and facts; every fact's span points at its own sentence of the text."""

    def __init__(self, key: str, title: str, *, outlet: str | None = None, published: date | None = None,
                 bounds: tuple[date | None, date | None] | None = None, genre: str = "news") -> None:
        self.key, self.title, self.outlet, self.published, self.bounds, self.genre = key, title, outlet, published, bounds, genre
        self.text = title + "\n"
        self.id = content_id("art", key)
        self.facts: dict[str, Any] = {"entities": [], "quotes": [], "claims": [], "quantities": [], "times": [],
                                      "sentences": [{"start": 0, "end": len(title)}]}

    def sentence(self, text: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += text + "\n"
        self.facts["sentences"].append({"start": start, "end": start + len(text)})
        return start, start + len(text)

    def entity(self, name: str, etype: str, *aliases: str, role: str | None = None, mentions: int = 1) -> Doc:
        e = Entity(content_id("ent", self.id, name), name, etype, list(aliases), [self.id], role,
                   [(0, 1)] * mentions)
        self.facts["entities"].append(asdict(e))
        return self

    def claim(self, text: str, subject: str | None, predicate: str, obj: str | None, *, polarity: bool = True,
              modality: str = "asserted", speaker: str | None = None, event_date: str | None = None,
              in_title: bool = False) -> str:
        if in_title:
            start, end = 0, len(self.title)
        else:
            start, end = self.sentence(text)
        prec = None if not event_date else ("day" if len(event_date) == 10 else "month" if len(event_date) == 7 else "year")
        c = Claim(content_id("clm", self.id, start, predicate, text), self.id, start, end, text, subject, predicate, obj,
                  polarity, modality, speaker, event_date, prec)
        self.facts["claims"].append(asdict(c))
        return c.id

    def time(self, text: str, value: str, precision: str = "day", sentence_of: str | None = None) -> None:
        """A time expression inside the sentence of the claim with id ``sentence_of`` (or a new sentence)."""
        if sentence_of:
            c = next(c for c in self.facts["claims"] if c["id"] == sentence_of)
            start = c["start"]
        else:
            start, _ = self.sentence(text)
        self.facts["times"].append(asdict(TimeRef(start, start + len(text), text, value, precision, "published")))

    def quantity(self, text: str, *, value: float | None = None, low: float | None = None, high: float | None = None,
                 approximate: bool = False, counted: str = "troops", location: str | None = "Iraq",
                 as_of: str | None = None, within: str | None = None) -> str:
        """A figure as a claim of its own, or (``within``) as words of a longer claim's text."""
        self.claim(within or text, counted, "be", location)
        c = self.facts["claims"][-1]
        start = c["start"] + (within.index(text) if within else 0)
        q = Quantity(content_id("qty", self.id, start, text), self.id, start, start + len(text), text, value, low, high,
                     approximate, None, counted, location, as_of)
        self.facts["quantities"].append(asdict(q))
        return q.id

    def article(self) -> Article:
        return Article(id=self.id, source=f"{self.key}.txt", text=self.text, title=self.title, outlet=self.outlet,
                       published=self.published, published_bounds=self.bounds,
                       published_basis="inferred from content" if self.bounds else None, genre=self.genre)


def us_iraq_entities(d: Doc) -> Doc:
    return d.entity("United States", "place", "US", "U.S.", mentions=3).entity("Iraq", "place", mentions=3)


def seed_like_corpus() -> list[Doc]:
    """Four articles with the shape of the Iraq-troops situation (invented wording, not the example files)."""
    a = us_iraq_entities(Doc("a", "US agrees to pull remaining combat troops out of Iraq", outlet="Wire One",
                             published=date(2021, 4, 7)))
    a.entity("Antony Blinken", "person").entity("Fuad Hussein", "person").entity("Islamic State", "org", "ISIS")
    a.claim("US agrees to pull remaining combat troops out of Iraq", "US", "withdraw", "remaining combat troops",
            modality="planned", in_title=True)
    js = a.claim("A joint statement on Wednesday said combat forces would be redeployed from Iraq.", "combat forces",
                 "redeploy", "from Iraq", modality="predicted", speaker="joint statement")
    a.time("on Wednesday", "2021-04-07", sentence_of=js)
    a.quantity("some 2,500 US troops are stationed in Iraq", value=2500, approximate=True, counted="US troops",
               as_of="2021-04-07")

    b = us_iraq_entities(Doc("b", "Top US commander: we will stay in Iraq", outlet="Gulf Daily",
                             published=date(2021, 4, 23)))
    b.entity("Frank McKenzie", "person", "McKenzie", role="general", mentions=4).entity("Islamic State", "org", "IS")
    b.claim("We are going to stay in Iraq", "We", "stay", "in Iraq", modality="intended", speaker="Frank McKenzie",
            in_title=True)
    b.claim("The United States has no intention of withdrawing from Iraq, McKenzie said.", "United States",
            "withdraw", None, polarity=False, modality="intended", speaker="Frank McKenzie")

    c = us_iraq_entities(Doc("c", "Foreign forces still occupy Iraq", outlet="Resistance Review",
                             bounds=(date(2020, 1, 1), date(2020, 12, 31)), genre="opinion"))
    c.entity("McKenzie", "person", role="general").entity("Washington", "place")
    c.claim("Washington has signalled it will keep its troops in Iraq.", "Washington", "keep", "its troops",
            modality="intended", speaker="Washington")
    c.quantity("Between 5,000 and 6,000 occupying US troops are still in Iraq, a toxic occupation.", low=5000,
               high=6000, counted="occupying US troops")

    d = us_iraq_entities(Doc("d", "Pentagon says no plan to withdraw troops from Iraq", outlet="Capital Post",
                             published=date(2024, 1, 9)))
    d.entity("Department of Defense", "org", "Pentagon").entity("Mohammed Shia al-Sudani", "person")
    d.entity("Patrick Ryder", "person", role="general")
    d.claim("The Pentagon on Monday said it was not planning to withdraw its 2,500 troops from Iraq.", "Pentagon",
            "withdraw", "its 2,500 troops", polarity=False, modality="planned", speaker="Department of Defense",
            event_date="2024-01-08")
    d.claim("Sudani's office on Friday announced measures to end the presence of the coalition.",
            "Sudani's office", "announce", "measures", speaker=None, event_date="2024-01-05")
    d.quantity("its 2,500 troops in Iraq", value=2500, counted="troops", as_of="2024-01-08")
    return [a, b, c, d]


class LshSignature:
    """What ``datasketch.MinHashLSH`` reads from a MinHash (hash values, length): lets the tests build the reference
    LSH index from stored signatures."""

    def __init__(self, hashvalues: Any) -> None:
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)
