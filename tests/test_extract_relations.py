"""Relations and event roles of issue 3 beyond the seed articles: organisations described by an
apposition with a possessor, "established in", a bracketed acronym before "in", a unit's
officer named in an apposition, pronoun and relative-clause subjects, datelines, sentencing.
Made-up sentences (names and topics of no example or seed article)."""

from __future__ import annotations

import pytest

from kg.vocab import KG

from extract_helpers import build

TEXTS = {
    "agency": "The hackers were linked to Iran's cyber agency, the Cyber Defence Command, researchers said.",
    "one_of": "Nordhavn Shipping, one of Denmark's largest freight firms, reported a loss on Monday.",
    "parent_unit": ("The fine was imposed by the Football Compliance Unit (FCU), the European Handball Federation's "
                    "disciplinary body, on Friday."),
    "rival": "The deal was approved by Kestrel Air, Norway's rival, on Friday.",
    "established": "The 12th Signals Regiment, which was formally established in Kaunas in 2019, moved north.",
    "acronym_in": "Her lawyer said the appeal would go to the Supreme Administrative Court (SAC) in Warsaw.",
    "unit_officer": ("Soldiers of the 7th Mountain Brigade crossed the pass on Monday. "
                     "Major Anton Weiss, the brigade's operations officer, said the crossing went well."),
    "pronoun": "The Red Cross said it was sending 40 tonnes of medical supplies to Goma.",
    "who_visits": ("The agreement was signed by Pablo Ortega, the United Nations' envoy for West Africa, "
                   "who is visiting Niamey and Bamako this week."),
    "dateline": "OSLO — Norway and Iceland signed an agreement on Tuesday to share fishing data.",
    "sentence": "The Vienna Regional Court on Friday sentenced Johann Brandt to four years in prison.",
    "from_office": "Investigators from the Lyon Prosecutor's Office accused Claire Dumas of bribery.",
    "regions": "Floods hit the Zomba, Machinga and Mangochi districts of the Eastern Region on Monday, officials said.",
    "landform": ("Astronomers used a telescope at Cerro Pachon in Chile's Namib Desert and rangers patrolled "
                 "Peru's Colca Canyon."),
}


@pytest.fixture(scope="module")
def built():
    return build(TEXTS)


def _linked(built, s, prop, o) -> bool:
    return (built.node(s), KG[prop], built.node(o)) in built.union


def test_state_agency_in_apposition_is_part_of_the_country(built):
    assert _linked(built, "Cyber Defence Command", "partOf", "Iran")


def test_one_of_a_countrys_firms_is_headquartered_there(built):
    assert _linked(built, "Nordhavn Shipping", "headquarteredIn", "Denmark")


def test_disciplinary_body_of_an_organisation_is_part_of_it(built):
    assert _linked(built, "Football Compliance Unit", "partOf", "European Handball Federation")


def test_a_rival_of_a_country_is_not_located_there(built):
    assert not _linked(built, "Kestrel Air", "headquarteredIn", "Norway")
    assert not _linked(built, "Kestrel Air", "partOf", "Norway")


def test_unit_established_in_a_city(built):
    assert _linked(built, "12th Signals Regiment", "headquarteredIn", "Kaunas")


def test_bracketed_acronym_between_court_and_city(built):
    assert _linked(built, "Supreme Administrative Court", "headquarteredIn", "Warsaw")


def test_officer_titled_before_the_name_holds_the_post_in_the_unit_of_the_apposition(built):
    assert _linked(built, "Anton Weiss", "hasPositionIn", "7th Mountain Brigade")


def test_pronoun_subject_of_a_reported_clause_is_the_speaking_organisation(built):
    ev = built.event("pronoun", "Deployment")
    (agent,) = ev["agent"]
    assert "Red Cross" in agent and ev["destination"] == {"Goma"}


def test_who_clause_after_an_apposition_has_the_person_as_agent(built):
    ev = built.event("who_visits", "Visit")
    assert ev["agent"] == {"Pablo Ortega"} and ev["location"] == {"Niamey", "Bamako"}


def test_title_apposition_leaves_out_the_relative_clause(built):
    titles = {str(built.union.value(n, KG.positionTitle)) for n in built.derived("who_visits", KG.Position)}
    assert titles and not any("visiting" in t for t in titles)


def test_dateline_city_is_not_the_subject(built):
    ev = built.event("dateline", "Agreement")
    assert ev["agent"] == {"Norway", "Iceland"}


def test_court_sentencing_a_person(built):
    ev = built.event("sentence", "Detention")
    assert ev["agent"] == {"Vienna Regional Court"} and ev["patient"] == {"Johann Brandt"}


def test_members_from_an_office_act_for_it(built):
    ev = built.event("from_office", "Accusation")
    assert ev["agent"] == {"Lyon Prosecutor's Office"} and ev["patient"] == {"Claire Dumas"}


def test_places_listed_before_districts_of_a_region_are_in_it(built):
    for town in ("Zomba", "Machinga"):
        assert _linked(built, town, "locatedIn", "Eastern Region")


def test_a_landform_after_a_country_possessive_is_located_in_it_not_a_national(built):
    for place, country in (("Namib Desert", "Chile"), ("Colca Canyon", "Peru")):
        assert _linked(built, place, "locatedIn", country)
        assert not _linked(built, place, "nationality", country)
