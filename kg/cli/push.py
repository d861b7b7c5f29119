"""Load graph files or a store into a SPARQL 1.1 Graph Store HTTP Protocol endpoint.

Example:

    kg push out/graph.trig --endpoint http://localhost:7878/store
    kg push out/graph.ttl --endpoint https://db.example.org/ds/data --graph https://example.org/news \
        --user ann            # password from $KG_PUSH_PASSWORD, else asked for
    KG_PUSH_TOKEN=... kg push store/ --endpoint https://graphdb.example.org/repositories/news/rdf-graphs/service

Endpoints: Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DATASET/data, GraphDB
http://HOST:7200/repositories/REPO/rdf-graphs/service, Virtuoso http://HOST:8890/sparql-graph-crud-auth.
Named graphs are kept (default graph -> ?default) unless --graph puts everything in one graph.
Triples are POSTed (added) in N-Triples batches; --replace PUTs the first batch of each graph,
replacing its old content. Transient errors (5xx, timeouts, refused connections) are retried
with backoff. Credentials (--user with $KG_PUSH_PASSWORD or a prompt, or $KG_PUSH_TOKEN /
--token-env VAR for a bearer token) are never printed, and are refused over plain http:// to
another machine unless --insecure. Exit code 0, or 2 when the push fails.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kg.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``push`` sub-command."""
    parser = subparsers.add_parser(
        "push", help="load graphs into a SPARQL Graph Store endpoint",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graphs", nargs="+", metavar="GRAPH_OR_STORE", help="graph file(s) or one store")
    parser.add_argument("--endpoint", required=True, metavar="URL", help="Graph Store Protocol URL")
    parser.add_argument("--graph", metavar="IRI", help="put every triple in this named graph")
    parser.add_argument("--user", help="user name for HTTP basic authentication")
    parser.add_argument("--password-env", default="KG_PUSH_PASSWORD", metavar="VAR",
                        help="environment variable holding the password (default: KG_PUSH_PASSWORD)")
    parser.add_argument("--token-env", default="KG_PUSH_TOKEN", metavar="VAR",
                        help="environment variable holding a bearer token (default: KG_PUSH_TOKEN)")
    parser.add_argument("--batch-size", type=int, default=20_000, metavar="N",
                        help="triples per request (default: 20000)")
    parser.add_argument("--replace", action="store_true", help="replace the graphs' old content")
    parser.add_argument("--insecure", action="store_true",
                        help="allow credentials over plain http:// to another machine")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read the graphs and push them."""
    from kg.push import PushError, push
    from kg.store import StoreError, content_quads, open_store
    from kg.validate import GraphFileError, parse_quads

    if args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    password = os.environ.get(args.password_env) if args.user else None
    if args.user and password is None and sys.stdin.isatty():
        import getpass
        password = getpass.getpass(f"password for {args.user}: ")
    token = os.environ.get(args.token_env) or None
    try:
        if len(args.graphs) == 1 and Path(args.graphs[0]).is_dir():
            quads = list(content_quads(open_store(args.graphs[0], read_only=True)))
        else:
            quads = [q for path in args.graphs for q in parse_quads(path)]
        report = push(quads, args.endpoint, graph=args.graph, user=args.user, password=password,
                      token=token, batch_size=args.batch_size, replace=args.replace,
                      insecure=args.insecure, log=lambda line: print(line, file=sys.stderr))
    except (PushError, StoreError, GraphFileError) as exc:
        raise UsageError(str(exc)) from None
    total = sum(report.triples.values())
    print(f"pushed {total} triples to {len(report.triples)} graph(s) in {report.requests} request(s)")
    return 0
