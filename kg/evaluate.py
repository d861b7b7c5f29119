"""Score a knowledge graph against gold annotations (format: ``shared/gold/README.md``).

The graph is read through the RDF output contract only (types, labels, ``schema:mentions``,
statement nodes), so any graph following it can be scored, whatever built it.

Exact choices, where the gold README leaves room:

- **Names** of a node are its ``rdfs:label`` and ``skos:altLabel`` values, compared after
  :func:`normalize_name` (case, whitespace, a leading "the ", surrounding quotes or brackets,
  a trailing possessive "'s", curly versus straight apostrophes).
- **Entity nodes** are nodes typed with an entity class (``kg:Person`` ... ``kg:Other``, schema.org
  Person, Organization and Place types) or the object of a ``schema:mentions``.
- **Entity recall**: a required (document, entity) pair is found when the document's article
  (``schema:NewsArticle`` with ``schema:identifier`` = document id) mentions a node with one of the
  entity's names and a type of the gold family (``MilitaryUnit`` satisfies ``Organization``;
  ``Other`` has no type requirement). Recall "any type" drops the type condition.
- **Entity precision**: among the distinct Person, Organization (incl. MilitaryUnit) and Location
  nodes mentioned by the scored articles, the share whose names match a name of any gold entity
  (required or optional, any document; type not checked). Group, event, product and other nodes are
  left out: the gold does not annotate them exhaustively.
- **Duplicates** and **over-merged** nodes use only *distinctive* names: a name shared by several
  gold entities (MEANTIME has "Washington" for a state and in "Everett, Washington") says nothing
  about which one a node is. A gold entity of the scored documents is a duplicate when 2+ entity
  nodes of the whole graph carry one of its distinctive names; a node is over-merged when its
  names are distinctive names of 2+ gold entities.
- **Junk**: Person, Organization or Location nodes (whole graph) with a gold junk string as a name.
- **Relations**: the end nodes are entity nodes of the whole graph matching the gold entity as for
  recall (right type; when no node has the right type, any node with a matching name, so a typing
  error is not counted twice). A path is one triple between the two nodes (either direction), or
  two triples through a node that is neither an entity nor an article. Mention, provenance and
  description links never form a path (:data:`EXCLUDED_PREDICATES`). The words of a path are the
  local names (whole and split at camelCase) and ``rdfs:label`` values of its predicates, and the
  class local names, labels and ``rdf:predicate`` local names of its intermediate node. The
  reification links ``rdf:subject``/``rdf:object`` form paths but add no words (otherwise
  "subject" would match any family containing "sub"). The family regex is searched
  (case-insensitively) in each word and in the words joined by spaces. "Same article" recall
  also requires the path to come from the relation's document: the intermediate node, or an
  ``kg:Assertion`` reifying the direct triple, is ``prov:wasDerivedFrom`` that document's
  article, or (TriG input) the triples sit in a named graph holding only that article.
- **Negatives**: gold pairs joined by any path (words ignored).

Documents absent from the graph count as all missed (listed), unless ``only_graph_docs`` is set.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.vocab import KG, SCHEMA

__all__ = [
    "EvalResult",
    "GoldError",
    "evaluate",
    "format_report",
    "load_gold",
    "load_graphs",
    "normalize_name",
]

PERSON, ORGANIZATION, MILITARY_UNIT, LOCATION = "Person", "Organization", "MilitaryUnit", "Location"
#: Families scored by precision and junk.
SCORED_FAMILIES = frozenset({PERSON, ORGANIZATION, MILITARY_UNIT, LOCATION})

_SCHEMA_ORGS = (
    "Organization", "GovernmentOrganization", "NewsMediaOrganization", "Corporation", "NGO",
    "EducationalOrganization", "SportsOrganization", "SportsTeam", "PoliticalParty", "Airline",
    "MedicalOrganization", "PerformingGroup", "LocalBusiness", "Consortium", "ResearchOrganization",
    "WorkersUnion", "LibrarySystem", "OnlineBusiness", "FundingScheme", "SearchRescueOrganization",
)
_SCHEMA_PLACES = (
    "Place", "Country", "City", "State", "AdministrativeArea", "SchoolDistrict", "BodyOfWater",
    "Continent", "Landform", "Mountain", "Volcano", "RiverBodyOfWater", "LakeBodyOfWater",
    "SeaBodyOfWater", "OceanBodyOfWater", "LandmarksOrHistoricalBuildings", "CivicStructure",
    "TouristAttraction", "TouristDestination", "Airport", "Residence", "Accommodation",
)

#: rdf:type -> family. Classes not listed make a node an entity only if in ENTITY_CLASSES.
TYPE_FAMILY: dict[URIRef, str] = {
    KG.Person: PERSON,
    SCHEMA.Person: PERSON,
    KG.MilitaryUnit: MILITARY_UNIT,
    **{KG[c]: ORGANIZATION for c in
       ("Organization", "GovernmentOrganization", "MediaOrganization", "Platform")},
    **{SCHEMA[c]: ORGANIZATION for c in _SCHEMA_ORGS},
    **{KG[c]: LOCATION for c in
       ("Location", "Country", "AdministrativeRegion", "City", "BodyOfWater")},
    **{SCHEMA[c]: LOCATION for c in _SCHEMA_PLACES},
    KG.Group: "Group",
    KG.NamedEvent: "Other",
    KG.Product: "Other",
    KG.Other: "Other",
    KG.Entity: "Other",
}
ENTITY_CLASSES = frozenset(TYPE_FAMILY)
#: Order in which a node's families are named (the first is "the" type found).
_FAMILY_ORDER = (MILITARY_UNIT, PERSON, ORGANIZATION, LOCATION, "Group", "Other")

#: Mention, provenance and description links: never part of a relation path.
EXCLUDED_PREDICATES = frozenset({
    SCHEMA.mentions, PROV.wasDerivedFrom, PROV.hadPrimarySource, DCTERMS.source,
    SCHEMA.isBasedOn, OWL.sameAs, RDFS.label, SKOS.altLabel, RDF.type, RDFS.seeAlso,
})
#: Reification plumbing: forms paths (Assertion -> subject/object) but contributes no words.
SILENT_PREDICATES = frozenset({RDF.subject, RDF.object})

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201b": "'",
                              "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"',
                              "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
_STRIP = " \t\n\"'()[]{}<>"


def normalize_name(name: str) -> str:
    """Return ``name`` in the form names are compared in ("The Pentagon's" -> "pentagon")."""
    text = unicodedata.normalize("NFKC", str(name)).translate(_APOSTROPHES)
    text = " ".join(text.split()).casefold()
    previous = None
    while text != previous:
        previous = text
        text = text.strip(_STRIP)
        if text.startswith("the "):
            text = text[4:]
        if text.endswith("'s"):
            text = text[:-2]
    return text


def local_name(iri: str) -> str:
    """The part of ``iri`` after its last ``#`` or ``/``."""
    return re.split(r"[#/]", str(iri).rstrip("/#"))[-1]


