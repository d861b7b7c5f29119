"""kg.validate: contract graphs conform to ontologies/shapes.ttl; broken ones report each violation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, XSD

from kg.serialize import write_graph
from kg.validate import SHAPES_PATH, GraphFileError, validate
from kg.vocab import CLASSES, KG, RES, SCHEMA, SCHEMA_TYPE
from rdf_samples import contract_dataset

ART = RES["graph/art-0000"]


def broken(edit) -> list[tuple[str, str]]:
    """Apply ``edit`` to a conforming dataset; return (focus, path) of every violation."""
    ds, _ = contract_dataset(2)
    edit(ds, ds.graph(ART))
    report = validate(ds)
    assert not report.conforms
    return [(v.focus, v.path) for v in report.violations]


def statement(g, cls) -> URIRef:
    return next(s for s in g.subjects(RDF.type, cls))


def test_validate_accepts_a_contract_graph_from_files_and_objects(tmp_path):
    ds, _ = contract_dataset(3)
    assert validate(ds).conforms
    path = write_graph(ds, tmp_path / "graph.trig")
    report = validate([path])
    assert report.conforms and report.violations == []


def test_validate_reports_second_label_missing_classes_and_bad_date():
    def edit(ds, g):
        ds.add((RES["person/kim-jong-un"], RDFS.label, Literal("Kim Jong-un")))
        ds.remove((RES["location/kursk-oblast"], RDF.type, SCHEMA.AdministrativeArea))
        ds.remove((RES["organization/bbc"], RDF.type, KG.MediaOrganization))
        g.set((RES["article/art-0000"], SCHEMA.datePublished, Literal("11 January 2025")))
    found = broken(edit)
    assert ("kgr:person/kim-jong-un", "rdfs:label") in found
    assert ("kgr:location/kursk-oblast", "rdf:type") in found
    assert ("kgr:organization/bbc", "rdf:type") in found
    assert ("kgr:article/art-0000", "schema:datePublished") in found


def test_validate_reports_missing_and_mistyped_provenance():
    def edit(ds, g):
        a = statement(g, KG.Assertion)
        g.remove((a, PROV.wasDerivedFrom, None))
        g.remove((a, RDF.object, None))
        q = statement(g, KG.Quote)
        g.set((q, KG.confidence, Literal(Decimal("1.5"))))
        g.set((q, KG.startChar, Literal("12")))  # a string, not an xsd:integer
        e = statement(g, KG.Event)
        g.set((e, KG.factuality, Literal("rumoured")))
        g.set((e, KG.eventDate, Literal("2025-01-09T10:00:00", datatype=XSD.dateTime)))
        return a, q, e
    ds, _ = contract_dataset(2)
    a, q, e = edit(ds, ds.graph(ART))
    report = validate(ds)
    found = {(v.focus, v.path) for v in report.violations}
    short = lambda node: "kgr:" + str(node).removeprefix(str(RES))
    assert {(short(a), "prov:wasDerivedFrom"), (short(a), "rdf:object"), (short(q), "kg:confidence"),
            (short(q), "kg:startChar"), (short(e), "kg:factuality"), (short(e), "kg:eventDate")} <= found
    assert all(v.severity == "Violation" for v in report.violations)
    assert any('"rumoured"' in v.value for v in report.violations)


def test_validate_checks_start_before_end():
    def edit(ds, g):
        q = statement(g, KG.Quantity)
        g.set((q, KG.startChar, Literal(500)))
    assert any(path == "kg:startChar" for _, path in broken(edit))


def test_validate_names_an_unreadable_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(GraphFileError, match="bad.ttl"):
        validate([bad])


def test_shapes_target_every_entity_class_of_the_vocabulary():
    shapes = Graph().parse(SHAPES_PATH)
    targets = set(shapes.objects(None, SH.targetClass))
    entity_classes = CLASSES[: CLASSES.index("Assertion")]
    assert {KG[c] for c in entity_classes} <= targets
    assert {t for t in SCHEMA_TYPE.values() if t != SCHEMA.Event} <= targets
    assert {KG.Assertion, KG.Event, KG.Position, KG.Quantity, KG.Quote, SCHEMA.NewsArticle} <= targets
