"""`kg build` on a folder mixing good articles with every kind of bad input: each bad one gets one
line on stderr naming the file and the reason and an entry under `skipped` in report.json, the
good ones are built, and the exit code is 0 (1 with --strict, 2 for usage errors)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest

from kg.config import Settings
from kg.records import Article

GOOD = {
    "summit.txt": "Chancellor Olaf Scholz met President Emmanuel Macron in Paris on Monday. "
                  "The two leaders said they would work together on defence, officials said.\n",
    "port.md": "---\ntitle: Port reopens\ndate: 2024-03-02\n---\n"
               "The port of Gdansk reopened on Saturday after a storm, the harbour authority said.\n",
}
#: name -> (bytes, words the skip reason must contain)
BAD = {
    "empty.txt": (b"", "empty"),
    "blank.md": (b"  \n\t\r\n \n", "empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 4, "binary"),
    "nav.html": (b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
                 "no article text"),
    "bad.md": (b"---\ntitle: [unclosed\n---\nThe mayor of Turin opened a bridge on Friday.\n",
               "invalid YAML front matter"),
    "french.txt": (("Le président de la République a annoncé lundi que le gouvernement allait présenter "
                    "un nouveau projet de loi sur les retraites devant le Parlement, selon les médias.\n"
                    ).encode(), "not English"),
}
FEED = ('{"id": "wire-1", "text": "The mayor of Vienna opened a new tram line on Tuesday, the city said."}\n'
        '{"id": "wire-2", "text": \n'
        '{"id": "wire-3"}\n')


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-inputs") / "in"
    (folder / "sub").mkdir(parents=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text, "utf-8")
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    (folder / "feed.jsonl").write_text(FEED, "utf-8")
    (folder / "sub" / "loop").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    os.mkfifo(folder / "pipe.txt")  # would block a naive reader forever
    return folder


@pytest.fixture(scope="module")
def runs(corpus, tmp_path_factory):
    """Exit code, stderr and report of `kg build` on the corpus, then of the same with --strict."""
    from kg.cli import main

    tmp = tmp_path_factory.mktemp("bad-out")
    out = []
    for extra in ([], ["--strict"]):
        err_path = tmp / f"stderr{len(out)}.txt"
        with open(err_path, "w", encoding="utf-8") as err, contextlib.redirect_stderr(err):  # capsys is per test
            code = main(["build", str(corpus), "--out", str(tmp / "out"), "--cache-dir", str(tmp / "cache"),
                         "--no-progress", *extra])
        report = json.loads((tmp / "out" / "report.json").read_text("utf-8"))
        out.append((code, err_path.read_text("utf-8"), report, tmp / "out"))
    return out


def test_robustness_inputs_each_bad_file_is_skipped_with_its_reason(runs, corpus):
    code, err, report, out = runs[0]
    assert code == 0
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    for name, (_, reason) in BAD.items():
        assert reason in skipped.pop(str(corpus / name)), name
    assert "invalid JSON" in skipped.pop(f"{corpus / 'feed.jsonl'}:2")
    assert "text" in skipped.pop(f"{corpus / 'feed.jsonl'}:3")
    assert "symlink loop" in skipped.pop(str(corpus / "sub" / "loop"))
    assert "symlink" in skipped.pop(str(corpus / "dangling.txt"))
    assert "not a regular file" in skipped.pop(str(corpus / "pipe.txt"))
    assert skipped == {}


def test_robustness_inputs_one_stderr_line_per_skip_naming_file_and_reason(runs):
    _, err, report, _ = runs[0]
    for item in report["skipped"]:
        lines = [line for line in err.splitlines() if item["path"] + ":" in line and "skipped" in line]
        assert len(lines) == 1, item
        assert lines[0].endswith(item["reason"]) and "\n" not in item["reason"]
    assert "Traceback" not in err


def test_robustness_inputs_good_articles_are_built(runs):
    from rdflib import Graph
    from rdflib.namespace import RDF

    from kg.vocab import SCHEMA

    _, _, report, out = runs[0]
    assert report["articles"] == len(GOOD) + 1
    g = Graph().parse(out / "graph.ttl")
    ids = {str(g.value(a, SCHEMA.identifier)) for a in g.subjects(RDF.type, SCHEMA.NewsArticle)}
    assert ids == {"summit", "port", "wire-1"}


def test_robustness_inputs_strict_exits_1_and_still_writes_outputs(runs):
    code, _, report, out = runs[1]
    assert code == 1
    assert len(report["skipped"]) == len(runs[0][2]["skipped"])
    assert (out / "graph.ttl").stat().st_size > 0


def test_robustness_inputs_usage_errors_exit_2(tmp_path, capsys):
    from kg.cli import main

    assert main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--workers", "0"]) == 2
    assert main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--scheduler", "tcp://x:1"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["build", "--no-such-option"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--workers" in err and "--scheduler" in err


def test_robustness_inputs_invalid_utf8_is_decoded_with_a_warning_naming_the_file(tmp_path):
    from kg.ingest import iter_articles

    path = tmp_path / "latin.txt"
    path.write_bytes("Café owners in Zürich protested against the new tax on Monday, officials said.".encode("cp1252")
                     + b"\x81\x8d")
    skipped, warnings = [], []
    arts = list(iter_articles([str(path)], on_skip=skipped.append, on_warning=lambda *w: warnings.append(w)))
    assert skipped == [] and arts[0].text.startswith("Café owners in Zürich")
    assert len(warnings) == 1 and warnings[0][0] == str(path) and "not valid UTF-8" in warnings[0][1]


@pytest.fixture(scope="module")
def nlp():
    from kg.nlp import ModelNotFound, load_pipeline

    try:
        return load_pipeline(None)
    except ModelNotFound as exc:
        pytest.skip(str(exc))


# --- language detection --------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "The minister said on Monday that the talks with the union had failed and that new strikes were likely.",
    # English full of foreign names is still English
    "Volodymyr Zelenskyy met Kim Jong Un, Xi Jinping and Recep Tayyip Erdoğan in Kyiv, Pyongyang, "
    "Beijing and Ankara, the officials said after the meeting.",
])
def test_robustness_inputs_english_is_kept(text):
    from kg.language import detect_language, non_english

    assert detect_language(text) == "en" and non_english(text) is None


@pytest.mark.parametrize(("text", "language"), [
    ("Der Bundeskanzler hat am Montag erklärt, dass die Verhandlungen mit der Gewerkschaft gescheitert "
     "sind und neue Streiks wahrscheinlich werden.", "German"),
    ("El presidente del Gobierno anunció el lunes que las negociaciones con los sindicatos habían "
     "fracasado y que habría nuevas huelgas.", "Spanish"),
    ("Президент заявил в понедельник, что переговоры с профсоюзами провалились.", "Russian"),
])
def test_robustness_inputs_other_languages_are_named(text, language):
    from kg.language import non_english

    assert non_english(text) == language


def test_robustness_inputs_too_short_to_tell_counts_as_english():
    from kg.language import detect_language, non_english

    assert detect_language("Paris, Berlin.") is None and non_english("Paris, Berlin.") is None


# --- texts longer than spaCy's max_length ----------------------------------------------------


def test_robustness_inputs_default_chunks_stay_under_the_pipeline_max_length(nlp):
    assert Settings().max_chunk_chars < nlp.max_length


def test_robustness_inputs_article_over_pipeline_max_length_is_chunked(nlp, monkeypatch):
    from kg.pipeline import extract_articles

    text = "\n\n".join(f"Angela Merkel met Emmanuel Macron in Paris on day {i}, officials said." for i in range(60))
    monkeypatch.setattr(nlp, "max_length", len(text) // 3)
    ex = next(extract_articles([Article(doc_id="long", text=text)], Settings(progress=False), nlp))
    assert {m.text for m in ex.mentions} >= {"Angela Merkel", "Emmanuel Macron", "Paris"}
    for m in ex.mentions:
        if m.source not in ("inferred", "headline"):
            assert text[m.start:m.end] == m.text


def test_robustness_inputs_nothing_read_keeps_previous_outputs(tmp_path, capsys):
    """A mistyped path reads no article: exit 1, one line saying so, and the last outputs stay."""
    from kg.cli import main

    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# previous build\n", "utf-8")
    code = main(["build", str(tmp_path / "no-such-folder"), "--out", str(out), "--cache-dir", str(tmp_path / "c"),
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert "no such file" in err and "no article read" in err
    assert (out / "graph.ttl").read_text("utf-8") == "# previous build\n"
    assert not (out / "report.json").exists()
