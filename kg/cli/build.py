"""``kg build``: articles in, knowledge graph out."""

from __future__ import annotations

import argparse
import sys

from kg.cli import EXIT_OK, EXIT_SKIPPED, UsageError
from kg.config import Settings

HELP = """Build the knowledge graph of news articles.

INPUTS are files, folders (read recursively), glob patterns or - (JSON Lines on standard
input), in any mix of .txt, .md, .html/.htm and .jsonl. Writes OUT/graph.ttl (Turtle),
OUT/graph.trig (one named graph per article), OUT/graph.html (interactive graph) and
OUT/report.json (counts, skipped inputs, seconds).

example: kg build examples/articles --out out
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the graph of a set of articles", description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, glob or - for JSON Lines on stdin")
    p.add_argument("--out", "-o", default="out", help="output folder (default: out)")
    p.add_argument("--model", help="spaCy pipeline name or path (default: en_core_web_sm if installed, "
                                   "else the first English pipeline found; also $KG_SPACY_MODEL)")
    p.add_argument("--workers", type=int, default=1, help="spaCy processes (default: 1)")
    p.add_argument("--batch-size", type=int, default=32, help="texts per nlp.pipe batch (default: 32)")
    p.add_argument("--html-max-nodes", type=int, default=2000,
                   help="draw at most N entities in graph.html, the most mentioned (default: 2000; 0 = all)")
    p.add_argument("--min-confidence", type=float, default=0.0, help="drop statements below this confidence")
    p.add_argument("--store", metavar="DIR", help="also load the graph into an on-disk Oxigraph store")
    p.add_argument("--strict", action="store_true", help="exit with code 1 when any input was skipped")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.nlp import ModelNotFound
    from kg.pipeline import build

    if args.workers < 1 or args.batch_size < 1:
        raise UsageError("--workers and --batch-size must be at least 1")
    settings = Settings(model=args.model, workers=args.workers, batch_size=args.batch_size,
                        html_max_nodes=args.html_max_nodes or None, min_confidence=args.min_confidence,
                        progress=False if args.no_progress else None)
    try:
        result = build(args.inputs, args.out, settings, stdin=sys.stdin, store=args.store)
    except ModelNotFound as exc:
        raise UsageError(str(exc)) from None
    r = result.report
    print(f"kg: {r['articles']} articles, {r['entities']} entities, {r['triples']} triples "
          f"-> {args.out}/graph.ttl, graph.trig, graph.html, report.json ({r['seconds']:.1f} s)", file=sys.stderr)
    if r["skipped"]:
        print(f"kg: {len(r['skipped'])} input(s) skipped (see report.json)", file=sys.stderr)
        if args.strict:
            return EXIT_SKIPPED
    return EXIT_OK