def _camel_words(name: str) -> list[str]:
    """``hasPositionIn`` -> ``["hasPositionIn", "has position in", "has", "position", "in"]``."""
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)
    words = [name]
    if len(parts) > 1:
        words.append(" ".join(p.lower() for p in parts))
        words.extend(p.lower() for p in parts)
    return words


class GoldError(ValueError):
    """The gold annotations are malformed."""


def load_gold(path: str | Path) -> dict:
    """Read and check a gold JSON file; raise :class:`GoldError` (or OSError) naming the problem."""
    import json

    path = Path(path)
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: not valid JSON ({exc})") from None
    try:
        check_gold(gold)
    except GoldError as exc:
        raise GoldError(f"{path}: {exc}") from None
    return gold


def check_gold(gold: object) -> None:
    """Raise :class:`GoldError` unless ``gold`` has the documented shape."""
    if not isinstance(gold, dict) or not isinstance(gold.get("documents"), dict) \
            or not isinstance(gold.get("entities"), dict):
        raise GoldError("gold needs 'documents' and 'entities' objects")
    entities = gold["entities"]
    for eid, ent in entities.items():
        if not isinstance(ent, dict) or not isinstance(ent.get("names"), list) \
                or not isinstance(ent.get("type", "Other"), str):
            raise GoldError(f"entity {eid!r} needs a 'names' list and a 'type'")
    for doc, spec in gold["documents"].items():
        if not isinstance(spec, dict):
            raise GoldError(f"document {doc!r} is not an object")
        for key in ("req", "opt"):
            for eid in spec.get(key, []):
                if eid not in entities:
                    raise GoldError(f"document {doc!r} refers to unknown entity {eid!r}")
    for key in ("relations", "negatives"):
        for item in gold.get(key, []):
            if not isinstance(item, dict) or item.get("s") not in entities \
                    or item.get("o") not in entities or "doc" not in item:
                raise GoldError(f"bad {key[:-1]} {item!r}")
            if key == "relations":
                try:
                    re.compile(item.get("family", ""))
                except (re.error, TypeError) as exc:
                    raise GoldError(f"bad family regex in {item!r}: {exc}") from None


