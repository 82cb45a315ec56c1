"""Helpers for the post-editing tests: a small two-article project, built with the gloss engine, and readers
for what the round trip produces (translation files, HTML, PO stores)."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli

#: A Simplified article: a title, a sentence pair, an interview turn (speaker labels), bold and a link.
ONE = """---
title: 周明谈大模型
source_file: 001_one.txt
script: simplified
interviewers:
- 晚点
---

周明创立了澜舟科技。他认为大模型很重要。

**晚点：**你为什么创业？

**周明：**因为**大模型**会成为[基础设施](https://example.com/infra)。

这是最后一段。
"""

#: A Traditional article sharing one sentence (in the working script) with ONE.
TWO = """---
title: 大模型的未來
title_original: 大模型的未來
source_file: 002_two.txt
script: traditional
---

瀾舟科技很小。他認為大模型很重要。

第二段很短。
"""

TERMS = """zh,en,variants,keep,case,kind,note
大模型,large model,,,,concept,
澜舟科技,Langboat,,,,company,
周明,Zhou Ming,,,,person,
"""

SLUG_ONE = "aaa-one"
SLUG_TWO = "bbb-two"


def make_project(folder: Path) -> Path:
    """A fresh project with the two articles, the three-term glossary and the gloss engine."""
    folder.mkdir(parents=True)
    (folder / "corpus").mkdir()
    (folder / "glossary").mkdir()
    (folder / "corpus" / f"{SLUG_ONE}.md").write_text(ONE, encoding="utf-8")
    (folder / "corpus" / f"{SLUG_TWO}.md").write_text(TWO, encoding="utf-8")
    (folder / "glossary" / "terms.csv").write_text(TERMS, encoding="utf-8")
    (folder / "edition.toml").write_text(
        '[edition]\ntitle = "Post-editing test"\n'
        f'[paths]\nmodels = "{folder / "no-models"}"\n'
        '[translation]\nengine = "gloss"\n', encoding="utf-8")
    return folder


def bitext(project: Path, *args: str, code: int | None = 0):
    """Run ``bitext --root PROJECT ARGS`` in-process; check the exit code unless ``code`` is None."""
    result = CliRunner().invoke(cli, ["--root", str(project), "-q", *args])
    if code is not None:
        assert result.exit_code == code, (
            f"bitext {' '.join(args)} exited {result.exit_code}\n{result.stdout}\n{result.stderr}"
            + (f"\n{result.exception!r}" if result.exception and not isinstance(result.exception, SystemExit) else ""))
    return result


def build(project: Path):
    """``bitext build --engine gloss --no-pdf``."""
    return bitext(project, "build", "--engine", "gloss", "--no-pdf")


def segments(project: Path, slug: str) -> dict[str, dict]:
    """Segment id → its record in ``build/translations/<slug>.json`` (title, speakers, sentences)."""
    data = json.loads((project / "build" / "translations" / f"{slug}.json").read_text(encoding="utf-8"))
    out = {}
    if data.get("title"):
        out[data["title"]["id"]] = data["title"]
    for block in data["blocks"]:
        if block.get("speaker"):
            out[block["speaker"]["id"]] = block["speaker"]
        for segment in block["segments"]:
            out[segment["id"]] = segment
    return out


def report(project: Path) -> dict:
    """``build/report.json``."""
    return json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))


class _English(HTMLParser):
    """Collects the text of every ``span.seg`` inside the English column, by its ``data-seg``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, str | None]] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        english = "en" in (attrs.get("class") or "").split() or (self.stack and self.stack[-1][1])
        seg = attrs.get("data-seg") if english and "seg" in (attrs.get("class") or "").split() else None
        seg = seg or (self.stack[-1][2] if self.stack else None)
        if tag not in ("br", "img", "hr", "meta", "link", "input", "wbr"):
            self.stack.append((tag, bool(english), seg))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][2]:
            self.text.setdefault(self.stack[-1][2], []).append(data)


def html_english(project: Path, slug: str) -> dict[str, str]:
    """Segment id → the English text a reader sees in ``build/html/<slug>.html``."""
    parser = _English()
    parser.feed((project / "build" / "html" / f"{slug}.html").read_text(encoding="utf-8"))
    return {seg: " ".join("".join(parts).split()) for seg, parts in parser.text.items()}


def store(project: Path, slug: str) -> Path:
    """The article's PO store."""
    return project / "corpus" / f"{slug}.en.po"


def set_target(text: str, unit_id: str, english: str, *, state: str | None = None) -> str:
    """An XLIFF 2 document with one unit's target (and optionally its segment's state) replaced."""
    start = text.index(f'<unit id="{unit_id}">')
    end = text.index("</unit>", start)
    unit = text[start:end]
    unit = re.sub(r"<target>.*?</target>", lambda m: f"<target>{english}</target>", unit, flags=re.S)
    if state:
        unit = re.sub(r'<segment state="[a-z]+">', f'<segment state="{state}">', unit)
    return text[:start] + unit + text[end:]


def set_target12(text: str, unit_id: str, english: str, *, state: str | None = None) -> str:
    """An XLIFF 1.2 document with one trans-unit's target (and optionally its state) replaced."""
    start = text.index(f'<trans-unit id="{unit_id}"')
    end = text.index("</trans-unit>", start)
    unit = text[start:end]
    unit = re.sub(r"(<target[^>]*>).*?</target>", lambda m: f"{m.group(1)}{english}</target>", unit, flags=re.S)
    if state:
        unit = re.sub(r'<target state="[a-z-]+"( state-qualifier="[a-z-]+")?', f'<target state="{state}"', unit)
    return text[:start] + unit + text[end:]


@pytest.fixture(scope="session")
def built_template(tmp_path_factory) -> Path:
    """The project, built once (gloss engine, no PDF): copied by every test that needs it."""
    project = make_project(tmp_path_factory.mktemp("postedit") / "edition")
    build(project)
    return project


@pytest.fixture
def project(tmp_path, built_template) -> Path:
    """A private copy of the built project (its translation memory warm)."""
    target = tmp_path / "edition"
    shutil.copytree(built_template, target)
    return target
