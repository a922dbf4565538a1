"""Plain data classes shared by every stage.

Spans are offsets into ``Article.text`` (the cleaned body) so that nothing downstream copies or re-parses text.
Ids are content hashes so that re-running on the same inputs yields the same ids.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, TypedDict, cast

INPUT_STATUSES = ("ok", "duplicate", "failed", "skipped")
GENRES = ("news", "opinion", "analysis", "press-release", "unknown")


def content_id(prefix: str, *parts: object, length: int = 16) -> str:
    """Stable id from content: same content, same id, on any machine and in any run."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return f"{prefix}_{h.hexdigest()[:length]}"


# Dates known to a day, a month or a year: claims' event dates, quantities' as-of dates and timeline dates are stored
# as ISO text cut to what is known ('2021-04-07', '2021-04', '2021'), most beside a precision word. ``PartialDate``
# is their one codec: every stage and the report parse them here.
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def shape_precision(value: str) -> str:
    """The precision an ISO value's length implies: 'day' for ``YYYY-MM-DD`` (or longer), 'month' for ``YYYY-MM``,
    else 'year' (for values stored without their precision)."""
    return "day" if len(value) >= 10 else "month" if len(value) == 7 else "year"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to ``precision``: ``value`` is its ISO text as stored (``str()`` gives it back),
    ``first`` the day the text names (the 1st of a month, 1 January of a year). Made by ``parse``."""

    value: str
    precision: str          # day | month | year (any other word covers the year, as a year does)
    first: date

    @classmethod
    def parse(cls, value: object, precision: str | None = None) -> PartialDate | None:
        """``YYYY-MM-DD`` (anything after it, a time of day, is ignored), ``YYYY-MM`` or ``YYYY``, at ``precision``
        (from the value's shape when not given); None for anything else, an impossible day or month included."""
        if not isinstance(value, str):
            return None
        m = _PARTIAL.match(value)
        if m is None or (m[3] is None and m.end() != len(value)):
            return None         # only a whole day may carry more: '2021-04x' is no month, '20215' no year
        try:
            first = date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
        except ValueError:
            return None
        return cls(value, precision or shape_precision(value), first)

    @property
    def span(self) -> tuple[date, date]:
        """(first, last) day covered: the day; from the named day to its month's end; the whole year."""
        d = self.first
        if self.precision == "day":
            return d, d
        if self.precision == "month":
            return d, date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
        return date(d.year, 1, 1), date(d.year, 12, 31)

    def __str__(self) -> str:
        return self.value


@dataclass(slots=True)
class Removed:
    """A piece of the raw input that cleaning dropped, kept so nothing disappears silently."""

    text: str
    reason: str


@dataclass(slots=True)
class Evidence:
    """Why a metadata value was chosen: the rule that fired and the text it fired on."""

    field: str
    value: str
    basis: str


@dataclass(slots=True)
class RawDocument:
    """One input record before cleaning: bytes or decoded text plus what the container told us."""

    source: str                     # path, URL, or "path#record" for containers
    content: bytes | str
    kind: str                       # "text" | "html"
    url: str | None = None
    hints: dict[str, str] = field(default_factory=dict)   # title/published/outlet/author/id from JSONL/WARC


@dataclass(slots=True)
class Article:
    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    published_bounds: tuple[date | None, date | None] | None = None   # either side may be unknown
    published_basis: str | None = None
    author: str | None = None
    genre: str = "unknown"
    removed: list[Removed] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    story_id: str | None = None
    duplicate_of: str | None = None
    encoding: str | None = None

    @property
    def language(self) -> str | None:
        """ISO 639-1 code of the article's language (``meta.language``), None when undetermined or not checked (an
        article stored before the check). Kept in the ``language`` evidence, so stores and shards need no column."""
        value = next((e.value for e in self.evidence if e.field == "language"), None)
        return None if value in (None, "", "und") else value

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["language"] = self.language
        d["published"] = self.published.isoformat() if self.published else None
        d["published_bounds"] = (
            [d.isoformat() if d else None for d in self.published_bounds]
            if self.published_bounds
            else None
        )
        return d


@dataclass(slots=True)
class InputRecord:
    """What happened to one input the user gave: every input ends up as exactly one of these."""

    path: str
    status: str
    reason: str = ""
    article_id: str | None = None

    def __post_init__(self) -> None:
        if self.status not in INPUT_STATUSES:
            raise ValueError(f"unknown input status {self.status!r}")


@dataclass(slots=True)
class RunSummary:
    """What one `analyze` run did: every input's record, the articles added and analysed, and what failed."""

    inputs: list[InputRecord] = field(default_factory=list)
    new_articles: int = 0
    analysed: int = 0
    nlp_failures: list[tuple[str, str]] = field(default_factory=list)
    corpus_errors: list[str] = field(default_factory=list)
    degraded: list[str] = field(default_factory=list)    # models the run went on without, and what it did instead

    @property
    def failed(self) -> list[InputRecord]:
        return [r for r in self.inputs if r.status == "failed"]


# The per-article boundary: what the driver sends a worker for one article, and what comes back (both picklable, for
# the process pool and Dask).

@dataclass(frozen=True, slots=True)
class ArticleTask:
    """One stored article as ``nlp.pipeline.analyze_batch`` reads it."""

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    bounds: tuple[date | None, date | None] | None = None   # ``Article.published_bounds``; either side may be unknown
    duplicate: bool = False         # a near-duplicate: analysed, but its lead is never embedded (its original's is)
    language: str | None = None

    @classmethod
    def of(cls, art: Article) -> ArticleTask:
        return cls(id=art.id, text=art.text, title=art.title, published=art.published, bounds=art.published_bounds,
                   duplicate=art.duplicate_of is not None, language=art.language)


class _FactLists(TypedDict):
    entities: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    times: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    sentences: list[dict[str, int]]


class ArticleFacts(_FactLists, total=False):
    """One article's facts as a worker hands them to the driver and the store keeps them (one JSON document): each
    kind a list of flat records (the fields of ``Entity``, ``Quote``, ``TimeRef``, ``Quantity``, ``Claim``) and the
    sentence bounds; an article the English-only analysis passed over also gives its language and why. A TypedDict,
    not a class, so that the stored JSON and every reader of facts as a mapping stay as they are while mypy checks
    the keys that cross the boundary. (Optional keys by ``total=False``: ``NotRequired`` is not seen at run time
    under ``from __future__ import annotations`` on Python 3.11.)"""

    language: str | None        # with nlp_skipped only
    nlp_skipped: str


class StoredFacts(ArticleFacts, total=False):
    """``ArticleFacts`` as stored: with the parse's limits when it saw less than the whole text."""

    nlp_truncated_at: int       # characters parsed, when fewer than the text's
    nlp_guarded: int            # characters the tokenizer guard blanked


@dataclass(slots=True)
class ArticleResult:
    """One article's analysis: its ``facts`` (None when the analysis failed, with ``error`` saying why), the vectors
    computed beside them and stored apart from the facts (kind → (hash of the text encoded, float32 bytes)), and how
    much of the text the parse saw: ``truncated_at`` characters when less than all, ``guarded`` characters blanked
    by the tokenizer guard."""

    id: str
    facts: ArticleFacts | None
    vectors: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    error: str | None = None
    truncated_at: int | None = None
    guarded: int = 0

    def stored_facts(self) -> StoredFacts:
        """The facts as the store keeps them: the parse's limits are facts too (``nlp_truncated_at``,
        ``nlp_guarded``), read by the report and the corpus view."""
        if self.facts is None:
            raise ValueError(f"article {self.id} has no facts: {self.error}")
        facts = cast(StoredFacts, dict(self.facts))     # a copy: the limits are added to it, not to the result
        if self.truncated_at is not None:
            facts["nlp_truncated_at"] = self.truncated_at
        if self.guarded:
            facts["nlp_guarded"] = self.guarded
        return facts


@dataclass(slots=True)
class CorpusResult:
    """What the corpus stages computed: the corpus documents by kind (stored one JSON per kind), the store's changes
    (articles found to be copies of a canonical one, each article's story) and a small report (counts and seconds
    per stage). ``result[kind]`` is a document."""

    documents: dict[str, Any]
    duplicate_changes: dict[str, str]
    story_of: dict[str, str]
    report: dict[str, Any]

    def __getitem__(self, kind: str) -> Any:
        return self.documents[kind]


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)   # spans in the article (per-article entities)


