"""``bitext build``: the whole edition in one command."""

from __future__ import annotations

import click

from translate.cli.options import engine_option, fail_on_warnings, settings_from, strict_option


@click.command()
@engine_option
@click.option("--no-cache", is_flag=True, help="Bypass the translation memory.")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF edition (faster previews).")
@click.option("--no-epub", is_flag=True, help="Skip the EPUB edition.")
@click.option("--wait", is_flag=True, help="Wait for another running build instead of stopping.")
@strict_option
@click.pass_context
def build(ctx: click.Context, engine: str | None, no_cache: bool, no_pdf: bool, no_epub: bool, wait: bool,
          strict: bool) -> None:
    """Build the edition: HTML, EPUB, PDF and report into build/.

    Runs corpus → glossary → translate → check → render. Nothing is redone when
    no input changed since the last build.

    \b
    Example:
      bitext build
      bitext build --engine gloss --no-pdf
    """
    from translate.pipeline import build_edition
    from translate.quality import summary_table

    settings = settings_from(ctx)
    result = build_edition(settings, engine_name=engine, use_cache=not no_cache, pdf=not no_pdf, epub=not no_epub,
                           wait=wait)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    report = result.edition.report
    click.echo(summary_table(report))
    if result.skipped:
        click.echo(f"Nothing changed since the last build; {len(result.outputs)} files in {settings.build_dir} are current")
    else:
        hits = sum(a.cache_hits for a in report.articles)
        misses = sum(a.cache_misses for a in report.articles)
        click.echo(f"Translation memory: {hits} sentences remembered, {misses} translated")
        click.echo(f"Wrote {len(result.outputs)} files to {settings.build_dir}")
    fail_on_warnings(report, strict, settings)


COMMANDS = [build]
