"""kg.push against a real `oxigraph serve` on 127.0.0.1, and against stub servers for failures."""

from __future__ import annotations

import http.server
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.push import PushError, is_local, push
from kg.serialize import quads_of
from rdf_samples import canonical, canonical_rdflib, contract_dataset
from server_helpers import free_port, server_quads, start, stop


def test_push_to_oxigraph_server_holds_exactly_the_graph(oxigraph_server):
    ds, _ = contract_dataset(3)
    report = push(quads_of(ds), oxigraph_server + "/store", batch_size=40)
    assert report.requests > 4  # several batches per graph
    assert server_quads(oxigraph_server) == canonical_rdflib(ds)
    push(quads_of(ds), oxigraph_server + "/store", batch_size=40)  # again: no duplicates
    assert server_quads(oxigraph_server) == canonical_rdflib(ds)


def test_push_into_one_named_graph_with_replace(oxigraph_server):
    ds, _ = contract_dataset(2)
    iri = "https://example.org/graphs/news"
    push(quads_of(contract_dataset(4)[0]), oxigraph_server + "/store", graph=iri)
    push(quads_of(ds), oxigraph_server + "/store", graph=iri, replace=True, batch_size=50)
    expected = canonical(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(iri)) for q in quads_of(ds))
    assert server_quads(oxigraph_server) == expected


def test_push_4xx_is_one_clear_line_without_credentials(oxigraph_server):
    with pytest.raises(PushError) as err:
        push(quads_of(contract_dataset(1)[0]), oxigraph_server.replace("http://", "http://ann:s3cr3t@")
             + "/nowhere", attempts=3, backoff=0)
    message = str(err.value)
    assert "HTTP 404" in message and "\n" not in message
    assert "s3cr3t" not in message and "ann" not in message


class Stub(http.server.BaseHTTPRequestHandler):
    """Answers from a script of status codes; echoes the Authorization header in errors."""

    script: list[int] = []
    seen: list[tuple[str, str, str]] = []

    def do_POST(self):  # noqa: N802 (http.server API)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Stub.seen.append((self.command, self.path, self.headers.get("Authorization", "")))
        code = Stub.script.pop(0) if Stub.script else 204
        self.send_response(code)
        echo = f"denied for {self.headers.get('Authorization')} ({len(body)} bytes)".encode()
        self.send_header("Content-Length", str(len(echo)))
        self.end_headers()
        self.wfile.write(echo)

    do_PUT = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture()
def stub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Stub.seen = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/gsp"
    finally:
        server.shutdown()
        server.server_close()


def test_push_retries_transient_errors_then_succeeds(stub):
    Stub.script = [503, 502]
    logged = []
    report = push(quads_of(contract_dataset(1)[0]), stub, graph="urn:g", token="tok-123",
                  backoff=0, log=logged.append)
    assert report.retries == 2 and report.requests == 1
    assert len(Stub.seen) == 3
    method, path, auth = Stub.seen[-1]
    assert method == "POST" and path == "/gsp?graph=urn%3Ag" and auth == "Bearer tok-123"
    assert sum("retrying" in line for line in logged) == 2
    assert not any("tok-123" in line for line in logged)


def test_push_does_not_retry_client_errors_and_redacts_echoed_secrets(stub):
    Stub.script = [401]
    with pytest.raises(PushError, match="HTTP 401") as err:
        push(quads_of(contract_dataset(1)[0]), stub, user="ann", password="pw-9", backoff=0)
    assert len(Stub.seen) == 1
    assert "pw-9" not in str(err.value) and "Basic" in str(err.value) and "***" in str(err.value)


def test_push_gives_up_on_a_dead_endpoint():
    url = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(PushError, match="gave up after 2 attempts"):
        push(quads_of(contract_dataset(1)[0]), url, attempts=2, backoff=0)


def test_push_refuses_credentials_over_plain_http_to_other_hosts():
    for kwargs in ({"user": "ann", "password": "pw"}, {"token": "t"}):
        with pytest.raises(PushError, match="refusing to send credentials") as err:
            push([], "http://sparql.example.org/store", **kwargs)
        assert "pw" not in str(err.value).replace("plain", "")
    with pytest.raises(PushError, match="refusing"):
        push([], "http://ann:pw@sparql.example.org/store")
    assert push([], "http://sparql.example.org/store", token="t", insecure=True).requests == 0
    assert push([], "https://sparql.example.org/store", token="t").requests == 0


def test_is_local():
    assert all(map(is_local, ["localhost", "127.0.0.1", "127.8.0.1", "::1", "[::1]"]))
    assert not any(map(is_local, ["example.org", "10.0.0.1", "192.168.1.1", "localhost.evil.com"]))


def test_cli_push_then_kg_serve_answers_queries_on_the_store(oxigraph_server, tmp_path, monkeypatch):
    from kg.cli import main
    from kg.serialize import write_graph
    from kg.store import load_dataset

    ds, hashes = contract_dataset(2)
    graph = write_graph(ds, tmp_path / "g.trig")
    monkeypatch.setenv("KG_PUSH_PASSWORD", "pw-cli")
    assert main(["push", str(graph), "--endpoint", oxigraph_server + "/store", "--user", "ann",
                 "--batch-size", "30"]) == 0
    assert server_quads(oxigraph_server) == canonical_rdflib(ds)

    load_dataset(tmp_path / "store", ds, hashes)
    port = free_port()
    kg = Path(sys.executable).with_name("kg")
    proc = start([str(kg), "serve", "--store", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
                 f"http://127.0.0.1:{port}/")
    try:
        # union default graph: no GRAPH clause needed, as with kg query
        query = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <https://w3id.org/kg-news/ontology#Event> }"
        url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "text/csv"})
        assert urllib.request.urlopen(request, timeout=10).read().decode().split() == ["n", "2"]
    finally:
        stop(proc)
