"""Progress bars on an interactive terminal, silence in pipes and CI."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def interactive() -> bool:
    """True when stderr is a terminal and we are not in CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def rate_text(speed: float | None, unit: str) -> str:
    """ "12.5 articles/s" (or "? articles/s" before the first measure)."""
    if not speed:
        return f"? {unit}/s"
    return f"{speed:.1f} {unit}/s" if speed < 100 else f"{speed:,.0f} {unit}/s"


def progress(items: Iterable[T], total: int | None, description: str, enabled: bool | None = None,
             unit: str = "articles") -> Iterator[T]:
    """Yield ``items``, showing a rich progress bar with ``unit``/s when ``enabled`` (default: interactive)."""
    if not (interactive() if enabled is None else enabled):
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text(rate_text(task.speed, unit), style="progress.data.speed")

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
               TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)


@contextmanager
def status(description: str, enabled: bool | None = None) -> Iterator[None]:
    """Show a spinner with ``description`` while the block runs, when ``enabled`` (default: interactive)."""
    if not (interactive() if enabled is None else enabled):
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(description):
        yield
