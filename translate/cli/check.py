"""``bitext check``: the edition's quality report."""

from __future__ import annotations

import json

import click

from translate.cli.options import engine_option, fail_on_warnings, settings_from, strict_option


@click.command()
@engine_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@strict_option
@click.pass_context
def check(ctx: click.Context, engine: str | None, as_json: bool, strict: bool) -> None:
    """Check the translation: term success, violations, suspicious output, damaged spans.

    Translates what is not yet in the translation memory, then checks; renders nothing.
    With --strict, exits 1 on any warning: glossary violations, stale edits, damaged
    spans, QA flags no translator's comment explains, or segments whose English is the
    dictionary gloss (a gloss is not a translation; translation.allow_gloss = true accepts it).

    \b
    Example:
      bitext check --strict
    """
    from translate.pipeline import check_project
    from translate.quality import summary_table

    settings = settings_from(ctx)
    report = check_project(settings, engine_name=engine)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary_table(report))
        for row in report.articles:
            for v in row.violations:
                click.echo(f"violation: {v['article']} {v['segment']}: {v['term']} → expected "
                           f"{v['expected']!r}, got {v['got']!r}")
    fail_on_warnings(report, strict, settings)


COMMANDS = [check]
