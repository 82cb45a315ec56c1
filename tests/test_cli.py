"""The CLI spine: help everywhere, every command documented, errors as one line."""

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from translate.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def all_commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from all_commands(command, path + " ")


COMMANDS = list(all_commands(cli))


def test_there_are_commands_for_every_stage():
    names = {path for path, _ in COMMANDS}
    assert {"build", "check", "corpus import", "corpus check", "glossary check", "glossary show",
            "model install", "model list"} <= names


def examples(command: click.Command) -> list[list[str]]:
    """The command lines under ``Example:`` in a command's help, cut before any shell redirection or comment."""
    help = command.help or ""
    lines = help.split("Example:", 1)[1].strip().splitlines() if "Example:" in help else []
    found = []
    for line in lines:
        words = shlex.split(line, comments=True)
        cut = next((i for i, word in enumerate(words) if word in (">", ">>", "|", "&&", ";", "<")), len(words))
        found.append(words[:cut])
    return found


def _pending(ctx: click.Context) -> list[str]:
    """A group's words left for its subcommand (``protected_args`` became private in click 8.2)."""
    protected = ctx._protected_args if hasattr(ctx, "_protected_args") else ctx.protected_args
    return [*protected, *ctx.args]


def reached(args: list[str]) -> click.Command:
    """The command a command line reaches, parsed (options, arguments, types) as click would, not run."""
    ctx = cli.make_context("bitext", list(args))
    command: click.Command = cli
    rest = _pending(ctx)
    while isinstance(command, click.Group) and rest:
        name, command, rest = command.resolve_command(ctx, rest)
        ctx = command.make_context(name, rest, parent=ctx)
        rest = _pending(ctx) if isinstance(command, click.Group) else []
    return command


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, command):
    result = CliRunner().invoke(cli, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    summary = (command.help or "").strip().split("\n")[0]
    assert summary[:1].isupper() and summary.endswith("."), f"bitext {path}: the help starts with {summary!r}"
    assert summary in " ".join(result.output.split())
    if not isinstance(command, click.Group):
        assert "Example:" in result.output, f"bitext {path} --help has no example"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_example_is_a_valid_command_line_of_its_command(path, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for words in examples(command):
        assert words[:1 + len(path.split())] == ["bitext", *path.split()], f"{words} is not an example of {path}"
        for word in words:
            if not word.startswith(("-", "~", "/")) and Path(word).suffix:  # files the example names exist
                (tmp_path / word).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / word).touch()
        target = reached(words[1:])
        if not isinstance(command, click.Group):
            assert target is command, f"{shlex.join(words)} runs {target.name}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_is_in_the_readme(path, command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`bitext {re.escape(path)}\b", readme), f"bitext {path} is not documented in README.md"


def test_usage_error_exits_2():
    result = CliRunner().invoke(cli, ["build", "--engine", "nonsense"])
    assert result.exit_code == 2


def test_library_error_is_one_line_without_traceback(tmp_path):
    (tmp_path / "edition.toml").write_text("[layout]\npage_size = 'B5'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "build"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path}/edition.toml:2: 'layout.page_size' must be one of A4, Letter, A5, not 'B5'\n"
    )
    assert "Traceback" not in result.output


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "translate", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "bitext, version 0.1.0"


def test_error_lines_cannot_drive_the_terminal():
    """An error quoting user data (here a term) shows its control characters, never sends them."""
    from click.testing import CliRunner

    from translate.cli import cli

    result = CliRunner().invoke(cli, ["glossary", "show", "\x1b]0;PWNED\x07"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\\x1b]0;PWNED\\x07" in result.output


#: Commands that work without an edition: starting one, the cleaning rules, the models (installed per user).
ANYWHERE = {"init", "corpus rules", "model install", "model download", "model list"}
EDITION_COMMANDS = [(p, c) for p, c in COMMANDS if not isinstance(c, click.Group) and p not in ANYWHERE]


def _dummy_arguments(command: click.Command, existing: Path) -> list[str]:
    """One value per required argument: a file that exists outside the folder under test."""
    return [str(existing) for p in command.params if isinstance(p, click.Argument) and p.required]


@pytest.mark.parametrize(("path", "command"), EDITION_COMMANDS, ids=[p for p, _ in EDITION_COMMANDS])
def test_a_command_outside_an_edition_says_how_to_start_one_and_writes_nothing(path, command, tmp_path,
                                                                                monkeypatch):
    existing = tmp_path / "input.txt"
    existing.write_text("x\n", encoding="utf-8")
    empty = tmp_path / "empty" / "deeper"
    empty.mkdir(parents=True)
    monkeypatch.chdir(empty)
    result = CliRunner().invoke(cli, [*path.split(), *_dummy_arguments(command, existing)])
    assert (result.exit_code, result.output) == (1, (
        f"Error: no edition.toml in {empty} or any folder above it; start an edition here with `bitext init`, "
        "or run bitext in an edition's folder (or give it with --root)\n"))
    assert list((tmp_path / "empty").rglob("*")) == [empty] and list(empty.iterdir()) == []


def test_root_names_the_edition_folder_itself(tmp_path):
    (tmp_path / "edition.toml").write_text("", encoding="utf-8")
    inner = tmp_path / "articles"
    inner.mkdir()
    result = CliRunner().invoke(cli, ["--root", str(inner), "glossary", "list"])
    assert (result.exit_code, result.output) == (1, (
        f"Error: {inner}: no edition.toml in this folder; start an edition there with `bitext init {inner}`, "
        "or give --root the folder that holds edition.toml\n"))
    assert list(inner.iterdir()) == []


def test_a_command_in_a_folder_of_an_edition_finds_the_edition_above(tmp_path, monkeypatch):
    (tmp_path / "edition.toml").write_text("", encoding="utf-8")
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "terms.csv").write_text("zh,en,variants,keep,case,kind,note\n大模型,large model,,,,,\n",
                                                     encoding="utf-8")
    (tmp_path / "corpus" / "raw").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "corpus" / "raw")
    result = CliRunner().invoke(cli, ["glossary", "list"])
    assert result.exit_code == 0, result.output
    assert "大模型" in result.output and "large model" in result.output


def test_model_list_works_outside_an_edition(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    result = CliRunner().invoke(cli, ["model", "list"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "build").exists()


def test_the_cli_loads_without_the_translate_stage():
    """``bitext --help`` stays fast: no command module imports the translate stage or the cleaner to define its
    options (``model download --quantization`` once pulled both in, ~0.1 s, for a tuple of names)."""
    import subprocess
    import sys

    code = ("import sys; from translate.cli import cli\n"
            "print(sorted(m for m in sys.modules if m.startswith(('translate.translation', 'translate.corpus'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
