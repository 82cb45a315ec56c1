"""Hostile and damaged files given to ``bitext postedit import``: each is a one-line error naming the file
(and its line), nothing is written, and nothing in a target is ever interpreted.

Each case is made from a real export of the test project (XLIFF 2.1, XLIFF 1.2
or PO), changed the way an attacker or an accident would change it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Callable

import polib
import pytest

from posttools import SLUG_ONE, bitext, build, html_english, set_target, store

pytestmark = pytest.mark.hostile("interchange")

XXE = '<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = ('<!DOCTYPE xliff [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n')
EXTERNAL = '<!DOCTYPE xliff SYSTEM "http://198.51.100.1/xliff.dtd">\n'


def after_declaration(text: str, insert: str) -> str:
    head, _, rest = text.partition("\n")
    return head + "\n" + insert + rest


def in_target(text: str, payload: str) -> str:
    return set_target(text, "b001.s1", payload, state="translated")


@dataclass(frozen=True)
class Case:
    name: str
    format: str
    """Which export the case starts from: xliff, xliff12 or po."""
    damage: Callable[[bytes], bytes]
    says: str
    """Text the error line must contain."""
    line: int | None = None
    """The line it must name, when it names one."""


def text_case(change: Callable[[str], str]) -> Callable[[bytes], bytes]:
    return lambda data: change(data.decode("utf-8")).encode("utf-8")


CASES = [
    Case("xxe", "xliff", text_case(lambda t: after_declaration(t, XXE).replace(
        "<target>Zhou Ming establish Langboat.</target>", "<target>&xxe;</target>")),
        "has a DOCTYPE (a DTD); XLIFF needs none, and entities are refused for safety", 2),
    Case("billion laughs", "xliff", text_case(lambda t: after_declaration(t, LAUGHS).replace(
        "<target>Zhou Ming establish Langboat.</target>", "<target>&d;</target>")), "has a DOCTYPE", 2),
    Case("external DTD", "xliff12", text_case(lambda t: after_declaration(t, EXTERNAL)), "has a DOCTYPE", 2),
    Case("cut off", "xliff", lambda d: d[: len(d) // 2], "not well-formed XML"),
    Case("cut off XLIFF 1.2", "xliff12", lambda d: d[: len(d) // 3], "not well-formed XML"),
    Case("Latin-1 bytes declared UTF-8", "xliff",
         lambda d: d.replace("Zhou Ming establish Langboat.".encode(), "Caf\xe9 Langboat.".encode("latin-1")),
         "not well-formed XML (invalid token); save the file as UTF-8"),
    Case("unknown encoding", "xliff", lambda d: d.replace(b'encoding="UTF-8"', b'encoding="x-klingon"', 1),
         "cannot be decoded (unknown encoding: x-klingon); save the file as UTF-8"),
    Case("a unit twice", "xliff", text_case(lambda t: t.replace(
        '<unit id="b001.s2">', '<unit id="b001.s1">')), "b001.s1: appears twice (first at line"),
    Case("a unit twice in XLIFF 1.2", "xliff12", text_case(lambda t: t.replace(
        'id="b001.s2" resname="b001.s2"', 'id="b001.s1" resname="b001.s1"')), "b001.s1: appears twice"),
    Case("a unit without id", "xliff", text_case(lambda t: t.replace('<unit id="b001.s2">', "<unit>")),
         "a unit without an id; every unit needs its segment id"),
    Case("escape character in a target", "xliff", text_case(lambda t: in_target(t, 'Zhou<cp hex="001B"/>[2J Ming')),
         "b001.s1: a control character (U+001B); remove it"),
    Case("not a code point", "xliff", text_case(lambda t: in_target(t, 'Zhou <cp hex="zz"/>')),
         "<cp hex='zz'> is not a code point"),
    Case("nested too deep", "xliff", text_case(lambda t: in_target(t, "<pc id='1'>" * 80 + "x" + "</pc>" * 80)),
         "elements nested more than 64 deep"),
    Case("not XLIFF", "xliff", lambda d: b"<html><body>hello</body></html>\n",
         "the root element is <html>, not <xliff>; this is not an XLIFF file", 1),
    Case("XLIFF 3", "xliff", text_case(lambda t: t.replace('version="2.1"', 'version="3.0"').replace(
        "urn:oasis:names:tc:xliff:document:2.0", "urn:example:xliff3")), "XLIFF version 3.0"),
    Case("into German", "xliff", text_case(lambda t: t.replace('trgLang="en"', 'trgLang="de"')),
         "the target language is 'de'; only English translations can be imported", 2),
    Case("PO not UTF-8", "po", lambda d: d.replace("Zhou Ming establish Langboat.".encode(),
                                                  "Caf\xe9 Langboat.".encode("latin-1")),
         "not UTF-8; save the PO file as UTF-8"),
    Case("PO cut off inside a string", "po", lambda d: d[: d.index(b'msgstr "Zhou Ming establish') + 12],
         "a string does not close on its line (a cut-off file?)"),
    Case("PO cut off after a msgid", "po", lambda d: d[: d.index(b'msgstr "Zhou Ming establish')],
         "entry without msgstr (a cut-off file?)"),
    Case("PO with a NUL byte", "po", lambda d: d.replace(b"Langboat.", b"Lang\0boat.", 1), "contains a NUL byte"),
    Case("PO a segment twice", "po", text_case(lambda t: t.replace('msgctxt "b001.s2"', 'msgctxt "b001.s1"')),
         "segment 'b001.s1' appears twice"),
    Case("PO without its article", "po", text_case(lambda t: t.replace(f'"Project-Id-Version: {SLUG_ONE}\\n"\n', "")),
         "no Project-Id-Version in the header naming the article", 1),
    Case("PO into German", "po", text_case(lambda t: t.replace('"Language: en\\n"', '"Language: de\\n"')),
         "the header says Language: de; only English translations can be imported", 1),
    Case("PO escape character", "po", lambda d: d.replace(b'msgstr "Zhou Ming establish', b'msgstr "Zhou \x1b[2J'),
         "b001.s1: a control character (U+001B); remove it"),
    Case("binary junk", "po", lambda d: bytes(range(256)) * 4, "not UTF-8"),
    Case("empty file", "po", lambda d: b"", "no Project-Id-Version in the header naming the article"),
]

SUFFIX = {"xliff": ".xlf", "xliff12": ".xliff12.xlf", "po": ".po"}


@pytest.fixture
def exported(project):
    for fmt in SUFFIX:
        bitext(project, "postedit", "export", "--format", fmt)
    return lambda fmt: (project / "build" / "postedit" / f"{SLUG_ONE}{SUFFIX[fmt]}").read_bytes()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_is_a_one_line_error_and_writes_nothing(project, exported, case):
    path = project / f"hostile{SUFFIX[case.format]}"
    path.write_bytes(case.damage(exported(case.format)))
    before = store(project, SLUG_ONE).read_bytes()
    result = bitext(project, "postedit", "import", str(path), code=1)
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:" if case.line is None else f"{path}:{case.line}: "), first
    assert case.says in first, first
    assert result.stderr.splitlines()[-1].startswith("Error: 1 error(s) in 1 file(s); nothing was imported")
    assert store(project, SLUG_ONE).read_bytes() == before
    assert not re.search(r"root:|daemon:", result.output)  # /etc/passwd never read


def test_a_file_larger_than_the_limit_is_refused_unread(project):
    path = project / "huge.xlf"
    with open(path, "wb") as handle:
        handle.truncate(33 * 2**20)  # sparse: nothing to read, and nothing is
    result = bitext(project, "postedit", "import", str(path), code=1)
    assert result.stderr.splitlines()[0] == f"{path}: larger than 32 MiB; export one article per file"


def test_a_named_pipe_is_refused_without_blocking(project):
    path = project / "pipe.xlf"
    os.mkfifo(path)
    result = bitext(project, "postedit", "import", str(path), code=1)
    assert result.stderr.splitlines()[0] == f"{path}: is a named pipe (FIFO), not a regular file; give the path of a file"


def test_utf16_xliff_is_xml_like_any_other(project, exported):
    text = exported("xliff").decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = project / "utf16.xlf"
    path.write_bytes(set_target(text, "b001.s1", "Zhou Ming founded Langboat.", state="final").encode("utf-16"))
    assert "1 applied" in bitext(project, "postedit", "import", str(path)).stdout


def test_html_in_a_target_is_stored_as_text_and_escaped_in_the_html(project, exported):
    payload = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; Zhou Ming founded Langboat."
    path = project / "script.xlf"
    path.write_text(in_target(exported("xliff").decode("utf-8"), payload), encoding="utf-8")
    bitext(project, "postedit", "import", str(path))
    english = "<script>alert(1)</script><img src=x onerror=alert(2)> Zhou Ming founded Langboat."
    assert {e.msgctxt: e.msgstr for e in polib.pofile(str(store(project, SLUG_ONE)))}["b001.s1"] == english
    build(project)
    page = (project / "build" / "html" / f"{SLUG_ONE}.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert html_english(project, SLUG_ONE)["b001.s1"] == english  # shown as the text it is


def test_a_killed_import_leaves_the_store_as_it_was(project, exported, monkeypatch):
    path = project / "edit.xlf"
    path.write_text(in_target(exported("xliff").decode("utf-8"), "Zhou Ming founded Langboat."), encoding="utf-8")
    before = store(project, SLUG_ONE).read_bytes()

    def killed(*args):
        raise KeyboardInterrupt  # what SIGINT does half-way through the write

    monkeypatch.setattr("translate.outputs.os.replace", killed)
    bitext(project, "postedit", "import", str(path), code=1)
    assert store(project, SLUG_ONE).read_bytes() == before
    assert [p.name for p in store(project, SLUG_ONE).parent.iterdir() if p.name.endswith(".tmp")] == []
