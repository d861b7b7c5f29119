"""Time Turtle and N-Triples writing: rdflib's serialisers vs kg.serialize (pyoxigraph, sorted).

Run: python benchmarks/bench_serialize.py [N_ARTICLES]   (default 1000, ~58k triples)
Builds a contract-shaped graph by hand (tests/rdf_samples.py), so it needs no spaCy model.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from rdflib import Graph  # noqa: E402

from kg.serialize import quads_of, serialize, serialize_quads  # noqa: E402
from rdf_samples import contract_dataset  # noqa: E402


def timed(label: str, fn) -> float:
    start = time.perf_counter()
    data = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:7.2f} s  {len(data) / 1e6:6.1f} MB")
    return seconds


def main(n_articles: int) -> None:
    ds, _ = contract_dataset(n_articles)
    union = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    for prefix, ns in ds.namespaces():
        union.bind(prefix, ns)
    print(f"{n_articles} articles, {len(union)} triples")
    for fmt, rdflib_name in (("ttl", "turtle"), ("nt", "nt")):
        slow = timed(f"rdflib {rdflib_name}", lambda: union.serialize(format=rdflib_name, encoding="utf-8"))
        fast = timed(f"kg.serialize {fmt} (pyoxigraph)", lambda: serialize(union, fmt))
        print(f"{'speed-up':<34} {slow / fast:7.1f} x")
    timed("kg.serialize trig (pyoxigraph)", lambda: serialize(ds, "trig"))
    timed("rdflib trig", lambda: ds.serialize(format="trig", encoding="utf-8"))
    # what a store export pays: quads already pyoxigraph terms, no rdflib on the way
    quads = list(quads_of(ds))
    for fmt in ("ttl", "trig", "nt", "nq"):
        timed(f"serialize_quads {fmt} (no rdflib)", lambda: serialize_quads(quads, fmt))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
