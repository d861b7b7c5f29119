"""`kg push` of the seed graph into a real `oxigraph serve` on 127.0.0.1: the server then holds
exactly the graph's quads (checked by SPARQL over HTTP); `kg serve --store` answers a ready
query like `kg query` does."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from rdf_samples import canonical
from server_helpers import free_port, oxigraph_binary, server_quads, sparql, start, stop


def kg(*argv) -> int:
    from kg.cli import main

    return main([*map(str, argv)])


@pytest.fixture(scope="module")
def seed(shared, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("push-seed")
    assert kg("build", shared / "corpus", "--out", tmp / "out", "--store", tmp / "store",
              "--cache-dir", tmp / "cache", "--no-progress") == 0
    return tmp


@pytest.fixture()
def server(oxigraph_server):
    return oxigraph_server


def test_push_server_seed_graph_arrives_exactly(seed, server, capsys):
    trig = seed / "out" / "graph.trig"
    want = canonical(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
    assert kg("push", trig, "--endpoint", server + "/store", "--batch-size", "200") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"pushed {len(want)} triples")
    assert server_quads(server) == want
    # pushing again (POST adds a set) leaves the server as it was
    assert kg("push", trig, "--endpoint", server + "/store") == 0
    assert server_quads(server) == want


def test_push_server_store_directory_arrives_without_bookkeeping(seed, server):
    from kg.store import content_quads, open_store

    want = canonical(content_quads(open_store(seed / "store", read_only=True)))
    assert kg("push", seed / "store", "--endpoint", server + "/store") == 0
    assert server_quads(server) == want


def test_push_server_turtle_into_one_named_graph(seed, server):
    ttl = seed / "out" / "graph.ttl"
    iri = "https://example.org/graphs/seed"
    assert kg("push", ttl, "--endpoint", server + "/store", "--graph", iri, "--replace") == 0
    want = canonical(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(iri))
                     for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))
    assert server_quads(server) == want


def test_push_server_missing_path_is_a_clear_error(server, tmp_path, capsys):
    assert kg("push", tmp_path / "absent.ttl", "--endpoint", server + "/store") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "absent.ttl" in err


def test_serve_store_answers_a_ready_query_like_kg_query(seed, capsys):
    if not oxigraph_binary():
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    from kg.cli.query import read_query

    query = read_query("people_positions")
    assert kg("query", "--file", "people_positions", seed / "store", "--format", "csv") == 0
    local = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert local
    port = free_port()
    proc = start([str(Path(sys.executable).with_name("kg")), "serve", "--store", str(seed / "store"),
                  "--bind", f"127.0.0.1:{port}", "--read-only"], f"http://127.0.0.1:{port}/")
    try:
        # our prefixes are not predeclared over HTTP: the ready queries declare their own
        remote = list(csv.DictReader(io.StringIO(sparql(f"http://127.0.0.1:{port}", query, "text/csv").decode())))
    finally:
        stop(proc)
    assert len(remote) == len(local)
    assert {r["person"] for r in remote} == {r["person"] for r in local}


def test_push_server_cli_refuses_password_over_plain_http_to_another_host(seed, monkeypatch, capsys):
    monkeypatch.setenv("KG_PUSH_PASSWORD", "pw-not-printed")
    code = kg("push", seed / "out" / "graph.ttl", "--endpoint", "http://sparql.example.org/store", "--user", "ann")
    captured = capsys.readouterr()
    assert code == 2 and "refusing to send credentials" in captured.err and "--insecure" in captured.err
    assert "pw-not-printed" not in captured.err + captured.out
    code = kg("push", seed / "out" / "graph.ttl", "--endpoint", "http://ann:pw-in-url@sparql.example.org/store")
    captured = capsys.readouterr()
    assert code == 2 and "pw-in-url" not in captured.err + captured.out
