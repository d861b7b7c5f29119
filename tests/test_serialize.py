"""kg.serialize: every format parses with rdflib, pyoxigraph and rapper and round-trips isomorphically."""

from __future__ import annotations

import json
import shutil
import subprocess

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from kg.serialize import SerializeError, format_for, serialize, write_graph
from kg.vocab import PREFIXES, RES
from rdf_samples import TRICKY, canonical, canonical_rdflib, contract_dataset

RDFLIB_FORMAT = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}
OX_FORMAT = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
             "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
RAPPER_FORMAT = {"ttl": "turtle", "trig": "trig", "nt": "ntriples", "nq": "nquads"}
GRAPH_FORMATS = ("trig", "nq", "jsonld")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return contract_dataset(3)[0]


def expected(ds: Dataset, fmt: str) -> set[str]:
    """What a file in ``fmt`` must hold: the dataset, or for triple formats the union of its graphs."""
    quads = canonical_rdflib(ds)
    if fmt in GRAPH_FORMATS:
        return quads
    return canonical(ox.Quad(q.subject, q.predicate, q.object)
                     for q in ox.parse("".join(q + " .\n" for q in quads), format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("fmt", list(OX_FORMAT))
def test_serialize_roundtrips_through_rdflib(dataset, fmt, tmp_path):
    path = write_graph(dataset, tmp_path / f"g.{fmt}")
    parsed = Dataset()
    parsed.parse(path, format=RDFLIB_FORMAT[fmt])
    assert canonical_rdflib(parsed) == expected(dataset, fmt)


@pytest.mark.parametrize("fmt", list(OX_FORMAT))
def test_serialize_roundtrips_through_pyoxigraph(dataset, fmt, tmp_path):
    path = write_graph(dataset, tmp_path / f"g.{fmt}")
    assert canonical(ox.parse(path=str(path), format=OX_FORMAT[fmt])) == expected(dataset, fmt)


@pytest.mark.skipif(not shutil.which("rapper"), reason="raptor2-utils (rapper) not installed")
@pytest.mark.parametrize("fmt", list(RAPPER_FORMAT))
def test_serialize_parses_with_rapper(dataset, fmt, tmp_path):
    path = write_graph(dataset, tmp_path / f"g.{fmt}")
    out = subprocess.run(["rapper", "-q", "-i", RAPPER_FORMAT[fmt], "-o", "nquads", str(path)],
                         capture_output=True, check=True).stdout
    assert canonical(ox.parse(out, format=ox.RdfFormat.N_QUADS)) == expected(dataset, fmt)


def test_serialize_literals_survive_escaping(dataset, tmp_path):
    path = write_graph(dataset, tmp_path / "g.ttl")
    g = Graph().parse(path)
    assert Literal(TRICKY) in set(g.objects())


def test_serialize_is_deterministic_whatever_the_insertion_order(dataset):
    shuffled = Dataset()
    for s, p, o, g in reversed(list(dataset.quads((None, None, None, None)))):
        shuffled.graph(g).add((s, p, o)) if g != dataset.default_graph.identifier else shuffled.add((s, p, o))
    for fmt in OX_FORMAT:
        assert serialize(shuffled, fmt) == serialize(dataset, fmt), fmt


def test_serialize_turtle_declares_our_prefixes_in_order(dataset):
    head = serialize(dataset, "ttl").decode().splitlines()[: len(PREFIXES)]
    assert head == [f"@prefix {k}: <{v}> ." for k, v in PREFIXES.items()]


def test_serialize_blank_nodes_are_canonical_and_stable():
    def build() -> Graph:
        g = Graph()
        b = BNode()  # a fresh random id each time
        g.add((RES["person/x"], URIRef("http://ex/knows"), b))
        g.add((b, URIRef("http://ex/name"), Literal("anon")))
        return g
    first, second = build(), build()
    for fmt in ("ttl", "nt", "jsonld"):
        assert serialize(first, fmt) == serialize(second, fmt)
    assert Graph().parse(data=serialize(first, "ttl"), format="turtle").isomorphic(first)


def test_serialize_jsonld_has_context_and_compact_iris(dataset):
    doc = json.loads(serialize(dataset, "jsonld"))
    assert doc["@context"] == PREFIXES
    ids = {node["@id"] for node in doc["@graph"]}
    assert "kgr:person/kim-jong-un" in ids
    assert any(i.startswith("kgr:graph/") for i in ids)


def test_write_graph_keeps_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_text("old\n")
    bad = Graph()
    bad.add((RES["person/x"], URIRef("http://ex/p"), URIRef("http://ex/not an iri")))
    with pytest.raises(ValueError):
        write_graph(bad, path)
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_format_for_rejects_unknown_suffix_naming_the_file():
    assert format_for("out/graph.trig") == "trig"
    assert format_for("x.bin", "turtle") == "ttl"
    with pytest.raises(SerializeError, match="graph.xyz"):
        format_for("graph.xyz")
    with pytest.raises(SerializeError, match="unknown RDF format"):
        format_for("g.ttl", "rdfxml")


def _quadset(ds: Dataset):
    from kg.graphindex import QuadSet

    qs = QuadSet()
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        qs.add(s, p, o, None if name == DATASET_DEFAULT_GRAPH_ID else name)
    return qs


def test_write_quadset_gives_the_bytes_of_serialize_quads(dataset, tmp_path):
    from kg.serialize import quads_of, serialize_quads, write_quadset

    qs = _quadset(dataset)
    # every escape N-Triples knows, control characters, a language tag, a typed literal
    qs.add(RES["person/x"], RES["p"], Literal('q"b\\s\n\r\t\b\f\x01\x7f\u2028 é'))
    qs.add(RES["person/x"], RES["p"], Literal("hallo", lang="de"), RES["graph/a"])
    qs.add(RES["person/x"], RES["p"], Literal("2.50", datatype=XSD.decimal), RES["graph/a"])
    targets = {"ttl": tmp_path / "g.ttl", "trig": tmp_path / "g.trig"}
    write_quadset(qs, targets)
    quads = list(quads_of(qs))
    for fmt, path in targets.items():
        assert path.read_bytes() == serialize_quads(quads, fmt)
    assert len(ox.Dataset(ox.parse(path=str(targets["trig"])))) == len(qs)


def test_write_quadset_with_blank_nodes_falls_back_to_canonical_labels(tmp_path):
    from kg.graphindex import QuadSet
    from kg.serialize import quads_of, serialize_quads, write_quadset

    qs = QuadSet()
    qs.add(BNode("weird label!"), RES["p"], Literal("x"))
    write_quadset(qs, {"ttl": tmp_path / "g.ttl"})
    assert (tmp_path / "g.ttl").read_bytes() == serialize_quads(list(quads_of(qs)), "ttl")
    assert not list(tmp_path.glob(".*.tmp"))
