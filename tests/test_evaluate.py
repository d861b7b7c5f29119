"""Scoring of hand-built graphs (following the RDF output contract) against tiny gold sets."""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.cli import UsageError
from kg.cli import eval as eval_cli
from kg.evaluate import evaluate, format_report, load_gold, load_graphs, normalize_name
from kg.vocab import KG, RES, SCHEMA

DOC = "d1"
ARTICLE = RES["article/d1"]

GOLD = {
    "documents": {
        DOC: {"req": ["zel", "ukr", "afu", "kursk", "sbu"], "opt": ["x"]},
    },
    "entities": {
        "zel": {"type": "Person", "names": ["Volodymyr Zelenskyy", "Zelenskyy"]},
        "ukr": {"type": "Location", "names": ["Ukraine"]},
        "afu": {"type": "MilitaryUnit", "names": ["Armed Forces of Ukraine", "Ukrainian forces"]},
        "kursk": {"type": "Location", "names": ["Kursk", "Kursk Oblast"]},
        "sbu": {"type": "Organization", "names": ["Security Service of Ukraine", "SBU"]},
        "x": {"type": "Other", "names": ["X", "Twitter"]},
    },
    "relations": [
        {"doc": DOC, "s": "zel", "o": "ukr", "family": "president|position"},
        {"doc": DOC, "s": "afu", "o": "kursk", "family": "deploy|destination"},
        {"doc": DOC, "s": "sbu", "o": "ukr", "family": "part|locat"},
    ],
    "negatives": [{"doc": DOC, "s": "sbu", "o": "kursk"}],
    "junk": ["Saturday", "North Korean"],
}

NODES = {
    "zel": (RES["person/volodymyr-zelenskyy"], [KG.Person, SCHEMA.Person],
            "Volodymyr Zelenskyy", ["Zelenskyy"]),
    "ukr": (RES["location/ukraine"], [KG.Country, SCHEMA.Country], "Ukraine", []),
    "afu": (RES["organization/armed-forces-of-ukraine"], [KG.MilitaryUnit, SCHEMA.Organization],
            "Armed Forces of Ukraine", []),
    "kursk": (RES["location/kursk-oblast"], [KG.AdministrativeRegion, SCHEMA.AdministrativeArea],
              "Kursk Oblast", ["Kursk"]),
    "sbu": (RES["organization/sbu"], [KG.GovernmentOrganization, SCHEMA.GovernmentOrganization],
            "Security Service of Ukraine", ["SBU"]),
}
N = {key: spec[0] for key, spec in NODES.items()}
POSITION = RES["position/p1"]
EVENT = RES["event/e1"]
ASSERTION = RES["assertion/a1"]
HEADLINE = ("entity_recall", "entity_recall_any_type", "entity_precision", "duplicates",
            "over_merged", "junk", "relation_recall", "relation_recall_same_article",
            "negatives_linked")


def add_entity(g: Graph, node: URIRef, types, label: str, alts=(), mentioned_by=ARTICLE) -> None:
    for t in types:
        g.add((node, RDF.type, t))
    g.add((node, RDFS.label, Literal(label)))
    for alt in alts:
        g.add((node, SKOS.altLabel, Literal(alt)))
    if mentioned_by is not None:
        g.add((mentioned_by, SCHEMA.mentions, node))


def add_article(g: Graph, node: URIRef = ARTICLE, doc: str = DOC) -> None:
    g.add((node, RDF.type, SCHEMA.NewsArticle))
    g.add((node, SCHEMA.identifier, Literal(doc)))
    g.add((node, SCHEMA.headline, Literal("Headline")))


def add_assertion(g: Graph, node, s, p, o, derived_from=ARTICLE, direct: bool = True) -> None:
    if direct:
        g.add((s, p, o))
    g.add((node, RDF.type, KG.Assertion))
    g.add((node, RDF.subject, s))
    g.add((node, RDF.predicate, p))
    g.add((node, RDF.object, o))
    if derived_from is not None:
        g.add((node, PROV.wasDerivedFrom, derived_from))


