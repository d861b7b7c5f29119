"""Named mentions from a parsed Doc: typed, cleaned, junk removed, variants keyed.

Pure functions over spaCy Docs. The statistical NER proposes spans; gazetteer matches
fix their type; rules drop junk (Title Case headline fragments, credits, boilerplate,
common-word phrases), retype by cue words (products and market indexes, companies named
after their kind or with a legal form, sites named after a place), add what the model
misses (people after titles, platforms after "on", companies next to their kind, products
of a known maker), and key short forms (surnames, acronyms, shortened organisation names)
to the full name used in the same article. Mentions typed by a cue word carry source
"cue", which outvotes the model in resolution.
"""

from __future__ import annotations

import re
from typing import Iterable

from spacy.attrs import IS_LOWER, LOWER, ORTH, POS
from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer
from kg.lexicon import (
    ARMED_FORCES_NOUNS, BOILERPLATE, COMPANY_VERBS, COMPANY_WORDS, COMPASS_WORDS, CORPORATE_SUFFIXES,
    EVENT_HEADS, FACILITY_HEADS, GOVERNMENT_HEADS, INDEX_WORDS, LABEL_TYPES, LOCATION_TYPES, MILITARY_HEADS,
    NAME_PARTICLES, ORG_APPOSITION_NOUNS, ORG_HEADS, ORG_KIND_NOUNS, ORG_TITLE_WORDS, ORG_TYPES,
    ORG_UNIT_NOUNS, PEOPLE_NOUNS, PLACE_NAME_HEADS, PLACE_WORDS, PRODUCT_KIND_NOUNS, PRODUCT_NOUNS,
    SITE_HEADS, SUBUNIT_NOUNS, TITLE_WORDS, UNIT_ACRONYMS, WEEKDAYS_MONTHS,
)
from kg.names import clean_surface, fold, is_common_word, name_key, singular
from kg.records import Mention, Provenance, Relation
from kg.tokens import positions, strings_where

# "(Reporting by Jane Doe; Editing by John Roe)" and similar credit lines.
CREDIT = re.compile(
    r"\((?:additional\s+)?(?:reporting|writing|editing|compiled|photos?|video)\b[^)]*\)"
    r"|^(?:additional\s+)?(?:reporting|writing|editing)\s+by\b.*$",
    re.I | re.M,
)
# Prepositions after which a single unknown name is a place, not a person ("in Ravenna").
SPATIAL_PREPS = frozenset({"in", "near", "outside", "across", "into", "from", "around", "at"})
# Platforms named after "on" ("posted on X", "wrote on Telegram").
PLATFORM_PREP = frozenset({"on", "via"})
# Words that precede a person's name in a title phrase but are not titles themselves.
_TRIM_POS = frozenset({"VERB", "AUX", "ADV", "PRON", "SCONJ", "CCONJ", "INTJ", "DET", "ADP", "PART", "NUM", "PUNCT"})
_REGION_SUFFIX = re.compile(r"\s+(?:border\s+)?(?:region|oblast|province|area|krai|district)$", re.I)


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of reporting credits, which never yield entities."""
    return [m.span() for m in CREDIT.finditer(text)]


def _overlaps(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in ranges)


def _trim(span: Span, keep_first_propn: bool) -> Span | None:
    """Drop leading function words and capitalised common verbs ("Arrest North Korean")."""
    start = span.start
    while start < span.end:
        tok = span.doc[start]
        if tok.pos_ in _TRIM_POS or tok.lower_ in ("the", "a", "an"):
            start += 1
        elif tok.lower_ in WEEKDAYS_MONTHS or tok.lower_ in BOILERPLATE and not keep_first_propn:
            start += 1
        else:
            break
    end = span.end
    while end > start and (span.doc[end - 1].pos_ == "PUNCT" or span.doc[end - 1].tag_ == "POS"):
        end -= 1
    return span.doc[start:end] if end > start else None


def _is_acronym(text: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", text)
    return 2 <= len(letters) <= 8 and letters.isupper()


def _initials(text: str) -> str:
    """ "Médecins Sans Frontières" -> "MSF" (capitalised words only)."""
    return "".join(w[0] for w in re.findall(r"[^\W\d_][\w'-]*", text) if w[0].isupper()).upper()


def _short_form(text: str) -> bool:
    """An abbreviation given in brackets: "SBU", "BaFin", "Africa CDC"."""
    return len(text.split()) <= 3 and sum(c.isupper() for c in text) >= 2 and len(text) <= 20


def _org_head(text: str) -> str | None:
    words = fold(text).replace("-", " ").split()
    for w in reversed(words):
        if w in ORG_HEADS:
            return w
    return None


def _all_common(text: str, gaz: Gazetteer | None = None, threshold: float = 4.8) -> bool:
    """Every word is very frequent English and none is a known name ("Local Language", not "Air France")."""
    words = re.findall(r"[A-Za-z]+", text)
    if gaz is not None and any(gaz.lookup(w) for w in words if w[:1].isupper()):
        return False
    return bool(words) and all(is_common_word(w, threshold) or w.lower() in TITLE_WORDS for w in words)


def _org_subtype(text: str) -> str:
    words = set(fold(text).replace("-", " ").split())
    if words & MILITARY_HEADS:
        return "MilitaryUnit"
    if words & GOVERNMENT_HEADS:
        return "GovernmentOrganization"
    return "Organization"


def _is_junk(text: str, type_: str, from_gazetteer: bool, gaz: Gazetteer | None = None) -> bool:
    low = fold(text)
    if not re.search(r"[^\W\d_]", text):
        return True
    if from_gazetteer:
        return False
    if len(text) < 2 or low in WEEKDAYS_MONTHS or low in BOILERPLATE:
        return True
    if all(w in BOILERPLATE or w in WEEKDAYS_MONTHS for w in low.split()):
        return True
    if text == text.lower() and type_ != "Group":
        return True
    words = low.replace("-", " ").split()
    if low in UNIT_ACRONYMS:
        return True  # "GB" of "GB# 20 billion" is a currency, whatever the model says
    if type_ == "Person":
        return all(w in TITLE_WORDS or is_common_word(w, 5.5) for w in words)
    if type_ in ORG_TYPES:
        if "," in text and " of " not in text and _all_common(text, gaz, 3.5):
            return True  # "Maintenance, Repair and Overhaul": a list of activities
        return not _is_acronym(text) and not _org_head(text) and _all_common(text, gaz)
    if type_ in LOCATION_TYPES:
        if len(words) == 2 and words[0] in COMPASS_WORDS and words[1] in ("region", "province", "district"):
            return False  # "the Southern Region", "Eastern Province": capitalised, a proper name
        return _all_common(text, gaz) and len(words) > 1
    return False


_VERSION = re.compile(r"v?\d+(?:\.\d+)+")
_I_NAME = re.compile(r"i[A-Z][a-z]")  # "iPod", "iPhone", "iCloud"


def _thing_cue(span: Span, end: int, gaz: Gazetteer) -> str | None:
    """ "Other" for a market index, "Product" for a product named by a cue word; None otherwise.

    ``end`` is where the name ended before a trailing model number was cut off ("Trent 900")."""
    doc = span.doc
    words = clean_surface(span.text).split()
    if not words or _org_head(" ".join(words)) or _plain(words[-1]) in CORPORATE_SUFFIXES \
            or _plain(words[-1]) in EVENT_HEADS or _plain(words[-1]) in PLACE_NAME_HEADS:
        return None
    i = end
    while i < len(doc) and (doc[i].like_num or doc[i].text in "-\u2013"
                            or doc[i].lower_ in ("stock", "market", "share")):
        i += 1
    after = doc[i] if i < len(doc) else None
    if fold(words[-1]) in INDEX_WORDS or after is not None and after.lower_ in INDEX_WORDS:
        return "Other"
    if any(_VERSION.fullmatch(t.text) for t in doc[span.end:min(end + 1, len(doc))]):
        return "Product"  # "iPod Software 1.1.1", "Mac OS X 10.4"
    if _I_NAME.match(words[0]):
        return "Product"
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ in PRODUCT_KIND_NOUNS and prev.pos_ == "NOUN":
        return "Product"  # "the web browser Safari"
    if len(words) >= 2 and i > span.end and after is not None and after.lower_ in PRODUCT_NOUNS:
        return "Product"  # "Trent 900 engines"; a maker's name ("Toyota cars") has no number after it
    return _maker_model(words, gaz)


#: Legal forms after a company name (the corporate suffixes but "group" and "holding").
LEGAL_FORMS = CORPORATE_SUFFIXES - {"group", "holding", "holdings"}


def _maker(span: Span, gaz: Gazetteer):
    """The known company opening a product's name, with its gazetteer entry ("Intel" of "Intel Core Duo")."""
    for k in range(1, len(span)):
        found = [e for e in gaz.lookup(clean_surface(span[:k].text)) if e.type in ORG_TYPES]
        if found:
            return span[:k], found[0]
    return None


