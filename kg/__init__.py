"""kg: build an RDF knowledge graph from news articles.

>>> import kg
>>> kg.__version__
'0.1.0'

``kg.build``, ``kg.load`` and ``kg.KnowledgeGraph`` (see :mod:`kg.api`) are imported on first
use, so ``import kg`` and ``kg --help`` stay fast and do not load spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from kg.api import EntityInfo, EntityNotFound, Evidence, KnowledgeGraph, build, load

_API = ("build", "load", "KnowledgeGraph", "EntityInfo", "EntityNotFound", "Evidence")
__all__ = ["__version__", "build", "load", "KnowledgeGraph", "EntityInfo", "EntityNotFound", "Evidence"]


def __getattr__(name: str) -> Any:
    if name in _API:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
