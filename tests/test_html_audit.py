"""graph.html of a real build (the seed corpus) in Debian's chromium, opened from disk with the
network blocked; `kg html` from the command line; the subset note of --html-max-nodes; the
page's scripts inlined; the README screenshot and the benchmark's sizes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from kg.vocab import CLASSES, KG

from browser_helpers import OpenPage, chromium
from conftest import ROOT

ENTITY_CLASSES = ["Entity", *CLASSES[: CLASSES.index("Assertion")]]
RELATIONS = ("partOf", "locatedIn", "headquarteredIn", "nationality", "hasPositionIn")
ROLES = ("agent", "patient", "theme", "location", "destination", "recipient", "instrument")


def expected_counts(g: Graph) -> tuple[int, int]:
    """Entities and events (nodes), relations between entities and event roles (edges), by SPARQL."""
    classes = " ".join(f"kg:{c}" for c in ENTITY_CLASSES if c in CLASSES or c == "Entity")
    prefix = f"PREFIX kg: <{KG}>\n"
    nodes = g.query(prefix + "SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { "
                    f"{{ ?n a ?t VALUES ?t {{ {classes} }} }} UNION {{ ?n a kg:Event }} }}")
    edges = g.query(prefix + "SELECT (COUNT(*) AS ?c) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                    f"?s ?p ?o . ?o a ?t . VALUES ?t {{ {classes} }} "
                    f"{{ ?s a ?u VALUES ?u {{ {classes} }} VALUES ?p {{ {' '.join('kg:' + r for r in RELATIONS)} }} }} "
                    f"UNION {{ ?s a kg:Event VALUES ?p {{ {' '.join('kg:' + r for r in ROLES)} }} }} }} }}")
    return int(next(iter(nodes))[0]), int(next(iter(edges))[0])


def kg(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("kg")), *map(str, argv)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def seed_graph(seed_build) -> Graph:
    out, _ = seed_build
    return Graph().parse(out / "graph.ttl", format="turtle")


# ---- without a browser ----

def test_html_audit_kg_html_renders_from_turtle_alone(seed_build, tmp_path):
    out, _ = seed_build
    ttl = tmp_path / "only.ttl"
    ttl.write_bytes((out / "graph.ttl").read_bytes())  # nothing else beside it
    proc = kg("html", ttl, "--out", tmp_path / "page.html", "--title", "seed")
    assert proc.returncode == 0, proc.stderr
    nodes, edges = expected_counts(Graph().parse(ttl))
    assert f"({nodes} nodes, {edges} edges" in proc.stdout
    from_trig = kg("html", out / "graph.trig", "--out", tmp_path / "from-trig.html", "--title", "seed")
    assert from_trig.returncode == 0, from_trig.stderr
    assert (tmp_path / "page.html").read_bytes() == (tmp_path / "from-trig.html").read_bytes()
    assert "html" in kg("--help").stdout


def test_html_audit_scripts_are_inlined_no_cdn(seed_build):
    out, _ = seed_build
    page = (out / "graph.html").read_text("utf-8")
    assert re.search(r"<script[^>]*\bsrc=", page, re.I) is None
    assert re.search(r"<link[^>]*\bhref=", page, re.I) is None
    assert not re.search(r"(cdn|unpkg|jsdelivr|cdnjs|googleapis)\.", page, re.I)
    assert "vis-network" in page and "vis.Network(" in page  # the library itself is in the page


@pytest.fixture(scope="module")
def subset_build(shared, tmp_path_factory) -> Path:
    """`kg build --html-max-nodes 6` of the seed corpus."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("subset")
    assert main(["build", str(shared / "corpus"), "--out", str(out), "--html-max-nodes", "6",
                 "--cache-dir", str(out / "cache"), "--no-progress"]) == 0
    return out


def test_html_audit_build_with_html_max_nodes_reports_the_subset(subset_build):
    report = json.loads((subset_build / "report.json").read_text("utf-8"))["html"]
    assert report["subset"] and report["nodes"] < report["total_nodes"]
    page = (subset_build / "graph.html").read_text("utf-8")
    kinds = re.findall(r'"type":"(\w+)"', page[page.index('"nodes":['):])[: report["nodes"]]
    assert 0 < sum(k != "Event" for k in kinds) <= 6  # at most N entities, plus events between them


