"""graph.html in Firefox too: Debian's firefox-esr, driven over its built-in Marionette protocol.

Playwright cannot drive a stock Firefox and geckodriver is not packaged by Debian, so the test
speaks Marionette (length-prefixed JSON over a local socket) itself. Firefox runs headless in a
throw-away profile whose only proxy is a socket of ours that records every connection and
answers none: the page must draw with no network at all, and must not even try to use it.
The screenshot is decoded here (PNG via zlib) and checked for the node colours kg.html uses.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
import zlib
from itertools import accumulate
from pathlib import Path
from typing import Any

import pytest
import rdflib

from kg.html import COLOURS, graph_view

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
#: Without the shared corpus, this many of our example articles: a graph of tens of nodes, whose
#: nodes are drawn big enough to be told apart at the scale that fits them all.
EXAMPLE_ARTICLES = 3
FIREFOX = next((p for p in map(shutil.which, ("firefox-esr", "firefox")) if p), None)
WINDOW = (1200, 800)
#: Share of the nodes (and of the node types) that must be seen in their own colour in the
#: screenshot: nodes may overlap, and the smallest are a few pixels, mostly border (the corpus
#: graph shows 40 of 40, three examples 72 of 74; all examples, 221 nodes, only ~80%).
MIN_SHOWN = 0.8
#: Firefox's own background services (updates, telemetry, Remote Settings, safe browsing...)
#: turned off, so that any connection to the recording proxy comes from the page.
QUIET_PREFS: dict[str, Any] = {
    "app.normandy.enabled": False,
    "app.update.auto": False,
    "app.update.disabledForTesting": True,
    "browser.aboutwelcome.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.ping-centre.telemetry": False,
    "browser.region.network.url": "",
    "browser.region.update.enabled": False,
    "browser.safebrowsing.blockedURIs.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.provider.google4.updateURL": "",
    "browser.safebrowsing.provider.mozilla.updateURL": "",
    "browser.search.update": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "extensions.blocklist.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.update.enabled": False,
    "media.gmp-manager.url": "",
    "messaging-system.rsexperimentloader.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
    "network.prefetch-next": False,
    "services.settings.server": "data:,#remote-settings-dummy/v1",
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.server": "",
}


# ---- the pieces: a recording proxy, a Marionette client, Firefox, a PNG decoder ----

class RecordingProxy:
    """A local socket posing as every proxy: records the first line of each connection, serves none."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    head = conn.recv(4096)
                except OSError:
                    head = b""
                self.requests.append(head.split(b"\r\n", 1)[0].decode("latin-1") or "(connection)")

    def close(self) -> None:
        self.sock.close()


