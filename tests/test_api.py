"""kg.api: kg.build / kg.load and every view of a KnowledgeGraph, on real builds."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.namespace import PROV, RDF, RDFS

import kg
from kg.api import EntityInfo, EntityNotFound, Evidence, KnowledgeGraph
from kg.vocab import KG, RES, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"

# Two short made-up articles sharing a person, a company and a city.
TEXT_ONE = ("Maria Okafor, the chief executive of Northwind Energy, visited Lagos on Monday. "
            "She met President Bola Tinubu in Lagos to discuss a new gas pipeline.")
TEXT_TWO = ("Maria Okafor said on Friday that Northwind Energy would hire 2,000 workers in Nigeria. "
            "The company signed an agreement with the Nigerian National Petroleum Company in Abuja.")
TEXTS = {"text-1": TEXT_ONE, "text-2": TEXT_TWO}


@pytest.fixture(scope="module")
def texts_kg() -> KnowledgeGraph:
    return kg.build([TEXT_ONE, TEXT_TWO])


@pytest.fixture(scope="module")
def examples_kg() -> KnowledgeGraph:
    return kg.build(EXAMPLES)


def _texts_of(graph: KnowledgeGraph) -> dict[str, str]:
    return {ex.article.doc_id: ex.article.text for ex in graph.extractions}


# --- build ---------------------------------------------------------------------------------------


def test_api_build_texts_one_article_and_named_graph_per_text(texts_kg):
    assert isinstance(texts_kg.rdf, rdflib.Dataset)
    assert [a["id"] for a in texts_kg.articles()] == ["text-1", "text-2"]
    graphs = {str(g.identifier) for g in texts_kg.rdf.graphs() if len(g)}
    assert {str(RES["graph/text-1"]), str(RES["graph/text-2"])} <= graphs
    assert texts_kg.report["articles"] == 2 and texts_kg.report["skipped"] == []
    assert len(texts_kg) == texts_kg.report["triples"] == len({t for g in texts_kg.rdf.graphs() for t in g})
    assert repr(texts_kg).startswith("<KnowledgeGraph: 2 articles")


def test_api_build_examples_equals_the_cli_pipeline_build(examples_kg, examples_build):
    _, result = examples_build
    quads = {(s, p, o, getattr(c, "identifier", c)) for s, p, o, c in examples_kg.rdf.quads()}
    expected = {(s, p, o, getattr(c, "identifier", c)) for s, p, o, c in result.dataset.quads()}
    assert quads == expected
    assert {a["id"] for a in examples_kg.articles()} == {ex.article.doc_id for ex in result.extractions}


def test_api_build_accepts_articles_and_reports_bad_inputs(tmp_path):
    from kg.records import Article

    with pytest.raises(TypeError, match="unknown option"):
        kg.build([TEXT_ONE], colour="red")
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        kg.build(str(tmp_path / "missing.txt"))
    with pytest.raises(TypeError, match="cannot build from int"):
        kg.build([42])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graph = kg.build([Article(doc_id="okafor", text=TEXT_ONE, title="Okafor in Lagos"), "   "],
                         out=tmp_path / "out")
    assert any("empty text" in str(w.message) for w in caught)
    assert [(a["id"], a["headline"]) for a in graph.articles()] == [("okafor", "Okafor in Lagos")]
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"graph.ttl", "graph.trig", "graph.html",
                                                               "report.json"}
    assert json.loads((tmp_path / "out" / "report.json").read_text())["skipped"]


# --- rdf / serialize / load ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nt", "nq", "jsonld"])
def test_api_serialize_formats_parse_back_to_the_same_triples(texts_kg, fmt):
    text = texts_kg.serialize(fmt)
    rdflib_format = {"ttl": "turtle", "nt": "nt", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt]
    back = rdflib.Dataset()
    back.parse(data=text, format=rdflib_format)
    union = {t for g in back.graphs() for t in g}
    expected = {t for g in texts_kg.rdf.graphs() for t in g}
    assert union == expected
    if fmt in ("trig", "nq", "jsonld"):  # article graphs kept
        assert str(RES["graph/text-2"]) in {str(g.identifier) for g in back.graphs() if len(g)}


def test_api_serialize_to_file_and_load_back(texts_kg, tmp_path):
    path = texts_kg.serialize(destination=tmp_path / "g.trig")
    assert path == tmp_path / "g.trig" and path.read_text(encoding="utf-8").startswith("@prefix")
    loaded = kg.load(path)
    assert [(e.iri, e.type, e.mentions, e.articles) for e in loaded.entities()] == \
        [(e.iri, e.type, e.mentions, e.articles) for e in texts_kg.entities()]
    assert len(loaded) == len(texts_kg)
    with pytest.raises(ValueError):
        kg.load()


# --- networkx ------------------------------------------------------------------------------------


def test_api_to_networkx_nodes_carry_type_label_and_articles(texts_kg):
    G = texts_kg.to_networkx()
    assert isinstance(G, nx.MultiDiGraph)
    g = texts_kg.rdf
    people = [n for n, d in G.nodes(data=True) if d.get("type") == "Person"]
    assert people
    for n in people:
        d = G.nodes[n]
        assert (rdflib.URIRef(n), RDF.type, KG.Person) in g
        assert d["label"] == str(next(g.objects(rdflib.URIRef(n), RDFS.label)))
        assert d["family"] == "Person" and d["kind"] == "entity"
        mentioned_in = {a for a in TEXTS if (RES[f"article/{a}"], SCHEMA.mentions, rdflib.URIRef(n))
                        in texts_kg._union}
        assert set(d["articles"]) == mentioned_in
    okafor = texts_kg.find("Maria Okafor")
    assert G.nodes[okafor]["articles"] == ["text-1", "text-2"]
    G.remove_node(okafor)  # a copy: the graph's own view is untouched
    assert okafor in texts_kg.to_networkx()


def test_api_to_networkx_edges_carry_provenance_from_the_text(examples_kg):
    G = examples_kg.to_networkx()
    texts = _texts_of(examples_kg)
    with_prov = [d for _, _, d in G.edges(data=True) if "statement" in d]
    assert len(with_prov) > 10
    for d in with_prov:
        assert d["article"] in texts
        assert d["sentence"] in texts[d["article"]]
        assert texts[d["article"]][d["start_char"]:d["end_char"]] in d["sentence"]
        node = rdflib.URIRef(d["statement"])
        assert (node, PROV.wasDerivedFrom, RES[f"article/{d['article']}"]) in examples_kg._union
        assert 0 <= d["confidence"] <= 1
    events = [n for n, d in G.nodes(data=True) if d["kind"] == "event"]
    assert events and all(G.out_degree(e) > 0 for e in events)
    plain = examples_kg.to_networkx(events=False)
    assert not any(d["kind"] == "event" for _, d in plain.nodes(data=True))


# --- query ---------------------------------------------------------------------------------------


def test_api_query_select_gives_a_dataframe_matching_the_rdf(examples_kg):
    pd = pytest.importorskip("pandas")
    df = examples_kg.query("""
        SELECT ?country ?name WHERE { ?country a kg:Country ; rdfs:label ?name } ORDER BY ?name""")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["country", "name"]
    g = examples_kg._union
    expected = sorted(str(next(g.objects(c, RDFS.label))) for c in set(g.subjects(RDF.type, KG.Country)))
    assert df["name"].tolist() == expected and len(df) > 3
    assert all(c.startswith("kgr:location/") for c in df["country"])
    full = examples_kg.query("SELECT ?c WHERE { ?c a kg:Country }", short_iris=False)
    assert all(c.startswith(str(RES)) for c in full["c"])


def test_api_query_typed_values_ask_construct_and_errors(examples_kg):
    pytest.importorskip("pandas")
    df = examples_kg.query("SELECT ?e ?n WHERE { ?e kg:mentionCount ?n } ORDER BY DESC(?n) LIMIT 3")
    assert all(isinstance(n, int) for n in df["n"])
    assert df["n"].tolist() == sorted(df["n"], reverse=True)
    assert examples_kg.query("ASK { ?a a schema:NewsArticle }") is True
    assert examples_kg.query("ASK { ?a a kg:NoSuchClass }") is False
    built = examples_kg.query("CONSTRUCT { ?c rdfs:label ?n } WHERE { ?c a kg:City ; rdfs:label ?n }")
    assert isinstance(built, rdflib.Graph) and len(built) == len(examples_kg.entities(type="City"))
    with pytest.raises(ValueError, match="query"):
        examples_kg.query("SELECT WHERE {")


# --- html ----------------------------------------------------------------------------------------


def test_api_to_html_writes_a_self_contained_page(texts_kg, tmp_path):
    stats = texts_kg.to_html(tmp_path / "view" / "g.html", title="Okafor graph")
    page = (tmp_path / "view" / "g.html").read_text(encoding="utf-8")
    assert stats.path == tmp_path / "view" / "g.html" and stats.bytes == len(page.encode("utf-8"))
    assert stats.nodes == stats.total_nodes >= len(texts_kg.entities())
    assert "<title>Okafor graph</title>" in page and "Maria Okafor" in page and "vis.Network" in page
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b|@import", page, re.I)


def test_api_show_embeds_the_page_in_an_iframe(texts_kg):
    pytest.importorskip("IPython")
    shown = texts_kg.show(height=400)
    assert shown.data.startswith("<div><iframe srcdoc=") and 'height="400"' in shown.data
    assert "Maria Okafor" in shown.data
    assert not re.search(r"&lt;script[^&]*\ssrc=", shown.data)


# --- entities / find -----------------------------------------------------------------------------


def test_api_entities_by_class_and_by_family(examples_kg):
    everything = examples_kg.entities()
    assert all(isinstance(e, EntityInfo) for e in everything)
    assert [e.mentions for e in everything] == sorted((e.mentions for e in everything), reverse=True)
    g = examples_kg._union
    people = examples_kg.entities(type="Person")
    assert {e.iri for e in people} == {str(s) for s in g.subjects(RDF.type, KG.Person)}
    countries = examples_kg.entities(type="Country")
    assert countries and all(e.type == "Country" for e in countries)
    locations = examples_kg.entities(type="Location")
    assert {e.iri for e in countries} < {e.iri for e in locations}
    assert {e.type for e in locations} >= {"Country", "City"} and {e.family for e in locations} == {"Location"}
    both = examples_kg.entities(type=["Person", "Country"])
    assert {e.iri for e in both} == {e.iri for e in people} | {e.iri for e in countries}
    frequent = examples_kg.entities(min_mentions=3)
    assert frequent and all(e.mentions >= 3 for e in frequent) and len(frequent) < len(everything)
    with pytest.raises(ValueError, match="unknown entity type"):
        examples_kg.entities(type="Planet")


def test_api_find_by_label_alias_and_iri(texts_kg):
    iri = texts_kg.find("maria okafor")
    assert iri == str(RES["person/maria-okafor"])
    assert texts_kg.find("kgr:person/maria-okafor") == iri == texts_kg.find("person/maria-okafor")
    with pytest.raises(EntityNotFound):
        texts_kg.find("Nobody Atall")
    with pytest.raises(EntityNotFound):
        texts_kg.find("person/nobody")


# --- explain -------------------------------------------------------------------------------------


def test_api_explain_gives_each_mention_with_its_sentence_and_article(texts_kg):
    rows = texts_kg.explain("Maria Okafor")
    assert all(isinstance(r, Evidence) for r in rows)
    mentions = [r for r in rows if r.kind == "mention"]
    assert {r.article for r in mentions} == {"text-1", "text-2"}
    for r in mentions:
        text = TEXTS[r.article]
        assert text[r.start:r.end] == r.text and r.text in r.sentence
        assert r.sentence in text and r.sentence.endswith(".")
        assert r.sentence.count(". ") == 0  # one sentence, not the whole text
    articles = [a["id"] for a in texts_kg.articles()]
    assert [articles.index(r.article) for r in rows] == sorted(articles.index(r.article) for r in rows)


def test_api_explain_statements_trace_back_to_their_sentence(examples_kg):
    texts = _texts_of(examples_kg)
    g = examples_kg._union
    linked = [n for n, d in examples_kg.to_networkx().nodes(data=True)
              if d["kind"] == "entity" and examples_kg.to_networkx().degree(n) > 0]
    traced = 0
    for iri in linked[:25]:
        for r in examples_kg.explain(iri):
            if r.statement is None:
                continue
            traced += 1
            node = rdflib.URIRef(r.statement)
            assert (node, KG.sentence, rdflib.Literal(r.sentence)) in g
            assert (node, PROV.wasDerivedFrom, RES[f"article/{r.article}"]) in g
            assert r.sentence in texts[r.article]
            assert r.kind in {"relation", "position", "event", "quantity", "quote", "claim"}
    assert traced > 10


def test_api_explain_on_a_loaded_graph_gives_statements_only(texts_kg, tmp_path):
    loaded = kg.load(texts_kg.serialize(destination=tmp_path / "g.trig"))
    built = [r for r in texts_kg.explain("Maria Okafor") if r.kind != "mention"]
    rows = loaded.explain("Maria Okafor")
    assert rows and all(r.kind != "mention" for r in rows)
    assert sorted((r.statement, r.sentence, r.article) for r in rows) == \
        sorted((r.statement, r.sentence, r.article) for r in built)


# --- analysis and export -------------------------------------------------------------------------


def test_api_stats_and_export(examples_kg, tmp_path):
    stats = examples_kg.stats(top=3)
    assert stats["totals"]["entities"] == len(examples_kg.entities())
    assert all(len(rows) <= 3 for rows in stats["most_mentioned"].values())
    (path,) = examples_kg.export(tmp_path / "g.gexf")
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == examples_kg.to_networkx().number_of_nodes()


def test_api_lazy_top_level_names():
    from kg import api

    assert kg.build is api.build and kg.load is api.load and kg.KnowledgeGraph is KnowledgeGraph
    assert {"build", "load", "KnowledgeGraph", "Evidence"} <= set(dir(kg))
    with pytest.raises(AttributeError):
        kg.no_such_name  # noqa: B018
