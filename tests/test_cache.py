"""Per-article extraction cache: a re-run parses only new or changed articles."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from kg import cache as kg_cache
from kg.config import Settings
from kg.records import Article, Extraction

pytest.importorskip("spacy")

FIRST = ("Anouk", "Tomasz", "Leila", "Bram", "Ines", "Marek", "Sofia", "Pavel")
LAST = ("Verhoeven", "Kowalczyk", "Haddad", "Lindqvist", "Moreau", "Novak", "Ferreira", "Dimitrov")
PLACES = ("Rotterdam", "Gdansk", "Lyon", "Porto", "Tallinn", "Valencia", "Bergen", "Brno")


def write_article(folder: Path, n: int, seed: int = 0) -> Path:
    """A short invented news text with people, places and a company."""
    rng = random.Random(n * 1000 + seed)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    place, other = rng.sample(PLACES, 2)
    firm = f"{rng.choice(LAST)} Logistics"
    text = (f"{person}, the chief executive of {firm}, arrived in {place} on Monday.\n\n"
            f"{firm} said it would open a depot in {other} next year, hiring {rng.randint(20, 400)} workers. "
            f"\"We are growing fast,\" {person.split()[1]} told reporters in {place}.\n")
    path = folder / f"story_{n:02d}.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cache-corpus")
    for n in range(4):
        write_article(folder, n)
    return folder


@pytest.fixture(scope="module")
def first_build(corpus, tmp_path_factory):
    """A fresh cached build of ``corpus``: (cache dir, output dir, BuildResult)."""
    from kg.nlp import ModelNotFound
    from kg.pipeline import build

    cache = tmp_path_factory.mktemp("cache")
    out = tmp_path_factory.mktemp("cache-out")
    try:
        result = build([str(corpus)], out, Settings(progress=False), cache=True, cache_dir=cache)
    except ModelNotFound as exc:
        pytest.skip(str(exc))
    return cache, out, result


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for path in src.iterdir():
        (dst / path.name).write_bytes(path.read_bytes())
    return dst


def _count_parses(monkeypatch) -> list[str]:
    """Record the doc_id of every article handed to the extraction engine."""
    import kg.pipeline

    seen: list[str] = []
    real = kg.pipeline.run_engine

    def counting(items, *args, **kwargs):
        items = list(items)
        seen.extend(art.doc_id for _, art in items)
        return real(items, *args, **kwargs)

    monkeypatch.setattr(kg.pipeline, "run_engine", counting)
    return seen


def test_cache_first_build_parses_everything_and_fills_cache(first_build):
    cache, _, result = first_build
    assert result.report["parsed"] == 4 and result.report["cached"] == 0
    assert len(list((cache / "extractions").rglob("*.pickle"))) == 4


def test_cache_second_build_parses_nothing_same_graph(first_build, corpus, tmp_path, monkeypatch):
    from kg.pipeline import build

    cache, out, _ = first_build
    seen = _count_parses(monkeypatch)
    result = build([str(corpus)], tmp_path, Settings(progress=False), cache=True, cache_dir=cache)
    assert seen == []
    assert result.report["parsed"] == 0 and result.report["cached"] == 4
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def test_cache_unchanged_rerun_into_same_folder_keeps_outputs(first_build, corpus, monkeypatch):
    from kg.pipeline import build

    cache, out, _ = first_build
    seen = _count_parses(monkeypatch)
    before = (out / "graph.ttl").stat().st_mtime_ns
    result = build([str(corpus)], out, Settings(progress=False), cache=True, cache_dir=cache)
    assert result.up_to_date and seen == []
    assert (out / "graph.ttl").stat().st_mtime_ns == before


def test_cache_added_article_is_the_only_one_parsed(first_build, corpus, tmp_path, monkeypatch):
    from kg.pipeline import build

    cache, _, _ = first_build
    grown = _copy(corpus, tmp_path / "in")
    write_article(grown, 9)
    seen = _count_parses(monkeypatch)
    result = build([str(grown)], tmp_path / "out", Settings(progress=False), cache=True, cache_dir=cache)
    assert seen == ["story_09"]
    assert result.report["articles"] == 5 and result.report["parsed"] == 1 and result.report["cached"] == 4


def test_cache_changed_article_is_reparsed_and_graph_matches_fresh(first_build, corpus, tmp_path, monkeypatch):
    from kg.pipeline import build

    cache, _, _ = first_build
    edited = _copy(corpus, tmp_path / "in")
    write_article(edited, 2, seed=5)  # same file name, new text
    seen = _count_parses(monkeypatch)
    cached = build([str(edited)], tmp_path / "cached", Settings(progress=False), cache=True, cache_dir=cache)
    assert seen == ["story_02"] and cached.report["parsed"] == 1
    fresh = build([str(edited)], tmp_path / "fresh", Settings(progress=False))
    assert fresh.report["parsed"] == 4
    assert (tmp_path / "cached" / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()


def test_cache_no_cache_flag_reparses_all(first_build, corpus, tmp_path, monkeypatch):
    from kg.cli import main

    cache, _, _ = first_build
    seen = _count_parses(monkeypatch)
    code = main(["build", str(corpus), "--out", str(tmp_path), "--no-cache", "--cache-dir", str(cache), "--no-progress"])
    assert code == 0
    assert sorted(seen) == [f"story_{n:02d}" for n in range(4)]


def test_cache_new_pipeline_version_invalidates(first_build, corpus, tmp_path, monkeypatch):
    import kg.cache
    from kg.pipeline import build

    cache, _, _ = first_build
    old = kg.cache.fingerprint(Settings())
    monkeypatch.setattr(kg.cache, "extractor_version", lambda: "999-test")
    assert kg.cache.fingerprint(Settings()) != old
    seen = _count_parses(monkeypatch)
    result = build([str(corpus)], tmp_path, Settings(progress=False), cache=True, cache_dir=cache)
    assert len(seen) == 4 and result.report["cached"] == 0


def test_cache_fingerprint_follows_model_and_extraction_settings(monkeypatch):
    import kg.cache

    base = kg.cache.fingerprint(Settings())
    assert kg.cache.fingerprint(Settings(min_confidence=0.5)) != base
    assert kg.cache.fingerprint(Settings(max_chunk_chars=5000)) != base
    assert kg.cache.fingerprint(Settings(workers=2, batch_size=7, html_max_nodes=10)) == base  # output-only
    monkeypatch.setattr(kg.cache, "model_identity", lambda model: "en_other==9.9")
    assert kg.cache.fingerprint(Settings()) != base


def test_cache_corrupt_entry_counts_as_missing(tmp_path):
    from kg.cache import ExtractionCache

    art = Article(doc_id="a", text="Some text.")
    store = ExtractionCache(Settings(), tmp_path)
    store.put(Extraction(article=art))
    assert store.get(art) is not None and store.get(art).article.text == "Some text."
    store.path(art).write_bytes(b"not a pickle")
    assert store.get(art) is None
    assert store.hits == 2 and store.misses == 1


def test_cache_root_from_environment(monkeypatch, tmp_path):
    import kg.cache

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "k"))
    assert kg.cache.default_cache_root() == tmp_path / "k"
    monkeypatch.delenv("KG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert kg.cache.default_cache_root() == tmp_path / "x" / "kg-news"


def test_cache_default_models_match_nlp():
    import kg.cache
    import kg.nlp

    assert kg.cache.DEFAULT_MODELS == kg.nlp.DEFAULT_MODELS


def test_cache_downstream_modules_are_not_imported_by_extraction():
    # editing a DOWNSTREAM module keeps cached extractions, so extraction must not depend on one
    code = ("import sys, kg.engine, kg.extract, kg.gazetteer, kg.ingest, kg.nlp\n"
            "print(' '.join(m.split('.')[-1] + '.py' for m in sys.modules if m.startswith('kg.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    imported = set(out.split())
    assert "extract.py" in imported and "mentions.py" in imported
    assert not imported & kg_cache.DOWNSTREAM
