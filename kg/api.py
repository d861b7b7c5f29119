"""The Python API: build a knowledge graph from articles or texts, then query, analyse and trace it.

>>> import kg
>>> graph = kg.build(["The Lithuanian Defence Minister Ruta Vaitkus visited Vilnius on Monday. "
...                   "She met soldiers of the German Army in Vilnius."])
>>> [e.label for e in graph.entities(type="Person")]
['Ruta Vaitkus']
>>> graph.query("SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name }")["name"].tolist()
['Ruta Vaitkus']
>>> graph.explain("Ruta Vaitkus")[0].sentence
'The Lithuanian Defence Minister Ruta Vaitkus visited Vilnius on Monday.'

:func:`build` runs the same pipeline as ``kg build`` (ingest -> spaCy -> extraction ->
resolution -> RDF); :func:`load` reads graph files that ``kg build`` wrote. A
:class:`KnowledgeGraph` holds the RDF (:attr:`~KnowledgeGraph.rdf`) and offers views of it:
networkx, SPARQL into pandas, HTML, serialisations, entity lists and provenance.
"""

from __future__ import annotations

import dataclasses
import glob
import html
import os
import re
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import rdflib
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.config import Settings
from kg.records import Article, Extraction, Skipped
from kg.vocab import FAMILY, PREFIXES, RES, SCHEMA

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd
    from IPython.display import HTML

    from kg.html import HtmlStats
    from kg.resolve import Resolution

#: What :func:`build` accepts: a path (file, folder, glob), a raw text, or an Article.
Input = Union[str, "os.PathLike[str]", Article]

_ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson")
_FAMILIES = frozenset(FAMILY.values())


class EntityNotFound(LookupError):
    """No entity, or more than one, answers to the name given."""


@dataclass(frozen=True)
class EntityInfo:
    """One entity of the graph, as listed by :meth:`KnowledgeGraph.entities`."""

    iri: str
    label: str
    type: str  # most specific kg class, e.g. "Country"
    family: str  # Person, Organization, Location, Group, Event, Other
    mentions: int
    articles: tuple[str, ...]  # doc ids of the articles mentioning it
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True)
class Evidence:
    """One place where the text supports something about an entity (see :meth:`KnowledgeGraph.explain`).

    ``kind`` is ``mention`` (the name as written), ``relation``, ``position``, ``event``,
    ``quote``, ``quantity`` or ``claim`` (a statement the entity is the source of); ``role``
    says how the entity takes part (``subject``/``object``, an event role, ``speaker``...;
    for mentions ``headline`` or ``demonym`` when the name is not plainly in the body).
    ``start``/``end`` are character offsets in the article text (in the headline for
    headline mentions).
    """

    kind: str
    text: str
    sentence: str | None
    article: str | None  # doc id
    headline: str | None
    start: int | None = None
    end: int | None = None
    role: str | None = None
    statement: str | None = None  # IRI of the statement node (None for mentions)
    factuality: str | None = None
    confidence: float | None = None


# --- building ----------------------------------------------------------------------------------


def build(inputs: Input | Iterable[Input], out: str | os.PathLike[str] | None = None, *,
          settings: Settings | None = None, **options: Any) -> KnowledgeGraph:
    """Build the knowledge graph of ``inputs``: paths, raw texts and/or :class:`~kg.records.Article` s.

    A string is a path when it names an existing file or folder (or a glob matching one);
    otherwise it is the text of an article (its body: give an ``Article`` for a headline,
    date or source). A single word that looks like a file name but does not exist raises
    ``FileNotFoundError`` rather than becoming a one-word article. Raw texts get the doc ids
    ``text-1``, ``text-2``... Unreadable inputs are skipped with a warning and listed in
    ``report["skipped"]``. With ``out`` the usual files are written there too (graph.ttl,
    graph.trig, graph.html, report.json). ``options`` set :class:`~kg.config.Settings` fields
    (``model``, ``min_confidence``, ``workers``, ``batch_size``, ``progress``...).

    >>> graph = build("The Kremlin said Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
    >>> sorted(e.label for e in graph.entities(type="Person"))
    ['Kim Jong Un', 'Vladimir Putin']
    """
    from kg.gazetteer import load_gazetteer
    from kg.pipeline import BuildResult, extract_articles, make_report, write_outputs
    from kg.progress import progress
    from kg.rdf import to_quads
    from kg.resolve import resolve

    fields = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(options) - fields)
    if unknown:
        raise TypeError(f"build() got unknown option(s) {', '.join(unknown)} (settings: {', '.join(sorted(fields))})")
    settings = dataclasses.replace(settings or Settings(progress=False), **options)

    started = time.perf_counter()
    skipped: list[Skipped] = []
    articles = collect_articles(inputs, on_skip=skipped.append)
    for item in skipped:
        warnings.warn(f"kg: skipped {item.path}: {item.reason}", stacklevel=2)
    extractions = list(progress(extract_articles(articles, settings), total=len(articles),
                                description="Extracting", enabled=settings.progress))
    resolution = resolve(extractions, load_gazetteer())
    result = BuildResult(to_quads(extractions, resolution), extractions, resolution)
    result.report = make_report(result, skipped, time.perf_counter() - started)
    if out is not None:
        write_outputs(result, Path(out), settings)
    assert result.dataset is not None  # only store builds leave it out
    return KnowledgeGraph(result.dataset, extractions=extractions, resolution=resolution, report=result.report)


