"""Resolution stage: mentions of all articles -> one :class:`Entity` per real-world thing.

Linear in the number of mentions: mentions are blocked by their normalised key (already
folded for honorifics, possessives, transliteration, acronyms defined in text and
gazetteer ids), keys are joined by a union-find over alias pairs and unambiguous links
(surname -> full name, plain name -> gazetteer entity of that name, plural and legal-form
variants of organisation names, one-word company or product -> the only longer name it opens
or ends; within an article, a name with its last word cut short or misspelt by two swapped
letters), and each cluster takes its type by vote (gazetteer first, then cue words, then
the model).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from wordfreq import zipf_frequency

from kg.gazetteer import Gazetteer
from kg.lexicon import PLACE_NAME_HEADS
from kg.names import name_key, singular, slug
from kg.records import Entity, Extraction
from kg.vocab import FAMILY

# More specific classes win within a family when any mention votes for them.
SPECIFICITY = {
    "MilitaryUnit": 3, "GovernmentOrganization": 2, "MediaOrganization": 2, "Platform": 2,
    "Country": 3, "City": 3, "AdministrativeRegion": 3, "BodyOfWater": 3,
}
SOURCE_WEIGHT = {"metonymy": 0.0, "gazetteer": 4.0, "rule": 2.0, "ner": 1.0, "headline": 0.5, "demonym": 0.0, "inferred": 0.0, "coref": 0.5, "cue": 2.0}
#: Mentions whose text is not a name of the entity (never an alias or label).
UNNAMED = frozenset({"demonym", "inferred", "metonymy"})


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # keep gazetteer keys as roots so clusters are named after them
            if rb.startswith("kb:") and not ra.startswith("kb:") or (ra.startswith("kb:") == rb.startswith("kb:") and rb < ra):
                ra, rb = rb, ra
            self.parent[rb] = ra


@dataclass
class Resolution:
    """Entities plus the entity id of every mention ``(doc_id, mention index)``."""

    entities: dict[str, Entity] = field(default_factory=dict)
    mention_entity: dict[tuple[str, int], str] = field(default_factory=dict)

    def entity_of(self, doc_id: str, index: int | None) -> Entity | None:
        if index is None:
            return None
        eid = self.mention_entity.get((doc_id, index))
        return self.entities.get(eid) if eid else None


def resolve(extractions: list[Extraction], gazetteer: Gazetteer) -> Resolution:
    """Cluster the mentions of every article into entities."""
    uf = _UnionFind()
    for ex in extractions:
        for m in ex.mentions:
            uf.find(m.key)
        for short, long in ex.aliases:
            if short in uf.parent:
                uf.union(long, short)
    _link_surnames(extractions, uf)
    _link_known_names(extractions, uf)
    _link_plural_variants(extractions, uf)
    surnames = _surnames(extractions)
    _link_org_prefixes(extractions, uf, gazetteer, surnames)
    _link_model_names(extractions, uf, surnames)
    for ex in extractions:
        _link_variants_in_article(ex, uf)

    clusters: dict[str, list] = defaultdict(list)
    for ex in extractions:
        for i, m in enumerate(ex.mentions):
            clusters[uf.find(m.key)].append((ex.article.doc_id, i, m))

    res = Resolution()
    used_ids: set[str] = set()
    for root in sorted(clusters):
        members = clusters[root]
        ent = _make_entity(root, members, gazetteer)
        if ent is None:
            continue
        base = f"{FAMILY.get(ent.type, 'Other').lower()}/{slug(ent.label)}"
        eid, n = base, 2
        while eid in used_ids:
            eid, n = f"{base}-{n}", n + 1
        used_ids.add(eid)
        ent.id = eid
        res.entities[eid] = ent
        for doc_id, i, _ in members:
            res.mention_entity[(doc_id, i)] = eid
    return res


def _link_surnames(extractions: list[Extraction], uf: _UnionFind) -> None:
    """A one-word person key joins the only multi-word person key of the corpus ending with it."""
    by_last: dict[str, set[str]] = defaultdict(set)
    singles: set[str] = set()
    for ex in extractions:
        for m in ex.mentions:
            if m.type != "Person" or m.kb_id:
                continue
            words = m.key.split()
            if len(words) > 1:
                by_last[words[-1]].add(m.key)
            elif words:
                singles.add(m.key)
    for key in sorted(singles):
        full = by_last.get(key)
        if full and len(full) == 1:
            uf.union(next(iter(full)), key)


def _link_known_names(extractions: list[Extraction], uf: _UnionFind) -> None:
    """A plain key joins the gazetteer entity whose mentions carry the same name in the same
    family ("Fiat" in a headline and "Fiat" matched in the body), if only one does."""
    known: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ex in extractions:
        for m in ex.mentions:
            if m.key.startswith("kb:") and m.source not in UNNAMED:
                known[(name_key(m.text, org=True), FAMILY.get(m.type, "Other"))].add(m.key)
    for ex in extractions:
        for m in ex.mentions:
            if m.key.startswith("kb:") or m.source in UNNAMED:
                continue
            found = known.get((name_key(m.text, org=True), FAMILY.get(m.type, "Other")))
            if found and len(found) == 1:
                uf.union(next(iter(found)), m.key)


def _link_plural_variants(extractions: list[Extraction], uf: _UnionFind) -> None:
    """Organisation keys that differ only by a final plural join ("Ford Motors Co." / "Ford Motor Company")."""
    by_variant: dict[str, str] = {}
    for ex in extractions:
        for m in ex.mentions:
            if FAMILY.get(m.type) != "Organization" or m.kb_id or m.source in UNNAMED or " " not in m.key:
                continue
            words = m.key.split()
            variant = " ".join(words[:-1] + [singular(words[-1])])
            if variant in by_variant:
                uf.union(by_variant[variant], m.key)
            else:
                by_variant[variant] = m.key


def _surnames(extractions: list[Extraction]) -> set[str]:
    """Last words of the corpus's multi-word person keys (never joined to a company or product)."""
    return {m.key.split()[-1] for ex in extractions for m in ex.mentions if m.type == "Person" and " " in m.key}


