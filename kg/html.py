"""Interactive HTML view of a kg graph: one self-contained file built from the RDF alone.

:func:`graph_view` turns an RDF graph written per the output contract into a plain
node/edge view model; :func:`render_html` inlines that model, vis-network (shipped by
pyvis) and the page's own script and stylesheet into one HTML file that opens offline.
Every piece of article text travels as JSON data and is put in the page with
``textContent``, never parsed as HTML.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
import importlib.util
from pathlib import Path
from typing import Any

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.graphindex import QuadSet, TripleIndex
from kg.vocab import CLASSES, EVENT_CLASSES, FAMILY, KG, SCHEMA

DEFAULT_TITLE = "Knowledge graph"

#: Direct entity-to-entity properties drawn as edges.
RELATIONS = ("partOf", "locatedIn", "headquarteredIn", "nationality", "hasPositionIn")
#: Event roles drawn as edges from the event node to the participant.
ROLES = ("agent", "patient", "theme", "recipient", "destination", "location", "instrument")

#: Entity classes, most specific first: a node typed Country and Location shows as Country.
ENTITY_CLASSES = (
    "GovernmentOrganization", "MilitaryUnit", "MediaOrganization", "Platform",
    "Country", "AdministrativeRegion", "City", "BodyOfWater",
    "Person", "Organization", "Location", "Group", "NamedEvent", "Product", "Other", "Entity",
)
#: Type key of the n-ary event nodes (kg:Event and its subclasses).
EVENT_TYPE = "Event"

#: Colour per type (Tableau-like palette, hues grouped by family).
COLOURS = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b", "GovernmentOrganization": "#e15759", "MilitaryUnit": "#9c3d2f",
    "MediaOrganization": "#b07aa1", "Platform": "#ff9da7",
    "Location": "#59a14f", "Country": "#2f7d32", "AdministrativeRegion": "#8cd17d",
    "City": "#76b7b2", "BodyOfWater": "#3f8fd2",
    "Group": "#edc948", "NamedEvent": "#b6992d", "Product": "#9d7660", "Other": "#a0a0a0",
    "Entity": "#a0a0a0",
    EVENT_TYPE: "#d37295",
}
#: vis-network shape per family (shapes whose size follows ``value``, label below).
SHAPES = {
    "Person": "dot", "Organization": "square", "Location": "triangle", "Group": "hexagon",
    "Event": "star", "Other": "triangleDown", "Entity": "triangleDown", "n-ary": "diamond",
}

_ENTITY_URIS = {KG[c]: c for c in ENTITY_CLASSES}
_EVENT_URIS = {KG[c]: c for c in EVENT_CLASSES}
_STATEMENT_CLASSES = (KG.Assertion, KG.Position, KG.Event, KG.Quantity)
assert set(ENTITY_CLASSES) == set(CLASSES[: CLASSES.index("Assertion")])

_VIS_DIR = "lib/vis-9.1.2"


@dataclass(frozen=True)
class HtmlStats:
    """What :func:`render_html` wrote: drawn and total counts, file size."""

    path: Path
    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    articles: int
    bytes: int

    @property
    def subset(self) -> bool:
        """True when the page shows fewer nodes than the graph has."""
        return self.nodes < self.total_nodes


def union_graph(graph: rdflib.Graph) -> rdflib.Graph:
    """Return a plain graph holding every triple of ``graph`` (all named graphs of a Dataset)."""
    if isinstance(graph, rdflib.ConjunctiveGraph):  # Dataset is a subclass
        flat = rdflib.Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            flat.add((s, p, o))
        return flat
    return graph


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> float | int | None:
    if not isinstance(value, Literal):
        return None
    py = value.toPython()
    if isinstance(py, bool) or not isinstance(py, (int, float, Decimal)):
        return None
    num = float(py)
    return int(num) if num.is_integer() else round(num, 6)


def _date(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text[:16].replace("T", " ") if "T" in text else text


class _Reader:
    """Reads single and multiple values out of one graph, in a stable order."""

    def __init__(self, graph: rdflib.Graph):
        self.g = graph

    def one(self, s, p) -> Any:
        values = list(self.g.objects(s, p))
        if len(values) <= 1:
            return values[0] if values else None
        return min(values, key=str)  # the first in string order, as sorted()[0]

    def all(self, s, p) -> list:
        return sorted(set(self.g.objects(s, p)), key=str)

    def label(self, node) -> str:
        return _text(self.one(node, RDFS.label)) or str(node)

    def of_types(self, types) -> list[URIRef]:
        found = set()
        for t in types:
            found.update(s for s in self.g.subjects(RDF.type, t) if isinstance(s, URIRef))
        return sorted(found, key=str)


class _Provenance:
    """Table of statement provenance rows (sentence, article, attribution), one per statement."""

    def __init__(self, r: _Reader, article_index: dict[URIRef, int]):
        self.r, self.article_index = r, article_index
        self.rows: list[dict[str, Any]] = []
        self.sentences: list[str] = []
        self._sentence_index: dict[str, int] = {}
        self._index: dict[URIRef, int] = {}

    def row(self, stmt: URIRef) -> int:
        if stmt in self._index:
            return self._index[stmt]
        r, row = self.r, {}
        sentence = _text(r.one(stmt, KG.sentence))
        if sentence is not None:
            if sentence not in self._sentence_index:
                self._sentence_index[sentence] = len(self.sentences)
                self.sentences.append(sentence)
            row["s"] = self._sentence_index[sentence]
        source = r.one(stmt, PROV.wasDerivedFrom)
        if source in self.article_index:
            row["a"] = self.article_index[source]
        speaker = r.one(stmt, KG.speaker)
        if speaker is not None:
            row["speaker"] = r.label(speaker)
            # what the speaker claims, for lists of claims by speaker
            what = _text(r.one(stmt, KG.quoteText)) or _text(r.one(stmt, RDFS.label))
            if what is not None:
                row["what"] = what
        reported = _date(r.one(stmt, KG.reportedDate))
        if reported:
            row["date"] = reported
        for key, prop in (("cue", KG.cue), ("channel", KG.channel), ("factuality", KG.factuality),
                          ("rule", KG.extractedBy)):
            value = _text(r.one(stmt, prop))
            if value is not None:
                row[key] = value
        confidence = _number(r.one(stmt, KG.confidence))
        if confidence is not None:
            row["conf"] = confidence
        self._index[stmt] = len(self.rows)
        self.rows.append(row)
        return self._index[stmt]

    def order(self, stmt: URIRef) -> tuple:
        """Sort key: article, then position in the article."""
        start = _number(self.r.one(stmt, KG.startChar))
        source = self.r.one(stmt, PROV.wasDerivedFrom)
        return (self.article_index.get(source, len(self.article_index)),
                start if start is not None else -1, str(stmt))


def _articles(r: _Reader) -> list[dict[str, Any]]:
    rows = []
    for a in r.of_types([SCHEMA.NewsArticle]):
        publisher = r.one(a, SCHEMA.publisher)
        rows.append({
            "iri": str(a),
            "headline": _text(r.one(a, SCHEMA.headline)) or _text(r.one(a, SCHEMA.identifier)) or str(a),
            "date": _date(r.one(a, SCHEMA.datePublished)) or "",
            "url": _text(r.one(a, SCHEMA.url)),
            "publisher": r.label(publisher) if publisher is not None else None,
        })
    return sorted(rows, key=lambda row: (row["date"], row["headline"], row["iri"]))


def graph_view(graph: rdflib.Graph | QuadSet, *, max_nodes: int | None = None,
               title: str = DEFAULT_TITLE) -> dict[str, Any]:
    """Build the page's view model (a JSON-ready dict) from an RDF graph per the output contract.

    Nodes are the entities (typed with a kg entity class) and the n-ary events; edges are the
    direct kg relations between entities (labelled by relation, or by position title for
    ``hasPositionIn``) and the events' roles (event -> participant, labelled by role). With
    ``max_nodes`` only the top entities by mention count (then degree) are kept, plus the
    events joining two of them (or their only participant).
    """
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"max_nodes must be positive, got {max_nodes}")
    r = _Reader(TripleIndex.union(graph, unique=False))  # every read below dedupes
    g = r.g
    articles = _articles(r)
    article_index = {URIRef(row["iri"]): i for i, row in enumerate(articles)}
    prov = _Provenance(r, article_index)

    entity_type: dict[URIRef, str] = {}
    for s in r.of_types(_ENTITY_URIS):
        classes = {_ENTITY_URIS[t] for t in g.objects(s, RDF.type) if t in _ENTITY_URIS}
        entity_type[s] = next(c for c in ENTITY_CLASSES if c in classes)
    events = [e for e in r.of_types([KG.Event]) if e not in entity_type]

    # Edges, endpoints still IRIs: relations with their statements, then event roles.
    assertions: dict[tuple, list[URIRef]] = defaultdict(list)
    for a in r.of_types([KG.Assertion]):
        assertions[(r.one(a, RDF.subject), r.one(a, RDF.predicate), r.one(a, RDF.object))].append(a)
    positions_by_pair: dict[tuple, list[URIRef]] = defaultdict(list)
    positions_by_holder: dict[URIRef, list[URIRef]] = defaultdict(list)
    for pos in r.of_types([KG.Position]):
        holder, org = r.one(pos, KG.positionHolder), r.one(pos, KG.positionIn)
        if holder is not None:
            positions_by_holder[holder].append(pos)
            positions_by_pair[(holder, org)].append(pos)
    raw_edges: list[dict[str, Any]] = []
    for rel in RELATIONS:
        prop = KG[rel]
        for s, o in sorted(set(g.subject_objects(prop)), key=lambda so: (str(so[0]), str(so[1]))):
            if s not in entity_type or o not in entity_type:
                continue
            stmts, label = list(assertions.get((s, prop, o), [])), rel
            if rel == "hasPositionIn":
                held = positions_by_pair.get((s, o), [])
                titles = sorted({t for p in held if (t := _text(r.one(p, KG.positionTitle)))})
                label = ", ".join(titles) or rel
                stmts += held
            raw_edges.append({"from": s, "to": o, "rel": rel, "label": label,
                              "stmts": sorted(stmts, key=prov.order)})
    for ev in events:
        for role in ROLES:
            for o in r.all(ev, KG[role]):
                if o in entity_type:
                    raw_edges.append({"from": ev, "to": o, "rel": role, "label": role, "stmts": [ev]})
    degree: dict[URIRef, int] = defaultdict(int)
    participants: dict[URIRef, set[URIRef]] = defaultdict(set)
    for e in raw_edges:
        degree[e["from"]] += 1
        degree[e["to"]] += 1
        if e["rel"] in ROLES:
            participants[e["from"]].add(e["to"])

    # The subset: top entities, then the events between them.
    mention_count = {s: _number(r.one(s, KG.mentionCount)) for s in entity_type}
    kept = sorted(entity_type, key=lambda s: (-(mention_count[s] or 0), -degree[s], str(s)))
    if max_nodes is not None:
        kept = kept[:max_nodes]
    kept_set = set(kept)
    kept_set.update(ev for ev in events if max_nodes is None
                    or len(participants[ev] & kept_set) >= min(2, len(participants[ev])) > 0)
    node_iris = sorted(kept_set, key=str)
    node_id = {iri: i for i, iri in enumerate(node_iris)}

    edges_out = []
    for e in raw_edges:
        if e["from"] in node_id and e["to"] in node_id:
            rows = [prov.row(st) for st in e["stmts"]]
            arts = sorted({prov.rows[i]["a"] for i in rows if "a" in prov.rows[i]})
            edges_out.append({"from": node_id[e["from"]], "to": node_id[e["to"]], "rel": e["rel"],
                              "label": e["label"], "prov": rows, "articles": arts})
    edges_out.sort(key=lambda e: (e["from"], e["to"], e["rel"], e["label"]))

    # Per-node details for the side panel.
    mentioned_by: dict[URIRef, set[int]] = defaultdict(set)
    for a, i in article_index.items():
        for m in g.objects(a, SCHEMA.mentions):
            mentioned_by[m].add(i)
    quotes_by_speaker: dict[URIRef, set[URIRef]] = defaultdict(set)
    for q in r.of_types([KG.Quote]):
        for sp in set(r.all(q, KG.speaker)) | set(r.all(q, PROV.wasQuotedFrom)):
            quotes_by_speaker[sp].add(q)
    claims_by_speaker: dict[URIRef, set[URIRef]] = defaultdict(set)
    for st in r.of_types(_STATEMENT_CLASSES):
        for sp in r.all(st, KG.speaker):
            claims_by_speaker[sp].add(st)
    quantities_of: dict[URIRef, set[URIRef]] = defaultdict(set)
    for q in r.of_types([KG.Quantity]):
        for target in r.all(q, KG.quantityOf):
            quantities_of[target].add(q)

    nodes_out = []
    for iri in node_iris:
        if iri in entity_type:
            node = _entity_node(r, prov, iri, entity_type[iri], mention_count[iri],
                                positions_by_holder.get(iri, []), quotes_by_speaker.get(iri, set()),
                                claims_by_speaker.get(iri, set()), quantities_of.get(iri, set()))
        else:
            node = _event_node(r, prov, iri)
        node["id"] = node_id[iri]
        arts = set(mentioned_by.get(iri, set()))
        if "p" in node and "a" in prov.rows[node["p"]]:
            arts.add(prov.rows[node["p"]]["a"])
        node["articles"] = sorted(arts)
        node["degree"] = degree[iri]
        nodes_out.append(node)

    return {
        "title": title,
        "types": _type_rows(nodes_out),
        "articles": articles,
        "sentences": prov.sentences,
        "prov": prov.rows,
        "nodes": nodes_out,
        "edges": edges_out,
        "totals": {"nodes": len(entity_type) + len(events), "edges": len(raw_edges),
                   "entities": len(entity_type), "events": len(events)},
        "maxNodes": max_nodes,
    }


def _entity_node(r: _Reader, prov: _Provenance, iri: URIRef, cls: str, mentions, positions,
                 quotes, claims, quantities) -> dict[str, Any]:
    node: dict[str, Any] = {"iri": str(iri), "type": cls, "label": r.label(iri)}
    aliases = sorted({str(a) for a in r.all(iri, SKOS.altLabel)} - {node["label"]})
    if aliases:
        node["aliases"] = aliases
    same = [str(x) for x in r.all(iri, OWL.sameAs) if isinstance(x, URIRef)]
    if same:
        node["sameAs"] = same
    if (code := _text(r.one(iri, KG.countryCode))) is not None:
        node["country"] = code
    lat, lon = _number(r.one(iri, SCHEMA.latitude)), _number(r.one(iri, SCHEMA.longitude))
    if lat is not None and lon is not None:
        node["geo"] = [lat, lon]
    if mentions is not None:
        node["mentions"] = mentions
    rows = []
    for p in sorted(positions, key=prov.order):
        rows.append({"title": _text(r.one(p, KG.positionTitle)) or r.label(p), "label": r.label(p),
                     "p": prov.row(p)})
    if rows:
        node["positions"] = rows
    rows = [{"text": _text(r.one(q, KG.quoteText)) or "", "p": prov.row(q)}
            for q in sorted(quotes, key=prov.order)]
    if rows:
        node["quotes"] = rows
    if claims:
        node["claims"] = [prov.row(c) for c in sorted(claims, key=prov.order)]
    rows = [{"text": _text(r.one(q, KG.quantityText)) or "", "p": prov.row(q)}
            for q in sorted(quantities, key=prov.order)]
    if rows:
        node["quantities"] = rows
    return node


def _event_node(r: _Reader, prov: _Provenance, iri: URIRef) -> dict[str, Any]:
    classes = sorted({_EVENT_URIS[t] for t in r.g.objects(iri, RDF.type) if t in _EVENT_URIS})
    kind = classes[0] if classes else EVENT_TYPE
    trigger = _text(r.one(iri, KG.trigger))
    node = {"iri": str(iri), "type": EVENT_TYPE, "eventClass": kind,
            "label": _text(r.one(iri, RDFS.label)) or (f"{kind}: {trigger}" if trigger else kind),
            "p": prov.row(iri)}
    if trigger:
        node["trigger"] = trigger
    if (d := _date(r.one(iri, KG.eventDate))) is not None:
        node["date"] = d
    return node


def _type_rows(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for n in nodes:
        counts[n["type"]] += 1
    rows = []
    for cls in (*ENTITY_CLASSES, EVENT_TYPE):
        if counts.get(cls):
            family = "n-ary" if cls == EVENT_TYPE else FAMILY.get(cls, "Entity")
            label = "Event (n-ary)" if cls == EVENT_TYPE else re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls).capitalize()
            rows.append({"key": cls, "label": label,
                         "color": COLOURS[cls], "shape": SHAPES[family], "count": counts[cls]})
    return rows


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' survives as such."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _asset(package: str, name: str, *, inline: bool = True) -> str:
    text = _package_dir(package).joinpath(name).read_text(encoding="utf-8")
    lowered = text.lower()
    if inline and ("</script" in lowered or "</style" in lowered or "<!--" in lowered):
        raise ValueError(f"{package}/{name}: cannot be inlined (contains a closing tag)")
    return text


def _package_dir(package: str) -> Path:
    """The folder of an installed package, found without importing it (importing pyvis pulls in
    networkx, jsonpickle and IPython helpers: half a second to read four files)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def render_page(view: dict[str, Any]) -> str:
    """Render a view model to the text of a self-contained HTML page."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("kg", "data/graph.html.j2", inline=False))
    return template.render(
        title=view["title"],
        vis_css=Markup(_asset("pyvis", f"{_VIS_DIR}/vis-network.css")),
        vis_js=Markup(_asset("pyvis", f"{_VIS_DIR}/vis-network.min.js")),
        page_css=Markup(_asset("kg", "data/graph.css")),
        page_js=Markup(_asset("kg", "data/graph.js")),
        data=Markup(_script_json(view)),
    )


def write_atomic(path: Path, text: str) -> int:
    """Write ``text`` as UTF-8 to ``path`` with :func:`kg.serialize.write_atomic`; return the size."""
    from kg.serialize import write_atomic as write_bytes

    data = text.encode("utf-8")
    write_bytes(path, data)
    return len(data)


def render_html(graph: rdflib.Graph | QuadSet, path: str | os.PathLike, *, max_nodes: int | None = None,
                title: str = DEFAULT_TITLE) -> HtmlStats:
    """Write the interactive, offline HTML view of ``graph`` (Graph, Dataset or QuadSet) to ``path``.

    ``max_nodes`` keeps only the top entities by mentions; the page says it shows a subset.
    The same graph always gives the same bytes.

    >>> import rdflib, tempfile, pathlib
    >>> render_html(rdflib.Graph(), pathlib.Path(tempfile.mkdtemp()) / "graph.html").nodes
    0
    """
    view = graph_view(graph, max_nodes=max_nodes, title=title)
    target = Path(path)
    size = write_atomic(target, render_page(view))
    return HtmlStats(path=target, nodes=len(view["nodes"]), edges=len(view["edges"]),
                     total_nodes=view["totals"]["nodes"], total_edges=view["totals"]["edges"],
                     articles=len(view["articles"]), bytes=size)