def perfect_graph() -> Graph:
    """Every gold entity mentioned, typed and linked as the contract prescribes."""
    g = Graph()
    add_article(g)
    for node, types, label, alts in NODES.values():
        add_entity(g, node, types, label, alts)
    # role: Zelenskyy President of Ukraine
    g.add((POSITION, RDF.type, KG.Position))
    g.add((POSITION, KG.positionHolder, N["zel"]))
    g.add((POSITION, KG.positionIn, N["ukr"]))
    g.add((POSITION, KG.positionTitle, Literal("President")))
    g.add((POSITION, RDFS.label, Literal("President of Ukraine")))
    g.add((POSITION, PROV.wasDerivedFrom, ARTICLE))
    g.add((N["zel"], KG.holdsPosition, POSITION))
    add_assertion(g, RES["assertion/a0"], N["zel"], KG.hasPositionIn, N["ukr"])
    # event: deployment of the armed forces to Kursk
    for t in (KG.Event, KG.Deployment, SCHEMA.Event):
        g.add((EVENT, RDF.type, t))
    g.add((EVENT, RDFS.label, Literal("forces sent to Kursk")))
    g.add((EVENT, KG.agent, N["afu"]))
    g.add((EVENT, KG.destination, N["kursk"]))
    g.add((EVENT, PROV.wasDerivedFrom, ARTICLE))
    # binary relation: SBU part of Ukraine (direct triple + Assertion)
    add_assertion(g, ASSERTION, N["sbu"], KG.partOf, N["ukr"])
    return g


def figures(g: Graph, gold: dict = GOLD, **kwargs) -> dict:
    return evaluate(gold, g, **kwargs).figures()


def changed(g: Graph, gold: dict = GOLD) -> dict:
    """Headline figures that differ from the perfect graph's, with their new values."""
    base, new = figures(perfect_graph(), gold), figures(g, gold)
    return {k: new[k] for k in HEADLINE if new[k] != base[k]}


def test_perfect_graph_scores_one():
    result = evaluate(GOLD, perfect_graph())
    f = result.figures()
    assert {k: f[k] for k in HEADLINE} == {
        "entity_recall": 1.0, "entity_recall_any_type": 1.0, "entity_precision": 1.0,
        "duplicates": 0, "over_merged": 0, "junk": 0, "relation_recall": 1.0,
        "relation_recall_same_article": 1.0, "negatives_linked": 0}
    assert f["entity_recall_by_type"]["MilitaryUnit"] == {"found": 1, "total": 1, "recall": 1.0}
    assert (f["precision_matched"], f["precision_total"]) == (5, 5)
    assert not (result.missed_entities or result.wrong_type or result.missed_relations)


def test_missing_entity_lowers_recall_only():
    g = perfect_graph()
    g.remove((ARTICLE, SCHEMA.mentions, N["kursk"]))
    assert changed(g) == {"entity_recall": 0.8, "entity_recall_any_type": 0.8}
    missed = evaluate(GOLD, g).missed_entities
    assert [(m["doc"], m["entity"]) for m in missed] == [(DOC, "kursk")]


def test_wrong_type_lowers_typed_recall_and_is_listed():
    g = perfect_graph()
    g.remove((N["kursk"], RDF.type, None))
    g.add((N["kursk"], RDF.type, KG.Organization))
    assert changed(g) == {"entity_recall": 0.8}
    result = evaluate(GOLD, g)
    assert result.recall_by_type["Location"] == [1, 2]
    assert [(w["entity"], w["found"]) for w in result.wrong_type] == [
        ("kursk", ["Kursk Oblast [Organization]"])]
    assert "found as Kursk Oblast [Organization]" in format_report(result)


def test_organization_is_satisfied_by_military_unit_but_not_reverse():
    g = perfect_graph()
    g.remove((N["sbu"], RDF.type, None))
    g.add((N["sbu"], RDF.type, KG.MilitaryUnit))
    assert changed(g) == {}
    g.remove((N["afu"], RDF.type, None))
    g.add((N["afu"], RDF.type, KG.Organization))
    assert changed(g) == {"entity_recall": 0.8}


def test_duplicate_node_counts_once():
    g = perfect_graph()
    add_entity(g, RES["person/zelenskyy"], [KG.Person], "Zelenskyy")
    assert changed(g) == {"duplicates": 1}
    (dup,) = evaluate(GOLD, g).duplicates
    assert dup == {"entity": "zel",
                   "nodes": ["Volodymyr Zelenskyy [Person]", "Zelenskyy [Person]"]}


