"""Positions (issue 3): a title before the name, an apposition after it, an organisation
named inside the title, and a country known from the gazetteer, on made-up news sentences."""

from __future__ import annotations

import pytest
from rdflib.namespace import RDF

from kg.vocab import KG

from extract_helpers import build

TEXTS = {
    "gazetteer": "Prime Minister Keir Starmer opened a new hospital in Leeds on Friday.",
    "of_country": "Prime Minister Jane Hollis of Norway opened the fisheries summit in Bergen.",
    "company": ("Nordlys Energy cut 500 jobs in Norway on Monday. "
                "Tomas Varga, the company's chief executive, said the cuts were painful."),
    "premodifier": "EU trade chief Anneli Korhonen met farmers in Brussels on Tuesday.",
    "apposition": "Mark Ellison, the Pentagon spokesman, confirmed the strike on Wednesday.",
    "of_org": "Greta Holm, the chief executive of Solvik Shipping, resigned on Thursday.",
}


@pytest.fixture(scope="module")
def built():
    return build(TEXTS)


def _positions(built, doc_id):
    """(holder label, title, label of the organisation or place or None) of each Position node."""
    out = set()
    for node in built.derived(doc_id, KG.Position):
        holder = built.label(built.union.value(node, KG.positionHolder))
        where = built.union.value(node, KG.positionIn)
        out.add((holder, str(built.union.value(node, KG.positionTitle)), built.label(where) if where is not None else None))
        person = built.union.value(node, KG.positionHolder)
        assert (person, KG.holdsPosition, node) in built.union
        if where is not None:
            assert (person, KG.hasPositionIn, where) in built.union
    return out


def _kinds(built, label):
    return built.kg_types(built.node(label))


def test_title_before_a_gazetteer_person_gives_the_country(built):
    ((holder, title, where),) = _positions(built, "gazetteer")
    assert "Starmer" in holder and title == "Prime Minister"
    assert where is not None and "Country" in _kinds(built, where) and "Kingdom" in where


def test_title_name_of_country(built):
    assert _positions(built, "of_country") == {("Jane Hollis", "Prime Minister", "Norway")}


def test_apposition_with_the_company_s_title(built):
    assert _positions(built, "company") == {("Tomas Varga", "chief executive", "Nordlys Energy")}


def test_organisation_inside_a_premodifier_title(built):
    ((holder, title, where),) = _positions(built, "premodifier")
    assert holder == "Anneli Korhonen" and title == "trade chief"
    assert "EU" in built.names(where)


def test_apposition_with_an_organisation_before_the_title(built):
    ((holder, title, where),) = _positions(built, "apposition")
    assert holder == "Mark Ellison" and title == "spokesman"
    assert "Pentagon" in built.names(where) and "GovernmentOrganization" in _kinds(built, where)


def test_apposition_title_of_an_organisation(built):
    assert _positions(built, "of_org") == {("Greta Holm", "chief executive", "Solvik Shipping")}
    assert (built.node("Greta Holm"), RDF.type, KG.Person) in built.union
