"""A persistent on-disk RDF store (Oxigraph) that accumulates the graphs of many runs.

Layout follows the TriG contract: each article's statements live in its named graph
``kgr:graph/<slug>``, entity descriptions in the default graph. A small metadata graph
(:data:`META_GRAPH`) records each article graph's content hash and a digest of the graph
itself, so re-loading an unchanged article is skipped, and a changed article (or the same
article extracted differently, by a newer kg) replaces its graph in one transaction.

Default-graph merge policy: triples are a set, so re-loads never duplicate; for the
single-valued entity properties in :data:`REPLACED` (types, label, counts, coordinates) the
newest load wins, and a replaced ``rdfs:label`` is kept as a ``skos:altLabel``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset
from rdflib.namespace import RDF, RDFS, SKOS

from kg.graphindex import QuadSet
from kg.serialize import format_for, quads_of, serialize_quads, write_atomic
from kg.vocab import BASE, KG, RES, SCHEMA

#: Private namespace of the store's own bookkeeping (not part of the published vocabulary).
STORE_NS = BASE + "store#"
META_GRAPH = ox.NamedNode(STORE_NS + "meta")
CONTENT_HASH = ox.NamedNode(STORE_NS + "contentHash")
GRAPH_DIGEST = ox.NamedNode(STORE_NS + "graphDigest")

#: Default-graph properties whose values a newer load replaces instead of adding to.
REPLACED = tuple(str(p) for p in (RDF.type, RDFS.label, KG.mentionCount, KG.countryCode,
                                  SCHEMA.latitude, SCHEMA.longitude))


class StoreError(Exception):
    """A store that cannot be opened or read (message names the directory)."""


@dataclass
class LoadReport:
    """What :func:`load_dataset` did, graph IRIs by outcome."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed_entities: int = 0


def open_store(store_dir: str | os.PathLike[str], *, read_only: bool = False) -> ox.Store:
    """Open (creating if needed, unless ``read_only``) the Oxigraph store in ``store_dir``."""
    path = Path(store_dir)
    if read_only and not path.is_dir():
        raise StoreError(f"{path}: no such store directory")
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a directory")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(f"{path}: store is in use by another process (a running `kg serve`?)") from None
        raise StoreError(f"{path}: cannot open store: {exc}") from None


def stored_hashes(store: ox.Store) -> dict[str, str]:
    """Content hash of every article graph loaded in ``store``, keyed by graph IRI."""
    return {q.subject.value: q.object.value
            for q in store.quads_for_pattern(None, CONTENT_HASH, None, META_GRAPH)}


def stored_digests(store: ox.Store) -> dict[str, str]:
    """Digest of the triples of every article graph loaded in ``store``, keyed by graph IRI."""
    return {q.subject.value: q.object.value
            for q in store.quads_for_pattern(None, GRAPH_DIGEST, None, META_GRAPH)}


def graph_digest(quads: list[ox.Quad]) -> str:
    """Order-independent digest of a graph's triples (blank nodes make it differ every load)."""
    lines = sorted({f"{q.subject} {q.predicate} {q.object}" for q in quads})
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def load_dataset(store_dir: str | os.PathLike[str], dataset: Dataset | QuadSet,
                 article_hashes: Mapping[str, str], *, quads: Iterable[ox.Quad] | None = None) -> LoadReport:
    """Load an rdflib Dataset (or a build's QuadSet) into the store in ``store_dir``, idempotently.

    ``article_hashes`` maps article graph IRIs to a hash of the article's content. A graph
    whose hash and triples (by :func:`graph_digest`) are already stored is skipped; otherwise the graph is replaced (with its hash)
    in one transaction, and entity descriptions no longer referenced by any graph are removed.
    Named graphs without a hash are always replaced. Default-graph triples are merged (see
    the module docstring). ``quads``: the Dataset already converted by :func:`kg.serialize.quads_of`.
    """
    hashes = {str(k): v for k, v in article_hashes.items()}
    default: list[ox.Quad] = []
    graphs: dict[str, list[ox.Quad]] = {}
    for q in quads_of(dataset) if quads is None else quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            default.append(q)
        else:
            graphs.setdefault(q.graph_name.value, []).append(q)
    if META_GRAPH.value in graphs:
        raise StoreError(f"refusing to load the store's own metadata graph <{META_GRAPH.value}>")

    report = LoadReport()
    store = open_store(store_dir)
    try:
        if default:
            store.update(_merge_default_update(default))
        known, digests = stored_hashes(store), stored_digests(store)
        for name in sorted(graphs):
            new_hash, digest = hashes.get(name), graph_digest(graphs[name])
            if new_hash is not None and known.get(name) == new_hash and digests.get(name) == digest:
                report.skipped.append(name)
                continue
            exists = store.contains_named_graph(ox.NamedNode(name))
            candidates = _described(store, _referenced_entities(store, name)) if exists else set()
            store.update(_replace_graph_update(name, graphs[name], new_hash, candidates, digest))
            (report.replaced if exists else report.added).append(name)
            report.removed_entities += len(candidates - _described(store, candidates))
        store.flush()
    finally:
        del store
    return report


