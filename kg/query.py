"""Run SPARQL 1.1 queries over graph files or a persistent store, and format the results.

The default graph a query sees is the union of all graphs (entity descriptions plus every
article's named graph), so queries need no ``GRAPH`` clause; ``GRAPH ?g {...}`` still reaches
each article graph. Our prefixes (kg:, kgr:, schema:, ...) are predeclared.

Graph files are merged as a set, so a triple stated in several article graphs matches once.
A store's union default graph is Oxigraph's, which matches such a triple once per graph:
use ``DISTINCT`` (as the ready queries in ``ontologies/queries`` do) when that matters.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.store import content_graphs, open_store
from kg.validate import parse_quads
from kg.vocab import PREFIXES

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: --format name -> (results format for SELECT/ASK, RDF format for CONSTRUCT/DESCRIBE).
FORMATS = {
    "table": (None, ox.RdfFormat.TURTLE),
    "csv": (ox.QueryResultsFormat.CSV, ox.RdfFormat.N_TRIPLES),
    "tsv": (ox.QueryResultsFormat.TSV, ox.RdfFormat.N_TRIPLES),
    "json": (ox.QueryResultsFormat.JSON, ox.RdfFormat.JSON_LD),
    "xml": (ox.QueryResultsFormat.XML, ox.RdfFormat.RDF_XML),
    "ttl": (None, ox.RdfFormat.TURTLE),
    "nt": (None, ox.RdfFormat.N_TRIPLES),
}


class QueryError(ValueError):
    """A query that cannot run: bad SPARQL or unreadable sources (one-line message)."""


def run_query(sources: Sequence[str | os.PathLike[str]], query: str) -> Result:
    """Run ``query`` over RDF files (all merged) or one store directory; return pyoxigraph's result."""
    if not sources:
        raise QueryError("no graph file or store given")
    paths = [Path(s) for s in sources]
    dirs = [p for p in paths if p.is_dir()]
    if dirs:
        if len(paths) > 1:
            raise QueryError(f"{dirs[0]}: a store directory must be queried on its own")
        store = open_store(dirs[0], read_only=True)
        graphs = content_graphs(store)
        kwargs = {"default_graph": [ox.DefaultGraph(), *graphs], "named_graphs": graphs}
    else:
        store = union_store(q for path in paths for q in parse_quads(path))
        kwargs = {}
    try:
        return store.query(query, prefixes=PREFIXES, **kwargs)
    except SyntaxError as exc:
        message = " ".join(str(exc).split())
        raise QueryError(f"query: {message[:160]}{'...' if len(message) > 160 else ''}") from None


def union_store(quads: Iterable[ox.Quad]) -> ox.Store:
    """An in-memory store of ``quads`` whose default graph also holds their union (set semantics:
    a triple stated by several articles gives one row)."""
    quads = list(quads)
    store = ox.Store()
    store.extend(quads)
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    return store


def format_result(result: Result, fmt: str = "table") -> str:
    """Serialise a query result: SELECT/ASK as table/csv/tsv/json/xml, CONSTRUCT as RDF."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown result format {fmt!r} (choose from {', '.join(FORMATS)})")
    results_format, rdf_format = FORMATS[fmt]
    if isinstance(result, ox.QueryTriples):
        triples = list(result)
        if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
            from kg.serialize import serialize_quads
            name = "ttl" if rdf_format == ox.RdfFormat.TURTLE else "nt"
            return serialize_quads((ox.Quad(t.subject, t.predicate, t.object) for t in triples),
                                   name).decode()
        return ox.serialize(triples, format=rdf_format).decode()
    if results_format is None and fmt != "table":
        raise QueryError(f"--format {fmt} is for CONSTRUCT/DESCRIBE queries")
    if isinstance(result, ox.QueryBoolean):
        if results_format is None:
            return "true\n" if bool(result) else "false\n"
        return result.serialize(format=results_format).decode()
    if results_format is None:
        variables, rows = table(result)
        return plain_table(variables, rows)
    return result.serialize(format=results_format).decode()


def table(result: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    """Variable names and rows of readable cells (prefixed IRIs, literal values)."""
    variables = [v.value for v in result.variables]
    rows = [[short(solution[v]) for v in variables] for solution in result]
    return variables, rows


def short(term) -> str:
    """A readable cell: ``kgr:person/x`` for our IRIs, the lexical value for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for name, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{name}:{term.value[len(ns):]}"
        return term.value
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def plain_table(variables: list[str], rows: list[list[str]]) -> str:
    """Columns padded to width, newlines in cells shown as spaces."""
    cells = [[c.replace("\n", " ").replace("\t", " ") for c in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
