"""Plain records passed between pipeline stages.

ingest -> :class:`Article`; extract -> :class:`Extraction` (mentions, relations, events,
quantities, quotes of one article); resolve -> :class:`Entity` list plus a mention map;
rdf -> rdflib Dataset. Records hold only plain values so they pickle cheaply (cache, Dask).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class Article:
    """One news article: body text plus the metadata found around it."""

    doc_id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date or datetime
    url: str | None = None
    source: str | None = None  # publisher / outlet
    author: str | None = None
    path: str | None = None  # where it was read from
    fmt: str = "txt"

    @property
    def content_hash(self) -> str:
        h = hashlib.sha256()
        for part in (self.doc_id, self.title, self.date, self.url, self.source, self.author, self.text):
            h.update((part or "").encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass
class Skipped:
    """An input that could not be read, with a one-line reason."""

    path: str
    reason: str


@dataclass
class Mention:
    """A named mention of an entity in one article.

    ``type`` is a kg entity class local name (``Person``, ``Country``...);
    ``key`` is the normalised form used to block candidates for resolution;
    ``kb_id`` is a gazetteer id when the gazetteer recognised the name.
    """

    text: str
    type: str
    start: int
    end: int
    sent: int
    key: str
    kb_id: str | None = None
    source: str = "ner"  # a key of kg.resolve.SOURCE_WEIGHT: ner, gazetteer, rule, cue, demonym, headline, ...


@dataclass
class Provenance:
    """Where an extracted statement comes from."""

    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass
class Relation:
    """A binary relation between two mentions (indices into ``Extraction.mentions``)."""

    subj: int
    predicate: str  # kg property local name
    obj: int
    prov: Provenance
    speaker: int | None = None
    cue: str | None = None
    channel: str | None = None
    factuality: str = "asserted"


@dataclass
class Position:
    """A person holding a position (title), optionally in an organisation or place."""

    holder: int
    title: str
    org: int | None
    prov: Provenance


@dataclass
class Event:
    """An n-ary event: class local name, trigger word and role -> mention indices."""

    type: str
    trigger: str
    roles: dict[str, list[int]]
    prov: Provenance
    date: str | None = None
    speaker: int | None = None
    cue: str | None = None
    channel: str | None = None
    factuality: str = "asserted"


@dataclass
class Quantity:
    """A number with unit and qualifier ("about 12,000 soldiers")."""

    text: str
    value: float | None
    min_value: float | None
    max_value: float | None
    unit: str | None
    qualifier: str | None
    prov: Provenance
    of: list[int] = field(default_factory=list)  # mentions the quantity is about
    speaker: int | None = None
    cue: str | None = None
    channel: str | None = None
    factuality: str = "asserted"


@dataclass
class Quote:
    """A direct quotation with its speaker."""

    text: str
    speaker: int | None
    prov: Provenance
    cue: str | None = None
    channel: str | None = None


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (short key, long key) defined in text


@dataclass
class Entity:
    """A resolved real-world entity: one node in the graph."""

    id: str  # stable slug, unique within the corpus
    type: str
    label: str
    aliases: set[str] = field(default_factory=set)
    kb_id: str | None = None
    wikidata: str | None = None
    geonames: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    mentions: int = 0
    docs: set[str] = field(default_factory=set)
