"""Claims: attributed statements, when they were made, and a listing grouped by fact.

:func:`add_reported_dates` writes ``kg:reportedDate`` on every attributed statement of a built
graph (a QuadSet): the date next to its reporting cue in the sentence ("said on 11 January", "claimed in
November", "On Tuesday, the ministry said"), resolved against the article's publication date,
else the publication date itself.

:func:`list_claims` reads a graph (files or a store, through :mod:`kg.query`) and returns the
claims grouped by ``kg:Fact``: who said it, in which outlet, when, how sure, in which sentence.
A claim is a statement node with a speaker, a factuality other than "asserted", or a fact.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Literal
from rdflib.namespace import RDF, XSD

from kg.graphindex import QuadSet, by_graph
from kg.timex import normalise, parse_article_date
from kg.vocab import KG, SCHEMA

STATEMENT_CLASSES = (KG.Assertion, KG.Position, KG.Event, KG.Quantity, KG.Quote)
_MONTH = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
#: A date phrase as it follows or opens a reporting clause.
DATE_PHRASE = re.compile(
    rf"\b(?:(?:on|in|last|this|early|late)\s+)?(?:(?:{_WEEKDAY})|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})\b\.?"
    rf"(?:,?\s+\d{{4}})?|(?:{_MONTH})\b\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})\b"
    r"|\b(?:yesterday|today)\b", re.I)
#: What may sit between a cue and its date: nothing, or a prepositional phrase ("wrote on Telegram
#: on Monday", "said in a statement on Tuesday"), never a clause ("said troops left on Monday").
_BEFORE_DATE = re.compile(r"\s*(?:(?:on|at|in|to|during|via|through|from|before|after)\s+[^,;:.\"\u201c]*?)?\s*,?\s*")
#: Cues with an addressee before the date ("told reporters on Monday").
_TELL = r"(told|informed|briefed|assured|warned)$"
_CLAUSE = re.compile(r"\b(that|which|who|after|before|since|when|had|has|have|was|were|is|are|will|would)\b")
#: How far after the cue word a date may sit ("said on Saturday", "claimed in November that").
AFTER_CUE = 40


def reported_date(sentence: str, cue: str | None, published: str | None) -> str | None:
    """ISO value of when the cue's speaker spoke: a date phrase right after the cue (or opening
    the sentence before it), else the publication date."""
    ref = parse_article_date(published)
    if cue:
        at = re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", sentence)
        if at is not None:
            for m in DATE_PHRASE.finditer(sentence, at.end(), at.end() + AFTER_CUE + 30):
                if m.start() - at.end() > AFTER_CUE:
                    break
                if _BEFORE_DATE.fullmatch(sentence[at.end():m.start()]) or (
                        re.match(_TELL, cue, re.I) and not _CLAUSE.search(sentence[at.end():m.start()])):
                    value = normalise(m.group(), ref)
                    if value:
                        return value
            m = DATE_PHRASE.match(sentence)  # "On Tuesday, the ministry said ..."
            if m and m.end() < at.start() and "," in sentence[m.end():at.start()]:
                value = normalise(m.group(), ref)
                if value:
                    return value
    return ref.isoformat() if ref else None


def _date_literal(value: str) -> Literal:
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


def add_reported_dates(ds: QuadSet, graphs: dict | None = None) -> int:
    """Add ``kg:reportedDate`` to every statement with a cue or speaker; returns how many.

    ``graphs``: ``by_graph(ds)`` when already at hand.
    """
    count = 0
    for name, g in (graphs if graphs is not None else by_graph(ds)).items():
        article = next(iter(g.subjects(RDF.type, SCHEMA.NewsArticle)), None)
        if article is None:
            continue
        published = g.value(article, SCHEMA.datePublished)
        for cls in STATEMENT_CLASSES:
            for node in list(g.subjects(RDF.type, cls)):
                cue = g.value(node, KG.cue)
                if cue is None and g.value(node, KG.speaker) is None:
                    continue
                if g.value(node, KG.reportedDate) is not None:
                    continue
                value = reported_date(str(g.value(node, KG.sentence) or ""), str(cue) if cue else None,
                                      str(published) if published is not None else None)
                if value and re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
                    ds.add(node, KG.reportedDate, _date_literal(value), name)
                    count += 1
    return count


# --- listing ----------------------------------------------------------------------------------

CLAIMS_QUERY = """
SELECT ?claim (SAMPLE(?kind_) AS ?kind) (SAMPLE(?content_) AS ?content) (SAMPLE(?speakerName_) AS ?speakerName)
       (SAMPLE(?cue_) AS ?cue) (SAMPLE(?channel_) AS ?channel) (SAMPLE(?factuality_) AS ?factuality)
       (SAMPLE(?date_) AS ?date) (SAMPLE(?articleId_) AS ?articleId) (SAMPLE(?outlet_) AS ?outlet)
       (SAMPLE(?sentence_) AS ?sentence) (SAMPLE(?fact_) AS ?fact) (SAMPLE(?start_) AS ?start)
