"""The same articles give byte-identical graph.ttl, graph.trig and graph.html: in one process or
another, and whatever the order the articles are given in."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from kg.config import Settings

from conftest import EXAMPLES

OUTPUTS = ("graph.ttl", "graph.trig", "graph.html")
PEOPLE = ("Anouk Verhoeven", "Tomasz Kowalczyk", "Leila Haddad", "Marek Novak")
PLACES = ("Rotterdam", "Gdansk", "Lyon", "Porto", "Tallinn")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    """Invented articles that share people and places (so resolution merges across articles),
    plus a few of the project's own examples."""
    folder = tmp_path_factory.mktemp("det-corpus")
    for n in range(6):
        rng = random.Random(n)
        a, b = rng.sample(PEOPLE, 2)
        place, other = rng.sample(PLACES, 2)
        text = (f"{a}, the mayor of {place}, met {b} in {other} on Monday. "
                f"{b.split()[1]} said {rng.randint(10, 500)} workers would be hired in {place}. "
                f"\"We agree,\" {a.split()[1]} told Reuters.\n")
        (folder / f"d{n}.txt").write_text(text, encoding="utf-8")
    files = sorted(folder.iterdir()) + sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md"))[:3]
    return files


@pytest.fixture(scope="module")
def first(corpus, tmp_path_factory) -> Path:
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("det-a")
    build([str(p) for p in corpus], out, Settings(progress=False))
    return out


def test_determinism_two_builds_in_two_processes_give_the_same_bytes(first, corpus, tmp_path):
    out = tmp_path / "b"
    proc = subprocess.run([str(Path(sys.executable).with_name("kg")), "build", *map(str, corpus), "--out", str(out),
                           "--no-cache", "--no-progress"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (first / name).read_bytes(), name


def test_determinism_article_order_does_not_matter(first, corpus, tmp_path):
    from kg.pipeline import build

    shuffled = list(reversed(corpus))
    random.Random(3).shuffle(shuffled)
    assert shuffled != corpus
    build([str(p) for p in shuffled], tmp_path, Settings(progress=False))
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (first / name).read_bytes(), name
