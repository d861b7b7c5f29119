"""Local HTTP servers for the push/serve tests (tests/test_push.py, tests/test_push_server.py): the
oxigraph binary, a free port, start/stop of a server process, and the quads a SPARQL endpoint holds.
The ``oxigraph_server`` fixture built on them lives in tests/conftest.py."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from rdf_samples import canonical

ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv: list[str], url: str) -> subprocess.Popen:
    """Run a server and wait (up to 20 s) until ``url`` answers; fail the test if it does not."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"{argv[0]} did not start at {url}")
            time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def sparql(base: str, query: str, accept: str) -> bytes:
    url = base + "/query?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def server_quads(base: str) -> set[str]:
    """Every quad the server holds, fetched by SPARQL over HTTP."""
    data = sparql(base, ALL_QUADS, "application/sparql-results+json")
    solutions = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return canonical(ox.Quad(r["s"], r["p"], r["o"], r["g"] or ox.DefaultGraph()) for r in solutions)