def test_over_merged_node():
    g = perfect_graph()
    g.add((N["sbu"], SKOS.altLabel, Literal("Twitter")))
    assert changed(g) == {"over_merged": 1}
    (merged,) = evaluate(GOLD, g).over_merged
    assert merged["entities"] == ["sbu", "x"]


def test_names_shared_by_gold_entities_count_neither_as_duplicate_nor_merge():
    gold = copy.deepcopy(GOLD)
    gold["entities"]["wa_state"] = {"type": "Location", "names": ["Washington", "Washington State"]}
    gold["entities"]["everett"] = {"type": "Location", "names": ["Everett, Washington", "Washington"]}
    gold["documents"][DOC]["opt"] += ["wa_state", "everett"]
    g = perfect_graph()
    add_entity(g, RES["location/washington"], [KG.Location], "Washington", ["Everett, Washington"])
    add_entity(g, RES["location/washington-state"], [KG.Location], "Washington State")
    f = figures(g, gold)
    assert (f["duplicates"], f["over_merged"], f["entity_precision"]) == (0, 0, 1.0)
    # a node carrying a distinctive name of each is over-merged
    g.add((RES["location/washington"], SKOS.altLabel, Literal("Washington State")))
    f = figures(g, gold)
    assert f["over_merged"] == 1 and f["duplicates"] == 1  # wa_state now on two nodes


def test_junk_label_on_entity_node():
    g = perfect_graph()
    g.add((N["zel"], SKOS.altLabel, Literal("north korean")))
    assert changed(g) == {"junk": 1}
    (junk,) = evaluate(GOLD, g).junk
    assert junk["junk"] == "North Korean"


def test_junk_label_on_group_node_is_not_counted():
    g = perfect_graph()
    add_entity(g, RES["group/north-koreans"], [KG.Group, SCHEMA.Thing], "North Korean")
    assert changed(g) == {}


def test_unknown_entity_node_lowers_precision():
    g = perfect_graph()
    add_entity(g, RES["person/john-smith"], [KG.Person, SCHEMA.Person], "John Smith")
    add_entity(g, RES["group/soldiers"], [KG.Group], "soldiers")  # not scored by precision
    assert changed(g) == {"entity_precision": pytest.approx(5 / 6)}
    assert [u["label"] for u in evaluate(GOLD, g).unmatched_nodes] == ["John Smith"]


def test_missing_relation():
    g = perfect_graph()
    g.remove((N["sbu"], KG.partOf, N["ukr"]))
    g.remove((ASSERTION, None, None))
    assert changed(g) == {"relation_recall": pytest.approx(2 / 3),
                          "relation_recall_same_article": pytest.approx(2 / 3)}
    (miss,) = evaluate(GOLD, g).missed_relations
    assert (miss["s"], miss["o"], miss["reason"]) == ("sbu", "ukr", "no path")


def test_relation_via_event_node_needs_both_roles_and_matching_words():
    g = perfect_graph()
    g.remove((EVENT, KG.destination, N["kursk"]))
    assert changed(g) == {"relation_recall": pytest.approx(2 / 3),
                          "relation_recall_same_article": pytest.approx(2 / 3)}
    g = perfect_graph()  # path exists, but neither class, label nor roles say deploy/destination
    g.remove((EVENT, RDF.type, KG.Deployment))
    g.add((EVENT, RDF.type, KG.Attack))
    g.remove((EVENT, KG.destination, N["kursk"]))
    g.add((EVENT, KG.location, N["kursk"]))
    assert changed(g)["relation_recall"] == pytest.approx(2 / 3)
    assert "paths do not match family" in evaluate(GOLD, g).missed_relations[0]["reason"]


def test_relation_through_an_entity_node_is_not_a_path():
    g = perfect_graph()
    g.remove((EVENT, None, None))
    g.add((N["afu"], KG.destination, N["ukr"]))
    g.add((N["ukr"], KG.destination, N["kursk"]))
    assert changed(g)["relation_recall"] == pytest.approx(2 / 3)