_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nt": "nt",
            ".ntriples": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".json": "json-ld",
            ".n3": "n3", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}


def load_graphs(paths: Iterable[str | Path]) -> Dataset:
    """Parse graph files (format from the extension) into one Dataset; ValueError names the file."""
    dataset = Dataset(default_union=True)
    for path in map(Path, paths):
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise ValueError(f"{path}: unknown graph format {path.suffix!r} "
                             f"(expected one of {', '.join(sorted(_FORMATS))})")
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
        try:
            dataset.parse(path, format=fmt)
        except Exception as exc:  # rdflib raises many unrelated types on bad input
            reason = " ".join(str(exc).split())[:200]
            raise ValueError(f"{path}: cannot parse as {fmt}: {reason}") from None
    return dataset


@dataclass
class EvalResult:
    """Figures and misses of one evaluation. Ratios are ``None`` when nothing was scored."""

    gold_name: str = "gold"
    graph_names: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)
    entities_required: int = 0
    entities_found: int = 0
    entities_found_any_type: int = 0
    recall_by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [found, total]
    precision_matched: int = 0
    precision_total: int = 0
    relations_total: int = 0
    relations_found: int = 0
    relations_found_same_article: int = 0
    negatives_total: int = 0
    # misses
    missed_entities: list[dict] = field(default_factory=list)
    wrong_type: list[dict] = field(default_factory=list)
    unmatched_nodes: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    over_merged: list[dict] = field(default_factory=list)
    junk: list[dict] = field(default_factory=list)
    missed_relations: list[dict] = field(default_factory=list)
    linked_negatives: list[dict] = field(default_factory=list)

    @property
    def entity_recall(self) -> float | None:
        return _ratio(self.entities_found, self.entities_required)

    @property
    def entity_recall_any_type(self) -> float | None:
        return _ratio(self.entities_found_any_type, self.entities_required)

    @property
    def entity_precision(self) -> float | None:
        return _ratio(self.precision_matched, self.precision_total)

    @property
    def relation_recall(self) -> float | None:
        return _ratio(self.relations_found, self.relations_total)

    @property
    def relation_recall_same_article(self) -> float | None:
        return _ratio(self.relations_found_same_article, self.relations_total)

    def figures(self) -> dict:
        """The headline numbers as a JSON-ready dict."""
        return {
            "gold": self.gold_name,
            "graphs": list(self.graph_names),
            "documents": len(self.documents),
            "missing_documents": len(self.missing_documents),
            "entity_recall": self.entity_recall,
            "entity_recall_any_type": self.entity_recall_any_type,
            "entities_required": self.entities_required,
            "entities_found": self.entities_found,
            "entity_recall_by_type": {t: {"found": f, "total": n, "recall": _ratio(f, n)}
                                      for t, (f, n) in sorted(self.recall_by_type.items())},
            "entity_precision": self.entity_precision,
            "precision_matched": self.precision_matched,
            "precision_total": self.precision_total,
            "duplicates": len(self.duplicates),
            "over_merged": len(self.over_merged),
            "junk": len(self.junk),
            "relation_recall": self.relation_recall,
            "relation_recall_same_article": self.relation_recall_same_article,
            "relations_total": self.relations_total,
            "relations_found": self.relations_found,
            "relations_found_same_article": self.relations_found_same_article,
            "negatives_total": self.negatives_total,
            "negatives_linked": len(self.linked_negatives),
        }

    def to_dict(self) -> dict:
        """Figures plus every list of misses."""
        misses = {k: v for k, v in asdict(self).items() if isinstance(v, list)
                  and k not in ("graph_names", "documents")}
        return {**self.figures(), "misses": misses}


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


