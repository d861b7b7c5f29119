"""Gazetteer: data integrity, lookups, demonyms and ruler patterns in a real spaCy pipeline."""

from __future__ import annotations

import pickle
import re

import pytest
import spacy
from spacy.lang.en.stop_words import STOP_WORDS

from kg import gazetteer as gz
from kg.gazetteer import GazEntry, Gazetteer, load_gazetteer
from kg.vocab import CLASSES

# Ordinary English words that are also names of cities somewhere (independent of the
# builder's own word test): none may be a city alias.
PLACE_WORDS = {
    "mobile", "reading", "nice", "split", "bath", "of", "male", "orange", "buffalo", "sale",
    "deal", "independence", "temple", "surprise", "enterprise", "paradise", "spring", "union",
    "liberty", "concord", "aurora", "march", "may", "mission", "cape", "port", "tours", "man",
    "oral", "springs", "garland", "angers", "harrow", "slough", "barking", "worthing", "erode",
}
# Frequent given names and surnames that are also cities somewhere.
PERSON_NAMES = {"mary", "douglas", "george", "henderson", "kennedy", "elizabeth", "jackson", "lincoln"}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_gazetteer_loads_from_cache_as_the_same_data(gaz: Gazetteer) -> None:
    cached = pickle.loads(pickle.dumps(gaz))
    assert cached.entries == gaz.entries
    assert load_gazetteer() is gaz  # lru_cache


def test_gazetteer_kyiv_and_kiev_are_one_city(gaz: Gazetteer) -> None:
    kyiv, kiev = gaz.lookup("Kyiv")[0], gaz.lookup("Kiev")[0]
    assert kyiv == kiev
    assert kyiv.type == "City" and kyiv.country == "UA"
    assert kyiv.geonames and kyiv.lat and 50 < kyiv.lat < 51


def test_gazetteer_region_variants(gaz: Gazetteer) -> None:
    for name in ("Kursk region", "Kursk Region", "Kursk Oblast", "kursk oblast"):
        best = gaz.lookup(name)[0]
        assert (best.id, best.name, best.type) == ("region:RU-KRS", "Kursk Oblast", "AdministrativeRegion")
    assert gaz.lookup("Kursk region")[0].parent == "country:RU"
    assert gaz.lookup("Tyva")[0] == gaz.lookup("Tuva")[0]
    assert gaz.lookup("Tuva Republic")[0].id == "region:RU-TY"


def test_gazetteer_organisations_and_hierarchy(gaz: Gazetteer) -> None:
    sbu = gaz.lookup("SBU")[0]
    assert sbu.name == "Security Service of Ukraine" and sbu.type == "GovernmentOrganization"
    assert gaz.lookup("sbu") == []  # acronyms are case-sensitive
    assert gaz.lookup("Pentagon")[0] == gaz.lookup("the Pentagon")[0]
    hur = gaz.lookup("Main Intelligence Directorate of Ukraine\u2019s Ministry of Defense")[0]
    assert hur == gaz.lookup("HUR")[0] == gaz.lookup("GUR")[0]
    chain = []
    node: GazEntry | None = hur
    while node:
        chain.append(node.id)
        node = gaz.entries.get(node.parent) if node.parent else None
    assert chain[-1] == "country:UA" and len(chain) >= 3


def test_gazetteer_countries_have_english_names(gaz: Gazetteer) -> None:
    assert gaz.lookup("Russian Federation")[0].name == "Russia"
    assert gaz.lookup("DPRK")[0].name == "North Korea"
    assert gaz.lookup("Britain")[0] == gaz.lookup("UK")[0] == gaz.lookup("United Kingdom")[0]
    assert gaz.lookup("Ukraine\u2019s")[0].id == "country:UA"
    assert not gaz.lookup("can") and not gaz.lookup("CAN")  # alpha-3 codes are not aliases


def test_gazetteer_demonyms(gaz: Gazetteer) -> None:
    assert gaz.by_demonym("North Korean").id == "country:KP"
    assert gaz.by_demonym("Russians").id == "country:RU"
    assert gaz.by_demonym("Ukrainian").id == "country:UA"
    assert gaz.by_demonym("Korean") is None  # ambiguous: not guessed
    assert gaz.by_demonym("soldiers") is None


