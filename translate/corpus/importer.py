"""``import_sources``: clean raw sources into ``corpus/<slug>.md`` and ``corpus/<slug>.log``.

Gather first, write last: every source is read and cleaned before anything is
written. An article whose text no longer matches the hash its log recorded was
edited by hand and is kept unless ``force``; an article that would come out the
same is not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate.corpus import cleaninglog, frontmatter
from translate.corpus.cleaning import Cleaned, clean
from translate.corpus.slugs import is_safe, slugify
from translate.errors import CorpusError
from translate.outputs import write_atomic


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one source did."""

    source: str
    """The file imported."""
    slug: str
    """The article's slug."""
    path: Path
    """``corpus/<slug>.md``."""
    status: str
    """``written``, ``updated``, ``unchanged`` or ``kept`` (hand-edited, not overwritten)."""
    paragraphs: int
    """Blocks in the cleaned body."""
    removed: int
    """Characters the cleaning removed (net)."""
    repaired: int
    """Mojibake spans repaired."""
    damaged: int
    """Spans flagged as damaged."""


def import_sources(paths, corpus_dir: Path, *, force: bool = False,
                   disabled: frozenset[str] = frozenset()) -> list[ImportResult]:
    """Import each source file into ``corpus_dir``."""
    corpus_dir = Path(corpus_dir)
    planned: list[tuple[Path, str, Cleaned]] = []
    slugs: set[str] = set()
    for path in sorted(Path(p) for p in paths):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CorpusError(f"cannot read source ({exc.strerror})", path=path) from exc
        cleaned = clean(raw, str(path), disabled=disabled)
        slug = slugify(cleaned.meta["source_file"])
        base, n = slug, 2
        while slug in slugs:
            slug, n = f"{base[:37]}-{n}", n + 1
        if not is_safe(slug):
            raise CorpusError(f"cannot make a safe file name from {path.name!r}; rename the source", path=path)
        slugs.add(slug)
        planned.append((path, slug, cleaned))
    results = []
    for path, slug, cleaned in planned:
        target = corpus_dir / f"{slug}.md"
        log_path = corpus_dir / f"{slug}.log"
        status = "written"
        if target.exists():
            current = target.read_text(encoding="utf-8")
            if current == cleaned.markdown:
                status = "unchanged"
            elif not force and _hand_edited(current, log_path):
                status = "kept"
            else:
                status = "updated"
        is_article = path.resolve() == target.resolve()
        if status in ("written", "updated"):
            write_atomic(target, cleaned.markdown)
        if status != "kept" and not is_article:
            log_text = cleaninglog.render(list(cleaned.log), source=cleaned.meta["source_file"],
                                          encoding=cleaned.encoding, characters=len(cleaned.source_text),
                                          article=cleaned.markdown)
            if not log_path.exists() or log_path.read_text(encoding="utf-8") != log_text:
                write_atomic(log_path, log_text)
        paragraphs = len([b for b in cleaned.body.split("\n\n") if b.strip()])
        results.append(ImportResult(str(path), slug, target, status, paragraphs, cleaned.removed,
                                    cleaned.repaired, cleaned.damaged))
    return results


def _hand_edited(current: str, log_path: Path) -> bool:
    """True unless the log says this exact text is what the cleaner wrote."""
    if not log_path.exists():
        return True
    header, _ = cleaninglog.read(log_path)
    return header.get("article-sha256") != cleaninglog.digest(current)


__all__ = ["ImportResult", "import_sources", "frontmatter"]
