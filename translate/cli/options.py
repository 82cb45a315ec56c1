"""Options shared by several commands, and the settings they resolve to."""

from __future__ import annotations

import click

from translate.settings import Settings, load_settings


def settings_from(ctx: click.Context) -> Settings:
    """The edition settings for the project folder given by ``--root``."""
    return load_settings(ctx.obj["root"] if ctx.obj else ".")


strict_option = click.option(
    "--strict", is_flag=True, help="Exit 1 when there are warnings (violations, flagged spans)."
)
