"""Read news articles from files, folders, glob patterns and JSON Lines on standard input.

Formats, chosen by file extension:

- ``.txt``/``.text``: headline and header lines, then the body (see :mod:`kg.headers`).
- ``.md``/``.markdown``: YAML front matter (title, date/published, url, source/publisher,
  author, tags), then Markdown turned into plain text (see :mod:`kg.markdown`).
- ``.html``/``.htm``: main text and metadata by trafilatura, offline (the page is never fetched).
- ``.jsonl``/``.ndjson``: one article per line with ``text`` and optional ``title``, ``date``,
  ``url``, ``source``, ``id``, ``author``; ``-`` reads JSON Lines from standard input.

Every input that cannot be read becomes a :class:`~kg.records.Skipped` passed to ``on_skip``;
nothing here raises for a bad article. Recoverable oddities (text that is not UTF-8, a date
that does not parse) go to ``on_warning(path, message)``; both callbacks default to the
``kg.ingest`` logger. Texts are normalised: NFC, ``\\n`` line ends, no zero-width or control
characters (except tab and newline), at most one blank line in a row. Long texts are not split.

``doc_id`` is the file name without extension (for JSON Lines: ``id`` or ``<stem>-<line>``).
When two articles get the same ``doc_id``, the later one is renamed ``<doc_id>-2``, ``-3``...
(no warning: the order of inputs is deterministic, so the renaming is too).
"""

from __future__ import annotations

import codecs
import errno
import glob
import json
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from kg.headers import parse_date, parse_txt
from kg.markdown import FrontMatterError, markdown_to_text, split_front_matter
from kg.records import Article, Skipped

log = logging.getLogger(__name__)

SkipHandler = Callable[[Skipped], None]
WarningHandler = Callable[[str, str], None]

#: File extension -> format name. Other extensions are ignored inside folders.
FORMATS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
    ".htm": "html", ".xhtml": "html", ".jsonl": "jsonl", ".ndjson": "jsonl",
}  # fmt: skip
STDIN = "-"
STDIN_LABEL = "<stdin>"

# Metadata keys accepted in front matter and JSON Lines, in order of preference.
_META_KEYS = {
    "title": ("title", "headline"),
    "date": ("date", "published", "date_published", "datePublished", "pubDate", "published_at"),
    "url": ("url", "link", "canonical_url"),
    "source": ("source", "publisher", "site", "sitename", "site_name"),
    "author": ("author", "authors", "byline"),
}
_TEXT_KEYS = ("text", "body", "content")


class _Bad(Exception):
    """Internal: the current input is skipped for the reason in ``args[0]``."""


# --- public API --------------------------------------------------------------------------------


def iter_articles(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    stdin: IO[Any] | None = None,
    on_skip: SkipHandler | None = None,
    on_warning: WarningHandler | None = None,
    english_only: bool = True,
) -> Iterator[Article]:
    """Yield the articles of ``inputs`` (files, folders, glob patterns, ``-`` for stdin JSONL).

    Inputs are read in the order given; folders recursively (symlinks followed, each directory
    visited once, hidden entries and unknown extensions ignored) and glob matches in sorted
    order (glob matches with an unknown extension are ignored, like folder entries). A file
    reached twice (same device and inode) is read once. An explicit file with an unknown
    extension is read as ``.txt``. Bad inputs go to ``on_skip`` as ``Skipped(path,
    reason)`` and iteration continues. With ``english_only``, articles detected as another
    language (see :mod:`kg.language`) are skipped as ``not English (detected: <Language>)``.
    """
    skip = _one_line(on_skip or _log_skip)
    warn = on_warning or _log_warning
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    seen_ids: set[str] = set()
    for path, fmt in _expand(inputs, skip):
        if path == STDIN:
            results = _read_stdin(stdin if stdin is not None else sys.stdin, warn, english_only)
        else:
            results = _read(path, fmt, warn, english_only)
        for item in results:
            if isinstance(item, Skipped):
                skip(item)
                continue
            item.doc_id = _unique(item.doc_id, seen_ids)
            yield item


def read_article(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    on_skip: SkipHandler | None = None,
    on_warning: WarningHandler | None = None,
    english_only: bool = True,
) -> list[Article]:
    """Read one file (any format; JSON Lines gives several articles) into Articles.

    ``fmt`` overrides the format given by the extension (unknown extensions read as ``txt``).
    A file that cannot be read gives ``[]`` and one ``on_skip`` call.
    """
    path = os.fspath(path)
    skip = _one_line(on_skip or _log_skip)
    out = []
    for item in _read(path, fmt or format_of(path) or "txt", on_warning or _log_warning, english_only):
        if isinstance(item, Skipped):
            skip(item)
        else:
            out.append(item)
    return out


