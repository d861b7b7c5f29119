"""Plain-dict indexes over an rdflib graph, for passes that read many small pieces of it.

rdflib's in-memory Dataset answers a pattern inside one named graph by testing every triple
that matches in any graph, so per-article loops over a Dataset grow with the square of the
corpus. One pass over the quads into these dicts keeps such readers linear.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

import rdflib


class TripleIndex:
    """Subject-predicate and predicate-object indexes of a set of triples (insertion order kept)."""

    def __init__(self) -> None:
        self._sp: dict[Any, dict[Any, list]] = defaultdict(lambda: defaultdict(list))
        self._po: dict[Any, dict[Any, list]] = defaultdict(lambda: defaultdict(list))

    def add(self, s, p, o) -> None:
        """Index one triple."""
        self._sp[s][p].append(o)
        self._po[p][o].append(s)

    def objects(self, s, p) -> Iterator:
        """Objects of ``s p ?o``."""
        return iter(self._sp[s][p]) if s in self._sp and p in self._sp[s] else iter(())

    def value(self, s, p) -> Any:
        """The first object of ``s p ?o``, or None."""
        return next(self.objects(s, p), None)

    def subjects(self, p, o) -> Iterator:
        """Subjects of ``?s p o``."""
        return iter(self._po[p][o]) if p in self._po and o in self._po[p] else iter(())

    def subject_objects(self, p) -> Iterator[tuple]:
        """Pairs of ``?s p ?o``."""
        return ((s, o) for o, subjects in self._po.get(p, {}).items() for s in subjects)

    @classmethod
    def union(cls, graph: rdflib.Graph) -> TripleIndex:
        """Every triple of ``graph``; for a Dataset, of all its graphs."""
        index = cls()
        if isinstance(graph, rdflib.ConjunctiveGraph):  # Dataset is a subclass
            seen = set()
            for s, p, o, _ in graph.quads((None, None, None, None)):
                if (s, p, o) not in seen:
                    seen.add((s, p, o))
                    index.add(s, p, o)
        else:
            for s, p, o in graph:
                index.add(s, p, o)
        return index


def by_graph(ds: rdflib.Dataset) -> dict[Any, TripleIndex]:
    """One index per graph of the Dataset (keys: graph identifiers), in one pass over its quads."""
    out: dict[Any, TripleIndex] = defaultdict(TripleIndex)
    for s, p, o, g in ds.quads((None, None, None, None)):
        out[getattr(g, "identifier", g)].add(s, p, o)
    return dict(out)
