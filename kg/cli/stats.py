"""Summarise a graph: most-mentioned entities, central entities, communities, shared entities.

Example:

    kg stats out/graph.trig
    kg stats out/graph.trig --top 20 --format json > stats.json
    kg stats store/

GRAPH is one or more graph files (.trig, .ttl, .nt, .nq, .jsonld) or one store directory.
Centrality and communities are computed on the entity graph (relations, plus an edge between
the participants of each event); "shared" lists entities mentioned in more than one article.
--format table (default) prints tables; json prints every number, with IRIs.
Exit code 0, or 2 for an unreadable graph.
"""

from __future__ import annotations

import argparse
import json
import sys

from kg.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``stats`` sub-command."""
    parser = subparsers.add_parser(
        "stats", help="most-mentioned and central entities, communities, shared entities",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graphs", nargs="+", metavar="GRAPH", help="graph file(s) or one store directory")
    parser.add_argument("--top", type=int, default=10, metavar="N", help="rows per list (default: 10)")
    parser.add_argument("--format", choices=["table", "json"], default="table", help="output format (default: table)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute and print the statistics."""
    from kg.api import load
    from kg.stats import graph_stats, print_stats
    from kg.store import StoreError

    if args.top < 1:
        raise UsageError(f"--top must be positive, got {args.top}")
    try:
        graph = load(*args.graphs)
    except (StoreError, ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    stats = graph_stats(graph.to_networkx(), top=args.top)
    if args.format == "json":
        sys.stdout.write(json.dumps(stats, indent=2, ensure_ascii=False) + "\n")
    else:
        print_stats(stats)
    return 0
