"""Files the tool ships besides its code: the default HTML and PDF templates.

A wheel carries the repository's ``templates/`` as package data in
``translate/templates`` (``pyproject.toml``, hatch ``force-include``); an
editable install or a checkout has no copy there and uses the repository's own
``templates/``. An edition's ``paths.templates`` overrides these file by file.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def default_templates() -> Path:
    """The folder holding the default ``html/`` and ``pdf/`` templates."""
    packaged = _PACKAGE / "templates"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "templates"
