"""kg.network: the RDF contract read into a networkx MultiDiGraph."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.network import entity_subgraph, to_networkx
from kg.vocab import KG, RES, SCHEMA, WD


def _entity(ds: Dataset, iri: str, *classes: str, label: str, mentions: int = 1) -> URIRef:
    node = RES[iri]
    for cls in classes:
        ds.add((node, RDF.type, KG[cls]))
    ds.add((node, RDFS.label, Literal(label)))
    ds.add((node, KG.mentionCount, Literal(mentions, datatype=XSD.integer)))
    return node


def _article(ds: Dataset, doc_id: str, mentions: list[URIRef]):
    g = ds.graph(RES[f"graph/{doc_id}"])
    art = RES[f"article/{doc_id}"]
    g.add((art, RDF.type, SCHEMA.NewsArticle))
    g.add((art, SCHEMA.identifier, Literal(doc_id)))
    for m in mentions:
        g.add((art, SCHEMA.mentions, m))
    return g, art


def _statement(g, node: URIRef, art: URIRef, sentence: str, start: int, **extra) -> URIRef:
    g.add((node, PROV.wasDerivedFrom, art))
    g.add((node, KG.sentence, Literal(sentence)))
    g.add((node, KG.startChar, Literal(start, datatype=XSD.integer)))
    g.add((node, KG.endChar, Literal(start + 5, datatype=XSD.integer)))
    g.add((node, KG.confidence, Literal(Decimal("0.8"))))
    g.add((node, KG.factuality, Literal(extra.get("factuality", "asserted"))))
    return node


def _assertion(g, art, s, prop, o, sentence, start=0, **extra) -> URIRef:
    node = RES[f"assertion/{abs(hash((s, prop, o, sentence))):x}"]
    g.add((node, RDF.type, KG.Assertion))
    g.add((node, RDF.subject, s))
    g.add((node, RDF.predicate, KG[prop]))
    g.add((node, RDF.object, o))
    return _statement(g, node, art, sentence, start, **extra)


@pytest.fixture()
def graph() -> Dataset:
    ds = Dataset()
    kyiv = _entity(ds, "location/kyiv", "City", "Location", label="Kyiv", mentions=3)
    ukraine = _entity(ds, "location/ukraine", "Country", "Location", label="Ukraine", mentions=4)
    ds.add((ukraine, SKOS.altLabel, Literal("Ukrainian state")))
    ds.add((ukraine, OWL.sameAs, WD.Q212))
    zel = _entity(ds, "person/volodymyr-zelensky", "Person", label="Volodymyr Zelensky", mentions=2)
    kim = _entity(ds, "person/kim-jong-un", "Person", label="Kim Jong Un")
    g1, a1 = _article(ds, "one", [kyiv, ukraine, zel])
    g2, a2 = _article(ds, "two", [kyiv, ukraine, kim])
    for g in (g1, g2):
        g.add((kyiv, KG.locatedIn, ukraine))
    _assertion(g1, a1, kyiv, "locatedIn", ukraine, "Kyiv, the capital of Ukraine, woke to sirens.", 10)
    _assertion(g2, a2, kyiv, "locatedIn", ukraine, "In Kyiv, Ukraine, officials met.", 0)
    # a denied claim: statement kept, direct triple left out
    _assertion(g2, a2, kim, "nationality", ukraine, "Officials denied Kim is Ukrainian.", 40, factuality="denied")
    # a position
    pos = RES["position/p1"]
    g1.add((pos, RDF.type, KG.Position))
    g1.add((pos, KG.positionHolder, zel))
    g1.add((pos, KG.positionIn, ukraine))
    g1.add((pos, KG.positionTitle, Literal("President")))
    g1.add((zel, KG.hasPositionIn, ukraine))
    _statement(g1, pos, a1, "President Volodymyr Zelensky of Ukraine spoke.", 60)
    # a direct triple with no statement behind it
    ds.add((ukraine, KG.partOf, RES["location/europe"]))
    _entity(ds, "location/europe", "Location", label="Europe")
    # an event with two participants
    ev = RES["event/e1"]
    g2.add((ev, RDF.type, KG.Event))
    g2.add((ev, RDF.type, KG.Visit))
    g2.add((ev, RDFS.label, Literal("Visit by Kim Jong Un to Kyiv")))
    g2.add((ev, KG.trigger, Literal("visited")))
    g2.add((ev, KG.agent, kim))
    g2.add((ev, KG.destination, kyiv))
    g2.add((ev, KG.eventDate, Literal("2025-01-11", datatype=XSD.date)))
    _statement(g2, ev, a2, "Kim Jong Un visited Kyiv.", 80)
    return ds


def test_network_entity_nodes_carry_contract_attributes(graph):
    G = to_networkx(graph)
    ukraine = G.nodes[str(RES["location/ukraine"])]
    assert ukraine["kind"] == "entity"
    assert ukraine["type"] == "Country"  # most specific of Country, Location
    assert ukraine["family"] == "Location"
    assert ukraine["label"] == "Ukraine"
    assert ukraine["aliases"] == ["Ukrainian state"]
    assert ukraine["wikidata"] == "Q212"
    assert ukraine["mentions"] == 4
    assert ukraine["articles"] == ["one", "two"]
    assert G.nodes[str(RES["person/kim-jong-un"])]["articles"] == ["two"]


def test_network_relation_edges_one_per_statement_with_provenance(graph):
    G = to_networkx(graph)
    edges = G.get_edge_data(str(RES["location/kyiv"]), str(RES["location/ukraine"]))
    assert len(edges) == 2
    by_article = {d["article"]: d for d in edges.values()}
    assert set(by_article) == {"one", "two"}
    one = by_article["one"]
    assert one["predicate"] == "locatedIn"
    assert one["sentence"] == "Kyiv, the capital of Ukraine, woke to sirens."
    assert (one["start_char"], one["end_char"]) == (10, 15)
    assert one["confidence"] == pytest.approx(0.8)
    assert one["factuality"] == "asserted"
    assert one["statement"].startswith(str(RES["assertion/"]))


def test_network_unsupported_triple_gives_bare_edge_and_dropped_triple_gives_none(graph):
    G = to_networkx(graph)
    bare = G.get_edge_data(str(RES["location/ukraine"]), str(RES["location/europe"]))
    assert list(bare.values()) == [{"predicate": "partOf", "label": "partOf"}]
    assert not G.has_edge(str(RES["person/kim-jong-un"]), str(RES["location/ukraine"]))


def test_network_position_edge_is_labelled_by_title(graph):
    G = to_networkx(graph)
    (data,) = G.get_edge_data(str(RES["person/volodymyr-zelensky"]), str(RES["location/ukraine"])).values()
    assert data["predicate"] == "hasPositionIn"
    assert data["label"] == "President"
    assert data["sentence"] == "President Volodymyr Zelensky of Ukraine spoke."


def test_network_events_are_nodes_with_role_edges(graph):
    G = to_networkx(graph)
    ev = str(RES["event/e1"])
    assert G.nodes[ev]["kind"] == "event"
    assert G.nodes[ev]["type"] == "Visit"
    assert G.nodes[ev]["trigger"] == "visited"
    assert G.nodes[ev]["date"] == "2025-01-11"
    assert G.nodes[ev]["article"] == "two"
    roles = {(v, d["predicate"]) for _, v, d in G.out_edges(ev, data=True)}
    assert roles == {(str(RES["person/kim-jong-un"]), "agent"), (str(RES["location/kyiv"]), "destination")}
    assert all(d["sentence"] == "Kim Jong Un visited Kyiv." for _, _, d in G.out_edges(ev, data=True))

    plain = to_networkx(graph, events=False)
    assert ev not in plain
    assert plain.number_of_edges() == G.number_of_edges() - 2


def test_network_same_from_dataset_and_its_union(graph):
    from kg.html import union_graph

    a, b = to_networkx(graph), to_networkx(union_graph(graph))
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True)) == sorted(b.edges(keys=True))


def test_network_entity_subgraph_links_event_participants(graph):
    H = entity_subgraph(to_networkx(graph))
    assert all(H.nodes[n]["kind"] == "entity" for n in H)
    kim, kyiv, ukraine = (str(RES[x]) for x in ("person/kim-jong-un", "location/kyiv", "location/ukraine"))
    assert H.has_edge(kim, kyiv)  # through the visit
    assert H[kyiv][ukraine]["weight"] == 2  # two statements, one undirected edge


def test_network_examples_edges_match_html_view_and_provenance_is_in_the_text(examples_build):
    from kg.html import graph_view

    _, result = examples_build
    G = to_networkx(result.dataset)
    view = graph_view(result.dataset)
    iris = {n["id"]: n["iri"] for n in view["nodes"]}
    html_edges = {(iris[e["from"]], iris[e["to"]], e["rel"]) for e in view["edges"]}
    assert {(u, v, d["predicate"]) for u, v, d in G.edges(data=True)} == html_edges
    assert G.number_of_nodes() == view["totals"]["nodes"]

    texts = {ex.article.doc_id: ex.article.text for ex in result.extractions}
    with_prov = [d for _, _, d in G.edges(data=True) if "sentence" in d]
    assert with_prov
    for d in with_prov:
        text = texts[d["article"]]
        assert d["sentence"] in text
        assert text[d["start_char"]:d["end_char"]] in d["sentence"]


# --- kg.graphexport and `kg export --format graphml|gexf|csv` ------------------------------------


def _export(argv: list[str]) -> int:
    from kg.cli import main

    return main(["export", *argv])


def _comparable(G) -> tuple[set, list]:
    """Nodes with their label/type and the sorted (source, target, predicate, statement) edges."""
    nodes = {(n, d.get("label"), d.get("type"), d.get("kind")) for n, d in G.nodes(data=True)}
    edges = sorted((u, v, d.get("predicate"), d.get("statement", "")) for u, v, d in G.edges(data=True))
    return nodes, edges


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_export_cli_graph_formats_load_back_with_networkx(examples_build, tmp_path, fmt):
    import networkx as nx

    out, result = examples_build
    target = tmp_path / f"graph.{fmt}"
    assert _export([str(out / "graph.trig"), "--format", fmt, "--out", str(target)]) == 0
    # both readers return a simple graph when no two edges are parallel
    back = nx.read_graphml(target, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(target)
    back = back if back.is_multigraph() else nx.MultiDiGraph(back)
    G = to_networkx(result.dataset)
    assert back.is_directed()
    assert _comparable(back) == _comparable(G)
    # provenance and list attributes survive, as text and numbers
    texts = {ex.article.doc_id: ex.article.text for ex in result.extractions}
    traced = [d for _, _, d in back.edges(data=True) if d.get("statement")]
    assert traced
    for d in traced:
        assert texts[d["article"]][d["start_char"]:d["end_char"]] in d["sentence"] in texts[d["article"]]
    shared = next(n for n, d in G.nodes(data=True) if len(d.get("articles", ())) > 1)
    assert back.nodes[shared]["articles"] == "; ".join(G.nodes[shared]["articles"])
    assert back.nodes[shared]["mentions"] == G.nodes[shared]["mentions"]
    # the format also follows from the suffix
    by_suffix = tmp_path / "again" / f"g.{fmt}"
    by_suffix.parent.mkdir()
    assert _export([str(out / "graph.trig"), "--out", str(by_suffix)]) == 0
    assert by_suffix.read_bytes() == target.read_bytes()


def test_network_export_graphml_edge_ids_are_unique(examples_build, tmp_path):
    import xml.etree.ElementTree as ET

    out, _ = examples_build
    target = tmp_path / "g.graphml"
    assert _export([str(out / "graph.trig"), "--out", str(target)]) == 0
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = [e.get("id") for e in ET.parse(target).getroot().iterfind(".//g:edge", ns)]
    assert ids and len(ids) == len(set(ids))


def test_network_export_gexf_nodes_carry_colours(examples_build, tmp_path):
    import xml.etree.ElementTree as ET

    from kg.html import COLOURS

    out, _ = examples_build
    target = tmp_path / "g.gexf"
    assert _export([str(out / "graph.trig"), "--out", str(target)]) == 0
    root = ET.parse(target).getroot()
    colours = [el for el in root.iter() if el.tag.endswith("}color")]
    nodes = [el for el in root.iter() if el.tag.endswith("}node")]
    assert len(colours) == len(nodes)
    wanted = {(int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)) for c in COLOURS.values()}
    assert {(int(c.get("r")), int(c.get("g")), int(c.get("b"))) for c in colours} <= wanted


def test_network_export_cli_csv_nodes_and_edges(examples_build, tmp_path):
    import csv

    out, result = examples_build
    assert _export([str(out / "graph.trig"), "--format", "csv", "--out", str(tmp_path / "tables")]) == 0
    with open(tmp_path / "tables" / "nodes.csv", newline="", encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with open(tmp_path / "tables" / "edges.csv", newline="", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    G = to_networkx(result.dataset)
    assert {(r["Id"], r["Label"], r["type"]) for r in nodes} == \
        {(n, d["label"], d["type"]) for n, d in G.nodes(data=True)}
    assert sorted((r["Source"], r["Target"], r["predicate"]) for r in edges) == \
        sorted((u, v, d["predicate"]) for u, v, d in G.edges(data=True))
    texts = {ex.article.doc_id: ex.article.text for ex in result.extractions}
    with_prov = [r for r in edges if r["statement"]]
    assert with_prov
    for r in with_prov:
        assert r["sentence"] in texts[r["article"]]
        assert int(r["start_char"]) < int(r["end_char"])


def test_network_export_cli_graph_format_errors(examples_build, tmp_path, capsys):
    out, _ = examples_build
    graph = str(out / "graph.trig")
    assert _export([graph, "--format", "csv"]) == 2  # csv needs a directory
    assert _export([graph, "--format", "csv", "--out", str(tmp_path / "x.csv")]) == 2
    assert _export([str(tmp_path / "missing.trig"), "--format", "graphml", "--out", str(tmp_path / "g.graphml")]) == 2
    assert "missing.trig" in capsys.readouterr().err
    assert not (tmp_path / "g.graphml").exists()


def test_network_export_graphml_to_stdout(examples_build, capsysbinary):
    import io

    import networkx as nx

    out, result = examples_build
    assert _export([str(out / "graph.trig"), "--format", "graphml"]) == 0
    back = nx.read_graphml(io.BytesIO(capsysbinary.readouterr().out))
    assert back.number_of_edges() == to_networkx(result.dataset).number_of_edges()