class _GraphIndex:
    """The parts of the graph scoring needs, read once."""

    def __init__(self, graph: Graph) -> None:
        self.types: dict = defaultdict(set)
        self.raw_names: dict = defaultdict(list)
        self.labels: dict = defaultdict(list)
        self.mentions: dict = defaultdict(set)
        self.derived: dict = defaultdict(set)
        self.rdf_predicates: dict = defaultdict(set)
        self.article_ids: dict = defaultdict(set)
        self.adjacent: dict = defaultdict(list)  # node -> [(pred, other, contexts)]
        self.reified: dict = defaultdict(set)  # (s, p, o) -> assertion nodes
        reification: dict = defaultdict(dict)
        edges: dict = defaultdict(set)  # (s, p, o) -> contexts
        for s, p, o, ctx in _quads(graph):
            if p == RDF.type:
                self.types[s].add(o)
            elif p in (RDFS.label, SKOS.altLabel) and isinstance(o, Literal):
                self.raw_names[s].append(str(o))
                if p == RDFS.label:
                    self.labels[s].append(str(o))
            elif p == SCHEMA.mentions and not isinstance(o, Literal):
                self.mentions[s].add(o)
            elif p == PROV.wasDerivedFrom:
                self.derived[s].add(o)
            elif p == SCHEMA.identifier and isinstance(o, Literal):
                self.article_ids[s].add(str(o))
            if p in (RDF.subject, RDF.predicate, RDF.object):
                reification[s][p] = o
                if p == RDF.predicate:
                    self.rdf_predicates[s].add(o)
            if p not in EXCLUDED_PREDICATES and isinstance(s, (URIRef, BNode)) \
                    and isinstance(o, (URIRef, BNode)) and s != o:
                bucket = edges[(s, p, o)]
                if ctx is not None:
                    bucket.add(ctx)
        for (s, p, o), contexts in edges.items():
            frozen = frozenset(contexts)
            self.adjacent[s].append((p, o, frozen))
            self.adjacent[o].append((p, s, frozen))
        for node, parts in reification.items():
            if len(parts) == 3:
                self.reified[(parts[RDF.subject], parts[RDF.predicate], parts[RDF.object])].add(node)

        self.articles: dict[str, set] = defaultdict(set)  # doc id -> article nodes
        for node, ids in self.article_ids.items():
            if SCHEMA.NewsArticle in self.types.get(node, ()):
                for doc in ids:
                    self.articles[doc].add(node)
        self.article_nodes = {n for nodes in self.articles.values() for n in nodes}
        mentioned = {n for objs in self.mentions.values() for n in objs}
        self.entities = {n for n, ts in self.types.items() if ts & ENTITY_CLASSES} | mentioned
        self.entities -= self.article_nodes
        self.names = {n: {k for k in map(normalize_name, self.raw_names.get(n, ())) if k}
                      for n in self.entities}
        self.by_name: dict[str, set] = defaultdict(set)
        for node, names in self.names.items():
            for name in names:
                self.by_name[name].add(node)
        self.context_docs = self._context_docs(graph)

    def _context_docs(self, graph: Graph) -> dict:
        """Named graph -> the document id, for named graphs holding exactly one article."""
        if not isinstance(graph, ConjunctiveGraph):
            return {}
        result = {}
        for ctx in getattr(graph, "graphs", graph.contexts)():
            docs = {doc for s in ctx.subjects(RDF.type, SCHEMA.NewsArticle)
                    for doc in self.article_ids.get(s, ())}
            if len(docs) == 1:
                result[ctx.identifier] = docs.pop()
        return result

    def families(self, node) -> set[str]:
        fams = {TYPE_FAMILY[t] for t in self.types.get(node, ()) if t in TYPE_FAMILY}
        return fams or {"Other"}

    def family(self, node) -> str:
        fams = self.families(node)
        return next(f for f in _FAMILY_ORDER + tuple(sorted(fams)) if f in fams)

    def display(self, node) -> str:
        labels = self.labels.get(node) or self.raw_names.get(node)
        return min(labels) if labels else str(node)

    def is_intermediate(self, node) -> bool:
        return node not in self.entities and node not in self.article_nodes


