"""Run a SPARQL 1.1 query over graph files or a store and print the results.

Example:

    kg query out/graph.trig 'SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name }'
    kg query --file captures out/graph.trig --format csv > captures.csv
    kg query --file my.rq --format json store/

The last positional argument is the query unless --file is given; --file takes a .rq path or
the name of a ready query in ontologies/queries (captures, provenance, ...). Several graph
files are merged; a directory is a store made by `kg build --store`. The default graph is the
union of all graphs and the prefixes kg:, kgr:, schema:, prov:, skos:, owl:, rdf:, rdfs:,
xsd:, wd: are predeclared. SELECT/ASK print as --format table (default), csv, tsv, json or
xml; CONSTRUCT/DESCRIBE as Turtle (table, ttl), N-Triples (nt, csv, tsv) or JSON-LD (json).
Exit code 0, or 2 for a bad query or an unreadable graph.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli import UsageError

QUERIES_DIR = Path(__file__).resolve().parents[2] / "ontologies" / "queries"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``query`` sub-command."""
    parser = subparsers.add_parser(
        "query", help="run a SPARQL query over graph files or a store",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("items", nargs="+", metavar="GRAPH_OR_STORE [QUERY]",
                        help="graph file(s) or one store directory, then the query text")
    parser.add_argument("--file", "-f", metavar="QUERY.rq", help="read the query from a file")
    parser.add_argument("--format", default="table",
                        choices=["table", "csv", "tsv", "json", "xml", "ttl", "nt"],
                        help="output format (default: table)")
    parser.set_defaults(func=run)


def read_query(name: str) -> str:
    """The text of a query file, or of a ready query in ontologies/queries by name."""
    path = Path(name)
    if not path.is_file():
        ready = QUERIES_DIR / (path.name if path.suffix == ".rq" else f"{path.name}.rq")
        if path.parent == Path(".") and ready.is_file():
            path = ready
        else:
            raise UsageError(f"{name}: no such query file")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read query: {exc}") from None


def run(args: argparse.Namespace) -> int:
    """Run the query and print its results."""
    import pyoxigraph as ox

    from kg.query import QueryError, format_result, run_query, table
    from kg.store import StoreError

    if args.file:
        sources, query = args.items, read_query(args.file)
    elif len(args.items) < 2:
        raise UsageError("give graph file(s) or a store, then the query (or use --file)")
    else:
        sources, query = args.items[:-1], args.items[-1]
    for source in sources:
        if not Path(source).exists():
            raise UsageError(f"{source}: no such file or store")
    try:
        result = run_query(sources, query)
        if args.format == "table" and isinstance(result, ox.QuerySolutions) and sys.stdout.isatty():
            print_rich_table(*table(result))
        else:
            sys.stdout.write(format_result(result, args.format))
    except (QueryError, StoreError, ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    return 0


def print_rich_table(variables: list[str], rows: list[list[str]]) -> None:
    """A table for people at a terminal."""
    from rich.console import Console
    from rich.table import Table

    view = Table(*variables, caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    for row in rows:
        view.add_row(*row)
    Console().print(view)
