"""The YAML front matter of a cleaned article: written in a fixed key order, read strictly."""

from __future__ import annotations

import re

import yaml

from translate.errors import CorpusError
from translate.inputs import quoted

#: Every key a cleaned article may have, in the order they are written.
KEYS = ("title", "title_original", "source_file", "script", "authors", "editors", "publication", "date",
        "interviewers", "cleaning")
REQUIRED = ("title", "source_file", "script")
#: Keys whose value is one text (a YAML number, map, list or ``!!binary`` there is a mistake).
TEXT_KEYS = ("title", "title_original", "source_file", "publication")
_FENCE = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*\n", re.S)


def split(text: str, path: str = "") -> tuple[dict | None, str, int]:
    """(front matter or None, body, line number of the body's first line)."""
    match = _FENCE.match(text)
    if not match:
        return None, text, 1
    try:
        data = yaml.safe_load(match.group("yaml") or "") or {}
    except RecursionError:
        raise CorpusError("front matter is nested too deeply to read; a value is a plain text, a list of texts "
                          "or a map of counts", path=path, line=2) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        raise CorpusError(f"front matter is not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax",
                          path=path, line=(mark.line + 2) if mark else 1) from exc
    if not isinstance(data, dict):
        raise CorpusError("front matter must be a mapping of keys to values", path=path, line=2)
    return data, text[match.end():], text[:match.end()].count("\n") + 1


def validate(data: dict, text: str, path: str) -> None:
    """Raise :class:`CorpusError` naming the line of an unknown key, a missing key or a bad value."""
    for key in data:
        if key not in KEYS:
            raise CorpusError(f"unknown front-matter key {quoted(key)} (known: {', '.join(KEYS)})",
                              path=path, line=key_line(text, key))
    for key in REQUIRED:
        if not data.get(key):
            raise CorpusError(f"front matter has no '{key}'; add it", path=path, line=1)
    for key in TEXT_KEYS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise CorpusError(f"'{key}' must be text, not {_kind(value)}; put it in quotes",
                              path=path, line=key_line(text, key))
    if data["script"] not in ("simplified", "traditional"):
        raise CorpusError(f"'script' must be simplified or traditional, not {quoted(data['script'])}",
                          path=path, line=key_line(text, "script"))
    for key in ("authors", "editors", "interviewers"):
        value = data.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise CorpusError(f"'{key}' must be a list of names", path=path, line=key_line(text, key))
    cleaning = data.get("cleaning")
    if cleaning is not None and not (isinstance(cleaning, dict) and all(isinstance(v, int) for v in cleaning.values())):
        raise CorpusError("'cleaning' must map rule names to counts", path=path, line=key_line(text, "cleaning"))


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    return "a date" if hasattr(value, "isoformat") else "a YAML value of another kind"


def key_line(text: str, key: str) -> int:
    """Line of ``key:`` in the front matter (1 when not found)."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def render(data: dict) -> str:
    """The front matter block, keys in :data:`KEYS` order, empty values left out."""
    ordered = {key: data[key] for key in KEYS if data.get(key) not in (None, "", [], {})}
    if "cleaning" in data and data["cleaning"]:
        ordered["cleaning"] = dict(data["cleaning"])
    body = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return f"---\n{body}---\n"
