"""kg.html: view model from contract RDF, self-contained HTML, and the page in a real browser."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib import namespace as ns

from kg.html import graph_view, render_html
from kg.vocab import KG, RES, SCHEMA, WD

from browser_helpers import OpenPage, chromium

SCRIPT_SENTENCE = 'Kursk <script>window.kgPwned = 1; alert(1)</script> lies in "Russia" & nowhere else.'
ENTITY_CLASS_NAMES = ("Entity", "Person", "Organization", "GovernmentOrganization", "MilitaryUnit",
                      "MediaOrganization", "Platform", "Location", "Country", "AdministrativeRegion",
                      "City", "BodyOfWater", "Group", "NamedEvent", "Product", "Other")


def _add_entity(g: Graph, family: str, slug: str, cls: str, label: str, *, aliases=(), wd=None,
                mentions=None, named_graph: Graph | None = None) -> URIRef:
    node = RES[f"{family}/{slug}"]
    g.add((node, ns.RDF.type, KG[cls]))
    g.add((node, ns.RDFS.label, Literal(label)))
    for alias in aliases:
        g.add((node, ns.SKOS.altLabel, Literal(alias)))
    if wd:
        g.add((node, ns.OWL.sameAs, WD[wd]))
    if mentions is not None:
        g.add((node, KG.mentionCount, Literal(mentions, datatype=ns.XSD.integer)))
    return node


def _provenance(g: Graph, stmt: URIRef, article: URIRef, sentence: str, start: int, *, speaker=None,
                cue=None, factuality=None) -> None:
    g.add((stmt, ns.PROV.wasDerivedFrom, article))
    g.add((stmt, KG.sentence, Literal(sentence)))
    g.add((stmt, KG.startChar, Literal(start, datatype=ns.XSD.integer)))
    g.add((stmt, KG.endChar, Literal(start + len(sentence), datatype=ns.XSD.integer)))
    g.add((stmt, KG.extractedBy, Literal("test-rule")))
    g.add((stmt, KG.confidence, Literal(Decimal("0.8"), datatype=ns.XSD.decimal)))
    if speaker is not None:
        g.add((stmt, KG.speaker, speaker))
        g.add((stmt, ns.PROV.wasAttributedTo, speaker))
        g.add((stmt, KG.cue, Literal(cue)))
        g.add((stmt, KG.factuality, Literal(factuality)))


def _relation(g: Graph, s, prop: str, o, article, sentence: str, start: int, key: str, **attr) -> None:
    g.add((s, KG[prop], o))
    stmt = RES[f"assertion/{key}"]
    g.add((stmt, ns.RDF.type, KG.Assertion))
    g.add((stmt, ns.RDF.subject, s))
    g.add((stmt, ns.RDF.predicate, KG[prop]))
    g.add((stmt, ns.RDF.object, o))
    _provenance(g, stmt, article, sentence, start, **attr)


def contract_graph() -> Graph:
    """A small graph written the way the contract says kg writes graphs."""
    g = Graph()
    a1, a2 = RES["article/kursk-1"], RES["article/kursk-2"]
    for art, ident, headline, date in (
            (a1, "kursk-1", "Ukraine captures two soldiers in Kursk", "2025-01-11"),
            (a2, "kursk-2", "Seoul <b>confirms</b> & questions", "2025-01-12")):
        g.add((art, ns.RDF.type, SCHEMA.NewsArticle))
        g.add((art, SCHEMA.identifier, Literal(ident)))
        g.add((art, SCHEMA.headline, Literal(headline)))
        g.add((art, SCHEMA.datePublished, Literal(date, datatype=ns.XSD.date)))
        g.add((art, SCHEMA.url, Literal(f"https://example.org/{ident}", datatype=ns.XSD.anyURI)))
    zel = _add_entity(g, "person", "volodymyr-zelensky", "Person", "Volodymyr Zelensky",
                      aliases=("Zelenskyy", "Zelensky"), wd="Q3874799", mentions=5)
    ukr = _add_entity(g, "location", "ukraine", "Country", "Ukraine", wd="Q212", mentions=8)
    g.add((ukr, ns.RDF.type, KG.Location))  # a broader class too: the page must show Country
    rus = _add_entity(g, "location", "russia", "Country", "Russia", wd="Q159", mentions=4)
    nk = _add_entity(g, "location", "north-korea", "Country", "North Korea", aliases=("DPRK",), mentions=3)
    kursk = _add_entity(g, "location", "kursk-oblast", "AdministrativeRegion", "Kursk Oblast",
                        aliases=("Kursk",), mentions=4)
    sbu = _add_entity(g, "organization", "sbu", "GovernmentOrganization", "Security Service of Ukraine",
                      aliases=("SBU",), mentions=2)
    soldiers = _add_entity(g, "group", "north-korean-soldiers", "Group", "North Korean soldiers", mentions=3)
    kyiv = _add_entity(g, "location", "kyiv", "City", "Kyiv", mentions=1)
    for art, ents in ((a1, (zel, ukr, rus, nk, kursk, soldiers, sbu)), (a2, (nk, soldiers, kyiv))):
        for e in ents:
            g.add((art, SCHEMA.mentions, e))

    _relation(g, kursk, "locatedIn", rus, a1, SCRIPT_SENTENCE, 100, "k1")
    _relation(g, sbu, "partOf", ukr, a1, "The SBU, Ukraine's security service, released photos.", 300, "s1")
    _relation(g, soldiers, "nationality", nk, a2, "Seoul said the soldiers were North Korean.", 10, "n1",
              speaker=kyiv, cue="said", factuality="reported")
    _relation(g, kyiv, "locatedIn", ukr, a2, "Officials in Kyiv, Ukraine, declined to comment.", 80, "c1")
    pos = RES["position/p1"]
    g.add((pos, ns.RDF.type, KG.Position))
    g.add((pos, KG.positionHolder, zel))
    g.add((pos, KG.positionTitle, Literal("President")))
    g.add((pos, KG.positionIn, ukr))
    g.add((pos, ns.RDFS.label, Literal("President of Ukraine")))
    g.add((zel, KG.holdsPosition, pos))
    g.add((zel, KG.hasPositionIn, ukr))
    _provenance(g, pos, a1, "Ukrainian President Volodymyr Zelensky posted a video.", 0)

    ev = RES["event/e1"]
    for t in (KG.Event, KG.Capture, SCHEMA.Event):
        g.add((ev, ns.RDF.type, t))
    g.add((ev, ns.RDFS.label, Literal("Ukraine captured North Korean soldiers")))
    g.add((ev, KG.trigger, Literal("captured")))
    g.add((ev, KG.agent, ukr))
    g.add((ev, KG.patient, soldiers))
    g.add((ev, KG.location, kursk))
    g.add((ev, KG.eventDate, Literal("2025-01-11", datatype=ns.XSD.date)))
    _provenance(g, ev, a1, "Ukraine captured two North Korean soldiers in Kursk.", 40)

    quote = RES["quote/q1"]
    g.add((quote, ns.RDF.type, KG.Quote))
    g.add((quote, KG.quoteText, Literal("The world must see <this> & act")))
    g.add((quote, KG.speaker, zel))
    g.add((quote, ns.PROV.wasQuotedFrom, zel))
    _provenance(g, quote, a1, "\"The world must see <this> & act,\" Zelensky wrote.", 500)
    qty = RES["quantity/n1"]
    g.add((qty, ns.RDF.type, KG.Quantity))
    g.add((qty, KG.quantityText, Literal("two soldiers")))
    g.add((qty, KG.quantityValue, Literal(Decimal(2), datatype=ns.XSD.decimal)))
    g.add((qty, KG.quantityOf, soldiers))
    _provenance(g, qty, a1, "Ukraine captured two North Korean soldiers in Kursk.", 40)
    return g


def expected_counts(g: Graph) -> tuple[int, int]:
    """Nodes and edges the page must draw, counted straight from the RDF with SPARQL."""
    classes = " ".join(f"kg:{c}" for c in ENTITY_CLASS_NAMES)
    prefix = f"PREFIX kg: <{KG}>\n"
    nodes = g.query(prefix + "SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { "
                    f"{{ ?n a ?t VALUES ?t {{ {classes} }} }} UNION {{ ?n a kg:Event }} }}")
    edges = g.query(prefix + "SELECT (COUNT(*) AS ?c) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                    "?s ?p ?o . ?o a ?t . VALUES ?t { " + classes + " } "
                    "{ ?s a ?u VALUES ?u { " + classes + " } "
                    "VALUES ?p { kg:partOf kg:locatedIn kg:headquarteredIn kg:nationality kg:hasPositionIn } } "
                    "UNION { ?s a kg:Event VALUES ?p { kg:agent kg:patient kg:theme kg:location "
                    "kg:destination kg:recipient kg:instrument } } } }")
    return int(next(iter(nodes))[0]), int(next(iter(edges))[0])


@pytest.fixture(scope="module")
def graph() -> Graph:
    return contract_graph()


def _node(view, label):
    return next(n for n in view["nodes"] if n["label"] == label)


# ---- view model ----

def test_html_view_counts_match_rdf(graph):
    view = graph_view(graph)
    assert (len(view["nodes"]), len(view["edges"])) == expected_counts(graph)
    assert view["totals"]["nodes"] == len(view["nodes"])


def test_html_view_types_details_and_edge_labels(graph):
    view = graph_view(graph)
    ukraine = _node(view, "Ukraine")
    assert ukraine["type"] == "Country"
    zel = _node(view, "Volodymyr Zelensky")
    assert zel["aliases"] == ["Zelensky", "Zelenskyy"]
    assert zel["sameAs"] == [str(WD.Q3874799)]
    assert zel["quotes"][0]["text"] == "The world must see <this> & act"
    headlines = [view["articles"][i]["headline"] for i in zel["articles"]]
    assert headlines == ["Ukraine captures two soldiers in Kursk"]
    labels = {(view["nodes"][e["from"]]["label"], e["label"], view["nodes"][e["to"]]["label"]) for e in view["edges"]}
    assert ("Volodymyr Zelensky", "President", "Ukraine") in labels
    assert ("Ukraine captured North Korean soldiers", "agent", "Ukraine") in labels
    assert ("Kursk Oblast", "locatedIn", "Russia") in labels
    event = _node(view, "Ukraine captured North Korean soldiers")
    assert (event["type"], event["eventClass"], event["trigger"]) == ("Event", "Capture", "captured")
    nat = next(e for e in view["edges"] if e["rel"] == "nationality")
    row = view["prov"][nat["prov"][0]]
    assert (row["speaker"], row["cue"], row["factuality"]) == ("Kyiv", "said", "reported")
    assert view["sentences"][row["s"]] == "Seoul said the soldiers were North Korean."
    assert view["articles"][row["a"]]["date"] == "2025-01-12"
    assert _node(view, "Kyiv")["claims"] == [nat["prov"][0]]
    assert _node(view, "North Korean soldiers")["quantities"][0]["text"] == "two soldiers"


def test_html_view_max_nodes_keeps_top_entities(graph):
    view = graph_view(graph, max_nodes=3)
    entities = [n for n in view["nodes"] if n["type"] != "Event"]
    assert sorted(n["label"] for n in entities) == ["Kursk Oblast", "Ukraine", "Volodymyr Zelensky"]
    # The capture event joins Ukraine and Kursk (both kept): it stays, its third role edge goes.
    assert [n["eventClass"] for n in view["nodes"] if n["type"] == "Event"] == ["Capture"]
    ids = {n["id"] for n in view["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in view["edges"])
    assert view["totals"]["nodes"] == expected_counts(graph)[0]
    with pytest.raises(ValueError):
        graph_view(graph, max_nodes=0)


def test_html_view_reads_named_graphs_of_a_dataset(graph):
    ds = Dataset()
    named = ds.graph(RES["graph/kursk-1"])
    for i, triple in enumerate(sorted(graph)):
        (named if i % 2 else ds.default_graph).add(triple)
    view = graph_view(ds)
    assert (len(view["nodes"]), len(view["edges"])) == expected_counts(graph)


# ---- the file ----

def test_html_file_is_self_contained_escaped_and_deterministic(graph, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    stats = render_html(graph, a, title="Kursk <test>")
    render_html(contract_graph(), b, title="Kursk <test>")
    assert a.read_bytes() == b.read_bytes()
    html = a.read_text(encoding="utf-8")
    assert (stats.nodes, stats.edges) == expected_counts(graph) and not stats.subset
    assert stats.bytes == a.stat().st_size
    assert "<script>window.kgPwned" not in html and "<b>confirms" not in html
    assert "<title>Kursk &lt;test&gt;</title>" in html
    # Nothing is loaded from elsewhere: no src/href attributes, no <link>, no @import.
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b|@import", html, re.I)
    assert html.count("</script>") == 3  # data, vis-network, page script
    assert not list(tmp_path.glob(".*.tmp"))


def test_html_subset_is_announced(graph, tmp_path):
    stats = render_html(graph, tmp_path / "g.html", max_nodes=2)
    assert stats.subset and stats.total_nodes == expected_counts(graph)[0]
    assert '"maxNodes":2' in (tmp_path / "g.html").read_text(encoding="utf-8")


def test_html_cli_renders_turtle_and_trig(graph, tmp_path, capsys):
    import argparse

    from kg.cli import UsageError
    from kg.cli import html as cli_html

    parser = argparse.ArgumentParser(prog="kg")
    cli_html.register(parser.add_subparsers(dest="command"))
    ttl = tmp_path / "graph.ttl"
    graph.serialize(ttl, format="turtle")
    args = parser.parse_args(["html", str(ttl), "--out", str(tmp_path / "out" / "g.html")])
    assert args.func(args) == 0
    assert "wrote" in capsys.readouterr().out
    from_ttl = (tmp_path / "out" / "g.html").read_bytes()
    ds = Dataset()
    for i, triple in enumerate(sorted(graph)):
        (ds.graph(RES["graph/x"]) if i % 3 else ds.default_graph).add(triple)
    trig = tmp_path / "graph.trig"
    ds.serialize(trig, format="trig")
    args = parser.parse_args(["html", str(trig), "--out", str(tmp_path / "t.html"), "--title",
                              "Knowledge graph: graph.ttl"])
    assert args.func(args) == 0
    assert (tmp_path / "t.html").read_bytes() == from_ttl
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    for argv in (["html", str(bad), "--out", "x.html"], ["html", str(tmp_path / "none.ttl"), "--out", "x.html"],
                 ["html", str(ttl), "--out", "x.html", "--max-nodes", "0"]):
        args = parser.parse_args(argv)
        with pytest.raises(UsageError):
            args.func(args)


# ---- in a real browser ----

@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def page_file(graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "graph.html"
    render_html(graph, path, title="Kursk test graph")
    return path


@pytest.fixture
def opened(browser, page_file):
    p = OpenPage(browser, page_file)
    yield p
    p.close()


@pytest.mark.browser
def test_html_browser_offline_no_errors_all_drawn(opened, graph):
    nodes, edges = expected_counts(graph)
    drawn = opened.js("""() => { const n = kgNetwork.network.body;
        return [n.nodeIndices.length, n.edgeIndices.length, kgNetwork.nodes.length, kgNetwork.edges.length]; }""")
    assert drawn == [nodes, edges, nodes, edges]
    assert opened.js("() => kgNetwork.visibleCounts()") == {"nodes": nodes, "edges": edges}
    opened.page.wait_for_timeout(300)
    assert [u for u in opened.requests if not u.startswith("file://")] == [] and opened.blocked == []
    assert opened.errors == []
    assert opened.js("() => window.kgPwned") is None
    assert opened.page.locator("#kg-subset").is_hidden()


@pytest.mark.browser
def test_html_browser_search_focuses_node_by_alias(opened):
    target = opened.node_id("Volodymyr Zelensky")
    opened.page.fill("#kg-search", "zelenskyy")
    opened.page.press("#kg-search", "Enter")
    assert opened.js("() => kgNetwork.network.getSelectedNodes()") == [target]
    opened.page.wait_for_timeout(700)  # the focus animation
    centre, pos = opened.js("""id => [kgNetwork.network.getViewPosition(),
        kgNetwork.network.getPositions([id])[id]]""", target)
    assert abs(centre["x"] - pos["x"]) < 2 and abs(centre["y"] - pos["y"]) < 2
    details = opened.page.locator("#kg-details")
    assert details.locator("h3").inner_text() == "Volodymyr Zelensky"
    assert details.get_by_role("link", name="Wikidata Q3874799").get_attribute("href") == \
        "https://www.wikidata.org/wiki/Q3874799"
    assert "The world must see <this> & act" in details.inner_text()


@pytest.mark.browser
def test_html_browser_type_filter_hides_type(opened, graph):
    nodes, _ = expected_counts(graph)
    countries = opened.js("() => kgNetwork.data.nodes.filter(n => n.type === 'Country').map(n => n.id)")
    assert len(countries) == 3
    opened.page.locator('#kg-types input[data-type="Country"]').uncheck()
    hidden = opened.js("ids => ids.map(id => kgNetwork.network.body.nodes[id].options.hidden)", countries)
    assert hidden == [True, True, True]
    assert opened.js("() => kgNetwork.visibleCounts().nodes") == nodes - 3
    assert opened.page.locator("#kg-counts").inner_text().startswith(f"{nodes - 3} nodes")
    opened.page.locator('#kg-types input[data-type="Country"]').check()
    assert opened.js("() => kgNetwork.visibleCounts().nodes") == nodes


@pytest.mark.browser
def test_html_browser_article_filter_and_neighbourhood(opened):
    opened.page.select_option("#kg-article", label="Seoul <b>confirms</b> & questions (2025-01-12)")
    shown = opened.js("""() => kgNetwork.data.nodes.filter(n => !kgNetwork.nodes.get(n.id).hidden)
        .map(n => n.label).sort()""")
    assert shown == ["Kyiv", "North Korea", "North Korean soldiers"]
    opened.page.click("#kg-reset")
    kursk = opened.node_id("Kursk Oblast")
    opened.js("id => kgNetwork.showNeighbourhood(id, 1)", kursk)
    shown = opened.js("""() => kgNetwork.data.nodes.filter(n => !kgNetwork.nodes.get(n.id).hidden)
        .map(n => n.label).sort()""")
    assert shown == ["Kursk Oblast", "Russia", "Ukraine captured North Korean soldiers"]


@pytest.mark.browser
def test_html_browser_edge_tooltip_shows_source_sentence_as_text(opened):
    edge = opened.js("""() => kgNetwork.data.edges.findIndex(e =>
        kgNetwork.data.nodes[e.from].label === 'Kursk Oblast' && e.rel === 'locatedIn')""")
    box = opened.page.locator("#kg-network").bounding_box()
    # Centre the view on the middle of the edge's (curved) line, zoomed in, and point there.
    x, y = opened.js("""id => { const net = kgNetwork.network, mid = net.body.edges[id].edgeType.getPoint(0.5);
        net.moveTo({position: mid, scale: 2}); const p = net.canvasToDOM(mid); return [p.x, p.y]; }""", edge)
    opened.page.mouse.move(box["x"] + x - 3, box["y"] + y - 3)
    opened.page.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = opened.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert SCRIPT_SENTENCE in tooltip.inner_text()
    assert "Ukraine captures two soldiers in Kursk (2025-01-11)" in tooltip.inner_text()
    opened.page.mouse.click(box["x"] + x, box["y"] + y)
    details = opened.page.locator("#kg-details")
    assert SCRIPT_SENTENCE in details.inner_text()
    assert details.locator("script").count() == 0
    assert opened.js("() => window.kgPwned") is None and opened.errors == []


@pytest.mark.browser
def test_html_browser_screenshot(browser, graph, tmp_path):
    """Save a screenshot (docs/graph.png is refreshed with KG_UPDATE_SCREENSHOT=1)."""
    path = tmp_path / "graph.html"
    render_html(graph, path, title="kg: two articles on Kursk, January 2025")
    p = OpenPage(browser, path, size=(900, 560))
    try:
        p.js("id => kgNetwork.focusNode(id)", p.node_id("Volodymyr Zelensky"))
        p.js("() => kgNetwork.network.fit()")
        p.page.wait_for_timeout(500)
        shot = tmp_path / "graph.png"
        p.page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if os.environ.get("KG_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(shot, Path(__file__).resolve().parents[1] / "docs" / "graph.png")
    finally:
        p.close()