def _quads(graph: Graph):
    """(s, p, o, context id or None) for every triple of ``graph`` (all named graphs of a Dataset)."""
    if isinstance(graph, ConjunctiveGraph):
        for s, p, o, ctx in graph.quads((None, None, None, None)):
            yield s, p, o, getattr(ctx, "identifier", ctx)
    else:
        for s, p, o in graph:
            yield s, p, o, None


def _type_ok(gold_type: str, families: set[str]) -> bool:
    if gold_type == "Other":
        return True
    if gold_type == ORGANIZATION:
        return bool(families & {ORGANIZATION, MILITARY_UNIT})
    return gold_type in families


def evaluate(gold: dict, graph: Graph, *, only_graph_docs: bool = False,
             gold_name: str = "gold", graph_names: Sequence[str] = ()) -> EvalResult:
    """Score ``graph`` (a Graph, or a Dataset read as the union of its graphs) against ``gold``."""
    check_gold(gold)
    index = _GraphIndex(graph)
    entities = gold["entities"]
    gold_names = {eid: {k for k in map(normalize_name, ent["names"]) if k}
                  for eid, ent in entities.items()}
    name_owners: dict[str, set[str]] = defaultdict(set)
    for eid, names in gold_names.items():
        for name in names:
            name_owners[name].add(eid)

    docs = [d for d in gold["documents"] if not only_graph_docs or d in index.articles]
    result = EvalResult(gold_name=gold_name, graph_names=list(graph_names), documents=docs)
    result.missing_documents = [d for d in docs if d not in index.articles]

    _score_entities(result, gold, docs, index, gold_names)
    _score_precision(result, docs, index, name_owners)
    in_scope = {e for d in docs for key in ("req", "opt") for e in gold["documents"][d].get(key, [])}
    _score_splits(result, in_scope, index, gold_names, name_owners)
    _score_junk(result, gold.get("junk", []), index)
    _score_relations(result, gold, set(docs), index, gold_names)
    return result


def _score_entities(result: EvalResult, gold: dict, docs: list[str], index: _GraphIndex,
                    gold_names: dict[str, set[str]]) -> None:
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc in docs:
        mentioned = set().union(*(index.mentions.get(a, set()) for a in index.articles.get(doc, ())))
        for eid in gold["documents"][doc].get("req", []):
            ent = gold["entities"][eid]
            gold_type = ent.get("type", "Other")
            hits = [n for n in mentioned if index.names.get(n, set()) & gold_names[eid]]
            typed = [n for n in hits if _type_ok(gold_type, index.families(n))]
            result.entities_required += 1
            by_type[gold_type][1] += 1
            if typed:
                result.entities_found += 1
                by_type[gold_type][0] += 1
            if hits:
                result.entities_found_any_type += 1
            if hits and not typed:
                result.wrong_type.append({
                    "doc": doc, "entity": eid, "type": gold_type,
                    "found": sorted({f"{index.display(n)} [{index.family(n)}]" for n in hits})})
            elif not hits:
                result.missed_entities.append({"doc": doc, "entity": eid, "type": gold_type,
                                               "names": list(ent["names"])})
    result.recall_by_type = dict(by_type)


def _score_precision(result: EvalResult, docs: list[str], index: _GraphIndex,
                     name_owners: dict[str, set[str]]) -> None:
    nodes = {n for d in docs for a in index.articles.get(d, ()) for n in index.mentions.get(a, ())}
    scored = [n for n in nodes if index.families(n) & SCORED_FAMILIES]
    for node in sorted(scored, key=index.display):
        result.precision_total += 1
        if any(name in name_owners for name in index.names.get(node, ())):
            result.precision_matched += 1
        else:
            result.unmatched_nodes.append({"node": str(node), "label": index.display(node),
                                           "type": index.family(node)})


def _score_splits(result: EvalResult, in_scope: set[str], index: _GraphIndex,
                  gold_names: dict[str, set[str]], name_owners: dict[str, set[str]]) -> None:
    """Duplicates and over-merged nodes, judged on names unique to one gold entity."""
    for eid in sorted(in_scope):
        distinctive = {n for n in gold_names[eid] if name_owners[n] == {eid}}
        nodes = set().union(*(index.by_name.get(n, set()) for n in distinctive))
        if len(nodes) > 1:
            result.duplicates.append({"entity": eid, "nodes": sorted(
                f"{index.display(n)} [{index.family(n)}]" for n in nodes)})
    for node in sorted(index.entities, key=str):
        owners = {next(iter(name_owners[n])) for n in index.names.get(node, ())
                  if len(name_owners.get(n, ())) == 1}
        owners &= in_scope
        if len(owners) > 1:
            result.over_merged.append({"node": str(node), "label": index.display(node),
                                       "entities": sorted(owners)})