WHERE {
  VALUES ?cls { kg:Assertion kg:Position kg:Event kg:Quantity kg:Quote }
  ?claim a ?cls ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?claim kg:speaker/rdfs:label ?speakerName_ }
  OPTIONAL { ?claim kg:factuality ?factuality_ }
  OPTIONAL { ?fact_ kg:evidence ?claim }
  FILTER(BOUND(?speakerName_) || BOUND(?fact_) || (BOUND(?factuality_) && ?factuality_ != "asserted"))
  OPTIONAL { ?claim a ?k . FILTER(STRSTARTS(STR(?k), STR(kg:)) && ?k != kg:Event) }
  BIND(STRAFTER(STR(COALESCE(?k, ?cls)), "#") AS ?kind_)
  OPTIONAL { ?claim rdfs:label ?label }
  OPTIONAL { ?claim kg:quoteText ?quoteText }
  OPTIONAL { ?claim kg:quantityText ?quantityText }
  BIND(COALESCE(?quoteText, ?label, ?quantityText) AS ?content_)
  OPTIONAL { ?claim kg:cue ?cue_ }
  OPTIONAL { ?claim kg:channel ?channel_ }
  OPTIONAL { ?claim kg:sentence ?sentence_ }
  OPTIONAL { ?claim kg:startChar ?start_ }
  OPTIONAL { ?claim kg:reportedDate ?reported }
  OPTIONAL { ?article schema:datePublished ?published }
  BIND(COALESCE(STR(?reported), SUBSTR(STR(?published), 1, 10)) AS ?date_)
  OPTIONAL { ?article schema:identifier ?articleId_ }
  OPTIONAL { ?article schema:publisher/rdfs:label ?outlet_ }
}
GROUP BY ?claim
"""

FACTS_QUERY = """
SELECT ?fact (SAMPLE(?l) AS ?label) (SAMPLE(?o) AS ?outlets) (SAMPLE(?a) AS ?articles) (SAMPLE(?c) AS ?conflicting)
WHERE { ?fact a kg:Fact . OPTIONAL { ?fact rdfs:label ?l } OPTIONAL { ?fact kg:outletCount ?o }
        OPTIONAL { ?fact kg:articleCount ?a } OPTIONAL { ?fact kg:conflicting ?c } }
