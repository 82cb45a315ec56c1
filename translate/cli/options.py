"""Options shared by several commands, and the settings they resolve to.

Each option is declared once here; choices and defaults come from the settings
declaration (:data:`translate.settings.SETTINGS`), so the CLI and ``edition.toml``
never disagree.
"""

from __future__ import annotations

from pathlib import Path

import click

from translate.errors import SettingsError
from translate.settings import SETTINGS, Settings, find_root, load_settings


def settings_from(ctx: click.Context, *, edition: bool = True) -> Settings:
    """The edition's settings: of the folder given by ``--root``, else of the current folder or the nearest above.

    Outside an edition this raises (saying how to start one) before anything is
    written; with ``edition=False`` (commands that work anywhere) the defaults of the
    current folder are used instead.
    """
    root = ctx.obj.get("root") if ctx.obj else None
    if root is not None:
        return load_settings(find_root(root, above=False))
    try:
        folder = find_root()
    except SettingsError:
        if edition:
            raise
        folder = Path.cwd()
    return load_settings(folder)


def _setting(table: str, key: str):
    return next(s for s in SETTINGS if (s.table, s.key) == (table, key))


_ENGINE = _setting("translation", "engine")

engine_option = click.option(
    "--engine", type=click.Choice(list(_ENGINE.choices)), default=None,
    help=f"Translation engine (default: translation.engine in edition.toml, else {_ENGINE.default}).",
)

strict_option = click.option(
    "--strict", is_flag=True,
    help="Exit 1 on any warning: glossary violations, stale edits, damaged spans, unexplained QA flags, "
         "dictionary-gloss segments (unless translation.allow_gloss).",
)


def fail_on_warnings(report, strict: bool, settings: Settings) -> None:
    """With ``--strict``, stop with exit 1 naming every kind of warning the report has (mkdocs' --strict)."""
    from translate.errors import QualityError
    from translate.models import GLOSS_SEGMENTS

    warnings = report.warnings(allow_gloss=settings.allow_gloss)
    if strict and warnings:
        kinds = ", ".join(f"{n} {kind}" for kind, n in warnings.items())
        how = (": a dictionary gloss is not a translation; install a model (`bitext model install`) or edit those "
               "segments, or accept the gloss with translation.allow_gloss = true in edition.toml"
               if GLOSS_SEGMENTS in warnings else "")
        raise QualityError(f"{kinds} (see build/report.json); --strict{how}")
