"""notebooks/quickstart.ipynb runs top to bottom (as nbmake would, from notebooks/) and shows real results."""

from __future__ import annotations

import ast
import html
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"

#: Run after the notebook, in its kernel: facts about its variables, as one JSON line.
PROBE = '''
import json, sys
from kg.api import collect_articles
_texts = {ex.article.doc_id: ex.article.text for ex in graph.extractions}
print(json.dumps({
    "prefix": sys.prefix,
    "articles": len(graph.articles()),
    "example_articles": len(collect_articles(EXAMPLES)),
    "positions": len(positions),
    "position_columns": list(positions.columns),
    "sparql_positions": len(list(graph.rdf.query("SELECT ?p WHERE { GRAPH ?g { ?p a kg:Position } }",
                                                 initNs={"kg": "https://w3id.org/kg-news/ontology#"}))),
    "central": [H.nodes[n]["label"] for n in central],
    "central_betweenness": [round(betweenness[n], 6) for n in central],
    "stats_betweenness": [r["betweenness"] for r in stats["betweenness"]],
    "fact_sentence_in_article": fact.sentence in _texts[fact.article],
    "fact_span_in_sentence": _texts[fact.article][fact.start:fact.end] in fact.sentence,
    "fact_is_about_top": graph.find(top) == top,
}))
'''


def _outputs(nb, cell_id: str) -> list:
    (cell,) = [c for c in nb.cells if c.get("id") == cell_id]
    return cell.outputs


def _html(nb, cell_id: str) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in _outputs(nb, cell_id))


def _stdout(nb, cell_id: str) -> str:
    return "".join(o.text for o in _outputs(nb, cell_id) if o.output_type == "stream" and o.name == "stdout")


def _table_rows(page: str) -> int:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr>")


@pytest.fixture(scope="module")
def executed():
    """The notebook executed with the python3 kernel of this interpreter, cwd = notebooks/, plus the probe."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE, id="probe"))
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    probe = json.loads(_stdout(nb, "probe").strip().splitlines()[-1])
    return nb, probe


def test_notebook_runs_in_this_interpreter_without_errors(executed):
    nb, probe = executed
    assert probe["prefix"] == sys.prefix
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None
            assert not [o for o in cell.outputs if o.output_type == "error"]
            assert "Traceback" not in "".join(o.get("text", "") for o in cell.outputs)


def test_notebook_builds_the_examples(executed):
    nb, probe = executed
    assert probe["articles"] == probe["example_articles"] > 5
    (shown,) = [o.data["text/plain"] for o in _outputs(nb, "build")]
    assert shown.startswith(f"<KnowledgeGraph: {probe['articles']} articles")
    assert _table_rows(_html(nb, "articles")) == probe["articles"]


def test_notebook_sparql_gives_tables(executed):
    nb, probe = executed
    assert probe["position_columns"] == ["person", "title", "organisation"]
    assert probe["positions"] == probe["sparql_positions"] > 3  # the same count straight from rdflib
    assert _table_rows(_html(nb, "sparql")) == probe["positions"]
    assert _table_rows(_html(nb, "shared")) > 1


def test_notebook_lists_central_entities(executed):
    nb, probe = executed
    page = _html(nb, "central")
    assert _table_rows(page) == len(probe["central"]) == 10
    for label in probe["central"]:
        assert html.escape(label) in page
    assert probe["central_betweenness"] == sorted(probe["central_betweenness"], reverse=True)
    assert probe["central_betweenness"][0] > 0
    n = len(probe["stats_betweenness"])  # kg stats agrees with the notebook's networkx
    assert probe["central_betweenness"][:n] == probe["stats_betweenness"]
    assert _table_rows(_html(nb, "stats")) > 1


def test_notebook_shows_the_graph_inline_without_network_access(executed):
    nb, _ = executed
    shown = _html(nb, "show")
    match = re.search(r'<iframe srcdoc="([^"]*)"', shown)
    assert match
    page = html.unescape(match.group(1))
    assert "<!DOCTYPE html>" in page and "vis.Network" in page and len(page) > 100_000
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b|@import", page, re.I)


def test_notebook_traces_a_fact_to_its_sentence(executed):
    nb, probe = executed
    assert probe["fact_sentence_in_article"] and probe["fact_span_in_sentence"] and probe["fact_is_about_top"]
    assert _table_rows(_html(nb, "explain")) > 1
    printed = _stdout(nb, "fact")
    assert re.search(r"^sentence: +\S", printed, re.M) and re.search(r"^evidence: +\S", printed, re.M)
    provenance = _html(nb, "fact")
    for prop in ("kg:sentence", "prov:wasDerivedFrom", "kg:startChar", "kg:endChar", "kg:confidence"):
        assert prop in provenance


def test_notebook_committed_without_outputs():
    raw = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in raw["cells"] if c["cell_type"] == "code"]
    assert len(code) >= 6
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None, cell["id"]
    assert raw["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in raw["metadata"]
    nbformat = pytest.importorskip("nbformat")
    nbformat.validate(nbformat.reads(NOTEBOOK.read_text(encoding="utf-8"), as_version=4))


def test_notebook_finds_the_examples_from_any_folder(tmp_path, monkeypatch):
    """The notebook's repo_root(): from notebooks/, from the root, and through kg's own location."""
    import kg

    raw = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    source = "".join(raw["cells"][1]["source"])
    (fn,) = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    namespace = {"Path": Path, "kg": kg}
    exec(compile(ast.Module([fn], type_ignores=[]), str(NOTEBOOK), "exec"), namespace)
    for cwd in (ROOT / "notebooks", ROOT, tmp_path):
        monkeypatch.chdir(cwd)
        assert namespace["repo_root"]() == ROOT
