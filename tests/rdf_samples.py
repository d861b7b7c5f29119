"""Hand-built graphs that follow the RDF output contract (CONTEXT.md), for store/serialise/query tests.

Literals deliberately hold non-ASCII text, quotes, newlines, tabs and backslashes.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.vocab import KG, PREFIXES, RES, SCHEMA, WD

TRICKY = 'He said: "Ким Чен Ын\\n" — a back\\slash,\nnew line,\ttab and ünïcödé ✓'


def entity(ds: Dataset, family: str, slug: str, cls: str, label: str, **extra) -> URIRef:
    """Describe one entity node in the default graph."""
    node = RES[f"{family}/{slug}"]
    ds.add((node, RDF.type, KG[cls]))
    from kg.vocab import SCHEMA_TYPE
    ds.add((node, RDF.type, SCHEMA_TYPE[cls]))
    ds.add((node, RDFS.label, Literal(label)))
    for alt in extra.get("alt", ()):
        ds.add((node, SKOS.altLabel, Literal(alt)))
    if "qid" in extra:
        ds.add((node, OWL.sameAs, WD[extra["qid"]]))
    ds.add((node, KG.mentionCount, Literal(extra.get("mentions", 1), datatype=XSD.integer)))
    return node


def provenance(g, node: URIRef, article: URIRef, sentence: str, start: int, rule: str) -> None:
    """Add the provenance every extracted statement carries."""
    g.add((node, PROV.wasDerivedFrom, article))
    g.add((node, KG.sentence, Literal(sentence)))
    g.add((node, KG.startChar, Literal(start, datatype=XSD.integer)))
    g.add((node, KG.endChar, Literal(start + len(sentence), datatype=XSD.integer)))
    g.add((node, KG.extractedBy, Literal(rule)))
    g.add((node, KG.confidence, Literal(Decimal("0.85"))))


def article_graph(ds: Dataset, doc_id: str, headline: str, people: list[URIRef], place: URIRef,
                  publisher: URIRef, text_variant: str = "") -> URIRef:
    """Add one article's named graph: article node, a relation, an event, a quote, a quantity."""
    slug = doc_id.lower()
    gname = RES[f"graph/{slug}"]
    g = ds.graph(gname)
    art = RES[f"article/{slug}"]
    g.add((art, RDF.type, SCHEMA.NewsArticle))
    g.add((art, SCHEMA.identifier, Literal(doc_id)))
    g.add((art, SCHEMA.headline, Literal(headline)))
    g.add((art, SCHEMA.datePublished, Literal("2025-01-11", datatype=XSD.date)))
    g.add((art, SCHEMA.url, Literal(f"https://news.example/{slug}", datatype=XSD.anyURI)))
    g.add((art, SCHEMA.publisher, publisher))
    g.add((art, SCHEMA.author, Literal("Zoë O'Brien")))
    for node in [*people, place, publisher]:
        g.add((art, SCHEMA.mentions, node))
    sentence = TRICKY + text_variant
    # relation: person nationality place
    g.add((people[0], KG.nationality, place))
    a = RES[f"assertion/{hashlib.sha1((doc_id + 'a').encode()).hexdigest()[:12]}"]
    g.add((a, RDF.type, KG.Assertion))
    g.add((a, RDF.subject, people[0]))
    g.add((a, RDF.predicate, KG.nationality))
    g.add((a, RDF.object, place))
    provenance(g, a, art, sentence, 0, "nationality_adj")
    # event
    e = RES[f"event/{hashlib.sha1((doc_id + 'e').encode()).hexdigest()[:12]}"]
    for t in (KG.Event, KG.Capture, SCHEMA.Event):
        g.add((e, RDF.type, t))
    g.add((e, RDFS.label, Literal(f"capture in {doc_id}")))
    g.add((e, KG.trigger, Literal("captured")))
    g.add((e, KG.agent, people[-1]))
    g.add((e, KG.location, place))
    g.add((e, KG.eventDate, Literal("2025-01-09", datatype=XSD.date)))
    g.add((e, KG.factuality, Literal("reported")))
    provenance(g, e, art, sentence, 10, "event_capture")
    # quote
    q = RES[f"quote/{hashlib.sha1((doc_id + 'q').encode()).hexdigest()[:12]}"]
    g.add((q, RDF.type, KG.Quote))
    g.add((q, KG.quoteText, Literal('"Quoted \\ text"\nsecond line')))
    g.add((q, KG.speaker, people[0]))
    g.add((q, PROV.wasQuotedFrom, people[0]))
    provenance(g, q, art, sentence, 20, "quote_direct")
    # quantity
    n = RES[f"quantity/{hashlib.sha1((doc_id + 'n').encode()).hexdigest()[:12]}"]
    g.add((n, RDF.type, KG.Quantity))
    g.add((n, KG.quantityText, Literal("about 11,000 soldiers")))
    g.add((n, KG.quantityValue, Literal(Decimal("11000"))))
    g.add((n, KG.unit, Literal("soldier")))
    g.add((n, KG.quantityOf, people[-1]))
    provenance(g, n, art, sentence, 30, "quantity_count")
    return gname


def contract_dataset(n_articles: int = 2, variant: str = "") -> tuple[Dataset, dict[str, str]]:
    """A Dataset of ``n_articles`` articles plus their content hashes keyed by graph IRI."""
    ds = Dataset()
    for name, iri in PREFIXES.items():
        ds.bind(name, iri)
    kim = entity(ds, "person", "kim-jong-un", "Person", "Kim Jong Un", alt=["Ким Чен Ын"], qid="Q56226")
    zel = entity(ds, "person", "volodymyr-zelensky", "Person", "Volodymyr Zelensky")
    kursk = entity(ds, "location", "kursk-oblast", "AdministrativeRegion", "Kursk Oblast")
    unit = entity(ds, "organization", "north-korean-army", "MilitaryUnit", 'Korean People\'s "Army"')
    bbc = entity(ds, "organization", "bbc", "MediaOrganization", "BBC")
    hashes = {}
    for i in range(n_articles):
        doc_id = f"ART-{i:04d}"
        text = f"{doc_id}{variant}"
        gname = article_graph(ds, doc_id, f"Headline {i}: Soldiers “captured”", [kim, zel, unit][: 2 + i % 2],
                              kursk, bbc, text_variant=variant)
        hashes[str(gname)] = hashlib.sha256(text.encode()).hexdigest()
    return ds, hashes


def canonical(quads) -> set[str]:
    """N-Quads lines of pyoxigraph quads after RDFC-1.0 blank node canonicalisation.

    Two datasets are isomorphic exactly when their canonical sets are equal.
    """
    import pyoxigraph as ox

    ds = ox.Dataset(list(quads))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in ds}


def canonical_rdflib(graph) -> set[str]:
    """:func:`canonical` of an rdflib Graph or Dataset."""
    from kg.serialize import quads_of

    return canonical(quads_of(graph))