@dataclass(slots=True)
class Quote:
    id: str
    article_id: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_entity_id: str | None
    cue: str | None
    direct: bool
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    medium: str | None = None
    speaker_role: str | None = None                  # "Pentagon spokesman", "chief of the US Central Command", "joint statement"
    speaker_affiliation: str | None = None           # the body the speaker speaks for: "Pentagon", "Donald Trump’s campaign"
    speaker_affiliation_entity_id: str | None = None  # per-article entity id of that body, when it is an entity


@dataclass(slots=True)
class Claim:
    id: str
    article_id: str
    start: int
    end: int
    text: str
    subject: str | None
    predicate: str
    object: str | None
    polarity: bool                 # True = affirmed, False = negated
    modality: str                  # asserted | planned | intended | possible | demanded | denied | predicted
    speaker: str | None            # canonical name of who asserts it; None = the outlet itself
    event_date: str | None = None  # ISO date/month/year the claim is about
    event_date_precision: str | None = None
    hedged: bool = False
    quote_id: str | None = None
    # How the claim's time is known (timex_values.claim_time_basis): "stated" (its own absolute date, "in March
    # 2003"), "resolved" (its own relative date resolved against the publication date, "on Thursday"), "inferred"
    # (no date of its own: the article's date, or an undated article's inferred bounds, stands in)
    time_basis: str = "inferred"


