"""``kg build``: articles in, knowledge graph out."""

from __future__ import annotations

import argparse
import sys

from kg.cli import EXIT_OK, EXIT_SKIPPED, UsageError
from kg.config import Settings
from kg.engine import ENGINES

HELP = """Build the knowledge graph of news articles.

INPUTS are files, folders (read recursively), glob patterns or - (JSON Lines on standard
input), in any mix of .txt, .md, .html/.htm and .jsonl. Writes OUT/graph.ttl (Turtle),
OUT/graph.trig (one named graph per article), OUT/graph.html (interactive graph) and
OUT/report.json (counts, skipped inputs, seconds).

Extractions are cached per article (keyed by content, extractor and model version) under
--cache-dir, $KG_CACHE_DIR or ~/.cache/kg-news: a re-run parses only new or changed
articles, and keeps OUT as it is when nothing changed. --engine dask runs the per-article
extraction as a Dask bag on the cluster at --scheduler (else on a local cluster of
--workers processes); the output is the same as the local engine's.

examples:
  kg build examples/articles --out out
  kg build archive/ --out out --workers 2
  kg build archive/ --out out --engine dask --scheduler tcp://10.0.0.5:8786
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the graph of a set of articles", description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, glob or - for JSON Lines on stdin")
    p.add_argument("--out", "-o", default="out", help="output folder (default: out)")
    p.add_argument("--model", help="spaCy pipeline name or path (default: en_core_web_sm if installed, "
                                   "else the first English pipeline found; also $KG_SPACY_MODEL)")
    p.add_argument("--workers", type=int, default=1,
                   help="processes running spaCy and extraction (default: 1; with --engine dask and no "
                        "--scheduler: local Dask workers)")
    p.add_argument("--batch-size", type=int, default=32, help="texts per nlp.pipe batch (default: 32)")
    p.add_argument("--html-max-nodes", type=int, default=2000,
                   help="draw at most N entities in graph.html, the most mentioned (default: 2000; 0 = all)")
    p.add_argument("--min-confidence", type=float, default=0.0, help="drop statements below this confidence")
    p.add_argument("--store", metavar="DIR", help="also load the graph into an on-disk Oxigraph store")
    p.add_argument("--strict", action="store_true", help="exit with code 1 when any input was skipped")
    p.add_argument("--engine", choices=ENGINES, default="local",
                   help="where the per-article extraction runs: local processes or a Dask cluster (default: local)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address, e.g. tcp://host:8786 (with --engine dask; default: a local cluster)")
    p.add_argument("--no-cache", action="store_true", help="parse every article again and rewrite every output")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="extraction cache folder (default: $KG_CACHE_DIR, else ~/.cache/kg-news)")
    p.add_argument("--no-progress", action="store_true", help="never show the progress bar and stage spinners")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.pipeline import build

    if args.workers < 1 or args.batch_size < 1:
        raise UsageError("--workers and --batch-size must be at least 1")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    settings = Settings(model=args.model, workers=args.workers, batch_size=args.batch_size,
                        html_max_nodes=args.html_max_nodes or None, min_confidence=args.min_confidence,
                        progress=False if args.no_progress else None)
    try:
        result = build(args.inputs, args.out, settings, stdin=sys.stdin, store=args.store, engine=args.engine,
                       scheduler=args.scheduler, cache=not args.no_cache, cache_dir=args.cache_dir)
    except Exception as exc:
        # kg.nlp imports spaCy (2 s): only a build that loaded a model can have failed to find one,
        # and an up-to-date re-run must not pay for the import.
        nlp = sys.modules.get("kg.nlp")
        if nlp is not None and isinstance(exc, nlp.ModelNotFound):
            raise UsageError(str(exc)) from None
        raise
    r = result.report
    if not r["articles"]:
        print(f"kg: no article read ({len(r['skipped'])} input(s) skipped); {args.out} left as it was",
              file=sys.stderr)
        return EXIT_SKIPPED
    if result.up_to_date:
        print(f"kg: {args.out} is up to date ({r['articles']} articles, {r['triples']} triples; "
              f"--no-cache rebuilds it)", file=sys.stderr)
        return EXIT_SKIPPED if r["skipped"] and args.strict else EXIT_OK
    print(f"kg: {r['articles']} articles, {r['entities']} entities, {r['triples']} triples "
          f"-> {args.out}/graph.ttl, graph.trig, graph.html, report.json ({r['seconds']:.1f} s, "
          f"{r['parsed']} parsed, {r['cached']} from cache)", file=sys.stderr)
    if r["skipped"]:
        print(f"kg: {len(r['skipped'])} input(s) skipped (see report.json)", file=sys.stderr)
        if args.strict:
            return EXIT_SKIPPED
    return EXIT_OK
