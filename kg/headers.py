"""Header lines of plain-text articles: headline, date, byline, category, wire dateline.

A news ``.txt`` usually starts with a few lines that are not body text::

    Ukraine Captures Soldiers            <- headline
    - World News                         <- bullet metadata: category, date, byline,
    - January 11, 2025                      comment counters (dropped)
    By Jane Doe                          <- byline
    Ukraine Captures Soldiers            <- headline repeated (dropped)
    Ukrainian forces have captured ...   <- body starts here

or ``date 2025-01-11 Body text...`` (an ISO date prefix on the first line), or headline, blank
line, date line, blank line, body. :func:`parse_txt` separates these header lines from the body
and turns them into metadata; :func:`parse_date` turns a date string into ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# --- dates -----------------------------------------------------------------------------------

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    "monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu", "thur",
    "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun",
}  # fmt: skip
#: Time-zone abbreviations common in English-language news, with their UTC offsets.
TZ_OFFSETS = {
    "utc": "+00:00", "gmt": "+00:00", "z": "+00:00", "bst": "+01:00", "cet": "+01:00",
    "cest": "+02:00", "eet": "+02:00", "eest": "+03:00", "msk": "+03:00", "est": "-05:00",
    "edt": "-04:00", "cst": "-06:00", "cdt": "-05:00", "mst": "-07:00", "mdt": "-06:00",
    "pst": "-08:00", "pdt": "-07:00", "jst": "+09:00", "kst": "+09:00", "aest": "+10:00",
}  # fmt: skip
#: Words allowed on a line that is "nothing but a date" besides month and weekday names.
_DATE_FILLERS = {"at", "on", "of", "the", "am", "pm", "a", "p", "m", "t", "st", "nd", "rd", "th"}
_DATE_PREFIX = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)(?:\s+on)?|dated?)\b\s*[:\-–—]?\s*",
    re.I,
)
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)
_MDY = re.compile(r"^(?:[a-z]+\.?,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)
_DMY = re.compile(r"^(?:[a-z]+\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$", re.I)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\d\s*[ap]\.?m\b", re.I)
#: Dates outside these years are taken for misreadings, not news dates.
MIN_YEAR, MAX_YEAR = 1800, 2199
_DATEPARSER_SETTINGS = {
    "PARSERS": ["absolute-time"],  # no "yesterday", no timestamps
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "DATE_ORDER": "MDY",
    "RELATIVE_BASE": dt.datetime(2000, 1, 1),  # never read the clock
}


def parse_date(value: str) -> str | None:
    """Return ``value`` as ISO 8601 (``YYYY-MM-DD`` or a full datetime when a time is given).

    Common forms are parsed directly; others go to ``dateparser`` in English with absolute
    dates only, so the result never depends on today's date. Returns None when ``value`` has
    no complete day-month-year date or its year is outside 1800-2199.

    >>> parse_date("Jan. 11, 2025"), parse_date("Saturday, 11 January 2025 14:30 GMT")
    ('2025-01-11', '2025-01-11T14:30:00+00:00')
    """
    iso = _parse_date(value)
    if iso is None or not MIN_YEAR <= int(iso[:4]) <= MAX_YEAR:
        return None
    return iso


def _parse_date(value: str) -> str | None:
    s = " ".join(value.split()).strip(" ,.|")
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        return _from_iso_match(m)
    for rx, order in ((_MDY, "mdy"), (_DMY, "dmy")):
        m = rx.match(s)
        if m and not _HAS_TIME.search(s):
            month_s, day_s = (m[1], m[2]) if order == "mdy" else (m[2], m[1])
            month = _MONTHS.get(month_s.lower())
            if month is None:
                break
            try:
                return dt.date(int(m[3]), month, int(day_s)).isoformat()
            except ValueError:
                return None
    return _dateparser(s)


def _from_iso_match(m: re.Match[str]) -> str | None:
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m[4] is None:
            return day.isoformat()
        t = dt.time(int(m[4]), int(m[5]), int(m[6] or 0))
    except ValueError:
        return None
    out = f"{day.isoformat()}T{t.isoformat()}"
    if m[7]:
        tz = "+00:00" if m[7] == "Z" else m[7]
        if ":" not in tz:
            tz = f"{tz[:3]}:{tz[3:]}"
        out += tz
    return out


def _dateparser(s: str) -> str | None:
    import dateparser  # slow to import: only when the fast paths fail

    try:
        value = dateparser.parse(s, languages=["en"], settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError):
        return None
    if value is None:
        return None
    if not _HAS_TIME.search(s):
        return value.date().isoformat()
    if value.tzinfo is None:
        abbr = re.search(r"\b([A-Za-z]{1,4})\s*$", s)
        if abbr and abbr[1].lower() in TZ_OFFSETS:
            return value.isoformat(timespec="seconds") + TZ_OFFSETS[abbr[1].lower()]
    return value.isoformat(timespec="seconds")


def date_line(line: str) -> str | None:
    """ISO date of ``line`` when the line is essentially nothing but a date, else None.

    Accepts a ``Published:``/``Updated:``/``Date:`` prefix, weekday names, a time and a zone.
    """
    s = _DATE_PREFIX.sub("", line.strip(), count=1)
    if not s or len(s) > 64 or not re.search(r"\d", s):
        return None
    if re.search(r"[^\w\s,./:+\-()|–]", s):
        return None
    for word in re.findall(r"[A-Za-z]+", s):
        w = word.lower()
        if w not in _MONTHS and w not in _WEEKDAYS and w not in _DATE_FILLERS and w not in TZ_OFFSETS:
            return None
    if not re.search(r"\b\d{4}\b|\d{4}-\d{2}", s):
        return None
    if not re.search(r"[A-Za-z]{3}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", s):
        return None  # a month name or a numeric date, not just numbers
    return parse_date(s.replace("|", " "))


# --- header lines ------------------------------------------------------------------------------

#: "date 2025-01-11 Body..." on the first line: an ISO date, then possibly body text.
_DATE_FIRST = re.compile(
    r"^date\s*[:=]?\s*(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)(?:\s+|$)(.*)$",
    re.I,
)
_BULLET = re.compile(r"^[-*•·–]\s+(.+)$")
_BYLINE = re.compile(r"^(?:by|written by|words by)\s+(.+)$", re.I)
_KEY_VALUE = re.compile(
    r"^(title|headline|date|published|updated|posted|source|publisher|outlet|category|section|"
    r"topic|author|authors|byline|writer|url|link)\s*:\s*(.+)$",
    re.I,
)
_KEYS = {
    "title": "title", "headline": "title", "date": "date", "published": "date",
    "updated": "date", "posted": "date", "source": "source", "publisher": "source",
    "outlet": "source", "category": "category", "section": "category", "topic": "category",
    "author": "author", "authors": "author", "byline": "author", "writer": "author",
    "url": "url", "link": "url",
}  # fmt: skip
#: Page furniture that sometimes survives into saved text: comment counters, share buttons.
_NOISE = re.compile(
    r"^(?:no|\d+)\s+comments?$|^comments?(?:\s*\(\d+\))?$|^leave a comment$|^share(?: this)?$|"
    r"^print$|^email$|^\d+\s*min(?:ute)?s?\s+read$|^advertisement$|^read more$|"
    r"^(?:(?:updated|published|posted)\s+)?\d+\s+(?:minutes?|mins?|hours?|hrs?|days?)\s+ago$",
    re.I,
)
#: Wire dateline at the start of a body: "KYIV, Jan 12 (Reuters) -", "WASHINGTON (AP) —",
#: "LONDON, January 12, 2025 /PRNewswire/ --".
_WIRE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+)*(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)*)?)"
    r",?\s+(?:(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?),?\s+)?"
    r"(?:\((?P<agency>[A-Za-z][\w .&'\-]{0,40})\)|/(?P<wire>[A-Za-z][\w .&'\-]{0,40})/)\s*[-–—]+\s*"
)
#: Agencies usually cited by abbreviation in datelines.
AGENCIES = {"AP": "Associated Press", "AFP": "Agence France-Presse", "UPI": "United Press International"}
_MAX_TITLE_WORDS = 30
_FALLBACK_TITLE_CHARS = 120


@dataclass
class TxtParts:
    """A plain-text article split into metadata and body."""

    body: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None
    category: str | None = None
    url: str | None = None
    title_from_body: bool = False  # no headline: title is the body's first sentence


def _meta_line(line: str) -> tuple[str, str | None] | None:
    """Classify one header line: (field, value) or ("noise", None); None for other lines."""
    s = line.strip()
    if _NOISE.match(s):
        return ("noise", None)
    kv = _KEY_VALUE.match(s)
    if kv:
        field, value = _KEYS[kv[1].lower()], kv[2].strip()
        if field == "date":
            return ("date", parse_date(value) or date_line(value))
        return (field, value)
    iso = date_line(s)
    if iso:
        return ("date", iso)
    by = _BYLINE.match(s)
    if by and _looks_like_name(by[1]):
        return ("author", by[1].strip(" ,;|"))
    bullet = _BULLET.match(s)
    if bullet:
        inner = bullet[1].strip()
        found = _meta_line(inner)
        if found:
            return found
        if len(inner.split()) <= 5 and not re.search(r"[.!?:;]$", inner):
            return ("category", inner)
    return None


def _looks_like_name(s: str) -> bool:
    s = s.strip()
    return bool(s) and s[0].isupper() and len(s) <= 80 and len(s.split()) <= 12 and not s.endswith(".")


def _norm(s: str) -> str:
    return " ".join(re.sub(r"\W+", " ", s.casefold()).split())


def _looks_like_headline(line: str, next_line: str | None) -> bool:
    s = line.strip()
    if len(s.split()) > _MAX_TITLE_WORDS or len(s) > 250:
        return False
    if next_line is not None and _meta_line(next_line) is not None:
        return True
    if next_line is not None and _norm(next_line) == _norm(s):
        return True
    return not re.search(r"[.,;:]['\"”’)\]]?$", s)


def parse_txt(text: str) -> TxtParts:
    """Split a normalised plain-text article into header metadata and body text.

    Header lines (headline, bullet metadata, date line, byline, ``Key: value`` lines, a repeated
    headline) are taken out of the body. Without a headline the title is the body's first
    sentence, cut to about 120 characters. Without a date line a wire dateline at the start of
    the body gives the date (when it has a year) and the agency as source; the dateline itself
    stays in the body.
    """
    lines = text.split("\n")
    parts = TxtParts(body="")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines):
        m = _DATE_FIRST.match(lines[i].strip())
        if m:
            parts.date = parse_date(m[1])
            if m[2].strip():
                lines[i] = m[2]
            else:
                i += 1
    while i < len(lines):
        s = lines[i].strip()
        if not s:
            i += 1
            continue
        found = _meta_line(s)
        if found is not None:
            field, value = found
            if field != "noise" and value and getattr(parts, field) is None:
                setattr(parts, field, value)
            i += 1
            continue
        if parts.title is not None and _norm(s) == _norm(parts.title):
            i += 1
            continue
        if parts.title is None and _looks_like_headline(s, _next_nonblank(lines, i + 1)):
            parts.title = " ".join(s.split())
            i += 1
            continue
        break
    body = "\n".join(lines[i:]).strip()
    if not body and parts.title:
        body = parts.title  # a headline alone is still text worth reading
    parts.body = body
    wire = _WIRE.match(body[:300])
    if wire:
        if parts.date is None and wire["date"] and re.search(r"\d{4}", wire["date"]):
            parts.date = parse_date(wire["date"])
        agency = (wire["agency"] or wire["wire"] or "").strip()
        if parts.source is None and agency:
            parts.source = AGENCIES.get(agency, agency)
    if parts.title is None and body:
        parts.title = first_sentence_title(body[wire.end() :] if wire else body)
        parts.title_from_body = True
    return parts


def _next_nonblank(lines: list[str], start: int) -> str | None:
    for line in lines[start:]:
        if line.strip():
            return line.strip()
    return None


_ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b[A-Z](?:\.[A-Z])+|\bNo|\bvs|\betc)\.$")


def first_sentence_title(body: str, limit: int = _FALLBACK_TITLE_CHARS) -> str:
    """The first sentence of ``body`` on one line, cut at a word boundary to about ``limit`` chars."""
    para = " ".join(body.strip().split("\n", 1)[0][:2000].split())
    end = len(para)
    for m in re.finditer(r"[.!?]['\"”’)]*(?=\s+['\"“‘(]?[A-Z0-9]|$)", para):
        if m.group().startswith(".") and _ABBREV.search(para[: m.start() + 1]):
            continue
        end = m.end()
        break
    sentence = para[:end].strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"
