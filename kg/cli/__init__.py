"""The ``kg`` command line: one module per sub-command, each a thin wrapper over the library.

Each module in :data:`COMMANDS` defines ``register(subparsers)``, which adds its parser and
sets ``func`` to a function taking the parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

#: Sub-command modules under ``kg.cli``, in the order ``kg --help`` lists them.
COMMANDS = ("build", "eval", "query", "export", "validate", "push", "serve", "stats", "claims", "html")

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every sub-command registered."""
    from kg import __version__

    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build an RDF knowledge graph from news articles.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"kg.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kg eval ... | head`: the reader left, nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except UsageError as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


class UsageError(Exception):
    """A problem with the command line the user can fix (exit code 2)."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
