"""Markdown articles: YAML front matter and Markdown-to-plain-text conversion.

Only what news articles written in Markdown use is handled: headings, paragraphs, emphasis,
links, images, lists, block quotes, code, tables, HTML comments and tags. The output keeps one
paragraph per block separated by a blank line; soft-wrapped lines of a paragraph are joined.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class FrontMatterError(ValueError):
    """The front matter block is not a YAML mapping."""


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)\s*$")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")

_INLINE = [
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), ""),  # images
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),  # [text](url "title")
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"`+([^`]+?)`+"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # backslash escapes
]


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter mapping, Markdown body); ``{}`` when there is no front matter.

    Raises :class:`FrontMatterError` (a one-line message: the YAML problem and its line in the
    file) when the block is not valid YAML, is not a mapping, or is never closed.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if _FRONT_END.match(lines[end]):
            break
    else:
        raise FrontMatterError("no closing '---' line")
    block = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
        if problem and mark is not None:  # line in the file: the block starts on line 2
            message = f"{problem} (line {mark.line + 2}, column {mark.column + 1})"
        else:
            message = str(exc).strip().split("\n", 1)[0]
        raise FrontMatterError(message) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(f"expected a mapping, got {type(data).__name__}")
    return data, "\n".join(lines[end + 1 :])


def inline_to_text(s: str) -> str:
    """Strip inline Markdown (emphasis, links, images, code, tags) keeping the visible text."""
    for rx, repl in _INLINE:
        s = rx.sub(repl, s)
    return s


def markdown_to_text(md: str) -> tuple[str, str | None]:
    """Convert a Markdown body to plain text.

    Returns (text, first heading): the first heading is the text of a level-1 ATX or setext
    heading when it is the first block, so callers can use it as the title.
    """
    md = re.sub(r"<!--.*?-->", "", md, flags=re.S)
    blocks: list[list[str]] = []  # each block: its output lines
    para: list[str] = []  # soft-wrapped lines of the current paragraph
    first_heading: str | None = None
    in_fence = False

    def flush() -> None:
        if para:
            blocks.append([inline_to_text(" ".join(p.strip() for p in para)).strip()])
            para.clear()

    for raw in md.split("\n"):
        if _FENCE.match(raw):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:  # code is not prose: dropped
            continue
        line = raw
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        if not line.strip():
            flush()
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            heading = inline_to_text(atx[1]).strip()
            if heading:
                if not blocks and first_heading is None and line.lstrip().startswith("# "):
                    first_heading = heading
                blocks.append([heading])
            continue
        if para and _SETEXT.match(line) and not _LIST_ITEM.match(para[0]):
            heading = inline_to_text(" ".join(p.strip() for p in para)).strip()
            para.clear()
            if not blocks and first_heading is None and line.strip().startswith("="):
                first_heading = heading
            blocks.append([heading])
            continue
        if _RULE.match(line) or _REF_DEF.match(line) or _TABLE_SEP.match(line):
            flush()
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            text = inline_to_text(item[1]).strip()
            if text:
                if blocks and blocks[-1] and getattr(blocks[-1], "is_list", False):
                    blocks[-1].append(text)
                else:
                    blocks.append(_ListBlock([text]))
            continue
        if line.lstrip().startswith("|"):
            flush()
            cells = [inline_to_text(c).strip() for c in line.strip().strip("|").split("|")]
            blocks.append([" | ".join(c for c in cells if c)])
            continue
        if not para and blocks and getattr(blocks[-1], "is_list", False) and raw[:1] in " \t":
            blocks[-1][-1] += " " + inline_to_text(line).strip()  # continuation of a list item
            continue
        para.append(line)
    flush()
    text = "\n\n".join("\n".join(b for b in block if b.strip()) for block in blocks if any(block))
    return text, first_heading


class _ListBlock(list):
    """Lines of one list: items stay on consecutive lines."""

    is_list = True