def _link_model_names(extractions: list[Extraction], uf: _UnionFind, surnames: set[str]) -> None:
    """A one-word product name joins the only longer name of the corpus ending with it
    ("Taurus" -> "Ford Taurus"); so does a one-word "company" or "person" when that longer
    name is a product's ("Nano" -> "iPod Nano"), unless it is some person's surname."""
    by_last: dict[str, set[str]] = defaultdict(set)
    singles: set[str] = set()
    loose: set[str] = set()
    products: set[str] = set()
    for ex in extractions:
        for m in ex.mentions:
            words = m.key.split()
            if m.kb_id or m.source in UNNAMED or FAMILY.get(m.type) == "Location":
                continue
            if m.type == "Product":
                products.add(m.key)
            if len(words) > 1 and m.type != "Person":
                by_last[words[-1]].add(m.key)
            elif len(words) == 1 and len(words[0]) > 2:
                (singles if m.type in ("Product", "Other") else loose).add(m.key)
    for key in sorted(singles | (loose - surnames)):
        full = {uf.find(k) for k in by_last.get(key, ())}
        if len(full) == 1 and (key in singles or by_last[key] <= products):
            uf.union(next(iter(full)), key)


def _link_variants_in_article(ex: Extraction, uf: _UnionFind) -> None:
    """Within one article: an organisation name with its last word cut short ("Penske Auto" ->
    "Penske Automotive Group") and a one-word name misspelt by two swapped letters ("Chrylser")."""
    named = [m for m in ex.mentions if m.source not in UNNAMED]
    orgs = {m.key for m in named if FAMILY.get(m.type) == "Organization" and not m.kb_id}
    long_orgs = {name_key(m.text, org=True): m.key for m in named if FAMILY.get(m.type) == "Organization"}
    for key in sorted(orgs):
        words = key.split()
        if len(words) < 2 or len(words[-1]) < 4:
            continue
        found = {k for n, k in long_orgs.items() if k != key and len(n.split()) == len(words)
                 and n.split()[:-1] == words[:-1] and n.split()[-1].startswith(words[-1])}
        if len(found) == 1:
            uf.union(found.pop(), key)
    names = {name_key(m.text): m for m in named}
    uses = Counter(m.key for m in named)
    weight = lambda text, m: (bool(m.kb_id), uses[m.key], zipf_frequency(text, "en"))  # noqa: E731
    for text, m in names.items():
        if m.kb_id or " " in text or len(text) < 6:
            continue
        for other, o in names.items():
            if other != text and len(other) == len(text) and FAMILY.get(o.type) == FAMILY.get(m.type) \
                    and _swapped(text, other) and weight(other, o) > weight(text, m):
                uf.union(o.key, m.key)  # the spelling the gazetteer, the article or English uses more
                break


