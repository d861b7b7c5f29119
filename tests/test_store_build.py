"""`kg build --store` on the seed corpus: idempotent re-runs, a changed article replaces its graph;
`kg export --store` in every RDF format parses with rdflib, pyoxigraph and rapper and round-trips;
`kg validate` passes every build and reports a broken one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.serialize import quads_of
from kg.store import META_GRAPH, content_quads, open_store, stored_hashes
from rdf_samples import canonical

OX_FORMAT = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
             "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
RDFLIB_FORMAT = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}
RAPPER_FORMAT = {"ttl": "turtle", "trig": "trig", "nt": "ntriples", "nq": "nquads"}
GRAPH_FORMATS = ("trig", "nq", "jsonld")


def kg(*argv: str) -> int:
    from kg.cli import main

    return main([*map(str, argv)])


def build(corpus: Path, tmp: Path) -> int:
    return kg("build", corpus, "--out", tmp / "out", "--store", tmp / "store", "--cache-dir", tmp / "cache",
              "--no-progress")


def store_quads(store: Path) -> set[str]:
    return canonical(content_quads(open_store(store, read_only=True)))


def file_quads(path: Path) -> set[str]:
    return canonical(ox.parse(path=str(path), format=OX_FORMAT[path.suffix[1:]]))


@pytest.fixture(scope="module")
def seed(shared, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("store-build")
    shutil.copytree(shared / "corpus", tmp / "corpus")
    assert build(tmp / "corpus", tmp) == 0
    return tmp


def test_store_build_holds_exactly_the_built_graph(seed):
    assert store_quads(seed / "store") == file_quads(seed / "out" / "graph.trig")
    hashes = stored_hashes(open_store(seed / "store", read_only=True))
    articles = sorted(p.stem for p in (seed / "corpus").iterdir())
    assert sorted(h.rsplit("/", 1)[1] for h in hashes) == articles


def test_store_build_rerun_of_same_articles_changes_nothing(seed, capsys):
    before = store_quads(seed / "store")
    size = len(open_store(seed / "store", read_only=True))
    assert build(seed / "corpus", seed) == 0
    assert store_quads(seed / "store") == before
    assert len(open_store(seed / "store", read_only=True)) == size  # metadata included: no duplicates


def test_store_build_changed_article_replaces_its_graph(seed, tmp_path):
    shutil.copytree(seed / "store", tmp_path / "store")
    shutil.copytree(seed / "cache", tmp_path / "cache")
    shutil.copytree(seed / "corpus", tmp_path / "corpus")
    changed = sorted((tmp_path / "corpus").iterdir())[0]
    text = changed.read_text("utf-8")
    changed.write_text(text + "\n\nPresident Emmanuel Macron of France visited Berlin on Friday.\n", "utf-8")
    old_graph = {q for q in store_quads(tmp_path / "store") if f"/graph/{changed.stem}>" in q}
    assert build(tmp_path / "corpus", tmp_path) == 0
    new_store = store_quads(tmp_path / "store")
    new_trig = file_quads(tmp_path / "out" / "graph.trig")
    graph_of = lambda quads, stem: {q for q in quads if f"/graph/{stem}>" in q}
    # the changed article's graph is the new one, not the old one plus the new one
    assert graph_of(new_store, changed.stem) == graph_of(new_trig, changed.stem) != old_graph
    assert any("Macron" in q for q in graph_of(new_store, changed.stem))
    # every article graph equals the fresh build's; entity descriptions are merged (a superset)
    in_graphs = lambda quads: {q for q in quads if "/resource/graph/" in q}
    assert in_graphs(new_store) == in_graphs(new_trig)
    assert new_store >= new_trig
    hashes = stored_hashes(open_store(tmp_path / "store", read_only=True))
    assert hashes != stored_hashes(open_store(seed / "store", read_only=True))


@pytest.mark.parametrize("fmt", list(OX_FORMAT))
def test_store_export_parses_everywhere_and_round_trips(seed, fmt, tmp_path):
    out = tmp_path / f"all.{fmt}"
    assert kg("export", "--store", seed / "store", "--format", fmt, "--out", out) == 0
    stored = list(content_quads(open_store(seed / "store", read_only=True)))
    want = canonical(stored) if fmt in GRAPH_FORMATS else canonical(
        ox.Quad(q.subject, q.predicate, q.object) for q in stored)
    assert file_quads(out) == want
    assert META_GRAPH.value not in out.read_text("utf-8")
    parsed = Dataset()
    parsed.parse(out, format=RDFLIB_FORMAT[fmt])
    assert canonical(quads_of(parsed)) == want
    if fmt in RAPPER_FORMAT and shutil.which("rapper"):
        nq = subprocess.run(["rapper", "-q", "-i", RAPPER_FORMAT[fmt], "-o", "nquads", str(out)],
                            capture_output=True, check=True).stdout
        assert canonical(ox.parse(nq, format=ox.RdfFormat.N_QUADS)) == want
    # and back: the export loaded into a fresh store exports the same bytes
    again = tmp_path / f"again.{fmt}"
    assert kg("export", out, "--format", fmt, "--out", again) == 0
    assert again.read_bytes() == out.read_bytes()


def test_store_build_outputs_validate_and_a_broken_one_does_not(seed, tmp_path, capsys):
    for path in (seed / "out" / "graph.ttl", seed / "out" / "graph.trig"):
        assert kg("validate", path) == 0, capsys.readouterr().out
    exported = tmp_path / "store.trig"
    assert kg("export", "--store", seed / "store", "--out", exported) == 0
    assert kg("validate", exported) == 0
    assert kg("validate", seed / "store") == 0  # the store itself, read without its bookkeeping
    capsys.readouterr()
    assert kg("validate", tmp_path / "absent") == 2
    assert "absent: no such file" in capsys.readouterr().err
    capsys.readouterr()
    text = (seed / "out" / "graph.ttl").read_text("utf-8")
    assert "kg:confidence" in text and "schema:datePublished" in text
    broken = tmp_path / "broken.ttl"
    broken.write_text(text.replace("kg:confidence ", "kg:confidence 7.5, ", 1)
                      .replace("schema:datePublished ", 'schema:datePublished "soon", ', 1), "utf-8")
    assert kg("validate", broken) == 1
    report = capsys.readouterr().out
    assert "kg:confidence" in report and "schema:datePublished" in report


def test_store_build_examples_build_validates(examples_build, capsys):
    out, _ = examples_build
    code = kg("validate", out / "graph.trig")
    assert code == 0, capsys.readouterr().out
