"""Hostile names and text (quotes, backslashes, <>, \"\"\", newlines, emoji, RTL, zero-width and
control characters, very long tokens, odd ids) go through the real extraction and RDF mapping:
every serialisation parses in rdflib and pyoxigraph and round-trips isomorphically, IRIs stay
safe, and graph.html never carries article text as markup."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.config import Settings
from kg.records import Article
from kg.serialize import quads_of, serialize
from kg.vocab import RES
from rdf_samples import canonical

RDFLIB_FORMAT = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}
OX_FORMAT = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
             "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
GRAPH_FORMATS = ("trig", "nq", "jsonld")

SCRIPT = '<script>alert("kg-xss")</script>'
IMG = "<img src=x onerror=alert(1)>"
#: Pieces of hostile text; each also appears glued to real names so NER keeps some of them.
HOSTILE = [
    SCRIPT, IMG, '"""', "'''", '"', "\\", "\\n", "\\u0041", "<>", "&amp;", "]]>", "-->", "@prefix", "_:b0",
    "\n", "\r\n", "\t", "\x00", "\x07", "\x1b[31m", "\x7f", "\u0085", "\u2028", "\u2029",
    "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066", "🚀", "👩‍👩‍👧", "🇺🇦",
    "محمد بن سلمان", "בנימין נתניהו", "Ким Чен Ын", "習近平", "x" * 500, "Ā" * 300,
    "http://evil.example/a b>c", "<https://w3id.org/kg-news/resource/person/x>", "%2F..%2F", "../..",
]
NAMES = ["Angela Merkel", "Emmanuel Macron", "Volodymyr Zelensky", "Kim Jong Un", "Ursula von der Leyen"]
PLACES = ["Paris", "Kyiv", "Berlin", "Seoul", "Brussels", "Ukraine", "France"]
ORGS = ["the United Nations", "NATO", "Reuters", "the European Commission"]
TEMPLATES = [
    "{name} met {name2} in {place} on Monday.",
    "{name}, the president of {place}, said \"{h}\" to reporters.",
    "{org} said {n} soldiers were captured near {place} {h}.",
    "{h} {name} visited {place} and criticised {org}.",
    "\"{h}\", {name} told {org} in {place}.",
]


def _glue(real: str, hostile: str, where: int) -> str:
    return [f"{real}{hostile}", f"{hostile}{real}", f"{real} {hostile}", real][where]


@st.composite
def hostile_articles(draw) -> Article:
    h = st.sampled_from(HOSTILE) | st.text(max_size=30)
    where = st.integers(0, 3)
    sentences = []
    for _ in range(draw(st.integers(1, 4))):
        template = draw(st.sampled_from(TEMPLATES))
        sentences.append(template.format(
            name=_glue(draw(st.sampled_from(NAMES)), draw(h), draw(where)),
            name2=_glue(draw(st.sampled_from(NAMES)), draw(h), draw(where)),
            place=_glue(draw(st.sampled_from(PLACES)), draw(h), draw(where)),
            org=_glue(draw(st.sampled_from(ORGS)), draw(h), draw(where)),
            n=draw(st.integers(0, 10_000)), h=draw(h)))
    joiner = draw(st.sampled_from([" ", "\n", "\n\n", " \u2028 "]))
    return Article(
        # ids of dots only are tested on their own (test_dot_doc_ids_get_no_dot_segment_iris)
        doc_id=draw((st.sampled_from(["doc", "../..", "a b", "-", "x" * 300, SCRIPT]) | st.text(min_size=1, max_size=40))
                    .filter(lambda s: s.strip(".") != "")),
        text=joiner.join(sentences),
        title=draw(st.none() | st.sampled_from(HOSTILE) | st.text(max_size=60)),
        date=draw(st.none() | st.sampled_from(["2025-01-11", "2025-01-11T08:30:00", "yesterday", '2025"<>']) | st.text(max_size=12)),
        url=draw(st.none() | st.sampled_from(["https://news.example/a?b=1&c=<2>", "javascript:alert(1)",
                                                'http://x/"quote"', "not a url\n"]) | st.text(max_size=30)),
        source=draw(st.none() | st.sampled_from(["Reuters", SCRIPT, "Le \"Monde\"", "🚀 News"]) | st.text(max_size=20)),
        author=draw(st.none() | st.sampled_from(HOSTILE) | st.text(max_size=20)),
    )


@pytest.fixture(scope="module")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline(None)


@pytest.fixture(scope="module")
def script_tags_of_empty_page(tmp_path_factory) -> tuple[int, int]:
    from kg.html import render_html

    path = tmp_path_factory.mktemp("empty-html") / "graph.html"
    render_html(Dataset(), path)
    page = path.read_text("utf-8").lower()
    return page.count("<script"), page.count("</script")


def build_dataset(article: Article, nlp) -> Dataset:
    """The real map and reduce of a build, on one article."""
    from kg.gazetteer import load_gazetteer
    from kg.pipeline import extract_articles
    from kg.rdf import to_rdf
    from kg.resolve import resolve

    extractions = list(extract_articles([article], Settings(progress=False), nlp))
    return to_rdf(extractions, resolve(extractions, load_gazetteer()))


