"""List claims grouped by fact: who said it, in which outlet, when, how sure, in which sentence.

Example:

    kg claims out/graph.trig
    kg claims out/graph.trig --entity Malawi
    kg claims store/ --entity "World Health Organization" --format json

A claim is a statement attributed to a speaker ("Zelenskyy said", "according to the SBU"), hedged
(alleged, estimated, denied, hypothetical, a question), or stated by several articles. Claims of
one fact (kg:Fact: the same relation or event with the same participants, or figures about the
same thing) are listed together, facts reported by most outlets first, with each claim's speaker
and cue, channel, outlet (or article id), reported date and factuality, then its sentence;
conflicting figures are marked. --entity keeps claims by or about an entity whose name or alias
contains NAME (case-insensitive). Exit code 0, or 2 for an unreadable graph.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from kg.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``claims`` sub-command."""
    parser = subparsers.add_parser(
        "claims", help="list who claims what, grouped by fact",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", nargs="+", metavar="GRAPH", help="graph file(s) (.ttl, .trig, ...) or one store directory")
    parser.add_argument("--entity", metavar="NAME", help="only claims by or about this entity")
    parser.add_argument("--format", default="text", choices=["text", "json"], help="output format (default: text)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the claims."""
    from kg.claims import format_claims, list_claims
    from kg.query import QueryError
    from kg.store import StoreError

    for source in args.graph:
        if not Path(source).exists():
            raise UsageError(f"{source}: no such file or store")
    try:
        groups = list_claims(args.graph, args.entity)
    except (QueryError, StoreError, ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        json.dump([asdict(g) for g in groups], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif groups:
        sys.stdout.write(format_claims(groups))
    else:
        print("no claims" + (f" about {args.entity!r}" if args.entity else ""), file=sys.stderr)
    return 0