def _score_junk(result: EvalResult, junk: list[str], index: _GraphIndex) -> None:
    junk_names = {normalize_name(j): j for j in junk if normalize_name(j)}
    for node in sorted(index.entities, key=str):
        if not index.families(node) & SCORED_FAMILIES:
            continue
        for raw in sorted(set(index.raw_names.get(node, ()))):
            if normalize_name(raw) in junk_names:
                result.junk.append({"node": str(node), "label": raw, "type": index.family(node),
                                    "junk": junk_names[normalize_name(raw)]})


def _end_nodes(eid: str, gold: dict, index: _GraphIndex, gold_names: dict[str, set[str]]) -> set:
    """Entity nodes standing for gold entity ``eid``: right type first, else any type."""
    nodes = set().union(*(index.by_name.get(n, set()) for n in gold_names[eid]))
    gold_type = gold["entities"][eid].get("type", "Other")
    typed = {n for n in nodes if _type_ok(gold_type, index.families(n))}
    return typed or nodes


@dataclass
class _Path:
    words: list[str]
    same_article: bool


def _predicate_words(p, graph_labels: dict) -> list[str]:
    if p in SILENT_PREDICATES:
        return []
    return _camel_words(local_name(p)) + graph_labels.get(p, [])


def _paths(sources: set, targets: set, doc: str, index: _GraphIndex) -> list[_Path]:
    """Every path of length 1 or 2 (through a non-entity, non-article node) from sources to targets."""
    articles = index.articles.get(doc, set())
    labels = index.labels  # predicate labels, when the ontology is loaded with the graph

    def in_doc(contexts) -> bool:
        return any(index.context_docs.get(c) == doc for c in contexts)

    def node_words(x) -> list[str]:
        words: list[str] = []
        for t in sorted(index.types.get(x, ()), key=str):
            words += _camel_words(local_name(t))
        words += index.labels.get(x, [])
        for p in sorted(index.rdf_predicates.get(x, ()), key=str):
            words += _camel_words(local_name(p))
        return words

    found: list[_Path] = []
    for s in sources:
        for p, x, ctx in index.adjacent.get(s, ()):
            if x in targets and x != s:
                assertions = index.reified.get((s, p, x), set()) | index.reified.get((x, p, s), set())
                same = in_doc(ctx) or any(index.derived.get(a, set()) & articles for a in assertions)
                found.append(_Path(_predicate_words(p, labels), same))
            elif index.is_intermediate(x) and not isinstance(x, Literal):
                for p2, y, ctx2 in index.adjacent.get(x, ()):
                    if y in targets and y != s:
                        same = bool(index.derived.get(x, set()) & articles) \
                            or (in_doc(ctx) and in_doc(ctx2))
                        words = (_predicate_words(p, labels) + node_words(x)
                                 + _predicate_words(p2, labels))
                        found.append(_Path(words, same))
    return found


def _matches(family: str, words: list[str]) -> bool:
    pattern = re.compile(family, re.IGNORECASE)
    return any(pattern.search(w) for w in words) or bool(pattern.search(" ".join(words)))


