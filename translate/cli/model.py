"""`bitext model` commands: install and list Argos zh→en model packages (never downloads)."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.options import settings_from
from translate.cli.terminal import echo
from translate.errors import ModelPackageError


@click.group()
def model() -> None:
    """Install and list Argos Translate zh→en models.

    \b
    Example:
      bitext model install translate-zh_en-1_9.argosmodel
      bitext model list
    """


@model.command("install")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a package already installed under the same name.")
@click.pass_context
def install(ctx: click.Context, file: Path, force: bool) -> None:
    """Validate an .argosmodel archive and install it (into paths.models, else Argos's folder).

    \b
    Example:
      bitext model install ~/Downloads/translate-zh_en-1_9.argosmodel
      bitext model install translate-zh_en-1_9.argosmodel --force
    """
    from translate.translation.packages import install_package

    package = install_package(file, settings_from(ctx), force=force)
    echo(f"Installed {package.model_id} ({package.from_code}→{package.to_code}) into {package.path}")


@model.command("list")
@click.pass_context
def list_models(ctx: click.Context) -> None:
    """Show the installed models: name, version, languages and folder; a damaged one is an error.

    \b
    Example:
      bitext model list
    """
    from translate.translation.packages import installed_packages

    broken: list[ModelPackageError] = []
    packages = installed_packages(settings_from(ctx), broken=broken)
    if not packages and not broken:
        click.echo("No models installed.")
        return
    width = max((len(p.name) for p in packages), default=0)
    for p in packages:
        echo(f"{p.name:<{width}}  {p.version or '-':<8}  {p.from_code}→{p.to_code}  {p.path}")
    for error in broken[:-1]:
        echo(f"Error: {error}", err=True)
    if broken:
        raise broken[-1]


COMMANDS: list[click.Command] = [model]
