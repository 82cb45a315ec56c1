"""The ``bitext`` command line: a thin layer over the library.

Each command parses options, calls one library function and prints a summary.
Library errors (:class:`translate.errors.BitextError`) become ``Error: …`` and
exit status 1; usage errors exit 2; tracebacks only with ``--verbose``.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from translate import __version__, progress
from translate.errors import BitextError


class BitextGroup(click.Group):
    """A click group that turns library errors into one-line messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BitextError as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            from translate.cli.terminal import safe_for_terminal

            # Messages quote user data (cells, names): nothing in them may drive the terminal.
            click.echo(f"Error: {safe_for_terminal(exc)}", err=True)
            sys.exit(1)


@click.group(cls=BitextGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bitext")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Edition folder holding edition.toml (default: the current folder, else the nearest folder "
                   "above it that holds one).")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.pass_context
def cli(ctx: click.Context, root: Path, verbose: bool, quiet: bool) -> None:
    """Build bilingual Chinese–English editions from Chinese articles, offline.

    \b
    Example:
      bitext build            # corpus → glossary → translate → HTML + PDF + report
      bitext glossary show 大模型
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    ctx.obj["verbose"] = verbose
    progress.QUIET = quiet


def _register() -> None:
    from translate.cli import align, build, check, corpus, glossary, init, model, postedit, serve

    for module in (align, build, check, corpus, glossary, init, model, postedit, serve):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(obj={})
