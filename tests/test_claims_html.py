"""Claims in graph.html: who said it, how, where and when, in node and edge details and tooltips.

Built from our own articles in tests/data/claims; the browser part runs Debian's chromium offline.
"""

from __future__ import annotations

import pytest

from kg.html import graph_view

from browser_helpers import OpenPage, chromium
from conftest import ROOT

CLAIMS_DATA = ROOT / "tests" / "data" / "claims"
SPEAKER = "Dovile Sakaliene"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from kg.config import Settings
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("claims-html")
    result = build([str(CLAIMS_DATA)], out, Settings(progress=False))
    return out, result.dataset


@pytest.fixture(scope="module")
def view(built):
    return graph_view(built[1])


def _node(view, label):
    return next(n for n in view["nodes"] if n["label"] == label)


def test_claims_html_view_rows_carry_speaker_cue_channel_date_factuality(view):
    rows = [view["prov"][p] for p in _node(view, SPEAKER)["claims"]]
    assert rows and all(r["speaker"] == SPEAKER and r["cue"] and r["factuality"] and r["date"] for r in rows)
    assert {r["factuality"] for r in rows} >= {"reported", "hypothetical"}
    assert any(r["date"] == "2025-03-08" and r["what"].startswith("Deployment") for r in rows)
    telegram = [r for r in view["prov"] if r.get("channel") == "on Telegram"]
    assert telegram and all(r["cue"] == "wrote" for r in telegram)
    publishers = {a["publisher"] for a in view["articles"]}
    assert publishers == {"Northern Courier", "Baltic Ledger"}


def test_claims_html_event_edges_carry_the_claim(view):
    nodes = view["nodes"]
    dep = [e for e in view["edges"] if nodes[e["from"]].get("eventClass") == "Deployment"
           and any(view["prov"][p].get("channel") == "on Telegram" for p in e["prov"])]
    assert dep


@pytest.fixture(scope="module")
def page(built):
    with chromium() as browser:
        p = OpenPage(browser, built[0] / "graph.html")
        yield p.page, p.errors
        p.close()


@pytest.mark.browser
def test_claims_html_tooltip_of_an_event_names_its_speaker(page):
    p, errors = page
    target = p.evaluate("""() => kgNetwork.data.nodes.find(n => n.eventClass === 'Deployment'
        && kgNetwork.data.prov[n.p].channel === 'on Telegram').id""")
    box = p.locator("#kg-network").bounding_box()
    x, y = p.evaluate("""id => { const net = kgNetwork.network, pos = net.getPositions([id])[id];
        net.moveTo({position: pos, scale: 1.5}); const d = net.canvasToDOM(pos); return [d.x, d.y]; }""", target)
    p.mouse.move(box["x"] + x - 4, box["y"] + y - 4)
    p.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = p.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    text = tooltip.inner_text()
    assert "according to Lithuania (wrote on Telegram on 2025-03-10)" in text
    assert "Baltic Ledger" in text and "Belarus deployed 11,000" in text
    assert errors == []


@pytest.mark.browser
def test_claims_html_details_list_claims_of_a_speaker_and_of_an_edge(page):
    p, errors = page
    p.evaluate("l => kgNetwork.showNode(kgNetwork.data.nodes.find(n => n.label === l).id)", SPEAKER)
    details = p.locator("#kg-details").inner_text()
    assert f"claims attributed to {SPEAKER}".lower() in details.lower()  # h2 is upper-cased by CSS
    assert "speaker: Dovile Sakaliene \u00b7 cue: said" in details
    assert "factuality: hypothetical" in details and "reported: 2025-03-08" in details
    assert "channel: at a news conference in Vilnius" in details and "Northern Courier" in details
    edge = p.evaluate("""() => kgNetwork.data.edges.findIndex(e => kgNetwork.data.prov[e.prov[0]].speaker
        && kgNetwork.data.prov[e.prov[0]].factuality === 'denied')""")
    assert edge >= 0
    p.evaluate("i => kgNetwork.showEdge(i)", edge)
    details = p.locator("#kg-details").inner_text()
    assert "speaker: Belarus \u00b7 cue: denied" in details and "factuality: denied" in details
    assert "The Belarusian government denied" in details
    assert errors == []
