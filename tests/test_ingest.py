"""Tests for kg.ingest: every format on small hand-written files, and every kind of bad input."""

from __future__ import annotations

import io
import os
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import iter_articles, normalize_text, read_article
from kg.records import Article, Skipped

DATA = Path(__file__).parent / "data" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def collect(inputs, **kwargs) -> tuple[list[Article], list[Skipped], list[tuple[str, str]]]:
    skipped: list[Skipped] = []
    warnings: list[tuple[str, str]] = []
    arts = list(
        iter_articles(
            [str(i) for i in inputs],
            on_skip=skipped.append,
            on_warning=lambda p, m: warnings.append((p, m)),
            **kwargs,
        )
    )
    return arts, skipped, warnings


def one(path: Path) -> Article:
    arts, skipped, _ = collect([path])
    assert skipped == []
    assert len(arts) == 1
    return arts[0]


# --- formats -----------------------------------------------------------------------------------


def test_ingest_txt_bullet_headers_become_metadata():
    a = one(DATA / "bullets.txt")
    assert a.doc_id == "bullets"
    assert a.title == "Harbour Authority Opens New Ferry Terminal in Gdansk"
    assert a.date == "2024-03-03"
    assert a.author == "Anna Kowalska"
    assert a.text.startswith("The Port of Gdansk opened")
    assert a.text.endswith("from April.")
    for header in ("Harbour Authority Opens", "Business", "Comments", "By Anna", "March 3, 2024"):
        assert header not in a.text
    assert a.fmt == "txt" and a.path == str(DATA / "bullets.txt")


def test_ingest_txt_date_prefix_and_first_sentence_title():
    a = one(DATA / "datefirst.txt")
    assert a.date == "2024-05-20"
    assert a.text.startswith("The city council of Porto approved")
    assert "2024-05-20" not in a.text
    assert a.title == a.text.split("\n")[0]  # the first sentence, short enough to keep whole


def test_ingest_txt_long_first_sentence_title_is_cut(tmp_path):
    sentence = "The " + " ".join(["regional"] * 30) + " council met on Monday."
    (tmp_path / "long.txt").write_text(f"date 2024-05-20 {sentence} It agreed.\n")
    a = one(tmp_path / "long.txt")
    assert a.title.endswith("…") and len(a.title) <= 121
    assert sentence.startswith(a.title[:-1])
    assert a.text == f"{sentence} It agreed."


def test_ingest_txt_wire_dateline_gives_source_and_stays_in_text():
    a = one(DATA / "wire.txt")
    assert a.title == "Storm Closes Schools Across Northern Norway"
    assert a.source == "Reuters"
    assert a.date is None  # "Feb 7" has no year
    assert a.text.startswith("TROMSO, Norway, Feb 7 (Reuters) - Schools")


def test_ingest_txt_wire_dateline_with_year_gives_date(tmp_path):
    (tmp_path / "w.txt").write_text("WASHINGTON, Jan. 12, 2025 (AP) — Congress passed the budget on Sunday.\n")
    a = one(tmp_path / "w.txt")
    assert (a.date, a.source) == ("2025-01-12", "Associated Press")
    assert a.text.startswith("WASHINGTON, Jan. 12, 2025 (AP)")
    assert a.title == "Congress passed the budget on Sunday."


def test_ingest_txt_headline_date_line_layout(tmp_path):
    (tmp_path / "m.txt").write_text(
        "\n\nRiver Festival Draws Crowds\n\nPublished: Saturday, 11 January 2025 14:30 GMT\n\n"
        "By Jane Doe\nSource: Example News\n\nThousands visited the festival.\n"
    )
    a = one(tmp_path / "m.txt")
    assert a.title == "River Festival Draws Crowds"
    assert a.date == "2025-01-11T14:30:00+00:00"
    assert (a.author, a.source) == ("Jane Doe", "Example News")
    assert a.text == "Thousands visited the festival."


