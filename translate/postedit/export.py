"""``bitext postedit export``: one file per article for translators, in PO, XLIFF 2.1 or XLIFF 1.2.

The formats are the registry's that write an article a file (:mod:`translate.formats`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from translate.errors import PostEditError
from translate.formats import format_named, formats
from translate.outputs import write_atomic
from translate.postedit.exchange import export_articles
from translate.postedit.session import current_edition
from translate.settings import Settings

#: The ``--format`` choices, the default first: the registry's formats that write one article a file.
FORMAT_NAMES = tuple(f.name for f in formats("segments", writes="article"))


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    files: tuple[Path, ...]
    """One per article."""
    format: str
    """The format's label."""
    units: Counter
    """Units by where their target came from (``edited``, ``reused``, ``stale``, and drafts as ``machine`` or ``gloss``)."""
    warnings: tuple[str, ...] = ()
    """What the engine warned about."""


def export_files(settings: Settings, format_name: str = "xliff", slugs: Sequence[str] = (),
                 out_dir: Path | None = None, *, engine_name: str | None = None) -> ExportResult:
    """Write ``<out_dir>/<slug><suffix>`` for every article (or those named); default folder ``build/postedit``."""
    chosen = format_named(format_name, "segments")
    if chosen is None or chosen.name not in FORMAT_NAMES:
        raise PostEditError(f"unknown format {format_name!r}; use one of {', '.join(FORMAT_NAMES)}")
    store = chosen.store()
    out_dir = Path(out_dir) if out_dir is not None else settings.build_dir / "postedit"
    current = current_edition(settings, engine_name=engine_name)
    articles = export_articles(current, slugs)
    written = []
    counts: Counter = Counter()
    for article in articles:
        written.append(write_atomic(out_dir / f"{article.slug}{chosen.suffix}", store.write(article)))
        counts.update(u.provenance for u in article.units)
    return ExportResult(tuple(written), chosen.label, counts, current.warnings)
