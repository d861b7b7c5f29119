"""Check graph files against the SHACL shapes of the kg output contract.

Example:

    kg validate out/graph.trig
    kg validate --shapes my-shapes.ttl out/graph.ttl other.ttl
    kg validate store/

All files (or a store made by `kg build --store`) are merged into one graph (every named
graph included) and checked against
ontologies/shapes.ttl: entity nodes have one rdfs:label, a kg and a schema.org class; articles an
identifier, a headline and a typed date; every extracted statement its provenance (article,
sentence, offsets, rule, confidence in [0,1]). Prints one line per violation.
Exit code 0 when the graph conforms, 1 when it does not, 2 for an unreadable file.
"""

from __future__ import annotations

import argparse
import json

from kg.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command."""
    parser = subparsers.add_parser(
        "validate", help="check graph files against the SHACL shapes",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graphs", nargs="+", metavar="GRAPH", help="graph file(s) or a store directory to check")
    parser.add_argument("--shapes", metavar="SHAPES.ttl", help="SHACL shapes (default: ontologies/shapes.ttl)")
    parser.add_argument("--json", action="store_true", help="print the violations as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate and print the report."""
    from dataclasses import asdict
    from pathlib import Path

    from kg.validate import SHAPES_PATH, GraphFileError, validate

    shapes = Path(args.shapes) if args.shapes else SHAPES_PATH
    if not shapes.is_file():
        raise UsageError(f"{shapes}: no such shapes file")
    try:
        report = validate(args.graphs, shapes)
    except (GraphFileError, OSError) as exc:
        raise UsageError(str(exc)) from None
    except SyntaxError as exc:
        raise UsageError(f"{shapes}: not valid Turtle: {exc}") from None
    if args.json:
        print(json.dumps({"conforms": report.conforms,
                          "violations": [asdict(v) for v in report.violations]},
                         indent=1, ensure_ascii=False))
    elif report.conforms:
        print(f"{', '.join(args.graphs)}: conforms to {shapes.name}")
    else:
        for violation in report.violations:
            print(violation)
        print(f"{len(report.violations)} violation(s) of {shapes.name}")
    return 0 if report.conforms else 1
