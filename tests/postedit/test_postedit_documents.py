"""Cells and footnotes through PO and XLIFF: where each sits in the export, an edit of each round trip, and the
rules an import applies to them (a footnote reference the English drops is reported); the concordance
finds terms in cells and notes."""

from __future__ import annotations

import json
import re
import shutil

import polib
import pytest
from documents import MEMO
from posttools import TERMS, bitext, build, report, segments, store
from test_postedit_roundtrip import edit_exported as edit  # as a translator's tool would, confirming it

SLUG = "memo"
CELL = "b006.s1"  # 主控芯片[^2]: row 2, column 1 of the table
NOTE = "b039.s1"  # the first paragraph of footnote 1
CELL_EN = "Main controller chip[^2]"
NOTE_EN = "Prices quoted by 12 suppliers."


@pytest.fixture
def memo_project(tmp_path):
    """A project holding the memo (every construct), the three-term glossary and the gloss engine, built."""
    folder = tmp_path / "memo-project"
    (folder / "corpus").mkdir(parents=True)
    (folder / "glossary").mkdir()
    shutil.copy(MEMO, folder / "corpus" / f"{SLUG}.md")
    (folder / "glossary" / "terms.csv").write_text(TERMS + "主控芯片,main controller chip,,,,concept,\n",
                                                    encoding="utf-8")
    (folder / "edition.toml").write_text(
        '[edition]\ntitle = "Documents"\n'
        f'[paths]\nmodels = "{folder / "no-models"}"\n'
        '[translation]\nengine = "gloss"\n', encoding="utf-8")
    build(folder)
    return folder


def export(project, fmt):
    bitext(project, "postedit", "export", "--format", fmt)
    suffix = {"xliff": ".xlf", "xliff12": ".xliff12.xlf", "po": ".po"}[fmt]
    return project / "build" / "postedit" / f"{SLUG}{suffix}"


def test_the_po_export_says_where_each_cell_note_and_item_sits(memo_project):
    po = {e.msgctxt: e for e in polib.pofile(str(export(memo_project, "po")))}
    assert "context: table t1, row 2, column 1 (header: 部件)" in po[CELL].comment.splitlines()
    assert "context: table t1, row 1 (header row), column 2" in po["b004.s1"].comment.splitlines()
    assert "context: footnote 1, paragraph 1" in po[NOTE].comment.splitlines()
    assert "context: footnote 1, paragraph 2" in po["b040.s1"].comment.splitlines()
    assert "context: footnote 2" in po["b041.s1"].comment.splitlines()
    assert "context: list item, level 2" in po["b020.s1"].comment.splitlines()  # 前三家供应商…, nested
    assert "context: numbered list item 1, level 1" in po["b019.s1"].comment.splitlines()
    assert "context: task item (done), level 1" in po["b026.s1"].comment.splitlines()
    assert "context: list item, level 1, in a quotation" in po["b029.s1"].comment.splitlines()
    assert "context: figure caption" in po["b032.s1"].comment.splitlines()
    assert not any(line.startswith("context:") for line in po["b002.s1"].comment.splitlines())  # running text
    # Code is never exported; every other segment is.
    assert not [e for e in po.values() if "import csv" in e.msgid or "--year" in e.msgid]
    units = set(segments(memo_project, SLUG))
    assert set(po) == units


@pytest.mark.parametrize("fmt", ["xliff", "xliff12"])
def test_the_xliff_export_says_where_each_cell_and_note_sits(memo_project, fmt):
    text = export(memo_project, fmt).read_text(encoding="utf-8")
    attribute = 'category="context"' if fmt == "xliff" else 'from="context"'
    unit = re.search(rf'<(?:unit|trans-unit) id="{CELL}".*?</(?:unit|trans-unit)>', text, re.S).group(0)
    assert f"<note {attribute}>table t1, row 2, column 1 (header: 部件)</note>" in unit
    unit = re.search(rf'<(?:unit|trans-unit) id="{NOTE}".*?</(?:unit|trans-unit)>', text, re.S).group(0)
    assert f"<note {attribute}>footnote 1, paragraph 1</note>" in unit
    assert "import csv" not in text


