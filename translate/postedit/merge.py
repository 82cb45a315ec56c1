"""Importing translators' files into the stores: validate everything, then merge, all or nothing.

Each unit of an imported file is matched to a segment of the current article
the way a store's entries are (:func:`~translate.postedit.store.place_edits`:
by its Chinese first, by its id second), then decided:

- **skipped**: no target, or a PO entry still ``fuzzy`` (not ready) whose English changed;
- **unchanged**: the target is what the store already has, or what was exported and
  the translator neither changed nor confirmed it (an untouched machine draft);
- **conflict** (not applied): the Chinese changed since the export, or the store's
  entry changed since the export (or, for a file without stamps, is already edited
  with different English). ``force`` applies it anyway: over the store's English,
  or, when the Chinese changed, as a stale edit (fuzzy, the exported Chinese kept
  as the previous msgid) for the translator to review;
- **applied**: anything else, as an edited entry (English that ``bitext align`` wrote and
  no translator confirmed is replaced like a draft, and the entry loses its ``aligned`` mark).

Every format the registry reads (PO, XLIFF 2.x and 1.2, TMX; :mod:`translate.formats`) is
imported by these rules; a TMX unit is a confirmed translation without a stamp.

Errors stop the whole import before anything is written: a file that cannot be
read, a unit twice, a unit whose id and Chinese are both unknown to the article,
inline Markdown (bold, italic, links) that the target does not carry over from
the source. Stores are written under their folder's lock, atomically, with the
exact text a build's sync would write, while the build folder is locked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Mapping, Sequence

from translate.errors import PostEditError
from translate.formats import format_for_content
from translate.markup import markup_problems
from translate.models import Segment
from translate.postedit.apply import store_segments
from translate.postedit.exchange import (
    MAX_IMPORT_BYTES,
    Unit,
    UnitFile,
    digest,
    entry_key,
    in_working_script,
    normalise,
)
from translate.postedit.proof import proof_edit
from translate.postedit.session import CurrentEdition, held_edition
from translate.postedit.store import (ALIGNED_FLAG, Edit, Placement, StoreSegment, place_edits, read_bounded,
                                      store_path, sync_store)
from translate.settings import Settings

OutcomeKind = Literal["applied", "unchanged", "conflict", "skipped"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an import did with one unit."""

    kind: OutcomeKind
    """``applied``, ``unchanged``, ``conflict`` or ``skipped``."""
    unit: str
    """The unit's id in the file."""
    segment: str
    """The segment it went to (differs from ``unit`` when the segment's id moved)."""
    line: int
    """Line of the unit in its file."""
    detail: str = ""
    """Why, for conflicts and skips; for an applied stale edit, that it is stale."""

    @property
    def moved(self) -> bool:
        """True when the unit went to a segment with another id (paragraphs inserted or deleted since)."""
        return self.segment != self.unit

    @property
    def notable(self) -> bool:
        """Worth a line of its own: a conflict, a skip other than an empty target, a stale or moved edit."""
        return (self.kind == "conflict" or self.kind == "skipped" and self.detail != NO_TARGET
                or self.kind == "applied" and bool(self.detail or self.moved))


#: Why a unit without a target is skipped.
NO_TARGET = "no target"


