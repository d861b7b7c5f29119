"""An interrupted `kg build` (SIGKILL, or Ctrl-C's SIGINT) leaves the previous outputs byte for byte
and the store as they were, and the next run resumes from the extraction cache."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from kg.store import content_quads, open_store
from rdf_samples import canonical

pytest.importorskip("spacy")

TOTAL = 40
OUTPUTS = ("graph.ttl", "graph.trig", "graph.html", "report.json")
FIRST = ("Anouk", "Tomasz", "Leila", "Bram", "Ines", "Marek", "Sofia", "Pavel", "Greta", "Omar")
LAST = ("Verhoeven", "Kowalczyk", "Haddad", "Lindqvist", "Moreau", "Novak", "Ferreira", "Dimitrov")
PLACES = ("Rotterdam", "Gdansk", "Lyon", "Porto", "Tallinn", "Valencia", "Bergen", "Brno", "Ghent", "Turku")


def write_articles(folder: Path, numbers: range) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        rng = random.Random(n)
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        place, other = rng.sample(PLACES, 2)
        text = (f"{person}, the mayor of {place}, met business leaders in {other} on Monday.\n\n"
                f"The city of {place} said it would spend {rng.randint(2, 90)} million euros on new trams. "
                f"\"We are ready,\" {person.split()[1]} told reporters in {other}.\n")
        (folder / f"story_{n:03d}.txt").write_text(text, encoding="utf-8")


def kg_argv(corpus: Path, tmp: Path, *extra: str) -> list[str]:
    return [str(Path(sys.executable).with_name("kg")), "build", str(corpus), "--out", str(tmp / "out"),
            "--cache-dir", str(tmp / "cache"), "--store", str(tmp / "store"), "--no-progress", *extra]


def cached(tmp: Path) -> int:
    return sum(1 for _ in (tmp / "cache").rglob("*.pickle"))


def snapshot(tmp: Path) -> dict[str, bytes]:
    return {name: (tmp / "out" / name).read_bytes() for name in OUTPUTS}


def store_content(tmp: Path) -> set[str]:
    return canonical(content_quads(open_store(tmp / "store", read_only=True)))


def interrupt(argv: list[str], tmp: Path, sig: int, after_cached: int) -> subprocess.Popen:
    """Run ``argv`` in its own process group; send ``sig`` to the group once the cache holds
    ``after_cached`` entries (extraction under way)."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    while cached(tmp) < after_cached:
        if proc.poll() is not None:
            pytest.fail(f"the build ended before it could be interrupted: {proc.stderr.read().decode()[-500:]}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("the build made no progress")
        time.sleep(0.02)
    os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"the build did not stop on signal {sig}")
    return proc


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A finished build (outputs and store) of a few articles; more articles are then added."""
    tmp = tmp_path_factory.mktemp("interrupt")
    write_articles(tmp / "corpus", range(3))
    proc = subprocess.run(kg_argv(tmp / "corpus", tmp), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    write_articles(tmp / "corpus", range(3, TOTAL))
    return tmp


def assert_previous_intact(tmp: Path, before: dict[str, bytes], store_before: set[str]) -> None:
    assert snapshot(tmp) == before
    Graph().parse(tmp / "out" / "graph.ttl", format="turtle")
    Dataset().parse(tmp / "out" / "graph.trig", format="trig")
    json.loads(before["report.json"])
    leftovers = sorted(p.name for p in (tmp / "out").iterdir() if p.name not in OUTPUTS and p.name != ".kg-build.json")
    assert leftovers == []
    assert store_content(tmp) == store_before  # opens (no stale lock) and holds the old graphs


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_robustness_interrupt_keeps_outputs_and_store_then_resumes(previous, sig, tmp_path):
    tmp = tmp_path
    for name in ("corpus", "out", "cache", "store"):
        src = previous / name
        subprocess.run(["cp", "-a", str(src), str(tmp / name)], check=True)
    before, store_before = snapshot(tmp), store_content(tmp)
    start = cached(tmp)
    proc = interrupt(kg_argv(tmp / "corpus", tmp, "--workers", "2", "--batch-size", "2"), tmp, sig, start + 4)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert "interrupted" in proc.stderr.read().decode()
    else:
        assert proc.returncode == -signal.SIGKILL
    at_kill = cached(tmp)
    assert start + 4 <= at_kill
    assert_previous_intact(tmp, before, store_before)
    if sig == signal.SIGINT:
        return  # resuming is the same after either signal: checked once, after SIGKILL

    keys = {p.name for p in (tmp / "cache" / "extractions").iterdir()}
    done = subprocess.run(kg_argv(tmp / "corpus", tmp), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp / "out" / "report.json").read_text("utf-8"))
    assert report["articles"] == TOTAL and report["parsed"] == TOTAL - report["cached"]
    trig = canonical(ox.parse(path=str(tmp / "out" / "graph.trig"), format=ox.RdfFormat.TRIG))
    in_graphs = lambda quads: {q for q in quads if "/resource/graph/" in q}
    assert in_graphs(store_content(tmp)) == in_graphs(trig)
    if {p.name for p in (tmp / "cache" / "extractions").iterdir()} != keys:
        pytest.skip("kg's sources changed while the test ran (a working copy being edited): cache rightly cold")
    assert report["cached"] >= at_kill


def newest(folder: Path) -> int:
    return max((f.stat().st_mtime_ns for f in folder.rglob("*") if f.is_file()), default=0)


def test_robustness_interrupt_while_writing_leaves_a_consistent_store(previous, tmp_path):
    """SIGKILL once the new outputs are written and the store is being opened for loading: the
    store opens again (no stale lock) and every article graph matches the digest stored with it."""
    from kg.store import GRAPH_DIGEST, META_GRAPH, graph_digest, stored_digests

    tmp = tmp_path
    for name in ("corpus", "out", "cache", "store"):
        subprocess.run(["cp", "-a", str(previous / name), str(tmp / name)], check=True)
    report = tmp / "out" / "report.json"
    stamp = report.stat().st_mtime_ns
    proc = subprocess.Popen(kg_argv(tmp / "corpus", tmp), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    while proc.poll() is None and report.stat().st_mtime_ns == stamp and time.monotonic() < deadline:
        time.sleep(0.005)
    touched = newest(tmp / "store")
    while proc.poll() is None and newest(tmp / "store") == touched and time.monotonic() < deadline:
        pass
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    json.loads(report.read_text("utf-8"))  # the outputs are whole, old or new
    Graph().parse(tmp / "out" / "graph.ttl", format="turtle")
    store = open_store(tmp / "store", read_only=True)
    digests = stored_digests(store)
    assert digests and len(list(store.quads_for_pattern(None, GRAPH_DIGEST, None, META_GRAPH))) == len(digests)
    for name, digest in digests.items():
        quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        assert graph_digest(quads) == digest, name
