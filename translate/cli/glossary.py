"""``bitext glossary …``: check, edit, search, export and import the termbase."""

from __future__ import annotations

import os
from pathlib import Path

import click

from translate.cli.options import settings_from, strict_option
from translate.cli.terminal import echo, safe_for_terminal
from translate.errors import BitextError, CorpusError, GlossaryError, OutputError, QualityError
from translate.formats import formats
from translate.settings import Settings, input_role


def _shown(path: Path) -> Path:
    """``path`` relative to the current folder when it is inside it (shorter messages)."""
    try:
        return Path(os.path.relpath(path)) if Path(path).resolve().is_relative_to(Path.cwd()) else Path(path)
    except ValueError:
        return Path(path)


def _glossary_path(ctx: click.Context) -> tuple[Settings, Path]:
    settings = settings_from(ctx)
    return settings, _shown(settings.glossary_path)


def _articles(settings: Settings, *, required: bool):
    """The cleaned corpus, or ``None`` (when not ``required``) if there is none to read."""
    try:
        from translate.corpus import load_corpus
    except ImportError:
        if required:
            raise CorpusError("the corpus reader is not available in this installation") from None
        return None
    try:
        return load_corpus(settings.corpus_dir)
    except CorpusError:
        if required:
            raise
        return None


def _flags(term) -> list[str]:
    """What sets an entry apart, for listings: its kind, part of speech, keep, the exact case rule."""
    return [d for d in (term.kind, term.pos, "keep" if term.keep else "", "case exact" if term.case == "exact" else "")
            if d]


@click.group()
def glossary() -> None:
    """Check, edit, search, export and import the termbase (glossary/terms.csv).

    \b
    Example:
      bitext glossary check
      bitext glossary add 澜舟科技 Langboat --kind company
      bitext glossary show 澜舟科技
    """


@glossary.command()
@click.option("--no-corpus", is_flag=True, help="Skip the warnings about terms that never occur in the corpus.")
@click.option("--warnings", "list_warnings", is_flag=True, help="List every warning (by default they are counted).")
@strict_option
@click.pass_context
def check(ctx: click.Context, no_corpus: bool, list_warnings: bool, strict: bool) -> None:
    """Check the termbase: errors (exit 1), then a count of warnings by kind.

    Errors: missing or unknown columns, broken quoting, empty term or target,
    one term with two targets, a variant claimed by two entries, cells a
    spreadsheet would run as formulas, control characters. Warnings:
    duplicates, nested terms, terms that never occur in the corpus; --warnings
    lists them with file and line.

    \b
    Example:
      bitext glossary check
      bitext glossary check --warnings
      bitext glossary check --strict --no-corpus
    """
    from translate.glossary.checks import glossary_findings

    settings, path = _glossary_path(ctx)
    articles = None if no_corpus else _articles(settings, required=False)
    texts = None
    if articles is not None:
        texts = [text for article in articles for block in article.blocks for text in (block.text, block.original)]
    findings = glossary_findings(path, texts)
    for diagnostic in findings.errors:
        echo(f"Error: {diagnostic}")
    if list_warnings:
        for _, diagnostic in findings.warnings:
            echo(f"Warning: {diagnostic}")
    errors, warnings = len(findings.errors), len(findings.warnings)
    summary = f"{path}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if warnings:
        summary += f" ({findings.summary()})" + ("" if list_warnings else "; list them with --warnings")
    corpus_note = "" if texts is not None or no_corpus else " (no corpus found: occurrences not checked)"
    echo(summary + corpus_note)
    if errors:
        raise GlossaryError(f"{errors} error{'s' * (errors != 1)}; fix the lines above and check again", path=path)
    if strict and warnings:
        raise QualityError(f"{warnings} glossary warning{'s' * (warnings != 1)} (--strict)")


@glossary.command()
@click.argument("zh")
@click.argument("en")
@click.option("--note", default="", help="A note for translators and readers.")
@click.option("--variants", default="", help="Extra source forms separated by '|' (Traditional forms are derived).")
@click.option("--kind", default="", help="Category: concept, person, company, product, …")
@click.option("--alternates", default="",
              help="Other English forms the check also accepts, separated by '|' (engines still get EN).")
@click.option("--pos", type=click.Choice(["noun", "verb", "adjective", "name"]), default=None,
              help="Part of speech of EN: which inflections of its last word count (see docs/glossary.md).")
@click.option("--keep", is_flag=True, help="Keep as is: the target must survive exactly (e.g. Densing Law).")
@click.option("--case", "case_rule", type=click.Choice(["insensitive", "exact"]), default="insensitive",
              help="How Latin source forms match and how strictly the target is checked.")
