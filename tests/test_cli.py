"""The CLI spine: help everywhere, every command documented, errors as one line."""

import re
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


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, command):
    result = CliRunner().invoke(cli, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert command.help and len(command.help.strip()) > 10
    if not isinstance(command, click.Group):
        assert "Example:" in result.output, f"bitext {path} --help has no example"


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