def test_gazetteer_capitals_present(gaz: Gazetteer) -> None:
    for capital, cc in [("Pyongyang", "KP"), ("Moscow", "RU"), ("Kuwait City", "KW"),
                        ("Ulaanbaatar", "MN"), ("Bogota", "CO")]:
        assert any(e.type == "City" and e.country == cc for e in gaz.lookup(capital)), capital


def test_gazetteer_no_city_alias_is_a_common_word(gaz: Gazetteer) -> None:
    bad = {(e.id, a) for e in gaz.entries.values() if e.type == "City"
           for a in e.aliases if a.casefold() in STOP_WORDS | PLACE_WORDS | PERSON_NAMES}
    assert not bad


def test_gazetteer_ids_and_links_are_well_formed(gaz: Gazetteer) -> None:
    kinds = set(CLASSES)
    for entry in gaz.entries.values():
        assert entry.type in kinds
        assert entry.wikidata is None or re.fullmatch(r"Q\d+", entry.wikidata)
        assert entry.geonames is None or entry.geonames.isdigit()
        assert entry.parent is None or entry.parent in gaz.entries, entry.id
        assert entry.country is None or re.fullmatch(r"[A-Z]{2}", entry.country)
    # geonames ids only come from the packages: curated entries carry none
    assert all(e.geonames is None for e in gaz.entries.values() if e.id.startswith(("org:", "person:")))


def test_gazetteer_titles_and_honorifics(gaz: Gazetteer) -> None:
    assert {"president", "foreign minister", "commander-in-chief", "spokeswoman"} <= gaz.titles
    assert {"mr", "dr", "gen"} <= gaz.honorifics
    assert all(t == t.lower() for t in gaz.titles | gaz.honorifics)


def test_gazetteer_bad_data_file_is_reported(tmp_path) -> None:
    bad = tmp_path / "gazetteer.yaml"
    bad.write_text("countries: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="gazetteer.yaml"):
        gz.build_gazetteer(bad)


def test_gazetteer_patterns_tag_a_sentence(gaz: Gazetteer) -> None:
    patterns = gaz.patterns()
    assert len(patterns) < 60000
    assert not any(p["pattern"] == "X" for p in patterns)  # bare X needs context
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    doc = nlp("Investigators of the Security Service of Ukraine (SBU) questioned two North "
              "Korean soldiers captured in the Kursk region, far from the Black Sea, and "
              "Ukraine\u2019s president posted on X; the Pentagon declined to comment.")
    found = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert {
        ("Security Service of Ukraine", "ORG", "org:sbu"),
        ("SBU", "ORG", "org:sbu"),
        ("Kursk region", "GPE", "region:RU-KRS"),
        ("Black Sea", "LOC", "water:black-sea"),
        ("Ukraine", "GPE", "country:UA"),
        ("Pentagon", "ORG", "org:us-dod"),
    } <= found
    assert not any(e.text == "X" for e in doc.ents)


def test_gazetteer_every_city_variant_names_a_known_city(gaz: Gazetteer) -> None:
    import yaml

    data = yaml.safe_load(gz.DATA_FILE.read_text(encoding="utf-8"))
    for key, variants in data["cities"]["variants"].items():
        name, cc = key.split("|")
        cities = [e for e in gaz.lookup(name) if e.type == "City" and e.country == cc]
        assert cities, key
        for variant in variants:
            assert any(e.type == "City" and e.country == cc for e in gaz.lookup(variant)), variant


def test_gazetteer_eu_bodies_are_parts_of_the_union(gaz: Gazetteer) -> None:
    for name in ("Eurogroup", "European Investment Bank", "European Court of Justice", "Frontex", "Europol"):
        entry = gaz.lookup(name)[0]
        assert entry.type == "GovernmentOrganization", name
        top = entry
        while top.parent:
            top = gaz.entries[top.parent]
        assert top.id == "org:eu", name
    assert gaz.lookup("Eurostat")[0].parent == gaz.lookup("European Commission")[0].id
