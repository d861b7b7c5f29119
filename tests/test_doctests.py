"""The examples in the public API's docstrings run, and the public API is documented and typed."""

from __future__ import annotations

import doctest
import importlib
import inspect
import re
from pathlib import Path

import pytest

#: Modules of the Python API whose docstring examples must run (cheap: tiny texts, no big builds).
MODULES = ("kg", "kg.api", "kg.network", "kg.graphexport", "kg.stats", "kg.explain")


@pytest.mark.parametrize("name", MODULES)
def test_doctests_run(name, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # any stray file lands in a temp dir
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = [t for t in finder.find(module, name) if t.examples]
    assert tests, f"{name} has no docstring examples"
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"


def _public_api():
    """(qualified name, callable) for kg.build/load and every public KnowledgeGraph method."""
    import kg.api as api

    yield "kg.build", api.build
    yield "kg.load", api.load
    for name, member in inspect.getmembers(api.KnowledgeGraph):
        if not name.startswith("_") and callable(member):
            yield f"KnowledgeGraph.{name}", member
    from kg.graphexport import write_network
    from kg.network import entity_subgraph, to_networkx
    from kg.stats import graph_stats

    for fn in (to_networkx, entity_subgraph, write_network, graph_stats):
        yield f"{fn.__module__}.{fn.__name__}", fn


@pytest.mark.parametrize("name,fn", list(_public_api()), ids=lambda v: v if isinstance(v, str) else "")
def test_doctests_public_api_is_typed_and_documented(name, fn):
    assert (fn.__doc__ or "").strip(), f"{name} has no docstring"
    sig = inspect.signature(fn)
    missing = [p.name for p in sig.parameters.values()
               if p.name != "self" and p.annotation is inspect.Parameter.empty]
    assert not missing, f"{name}: parameters without type hints: {missing}"
    assert sig.return_annotation is not inspect.Signature.empty, f"{name} has no return type"


def test_doctests_every_graph_method_has_an_example():
    import kg.api as api

    without = [name for name, member in inspect.getmembers(api.KnowledgeGraph)
               if not name.startswith("_") and callable(member) and ">>>" not in (member.__doc__ or "")
               and name not in ("refresh", "show")]  # refresh has nothing to show; show needs a notebook
    assert not without, f"KnowledgeGraph methods without a docstring example: {without}"


def test_doctests_package_is_marked_typed():
    import kg

    assert (Path(kg.__file__).parent / "py.typed").is_file()
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'\[tool\.setuptools\.package-data\]\s*kg\s*=\s*\[[^\]]*"py\.typed"', pyproject)


def test_doctests_top_level_all_is_the_lazy_api():
    import kg

    assert set(kg.__all__) == {"__version__", *kg._API}
    assert all(getattr(kg, name) is not None for name in kg.__all__)
