"""Debian's chromium driven by Playwright, offline: the launcher and the page opener shared by the
browser tests (tests/test_html.py, tests/test_html_audit.py, tests/test_claims_html.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium() -> Iterator[object]:
    """A launched chromium browser; skips the test when chromium or playwright is absent."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class OpenPage:
    """One page opened from disk with every non-file request aborted and recorded."""

    def __init__(self, browser, path: Path, size=(1200, 760), timeout: int = 20000):
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.outside = self.blocked  # the same list, under the name tests/test_html_audit.py uses
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append("dialog: " + d.message), d.dismiss()))

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.kgNetwork && window.kgNetwork.ready", timeout=timeout)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def node_id(self, label: str) -> int:
        return self.js("l => kgNetwork.data.nodes.find(n => n.label === l).id", label)

    def close(self):
        self.context.close()
