"""What an import applies, what it refuses, and that a file with an error applies nothing."""

import shutil

import polib
import pytest

from posttools import SLUG_ONE, SLUG_TWO, bitext, set_target, store

EDITED = "Zhou Ming founded Langboat."


def export(project, *args):
    bitext(project, "postedit", "export", *args)
    return project / "build" / "postedit" / f"{SLUG_ONE}.xlf"


def copy(path, name):
    other = path.with_name(name)
    shutil.copyfile(path, other)
    return other


def edit(path, unit_id, english, state="translated"):
    path.write_text(set_target(path.read_text(encoding="utf-8"), unit_id, english, state=state), encoding="utf-8")


def entries(project, slug=SLUG_ONE):
    return {e.msgctxt: e for e in polib.pofile(str(store(project, slug)))}


def test_two_translators_editing_one_segment_conflict_and_force_decides(project):
    anna = export(project)
    ben = copy(anna, "ben.xlf")
    edit(anna, "b001.s1", EDITED)
    edit(ben, "b001.s1", "Zhou Ming set up Langboat.")
    edit(ben, "b001.s2", "He considers large models important.")
    bitext(project, "postedit", "import", str(anna))

    result = bitext(project, "postedit", "import", str(ben), code=1)
    assert f"{ben} ({SLUG_ONE}): 1 applied, 6 unchanged, 1 conflicts, 0 skipped" in result.stdout
    assert (f"  conflict: {ben}:{_line(ben, 'b001.s1')}: b001.s1: the store's English changed since the export "
            f"(now: {EDITED}); export again, or --force overwrites it") in result.stdout
    assert result.stderr.endswith("Error: 1 conflict(s) not imported (the rest was); export again and redo them, "
                                  "or import with --force\n")
    assert entries(project)["b001.s1"].msgstr == EDITED
    assert entries(project)["b001.s2"].msgstr == "He considers large models important."

    forced = bitext(project, "postedit", "import", "--force", str(ben))
    assert "1 applied, 7 unchanged, 0 conflicts" in forced.stdout
    assert entries(project)["b001.s1"].msgstr == "Zhou Ming set up Langboat."


def _line(path, unit_id):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if f'<unit id="{unit_id}">' in line)


def test_revising_an_edit_one_exported_is_not_a_conflict(project):
    path = export(project)
    edit(path, "b001.s1", EDITED)
    bitext(project, "postedit", "import", str(path))
    path = export(project)
    edit(path, "b001.s1", "Zhou Ming founded the company Langboat.", state="final")
    assert "1 applied, 7 unchanged, 0 conflicts" in bitext(project, "postedit", "import", str(path)).stdout


def test_a_unit_whose_chinese_changed_since_the_export_is_a_conflict_or_with_force_a_stale_edit(project):
    path = export(project)
    edit(path, "b001.s1", EDITED)
    article = project / "corpus" / f"{SLUG_ONE}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("周明创立了澜舟科技。", "周明创办了澜舟科技。"),
                       encoding="utf-8")
    result = bitext(project, "postedit", "import", str(path), code=1)
    assert ("b001.s1: the Chinese changed since the export (now: 周明创办了澜舟科技。); export again, or --force keeps "
            "this English as a stale edit to review") in result.stdout
    assert entries(project)["b001.s1"].msgstr == ""

    forced = bitext(project, "postedit", "import", "--force", str(path))
    assert "applied: " in forced.stdout and "stale: the Chinese changed since the export" in forced.stdout
    entry = entries(project)["b001.s1"]
    assert (entry.msgid, entry.msgstr, entry.flags, entry.previous_msgid) == (
        "周明创办了澜舟科技。", EDITED, ["fuzzy"], "周明创立了澜舟科技。")


def test_a_file_without_stamps_conflicts_with_an_existing_edit(project):
    path = export(project)
    edit(path, "b001.s1", EDITED)
    bitext(project, "postedit", "import", str(path))
    # A copy of the store from another clone: no stamps, another English for the same segment.
    other = project / "elsewhere.en.po"
    other.write_text(store(project, SLUG_ONE).read_text(encoding="utf-8").replace(
        f'msgstr "{EDITED}"', 'msgstr "Zhou Ming started Langboat."'), encoding="utf-8")
    result = bitext(project, "postedit", "import", str(other), code=1)
    assert "b001.s1: the segment is already edited (now: Zhou Ming founded Langboat.); export again, or --force " \
           "overwrites it" in result.stdout
    assert "1 conflicts, 7 skipped" in result.stdout  # the store's empty entries
    bitext(project, "postedit", "import", "--force", str(other))
    assert entries(project)["b001.s1"].msgstr == "Zhou Ming started Langboat."


