"""The round trip: export → a translator edits a target → import → build → the edited English everywhere.

One test per format, then what follows an edit through later builds: a changed
Chinese sentence (stale), a paragraph inserted before it (ids move), the same
sentence elsewhere (a 100 % match), and builds that have nothing to do.
"""

import re

import polib
import pytest

from posttools import (
    SLUG_ONE,
    SLUG_TWO,
    bitext,
    build,
    html_english,
    report,
    segments,
    set_target,
    set_target12,
    store,
)

EDITED = "Zhou Ming founded Langboat."


def export(project, fmt):
    bitext(project, "postedit", "export", "--format", fmt)
    suffix = {"xliff": ".xlf", "xliff12": ".xliff12.xlf", "po": ".po"}[fmt]
    return project / "build" / "postedit" / f"{SLUG_ONE}{suffix}"


def edit_exported(path, fmt, unit_id, english):
    """Change one target the way a translator's tool would, confirming it."""
    if fmt == "po":
        po = polib.pofile(str(path))  # Poedit-like: polib rewraps the file as it saves it
        entry = next(e for e in po if e.msgctxt == unit_id)
        entry.msgstr = english
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        po.save()
    elif fmt == "xliff":
        path.write_text(set_target(path.read_text(encoding="utf-8"), unit_id, english, state="translated"),
                        encoding="utf-8")
    else:
        path.write_text(set_target12(path.read_text(encoding="utf-8"), unit_id, english, state="translated"),
                        encoding="utf-8")


@pytest.mark.parametrize("fmt", ["xliff", "xliff12", "po"])
def test_an_edited_target_reaches_the_translations_and_the_html(project, fmt):
    path = export(project, fmt)
    edit_exported(path, fmt, "b001.s1", EDITED)
    result = bitext(project, "postedit", "import", str(path))
    assert f"{path} ({SLUG_ONE}): 1 applied, 7 unchanged, 0 conflicts, 0 skipped → {store(project, SLUG_ONE)}" \
        in result.stdout
    entry = next(e for e in polib.pofile(str(store(project, SLUG_ONE))) if e.msgctxt == "b001.s1")
    assert (entry.msgstr, entry.flags) == (EDITED, [])

    build(project)
    segment = segments(project, SLUG_ONE)["b001.s1"]
    assert (segment["en"], segment["origin"], segment["stale"]) == (EDITED, "edited", False)
    assert segments(project, SLUG_ONE)["b001.s2"]["origin"] == "gloss"
    assert html_english(project, SLUG_ONE)["b001.s1"] == EDITED
    assert report(project)["edition"]["segments_by_origin"] == {"edited": 1, "aligned": 0, "mt": 0, "gloss": 11}


def test_the_store_an_import_writes_is_the_one_a_build_writes(project):
    path = export(project, "xliff")
    edit_exported(path, "xliff", "b003.s1", "Because **large models** will become "
                                            "[infrastructure](https://example.com/infra).")
    bitext(project, "postedit", "import", str(path))
    imported = store(project, SLUG_ONE).read_bytes()
    mtime = store(project, SLUG_ONE).stat().st_mtime_ns
    build(project)
    assert store(project, SLUG_ONE).read_bytes() == imported
    assert store(project, SLUG_ONE).stat().st_mtime_ns == mtime
    bitext(project, "build", "--engine", "gloss", "--no-pdf", "--no-cache")  # a full rebuild
    assert store(project, SLUG_ONE).stat().st_mtime_ns == mtime


def test_a_build_after_an_import_is_skipped_only_when_the_import_changed_nothing(project):
    build(project)
    path = export(project, "xliff")
    bitext(project, "postedit", "import", str(path))  # nothing touched: nothing written
    assert "Nothing changed since the last build" in build(project).stdout
    edit_exported(path, "xliff", "b001.s1", EDITED)
    bitext(project, "postedit", "import", str(path))
    assert "Nothing changed since the last build" not in build(project).stdout
    assert "Nothing changed since the last build" in build(project).stdout


