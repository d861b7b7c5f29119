"""RDF mapping stage: extractions + resolution -> quads (see ontologies/README.md).

Entity descriptions go to the default graph; everything derived from one article goes to
that article's named graph ``kgr:graph/<doc id>``. IRIs are minted from slugs and content
hashes only, so the same input gives the same IRIs on every run.
"""

from __future__ import annotations

import functools
import hashlib
import re
from decimal import Decimal

from rdflib import Dataset, Literal, URIRef
from rdflib import namespace as _ns

from kg import vocab
from kg.graphindex import QuadSet, by_graph
from kg.names import fold, slug
from kg.records import Article, Extraction, Provenance
from kg.resolve import Resolution
from kg.vocab import FAMILY, GEONAMES, PREFIXES, RES, SCHEMA_FAMILY_TYPE, SCHEMA_TYPE, WD, Terms

OWL, PROV, RDF, RDFS, SKOS, XSD = (Terms(n) for n in (_ns.OWL, _ns.PROV, _ns.RDF, _ns.RDFS, _ns.SKOS, _ns.XSD))
KG, SCHEMA = Terms(vocab.KG), Terms(vocab.SCHEMA)

DROP_DIRECT = frozenset({"denied", "hypothetical", "question"})
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,120}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")


def doc_slug(doc_id: str) -> str:
    """IRI-safe form of a document id (the id itself when already safe)."""
    if _SAFE_ID.match(doc_id) and doc_id.strip("."):  # "." and ".." would be dot-segments in IRIs
        return doc_id
    return f"{slug(doc_id, 60)}-{hashlib.sha1(doc_id.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def article_iri(doc_id: str) -> URIRef:
    return RES[f"article/{doc_slug(doc_id)}"]


def graph_iri(doc_id: str) -> URIRef:
    return RES[f"graph/{doc_slug(doc_id)}"]


def entity_iri(entity_id: str) -> URIRef:
    return RES[entity_id]


def _hash_iri(kind: str, *parts) -> URIRef:
    h = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return RES[f"{kind}/{h}"]


def date_literal(value: str | None) -> Literal | None:
    """xsd:date or xsd:dateTime literal of an ISO string, None when it is neither."""
    if not value:
        return None
    if _DATE.match(value):
        return Literal(value, datatype=XSD.date)
    if _DATETIME.match(value):
        return Literal(value, datatype=XSD.dateTime)
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> Literal:
    # control characters other than tab/newline are not allowed in RDF 1.1 literals by some parsers
    return Literal(_CONTROL.sub("", value))


# Literals that recur across statements (offsets, counts, confidences, rule names), made once each.
@functools.lru_cache(maxsize=1 << 16)
def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


@functools.lru_cache(maxsize=1 << 12)
def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 3))), datatype=XSD.decimal)


@functools.lru_cache(maxsize=1 << 12)
def _plain(value: str) -> Literal:
    return Literal(value)


