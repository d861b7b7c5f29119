"""An RDF graph (per the output contract) as a networkx ``MultiDiGraph`` for graph analysis.

Nodes are keyed by IRI (a plain string):

- **entities** (``kind="entity"``): ``type`` (most specific kg class, e.g. ``Country``),
  ``family`` (``Person``, ``Organization``, ``Location``, ``Group``, ``Event``, ``Other``),
  ``label``, ``mentions`` (int), ``articles`` (doc ids mentioning it) and when known
  ``aliases``, ``wikidata`` (``Q..``), ``geonames``, ``country``, ``lat``, ``lon``.
- **events** (``kind="event"``, only with ``events=True``): the n-ary events stay nodes, so an
  event with one or three participants keeps them all; ``type`` is the event class
  (``Capture``...), plus ``label``, ``trigger``, ``date`` and the event's provenance.

Edges, one per piece of evidence (parallel edges when several sentences state the same fact):

- a direct relation ``S kg:<prop> O`` (partOf, locatedIn, headquarteredIn, nationality,
  hasPositionIn) gives one edge ``S -> O`` per supporting statement (kg:Assertion, or
  kg:Position for hasPositionIn, whose ``title`` becomes the edge ``label``), or a single edge
  without provenance when no statement supports it. Statements whose direct triple was
  left out of the graph (denied or hypothetical claims) give no edge.
- an event role gives an edge ``event -> participant`` with ``predicate`` = the role
  (``agent``, ``patient``, ``location``...).

Edge attributes: ``predicate``, ``label``, and the statement's provenance: ``statement``
(its IRI), ``sentence``, ``article`` (doc id), ``start_char``/``end_char`` (offsets in the
article text), ``rule``, ``confidence``, ``factuality``, ``speaker`` (IRI), ``cue`` when
present. The reading of the contract (entity classes,
relations, roles) is :mod:`kg.html`'s, so the HTML view and this graph show the same edges.

>>> import rdflib
>>> from kg.vocab import KG, RES
>>> g = rdflib.Graph()
>>> _ = g.add((RES["location/kyiv"], rdflib.RDF.type, KG.City))
>>> _ = g.add((RES["location/kyiv"], rdflib.RDFS.label, rdflib.Literal("Kyiv")))
>>> _ = g.add((RES["location/ukraine"], rdflib.RDF.type, KG.Country))
>>> _ = g.add((RES["location/kyiv"], KG.locatedIn, RES["location/ukraine"]))
>>> G = to_networkx(g)
>>> G.nodes[str(RES["location/kyiv"])]["type"], G.number_of_edges()
('City', 1)
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import networkx as nx
import rdflib
from rdflib import Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.html import ENTITY_CLASSES, RELATIONS, ROLES, union_graph
from kg.vocab import EVENT_CLASSES, FAMILY, GEONAMES, KG, SCHEMA, WD

_ENTITY_URIS = {KG[c]: c for c in ENTITY_CLASSES}
_EVENT_URIS: dict[Node, str] = {KG[c]: c for c in EVENT_CLASSES}
_RANK = {c: i for i, c in enumerate(ENTITY_CLASSES)}


def _value(term: Any) -> Any:
    """A plain Python value for a literal (int/float/str), the string of an IRI."""
    if term is None:
        return None
    if isinstance(term, Literal):
        py = term.toPython()
        if isinstance(py, Decimal):
            return float(py)
        if isinstance(py, (bool, int, float, str)):
            return py
        return str(term)
    return str(term)


def _one(g: rdflib.Graph, s, p) -> Any:
    values = sorted(g.objects(s, p), key=str)
    return values[0] if values else None


class _ArticleIds:
    """Article IRI -> doc id (schema:identifier, else the IRI's last segment)."""

    def __init__(self, g: rdflib.Graph):
        self.ids = {a: str(_one(g, a, SCHEMA.identifier) or str(a).rsplit("/", 1)[-1])
                    for a in g.subjects(RDF.type, SCHEMA.NewsArticle)}

    def __call__(self, article) -> str | None:
        if article is None:
            return None
        return self.ids.get(article, str(article).rsplit("/", 1)[-1])


def provenance(g: rdflib.Graph, statement: Node, article_id=None) -> dict[str, Any]:
    """The provenance attributes of one statement node (only those present)."""
    article_id = article_id or _ArticleIds(g)
    out: dict[str, Any] = {"statement": str(statement)}
    for key, prop in (("sentence", KG.sentence), ("start_char", KG.startChar), ("end_char", KG.endChar),
                      ("rule", KG.extractedBy), ("confidence", KG.confidence),
                      ("factuality", KG.factuality), ("speaker", KG.speaker), ("cue", KG.cue)):
        value = _value(_one(g, statement, prop))
        if value is not None:
            out[key] = value
    article = article_id(_one(g, statement, PROV.wasDerivedFrom))
    if article is not None:
        out["article"] = article
    return out


def entity_types(g: rdflib.Graph) -> dict[Node, str]:
    """Every entity IRI -> its most specific kg entity class."""
    found: dict[Node, str] = {}
    for uri, cls in _ENTITY_URIS.items():
        for s in g.subjects(RDF.type, uri):
            if isinstance(s, URIRef) and (s not in found or _RANK[cls] < _RANK[found[s]]):
                found[s] = cls
    return found


def _entity_attrs(g: rdflib.Graph, iri: Node, cls: str, articles: list[str]) -> dict[str, Any]:
    label = str(_one(g, iri, RDFS.label) or iri)
    attrs: dict[str, Any] = {"kind": "entity", "type": cls, "family": FAMILY.get(cls, "Other"),
                             "label": label, "mentions": int(_value(_one(g, iri, KG.mentionCount)) or 0),
                             "articles": articles}
    aliases = sorted({str(a) for a in g.objects(iri, SKOS.altLabel)} - {label})
    if aliases:
        attrs["aliases"] = aliases
    for same in sorted(g.objects(iri, OWL.sameAs), key=str):
        text = str(same)
        if text.startswith(str(WD)):
            attrs.setdefault("wikidata", text[len(str(WD)):])
        elif text.startswith(str(GEONAMES)):
            attrs.setdefault("geonames", text[len(str(GEONAMES)):].strip("/"))
    for key, prop in (("country", KG.countryCode), ("lat", SCHEMA.latitude), ("lon", SCHEMA.longitude)):
        value = _value(_one(g, iri, prop))
        if value is not None:
            attrs[key] = value
    return attrs


def to_networkx(graph: rdflib.Graph, *, events: bool = True) -> nx.MultiDiGraph:
    """Build the entity graph of an rdflib Graph or Dataset (see the module docstring).

    With ``events=False`` only entities and the direct relations between them are kept.
    Node and edge order is deterministic (sorted by IRI).
    """
    g = union_graph(graph)
    article_id = _ArticleIds(g)
    types = entity_types(g)
    mentioned: dict[Node, set[str]] = defaultdict(set)
    for article, doc_id in article_id.ids.items():
        for m in g.objects(article, SCHEMA.mentions):
            mentioned[m].add(doc_id)

    G = nx.MultiDiGraph()
    for iri in sorted(types, key=str):
        G.add_node(str(iri), **_entity_attrs(g, iri, types[iri], sorted(mentioned.get(iri, ()))))

    support: dict[tuple, list[Node]] = defaultdict(list)
    for st in g.subjects(RDF.type, KG.Assertion):
        support[(_one(g, st, RDF.subject), _one(g, st, RDF.predicate), _one(g, st, RDF.object))].append(st)
    for pos in g.subjects(RDF.type, KG.Position):
        support[(_one(g, pos, KG.positionHolder), KG.hasPositionIn, _one(g, pos, KG.positionIn))].append(pos)

    for rel in RELATIONS:
        prop = KG[rel]
        for s, o in sorted(g.subject_objects(prop), key=lambda so: (str(so[0]), str(so[1]))):
            if s not in types or o not in types:
                continue
            statements = sorted(set(support.get((s, prop, o), [])), key=str)
            if not statements:
                G.add_edge(str(s), str(o), key=rel, predicate=rel, label=rel)
            for st in statements:
                title = _one(g, st, KG.positionTitle)
                G.add_edge(str(s), str(o), key=str(st), predicate=rel,
                           label=str(title) if title is not None else rel, **provenance(g, st, article_id))

    if events:
        for ev in sorted({e for e in g.subjects(RDF.type, KG.Event) if isinstance(e, URIRef)} - set(types), key=str):
            classes = sorted(_EVENT_URIS[t] for t in g.objects(ev, RDF.type) if t in _EVENT_URIS)
            cls = classes[0] if classes else "Event"
            prov = provenance(g, ev, article_id)
            attrs = {"kind": "event", "type": cls, "family": "Event",
                     "label": str(_one(g, ev, RDFS.label) or cls), **prov}
            attrs.pop("statement")
            for key, prop in (("trigger", KG.trigger), ("date", KG.eventDate)):
                value = _one(g, ev, prop)
                if value is not None:
                    attrs[key] = str(value)
            G.add_node(str(ev), **attrs)
            for role in ROLES:
                for o in sorted(g.objects(ev, KG[role]), key=str):
                    if o in types:
                        G.add_edge(str(ev), str(o), key=f"{role}:{o}", predicate=role, label=role, **prov)
    return G


def entity_subgraph(G: nx.MultiDiGraph) -> nx.Graph:
    """An undirected simple graph for centrality and communities.

    Entities only: each event is replaced by edges between its participants, parallel edges
    collapse into one whose ``weight`` counts them.
    """
    H = nx.Graph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "entity")

    def link(u: str, v: str) -> None:
        if u == v:
            return
        if H.has_edge(u, v):
            H[u][v]["weight"] += 1
        else:
            H.add_edge(u, v, weight=1)

    for u, v in G.edges():
        if u in H and v in H:
            link(u, v)
    for n, d in G.nodes(data=True):
        if d.get("kind") == "event":
            members = sorted({v for v in G.successors(n) if v in H})
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    link(a, b)
    return H