def format_of(path: str) -> str | None:
    """Format name for ``path``'s extension, or None when the extension is unknown."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` newlines, no zero-width/control characters, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).translate(_CLEAN)
    text = re.sub(r"[ \t]+$", "", text, flags=re.M)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


_CLEAN: dict[int, str | None] = {c: None for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
_CLEAN.update({0x09: "\t", 0x0A: "\n", 0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n\n"})
_CLEAN.update({c: None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)})  # zero-width, soft hyphen
_CLEAN.update({c: " " for c in (0xA0, 0x2007, 0x2009, 0x202F)})  # no-break and thin spaces


# --- inputs ------------------------------------------------------------------------------------


def _expand(inputs: Iterable[str | os.PathLike[str]], skip: SkipHandler) -> Iterator[tuple[str, str]]:
    """(path, format) for every file to read, in order; each file and directory once."""
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    stdin_done = False

    def once(path: str) -> bool:
        try:
            st = os.stat(path)
        except OSError:
            return True  # unreadable: let the reader report it
        key = (st.st_dev, st.st_ino)
        if key in seen_files:
            return False
        seen_files.add(key)
        return True

    for raw in inputs:
        arg = os.fspath(raw)
        if arg == STDIN:
            if not stdin_done:
                stdin_done = True
                yield STDIN, "jsonl"
            continue
        if os.path.isdir(arg):
            for path, fmt in _walk(arg, seen_dirs, skip):
                if once(path):
                    yield path, fmt
        elif os.path.lexists(arg):
            if once(arg):
                yield arg, format_of(arg) or "txt"
        elif glob.has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                skip(Skipped(arg, "no file matches the pattern"))
            for match in matches:
                if os.path.isdir(match):
                    found = _walk(match, seen_dirs, skip)
                elif format_of(match):
                    found = iter([(match, format_of(match) or "txt")])
                else:
                    continue
                for path, fmt in found:
                    if once(path):
                        yield path, fmt
        else:
            skip(Skipped(arg, "no such file"))


def _walk(folder: str, seen_dirs: set[tuple[int, int]], skip: SkipHandler,
          parents: tuple[tuple[int, int], ...] = ()) -> Iterator[tuple[str, str]]:
    """Files with a known extension under ``folder``, sorted, following symlinks without loops.

    A symlink back to a folder being walked (a loop) is skipped with a reason; a folder
    reached again some other way is silently read once.
    """
    try:
        st = os.stat(folder)
    except OSError as exc:
        skip(Skipped(folder, _os_reason(exc)))
        return
    key = (st.st_dev, st.st_ino)
    if key in parents:
        skip(Skipped(folder, "symlink loop (points back to a folder being read)"))
        return
    if key in seen_dirs:
        return
    seen_dirs.add(key)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        skip(Skipped(folder, _os_reason(exc)))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path, seen_dirs, skip, (*parents, key))
        else:
            fmt = format_of(entry.name)
            if fmt:
                yield entry.path, fmt


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return (exc.strerror or str(exc)).lower()


def _unique(doc_id: str, seen: set[str]) -> str:
    new, n = doc_id, 1
    while new in seen:
        n += 1
        new = f"{doc_id}-{n}"
    seen.add(new)
    return new


def skip_message(item: Skipped) -> str:
    """``path: reason`` on one line (control characters in the path shown as escapes)."""
    return f"{printable(item.path)}: {item.reason}"


def printable(text: str) -> str:
    """``text`` with control and line-breaking characters escaped, safe on one terminal line."""
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


def _one_line(skip: SkipHandler) -> SkipHandler:
    """Wrap ``skip`` so every reason it gets is a single line."""

    def handler(item: Skipped) -> None:
        skip(Skipped(item.path, printable(" ".join(item.reason.split())) or "unreadable"))

    return handler


def _log_skip(item: Skipped) -> None:
    log.warning("skipped %s", skip_message(item))


def _log_warning(path: str, message: str) -> None:
    log.warning("%s: %s", path, message)


# --- reading and decoding ------------------------------------------------------------------------


def _read(path: str, fmt: str, warn: WarningHandler, english_only: bool = False) -> list[Article | Skipped]:
    """All results of one file; never raises."""
    try:
        try:
            os.stat(path)
        except OSError as exc:
            if os.path.islink(path):
                raise _Bad("symlink loop" if exc.errno == errno.ELOOP else "broken symlink") from None
            raise _Bad(_os_reason(exc)) from None
        if not os.path.isfile(path):
            raise _Bad("is a directory" if os.path.isdir(path) else "not a regular file")
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise _Bad(_os_reason(exc)) from None
        stem = os.path.splitext(os.path.basename(path))[0]
        return _parse_bytes(data, path, stem, fmt, warn, english_only)
    except _Bad as bad:
        return [Skipped(path, str(bad))]
    except ImportError:
        raise  # a broken installation, not a bad article: say so loudly
    except Exception as exc:  # a reader bug must not stop the whole run
        log.debug("reader failed on %s", path, exc_info=True)
        return [Skipped(path, f"unreadable: {type(exc).__name__}: {exc}")]


def _read_stdin(stream: IO[Any], warn: WarningHandler, english_only: bool = False) -> list[Article | Skipped]:
    try:
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
        return _parse_bytes(data, STDIN_LABEL, "stdin", "jsonl", warn, english_only)
    except _Bad as bad:
        return [Skipped(STDIN_LABEL, str(bad))]
    except Exception as exc:
        return [Skipped(STDIN_LABEL, f"unreadable: {type(exc).__name__}: {exc}")]


def _parse_bytes(data: bytes, path: str, stem: str, fmt: str, warn: WarningHandler,
                 english_only: bool = False) -> list[Article | Skipped]:
    """Articles and skips of one file's bytes, in order (raises ``_Bad`` when the whole file is bad)."""
    items = _parse_formats(data, path, stem, fmt, warn, english_only)
    for item in items:
        if isinstance(item, Article):
            _cap_metadata(item, warn)
    return items


