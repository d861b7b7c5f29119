"""Write the networkx graph of :mod:`kg.network` for other graph tools: GraphML, GEXF, CSV.

GraphML and GEXF open in Gephi (and yEd, Cytoscape) and read back with
``networkx.read_graphml``/``read_gexf``; CSV gives ``nodes.csv`` (``Id``, ``Label``, then the
node attributes) and ``edges.csv`` (``Source``, ``Target``, ``Label``, then the edge
attributes), the column names Gephi's spreadsheet import expects. List attributes
(``articles``, ``aliases``) become ``"; "``-joined text; missing values are left out (empty
CSV cells). GEXF nodes carry their HTML view colour. Files are written atomically.

>>> import networkx as nx, tempfile, pathlib
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", label="Kyiv", kind="entity", type="City", articles=["x", "y"])
>>> G.add_node("b", label="Ukraine", kind="entity", type="Country", articles=["x"])
>>> G.add_edge("a", "b", key="s1", predicate="locatedIn", label="locatedIn")
's1'
>>> path = write_network(G, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")[0]
>>> back = nx.read_graphml(path)
>>> back.nodes["a"]["articles"], list(back.edges(data="predicate"))
('x; y', [('a', 'b', 'locatedIn')])
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import networkx as nx

from kg.serialize import write_atomic

#: Graph export formats and the file suffix each one is recognised by.
GRAPH_FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv"}
NODE_COLUMNS = ("kind", "type", "family", "mentions", "articles", "aliases", "wikidata", "geonames",
                "country", "lat", "lon", "trigger", "date", "article", "sentence", "start_char", "end_char",
                "rule", "confidence", "factuality", "speaker", "cue")
EDGE_COLUMNS = ("predicate", "statement", "article", "sentence", "start_char", "end_char", "rule",
                "confidence", "factuality", "speaker", "cue")


def graph_format(path: str | os.PathLike[str] | None, fmt: str | None = None) -> str | None:
    """The graph format named by ``fmt`` or by ``path``'s suffix; None when neither is one."""
    if fmt:
        return fmt if fmt in GRAPH_FORMATS else None
    suffix = Path(path).suffix.lower() if path else ""
    return next((name for name, s in GRAPH_FORMATS.items() if s == suffix and name != "csv"), None)


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value)
    return value


def flatten(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with scalar attributes only (lists joined, ``None`` dropped), as GraphML/GEXF need.

    Edges are re-keyed ``e0``, ``e1``...: the keys of :mod:`kg.network` are unique per node
    pair only, and GraphML edge ids must be unique in the file (the statement IRI stays in
    the ``statement`` attribute).
    """
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, {k: _flat(v) for k, v in d.items() if v is not None}) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, f"e{i}", {a: _flat(x) for a, x in d.items() if x is not None})
                     for i, (u, v, d) in enumerate(G.edges(data=True)))
    return H


def _hex_rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def network_bytes(G: nx.MultiDiGraph, fmt: str) -> bytes:
    """The graph as GraphML or GEXF (UTF-8 XML)."""
    H = flatten(G)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(H, buffer, encoding="utf-8")
    elif fmt == "gexf":
        from kg.html import COLOURS

        for _, d in H.nodes(data=True):
            colour = COLOURS.get("Event" if d.get("kind") == "event" else d.get("type", ""))
            if colour:
                d["viz"] = {"color": {**_hex_rgb(colour), "a": 1.0}}
        for _, _, d in H.edges(data=True):
            d.pop("id", None)
        nx.write_gexf(H, buffer, encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {fmt!r} (choose from graphml, gexf)")
    return buffer.getvalue()


def csv_tables(G: nx.MultiDiGraph) -> tuple[str, str]:
    """The text of nodes.csv and edges.csv."""
    def columns(rows: list[dict[str, Any]], known: tuple[str, ...]) -> list[str]:
        present = {k for r in rows for k in r}
        return [c for c in known if c in present] + sorted(present - set(known))

    def table(head: list[str], cols: list[str], rows: list[tuple[list[Any], dict[str, Any]]]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(head + cols)
        for first, d in rows:
            writer.writerow(first + ["" if d.get(c) is None else _flat(d[c]) for c in cols])
        return out.getvalue()

    nodes = [(n, {k: v for k, v in d.items() if k != "label"}) for n, d in G.nodes(data=True)]
    node_cols = columns([d for _, d in nodes], NODE_COLUMNS)
    nodes_csv = table(["Id", "Label"], node_cols, [([n, G.nodes[n].get("label", n)], d) for n, d in nodes])
    edges = [(u, v, {k: x for k, x in d.items() if k != "label"}, d.get("label", ""))
             for u, v, d in G.edges(data=True)]
    edge_cols = columns([d for _, _, d, _ in edges], EDGE_COLUMNS)
    edges_csv = table(["Source", "Target", "Label"], edge_cols, [([u, v, label], d) for u, v, d, label in edges])
    return nodes_csv, edges_csv


def write_network(G: nx.MultiDiGraph, path: str | os.PathLike[str], fmt: str | None = None) -> list[Path]:
    """Write ``G`` to ``path`` as graphml, gexf (format from the suffix by default) or csv.

    For csv, ``path`` is a directory that receives nodes.csv and edges.csv. Returns the
    files written.
    """
    target = Path(path)
    fmt = fmt or graph_format(target)
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"{target}: cannot tell the graph format (use .graphml or .gexf, or give the format)")
    if fmt == "csv":
        if target.suffix.lower() == ".csv" or target.is_file():
            raise ValueError(f"{target}: csv writes nodes.csv and edges.csv, give a directory")
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in zip(("nodes.csv", "edges.csv"), csv_tables(G), strict=True):
            write_atomic(target / name, text.encode("utf-8"))
            written.append(target / name)
        return written
    write_atomic(target, network_bytes(G, fmt))
    return [target]