GROUP BY ?fact
"""

#: Entities a claim is about or comes from (for --entity).
NAMES_QUERY = """
SELECT DISTINCT ?claim ?name WHERE {
  VALUES ?p { kg:speaker rdf:subject rdf:object kg:agent kg:patient kg:theme kg:location kg:destination
              kg:recipient kg:instrument kg:quantityOf kg:positionHolder kg:positionIn }
  ?claim ?p ?e . { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name }
}
"""

CONFLICTS_QUERY = "SELECT ?a ?b WHERE { ?a kg:conflictsWith ?b }"


@dataclass
class Claim:
    """One attributed (or hedged, or corroborated) statement."""

    iri: str
    kind: str
    content: str
    speaker: str | None
    cue: str | None
    channel: str | None
    factuality: str
    date: str | None
    article: str | None
    outlet: str | None
    sentence: str
    start: int = 0
    conflicts_with: list[str] = field(default_factory=list)


@dataclass
class ClaimGroup:
    """Claims of one fact (or a single claim that no other article states)."""

    label: str
    fact: str | None = None
    outlets: int | None = None
    articles: int | None = None
    conflicting: bool = False
    claims: list[Claim] = field(default_factory=list)


def _rows(result) -> list[dict[str, str | None]]:
    names = [v.value for v in result.variables]
    return [{n: (None if sol[n] is None else str(sol[n].value)) for n in names} for sol in result]


def list_claims(sources: Sequence[str | os.PathLike[str]], entity: str | None = None) -> list[ClaimGroup]:
    """Claims of the graph files or store in ``sources`` grouped by fact, facts reported by most
    outlets first; with ``entity``, only claims by or about an entity whose name contains it."""
    from kg.query import run_query

    rows = _rows(run_query(sources, CLAIMS_QUERY))
    claims = [Claim(iri=r["claim"], kind=r["kind"] or "", content=r["content"] or "", speaker=r["speakerName"],
                    cue=r["cue"], channel=r["channel"], factuality=r["factuality"] or "asserted", date=r["date"],
                    article=r["articleId"], outlet=r["outlet"], sentence=r["sentence"] or "",
                    start=int(r["start"] or 0))
              for r in rows]
    fact_of = {r["claim"]: r["fact"] for r in rows if r["fact"]}
    if entity:
        needle = entity.casefold()
        about: dict[str, set[str]] = {}
        for r in _rows(run_query(sources, NAMES_QUERY)):
            about.setdefault(r["claim"], set()).add(r["name"].casefold())
        keep = {iri for iri, names in about.items() if any(needle in n for n in names)}
        claims = [c for c in claims if c.iri in keep]
    conflicts: dict[str, list[str]] = {}
    for r in _rows(run_query(sources, CONFLICTS_QUERY)):
        conflicts.setdefault(r["a"], []).append(r["b"])
    facts = {r["fact"]: r for r in _rows(run_query(sources, FACTS_QUERY))}
    groups: dict[str, ClaimGroup] = {}
    for c in claims:
        c.conflicts_with = sorted(conflicts.get(c.iri, []))
        fact = fact_of.get(c.iri)
        if fact is not None and fact in facts:
            f = facts[fact]
            grp = groups.setdefault(fact, ClaimGroup(
                label=f["label"] or c.content, fact=fact, outlets=int(f["outlets"] or 0),
                articles=int(f["articles"] or 0), conflicting=(f["conflicting"] or "").lower() in ("true", "1")))
        else:
            grp = groups.setdefault(c.iri, ClaimGroup(label=f"{c.kind}: {c.content}" if c.kind else c.content))
        grp.claims.append(c)
    for grp in groups.values():
        grp.claims.sort(key=lambda c: (c.date or "", c.article or "", c.start))
    return sorted(groups.values(), key=lambda g: (-(g.outlets or 0), g.fact is None, min(
        (c.article or "", c.start) for c in g.claims), g.label))


def format_claims(groups: list[ClaimGroup]) -> str:
    """Plain-text listing: one block per fact, one line per claim plus its sentence."""
    out = []
    for grp in groups:
        head = grp.label
        if grp.fact:
            head += f"  [fact: {grp.outlets} outlet{'s' if grp.outlets != 1 else ''}, {grp.articles} articles"
            head += ", CONFLICTING figures]" if grp.conflicting else "]"
        out.append(head)
        for c in grp.claims:
            who = c.speaker or "(the article)"
            how = f" {c.cue}" if c.cue else ""
            where = f" {c.channel}" if c.channel else ""
            flag = "  <> conflicts" if c.conflicts_with else ""
            content = f" {c.content}" if grp.fact and c.content != grp.label else ""
            out.append(f"  - {who}{how}{where} | {c.outlet or c.article or '?'} | {c.date or '?'} | "
                       f"{c.factuality}{flag}{' |' + content if content else ''}")
            out.append(f"      \"{' '.join(c.sentence.split())}\"")
        out.append("")
    return "\n".join(out)
