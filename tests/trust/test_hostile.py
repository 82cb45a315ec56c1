"""Hostile and malformed input: every case ends in a one-line error naming the file, or in safe output.

The cases are files in ``tests/trust/cases/`` (see its README); the table below
says what each must end in. Large, binary and legacy-encoded cases are made
here from the two UTF-8 samples so that no such file is committed. Commands run
through ``CliRunner``: an exception escaping the CLI (a traceback) fails the case.
"""

from __future__ import annotations

import codecs
import random
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest
from trusttools import CASES, article, bitext, make_project, no_traceback

SAMPLE_SIMPLIFIED = (CASES / "raw" / "sample-simplified.txt").read_text(encoding="utf-8")
SAMPLE_TRADITIONAL = (CASES / "raw" / "sample-traditional.txt").read_text(encoding="utf-8")


# --- expected outcomes --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fails:
    """Exit 1 with one line: ``Error: <file>[:<line>]: …``."""

    line: int | None = None
    """The line the message must name, when there is one."""
    says: str = ""
    """Text the message must contain."""


@dataclass(frozen=True)
class Safe:
    """Exit 0, and the HTML edition carries nothing dangerous from the input."""

    keeps: str = ""
    """Text that must survive into the HTML (the input was not simply dropped)."""


@dataclass(frozen=True)
class Imported:
    """``bitext corpus import`` succeeds; the cleaned article holds ``text``; the build is then safe."""

    text: str
    build: bool = True
    """Also build the imported article and check the HTML is safe."""


@dataclass(frozen=True)
class Lists:
    """``bitext glossary check`` exits 1 listing an error at each of ``lines``; ``bitext build`` names the first."""

    lines: tuple[int, ...]


@dataclass(frozen=True)
class Case:
    id: str
    stage: str
    """``build`` (a corpus article), ``import`` (a raw source), ``glossary`` or ``settings``."""
    name: str
    """File name, in ``cases/<stage folder>/`` or made by ``make``."""
    expect: Fails | Safe | Imported | Lists
    make: Callable[[], bytes] | None = field(default=None, repr=False)


def _noise(size: int) -> bytes:
    rng = random.Random(size)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(size))


def _big_article(megabytes: float) -> bytes:
    paragraph = SAMPLE_SIMPLIFIED.split("\n\n", 2)[2].replace("\n\n", "\n\n")
    text = SAMPLE_SIMPLIFIED
    while len(text.encode()) < megabytes * 1_000_000:
        text += "\n\n" + paragraph
    return text.encode("utf-8")


def _one_paragraph(megabytes: float) -> bytes:
    sentence = "周明认为大模型未来会成为某种基础设施，贫穷限制了我们的想象力。"
    count = int(megabytes * 1_000_000 / len(sentence.encode()))
    return ("# 一段很长的话\n\n" + sentence * count + "\n").encode("utf-8")


def _article_bytes(body: str) -> Callable[[], bytes]:
    return lambda: article(body=body).encode("utf-8")


