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


class _RulesOption(click.Option):
    """An option whose help names the cleaning rules in order, read from the rule table only when help is shown
    (importing the rules takes a quarter of a second; ``--help`` stays instant)."""

    def get_help_record(self, ctx: click.Context):
        from translate.corpus.rules import RULE_NAMES

        self.help = f"Skip a cleaning rule by name (repeatable). Rules, in order: {', '.join(RULE_NAMES)}."
        return super().get_help_record(ctx)


def _prose_warnings(source: str, report, article: Path | None = None) -> int:
    """Print a warning for each line of prose the cleaning removed or moved (bounded); return how many there are.

    Each names the source file and line and the rule; ``article`` is the article the source became.
    """
    where = f" ({article})" if article is not None else ""
    for warning in report.warnings:
        echo(f"Warning: {source}:{warning.line}{where}: {warning.message}")
    if report.more_warnings:
        echo(f"Warning: {source}{where}: {report.more_warnings} more lines that read as prose were removed or moved "
             "(each is in the cleaning log)")
    return report.warning_count


def _review(source: str, report, log: Path) -> None:
    """List the cleaning's close calls: the chrome decisions taken by the smallest margin, closest first."""
    if not report.review:
        return
    echo(f"Close calls in {log.stem} (chrome decisions by a small margin, closest first; check each line):")
    for decision in report.review:
        text = decision.text if len(decision.text) <= 60 else decision.text[:59] + "…"
        echo(f"  {source}:{decision.line}: {decision.decision} 「{text}」 — {decision.why}")
    if report.more_review:
        echo(f"  … and {report.more_review} more in {log}")


def _prose_failure(count: int) -> QualityError:
    return QualityError(f"{count} line{'s' * (count != 1)} that read{'s' * (count == 1)} as prose "
                        f"{'were' if count != 1 else 'was'} removed or moved into the front matter (warnings above); "
                        "put each back in the article by hand, or re-import with --disable RULE")


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
@click.option("--strict", is_flag=True,
              help="Exit 1 when a line that reads as prose was removed or moved into the front matter "
                   "(the articles are written all the same).")
@click.option("--force", is_flag=True, help="Overwrite articles that were edited by hand.")
@click.option("--disable", "disabled", multiple=True, metavar="RULE", cls=_RulesOption,
              help="Skip a cleaning rule by name (repeatable).")
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], force: bool, disabled: tuple[str, ...],
                   strict: bool) -> None:
    """Clean raw source files into corpus/<slug>.md, with a cleaning log each.

    A hand-edited article is never overwritten without --force; importing an
    article that is already clean changes nothing. A line that reads as prose
    (a sentence, a question, a speaker's turn) that a rule removed or moved into
    the front matter is a warning naming the source's file, line and rule;
    --strict exits 1 on any.

    \b
    Example:
      bitext corpus import corpus/raw/*.txt
      bitext corpus import --force --disable pinyin corpus/raw/002_6e338a6dd3e78412.txt
      bitext corpus import --strict corpus/raw/interview.txt
    """
    from translate.corpus import import_sources

    settings = settings_from(ctx)
    paths = [p if p.is_absolute() else (Path.cwd() / p) for p in files]
    results = import_sources(paths, settings.corpus_dir, force=force, disabled=frozenset(disabled))
    prose = 0
    for r in results:
        note = "  (hand-edited; kept — use --force to overwrite)" if r.status == "kept" else ""
        echo(f"{r.slug}: {r.status}, {r.paragraphs} paragraphs, {r.removed} characters removed, "
             f"{r.repaired} spans repaired, {r.damaged} damaged{note}")
        _control_warnings(r.path)
        prose += _prose_warnings(r.source, r.cleaning)
    if strict and prose:
        raise _prose_failure(prose)


@corpus.command("check")
@strict_option
@click.pass_context
def check_command(ctx: click.Context, strict: bool) -> None:
    """Show each article's cleaning figures, warnings and close calls; --strict exits 1 while any is flagged.

    Warnings: Markdown that reads otherwise than written, control characters, and
    lines that read as prose which cleaning removed or moved into the front matter
    (from each article's cleaning log). Close calls: the chrome decisions taken by
    the smallest margin, at most 20 an article, for a person to confirm.

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
    prose = sum(_prose_warnings(f.source, f.cleaning, corpus_dir / f"{f.slug}.md") for f in figures)
    for f in figures:
        _review(f.source, f.cleaning, corpus_dir / f"{f.slug}.log")
    flagged = sum(f.flagged for f in figures)
    warned = sum(len(f.warnings) for f in figures)
    click.echo(f"{len(figures)} articles, {flagged} damaged spans flagged"
               + (f", {controls} control character{'s' * (controls != 1)} flagged" if controls else "")
               + (f", {warned} Markdown warning{'s' * (warned != 1)}" if warned else "")
               + (f", {prose} prose line{'s' * (prose != 1)} removed or moved" if prose else ""))
    if strict and flagged:
        raise QualityError(f"{flagged} damaged spans are flagged (⟦…⟧); repair them by hand in corpus/*.md")
    if strict and controls:
        raise QualityError(f"{controls} control character{'s' * (controls != 1)} flagged; delete them in "
                           "corpus/*.md")
    if strict and warned:
        raise QualityError(f"{warned} Markdown warning{'s' * (warned != 1)} (tables, footnotes, code fences); "
                           "fix them in corpus/*.md")
    if strict and prose:
        raise _prose_failure(prose)


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