def test_ingest_markdown_front_matter_and_plain_text():
    a = one(DATA / "article.md")
    assert a.title == "Lisbon Tram Line 28 Gets Electric Fleet"
    assert a.date == "2024-06-12"
    assert a.url == "https://example.org/news/lisbon-tram"
    assert a.source == "Example Daily"
    assert a.author == "Joana Silva, Pedro Costa"
    assert a.fmt == "md"
    assert "Lisbon Tram Line 28" not in a.text  # the H1 repeats the title
    for syntax in ("**", "*line", "](", "![", "#", "`", "> ", "tram.jpg", "---"):
        assert syntax not in a.text
    paragraphs = a.text.split("\n\n")
    assert paragraphs[0] == (
        "Lisbon's transport company Carris will replace the historic trams on line 28 with "
        "new electric vehicles, the company announced on Wednesday."
    )
    assert "What changes" in paragraphs
    assert "Twenty new trams will arrive in 2025.\nThe old trams will go to the Museu da Carris." in paragraphs
    assert paragraphs[-1].startswith('"This is a new chapter')


def test_ingest_markdown_title_from_heading_without_front_matter(tmp_path):
    (tmp_path / "n.md").write_text("Harbour Reopens\n===============\n\nThe _harbour_ reopened.\n")
    a = one(tmp_path / "n.md")
    assert (a.title, a.text, a.date) == ("Harbour Reopens", "The harbour reopened.", None)


