"""``bitext build``: the whole edition in one command."""

from __future__ import annotations

import click

from translate.cli.options import engine_option, fail_on_warnings, settings_from, strict_option
from translate.render.builders import Builder, builders

_SKIP_OPTIONS: dict[Builder, click.Option] = {}


def _skip_option(builder: Builder) -> click.Option:
    """``--no-<name>`` of an output a build may skip (one object per builder, as click compares them by identity)."""
    if builder not in _SKIP_OPTIONS:
        _SKIP_OPTIONS[builder] = click.Option([f"--no-{builder.name}"], is_flag=True, help=builder.skip_help)
    return _SKIP_OPTIONS[builder]


class BuildCommand(click.Command):
    """A command with a ``--no-<name>`` option for every output a build may skip, from the builders' registry.

    The options follow the registry when the command runs, so an output registered later has its option too.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._help_template = self.help
        self.follow_registry()

    def follow_registry(self) -> None:
        """Name the outputs in the help, and put their ``--no-<name>`` options after ``--no-cache``."""
        names = [b.name.upper() for b in builders()]
        skip = next((f" --no-{b.name}" for b in builders() if b.optional), "")
        self.help = self._help_template.format(outputs=", ".join(names), skip=skip)
        own = [param for param in self.params if param not in _SKIP_OPTIONS.values()]
        at = next((n + 1 for n, param in enumerate(own) if param.name == "no_cache"), len(own))
        self.params[:] = [*own[:at], *(_skip_option(b) for b in builders() if b.optional), *own[at:]]

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        self.follow_registry()
        return super().get_params(ctx)


@click.command(cls=BuildCommand)
@engine_option
@click.option("--no-cache", is_flag=True, help="Bypass the translation memory.")
@click.option("--wait", is_flag=True, help="Wait for another running build instead of stopping.")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Translate and set the PDF parts on a Ray cluster (HOST:PORT, ray://HOST:PORT, or local); "
                   "default: [cluster] address, else here.")
@strict_option
@click.pass_context
def build(ctx: click.Context, engine: str | None, no_cache: bool, wait: bool, cluster: str | None, strict: bool,
          **skips: bool) -> None:
    """Build the edition: {outputs} and report into build/.

    Runs corpus → glossary → translate → check → render. Nothing is redone when
    no input changed since the last build.

    \b
    Example:
      bitext build
      bitext build --engine gloss{skip}
      bitext build --cluster 10.0.0.5:6379
    """
    from translate.pipeline import build_edition
    from translate.quality import summary_table

    settings = settings_from(ctx)
    skipped = {name.removeprefix("no_"): False for name, skip in skips.items() if skip}
    address = settings.cluster_address if cluster is None else cluster
    backend = None
    if address:
        from translate.cluster import open_backend

        backend = open_backend(address, settings)
    try:
        result = build_edition(settings, engine_name=engine, use_cache=not no_cache, wait=wait, backend=backend,
                               **skipped)
    finally:
        if backend is not None:
            backend.close()
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