def _swapped(a: str, b: str) -> bool:
    """ "chrylser" / "chrysler": equal but for two neighbouring letters in the other order."""
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _link_org_prefixes(extractions: list[Extraction], uf: _UnionFind, gazetteer: Gazetteer,
                       surnames: set[str]) -> None:
    """A one-word organisation key joins the only multi-word organisation key of the corpus
    that starts with it ("Cerberus" -> "Cerberus Capital Management"); so does a one-word
    "place" no gazetteer knows ("AirTran" -> "AirTran Airways")."""
    by_first: dict[str, set[str]] = defaultdict(set)
    singles: set[str] = set()
    for ex in extractions:
        for m in ex.mentions:
            if m.kb_id or m.source in UNNAMED:
                continue
            words = m.key.split()
            if FAMILY.get(m.type) == "Organization" and len(words) > 1:
                by_first[words[0]].add(uf.find(m.key))
            elif len(words) == 1 and len(words[0]) > 2 and (
                    FAMILY.get(m.type) in ("Organization", "Person")
                    or FAMILY.get(m.type) == "Location" and not gazetteer.is_place_name(m.text)):
                singles.add(m.key)  # the model often calls a one-word company a person ("Cerberus")
    for key in sorted(singles - surnames):
        full = by_first.get(key)
        if full and len(full) == 1:
            uf.union(next(iter(full)), key)


def _vote_type(members, entry) -> str:
    if entry is not None:
        return entry.type
    # a cue word ("FTSE 100 index", "Trent 900 engines") outvotes the model wherever it was seen
    cued = [x for x in members if x[2].source == "cue"]
    votes: Counter = Counter()
    for _, _, m in cued or members:
        votes[m.type] += SOURCE_WEIGHT.get(m.source, 1.0)
    families: Counter = Counter()
    for t, w in votes.items():
        families[FAMILY.get(t, "Other")] += w
    family = max(sorted(families), key=lambda f: families[f])
    candidates = [t for t in votes if FAMILY.get(t, "Other") == family and votes[t] > 0] or [family]
    return max(sorted(candidates), key=lambda t: (SPECIFICITY.get(t, 0), votes[t]))


def _place_type(named, type_: str, gazetteer: Gazetteer) -> str:
    """Places the model calls people or organisations: "Atacama Desert", and a one-word "person"
    never named with a first name whose name is a GeoNames town ("Ravenna", "Paldiski")."""
    words = {m.text.split()[-1].lower() for m in named if m.text}
    heads = {PLACE_NAME_HEADS[w] for w in words if w in PLACE_NAME_HEADS}
    if len(heads) == 1 and all(len(m.text.split()) > 1 for m in named):
        return heads.pop()
    if type_ == "Person" and named and all(len(m.text.split()) == 1 for m in named) \
            and all(gazetteer.is_place_name(m.text) for m in named):
        return "City"
    return type_


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z.&-]{1,9}", text))


def _make_entity(root: str, members, gazetteer: Gazetteer) -> Entity | None:
    entry = None
    for key in [root] + [m.key for _, _, m in members]:
        if key.startswith("kb:"):
            entry = gazetteer.entries.get(key[3:])
            if entry is not None:
                break
    named = [m for _, _, m in members if m.source not in UNNAMED]
    if not named and entry is None:
        return None
    type_ = _vote_type(members, entry)
    if entry is None and FAMILY.get(type_) in ("Person", "Organization", "Other"):
        type_ = _place_type(named, type_, gazetteer)
    surfaces = Counter(m.text for m in named if FAMILY.get(m.type) == FAMILY.get(type_) or entry is not None)
    if not surfaces:
        surfaces = Counter(m.text for m in named) or Counter([entry.name])
    if entry is not None:
        label = entry.name
    else:
        label = max(sorted(surfaces), key=lambda s: (not _is_acronym(s), len(s.split()) if type_ == "Person" else 0,
                                                     surfaces[s], len(s)))
    ent = Entity(id="", type=type_, label=label, aliases={s for s in surfaces if s != label})
    if entry is not None:
        ent.kb_id, ent.wikidata, ent.geonames = entry.id, entry.wikidata, entry.geonames
        ent.country_code, ent.lat, ent.lon = entry.country, entry.lat, entry.lon
    ent.mentions = len(named)
    ent.docs = {d for d, _, _ in members}
    return ent
