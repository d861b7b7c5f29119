"""Engines: local worker processes and a Dask cluster build the same graph as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings

pytest.importorskip("spacy")


def _isomorphic(a: Path, b: Path) -> bool:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    return isomorphic(Graph().parse(a, format="turtle"), Graph().parse(b, format="turtle"))


@pytest.fixture(scope="module")
def local_build(shared, tmp_path_factory):
    """The sample corpus built in this process (one worker, no cache): the reference output."""
    from kg.nlp import ModelNotFound
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("engine-local")
    try:
        result = build([str(shared / "corpus")], out, Settings(progress=False))
    except ModelNotFound as exc:
        pytest.skip(str(exc))
    assert result.report["articles"] >= 2 and result.report["triples"] > 100
    return out


def test_engine_dask_local_cluster_same_graph_as_local(shared, local_build, tmp_path):
    distributed = pytest.importorskip("distributed")
    from kg.pipeline import build

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        # small batches so both workers get a partition of the two articles
        result = build([str(shared / "corpus")], tmp_path, Settings(progress=False, batch_size=1),
                       engine="dask", scheduler=cluster.scheduler_address, cache_dir=tmp_path / "cache")
    assert result.report["engine"] == "dask"
    assert result.report["parsed"] == result.report["articles"]
    assert _isomorphic(local_build / "graph.ttl", tmp_path / "graph.ttl")
    # outputs are deterministic: the same bytes, named graphs included
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / name).read_bytes() == (local_build / name).read_bytes()


def test_engine_two_local_workers_same_graph_as_one(shared, local_build, tmp_path):
    from kg.pipeline import build

    result = build([str(shared / "corpus")], tmp_path, Settings(progress=False, workers=2, batch_size=1))
    assert result.report["parsed"] == result.report["articles"]
    assert _isomorphic(local_build / "graph.ttl", tmp_path / "graph.ttl")
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / name).read_bytes() == (local_build / name).read_bytes()


def test_engine_unknown_engine_and_stray_scheduler_refused():
    from kg.engine import run

    with pytest.raises(ValueError, match="unknown engine"):
        run([], Settings(), engine="spark")
    with pytest.raises(ValueError, match="--scheduler needs --engine dask"):
        run([], Settings(), engine="local", scheduler="tcp://127.0.0.1:8786")


def test_engine_cli_scheduler_without_dask_is_usage_error(tmp_path, capsys):
    from kg.cli import main

    code = main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1"])
    assert code == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
