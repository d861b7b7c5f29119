"""kg.query: SPARQL over graph files and stores, union default graph, result formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.query import QueryError, format_result, run_query
from kg.serialize import write_graph
from kg.store import load_dataset
from rdf_samples import contract_dataset

COUNT_FACTS = "SELECT (COUNT(*) AS ?n) WHERE { ?s kg:nationality ?o }"
CAPTURES = """SELECT ?event ?agent ?date WHERE {
  ?event a kg:Capture ; kg:agent/rdfs:label ?agent ; kg:eventDate ?date } ORDER BY ?agent"""


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("q")
    ds, hashes = contract_dataset(3)
    load_dataset(tmp / "store", ds, hashes)
    return {"trig": write_graph(ds, tmp / "graph.trig"), "ttl": write_graph(ds, tmp / "graph.ttl"),
            "store": tmp / "store"}


def rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(format_result(result, "csv"))))


@pytest.mark.parametrize("kind", ["trig", "ttl", "store"])
def test_query_sees_entities_and_article_graphs_together(sources, kind):
    found = rows(run_query([sources[kind]], CAPTURES))
    assert [r["agent"] for r in found] == ["Korean People's \"Army\"", "Volodymyr Zelensky",
                                           "Volodymyr Zelensky"]
    assert {r["date"] for r in found} == {"2025-01-09"}


@pytest.mark.parametrize("kind", ["trig", "store"])
def test_query_union_counts_a_fact_from_two_articles_once(sources, kind):
    # the same direct triple is stated in three article graphs; a store's union repeats it
    # per graph (Oxigraph's union default graph), files are merged as a set
    expected = "3" if kind == "store" else "1"
    assert rows(run_query([sources[kind]], COUNT_FACTS)) == [{"n": expected}]
    distinct = COUNT_FACTS.replace("COUNT(*)", "COUNT(DISTINCT ?s)")
    assert rows(run_query([sources[kind]], distinct)) == [{"n": "1"}]
    per_graph = "SELECT ?g WHERE { GRAPH ?g { ?s kg:nationality ?o } } ORDER BY ?g"
    assert len(rows(run_query([sources[kind]], per_graph))) == 3


def test_query_store_hides_its_metadata_graph(sources):
    graphs = rows(run_query([sources["store"]], "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert sorted(r["g"].rsplit("/", 1)[1] for r in graphs) == ["art-0000", "art-0001", "art-0002"]


def test_query_merges_several_files(sources, tmp_path):
    ds, _ = contract_dataset(5)
    extra = write_graph(ds, tmp_path / "more.nq")
    found = rows(run_query([sources["ttl"], extra], "SELECT DISTINCT ?a WHERE { ?a a schema:NewsArticle }"))
    assert len(found) == 5


def test_query_formats(sources):
    result = lambda: run_query([sources["ttl"]], CAPTURES)
    table = format_result(result(), "table")
    assert table.splitlines()[0].split() == ["event", "agent", "date"]
    assert "kgr:event/" in table and "(3 rows)" in table
    doc = json.loads(format_result(result(), "json"))
    assert doc["head"]["vars"] == ["event", "agent", "date"] and len(doc["results"]["bindings"]) == 3
    tsv = format_result(result(), "tsv").splitlines()
    assert tsv[0] == "?event\t?agent\t?date" and '"2025-01-09"^^' in tsv[1]
    ask = run_query([sources["ttl"]], "ASK { ?e a kg:Capture }")
    assert format_result(ask, "table") == "true\n"
    graph = run_query([sources["ttl"]], "CONSTRUCT { ?e kg:agent ?a } WHERE { ?e kg:agent ?a }")
    assert format_result(graph, "table").count("kg:agent") == 3


def test_query_errors_are_one_line(sources, tmp_path):
    with pytest.raises(QueryError, match="^query: ") as err:
        run_query([sources["ttl"]], "SELECT ?x WHERE { ?x ")
    assert "\n" not in str(err.value)
    bad = tmp_path / "bad.nt"
    bad.write_text("not rdf\n")
    with pytest.raises(ValueError, match="bad.nt"):
        run_query([bad], "ASK {}")
    with pytest.raises(QueryError, match="on its own"):
        run_query([sources["store"], sources["ttl"]], "ASK {}")


def test_cli_query_runs_a_ready_query_by_name_and_reports_bad_sparql(sources, capsys):
    from kg.cli import main

    assert main(["query", "--file", "captures", str(sources["trig"]), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("event,") and out.count("kgr:") == 0 and "event/" in out
    assert main(["query", str(sources["store"]), "SELECT ?x WHERE { ?x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg query: error: query:") and err.count("\n") == 1
    assert main(["query", str(sources["ttl"])]) == 2


def test_cli_export_and_validate(sources, tmp_path, capsys):
    from kg.cli import main

    out = tmp_path / "all.jsonld"
    assert main(["export", "--store", str(sources["store"]), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["@context"]["kg"].endswith("ontology#")
    assert main(["validate", str(out)]) == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text(sources["ttl"].read_text().replace('"2025-01-11"^^xsd:date', '"11 Jan 2025"'))
    assert main(["validate", str(broken)]) == 1
    assert "schema:datePublished" in capsys.readouterr().out
