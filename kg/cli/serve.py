"""Serve a store as a SPARQL endpoint on this machine (for YASGUI and other SPARQL tools).

Example:

    kg serve --store store/
    kg serve --store store/ --bind 127.0.0.1:8000

Runs `oxigraph serve` (PyPI package oxigraph) on the store, with cross-origin requests allowed
and the default graph as the union of all graphs, like `kg query`. Queries: http://BIND/query,
Graph Store Protocol: http://BIND/store, a query editor at http://BIND/. The server holds the
store's lock: stop it (Ctrl-C) before `kg build --store` writes to the same store. The store's
bookkeeping graph <https://w3id.org/kg-news/store#meta> is visible to queries there.
Exit code: the server's; 2 when oxigraph is not installed or the store is missing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kg.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` sub-command."""
    parser = subparsers.add_parser(
        "serve", help="serve a store as a local SPARQL endpoint",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, metavar="DIR", help="store made by `kg build --store`")
    parser.add_argument("--bind", default="127.0.0.1:7878", metavar="HOST:PORT",
                        help="address to listen on (default: 127.0.0.1:7878)")
    parser.add_argument("--read-only", action="store_true",
                        help="refuse updates (does not hold the store's lock)")
    parser.set_defaults(func=run)


def oxigraph_binary() -> str | None:
    """The oxigraph server executable: beside this Python, else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def command(binary: str, store: str, bind: str, read_only: bool) -> list[str]:
    """The oxigraph command line serving ``store``."""
    return [binary, "serve-read-only" if read_only else "serve", "--location", store,
            "--bind", bind, "--cors", "--union-default-graph"]


def run(args: argparse.Namespace) -> int:
    """Start the server and wait for it."""
    binary = oxigraph_binary()
    if not binary:
        raise UsageError("the oxigraph server is not installed: pip install oxigraph")
    if not Path(args.store).is_dir():
        raise UsageError(f"{args.store}: no such store directory")
    print(f"SPARQL endpoint: http://{args.bind}/query (Ctrl-C to stop)", file=sys.stderr, flush=True)
    argv = command(binary, args.store, args.bind, args.read_only)
    if os.name == "posix":
        os.execv(binary, argv)  # the server takes this process over: signals reach it directly
    try:
        return subprocess.call(argv)
    except KeyboardInterrupt:
        return 0