@pytest.mark.parametrize("fmt", ["xliff", "xliff12", "po"])
def test_an_edited_cell_and_footnote_round_trip(memo_project, fmt):
    before = segments(memo_project, SLUG)
    path = export(memo_project, fmt)
    edit(path, fmt, CELL, CELL_EN)
    edit(path, fmt, NOTE, NOTE_EN)
    result = bitext(memo_project, "postedit", "import", str(path))
    assert f"({SLUG}): 2 applied" in result.stdout
    stored = {e.msgctxt: e for e in polib.pofile(str(store(memo_project, SLUG)))}
    assert (stored[CELL].msgstr, stored[NOTE].msgstr) == (CELL_EN, NOTE_EN)

    build(memo_project)
    after = segments(memo_project, SLUG)
    assert (after[CELL]["en"], after[CELL]["origin"]) == (CELL_EN, "edited")
    assert (after[NOTE]["en"], after[NOTE]["origin"]) == (NOTE_EN, "edited")
    unchanged = {k: (v["en"], v["origin"]) for k, v in before.items() if k not in (CELL, NOTE)}
    assert {k: (after[k]["en"], after[k]["origin"]) for k in unchanged} == unchanged
    # The translation file is the BilingualArticle: the edited segments sit in their cell and their note.
    data = json.loads((memo_project / "build" / "translations" / f"{SLUG}.json").read_text(encoding="utf-8"))
    by_segment = {s["id"]: b for b in data["blocks"] for s in b["segments"]}
    assert by_segment[CELL]["kind"] == "cell" and by_segment[NOTE]["kind"] == "footnote"
    assert report(memo_project)["edition"]["segments_by_origin"]["edited"] == 2


def test_the_tmx_of_an_edited_cell_and_note_says_where_they_sit_and_reads_back(memo_project):
    path = export(memo_project, "xliff")
    edit(path, "xliff", CELL, CELL_EN)
    edit(path, "xliff", NOTE, NOTE_EN)
    bitext(memo_project, "postedit", "import", str(path))
    build(memo_project)
    bitext(memo_project, "postedit", "tmx")
    tmx = memo_project / "build" / "postedit" / "edited.tmx"
    text = tmx.read_text(encoding="utf-8")
    assert text.count("<tu ") == 2
    assert '<prop type="x-context">table t1, row 2, column 1 (header: 部件)</prop>' in text
    assert '<prop type="x-context">footnote 1, paragraph 1</prop>' in text
    result = bitext(memo_project, "postedit", "import", str(tmx))
    assert "0 applied, 2 unchanged, 0 conflicts" in result.stdout


@pytest.mark.parametrize("fmt", ["xliff", "po"])
def test_an_import_that_drops_a_footnote_reference_is_reported(memo_project, fmt):
    path = export(memo_project, fmt)
    edit(path, fmt, CELL, "Main controller chip")  # [^2] lost
    before = store(memo_project, SLUG).read_bytes() if store(memo_project, SLUG).exists() else b""
    result = bitext(memo_project, "postedit", "import", str(path), code=1)
    assert f"{CELL}: footnote reference markup differs: 1 in the Chinese, 0 in the English; fix the target" \
        in result.stderr
    after = store(memo_project, SLUG).read_bytes() if store(memo_project, SLUG).exists() else b""
    assert after == before


def test_an_import_that_drops_inline_code_is_reported(memo_project):
    path = export(memo_project, "xliff")
    edit(path, "xliff", "b002.s2",
         "For details see [the data](https://example.com/data) and the output of cost_model.py.")
    result = bitext(memo_project, "postedit", "import", str(path), code=1)
    assert "b002.s2: code markup differs: 1 in the Chinese, 0 in the English; fix the target" in result.stderr


def test_the_concordance_finds_a_term_in_a_cell_and_in_a_note(memo_project):
    from translate.corpus.article import load_article
    from translate.glossary.concordance import concordance
    from translate.glossary.loaded import Glossary

    glossary = Glossary.load(memo_project / "glossary" / "terms.csv")
    article = load_article(memo_project / "corpus" / f"{SLUG}.md")
    for folder in (memo_project / "build" / "translations", None):  # translated, and not yet
        found = concordance(glossary, "主控芯片", [article], folder)
        places = {o.segment or o.block: o.place for o in found}
        cell = CELL if folder else "b006"
        note = "b041.s1" if folder else "b041"
        assert places[cell] == "table t1, row 2, column 1 (header: 部件)"
        assert places[note] == "footnote 2"
        assert [o for o in found if o.block == "b002"] and places[next(k for k in places if k.startswith("b002"))] == ""
