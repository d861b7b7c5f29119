"""Write a store (or graph files) as Turtle, TriG, N-Triples, N-Quads, JSON-LD, or for graph tools.

Example:

    kg export --store store/ --format trig --out all.trig
    kg export --store store/ --format jsonld > all.jsonld
    kg export out/graph.trig --format nq --out graph.nq
    kg export out/graph.trig --out graph.gexf
    kg export out/graph.trig --format csv --out tables/

graphml and gexf (for Gephi, yEd, networkx) and csv (a directory receiving nodes.csv and
edges.csv) hold the entity graph of kg.network: entities and events as nodes, relations and
event roles as edges with their sentence and article.

Output is sorted and uses the kg prefixes (JSON-LD: a @context with them). ttl and nt hold the
union of all graphs; trig, nq and jsonld keep each article's named graph. The store's own
bookkeeping graph is left out. Without --out the result goes to standard output; with --out it
is written atomically and the format defaults to the file's suffix.
Exit code 0, or 2 for a missing store or unreadable file.
"""

from __future__ import annotations

import argparse
import sys

from kg.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    parser = subparsers.add_parser(
        "export", help="write a store or graph files in another RDF format",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graphs", nargs="*", metavar="GRAPH", help="graph file(s) to convert")
    parser.add_argument("--store", metavar="DIR", help="store directory made by `kg build --store`")
    parser.add_argument("--format", choices=["ttl", "trig", "nt", "nq", "jsonld", "graphml", "gexf", "csv"],
                        help="output format (default: from --out's suffix, else trig)")
    parser.add_argument("--out", "-o", metavar="FILE", help="output file, or directory for csv (default: standard output)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serialise the store or files."""
    from kg.serialize import SerializeError, format_for, serialize_quads, write_atomic
    from kg.store import StoreError, content_quads, open_store
    from kg.validate import parse_quads

    if bool(args.store) == bool(args.graphs):
        raise UsageError("give either --store DIR or graph file(s)")
    from kg.graphexport import graph_format

    graph_fmt = graph_format(args.out, args.format)
    if graph_fmt is not None:
        return run_graph(args, graph_fmt)
    try:
        fmt = format_for(args.out or "", args.format or (None if args.out else "trig"))
        if args.store:
            quads = list(content_quads(open_store(args.store, read_only=True)))
        else:
            quads = [q for path in args.graphs for q in parse_quads(path)]
        data = serialize_quads(quads, fmt)
        if args.out:
            write_atomic(args.out, data)
        else:
            sys.stdout.buffer.write(data)
    except (StoreError, SerializeError, ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    return 0


def run_graph(args: argparse.Namespace, fmt: str) -> int:
    """Write the entity graph as graphml, gexf or csv."""
    from kg.graphexport import network_bytes, write_network
    from kg.network import to_networkx
    from kg.serialize import SerializeError, to_rdflib
    from kg.store import StoreError, content_quads, open_store
    from kg.validate import parse_quads

    if fmt == "csv" and not args.out:
        raise UsageError("--format csv needs --out DIR (it writes nodes.csv and edges.csv)")
    try:
        if args.store:
            quads = list(content_quads(open_store(args.store, read_only=True)))
        else:
            quads = [q for path in args.graphs for q in parse_quads(path)]
        graph = to_networkx(to_rdflib(quads))
        if args.out:
            write_network(graph, args.out, fmt)
        else:
            sys.stdout.buffer.write(network_bytes(graph, fmt))
    except (StoreError, SerializeError, ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    return 0
