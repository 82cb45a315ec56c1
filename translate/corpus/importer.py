"""``import_sources``: clean raw sources into ``corpus/<slug>.md`` and ``corpus/<slug>.log``.

Gather first, write last: every source is read and cleaned before anything is
written. An article whose text no longer matches the hash its log recorded was
edited by hand and is kept unless ``force``; an article that would come out the
same is not rewritten.

A slug belongs to one source: importing a different source whose name gives a
slug that an existing article has (``000_4695234a00000000.txt`` after
``000_4695234a35547297.txt``) is refused, naming both; "updated" only ever means
the same source again. The corpus folder's write lock is held from reading the
existing articles to writing the new ones, so two imports (or an import and a
build syncing its PO stores) never interleave.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate.corpus import cleaninglog, decisions, frontmatter
from translate.corpus.cleaning import Cleaned, clean
from translate.corpus.slugs import is_safe, slugify
from translate.errors import CorpusError
from translate.inputs import check_regular_file, quoted, read_input
from translate.outputs import file_lock, write_atomic


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
    cleaning: decisions.Report = decisions.Report((), 0, (), 0)
    """Prose the cleaning removed or moved (each a warning), and its close calls (:mod:`translate.corpus.decisions`)."""


def import_sources(paths, corpus_dir: Path, *, force: bool = False,
                   disabled: frozenset[str] = frozenset()) -> list[ImportResult]:
    """Import each source file into ``corpus_dir``."""
    corpus_dir = Path(corpus_dir)
    cleaned_sources: list[tuple[Path, Cleaned]] = []
    for path in sorted(Path(p) for p in paths):
        try:
            raw = read_input(path, CorpusError)
        except FileNotFoundError as exc:
            raise CorpusError(f"cannot read source ({exc.strerror}); give the path of a raw source",
                              path=path) from None
        cleaned_sources.append((path, clean(raw, str(path), disabled=disabled)))
    with file_lock(corpus_dir / "import"):
        planned = _plan(cleaned_sources, corpus_dir)
        return [_write(path, slug, cleaned, corpus_dir, force) for path, slug, cleaned in planned]


def _plan(cleaned_sources: list[tuple[Path, Cleaned]], corpus_dir: Path) -> list[tuple[Path, str, Cleaned]]:
    """The slug of each source; :class:`CorpusError` when a slug is another source's article."""
    planned: list[tuple[Path, str, Cleaned]] = []
    slugs: set[str] = set()
    for path, cleaned in cleaned_sources:
        source = cleaned.meta["source_file"]
        base = slugify(source)
        slug = _own_slug(base, source, corpus_dir, taken=slugs)
        if slug is None:
            slug, n = base, 2
            while slug in slugs:
                slug, n = f"{base[:37]}-{n}", n + 1
            other = _source_of(corpus_dir, slug)
            if other is not None and other != source:
                raise CorpusError(
                    f"'{source}' would be article {slug}, but {slug}.md is already the article of '{other}'; "
                    "rename one of the two sources (a slug comes from the file name)", path=path)
        if not is_safe(slug):
            raise CorpusError(f"cannot make a safe file name from {quoted(path.name)}; rename the source", path=path)
        slugs.add(slug)
        planned.append((path, slug, cleaned))
    return planned


def _own_slug(base: str, source: str, corpus_dir: Path, *, taken: set[str]) -> str | None:
    """The slug (``base``, ``base-2``, …) whose article was already cleaned from ``source``, if any."""
    candidates = [base] + [f"{base[:37]}-{n}" for n in range(2, 100)]
    for slug in candidates:
        if not (corpus_dir / f"{slug}.md").exists():
            if slug != base:
                return None
            continue
        if slug not in taken and _source_of(corpus_dir, slug) == source:
            return slug
    return None


def _source_of(corpus_dir: Path, slug: str) -> str | None:
    """The source an existing article was cleaned from: its log's, else its front matter's; None if none."""
    log_path = corpus_dir / f"{slug}.log"
    if log_path.exists():
        header = _log_header(log_path)
        if header.get("source"):
            return header["source"].rsplit(" (", 1)[0]
    target = corpus_dir / f"{slug}.md"
    if not target.exists():
        return None
    try:
        data, _, _ = frontmatter.split(_read_text(target), str(target))
    except CorpusError:
        return None
    source = (data or {}).get("source_file")
    return source if isinstance(source, str) else None


def _read_text(path: Path) -> str:
    try:
        return read_input(path, CorpusError).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"not UTF-8 (byte offset {exc.start}); save it as UTF-8", path=path) from exc


def _write(path: Path, slug: str, cleaned: Cleaned, corpus_dir: Path, force: bool) -> ImportResult:
    target = corpus_dir / f"{slug}.md"
    log_path = corpus_dir / f"{slug}.log"
    status = "written"
    if target.exists():
        current = _read_text(target)
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
        if not log_path.exists() or _read_text(log_path) != log_text:
            write_atomic(log_path, log_text)
    from translate.corpus.article import load_article  # one count, one meaning: corpus check's
    from translate.corpus.report import paragraph_count

    paragraphs = paragraph_count(load_article(target))
    return ImportResult(str(path), slug, target, status, paragraphs, cleaned.removed, cleaned.repaired,
                        cleaned.damaged, decisions.report(cleaned.log))


def _hand_edited(current: str, log_path: Path) -> bool:
    """True unless the log says this exact text is what the cleaner wrote."""
    if not log_path.exists():
        return True
    return _log_header(log_path).get("article-sha256") != cleaninglog.digest(current)


def _log_header(log_path: Path) -> dict:
    check_regular_file(log_path, CorpusError)
    header, _ = cleaninglog.read(log_path)
    return header


__all__ = ["ImportResult", "import_sources", "frontmatter"]