class RdfMapper:
    """Maps a corpus's extractions and their resolution to one set of quads."""

    def __init__(self, resolution: Resolution):
        self.res = resolution
        self.ds = QuadSet(PREFIXES)
        self.default = self.ds.graph(None)
        self._publishers: dict[str, URIRef] = {}
        self._described: set[URIRef] = set()
        self._iris: dict[str, URIRef] = {}

    def _iri(self, entity_id: str) -> URIRef:
        # one URIRef object per entity: equal keys that are also identical hash and compare fastest
        iri = self._iris.get(entity_id)
        if iri is None:
            iri = self._iris[entity_id] = entity_iri(entity_id)
        return iri

    def build(self, extractions: list[Extraction]) -> QuadSet:
        publishers = {fold(ex.article.source) for ex in extractions if ex.article.source}
        for ent in self.res.entities.values():
            # an outlet named in the text and publishing an article is a media organisation
            if ent.type == "Organization" and (fold(ent.label) in publishers
                                               or any(fold(a) in publishers for a in ent.aliases)):
                ent.type = "MediaOrganization"
        for ent in sorted(self.res.entities.values(), key=lambda e: e.id):
            self._entity(ent)
        for ex in extractions:
            self._article(ex)
        return self.ds

    # -- entities ------------------------------------------------------------------------
    def _entity(self, ent) -> None:
        g, s = self.default, self._iri(ent.id)
        self._described.add(s)
        g.add((s, RDF.type, KG[ent.type]))
        g.add((s, RDF.type, SCHEMA_TYPE.get(ent.type, SCHEMA.Thing)))
        top = SCHEMA_FAMILY_TYPE.get(FAMILY.get(ent.type, "Other"))
        if top is not None:
            g.add((s, RDF.type, top))
        g.add((s, RDFS.label, _text(ent.label)))
        for alias in sorted(ent.aliases):
            g.add((s, SKOS.altLabel, _text(alias)))
        if ent.wikidata:
            g.add((s, OWL.sameAs, WD[ent.wikidata]))
        if ent.geonames:
            g.add((s, OWL.sameAs, GEONAMES[f"{ent.geonames}/"]))
        if ent.country_code:
            g.add((s, KG.countryCode, Literal(ent.country_code)))
        if ent.lat is not None and ent.lon is not None:
            g.add((s, SCHEMA.latitude, Literal(Decimal(str(round(ent.lat, 5))), datatype=XSD.decimal)))
            g.add((s, SCHEMA.longitude, Literal(Decimal(str(round(ent.lon, 5))), datatype=XSD.decimal)))
        g.add((s, KG.mentionCount, _integer(ent.mentions)))

    def _publisher(self, name: str) -> URIRef:
        """The MediaOrganization node of an outlet, reusing an entity with that name."""
        key = fold(name)
        if key in self._publishers:
            return self._publishers[key]
        for ent in self.res.entities.values():
            if ent.type in ("MediaOrganization", "Organization") and (
                    fold(ent.label) == key or key in {fold(a) for a in ent.aliases}):
                iri = self._iri(ent.id)
                break
        else:
            iri = RES[f"organization/{slug(name)}"]
            if iri not in self._described:
                self._described.add(iri)
                self.default.add((iri, RDF.type, KG.MediaOrganization))
                self.default.add((iri, RDF.type, SCHEMA.NewsMediaOrganization))
                self.default.add((iri, RDF.type, SCHEMA.Organization))
                self.default.add((iri, RDFS.label, _text(name)))
        self._publishers[key] = iri
        return iri

    # -- articles --------------------------------------------------------------------------
    def _article(self, ex: Extraction) -> None:
        art = ex.article
        g = self.ds.graph(graph_iri(art.doc_id))
        a = article_iri(art.doc_id)
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add((a, SCHEMA.identifier, _text(art.doc_id)))
        if art.title:
            g.add((a, SCHEMA.headline, _text(art.title)))
        date = date_literal(art.date)
        if date is not None:
            g.add((a, SCHEMA.datePublished, date))
        if art.url:
            g.add((a, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI)))
        if art.source:
            g.add((a, SCHEMA.publisher, self._publisher(art.source)))
        if art.author:
            g.add((a, SCHEMA.author, _text(art.author)))
        doc_id = art.doc_id
        for i in range(len(ex.mentions)):
            ent = self.res.entity_of(doc_id, i)
            if ent is not None:
                g.add((a, SCHEMA.mentions, self._iri(ent.id)))

        ent = lambda i: self.res.entity_of(doc_id, i)  # noqa: E731
        for rel in ex.relations:
            s, o = ent(rel.subj), ent(rel.obj)
            if s is None or o is None or s.id == o.id:
                continue
            node = _hash_iri("assertion", doc_id, rel.prov.rule, rel.prov.start, rel.prov.end, s.id, rel.predicate, o.id)
            g.add((node, RDF.type, KG.Assertion))
            g.add((node, RDF.subject, self._iri(s.id)))
            g.add((node, RDF.predicate, KG[rel.predicate]))
            g.add((node, RDF.object, self._iri(o.id)))
            g.add((node, RDFS.label, _text(f"{s.label} {_words(rel.predicate)} {o.label}")))
            self._prov(g, node, a, rel.prov, ent(rel.speaker), rel.cue, rel.channel, rel.factuality)
            if rel.factuality not in DROP_DIRECT:
                g.add((self._iri(s.id), KG[rel.predicate], self._iri(o.id)))

        for pos in ex.positions:
            holder, org = ent(pos.holder), ent(pos.org)
            if holder is None:
                continue
            node = _hash_iri("position", doc_id, pos.prov.start, pos.prov.end, holder.id, pos.title, org.id if org else "")
            label = f"{pos.title} of {org.label}" if org is not None else pos.title
            g.add((node, RDF.type, KG.Position))
            g.add((node, RDFS.label, _text(label)))
            g.add((node, KG.positionHolder, self._iri(holder.id)))
            g.add((node, KG.positionTitle, _text(pos.title)))
            g.add((self._iri(holder.id), KG.holdsPosition, node))
            if org is not None and org.id != holder.id:
                g.add((node, KG.positionIn, self._iri(org.id)))
                g.add((self._iri(holder.id), KG.hasPositionIn, self._iri(org.id)))
            self._prov(g, node, a, pos.prov, None, None, None, "asserted")

        for ev in ex.events:
            roles = {r: [e for e in (ent(k) for k in ks) if e is not None] for r, ks in ev.roles.items()}
            roles = {r: sorted({e.id: e for e in es}.values(), key=lambda e: e.id) for r, es in roles.items() if es}
            if sum(len(v) for v in roles.values()) < 2 and "location" not in roles:
                continue
            node = _hash_iri("event", doc_id, ev.type, ev.prov.start, ev.prov.end, ev.trigger)
            g.add((node, RDF.type, KG.Event))
            g.add((node, RDF.type, KG[ev.type]))
            g.add((node, RDF.type, SCHEMA.Event))
            g.add((node, RDFS.label, _text(_event_label(ev.type, roles))))
            g.add((node, KG.trigger, _text(ev.trigger)))
            for role in sorted(roles):
                for e in roles[role]:
                    g.add((node, KG[role], self._iri(e.id)))
            d = date_literal(ev.date)
            if d is not None and d.datatype == XSD.date:
                g.add((node, KG.eventDate, d))
            self._prov(g, node, a, ev.prov, ent(ev.speaker), ev.cue, ev.channel, ev.factuality)

        for q in ex.quantities:
            node = _hash_iri("quantity", doc_id, q.prov.start, q.prov.end, q.text)
            g.add((node, RDF.type, KG.Quantity))
            g.add((node, RDFS.label, _text(q.text)))
            g.add((node, KG.quantityText, _text(q.text)))
            for prop, val in ((KG.quantityValue, q.value), (KG.minValue, q.min_value), (KG.maxValue, q.max_value)):
                if val is not None:
                    g.add((node, prop, Literal(Decimal(repr(float(val))).normalize(), datatype=XSD.decimal)))
            if q.unit:
                g.add((node, KG.unit, _text(q.unit)))
            if q.qualifier:
                g.add((node, KG.qualifier, _text(q.qualifier)))
            for k in q.of:
                e = ent(k)
                if e is not None:
                    g.add((node, KG.quantityOf, self._iri(e.id)))
            self._prov(g, node, a, q.prov, ent(q.speaker), q.cue, q.channel, q.factuality)

        for qt in ex.quotes:
            node = _hash_iri("quote", doc_id, qt.prov.start, qt.prov.end)
            g.add((node, RDF.type, KG.Quote))
            g.add((node, KG.quoteText, _text(qt.text)))
            speaker = ent(qt.speaker)
            if speaker is not None:
                g.add((node, PROV.wasQuotedFrom, self._iri(speaker.id)))
            self._prov(g, node, a, qt.prov, speaker, qt.cue, qt.channel, "reported" if speaker else "asserted")

    def _prov(self, g, node: URIRef, article: URIRef, prov: Provenance, speaker, cue, channel, factuality) -> None:
        g.add((node, PROV.wasDerivedFrom, article))
        g.add((node, KG.sentence, _text(prov.sentence)))
        g.add((node, KG.startChar, _integer(prov.start)))
        g.add((node, KG.endChar, _integer(prov.end)))
        g.add((node, KG.extractedBy, _plain(prov.rule)))
        g.add((node, KG.confidence, _confidence(prov.confidence)))
        g.add((node, KG.factuality, _plain(factuality or "asserted")))
        if speaker is not None:
            g.add((node, KG.speaker, self._iri(speaker.id)))
            g.add((node, PROV.wasAttributedTo, self._iri(speaker.id)))
        if cue:
            g.add((node, KG.cue, _text(cue)))
        if channel:
            g.add((node, KG.channel, _text(channel)))


def _words(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _event_label(cls: str, roles: dict) -> str:
    parts = [cls]
    for role, prep in (("agent", "by"), ("patient", "of"), ("theme", "about"), ("recipient", "for"),
                       ("destination", "to"), ("location", "in")):
        if role in roles:
            parts.append(f"{prep} {', '.join(e.label for e in roles[role])}")
    return " ".join(parts)


def to_quads(extractions: list[Extraction], resolution: Resolution) -> QuadSet:
    """The whole corpus as quads: entity descriptions in the default graph, one named graph per
    article, reported dates on attributed statements and the cross-article facts graph."""
    from kg.claims import add_reported_dates  # noqa: PLC0415 (claims and facts read the mapped graph)
    from kg.facts import add_facts  # noqa: PLC0415

    quads = RdfMapper(resolution).build(extractions)
    graphs = by_graph(quads)
    add_reported_dates(quads, graphs)
    add_facts(quads, graphs)
    return quads


def to_rdf(extractions: list[Extraction], resolution: Resolution) -> Dataset:
    """The whole corpus as an rdflib Dataset (see :func:`to_quads`)."""
    return to_quads(extractions, resolution).to_dataset()
