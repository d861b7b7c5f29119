"""Token queries from attribute arrays (kg.tokens) and the gazetteer's name index (kg.nlp.NameIndex):
the same answers as walking the Doc's tokens, on text parsed by the real pipeline."""

from __future__ import annotations

import pytest
import spacy
from spacy.attrs import IS_LOWER, LEMMA, LOWER, ORTH, POS

from kg.nlp import NameIndex, load_pipeline
from kg.tokens import positions, positions_where, strings_where

TEXT = ("On Tuesday the ministry said via Telegram that talks with Lumera Holdings had stalled. "
        "According to two officials, the company denied it; \"we said nothing,\" one told reporters.\n\n"
        "ON THE RECORD, Ms. Ortega said on X she would say more.")


@pytest.fixture(scope="module")
def doc():
    return load_pipeline()(TEXT)


def test_positions_match_a_walk_over_the_tokens(doc) -> None:
    assert positions(doc, LOWER, ("on", "via")) == [t.i for t in doc if t.lower_ in ("on", "via")]
    assert positions(doc, POS, ("PROPN",)) == [t.i for t in doc if t.pos_ == "PROPN"]
    assert positions(doc, ORTH, ("said",)) == [t.i for t in doc if t.text == "said"]
    assert len(positions(doc, ORTH, ("said",))) == 3
    assert positions(doc, ORTH, ("absent-word",)) == []


def test_positions_where_tests_each_string_once(doc) -> None:
    seen: list[str] = []

    def is_say(lemma: str) -> bool:
        seen.append(lemma)
        return lemma.lower() == "say"

    found = positions_where(doc, LEMMA, is_say)
    assert found == [t.i for t in doc if t.lemma_.lower() == "say"]
    assert len(found) == 4  # said x3, say
    assert len(seen) == len(set(seen)) == len({t.lemma_ for t in doc})


def test_strings_where_collects_flagged_words(doc) -> None:
    assert strings_where(doc, ORTH, IS_LOWER) == {t.text for t in doc if t.is_lower}


def test_helpers_accept_an_empty_doc() -> None:
    empty = spacy.blank("en")("")
    assert positions(empty, LOWER, ("on",)) == []
    assert positions_where(empty, LEMMA, str.isupper) == []
    assert strings_where(empty, ORTH, IS_LOWER) == set()


def test_name_index_matches_names_at_token_boundaries() -> None:
    index = NameIndex([
        {"label": "GPE", "pattern": "Kursk", "id": "a"},
        {"label": "GPE", "pattern": "Kursk region", "id": "b"},
        {"label": "GPE", "pattern": "Guinea-Bissau", "id": "c"},
        {"label": "ORG", "pattern": "Bank of  England", "id": "d"},  # spaces in a pattern do not matter
    ])
    nlp = spacy.blank("en")

    def found(text: str) -> list[tuple[str, str, str]]:
        return [(m.text, m.label_, m.id_) for m in index(nlp(text))]

    assert found("Troops left the Kursk region and Guinea-Bissau.") == [
        ("Kursk", "GPE", "a"), ("Kursk region", "GPE", "b"), ("Guinea-Bissau", "GPE", "c")]
    assert found("the Bank of England said") == [("Bank of England", "ORG", "d")]
    assert found("kursk Region, Kurskregion, Kursks") == []  # case-sensitive, whole tokens only
    assert found("Kursk\n\nregion") == [("Kursk", "GPE", "a")]  # never across a whitespace token
