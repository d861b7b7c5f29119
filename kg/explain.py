"""Trace an entity back to the text: its mentions and the statements it takes part in.

:func:`statement_evidence` reads the provenance the RDF carries on every statement
(kg:sentence, prov:wasDerivedFrom, offsets); :func:`mention_evidence` reads the extraction
records of a build, which know where every name was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import rdflib
from rdflib import URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from kg.api import Evidence
from kg.html import ROLES
from kg.vocab import KG, SCHEMA

if TYPE_CHECKING:  # pragma: no cover
    from kg.records import Extraction
    from kg.resolve import Resolution

#: Words whose final period does not end a sentence.
ABBREVIATIONS = frozenset("mr mrs ms dr prof st gen col lt sgt capt maj rep sen gov jr sr inc ltd co corp "
                          "no vs etc e.g i.e u.s u.k u.n jan feb mar apr jun jul aug sep sept oct nov dec".split())
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n\s*")


def _one(g: rdflib.Graph, s, p):
    values = sorted(g.objects(s, p), key=str)
    return values[0] if values else None


def _int(value) -> int | None:
    return None if value is None else int(value.toPython())


def _float(value) -> float | None:
    return None if value is None else float(value.toPython())


def statement_evidence(g: rdflib.Graph, entity: URIRef) -> list[Evidence]:
    """Every statement of ``g`` (a union graph) the entity is part of, with its sentence and article."""
    articles = {a: (str(_one(g, a, SCHEMA.identifier) or str(a).rsplit("/", 1)[-1]),
                    _text(_one(g, a, SCHEMA.headline)))
                for a in g.subjects(RDF.type, SCHEMA.NewsArticle)}

    def row(kind: str, st, role: str, text=None) -> Evidence:
        doc_id, headline = articles.get(_one(g, st, PROV.wasDerivedFrom), (None, None))
        return Evidence(kind=kind, text=text or _text(_one(g, st, RDFS.label)) or str(st),
                        sentence=_text(_one(g, st, KG.sentence)), article=doc_id, headline=headline,
                        start=_int(_one(g, st, KG.startChar)), end=_int(_one(g, st, KG.endChar)), role=role,
                        statement=str(st), factuality=_text(_one(g, st, KG.factuality)),
                        confidence=_float(_one(g, st, KG.confidence)))

    rows: list[Evidence] = []
    seen: set[Node] = set()
    for st in g.subjects(RDF.subject, entity):
        rows.append(row("relation", st, "subject"))
        seen.add(st)
    for st in g.subjects(RDF.object, entity):
        rows.append(row("relation", st, "object"))
        seen.add(st)
    for prop, role in ((KG.positionHolder, "holder"), (KG.positionIn, "position in")):
        for st in g.subjects(prop, entity):
            rows.append(row("position", st, role))
            seen.add(st)
    for role in ROLES:
        for st in g.subjects(KG[role], entity):
            if (st, RDF.type, KG.Event) in g:
                rows.append(row("event", st, role))
                seen.add(st)
    for st in g.subjects(KG.quantityOf, entity):
        rows.append(row("quantity", st, "quantity of", _text(_one(g, st, KG.quantityText))))
        seen.add(st)
    quotes = set(g.subjects(KG.speaker, entity)) | set(g.subjects(PROV.wasQuotedFrom, entity))
    for st in quotes:
        if (st, RDF.type, KG.Quote) in g:
            rows.append(row("quote", st, "speaker", _text(_one(g, st, KG.quoteText))))
        elif st not in seen:
            rows.append(row("claim", st, "speaker"))
    return rows


def mention_evidence(extractions: Iterable[Extraction], resolution: Resolution, entity: str,
                     headlines: dict[str, str | None], known: dict[str, set[str]] | None = None) -> list[Evidence]:
    """The mentions of ``entity`` (an IRI) in the build's extractions, each with its sentence.

    ``known`` holds sentences the pipeline reported per doc id (statement provenance): a
    mention inside one of them gets it exactly; otherwise the sentence is cut from the text
    at punctuation (:func:`sentence_at`).
    """
    from kg.rdf import entity_iri

    ids = {str(entity_iri(eid)) for eid in resolution.entities}
    if entity not in ids:
        return []
    eid = next(e for e in resolution.entities if str(entity_iri(e)) == entity)
    rows = []
    for ex in extractions:
        doc_id = ex.article.doc_id
        for i, m in enumerate(ex.mentions):
            if m.source == "inferred" or resolution.mention_entity.get((doc_id, i)) != eid:
                continue  # inferred entities are implied by the text, not written in it
            if m.source == "headline":  # offsets are in the title
                sentence = ex.article.title
            else:
                sentence = sentence_at(ex.article.text, m.start, m.end, sorted((known or {}).get(doc_id, ())))
            rows.append(Evidence(kind="mention", text=m.text, sentence=sentence, article=doc_id,
                                 headline=headlines.get(doc_id, ex.article.title), start=m.start, end=m.end,
                                 role=m.source if m.source in ("headline", "demonym") else None))
    return rows


def sentence_at(text: str, start: int, end: int, known: Sequence[str] = ()) -> str:
    """The sentence of ``text`` holding ``text[start:end]``.

    A ``known`` sentence found in the text around the span wins; otherwise sentences end at
    ``.``/``!``/``?`` before a capital (not after a title or initial) and at line breaks.

    >>> sentence_at("Dr. Ada Lovelace wrote notes. She met Babbage in London.", 38, 45)
    'She met Babbage in London.'
    >>> sentence_at("Dr. Ada Lovelace wrote notes. She met Babbage.", 4, 16)
    'Dr. Ada Lovelace wrote notes.'
    """
    for sentence in known:
        at = text.find(sentence, max(0, end - len(sentence)))
        while at != -1 and at <= start:
            if at + len(sentence) >= end:
                return sentence
            at = text.find(sentence, at + 1)
    bounds = _boundaries(text)
    lo = max((b for b in bounds if b <= start), default=0)
    hi = min((b for b in bounds if b >= end), default=len(text))
    return text[lo:hi].strip()


@lru_cache(maxsize=64)
def _boundaries(text: str) -> tuple[int, ...]:
    out = []
    for m in _BOUNDARY.finditer(text):
        if not m.group().startswith("\n") and "\n" not in m.group():
            word = re.search(r"([\w.]+)[.!?]$", text[max(0, m.start() - 12):m.start()])
            if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                continue
        out.append(m.end())
    return tuple(out)


def _text(value) -> str | None:
    return None if value is None else str(value)
