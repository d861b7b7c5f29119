"""The whole build: ingest -> nlp -> extract -> resolve -> rdf -> outputs.

:func:`extract_articles` streams articles through ``nlp.pipe`` and keeps only the small
extraction records (Docs are dropped as soon as they are read); :func:`build` runs the
corpus-level stages and writes the outputs.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from rdflib import Dataset
from spacy.tokens import Doc

from kg.config import Settings
from kg.extract import extract
from kg.gazetteer import load_gazetteer
from kg.ingest import iter_articles
from kg.nlp import load_pipeline
from kg.progress import progress
from kg.rdf import to_rdf
from kg.records import Article, Extraction, Skipped
from kg.resolve import Resolution, resolve
from kg.serialize import write_atomic, write_graph


@dataclass
class BuildResult:
    """What a build produced: the graph, its parts and the run report."""

    dataset: Dataset
    extractions: list[Extraction]
    resolution: Resolution
    report: dict[str, Any] = field(default_factory=dict)


def _chunks(text: str, limit: int) -> list[str]:
    """Split a long text at paragraph (else line, else space) boundaries into pieces <= limit."""
    if len(text) <= limit:
        return [text]
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        cut = cut + 1 if cut > 0 else limit
        out.append(text[start:start + cut])
        start += cut
    out.append(text[start:])
    return out


def extract_articles(articles: Iterable[Article], settings: Settings | None = None,
                     nlp=None) -> Iterator[Extraction]:
    """Parse and extract every article, streaming (one Extraction per article, in order)."""
    settings = settings or Settings()
    nlp = nlp or load_pipeline(settings.model)
    gaz = load_gazetteer()

    def texts() -> Iterator[tuple[str, tuple[int, str, Article, int]]]:
        for n, art in enumerate(articles):
            pieces = _chunks(art.text, settings.max_chunk_chars)
            for p, piece in enumerate(pieces):
                yield piece, (n, "body", art, len(pieces))
            if art.title:
                yield art.title, (n, "title", art, len(pieces))

    pending: dict[int, dict[str, Any]] = {}
    kwargs: dict[str, Any] = {"batch_size": settings.batch_size, "as_tuples": True}
    if settings.workers > 1:
        kwargs["n_process"] = settings.workers
    for doc, (n, part, art, n_pieces) in nlp.pipe(texts(), **kwargs):
        slot = pending.setdefault(n, {"body": [], "title": None})
        if part == "body":
            slot["body"].append(doc)
        else:
            slot["title"] = doc
        done = len(slot["body"]) == n_pieces and (slot["title"] is not None or not art.title)
        if done:
            del pending[n]
            body = slot["body"][0] if n_pieces == 1 else Doc.from_docs(slot["body"], ensure_whitespace=False)
            yield extract(body, art, gaz, headline=slot["title"], min_confidence=settings.min_confidence)


def build(inputs: Iterable[str], out_dir: str | os.PathLike[str] | None, settings: Settings | None = None,
          *, stdin: IO[Any] | None = None, store: str | None = None) -> BuildResult:
    """Build the knowledge graph of ``inputs`` and write graph.ttl/.trig/.html and report.json to ``out_dir``."""
    settings = settings or Settings()
    started = time.perf_counter()
    skipped: list[Skipped] = []

    def on_skip(item: Skipped) -> None:
        skipped.append(item)
        print(f"kg: skipped {item.path}: {item.reason}", file=sys.stderr)

    articles = list(iter_articles(list(inputs), stdin=stdin, on_skip=on_skip))
    extractions = list(progress(extract_articles(articles, settings), total=len(articles),
                                description="Extracting", enabled=settings.progress))
    resolution = resolve(extractions, load_gazetteer())
    dataset = to_rdf(extractions, resolution)
    result = BuildResult(dataset, extractions, resolution)
    result.report = make_report(result, skipped, time.perf_counter() - started)
    if out_dir is not None:
        write_outputs(result, Path(out_dir), settings)
    if store:
        from kg.store import load_dataset
        from kg.rdf import graph_iri

        hashes = {str(graph_iri(ex.article.doc_id)): ex.article.content_hash for ex in extractions}
        load_dataset(store, dataset, hashes)
    return result


def make_report(result: BuildResult, skipped: list[Skipped], seconds: float) -> dict[str, Any]:
    """Counts of the run: articles, skipped inputs with reasons, entities, relations, triples."""
    ds = result.dataset
    entities = Counter(e.type for e in result.resolution.entities.values())
    relations: Counter = Counter()
    for ex in result.extractions:
        relations.update(r.predicate for r in ex.relations)
        relations.update("hasPositionIn" for p in ex.positions if p.org is not None)
        relations.update("holdsPosition" for _ in ex.positions)
    events = Counter(ev.type for ex in result.extractions for ev in ex.events)
    triples = len({(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))})
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


def write_outputs(result: BuildResult, out: Path, settings: Settings) -> None:
    """graph.ttl (union), graph.trig (named graphs), graph.html and report.json, each atomically."""
    from kg.html import render_html

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    write_graph(result.dataset, out / "graph.ttl")
    write_graph(result.dataset, out / "graph.trig")
    stats = render_html(result.dataset, out / "graph.html", max_nodes=settings.html_max_nodes)
    result.report["html"] = {"nodes": stats.nodes, "edges": stats.edges, "total_nodes": stats.total_nodes,
                             "subset": stats.subset}
    result.report["write_seconds"] = round(time.perf_counter() - t0, 3)
    write_atomic(out / "report.json", (json.dumps(result.report, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
