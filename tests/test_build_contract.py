"""End-to-end builds obey the output contract (ontologies/README.md), checked by SPARQL."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, XSD

from kg.vocab import CLASSES, KG, SCHEMA

from conftest import EXAMPLES, ROOT

PREFIXES = """
PREFIX kg: <https://w3id.org/kg-news/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ENTITY_CLASSES = CLASSES[: CLASSES.index("Assertion")]
ENTITY_FILTER = "VALUES ?cls { " + " ".join(f"kg:{c}" for c in ENTITY_CLASSES) + " }"


def _graph(out) -> Graph:
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    return g


def _rows(g: Graph, query: str) -> list:
    return list(g.query(PREFIXES + query))


def test_build_cli_writes_four_outputs(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(EXAMPLES), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for name in ("graph.ttl", "graph.trig", "graph.html", "report.json"):
        assert (out / name).stat().st_size > 0, name
    report = json.loads((out / "report.json").read_text())
    n_inputs = sum(1 for p in EXAMPLES.iterdir() if p.suffix != ".jsonl") + sum(
        1 for p in EXAMPLES.glob("*.jsonl") for line in p.read_text().splitlines() if line.strip())
    assert report["articles"] == n_inputs
    assert report["skipped"] == []
    assert report["entities"] == sum(report["entities_by_type"].values()) > 50
    assert report["triples"] > 1000 and report["seconds"] > 0
    assert set(report["relations_by_predicate"]) >= {"locatedIn", "hasPositionIn"}


def test_build_from_stdin_jsonl(tmp_path):
    lines = [json.dumps({"id": "wire-1", "title": "Ministers meet in Vienna", "date": "2024-05-02",
                         "text": "Austrian Chancellor Karl Nehammer met NATO Secretary General Jens "
                                 "Stoltenberg in Vienna on Tuesday, the chancellor's office said."})]
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", "-", "--out", str(out)], input="\n".join(lines),
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    g = _graph(out)
    rows = _rows(g, 'SELECT ?a WHERE { ?a a schema:NewsArticle ; schema:identifier "wire-1" ; '
                    'schema:datePublished "2024-05-02"^^xsd:date }')
    assert len(rows) == 1
    labels = {str(r[0]) for r in _rows(g, "SELECT ?l WHERE { ?e rdfs:label ?l ; a kg:Person }")}
    assert "Jens Stoltenberg" in labels


@pytest.mark.parametrize("which", ["seed", "examples"])
def test_turtle_parses_everywhere_and_trig_holds_same_facts(which, request):
    out, _ = request.getfixturevalue(f"{which}_build")
    g = _graph(out)
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(g)
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    union = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
    assert union == set(g)
    graphs = {str(c.identifier) for c in ds.contexts() if len(c)}
    articles = set(g.subjects(RDF.type, SCHEMA.NewsArticle))
    # one named graph per article, plus kgr:graph/facts when two articles state a same fact
    assert sum(1 for x in graphs if "/resource/graph/" in x and not x.endswith("/graph/facts")) == len(articles)
    if shutil.which("rapper"):
        proc = subprocess.run(["rapper", "-i", "turtle", "-c", str(out / "graph.ttl")], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert re.search(rf"returned {len(g)} triples", proc.stderr), proc.stderr


@pytest.mark.parametrize("which", ["seed", "examples"])
def test_entities_have_one_label_and_both_types(which, request):
    out, _ = request.getfixturevalue(f"{which}_build")
    g = _graph(out)
    bad = _rows(g, f"""
        SELECT ?e (COUNT(DISTINCT ?l) AS ?n) WHERE {{
          {ENTITY_FILTER} ?e a ?cls . OPTIONAL {{ ?e rdfs:label ?l }}
        }} GROUP BY ?e HAVING (COUNT(DISTINCT ?l) != 1)""")
    assert bad == []
    no_schema = _rows(g, f"""
        SELECT ?e WHERE {{ {ENTITY_FILTER} ?e a ?cls .
          FILTER NOT EXISTS {{ ?e a ?t FILTER(STRSTARTS(STR(?t), "https://schema.org/")) }} }}""")
    assert no_schema == []
    persons = _rows(g, "SELECT ?e WHERE { ?e a kg:Person , schema:Person }")
    assert persons


@pytest.mark.parametrize("which", ["seed", "examples"])
def test_articles_have_metadata_and_mentions(which, request):
    out, result = request.getfixturevalue(f"{which}_build")
    g = _graph(out)
    rows = _rows(g, """
        SELECT ?a ?id ?h ?d (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?a a schema:NewsArticle ; schema:identifier ?id ; schema:headline ?h .
          OPTIONAL { ?a schema:datePublished ?d }
          OPTIONAL { ?a schema:mentions ?e }
        } GROUP BY ?a ?id ?h ?d""")
    assert len(rows) == len(result.extractions)
    for a, doc_id, headline, date, n in rows:
        assert str(headline).strip() and int(n) >= 3, doc_id
        if date is not None:
            assert date.datatype in (XSD.date, XSD.dateTime)


@pytest.mark.parametrize("which", ["seed", "examples"])
def test_every_statement_traces_to_article_and_sentence(which, request):
    out, _ = request.getfixturevalue(f"{which}_build")
    g = _graph(out)
    statements = _rows(g, """
        SELECT ?s WHERE { VALUES ?c { kg:Assertion kg:Event kg:Position kg:Quantity kg:Quote } ?s a ?c }""")
    assert len(statements) > 10
    untraced = _rows(g, """
        SELECT ?s WHERE { VALUES ?c { kg:Assertion kg:Event kg:Position kg:Quantity kg:Quote } ?s a ?c .
          FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?a . ?a a schema:NewsArticle .
                              ?s kg:sentence ?t ; kg:startChar ?b ; kg:endChar ?e ; kg:extractedBy ?r ;
                              kg:confidence ?c2 } }""")
    assert untraced == []
    # the direct triple of every non-hedged assertion is there too
    missing = _rows(g, """
        SELECT ?a WHERE { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                             kg:factuality ?f . FILTER(?f IN ("asserted", "reported", "estimated", "alleged"))
                          FILTER NOT EXISTS { ?s ?p ?o } }""")
    assert missing == []


def test_offsets_point_into_the_article_text(seed_build):
    _, result = seed_build
    for ex in result.extractions:
        text = ex.article.text
        for st in [*ex.relations, *ex.events, *ex.quantities, *ex.positions]:
            assert 0 <= st.prov.start < st.prov.end <= len(text)
            assert text[st.prov.start:st.prov.end] in st.prov.sentence or st.prov.sentence in text


def test_iris_are_safe(examples_build):
    out, _ = examples_build
    g = _graph(out)
    for term in {t for triple in g for t in triple if isinstance(t, URIRef)}:
        assert not re.search(r"[\s<>\"{}|\\^`]", str(term)), term


def test_seed_graph_holds_the_sample_facts(seed_build):
    """The issue's acceptance check: Zelenskyy, the SBU, Kursk, both articles with dates and headlines."""
    out, _ = seed_build
    g = _graph(out)
    zel = _rows(g, 'SELECT ?e WHERE { ?e a kg:Person ; rdfs:label "Volodymyr Zelenskyy" }')
    assert len(zel) == 1
    sbu = _rows(g, 'SELECT ?e WHERE { ?e a schema:Organization ; rdfs:label|skos:altLabel "SBU" }')
    assert len(sbu) == 1
    kursk = _rows(g, 'SELECT ?e WHERE { ?e a schema:Place ; rdfs:label ?l FILTER(STRSTARTS(?l, "Kursk")) }')
    assert len(kursk) == 1
    arts = _rows(g, """SELECT ?id ?h ?d WHERE { ?a a schema:NewsArticle ; schema:identifier ?id ;
                       schema:headline ?h ; schema:datePublished ?d ;
                       schema:mentions ?z , ?s , ?k .
                       ?z rdfs:label "Volodymyr Zelenskyy" . ?s skos:altLabel "SBU" .
                       ?k a schema:Place ; rdfs:label ?kl FILTER(STRSTARTS(?kl, "Kursk")) }""")
    assert {str(r[0]) for r in arts} == {"000_d67a38d34441c929", "002_8b7e88922e641535"}
    assert {str(r[2]) for r in arts} == {"2025-01-11"}
