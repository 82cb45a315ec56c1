"""A new edition's folder, as ``bitext init DIR`` lays it out.

``init_project(folder)`` writes ``edition.toml`` (every setting, commented out at
its default), ``corpus/raw/`` for the sources, ``glossary/terms.csv`` (the
header only) and a README saying what to do next. It never overwrites a file:
when one of them exists, nothing is written.

The commented ``edition.toml`` is generated from :data:`translate.settings.SETTINGS`,
the one declaration of every setting, so it follows every change there.
"""

from __future__ import annotations

import json
from pathlib import Path

from translate.errors import BitextError
from translate.glossary.termbase import new_file_text
from translate.outputs import write_atomic
from translate.resources import default_templates
from translate.settings import SETTINGS, SETTINGS_FILE, Setting

RAW_FOLDER = Path("corpus") / "raw"
GLOSSARY_FILE = Path("glossary") / "terms.csv"
README_FILE = Path("README.md")


class ProjectError(BitextError):
    """A new edition cannot be laid out where asked (a file is in the way)."""


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Path):
        value = value.as_posix()
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def _meaning(setting: Setting) -> str:
    """The setting's help with what it allows, for the comment above it."""
    allowed = ""
    if setting.choices:
        allowed = f"; one of {' | '.join(setting.choices)}"
    elif setting.range is not None:
        allowed = f"; {setting.range[0]} to {setting.range[1]}"
    return f"{setting.help}{allowed}"


def edition_toml() -> str:
    """A new edition's ``edition.toml``: every setting, commented out at its default, with its meaning."""
    lines = [
        "# Edition settings. Every key is optional: a missing key takes the default shown.",
        "# To change a setting, remove the '# ' in front of its key and edit the value.",
    ]
    table = None
    for setting in SETTINGS:
        if setting.table != table:
            table = setting.table
            lines += ["", f"[{table}]"]
        lines.append(f"# {_meaning(setting)}")
        value = '"…"' if setting.default is None else _toml_value(setting.default)
        lines.append(f"# {setting.key} = {value}")
    return "\n".join(lines) + "\n"


def readme(folder: Path) -> str:
    """The new edition's README: what to do next, command by command, run in the edition's folder."""
    return f"""# {folder.name}

A bilingual Chinese–English edition, built with `bitext`. Run every command below
in this folder.

1. Put the Chinese articles as scraped, one text file an article (UTF-8, GB18030,
   Big5 or UTF-16), in `corpus/raw/`.
2. Clean them into `corpus/<slug>.md`, the text that is translated:

       bitext corpus import corpus/raw/*

   `bitext corpus check` shows what the cleaner removed and what it could not repair;
   each `corpus/<slug>.log` names every character removed and why. Edit the
   `.md` files by hand where the cleaner got it wrong.
3. Add the terms whose English is fixed, one a line, in `glossary/terms.csv`
   (a spreadsheet can edit it), or:

       bitext glossary add 大模型 "large model" --kind concept
       bitext glossary check

4. Build the edition: `build/html/index.html`, the book `build/pdf/edition.pdf`
   and the quality report `build/report.json`:

       bitext build

   Without a zh→en model the English is a dictionary gloss, and the edition says so.
   For a machine translation, download Argos Translate's `translate-zh_en` package
   (an `.argosmodel` file, listed in the Argos Translate package index) on a machine
   with internet, copy it here and install it with
   `bitext model install translate-zh_en-1_9.argosmodel`; a build never downloads anything.
   `bitext build --no-pdf` skips the PDF (which needs a CJK font).

`edition.toml` lists every setting with its default. To change the look, copy a
template from bitext's defaults (in this installation: `{default_templates()}`)
into `templates/html/` or `templates/pdf/` here and edit it; files you do not
copy keep the defaults.
"""


def init_project(folder: Path | str) -> list[Path]:
    """Lay out a new edition in ``folder`` (created if needed); return the files and folders created.

    Raises :class:`ProjectError`, writing nothing, when a file it would write already exists.
    """
    folder = Path(folder)
    files = {
        SETTINGS_FILE: edition_toml(),
        GLOSSARY_FILE: new_file_text(),
        README_FILE: readme(folder.resolve()),
    }
    for name in [*files, RAW_FOLDER]:
        path = folder / name
        if path.exists() and not (name == RAW_FOLDER and path.is_dir()):
            raise ProjectError(f"already exists; bitext init never overwrites: choose a new folder, "
                               f"or move {name} out of the way", path=path)
    created = []
    raw = folder / RAW_FOLDER
    if not raw.is_dir():
        try:
            raw.mkdir(parents=True)
        except OSError as exc:
            raise ProjectError(f"cannot create the folder ({exc.strerror or exc})", path=raw) from exc
        created.append(raw)
    for name, text in files.items():
        created.append(write_atomic(folder / name, text))
    return created
