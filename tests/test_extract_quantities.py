"""Quantities with value, range, unit, qualifier and what they count (issue 3), on made-up news."""

from __future__ import annotations

import pytest

from extract_helpers import build

TEXTS = {
    "about": "Police arrested about 12,000 protesters in Santiago on Thursday.",
    "over": "The army sent over 38,000 soldiers to the border with Venezuela.",
    "range": "The navy deployed 10,000 to 12,000 sailors along the coast.",
    "between": "Between 3,000 and 4,500 workers joined the strike in Lyon, union leaders said.",
    "share": "Rebels now control 40% of the 984 square kilometers of farmland around Goma.",
    "atleast": "At least 15 people were killed when a bus crashed in Peru.",
    "dollars": "Orion Motors agreed to pay $2.5 billion for the battery maker.",
    "euros": "The European Union pledged €150 million to Moldova for energy projects.",
    "group": "Officials said about 2,000 North Korean troops were fighting near the border.",
    "named": "More than 400 Wagner fighters left Mali.",
    "nationality": "Roughly 3,000 Syrian refugees crossed into Jordan last month.",
    "ordinal": "Italy beat Spain in the final for the first time in 30 years.",
}


@pytest.fixture(scope="module")
def built():
    return build(TEXTS)


def _one(built, doc_id, text_part):
    found = [q for q in built.quantities(doc_id) if text_part in q["text"]]
    assert len(found) == 1, (text_part, built.quantities(doc_id))
    return found[0]


@pytest.mark.parametrize("doc_id, part, value, unit, qualifier", [
    ("about", "12,000", 12000, "protesters", "about"),
    ("over", "38,000", 38000, "soldiers", "over"),
    ("atleast", "15", 15, "people", "at least"),
    ("share", "40%", 40, "percent", None),
    ("share", "984", 984, "square kilometers", None),
    ("dollars", "2.5", 2.5e9, "USD", None),
    ("euros", "150", 1.5e8, "EUR", None),
])
def test_quantity_value_unit_and_qualifier(built, doc_id, part, value, unit, qualifier):
    q = _one(built, doc_id, part)
    assert q["value"] == pytest.approx(value)
    assert q["unit"] == unit
    assert q["qualifier"] == qualifier
    assert q["min"] is None and q["max"] is None


@pytest.mark.parametrize("doc_id, lo, hi, unit", [
    ("range", 10000, 12000, "sailors"),
    ("between", 3000, 4500, "workers"),
])
def test_quantity_range_has_min_and_max_and_no_single_value(built, doc_id, lo, hi, unit):
    (q,) = built.quantities(doc_id)
    assert (q["min"], q["max"], q["value"]) == (lo, hi, None)
    assert q["unit"] == unit


def test_quantity_text_includes_its_qualifier_and_counted_noun(built):
    assert _one(built, "about", "12,000")["text"] == "about 12,000 protesters"
    assert _one(built, "atleast", "15")["text"] == "At least 15 people"


def test_quantity_of_the_group_it_counts(built):
    q = _one(built, "group", "2,000")
    assert q["of"] == {"North Korean troops"}
    assert built.entities_of("group")["North Korean troops"] >= {"Group"}


def test_quantity_of_the_organisation_named_before_the_counted_noun(built):
    q = _one(built, "named", "400")
    (label,) = q["of"]
    assert "Wagner" in label and built.entities_of("named")[label] & {"Organization", "MilitaryUnit"}
    assert q["unit"] == "fighters" and q["qualifier"] == "more than"


def test_quantity_is_not_of_a_country_named_only_by_its_nationality(built):
    # "3,000 Syrian refugees" counts refugees, not Syria
    q = _one(built, "nationality", "3,000")
    assert "Syria" not in q["of"]
    assert q["unit"] == "refugees" and q["qualifier"] == "roughly"


def test_quantity_without_a_counted_entity_links_nothing(built):
    assert _one(built, "about", "12,000")["of"] == set()
    assert _one(built, "euros", "150")["of"] == set()


def test_ordinals_and_durations_are_not_quantities(built):
    assert built.quantities("ordinal") == []
