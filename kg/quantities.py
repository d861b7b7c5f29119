"""Quantities with unit and qualifier: "about 12,000 North Korean military personnel",
"10,000 to 12,000 soldiers", "over 40% of the 984 square kilometers", "US$5 billion"."""

from __future__ import annotations

import re

from spacy.tokens import Span

from kg.context import ArticleContext
from kg.records import Provenance, Quantity

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100, "thousand": 1000, "a thousand": 1000,
}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "bn": 1e9, "m": 1e6, "k": 1e3}
QUALIFIERS = (
    "more than", "less than", "fewer than", "at least", "at most", "up to", "as many as",
    "nearly", "almost", "about", "around", "approximately", "roughly", "some", "over", "under",
    "just over", "just under", "an estimated", "estimated", "close to", "upwards of",
)
QUALIFIER_WORDS = frozenset(w for q in QUALIFIERS for w in q.split()) | {"between", "and", "to", "-", "\u2013"}
_QUAL = re.compile(r"^(" + "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True)) + r")\s+", re.I)
_RANGE = re.compile(r"^(?:between\s+)?(.+?)\s+(?:to|and|-|\u2013)\s+(.+)$", re.I)
_NUM = re.compile(r"([\d][\d,.]*)\s*(%|percent|per cent)?\s*(hundred|thousand|million|billion|trillion|bn|m|k)?\b", re.I)
CURRENCY = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
LABELS = ("CARDINAL", "QUANTITY", "PERCENT", "MONEY")


def parse_number(text: str) -> float | None:
    """Numeric value of "12,000", "5 billion", "a thousand", "40%"."""
    t = text.lower().strip()
    for sym in sorted(CURRENCY, key=len, reverse=True):
        t = t.replace(sym, "")
    t = t.strip()
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    m = _NUM.search(t)
    if not m:
        words = t.split()
        if words and words[0] in NUMBER_WORDS:
            val = float(NUMBER_WORDS[words[0]])
            for w in words[1:]:
                val *= SCALES.get(w, 1)
            return val
        return None
    raw = m[1].rstrip(".,")
    try:
        val = float(raw.replace(",", ""))
    except ValueError:
        return None
    if m[3]:
        val *= SCALES[m[3].lower()]
    return val


def quantities(ctx: ArticleContext) -> list[Quantity]:
    """Quantities of one article, each with the mentions it counts or measures."""
    doc = ctx.doc
    out = []
    ents = [e for e in doc.ents if e.label_ in LABELS]
    i = 0
    while i < len(ents):
        ent = ents[i]
        span = ent
        # "10,000 to 12,000" comes as two CARDINALs joined by "to"
        if i + 1 < len(ents) and ents[i + 1].label_ == ent.label_:
            gap = ctx.text[ent.end_char:ents[i + 1].start_char]
            if re.fullmatch(r"\s*(to|-|\u2013|and)\s*", gap):
                span = doc[ent.start:ents[i + 1].end]
                i += 1
        i += 1
        q = _quantity(ctx, span)
        if q is not None:
            out.append(q)
    return out


def _quantity(ctx: ArticleContext, span: Span) -> Quantity | None:
    doc = ctx.doc
    text = span.text
    # qualifier may sit just before the entity ("over 40%") or inside it ("about 12,000")
    before = ctx.text[max(span.sent.start_char, span.start_char - 20):span.start_char].lower()
    qualifier = None
    m = _QUAL.match(text)
    if m:
        qualifier, text = m[1].lower(), text[m.end():]
    else:
        for q in sorted(QUALIFIERS, key=len, reverse=True):
            if before.rstrip().endswith(" " + q) or before.rstrip() == q:
                qualifier = q
                break
    lo = hi = value = None
    rng = _RANGE.match(text)
    if rng and parse_number(rng[1]) is not None and parse_number(rng[2]) is not None:
        lo, hi = parse_number(rng[1]), parse_number(rng[2])
    else:
        value = parse_number(text)
    if value is None and lo is None:
        return None
    if value is not None and value < 2 and span.label_ == "CARDINAL":
        return None
    # unit: the noun the number counts ("soldiers", "square kilometers") or % / currency
    unit = None
    low = span.text.lower()
    if span.label_ == "PERCENT" or "%" in low or "percent" in low:
        unit = "percent"
    elif span.label_ == "MONEY":
        unit = next((code for sym, code in CURRENCY.items() if sym in low), None) or "money"
    if unit is None and span.label_ == "QUANTITY":
        # "984 square kilometers", "3 tonnes": the unit is inside the entity, after the number
        words = [t.text for t in span if not (t.like_num or t.lower_ in SCALES or t.lower_ in QUALIFIER_WORDS)]
        unit = " ".join(words) or None
    root = span.root
    head = root.head if root.dep_ in ("nummod", "quantmod", "compound") else None
    of: list[int] = []
    if head is not None and head.pos_ in ("NOUN", "PROPN") and head.i >= span.end:
        mods = [t for t in head.lefts if t.i >= span.end and t.dep_ in ("compound", "amod")]
        unit = unit or " ".join([t.text for t in mods if not ctx.mention_at(t) is not None] + [head.text]).strip()
        k = ctx.mention_at(head)
        if k is not None:
            of.append(k)  # "12,000 North Korean troops": the group itself
        else:
            # "500 Wagner fighters": a named modifier, but not a bare nationality ("Syrian")
            of.extend(j for j in ctx.mentions_in(doc[span.end:head.i + 1]) if ctx.mentions[j].source != "demonym")
        if not of:
            # "15,000 members of the Teamsters union"
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    j = ctx.head_mention(pobj)
                    if j is not None and ctx.mentions[j].source != "demonym":
                        of.append(j)
    elif unit is None and span.label_ == "CARDINAL":
        return None  # a bare number ("the first two") is not a useful quantity
    s, e = span.start_char, (head.idx + len(head)) if head is not None and head.i >= span.end else span.end_char
    if qualifier and before.rstrip().endswith(qualifier):
        s = span.start_char - (len(before) - before.rfind(qualifier))
    qtext = ctx.text[s:e]
    conf = 0.8 if unit else 0.6
    return Quantity(text=qtext, value=value, min_value=lo, max_value=hi, unit=unit, qualifier=qualifier,
                    prov=Provenance(span.sent.text.strip(), s, e, "number-" + span.label_.lower(), conf), of=of)
