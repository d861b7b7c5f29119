"""Dates normalised relative to the article date (issue 3): kg.timex on its own, then the
event dates a build writes (xsd:date) for sentences of an article published on 2025-01-11."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import XSD

from kg.timex import normalise, parse_article_date

from extract_helpers import ARTICLE_DATE, build

REF = dt.date(2025, 1, 11)  # a Saturday


@pytest.mark.parametrize("expr, expected", [
    ("on 23 October", "2024-10-23"),  # news reports the past: last October, not next
    ("October 23", "2024-10-23"),
    ("on 1 January", "2025-01-01"),
    ("on Thursday", "2025-01-09"),  # the latest Thursday on or before the article date
    ("on Saturday", "2025-01-11"),  # the publication day itself
    ("last Saturday", "2025-01-04"),  # "last" never means today
    ("yesterday", "2025-01-10"),
    ("three days ago", "2025-01-08"),
    ("in November", "2024-11"),  # month only: YYYY-MM, the latest such month
    ("in January", "2025-01"),
    ("last month", "2024-12"),
    ("last year", "2024"),
    ("on 4 March 2019", "2019-03-04"),  # explicit years kept
    ("March 2014", "2014-03"),
    ("in 2019", "2019"),
])
def test_timex_normalises_relative_to_the_article_date(expr, expected):
    assert normalise(expr, REF) == expected


@pytest.mark.parametrize("expr", ["last week", "two weeks ago", "recent years", "the past decade"])
def test_timex_gives_no_date_for_spans_that_are_not_one_day_month_or_year(expr):
    assert normalise(expr, REF) is None


def test_timex_needs_the_article_date_for_relative_expressions():
    assert normalise("on Thursday", None) is None
    assert normalise("on 23 October", None) is None
    assert normalise("on 4 March 2019", None) == "2019-03-04"
    assert parse_article_date("2025-01-11T08:30:00Z") == REF


TEXTS = {
    "weekday": "Chancellor Olaf Scholz met Prime Minister Fumio Kishida in Tokyo on Thursday.",
    "daymonth": "The European Union sanctioned Belarus on 23 October over the border crisis.",
    "newyear": "Japan signed a defence pact with Australia on 1 January.",
    "fullyear": "Peru and Chile signed a fisheries treaty in Lima on 4 March 2019.",
    "month": "Russia annexed Crimea in March 2014.",
    "week": "Germany deployed troops to Lithuania last week.",
    "datetime": "Kenyan soldiers captured the rebel leader Joseph Otieno near Kismayo on Tuesday.",
}


@pytest.fixture(scope="module")
def built():
    return build(TEXTS, dates={"datetime": "2025-01-11T08:30:00+03:00"})


def _event_date(built, doc_id):
    (ev,) = built.events(doc_id)
    return ev["date"]


@pytest.mark.parametrize("doc_id, expected", [
    ("weekday", "2025-01-09"), ("daymonth", "2024-10-23"), ("newyear", "2025-01-01"), ("fullyear", "2019-03-04"),
    ("datetime", "2025-01-07"),  # an article dated with a time of day is still a reference
])
def test_event_date_is_an_xsd_date_relative_to_the_article(built, doc_id, expected):
    date = _event_date(built, doc_id)
    assert date is not None and date.datatype == XSD.date and str(date) == expected
    assert built.extraction(doc_id).article.date.startswith(ARTICLE_DATE)


def test_month_only_event_keeps_year_and_month_but_claims_no_day(built):
    (ev,) = built.extraction("month").events
    assert ev.type == "Annexation" and ev.date == "2014-03"
    assert _event_date(built, "month") is None  # kg:eventDate is a full xsd:date or nothing


def test_vague_period_gives_the_event_no_date(built):
    (ev,) = built.extraction("week").events
    assert ev.type == "Deployment" and ev.date is None
    assert _event_date(built, "week") is None
