"""Shared fixtures: the repository layout, the shared data, and session-wide builds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the repository (sample corpus, gold, benchmark); skip when absent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def seed_build(shared, tmp_path_factory):
    """``kg build ../shared/corpus``: (output folder, BuildResult)."""
    from kg.config import Settings
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seed-out")
    return out, build([str(shared / "corpus")], out, Settings(progress=False))


@pytest.fixture(scope="session")
def examples_build(tmp_path_factory):
    """``kg build examples/articles``: (output folder, BuildResult)."""
    from kg.config import Settings
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("examples-out")
    return out, build([str(EXAMPLES)], out, Settings(progress=False))


@pytest.fixture()
def oxigraph_server(tmp_path):
    """A fresh ``oxigraph serve`` on 127.0.0.1 (empty store in tmp_path): its base URL."""
    from server_helpers import free_port, oxigraph_binary, start, stop

    binary = oxigraph_binary()
    if not binary:
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start([binary, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"], base + "/")
    try:
        yield base
    finally:
        stop(proc)
