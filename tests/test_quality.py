"""Extraction quality, scored by ``kg eval`` on gold annotations (seed articles, our examples, MEANTIME)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kg.config import Settings
from kg.evaluate import evaluate, load_gold
from kg.pipeline import build

from conftest import EXAMPLES, ROOT


def _score(gold_path, result):
    return evaluate(load_gold(gold_path), result.dataset)


def test_seed_articles_meet_the_targets(shared, seed_build):
    r = _score(shared / "gold" / "seeds.json", seed_build[1])
    assert r.entity_recall >= 0.95
    assert r.entity_precision >= 0.95
    assert r.duplicates == []
    assert r.over_merged == []
    assert r.junk == []
    assert r.relation_recall >= 0.90
    assert r.linked_negatives == []


def test_own_examples_score_close(examples_build):
    r = _score(ROOT / "examples" / "gold.json", examples_build[1])
    assert r.entity_recall >= 0.85
    assert r.entity_precision >= 0.90
    assert r.relation_recall >= 0.78
    assert r.junk == []
    assert r.linked_negatives == []


def test_meantime_benchmark(shared, tmp_path):
    bench = shared / "bench" / "meantime"
    result = build([str(bench / "articles")], None, Settings(progress=False))
    r = _score(bench / "gold.json", result)
    # the targets; raw spaCy with name-keyed nodes: recall 0.91, precision 0.82, 55 duplicates
    assert r.entity_recall >= 0.95
    assert r.entity_precision >= 0.90
    assert len(r.duplicates) <= 10
    assert r.junk == []


def test_eval_cli_prints_headline_figures(shared, seed_build):
    out, _ = seed_build
    proc = subprocess.run([sys.executable, "-m", "kg", "eval", "--gold", str(shared / "gold" / "seeds.json"),
                           str(out / "graph.ttl")], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-3:]
    assert last[0].startswith("entities: recall") and last[1].startswith("relations: recall")
    proc = subprocess.run([sys.executable, "-m", "kg", "eval", "--json", "--gold", str(shared / "gold" / "seeds.json"),
                           str(out / "graph.ttl")], capture_output=True, text=True, cwd=ROOT, timeout=300)
    figures = json.loads(proc.stdout)
    assert figures
