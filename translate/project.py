"""A new edition's folder, as ``bitext init DIR`` lays it out.

``init_project(folder)`` writes ``edition.toml`` (every setting, commented out at
its default), ``corpus/raw/`` for the sources, ``glossary/terms.csv`` (the
header only) and a README saying what to do next. It never overwrites a file:
when one of them exists, nothing is written.

The commented ``edition.toml`` is generated from the settings' own declarations
in :mod:`translate.settings` (names, tables, defaults, choices, the field
docstrings), so it follows every change there.
"""

from __future__ import annotations

import ast
import inspect
import json
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

from translate import settings as settings_module
from translate.errors import BitextError
from translate.glossary.termbase import new_file_text
from translate.outputs import write_atomic
from translate.resources import default_templates

SETTINGS_FILE = settings_module.SETTINGS_FILE
RAW_FOLDER = Path("corpus") / "raw"
GLOSSARY_FILE = Path("glossary") / "terms.csv"
README_FILE = Path("README.md")


class ProjectError(BitextError):
    """A new edition cannot be laid out where asked (a file is in the way)."""


@dataclass(frozen=True, slots=True)
class DeclaredSetting:
    """One key of ``edition.toml`` as :mod:`translate.settings` declares it."""

    table: str
    """The TOML table, e.g. ``translation``."""
    key: str
    """The key in that table, e.g. ``beam_size``."""
    default: object
    """The value a missing key takes (``None``: decided at run time)."""
    choices: tuple[str, ...]
    """The allowed values, when the setting has a fixed set."""
    help: str
    """What the setting means (the field's docstring)."""


def declared_settings() -> list[DeclaredSetting]:
    """Every key ``load_settings`` accepts, in declaration order."""
    defaults = {f.name: f.default for f in fields(settings_module.Settings) if f.default is not MISSING}
    helps = _field_docstrings(settings_module.Settings)
    choices = getattr(settings_module, "_CHOICES", {})
    return [
        DeclaredSetting(table, key, defaults.get(name), tuple(choices.get(name, ())), helps.get(name, ""))
        for (table, key), (name, _kind) in settings_module._KEYS.items()
    ]


def _field_docstrings(cls: type) -> dict[str, str]:
    """The string literal under each annotated field of a dataclass's source."""
    body = ast.parse(inspect.getsource(cls)).body[0].body
    found = {}
    for field, after in zip(body, body[1:]):
        if (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            found[field.target.id] = " ".join(after.value.value.split()).replace("``", "`")
    return found


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def edition_toml() -> str:
    """A new edition's ``edition.toml``: every setting, commented out at its default, with its meaning."""
    lines = [
        "# Edition settings. Every key is optional: a missing key takes the default shown.",
        "# To change a setting, remove the '# ' in front of its key and edit the value.",
    ]
    table = None
    for setting in declared_settings():
        if setting.table != table:
            table = setting.table
            lines += ["", f"[{table}]"]
        help = setting.help
        if setting.choices and not all(f"`{choice}`" in help for choice in setting.choices):
            help += f" One of: {' | '.join(setting.choices)}."
        if help:
            lines.append(f"# {help}")
        if setting.default is None:
            lines.append(f'# {setting.key} = "…"')
        else:
            lines.append(f"# {setting.key} = {_toml_value(setting.default)}")
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
