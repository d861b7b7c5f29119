"""Names (issue 3): surnames split at an apostrophe, products kept out of the organisations,
capitalised common phrases that are no organisation, companies the model calls people or places."""

from __future__ import annotations

import pytest

from extract_helpers import build

TEXTS = {
    "apostrophe": ("Aer Arann chief executive, Padraig O' Donovan, said the airline would add routes. "
                   "Later Mr O'Donovan flew to Cork."),
}


@pytest.fixture(scope="module")
def built():
    return build(TEXTS)


def test_surname_split_at_its_apostrophe_is_one_person(built):
    types = built.entities_of("apostrophe")
    people = [label for label, t in types.items() if "Person" in t]
    assert len(people) == 1 and "Donovan" in people[0], types
    assert {"Padraig O' Donovan", "O'Donovan"} <= built.names(people[0])
    assert not any("Donovan" in label for label, t in types.items() if "Person" not in t)