def _plain(word: str) -> str:
    """ "N.V." -> "nv", "Inc." -> "inc"."""
    return fold(word).replace(".", "")


def _maker_model(words: list[str], gaz: Gazetteer) -> str | None:
    """ "Chrysler Aspen", "Rolls-Royce Trent": a known company's name, then a model name."""
    for n in range(1, len(words)):
        maker = [e for e in gaz.lookup(" ".join(words[:n])) if e.type in ORG_TYPES]
        if not maker:
            continue
        rest = words[n:]
        text = " ".join(rest)
        if any(_plain(w) in TITLE_WORDS or _plain(w) in CORPORATE_SUFFIXES
               or not w[:1].isupper() and not w[:1].isdigit() for w in rest) \
                or gaz.lookup(text) or gaz.is_place_name(text) or gaz.by_demonym(text) \
                or rest[-1] in SITE_HEADS or rest[-1] in PLACE_WORDS:
            return None  # "Boeing Field" is a place
        return "Product"
    return None


def _with_possessor(span: Span, gaz: Gazetteer) -> Span:
    """ "Boeing's Launch Systems": a unit named with common words only is named with its owner."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].tag_ != "POS" or not _unit_words(span):
        return span
    owner = doc[span.start - 2]
    entry = gaz.entries.get(owner.ent_id_) if owner.ent_id_ else None
    if owner.ent_type_ != "ORG" and (entry is None or entry.type not in ORG_TYPES):
        return span
    start = owner.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    return doc[start:span.end]


def _unit_words(span: Span) -> bool:
    """Two or more common words ("Launch Systems"), not one ("Fishermen's Association")."""
    return len(span.text.split()) >= 2 and _all_common(span.text, None, 4.0)


def _owner(span: Span) -> Span | None:
    """The owner in one name "Boeing's Launch Systems" (the rest common words), else None."""
    for tok in span[1:-1]:
        if tok.tag_ == "POS":
            owner, rest = span.doc[span.start:tok.i], span.doc[tok.i + 1:span.end]
            if all(t.is_title or t.is_upper for t in owner) and not _all_common(owner.text) and _unit_words(rest):
                return owner
            return None
    return None


def _facility(ent: Span) -> Span | None:
    """ "Everett Factory", "Heathrow airport": the place name and the site word after it."""
    doc = ent.doc
    if ent.end >= len(doc):
        return None
    nxt = doc[ent.end]
    if nxt.text in FACILITY_HEADS or nxt.text == "airport":
        return doc[ent.start:ent.end + 1]
    return None


def _kind_before(span: Span) -> bool:
    """The kind of organisation comes right before the name ("carmaker Opel"), or before it
    as an apposition that ends with the name ("its European division, Opel.")."""
    doc = span.doc
    if span.start < 2:
        return False
    prev = doc[span.start - 1]
    kind = doc[span.start - 2] if prev.text == "," else prev
    if not (kind.lower_ in ORG_KIND_NOUNS or kind.lower_ in ORG_UNIT_NOUNS) or not kind.is_lower or kind.pos_ != "NOUN":
        return False
    # "at the bank, John said": no apposition unless the name ends the phrase
    return prev.text != "," or span.end == len(doc) or doc[span.end].is_punct


def _kind_after(span: Span) -> bool:
    """ "the Old Mutual insurance company": the kind of organisation follows the name."""
    doc = span.doc
    j = span.end
    if j + 1 < len(doc) and doc[j].is_lower and doc[j].pos_ == "NOUN" and doc[j].lower_ not in ORG_KIND_NOUNS:
        j += 1  # "insurance"
    return j < len(doc) and doc[j].lower_ in ORG_KIND_NOUNS and not doc[j].lower_.endswith("s") \
        and doc[j].is_lower and span.start > 0 \
        and doc[span.start - 1].lower_ in ("the", "a", "an")


def _plural_name(span: Span) -> bool:
    """ "the Beatles": one plural proper noun after "the" that is not a family ("the Clintons",
    when a Clinton is named in the article)."""
    doc = span.doc
    word = span[0].text
    if len(span) != 1 or span.start == 0 or doc[span.start - 1].lower_ != "the" or span[0].tag_ not in ("NNPS", "NNP") \
            or not word.endswith("s"):
        return False
    people = {w for e in doc.ents if e.label_ == "PERSON" and e.start != span.start for w in e.text.split()}
    return word[:-1] not in people and word[:-2] not in people


def _untagged_runs(doc: Doc, covered: set[int]) -> Iterable[Span]:
    """Runs of capitalised proper nouns outside every entity, not opening a sentence."""
    i = 2
    for k in positions(doc, POS, ("PROPN",)):
        if k < i:
            continue
        tok = doc[k]
        if k in covered or not tok.text[:1].isupper() or tok.is_sent_start:
            continue
        end = k + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and end not in covered and doc[end].text[:1].isupper():
            end += 1
        i = end
        yield doc[k:end]


def _first_name_back(ent: Span) -> Span:
    """ "Minister, Ana Lopes Correia" tagged "Lopes Correia": take the first name back."""
    doc = ent.doc
    start = ent.start
    while start > ent.sent.start + 1 and start > ent.start - 2:
        prev = doc[start - 1]
        if not (prev.pos_ == "PROPN" and prev.is_title and prev.is_alpha and prev.ent_type_ == ""
                and prev.lower_ not in TITLE_WORDS and not is_common_word(prev.text, 4.0)):
            break
        before = doc[start - 2]
        if not (before.is_punct or before.lower_ in TITLE_WORDS):
            break
        start -= 1
    return ent if start == ent.start else Span(doc, start, ent.end, label=ent.label, kb_id=ent.kb_id, span_id=ent.id)


def _org_apposition(span: Span) -> bool:
    """ "Arctic Sentinel, a cybersecurity firm", "Verimont, which was based in Aschheim"."""
    doc = span.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != ",":
        return False
    if span.start > 0 and doc[span.start - 1].lower_ in TITLE_WORDS:
        return False  # "the company's vice president John Smith, the firm said"
    nxt = doc[span.end + 1]
    if nxt.lower_ == "which" and any(t.lower_ in ("based", "headquartered") for t in doc[span.end + 2:span.end + 5]):
        return True
    if nxt.lower_ not in ("a", "an", "the"):
        return False
    for tok in doc[span.end + 2:min(span.end + 7, len(doc))]:
        if tok.is_punct or tok.pos_ in ("VERB", "AUX", "ADP") or tok.lower_ in TITLE_WORDS:
            return False  # "Liis Kask, the company's chief executive" is a person
        if tok.lower_ in ORG_APPOSITION_NOUNS:
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            # "X, the firm's ..." and "X, the firm wanted ..." open a new clause, not an apposition
            return after is None or after.tag_ not in ("POS", "VBD", "VBZ", "VBP", "MD")
    return False


def _title_apposition(span: Span) -> bool:
    """The name is followed by ", the/a ... <title>" ("Jane Roe, the bank's chief economist,")."""
    doc = span.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != "," or doc[span.end + 1].lower_ not in ("the", "a", "an"):
        return False
    for tok in doc[span.end + 2:min(span.end + 9, len(doc))]:
        if tok.is_punct and tok.text != "'":
            return False
        if tok.lower_ in TITLE_WORDS and tok.lower_ not in ("head",):
            return True
    return False


def _group_span(ent: Span) -> tuple[Span, str] | None:
    """Extend a nationality adjective to its people noun: "North Korean" -> "North Korean soldiers"."""
    doc = ent.doc
    if len(ent) >= 2 and ent[-1].lower_ in ARMED_FORCES_NOUNS:  # "Ukrainian Forces" tagged as one ORG
        return ent, "armed-forces"
    head = ent.root.head if ent.root.dep_ in ("amod", "compound", "nmod") else None
    if head is None or head.i < ent.end or head.i - ent.end > 2:
        if ent.root.tag_ in ("NNPS", "NNS") or ent.text.endswith("s") and ent.root.pos_ in ("PROPN", "NOUN"):
            return ent, "people"
        return None
    noun = head.lower_
    if noun in ARMED_FORCES_NOUNS and head.i == ent.end:
        return doc[ent.start:head.i + 1], "armed-forces"
    if noun in PEOPLE_NOUNS:
        return doc[ent.start:head.i + 1], PEOPLE_NOUNS[noun]
    return None


class MentionFinder:
    """Find the mentions of one article (body Doc plus optional headline Doc)."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self._lowercase_words: set[str] = set()

    # -- public -------------------------------------------------------------------------
    def find(self, doc: Doc, text: str | None = None
             ) -> tuple[list[Mention], list[tuple[int, str, int, str]], list[tuple[str, str]]]:
        """Return (mentions, name-internal links (subj, predicate, obj, rule), alias pairs (short key, long key)).

        ``text``: ``doc.text`` when the caller has it (spaCy rebuilds it from the tokens on every access).
        """
        text = doc.text if text is None else text
        credits = credit_spans(text)
        self._lowercase_words = strings_where(doc, ORTH, IS_LOWER)
        sent_of = {}
        for i, sent in enumerate(doc.sents):
            sent_of.update(dict.fromkeys(range(sent.start, sent.end), i))
        mentions: list[Mention] = []
        pending: list[tuple[Mention, Mention, str, str]] = []
        aliases: list[tuple[str, str]] = []
        covered: set[int] = set()

        for ent in doc.ents:
            if _overlaps(ent.start_char, ent.end_char, credits) or re.fullmatch(r"[A-Z]\.?", ent.text):
                continue  # credits; lone initials ("X." is the platform rule's)
            for m, extra in self._from_ent(ent, sent_of):
                if extra == "part-of" and mentions:
                    pending.append((mentions[-1], m, "partOf", "org-name-of"))
                elif extra == "owned-by":  # the owner is the mention the unit's name opens with
                    owner = next((o for o in reversed(mentions) if o.start == m.start), None)
                    if owner is not None:
                        pending.append((m, owner, "partOf", "possessive-unit"))
                elif extra == "located-in" and mentions:
                    pending.append((mentions[-1], m, "locatedIn", "facility-place"))
                elif extra == "nationality" and mentions:
                    pending.append((mentions[-1], m, "nationality", "demonym-group"))
                mentions.append(m)
            covered.update(range(ent.start, ent.end))

        mentions.extend(self._platforms(doc, sent_of, covered))
        mentions.extend(self._titled_people(doc, sent_of, covered, credits))
        mentions.extend(self._kind_named_orgs(doc, text, sent_of, covered, credits))
        mentions.sort(key=lambda m: (m.start, -m.end))
        mentions.extend(self._defined_acronyms(doc, text, mentions, sent_of, credits))
        self._capital_metonymy(doc, mentions)
        mentions.sort(key=lambda m: (m.start, -m.end))
        index = {id(m): i for i, m in enumerate(mentions)}
        links = [(index[id(c)], pred, index[id(p)], rule) for c, p, pred, rule in pending]
        aliases.extend(self._acronyms(text, mentions))
        self._link_short_forms(mentions)
        return mentions, links, aliases

    # -- entities proposed by NER and rulers -------------------------------------------
    def _from_ent(self, ent: Span, sent_of: dict[int, int]):
        label = ent.label_
        base = LABEL_TYPES.get(label)
        if base is None:
            return
        entry = self.gaz.entries.get(ent.ent_id_) if ent.ent_id_ else None
        if base == "Person":
            ent = _first_name_back(ent)
        if ent.ent_id_ == "MilitaryUnit":
            yield self._mention(ent, "MilitaryUnit", sent_of, source="rule"), None
            return
        if entry is not None and clean_surface(ent.text).lower() in {d.lower() for d in entry.demonyms}:
            yield from self._group(ent, sent_of)
            return
        if entry is not None and entry.type == "MilitaryUnit" and ent.end < len(ent.doc) \
                and ent.doc[ent.end].lower_ in PEOPLE_NOUNS and self.gaz.by_demonym(" ".join(clean_surface(ent.text).split()[:-1])):
            # "North Korean military personnel" are people of that army, not the army itself
            yield from self._group(ent.doc[ent.start:ent.end - 1], sent_of, head=ent.doc[ent.end])
            return
        if entry is not None and entry.type in LOCATION_TYPES and ent.start > 0 \
                and ent.doc[ent.start - 1].text == "Air":
            # "Air China", "Air Canada": an airline named after its country or city
            yield self._mention(ent.doc[ent.start - 1:ent.end], "Organization", sent_of, source="cue"), None
            return
        is_place = entry.type in LOCATION_TYPES if entry is not None else base == "Location"
        facility = _facility(ent) if is_place else None
        if facility is not None:  # "Everett Factory", "Heathrow airport": the site, in the place
            yield self._mention(facility, "Location", sent_of, source="rule"), None
            if entry is not None:
                yield self._mention(ent, entry.type, sent_of, kb_id=entry.id, source="gazetteer"), "located-in"
            return
        if entry is not None:
            yield from self._known(ent, entry, sent_of)
            return
        words = clean_surface(ent.text).split()
        if base == "Group" or self.gaz.by_demonym(clean_surface(ent.text)) or (
                len(words) >= 2 and words[-1].lower() in ARMED_FORCES_NOUNS and self.gaz.by_demonym(" ".join(words[:-1]))):
            yield from self._group(ent, sent_of)
            return
        span = _trim(ent, keep_first_propn=True)
        if span is None:
            return
        if span.start != ent.start:  # "Arrest North Korean": re-examine what is left
            text = clean_surface(span.text)
            found = self.gaz.lookup(text)
            if found:
                yield from self._known(span, found[0], sent_of)
                return
            if self.gaz.by_demonym(text):
                yield from self._group(span, sent_of)
                return
        # "Air France Flight 447": the airline, not the flight
        numbered, name_end = False, span.end
        while len(span) > 1 and (span[-1].like_num or span[-1].lower_ == "flight") and base == "Organization":
            span, numbered = span[:-1], True
        text = clean_surface(span.text)
        found = self._lookup(text)
        if found is not None:
            yield from self._known(span, found, sent_of)
            return
        if numbered and len(text.split()) == 1 and is_common_word(text, 3.5):
            return  # "Terminal 3", "Gate 12": a numbered common noun names no organisation
        pair = self._hyphen_pair(span, sent_of)
        if pair is not None:
            yield from pair
            return
        thing = _thing_cue(span, name_end, self.gaz) if base in ("Organization", "Person", "Location") else None
        if thing is not None:
            yield self._mention(span, thing, sent_of, source="cue"), None
            maker = _maker(span, self.gaz) if thing == "Product" else None
            if maker is not None:  # "Intel Core Duo" mentions Intel too
                yield from self._known(*maker, sent_of)
            return
        owned, source = None, "ner"
        if base == "Organization":
            named = _with_possessor(span, self.gaz)
            owned = "owned-by" if named.start != span.start else _owner(span)
            span, text = named, clean_surface(named.text)
            if owned and text.split()[-1] in SITE_HEADS:
                base = "Location"  # "Airbus' Delivery Center": a site the company owns, not a part of it
        type_ = base
        words = text.split()
        doc = span.doc
        if base == "Organization" and len(words) >= 2 and _plain(words[-1]) in LEGAL_FORMS:
            source = "cue"  # "Saturn Corporation": a legal form proves a company
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        if base == "Person" and _plural_name(span):
            base = type_ = "Organization"  # "the Beatles", "the Yankees": a band or team, not a person
            source = "rule"
        elif len(words) == 1 and (prev is None or prev.is_sent_start or span[0].is_sent_start or prev.text in "\"\u201c")\
                and is_common_word(text, 3.5) and not _is_acronym(text):
            return  # "Bridges are the first thing..." at a sentence start
        if len(words) == 1 and (prev is None or prev.is_sent_start or span[0].is_sent_start) and text.isalpha() \
                and not text.isupper() and text.lower() in self._lowercase_words:
            return  # "Ransomware attack ..." opening a sentence while the article writes "ransomware"
        if prev is not None and prev.text in ("Storm", "Hurricane", "Typhoon", "Cyclone", "Tropical"):
            span = doc[prev.i:span.end]
            yield self._mention(span, "NamedEvent", sent_of, source="rule"), None
            return
        if base == "Person" and len(words) > 1 and words[-1].lower() in PLACE_NAME_HEADS:
            base = type_ = PLACE_NAME_HEADS[words[-1].lower()]  # "Chile's Atacama Desert" is no person
        if base == "Person" and nxt is not None and nxt.lower_ in ORG_TITLE_WORDS:
            base = type_ = "Organization"  # "Ryanair CEO Michael O'Leary"
        if nxt is not None and base == "Organization" and nxt.lower_ in TITLE_WORDS and not _org_head(text) \
                and nxt.lower_ not in ORG_TITLE_WORDS:
            return  # "Kazakh Foreign" + "Minister": part of a title, not an organisation
        if base != "Person" and prev is not None and prev.lower_ in TITLE_WORDS and prev.is_title \
                and 2 <= len(words) <= 3 and not _org_head(text) and all(w[:1].isupper() for w in words):
            base = type_ = "Person"  # "envoy Karin Holmberg" tagged as a place
        elif base in ("Person", "Location") and entry is None and _org_apposition(span):
            base = type_ = "Organization"  # "Arctic Sentinel, a cybersecurity firm based in Helsinki"
            source = "cue"
        elif base in ("Person", "Location", "Organization") and _kind_before(span):
            base = type_ = "Organization"  # "electronics retailer Best Buy", "its division, Opel."
            source = "cue"
        elif base == "Location" and span.root.dep_ == "nsubj" and span.root.head.lemma_ in COMPANY_VERBS \
                and not self.gaz.is_place_name(text):
            base = type_ = "Organization"  # "Cisco sues Apple": an unknown "place" that sues is a company
            source = "rule"
        elif base == "Person" and len(words) >= 2 and _plain(words[-1]) in COMPANY_WORDS:
            base = type_ = "Organization"  # "Douglas Aircraft" tagged as a person
        elif base != "Person" and entry is None and 2 <= len(words) <= 3 and not _org_head(text) \
                and all(w[:1].isupper() for w in words) and not self.gaz.lookup(text) and _title_apposition(span):
            base = type_ = "Person"  # "Karin Holmberg, the European Union's special envoy"
        if base == "Person" and prev is not None and prev.lower_ in SPATIAL_PREPS and len(words) == 1 \
                and self.gaz.is_place_name(text):
            base = type_ = "City"  # "flooding in Ravenna"
        if base == "Organization" and len(words) >= 2 and words[-1] in FACILITY_HEADS \
                and self.gaz.is_place_name(" ".join(words[:-1])):
            base = type_ = "Location"  # "Gdansk Factory" tagged ORG: a site in that place
        if base in ("Organization", "Location") and fold(words[-1]) in EVENT_HEADS:
            base = type_ = "NamedEvent"  # "Worldwide Developers Conference", "Paris Air Show"
        if len(words) >= 2 and words[0].lower().rstrip(".") in TITLE_WORDS and not _org_head(text) \
                and all(w[:1].isupper() for w in words[1:]):
            # "Spokeswoman Sandy Angers" tagged ORG: a title before capitalised words names a person
            base = type_ = "Person"
        if base == "Organization" or base == "Location" and _org_head(text) in ("ministry", "council", "agency"):
            type_ = _org_subtype(text)
        if _is_junk(text, type_, source == "cue", self.gaz):  # a cue word vouches for the name
            return
        if type_ in ORG_TYPES and " of " in text:
            split = self._split_of(span, sent_of, type_)
            if split:
                yield from split
                return
        if isinstance(owned, Span):
            yield self._mention(span, type_, sent_of, source=source), None
            # "Boeing's Launch Systems" is part of Boeing; "Siemens' Test Center" only names it
            yield self._from_span(owned, sent_of), "part-of" if type_ in ORG_TYPES else None
            return
        yield self._mention(span, type_, sent_of, source=source), owned if type_ in ORG_TYPES else None

    def _hyphen_pair(self, span: Span, sent_of) -> list | None:
        """ "Boeing-Air Force contract": two names joined by a hyphen are the known ones, not a third."""
        for tok in span[1:-1]:
            if tok.text not in ("-", "\u2013") or tok.whitespace_ or tok.nbor(-1).whitespace_:
                continue
            sides = [span.doc[span.start:tok.i], span.doc[tok.i + 1:span.end]]
            found = [self._lookup(clean_surface(side.text)) for side in sides]
            if not any(found) or not all(f is not None or _org_head(side.text) or side[0].is_title
                                         for f, side in zip(found, sides)):
                return None
            out = []
            for side, entry in zip(sides, found):
                if entry is not None:
                    out.extend(self._known(side, entry, sent_of))
            return out
        return None

    def _lookup(self, text: str):
        found = self.gaz.lookup(text)
        if not found and _REGION_SUFFIX.search(text):
            found = [e for e in self.gaz.lookup(_REGION_SUFFIX.sub("", text)) if e.type in LOCATION_TYPES]
        if not found and text.isupper() and len(text) > 3:  # datelines: "KYIV, Jan 12"
            found = [e for e in self.gaz.lookup(text.title()) if e.type in LOCATION_TYPES]
        if not found:
            found = self._lookup_org_variant(text)
        return found[0] if found else None

    def _lookup_org_variant(self, text: str) -> list:
        """Organisations under a country prefix or legal form the gazetteer does not list:
        "United States Federal Reserve", "US Labor Department", "Fiat Group SpA"."""
        words = text.split()
        for n in range(min(3, len(words) - 2), 0, -1):
            prefix = " ".join(words[:n])
            country = self.gaz.by_demonym(prefix) or next(
                (e for e in self.gaz.lookup(prefix) if e.type == "Country"), None)
            if country is not None:
                rest = " ".join(words[n:])
                found = [e for e in self.gaz.lookup(rest) if e.type in ORG_TYPES and e.country == country.country]
                if found:
                    return found
        short = name_key(text, org=True)
        if short != fold(text) and len(short) > 2:
            words = short.split()
            if len(words) > 1:
                words[-1] = singular(words[-1])  # "Ford Motors Co."
            for variant in dict.fromkeys([short, " ".join(words)]):
                found = [e for e in self.gaz.lookup(variant) if e.type in ORG_TYPES
                         and variant in {name_key(n, org=True) for n in e.names}]
                if found:
                    return found
        return []

    def _split_of(self, span: Span, sent_of, type_: str):
        """ "Main Intelligence Directorate of Ukraine's Ministry of Defense" -> unit part-of ministry."""
        doc = span.doc
        for tok in span:
            if tok.lower_ != "of" or tok.i == span.start:
                continue
            head, tail = doc[span.start:tok.i], doc[tok.i + 1:span.end]
            tail_text = clean_surface(tail.text)
            tail_core = re.sub(r"^[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)*['\u2019]s\s+", "", tail_text)
            is_org = bool(_org_head(tail_core)) or any(e.type in ORG_TYPES for e in self.gaz.lookup(tail_core))
            head_words = fold(head.text).split()
            if not is_org or not head_words or head_words[-1] not in SUBUNIT_NOUNS \
                    or len(tail_core.split()) < 2 and not _is_acronym(tail_core):
                continue
            start = tail.start
            while start < tail.end and doc[start].text != tail_core.split()[0]:
                start += 1
            core = doc[start:tail.end] if start < tail.end else tail
            parent = self._from_span(core, sent_of)
            child = self._mention(head, _org_subtype(head.text), sent_of)
            whole = self._mention(span, child.type, sent_of)
            child.key = name_key(child.text)
            whole.key = child.key  # the full phrase is another name of the child
            return [(whole, None), (parent, "part-of")]
        return None

    def _known(self, span: Span, entry, sent_of):
        """A gazetteer name, the organisation after its "of" (part-of) and the country that opens
        it ("U.S. Air Force", "Russia's Foreign Ministry")."""
        yield self._mention(span, entry.type, sent_of, kb_id=entry.id, source="gazetteer"), None
        if entry.type not in ORG_TYPES:
            return
        parent = self._tail_org(span, sent_of)
        if parent is not None:
            yield parent, "part-of"
        link = "part-of" if parent is None and entry.type in ("GovernmentOrganization", "MilitaryUnit") else None
        for n in range(min(3, len(span) - 1), 0, -1):
            head = span[:n]
            if head[-1].tag_ == "POS" and n > 1:
                head = span[:n - 1]
            text = clean_surface(head.text)
            country = next((e for e in self.gaz.lookup(text) if e.type == "Country"), None)
            source = "gazetteer"
            if country is None and self.gaz.by_demonym(text) is not None:
                country, source = self.gaz.by_demonym(text), "demonym"
            if country is not None and country.id != entry.id:
                yield self._mention(head, country.type, sent_of, kb_id=country.id, source=source), link
                return

    def _tail_org(self, span: Span, sent_of) -> Mention | None:
        """The organisation after "of" in a gazetteer name ("... of Ukraine's Ministry of Defense")."""
        doc = span.doc
        for tok in span:
            if tok.lower_ == "of" and tok.i > span.start:
                tail = doc[tok.i + 1:span.end]
                text = clean_surface(tail.text)
                found = [e for e in self.gaz.lookup(text) if e.type in ORG_TYPES]
                if found:
                    return self._mention(tail, found[0].type, sent_of, kb_id=found[0].id, source="gazetteer")
        return None

    def _from_span(self, span: Span, sent_of) -> Mention:
        text = clean_surface(span.text)
        found = self._lookup(text)
        if found is not None:
            return self._mention(span, found.type, sent_of, kb_id=found.id, source="gazetteer")
        return self._mention(span, _org_subtype(text), sent_of, source="rule")

    def _group(self, ent: Span, sent_of, head: Token | None = None):
        text = clean_surface(ent.text)
        words = text.split()
        country = self.gaz.by_demonym(text) or (self.gaz.by_demonym(" ".join(words[:-1])) if len(words) > 1 else None)
        grp = (ent.doc[ent.start:head.i + 1], PEOPLE_NOUNS[head.lower_]) if head is not None else _group_span(ent)
        demonym = None
        if country is not None:
            dspan = ent[:-1] if len(ent) > 1 and ent[-1].lower_ in ARMED_FORCES_NOUNS else ent
            demonym = self._mention(dspan, country.type, sent_of, kb_id=country.id, source="demonym")
        if grp is None:
            if demonym is not None:
                yield demonym, None
            return
        span, category = grp
        if category == "armed-forces" and country is not None:
            forces = self._armed_forces(country)
            if forces is not None:
                yield self._mention(span, forces.type, sent_of, kb_id=forces.id, source="gazetteer"), None
                if demonym is not None:
                    yield demonym, None
                return
            if span[-1].text in ("Army", "Navy"):
                # "the Italian Army" capitalised is the institution, part of that country
                unit = self._mention(span, "MilitaryUnit", sent_of, source="rule")
                yield unit, None
                if demonym is not None:
                    yield demonym, "part-of"
                return
            category = "troops"
        m = self._mention(span, "Group", sent_of, source="rule")
        nat = country.id if country is not None else name_key(text)
        m.key = f"group:{nat}:{category}"
        m.kb_id = None
        yield m, None
        if demonym is not None:
            yield demonym, "nationality"

    def _armed_forces(self, country):
        names = [f"Armed Forces of {country.name}", f"{country.name} Armed Forces"]
        for name in names + [f"{d} Armed Forces" for d in country.demonyms]:
            for e in self.gaz.lookup(name):
                if e.type == "MilitaryUnit":
                    return e
        return None

    # -- what the model misses ----------------------------------------------------------
    def _platforms(self, doc: Doc, sent_of, covered: set[int]):
        for i in positions(doc, LOWER, PLATFORM_PREP):
            if i + 1 == len(doc) or i + 1 in covered:
                continue
            tok = doc[i + 1]
            name = tok.text.rstrip(".")
            if not name or not name[0].isupper():
                continue
            entries = [e for e in self.gaz.lookup(name) if e.type == "Platform"]
            if not entries and name != "X":
                continue
            span_end = tok.idx + len(name)
            m = Mention(text=name, type="Platform", start=tok.idx, end=span_end, sent=sent_of[tok.i],
                        key=name_key(name), kb_id=entries[0].id if entries else None, source="rule")
            covered.add(tok.i)
            yield m

    def _titled_people(self, doc: Doc, sent_of, covered: set[int], credits):
        """Proper-noun runs the model missed that follow a title or organisation ("... Ukraine Oleksandr Syrskyi")."""
        next_i = 0
        for i in positions(doc, POS, ("PROPN",)):
            if i < next_i:
                continue
            tok = doc[i]
            if i in covered or not tok.is_title:
                continue
            j = i
            while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].is_title and doc[j].i not in covered:
                j += 1
            run = doc[i:j]
            prev = doc[i - 1] if i > 0 else None
            after_title = prev is not None and (prev.lower_ in TITLE_WORDS or prev.i in covered and prev.ent_type_ in ("ORG", "GPE", "NORP"))
            subject = run.root.dep_ in ("nsubj", "nsubjpass") and run.root.head.pos_ == "VERB"
            if 2 <= len(run) <= 3 and (after_title or subject) and not _overlaps(run.start_char, run.end_char, credits):
                text = clean_surface(run.text)
                if not self.gaz.lookup(text) and not _is_junk(text, "Person", False) \
                        and not any(is_common_word(w, 4.5) for w in text.split()):
                    covered.update(range(i, j))
                    # "Baltic Gateway Logistics said": a name ending in an organisation word is no person
                    kind = _org_subtype(text) if _org_head(text) == fold(text.split()[-1]) else "Person"
                    yield self._mention(run, kind, sent_of, source="rule")
            next_i = j

    def _kind_named_orgs(self, doc: Doc, text: str, sent_of, covered: set[int], credits):
        """Names the model missed next to the kind of organisation they are ("its European division,
        Opel.", "the carmaker Opel", "the Old Mutual insurance company"), and their other untagged
        uses in the article; products of a known maker it missed ("Intel Core Duo processors")."""
        names: set[str] = set()
        for run in _untagged_runs(doc, covered):
            if _overlaps(run.start_char, run.end_char, credits):
                continue
            after = next((t for t in doc[run.end:run.end + 3] if not t.like_num), None)
            maker = _maker(run, self.gaz) if len(run) > 1 and after is not None and after.lower_ in PRODUCT_NOUNS \
                and _thing_cue(run, run.end, self.gaz) == "Product" else None
            if maker is not None:
                covered.update(t.i for t in run)
                yield self._mention(run, "Product", sent_of, source="cue")
                yield from (m for m, _ in self._known(*maker, sent_of))
                continue
            if not (_kind_after(run) or _kind_before(run) and not all(is_common_word(t.text, 3.5) for t in run)):
                continue
            if not self.gaz.lookup(clean_surface(run.text)):
                names.add(run.text)
        for name in sorted(names):
            for found in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                span = doc.char_span(*found.span())
                if span is None or any(t.i in covered for t in span) or _overlaps(*found.span(), credits):
                    continue
                covered.update(t.i for t in span)
                yield self._mention(span, "Organization", sent_of, source="cue")

    # -- keys ---------------------------------------------------------------------------
    def _mention(self, span: Span, type_: str, sent_of, kb_id: str | None = None, source: str = "ner") -> Mention:
        raw = span.text
        text = clean_surface(raw)
        if type_ == "Person":
            words = text.split()
            while len(words) > 1 and (words[0].lower().rstrip(".") in TITLE_WORDS or fold(words[0]) in TITLE_WORDS):
                words.pop(0)
            text = " ".join(words)
        offset = raw.find(text)
        start = span.start_char + max(offset, 0)
        end = start + len(text) if offset >= 0 else span.end_char
        key = f"kb:{kb_id}" if kb_id else name_key(text, person=type_ == "Person", org=type_ in ORG_TYPES)
        return Mention(text=text, type=type_, start=start, end=end, sent=sent_of.get(span.start, 0),
                       key=key, kb_id=kb_id, source=source)

    def _capital_metonymy(self, doc: Doc, mentions: list[Mention]) -> None:
        """A capital that acts stands for its country: "Pyongyang dispatched troops", "Moscow denied"."""
        for m in mentions:
            if m.type != "City" or not m.kb_id:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or span.root.dep_ != "nsubj" or span.root.head.pos_ not in ("VERB", "AUX"):
                continue
            country = self.gaz.capital_of(m.kb_id)
            if country is not None:
                m.type, m.kb_id, m.key, m.source = country.type, country.id, f"kb:{country.id}", "metonymy"

    def _defined_acronyms(self, doc: Doc, text: str, mentions: list[Mention], sent_of, credits) -> list[Mention]:
        """Abbreviations the model missed: "Information System Authority (RIA)" makes "RIA" and every
        later "RIA" of the article mentions of that authority (``text`` is ``doc.text``)."""
        taken = [(m.start, m.end) for m in mentions]
        defined: dict[str, Mention] = {}
        for m in mentions:
            if m.type not in ORG_TYPES and m.type not in LOCATION_TYPES and m.type not in ("NamedEvent", "Product"):
                continue
            found = re.match(r"\s*\(\s*([A-Z][A-Za-z&.-]{1,11})\s*\)", text[m.end:m.end + 20])
            if found and _short_form(found.group(1)) and found.group(1) not in defined:
                defined[found.group(1)] = m
        out: list[Mention] = []
        for acr, long in defined.items():
            for found in re.finditer(rf"(?<![\w.-]){re.escape(acr)}(?![\w-])", text):
                a, b = found.span()
                if a < long.end or _overlaps(a, b, taken) or _overlaps(a, b, credits):
                    continue
                span = doc.char_span(a, b)
                if span is None:
                    continue
                m = self._mention(span, long.type, sent_of, kb_id=long.kb_id, source="rule")
                m.key = long.key
                out.append(m)
                taken.append((a, b))
        return out

    def _acronyms(self, text: str, mentions: list[Mention]) -> list[tuple[str, str]]:
        """ "Security Service of Ukraine (SBU)": the acronym names the long form, everywhere."""
        pairs = []
        for a, b in zip(mentions, mentions[1:]):
            between = text[a.end:b.start]
            if re.fullmatch(r"\s*\(\s*", between) and text[b.end:b.end + 1] == ")" and _short_form(b.text):
                if a.type == "Person" and _initials(a.text) == b.text.upper():
                    a.type = b.type if b.type in ORG_TYPES else "Organization"  # people have no acronyms
                    a.key = name_key(a.text, org=True)
                if a.type in ORG_TYPES or a.type in LOCATION_TYPES or a.type in ("NamedEvent", "Product"):
                    if b.kb_id is None:
                        b.type = a.type
                        pairs.append((name_key(b.text), a.key))
                        b.key = a.key
                    elif a.kb_id is None:
                        pairs.append((a.key, b.key))
                        a.key, a.kb_id, a.type = b.key, b.kb_id, b.type
        return pairs

    def _link_short_forms(self, mentions: list[Mention]) -> None:
        """Short names take the key of the full name used in the same article: surnames
        ("Zelenskyy"), shortened organisation names ("the Intelligence Directorate", "Air Force"),
        model names ("Taurus" -> "Ford Taurus") and company short forms ("Cerberus")."""
        named = [m for m in mentions if m.source not in ("demonym", "inferred", "metonymy")]
        people = [m for m in named if m.type == "Person" and " " in m.key]
        people_keys = {p.key for p in people}
        by_last: dict[str, set[str]] = {}
        for m in people:
            by_last.setdefault(m.key.split()[-1], set()).add(m.key)
        for m in named:
            words = m.key.split()
            if m.type == "Person" and len(words) >= 2 and words[0] in NAME_PARTICLES and not m.kb_id:
                # "de Graaf" -> "Pieter de Graaf"
                full = {k for k in people_keys if k.endswith(" " + m.key) and k != m.key}
                if len(full) == 1:
                    m.key = full.pop()
                continue
            if m.kb_id or " " in m.key.strip():
                continue
            full = by_last.get(name_key(m.text, person=True))
            if full and len(full) == 1 and m.type in ("Person", "Location", "Organization", "Other", "Product"):
                m.key, m.type = next(iter(full)), "Person"
        things = [(m, tuple(name_key(m.text, org=True).split()))
                  for m in named if m.type in ORG_TYPES or m.type in ("Product", "Other")]
        forms = {(words, m.key) for m, words in things}
        for m, words in things:
            if m.kb_id:
                continue
            found = set()
            for long_words, key in forms:
                if key == m.key or len(long_words) <= len(words):
                    continue
                # the name before its "of" complement: "Intelligence Directorate" of "Main Intelligence
                # Directorate of the Ministry of Defence"
                head = long_words[:long_words.index("of")] if "of" in long_words[1:] else long_words
                if long_words[-len(words):] == words and (len(words) >= 2 or m.type in ("Product", "Other")
                                                          or words[0] in ORG_HEADS and m.text[:1].isupper()):
                    found.add(key)  # "the Commission" -> "European Commission"
                elif len(words) >= 2 and words[-1] in ORG_HEADS and head[-len(words):] == words:
                    found.add(key)
                elif long_words[:len(words)] == words and all(w in ORG_HEADS for w in long_words[len(words):]):
                    found.add(key)
            if len(found) == 1:
                m.key = found.pop()


def link_relations(doc: Doc, mentions: list[Mention], links: list[tuple[int, str, int, str]]) -> list[Relation]:
    """Turn name-internal links (part-of, nationality) into relations with provenance."""
    rels = []
    sents = list(doc.sents)
    for subj, pred, obj, rule in links:
        c, p = mentions[subj], mentions[obj]
        sent = sents[c.sent]
        rels.append(Relation(subj=subj, predicate=pred, obj=obj,
                             prov=Provenance(sent.text.strip(), min(c.start, p.start), max(c.end, p.end), rule, 0.9)))
    return rels