#: Longest headline kept (it is parsed whole by spaCy, unlike the chunked body); longer ones are cut.
MAX_TITLE_CHARS = 400
#: Longest url/source/author/date kept; longer ones are junk, not metadata, and are dropped.
MAX_META_CHARS = 2000


def _cap_metadata(article: Article, warn: WarningHandler) -> None:
    where = article.path or STDIN_LABEL
    if article.title and len(article.title) > MAX_TITLE_CHARS:
        cut = article.title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] or article.title[:MAX_TITLE_CHARS]
        article.title = cut.rstrip() + "\u2026"
        warn(where, f"title longer than {MAX_TITLE_CHARS} characters cut")
    for name in ("url", "source", "author", "date"):
        value = getattr(article, name)
        if value and len(value) > MAX_META_CHARS:
            setattr(article, name, None)
            warn(where, f"{name} longer than {MAX_META_CHARS} characters dropped")


def _parse_formats(data: bytes, path: str, stem: str, fmt: str, warn: WarningHandler,
                   english_only: bool) -> list[Article | Skipped]:
    if not data.strip():
        raise _Bad("empty file")
    declared = _declared_charset(data) if fmt == "html" else None
    text = decode(data, declared, lambda msg: warn(path, msg))
    if fmt == "html":  # trafilatura parses the markup; normalise its output instead
        if not text.strip():
            raise _Bad("empty file")
        return [_checked(_from_html(text, path, stem), english_only)]
    text = normalize_text(text)
    if not text:
        raise _Bad("empty file")
    if fmt == "jsonl":
        return _from_jsonl(text, path, stem, warn, english_only)
    if fmt == "md":
        return [_checked(_from_markdown(text, path, stem, warn), english_only)]
    return [_checked(_from_txt(text, path, stem), english_only)]


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, declared: str | None = None, warn: Callable[[str], None] | None = None) -> str:
    """Decode file bytes: BOM, else UTF-8, else ``declared``, else detected, else UTF-8 replaced.

    Raises ``_Bad("binary file")`` for NUL bytes or mostly-control-character content. Calls
    ``warn`` when the encoding was guessed or bytes had to be replaced.
    """
    warn = warn or (lambda msg: None)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, "replace")
            if "\ufffd" in text:
                warn(f"invalid {encoding} bytes replaced with U+FFFD")
            return _check_text(text)
    if b"\x00" in data[:65536]:
        raise _Bad("binary file")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return _check_text(data.decode(declared))
        except (LookupError, UnicodeDecodeError):
            pass
    best = _detect(data)
    if best is not None:
        encoding, text = best
        text = _check_text(text)
        warn(f"not valid UTF-8; decoded as {encoding} (detected)")
        return text
    text = _check_text(data.decode("utf-8", "replace"))
    warn("not valid UTF-8; invalid bytes replaced with U+FFFD")
    return text


#: Legacy encodings tried on text that is not UTF-8, most likely first: ties in
#: charset-normalizer's score go to the earlier one (short texts often tie).
LEGACY_ENCODINGS = (
    "cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "cp1253", "cp1254",
    "cp1257", "cp1256", "cp1255", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
)  # fmt: skip


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    def rank(match: Any) -> tuple[float, float, int]:
        names = [e for e in match.could_be_from_charset if e in LEGACY_ENCODINGS] or [match.encoding]
        order = min(LEGACY_ENCODINGS.index(e) if e in LEGACY_ENCODINGS else len(LEGACY_ENCODINGS) for e in names)
        return (round(match.chaos, 2), -round(match.coherence, 2), order)

    matches = sorted(from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)), key=rank)
    if not matches:
        return None
    best = matches[0]
    names = sorted(best.could_be_from_charset, key=lambda e: LEGACY_ENCODINGS.index(e) if e in LEGACY_ENCODINGS else 99)
    return names[0] if names else best.encoding, str(best)


