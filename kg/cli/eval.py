"""Score graph files against gold annotations (entity recall/precision, duplicates, relations).

Example:

    kg eval --gold ../shared/gold/seeds.json out/graph.ttl
    kg eval --gold ../shared/bench/meantime/gold.json --docs --json out/graph.trig

GRAPH files are read by extension (.ttl, .trig, .nt, .nq, .jsonld) into one graph, the union
of all their named graphs. The last three lines of the text report are the headline figures.
Scores follow shared/gold/README.md; the exact rules are in the kg.evaluate module docstring.
Exit code 0 whatever the scores; 2 for a missing or unreadable file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kg.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``eval`` sub-command."""
    parser = subparsers.add_parser(
        "eval", help="score graph files against gold annotations",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", required=True, metavar="GOLD.json",
                        help="gold annotations (format: shared/gold/README.md)")
    parser.add_argument("graphs", nargs="+", metavar="GRAPH", help="graph file(s) to score")
    parser.add_argument("--docs", action="store_true",
                        help="score only gold documents whose article is in the graph")
    parser.add_argument("--json", action="store_true", help="print figures and misses as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load gold and graphs, score, print the report."""
    from kg.evaluate import GoldError, evaluate, format_report, load_gold, load_graphs

    gold_path = Path(args.gold)
    if not gold_path.is_file():
        raise UsageError(f"{gold_path}: no such gold file")
    try:
        gold = load_gold(gold_path)
    except (GoldError, OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"unparsable gold: {exc}") from None
    try:
        graph = load_graphs(args.graphs)
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    result = evaluate(gold, graph, only_graph_docs=args.docs, gold_name=str(gold_path),
                      graph_names=[str(g) for g in args.graphs])
    if args.json:
        print(json.dumps(result.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(format_report(result))
    return 0