def test_ingest_html_main_text_and_metadata_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("ingest tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    a = one(DATA / "page.html")
    assert a.title == "Glacier Train Returns After Avalanche Repairs"
    assert a.date == "2024-02-15T08:30:00+01:00"
    assert a.author == "Martin Zurbriggen"
    assert a.url == "https://alpineherald.example/2024/02/glacier-train-returns"
    assert a.source == "Alpine Herald"
    assert a.text.startswith("The Glacier Express resumed service")
    assert "new avalanche barriers" in a.text
    for furniture in ("Politics", "Advertisement", "Share on", "Most read", "Cheese prices",
                      "Privacy policy", "Copyright", "newsletter", "Glacier Train Returns"):  # fmt: skip
        assert furniture not in a.text


def test_ingest_html_without_article_text_is_skipped(tmp_path):
    (tmp_path / "nav.html").write_text(
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    arts, skipped, _ = collect([tmp_path / "nav.html"])
    assert arts == []
    assert skipped == [Skipped(str(tmp_path / "nav.html"), "no article text found")]


def test_ingest_jsonl_bad_lines_are_skipped_and_reading_continues():
    path = DATA / "feed.jsonl"
    arts, skipped, _ = collect([path])
    assert [a.doc_id for a in arts] == ["vienna-opera", "feed-4"]
    first, last = arts
    assert (first.title, first.date, first.url, first.source, first.author) == (
        "Vienna State Opera Names New Director",
        "2024-09-01",
        "https://example.org/vienna",
        "Example Wire",
        "Lena Huber",
    )
    assert last.date == "2024-09-03" and last.fmt == "jsonl"
    assert [s.path for s in skipped] == [f"{path}:2", f"{path}:3"]
    assert skipped[0].reason.startswith("invalid JSON: ")
    assert skipped[1].reason == "missing text"


def test_ingest_stdin_dash_reads_json_lines():
    stdin = io.StringIO('{"text": "Oslo hosted the summit."}\n\n{"text": "  "}\n{"id": "x", "text": "B."}\n')
    arts, skipped, _ = collect(["-"], stdin=stdin)
    assert [(a.doc_id, a.text) for a in arts] == [("stdin-1", "Oslo hosted the summit."), ("x", "B.")]
    assert skipped == [Skipped("<stdin>:3", "empty text")]


# --- inputs ------------------------------------------------------------------------------------


def test_ingest_folder_sorted_recursive_known_extensions_only(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zagreb hosted a fair.")
    (tmp_path / "a.md").write_text("Athens hosted a fair.")
    (tmp_path / "c.txt").write_text("Cork hosted a fair.")
    (tmp_path / "notes.csv").write_text("x,y\n")
    (tmp_path / ".hidden.txt").write_text("Hidden text.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden text.")
    arts, skipped, _ = collect([tmp_path])
    assert [a.doc_id for a in arts] == ["a", "z", "c"]
    assert skipped == []


def test_ingest_explicit_unknown_extension_read_as_txt(tmp_path):
    (tmp_path / "story.dat").write_text("Valencia hosted a regatta on Sunday.")
    a = one(tmp_path / "story.dat")
    assert (a.doc_id, a.fmt, a.text) == ("story", "txt", "Valencia hosted a regatta on Sunday.")


def test_ingest_glob_pattern_recursive(tmp_path):
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "deep.txt").write_text("Deep text.")
    (tmp_path / "top.txt").write_text("Top text.")
    (tmp_path / "top.md").write_text("Markdown text.")
    arts, skipped, _ = collect([f"{tmp_path}/**/*.txt"])
    assert [a.doc_id for a in arts] == ["top", "deep"]  # sorted paths: "top.txt" < "x/y/deep.txt"
    assert skipped == []
    arts, skipped, _ = collect([f"{tmp_path}/*.nothing"])
    assert arts == [] and skipped == [Skipped(f"{tmp_path}/*.nothing", "no file matches the pattern")]


def test_ingest_missing_path_is_skipped(tmp_path):
    arts, skipped, _ = collect([tmp_path / "absent.txt", DATA / "wire.txt"])
    assert [a.doc_id for a in arts] == ["wire"]
    assert skipped == [Skipped(str(tmp_path / "absent.txt"), "no such file")]


def test_ingest_symlink_loop_visits_each_folder_once(tmp_path):
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "one.txt").write_text("Kaunas hosted a fair.")
    (tmp_path / "d" / "e" / "loop").symlink_to(tmp_path / "d")
    (tmp_path / "d" / "self").symlink_to(".")
    (tmp_path / "d" / "link.txt").symlink_to(tmp_path / "d" / "e" / "one.txt")
    arts, skipped, _ = collect([tmp_path / "d", tmp_path / "d" / "e"])
    assert [a.text for a in arts] == ["Kaunas hosted a fair."]
    loop = "symlink loop (points back to a folder being read)"
    # loops are reported; d/e given again is read once, silently
    assert skipped == [Skipped(str(tmp_path / "d" / "e" / "loop"), loop), Skipped(str(tmp_path / "d" / "self"), loop)]


def test_ingest_duplicate_doc_ids_get_suffixes(tmp_path):
    for sub in ("a", "b", "c"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "story.txt").write_text(f"Story from {sub}.")
    arts, _, _ = collect([tmp_path])
    assert [(a.doc_id, a.text) for a in arts] == [
        ("story", "Story from a."),
        ("story-2", "Story from b."),
        ("story-3", "Story from c."),
    ]


# --- bad inputs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\t\r\n \n", "empty file"),
        ("zero-width.txt", "\u200b\ufeff\n".encode(), "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
        ("noise.jsonl", bytes(range(1, 32)) * 20, "binary file"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nBody.\n", None),
        ("header-only.txt", b"- World News\n- January 11, 2025\n- No Comment\n", "no article text found"),
        ("open.md", b"---\ntitle: x\nBody without end.\n", "invalid YAML front matter: no closing '---' line"),
    ],
)
def test_ingest_bad_file_is_skipped_with_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    good = tmp_path / "zz-good.txt"
    good.write_text("Riga hosted a fair.")
    arts, skipped, _ = collect([path, good])
    assert [a.doc_id for a in arts] == ["zz-good"]
    assert len(skipped) == 1 and skipped[0].path == str(path)
    if reason is None:
        assert skipped[0].reason.startswith("invalid YAML front matter: ")
        assert "\n" not in skipped[0].reason and "(line 2," in skipped[0].reason
    else:
        assert skipped[0].reason == reason


def test_ingest_latin1_text_is_decoded_with_a_warning(tmp_path):
    text = "Café owners in Zürich and Málaga protested against the new tax on Monday, officials said."
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    arts, skipped, warnings = collect([path])
    assert skipped == []
    assert arts[0].text == text
    assert len(warnings) == 1 and warnings[0][0] == str(path) and "not valid UTF-8" in warnings[0][1]


def test_ingest_html_declared_charset_is_used(tmp_path):
    body = "<p>Señora Núñez, the mayor of Cádiz, opened the new library on Friday morning.</p>" * 3
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>T</title></head><body><article>{body}</article></body></html>'
    (tmp_path / "p.htm").write_bytes(html.encode("cp1252"))
    arts, skipped, warnings = collect([tmp_path / "p.htm"])
    assert skipped == [] and warnings == []
    assert "Señora Núñez, the mayor of Cádiz" in arts[0].text


def test_ingest_utf16_with_bom(tmp_path):
    (tmp_path / "u.txt").write_bytes("Łódź hosted a fair.".encode("utf-16"))
    assert one(tmp_path / "u.txt").text == "Łódź hosted a fair."


def test_ingest_unreadable_file_is_skipped(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("Bergen hosted a fair.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything: simulate the error instead
            real_open = open

            def fake_open(file, *args, **kwargs):
                if os.fspath(file) == str(path):
                    raise PermissionError(13, "Permission denied", str(path))
                return real_open(file, *args, **kwargs)

            monkeypatch.setattr("kg.ingest.open", fake_open, raising=False)
        arts, skipped, _ = collect([path])
    finally:
        path.chmod(0o644)
    assert arts == []
    assert skipped == [Skipped(str(path), "permission denied")]


def test_ingest_reader_bug_becomes_skip_not_exception(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("kg.ingest.parse_txt", broken)
    (tmp_path / "a.txt").write_text("Text.")
    arts, skipped, _ = collect([tmp_path / "a.txt"])
    assert arts == [] and skipped == [Skipped(str(tmp_path / "a.txt"), "unreadable: RuntimeError: boom")]


def test_ingest_read_article_single_file():
    arts = read_article(DATA / "feed.jsonl", on_skip=lambda s: None)
    assert [a.doc_id for a in arts] == ["vienna-opera", "feed-4"]


def test_ingest_normalize_text():
    raw = "Cafe\u0301 \u200bopen\r\nnext\x07 line\u00a0here\n\n\n\n\nend\t \n"
    assert normalize_text(raw) == "Café open\nnext line here\n\nend"


# --- shared sample data (skipped when ../shared is absent) -------------------------------------


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared corpus not available")
def test_ingest_shared_corpus_samples():
    arts, skipped, _ = collect(sorted((SHARED / "corpus").glob("*.txt")))
    assert skipped == [] and len(arts) == 2
    for a in arts:
        assert a.date == "2025-01-11"
        assert a.title and "North Korean" in a.title
        assert a.text.count(a.title.rstrip("…")) <= 1
        assert not a.text.lstrip().lower().startswith("date")
    headline = [a for a in arts if not a.title.endswith("…") and a.title not in a.text]
    assert headline, "one sample has a separate headline that must not stay in the body"
    assert all(not line.startswith("- ") for a in arts for line in a.text.split("\n")[:3])


@pytest.mark.skipif(not (SHARED / "bench" / "meantime" / "articles").is_dir(), reason="MEANTIME not available")
def test_ingest_meantime_articles_have_title_date_and_clean_body():
    folder = SHARED / "bench" / "meantime" / "articles"
    arts, skipped, _ = collect([folder])
    assert skipped == [] and len(arts) == 120
    for a in arts:
        lines = (folder / f"{a.doc_id}.txt").read_text(encoding="utf-8").split("\n")
        assert a.title == lines[0].strip()
        assert a.date and len(a.date) == 10
        assert lines[2].strip() not in a.text
        assert not a.text.startswith(a.title)


# --- property: no input makes ingest raise ----------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(st.sampled_from(["---", "title: x", "date 2024-01-02", "- By A", "{\"text\": 1}", "<p>x</p>", "", "\r\n", "\u200b", "A line."]), max_size=8).map(lambda ls: "\n".join(ls).encode()),
    ),
    ext=st.sampled_from([".txt", ".md", ".jsonl", ".html", ".bin"]),
)
def test_ingest_never_raises_and_yields_clean_text(tmp_path, data, ext):
    path = tmp_path / f"doc{ext}"
    path.write_bytes(data)
    arts, skipped, _ = collect([path])
    assert len(arts) + len(skipped) >= 1
    for a in arts:
        assert a.text and a.text == normalize_text(a.text)
        assert a.date is None or a.date[:4].isdigit()
