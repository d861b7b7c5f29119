"""Plain-Python quads and indexes, for the build's passes that write and read many small pieces.

:class:`QuadSet` is what ``kg build`` maps a corpus into: an insertion-ordered set of quads of
rdflib terms, about ten times cheaper to fill and to scan than rdflib's in-memory Dataset
(whose every ``add`` updates several indexes and every ``quads()`` walks its context maps).
rdflib's Dataset also answers a pattern inside one named graph by testing every triple that
matches in any graph, so per-article loops over it grow with the square of the corpus; one
pass over the quads into :class:`TripleIndex` dicts keeps such readers linear.
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter
from typing import Any, Iterable, Iterator

import rdflib


class QuadSet:
    """An insertion-ordered set of ``(s, p, o, g)`` quads of rdflib terms; ``g`` None is the default graph."""

    def __init__(self, namespaces: dict[str, Any] | None = None) -> None:
        self._quads: dict[tuple, None] = {}
        self.namespaces = dict(namespaces or {})

    def add(self, s, p, o, g=None) -> None:
        """Add one quad (a no-op when present)."""
        self._quads[(s, p, o, g)] = None

    def graph(self, name=None) -> _GraphWriter:
        """A writer whose ``add((s, p, o))`` adds to graph ``name`` (None: the default graph)."""
        return _GraphWriter(self, name)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._quads)

    def __len__(self) -> int:
        return len(self._quads)

    def to_dataset(self) -> rdflib.Dataset:
        """The same quads as an rdflib Dataset (prefixes bound)."""
        ds = rdflib.Dataset()
        for prefix, ns in self.namespaces.items():
            ds.bind(prefix, ns, override=True)
        graphs: dict[Any, rdflib.Graph] = {}
        for s, p, o, g in self._quads:
            target = graphs.get(g)
            if target is None:
                target = graphs[g] = ds.default_graph if g is None else ds.graph(g)
            target.add((s, p, o))
        return ds


class _GraphWriter:
    __slots__ = ("_quads", "_name")

    def __init__(self, quads: QuadSet, name) -> None:
        self._quads, self._name = quads._quads, name

    def add(self, triple: tuple) -> None:
        self._quads[(*triple, self._name)] = None


class TripleIndex:
    """Subject-predicate and predicate-object indexes of a set of triples (insertion order kept)."""

    def __init__(self) -> None:
        self._sp: dict[tuple, list] = {}
        self._po: dict[Any, dict[Any, list]] = {}

    def add(self, s, p, o) -> None:
        """Index one triple."""
        self.add_all(((s, p, o),))

    def objects(self, s, p) -> Iterator:
        """Objects of ``s p ?o``."""
        return iter(self._sp.get((s, p), ()))

    def value(self, s, p) -> Any:
        """The first object of ``s p ?o``, or None."""
        objects = self._sp.get((s, p))
        return objects[0] if objects else None

    def subjects(self, p, o) -> Iterator:
        """Subjects of ``?s p o``."""
        return iter(self._po.get(p, {}).get(o, ()))

    def subject_objects(self, p) -> Iterator[tuple]:
        """Pairs of ``?s p ?o``."""
        return ((s, o) for o, subjects in self._po.get(p, {}).items() for s in subjects)

    def add_all(self, triples: Iterable[tuple]) -> None:
        """Index many triples (or quads: their graph is ignored). The build's hot path."""
        sp, po = self._sp, self._po
        sp_get, po_get = sp.get, po.get
        for t in triples:
            s, p, o = t[0], t[1], t[2]
            objects = sp_get((s, p))
            if objects is None:
                sp[(s, p)] = [o]
            else:
                objects.append(o)
            by_object = po_get(p)
            if by_object is None:
                by_object = po[p] = {}
            subjects = by_object.get(o)
            if subjects is None:
                by_object[o] = [s]
            else:
                subjects.append(s)

    @classmethod
    def union(cls, graph: rdflib.Graph | QuadSet, *, unique: bool = True) -> TripleIndex:
        """Every triple of ``graph``; for a Dataset or QuadSet, of all its graphs.

        ``unique=False`` skips removing the triples several graphs share (a reader that
        dedupes anyway saves the hashing of every triple).
        """
        index = cls()
        if isinstance(graph, QuadSet):
            index.add_all(dict.fromkeys(map(itemgetter(0, 1, 2), graph)) if unique else graph)
        elif isinstance(graph, rdflib.ConjunctiveGraph):  # Dataset is a subclass
            triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
            index.add_all(dict.fromkeys(triples) if unique else triples)
        else:
            index.add_all(graph)
        return index


def by_graph(ds: rdflib.Dataset | QuadSet) -> dict[Any, TripleIndex]:
    """One index per graph (keys: graph identifiers; None for a QuadSet's default graph), in one pass."""
    groups: dict[Any, list] = defaultdict(list)
    if isinstance(ds, QuadSet):
        for quad in ds:
            groups[quad[3]].append(quad)
    else:
        for s, p, o, g in ds.quads((None, None, None, None)):
            groups[getattr(g, "identifier", g)].append((s, p, o))
    out: dict[Any, TripleIndex] = {}
    for name, triples in groups.items():
        out[name] = index = TripleIndex()
        index.add_all(triples)
    return out