def collect_articles(inputs: Input | Iterable[Input],
                     on_skip: Callable[[Skipped], None] | None = None) -> list[Article]:
    """Turn :func:`build`'s inputs into Articles, in order, with unique doc ids."""
    from kg.ingest import iter_articles, normalize_text

    if isinstance(inputs, (str, os.PathLike, Article)):
        inputs = [inputs]
    skip = on_skip or (lambda item: warnings.warn(f"kg: skipped {item.path}: {item.reason}", stacklevel=3))
    seen: set[str] = set()
    out: list[Article] = []
    n_texts = 0

    def add(article: Article) -> None:
        doc_id, n = article.doc_id, 1
        while doc_id in seen:
            n += 1
            doc_id = f"{article.doc_id}-{n}"
        seen.add(doc_id)
        out.append(article if doc_id == article.doc_id else dataclasses.replace(article, doc_id=doc_id))

    for item in inputs:
        if isinstance(item, Article):
            add(item)
        elif isinstance(item, os.PathLike) or (isinstance(item, str) and _is_path(item)):
            for article in iter_articles([item], on_skip=skip):
                add(article)
        elif isinstance(item, str):
            n_texts += 1
            text = normalize_text(item)
            if text:
                add(Article(doc_id=f"text-{n_texts}", text=text))
            else:
                skip(Skipped(f"<text {n_texts}>", "empty text"))
        else:
            raise TypeError(f"cannot build from {type(item).__name__}: give paths, texts or Articles")
    return out


def _is_path(text: str) -> bool:
    if text == "-" or os.path.exists(text):
        return True
    if "\n" not in text and glob.has_magic(text) and glob.glob(text):
        return True
    if not re.search(r"\s", text) and ("/" in text or os.sep in text or text.lower().endswith(_ARTICLE_SUFFIXES)):
        raise FileNotFoundError(f"{text}: no such file or folder")
    return False


def load(*paths: str | os.PathLike[str]) -> KnowledgeGraph:
    """Read graph files written by ``kg build`` (.trig keeps the article graphs; .ttl, .nt, .nq,
    .jsonld), or one store directory made by ``kg build --store``.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.ttl"
    >>> _ = path.write_text("")
    >>> len(load(path).entities())
    0
    """
    from kg.serialize import to_rdflib
    from kg.validate import parse_quads

    if not paths:
        raise ValueError("load() needs at least one graph file or a store directory")
    if any(Path(p).is_dir() for p in paths):
        if len(paths) > 1:
            raise ValueError(f"{next(p for p in paths if Path(p).is_dir())}: a store directory must be loaded on its own")
        from kg.store import content_quads, open_store

        return KnowledgeGraph(to_rdflib(content_quads(open_store(paths[0], read_only=True))))
    return KnowledgeGraph(to_rdflib(q for p in paths for q in parse_quads(p)))


# --- the graph ---------------------------------------------------------------------------------


