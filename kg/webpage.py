"""Saved HTML pages: main text and metadata by trafilatura, offline.

trafilatura drops navigation, ads, share bars, "most read" boxes, comments and footers; its
metadata comes from meta tags, JSON-LD and the page itself. The page is only parsed, never
fetched. A publication time is kept when the page states one (``article:published_time``,
JSON-LD ``datePublished``) and it agrees with the date trafilatura found.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from kg.headers import parse_date

#: Date search in the page itself (htmldate "extensive search") guesses from any text: off.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
_HTML_ROOT = re.compile(r"<html[\s>]", re.I)
_FURNITURE = ("nav", "header", "footer", "aside", "menu", "button", "form", "label", "select")
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
)  # fmt: skip


def extract_html(html: str) -> dict[str, Any]:
    """Return ``text``, ``title``, ``date``, ``author``, ``url``, ``source`` of an HTML page.

    ``text`` is None when the page has no article text.
    """
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    if not _HTML_ROOT.search(html[:4096]):  # a fragment: trafilatura misses lone paragraphs
        html = f"<html><body>{html}</body></html>"
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        favor_precision=True,  # a page of menus and footers gives no text rather than its links
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        date_extraction_params=_DATE_PARAMS,
    )
    if doc is None:
        return {"text": None, "title": None, "date": None, "author": None, "url": None, "source": None}
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = get("text")
    tree = _parse(html)
    if text and tree is not None and _only_furniture(text, tree):
        text = None
    date = get("date")
    published = _published_time(tree) if tree is not None else None
    if published and (date is None or published.startswith(date)):
        date = published
    return {
        "text": text,
        "title": _clean(get("title")),
        "date": date,
        "author": _clean(get("author")),
        "url": _clean(get("url")),
        "source": _clean(get("sitename")),
    }


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    return " ".join(value.split()) or None


def _parse(html: str) -> Any:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.fromstring(html)
    except (ValueError, TypeError, etree.ParserError):
        return None


def _only_furniture(text: str, tree: Any) -> bool:
    """True when every line of ``text`` is a link or sits in page furniture (menus, header,
    footer, buttons, forms): a page without an article."""
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    furniture = [" ".join(el.text_content().split()) for el in tree.iter(*_FURNITURE)]
    lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    return all(line in links or any(line in box for box in furniture) for line in lines)


def _published_time(tree: Any) -> str | None:
    """Publication datetime stated in meta tags or JSON-LD, when it includes a time."""
    candidates: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED_META and meta.get("content"):
            candidates.append(meta.get("content"))
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            candidates.extend(_json_values(json.loads(script), "datePublished"))
        except (ValueError, RecursionError):
            continue
    for value in candidates:
        iso = parse_date(str(value))
        if iso and "T" in iso:
            return iso
    return None


def _json_values(node: Any, key: str) -> list[str]:
    if isinstance(node, dict):
        found = [node[key]] if isinstance(node.get(key), str) else []
        for value in node.values():
            found.extend(_json_values(value, key))
        return found
    if isinstance(node, list):
        return [v for item in node for v in _json_values(item, key)]
    return []