@click.pass_context
def add(ctx: click.Context, zh: str, en: str, note: str, variants: str, kind: str, alternates: str, pos: str | None,
        keep: bool, case_rule: str) -> None:
    """Add a term as the last line of the termbase (a one-line diff).

    \b
    Example:
      bitext glossary add 密度法则 "Densing Law" --keep --case exact --kind concept
      bitext glossary add 面壁智能 ModelBest --variants "面壁" --note "Beijing AI start-up"
      bitext glossary add 落地 deployment --pos noun --alternates "deploy|put into practice"
    """
    from translate.glossary.termedits import add_term
    from translate.glossary.termbase import split_variants
    from translate.models import Term

    settings, path = _glossary_path(ctx)
    term = Term(zh=zh.strip(), en=en.strip(), variants=tuple(v for v in split_variants(variants) if v != zh.strip()),
                note=note.strip(), keep=keep, case=case_rule, kind=kind.strip(), pos=pos or "",
                alternates=tuple(a for a in split_variants(alternates) if a != en.strip()))
    added = add_term(path, term)
    echo(f"Added {added.zh} → {added.en} at {path}:{added.line}")
    _echo_occurrences(settings, path, added.zh)


def _echo_occurrences(settings: Settings, path: Path, zh: str) -> None:
    from translate.glossary import Glossary
    from translate.glossary.concordance import concordance

    try:
        articles = _articles(settings, required=False)
        if articles is None:
            return
        occurrences = concordance(Glossary.load(path), zh, articles, None)
    except BitextError:
        return  # the entry is written; a damaged line elsewhere is for `glossary check`
    places = len({o.article for o in occurrences})
    echo(f"It occurs {len(occurrences)} time{'s' * (len(occurrences) != 1)} in {places} "
         f"article{'s' * (places != 1)}; see them with: bitext glossary show {zh}")


@glossary.command()
@click.argument("zh")
@click.pass_context
def remove(ctx: click.Context, zh: str) -> None:
    """Remove the entry whose term is ZH (its line, and only its line).

    \b
    Example:
      bitext glossary remove 大模型
    """
    from translate.glossary.termedits import remove_term

    _, path = _glossary_path(ctx)
    for term in remove_term(path, zh):
        echo(f"Removed {term.zh} → {term.en} (was {path}:{term.line})")


@glossary.command(name="list")
@click.option("--grep", default=None,
              help="Only entries whose term, variants, target, alternates, kind or note contain this.")
@click.pass_context
def list_(ctx: click.Context, grep: str | None) -> None:
    """List the entries in file order, with line numbers.

    \b
    Example:
      bitext glossary list
      bitext glossary list --grep model
    """
    from translate.glossary.termedits import entries

    _, path = _glossary_path(ctx)
    terms = entries(path, grep)
    for term in terms:
        details = _flags(term)
        if term.variants:
            details.append("variants: " + " | ".join(term.variants))
        if term.alternates:
            details.append("also: " + " | ".join(term.alternates))
        suffix = f"  ({'; '.join(details)})" if details else ""
        echo(f"{term.line:>5}  {term.zh} → {term.en}{suffix}")
    total = len(entries(path)) if grep else len(terms)
    echo(f"{len(terms)} of {total} entries" if grep else f"{total} entries")


@glossary.command()
@click.argument("term")
@click.option("--article", "slug", default=None, help="Only this article (slug).")
@click.pass_context
def show(ctx: click.Context, term: str, slug: str | None) -> None:
    """Show every occurrence of TERM in the corpus and whether the translation honoured it.

    TERM may be the Chinese term, a variant, a Traditional form, the English
    target or an alternate. Translations are read from build/translations/ once a build has run.

    \b
    Example:
      bitext glossary show 大模型
      bitext glossary show Langboat --article interview
    """
    from translate.glossary import Glossary
    from translate.glossary.concordance import concordance, resolve_term

    settings, path = _glossary_path(ctx)
    loaded = Glossary.load(path)
    entry = resolve_term(loaded, term)
    articles = _articles(settings, required=True)
    if slug is not None:
        articles = tuple(a for a in articles if a.slug == slug)
        if not articles:
            raise CorpusError(f"no article '{slug}' in the corpus", path=_shown(settings.corpus_dir))
    occurrences = concordance(loaded, entry.zh, articles, settings.build_dir / "translations")
    flags = _flags(entry)
    echo(f"{entry.zh} → {entry.en}" + (f"  ({'; '.join(flags)})" if flags else "") + f"  [{path}:{entry.line}]")
    if entry.alternates:
        echo(f"also: {', '.join(entry.alternates)}")
    if entry.note:
        echo(f"note: {entry.note}")
    for occurrence in occurrences:
        where = f"{occurrence.article} {occurrence.block}"
        if occurrence.segment:
            where = f"{occurrence.article} {occurrence.segment}"
        as_written = f"  as {occurrence.surface}" if occurrence.surface != entry.zh else ""
        place = f", {occurrence.place}" if occurrence.place else ""
        echo(f"\n{where} (line {occurrence.line}{place}){as_written}")
        zh = occurrence.zh
        end = occurrence.start + len(occurrence.surface)
        # Made safe piece by piece: the highlight's own escape sequence is the only one printed.
        click.echo("  zh: " + safe_for_terminal(zh[: occurrence.start])
                   + click.style(safe_for_terminal(zh[occurrence.start:end]), bold=True, underline=True)
                   + safe_for_terminal(zh[end:]))
        if occurrence.en is None:
            click.echo("  en: (not translated yet)")
        else:
            echo(f"  en: {occurrence.en}")
            shown = f" (as {safe_for_terminal(occurrence.en_form)})" if occurrence.en_form else ""
            click.echo(f"  honoured: {'yes' + shown if occurrence.honoured else 'no'}")
    if not occurrences:
        echo(f"{entry.zh} does not occur in the corpus")
        return
    honoured = sum(o.honoured is True for o in occurrences)
    missed = sum(o.honoured is False for o in occurrences)
    pending = sum(o.honoured is None for o in occurrences)
    places = len({o.article for o in occurrences})
    click.echo(f"\n{len(occurrences)} occurrence{'s' * (len(occurrences) != 1)} in {places} "
               f"article{'s' * (places != 1)}: {honoured} honoured, {missed} not honoured, {pending} not translated yet")