def test_relation_via_assertion_node_alone():
    g = perfect_graph()
    g.remove((N["sbu"], KG.partOf, N["ukr"]))  # only the statement node is left
    assert changed(g) == {}
    g.remove((ASSERTION, RDF.predicate, KG.partOf))  # its words came from rdf:predicate
    g.add((ASSERTION, RDF.predicate, KG.nationality))
    assert changed(g)["relation_recall"] == pytest.approx(2 / 3)


def test_same_article_recall_needs_provenance():
    g = perfect_graph()
    g.remove((ASSERTION, PROV.wasDerivedFrom, ARTICLE))
    assert changed(g) == {"relation_recall_same_article": pytest.approx(2 / 3)}
    g = perfect_graph()
    other = RES["article/d2"]
    add_article(g, other, "d2")
    g.set((EVENT, PROV.wasDerivedFrom, other))
    assert changed(g) == {"relation_recall_same_article": pytest.approx(2 / 3)}


def test_same_article_from_trig_named_graph():
    ds = Dataset()
    named = ds.graph(RES["graph/d1"])
    add_article(named)
    named.add((N["sbu"], KG.partOf, N["ukr"]))
    for node, types, label, alts in NODES.values():
        add_entity(ds.default_graph, node, types, label, alts, mentioned_by=None)
        named.add((ARTICLE, SCHEMA.mentions, node))
    result = evaluate(GOLD, ds)
    assert result.entity_recall == 1.0
    assert (result.relations_found, result.relations_found_same_article) == (1, 1)


def test_linked_negative():
    g = perfect_graph()
    add_assertion(g, RES["assertion/a9"], N["sbu"], KG.locatedIn, N["kursk"])
    assert changed(g) == {"negatives_linked": 1}
    (neg,) = evaluate(GOLD, g).linked_negatives
    assert (neg["s"], neg["o"]) == ("sbu", "kursk")


def test_mentions_and_provenance_do_not_link():
    g = perfect_graph()
    add_article(g, RES["article/d2"], "d2")
    g.add((RES["article/d2"], SCHEMA.mentions, N["sbu"]))
    g.add((RES["article/d2"], SCHEMA.mentions, N["kursk"]))
    g.add((N["sbu"], PROV.wasDerivedFrom, N["kursk"]))
    assert changed(g) == {}


def test_absent_document_counts_as_missed_unless_docs_restricted():
    gold = copy.deepcopy(GOLD)
    gold["documents"]["d2"] = {"req": ["zel", "kursk"], "opt": []}
    result = evaluate(gold, perfect_graph())
    assert result.missing_documents == ["d2"]
    assert (result.entities_found, result.entities_required) == (5, 7)
    restricted = evaluate(gold, perfect_graph(), only_graph_docs=True)
    assert restricted.documents == [DOC] and restricted.entity_recall == 1.0


@pytest.mark.parametrize("raw, expected", [
    ("The Pentagon", "pentagon"),
    ("  “Kursk  Oblast”  ", "kursk oblast"),
    ("Ukraine’s", "ukraine"),
    ("(EADS)", "eads"),
    ("Côte d’Ivoire", "côte d'ivoire"),
    ("theatre", "theatre"),
])
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


def test_name_matching_is_normalised():
    g = perfect_graph()
    g.set((N["sbu"], RDFS.label, Literal("the security service of ukraine's")))
    g.remove((N["sbu"], SKOS.altLabel, None))
    assert changed(g) == {}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg")
    eval_cli.register(parser.add_subparsers())
    return parser


def test_cli_prints_three_headline_lines(tmp_path, capsys):
    graph_path, gold_path = tmp_path / "graph.ttl", tmp_path / "gold.json"
    perfect_graph().serialize(graph_path, format="turtle")
    gold_path.write_text(json.dumps(GOLD), encoding="utf-8")
    args = _parser().parse_args(["eval", "--gold", str(gold_path), str(graph_path)])
    assert args.func(args) == 0
    last = capsys.readouterr().out.strip().splitlines()[-3:]
    assert last[0] == "entities: recall 1.00 (typed) precision 1.00 duplicates 0 over-merged 0 junk 0"
    assert last[1] == "relations: recall 1.00 (3/3) negatives linked 0"
    assert last[2] == f"gold: {gold_path} (1 documents) graph: {graph_path}"

    args = _parser().parse_args(["eval", "--json", "--gold", str(gold_path), str(graph_path)])
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["entity_recall"] == 1.0 and out["relations_found"] == 3


