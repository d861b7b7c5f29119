"""kg.stats and `kg stats`: mentions, centrality, communities, shared entities."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import networkx as nx
import pytest

from kg.cli import main
from kg.stats import graph_stats


def _graph(entities: dict[str, tuple[str, list[str], int]], edges: list[tuple[str, str]]) -> nx.MultiDiGraph:
    """Entities as name -> (type, articles, mentions); edges between names."""
    from kg.vocab import FAMILY

    G = nx.MultiDiGraph()
    for name, (cls, articles, mentions) in entities.items():
        G.add_node(name, kind="entity", type=cls, family=FAMILY[cls], label=name.title(),
                   mentions=mentions, articles=articles)
    for u, v in edges:
        G.add_edge(u, v, predicate="partOf")
    return G


def test_stats_bridge_has_top_betweenness_and_splits_communities():
    # two triangles joined through "bridge"
    people = {n: ("Person", ["a"], 1) for n in ("p1", "p2", "p3", "q1", "q2", "q3", "bridge")}
    edges = [("p1", "p2"), ("p2", "p3"), ("p3", "p1"), ("q1", "q2"), ("q2", "q3"), ("q3", "q1"),
             ("p1", "bridge"), ("bridge", "q1")]
    stats = graph_stats(_graph(people, edges))
    assert stats["betweenness"][0]["iri"] == "bridge"
    top_degree = {r["iri"] for r in stats["degree"] if r["degree"] == 3}
    assert top_degree == {"p1", "q1"}
    groups = [set(c["iris"]) for c in stats["communities"]]
    assert {"p2", "p3"} <= next(g for g in groups if "p1" in g)
    assert not ({"p1", "p2", "p3"} & next(g for g in groups if "q1" in g))
    assert sum(c["size"] for c in stats["communities"]) == 7
    assert stats["totals"]["components"] == 1


def test_stats_most_mentioned_per_family_and_shared_entities():
    entities = {
        "kyiv": ("City", ["a", "b"], 5), "ukraine": ("Country", ["a", "b", "c"], 3),
        "nato": ("Organization", ["a"], 9), "army": ("MilitaryUnit", ["b"], 2), "kim": ("Person", ["c"], 1),
    }
    stats = graph_stats(_graph(entities, []), top=1)
    assert list(stats["most_mentioned"]) == ["Person", "Organization", "Location"]
    assert [r["label"] for r in stats["most_mentioned"]["Location"]] == ["Kyiv"]  # top=1, most mentions
    assert stats["most_mentioned"]["Organization"][0]["mentions"] == 9
    assert [r["iri"] for r in graph_stats(_graph(entities, []))["shared"]] == ["ukraine", "kyiv"]
    assert stats["totals"]["articles"] == 3
    assert stats["degree"] == [] and stats["betweenness"] == [] and stats["communities"] == []


def test_stats_event_participants_count_as_linked():
    entities = {n: ("Person", ["a"], 1) for n in ("a", "b", "c")}
    G = _graph(entities, [])
    G.add_node("ev", kind="event", type="Meeting", label="Meeting")
    for n in ("a", "b", "c"):
        G.add_edge("ev", n, predicate="agent")
    stats = graph_stats(G)
    assert stats["totals"]["events"] == 1
    assert stats["totals"]["linked_entities"] == 3
    assert {r["degree"] for r in stats["degree"]} == {2}
    assert "ev" not in {r["iri"] for r in stats["degree"]}


def test_stats_rejects_bad_top():
    with pytest.raises(ValueError):
        graph_stats(nx.MultiDiGraph(), top=0)


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue()


def test_stats_cli_json_matches_library_on_examples(examples_build):
    from kg.api import load
    from kg.network import entity_types
    from kg.html import union_graph

    out, result = examples_build
    code, text = _run(["stats", str(out / "graph.trig"), "--format", "json", "--top", "5"])
    assert code == 0
    stats = json.loads(text)
    assert stats == json.loads(json.dumps(graph_stats(load(out / "graph.trig").to_networkx(), top=5)))
    assert stats["totals"]["articles"] == len(result.extractions)
    assert stats["totals"]["entities"] == len(entity_types(union_graph(result.dataset)))
    for rows in stats["most_mentioned"].values():
        counts = [r["mentions"] for r in rows]
        assert counts == sorted(counts, reverse=True) and len(rows) <= 5
    for row in stats["shared"]:
        assert len(row["articles"]) > 1


def test_stats_cli_table_names_the_most_mentioned_entity(examples_build):
    out, _ = examples_build
    stats = json.loads(_run(["stats", str(out / "graph.ttl"), "--format", "json"])[1])
    top = max((r for rows in stats["most_mentioned"].values() for r in rows), key=lambda r: r["mentions"])
    code, text = _run(["stats", str(out / "graph.ttl")])
    assert code == 0
    assert top["label"] in text and "Betweenness" in text


def test_stats_cli_errors_exit_2(tmp_path, capsys):
    assert main(["stats", str(tmp_path / "missing.ttl")]) == 2
    assert "missing.ttl" in capsys.readouterr().err
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert main(["stats", str(bad)]) == 2
    assert main(["stats", str(bad), "--top", "0"]) == 2


def test_stats_examples_centrality_agrees_with_networkx(examples_build):
    from kg.network import entity_subgraph, to_networkx

    _, result = examples_build
    G = to_networkx(result.dataset)
    stats = graph_stats(G, top=5)
    H = entity_subgraph(G)
    linked = H.subgraph([n for n in H if H.degree(n) > 0])
    degree = nx.degree_centrality(H)
    assert stats["degree"] and len(stats["degree"]) <= 5
    for row in stats["degree"]:
        assert row["centrality"] == pytest.approx(degree[row["iri"]], abs=1e-6)
        assert row["degree"] == H.degree(row["iri"])
    assert stats["degree"][0]["centrality"] == pytest.approx(max(degree.values()), abs=1e-6)
    between = nx.betweenness_centrality(linked)
    assert [r["betweenness"] for r in stats["betweenness"]] == \
        [round(v, 6) for v in sorted((v for v in between.values() if v > 0), reverse=True)[:5]]
    members = [m for c in graph_stats(G, top=10_000)["communities"] for m in c["iris"]]
    assert sorted(members) == sorted(linked)  # every linked entity in exactly one community
    shared = {n for n, d in G.nodes(data=True) if len(d.get("articles", ())) > 1}
    assert stats["totals"]["shared_entities"] == len(shared)
    assert {r["iri"] for r in stats["shared"]} <= shared


def test_stats_cli_table_has_every_section(examples_build):
    out, _ = examples_build
    code, text = _run(["stats", str(out / "graph.trig"), "--top", "3"])
    assert code == 0
    for title in ("Most mentioned", "Degree centrality", "Betweenness centrality", "Communities",
                  "Shared across articles"):
        assert title in text
