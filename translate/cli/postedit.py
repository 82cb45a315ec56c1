"""``bitext postedit``: the translators' English in ``corpus/<slug>.en.po``, and round trips with CAT tools."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.options import engine_option, settings_from
from translate.errors import PostEditError, QualityError
from translate.formats import formats

#: Stale segments listed per article by ``status``.
STALE_SHOWN = 3
#: Aligned beads to check listed per article by ``status``.
UNCERTAIN_SHOWN = 20


@click.group()
def postedit() -> None:
    """Correct the English: PO stores per article, round trips with CAT tools.

    \b
    Example:
      bitext postedit export                  # build/postedit/<slug>.xlf for a CAT tool
      bitext postedit import build/postedit/*.xlf
      bitext postedit status
    """


def _warn(warnings) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


@postedit.command("export")
@click.option("--format", "format_name", type=click.Choice([f.name for f in formats("segments", writes="article")]), default="xliff",
              show_default=True, help="xliff = XLIFF 2.1 (current CAT tools), xliff12 = XLIFF 1.2, po = gettext PO.")
@click.option("--article", "articles", multiple=True, metavar="SLUG",
              help="Export only this article (repeatable; default: all).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the files (default: build/postedit).")
@engine_option
@click.pass_context
def export_command(ctx: click.Context, format_name: str, articles: tuple[str, ...], out_dir: Path | None,
                   engine: str | None) -> None:
    """Write one file per article for translators: the current English as target.

    Each unit is a segment (its id is the segment id) with the Chinese as source,
    the English in use as target (the edited English, else the draft, marked as a
    draft), the glossary entries that apply and the draft as a note, labelled machine
    or gloss (a dictionary gloss is not machine translation).
    Translates what the translation memory lacks, as a build would.

    \b
    Example:
      bitext postedit export
      bitext postedit export --format po --article 000-4695234a --out for-anna/
    """
    from translate.postedit.export import export_files

    settings = settings_from(ctx)
    result = export_files(settings, format_name, articles, out_dir, engine_name=engine)
    _warn(result.warnings)
    counts = result.units
    total = sum(counts.values())
    click.echo(f"Wrote {len(result.files)} {result.format} file(s) to {_folder(result.files, out_dir, settings)}: "
               f"{total} segments, {counts['edited'] + counts['reused']} edited, "
               + (f"{counts['aligned']} aligned (to review), " if counts['aligned'] else "")
               + f"{counts['stale']} stale, {_drafts(counts)}")


def _drafts(counts) -> str:
    """``3 machine drafts``, ``52 gloss drafts`` or both: a gloss is not counted as machine translation."""
    kinds = [f"{counts[label]} {label} drafts" for label in ("machine", "gloss") if counts[label]]
    return ", ".join(kinds) or "0 machine drafts"


def _folder(files, out_dir, settings) -> Path:
    return files[0].parent if files else (out_dir or settings.build_dir / "postedit")


@postedit.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Apply conflicting units too: overwrite edits made since the export; keep units whose Chinese "
                   "changed as stale edits.")
@engine_option
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], force: bool, engine: str | None) -> None:
    """Merge translators' files (PO, XLIFF 1.2, XLIFF 2.x, TMX) into corpus/<slug>.en.po.

    Every file is checked before anything is written: unknown segment ids, units
    twice, inline Markdown the target does not carry over, unreadable files. One
    error and nothing is imported. Units whose Chinese changed since the export,
    or whose store entry changed meanwhile, are conflicts: not applied (exit 1)
    unless --force. Untouched machine drafts and empty targets are left alone.

    \b
    Example:
      bitext postedit import build/postedit/*.xlf
      bitext postedit import --force anna/000-4695234a.po
    """
    from translate.postedit.merge import InvalidImport, import_files

    settings = settings_from(ctx)
    try:
        result = import_files(settings, files, force=force, engine_name=engine)
    except InvalidImport as exc:
        for issue in exc.issues:
            click.echo(issue, err=True)
        raise
    _warn(result.warnings)
    for part in result.files:
        counts = {kind: part.count(kind) for kind in ("applied", "unchanged", "conflict", "skipped")}
        written = f" → {part.store}" if part.written else ""
        click.echo(f"{part.path} ({part.slug}): {counts['applied']} applied, {counts['unchanged']} unchanged, "
                   f"{counts['conflict']} conflicts, {counts['skipped']} skipped{written}")
        for outcome in (o for o in part.outcomes if o.notable):
            where = f" (now {outcome.segment})" if outcome.moved else ""
            detail = f": {outcome.detail}" if outcome.detail else ""
            click.echo(f"  {outcome.kind}: {part.path}:{outcome.line}: {outcome.unit}{where}{detail}")
        for warning in part.warnings:
            click.echo(f"  warning: {warning}")
    totals = result.totals()
    click.echo(f"Imported {len(result.files)} file(s): {totals['applied']} applied, {totals['unchanged']} "
               f"unchanged, {totals['conflict']} conflicts, {totals['skipped']} skipped")
    if totals["conflict"]:
        raise PostEditError(f"{totals['conflict']} conflict(s) not imported (the rest was); export again and redo "
                            "them, or import with --force")


@postedit.command("status")
@click.option("--below", type=click.FloatRange(0, 1), default=None, metavar="CONFIDENCE",
              help="List the aligned beads less sure than this (default: 0.5).")
@engine_option
@click.pass_context
def status_command(ctx: click.Context, below: float | None, engine: str | None) -> None:
    """Per article: segments edited, stale, machine and gloss, and the first stale ones.

    When some English was aligned (bitext align), an aligned column, and the beads
    to check: those under the confidence threshold and the sentences the English
    leaves out.

    \b
    Example:
      bitext postedit status
    """
    from translate.models import ALIGN_REVIEW_BELOW
    from translate.postedit.status import postedit_status

    rows = postedit_status(settings_from(ctx), engine_name=engine,
                           below=ALIGN_REVIEW_BELOW if below is None else below)
    aligned = any(r.aligned or r.uncertain for r in rows)
    width = max([len("article"), *(len(r.slug) for r in rows)])
    header = (f"{'article':<{width}}  {'segments':>8}  {'edited':>6}  " + (f"{'aligned':>7}  " if aligned else "")
              + f"{'stale':>5}  {'machine':>7}  {'gloss':>5}")
    click.echo(header)
    click.echo("-" * len(header))
    for row in rows:
        click.echo(f"{row.slug:<{width}}  {row.segments:>8}  {row.edited:>6}  "
                   + (f"{row.aligned:>7}  " if aligned else "")
                   + f"{len(row.stale):>5}  {row.machine:>7}  {row.gloss:>5}")
        for stale in row.stale[:STALE_SHOWN]:
            click.echo(f"  stale {stale.segment}: {_short(stale.zh)} (the edit was for: {_short(stale.previous_zh)})")
        if len(row.stale) > STALE_SHOWN:
            click.echo(f"  … and {len(row.stale) - STALE_SHOWN} more stale (bitext postedit export shows them all)")
        for bead in row.uncertain[:UNCERTAIN_SHOWN]:
            how = "not in the English" if bead.confidence is None else f"{bead.confidence:.2f}"
            click.echo(f"  check {'+'.join(bead.segments)} ({how}): {_short(bead.zh)}")
        if len(row.uncertain) > UNCERTAIN_SHOWN:
            click.echo(f"  … and {len(row.uncertain) - UNCERTAIN_SHOWN} more to check")
    click.echo("-" * len(header))
    click.echo(f"{'edition':<{width}}  {sum(r.segments for r in rows):>8}  {sum(r.edited for r in rows):>6}  "
               + (f"{sum(r.aligned for r in rows):>7}  " if aligned else "")
               + f"{sum(len(r.stale) for r in rows):>5}  {sum(r.machine for r in rows):>7}  "
               f"{sum(r.gloss for r in rows):>5}")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@postedit.command("tmx")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The TMX file (default: build/postedit/edited.tmx).")
@engine_option
@click.pass_context
def tmx_command(ctx: click.Context, out: Path | None, engine: str | None) -> None:
    """Write every edited segment as a TMX 1.4 translation memory (zh-CN/zh-TW → en).

    \b
    Example:
      bitext postedit tmx --out edited.tmx
    """
    from translate.postedit.tmx import export_tmx

    result = export_tmx(settings_from(ctx), out, engine_name=engine)
    _warn(result.warnings)
    click.echo(f"Wrote {result.units} translation unit(s) to {result.path}")


@postedit.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def check_command(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Proof translated entries: glossary terms, Chinese left over, markup, quotes.

    Reads only; exits 1 when any entry has a problem. Without FILES, checks every
    store in the corpus folder.

    \b
    Example:
      bitext postedit check
      bitext postedit check corpus/000-4695234a.en.po
    """
    from translate.glossary import Glossary
    from translate.postedit.proof import format_problems, proof_store
    from translate.postedit.store import PO_SUFFIX

    settings = settings_from(ctx)
    glossary = Glossary.load(settings.glossary_path)
    paths = list(files) or sorted(settings.corpus_dir.glob(f"*{PO_SUFFIX}"))
    count = 0
    for path in paths:
        for line in format_problems(path, proof_store(path, glossary)):
            click.echo(line)
            count += 1
    if count:
        raise QualityError(f"{count} problem(s) in {len(paths)} store(s)")
    click.echo(f"{len(paths)} store(s): no problems")


COMMANDS = [postedit]
