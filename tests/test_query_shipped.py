"""Every ready query in ontologies/queries, run by `kg query` on the seed graph (../shared/corpus
built with `kg build --store`), gives real rows, the same from graph files and from the store,
and rows that agree with the graph itself (checked independently with rdflib)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.vocab import KG, PROV, SCHEMA

from conftest import ROOT

QUERIES = sorted((ROOT / "ontologies" / "queries").glob("*.rq"))
#: Ready queries that must find something in any graph of the seed's kind (the issue's list).
MUST_HAVE_ROWS = {"people_positions", "captures", "claims_by_speaker", "shared_entities",
                  "events_by_date", "provenance", "entities_by_type", "facts_by_outlets", "facts"}


@pytest.fixture(scope="module")
def seed(shared, tmp_path_factory) -> dict[str, Path]:
    """`kg build ../shared/corpus --store`: graph files and the store."""
    from kg.cli import main

    tmp = tmp_path_factory.mktemp("shipped")
    code = main(["build", str(shared / "corpus"), "--out", str(tmp / "out"), "--store", str(tmp / "store"),
                 "--cache-dir", str(tmp / "cache"), "--no-progress"])
    assert code == 0
    return {"trig": tmp / "out" / "graph.trig", "ttl": tmp / "out" / "graph.ttl", "store": tmp / "store",
            "corpus": shared / "corpus"}


@pytest.fixture(scope="module")
def graph(seed) -> Graph:
    return Graph().parse(seed["ttl"], format="turtle")


def kg_query(capsys, source: Path, query_file: str | Path, replace: tuple[str, str] | None = None,
             tmp: Path | None = None) -> list[dict[str, str]]:
    """Rows of `kg query --file QUERY SOURCE --format csv` (with one text replacement if asked)."""
    from kg.cli import main

    if replace:
        text = Path(query_file).read_text("utf-8")
        assert replace[0] in text
        query_file = tmp / Path(query_file).name
        query_file.write_text(text.replace(*replace), "utf-8")
    capsys.readouterr()
    assert main(["query", "--file", str(query_file), str(source), "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def unordered(rows: list[dict[str, str]]) -> list[dict[str, list[str]]]:
    """Rows with every cell as its sorted words: GROUP_CONCAT's order is up to the engine."""
    return [{k: sorted(re.split(r"[ ;]+", v)) for k, v in row.items()} for row in rows]


def labels(graph: Graph, nodes) -> set[str]:
    return {str(graph.value(n, RDFS.label)) for n in nodes}


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_shipped_runs_on_seed_files_and_store_alike(path, seed, capsys):
    from_trig = kg_query(capsys, seed["trig"], path)
    from_store = kg_query(capsys, seed["store"], path)
    if path.stem in MUST_HAVE_ROWS:
        assert from_trig, f"{path.stem} found nothing in the seed graph"
        assert all(any(v for v in row.values()) for row in from_trig)
    # the ready queries use DISTINCT where a store's union would repeat a triple per graph
    assert unordered(from_store) == unordered(from_trig)
    assert unordered(kg_query(capsys, seed["ttl"], path)) == unordered(from_trig)  # union file
    # a ready query is also found by its bare name
    from kg.cli import main
    assert main(["query", "--file", path.stem, str(seed["trig"]), "--format", "tsv"]) == 0
    assert capsys.readouterr().out.count("\n") == len(from_trig) + 1


def test_query_shipped_people_positions_match_position_nodes(seed, graph, capsys):
    rows = kg_query(capsys, seed["trig"], ROOT / "ontologies/queries/people_positions.rq")
    want = {(str(graph.value(graph.value(p, KG.positionHolder), RDFS.label)), str(graph.value(p, KG.positionTitle)))
            for p in graph.subjects(RDF.type, KG.Position)}
    assert {(r["name"], r["title"]) for r in rows} == want
    for r in rows:
        person = URIRef(r["person"])
        assert (person, RDF.type, KG.Person) in graph
        assert int(r["articles"]) == len(r["articleIds"].split()) >= 1


def test_query_shipped_captures_name_captor_and_captive(seed, graph, capsys):
    rows = kg_query(capsys, seed["trig"], ROOT / "ontologies/queries/captures.rq")
    events = set(graph.subjects(RDF.type, KG.Capture))
    assert {URIRef(r["event"]) for r in rows} == events
    for r in rows:
        event = URIRef(r["event"])
        assert set(r["captors"].split("; ")) == labels(graph, graph.objects(event, KG.agent))
        assert set(r["captives"].split("; ")) == labels(graph, graph.objects(event, KG.patient))
        assert r["sentence"] == str(graph.value(event, KG.sentence))
        article = graph.value(event, PROV.wasDerivedFrom)
        assert r["articleId"] == str(graph.value(article, SCHEMA.identifier))


