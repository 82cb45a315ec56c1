"""``bitext corpus``: import raw sources and check the cleaned articles."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.options import settings_from, strict_option
from translate.cli.terminal import echo
from translate.errors import QualityError


def _control_warnings(path: Path) -> int:
    """Print a warning for each control character in a cleaned article; return how many there are.

    The cleaner removes them from sources, but an article edited by hand may hold
    some (an ``ESC`` sequence would drive the terminal of whoever prints it).
    """
    from translate.errors import BitextError
    from translate.inputs import control_characters, describe_control, read_input

    try:
        text = read_input(path).decode("utf-8", errors="replace")
    except (OSError, BitextError):
        return 0
    found = control_characters(text)
    for line, char in found:
        echo(f"Warning: {path}:{line}: control character {describe_control(char)} in the text; delete it")
    return len(found)


@click.group()
def corpus() -> None:
    """Clean raw articles into corpus/<slug>.md and check them.

    \b
    Example:
      bitext corpus import corpus/raw/*.txt
      bitext corpus check --strict
    """


@corpus.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite articles that were edited by hand.")
@click.option("--disable", "disabled", multiple=True, metavar="RULE",
              help="Skip a cleaning rule by name (repeatable). Rules, in order: decoding, chrome, export, "
                   "structure, mojibake, html, editorial, pinyin, script, title, bylines, punctuation, whitespace, "
                   "images, lists, headings, speakers, wraps, paragraphs.")
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], force: bool, disabled: tuple[str, ...]) -> None:
    """Clean raw source files into corpus/<slug>.md, with a cleaning log each.

    A hand-edited article is never overwritten without --force; importing an
    article that is already clean changes nothing.

    \b
    Example:
      bitext corpus import corpus/raw/*.txt
      bitext corpus import --force --disable pinyin corpus/raw/002_6e338a6dd3e78412.txt
    """
    from translate.corpus import import_sources

    settings = settings_from(ctx)
    paths = [p if p.is_absolute() else (Path.cwd() / p) for p in files]
    results = import_sources(paths, settings.corpus_dir, force=force, disabled=frozenset(disabled))
    for r in results:
        note = "  (hand-edited; kept — use --force to overwrite)" if r.status == "kept" else ""
        echo(f"{r.slug}: {r.status}, {r.paragraphs} paragraphs, {r.removed} characters removed, "
             f"{r.repaired} spans repaired, {r.damaged} damaged{note}")
        _control_warnings(r.path)


@corpus.command("check")
@strict_option
@click.pass_context
def check_command(ctx: click.Context, strict: bool) -> None:
    """Show each article's cleaning figures and Markdown warnings; --strict exits 1 while any is flagged.

    \b
    Example:
      bitext corpus check
      bitext corpus check --strict
    """
    from translate.corpus import corpus_report

    corpus_dir = settings_from(ctx).corpus_dir
    figures = corpus_report(corpus_dir)
    click.echo(f"{'article':<16} {'script':<12} {'paras':>5} {'chars':>6} {'lines-':>6} {'pinyin':>6} "
               f"{'repaired':>8} {'flagged':>7}")
    for f in figures:
        echo(f"{f.slug:<16} {f.script:<12} {f.paragraphs:>5} {f.characters:>6} {f.lines_removed:>6} "
             f"{f.annotations:>6} {f.repaired:>8} {f.flagged:>7}")
    controls = sum(_control_warnings(corpus_dir / f"{f.slug}.md") for f in figures)
    for f in figures:
        for warning in f.warnings:
            echo(f"Warning: {corpus_dir / (f.slug + '.md')}:{warning.line}: {warning.message}")
    flagged = sum(f.flagged for f in figures)
    warned = sum(len(f.warnings) for f in figures)
    click.echo(f"{len(figures)} articles, {flagged} damaged spans flagged"
               + (f", {controls} control character{'s' * (controls != 1)} flagged" if controls else "")
               + (f", {warned} Markdown warning{'s' * (warned != 1)}" if warned else ""))
    if strict and flagged:
        raise QualityError(f"{flagged} damaged spans are flagged (⟦…⟧); repair them by hand in corpus/*.md")
    if strict and controls:
        raise QualityError(f"{controls} control character{'s' * (controls != 1)} flagged; delete them in "
                           "corpus/*.md")
    if strict and warned:
        raise QualityError(f"{warned} Markdown warning{'s' * (warned != 1)} (tables, footnotes, code fences); "
                           "fix them in corpus/*.md")


@corpus.command("rules")
def rules_command() -> None:
    """List the cleaning rules in the order they run (the names --disable takes).

    \b
    Example:
      bitext corpus rules
    """
    from translate.corpus.rules import RULES

    for name, rule in RULES:
        click.echo(f"{name:<12} {(rule.__doc__ or '').strip().splitlines()[0]}")


COMMANDS = [corpus]
