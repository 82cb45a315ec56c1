"""Progress bars for long stages: rich on a terminal, silent otherwise or with ``--quiet``."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

#: Set by the CLI's ``--quiet``; library callers leave it alone.
QUIET = False


@contextmanager
def progress(description: str, total: int) -> Iterator[Callable[..., None]]:
    """Yield ``advance(n, note=None)``; shows counts, rate, ETA and the latest note only on an interactive terminal."""
    if QUIET or not sys.stderr.isatty() or total <= 0:
        yield lambda n=1, note=None: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Items per second."""

        def render(self, task) -> Text:
            return Text(f"{task.speed:.1f}/s" if task.speed else "–/s")

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[note]}"),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total, note="")

        def advance(n: int = 1, note: str | None = None) -> None:
            bar.update(task, advance=n, **({"note": note} if note is not None else {}))

        yield advance
