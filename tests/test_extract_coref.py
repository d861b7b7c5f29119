"""Rule-based coreference (issue 3): pronouns, "the president", "the alliance", "the company"
resolve to the one entity they can mean, and to nobody when two people could be meant."""

from __future__ import annotations

import pytest

from extract_helpers import build, fold

TEXTS = {
    "he": "Chancellor Olaf Scholz arrived in Warsaw on Monday. He later visited Gdansk.",
    "she": "Foreign Minister Penny Wong arrived in Jakarta on Tuesday. She later visited Surabaya.",
    "two_people": "Emmanuel Macron spoke with Olaf Scholz in Paris. He later visited Berlin.",
    "far": ("Chancellor Olaf Scholz arrived in Warsaw on Monday. The weather was cold. Trains were late. "
            "Shops closed early. He later visited Gdansk."),
    "title": "President William Ruto welcomed the delegation. The president later visited Mombasa.",
    "two_titles": ("President William Ruto met President Yoweri Museveni in Nairobi. "
                   "The president later visited Mombasa."),
    "alliance": "NATO expanded its air patrols over the Baltic Sea. The alliance also deployed more ships to Estonia.",
    "company": "Nordlys Energy cut 500 jobs in Norway. The company also acquired Fjordkraft Solar in December.",
}


@pytest.fixture(scope="module")
def built():
    return build(TEXTS)


@pytest.mark.parametrize("doc_id, place", [("he", "Gdansk"), ("she", "Surabaya")])
def test_pronoun_refers_to_the_single_preceding_person(built, doc_id, place):
    (ev,) = built.events_of(doc_id, "Visit")
    assert {fold(x) for x in ev["location"]} == {place}
    (agent,) = ev["agent"]
    assert built.entities_of(doc_id)[agent] >= {"Person"}
    assert agent in built.extraction(doc_id).article.text.split(".")[0]


def test_pronoun_with_two_people_before_it_links_to_neither(built):
    assert built.events_of("two_people", "Visit") == []
    people = [label for label, types in built.entities_of("two_people").items() if "Person" in types]
    assert sorted(people) == ["Emmanuel Macron", "Olaf Scholz"]  # never merged into one node


def test_pronoun_too_far_from_its_person_links_to_nobody(built):
    assert built.events_of("far", "Visit") == []


def test_the_president_is_the_person_holding_that_title(built):
    (ev,) = built.events_of("title", "Visit")
    assert ev["agent"] == {"William Ruto"} and ev["location"] == {"Mombasa"}


def test_the_president_with_two_presidents_named_links_to_neither(built):
    assert built.events_of("two_titles", "Visit") == []


def test_the_alliance_is_nato(built):
    (ev,) = built.events_of("alliance", "Deployment")
    (agent,) = ev["agent"]
    assert "NATO" in built.names(agent)
    assert ev["destination"] == {"Estonia"}


def test_the_company_is_the_company_just_named(built):
    (ev,) = built.events_of("company", "Acquisition")
    assert ev["agent"] == {"Nordlys Energy"} and ev["patient"] | ev["theme"] == {"Fjordkraft Solar"}