def union(quads) -> set[str]:
    return canonical(ox.Quad(q.subject, q.predicate, q.object) for q in quads)


def assert_round_trips(ds: Dataset) -> None:
    quads = list(quads_of(ds))
    want = {"graphs": canonical(quads), "union": union(quads)}
    union_graph = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union_graph.add((s, p, o))
    for fmt in RDFLIB_FORMAT:
        data = serialize(ds, fmt)
        key = "graphs" if fmt in GRAPH_FORMATS else "union"
        parsed_ox = list(ox.parse(data, format=OX_FORMAT[fmt]))
        assert canonical(parsed_ox) == want[key], f"pyoxigraph round trip of {fmt}"
        parsed = Dataset()
        parsed.parse(data=data.decode("utf-8"), format=RDFLIB_FORMAT[fmt])
        assert canonical(quads_of(parsed)) == want[key], f"rdflib round trip of {fmt}"
        if fmt in ("ttl", "nt"):  # and by rdflib's own isomorphism test, independent of kg.serialize
            g = Graph().parse(data=data.decode("utf-8"), format=RDFLIB_FORMAT[fmt])
            assert isomorphic(g, union_graph), f"rdflib isomorphism of {fmt}"


def assert_iris_safe(ds: Dataset) -> None:
    for q in quads_of(ds):
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(str(RES)):
                local = term.value[len(str(RES)):]
                # minted IRIs: kind/slug with ASCII [a-z0-9-] slugs (doc ids may keep . and _ and case)
                assert re.fullmatch(r"[a-z]+/[A-Za-z0-9._-]+", local), term.value
                assert not re.search(r"(^|/)\.\.?($|/)", local), f"dot segment in {term.value}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                               HealthCheck.too_slow])
@given(article=hostile_articles())
def test_hostile_text_gives_valid_rdf_in_every_format(article, nlp):
    ds = build_dataset(article, nlp)
    assert len(ds) > 0  # at least the article node
    assert_iris_safe(ds)
    assert_round_trips(ds)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                               HealthCheck.too_slow])
@given(article=hostile_articles())
def test_hostile_text_never_becomes_markup_in_html(article, nlp, script_tags_of_empty_page, tmp_path_factory):
    from kg.html import render_html

    ds = build_dataset(article, nlp)
    path = tmp_path_factory.mktemp("html") / "graph.html"
    render_html(ds, path)
    page = path.read_text("utf-8")
    lowered = page.lower()
    assert (lowered.count("<script"), lowered.count("</script")) == script_tags_of_empty_page
    for needle in (SCRIPT, IMG, "<img"):  # the words may stay as text, never as markup
        assert needle not in page


def test_hostile_entity_names_keep_their_text_in_literals(nlp):
    """Names with quotes and backslashes come back from Turtle exactly as extracted."""
    text = ('Angela "Angie" Merkel met Emmanuel Macron\\Jr in Paris on Monday. '
            'Emmanuel Macron\\Jr said the talks with Angela "Angie" Merkel went well.')
    ds = build_dataset(Article(doc_id="quotes", text=text), nlp)
    labels = {str(o) for s, p, o, _ in ds.quads((None, None, None, None)) if str(p).endswith("#label")}
    parsed = Graph().parse(data=serialize(ds, "ttl").decode("utf-8"), format="turtle")
    parsed_labels = {str(o) for _, p, o in parsed if str(p).endswith("#label")}
    assert labels == parsed_labels
    assert any("Macron\\Jr" in label or '"' in label for label in labels | {"Paris"})


def test_hostile_doc_ids_get_distinct_safe_article_iris():
    from kg.rdf import article_iri

    ids = ["a/b", "a b", "a#b", "a?b", "a%2Fb", SCRIPT, "ünï", "🚀", "x" * 300, "-"]
    iris = [str(article_iri(doc_id)) for doc_id in ids]
    assert len(set(iris)) == len(ids)
    for iri in iris:
        assert re.fullmatch(r"article/[A-Za-z0-9._-]{1,130}", iri[len(str(RES)):]), iri


@pytest.mark.parametrize("doc_id", [".", ".."])
def test_dot_doc_ids_get_no_dot_segment_iris(doc_id):
    from kg.rdf import article_iri, graph_iri

    for iri in (str(article_iri(doc_id)), str(graph_iri(doc_id))):
        assert not re.search(r"/\.\.?$", iri), iri


def test_script_in_headline_quote_and_publisher_reaches_html_only_escaped(nlp, tmp_path):
    from kg.html import render_html

    article = Article(doc_id="xss", title=f"{SCRIPT} headline", source=SCRIPT,
                      text=f'Angela Merkel met Emmanuel Macron in Paris on Monday. "{SCRIPT}", Merkel told Reuters.')
    render_html(build_dataset(article, nlp), tmp_path / "graph.html")
    page = (tmp_path / "graph.html").read_text("utf-8")
    assert "kg-xss" in page  # the text is there...
    assert SCRIPT not in page and "<script>alert" not in page  # ...but never as markup
    assert "\\u003cscript\\u003ealert" in page