class KnowledgeGraph:
    """A built (or loaded) knowledge graph and its views.

    :attr:`rdf` is the rdflib Dataset (entity descriptions in the default graph, one named
    graph per article). Derived views (networkx graph, SPARQL store, label index) are made on
    first use and cached: after changing :attr:`rdf` in place, call :meth:`refresh`.
    """

    def __init__(self, dataset: Dataset, *, extractions: Sequence[Extraction] | None = None,
                 resolution: Resolution | None = None, report: dict[str, Any] | None = None):
        self.rdf: Dataset = dataset
        self.extractions: list[Extraction] = list(extractions or [])
        self.resolution = resolution
        self.report: dict[str, Any] = dict(report or {})
        self._cache: dict[str, Any] = {}

    def refresh(self) -> None:
        """Forget cached views after :attr:`rdf` was changed."""
        self._cache.clear()

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def _union(self) -> rdflib.Graph:
        from kg.html import union_graph

        return self._cached("union", lambda: union_graph(self.rdf))

    @property
    def _network(self) -> nx.MultiDiGraph:
        from kg.network import to_networkx

        return self._cached("network", lambda: to_networkx(self.rdf))

    def __len__(self) -> int:
        """Number of distinct triples (all graphs merged)."""
        return len(self._union)

    def __repr__(self) -> str:
        G = self._network
        kinds = [d.get("kind") for _, d in G.nodes(data=True)]
        return (f"<KnowledgeGraph: {len(self.articles())} articles, {kinds.count('entity')} entities, "
                f"{kinds.count('event')} events, {G.number_of_edges()} edges, {len(self)} triples>")

    # --- views ---

    def articles(self) -> list[dict[str, Any]]:
        """The articles: doc id, headline, date, url, publisher label, sorted by date then id.

        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> [a["id"] for a in graph.articles()]
        ['text-1']
        """
        g = self._union
        rows = []
        for a in set(g.subjects(RDF.type, SCHEMA.NewsArticle)):
            publisher = _one(g, a, SCHEMA.publisher)
            rows.append({"id": str(_one(g, a, SCHEMA.identifier) or str(a).rsplit("/", 1)[-1]),
                         "headline": _str(_one(g, a, SCHEMA.headline)),
                         "date": _str(_one(g, a, SCHEMA.datePublished)),
                         "url": _str(_one(g, a, SCHEMA.url)),
                         "publisher": _str(_one(g, publisher, RDFS.label)) if publisher is not None else None,
                         "iri": str(a)})
        return sorted(rows, key=lambda r: (r["date"] or "", r["id"]))

    def to_networkx(self, *, events: bool = True) -> nx.MultiDiGraph:
        """The graph as a networkx MultiDiGraph (a fresh copy; see :mod:`kg.network` for its shape).

        Nodes are keyed by IRI and carry ``type``, ``label``, ``mentions`` and ``articles``; edges
        carry their provenance (``sentence``, ``article``, ``start_char``...).

        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> G = graph.to_networkx()
        >>> G.nodes["https://w3id.org/kg-news/resource/person/vladimir-putin"]["type"]
        'Person'
        >>> {(d["article"], d["sentence"]) for _, _, d in G.edges(data=True)}
        {('text-1', 'Vladimir Putin met Kim Jong Un in Moscow on Tuesday.')}
        """
        from kg.network import to_networkx

        return self._network.copy() if events else to_networkx(self.rdf, events=False)

    def entities(self, type: str | Iterable[str] | None = None, *, min_mentions: int = 0) -> list[EntityInfo]:
        """The entities, most mentioned first; ``type`` is a kg class (``City``) or a family (``Location``).

        A family name takes in its subclasses (``Organization`` lists government bodies and
        military units too); a class name takes only that class.

        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> [e.label for e in graph.entities(type="Location")]
        ['Moscow']
        >>> sorted(e.label for e in graph.entities(type=["Person", "City"]))
        ['Kim Jong Un', 'Moscow', 'Vladimir Putin']
        """
        from kg.html import ENTITY_CLASSES

        wanted = {type} if isinstance(type, str) else set(type) if type is not None else None
        if wanted:
            unknown = sorted(wanted - set(ENTITY_CLASSES) - _FAMILIES)
            if unknown:
                raise ValueError(f"unknown entity type {', '.join(unknown)} "
                                 f"(choose from {', '.join(sorted(set(ENTITY_CLASSES) | _FAMILIES))})")
        rows = []
        for iri, d in self._network.nodes(data=True):
            if d.get("kind") != "entity" or d["mentions"] < min_mentions:
                continue
            if wanted and not (d["type"] in wanted or (d["family"] in wanted and d["family"] in _FAMILIES)):
                continue
            rows.append(EntityInfo(iri=iri, label=d["label"], type=d["type"], family=d["family"],
                                   mentions=d["mentions"], articles=tuple(d["articles"]),
                                   aliases=tuple(d.get("aliases", ())), wikidata=d.get("wikidata")))
        return sorted(rows, key=lambda e: (-e.mentions, e.label.casefold(), e.iri))

    def find(self, name: str | URIRef) -> str:
        """The IRI of the entity called ``name``: an IRI, ``kgr:person/x``, ``person/x``, a label or an alias.

        Labels match case-insensitively, preferred over aliases; a name shared by several
        entities raises :class:`EntityNotFound` listing them.

        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> graph.find("vladimir putin") == graph.find("kgr:person/vladimir-putin")
        True
        """
        G = self._network
        text = str(name).strip()
        iri = _expand(text)
        if iri is not None:
            if iri in G:
                return iri
            raise EntityNotFound(f"{text}: no such entity in the graph")
        labels, aliases = self._cached("labels", self._label_index)
        for index in (labels, aliases):
            found = index.get(text.casefold(), [])
            if len(found) == 1:
                return found[0]
            if found:
                listed = ", ".join(f"{_short(i)} ({G.nodes[i]['type']})" for i in found[:8])
                raise EntityNotFound(f"{text!r} is ambiguous: {listed}")
        raise EntityNotFound(f"no entity named {text!r} (see .entities())")

    def _label_index(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        labels: dict[str, list[str]] = {}
        aliases: dict[str, list[str]] = {}
        g = self._union
        for iri, d in sorted(self._network.nodes(data=True), key=lambda nd: (-nd[1].get("mentions", 0), nd[0])):
            if d.get("kind") != "entity":
                continue
            labels.setdefault(d["label"].casefold(), []).append(iri)
            for alias in {str(a).casefold() for a in g.objects(URIRef(iri), SKOS.altLabel)} - {d["label"].casefold()}:
                aliases.setdefault(alias, []).append(iri)
        return labels, aliases

    def explain(self, entity: str | URIRef) -> list[Evidence]:
        """Where the articles support ``entity``: its mentions and every statement it takes part in.

        Mentions (with the sentence around them) are known only for graphs made by
        :func:`build`; graphs read by :func:`load` give the statements, each with its sentence.
        Rows are in article order, then by position in the text.

        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> [(r.kind, r.text, r.article) for r in graph.explain("Moscow") if r.kind == "mention"]
        [('mention', 'Moscow', 'text-1')]
        >>> {r.sentence for r in graph.explain("Moscow")}
        {'Vladimir Putin met Kim Jong Un in Moscow on Tuesday.'}
        """
        from kg.explain import mention_evidence, statement_evidence

        iri = self.find(entity)
        rows = statement_evidence(self._union, URIRef(iri))
        if self.extractions and self.resolution is not None:
            known: dict[str, set[str]] = {}
            for row in rows:
                if row.sentence and row.article:
                    known.setdefault(row.article, set()).add(row.sentence)
            headlines = {a["id"]: a["headline"] for a in self.articles()}
            rows += mention_evidence(self.extractions, self.resolution, iri, headlines, known)
        order = {a["id"]: i for i, a in enumerate(self.articles())}
        kinds = ("mention", "relation", "position", "event", "quantity", "quote", "claim")
        return sorted(rows, key=lambda r: (order.get(r.article or "", len(order)), r.start if r.start is not None else -1,
                                           kinds.index(r.kind) if r.kind in kinds else len(kinds), r.text))

    def query(self, sparql: str, *, short_iris: bool = True) -> pd.DataFrame | bool | rdflib.Graph:
        """Run a SPARQL 1.1 query over the union of all graphs (kg prefixes predeclared).

        SELECT gives a pandas DataFrame (one column per variable; literals as Python values,
        IRIs as ``kgr:person/x`` unless ``short_iris=False``), ASK a bool, CONSTRUCT/DESCRIBE
        an rdflib Graph. Needs pandas for SELECT (``pip install 'kg-news[pandas]'``).

        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> graph.query("SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name")
                                   p            name
        0     kgr:person/kim-jong-un     Kim Jong Un
        1  kgr:person/vladimir-putin  Vladimir Putin
        >>> graph.query("ASK { ?city a kg:City ; rdfs:label 'Moscow' }")
        True
        """
        import pyoxigraph as ox

        from kg.serialize import from_ox

        store = self._cached("store", self._make_store)
        try:
            result = store.query(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise ValueError(f"query: {' '.join(str(exc).split())}") from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            g = rdflib.Graph()
            for name, ns in PREFIXES.items():
                g.bind(name, ns)
            for t in result:
                g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            return g
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("KnowledgeGraph.query needs pandas: pip install 'kg-news[pandas]'") from None
        columns = [v.value for v in result.variables]
        rows = [[_cell(solution[v], short_iris) for v in columns] for solution in result]
        return pd.DataFrame(rows, columns=columns)

    def _make_store(self):
        from kg.query import union_store
        from kg.serialize import quads_of

        return union_store(quads_of(self.rdf))

    def serialize(self, format: str | None = None, destination: str | os.PathLike[str] | None = None) -> str | Path:
        """The RDF as text (``ttl``, ``trig``, ``nt``, ``nq``, ``jsonld``), or written to ``destination``.

        Without ``format`` it comes from ``destination``'s suffix (else ``ttl``). Written
        files are replaced atomically; the path is returned.

        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> "<https://w3id.org/kg-news/resource/location/moscow>" in graph.serialize("nt")
        True
        """
        from kg.serialize import format_for, serialize, write_atomic

        fmt = format_for(destination or "", format or (None if destination else "ttl"))
        data = serialize(self.rdf, fmt)
        if destination is None:
            return data.decode("utf-8")
        write_atomic(destination, data)
        return Path(destination)

    def export(self, path: str | os.PathLike[str], format: str | None = None) -> list[Path]:
        """Write the networkx graph as ``graphml``, ``gexf`` or ``csv`` (see :mod:`kg.graphexport`).

        >>> import networkx as nx, tempfile, pathlib
        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> (path,) = graph.export(pathlib.Path(tempfile.mkdtemp()) / "graph.graphml")
        >>> nx.read_graphml(path).number_of_nodes() == graph.to_networkx().number_of_nodes()
        True
        """
        from kg.graphexport import write_network

        return write_network(self._network, path, format)

    def to_html(self, path: str | os.PathLike[str], *, max_nodes: int | None = None,
                title: str = "Knowledge graph") -> HtmlStats:
        """Write the interactive, self-contained HTML view (opens offline in a browser).

        >>> import tempfile, pathlib
        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> page = graph.to_html(pathlib.Path(tempfile.mkdtemp()) / "graph.html")
        >>> "Vladimir Putin" in page.path.read_text(encoding="utf-8")
        True
        """
        from kg.html import render_html

        return render_html(self.rdf, path, max_nodes=max_nodes, title=title)

    def show(self, *, height: int = 650, max_nodes: int | None = 300, title: str = "Knowledge graph") -> HTML:
        """The HTML view inline in a notebook (an iframe holding the self-contained page)."""
        from IPython.display import HTML

        from kg.html import graph_view, render_page

        page = render_page(graph_view(self.rdf, max_nodes=max_nodes, title=title))
        # wrapped in a div: IPython warns about bare <iframe> HTML (it cannot know this one is inline)
        return HTML(f'<div><iframe srcdoc="{html.escape(page, quote=True)}" width="100%" height="{int(height)}" '
                    f'style="border:1px solid #ddd" sandbox="allow-scripts"></iframe></div>')

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Most-mentioned entities, centrality, communities, shared entities (see :mod:`kg.stats`).

        >>> graph = build("Vladimir Putin met Kim Jong Un in Moscow on Tuesday.")
        >>> [r["label"] for r in graph.stats()["most_mentioned"]["Location"]]
        ['Moscow']
        """
        from kg.stats import graph_stats

        return graph_stats(self._network, top=top)


# --- helpers -----------------------------------------------------------------------------------


def _one(g: rdflib.Graph, s, p):
    values = sorted(g.objects(s, p), key=str)
    return values[0] if values else None


def _str(value) -> str | None:
    return None if value is None else str(value)


def _expand(text: str) -> str | None:
    """A full IRI for ``http...``, ``prefix:local`` or ``family/slug``; None for a plain name."""
    if text.startswith(("http://", "https://")):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return PREFIXES[prefix] + local
    if re.fullmatch(r"[a-z]+/[a-z0-9][a-z0-9-]*", text):
        return str(RES) + text
    return None


def _short(iri: str) -> str:
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{name}:{iri[len(ns):]}"
    return iri


def _cell(term, short_iris: bool) -> Any:
    """A DataFrame cell: a Python value for literals, a (short) IRI string for IRIs."""
    import pyoxigraph as ox

    from kg.network import _value
    from kg.serialize import from_ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _short(term.value) if short_iris else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return _value(from_ox(term))


__all__ = ["EntityInfo", "EntityNotFound", "Evidence", "Input", "KnowledgeGraph", "build",
           "collect_articles", "load"]
