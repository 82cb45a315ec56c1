"""Printing user data to a terminal without letting it drive the terminal.

A glossary cell, an article's text or a file name can hold escape sequences
(``\\x1b]0;PWNED\\x07`` retitles the window; others move the cursor, rewrite
earlier lines or, on some terminals, answer back). Everything the CLI prints
that comes from user data goes through :func:`safe_for_terminal` (or
:func:`echo`), which shows each control character as a visible escape instead.
"""

from __future__ import annotations

from typing import Any

import click

from translate.inputs import CONTROL_CHARACTERS


def _visible(match) -> str:
    return f"\\x{ord(match.group()):02x}"


def safe_for_terminal(text: Any) -> str:
    """``text`` (made a string) with every control character but tab and line feed written as ``\\xNN``."""
    return CONTROL_CHARACTERS.sub(_visible, str(text))


def echo(message: Any = "", **kwargs) -> None:
    """:func:`click.echo` of ``message`` made safe for a terminal."""
    click.echo(safe_for_terminal(message), **kwargs)
