"""Normalise date expressions to ISO dates relative to the article's publication date.

News reports the past: a weekday or a day-month without a year is the latest such day
on or before the publication date ("on Saturday", "on 23 October" in an article of
2025-01-11 -> 2025-01-11, 2024-10-23). Month-only expressions give ``YYYY-MM``.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?(?:,?\s+(\d{4}))?\b")
_MONTH_DAY = re.compile(r"\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_MONTH_YEAR = re.compile(r"^(?:in\s+|early\s+|late\s+|mid-?)?([a-z]{3,9})\.?(?:\s+(\d{4}))?$")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")  # also inside "2025-01-11T08:30Z"
_YEAR = re.compile(r"^(?:in\s+)?(\d{4})$")


def parse_article_date(value: str | None) -> dt.date | None:
    """The date part of an ISO date/datetime string."""
    if not value:
        return None
    m = _ISO.search(value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _past(year: int, month: int, day: int, ref: dt.date) -> dt.date | None:
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    if d > ref + dt.timedelta(days=7):
        try:
            d = dt.date(year - 1, month, day)
        except ValueError:
            return None
    return d


def normalise(text: str, ref: dt.date | None) -> str | None:
    """ISO value (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) of a date expression, or None."""
    t = text.lower().strip().strip(".,")
    relative = _relative(t, ref) if ref is not None else None
    if relative is not None:
        return relative
    t = re.sub(r"^(on|last|this|since|by|until|from|as of)\s+", "", t)
    m = _ISO.search(t)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    for rx, day_first in ((_DAY_MONTH, True), (_MONTH_DAY, False)):
        m = rx.search(t)
        if m:
            day, mon = (m[1], m[2]) if day_first else (m[2], m[1])
            month = MONTHS.get(mon)
            if month is None:
                continue
            if m[3]:
                try:
                    return dt.date(int(m[3]), month, int(day)).isoformat()
                except ValueError:
                    return None
            if ref is None:
                return None
            d = _past(ref.year, month, int(day), ref)
            return d.isoformat() if d else None
    if ref is not None:
        if t in ("today", "tonight", "this morning", "this afternoon", "this evening"):
            return ref.isoformat()
        if t in ("yesterday", "last night"):
            return (ref - dt.timedelta(days=1)).isoformat()
        wd = WEEKDAYS.get(t.split()[0]) if t else None
        if wd is not None and len(t.split()) <= 2:
            return (ref - dt.timedelta(days=(ref.weekday() - wd) % 7)).isoformat()
    m = _MONTH_YEAR.match(t)
    if m and MONTHS.get(m[1]):
        month = MONTHS[m[1]]
        if m[2]:
            return f"{int(m[2]):04d}-{month:02d}"
        if ref is not None:
            year = ref.year if month <= ref.month else ref.year - 1
            return f"{year:04d}-{month:02d}"
    m = _YEAR.match(t)
    if m:
        return m[1]
    return None


_AGO = re.compile(r"^(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\s+(day|week|month|year)s?\s+ago$")
_SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}


def _relative(t: str, ref: dt.date) -> str | None:
    """ "last month", "this year", "three days ago", "last Tuesday" (strictly before the reference)."""
    t = re.sub(r"^(?:earlier|later)\s+", "", t)
    if t in ("last month", "this month", "last year", "this year"):
        back = t.startswith("last")
        if t.endswith("year"):
            return f"{ref.year - back:04d}"
        year, month = (ref.year, ref.month - 1) if back else (ref.year, ref.month)
        if month == 0:
            year, month = year - 1, 12
        return f"{year:04d}-{month:02d}"
    words = t.split()
    if len(words) == 2 and words[0] == "last" and words[1] in WEEKDAYS:
        # "last Tuesday" in an article of a Tuesday is a week earlier, never the same day
        return (ref - dt.timedelta(days=(ref.weekday() - WEEKDAYS[words[1]] - 1) % 7 + 1)).isoformat()
    m = _AGO.match(t)
    if m:
        n = int(m[1]) if m[1].isdigit() else _SMALL.get(m[1], 1)
        if m[2] == "day":
            return (ref - dt.timedelta(days=n)).isoformat()
        if m[2] == "week":
            return None  # a week is not a date
        if m[2] == "year":
            return f"{ref.year - n:04d}"
        months = ref.year * 12 + ref.month - 1 - n
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    return None
