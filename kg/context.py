"""Per-article lookup helpers shared by the rule extractors: token -> mention, safe coreference."""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer
from kg.lexicon import ORG_TYPES
from kg.records import Mention

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
ORG_PRONOUNS = frozenset({"it", "its", "itself"})
# "the alliance" -> the organisation most recently named whose name contains one of these words.
DEFINITE_ORG_NOUNS = {
    "alliance": ("alliance", "treaty", "nato"),
    "bloc": ("union", "bloc"),
    "company": (), "firm": (), "group": (), "carrier": ("air", "airline", "airlines", "airways"),
    "airline": ("air", "airline", "airlines", "airways"), "ministry": ("ministry",),
    "agency": ("agency",), "service": ("service",), "army": ("army", "forces"),
    "military": ("forces", "army", "military"), "government": ("government",),
    "brigade": ("brigade",), "regiment": ("regiment",), "battalion": ("battalion",), "court": ("court",),
}
_DEFINITE_ORG_TYPES = ORG_TYPES - {"Platform"}


class TitleIndex(dict):
    """Title word -> the one person holding it in the article; a title two different people
    hold ("President Ruto met President Museveni") maps to nobody and is kept in ``ambiguous``."""

    def __init__(self, mentions: list[Mention]):
        super().__init__()
        self._mentions = mentions
        self.ambiguous: set[str] = set()

    def _same(self, i: int, j: int) -> bool:
        return i == j or self._mentions[i].key == self._mentions[j].key

    def __setitem__(self, title: str, holder: int) -> None:
        if title in self.ambiguous:
            return
        if title in self and not self._same(self[title], holder):
            del self[title]
            self.ambiguous.add(title)
            return
        super().__setitem__(title, holder)

    def setdefault(self, title: str, holder: int) -> int | None:  # type: ignore[override]
        self[title] = holder
        return self.get(title)


class ArticleContext:
    """Mentions of one Doc with positional lookups and conservative coreference."""

    def __init__(self, doc: Doc, mentions: list[Mention], gazetteer: Gazetteer, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text  # spaCy rebuilds Doc.text on every access
        self.mentions = mentions
        self.gaz = gazetteer
        self._starts = [m.start for m in mentions]
        self._sent_starts: list[int] | None = None  # built on first use (needs sentence boundaries)
        self.titles = TitleIndex(mentions)  # lowercase position title -> holder mention index
        self.inferred: list[Mention] = []  # entities implied, not named (appended after the body's mentions)

    def mention_at(self, tok: Token) -> int | None:
        """Index of the mention covering the token, if any."""
        i = bisect.bisect_right(self._starts, tok.idx) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.start <= tok.idx < m.end:
                return i
            if m.end < tok.idx - 200:
                break
            i -= 1
        return None

    def mentions_in(self, span: Span | Token) -> list[int]:
        """Indices of mentions fully inside a span or a token's subtree."""
        if isinstance(span, Token):
            toks = list(span.subtree)
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
        else:
            start, end = span.start_char, span.end_char
        lo = bisect.bisect_left(self._starts, start)
        out = []
        for i in range(lo, len(self.mentions)):
            m = self.mentions[i]
            if m.start >= end:
                break
            if m.end <= end:
                out.append(i)
        return out

    def head_mention(self, tok: Token) -> int | None:
        """The mention a noun phrase headed by ``tok`` refers to (resolving pronouns)."""
        idx = self.mention_at(tok)
        if idx is not None:
            return idx
        low = tok.lower_
        if low in PERSON_PRONOUNS:
            return self.antecedent(tok, {"Person"})
        if low in ORG_PRONOUNS:
            return None  # "it" is too often an event or a clause
        if tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children):
            return self.definite(tok)
        return None

    def antecedent(self, tok: Token, types: set[str]) -> int | None:
        """Nearest preceding mention of the given types in this or the two previous sentences,
        only when that window names exactly one such entity (never guess between two people)."""
        sent_no = self._sent_no(tok)
        keys: list[str] = []
        best = None
        for i in range(len(self.mentions) - 1, -1, -1):
            m = self.mentions[i]
            if m.start >= tok.idx or m.type not in types:
                continue
            if m.sent < sent_no - 2:
                break
            if best is None:
                best = i
            keys.append(m.key)
        if best is None or len(set(keys)) != 1:
            return None
        return best

    def definite(self, tok: Token) -> int | None:
        """ "the president" -> the person who holds that title in this article; "the alliance" -> NATO."""
        low = tok.lemma_.lower()
        if low in self.titles:
            return self.titles[low]
        if low in self.titles.ambiguous:
            return None  # two presidents named: "the president" could be either
        words = DEFINITE_ORG_NOUNS.get(low)
        if words is None:
            return None
        for i in range(len(self.mentions) - 1, -1, -1):
            m = self.mentions[i]
            if m.start >= tok.idx or m.type not in _DEFINITE_ORG_TYPES:
                continue
            name = m.text.lower()
            if not words or any(w in name for w in words):
                return i
        return None

    def _sent_no(self, tok: Token) -> int:
        if self._sent_starts is None:
            self._sent_starts = [s.start for s in self.doc.sents]
        return max(bisect.bisect_right(self._sent_starts, tok.i) - 1, 0)

    def index_of_key(self, key: str) -> int | None:
        """Index of the first named mention with this key, if any."""
        return next((i for i, m in enumerate(self.mentions) if m.key == key), None)

    def country_mention(self, code: str, start: int, end: int) -> int | None:
        """Index of a mention of the country with ISO code ``code``: a named one, else an inferred
        mention anchored at ``start:end`` (the words that imply it)."""
        entry = self.gaz.entries.get(f"country:{code}")
        if entry is None:
            return None
        key = f"kb:{entry.id}"
        i = self.index_of_key(key)
        if i is not None:
            return i
        for j, m in enumerate(self.inferred):
            if m.key == key:
                return len(self.mentions) + j
        self.inferred.append(Mention(text=entry.name, type=entry.type, start=start, end=end, sent=-1,
                                     key=key, kb_id=entry.id, source="inferred"))
        return len(self.mentions) + len(self.inferred) - 1
