"""All tunable settings of a build, in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Settings:
    """Settings of one ``kg build`` run; the CLI flags map one-to-one onto these fields."""

    model: str | None = None  # spaCy pipeline name or path; None = first installed English one
    batch_size: int = 32  # texts per nlp.pipe batch
    workers: int = 1  # spaCy processes (n_process)
    max_chunk_chars: int = 100_000  # longer texts are split by paragraph before spaCy
    html_max_nodes: int | None = 2000  # entities drawn in graph.html (RDF keeps all)
    min_confidence: float = 0.0  # statements below are dropped
    progress: bool | None = None  # None = only on an interactive terminal
