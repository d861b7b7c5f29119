"""Helpers for the extraction behaviour tests (tests/test_extract_*.py): one build of made-up
articles, then views of each article's RDF by labels, classes and roles (never by IRI)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import rdflib
from rdflib import Literal
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

import kg
from kg.api import KnowledgeGraph
from kg.records import Article, Extraction
from kg.vocab import KG, SCHEMA

#: Publication date of every test article (a Saturday).
ARTICLE_DATE = "2025-01-11"
ROLES = ("agent", "patient", "theme", "location", "destination", "recipient", "instrument")


@dataclass
class Built:
    """One build of several one-paragraph articles, keyed by doc id."""

    graph: KnowledgeGraph
    union: rdflib.Graph

    def extraction(self, doc_id: str) -> Extraction:
        return next(ex for ex in self.graph.extractions if ex.article.doc_id == doc_id)

    def article_node(self, doc_id: str):
        return next(self.union.subjects(SCHEMA.identifier, Literal(doc_id)))

    def label(self, node) -> str | None:
        value = self.union.value(node, RDFS.label)
        return str(value) if value is not None else None

    def kg_types(self, node) -> set[str]:
        return {str(t).split("#")[-1] for t in self.union.objects(node, RDF.type) if str(t).startswith(str(KG))}

    def derived(self, doc_id: str, cls) -> list:
        """Statement nodes of class ``cls`` derived from the article."""
        art = self.article_node(doc_id)
        return [n for n in self.union.subjects(PROV.wasDerivedFrom, art) if (n, RDF.type, cls) in self.union]

    def events(self, doc_id: str) -> list[dict]:
        """Each event node as {"types", "trigger", "date", role: set of entity labels}."""
        out = []
        for node in self.derived(doc_id, KG.Event):
            ev: dict = {"types": self.kg_types(node), "trigger": str(self.union.value(node, KG.trigger)),
                        "date": self.union.value(node, KG.eventDate)}
            for role in ROLES:
                ev[role] = {self.label(o) for o in self.union.objects(node, KG[role])}
            out.append(ev)
        return out

    def events_of(self, doc_id: str, cls: str) -> list[dict]:
        """The article's events of kg class ``cls`` (see :meth:`events`)."""
        return [ev for ev in self.events(doc_id) if cls in ev["types"]]

    def event(self, doc_id: str, cls: str) -> dict:
        """The article's one event of kg class ``cls`` (fails when there are none or several)."""
        found = self.events_of(doc_id, cls)
        assert len(found) == 1, (cls, self.events(doc_id))
        return found[0]

    def quantities(self, doc_id: str) -> list[dict]:
        """Each quantity node as a dict of its literal values and ``of`` labels."""
        out = []
        for node in self.derived(doc_id, KG.Quantity):
            val = lambda p: self.union.value(node, p)  # noqa: E731
            num = lambda p: float(val(p).toPython()) if val(p) is not None else None  # noqa: E731
            out.append({"text": str(val(KG.quantityText)), "value": num(KG.quantityValue),
                        "min": num(KG.minValue), "max": num(KG.maxValue),
                        "unit": str(val(KG.unit)) if val(KG.unit) is not None else None,
                        "qualifier": str(val(KG.qualifier)) if val(KG.qualifier) is not None else None,
                        "of": {self.label(o) for o in self.union.objects(node, KG.quantityOf)}})
        return out

    def entities_of(self, doc_id: str) -> dict[str, set[str]]:
        """Label -> kg classes of every entity the article mentions."""
        art = self.article_node(doc_id)
        return {self.label(e): self.kg_types(e) for e in self.union.objects(art, SCHEMA.mentions)}

    def node(self, label: str):
        found = [s for s in self.union.subjects(RDFS.label, Literal(label)) if (s, KG.mentionCount, None) in self.union]
        assert len(found) == 1, f"{len(found)} entity nodes labelled {label!r}"
        return found[0]

    def names(self, label: str) -> set[str]:
        """The label and every altLabel of the entity labelled ``label``."""
        node = self.node(label)
        return {label} | {str(o) for o in self.union.objects(node, SKOS.altLabel)}

    def same_as(self, label: str) -> set[str]:
        return {str(o) for o in self.union.objects(self.node(label), OWL.sameAs)}


def build(texts: dict[str, str], date: str = ARTICLE_DATE, dates: dict[str, str] | None = None) -> Built:
    """Build the texts (doc id -> body) as articles published on ``date`` (or ``dates[doc_id]``), in one run."""
    dates = dates or {}
    graph = kg.build([Article(doc_id=doc_id, text=text, date=dates.get(doc_id, date)) for doc_id, text in texts.items()])
    union = rdflib.Graph()
    for s, p, o, _ in graph.rdf.quads():
        union.add((s, p, o))
    return Built(graph, union)


def mention_texts(ex: Extraction, indices) -> set[str]:
    return {ex.mentions[i].text for i in indices}


def fold(text: str) -> str:
    """ASCII form of a label ("Gdańsk" -> "Gdansk"): gazetteer labels keep their diacritics."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
