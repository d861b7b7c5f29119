"""Binary relations and positions from titles, appositions and place phrases.

Each rule is a pure function over one sentence; rule names end up in ``kg:extractedBy``.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.context import ArticleContext
from kg.lexicon import HEAD_OF_STATE_TITLES, LOCATION_TYPES as LOCATIONS, ORG_TYPES as ORGS, TITLE_WORDS
from kg.names import HONORIFICS
from kg.records import Position, Provenance, Relation

# Nouns in "Tuva, a Russian region" that make the apposition a place description.
PLACE_NOUNS = frozenset(
    "region province state city town village capital port district republic oblast territory "
    "area county country island enclave exclave municipality suburb neighbourhood neighborhood".split()
)
# Nouns for a part of a state or an organisation ("Russia's intelligence agency, the GRU").
PART_NOUNS = frozenset("agency body unit arm division branch wing service department office directorate "
                       "subsidiary affiliate bureau regulator ministry authority command".split())
# Nouns that describe an organisation by its relation to another ("Norway's rival, Acme").
NOT_PART_NOUNS = frozenset("rival competitor ally partner enemy adversary foe neighbour neighbor critic "
                           "creditor supplier customer client target victim".split())
# Words allowed inside a title phrase besides title words ("foreign policy chief", "Commander-in-Chief of").
_TITLE_GLUE = frozenset({"of", "the", "-", "in", "for", "and", "'s", "’s", "de"})
_BASED = re.compile(r"^\s*\)?\s*(?:,\s*)?(?:(?:a|an|the)\s+[a-z][a-z -]{0,40}?\s+)?(?:(?:which|that)\s+)?"
                    r"(?:(?:is|was|are|were|(?:would|could|might|may|will)\s+(?:not\s+)?be)\s+(?:not\s+)?)?"
                    r"(?:(?:[a-z]+ly\s+)?(?:based|headquartered|established|founded|located)\s+in|whose\s+(?:headquarters|head\s+office|seat)\s+(?:is|are|was|were)\s+in"
                    r"|['’]s?\s+(?:headquarters|head\s+office)\s+in)\s+$", re.I)


def _prov(sent: Span, start: int, end: int, rule: str, conf: float) -> Provenance:
    return Provenance(sent.text.strip(), start, end, rule, conf)


def _is_title_token(tok: Token) -> bool:
    return tok.lower_ in TITLE_WORDS or any(p in TITLE_WORDS for p in tok.lower_.split("-"))


class RelationFinder:
    """Positions, located-in and headquartered-in for one article."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx
        self.mentions = ctx.mentions

    def positions(self) -> list[Position]:
        """People's titles: pre-modifiers ("EU foreign policy chief Josep Borrell") and appositions."""
        out: list[Position] = []
        for i, m in enumerate(self.mentions):
            if m.type != "Person":
                continue
            span = self._span(m)
            if span is None:
                continue
            found = self._title_before(i, span)
            if found is not None and found.org is None:
                # "Colonel Jan Novak, the brigade's deputy commander": the apposition names the unit
                app = self._title_apposition(i, span)
                if app is not None and app.org is not None:
                    out.append(found)
                    found = app
            found = found or self._title_apposition(i, span) or self._title_of_place(i, span)
            of_org = self._person_of_org(i, span, places=found is not None)
            if of_org is not None and (found is None or found.org is None):
                title = found.title if found is not None else self._premodifier(span) or "affiliate"
                found = self._position(i, title, of_org, span.sent, span.start_char, self.mentions[of_org].end,
                                       "person-of-org")
            if found:
                out.append(found)
                self.ctx.titles.setdefault(found.title.lower().split()[-1], i)
        return out

    def _span(self, m) -> Span | None:
        return self.ctx.doc.char_span(m.start, m.end, alignment_mode="expand")

    def _title_before(self, i: int, span: Span) -> Position | None:
        doc = span.doc
        sent = span.sent
        j = span.start - 1
        toks: list[Token] = []
        while j >= sent.start:
            tok = doc[j]
            if tok.is_space or "\n" in tok.text:
                break  # titles never run across a paragraph break
            in_mention = self.ctx.mention_at(tok) is not None
            if in_mention or _is_title_token(tok) or tok.lower_ in _TITLE_GLUE or (
                tok.pos_ in ("NOUN", "ADJ", "PROPN") and tok.is_alpha and not tok.is_title
            ) or tok.pos_ == "PROPN" and toks and _is_title_token(toks[0]) or (
                toks and tok.is_title and self.ctx.gaz.by_demonym(tok.text) is not None):  # "Kazakh Foreign Minister"
                toks.insert(0, tok)
                j -= 1
                continue
            break
        while toks and (toks[0].lower_ in _TITLE_GLUE or toks[0].pos_ == "DET"):
            toks.pop(0)
        if not toks or not any(_is_title_token(t) for t in toks):
            return None
        if all(t.lower_.rstrip(".") in HONORIFICS or not _is_title_token(t) for t in toks):
            return None  # "Dr Samuel Okonjo": an honorific, not a position
        # the title ends at the last title word; anything after it that is not a mention is noise
        last_title = max(k for k, t in enumerate(toks) if _is_title_token(t))
        title_toks = [t for t in toks if self.ctx.mention_at(t) is None]
        org = self._org_in(toks)
        if org is None:
            org = self._org_named_in(title_toks)
            if org is not None:
                title_toks = [t for t in title_toks if not self._names_org(t, org)]
        words = [t.text for t in title_toks if t.i <= toks[last_title].i or t.lower_ in TITLE_WORDS]
        title = re.sub(r"\s*-\s*", "-", " ".join(words)).strip(" ,'’s")
        title = re.sub(r"^(?:of|the)\s+|\s+(?:of|the)$", "", title).strip()
        if not title:
            return None
        start = toks[0].idx
        return self._position(i, title, org, span.sent, start, span.end_char, "title-premodifier")

    def _title_apposition(self, i: int, span: Span) -> Position | None:
        root = span.root
        candidates = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos" and root.head.i < span.start:
            candidates.append(root.head)
        for app in candidates:
            # "the EU's envoy, who is visiting Baku": the relative clause is not part of the title
            clause = {t.i for c in app.subtree if c.dep_ in ("relcl", "acl") for t in c.subtree}
            sub = [t for t in app.subtree if t.i not in clause]
            if not any(_is_title_token(t) for t in sub):
                found = self._role_at_org(i, span, app)
                if found is not None:
                    return found
                continue
            mention_toks = [t for t in sub if self.ctx.mention_at(t) is not None]
            title = " ".join(t.text for t in sub if t not in mention_toks and t.pos_ not in ("DET", "PUNCT")
                             and t.tag_ != "POS" and not (t.lower_ in ("of", "at", "for") and t == sub[-1]))
            title = re.sub(r"(?:\s+(?:of|at|for|in|with))+$", "", title).strip()
            org = self._org_in(sub)
            if org is None:
                org = self._definite_owner(sub)
                if org is not None:  # "the company's chief executive": the company is the organisation
                    owner = next(t for t in sub if t.tag_ == "POS").head
                    title = re.sub(rf"^{re.escape(owner.text)}\s+", "", title)
            if org is None:
                org = self._org_named_in([t for t in sub if t not in mention_toks])
            if not title:
                continue
            s, e = min(span.start_char, sub[0].idx), max(span.end_char, sub[-1].idx + len(sub[-1]))
            return self._position(i, title, org, span.sent, s, e, "title-apposition")
        return None

    def _title_of_place(self, i: int, span: Span) -> Position | None:
        """ "The president of Emilia-Romagna, Luca Ferrante": parsed as an apposition of the place."""
        root = span.root
        k = self.ctx.mention_at(root.head) if root.dep_ == "appos" else None
        if k is None or k == i or (self.mentions[k].type not in ORGS and self.mentions[k].type not in LOCATIONS):
            return None
        head = root.head
        while head.dep_ in ("compound", "punct") and head.head != head:
            head = head.head
        if head.dep_ != "pobj" or head.head.lower_ != "of" or not _is_title_token(head.head.head):
            return None
        title_tok = head.head.head
        words = [t.text for t in title_tok.lefts if t.dep_ in ("amod", "compound")] + [title_tok.text]
        start = min(title_tok.idx, span.start_char)
        return self._position(i, " ".join(words), k, span.sent, start, span.end_char, "title-of-place-apposition")

    def _person_of_org(self, i: int, span: Span, places: bool = False) -> int | None:
        """ "Jonas Richter of the Max Planck Institute", "Jane Doe of Reuters"; with ``places`` (a title
        was found) also "Prime Minister Jane Hollis of Norway"."""
        if i + 1 >= len(self.mentions):
            return None
        nxt = self.mentions[i + 1]
        kinds = ORGS | {"Country", "AdministrativeRegion"} if places else ORGS
        if nxt.type in kinds and re.fullmatch(r"\s+of\s+(?:the\s+)?", self.ctx.text[self.mentions[i].end:nxt.start]):
            return i + 1
        return None

    def _premodifier(self, span: Span) -> str | None:
        """ "Co-author" in "Co-author Jonas Richter": lowercase-able nouns right before the name."""
        toks = []
        j = span.start - 1
        while j >= span.sent.start and (span.doc[j].pos_ == "NOUN" or span.doc[j].text == "-"):
            toks.insert(0, span.doc[j])
            j -= 1
        return "".join(t.text_with_ws for t in toks).strip() or None

    def _role_at_org(self, i: int, span: Span, app: Token) -> Position | None:
        """ "Amélie Fournier, an astrophysicist at the University of Geneva": a role noun with the
        organisation after "at", "with" or "for"."""
        if app.pos_ != "NOUN" or self.ctx.mention_at(app) is not None:
            return None
        for prep in app.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("at", "with", "for"):
                continue
            for pobj in prep.children:
                k = self.ctx.mention_at(pobj) if pobj.dep_ == "pobj" else None
                if k is not None and self.mentions[k].type in ORGS:
                    mods = [t for t in app.lefts if t.dep_ in ("amod", "compound") and t.is_alpha
                            and self.ctx.mention_at(t) is None]
                    title = " ".join([t.text for t in mods] + [app.text])
                    end = self.mentions[k].end
                    return self._position(i, title, k, span.sent, span.start_char, end, "role-at-org")
        return None

    def _org_in(self, toks: list[Token]) -> int | None:
        """The organisation or country a title belongs to: a mention inside the phrase or a demonym."""
        found = [k for k in (self.ctx.mention_at(t) for t in reversed(toks)) if k is not None]
        # "the WHO representative in Malawi": the organisation before the place
        return next((k for k in found if self.mentions[k].type in ORGS),
                    next((k for k in found if self.mentions[k].type in LOCATIONS), None))

    def _org_named_in(self, toks: list[Token]) -> int | None:
        """A title word that names an organisation or country the NER missed there: an acronym or
        name the article tags elsewhere ("RIA director general"), or a demonym ("Kazakh Foreign
        Minister")."""
        for t in toks:
            if _is_title_token(t) or not t.text[:1].isupper() or len(t.text) < 2:
                continue
            for k, m in enumerate(self.mentions):
                if m.type in ORGS and (m.text == t.text or m.key == t.text.lower()):
                    return k
            country = self.ctx.gaz.by_demonym(t.text)
            if country is not None and country.country:
                return self.ctx.country_mention(country.country, t.idx, t.idx + len(t.text))
        return None

    def _names_org(self, tok: Token, org: int) -> bool:
        m = self.mentions[org] if org < len(self.mentions) else None
        return (m is not None and m.text == tok.text) or self.ctx.gaz.by_demonym(tok.text) is not None

    def _definite_owner(self, toks: list[Token]) -> int | None:
        """ "the company's chief executive": the organisation "the company" stands for."""
        for t in toks:
            if t.tag_ == "POS" and t.head is not None:
                owner = t.head
                if owner.pos_ == "NOUN" and any(c.lower_ == "the" for c in owner.children):
                    return self.ctx.definite(owner)
        return None

    def _position(self, i, title, org, sent, start, end, rule) -> Position:
        conf = 0.85
        if org is None and title.lower().split()[-1] in HEAD_OF_STATE_TITLES:
            # "President Volodymyr Zelenskyy": the gazetteer knows whose president he is
            holder = self.mentions[i]
            entry = self.ctx.gaz.entries.get(holder.kb_id) if holder.kb_id else None
            if entry is not None and entry.country:
                org = self.ctx.country_mention(entry.country, start, start + len(title))
                rule, conf = rule + "+gazetteer-country", 0.75
        return Position(holder=i, title=title, org=org, prov=_prov(sent, start, end, rule, conf))

    def located_in(self) -> list[Relation]:
        """ "Tuva, a Russian region", "the Russian Kursk Oblast", "Russia's Kursk Oblast", "Kyiv, Ukraine"."""
        out: list[Relation] = []
        doc = self.ctx.doc
        seen = set()
        for i, m in enumerate(self.mentions):
            span = self._span(m)
            if span is None:
                continue
            if m.type in LOCATIONS:
                for parent, rule, s, e in self._place_parents(i, span):
                    if parent != i and self.mentions[parent].key != m.key and (i, parent) not in seen:
                        seen.add((i, parent))
                        out.append(Relation(i, "locatedIn", parent, _prov(span.sent, s, e, rule, 0.8)))
            if m.type in ORGS and i + 1 < len(self.mentions):
                # "tactical group No. 84 of the Special Operations Forces"
                nxt_m = self.mentions[i + 1]
                if nxt_m.type in ORGS and re.fullmatch(r"\s+of\s+(?:the\s+)?", self.ctx.text[m.end:nxt_m.start]) \
                        and nxt_m.key != m.key:
                    out.append(Relation(i, "partOf", i + 1, _prov(span.sent, m.start, nxt_m.end, "org-of-org", 0.8)))
            prev = self.mentions[i - 1] if i > 0 else None
            if prev is not None and prev.end <= m.start:
                between = self.ctx.text[prev.end:m.start]
                if m.type == "Person" and prev.type == "Country" and re.fullmatch(r"['’]s\s+", between):
                    # "Ethiopia's Tigist Alemu", "Kenya's Naomi Chebet"
                    out.append(Relation(i, "nationality", i - 1, _prov(span.sent, prev.start, m.end, "possessive-country", 0.7)))
                elif m.type in ORGS and prev.type == "Country" and (
                        re.fullmatch(r"['’]s\s+", between)
                        or prev.source == "demonym" and re.fullmatch(r"\s+(?:[a-z]+\s+){0,2}", between)):
                    # "Estonia's Information System Authority", "Portuguese utility Lusenergia"
                    pred = "partOf" if m.type in ("GovernmentOrganization", "MilitaryUnit") else "headquarteredIn"
                    out.append(Relation(i, pred, i - 1, _prov(span.sent, prev.start, m.end, "country-org", 0.75)))
                elif m.type in ORGS and prev.type in LOCATIONS and re.fullmatch(r"-based\s+", between):
                    # "Copenhagen-based Nordvind Energy"
                    out.append(Relation(i, "headquarteredIn", i - 1, _prov(span.sent, prev.start, m.end, "place-based", 0.85)))
            if m.type in ORGS:
                nxt = [k for k in range(i + 1, min(i + 3, len(self.mentions))) if self.mentions[k].type in LOCATIONS]
                for k in nxt:
                    between = self.ctx.text[m.end:self.mentions[k].start]
                    if _BASED.match(between):
                        out.append(Relation(i, "headquarteredIn", k, _prov(span.sent, m.start, self.mentions[k].end, "based-in", 0.85)))
                        break
                    if self.mentions[k].type == "City" and re.fullmatch(r"\s*(?:\([^()]{1,20}\))?\s*\)?\s+in\s+", between) \
                            and self._attached_to(k, m):
                        # "analysts at Kestrel Capital in Amsterdam": the "in" phrase modifies the name
                        out.append(Relation(i, "headquarteredIn", k, _prov(span.sent, m.start, self.mentions[k].end, "org-in-city", 0.7)))
                        break
            if m.type in ORGS:
                found = self._described_owner(i, span)
                if found is not None and (i, found[0]) not in seen:
                    seen.add((i, found[0]))
                    out.append(Relation(i, found[1], found[0], _prov(span.sent, *found[2:], "org-apposition-owner", 0.75)))
        return out

    def _described_owner(self, i: int, span: Span) -> tuple[int, str, int, int] | None:
        """ "Russia's military intelligence agency, the GRU", "Acme, one of Norway's largest
        banks", "the Integrity Unit, World Athletics' anti-doping body": an apposition whose
        possessor is a country (located there, or part of its state) or the parent organisation."""
        root = span.root
        nouns = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            nouns.append(root.head)
        for noun in nouns:
            if self.ctx.mention_at(noun) is not None or noun.pos_ not in ("NOUN", "NUM"):
                continue
            if noun.lower_ == "one":  # "one of Estonia's largest freight forwarders"
                noun = next((p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                             for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN"), noun)
            if noun.lemma_.lower() in NOT_PART_NOUNS:
                continue
            for poss in (c for c in noun.children if c.dep_ == "poss"):
                k = self.ctx.mention_at(poss)
                if k is None or k == i or self.mentions[k].key == self.mentions[i].key:
                    continue
                t = self.mentions[k].type
                m = self.mentions[i]
                s, e = min(m.start, poss.idx), max(m.end, noun.idx + len(noun))
                if t == "Country":
                    pred = "partOf" if m.type in ("GovernmentOrganization", "MilitaryUnit") or \
                        noun.lemma_.lower() in PART_NOUNS else "headquarteredIn"
                    return k, pred, s, e
                if t in ORGS and t != "Platform" and noun.lemma_.lower() in PART_NOUNS:
                    return k, "partOf", s, e
        return None

    def _attached_to(self, k: int, m) -> bool:
        """The place mention ``k`` hangs (through its preposition) on a token of the mention ``m``."""
        place = self.ctx.doc.char_span(self.mentions[k].start, self.mentions[k].end, alignment_mode="expand")
        if place is None:
            return False
        prep = place.root.head
        return prep.dep_ == "prep" and m.start <= prep.head.idx < m.end

    def _place_parents(self, i: int, span: Span):
        doc = span.doc
        m = self.mentions[i]
        # possessive or demonym before: "Russia's Kursk Oblast", "the Russian Kursk Oblast"
        j = span.start - 1
        if j >= 0 and doc[j].tag_ == "POS":
            j -= 1
        if j >= span.sent.start:
            prev = doc[j]
            k = self.ctx.mention_at(prev)
            if k is not None and self.mentions[k].type == "Country" and m.type != "Country":
                yield k, "possessive-place", prev.idx, m.end
            else:
                country = self.ctx.gaz.by_demonym(prev.text)
                if country is not None and m.type != "Country":
                    idx = self.ctx.index_of_key(f"kb:{country.id}")
                    if idx is not None:
                        yield idx, "demonym-place", prev.idx, m.end
        # apposition: "Tuva, a Russian region bordering Mongolia", "Toulouse, a city in France"
        for app in (c for c in span.root.children if c.dep_ == "appos"):
            if app.lemma_.lower() not in PLACE_NOUNS:
                continue
            for mod in app.children:
                if mod.dep_ in ("amod", "compound", "nmod", "poss"):
                    k = self.ctx.mention_at(mod)
                    if k is not None and self.mentions[k].type in LOCATIONS:
                        yield k, "place-apposition", m.start, app.idx + len(app)
                    country = self.ctx.gaz.by_demonym(mod.text)
                    if k is None and country is not None:
                        idx = self.ctx.index_of_key(f"kb:{country.id}")
                        if idx is not None:
                            yield idx, "place-apposition", m.start, app.idx + len(app)
                if mod.dep_ == "prep" and mod.lower_ in ("in", "of"):
                    for pobj in (c for c in mod.children if c.dep_ == "pobj"):
                        k = self.ctx.mention_at(pobj)
                        if k is not None and self.mentions[k].type in LOCATIONS:
                            yield k, "place-apposition", m.start, pobj.idx + len(pobj)
        # the parser often misses the apposition: match ", a Russian region" / ", a city in France" on tokens
        j = span.end
        if j + 2 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ in ("a", "an", "the"):
            for k in range(j + 2, min(j + 7, len(doc))):
                if doc[k].lemma_.lower() in PLACE_NOUNS:
                    cands = list(doc[j + 2:k])
                    if k + 2 < len(doc) and doc[k + 1].lower_ in ("in", "of"):
                        cands += list(doc[k + 2:min(k + 6, len(doc))])
                    for t in cands:
                        kk = self.ctx.mention_at(t)
                        if kk is not None and kk != i and self.mentions[kk].type in LOCATIONS:
                            yield kk, "place-apposition", m.start, t.idx + len(t)
                            break
                    break
                if doc[k].pos_ in ("VERB", "PUNCT"):
                    break
        # "the Blantyre and Zomba districts of the Southern Region": the places named before the noun
        head = span.root
        while head.dep_ in ("compound", "conj", "nmod", "amod") and (head.head.i > head.i or head.dep_ == "conj"):
            head = head.head
        if head is not span.root and head.lemma_.lower() in PLACE_NOUNS and self.ctx.mention_at(head) is None:
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "in")):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    k = self.ctx.mention_at(pobj)
                    if k is not None and k != i and self.mentions[k].type in LOCATIONS:
                        yield k, "places-of-region", m.start, pobj.idx + len(pobj)
        # "Kyiv, Ukraine" / "Mobile, Alabama"
        k = i + 1
        if k < len(self.mentions):
            nxt = self.mentions[k]
            between = self.ctx.text[m.end:nxt.start]
            after = self.ctx.text[nxt.end:nxt.end + 12]
            if between.strip() == "," and nxt.type in ("Country", "AdministrativeRegion") and m.type in ("City", "Location", "AdministrativeRegion") \
                    and not re.match(r"\s*(,\s*[A-Z]|and\b|or\b)", after) and m.type != nxt.type:
                yield k, "place-comma-place", m.start, nxt.end
