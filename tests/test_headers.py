"""Tests for kg.headers: date strings, date lines and plain-text header parsing."""

from __future__ import annotations

import pytest

from kg.headers import date_line, first_sentence_title, parse_date, parse_txt


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("January 11, 2025", "2025-01-11"),
        ("11 January 2025", "2025-01-11"),
        ("2025-01-11", "2025-01-11"),
        ("Jan. 11, 2025", "2025-01-11"),
        ("Sept. 7, 2005", "2005-09-07"),
        ("Saturday, January 11, 2025", "2025-01-11"),
        ("Saturday, 11 January 2025 14:30 GMT", "2025-01-11T14:30:00+00:00"),
        ("11th of January, 2025", "2025-01-11"),
        ("January 11, 2025 at 2:30 pm EST", "2025-01-11T14:30:00-05:00"),
        ("2025-01-11T14:30:00Z", "2025-01-11T14:30:00+00:00"),
        ("2025-01-11 09:05", "2025-01-11T09:05:00"),
        ("2024-02-15T08:30:00+0100", "2024-02-15T08:30:00+01:00"),
    ],
)
def test_headers_parse_date_formats(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["January 2025", "Jan 12", "2025-02-30", "yesterday", "No Comment", "", "0001-01-01", "1(1(1"])
def test_headers_parse_date_rejects_incomplete_or_relative(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("November 24, 2004", "2004-11-24"),
        ("Published: 11 January 2025", "2025-01-11"),
        ("Updated on Jan. 12, 2025 | 10:00 UTC", "2025-01-12T10:00:00+00:00"),
        ("Date: 2025-01-11", "2025-01-11"),
        ("The summit ends on January 11, 2025", None),  # a sentence that contains a date
        ("Kursk, January 11, 2025", None),
        ("2025 was a year of change", None),
        ("date0001(1(1", None),
        ("2025 (1) 12", None),
    ],
)
def test_headers_date_line_only_when_the_line_is_a_date(line, iso):
    assert date_line(line) == iso


def test_headers_parse_txt_keeps_body_lines_that_look_like_metadata():
    parts = parse_txt("Budget Passes\n\nBy the end of March, the budget had passed.\n- a list item in the body\n")
    assert parts.title == "Budget Passes"
    assert parts.author is None
    assert parts.body == "By the end of March, the budget had passed.\n- a list item in the body"


def test_headers_parse_txt_category_and_repeated_headline():
    parts = parse_txt("Dam Opens\n- Science\n- Jan 3, 2024\n- No Comments\nDam Opens\nThe dam opened.")
    assert (parts.title, parts.category, parts.date, parts.body) == ("Dam Opens", "Science", "2024-01-03", "The dam opened.")
    assert not parts.title_from_body


def test_headers_parse_txt_headline_only_is_also_the_body():
    parts = parse_txt("Dam Opens In Wales")
    assert (parts.title, parts.body) == ("Dam Opens In Wales", "Dam Opens In Wales")


def test_headers_first_sentence_title_skips_abbreviations():
    body = "Gen. Smith met U.S. envoys in St. Louis on Monday. They talked."
    assert first_sentence_title(body) == "Gen. Smith met U.S. envoys in St. Louis on Monday."


def test_headers_parse_txt_key_value_header_block():
    parts = parse_txt(
        "Title: Bridge Reopens\nDate: January 11, 2025\nSource: Example News\nUpdated 2 hours ago\n"
        "URL: https://example.org/bridge\n\nThe bridge reopened on Saturday."
    )
    assert (parts.title, parts.date, parts.source, parts.url) == (
        "Bridge Reopens", "2025-01-11", "Example News", "https://example.org/bridge"
    )
    assert parts.body == "The bridge reopened on Saturday."
