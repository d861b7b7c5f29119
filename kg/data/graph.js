/* kg graph.html: draws the view model in #kg-data with vis-network.
 * All text comes from articles: it is only ever put in the page with textContent,
 * as text nodes, or as vis-network titles (which vis sets with innerText). */
(function () {
  "use strict";
  var marks = { start: performance.now() };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  marks.parsed = performance.now();
  // Past these sizes every frame counts: edge labels are drawn only near the view when
  // zoomed in, edges are straight, arrows show from a readable zoom on, physics stops.
  var MANY_EDGES = data.edges.length > 1000;
  var BIG = data.nodes.length > 1500 || data.edges.length > 4000;
  var STABILISE_MS = 2000;
  var LABEL_SCALE = 0.45, ARROW_SCALE = 0.3, MAX_EDGE_LABELS = 600;
  var ROLE = { agent: 1, patient: 1, theme: 1, recipient: 1, destination: 1, location: 1, instrument: 1 };

  // ---- small DOM helpers (text only) ----
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }
  function safeUrl(u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; }
  function link(url, text) {
    var u = safeUrl(url);
    if (!u) return document.createTextNode(text);
    return el("a", { href: u, target: "_blank", rel: "noopener noreferrer", text: text });
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  var typeInfo = {};
  data.types.forEach(function (t) { typeInfo[t.key] = t; });
  var byId = data.nodes; // node ids are their index

  // ---- titles (plain text, vis-network shows them with innerText) ----
  function articleText(i) {
    var a = data.articles[i];
    return a ? a.headline + (a.date ? " (" + a.date + ")" : "") : "";
  }
  function provText(p) {
    var row = data.prov[p], parts = [];
    if (row.s !== undefined) parts.push("\u201c" + data.sentences[row.s] + "\u201d");
    var src = [];
    if (row.a !== undefined) {
      var art = data.articles[row.a];
      src.push(articleText(row.a) + (art && art.publisher ? ", " + art.publisher : ""));
    }
    if (row.speaker) {
      var how = [row.cue, row.channel, row.date ? "on " + row.date : null].filter(Boolean).join(" ");
      src.push("according to " + row.speaker + (how ? " (" + how + ")" : ""));
    }
    if (row.factuality && row.factuality !== "asserted") src.push(row.factuality);
    if (src.length) parts.push("\u2014 " + src.join("; "));
    return parts.join("\n");
  }
  function nodeTitle(n) {
    var t = n.label + "\n" + (n.type === "Event" ? n.eventClass + " event" : n.type);
    if (n.mentions !== undefined) t += " \u00b7 " + n.mentions + " mention" + (n.mentions === 1 ? "" : "s");
    if (n.aliases) t += "\nalso: " + n.aliases.slice(0, 6).join(", ") + (n.aliases.length > 6 ? ", \u2026" : "");
    if (n.p !== undefined) t += "\n" + provText(n.p);
    return t + "\n(click for details)";
  }
  function edgeTitle(e) {
    var t = byId[e.from].label + " \u2014" + e.label + "\u2192 " + byId[e.to].label;
    e.prov.slice(0, 3).forEach(function (p) { t += "\n" + provText(p); });
    if (e.prov.length > 3) t += "\n(+" + (e.prov.length - 3) + " more: click the edge)";
    return t;
  }

  // ---- vis data ----
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var t = typeInfo[n.type];
    return {
      id: n.id, label: n.label, title: nodeTitle(n), shape: t.shape,
      value: n.mentions !== undefined ? n.mentions : Math.max(1, n.degree),
      color: { background: t.color, border: "#39424e", highlight: { background: t.color, border: "#111" },
               hover: { background: t.color, border: "#111" } },
      hidden: false
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    var item = { id: i, from: e.from, to: e.to, title: edgeTitle(e), hidden: false };
    if (!MANY_EDGES) item.label = e.label;
    if (ROLE[e.rel] === 1) {  // event roles: pink like event nodes, dashed when cheap enough
      item.color = { color: "#dba4bb", inherit: false };
      item.dashes = !MANY_EDGES;
    }
    return item;
  }));

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: {
      borderWidth: 1,
      font: { size: 14, face: "system-ui, sans-serif", color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { min: 6, max: 36, label: { enabled: true, min: 12, max: 30, drawThreshold: 8, maxVisible: 30 } }
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      color: { color: "#9aa5b1", highlight: "#1f2933", hover: "#52606d", inherit: false },
      font: { size: 10, align: "middle", color: "#52606d", strokeWidth: 3, strokeColor: "#ffffff" },
      smooth: BIG ? false : { enabled: true, type: "continuous", roundness: 0.3 },
      width: 1, selectionWidth: 2, hoverWidth: 1.5
    },
    physics: {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -6000, centralGravity: 0.25, springLength: 130,
                   springConstant: 0.03, damping: 0.35, avoidOverlap: 0.1 },
      stabilization: { enabled: true, iterations: BIG ? 400 : 800, updateInterval: BIG ? 2 : 5, fit: true },
      minVelocity: 1
    },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG,
                   keyboard: false, multiselect: false }
  };

  var container = document.getElementById("kg-network");
  var loading = document.getElementById("kg-loading");
  var physicsBox = document.getElementById("kg-physics");
  var t0 = performance.now();
  marks.datasets = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  var api = { network: network, nodes: nodes, edges: edges, data: data, ready: false, readyAt: null,
              marks: marks };
  window.kgNetwork = api;

  network.on("stabilizationProgress", function (p) {
    loading.textContent = "Laying out the graph\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    if (performance.now() - t0 > STABILISE_MS) network.stopSimulation();
  });
  var laidOut = false;
  function onReady() {
    // Layout done: turn physics off on big graphs (smooth panning), then call the page
    // ready once the first frame showing the graph has been painted.
    if (laidOut) return;
    laidOut = true;
    marks.laidOut = performance.now();
    loading.hidden = true;
    if (BIG) network.setOptions({ physics: { enabled: false } });
    physicsBox.checked = !BIG;
    refreshDetail();
    network.once("afterDrawing", function () {
      requestAnimationFrame(function () {
        setTimeout(function () {
          api.ready = true;
          api.readyAt = performance.now();
          document.documentElement.setAttribute("data-kg-ready", "true");
        }, 0);
      });
    });
    network.redraw();
  }
  network.once("stabilizationIterationsDone", onReady);
  network.once("stabilized", onReady);
  if (data.nodes.length === 0) onReady();

  // ---- level of detail on big graphs ----
  var labelled = {}, arrowsOn = true, detailTimer = null;
  function refreshDetail() {
    var scale = network.getScale(), updates = [], want = {};
    if (MANY_EDGES && scale >= LABEL_SCALE) {
      var w = container.clientWidth, h = container.clientHeight;
      var tl = network.DOMtoCanvas({ x: 0, y: 0 }), br = network.DOMtoCanvas({ x: w, y: h });
      var pos = network.getPositions(), inView = {}, count = 0;
      Object.keys(pos).forEach(function (id) {
        var p = pos[id];
        if (p.x >= tl.x && p.x <= br.x && p.y >= tl.y && p.y <= br.y) inView[id] = true;
      });
      for (var i = 0; i < data.edges.length && count < MAX_EDGE_LABELS; i++) {
        var e = data.edges[i];
        if (inView[e.from] && inView[e.to]) { want[i] = true; count++; }
      }
    }
    if (MANY_EDGES) {
      // vis-network cannot unset a label by update: such edges are removed and added back.
      var drop = [], readd = [];
      Object.keys(labelled).forEach(function (id) {
        if (!want[id]) { var item = edges.get(Number(id)); delete item.label; drop.push(item.id); readd.push(item); }
      });
      Object.keys(want).forEach(function (id) { if (!labelled[id]) updates.push({ id: Number(id), label: data.edges[id].label }); });
      labelled = want;
      if (drop.length) { edges.remove(drop); edges.add(readd); }
      if (updates.length) edges.update(updates);
    }
    var arrows = !BIG || scale >= ARROW_SCALE;
    if (arrows !== arrowsOn) {
      arrowsOn = arrows;
      network.setOptions({ edges: { arrows: { to: { enabled: arrows, scaleFactor: 0.5 } } } });
    }
  }
  function scheduleDetail() {
    if (detailTimer !== null) clearTimeout(detailTimer);
    detailTimer = setTimeout(function () { detailTimer = null; refreshDetail(); }, 150);
  }
  api.refreshDetail = refreshDetail;
  network.on("zoom", scheduleDetail);
  network.on("dragEnd", scheduleDetail);
  network.on("animationFinished", scheduleDetail);

  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });

  // ---- header: counts, subset notice, article filter ----
  var countsEl = document.getElementById("kg-counts");
  function visibleCounts() {
    var vn = 0, ve = 0, shown = {};
    nodes.forEach(function (n) { if (!n.hidden) { vn++; shown[n.id] = true; } });
    edges.forEach(function (e) { if (!e.hidden && shown[e.from] && shown[e.to]) ve++; });
    return { nodes: vn, edges: ve };
  }
  api.visibleCounts = visibleCounts;
  function updateCounts() {
    var c = visibleCounts();
    countsEl.textContent = fmt(c.nodes) + " nodes \u00b7 " + fmt(c.edges) + " edges \u00b7 " +
      fmt(data.articles.length) + " article" + (data.articles.length === 1 ? "" : "s");
  }
  if (data.nodes.length < data.totals.nodes) {
    var subset = document.getElementById("kg-subset");
    subset.hidden = false;
    subset.textContent = "Showing a subset: the " + fmt(data.nodes.length) + " top nodes (the " +
      fmt(data.maxNodes) + " most-mentioned entities and the events between them) of " +
      fmt(data.totals.nodes) + " nodes and " + fmt(data.edges.length) + " of " + fmt(data.totals.edges) +
      " edges. The RDF files (graph.ttl, graph.trig) hold the whole graph.";
  }
  var articleSelect = document.getElementById("kg-article");
  data.articles.forEach(function (a, i) {
    articleSelect.appendChild(el("option", { value: String(i), text: articleText(i) }));
  });

  // ---- filters: type, article, neighbourhood ----
  var state = { types: {}, article: -1, hood: null };
  data.types.forEach(function (t) { state.types[t.key] = true; });
  var adjacency = data.nodes.map(function () { return []; });
  data.edges.forEach(function (e) { adjacency[e.from].push(e.to); adjacency[e.to].push(e.from); });

  function applyFilters() {
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var show = state.types[n.type] &&
        (state.article < 0 || n.articles.indexOf(state.article) >= 0) &&
        (state.hood === null || state.hood[n.id] === true);
      if (nodes.get(n.id).hidden === show) nodeUpdates.push({ id: n.id, hidden: !show });
    });
    data.edges.forEach(function (e, i) {
      var show = state.article < 0 || e.articles.indexOf(state.article) >= 0;
      if (edges.get(i).hidden === show) edgeUpdates.push({ id: i, hidden: !show });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    updateCounts();
  }
  api.applyFilters = applyFilters;

  var typeList = document.getElementById("kg-types");
  function swatch(t) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), shape;
    svg.setAttribute("width", "14"); svg.setAttribute("height", "14"); svg.setAttribute("viewBox", "0 0 14 14");
    var pts = { triangle: "7,1 13,13 1,13", triangleDown: "1,1 13,1 7,13", diamond: "7,0 14,7 7,14 0,7",
                hexagon: "3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7",
                star: "7,0 8.8,5 14,5 9.8,8.2 11.4,13.5 7,10.3 2.6,13.5 4.2,8.2 0,5 5.2,5" }[t.shape];
    if (pts) { shape = document.createElementNS(ns, "polygon"); shape.setAttribute("points", pts); }
    else if (t.shape === "square") {
      shape = document.createElementNS(ns, "rect");
      ["x", "y"].forEach(function (k) { shape.setAttribute(k, "1"); });
      shape.setAttribute("width", "12"); shape.setAttribute("height", "12");
    } else {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("cx", "7"); shape.setAttribute("cy", "7"); shape.setAttribute("r", "6");
    }
    shape.setAttribute("fill", t.color); shape.setAttribute("stroke", "#39424e");
    svg.appendChild(shape);
    return svg;
  }
  data.types.forEach(function (t) {
    var box = el("input", { type: "checkbox", "data-type": t.key });
    box.checked = true;
    box.addEventListener("change", function () { state.types[t.key] = box.checked; applyFilters(); });
    typeList.appendChild(el("li", null, el("label", null, box, swatch(t), t.label,
      el("span", { className: "kg-count", text: fmt(t.count) }))));
  });
  articleSelect.addEventListener("change", function () {
    state.article = Number(articleSelect.value); applyFilters();
  });

  function showNeighbourhood(id, depth) {
    var hood = {}, frontier = [id];
    hood[id] = true;
    for (var d = 0; d < (depth || 1); d++) {
      var next = [];
      frontier.forEach(function (n) {
        adjacency[n].forEach(function (m) { if (!hood[m]) { hood[m] = true; next.push(m); } });
      });
      frontier = next;
    }
    state.hood = hood;
    state.types[byId[id].type] = true;
    syncTypeBoxes();
    applyFilters();
    network.fit({ nodes: Object.keys(hood).map(Number), animation: { duration: 300 } });
    network.selectNodes([id]);
  }
  api.showNeighbourhood = showNeighbourhood;
  function syncTypeBoxes() {
    typeList.querySelectorAll("input[data-type]").forEach(function (b) {
      b.checked = state.types[b.getAttribute("data-type")];
    });
  }
  function resetAll() {
    state.hood = null; state.article = -1; articleSelect.value = "-1";
    Object.keys(state.types).forEach(function (k) { state.types[k] = true; });
    syncTypeBoxes(); applyFilters();
  }
  document.getElementById("kg-reset").addEventListener("click", function () {
    resetAll(); network.fit({ animation: { duration: 300 } });
  });

  // ---- details panel ----
  var details = document.getElementById("kg-details");
  function section(title) { details.appendChild(el("h2", { text: title })); }
  function provBlock(p) {
    var row = data.prov[p], frag = document.createDocumentFragment();
    if (row.s !== undefined) frag.appendChild(el("blockquote", { text: data.sentences[row.s] }));
    var src = el("p", { className: "kg-source" });
    if (row.a !== undefined) {
      var a = data.articles[row.a];
      src.appendChild(link(a.url, a.headline));
      if (a.date) src.appendChild(document.createTextNode(" \u00b7 " + a.date));
      if (a.publisher) src.appendChild(document.createTextNode(" \u00b7 " + a.publisher));
    }
    var extra = [];
    if (row.speaker) extra.push("speaker: " + row.speaker);
    if (row.cue) extra.push("cue: " + row.cue);
    if (row.channel) extra.push("channel: " + row.channel);
    if (row.date) extra.push("reported: " + row.date);
    if (row.factuality) extra.push("factuality: " + row.factuality);
    if (row.conf !== undefined) extra.push("confidence: " + row.conf);
    if (row.rule) extra.push("rule: " + row.rule);
    if (extra.length) src.appendChild(el("span", null, (row.a !== undefined ? " \u2014 " : "") + extra.join(" \u00b7 ")));
    frag.appendChild(src);
    return frag;
  }
  function nodeButton(id) {
    var b = el("button", { type: "button", className: "kg-link", text: byId[id].label });
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function showNode(id) {
    var n = byId[id], t = typeInfo[n.type];
    details.textContent = "";
    details.appendChild(el("h3", { text: n.label }));
    var badge = el("span", { className: "kg-badge", text: n.type === "Event" ? n.eventClass + " (event)" : n.type });
    badge.style.background = t.color;
    details.appendChild(badge);
    details.appendChild(el("div", { className: "kg-iri", text: n.iri }));
    var hoodBtn = el("button", { type: "button", text: "Show neighbourhood" });
    hoodBtn.addEventListener("click", function () { showNeighbourhood(id, 1); });
    details.appendChild(el("div", null, hoodBtn));
    if (n.aliases) { section("Also called"); details.appendChild(el("p", { text: n.aliases.join(", ") })); }
    var facts = [];
    if (n.mentions !== undefined) facts.push(n.mentions + " mention" + (n.mentions === 1 ? "" : "s"));
    facts.push(n.degree + " relation" + (n.degree === 1 ? "" : "s"));
    if (n.country) facts.push("country: " + n.country);
    if (n.geo) facts.push("lat/long: " + n.geo[0] + ", " + n.geo[1]);
    if (n.trigger) facts.push("trigger: \u201c" + n.trigger + "\u201d");
    if (n.date) facts.push("date: " + n.date);
    details.appendChild(el("p", { text: facts.join(" \u00b7 ") }));
    if (n.sameAs) {
      section("Links");
      var ul = el("ul");
      n.sameAs.forEach(function (u) {
        var m = /wikidata\.org\/entity\/(Q\d+)$/.exec(u), g = /geonames\.org\/(\d+)/.exec(u);
        var label = m ? "Wikidata " + m[1] : g ? "GeoNames " + g[1] : u;
        ul.appendChild(el("li", null, link(m ? "https://www.wikidata.org/wiki/" + m[1] : u, label)));
      });
      details.appendChild(ul);
    }
    if (n.p !== undefined) { section("Source"); details.appendChild(provBlock(n.p)); }
    if (n.positions) {
      section("Positions");
      n.positions.forEach(function (p) { details.appendChild(el("p", { text: p.label })); details.appendChild(provBlock(p.p)); });
    }
    if (n.quotes) {
      section("Quotes");
      n.quotes.forEach(function (q) {
        details.appendChild(el("p", { text: "\u201c" + q.text + "\u201d" }));
        details.appendChild(provBlock(q.p));
      });
    }
    if (n.claims) {
      section("Claims attributed to " + n.label);
      n.claims.forEach(function (p) {
        if (data.prov[p].what) details.appendChild(el("p", { className: "kg-claim", text: data.prov[p].what }));
        details.appendChild(provBlock(p));
      });
    }
    if (n.quantities) {
      section("Quantities");
      n.quantities.forEach(function (q) { details.appendChild(el("p", { text: q.text })); details.appendChild(provBlock(q.p)); });
    }
    var rels = [];
    data.edges.forEach(function (e, i) { if (e.from === id || e.to === id) rels.push(i); });
    if (rels.length) {
      section("Relations");
      var rl = el("ul");
      rels.slice(0, 60).forEach(function (i) {
        var e = data.edges[i], other = e.from === id ? e.to : e.from;
        var text = e.from === id ? e.label + " \u2192 " : "\u2190 " + e.label + " ";
        var open = el("button", { type: "button", className: "kg-link", text: text });
        open.addEventListener("click", function () { network.selectEdges([i]); showEdge(i); });
        rl.appendChild(el("li", null, open, " ", nodeButton(other)));
      });
      if (rels.length > 60) rl.appendChild(el("li", { text: "\u2026 and " + (rels.length - 60) + " more" }));
      details.appendChild(rl);
    }
    if (n.articles.length) {
      section("Mentioned in");
      var al = el("ul");
      n.articles.forEach(function (i) {
        var a = data.articles[i];
        al.appendChild(el("li", null, link(a.url, a.headline), a.date ? " \u00b7 " + a.date : ""));
      });
      details.appendChild(al);
    }
  }
  function showEdge(i) {
    var e = data.edges[i];
    details.textContent = "";
    details.appendChild(el("h3", null, nodeButton(e.from), " \u2014" + e.label + "\u2192 ", nodeButton(e.to)));
    details.appendChild(el("p", { text: "relation: " + e.rel }));
    section(e.prov.length === 1 ? "Source sentence" : "Source sentences (" + e.prov.length + ")");
    if (!e.prov.length) details.appendChild(el("p", { className: "kg-hint", text: "No source sentence recorded." }));
    e.prov.forEach(function (p) { details.appendChild(provBlock(p)); });
  }
  api.showNode = showNode;
  api.showEdge = showEdge;

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) showNeighbourhood(params.nodes[0], 1);
  });

  // ---- search ----
  function norm(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  var index = data.nodes.map(function (n) {
    return { id: n.id, names: [n.label].concat(n.aliases || []).map(norm),
             weight: n.mentions !== undefined ? n.mentions : n.degree };
  });
  function search(q) {
    q = norm(q);
    if (!q) return [];
    var hits = [];
    index.forEach(function (item) {
      var best = 9;
      item.names.forEach(function (name) {
        var r = name === q ? 0 : name.indexOf(q) === 0 ? 1 : name.indexOf(" " + q) >= 0 ? 2 : name.indexOf(q) >= 0 ? 3 : 9;
        if (r < best) best = r;
      });
      if (best < 9) hits.push([best, -item.weight, byId[item.id].label, item.id]);
    });
    hits.sort(function (a, b) {
      for (var k = 0; k < 3; k++) { if (a[k] < b[k]) return -1; if (a[k] > b[k]) return 1; }
      return a[3] - b[3];
    });
    return hits.slice(0, 12).map(function (h) { return h[3]; });
  }
  api.search = search;
  function focusNode(id) {
    var n = byId[id];
    if (nodes.get(id).hidden) {
      if (state.hood !== null && !state.hood[id]) state.hood = null;
      if (state.article >= 0 && n.articles.indexOf(state.article) < 0) { state.article = -1; articleSelect.value = "-1"; }
      state.types[n.type] = true;
      syncTypeBoxes(); applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }
  api.focusNode = focusNode;
  var searchInput = document.getElementById("kg-search"), results = document.getElementById("kg-search-results");
  var current = [], active = 0;
  function renderResults() {
    results.textContent = "";
    current.forEach(function (id, i) {
      var li = el("li", { role: "option", "aria-selected": i === active ? "true" : "false" },
        byId[id].label, el("span", { className: "kg-type", text: byId[id].type === "Event" ? byId[id].eventClass : byId[id].type }));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(id); });
      results.appendChild(li);
    });
    results.hidden = current.length === 0;
  }
  function choose(id) { results.hidden = true; searchInput.value = byId[id].label; focusNode(id); }
  searchInput.addEventListener("input", function () { current = search(searchInput.value); active = 0; renderResults(); });
  searchInput.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (current.length) { active = (active + (ev.key === "ArrowDown" ? 1 : current.length - 1)) % current.length; renderResults(); }
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      if (!current.length) current = search(searchInput.value);
      if (current.length) choose(current[active] !== undefined ? current[active] : current[0]);
      ev.preventDefault();
    } else if (ev.key === "Escape") { results.hidden = true; }
  });
  searchInput.addEventListener("blur", function () { results.hidden = true; });

  updateCounts();
})();