def test_query_shipped_claims_by_speaker_cover_every_attributed_statement(seed, graph, capsys):
    rows = kg_query(capsys, seed["trig"], ROOT / "ontologies/queries/claims_by_speaker.rq")
    spoken = {s for s in graph.subjects(KG.speaker, None)}
    assert rows and len(rows) >= len(spoken)
    speakers = {str(graph.value(sp, RDFS.label)) for sp in graph.objects(None, KG.speaker)}
    assert {r["speakerName"] for r in rows} == speakers


def test_query_shipped_shared_entities_of_two_given_articles(seed, capsys, tmp_path):
    graph = Graph().parse(seed["ttl"], format="turtle")
    mentions: dict[str, set[str]] = {}
    for article, doc_id in graph.subject_objects(SCHEMA.identifier):
        mentions[str(doc_id)] = {str(e) for e in graph.objects(article, SCHEMA.mentions)}
    a, b = sorted(mentions)[:2]
    rows = kg_query(capsys, seed["trig"], ROOT / "ontologies/queries/shared_entities.rq",
                    ("(UNDEF UNDEF)", f'("{a}" "{b}")'), tmp_path)
    assert {r["entity"] for r in rows} == mentions[a] & mentions[b] != set()
    assert all(set(r["articleIds"].split()) == {a, b} for r in rows)


def test_query_shipped_events_by_date_in_date_order(seed, graph, capsys):
    rows = kg_query(capsys, seed["trig"], ROOT / "ontologies/queries/events_by_date.rq")
    assert {URIRef(r["event"]) for r in rows} == set(graph.subjects(RDF.type, KG.Event))
    dates = [r["date"] for r in rows]
    assert all(dates) and dates == sorted(dates)
    for r in rows:
        if r["eventDate"]:
            assert r["eventDate"] == str(graph.value(URIRef(r["event"]), KG.eventDate))


def test_query_shipped_provenance_of_one_fact_points_into_its_article(seed, graph, capsys, tmp_path):
    from kg.ingest import iter_articles

    texts = {a.doc_id: a.text for a in iter_articles([str(seed["corpus"])])}
    fact = sorted(graph.subjects(RDF.type, KG.Assertion))[0]
    rows = kg_query(capsys, seed["trig"], ROOT / "ontologies/queries/provenance.rq",
                    ("VALUES ?fact { UNDEF }", f"VALUES ?fact {{ <{fact}> }}"), tmp_path)
    assert len(rows) == 1
    r = rows[0]
    assert r["fact"] == str(fact) and r["kind"] == "Assertion"
    assert r["sentence"] == str(graph.value(fact, KG.sentence))
    text = texts[r["articleId"]]
    start, end = int(r["startChar"]), int(r["endChar"])
    assert 0 <= start < end <= len(text) and text[start:end] in r["sentence"] + text
    assert r["rule"] and 0 < float(r["confidence"]) <= 1


def test_query_shipped_conflicting_figures_on_a_seed_quantity_restated_differently(seed, graph, capsys, tmp_path):
    """The seed's two articles give no conflicting figures; restate one of its quantities in the
    other article with a far larger value and the query must pair them."""
    ds = Dataset()
    ds.parse(seed["trig"], format="trig")
    quantity = next(q for q in sorted(graph.subjects(RDF.type, KG.Quantity))
                    if graph.value(q, KG.quantityOf) is not None and graph.value(q, KG.quantityValue) is not None)
    source = graph.value(quantity, PROV.wasDerivedFrom)
    other = next(a for a in sorted(graph.subjects(RDF.type, SCHEMA.NewsArticle)) if a != source)
    other_graph = ds.graph(URIRef(str(other).replace("/article/", "/graph/")))
    copy = URIRef(str(quantity) + "-restated")
    for p, o in graph.predicate_objects(quantity):
        if p == KG.quantityValue:
            o = Literal(o.toPython() * 1000 + 1)
        elif p == PROV.wasDerivedFrom:
            o = other
        other_graph.add((copy, p, o))
    path = tmp_path / "restated.trig"
    ds.serialize(path, format="trig")
    query = ROOT / "ontologies/queries/conflicting_figures.rq"
    entity = str(graph.value(quantity, KG.quantityOf))
    assert not [r for r in kg_query(capsys, seed["trig"], query) if r["entity"] == entity]
    pairs = [r for r in kg_query(capsys, path, query) if r["entity"] == entity]
    ids = {a: str(graph.value(a, SCHEMA.identifier)) for a in (source, other)}
    text = str(graph.value(quantity, KG.quantityText))
    # the restated figure (in the other article) lies above the original one
    assert (ids[source], ids[other], text, text) in {
        (r["article1"], r["article2"], r["text1"], r["text2"]) for r in pairs}
    assert all(float(r["high1"]) < float(r["low2"]) and r["article1"] != r["article2"] for r in pairs)