@glossary.command()
@click.option("--format", "fmt", type=click.Choice([f.name for f in formats("terms", writes="terms")]), default=None,
              help="Output format (default: from the output file's extension, else csv).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
@click.option("--force", is_flag=True,
              help="Write even over one of the edition's inputs (the termbase, a corpus file, a PO store).")
@click.pass_context
def export(ctx: click.Context, fmt: str | None, output: Path | None, force: bool) -> None:
    """Export the termbase as CSV, TSV or TBX (for CAT tools).

    An output that is one of the edition's own inputs (the termbase itself, a
    corpus article, a post-editing store) is refused without --force.

    \b
    Example:
      bitext glossary export --format tbx -o glossary.tbx
      bitext glossary export --format tsv > terms.tsv
    """
    from translate.glossary.interchange import export_glossary
    from translate.outputs import write_atomic

    settings, path = _glossary_path(ctx)
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = suffix if suffix in [f.name for f in formats("terms", writes="terms")] else "csv"
    role = input_role(settings, output) if output is not None else None
    if role is not None and not force:
        raise OutputError(f"is {role} of this edition; exporting would replace it. Write elsewhere, "
                          "or pass --force", path=output)
    text = export_glossary(path, fmt)  # type: ignore[arg-type]
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        echo(f"Exported {path} to {output} ({fmt.upper()})", err=True)


@glossary.command(name="import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Let the imported values win in conflicts (reported all the same).")
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@strict_option
@click.pass_context
def import_(ctx: click.Context, source: Path, overwrite: bool, dry_run: bool, strict: bool) -> None:
    """Merge a CSV, TSV or TBX termbase into the glossary, with a report.

    New entries are added at the end, empty cells are filled in, new variants
    are added; a different target (or note, kind, keep, case) is a conflict,
    reported and left alone unless --overwrite.

    \b
    Example:
      bitext glossary import vendor.tbx --dry-run
      bitext glossary import reviewed.csv
    """
    from translate.glossary.interchange import import_glossary

    _, path = _glossary_path(ctx)
    report = import_glossary(path, source, overwrite=overwrite, dry_run=dry_run)
    for term in report.added:
        echo(f"added     {term.zh} → {term.en} ({path}:{term.line})")
    for change in report.changed:
        echo(f"changed   {change.term.zh} ({path}:{change.term.line}): {'; '.join(change.what)}")
    for conflict in report.conflicts:
        if conflict.field == "source form":
            echo(f"conflict  {source}:{conflict.source_line}: '{conflict.theirs}' of '{conflict.zh}' is already "
                 f"a source form of '{conflict.ours}' ({path}:{conflict.line}); not imported")
            continue
        outcome = "took the import's" if conflict.overwritten else "kept (use --overwrite to take the import's)"
        echo(f"conflict  {source}:{conflict.source_line}: {conflict.zh} {conflict.field} '{conflict.theirs}', "
             f"but {path}:{conflict.line} says '{conflict.ours}'; {outcome}")
    verb = "Would import" if dry_run else "Imported"
    echo(f"{verb} {source} into {path}: {len(report.added)} added, {len(report.changed)} changed, "
         f"{len(report.conflicts)} conflicting, {report.unchanged} unchanged")
    if strict and report.conflicts and not overwrite:
        raise QualityError(f"{len(report.conflicts)} conflicting entries were not imported (--strict)")


COMMANDS = [glossary]
