"""Extraction engines: the per-article map (article -> Extraction) run in-process, on local
worker processes, or as a Dask bag on a cluster.

Every engine takes ``(key, Article)`` pairs and yields ``(key, Extraction)`` pairs as they
finish (in any order); the corpus-level reduce (resolution, RDF) stays with the caller.
Worker processes and Dask workers load the spaCy pipeline once (``kg.nlp.load_pipeline`` is
cached per process; loaded again only after its vocabulary has grown by :data:`MAX_NEW_STRINGS`)
and send back only the small, picklable extraction records.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from bisect import bisect_right
from itertools import islice
from typing import Any, Hashable, Iterable, Iterator, Sequence

from kg.config import Settings
from kg.records import Article, Extraction

ENGINES = ("local", "dask")
#: Articles parsed as one group: the vocabulary's growth is checked between groups (with a
#: pipeline passed in by the caller, one group is one spaCy memory zone).
GROUP_ARTICLES = 256
#: Strings kg's own pipeline may learn (new names, numbers, typos: a few tens per article) before
#: it is loaded afresh, so a long stream does not grow the StringStore without bound (~200 bytes
#: each with its lexeme and tokenizer cache entry). spaCy's memory zones would bound it too, but
#: inside a zone the tokenizer caches nothing: every word is split again, ~3 ms per article.
MAX_NEW_STRINGS = 250_000
#: Articles per task sent to a local worker process: small enough that the workers finish together.
POOL_BATCH = 16

Item = tuple[Hashable, Article]


def chunks(text: str, limit: int) -> list[str]:
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


def index_sentences(doc) -> None:
    """Compute ``doc.sents`` once and serve it (and ``span.sent``) from that list.

    spaCy recomputes sentences on every ``doc.sents``/``span.sent`` access, scanning the whole
    Doc; the extractors ask often, so the hooks make those calls O(1)/O(log n).
    """
    try:
        sents = list(doc.sents)
    except ValueError:  # no sentence boundaries (an empty text): leave spaCy's behaviour alone
        return
    starts = [s.start for s in sents]
    doc.user_hooks["sents"] = lambda _doc: iter(sents)
    doc.user_span_hooks["sent"] = lambda span: sents[max(bisect_right(starts, span.start) - 1, 0)]


def _parse_group(nlp, group: Sequence[Item], settings: Settings, gaz,
                 zone: bool = False) -> Iterator[tuple[Hashable, Extraction]]:
    """Parse a group of articles (in one memory zone with ``zone``), extracting each as soon as its
    Docs are complete.

    Only the Docs of the article being assembled (and spaCy's current batch) are alive at a time.
    """
    from spacy.tokens import Doc

    from kg.extract import extract

    limit = max(1, min(settings.max_chunk_chars, nlp.max_length - 1))  # spaCy refuses longer texts (E088)

    def texts() -> Iterator[tuple[str, tuple[int, str]]]:
        for n, (_, art) in enumerate(group):
            for piece in chunks(art.text, limit):
                yield piece, (n, "body")
            if art.title:
                yield art.title, (n, "title")

    def finish(n: int, pieces: list, title) -> tuple[Hashable, Extraction]:
        key, art = group[n]
        body = pieces[0] if len(pieces) == 1 else Doc.from_docs(pieces, ensure_whitespace=False)
        index_sentences(body)
        if title is not None:
            index_sentences(title)
        return key, extract(body, art, gaz, headline=title, min_confidence=settings.min_confidence,
                            text=art.text)  # the pieces parsed are art.text, cut

    with nlp.memory_zone() if zone else contextlib.nullcontext():
        current, pieces, title = -1, [], None
        for doc, (n, part) in nlp.pipe(texts(), batch_size=settings.batch_size, as_tuples=True):
            if n != current:
                if current >= 0:
                    yield finish(current, pieces, title)
                current, pieces, title = n, [], None
            if part == "body":
                pieces.append(doc)
            else:
                title = doc
        if current >= 0:
            yield finish(current, pieces, title)
        pieces = title = None


def extract_stream(items: Iterable[Item], settings: Settings, nlp=None) -> Iterator[tuple[Hashable, Extraction]]:
    """Parse and extract in this process, in input order, a group of articles at a time.

    kg's own pipeline is loaded afresh once its vocabulary has learnt :data:`MAX_NEW_STRINGS`
    strings; a pipeline passed in (``nlp``) parses each group in a spaCy memory zone instead.
    """
    from kg.gazetteer import load_gazetteer
    from kg.nlp import load_pipeline

    own = nlp is None
    nlp = nlp or load_pipeline(settings.model)
    gaz = load_gazetteer()
    known = len(nlp.vocab.strings)
    # The pipeline, the gazetteer and everything imported stay for the whole stream: out of the
    # cyclic collector's sight until it ends, its collections scan only what the stream makes.
    gc.freeze()
    try:
        for group in _batches(items, GROUP_ARTICLES):
            yield from _parse_group(nlp, group, settings, gaz, zone=not own)
            if own and len(nlp.vocab.strings) - known > MAX_NEW_STRINGS:
                nlp = None  # no reference left: the collection below frees the old pipeline
                load_pipeline.cache_clear()
                gc.unfreeze()
                gc.collect()  # the old pipeline's cycles (components refer to it) go now
                nlp = load_pipeline(settings.model)
                known = len(nlp.vocab.strings)
                gc.freeze()
    finally:
        gc.unfreeze()


def extract_batch(items: Sequence[Item], settings: Settings) -> list[tuple[Hashable, Extraction]]:
    """Worker entry point: extract a batch with this process's cached pipeline."""
    return list(extract_stream(items, settings))


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _warm(settings: Settings) -> None:
    from kg.gazetteer import load_gazetteer
    from kg.nlp import load_pipeline

    load_pipeline(settings.model)
    load_gazetteer()


def run_local(items: Iterable[Item], settings: Settings, nlp=None) -> Iterator[tuple[Hashable, Extraction]]:
    """In-process for one worker; else a pool of ``settings.workers`` processes, each with its own pipeline."""
    if settings.workers <= 1:
        yield from extract_stream(items, settings, nlp)
        return
    ctx = multiprocessing.get_context("spawn")  # no fork of a parent holding threads or a loaded model
    with ctx.Pool(settings.workers, initializer=_warm, initargs=(settings,)) as pool:
        size = max(1, min(settings.batch_size, POOL_BATCH))
        for results in pool.imap_unordered(_batch_job, ((b, settings) for b in _batches(items, size))):
            yield from results


def _batch_job(args: tuple[list[Item], Settings]) -> list[tuple[Hashable, Extraction]]:
    return extract_batch(*args)


def run_dask(items: Iterable[Item], settings: Settings, scheduler: str | None = None,
             client=None) -> Iterator[tuple[Hashable, Extraction]]:
    """Extract as a Dask bag: partitions of articles map to extraction records on the workers.

    ``scheduler`` is a ``tcp://host:port`` address; without it (and without ``client``) a
    LocalCluster of ``settings.workers`` single-threaded worker processes is started.
    """
    import dask.bag as db
    from distributed import Client, LocalCluster, as_completed

    items = list(items)
    if not items:
        return
    own_cluster = None
    if client is None:
        if scheduler:
            client = Client(scheduler)
        else:
            own_cluster = LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1,
                                       processes=True, dashboard_address=None)
            client = Client(own_cluster)
        own_client = True
    else:
        own_client = False
    try:
        size = max(1, min(settings.batch_size, 64))
        bag = db.from_sequence(items, partition_size=size).map_partitions(extract_batch, settings)
        futures = client.compute(bag.to_delayed())
        for future in as_completed(futures):
            yield from future.result()
            future.release()
    finally:
        if own_client:
            client.close()
        if own_cluster is not None:
            own_cluster.close()


def run(items: Iterable[Item], settings: Settings, engine: str = "local", scheduler: str | None = None,
        nlp=None) -> Iterator[tuple[Hashable, Extraction]]:
    """Dispatch to the named engine (see :data:`ENGINES`)."""
    if engine == "local":
        if scheduler:
            raise ValueError("--scheduler needs --engine dask")
        return run_local(items, settings, nlp)
    if engine == "dask":
        return run_dask(items, settings, scheduler)
    raise ValueError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
