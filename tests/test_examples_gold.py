"""Consistency of the bundled example articles (examples/articles) with their gold (examples/gold.json).

The article readers here are deliberately crude (regex tag stripping, no kg code) so that these
checks judge the annotations, not the ingest stage.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ARTICLES = EXAMPLES / "articles"
GOLD_PATH = EXAMPLES / "gold.json"

ENTITY_TYPES = {"Person", "Organization", "MilitaryUnit", "Location", "Other"}
GOLD_KEYS = {"documents", "entities", "relations", "negatives", "junk"}
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d]?\s+(?=[\"\u201c]?[A-Z])|\n+")


def _clean(text: str) -> str:
    return " ".join(text.translate(APOSTROPHES).split())


def _html_text(raw: str) -> str:
    """Text of the <article> element (whole body if none), tags stripped crudely."""
    match = re.search(r"<article\b.*?</article>", raw, re.S | re.I)
    part = match.group(0) if match else raw
    part = re.sub(r"<(script|style)\b.*?</\1>", " ", part, flags=re.S | re.I)
    part = re.sub(r"</(p|h\d|li|div)>", "\n", part, flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", part))


def _html_page(raw: str) -> str:
    """All visible text of a page plus its <meta> contents (where publisher names live)."""
    metas = " ".join(re.findall(r"<meta[^>]*\bcontent=\"([^\"]*)\"", raw, re.I))
    return _html_text(re.sub(r"<article\b|</article>", " ", raw, flags=re.I)) + "\n" + html.unescape(metas)


def _read_articles() -> dict[str, dict]:
    """doc id -> {"text" (article body), "page" (everything), "path", "fmt"} per example article."""
    docs: dict[str, dict] = {}

    def add(doc_id: str, text: str, path: Path, fmt: str, page: str | None = None) -> None:
        assert doc_id not in docs, f"duplicate document id {doc_id} ({path})"
        docs[doc_id] = {"text": text, "page": page or text, "path": path, "fmt": fmt}

    for path in sorted(ARTICLES.iterdir()):
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            for number, line in enumerate(raw.splitlines(), 1):
                if line.strip():
                    rec = json.loads(line)
                    add(rec["id"], rec["title"] + "\n" + rec["text"], path, f"jsonl:{number}")
        elif path.suffix in (".html", ".htm"):
            add(path.stem, _html_text(raw), path, "html", _html_page(raw))
        elif path.suffix in (".txt", ".md"):
            add(path.stem, raw, path, path.suffix[1:])
    return docs


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def articles() -> dict[str, dict]:
    return _read_articles()


def _occurs(name: str, text: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(_clean(name)) + r"(?!\w)"
    return re.search(pattern, _clean(text)) is not None


def _clean_lines(text: str) -> str:
    return "\n".join(" ".join(line.translate(APOSTROPHES).split()) for line in text.splitlines())


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(_clean_lines(text)) if s.strip()]


def _normalize(name: str) -> str:
    """Comparison form used by the scorer: case-folded, no leading 'the', no trailing "'s"."""
    text = _clean(name).casefold().strip(" \"'()")
    text = text[4:] if text.startswith("the ") else text
    return text[:-2] if text.endswith("'s") else text


def test_examples_gold_top_level_shape(gold):
    assert set(gold) == GOLD_KEYS
    assert isinstance(gold["documents"], dict) and isinstance(gold["entities"], dict)
    for key in ("relations", "negatives", "junk"):
        assert isinstance(gold[key], list) and gold[key], key


def test_examples_gold_documents_match_article_files(gold, articles):
    assert len(articles) >= 9
    assert set(gold["documents"]) == set(articles)


def test_examples_gold_entities_well_formed(gold):
    for eid, ent in gold["entities"].items():
        assert re.fullmatch(r"[a-z0-9_]+", eid), eid
        assert set(ent) == {"type", "names"}, eid
        assert ent["type"] in ENTITY_TYPES, eid
        names = ent["names"]
        assert names and all(isinstance(n, str) and n.strip() == n and n for n in names), eid
        assert len(set(names)) == len(names), f"repeated name in {eid}"


def test_examples_gold_document_entity_lists(gold):
    used = set()
    for doc, spec in gold["documents"].items():
        assert set(spec) == {"req", "opt"}, doc
        req, opt = spec["req"], spec["opt"]
        assert len(req) >= 10, f"{doc}: too few required entities"
        assert len(set(req)) == len(req) and len(set(opt)) == len(opt), doc
        assert not set(req) & set(opt), f"{doc}: entity both required and optional"
        unknown = [e for e in req + opt if e not in gold["entities"]]
        assert not unknown, f"{doc}: unknown entities {unknown}"
        used |= set(req) | set(opt)
    assert used == set(gold["entities"]), f"entities in no document: {set(gold['entities']) - used}"


def test_examples_gold_every_name_occurs_in_a_listing_document(gold, articles):
    listed_in: dict[str, list[str]] = {}
    for doc, spec in gold["documents"].items():
        for eid in spec["req"] + spec["opt"]:
            listed_in.setdefault(eid, []).append(doc)
    missing = [(eid, name) for eid, ent in gold["entities"].items() for name in ent["names"]
               if not any(_occurs(name, articles[d]["page"]) for d in listed_in[eid])]
    assert not missing


def test_examples_gold_listed_entities_occur_in_their_document(gold, articles):
    """Required entities occur in the article body; optional ones at least on the page."""
    missing = [(doc, eid) for doc, spec in gold["documents"].items()
               for key, where in (("req", "text"), ("opt", "page")) for eid in spec[key]
               if not any(_occurs(n, articles[doc][where]) for n in gold["entities"][eid]["names"])]
    assert not missing


def test_examples_gold_relations_well_formed(gold):
    seen = set()
    per_doc = Counter()
    for rel in gold["relations"]:
        assert set(rel) == {"doc", "s", "o", "family"}, rel
        spec = gold["documents"][rel["doc"]]
        listed = set(spec["req"]) | set(spec["opt"])
        assert rel["s"] in listed and rel["o"] in listed, rel
        assert rel["s"] != rel["o"], rel
        pattern = re.compile(rel["family"], re.IGNORECASE)
        assert not pattern.search(""), f"family matches everything: {rel}"
        key = (rel["doc"], frozenset((rel["s"], rel["o"])), rel["family"])
        assert key not in seen, f"duplicate relation {rel}"
        seen.add(key)
        per_doc[rel["doc"]] += 1
    assert all(5 <= per_doc[d] <= 12 for d in gold["documents"]), per_doc


def test_examples_gold_negatives_share_a_sentence_and_are_not_relations(gold, articles):
    related = {(r["doc"], frozenset((r["s"], r["o"]))) for r in gold["relations"]}
    for neg in gold["negatives"]:
        assert set(neg) == {"doc", "s", "o"}, neg
        spec = gold["documents"][neg["doc"]]
        assert {neg["s"], neg["o"]} <= set(spec["req"]) | set(spec["opt"]), neg
        assert (neg["doc"], frozenset((neg["s"], neg["o"]))) not in related, neg
        names = {k: gold["entities"][neg[k]]["names"] for k in ("s", "o")}
        assert any(all(any(_occurs(n, sent) for n in names[k]) for k in ("s", "o"))
                   for sent in _sentences(articles[neg["doc"]]["text"])), f"not in one sentence: {neg}"


def test_examples_gold_junk_is_not_an_entity_name(gold):
    names = {_normalize(n) for ent in gold["entities"].values() for n in ent["names"]}
    junk = gold["junk"]
    assert len(set(junk)) == len(junk)
    clash = [j for j in junk if _normalize(j) in names]
    assert not clash


def test_examples_gold_accepted_by_scorer_if_present(gold):
    evaluate = pytest.importorskip("kg.evaluate")
    if not hasattr(evaluate, "load_gold"):
        pytest.skip("kg.evaluate has no load_gold")
    assert evaluate.load_gold(GOLD_PATH)["documents"].keys() == gold["documents"].keys()


def test_examples_articles_cover_the_formats(articles):
    fmts = Counter(a["fmt"].split(":")[0] for a in articles.values())
    assert fmts["txt"] >= 3 and fmts["md"] >= 2 and fmts["html"] >= 2 and fmts["jsonl"] >= 3, fmts
    for doc, art in articles.items():
        words = len(re.findall(r"\w+", art["text"]))
        assert 150 <= words <= 500, (doc, words)


def test_examples_html_pages_are_self_contained():
    pages = sorted(ARTICLES.glob("*.html"))
    assert pages
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc=", raw, re.I), page.name
        assert not re.search(r"<link[^>]*stylesheet[^>]*https?://", raw, re.I), page.name
        assert not re.search(r"<(img|iframe)[^>]*src=[\"']https?://", raw, re.I), page.name
        for needle in ('property="og:title"', 'property="article:published_time"', 'name="author"',
                       'rel="canonical"', "<article", "<title>"):
            assert needle in raw, f"{page.name}: no {needle}"


def test_examples_markdown_and_jsonl_metadata():
    for path in sorted(ARTICLES.glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        match = re.match(r"---\n(.*?)\n---\n", raw, re.S)
        assert match, path.name
        keys = {line.split(":", 1)[0] for line in match.group(1).splitlines() if ":" in line}
        assert {"title", "date", "url", "source", "author"} <= keys, path.name
    for path in sorted(ARTICLES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            assert set(rec) == {"id", "title", "date", "url", "source", "text"}, path.name
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec["date"]), rec["id"]
