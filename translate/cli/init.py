"""``bitext init``: start a new edition in a folder of its own."""

from __future__ import annotations

import shlex
from pathlib import Path

import click


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
def init(folder: Path) -> None:
    """Start a new edition in FOLDER: edition.toml, corpus/raw/, glossary/terms.csv and a README.

    Every setting is in edition.toml, commented out at its default. Nothing that
    exists is overwritten.

    \b
    Example:
      bitext init my-edition
      bitext init            # in the current folder
    """
    from translate.project import init_project

    for path in init_project(folder):
        click.echo(f"Created {path}")
    step = f"cd {shlex.quote(str(folder))}, put" if folder != Path(".") else "Put"
    click.echo(f"Next: {step} the Chinese articles in corpus/raw/ and run `bitext corpus import corpus/raw/*` "
               f"(README.md says the rest)")


COMMANDS: list[click.Command] = [init]
