"""Time to interactive of graph.html for synthetic contract graphs (not a test).

Builds graphs of 1k and 10k nodes (3 edges per node) following the RDF output contract,
renders them with kg.html.render_html, opens each file from disk in Debian's chromium
with the network blocked, and prints one JSON object:

    /work/venv/bin/python benchmarks/html_bench.py            # 1k and 10k nodes
    /work/venv/bin/python benchmarks/html_bench.py --nodes 2000 --max-nodes 500

time_to_interactive_ms is measured by the page itself (performance.now() when the capped
stabilisation ends and the graph is drawn), i.e. from navigation start; frame_ms is the
cost of one full redraw afterwards (what panning and zooming cost).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.html import render_html
from kg.vocab import KG, RES, SCHEMA

CHROMIUM = "/usr/bin/chromium"
ENTITY_CLASSES = (("person", "Person"), ("organization", "Organization"),
                  ("organization", "GovernmentOrganization"), ("location", "Country"),
                  ("location", "City"), ("group", "Group"), ("other", "Product"))
RELATIONS = ("partOf", "locatedIn", "headquarteredIn", "nationality")
EVENTS = ("Capture", "Attack", "Meeting", "Visit", "Statement")
ROLES = ("agent", "patient", "location")


def synthetic_graph(nodes: int, edges_per_node: int = 3, seed: int = 1) -> Graph:
    """A contract graph: 80 % entities, 20 % events (3 roles each), the rest of the edges relations."""
    rnd = random.Random(seed)
    g = Graph()
    n_events = nodes // 5
    n_entities = nodes - n_events
    articles = [RES[f"article/a{i}"] for i in range(max(1, nodes // 50))]
    for i, a in enumerate(articles):
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add((a, SCHEMA.identifier, Literal(f"a{i}")))
        g.add((a, SCHEMA.headline, Literal(f"Synthetic article {i}")))
        g.add((a, SCHEMA.datePublished, Literal(f"2025-01-{1 + i % 28:02d}", datatype=XSD.date)))
    entities = []
    for i in range(n_entities):
        family, cls = ENTITY_CLASSES[i % len(ENTITY_CLASSES)]
        e = RES[f"{family}/entity-{i}"]
        entities.append(e)
        g.add((e, RDF.type, KG[cls]))
        g.add((e, RDFS.label, Literal(f"Entity {i}")))
        g.add((e, SKOS.altLabel, Literal(f"E{i}")))
        g.add((e, KG.mentionCount, Literal(max(1, int(200 / (1 + i) ** 0.7)), datatype=XSD.integer)))
        for a in rnd.sample(articles, min(2, len(articles))):
            g.add((a, SCHEMA.mentions, e))

    def provenance(stmt, k):
        g.add((stmt, PROV.wasDerivedFrom, rnd.choice(articles)))
        g.add((stmt, KG.sentence, Literal(f"Sentence number {k} says something about the entities.")))
        g.add((stmt, KG.startChar, Literal(k % 5000, datatype=XSD.integer)))
        g.add((stmt, KG.confidence, Literal(Decimal("0.7"), datatype=XSD.decimal)))

    # Preferential attachment-ish endpoints so the graph has hubs, like news graphs do.
    def pick():
        return entities[min(int(rnd.paretovariate(0.8)) - 1, n_entities - 1)] if rnd.random() < 0.5 \
            else rnd.choice(entities)

    target_edges = nodes * edges_per_node
    role_edges = n_events * len(ROLES)
    seen = set()
    while len(seen) < target_edges - role_edges:
        s, o, rel = pick(), pick(), rnd.choice(RELATIONS)
        if s == o or (s, rel, o) in seen:
            continue
        seen.add((s, rel, o))
        g.add((s, KG[rel], o))
        stmt = RES[f"assertion/a{len(seen)}"]
        g.add((stmt, RDF.type, KG.Assertion))
        g.add((stmt, RDF.subject, s))
        g.add((stmt, RDF.predicate, KG[rel]))
        g.add((stmt, RDF.object, o))
        provenance(stmt, len(seen))
    for i in range(n_events):
        ev = RES[f"event/e{i}"]
        g.add((ev, RDF.type, KG.Event))
        g.add((ev, RDF.type, KG[EVENTS[i % len(EVENTS)]]))
        g.add((ev, RDFS.label, Literal(f"Event {i}")))
        for role, e in zip(ROLES, rnd.sample(entities, len(ROLES))):
            g.add((ev, KG[role], e))
        provenance(ev, i)
    return g


#: Median time between painted frames while the view is panned, at full view and zoomed on a hub.
FRAME_JS = """async () => {
    const net = kgNetwork.network;
    const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    async function pan(label) {
        const times = [];
        let last = performance.now();
        for (let i = 0; i < 12; i++) {
            const p = net.getViewPosition();
            net.moveTo({position: {x: p.x + 3 / net.getScale(), y: p.y}});
            await frame();
            const now = performance.now();
            times.push(now - last);
            last = now;
        }
        times.sort((a, b) => a - b);
        return Math.round(times[times.length >> 1]);
    }
    const out = {};
    out.frame_ms_full_view = await pan();
    const hub = kgNetwork.data.nodes.reduce((a, b) => ((b.mentions || 0) > (a.mentions || 0) ? b : a)).id;
    net.moveTo({position: net.getPositions([hub])[hub], scale: 1});
    await frame();
    out.frame_ms_zoomed = await pan();
    return out;
}"""


def open_in_chromium(path: Path) -> dict:
    """Open the page from disk, network blocked; return the page's own timings."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        outside: list[str] = []
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                   else (outside.append(r.request.url), r.abort()))
        page.goto(path.as_uri())
        page.wait_for_function("() => window.kgNetwork && window.kgNetwork.ready", timeout=180_000)
        result = page.evaluate(FRAME_JS)
        result["time_to_interactive_ms"] = round(page.evaluate("kgNetwork.readyAt"))
        result["page_marks_ms"] = page.evaluate("() => Object.fromEntries(Object.entries(kgNetwork.marks).map(([k, v]) => [k, Math.round(v)]))")
        result["drawn_nodes"], result["drawn_edges"] = page.evaluate(
            "[kgNetwork.network.body.nodeIndices.length, kgNetwork.network.body.edgeIndices.length]")
        browser.close()
    result["requests_outside"] = len(outside)
    return result


def bench(nodes: int, max_nodes: int | None) -> dict:
    t = time.perf_counter()
    graph = synthetic_graph(nodes)
    built = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.html"
        t = time.perf_counter()
        stats = render_html(graph, path, max_nodes=max_nodes, title=f"Synthetic {nodes}")
        rendered = time.perf_counter() - t
        row = {"nodes": stats.nodes, "edges": stats.edges, "total_nodes": stats.total_nodes,
               "triples": len(graph), "build_graph_s": round(built, 2), "render_html_s": round(rendered, 2),
               "html_mb": round(stats.bytes / 1e6, 2)}
        row.update(open_in_chromium(path))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--max-nodes", type=int, default=None)
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not installed", file=sys.stderr)
        return 1
    results = {str(n): bench(n, args.max_nodes) for n in args.nodes}
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
