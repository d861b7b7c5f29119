"""Summary statistics of a knowledge graph: who matters, what connects, what recurs.

:func:`graph_stats` takes the networkx graph of :func:`kg.network.to_networkx` and returns a
JSON-ready dict:

- ``totals``: articles, entities, events, edges, connected groups of entities;
- ``most_mentioned``: per entity family, the entities with the most mentions;
- ``degree`` and ``betweenness``: the most central entities of the entity graph (relations,
  plus an edge between every two participants of an event; see
  :func:`kg.network.entity_subgraph`), normalised as networkx does (betweenness among the
  entities that have a link). Betweenness is exact up to :data:`EXACT_BETWEENNESS` such
  entities, then estimated from that many sampled sources (fixed seed);
- ``communities``: Louvain communities (fixed seed) of the connected entities, largest first;
- ``shared``: entities mentioned in more than one article, most widely shared first.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for name, arts in (("a", ["x"]), ("b", ["x", "y"]), ("c", ["y"])):
...     G.add_node(name, kind="entity", type="Person", family="Person", label=name.upper(),
...                mentions=len(arts), articles=arts)
>>> G.add_edge("a", "b", predicate="partOf"), G.add_edge("b", "c", predicate="partOf")
(0, 0)
>>> stats = graph_stats(G)
>>> stats["betweenness"][0]["label"], [e["label"] for e in stats["shared"]]
('B', ['B'])
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from kg.network import entity_subgraph

#: Above this many connected entities betweenness is estimated from a sample of sources.
EXACT_BETWEENNESS = 2000
FAMILIES = ("Person", "Organization", "Location", "Group", "Event", "Other")


def _row(G: nx.MultiDiGraph, n: str, **extra: Any) -> dict[str, Any]:
    d = G.nodes[n]
    return {"iri": n, "label": d.get("label", n), "type": d.get("type"), **extra}


def graph_stats(G: nx.MultiDiGraph, top: int = 10) -> dict[str, Any]:
    """Statistics of the graph (see the module docstring); each list holds at most ``top`` rows."""
    if top < 1:
        raise ValueError(f"top must be positive, got {top}")
    entities = [n for n, d in G.nodes(data=True) if d.get("kind") == "entity"]
    events = [n for n, d in G.nodes(data=True) if d.get("kind") == "event"]
    articles = {a for n in entities for a in G.nodes[n].get("articles", ())}
    articles.update(d["article"] for _, _, d in G.edges(data=True) if d.get("article"))

    by_family: dict[str, list[str]] = defaultdict(list)
    for n in entities:
        by_family[G.nodes[n].get("family", "Other")].append(n)
    most_mentioned = {}
    for family in sorted(by_family, key=lambda f: (FAMILIES.index(f) if f in FAMILIES else len(FAMILIES), f)):
        ranked = sorted(by_family[family], key=lambda n: (-G.nodes[n].get("mentions", 0), G.nodes[n]["label"], n))
        most_mentioned[family] = [_row(G, n, mentions=G.nodes[n].get("mentions", 0),
                                       articles=len(G.nodes[n].get("articles", ()))) for n in ranked[:top]]

    H = entity_subgraph(G)
    linked = H.subgraph([n for n in H if H.degree(n) > 0]).copy()
    degree = nx.degree_centrality(H) if len(H) > 1 else {n: 0.0 for n in H}
    ranked = sorted((n for n in linked), key=lambda n: (-degree[n], G.nodes[n]["label"], n))
    degree_rows = [_row(G, n, degree=H.degree(n), centrality=round(degree[n], 6)) for n in ranked[:top]]

    sample = EXACT_BETWEENNESS if len(linked) > EXACT_BETWEENNESS else None
    between = nx.betweenness_centrality(linked, k=sample, seed=0) if len(linked) > 2 else {}
    ranked = sorted((n for n, v in between.items() if v > 0), key=lambda n: (-between[n], G.nodes[n]["label"], n))
    between_rows = [_row(G, n, betweenness=round(between[n], 6)) for n in ranked[:top]]

    communities = []
    if linked.number_of_edges():
        found = nx.community.louvain_communities(linked, weight="weight", seed=0)
        for members in sorted(found, key=lambda c: (-len(c), min(c))):
            ordered = sorted(members, key=lambda n: (-H.degree(n), G.nodes[n]["label"], n))
            communities.append({"size": len(members), "members": [G.nodes[n]["label"] for n in ordered[:top]],
                                "iris": ordered[:top]})

    shared = [n for n in entities if len(G.nodes[n].get("articles", ())) > 1]
    shared.sort(key=lambda n: (-len(G.nodes[n]["articles"]), -G.nodes[n].get("mentions", 0), G.nodes[n]["label"], n))
    shared_rows = [_row(G, n, articles=list(G.nodes[n]["articles"]), mentions=G.nodes[n].get("mentions", 0))
                   for n in shared[:top]]

    return {
        "totals": {"articles": len(articles), "entities": len(entities), "events": len(events),
                   "edges": G.number_of_edges(), "linked_entities": len(linked),
                   "components": nx.number_connected_components(linked) if len(linked) else 0,
                   "communities": len(communities), "shared_entities": len(shared)},
        "most_mentioned": most_mentioned,
        "degree": degree_rows,
        "betweenness": between_rows,
        "communities": communities[:top],
        "shared": shared_rows,
    }


def print_stats(stats: dict[str, Any], console=None) -> None:
    """Print the statistics as rich tables."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    totals = stats["totals"]
    console.print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in totals.items()))

    table = Table("family", "entity", "type", "mentions", "articles", title="Most mentioned")
    for family, rows in stats["most_mentioned"].items():
        for i, r in enumerate(rows):
            table.add_row(family if i == 0 else "", r["label"], r["type"], str(r["mentions"]), str(r["articles"]))
    console.print(table)

    table = Table("entity", "type", "degree", "centrality", title="Degree centrality")
    for r in stats["degree"]:
        table.add_row(r["label"], r["type"], str(r["degree"]), f"{r['centrality']:.4f}")
    console.print(table)

    table = Table("entity", "type", "betweenness", title="Betweenness centrality")
    for r in stats["betweenness"]:
        table.add_row(r["label"], r["type"], f"{r['betweenness']:.4f}")
    console.print(table)

    table = Table("#", "size", "members (most connected first)", title="Communities")
    for i, c in enumerate(stats["communities"], 1):
        table.add_row(str(i), str(c["size"]), ", ".join(c["members"]))
    console.print(table)

    table = Table("entity", "type", "articles", "mentions", title="Shared across articles")
    for r in stats["shared"]:
        table.add_row(r["label"], r["type"], str(len(r["articles"])), str(r["mentions"]))
    console.print(table)