class Marionette:
    """Just enough of the Marionette protocol: [0, id, command, params] -> [1, id, error, result]."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.stream = self.sock.makefile("rb")
        self.last_id = 0
        hello = self._read()
        assert hello.get("marionetteProtocol") == 3, hello

    def _read(self) -> Any:
        size = b""
        while (c := self.stream.read(1)) != b":":
            if not c:
                raise ConnectionError("Marionette closed the connection")
            size += c
        return json.loads(self.stream.read(int(size)))

    def __call__(self, command: str, **params: Any) -> Any:
        self.last_id += 1
        body = json.dumps([0, self.last_id, command, params]).encode()
        self.sock.sendall(b"%d:%s" % (len(body), body))
        _, msg_id, error, result = self._read()
        assert msg_id == self.last_id
        if error:
            raise RuntimeError(f"{command}: {error.get('error')}: {error.get('message')}")
        return result

    def close(self) -> None:
        self.sock.close()


class Browser:
    """A headless Firefox in a throw-away profile whose only way out is a RecordingProxy.

    The process starts at once; :attr:`client` waits for its Marionette server and opens a session.
    """

    def __init__(self, root: Path) -> None:
        profile, home = root / "profile", root / "home"
        profile.mkdir()
        home.mkdir()
        self.proxy = RecordingProxy()
        prefs = {**QUIET_PREFS, "marionette.port": 0, "network.proxy.type": 1,
                 "network.proxy.no_proxies_on": "", "network.proxy.allow_hijacking_localhost": True,
                 "network.proxy.share_proxy_settings": False, "network.proxy.socks_remote_dns": True}
        for scheme in ("http", "ssl", "socks"):
            prefs[f"network.proxy.{scheme}"] = "127.0.0.1"
            prefs[f"network.proxy.{scheme}_port"] = self.proxy.port
        (profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()), encoding="utf-8")
        # MOZ_REMOTE_SETTINGS_DEVTOOLS lets services.settings.server point nowhere in a release build.
        env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
               "MOZ_CRASHREPORTER_DISABLE": "1", "MOZ_REMOTE_SETTINGS_DEVTOOLS": "1"}
        env.pop("DISPLAY", None)
        self.log: list[str] = []
        self._listening = threading.Event()
        self._client: Marionette | None = None
        self.proc = subprocess.Popen(
            [FIREFOX, "--headless", "--marionette", "-no-remote", "-profile", str(profile), "about:blank"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self) -> None:
        for line in self.proc.stdout:  # "... Marionette INFO Listening on port 40123"
            self.log.append(line)
            if "Listening on port" in line:
                self._listening.set()

    @property
    def client(self) -> Marionette:
        if self._client is None:
            assert self._listening.wait(60), "Firefox did not start Marionette:\n" + "".join(self.log[-20:])
            port = int(next(line for line in self.log if "Listening on port" in line).rsplit(" ", 1)[1])
            self._client = Marionette(port)
            self._client("WebDriver:NewSession", capabilities={"alwaysMatch": {"pageLoadStrategy": "normal"}})
            self._client("WebDriver:SetTimeouts", script=30000, pageLoad=30000)
            self._client("WebDriver:SetWindowRect", width=WINDOW[0], height=WINDOW[1])
        return self._client

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client("Marionette:Quit")
            except (OSError, RuntimeError):
                pass
            self._client.close()
        else:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proxy.close()


def decode_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGBA bytes of an 8-bit RGB/RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
    assert header is not None, "PNG without IHDR"
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and not interlace, f"unsupported PNG {header}"
    bpp = 4 if colour == 6 else 3
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows, prev = [], bytes(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        if kind == 0:
            row = bytes(line)
        elif kind == 1:  # Sub: each channel is a running sum along the row
            out = bytearray(stride)
            for c in range(bpp):
                out[c::bpp] = bytes(map((255).__and__, accumulate(line[c::bpp])))
            row = bytes(out)
        elif kind == 2:  # Up
            row = bytes(map((255).__and__, map(int.__add__, line, prev)))
        else:  # Average, Paeth: rare from Firefox, done byte by byte
            out = bytearray(stride)
            for i, x in enumerate(line):
                a = out[i - bpp] if i >= bpp else 0
                b = prev[i]
                if kind == 3:
                    out[i] = (x + (a + b) // 2) & 255
                else:
                    c = prev[i - bpp] if i >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    out[i] = (x + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            row = bytes(out)
        rows.append(row)
        prev = row
    pixels = b"".join(rows)
    if bpp == 3:
        rgba = bytearray(width * height * 4)
        for c in range(3):
            rgba[c::4] = pixels[c::3]
        rgba[3::4] = b"\xff" * (width * height)
        pixels = bytes(rgba)
    return width, height, pixels


def blobs(coloured: dict[tuple[int, int], bytes]) -> int:
    """Number of 8-connected regions of equal colour among the given pixels."""
    seen, count = set(), 0
    for start, colour in coloured.items():
        if start in seen:
            continue
        count += 1
        seen.add(start)
        todo = [start]
        while todo:
            x, y = todo.pop()
            for nxt in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                if nxt not in seen and coloured.get(nxt) == colour:
                    seen.add(nxt)
                    todo.append(nxt)
    return count


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


# ---- fixtures: one build, one Firefox, one page ----

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """graph.html (and graph.ttl) of a small real build: the shared sample corpus, else a few examples."""
    if FIREFOX is None:
        pytest.skip("no firefox-esr or firefox binary on PATH")
    from kg.pipeline import build

    if SHARED_CORPUS.is_dir():
        inputs = [str(SHARED_CORPUS)]
    else:
        inputs = [str(p) for p in sorted((REPO / "examples" / "articles").iterdir())[:EXAMPLE_ARTICLES]]
    out = tmp_path_factory.mktemp("firefox-build")
    build(inputs, out, cache=False)
    return out


@pytest.fixture(scope="module")
def firefox(tmp_path_factory):
    """Firefox, started first so that it boots while the graph is built."""
    if FIREFOX is None:
        pytest.skip("no firefox-esr or firefox binary on PATH")
    browser = Browser(tmp_path_factory.mktemp("firefox"))
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def shown(firefox, built) -> dict[str, Any]:
    """graph.html opened in Firefox, once drawn: what the page reports, its screenshot, the proxy's log."""
    client, proxy = firefox.client, firefox.proxy
    before = len(proxy.requests)
    client("WebDriver:Navigate", url=(built / "graph.html").as_uri())
    page = client("WebDriver:ExecuteAsyncScript", args=[], script="""
        const done = arguments[arguments.length - 1];
        (function wait() {
          if (document.documentElement.getAttribute("data-kg-ready") !== "true") return setTimeout(wait, 50);
          // Freeze the layout (as unticking Physics does) so the screenshot shows nodes where they are now.
          const net = kgNetwork.network;
          net.stopSimulation();
          requestAnimationFrame(() => requestAnimationFrame(() => {
            const box = document.getElementById("kg-network").getBoundingClientRect();
            const pos = net.getPositions(kgNetwork.data.nodes.map(n => n.id));
            done({
              drawn: [net.body.nodeIndices.length, net.body.edgeIndices.length],
              visible: kgNetwork.visibleCounts(),
              loadingHidden: document.getElementById("kg-loading").hidden,
              box: [box.left, box.top, box.width, box.height], dpr: window.devicePixelRatio,
              centres: kgNetwork.data.nodes.map(n => { const p = net.canvasToDOM(pos[n.id]);
                return [n.type, box.left + p.x, box.top + p.y]; }),
              resources: performance.getEntriesByType("resource").map(e => e.name),
              userAgent: navigator.userAgent,
            });
          }));
        })();""")["value"]
    png = base64.b64decode(client("WebDriver:TakeScreenshot", full=False)["value"])
    time.sleep(0.5)  # anything the page does late still reaches the proxy before we look
    page["image"] = decode_png(png)
    page["png"] = png
    page["proxied"] = proxy.requests[before:]
    return page