CASES_TABLE = [
    # Sources given to `bitext corpus import`.
    Case("raw-gbk", "import", "gbk.txt", Imported("周明"), lambda: SAMPLE_SIMPLIFIED.encode("gbk")),
    Case("raw-gb18030", "import", "gb18030.txt", Imported("周明"), lambda: SAMPLE_SIMPLIFIED.encode("gb18030")),
    Case("raw-big5", "import", "big5.txt", Imported("面壁智能"), lambda: SAMPLE_TRADITIONAL.encode("big5")),
    Case("raw-utf16-bom", "import", "utf16.txt", Imported("周明"), lambda: SAMPLE_SIMPLIFIED.encode("utf-16")),
    Case("raw-utf16be-no-bom", "import", "utf16be.txt", Imported("周明"),
         lambda: SAMPLE_SIMPLIFIED.encode("utf-16-be")),
    Case("raw-utf8-bom", "import", "utf8bom.txt", Imported("周明"),
         lambda: codecs.BOM_UTF8 + SAMPLE_SIMPLIFIED.encode("utf-8")),
    Case("raw-binary", "import", "photo.txt", Fails(), lambda: _noise(4000)),
    Case("raw-empty", "import", "empty.txt", Fails(), lambda: b""),
    Case("raw-blank", "import", "blank.txt", Fails(), lambda: b" \n\t\n\r\n"),
    Case("raw-invalid-bytes", "import", "broken.txt", Fails(),
         lambda: SAMPLE_SIMPLIFIED.encode("utf-8")[:200] + b"\xff\xfe\xfa\x80\x81" * 40),
    Case("raw-html-document", "import", "html-document.txt", Imported("周明")),
    Case("raw-one-mb-paragraph", "import", "long-paragraph.txt", Imported("基础设施"), lambda: _one_paragraph(1)),
    Case("raw-ten-mb-article", "import", "huge.txt", Imported("周明", build=False), lambda: _big_article(10)),
    # Cleaned articles given to `bitext build`.
    Case("script-tags", "build", "script-tags.md", Safe("周明")),
    Case("html-injection", "build", "html-injection.md", Safe("澜舟")),
    Case("javascript-links", "build", "javascript-links.md", Safe("周明")),
    Case("file-links", "build", "file-links.md", Safe("密码")),
    Case("remote-images", "build", "remote-images.md", Safe("办公室")),
    Case("title-injection", "build", "title-injection.md", Safe("周明谈大模型")),
    Case("title-traversal", "build", "title-traversal.md", Safe("etc/passwd")),
    Case("slug-in-front-matter", "build", "slug-traversal.md", Fails(line=6, says="unknown front-matter key 'slug'")),
    Case("bidi-controls", "build", "bidi-controls.md", Safe("基础设施")),
    Case("front-matter-not-yaml", "build", "not-yaml.md", Fails(line=2)),
    Case("front-matter-a-list", "build", "yaml-list.md", Fails()),
    Case("front-matter-unclosed", "build", "unclosed-front-matter.md", Fails()),
    Case("front-matter-python-tag", "build", "yaml-python-tag.md", Fails(line=2)),
    Case("front-matter-alias-bomb", "build", "yaml-alias-bomb.md", Fails()),
    Case("no-front-matter", "build", "no-front-matter.md", Fails()),
    Case("empty-body", "build", "empty-body.md", Safe("周明谈大模型")),
    Case("empty-article", "build", "empty.md", Fails(), lambda: b""),
    Case("binary-article", "build", "binary.md", Fails(), lambda: _noise(3000)),
    Case("gbk-article", "build", "gbk.md", Fails(), lambda: article().encode("gbk")),
    Case("nul-bytes", "build", "nul.md", Safe("周明"), _article_bytes("周明\x00认为大模型很重要。\x00\n")),
    Case("one-mb-paragraph", "build", "long.md", Safe("基础设施"),
         _article_bytes(_one_paragraph(1).decode().split("\n\n", 1)[1])),
    Case("slug-dot-dot", "build", "...md", Fails(), _article_bytes("周明认为大模型很重要。\n")),
    Case("slug-markup", "build", "<script>alert(1)<!--.md", Fails(), _article_bytes("周明认为大模型很重要。\n")),
    # Termbases given to `bitext glossary check` and `bitext build`.
    Case("glossary-every-error", "glossary", "every-error.csv", Lists((3, 4, 5, 6, 7, 8, 9, 10, 11))),
    Case("glossary-missing-header", "glossary", "missing-header.csv", Fails(line=1)),
    Case("glossary-unbalanced-quote", "glossary", "unbalanced-quote.csv", Fails(line=3)),
    Case("glossary-formula", "glossary", "formula.csv", Fails(line=3, says="formula")),
    Case("glossary-empty", "glossary", "empty.csv", Fails(), lambda: b""),
    Case("glossary-binary", "glossary", "binary.csv", Fails(), lambda: _noise(2000)),
    Case("glossary-gbk", "glossary", "gbk.csv", Fails(),
         lambda: "zh,en,variants,keep,case,kind,note\n大模型,large model,,,,concept,\n".encode("gbk")),
    Case("glossary-note-injection", "glossary", "note-injection.csv", Safe("Langboat")),
    Case("glossary-bom-crlf", "glossary", "bom-crlf.csv", Safe("large model")),
    # Settings.
    Case("settings-not-toml", "settings", "not-toml.toml", Fails()),
    Case("settings-unknown-key", "settings", "unknown-key.toml", Fails(line=3, says="colour")),
    Case("settings-title-injection", "settings", "title-injection.toml", Safe("title")),
]

FOLDERS = {"build": "corpus", "import": "raw", "glossary": "glossary", "settings": "settings"}


# --- what "safe" means for the HTML -------------------------------------------------------------------------------

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background"}
_RESOURCE_TAGS = {"img", "script", "iframe", "link", "source", "video", "audio", "embed", "object", "track", "input"}
_FORBIDDEN_TAGS = {"iframe", "object", "embed", "form", "svg", "math", "base", "frame", "frameset", "applet"}
_BAD_SCHEME = re.compile(r"^(?:javascript:|vbscript:|file:|data:text|data:application)", re.I)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