def test_cli_usage_errors(tmp_path):
    graph_path = tmp_path / "graph.ttl"
    perfect_graph().serialize(graph_path, format="turtle")
    bad_gold = tmp_path / "bad.json"
    bad_gold.write_text("{not json", encoding="utf-8")
    unknown_ref = tmp_path / "ref.json"
    unknown_ref.write_text(json.dumps({"documents": {"d": {"req": ["nobody"]}}, "entities": {}}))
    bad_graph = tmp_path / "bad.ttl"
    bad_graph.write_text("this is not turtle <", encoding="utf-8")
    for argv, fragment in [
        (["--gold", str(tmp_path / "missing.json"), str(graph_path)], "missing.json"),
        (["--gold", str(bad_gold), str(graph_path)], "bad.json"),
        (["--gold", str(unknown_ref), str(graph_path)], "nobody"),
    ]:
        args = _parser().parse_args(["eval", *argv])
        with pytest.raises(UsageError, match=fragment):
            args.func(args)
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps(GOLD), encoding="utf-8")
    for graph, fragment in [(tmp_path / "none.ttl", "no such file"), (bad_graph, "bad.ttl"),
                            (tmp_path / "g.xyz", "unknown graph format")]:
        args = _parser().parse_args(["eval", "--gold", str(gold_path), str(graph)])
        with pytest.raises(UsageError, match=fragment):
            args.func(args)


def test_load_graphs_unions_formats(tmp_path):
    g = perfect_graph()
    half = len(g) // 2
    triples = sorted(g)
    first, second = Graph(), Graph()
    for t in triples[:half]:
        first.add(t)
    for t in triples[half:]:
        second.add(t)
    first.serialize(tmp_path / "a.nt", format="nt")
    second.serialize(tmp_path / "b.jsonld", format="json-ld")
    loaded = load_graphs([tmp_path / "a.nt", tmp_path / "b.jsonld"])
    assert evaluate(GOLD, loaded).figures() == evaluate(GOLD, g).figures()


def test_reification_links_add_no_words():
    gold = copy.deepcopy(GOLD)
    gold["relations"] = [{"doc": DOC, "s": "sbu", "o": "kursk", "family": "sub|object"}]
    gold["negatives"] = []
    g = perfect_graph()
    add_assertion(g, RES["assertion/a9"], N["sbu"], KG.hasPositionIn, N["kursk"], direct=False)
    result = evaluate(gold, g)
    assert result.relations_found == 0
    assert "has position in" in result.missed_relations[0]["reason"]


SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FAMILY_CLASS = {"Person": KG.Person, "Organization": KG.Organization,
                "MilitaryUnit": KG.MilitaryUnit, "Location": KG.Location, "Other": KG.Other}


@pytest.mark.parametrize("rel", ["gold/seeds.json", "bench/meantime/gold.json"])
def test_shared_gold_one_node_per_entity_is_neither_split_nor_merged(rel):
    """Names shared by several gold entities (MEANTIME) must not fake duplicates or merges."""
    path = SHARED / rel
    if not path.is_file():
        pytest.skip(f"{path} not available")
    gold = load_gold(path)
    g = Graph()
    for i, (eid, ent) in enumerate(sorted(gold["entities"].items())):
        mentioned_by = [RES[f"article/{d}"] for d, spec in gold["documents"].items()
                        if eid in spec.get("req", []) + spec.get("opt", [])]
        add_entity(g, RES[f"other/e{i}"], [FAMILY_CLASS[ent["type"]]], ent["names"][0],
                   ent["names"][1:], mentioned_by=None)
        for article in mentioned_by:
            g.add((article, SCHEMA.mentions, RES[f"other/e{i}"]))
    for doc in gold["documents"]:
        add_article(g, RES[f"article/{doc}"], doc)
    result = evaluate(gold, g)
    assert (result.entity_recall, result.entity_precision) == (1.0, 1.0)
    assert (result.duplicates, result.over_merged, result.missing_documents) == ([], [], [])
    assert result.relations_found == 0 and result.linked_negatives == []
