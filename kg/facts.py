"""Corroboration across articles: statements of the same fact, and figures that disagree.

Works on built quads (the output contract of ``ontologies/README.md``), read through one
:class:`~kg.graphindex.TripleIndex` per graph:

- assertions with the same subject, predicate and object, positions with the same holder and
  organisation, and events of the same class with the same resolved participants (agent,
  patient, theme, recipient, instrument) and compatible place and date, stated by two or more
  articles, are linked to one ``kg:Fact`` node (``kg:evidence``) with ``kg:outletCount`` (distinct
  publishers that state it, an article without publisher counting as its own source) and
  ``kg:articleCount``;
- figures (``kg:Quantity``) about the same entity in the same unit, counted in the same kind of
  event (or both outside events), from two or more sources (article or speaker) are grouped the
  same way; two of them whose values or ranges do not
  overlap are linked by ``kg:conflictsWith`` and their fact is ``kg:conflicting true``.

Fact nodes live in the named graph ``kgr:graph/facts``; each statement keeps its own speaker,
factuality and article, so agreeing, denying and hedging sources stay side by side.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.graphindex import QuadSet, TripleIndex, by_graph
from kg.vocab import EVENT_CLASSES, KG, RES, SCHEMA

FACTS_GRAPH = RES["graph/facts"]
#: Roles that identify an event's participants; places and dates need only be compatible.
IDENTITY_ROLES = ("agent", "patient", "theme", "recipient", "instrument")
PLACE_ROLES = ("location", "destination")
#: Statements with these factualities are linked to their fact but do not count as support.
UNSUPPORTING = frozenset({"denied", "hypothetical", "question"})
#: Two reports of one event may date it this many days apart ("on Saturday" vs "on 11 January").
MAX_DAYS_APART = 3
_EVENT_CLASSES = frozenset(KG[c] for c in EVENT_CLASSES)


@dataclass
class Stmt:
    """What facts.py needs to know about one statement node."""

    node: URIRef
    article: URIRef
    source: URIRef  # publisher, else the article itself
    kind: str  # predicate / event class / "figure"
    factuality: str
    speaker: URIRef | None
    roles: dict[str, frozenset] = field(default_factory=dict)
    date: dt.date | None = None
    label: str | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    events: frozenset[str] = frozenset()  # figures: classes of the events the figure takes part in


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def read_statements(graphs: dict[Any, TripleIndex]) -> tuple[list[Stmt], list[Stmt], list[Stmt], dict[URIRef, set[URIRef]]]:
    """Relations (assertions and positions), events and figures of every article graph, plus the
    ``locatedIn``/``partOf`` parents of every place (for place compatibility)."""
    relations, events, figures = [], [], []
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for g in graphs.values():
        for prop in (KG.locatedIn, KG.partOf):
            for s, o in g.subject_objects(prop):
                parents[s].add(o)
        article = next(iter(g.subjects(RDF.type, SCHEMA.NewsArticle)), None)
        if article is None:
            continue
        source = g.value(article, SCHEMA.publisher) or article

        def stmt(node: URIRef, kind: str) -> Stmt:
            return Stmt(node, article, source, kind, str(g.value(node, KG.factuality) or "asserted"),
                        g.value(node, KG.speaker), label=str(g.value(node, RDFS.label) or "") or None)

        for node in g.subjects(RDF.type, KG.Assertion):
            s, p, o = g.value(node, RDF.subject), g.value(node, RDF.predicate), g.value(node, RDF.object)
            if s is not None and p is not None and o is not None:
                st = stmt(node, str(p))
                st.roles = {"subject": frozenset({s}), "object": frozenset({o})}
                relations.append(st)
        for node in g.subjects(RDF.type, KG.Position):
            holder, org = g.value(node, KG.positionHolder), g.value(node, KG.positionIn)
            if holder is not None and org is not None:
                st = stmt(node, str(KG.hasPositionIn))
                st.roles = {"subject": frozenset({holder}), "object": frozenset({org})}
                relations.append(st)
        article_events: list[Stmt] = []
        for node in g.subjects(RDF.type, KG.Event):
            cls = sorted(str(c) for c in g.objects(node, RDF.type) if c in _EVENT_CLASSES)
            st = stmt(node, cls[0] if cls else str(KG.Event))
            st.roles = {r: frozenset(g.objects(node, KG[r])) for r in IDENTITY_ROLES + PLACE_ROLES}
            st.roles = {r: v for r, v in st.roles.items() if v}
            st.date = _date(g.value(node, KG.eventDate)) if g.value(node, KG.eventDate) is not None else None
            article_events.append(st)
        events += article_events
        spans = [(int(g.value(e.node, KG.startChar) or 0), int(g.value(e.node, KG.endChar) or 0), e)
                 for e in article_events]
        for node in g.subjects(RDF.type, KG.Quantity):
            of = frozenset(g.objects(node, KG.quantityOf))
            value, lo, hi = (g.value(node, p) for p in (KG.quantityValue, KG.minValue, KG.maxValue))
            low, high = (lo if lo is not None else value), (hi if hi is not None else value)
            if not of or low is None or high is None:
                continue
            st = stmt(node, "figure")
            st.roles = {"of": of}
            st.low, st.high = Decimal(str(low)), Decimal(str(high))
            unit = g.value(node, KG.unit)
            st.unit = str(unit).lower() if unit is not None else None
            start, end = int(g.value(node, KG.startChar) or 0), int(g.value(node, KG.endChar) or 0)
            st.events = frozenset(e.kind for s0, e0, e in spans if s0 <= start and end <= e0
                                  and any(of & v for v in e.roles.values()))
            figures.append(st)
    return relations, events, figures, parents


def _ancestors(node: URIRef, parents: dict[URIRef, set[URIRef]]) -> set[URIRef]:
    seen, todo = {node}, [node]
    while todo:
        for p in parents.get(todo.pop(), ()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def places_compatible(a: frozenset, b: frozenset, parents: dict[URIRef, set[URIRef]]) -> bool:
    """Same place, or one inside the other ("Kursk Oblast" and "Russia")."""
    return any(x in _ancestors(y, parents) or y in _ancestors(x, parents) for x in a for y in b)


def events_compatible(a: Stmt, b: Stmt, parents: dict[URIRef, set[URIRef]]) -> bool:
    """Same class; equal participants in every identity role both fill; compatible places and
    dates; and at least two shared participants (counting a compatible place)."""
    if a.kind != b.kind:
        return False
    shared = 0
    for role in IDENTITY_ROLES:
        x, y = a.roles.get(role), b.roles.get(role)
        if x and y:
            if x != y:
                return False
            shared += len(x)
    for role in PLACE_ROLES:
        x, y = a.roles.get(role), b.roles.get(role)
        if x and y:
            if not places_compatible(x, y, parents):
                return False
            shared += 1
    if a.date and b.date and abs((a.date - b.date).days) > MAX_DAYS_APART:
        return False
    return shared >= 2


def figures_comparable(a: Stmt, b: Stmt) -> bool:
    """About a same entity, in the same unit (ignoring case) or without unit, and counting the
    same thing: both in an event of one class ("deployed 200 soldiers", "deployed 11,000
    soldiers") or both outside events ("two soldiers captured" is not "12,000 soldiers in Russia")."""
    if a.events != b.events and not (a.events & b.events):
        return False
    return bool(a.roles["of"] & b.roles["of"]) and (a.unit is None or b.unit is None or a.unit == b.unit)


def figures_conflict(a: Stmt, b: Stmt) -> bool:
    """Comparable figures from different articles or speakers whose intervals do not overlap."""
    if not figures_comparable(a, b):
        return False
    if a.article == b.article and a.speaker == b.speaker:
        return False
    return a.high < b.low or b.high < a.low


def _groups(stmts: list[Stmt], same, keys) -> list[list[Stmt]]:
    """Greedy clustering in a fixed order: a statement joins the first group it fits entirely.

    ``keys(st)`` are blocking keys: two statements ``same`` accepts share one, so only the
    groups holding a statement with a common key are tried (linear in corpus size, not square).
    """
    groups: list[list[Stmt]] = []
    by_key: dict[Any, set[int]] = defaultdict(set)
    for st in sorted(stmts, key=lambda s: (str(s.article), str(s.node))):
        own = keys(st)
        candidates = sorted({g for k in own for g in by_key.get(k, ())})
        for gi in candidates:
            if all(same(st, other) for other in groups[gi]):
                groups[gi].append(st)
                break
        else:
            gi = len(groups)
            groups.append([st])
        for k in own:
            by_key[k].add(gi)
    return groups


def _event_keys(st: Stmt, parents: dict[URIRef, set[URIRef]]) -> set:
    """Blocking keys of an event: its participants, and its places with everything they are in
    (compatible events share a participant or a place, see :func:`events_compatible`)."""
    keys: set = {(role, e) for role in IDENTITY_ROLES for e in st.roles.get(role, ())}
    for role in PLACE_ROLES:
        keys.update(("place", a) for x in st.roles.get(role, ()) for a in _ancestors(x, parents))
    return keys


def _figure_pairs(figures: list[Stmt]) -> list[tuple[int, int]]:
    """Index pairs ``i < j`` of figures about a common entity (the only ones that can be comparable)."""
    by_entity: dict[URIRef, list[int]] = defaultdict(list)
    for i, st in enumerate(figures):
        for e in st.roles["of"]:
            by_entity[e].append(i)
    pairs = {(a, b) for block in by_entity.values() for n, a in enumerate(block) for b in block[n + 1:]}
    return sorted(pairs)


def _iri(kind: str, key: list[str]) -> URIRef:
    h = hashlib.sha1("\x1f".join([kind, *sorted(key)]).encode("utf-8")).hexdigest()[:16]
    return RES[f"fact/{h}"]


def fact_groups(graphs: dict[Any, TripleIndex]) -> tuple[list[list[Stmt]], list[tuple[Stmt, Stmt]]]:
    """Groups of statements that state one fact (two or more articles, or for figures two or more
    sources), and the conflicting figure pairs; ``graphs`` as made by :func:`~kg.graphindex.by_graph`."""
    relations, events, figures, parents = read_statements(graphs)
    by_triple: dict[tuple, list[Stmt]] = defaultdict(list)
    for st in relations:
        by_triple[(st.kind, st.roles["subject"], st.roles["object"])].append(st)
    by_class: dict[str, list[Stmt]] = defaultdict(list)
    for st in events:
        by_class[st.kind].append(st)
    groups = [grp for grp in by_triple.values()]
    for same_class in by_class.values():
        groups += _groups(same_class, lambda a, b: events_compatible(a, b, parents),
                          lambda st: _event_keys(st, parents))
    groups = [grp for grp in groups if len({st.article for st in grp}) >= 2]

    pairs = _figure_pairs(figures)
    conflicts = [(figures[i], figures[j]) for i, j in pairs if figures_conflict(figures[i], figures[j])]
    # figures: connected components of "comparable", kept when two sources give them
    parent = list(range(len(figures)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        if figures_comparable(figures[i], figures[j]):
            parent[find(i)] = find(j)
    components: dict[int, list[Stmt]] = defaultdict(list)
    for i, st in enumerate(figures):
        components[find(i)].append(st)
    for comp in components.values():
        if len({(st.article, st.speaker) for st in comp}) >= 2:
            groups.append(comp)
    return groups, conflicts


def _label(default: TripleIndex, node) -> str:
    label = default.value(node, RDFS.label)  # entity descriptions are in the default graph
    return str(label) if label is not None else str(node).rsplit("/", 1)[-1]


def add_facts(ds: QuadSet, graphs: dict[Any, TripleIndex] | None = None) -> int:
    """Write ``kg:Fact`` nodes and ``kg:conflictsWith`` links into ``ds``; returns the number of facts.

    ``graphs``: ``by_graph(ds)`` when already at hand (reported dates added since do not matter here).
    """
    graphs = graphs if graphs is not None else by_graph(ds)
    groups, conflicts = fact_groups(graphs)
    default = graphs.get(None, TripleIndex())
    g = ds.graph(FACTS_GRAPH)
    conflicting = set()
    for a, b in conflicts:
        g.add((a.node, KG.conflictsWith, b.node))
        g.add((b.node, KG.conflictsWith, a.node))
        conflicting.update((a.node, b.node))
    for grp in groups:
        first = grp[0]
        if first.kind == "figure":
            of = sorted({e for st in grp for e in st.roles["of"]}, key=str)
            unit = next((st.unit for st in grp if st.unit), None)
            key = [str(e) for e in of] + [unit or ""]
            label = f"figures for {', '.join(_label(default, e) for e in of)}" + (f" ({unit})" if unit else "")
        else:
            key = [first.kind] + sorted(f"{r}={e}" for st in grp for r, es in st.roles.items()
                                        if r not in PLACE_ROLES for e in es)
            best = max(grp, key=lambda st: (sum(len(v) for v in st.roles.values()), st.label or ""))
            label = best.label or _label(default, URIRef(first.kind))
        node = _iri(first.kind, key)
        g.add((node, RDF.type, KG.Fact))
        g.add((node, RDFS.label, Literal(label)))
        for st in grp:
            g.add((node, KG.evidence, st.node))
        outlets = {st.source for st in grp if st.factuality not in UNSUPPORTING}
        g.add((node, KG.outletCount, Literal(len(outlets), datatype=XSD.integer)))
        g.add((node, KG.articleCount, Literal(len({st.article for st in grp}), datatype=XSD.integer)))
        if first.kind == "figure":
            g.add((node, KG.conflicting, Literal(any(st.node in conflicting for st in grp))))
    return len(groups)

