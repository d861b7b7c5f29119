"""The whole build: ingest -> nlp -> extract -> resolve -> rdf -> outputs.

The per-article map (parse + extract) runs on an engine from :mod:`kg.engine` (in-process,
local worker processes, or Dask) and streams: Docs are dropped as soon as their extraction
is taken, and the pipeline is reloaded before its vocabulary grows too large. With ``cache=True``
extractions are kept per article in :class:`kg.cache.ExtractionCache`, so a re-run parses
only new or changed articles, and when neither the articles nor the code changed since the
last build into the same folder, its outputs are kept as they are (spaCy is not even loaded).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterable, Iterator

from kg.cache import ExtractionCache
from kg.config import Settings
from kg.engine import extract_stream
from kg.engine import run as run_engine
from kg.ingest import iter_articles
from kg.progress import progress, status
from kg.records import Article, Extraction, Skipped

if TYPE_CHECKING:
    from rdflib import Dataset

    from kg.graphindex import QuadSet
    from kg.resolve import Resolution

#: Written last into the output folder; names the inputs and code the outputs were built from.
MANIFEST = ".kg-build.json"
OUTPUTS = ("graph.ttl", "graph.trig", "graph.html", "report.json")


@dataclass
class BuildResult:
    """What a build produced: the graph, its parts and the run report.

    ``quads`` is the graph as built; ``dataset`` the same as an rdflib Dataset, made on first use.
    When the outputs were already up to date (``up_to_date``), nothing was rebuilt:
    ``quads``, ``dataset`` and ``resolution`` are None, ``extractions`` is empty and ``report``
    is the one already in the output folder.
    """

    quads: QuadSet | None
    extractions: list[Extraction]
    resolution: Resolution | None
    report: dict[str, Any] = field(default_factory=dict)
    up_to_date: bool = False

    @functools.cached_property
    def dataset(self) -> Dataset | None:
        """The graph as an rdflib Dataset (default graph + one named graph per article)."""
        return self.quads.to_dataset() if self.quads is not None else None


def extract_articles(articles: Iterable[Article], settings: Settings | None = None,
                     nlp=None) -> Iterator[Extraction]:
    """Parse and extract every article, streaming (one Extraction per article, in order)."""
    for _, ex in extract_stream(enumerate(articles), settings or Settings(), nlp):
        yield ex


def build(inputs: Iterable[str], out_dir: str | os.PathLike[str] | None, settings: Settings | None = None,
          *, stdin: IO[Any] | None = None, store: str | None = None, engine: str = "local",
          scheduler: str | None = None, cache: bool = False,
          cache_dir: str | os.PathLike[str] | None = None) -> BuildResult:
    """Build the knowledge graph of ``inputs`` and write graph.ttl/.trig/.html and report.json to ``out_dir``.

    ``engine`` is ``local`` (``settings.workers`` processes) or ``dask`` (``scheduler``
    address, else a LocalCluster); ``cache`` reuses per-article extractions from
    ``cache_dir`` (default :func:`kg.cache.default_cache_root`).
    """
    settings = settings or Settings()
    started = time.perf_counter()
    skipped: list[Skipped] = []

    def on_skip(item: Skipped) -> None:
        skipped.append(item)
        print(f"kg: skipped {item.path}: {item.reason}", file=sys.stderr)

    articles = list(iter_articles(list(inputs), stdin=stdin, on_skip=on_skip))
    store_cache = ExtractionCache(settings, cache_dir) if cache else None
    key = None
    if store_cache is not None and out_dir is not None and not store:
        key = build_key(store_cache.fingerprint, articles, settings)
        report = _up_to_date(Path(out_dir), key)
        if report is not None:
            report["seconds"] = round(time.perf_counter() - started, 3)
            report["up_to_date"] = True
            return BuildResult(None, [], None, report, up_to_date=True)

    extractions: list[Extraction | None] = [None] * len(articles)
    todo: list[tuple[int, Article]] = []
    for i, art in enumerate(articles):
        found = store_cache.get(art) if store_cache is not None else None
        if found is None:
            todo.append((i, art))
        else:
            extractions[i] = found
    stream = run_engine(todo, settings, engine, scheduler) if todo else iter(())
    for i, ex in progress(stream, total=len(todo), description="Extracting", enabled=settings.progress):
        extractions[i] = ex
        if store_cache is not None:
            store_cache.put(ex)
    done = [ex for ex in extractions if ex is not None]
    with status(f"Resolving entities and mapping {len(done)} articles to RDF", enabled=settings.progress), \
            _gc_paused():
        result = reduce(done)
    result.report = make_report(result, skipped, time.perf_counter() - started)
    result.report["engine"] = engine
    result.report["parsed"] = len(todo)
    result.report["cached"] = len(done) - len(todo)
    if out_dir is not None and done:  # nothing read (a mistyped path): keep the previous outputs
        with status(f"Writing {result.report['triples']:,} triples to {out_dir}", enabled=settings.progress), \
                _gc_paused():
            write_outputs(result, Path(out_dir), settings, key=key)
    if store and done:
        from kg.rdf import graph_iri
        from kg.store import load_dataset

        hashes = {str(graph_iri(ex.article.doc_id)): ex.article.content_hash for ex in done}
        load_dataset(store, result.quads, hashes)
    return result


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: the reduce and writers make millions of small acyclic
    objects (terms, quads) next to the whole corpus's records, and each collection re-scans them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def reduce(extractions: list[Extraction]) -> BuildResult:
    """The corpus-level stages: resolve mentions into entities (linear, blocked by key), map to RDF."""
    from kg.gazetteer import load_gazetteer
    from kg.rdf import to_quads
    from kg.resolve import resolve

    resolution = resolve(extractions, load_gazetteer())
    return BuildResult(to_quads(extractions, resolution), extractions, resolution)


def build_key(fingerprint: str, articles: list[Article], settings: Settings) -> str:
    """Hash of the inputs, the whole kg source and the output settings: equal keys, equal outputs."""
    from kg.cache import _KG

    h = hashlib.sha256(fingerprint.encode())
    for path in sorted(_KG.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(_KG)).encode() + b"\0" + path.read_bytes())
    h.update(f"html_max_nodes={settings.html_max_nodes}".encode())
    for content_hash in sorted(a.content_hash for a in articles):
        h.update(content_hash.encode())
    return h.hexdigest()


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _up_to_date(out: Path, key: str) -> dict[str, Any] | None:
    """The report of the build in ``out`` if it was made from ``key`` and its files are untouched."""
    try:
        manifest = json.loads((out / MANIFEST).read_text("utf-8"))
        if manifest.get("key") != key:
            return None
        for name in OUTPUTS:
            if _stamp(out / name) != manifest["files"][name]:
                return None
        return json.loads((out / "report.json").read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def make_report(result: BuildResult, skipped: list[Skipped], seconds: float) -> dict[str, Any]:
    """Counts of the run: articles, skipped inputs with reasons, entities, relations, triples."""
    entities = Counter(e.type for e in result.resolution.entities.values())
    relations: Counter = Counter()
    for ex in result.extractions:
        relations.update(r.predicate for r in ex.relations)
        relations.update("hasPositionIn" for p in ex.positions if p.org is not None)
        relations.update("holdsPosition" for _ in ex.positions)
    events = Counter(ev.type for ex in result.extractions for ev in ex.events)
    triples = len(set(map(itemgetter(0, 1, 2), result.quads)))
    return {
        "articles": len(result.extractions),
        "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
        "entities": sum(entities.values()),
        "entities_by_type": dict(sorted(entities.items())),
        "relations_by_predicate": dict(sorted(relations.items())),
        "events_by_type": dict(sorted(events.items())),
        "quantities": sum(len(ex.quantities) for ex in result.extractions),
        "quotes": sum(len(ex.quotes) for ex in result.extractions),
        "triples": triples,
        "seconds": round(seconds, 3),
    }


def write_outputs(result: BuildResult, out: Path, settings: Settings, *, key: str | None = None) -> None:
    """graph.ttl (union), graph.trig (named graphs), graph.html and report.json, each atomically.

    ``key``: the :func:`build_key` of the inputs, recorded so an unchanged re-run can keep these files.
    """
    from kg.html import render_html
    from kg.serialize import write_atomic, write_quadset

    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)  # a build cut short leaves no claim to be current
    t0 = time.perf_counter()
    write_quadset(result.quads, {"ttl": out / "graph.ttl", "trig": out / "graph.trig"})
    stats = render_html(result.quads, out / "graph.html", max_nodes=settings.html_max_nodes)
    result.report["html"] = {"nodes": stats.nodes, "edges": stats.edges, "total_nodes": stats.total_nodes,
                             "subset": stats.subset}
    result.report["write_seconds"] = round(time.perf_counter() - t0, 3)
    write_atomic(out / "report.json", (json.dumps(result.report, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    if key is not None:
        manifest = {"key": key, "files": {name: _stamp(out / name) for name in OUTPUTS}}
        write_atomic(out / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