@dataclass(frozen=True, slots=True)
class FileImport:
    """One article's part of one imported file, once merged."""

    path: Path
    """The imported file."""
    slug: str
    """The article."""
    store: Path
    """Its PO store."""
    outcomes: tuple[Outcome, ...]
    """One per unit, in file order."""
    written: bool
    """True when the store changed on disk."""
    warnings: tuple[str, ...] = ()
    """Proof problems of the applied English (glossary terms, Chinese left over, quotes): not errors."""

    def count(self, kind: OutcomeKind) -> int:
        """How many units had this outcome."""
        return sum(1 for o in self.outcomes if o.kind == kind)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Everything an import did."""

    files: tuple[FileImport, ...]
    """In the order given."""
    warnings: tuple[str, ...] = ()
    """What the engine warned about."""

    def totals(self) -> dict[OutcomeKind, int]:
        """Units per outcome over every file: applied, unchanged, conflict, skipped."""
        kinds: tuple[OutcomeKind, ...] = ("applied", "unchanged", "conflict", "skipped")
        return {kind: sum(f.count(kind) for f in self.files) for kind in kinds}


class InvalidImport(PostEditError):
    """An imported file has errors, so nothing was imported."""

    def __init__(self, issues: Sequence[str]):
        self.issues = tuple(issues)
        files = len({issue.split(":")[0] for issue in self.issues})
        super().__init__(f"{len(self.issues)} error(s) in {files} file(s); nothing was imported. "
                         "Fix the file(s) or export again")


def _issue(path: Path, line: int | None, unit: str, message: str) -> str:
    return f"{path}:{line}: {unit}: {message}" if line else f"{path}: {unit}: {message}"


@dataclass
class _Plan:
    outcomes: list[Outcome] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    placed: dict[str, Placement] = field(default_factory=dict)
    applied: list[tuple[Edit, int]] = field(default_factory=list)
    """Edits applied, with the line of their unit."""


def plan_units(unit_file: UnitFile, segments: Sequence[StoreSegment], shown: Mapping[str, Segment],
               placed: Mapping[str, Placement], *, force: bool = False) -> _Plan:
    """Decide every unit of one article's file against the store's placements (see the module docstring)."""
    path = unit_file.path
    plan = _Plan(placed=dict(placed))
    seen: dict[str, int] = {}
    for unit in unit_file.units:
        if unit.id in seen:
            plan.issues.append(_issue(path, unit.line, unit.id, f"appears twice (first at line {seen[unit.id]}); "
                                                                "keep one unit"))
        seen.setdefault(unit.id, unit.line)
    if plan.issues:
        return plan
    located, _ = place_edits(segments, [Edit(u.id, normalise(u.zh), u.en, line=u.line) for u in unit_file.units])
    segment_of: dict[str, StoreSegment] = {}
    for segment in segments:
        placement = located.get(segment.id)
        if placement is not None:
            segment_of[placement.moved_from or segment.id] = segment
    for unit in unit_file.units:
        segment = segment_of.get(unit.id)
        if segment is None:
            plan.issues.append(_issue(path, unit.line, unit.id, f"unknown segment id: article {unit_file.slug} has "
                                      "no such segment and not its Chinese; was the file exported from another "
                                      "article?"))
            continue
        outcome, edit = _decide(unit, segment, shown.get(segment.id), plan.placed.get(segment.id), force)
        if edit is not None:
            problems = markup_problems(normalise(unit.zh), edit.en)
            if problems:
                plan.issues += [_issue(path, unit.line, unit.id, f"{p}; fix the target") for p in problems]
                continue
            previous = plan.placed.get(segment.id)
            plan.placed[segment.id] = Placement(edit, previous.moved_from if previous is not None else "")
            plan.applied.append((edit, unit.line))
        plan.outcomes.append(outcome)
    return plan


def _decide(unit: Unit, segment: StoreSegment, shown: Segment | None, placement: Placement | None,
            force: bool) -> tuple[Outcome, Edit | None]:
    def outcome(kind: OutcomeKind, detail: str = "") -> Outcome:
        return Outcome(kind, unit.id, segment.id, unit.line, detail)

    target = unit.en
    if not target:
        return outcome("skipped", NO_TARGET), None
    entry = placement.edit if placement is not None else None
    if entry is not None and entry.edited and not entry.aligned and target == normalise(entry.en):
        return outcome("unchanged"), None  # (aligned English confirmed as it stands is applied: it becomes edited)
    reused = shown is not None and shown.origin == "edited" and not (entry is not None and entry.edited)
    stamp = unit.stamp
    if stamp is not None:
        untouched = digest(target) == stamp.target
        was_confirmed = stamp.exported in ("edited", "reused")
    else:
        candidates = {unit.draft, normalise(segment.draft)}
        if entry is not None and entry.stale:
            candidates.add(normalise(entry.en))
        if reused:
            candidates.add(normalise(shown.en))
        untouched = target in candidates
        was_confirmed = reused and target == normalise(shown.en)
    if unit.state == "needs-work":
        if untouched:
            return outcome("unchanged"), None
        return outcome("skipped", "fuzzy (needs work): not imported; clear the fuzzy flag to import it"), None
    if untouched and (unit.state == "unconfirmed" or was_confirmed):
        return outcome("unchanged"), None

    chinese_changed = normalise(unit.zh) != normalise(segment.zh)
    if chinese_changed and not force:
        return outcome("conflict", f"the Chinese changed since the export (now: {segment.zh}); export again, or "
                                   "--force keeps this English as a stale edit to review"), None
    if stamp is not None:
        store_changed = entry_key(entry) != stamp.store
        why = "the store's English changed since the export"
    else:
        # English aligned by ``bitext align`` and not yet confirmed is no translator's: a file may replace it.
        store_changed = entry is not None and entry.edited and not entry.aligned
        why = "the segment is already edited"
    if store_changed and not force:
        now = f" (now: {entry.en})" if entry is not None and entry.en.strip() else ""
        return outcome("conflict", f"{why}{now}; export again, or --force overwrites it"), None
    edit = Edit(segment.id, segment.zh, target, fuzzy=chinese_changed,
                previous_zh=normalise(unit.zh) if chinese_changed else "",
                comment=entry.comment if entry is not None else "",
                flags=tuple(f for f in entry.flags if f != ALIGNED_FLAG) if entry is not None else ())
    return outcome("applied", "stale: the Chinese changed since the export" if chinese_changed else ""), edit


def import_files(settings: Settings, paths: Sequence[Path], *, force: bool = False,
                 engine_name: str | None = None) -> ImportResult:
    """Validate every file, then merge each into its article's store (see the module docstring)."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise PostEditError("no files to import; give the files exported with `bitext postedit export`")
    with held_edition(settings, engine_name=engine_name) as current:
        unit_files, issues = _read_all(paths, current)
        for unit_file in unit_files:
            article = _article(current, unit_file.slug)
            plan = plan_units(unit_file, store_segments(_machine(current, unit_file.slug)), _shown(article),
                              current.placements(unit_file.slug), force=force)
            issues += plan.issues
        if issues:
            raise InvalidImport(issues)
        return ImportResult(tuple(_merge(settings, current, f, force) for f in unit_files), current.warnings)