def _score_relations(result: EvalResult, gold: dict, docs: set[str], index: _GraphIndex,
                     gold_names: dict[str, set[str]]) -> None:
    for rel in gold.get("relations", []):
        if rel["doc"] not in docs:
            continue
        result.relations_total += 1
        sources = _end_nodes(rel["s"], gold, index, gold_names)
        targets = _end_nodes(rel["o"], gold, index, gold_names)
        miss = {"doc": rel["doc"], "s": rel["s"], "o": rel["o"], "family": rel.get("family", "")}
        if not sources or not targets:
            absent = [e for e, nodes in ((rel["s"], sources), (rel["o"], targets)) if not nodes]
            result.missed_relations.append({**miss, "reason": "no node for " + ", ".join(absent)})
            continue
        paths = _paths(sources, targets, rel["doc"], index)
        good = [p for p in paths if _matches(rel.get("family", ""), p.words)]
        if good:
            result.relations_found += 1
            result.relations_found_same_article += any(p.same_article for p in good)
        elif paths:
            seen = sorted({" ".join(p.words) for p in paths})[:3]
            result.missed_relations.append({**miss, "reason": "paths do not match family: "
                                            + " | ".join(seen)})
        else:
            result.missed_relations.append({**miss, "reason": "no path"})
    for neg in gold.get("negatives", []):
        if neg["doc"] not in docs:
            continue
        result.negatives_total += 1
        sources = _end_nodes(neg["s"], gold, index, gold_names)
        targets = _end_nodes(neg["o"], gold, index, gold_names)
        paths = _paths(sources, targets, neg["doc"], index) if sources and targets else []
        if paths:
            result.linked_negatives.append({"doc": neg["doc"], "s": neg["s"], "o": neg["o"],
                                            "path": " ".join(paths[0].words)})


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_report(result: EvalResult) -> str:
    """A compact text report: figures, then misses, then the three headline lines."""
    r = result
    lines = [
        f"documents: {len(r.documents)} scored, {len(r.missing_documents)} absent from the graph",
        f"entity recall (typed): {_fmt(r.entity_recall)} ({r.entities_found}/{r.entities_required})",
        f"entity recall (any type): {_fmt(r.entity_recall_any_type)} "
        f"({r.entities_found_any_type}/{r.entities_required})",
    ]
    for gold_type, (found, total) in sorted(r.recall_by_type.items()):
        lines.append(f"  {gold_type}: {_fmt(_ratio(found, total))} ({found}/{total})")
    lines += [
        f"entity precision: {_fmt(r.entity_precision)} ({r.precision_matched}/{r.precision_total} "
        "Person/Organization/Location nodes mentioned by scored articles match a gold name)",
        f"duplicates: {len(r.duplicates)}  over-merged: {len(r.over_merged)}  junk: {len(r.junk)}",
        f"relation recall: {_fmt(r.relation_recall)} ({r.relations_found}/{r.relations_total})",
        f"relation recall (same article): {_fmt(r.relation_recall_same_article)} "
        f"({r.relations_found_same_article}/{r.relations_total})",
        f"negatives linked: {len(r.linked_negatives)}/{r.negatives_total}",
    ]

    def section(title: str, items: list, render) -> None:
        if items:
            lines.append(f"{title} ({len(items)}):")
            lines.extend("  " + render(item) for item in items)

    section("absent documents", r.missing_documents, str)
    section("missed entities", r.missed_entities,
            lambda m: f"{m['doc']} {m['entity']} [{m['type']}]: {' | '.join(m['names'])}")
    section("wrong type", r.wrong_type,
            lambda m: f"{m['doc']} {m['entity']} [{m['type']}] found as {', '.join(m['found'])}")
    section("unmatched entity nodes (precision)", r.unmatched_nodes,
            lambda m: f"{m['label']} [{m['type']}]")
    section("duplicates", r.duplicates, lambda m: f"{m['entity']}: {' / '.join(m['nodes'])}")
    section("over-merged", r.over_merged,
            lambda m: f"{m['label']} <{m['node']}>: {', '.join(m['entities'])}")
    section("junk labels", r.junk, lambda m: f"{m['label']!r} on {m['type']} <{m['node']}>")
    section("missed relations", r.missed_relations,
            lambda m: f"{m['doc']} {m['s']} -> {m['o']}: {m['reason']}")
    section("linked negatives", r.linked_negatives,
            lambda m: f"{m['doc']} {m['s']} -- {m['o']}: {m['path']}")

    lines += [
        f"entities: recall {_fmt(r.entity_recall)} (typed) precision {_fmt(r.entity_precision)} "
        f"duplicates {len(r.duplicates)} over-merged {len(r.over_merged)} junk {len(r.junk)}",
        f"relations: recall {_fmt(r.relation_recall)} ({r.relations_found}/{r.relations_total}) "
        f"negatives linked {len(r.linked_negatives)}",
        f"gold: {r.gold_name} ({len(r.documents)} documents) graph: "
        + (", ".join(r.graph_names) or "(in memory)"),
    ]
    return "\n".join(lines)
