"""Write RDF graphs and datasets to files: Turtle, TriG, N-Triples, N-Quads, JSON-LD.

Output is deterministic (quads sorted, our prefixes in a fixed order, blank nodes
canonicalised) and written atomically. Turtle/TriG/N-Triples/N-Quads go through
pyoxigraph's serialisers, which are much faster than rdflib's on large graphs
(see ``benchmarks/bench_serialize.py``); JSON-LD is written here, compacted with a
``@context`` holding our prefixes.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.graphindex import QuadSet
from kg.vocab import PREFIXES

#: Format name -> (pyoxigraph format or None for our own writer, holds named graphs).
FORMATS = {
    "ttl": (ox.RdfFormat.TURTLE, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "nq": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (None, True),
}
#: File suffix -> format name, for guessing the format from an output path.
SUFFIXES = {
    ".ttl": "ttl", ".turtle": "ttl", ".trig": "trig", ".nt": "nt", ".ntriples": "nt",
    ".nq": "nq", ".nquads": "nq", ".jsonld": "jsonld", ".json": "jsonld",
}

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class SerializeError(ValueError):
    """An unknown format or a graph that cannot be written."""


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """Return the format name given explicitly or guessed from ``path``'s suffix."""
    if fmt:
        fmt = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "json-ld": "jsonld"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise SerializeError(f"unknown RDF format {fmt!r} (choose from {', '.join(FORMATS)})")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise SerializeError(f"{path}: cannot tell the RDF format from suffix {suffix!r}")
    return SUFFIXES[suffix]


# --- rdflib <-> pyoxigraph terms ------------------------------------------------------------

def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(_bnode_id(term))
    raise SerializeError(f"cannot convert {term!r} to an RDF term")


