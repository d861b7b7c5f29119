"""kg.store: idempotent loads into an on-disk Oxigraph store, article replacement, export."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS, SKOS

import kg.store
from kg.serialize import quads_of
from kg.store import (META_GRAPH, StoreError, content_quads, export_store, load_dataset, open_store,
                      stored_hashes)
from kg.vocab import KG, RES
from rdf_samples import TRICKY, canonical, canonical_rdflib, contract_dataset


def store_content(path) -> set[str]:
    store = open_store(path, read_only=True)
    return canonical(content_quads(store))


def test_load_dataset_into_empty_store_holds_exactly_the_dataset(tmp_path):
    ds, hashes = contract_dataset(3)
    report = load_dataset(tmp_path / "s", ds, hashes)
    assert sorted(report.added) == sorted(hashes) and not report.replaced and not report.skipped
    assert store_content(tmp_path / "s") == canonical_rdflib(ds)
    assert stored_hashes(open_store(tmp_path / "s", read_only=True)) == hashes


def test_load_dataset_twice_skips_unchanged_articles_without_duplicates(tmp_path):
    ds, hashes = contract_dataset(3)
    load_dataset(tmp_path / "s", ds, hashes)
    size = len(open_store(tmp_path / "s", read_only=True))
    report = load_dataset(tmp_path / "s", ds, hashes)
    assert sorted(report.skipped) == sorted(hashes) and not report.added and not report.replaced
    assert len(open_store(tmp_path / "s", read_only=True)) == size
    assert store_content(tmp_path / "s") == canonical_rdflib(ds)


def test_load_dataset_replaces_the_graph_of_a_changed_article(tmp_path):
    old, hashes = contract_dataset(2)
    load_dataset(tmp_path / "s", old, hashes)
    new, new_hashes = contract_dataset(2, variant=" (updated)")
    changed = sorted(new_hashes)[0]
    mixed = {**hashes, changed: new_hashes[changed]}
    report = load_dataset(tmp_path / "s", _with_graph(old, new, changed), mixed)
    assert report.replaced == [changed]
    assert report.skipped == [g for g in sorted(hashes) if g != changed]
    store = open_store(tmp_path / "s", read_only=True)
    in_changed = {q.object.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(changed))}
    assert TRICKY + " (updated)" in in_changed and TRICKY not in in_changed
    assert stored_hashes(store)[changed] == new_hashes[changed]


def _with_graph(old: Dataset, new: Dataset, name: str) -> Dataset:
    """``old`` with its named graph ``name`` (and the default graph) taken from ``new``."""
    out = Dataset()
    for source, keep in ((old, lambda g: g not in (name, str(old.default_graph.identifier))),
                         (new, lambda g: g in (name, str(new.default_graph.identifier)))):
        for s, p, o, g in source.quads((None, None, None, None)):
            if keep(str(g)):
                (out.graph(g) if str(g) != str(source.default_graph.identifier) else out).add((s, p, o))
    return out


def test_load_dataset_replaces_a_graph_whose_triples_changed_under_the_same_hash(tmp_path):
    # same article text, different extraction (a newer kg, or resolution changed by other articles)
    old, hashes = contract_dataset(2)
    load_dataset(tmp_path / "s", old, hashes)
    new, _ = contract_dataset(2, variant=" (re-extracted)")
    report = load_dataset(tmp_path / "s", new, hashes)
    assert sorted(report.replaced) == sorted(hashes) and not report.skipped
    assert store_content(tmp_path / "s") >= canonical_rdflib(_only_named(new))
    again = load_dataset(tmp_path / "s", new, hashes)
    assert sorted(again.skipped) == sorted(hashes) and not again.replaced


def test_load_dataset_drops_entities_no_article_mentions_any_more(tmp_path):
    # one article mentioning an extra entity, then the same article re-extracted without it
    first, hashes = contract_dataset(2)  # the second article also mentions the army unit
    load_dataset(tmp_path / "s", first, hashes)
    army = RES["organization/north-korean-army"]
    second, new_hashes = contract_dataset(1, variant="v2")
    second.remove((army, None, None))
    gone = sorted(hashes)[1]
    # article 0 changed; article 1 re-extracted with nothing but a label
    second.graph(RES["graph/art-0001"]).add((RES["article/art-0001"], RDFS.label, Literal("withdrawn")))
    report = load_dataset(tmp_path / "s", second, {**new_hashes, gone: "other"})
    assert report.removed_entities == 1
    store = open_store(tmp_path / "s", read_only=True)
    assert not list(store.quads_for_pattern(ox.NamedNode(str(army)), None, None, None))
    kim = ox.NamedNode(str(RES["person/kim-jong-un"]))
    assert list(store.quads_for_pattern(kim, None, None, ox.DefaultGraph()))


def test_load_dataset_newest_label_wins_and_old_becomes_alt_label(tmp_path):
    ds, hashes = contract_dataset(1)
    load_dataset(tmp_path / "s", ds, hashes)
    kim = RES["person/kim-jong-un"]
    ds.set((kim, RDFS.label, Literal("Kim Jong-un")))
    ds.set((kim, KG.mentionCount, Literal(7)))
    load_dataset(tmp_path / "s", ds, hashes)
    store = open_store(tmp_path / "s", read_only=True)
    node = ox.NamedNode(str(kim))
    values = lambda p: {q.object.value for q in store.quads_for_pattern(node, ox.NamedNode(str(p)), None)}
    assert values(RDFS.label) == {"Kim Jong-un"}
    assert values(SKOS.altLabel) == {"Kim Jong Un", "Ким Чен Ын"}
    assert values(KG.mentionCount) == {"7"}


def test_load_dataset_is_all_or_nothing_per_article(tmp_path, monkeypatch):
    ds, hashes = contract_dataset(1)
    load_dataset(tmp_path / "s", ds, hashes)
    before = store_content(tmp_path / "s")
    new, new_hashes = contract_dataset(1, variant="v2")
    real = kg.store._replace_graph_update
    monkeypatch.setattr(kg.store, "_replace_graph_update", lambda *a: real(*a) + " ;\nINSERT DATA { <broken")
    with pytest.raises(SyntaxError):
        load_dataset(tmp_path / "s", _only_named(new), new_hashes)
    assert store_content(tmp_path / "s") == before


def _only_named(ds: Dataset) -> Dataset:
    out = Dataset()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g != ds.default_graph.identifier:
            out.graph(g).add((s, p, o))
    return out


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nt", "nq", "jsonld"])
def test_export_store_matches_the_loaded_dataset(tmp_path, fmt):
    ds, hashes = contract_dataset(2)
    load_dataset(tmp_path / "s", ds, hashes)
    out = export_store(tmp_path / "s", fmt, tmp_path / f"out.{fmt}")
    parsed = ox.parse(path=str(out), format=ox.RdfFormat.from_extension(
        {"ttl": "ttl", "trig": "trig", "nt": "nt", "nq": "nq", "jsonld": "jsonld"}[fmt]))
    quads = list(parsed)
    assert META_GRAPH not in {q.graph_name for q in quads}
    expected = canonical_rdflib(ds)
    if fmt in ("ttl", "nt"):
        expected = canonical(ox.Quad(q.subject, q.predicate, q.object) for q in quads_of(ds))
    assert canonical(quads) == expected


def test_open_store_reports_a_busy_store_by_directory(tmp_path):
    held = open_store(tmp_path / "s")
    with pytest.raises(StoreError, match="in use"):
        load_dataset(tmp_path / "s", *contract_dataset(1))
    del held


def test_open_store_read_only_needs_an_existing_directory(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        export_store(tmp_path / "missing", "ttl", None)