def test_a_changed_chinese_sentence_makes_its_edit_stale(project):
    path = export(project, "xliff")
    edit_exported(path, "xliff", "b001.s1", EDITED)
    bitext(project, "postedit", "import", str(path))
    article = project / "corpus" / f"{SLUG_ONE}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("周明创立了澜舟科技。", "周明在2021年创立了澜舟科技。"),
                       encoding="utf-8")
    build(project)

    segment = segments(project, SLUG_ONE)["b001.s1"]
    assert (segment["origin"], segment["stale"]) == ("gloss", True)
    assert segment["en"] != EDITED
    entry = next(e for e in polib.pofile(str(store(project, SLUG_ONE))) if e.msgctxt == "b001.s1")
    assert (entry.msgid, entry.msgstr, entry.flags, entry.previous_msgid) == (
        "周明在2021年创立了澜舟科技。", EDITED, ["fuzzy"], "周明创立了澜舟科技。")
    stale = report(project)["articles"][0]["stale_edits"]
    assert [(s["segment"], s["previous_zh"], s["en"]) for s in stale] == [("b001.s1", "周明创立了澜舟科技。", EDITED)]

    # The next export offers the stale English for review, not as final.
    path = export(project, "xliff")
    text = path.read_text(encoding="utf-8")
    unit = text[text.index('<unit id="b001.s1">'):text.index("</unit>", text.index('<unit id="b001.s1">'))]
    assert '<segment state="initial">' in unit and f"<target>{EDITED}</target>" in unit
    assert "it was: 周明创立了澜舟科技。" in unit
    status = bitext(project, "postedit", "status").stdout
    assert "  stale b001.s1: 周明在2021年创立了澜舟科技。 (the edit was for: 周明创立了澜舟科技。)" in status
    # Confirming it unchanged makes it an edit again.
    path.write_text(set_target(text, "b001.s1", EDITED, state="final"), encoding="utf-8")
    assert "1 applied" in bitext(project, "postedit", "import", str(path)).stdout
    build(project)
    assert segments(project, SLUG_ONE)["b001.s1"]["origin"] == "edited"


def test_a_paragraph_inserted_before_an_edited_one_keeps_the_edit(project):
    path = export(project, "xliff")
    edit_exported(path, "xliff", "b004.s1", "This is the last paragraph.")
    bitext(project, "postedit", "import", str(path))
    article = project / "corpus" / f"{SLUG_ONE}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("周明创立了澜舟科技。", "新的第一段。\n\n周明创立了澜舟科技。"), encoding="utf-8")
    build(project)

    by_id = segments(project, SLUG_ONE)
    assert (by_id["b005.s1"]["en"], by_id["b005.s1"]["origin"]) == ("This is the last paragraph.", "edited")
    assert by_id["b001.s1"]["zh"] == "新的第一段。" and by_id["b001.s1"]["origin"] == "gloss"
    entries = {e.msgctxt: e for e in polib.pofile(str(store(project, SLUG_ONE)))}
    assert entries["b005.s1"].msgstr == "This is the last paragraph." and not entries["b005.s1"].obsolete
    assert "b004.s1" in entries and entries["b004.s1"].msgstr == ""
    # An export made before the insertion still imports: its units follow their Chinese.
    edit_exported(path, "xliff", "b001.s2", "He thinks large models matter.")
    result = bitext(project, "postedit", "import", str(path))
    assert "1 applied" in result.stdout
    assert {e.msgctxt: e.msgstr for e in polib.pofile(str(store(project, SLUG_ONE)))}["b002.s2"] == \
        "He thinks large models matter."


def test_the_same_chinese_in_another_article_gets_the_edited_english(project):
    path = export(project, "xliff")
    edit_exported(path, "xliff", "b001.s2", "He thinks large models matter.")
    bitext(project, "postedit", "import", str(path))
    build(project)
    reused = segments(project, SLUG_TWO)["b001.s2"]
    assert (reused["en"], reused["origin"]) == ("He thinks large models matter.", "edited")
    assert reused["note"] == f"Same Chinese as {SLUG_ONE} b001.s2"
    assert html_english(project, SLUG_TWO)["b001.s2"] == "He thinks large models matter."
    # Exported as a 100 % match ("translated"); importing it untouched adds no edit to the second store.
    bitext(project, "postedit", "export", "--article", SLUG_TWO)
    second = project / "build" / "postedit" / f"{SLUG_TWO}.xlf"
    assert '<segment state="translated">' in second.read_text(encoding="utf-8")
    assert "0 applied, 4 unchanged" in bitext(project, "postedit", "import", str(second)).stdout
    assert bitext(project, "postedit", "status").stdout.splitlines()[3].split() == [SLUG_TWO, "4", "1", "0", "0", "3"]


