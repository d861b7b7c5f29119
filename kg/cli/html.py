"""Render a graph file written by kg as one interactive HTML page that opens offline.

Example:

    kg html out/graph.ttl --out out/graph.html
    kg html out/graph.trig --out top.html --max-nodes 500 --title "Kursk, January 2025"

GRAPH is read by extension (.ttl, .trig, .nt, .nq, .jsonld, ...); named graphs are merged.
The page inlines every script and stylesheet (vis-network included) and makes no request
to any other host. --max-nodes keeps the most-mentioned entities (and the events between
them) and says so in the page. Exit code 0 on success, 2 for a missing or unreadable file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.cli import UsageError

def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``html`` sub-command."""
    parser = subparsers.add_parser(
        "html", help="render a graph file as an interactive offline HTML page",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", metavar="GRAPH", help="graph file written by kg (.ttl, .trig, ...)")
    parser.add_argument("--out", "-o", required=True, metavar="HTML", help="HTML file to write")
    parser.add_argument("--max-nodes", type=int, metavar="N",
                        help="draw only the top N entities by mentions (default: all)")
    parser.add_argument("--title", default=None, help="page title (default: from the file name)")
    parser.set_defaults(func=run)


def load_graph(path: Path):
    """Parse ``path`` (format from its extension) into an rdflib Dataset; UsageError names the file."""
    from kg.evaluate import load_graphs

    try:
        return load_graphs([path])
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    """Load the graph, render the page, print what was drawn."""
    from kg.html import render_html

    if args.max_nodes is not None and args.max_nodes < 1:
        raise UsageError(f"--max-nodes must be at least 1, got {args.max_nodes}")
    source = Path(args.graph)
    graph = load_graph(source)
    title = args.title or f"Knowledge graph: {source.name}"
    try:
        stats = render_html(graph, args.out, max_nodes=args.max_nodes, title=title)
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write: {exc.strerror or exc}") from None
    shown = f"{stats.nodes} of {stats.total_nodes} nodes" if stats.subset else f"{stats.nodes} nodes"
    print(f"wrote {stats.path} ({shown}, {stats.edges} edges, {stats.articles} articles, "
          f"{stats.bytes // 1024} KiB)")
    return 0