def _check_text(text: str) -> str:
    sample = text[:65536]
    if not sample:
        return text
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if bad > max(8, len(sample) // 10):
        raise _Bad("binary file")
    return text


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""")


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m[1].decode("ascii").lower() if m else None


# --- formats -----------------------------------------------------------------------------------


def _checked(item: Article | Skipped, english_only: bool, where: str | None = None) -> Article | Skipped:
    """``item``, or a Skipped (at ``where``, default its path) when ``english_only`` and its
    text is detected as another language."""
    if not english_only or isinstance(item, Skipped):
        return item
    from kg.language import non_english

    found = non_english(item.text)
    if found is None:
        return item
    return Skipped(where or item.path or STDIN_LABEL, f"not English (detected: {found})")


def _from_txt(text: str, path: str, stem: str) -> Article:
    parts = parse_txt(text)
    if not parts.body:
        raise _Bad("no article text found")
    return Article(
        doc_id=stem,
        text=parts.body,
        title=parts.title,
        date=parts.date,
        url=parts.url,
        source=parts.source,
        author=parts.author,
        path=path,
        fmt="txt",
    )


def _meta(mapping: dict[str, Any], path: str, warn: WarningHandler) -> dict[str, str | None]:
    """title/date/url/source/author from a front matter or JSON mapping (aliases accepted)."""
    out: dict[str, str | None] = {}
    for field, keys in _META_KEYS.items():
        value = next((mapping[k] for k in keys if mapping.get(k) not in (None, "", [])), None)
        out[field] = _date_value(value, path, warn) if field == "date" else _str_value(value)
    return out


def _str_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value if v is not None)
    elif isinstance(value, dict):
        value = value.get("name") or value.get("@id") or ""
    s = " ".join(normalize_text(str(value)).split())
    return s or None


def _date_value(value: Any, path: str, warn: WarningHandler) -> str | None:
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    iso = parse_date(str(value))
    if iso is None:
        warn(path, f"date not understood: {str(value)[:60]!r}")
    return iso


def _from_markdown(text: str, path: str, stem: str, warn: WarningHandler) -> Article:
    try:
        front, body = split_front_matter(text)
    except FrontMatterError as exc:
        raise _Bad(f"invalid YAML front matter: {exc}") from None
    meta = _meta(front, path, warn)
    plain, heading = markdown_to_text(body)
    plain = normalize_text(plain)
    title = meta["title"]
    if heading and (title is None or _same(heading, title)):
        title = title or heading
        plain = plain[len(heading) :].lstrip("\n") if plain.startswith(heading) else plain
    if not plain:
        raise _Bad("no article text found")
    return Article(doc_id=stem, text=plain, path=path, fmt="md", **{**meta, "title": title})


def _from_jsonl(text: str, path: str, stem: str, warn: WarningHandler,
                english_only: bool = False) -> list[Article | Skipped]:
    out: list[Article | Skipped] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(Skipped(where, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(obj, dict):
            out.append(Skipped(where, f"invalid JSON: expected an object, got {type(obj).__name__}"))
            continue
        body = next((obj[k] for k in _TEXT_KEYS if k in obj), None)
        body = normalize_text(body) if isinstance(body, str) else None
        if not body:
            out.append(Skipped(where, "missing text" if body is None and "text" not in obj else "empty text"))
            continue
        doc_id = _str_value(obj.get("id")) or f"{stem}-{lineno}"
        article = Article(doc_id=doc_id, text=body, path=path, fmt="jsonl", **_meta(obj, where, warn))
        out.append(_checked(article, english_only, where))
    return out


def _same(a: str, b: str) -> bool:
    norm = lambda s: " ".join(re.sub(r"\W+", " ", s.casefold()).split())  # noqa: E731
    return norm(a) == norm(b)


def _from_html(html: str, path: str, stem: str) -> Article:
    from kg.webpage import extract_html

    found = extract_html(html)
    text = normalize_text(found.pop("text") or "")
    title = found.get("title")
    if title:
        first, _, rest = text.partition("\n")
        if _same(first, title):
            text = rest.strip()
    if not text:
        raise _Bad("no article text found")
    return Article(doc_id=stem, text=text, path=path, fmt="html", **found)
