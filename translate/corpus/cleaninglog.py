"""The cleaning log ``corpus/<slug>.log``: one line per change, readable and parseable.

Format (tab-separated, strings JSON-quoted so that newlines and spaces show)::

    # bitext cleaning log
    # source: 003_4c29f9f2258dec6c.txt (utf-8, 35845 characters)
    # article-sha256: 9f2c…  (of the .md as written; a different hash means it was hand-edited)
    rule<TAB>line<TAB>action<TAB>"removed"<TAB>"inserted"<TAB>note[<TAB>"text"]

The last column is only written for a decision that kept a line (its text, for the
review of close calls in ``bitext corpus check``).

The conservation test reads this file back: source characters = kept +
removed − inserted, character by character.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from translate.corpus.draft import LogEntry
from translate.errors import CorpusError
from translate.inputs import excerpt, read_input

HEADER = "# bitext cleaning log"
COLUMNS = "# rule\tline\taction\tremoved\tinserted\tnote"


def digest(text: str) -> str:
    """SHA-256 of an article's text, to tell a hand-edited article from a generated one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render(entries: list[LogEntry], *, source: str, encoding: str, characters: int, article: str) -> str:
    """The log file's text."""
    lines = [
        HEADER,
        f"# source: {source} ({encoding}, {characters} characters)",
        f"# article-sha256: {digest(article)}",
        COLUMNS,
    ]
    for entry in entries:
        lines.append("\t".join([
            entry.rule, str(entry.line), entry.action,
            json.dumps(entry.removed, ensure_ascii=False), json.dumps(entry.inserted, ensure_ascii=False),
            entry.note,
        ] + ([json.dumps(entry.text, ensure_ascii=False)] if entry.text else [])))
    return "\n".join(lines) + "\n"


def read(path: Path) -> tuple[dict, list[LogEntry]]:
    """(header fields, entries) of a log file."""
    header: dict = {}
    entries: list[LogEntry] = []
    try:
        text = read_input(path, CorpusError).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError("this cleaning-log is not UTF-8; re-import the source", path=path) from exc
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("# "):
            if ":" in line and not line.startswith("# rule"):
                key, _, value = line[2:].partition(":")
                header[key.strip()] = value.strip()
            continue
        fields = line.split("\t")
        try:
            rule, where, action, removed, inserted = fields[:5]
            text_of_line = json.loads(fields[6]) if len(fields) > 6 else ""
            if not isinstance(text_of_line, str):
                raise ValueError("the text column is not a string")
            entries.append(LogEntry(rule, int(where), action, json.loads(removed), json.loads(inserted),
                                    fields[5] if len(fields) > 5 else "", text_of_line))
        except (ValueError, json.JSONDecodeError) as exc:
            raise CorpusError(f"cannot read this cleaning-log line ({excerpt(str(exc), 80)}); re-import the source",
                              path=path, line=number) from exc
    return header, entries
