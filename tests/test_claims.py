"""Claims: who said what, through which channel, how sure, and which outlets agree or disagree.

Built for real from the seed articles (../shared/corpus, skipped when absent) and from our own two
articles in tests/data/claims (two outlets on one troop deployment, with a denial, an
"allegedly", conditionals, quotes across sentences in straight and curly quotes, and figures of
200 and 11,000 for the same deployment).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.attribution import quote_spans
from kg.claims import reported_date
from kg.facts import FACTS_GRAPH
from kg.vocab import KG, PROV, SCHEMA

from conftest import ROOT

CLAIMS_DATA = ROOT / "tests" / "data" / "claims"
QUERIES = ROOT / "ontologies" / "queries"
FACTUALITIES = {"asserted", "reported", "estimated", "alleged", "denied", "hypothetical", "question"}
UNSUPPORTED = {"denied", "hypothetical", "question"}
STATEMENTS = (KG.Assertion, KG.Event, KG.Quantity, KG.Quote)


# ---- builds --------------------------------------------------------------------------------------

def _union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.fixture(scope="module")
def seed(seed_build) -> dict:
    out, result = seed_build
    return {"trig": out / "graph.trig", "ds": result.dataset, "g": _union(result.dataset)}


@pytest.fixture(scope="module")
def own(tmp_path_factory) -> dict:
    """`kg build tests/data/claims`: graph files, Dataset and union graph."""
    from kg.config import Settings
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("claims-out")
    result = build([str(CLAIMS_DATA)], out, Settings(progress=False))
    return {"out": out, "trig": out / "graph.trig", "ds": result.dataset, "g": _union(result.dataset)}


# ---- helpers -------------------------------------------------------------------------------------

def label(g: Graph, node) -> str:
    return str(g.value(node, RDFS.label)) if node is not None else ""


def names(g: Graph, node) -> set[str]:
    return {str(x) for x in g.objects(node, RDFS.label)} | {str(x) for x in g.objects(node, SKOS.altLabel)}


def speaker(g: Graph, st) -> str:
    return label(g, g.value(st, KG.speaker))


def outlet(g: Graph, st) -> str | None:
    publisher = g.value(g.value(st, PROV.wasDerivedFrom), SCHEMA.publisher)
    return label(g, publisher) if publisher is not None else None


def statements(g: Graph, cls=None, sentence: str = "") -> list[URIRef]:
    """Statement nodes (of one class) whose sentence contains ``sentence``."""
    found = set()
    for c in ([cls] if cls is not None else STATEMENTS):
        found |= {s for s in g.subjects(RDF.type, c) if sentence in str(g.value(s, KG.sentence) or "")}
    return sorted(found)


def event(g: Graph, cls: str, sentence: str) -> URIRef:
    hits = statements(g, KG[cls], sentence)
    assert len(hits) == 1, (cls, sentence, hits)
    return hits[0]


def facts_of(g: Graph, st) -> list[URIRef]:
    return list(g.subjects(KG.evidence, st))


def kg_cli(capsys, *argv: str) -> str:
    from kg.cli import main

    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def query_rows(capsys, name: str, source: Path) -> list[dict[str, str]]:
    out = kg_cli(capsys, "query", "--file", str(QUERIES / f"{name}.rq"), str(source), "--format", "csv")
    return list(csv.DictReader(io.StringIO(out)))


# ---- every statement: source, outlet, speaker, cue, channel, date, factuality --------------------

def test_claims_every_statement_carries_source_and_factuality(own):
    g = own["g"]
    nodes = [s for c in STATEMENTS for s in g.subjects(RDF.type, c)]
    assert len(nodes) > 10
    for st in nodes:
        article = g.value(st, PROV.wasDerivedFrom)
        assert (article, RDF.type, SCHEMA.NewsArticle) in g
        assert outlet(g, st) in {"Northern Courier", "Baltic Ledger"}
        assert str(g.value(st, KG.factuality)) in FACTUALITIES
        sp = g.value(st, KG.speaker)
        if sp is not None:
            assert (st, PROV.wasAttributedTo, sp) in g and g.value(st, KG.cue) is not None
            assert g.value(st, KG.reportedDate).datatype == XSD.date


def test_claims_speaker_cue_channel_and_reported_date_of_said_on_saturday(own):
    g = own["g"]
    # "Belarus deployed ..., Lithuanian Defence Minister Dovile Sakaliene said on Saturday." (Mon 10 March)
    dep = event(g, "Deployment", "Sakaliene said on Saturday")
    assert (speaker(g, dep), str(g.value(dep, KG.cue)), str(g.value(dep, KG.factuality))) == \
        ("Dovile Sakaliene", "said", "reported")
    assert str(g.value(dep, KG.reportedDate)) == "2025-03-08"
    figure = statements(g, KG.Quantity, "Sakaliene said on Saturday")
    assert [speaker(g, q) for q in figure] == ["Dovile Sakaliene"]
    assert str(g.value(figure[0], KG.factuality)) == "estimated"  # "about 200"


def test_claims_channel_on_telegram_for_events_and_figures(own, seed):
    g = own["g"]
    # "..., the Lithuanian intelligence service wrote on Telegram on Monday." (published Tue 11 March)
    said = statements(g, None, "wrote on Telegram")
    kinds = {str(k).rsplit("#")[-1] for st in said for k in g.objects(st, RDF.type)}
    assert {"Deployment", "Quantity"} <= kinds
    for st in said:
        if str(g.value(st, KG.extractedBy)) in ("demonym-group",):
            continue  # "Belarusian soldiers" is the writer's description, not a claim
        assert str(g.value(st, KG.channel)) == "on Telegram"
        assert str(g.value(st, KG.cue)) == "wrote"
        assert str(g.value(st, KG.reportedDate)) == "2025-03-10"
    quote = [q for q in seed["g"].subjects(RDF.type, KG.Quote) if str(seed["g"].value(q, KG.channel)) == "on Telegram"]
    assert quote and all("Zelenskyy" in speaker(seed["g"], q) for q in quote)


def test_claims_channel_at_a_news_conference_for_a_quote_across_sentences(own):
    g = own["g"]
    quotes = [q for q in g.subjects(RDF.type, KG.Quote) if "every movement" in str(g.value(q, KG.quoteText))]
    assert len(quotes) == 1
    q = quotes[0]
    text = str(g.value(q, KG.quoteText))
    assert "across the border." in text and "ready to respond within hours" in text  # two sentences
    assert speaker(g, q) == "Dovile Sakaliene" and (q, PROV.wasQuotedFrom, g.value(q, KG.speaker)) in g
    assert str(g.value(q, KG.channel)) == "at a news conference in Vilnius"
    assert str(g.value(q, KG.cue)) == "told"


def test_claims_curly_quote_across_sentences_keeps_speaker(own):
    g = own["g"]
    q = [q for q in g.subjects(RDF.type, KG.Quote) if "Minsk is testing us" in str(g.value(q, KG.quoteText))]
    assert len(q) == 1
    assert "It will not succeed" in str(g.value(q[0], KG.quoteText))
    assert speaker(g, q[0]) == "Gitanas Nauseda"
    assert str(g.value(q[0], KG.channel)) == "in a televised address"


def test_claims_quote_spans_straight_curly_and_across_paragraphs():
    text = ('He said "We will stay. We will fight." Then \u201cNobody leaves.\u201d\n\n'
            '"First part of a long statement.\n\n"Second part," she said.')
    got = [body for _, _, body in quote_spans(text)]
    assert got == ["We will stay. We will fight.", "Nobody leaves.",
                   "First part of a long statement. Second part,"]
    assert quote_spans('The so-called 5" screen') == []


# ---- factuality from cues ------------------------------------------------------------------------

def test_claims_denial_is_denied_and_attributed(own):
    g = own["g"]
    attack = event(g, "Attack", "denied that Belarusian soldiers had attacked")
    assert str(g.value(attack, KG.factuality)) == "denied"
    assert str(g.value(attack, KG.cue)) == "denied" and speaker(g, attack) == "Belarus"


def test_claims_allegedly_is_alleged(own):
    g = own["g"]
    detention = event(g, "Detention", "allegedly detained")
    assert str(g.value(detention, KG.factuality)) == "alleged"
    assert g.value(detention, KG.speaker) is None  # the outlet's own hedge, nobody is quoted


def test_claims_conditional_is_hypothetical_with_its_speaker(own):
    g = own["g"]
    for cls in ("Attack", "Deployment"):
        st = event(g, cls, "If Belarus attacks Lithuania")
        assert str(g.value(st, KG.factuality)) == "hypothetical"
        assert speaker(g, st) == "Dovile Sakaliene"


def test_claims_direct_triple_only_for_supported_assertions(own, seed):
    checked = set()
    for build in (own, seed):
        for ctx in build["ds"].contexts():
            supported = {(ctx.value(a, RDF.subject), ctx.value(a, RDF.predicate), ctx.value(a, RDF.object))
                         for a in ctx.subjects(RDF.type, KG.Assertion)
                         if str(ctx.value(a, KG.factuality)) not in UNSUPPORTED}
            for a in ctx.subjects(RDF.type, KG.Assertion):
                spo = (ctx.value(a, RDF.subject), ctx.value(a, RDF.predicate), ctx.value(a, RDF.object))
                checked.add(str(ctx.value(a, KG.factuality)))
                assert (spo in ctx) == (spo in supported), (spo, ctx.value(a, KG.factuality))
    assert {"asserted", "reported", "denied", "hypothetical"} <= checked
    g = own["g"]
    # "It also denied that Vostok Logistics is headquartered in Minsk." (Northern Courier) and
    # "Vostok Logistics would be headquartered in Vilnius if ..." (Baltic Ledger)
    [denied] = [a for a in statements(g, KG.Assertion, "denied that Vostok")]
    [hypo] = [a for a in statements(g, KG.Assertion, "would be headquartered")]
    assert str(g.value(denied, KG.factuality)) == "denied" and str(g.value(hypo, KG.factuality)) == "hypothetical"
    assert speaker(g, hypo) == "Vostok Logistics"
    vilnius = (g.value(hypo, RDF.subject), KG.headquarteredIn, g.value(hypo, RDF.object))
    assert vilnius not in g


# ---- facts across articles -----------------------------------------------------------------------

def test_claims_seed_capture_is_one_fact_reported_by_both_outlets_by_zelenskyy(seed):
    g = seed["g"]
    captures = sorted(g.subjects(RDF.type, KG.Capture))
    facts = {f for c in captures for f in facts_of(g, c)}
    assert len(facts) == 1
    fact = facts.pop()
    evidence = list(g.objects(fact, KG.evidence))
    articles = {g.value(e, PROV.wasDerivedFrom) for e in evidence}
    assert len(articles) == 2 and int(g.value(fact, KG.outletCount)) == 2
    assert int(g.value(fact, KG.articleCount)) == 2
    for e in evidence:
        assert "Zelenskyy" in speaker(g, e) and str(g.value(e, KG.factuality)) == "reported"
        assert str(g.value(e, KG.reportedDate)) == "2025-01-11"  # "on Saturday" / "on 11 January"
    assert seed["ds"].graph(FACTS_GRAPH).value(fact, RDF.type) == KG.Fact


def test_claims_seed_troop_numbers_are_separate_attributed_figures(seed):
    g = seed["g"]
    figures = list(g.subjects(RDF.type, KG.Quantity))
    ranged = [q for q in figures if g.value(q, KG.minValue) is not None
              and (int(g.value(q, KG.minValue)), int(g.value(q, KG.maxValue))) == (10000, 12000)]
    about = [q for q in figures if g.value(q, KG.quantityValue) is not None
             and int(g.value(q, KG.quantityValue)) == 12000]
    assert len(ranged) == 1 and len(about) == 1
    r, a = ranged[0], about[0]
    assert g.value(r, PROV.wasDerivedFrom) != g.value(a, PROV.wasDerivedFrom)
    # Ukraine's claim that Pyongyang dispatched 10,000 to 12,000 soldiers
    assert speaker(g, r) == "Ukraine" and str(g.value(r, KG.cue)) == "claim"
    assert str(g.value(r, KG.factuality)) == "alleged"
    # the intelligence directorate reported about 12,000
    assert "Intelligence Directorate" in speaker(g, a) and str(g.value(a, KG.cue)) == "reported"
    assert str(g.value(a, KG.factuality)) == "estimated"


def test_claims_seed_sbu_statement_is_attributed_to_the_sbu(seed):
    g = seed["g"]
    quotes = [q for q in g.subjects(RDF.type, KG.Quote) if "do not speak" in str(g.value(q, KG.quoteText))]
    assert len(quotes) == 1
    sbu = g.value(quotes[0], KG.speaker)
    assert "SBU" in names(g, sbu) and (quotes[0], PROV.wasQuotedFrom, sbu) in g
    assert "Communication is facilitated" in str(g.value(quotes[0], KG.quoteText))  # second sentence


def test_claims_seed_figures_of_different_things_do_not_conflict(seed):
    g = seed["g"]
    # "captured two North Korean military personnel" counts captives, "about 12,000 North Korean
    # military personnel in Russia" counts the deployed: the same group, not the same quantity.
    about = [q for q in g.subjects(RDF.type, KG.Quantity) if str(g.value(q, KG.quantityText)).startswith("about 12,000")]
    assert about and not list(g.objects(about[0], KG.conflictsWith))


def test_claims_one_deployment_from_two_outlets_with_conflicting_figures(own):
    g = own["g"]
    deps = [d for d in g.subjects(RDF.type, KG.Deployment) if str(g.value(d, KG.factuality)) == "reported"]
    facts = {f for d in deps for f in facts_of(g, d)}
    assert len(facts) == 1
    fact = facts.pop()
    assert int(g.value(fact, KG.outletCount)) == 2
    assert {outlet(g, e) for e in g.objects(fact, KG.evidence)} == {"Northern Courier", "Baltic Ledger"}
    # the hypothetical NATO deployment is another fact
    assert not facts_of(g, event(g, "Deployment", "NATO would deploy"))
    # 200 vs 11,000: side by side, flagged, each with its own source
    figures = [q for q in g.subjects(RDF.type, KG.Quantity) if list(g.objects(q, KG.conflictsWith))]
    assert {int(g.value(q, KG.quantityValue)) for q in figures} == {200, 11000}
    a, b = sorted(figures, key=lambda q: int(g.value(q, KG.quantityValue)))
    assert (a, KG.conflictsWith, b) in g and (b, KG.conflictsWith, a) in g
    assert (outlet(g, a), speaker(g, a)) == ("Northern Courier", "Dovile Sakaliene")
    assert outlet(g, b) == "Baltic Ledger" and str(g.value(b, KG.channel)) == "on Telegram"
    [ffact] = set(facts_of(g, a)) & set(facts_of(g, b))
    assert g.value(ffact, KG.conflicting).toPython() is True


def test_claims_denial_and_report_of_one_relation_share_a_fact(own):
    g = own["g"]
    [denied] = statements(g, KG.Assertion, "denied that Vostok")
    [fact] = facts_of(g, denied)
    evidence = list(g.objects(fact, KG.evidence))
    assert {str(g.value(e, KG.factuality)) for e in evidence} == {"denied", "reported"}
    assert int(g.value(fact, KG.articleCount)) == 2 and int(g.value(fact, KG.outletCount)) == 1


# ---- kg claims -----------------------------------------------------------------------------------

def test_claims_cli_groups_claims_by_fact(own, capsys):
    out = kg_cli(capsys, "claims", str(own["trig"]))
    blocks = [b.splitlines() for b in out.strip().split("\n\n")]
    conflicting = [b for b in blocks if "CONFLICTING" in b[0]]
    assert len(conflicting) == 1
    head, lines = conflicting[0][0], conflicting[0][1:]
    assert "2 outlets" in head
    claims = [line for line in lines if line.startswith("  - ")]
    sentences = [line.strip() for line in lines if line.startswith("      ")]
    assert len(claims) == len(sentences) == 2
    assert "Dovile Sakaliene said | Northern Courier | 2025-03-08 | estimated" in claims[0]
    assert "wrote on Telegram | Baltic Ledger | 2025-03-10 | reported" in claims[1]
    assert sentences[0].startswith('"Belarus deployed about 200') and "11,000" in sentences[1]
    # a single claim is its own group: the denial
    denial = [b for b in blocks if b[0].startswith("Attack") and "denied" in b[1]]
    assert denial and "| denied" in denial[0][1]


def test_claims_cli_entity_filter_and_json(own, capsys):
    data = json.loads(kg_cli(capsys, "claims", str(own["trig"]), "--entity", "nauseda", "--format", "json"))
    claims = [c for grp in data for c in grp["claims"]]
    assert claims and all(c["speaker"] == "Gitanas Nauseda" for c in claims)
    assert {c["outlet"] for c in claims} == {"Baltic Ledger"}
    assert all(c["date"] == "2025-03-11" and c["factuality"] == "reported" and c["sentence"] for c in claims)
    every = json.loads(kg_cli(capsys, "claims", str(own["trig"]), "--format", "json"))
    assert len([c for grp in every for c in grp["claims"]]) > len(claims)


def test_claims_cli_on_seeds_lists_the_capture_fact_first(seed, capsys):
    out = kg_cli(capsys, "claims", str(seed["trig"]), "--entity", "Zelenskyy")
    first = out.split("\n\n")[0].splitlines()
    assert first[0].startswith("Capture") and "[fact: 2 outlets" in first[0]
    assert sum(1 for line in first if line.startswith("  - Volodymyr Zelenskyy")) == 2


# ---- shipped queries -----------------------------------------------------------------------------

def test_claims_query_claims_by_speaker(own, capsys):
    rows = query_rows(capsys, "claims_by_speaker", own["trig"])
    sakaliene = [r for r in rows if r["speakerName"] == "Dovile Sakaliene"]
    assert {r["factuality"] for r in sakaliene} >= {"reported", "hypothetical", "estimated"}
    assert any(r["kind"] == "Quote" and r["channel"] == "at a news conference in Vilnius" for r in sakaliene)
    g = own["g"]
    assert len(rows) == len(set(g.subjects(KG.speaker, None)))


def test_claims_query_facts_reported_by_two_or_more_outlets(own, capsys):
    rows = query_rows(capsys, "facts_by_outlets", own["trig"])
    assert rows and all(int(r["sources"]) >= 2 for r in rows)
    assert any(set(r["outlets"].split("; ")) == {"Baltic Ledger", "Northern Courier"} for r in rows)


def test_claims_query_conflicting_figures(own, capsys):
    rows = query_rows(capsys, "conflicting_figures", own["trig"])
    pairs = {(r["text1"], r["article1"], r["text2"], r["article2"]) for r in rows}
    assert ("about 200 Belarusian soldiers", "courier_border", "11,000 Belarusian soldiers", "ledger_border") in pairs


# ---- reported dates ------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "cue", "expected"), [
    ("Troops crossed the border, the minister said on Saturday.", "said", "2025-03-08"),
    ("On Tuesday, the ministry said troops had left.", "said", "2025-03-04"),
    ("Officials claimed in November that troops had left.", "claimed", "2024-11"),
    ("The minister said troops arrived on Saturday.", "said", "2025-03-10"),  # the event's date, not the claim's
])
def test_claims_reported_date(sentence, cue, expected):
    assert reported_date(sentence, cue, "2025-03-10") == expected
