"""A new edition's folder, as ``bitext init DIR`` lays it out.

``init_project(folder)`` writes ``edition.toml`` (every setting, commented out at
its default), ``corpus/raw/`` for the sources, ``glossary/terms.csv`` (the
header only) and a README saying what to do next (cleaning, the glossary,
building, engines and models, post-editing, the live preview, templates). It
never overwrites a file: when one of them exists, nothing is written.

The commented ``edition.toml`` is generated from :data:`translate.settings.SETTINGS`,
the one declaration of every setting, so it follows every change there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from translate.engines import ENGINES
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


def edition_toml(values: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """An ``edition.toml``: every setting with its meaning, commented out at its default unless ``values`` sets it.

    ``values`` is what an edition sets (``tomllib``'s tables): those keys are written
    switched on, with their value. ``bitext init`` writes it with none set; the
    repository's own ``edition.toml`` is it with the repository's values (a test
    keeps the two the same), so neither can miss a table, a key or a choice.
    """
    values = values or {}
    known = {(s.table, s.key) for s in SETTINGS}
    unknown = [f"{table}.{key}" for table, keys in values.items() for key in keys if (table, key) not in known]
    if unknown:
        raise ProjectError(f"unknown setting(s) {', '.join(unknown)}; the settings are those of translate.settings")
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
        chosen = values.get(setting.table, {})
        if setting.key in chosen:
            lines.append(f"{setting.key} = {_toml_value(chosen[setting.key])}")
        else:
            value = '"…"' if setting.default is None else _toml_value(setting.default)
            lines.append(f"# {setting.key} = {value}")
    return "\n".join(lines) + "\n"


#: What each table of ``edition.toml`` is for (the new edition's README lists them; a test keeps it complete).
TABLE_NOTES = {
    "edition": "the title, subtitle and translators credited",
    "paths": "where the corpus, the termbase, your templates, the build and the models are",
    "translation": "the engine and model, beam and batch sizes, the device (CPU or GPU)",
    "llm": "the LLM server of the `llm` engine: address, model, key, prompt",
    "display": "the script shown, the first HTML view, remote images",
    "layout": "the PDF's page size, fonts and processes",
    "epub": "the EPUB's paragraph order and embedded font",
    "cluster": "a Ray cluster to translate and set the PDF on (`bitext build --cluster`)",
}

def readme(folder: Path) -> str:
    """The new edition's README: what to do next, command by command, run in the edition's folder."""
    from translate.serve import REQUIREMENTS
    from translate.translation.folders import default_models_dir
    from translate.translation.packages import default_packages_dir

    engine = next(s for s in SETTINGS if (s.table, s.key) == ("translation", "engine"))
    engines = "\n".join(f"   - `{choice}`: {ENGINES[choice].description}" for choice in engine.choices)
    tables = "\n".join(f"- `[{table}]`: {TABLE_NOTES[table]}" for table in dict.fromkeys(s.table for s in SETTINGS))
    templates = default_templates()
    kinds = sorted(p.name for p in templates.iterdir() if p.is_dir()) if templates.is_dir() else []
    copies = ", ".join(f"`templates/{kind}/`" for kind in kinds)
    serve = ", ".join(dist for _, dist in REQUIREMENTS)
    return f"""# {folder.name}

A bilingual Chinese–English edition, built with `bitext`. Run every command below
in this folder (or a folder below it: bitext finds `edition.toml` as git finds its
repository).

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

4. Build the edition: the website `build/html/index.html`, the book
   `build/pdf/edition.pdf`, the e-book `build/epub/edition.epub` and the quality
   report `build/report.json`:

       bitext build

   `bitext build --no-pdf` skips the PDF (which needs a CJK font), `--no-epub` the EPUB.
5. Choose how the English is made: `translation.engine` in `edition.toml`, or
   `bitext build --engine NAME`:

{engines}

   Without a model the English is a dictionary gloss, and the edition says so. A build
   never downloads anything: bring a model from a machine with internet and install it,
   an Argos package or a converted CTranslate2 folder:

       bitext model install translate-zh_en-1_9.argosmodel
       bitext model install opus-mt-zh-en
       bitext model list

   Argos packages go into `{default_packages_dir()}`, CTranslate2 folders into
   `{default_models_dir()}` (on this machine), unless `paths.models` in `edition.toml`
   names another folder.
6. Post-edit the English. Translators edit `corpus/<slug>.en.po` (one per article,
   Poedit or any PO editor), or work in a CAT tool with XLIFF (or PO) files:

       bitext postedit export                        # build/postedit/<slug>.xlf, one per article
       bitext postedit import build/postedit/*.xlf   # checks every file, then merges
       bitext postedit status                        # per article: edited, stale, machine, gloss

   The next `bitext build` uses the edited English, labelled as such.
7. Preview as you work: `bitext serve --open` serves the edition on this machine,
   rebuilds it when an input changes and lets you correct the English in the page.
   It needs the `serve` extra ({serve}) in bitext's environment:
   `pipx inject bitext {' '.join(d for _, d in REQUIREMENTS)}` (pipx), or
   `pip install 'PATH/TO/bitext[serve]'` (pip; the clone you installed from).
   Without it `bitext serve` says which command installs it.

`edition.toml` lists every setting with its meaning and default, by table:

{tables}

To change the look (or the LLM's prompt), copy a template from bitext's defaults
(in this installation: `{templates}`) into the same folder here,
{copies}, and edit it; files you do not copy keep the defaults.
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
