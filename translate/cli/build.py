"""``bitext build``: the whole edition in one command."""

from __future__ import annotations

import click

from translate.cli.options import settings_from, strict_option
from translate.errors import QualityError


@click.command()
@click.option("--engine", type=click.Choice(["auto", "argos", "gloss"]), default=None,
              help="Translation engine (default: translation.engine in edition.toml, else auto).")
@click.option("--no-cache", is_flag=True, help="Bypass the translation memory.")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF edition (faster previews).")
@click.option("--wait", is_flag=True, help="Wait for another running build instead of stopping.")
@strict_option
@click.pass_context
def build(ctx: click.Context, engine: str | None, no_cache: bool, no_pdf: bool, wait: bool, strict: bool) -> None:
    """Build the edition: HTML, PDF and report into build/.

    \b
    Example:
      bitext build
      bitext build --engine gloss --no-pdf
    """
    from translate.pipeline import build_edition
    from translate.quality import summary_table

    settings = settings_from(ctx)
    result = build_edition(settings, engine_name=engine, use_cache=not no_cache, pdf=not no_pdf, wait=wait)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(summary_table(result.edition.report))
    click.echo(f"Wrote {len(result.outputs)} files to {settings.build_dir}")
    totals = result.edition.report.get("edition", {})
    if strict and (totals.get("violations") or totals.get("flags") or totals.get("damaged_spans")):
        raise QualityError("the edition has violations or flagged segments (see build/report.json)")


COMMANDS = [build]