def test_untouched_drafts_fuzzy_entries_and_empty_targets_are_left_alone(project):
    bitext(project, "postedit", "export", "--format", "po")
    path = project / "build" / "postedit" / f"{SLUG_ONE}.po"
    po = polib.pofile(str(path))
    by_id = {e.msgctxt: e for e in po}
    by_id["b001.s1"].msgstr = "Zhou Ming founded Langboat (draft)."  # changed but still fuzzy: not ready
    by_id["b001.s2"].msgstr = ""  # emptied
    by_id["b002.s1"].flags.remove("fuzzy")  # the machine draft confirmed as it is
    draft = by_id["b002.s1"].msgstr  # the dictionary gloss of 你为什么创业？, whatever its wording
    po.save()
    result = bitext(project, "postedit", "import", str(path))
    assert f"{path} ({SLUG_ONE}): 1 applied, 5 unchanged, 0 conflicts, 2 skipped" in result.stdout
    assert "b001.s1: fuzzy (needs work): not imported; clear the fuzzy flag to import it" in result.stdout
    stored = entries(project)
    assert stored["b001.s1"].msgstr == "" and stored["b002.s1"].msgstr == draft and draft.startswith("You why ")


def test_a_file_with_an_error_applies_nothing_not_even_the_other_files(project):
    good = export(project)
    edit(good, "b001.s1", EDITED)
    bad = copy(good, "bad.xlf")
    edit(bad, "b003.s1", "Because large models will become infrastructure.")  # bold and link lost
    before = store(project, SLUG_ONE).read_bytes()
    result = bitext(project, "postedit", "import", str(good), str(bad), code=1)
    line = _line(bad, "b003.s1")
    assert result.stderr == (
        f"{bad}:{line}: b003.s1: bold markup differs: 1 in the Chinese, 0 in the English; fix the target\n"
        f"{bad}:{line}: b003.s1: link markup differs: 1 in the Chinese, 0 in the English; fix the target\n"
        "Error: 2 error(s) in 1 file(s); nothing was imported. Fix the file(s) or export again\n")
    assert result.stdout == ""
    assert store(project, SLUG_ONE).read_bytes() == before


def test_a_unit_may_move_but_an_unknown_one_is_an_error(project):
    path = export(project)
    text = path.read_text(encoding="utf-8")
    # A tool renamed a unit; its Chinese still places it.
    text = text.replace('<unit id="b004.s1">', '<unit id="b099.s1">')
    path.write_text(set_target(text, "b099.s1", "This is the last paragraph."), encoding="utf-8")
    result = bitext(project, "postedit", "import", str(path))
    assert f"  applied: {path}:{_line(path, 'b099.s1')}: b099.s1 (now b004.s1)\n" in result.stdout
    assert entries(project)["b004.s1"].msgstr == "This is the last paragraph."
    # A unit with an unknown id and Chinese the article does not have.
    text = path.read_text(encoding="utf-8").replace("这是最后一段。", "这段不存在。")
    path.write_text(text, encoding="utf-8")
    result = bitext(project, "postedit", "import", str(path), code=1)
    assert (f"{path}:{_line(path, 'b099.s1')}: b099.s1: unknown segment id: article {SLUG_ONE} has no such segment "
            "and not its Chinese; was the file exported from another article?") in result.stderr


def test_a_file_for_an_article_that_is_not_there(project):
    path = export(project)
    path.write_text(path.read_text(encoding="utf-8").replace(f'<file id="{SLUG_ONE}" original="{SLUG_ONE}.md"',
                                                             '<file id="zzz-gone" original="zzz-gone.md"'),
                    encoding="utf-8")
    result = bitext(project, "postedit", "import", str(path), code=1)
    assert (f"{path}:3: zzz-gone: not an article of the corpus (known: {SLUG_ONE}, {SLUG_TWO}); was it exported "
            "from another edition?") in result.stderr


def test_glossary_slips_in_imported_english_are_warnings_not_errors(project):
    path = export(project)
    edit(path, "b001.s1", "Zhou Ming founded Lanzhou Technology.")
    result = bitext(project, "postedit", "import", str(path))
    assert f"  warning: {path}:{_line(path, 'b001.s1')}: b001.s1: 澜舟科技 must come out as 'Langboat'" in result.stdout
    assert entries(project)["b001.s1"].msgstr == "Zhou Ming founded Lanzhou Technology."


@pytest.mark.parametrize("fmt", ["xliff", "xliff12", "po"])
def test_importing_an_export_unchanged_writes_nothing(project, fmt):
    bitext(project, "postedit", "export", "--format", fmt)
    suffix = {"xliff": ".xlf", "xliff12": ".xliff12.xlf", "po": ".po"}[fmt]
    before = store(project, SLUG_ONE).stat().st_mtime_ns
    files = [str(project / "build" / "postedit" / f"{slug}{suffix}") for slug in (SLUG_ONE, SLUG_TWO)]
    result = bitext(project, "postedit", "import", *files)
    assert result.stdout.endswith("Imported 2 file(s): 0 applied, 12 unchanged, 0 conflicts, 0 skipped\n")
    assert store(project, SLUG_ONE).stat().st_mtime_ns == before