def test_html_audit_readme_shows_the_screenshot():
    readme = (ROOT / "README.md").read_text("utf-8")
    first_screen = "\n".join(readme.splitlines()[:20])
    assert "](docs/graph.png)" in first_screen
    png = (ROOT / "docs" / "graph.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_html_audit_benchmark_measures_1k_and_10k_nodes():
    text = (ROOT / "benchmarks" / "html_bench.py").read_text("utf-8")
    assert "time_to_interactive_ms" in text
    defaults = re.search(r"--nodes.*?default=\[?([\d_, ]+)\]?", text, re.S)
    assert defaults and {int(x.replace("_", "")) for x in re.findall(r"[\d_]+", defaults.group(1))} >= {1000, 10000}


# ---- in a real browser ----

@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture()
def seed_page(browser, seed_build):
    out, _ = seed_build
    opened = OpenPage(browser, out / "graph.html", timeout=30000)
    yield opened
    opened.context.close()


@pytest.mark.browser
def test_html_audit_seed_page_offline_without_errors_draws_the_graph(seed_page, seed_graph):
    nodes, edges = expected_counts(seed_graph)
    drawn = seed_page.js("""() => { const b = kgNetwork.network.body;
        return [b.nodeIndices.length, b.edgeIndices.length]; }""")
    assert drawn == [nodes, edges]
    seed_page.page.wait_for_timeout(300)
    assert seed_page.outside == [] and seed_page.errors == []
    assert seed_page.page.locator("#kg-subset").is_hidden()


@pytest.mark.browser
def test_html_audit_seed_page_search_by_alias_focuses_the_entity(seed_page, seed_graph):
    entity, alias = sorted((s, str(o)) for s, o in seed_graph.subject_objects(SKOS.altLabel)
                           if (s, RDF.type, KG.Person) in seed_graph or len(str(o)) > 3)[0]
    label = str(seed_graph.value(entity, RDFS.label))
    target = seed_page.js("l => kgNetwork.data.nodes.find(n => n.label === l).id", label)
    seed_page.page.fill("#kg-search", alias)
    seed_page.page.press("#kg-search", "Enter")
    assert seed_page.js("() => kgNetwork.network.getSelectedNodes()") == [target]
    assert seed_page.page.locator("#kg-details h3").inner_text() == label


@pytest.mark.browser
def test_html_audit_seed_page_type_filter_hides_that_type(seed_page, seed_graph):
    nodes, _ = expected_counts(seed_graph)
    countries = seed_page.js("() => kgNetwork.data.nodes.filter(n => n.type === 'Country').map(n => n.id)")
    assert len(countries) == len(set(seed_graph.subjects(RDF.type, KG.Country))) > 0
    seed_page.page.locator('#kg-types input[data-type="Country"]').uncheck()
    assert seed_page.js("ids => ids.every(id => kgNetwork.network.body.nodes[id].options.hidden)", countries)
    assert seed_page.js("() => kgNetwork.visibleCounts().nodes") == nodes - len(countries)


@pytest.mark.browser
def test_html_audit_seed_page_edge_tooltip_shows_the_source_sentence(seed_page, seed_graph):
    sentences = {str(o) for o in seed_graph.objects(None, KG.sentence)}
    edge = seed_page.js("() => kgNetwork.data.edges.findIndex(e => e.rel === 'locatedIn' || e.rel === 'nationality')")
    assert edge >= 0
    box = seed_page.page.locator("#kg-network").bounding_box()
    x, y = seed_page.js("""id => { const net = kgNetwork.network, mid = net.body.edges[id].edgeType.getPoint(0.5);
        net.moveTo({position: mid, scale: 2}); const p = net.canvasToDOM(mid); return [p.x, p.y]; }""", edge)
    seed_page.page.mouse.move(box["x"] + x - 3, box["y"] + y - 3)
    seed_page.page.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = seed_page.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    shown = tooltip.inner_text()
    assert any(" ".join(s.split()) in " ".join(shown.split()) for s in sentences), shown[:300]


@pytest.mark.browser
def test_html_audit_subset_page_says_so(browser, subset_build):
    tmp_path = subset_build
    opened = OpenPage(browser, tmp_path / "graph.html", timeout=30000)
    try:
        note = opened.page.locator("#kg-subset")
        assert note.is_visible() and "subset" in note.inner_text().lower()
        entities = opened.js("""() => kgNetwork.network.body.nodeIndices
            .filter(id => kgNetwork.data.nodes[id].type !== 'Event').length""")
        total = json.loads((tmp_path / "report.json").read_text("utf-8"))["html"]["total_nodes"]
        assert 0 < entities <= 6 and str(total) in note.inner_text()
        assert opened.outside == [] and opened.errors == []
    finally:
        opened.context.close()
