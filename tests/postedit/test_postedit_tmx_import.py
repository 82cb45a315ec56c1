"""``bitext postedit import file.tmx``: a translation memory comes back under the same rules as PO and XLIFF.

The format registry (:mod:`translate.formats`) tells a TMX file by its root element,
whatever it is called; every unit is checked before anything is written, and a
hostile file is a one-line error that writes nothing.
"""

from __future__ import annotations

import re

import polib
import pytest

from posttools import SLUG_ONE, SLUG_TWO, bitext, set_target, store
from translate.formats import format_for_content, format_for_name, format_named, formats

B001_S1 = "周明创立了澜舟科技。"
B001_S2 = "他认为大模型很重要。"


def tmx(*units: str, doctype: str = "") -> str:
    """A TMX 1.4 document holding ``units`` (``<tu>`` elements), as another CAT tool might write it."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + '<tmx version="1.4">\n'
            '  <header creationtool="OtherTool" segtype="sentence" o-tmf="x" adminlang="en" srclang="zh-CN" '
            'datatype="plaintext"/>\n  <body>\n' + "\n".join(units) + "\n  </body>\n</tmx>\n")


def tu(segment: str, zh: str, en: str, *, slug: str = SLUG_ONE, lang: str = "en-US") -> str:
    return (f'    <tu tuid="{slug}/{segment}">\n'
            f'      <tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>\n'
            f'      <tuv xml:lang="{lang}"><seg>{en}</seg></tuv>\n    </tu>')


def english(project, slug: str) -> dict[str, str]:
    return {e.msgctxt: e.msgstr for e in polib.pofile(str(store(project, slug))) if not e.obsolete}


def test_a_tmx_written_by_bitext_comes_back_and_a_changed_target_is_applied(project):
    exported = project / "build" / "postedit" / f"{SLUG_ONE}.xlf"
    bitext(project, "postedit", "export")
    exported.write_text(set_target(exported.read_text(encoding="utf-8"), "b001.s2",
                                   "He thinks large models matter.", state="final"), encoding="utf-8")
    bitext(project, "postedit", "import", str(exported))
    memory = project / "memory.tmx"
    bitext(project, "postedit", "tmx", "--out", str(memory))

    # The memory holds the edit and its 100 % match in the Traditional article: both as the stores have them.
    again = bitext(project, "postedit", "import", str(memory))
    assert again.stdout.splitlines()[-1] == "Imported 2 file(s): 0 applied, 2 unchanged, 0 conflicts, 0 skipped"

    memory.write_text(memory.read_text(encoding="utf-8").replace(
        "He thinks large models matter.", "He holds that large models matter."), encoding="utf-8")
    # A memory carries no stamps: an edited segment with other English is a conflict, as for any such file;
    # the Traditional article's segment, a 100 % match no one edited there, takes the new English.
    refused = bitext(project, "postedit", "import", str(memory), code=1)
    assert refused.stdout.splitlines()[-1] == "Imported 2 file(s): 1 applied, 0 unchanged, 1 conflicts, 0 skipped"
    assert "the segment is already edited (now: He thinks large models matter.)" in refused.stdout
    assert english(project, SLUG_TWO)["b001.s2"] == "He holds that large models matter."
    assert english(project, SLUG_ONE)["b001.s2"] == "He thinks large models matter."
    result = bitext(project, "postedit", "import", str(memory), "--force")
    assert result.stdout.splitlines()[-1] == "Imported 2 file(s): 1 applied, 1 unchanged, 0 conflicts, 0 skipped"
    assert english(project, SLUG_ONE)["b001.s2"] == "He holds that large models matter."


def test_another_tools_tmx_is_read_by_its_content_with_its_doctype_and_inline_codes(project):
    memory = project / "from-omegat.xml"  # the name says nothing: the content does
    memory.write_text(tmx(
        tu("b001.s1", B001_S1, 'Zhou Ming <bpt i="1">&lt;b&gt;</bpt>founded<ept i="1">&lt;/b&gt;</ept> '
                               '<hi type="x">Langboat</hi>.'),
        doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'), encoding="utf-8")
    result = bitext(project, "postedit", "import", str(memory))
    assert result.stdout.splitlines()[0] == (f"{memory} ({SLUG_ONE}): 1 applied, 0 unchanged, 0 conflicts, 0 skipped"
                                             f" → {store(project, SLUG_ONE)}")
    assert english(project, SLUG_ONE)["b001.s1"] == "Zhou Ming founded Langboat."


def test_units_of_two_articles_in_one_tmx_go_to_their_stores_by_their_properties(project):
    memory = project / "memory.tmx"
    memory.write_text(tmx(
        '    <tu>\n      <prop type="x-article">aaa-one</prop>\n      <prop type="x-segment">b001.s2</prop>\n'
        f'      <tuv xml:lang="zh-CN"><seg>{B001_S2}</seg></tuv>\n'
        '      <tuv xml:lang="en"><seg>He thinks large models matter.</seg></tuv>\n    </tu>',
        tu("b001.s1", "瀾舟科技很小。", "Langboat is small.", slug=SLUG_TWO)), encoding="utf-8")
    result = bitext(project, "postedit", "import", str(memory))
    assert result.stdout.splitlines()[-1] == "Imported 2 file(s): 2 applied, 0 unchanged, 0 conflicts, 0 skipped"
    assert english(project, SLUG_ONE)["b001.s2"] == "He thinks large models matter."
    assert english(project, SLUG_TWO)["b001.s1"] == "Langboat is small."


def test_the_registry_names_every_format_once_and_finds_each_by_name_and_by_content():
    assert [f.name for f in formats("segments")] == ["tmx", "xliff", "xliff12", "po"]
    assert [f.name for f in formats("terms")] == ["csv", "tsv", "tbx"]
    assert format_named("tbx", "segments") is None and format_named("tbx", "terms").label == "TBX"
    assert format_for_name("terms.TSV", "terms").name == "tsv"
    assert format_for_name("terms.xml", "terms").name == "tbx" and format_for_name("terms.odt", "terms") is None
    heads = {b'<?xml version="1.0"?>\n<!-- a memory -->\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">': "tmx",
             '<?xml version="1.0" encoding="UTF-16"?><tmx version="1.4">'.encode("utf-16"): "tmx",
             b'\xef\xbb\xbf<?xml version="1.0"?>\n<xliff version="2.1">': "xliff",
             b"<html><body>": "xliff",  # XML that is not TMX goes to the XLIFF reader, which says what it is
             b'msgid ""\nmsgstr ""\n': "po", b"": "po"}
    assert {head: format_for_content(head, "segments").name for head in heads} == heads
    for entry in formats("segments") + formats("terms"):
        store_ = entry.store()
        assert type(store_).__module__ == entry.opener.partition(":")[0]
        assert (type(store_).write is not type(store_).__mro__[-2].write) == bool(entry.writes)


XXE = '<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = ('<!DOCTYPE tmx [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n')
GOOD = tu("b001.s2", B001_S2, "He thinks large models matter.")
HOSTILE = {
    "xxe": (tmx(GOOD, tu("b001.s1", B001_S1, "&xxe;"), doctype=XXE), "declares an entity (xxe); entities are refused"),
    "billion laughs": (tmx(GOOD, tu("b001.s1", B001_S1, "&c;"), doctype=LAUGHS), "declares an entity (a)"),
    "cut off": (tmx(GOOD, tu("b001.s1", B001_S1, "Zhou Ming."))[:300], "not well-formed XML"),
    "nested too deep": (tmx(GOOD, tu("b001.s1", B001_S1, "<hi>" * 80 + "x" + "</hi>" * 80)),
                        "elements nested more than 64 deep; this is not a TMX file"),
    "no article or segment": (tmx(GOOD, tu("b001.s1", B001_S1, "Zhou.").replace(f' tuid="{SLUG_ONE}/b001.s1"', "")),
                              "names no article and segment"),
    "no Chinese": (tmx(GOOD, tu("b001.s1", B001_S1, "Zhou.").replace('xml:lang="zh-CN"', 'xml:lang="fr"')),
                   "b001.s1: no Chinese <tuv>"),
    "C1 control in a target": (tmx(GOOD, tu("b001.s1", B001_S1, "Zhou \x9b2J Ming.")),
                               "b001.s1: a control character (U+009B); remove it"),
    "unknown article": (tmx(GOOD, tu("b001.s1", B001_S1, "Zhou.", slug="zzz-none")), "zzz-none: not an article"),
    "unknown segment": (tmx(GOOD, tu("b009.s9", "完全不同的句子。", "Other.")), "b009.s9: unknown segment id"),
    "a unit twice": (tmx(GOOD, GOOD), "b001.s2: appears twice"),
    "invented link": (tmx(GOOD, tu("b001.s1", B001_S1, "Zhou Ming [founded](https://evil.example/) Langboat.")),
                      "b001.s1: link markup differs: 0 in the Chinese, 1 in the English; fix the target"),
    "not TMX inside": (tmx(GOOD).replace("<tmx ", "<tmx-not ").replace("</tmx>", "</tmx-not>"),
                       "the root element is <tmx-not>, not <xliff>"),
}


@pytest.mark.hostile("interchange")
@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_tmx_is_a_one_line_error_and_imports_nothing(project, case):
    text, says = HOSTILE[case]
    path = project / "hostile.tmx"
    path.write_text(text, encoding="utf-8")
    before = store(project, SLUG_ONE).read_bytes()
    result = bitext(project, "postedit", "import", str(path), code=1)
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:") and says in first, first
    assert result.stderr.splitlines()[-1].startswith("Error: 1 error(s) in 1 file(s); nothing was imported")
    assert store(project, SLUG_ONE).read_bytes() == before  # the good unit beside the bad one is not applied
    assert not re.search(r"root:|daemon:", result.output)  # /etc/passwd never read


@pytest.mark.hostile("interchange")
def test_a_tmx_larger_than_the_limit_is_refused_unread(project):
    path = project / "huge.tmx"
    with open(path, "wb") as handle:
        handle.truncate(33 * 2**20)  # sparse: nothing to read, and nothing is
    result = bitext(project, "postedit", "import", str(path), code=1)
    assert result.stderr.splitlines()[0] == f"{path}: larger than 32 MiB; export one article per file"