@dataclass(slots=True)
class Quantity:
    id: str
    article_id: str
    start: int
    end: int
    text: str
    value: float | None
    low: float | None
    high: float | None
    approximate: bool
    unit: str | None
    counted: str | None
    location: str | None
    as_of: str | None


@dataclass(slots=True)
class TimeRef:
    """A time expression normalised against the article's date or bounds."""

    start: int
    end: int
    text: str
    value: str | None          # TIMEX3 value: 2013-03-22, 2013-W11, 2012-SU, 2013-Q1, 199, P1M, PXD, XXXX-WXX-4,
                               # PRESENT_REF, 2010-06-01T14:25 (a calendar date only through timex_values.calendar_of)
    precision: str | None      # of the value: minute | hour | part of day | day | week | weekend | month | quarter |
                               # season | half | year | decade | century; None for durations, sets and *_REF
    anchor: str | None         # what it was resolved against: "published", "bounds", "absolute"
    interval: tuple[str, str] | None = None     # calendar days covered, when not one whole day, month or year
                                                # (PRESENT_REF: the day it was said); read with calendar_ref
    mod: str | None = None     # since | by | until | before | after | from | as of | approx: how it bounds
    type: str = "DATE"         # TimeML type: DATE | TIME | DURATION | SET
    historic: bool = False     # a date years before the article's: background ("founded in 1876"), not news


@dataclass(slots=True)
class Story:
    id: str
    title: str
    article_ids: list[str]


@dataclass(slots=True)
class TimelineEvent:
    date: str
    precision: str
    summary: str
    claim_ids: list[str]
    article_ids: list[str]


@dataclass(slots=True)
class Relation:
    kind: str   # agreement | contradiction | numeric_conflict | superseded | change_over_time
    claim_ids: list[str]
    explanation: str


@dataclass(slots=True)
class SourceProfile:
    outlet: str
    article_ids: list[str]
    genre_counts: dict[str, int]
    stance: dict[str, str]
    framing_terms: list[str]