class _Inspector(HTMLParser):
    """Collects what would be dangerous in a page built from hostile input."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            self._in_script = True
        for name, value in attrs:
            value = value or ""
            flat = re.sub(r"[\x00-\x20]", "", unescape(value))
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name in _URL_ATTRIBUTES and _BAD_SCHEME.match(flat):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in _URL_ATTRIBUTES and tag in _RESOURCE_TAGS and _REMOTE.match(flat):
                self.problems.append(f"remote resource <{tag} {name}={value!r}>")
            if name == "style" and "url(" in flat.lower():
                self.problems.append(f"<{tag} style={value!r}> loads a URL")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and re.search(r"alert\(|evil\.example|document\.cookie", data):
            self.problems.append(f"script content from the input: {data[:60]!r}")
        if not self._in_script:
            self.text.append(data)


def inspect_html(build_dir: Path) -> tuple[list[str], str]:
    """(problems, visible text) over every page of the HTML edition."""
    problems, text = [], []
    pages = sorted((build_dir / "html").rglob("*.html"))
    assert pages, "the build wrote no HTML"
    for page in pages:
        inspector = _Inspector()
        inspector.feed(page.read_text(encoding="utf-8"))
        problems += [f"{page.name}: {p}" for p in inspector.problems]
        text += inspector.text
    return problems, "".join(text)


def _files(root: Path, *, skip: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_relative_to(skip)}


# --- the cases ----------------------------------------------------------------------------------------------------


def _setup(case: Case, root: Path) -> tuple[Path, Path]:
    """A project holding the case file; returns (project, the case file's path in it)."""
    data = case.make() if case.make else (CASES / FOLDERS[case.stage] / case.name).read_bytes()
    if case.stage == "build":
        project = make_project(root, articles={})
        target = project / "corpus" / case.name
    elif case.stage == "import":
        project = make_project(root, articles={})
        target = project / "corpus" / "raw" / case.name
    elif case.stage == "glossary":
        project = make_project(root)
        target = project / "glossary" / "terms.csv"
    else:
        project = make_project(root)
        target = project / "edition.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return project, target


def _one_line_error(result, path: Path, root: Path, expect: Fails) -> None:
    assert no_traceback(result), f"escaped exception: {result.exception!r}"
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, f"not one line:\n{result.stderr}"
    shown = [str(path), str(path.relative_to(root))]
    where = [f"Error: {p}:{expect.line}: " for p in shown] if expect.line else [f"Error: {p}" for p in shown]
    assert result.stderr.startswith(tuple(where)), f"{result.stderr!r} does not name {where[0]!r}"
    assert expect.says in result.stderr


def _assert_safe(project: Path, keeps: str) -> None:
    problems, text = inspect_html(project / "build")
    assert problems == []
    assert keeps in text, f"{keeps!r} did not reach the HTML"


#: Cases that take long: the 10 MB import alone takes minutes (reported to the corpus stage).
SLOW = {"raw-ten-mb-article", "raw-one-mb-paragraph", "one-mb-paragraph"}


#: The input surface of each stage, as the trust suite counts hostile cases (``pytest.mark.hostile``).
SURFACES = {"build": "corpus", "import": "corpus", "glossary": "glossary", "settings": "settings"}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=[pytest.mark.hostile(SURFACES[c.stage]),
                                                                  *([pytest.mark.slow] if c.id in SLOW else [])])
                                  for c in CASES_TABLE])
def test_hostile_input(case: Case, tmp_path: Path):
    project, path = _setup(case, tmp_path / "project")
    before = _files(tmp_path, skip=project / "build")
    expect = case.expect

    if isinstance(expect, Imported):
        result = bitext(project, "corpus", "import", str(path))
        assert no_traceback(result), f"escaped exception: {result.exception!r}"
        assert result.exit_code == 0, result.output
        cleaned = [p for p in (project / "corpus").glob("*.md")]
        assert len(cleaned) == 1, result.output
        assert expect.text in cleaned[0].read_text(encoding="utf-8")
        if expect.build:
            result = bitext(project, "build", "--no-pdf")
            assert no_traceback(result) and result.exit_code == 0, result.output
            _assert_safe(project, "")
    elif isinstance(expect, Lists):
        result = bitext(project, "glossary", "check")
        assert no_traceback(result), f"escaped exception: {result.exception!r}"
        assert result.exit_code == 1
        for line in expect.lines:
            assert f"{path}:{line}: " in result.output or f"glossary/terms.csv:{line}: " in result.output, \
                f"line {line} not reported:\n{result.output}"
        _one_line_error(bitext(project, "build", "--no-pdf"), path, project, Fails(line=expect.lines[0]))
    elif isinstance(expect, Fails):
        command = ["corpus", "import", str(path)] if case.stage == "import" else ["build", "--no-pdf"]
        _one_line_error(bitext(project, *command), path, project, expect)
    else:
        result = bitext(project, "build", "--no-pdf")
        assert no_traceback(result), f"escaped exception: {result.exception!r}"
        assert result.exit_code == 0, result.output
        _assert_safe(project, expect.keeps)

    # Nothing lost or changed outside build/ (an import may only add to corpus/, a build only its post-editing
    # stores corpus/<slug>.en.po and their write lock), nothing escaped the project.
    after = _files(tmp_path, skip=project / "build")
    changed = {name for name in before if after.get(name) != before[name]}
    added = {name for name in after.keys() - before.keys()
             if not (case.stage == "import" and name.startswith("project/corpus/"))
             and not re.fullmatch(r"project/corpus/(?:[a-z0-9-]+\.en\.po|\.bitext-write\.lock)", name)}
    assert changed == set() and added == set()
    assert not list(tmp_path.parent.glob("escaped*")) and not (Path.cwd() / "pwned.txt").exists()


def test_there_are_at_least_thirty_cases():
    assert len(CASES_TABLE) >= 30
    for case in CASES_TABLE:
        if case.make is None:
            assert (CASES / FOLDERS[case.stage] / case.name).is_file(), case.name