def export_store(store_dir: str | os.PathLike[str], fmt: str | None,
                 out_path: str | os.PathLike[str] | None) -> bytes | Path:
    """Write the store (without its metadata graph) to ``out_path`` in ``fmt``.

    ttl/nt hold the union of all graphs, trig/nq/jsonld keep named graphs. The output is
    sorted like :mod:`kg.serialize` output. With ``out_path`` None the bytes are returned.
    """
    fmt = format_for(out_path or "", fmt)
    store = open_store(store_dir, read_only=True)
    data = serialize_quads(content_quads(store), fmt)
    if out_path is None:
        return data
    write_atomic(out_path, data)
    return Path(out_path)


def content_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """Every quad of ``store`` except the store's own metadata."""
    return (q for q in store if q.graph_name != META_GRAPH)


def content_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """The store's named graphs, without the metadata graph."""
    return [g for g in store.named_graphs() if g != META_GRAPH]


# --- SPARQL Update text ----------------------------------------------------------------------

def _triples_text(quads: list[ox.Quad]) -> str:
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def _replace_graph_update(name: str, quads: list[ox.Quad], content_hash: str | None,
                          candidates: set[str], digest: str | None = None) -> str:
    g = f"<{name}>"
    parts = [f"DROP SILENT GRAPH {g}",
             f"INSERT DATA {{ GRAPH {g} {{\n{_triples_text(quads)}\n}} }}",
             f"DELETE WHERE {{ GRAPH {META_GRAPH} {{ {g} {CONTENT_HASH} ?h }} }}",
             f"DELETE WHERE {{ GRAPH {META_GRAPH} {{ {g} {GRAPH_DIGEST} ?d }} }}"]
    if content_hash is not None:
        parts.append(f"INSERT DATA {{ GRAPH {META_GRAPH} {{ {g} {CONTENT_HASH} {ox.Literal(content_hash)} }} }}")
    if content_hash is not None and digest is not None:
        parts.append(f"INSERT DATA {{ GRAPH {META_GRAPH} {{ {g} {GRAPH_DIGEST} {ox.Literal(digest)} }} }}")
    if candidates:
        values = " ".join(f"<{c}>" for c in sorted(candidates))
        # an entity described in the default graph that no article graph (nor another
        # description) refers to any more is dropped with the old graph
        parts.append(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ {{ ?s ?p2 ?o2 }} UNION {{ ?s2 ?p3 ?s }} }} "
            f"FILTER(?g != {META_GRAPH}) }} "
            f"FILTER NOT EXISTS {{ ?s4 ?p4 ?s }} }}")
    return " ;\n".join(parts)


def _referenced_entities(store: ox.Store, graph: str) -> set[str]:
    """Resource IRIs (under kgr:) that graph ``graph`` mentions as subject or object."""
    base = str(RES)
    found = set()
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(base):
                found.add(term.value)
    return found


def _described(store: ox.Store, iris: set[str]) -> set[str]:
    """The IRIs among ``iris`` that are subjects in the default graph."""
    return {i for i in iris
            if next(store.quads_for_pattern(ox.NamedNode(i), None, None, ox.DefaultGraph()), None)}


def _merge_default_update(quads: list[ox.Quad]) -> str:
    replaced = {(q.subject, q.predicate) for q in quads if q.predicate.value in REPLACED}
    labels = [q for q in quads if q.predicate.value == str(RDFS.label)]
    parts = []
    if labels:
        rows = " ".join(f"({q.subject} {q.object})" for q in labels)
        parts.append(f"INSERT {{ ?s <{SKOS.altLabel}> ?old }} WHERE {{ VALUES (?s ?new) {{ {rows} }} "
                     f"?s <{RDFS.label}> ?old FILTER(!sameTerm(?old, ?new)) }}")
    if replaced:
        rows = " ".join(f"({s} {p})" for s, p in sorted(replaced, key=str))
        parts.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p) {{ {rows} }} ?s ?p ?o }}")
    parts.append(f"INSERT DATA {{\n{_triples_text(quads)}\n}}")
    if labels:
        subjects = " ".join(sorted({str(q.subject) for q in labels}))
        parts.append(f"DELETE {{ ?s <{SKOS.altLabel}> ?l }} WHERE {{ VALUES ?s {{ {subjects} }} "
                     f"?s <{RDFS.label}> ?l ; <{SKOS.altLabel}> ?l }}")
    return " ;\n".join(parts)
