"""MkDocs hook: the pages generated from the code's own declarations.

- ``reference/settings.md``: the settings table, from ``translate.settings.SETTINGS``
  (through :func:`translate.settings.settings_reference`);
- ``reference/engines.md``: the engine table, from ``translate.engines.ENGINES``
  (through :func:`translate.engines.engine_reference`);
- ``reference/formats.md``: the interchange formats, from ``translate.formats.FORMATS``;
- ``reference/commands.md``: every command of the ``bitext`` click tree, its help,
  usage and options;
- ``changelog.md``: the repository's ``CHANGELOG.md``, so the history has one file.

Nothing is written into ``docs/``: the pages exist only in the build, so they
cannot drift from what they describe. ``mkdocs.yml`` names this file under ``hooks``.
"""

from __future__ import annotations

import html
import inspect
from pathlib import Path

import click
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]

SETTINGS_INTRO = """\
# Settings reference

Every setting lives in the edition's `edition.toml`, in the table its key names
(`translation.engine` is `engine` under `[translation]`). Every key has a default;
`bitext init` writes a commented `edition.toml` listing them all.

This page is generated from the settings' one declaration, `SETTINGS` in
`translate/settings.py` (type, default, allowed values, help), which also makes the
`Settings` dataclass, the loader's checks, `bitext init`'s file and the CLI's choices.
Every number has a range: a value out of it, or of the wrong type, is a one-line error
naming `edition.toml`, its line and what is allowed, e.g.
`Error: edition.toml:12: 'translation.beam_size' must be between 1 and 32, not 100000`.

"""

COMMANDS_INTRO = """\
# Command reference

Generated from the `bitext` command tree itself (`translate/cli/`): each command's
help, usage and options, as `bitext COMMAND --help` prints them.

Conventions for every command: errors are one line, `Error: file:line: what and how
to fix`, exit status 1 (usage errors 2); `--verbose` shows tracebacks; `--quiet` hides
progress bars (they never show when output is not a terminal). Every command but
`bitext init`, `bitext corpus rules` and `bitext model` works on an edition: the folder
holding `edition.toml` (the current folder or the nearest one above it), or the one
`--root DIR` names.

"""


def settings_page() -> str:
    """The settings reference, Markdown."""
    from translate.settings import settings_reference

    return SETTINGS_INTRO + settings_reference()


ENGINES_INTRO = """\
# Engine reference

Every engine `translation.engine` (or `--engine`) can name, what it can do beyond
translating sentences, the licence its colophon credits, and the settings it reads.
Generated from the engine table, `ENGINES` in `translate/engines.py`, which the settings'
choices, the engine opener and the colophon read too. How to choose and install one:
[Engines and models](../engines.md).

"""


def engines_page() -> str:
    """The engine reference, Markdown."""
    from translate.engines import engine_reference

    return ENGINES_INTRO + engine_reference()


FORMATS_INTRO = """\
# Format reference

Every file format bitext reads or writes for translators' and terminologists' tools.
Generated from the format registry, `FORMATS` in `translate/formats.py` (in the style of
Translate Toolkit's storage classes), which the `--format` choices, the post-editing
import (which tells formats apart by content) and the glossary import (by file name) read
too. How the files are used: [Post-editing](../postedit.md) and [Glossary](../glossary.md).

"""

_WRITES = {"article": "one file per article (`bitext postedit export --format`)",
           "edition": "the edition's edited segments (`bitext postedit tmx`)",
           "terms": "the termbase (`bitext glossary export --format`)", "": "—"}
_READS = {"segments": "`bitext postedit import` (by content)", "terms": "`bitext glossary import` (by suffix)"}


def formats_page() -> str:
    """The format reference, Markdown: a row per format of the registry."""
    from translate.formats import FORMATS

    lines = [FORMATS_INTRO, "| format | name | holds | suffixes | read by | written as | store |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for f in FORMATS:
        suffixes = ", ".join(f"`{s}`" for s in f.suffixes)
        reads = _READS[f.kind] if f.reads else "—"
        lines.append(f"| {_escape(f.label)} | `{f.name}` | {f.kind} | {suffixes} | {reads} | {_WRITES[f.writes]} "
                     f"| `{f.opener}` |")
    return "\n".join(lines) + "\n"


def _commands(group: click.Group, parent: click.Context):
    """Every command under ``group``, each with a context whose parents pass down ``-h``."""
    for name, command in sorted(group.commands.items()):
        ctx = click.Context(command, info_name=name, parent=parent)
        yield ctx
        if isinstance(command, click.Group):
            yield from _commands(command, ctx)


def _help_markdown(text: str) -> list[str]:
    """Click help as Markdown: a ``\\b`` paragraph (kept as written) becomes a code block."""
    lines: list[str] = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith("\b"):
            body = paragraph[1:].strip("\n").splitlines()
            title = body[0].strip() if body and body[0].strip().endswith(":") else None
            code = body[1:] if title else body
            if title:
                lines += [f"*{title}*", ""]
            indent = min((len(l) - len(l.lstrip()) for l in code if l.strip()), default=0)
            lines += ["```sh", *(l[indent:] for l in code), "```", ""]
        else:
            lines += [html.escape(" ".join(paragraph.split()), quote=False), ""]
    return lines


def _escape(text: str) -> str:
    """A table cell's text: no pipe ends the cell, no ``<word>`` is taken for HTML."""
    return html.escape(text, quote=False).replace("|", "\\|")


def command_section(ctx: click.Context, level: int) -> list[str]:
    """One command's section: heading, help, usage, options."""
    command, path = ctx.command, ctx.command_path
    lines = [f"{'#' * level} `{path}`", ""]
    lines += _help_markdown(command.help or "")
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines += ["```text", f"{path} {usage}".rstrip(), "```", ""]
    records = [p.get_help_record(ctx) for p in command.get_params(ctx)]
    records = [r for r in records if r]
    if records:
        lines += ["| option | meaning |", "| --- | --- |"]
        # Python-Markdown's tables split no cell at a pipe inside a code span.
        lines += [f"| `{opts}` | {_escape(' '.join(help.split()))} |" for opts, help in records]
        lines.append("")
    if isinstance(command, click.Group):
        names = ", ".join(f"`{path} {name}`" for name in sorted(command.commands))
        lines += [f"Commands: {names}.", ""]
    return lines


def commands_page() -> str:
    """The command reference, Markdown: the root command, then every command in the tree."""
    from translate.cli import cli

    root = click.Context(cli, info_name="bitext", **cli.context_settings)
    lines = [COMMANDS_INTRO]
    lines += command_section(root, 2)
    for ctx in _commands(cli, root):
        lines += command_section(ctx, 2 if ctx.command_path.count(" ") == 1 else 3)
    return "\n".join(lines)


def on_files(files, config):
    """Add the generated pages to the site."""
    pages = {
        "reference/settings.md": settings_page(),
        "reference/engines.md": engines_page(),
        "reference/formats.md": formats_page(),
        "reference/commands.md": commands_page(),
        "changelog.md": (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
    }
    for uri, content in pages.items():
        files.append(File.generated(config, uri, content=content))
    return files