def test_exports_mark_edits_final_and_drafts_initial(project):
    path = export(project, "xliff")
    edit_exported(path, "xliff", "b001.s1", EDITED)
    bitext(project, "postedit", "import", str(path))
    text = export(project, "xliff").read_text(encoding="utf-8")
    assert text.count('<segment state="final">') == 1 and text.count('<segment state="initial">') == 7
    assert '<gls:glossEntry><gls:term>澜舟科技</gls:term><gls:translation>Langboat</gls:translation></gls:glossEntry>' \
        in text
    assert '<note category="gloss">Zhou Ming establish Langboat.</note>' in text  # a gloss, not machine output
    text12 = export(project, "xliff12").read_text(encoding="utf-8")
    assert text12.count('approved="yes"') == 1 and text12.count('<target state="final">') == 1
    assert text12.count('<target state="needs-translation" state-qualifier="leveraged-glossary">') == 7
    assert '<note from="glossary">澜舟科技 → Langboat</note>' in text12
    po = {e.msgctxt: e for e in polib.pofile(str(export(project, "po")))}
    assert po["b001.s1"].flags == [] and po["b001.s1"].msgstr == EDITED
    assert po["b001.s2"].flags == ["fuzzy"] and "glossary: 大模型 → large model" in po["b001.s2"].comment
    assert polib.pofile(str(export(project, "po"))).metadata["Project-Id-Version"] == SLUG_ONE


def test_export_of_one_article_into_a_folder(project, tmp_path):
    result = bitext(project, "postedit", "export", "--article", SLUG_TWO, "--format", "po", "--out",
                    str(tmp_path / "out"))
    assert result.stdout == (f"Wrote 1 PO file(s) to {tmp_path / 'out'}: 4 segments, 0 edited, 0 stale, "
                             "4 gloss drafts\n")
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"{SLUG_TWO}.po"]
    unknown = bitext(project, "postedit", "export", "--article", "nope", code=1)
    assert unknown.stderr == f"Error: no article 'nope' in the corpus; known: {SLUG_ONE}, {SLUG_TWO}\n"


@pytest.mark.parametrize("fmt", ["xliff", "xliff12", "po"])
def test_a_traditional_article_goes_out_as_written_and_comes_back(project, fmt):
    # The translator sees the Chinese as the article was written, tagged zh-TW (as the TMX does); the store
    # keeps the working (Simplified) text, and the import matches the Traditional source to it.
    bitext(project, "postedit", "export", "--article", SLUG_TWO, "--format", fmt)
    suffix = {"xliff": ".xlf", "xliff12": ".xliff12.xlf", "po": ".po"}[fmt]
    path = project / "build" / "postedit" / f"{SLUG_TWO}{suffix}"
    text = path.read_text(encoding="utf-8")
    if fmt == "po":
        po = polib.pofile(str(path))
        assert po.metadata["X-Source-Language"] == "zh-TW"
        sources = {e.msgctxt: e.msgid for e in po}
    else:
        assert {"xliff": 'srcLang="zh-TW"', "xliff12": 'source-language="zh-TW"'}[fmt] in text
        assert "zh-CN" not in text
        sources = dict(re.findall(r'<(?:unit|trans-unit) id="([^"]+)".*?<source>(.*?)</source>', text, re.S))
    assert sources == {"title": "大模型的未來", "b001.s1": "瀾舟科技很小。", "b001.s2": "他認為大模型很重要。",
                       "b002.s1": "第二段很短。"}

    edit_exported(path, fmt, "b001.s1", "Langboat is small.")
    result = bitext(project, "postedit", "import", str(path))
    assert f"{path} ({SLUG_TWO}): 1 applied, 3 unchanged, 0 conflicts, 0 skipped" in result.stdout
    entry = next(e for e in polib.pofile(str(store(project, SLUG_TWO))) if e.msgctxt == "b001.s1")
    assert (entry.msgid, entry.msgstr, entry.flags) == ("澜舟科技很小。", "Langboat is small.", [])
    build(project)
    assert segments(project, SLUG_TWO)["b001.s1"]["origin"] == "edited"
