"""Streaming extraction: articles flow through spaCy in groups, Docs and their strings are dropped."""

from __future__ import annotations

import random

import pytest

from kg.config import Settings
from kg.records import Article

pytest.importorskip("spacy")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)).capitalize()


def invented_articles(n: int, seed: int = 7) -> list[Article]:
    """Short articles full of invented names, so every one brings new strings to the vocabulary."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        person, place, firm = f"{_word(rng)} {_word(rng)}", _word(rng), f"{_word(rng)} Holdings"
        text = (f"{person} arrived in {place} on Tuesday for talks with officials. "
                f"{firm} said it would invest {rng.randint(2, 900)} million euros in the port of {place}. "
                f"\"We are ready,\" {person.split()[1]} told reporters.")
        out.append(Article(doc_id=f"inv-{i}", text=text, title=f"{person} visits {place}"))
    return out


@pytest.fixture(scope="module")
def nlp():
    from kg.nlp import ModelNotFound, load_pipeline

    try:
        return load_pipeline()
    except ModelNotFound as exc:
        pytest.skip(str(exc))


def test_pipeline_streaming_yields_before_reading_everything(nlp, monkeypatch):
    import kg.engine
    from kg.pipeline import extract_articles

    monkeypatch.setattr(kg.engine, "GROUP_ARTICLES", 2)
    consumed = []

    def source():
        for art in invented_articles(6):
            consumed.append(art.doc_id)
            yield art

    stream = extract_articles(source(), Settings(progress=False), nlp)
    first = next(stream)
    assert first.article.doc_id == "inv-0"
    assert len(consumed) <= 3  # one group of two, plus the one that closed it
    rest = list(stream)
    assert [ex.article.doc_id for ex in rest] == [f"inv-{i}" for i in range(1, 6)]


def test_pipeline_streaming_vocabulary_does_not_grow(nlp, monkeypatch):
    import kg.engine
    from kg.pipeline import extract_articles

    monkeypatch.setattr(kg.engine, "GROUP_ARTICLES", 4)  # a pipeline passed in: one memory zone per group
    list(extract_articles(invented_articles(4, seed=1), Settings(progress=False), nlp))  # warm-up
    before = len(nlp.vocab.strings)
    extractions = list(extract_articles(invented_articles(20, seed=2), Settings(progress=False), nlp))
    assert len(nlp.vocab.strings) == before
    assert all(ex.mentions for ex in extractions)
    # the same texts parsed outside a memory zone do add strings: the check above can fail
    for art in invented_articles(3, seed=3):
        nlp(art.text)
    assert len(nlp.vocab.strings) > before


def test_pipeline_streaming_own_pipeline_is_reloaded_when_its_vocabulary_grows(nlp, monkeypatch):
    import kg.engine
    from kg.nlp import load_pipeline
    from kg.pipeline import extract_articles

    monkeypatch.setattr(kg.engine, "GROUP_ARTICLES", 4)
    articles = invented_articles(12, seed=6)
    expected = [ex.mentions for ex in extract_articles(articles, Settings(progress=False), nlp)]
    monkeypatch.setattr(kg.engine, "MAX_NEW_STRINGS", 10**9)
    before = load_pipeline(Settings().model)  # what the stream loads
    start = len(before.vocab.strings)
    assert [ex.mentions for ex in extract_articles(articles, Settings(progress=False))] == expected
    grown = len(before.vocab.strings)
    assert load_pipeline(Settings().model) is before and grown > start  # no memory zone: the new names stay

    monkeypatch.setattr(kg.engine, "MAX_NEW_STRINGS", 1)  # every group's new names exceed it
    others = invented_articles(12, seed=8)
    expected = [ex.mentions for ex in extract_articles(others, Settings(progress=False), nlp)]
    assert [ex.mentions for ex in extract_articles(others, Settings(progress=False))] == expected
    fresh = load_pipeline(Settings().model)
    assert fresh is not before
    assert len(fresh.vocab.strings) < grown


def test_pipeline_streaming_sentence_index_matches_spacy(nlp):
    from kg.engine import index_sentences

    text = " ".join(a.text for a in invented_articles(3, seed=4))
    plain, hooked = nlp(text), nlp(text)
    index_sentences(hooked)
    assert [(s.start, s.end) for s in hooked.sents] == [(s.start, s.end) for s in plain.sents]
    for tok in plain:
        assert (hooked[tok.i].sent.start, hooked[tok.i].sent.end) == (tok.sent.start, tok.sent.end)
    for ent in plain.ents:
        assert hooked[ent.start:ent.end].sent.start == ent.sent.start


def test_pipeline_streaming_long_article_chunked_offsets_hold(nlp):
    from kg.pipeline import extract_articles

    art = Article(doc_id="long", text="\n\n".join(a.text for a in invented_articles(5, seed=5)))
    whole = next(extract_articles([art], Settings(progress=False), nlp))
    pieces = next(extract_articles([art], Settings(progress=False, max_chunk_chars=300), nlp))
    assert len(art.text) > 3 * 300
    for m in pieces.mentions:
        if m.source not in ("inferred", "headline"):
            assert art.text[m.start:m.end] == m.text
    assert {m.text for m in pieces.mentions} == {m.text for m in whole.mentions}


def test_pipeline_streaming_chunks_split_at_boundaries():
    from kg.engine import chunks

    text = "alpha beta\n\ngamma delta epsilon\nzeta eta theta"
    parts = chunks(text, 16)
    assert "".join(parts) == text
    assert all(len(p) <= 16 for p in parts)
    assert parts[0] == "alpha beta\n\n"
    assert chunks("short", 100) == ["short"]


def test_pipeline_streaming_progress_shows_articles_per_second(capsys):
    from kg.progress import progress, rate_text

    assert rate_text(None, "articles") == "? articles/s"
    assert rate_text(2.345, "articles") == "2.3 articles/s"
    assert rate_text(12345.0, "articles") == "12,345 articles/s"
    assert list(progress(iter(range(7)), total=7, description="Extracting", enabled=True)) == list(range(7))
    assert list(progress(iter(range(3)), total=3, description="Extracting", enabled=False)) == [0, 1, 2]


def test_pipeline_streaming_status_spinner_only_when_enabled(capsys):
    from kg.progress import status

    ran = []
    with status("Writing 12 triples", enabled=False):
        ran.append(True)
    assert ran and capsys.readouterr().err == ""  # in pipes and CI: the work, and silence
