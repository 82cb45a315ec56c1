"""``bitext postedit export``: one file per article for translators, in PO, XLIFF 2.1 or XLIFF 1.2."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from translate.errors import PostEditError
from translate.outputs import write_atomic
from translate.postedit.exchange import ExportArticle, export_articles
from translate.postedit.session import current_edition
from translate.settings import Settings


@dataclass(frozen=True, slots=True)
class Format:
    """One file format an export can write."""

    name: str
    """The ``--format`` value."""
    label: str
    """What to call it in messages."""
    suffix: str
    """File name suffix after the slug."""
    write: Callable[[ExportArticle], str]
    """The writer of one article's file."""


def _formats() -> dict[str, Format]:
    from translate.postedit.pofile import write_po
    from translate.postedit.xliff import write_xliff2, write_xliff12

    return {f.name: f for f in (
        Format("xliff", "XLIFF 2.1", ".xlf", write_xliff2),
        Format("xliff12", "XLIFF 1.2", ".xliff12.xlf", write_xliff12),
        Format("po", "PO", ".po", write_po),
    )}


#: The ``--format`` choices, the default first.
FORMAT_NAMES = ("xliff", "xliff12", "po")


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
    formats = _formats()
    if format_name not in formats:
        raise PostEditError(f"unknown format {format_name!r}; use one of {', '.join(FORMAT_NAMES)}")
    chosen = formats[format_name]
    out_dir = Path(out_dir) if out_dir is not None else settings.build_dir / "postedit"
    current = current_edition(settings, engine_name=engine_name)
    articles = export_articles(current, slugs)
    written = []
    counts: Counter = Counter()
    for article in articles:
        written.append(write_atomic(out_dir / f"{article.slug}{chosen.suffix}", chosen.write(article)))
        counts.update(u.provenance for u in article.units)
    return ExportResult(tuple(written), chosen.label, counts, current.warnings)
