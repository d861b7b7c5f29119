"""Check a graph against the SHACL shapes of the output contract (``ontologies/shapes.ttl``)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.serialize import SUFFIXES, from_ox, quads_of
from kg.vocab import PREFIXES

#: The shapes file shipped with the project.
SHAPES_PATH = Path(__file__).resolve().parent.parent / "ontologies" / "shapes.ttl"

_OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
               "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}


class GraphFileError(ValueError):
    """An RDF file that cannot be read (message names the file and the reason)."""


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result."""

    focus: str
    path: str
    message: str
    severity: str
    value: str = ""

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{value}"


@dataclass
class ValidationReport:
    """Whether a graph conforms, and every result when it does not."""

    conforms: bool
    violations: list[Violation]


def rdf_format(path: str | os.PathLike[str]) -> ox.RdfFormat:
    """The pyoxigraph parser format for an RDF file, from its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in (".rdf", ".owl", ".xml"):
        return ox.RdfFormat.RDF_XML
    if suffix not in SUFFIXES:
        raise GraphFileError(f"{path}: unknown RDF file suffix {suffix!r} "
                             f"(use .ttl, .trig, .nt, .nq, .jsonld or .rdf)")
    return _OX_FORMATS[SUFFIXES[suffix]]


def parse_quads(path: str | os.PathLike[str]) -> list[ox.Quad]:
    """Parse an RDF file into pyoxigraph quads; a bad file raises :class:`GraphFileError`."""
    if not os.path.exists(path):
        raise GraphFileError(f"{path}: no such file")
    fmt = rdf_format(path)
    try:
        return list(ox.parse(path=str(path), format=fmt))
    except FileNotFoundError:
        raise GraphFileError(f"{path}: no such file") from None
    except (SyntaxError, OSError, ValueError) as exc:
        raise GraphFileError(f"{path}: not valid {fmt.name}: {exc}") from None


def union_graph(paths: Iterable[str | os.PathLike[str]]) -> Graph:
    """The union of every triple of the files (all their graphs) as one rdflib Graph.

    A directory is read as a store made by ``kg build --store`` (without its bookkeeping graph).
    """
    g = Graph()
    for name, iri in PREFIXES.items():
        g.bind(name, iri)
    for path in paths:
        if os.path.isdir(path):
            from kg.store import StoreError, content_quads, open_store

            try:
                quads = list(content_quads(open_store(path, read_only=True)))
            except StoreError as exc:
                raise GraphFileError(str(exc)) from None
        else:
            quads = parse_quads(path)
        for q in quads:
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


def validate(data: Graph | Iterable[str | os.PathLike[str]],
             shapes: str | os.PathLike[str] = SHAPES_PATH) -> ValidationReport:
    """Validate an rdflib Graph/Dataset (its union) or RDF files against the SHACL ``shapes``."""
    import pyshacl

    if isinstance(data, Graph):
        graph = Graph()
        for q in quads_of(data):
            graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    else:
        graph = union_graph(data)
    shapes_graph = Graph().parse(shapes, format="turtle")
    conforms, results, _text = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none",
                                                advanced=False, allow_warnings=True)
    violations = sorted(_violations(results), key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)


def _violations(results: Graph) -> Iterable[Violation]:
    for result in results.subjects(SH.resultSeverity, None):
        yield Violation(
            focus=_short(results.value(result, SH.focusNode)),
            path=_short(results.value(result, SH.resultPath)),
            message=str(results.value(result, SH.resultMessage) or "does not conform"),
            severity=_short(results.value(result, SH.resultSeverity)).removeprefix("sh:"),
            value=_short(results.value(result, SH.value)),
        )


def _short(term) -> str:
    """A compact, readable form of a term (prefixed IRI, quoted literal)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = Literal(str(term)).n3()
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^{_short(term.datatype)}" if term.datatype else text
    if isinstance(term, URIRef):
        iri = str(term)
        if iri == str(SH):
            return "sh:"
        if iri.startswith(str(SH)):
            return "sh:" + iri[len(str(SH)):]
        for name, ns in PREFIXES.items():
            if iri.startswith(ns):
                return f"{name}:{iri[len(ns):]}"
        return f"<{iri}>"
    return str(term)  # blank node, e.g. a complex path