def read_units(path: Path) -> list[UnitFile]:
    """Every article's units in one file: PO, XLIFF 1.2, XLIFF 2.x or TMX, told apart by content.

    The format registry (:func:`translate.formats.format_for_content`) chooses the reader from the
    file's first bytes, so a file is read by what it is, whatever it is called.
    """
    path = Path(path)
    head = read_bounded(path, MAX_IMPORT_BYTES)[:4096]
    chosen = format_for_content(head, "segments")
    if chosen is None:  # the PO store claims whatever is not XML: only a broken table gets here
        raise PostEditError("is not a PO, XLIFF or TMX file", path=path)
    return chosen.store().read(path)


def _read_all(paths: Sequence[Path], current: CurrentEdition) -> tuple[list[UnitFile], list[str]]:
    known = {a.slug for a in current.articles}
    unit_files: list[UnitFile] = []
    issues: list[str] = []
    for path in paths:
        try:
            files = read_units(path)
        except PostEditError as exc:
            issues.append(str(exc))
            continue
        for unit_file in files:
            if unit_file.slug not in known:
                issues.append(_issue(path, unit_file.line, unit_file.slug, "not an article of the corpus (known: "
                                     f"{', '.join(sorted(known))}); was it exported from another edition?"))
            else:
                # Sources as written (Traditional for a Traditional article) are matched as the store's Chinese.
                article = _article(current, unit_file.slug)
                unit_files.append(in_working_script(unit_file, article.segments, article.article.meta.script))
    return unit_files, issues


def _article(current: CurrentEdition, slug: str):
    return next(a for a in current.articles if a.slug == slug)


def _machine(current: CurrentEdition, slug: str):
    return next(a for a in current.machine if a.slug == slug)


def _shown(article) -> dict[str, Segment]:
    return {s.id: s for s in article.segments}


def _merge(settings: Settings, current: CurrentEdition, unit_file: UnitFile, force: bool) -> FileImport:
    slug = unit_file.slug
    segments = store_segments(_machine(current, slug))
    shown = _shown(_article(current, slug))
    decided: list[_Plan] = []

    def revise(placed: dict[str, Placement]) -> dict[str, Placement]:
        # Decided again on the store as read under its lock: someone may have written it since.
        plan = plan_units(unit_file, segments, shown, placed, force=force)
        if plan.issues:
            raise InvalidImport(plan.issues)
        decided.append(plan)
        return plan.placed if plan.applied else None

    path = store_path(settings.corpus_dir, slug)
    result = sync_store(path, slug, segments, revise=revise)
    plan = decided[-1]
    warnings = [f"{unit_file.path}:{line}: {p.segment}: {p.detail}"
                for edit, line in plan.applied
                for p in proof_edit(Edit(edit.id, edit.zh, edit.en, line=line), current.glossary, slug)
                if p.kind != "markup"]
    return FileImport(unit_file.path, slug, path, tuple(plan.outcomes), result.written, tuple(warnings))