@pytest.fixture(scope="module")
def view(built) -> dict[str, Any]:
    """The view model graph.html was made from, recomputed from graph.ttl without any browser."""
    g = rdflib.Graph()
    g.parse(built / "graph.ttl", format="turtle")
    return graph_view(g)


# ---- the tests ----

@pytest.mark.browser
def test_html_firefox_draws_every_node_and_edge(shown, view):
    assert "Firefox/" in shown["userAgent"]
    assert len(view["nodes"]) >= 5, "too small a graph to tell anything"
    assert shown["drawn"] == [len(view["nodes"]), len(view["edges"])]
    assert shown["visible"] == {"nodes": len(view["nodes"]), "edges": len(view["edges"])}
    assert shown["loadingHidden"] is True


@pytest.mark.browser
def test_html_firefox_screenshot_shows_node_colours(shown, view, tmp_path):
    width, height, pixels = shown["image"]
    (tmp_path / "firefox.png").write_bytes(shown["png"])  # kept for a look when this fails
    dpr = shown["dpr"]
    left, top, w, h = (round(v * dpr) for v in shown["box"])
    assert w > 200 and h > 200 and left + w <= width + 1 and top + h <= height + 1, (shown["box"], width, height)

    def around(x: float, y: float, r: int = 2):
        """The pixels within r of a point (small nodes are mostly border and antialiasing)."""
        cx, cy = round(x * dpr), round(y * dpr)
        for py in range(max(cy - r, 0), min(cy + r + 1, height)):
            for px in range(max(cx - r, 0), min(cx + r + 1, width)):
                i = (py * width + px) * 4
                yield tuple(pixels[i:i + 3])

    # Each node's centre, where the page says it put it, shows that node's colour in the screenshot
    # (a node may hide another, and the smallest stars are all border: hence a share, not all).
    colour_of = {t["key"]: rgb(COLOURS[t["key"]]) for t in view["types"]}
    shown_at = {(round(x), round(y)): kind for kind, x, y in shown["centres"]
                if any(near(p, colour_of[kind]) for p in around(x, y))}
    assert len(shown_at) >= MIN_SHOWN * len(view["nodes"]), \
        f"{len(shown_at)} of {len(view['nodes'])} nodes seen at their place; saved {tmp_path / 'firefox.png'}"
    assert len(set(shown_at.values())) >= MIN_SHOWN * len(view["types"])

    # Read from the image alone: separate blobs of the node colours inside the drawing area (not
    # the legend, which uses them too), about one per node.
    node_colours = {bytes(c) for c in colour_of.values()}
    coloured = {}
    for y in range(top, min(top + h, height)):
        line = pixels[(y * width + left) * 4:(y * width + min(left + w, width)) * 4]
        for i in range(0, len(line), 4):
            if line[i:i + 3] in node_colours:
                coloured[left + i // 4, y] = line[i:i + 3]
    found = blobs(coloured)
    assert found >= MIN_SHOWN * len(view["nodes"]), \
        f"{found} blobs of node colour for {len(view['nodes'])} nodes; saved {tmp_path / 'firefox.png'}"


@pytest.mark.browser
def test_html_firefox_page_needs_and_makes_no_request(shown):
    assert shown["proxied"] == [], f"connections while graph.html was open: {shown['proxied']}"
    assert shown["resources"] == []


@pytest.mark.browser
def test_html_firefox_proxy_would_see_a_request(firefox, tmp_path):
    """The control: a file page that does fetch something is caught by the recording proxy."""
    client, proxy = firefox.client, firefox.proxy
    page = tmp_path / "fetches.html"
    page.write_text('<!DOCTYPE html><img src="http://kg-test.invalid/dot.png" alt="">', encoding="utf-8")
    before = len(proxy.requests)
    client("WebDriver:Navigate", url=page.as_uri())
    deadline = time.monotonic() + 10
    while len(proxy.requests) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any("kg-test.invalid" in r for r in proxy.requests[before:]), proxy.requests[before:]
