"""Extraction stage: one parsed article -> :class:`kg.records.Extraction`.

Runs the rule extractors in a fixed order over the body Doc (mentions, positions,
relations, events, quantities, reported speech) and keeps the headline's mentions only
when they are safe (gazetteer names, or names also found in the body).
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.attribution import attribute, find_cues, quotes
from kg.context import ArticleContext
from kg.events import EventFinder
from kg.gazetteer import Gazetteer
from kg.mentions import MentionFinder, link_relations
from kg.names import is_title_case_line
from kg.quantities import quantities
from kg.records import Article, Extraction, Relation
from kg.relations import RelationFinder
from kg.timex import normalise, parse_article_date

#: Bumped whenever extraction output changes, so cached extractions are recomputed.
EXTRACTOR_VERSION = "1"


def date_index(doc: Doc, article: Article) -> dict[int, str]:
    """Token index -> ISO value for every DATE/TIME entity, relative to the article date."""
    ref = parse_article_date(article.date)
    out: dict[int, str] = {}
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            value = normalise(ent.text, ref)
            if value:
                for tok in ent:
                    out[tok.i] = value
    return out


def extract(doc: Doc, article: Article, gazetteer: Gazetteer, headline: Doc | None = None,
            min_confidence: float = 0.0, text: str | None = None) -> Extraction:
    """Everything kg extracts from one article.

    ``text``: ``doc.text`` when the caller has it (the string the Doc was parsed from).
    """
    text = doc.text if text is None else text  # spaCy rebuilds Doc.text from the tokens on every access
    finder = MentionFinder(gazetteer)
    mentions, links, aliases = finder.find(doc, text)
    ctx = ArticleContext(doc, mentions, gazetteer, text)
    dates = date_index(doc, article)

    rel_finder = RelationFinder(ctx)
    positions = rel_finder.positions()
    relations: list[Relation] = link_relations(doc, mentions, links) + rel_finder.located_in()
    events = EventFinder(ctx).find(dates)
    quants = quantities(ctx)
    cues = find_cues(ctx, dates)
    quote_list = quotes(ctx, cues)
    attribute(ctx, [*events, *relations, *quants], cues, quote_list)
    for ev in events:
        if ev.date is None:  # "said on 11 January that ... captured": the report date
            ev.date = next((c.date for c in cues if c.start <= ev.prov.start and ev.prov.end <= c.end and c.date), None)

    mentions.extend(ctx.inferred)
    if headline is not None:
        mentions.extend(_headline_mentions(finder, headline, mentions))

    keep = lambda st: st.prov.confidence >= min_confidence  # noqa: E731
    return Extraction(
        article=article, mentions=mentions, relations=[r for r in relations if keep(r)],
        positions=[p for p in positions if keep(p)], events=[e for e in events if keep(e)],
        quantities=[q for q in quants if keep(q)], quotes=quote_list, aliases=aliases,
    )


def _headline_mentions(finder: MentionFinder, headline: Doc, body_mentions):
    """Headline mentions; in Title Case headlines only names the body or the gazetteer confirm."""
    found, _, _ = finder.find(headline)
    title_case = is_title_case_line(headline.text)
    body_keys = {m.key for m in body_mentions}
    out = []
    for m in found:
        if m.source == "demonym":
            continue
        if title_case and not m.kb_id and m.key not in body_keys:
            continue
        m.sent, m.source = -1, "headline"
        out.append(m)
    return out