def from_ox(term) -> URIRef | BNode | Literal:
    """Convert a pyoxigraph term to the equal rdflib term (xsd:string -> plain literal)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt in (_XSD_STRING, _RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise SerializeError(f"cannot convert {term!r} to an rdflib term")


def _bnode_id(node: BNode) -> str:
    value = str(node)
    # pyoxigraph wants ids that are valid Turtle blank node labels
    return value if value.replace("_", "").replace("-", "").isalnum() else "b" + value.encode().hex()


def quads_of(graph: Graph | QuadSet) -> Iterator[ox.Quad]:
    """Yield the quads of an rdflib Dataset or a QuadSet (graph names kept) or Graph (default graph)."""
    cache: dict = {}

    def conv(term):
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_ox(term)
        return found

    if isinstance(graph, QuadSet):
        for s, p, o, g in graph:
            if g is None:
                yield ox.Quad(conv(s), conv(p), conv(o))
            else:
                yield ox.Quad(conv(s), conv(p), conv(o), conv(g))
    elif isinstance(graph, Dataset):
        for s, p, o, g in graph.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            if name is None or name == DATASET_DEFAULT_GRAPH_ID:
                yield ox.Quad(conv(s), conv(p), conv(o))
            else:
                yield ox.Quad(conv(s), conv(p), conv(o), conv(name))
    else:
        for s, p, o in graph:
            yield ox.Quad(conv(s), conv(p), conv(o))


def to_rdflib(quads: Iterable[ox.Quad]) -> Dataset:
    """Build an rdflib Dataset from pyoxigraph quads."""
    ds = Dataset()
    for q in quads:
        triple = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
        if isinstance(q.graph_name, ox.DefaultGraph):
            ds.add(triple)
        else:
            ds.graph(from_ox(q.graph_name)).add(triple)
    return ds


# --- deterministic order ----------------------------------------------------------------------

def _term_key(term) -> tuple:
    if isinstance(term, ox.NamedNode):
        return (0, term.value)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.Literal):
        return (2, term.value, term.datatype.value, term.language or "")
    return (-1, "")  # DefaultGraph sorts first


def _canonical_bnodes(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads, with blank nodes relabelled canonically (RDFC-1.0) if there are any."""
    quads = list(quads)
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
           or isinstance(q.graph_name, ox.BlankNode) for q in quads):
        ds = ox.Dataset(quads)
        ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(ds)
    return quads


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Sort quads by graph, subject, predicate (type, label first), object.

    Blank nodes are canonicalised (RDFC-1.0) first so their labels are stable too.
    """
    quads = set(_canonical_bnodes(quads))
    keys: dict = {}  # each distinct term's sort key, computed once

    def key(term) -> tuple:
        found = keys.get(term)
        if found is None:
            found = keys[term] = _term_key(term)
        return found

    def quad_key(q: ox.Quad) -> tuple:
        pred = q.predicate
        rank = 0 if pred == _TYPE else 1 if pred == _LABEL else 2
        return (key(q.graph_name), key(q.subject), rank, key(pred), key(q.object))

    return sorted(quads, key=quad_key)


_TYPE, _LABEL = ox.NamedNode(_RDF_TYPE), ox.NamedNode(_RDFS_LABEL)
#: In N-Triples lines, rdf:type and rdfs:label swapped for markers that sort before any IRI, so a
#: byte sort of the lines puts them first in each subject. Raw control characters never occur in
#: pyoxigraph's N-Triples (it escapes them), so swapping back restores every line exactly.
_RANKED = ((f" <{_RDF_TYPE}> ".encode(), b" <\x01> "), (f" <{_RDFS_LABEL}> ".encode(), b" <\x02> "))


def _line_sorted(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """Unique triples ordered by subject, then rdf:type, rdfs:label, other predicates, then object.

    The sort runs on N-Triples lines (bytes, sorted in C) rather than on Python tuple keys, and the
    result streams straight from pyoxigraph's parser: writing a million triples takes seconds.
    """
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    for plain, marker in _RANKED:
        data = data.replace(plain, marker)
    # literals never hold a raw newline in N-Triples, so one line is one statement
    data = b"\n".join(sorted(set(data.split(b"\n")) - {b""}))
    for plain, marker in _RANKED:
        data = data.replace(marker, plain)
    return ox.parse(data, format=ox.RdfFormat.N_TRIPLES) if data else iter(())


def _ordered_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """The union of all graphs, each triple once, in :func:`_line_sorted` order."""
    return _line_sorted(q.triple for q in _canonical_bnodes(quads))


def _ordered_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Unique quads grouped by graph (default graph first, then by name), each graph line-sorted."""
    graphs: dict = {}
    for q in _canonical_bnodes(quads):
        graphs.setdefault(q.graph_name, []).append(q.triple)
    for name in sorted(graphs, key=_term_key):
        triples = _line_sorted(graphs.pop(name))
        if isinstance(name, ox.DefaultGraph):
            yield from (ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        else:
            yield from (ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)


# --- writers -----------------------------------------------------------------------------------

def serialize_quads(quads: Iterable[ox.Quad], fmt: str) -> bytes:
    """Serialise pyoxigraph quads in format ``fmt`` (deterministic, prefixed)."""
    fmt = format_for("", fmt)
    ox_format, has_graphs = FORMATS[fmt]
    if fmt in ("nt", "nq"):  # line formats: sorting unique lines is enough, and fast
        quads = _canonical_bnodes(quads)
        lines = ox.serialize(quads if has_graphs else (q.triple for q in quads), format=ox_format)
        # literals never hold a raw newline in N-Triples/N-Quads, so one line is one statement
        return b"".join(line + b"\n" for line in sorted(set(lines.split(b"\n"))) if line)
    if ox_format is None:
        return _jsonld(sorted_quads(quads)).encode("utf-8")
    ordered = _ordered_quads(quads) if has_graphs else _ordered_triples(quads)
    body = ox.serialize(ordered, format=ox_format, prefixes=PREFIXES).decode("utf-8")
    # pyoxigraph's prefix order is its own: replace its header with ours
    lines = body.splitlines(keepends=True)
    while lines and lines[0].startswith("@prefix "):
        lines.pop(0)
    header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
    return (header + "\n" + "".join(lines)).encode("utf-8")


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise an rdflib Graph or Dataset; ttl/nt of a Dataset hold the union of its graphs."""
    return serialize_quads(quads_of(graph), fmt)


def write_graph(graph: Graph, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write ``graph`` (rdflib Graph or Dataset) to ``path`` atomically; format from suffix if not given."""
    path = Path(path)
    data = serialize(graph, format_for(path, fmt))
    write_atomic(path, data)
    return path


# --- a build's QuadSet, streamed -------------------------------------------------------------

class _NotPlain(Exception):
    """A term the direct N-Triples writer does not handle (blank node, unusual IRI)."""


_NT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_NT_ESCAPES.update({chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if chr(c) not in _NT_ESCAPES})
_NT_TABLE = str.maketrans(_NT_ESCAPES)
_IRI_SAFE = re.compile(r'[^\x00-\x20<>"{}|^`\\]*')
_MARKED = {_RDF_TYPE: "<\x01>", _RDFS_LABEL: "<\x02>"}  # sort before any IRI; swapped back before parsing
_UNMARK = ((" <\x01> ", f" <{_RDF_TYPE}> "), (" <\x02> ", f" <{_RDFS_LABEL}> "))
_BLOCK = 50_000  # N-Triples lines handed to pyoxigraph's parser at a time


def _nt(term) -> str:
    """``term`` in pyoxigraph's N-Triples form (so sorting these lines sorts like :func:`_line_sorted`)."""
    if isinstance(term, URIRef):
        if not _IRI_SAFE.fullmatch(term):
            raise _NotPlain(term)
        return f"<{term}>"
    if isinstance(term, Literal):
        lexical = str(term).translate(_NT_TABLE)
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None and str(term.datatype) not in (_XSD_STRING, _RDF_LANGSTRING):
            return f'"{lexical}"^^<{term.datatype}>'
        return f'"{lexical}"'
    raise _NotPlain(term)


class _TermText:
    """N-Triples text of terms, memoised by object identity.

    Valid while the terms stay alive (they do, in the QuadSet being written); shared objects
    (entity IRIs, predicates, cached literals) recur across subjects, graphs and both files.
    """

    def __init__(self) -> None:
        self.predicates: dict = {}
        self.objects: dict[int, str] = {}

    def predicate(self, p) -> str:
        text = self.predicates.get(p)
        if text is None:
            text = self.predicates[p] = _MARKED.get(str(p)) or _nt(p)
        return text

    def object(self, o) -> str:
        text = self.objects.get(id(o))
        if text is None:
            if len(self.objects) > 200_000:  # bounded: the recurring terms come back soon
                self.objects.clear()
            text = self.objects[id(o)] = _nt(o)
        return text


def _sorted_lines(groups: dict[Any, list[tuple]], terms: _TermText | None = None) -> Iterator[str]:
    """Unique N-Triples lines of ``groups`` (subject -> its quads) in byte order, one subject at a time.

    A line starts with its subject's text and a space, so ordering subjects by that prefix and
    each subject's lines by themselves is the order of sorting all lines at once (what
    :func:`_line_sorted` does), without holding every line in memory.
    """
    terms = terms or _TermText()
    pred, obj = terms.predicate, terms.object
    subjects = sorted(((obj(s) + " ", s) for s in groups), key=lambda pair: pair[0])
    for head, s in subjects:
        lines = {f"{head}{pred(quad[1])} {obj(quad[2])} ." for quad in groups.pop(s)}
        yield from sorted(lines)


def _group(quads: Iterable[tuple]) -> dict[Any, list[tuple]]:
    groups: dict[Any, list[tuple]] = {}
    for quad in quads:
        found = groups.get(quad[0])
        if found is None:
            groups[quad[0]] = [quad]
        else:
            found.append(quad)
    return groups


def _parsed(lines: Iterable[str], fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> Iterator:
    """Parse sorted, unique marked N-Triples (or N-Quads) lines back into terms, a block at a time
    (chained in C: no Python step per triple between pyoxigraph's parser and its writer)."""
    return itertools.chain.from_iterable(_parse_block(block, fmt) for block in _blocks(lines))


def _blocks(lines: Iterable[str]) -> Iterator[list[str]]:
    it = iter(lines)
    while block := list(itertools.islice(it, _BLOCK)):
        yield block


def _parse_block(block: list[str], fmt: ox.RdfFormat) -> Iterator:
    data = "\n".join(block)
    for marker, plain in _UNMARK:
        data = data.replace(marker, plain)
    return ox.parse(data.encode("utf-8"), format=fmt)


class _AfterPrefixes:
    """File wrapper that drops the ``@prefix`` lines pyoxigraph writes first (ours are written before)."""

    def __init__(self, out) -> None:
        self.out, self.head = out, b""

    def write(self, data: bytes) -> int:
        if self.head is None:
            return self.out.write(data)
        self.head += data
        while (end := self.head.find(b"\n")) >= 0:
            if not self.head.startswith(b"@prefix "):
                self.out.write(self.head)
                self.head = None
                break
            self.head = self.head[end + 1:]
        return len(data)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        if self.head:
            self.out.write(self.head)
        self.head = None


def write_quadset(qs: QuadSet, targets: dict[str, str | os.PathLike[str]]) -> None:
    """Write a build's quads to ``targets`` ({"ttl": path, "trig": path}; Turtle is the union of the
    graphs), each file atomically.

    The same bytes as ``serialize_quads(quads_of(qs), fmt)``, streamed subject by subject: no
    pyoxigraph copy of the graph, no list of all its lines, no whole-file buffer.
    """
    unknown = set(targets) - {"ttl", "trig"}
    if unknown:
        raise SerializeError(f"write_quadset writes ttl and trig, not {', '.join(sorted(unknown))}")

    terms = _TermText()

    def named() -> Iterator[ox.Quad]:
        by_graph: dict[Any, list[tuple]] = {}
        for quad in qs:
            by_graph.setdefault(quad[3], []).append(quad)

        def lines() -> Iterator[str]:  # N-Quads: pyoxigraph's parser makes the quads, not Python
            for name in sorted(by_graph, key=lambda g: (-1, "") if g is None else (0, str(g))):
                graph_lines = _sorted_lines(_group(by_graph.pop(name)), terms)
                if name is None:
                    yield from graph_lines
                else:
                    suffix = f" {_nt(name)} ."
                    yield from (line[:-2] + suffix for line in graph_lines)
        return _parsed(lines(), ox.RdfFormat.N_QUADS)

    try:
        for fmt in ("trig", "ttl"):
            if fmt in targets:
                items = named() if fmt == "trig" else _parsed(_sorted_lines(_group(qs), terms))
                _write_streamed(targets[fmt], items, FORMATS[fmt][0])
    except _NotPlain:  # blank nodes (canonicalised by serialize_quads) or IRIs pyoxigraph would refuse
        quads = list(quads_of(qs))  # (the temporary file of the failed write is already gone)
        for fmt, path in targets.items():
            write_atomic(path, serialize_quads(quads, fmt))


def _write_streamed(path: str | os.PathLike[str], items: Iterable, ox_format: ox.RdfFormat) -> None:
    header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items()) + "\n"

    def write(out) -> None:
        out.write(header.encode("utf-8"))
        body = _AfterPrefixes(out)
        ox.serialize(items, body, ox_format, prefixes=PREFIXES)
        body.close()
    write_atomic_with(path, write)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes to ``path`` through a temporary file in the same directory and ``os.replace``."""
    write_atomic_with(path, lambda out: out.write(data))


def write_atomic_with(path: str | os.PathLike[str], write) -> None:
    """Call ``write(binary file)`` on a temporary file in ``path``'s directory, then ``os.replace`` it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())  # the rename must never expose a file whose bytes are not on disk
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: do it once
    os.umask(mask)
    return mask


# --- JSON-LD -----------------------------------------------------------------------------------

def _compact(iri: str) -> str:
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
            return f"{name}:{iri[len(ns):]}"
    return iri


def _node_id(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else _compact(term.value)


def _jsonld_value(term) -> dict:
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": _compact(term.datatype.value)}
    return {"@id": _node_id(term)}


def _jsonld_nodes(quads: list[ox.Quad]) -> list[dict]:
    nodes: dict[str, dict] = {}
    for q in quads:  # sorted, so nodes and values come out in a stable order
        node = nodes.setdefault(_node_id(q.subject), {"@id": _node_id(q.subject)})
        if q.predicate.value == _RDF_TYPE and not isinstance(q.object, ox.Literal):
            node.setdefault("@type", []).append(_node_id(q.object))
        else:
            node.setdefault(_compact(q.predicate.value), []).append(_jsonld_value(q.object))
    return list(nodes.values())


def _jsonld(quads: list[ox.Quad]) -> str:
    by_graph: dict = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(q)
    top = _jsonld_nodes(by_graph.pop(ox.DefaultGraph(), []))
    for name, graph_quads in by_graph.items():
        top.append({"@id": _node_id(name), "@graph": _jsonld_nodes(graph_quads)})
    doc = {"@context": dict(PREFIXES), "@graph": top}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
