"""A dictionary gloss is not a translation: warned about only where it shows, failed by --strict unless
allowed, and labelled as a gloss (not as machine output) wherever a draft's provenance is shown."""

import polib
from posttools import SLUG_ONE, SLUG_TWO, bitext, make_project, store

GLOSS_WARNING_START = "Warning: no zh→en model is installed: the English of "


def _auto(project):
    """The project with ``engine = "auto"`` (and no model installed): the gloss is a fallback."""
    toml = project / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('engine = "gloss"', 'engine = "auto"'), encoding="utf-8")
    return project


def _edit_everything(project):
    """Every segment of every store edited (non-empty, not fuzzy), its glossary terms honoured, its flags explained."""
    for slug in (SLUG_ONE, SLUG_TWO):
        po = polib.pofile(str(store(project, slug)), wrapwidth=0)
        for entry in po:
            terms = [line.split(" → ", 1)[1] for line in entry.comment.splitlines() if line.startswith("glossary: ")]
            entry.msgstr = f"Edited {entry.msgctxt}: {', '.join(terms)}."
            entry.tcomment = "Checked."
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()


def test_the_gloss_warning_counts_the_segments_that_show_it_and_stops_once_all_are_edited(tmp_path):
    project = _auto(make_project(tmp_path / "edition"))
    first = bitext(project, "build", "--no-pdf")
    [warning] = [line for line in first.stderr.splitlines() if line.startswith("Warning:")]
    assert warning.startswith(GLOSS_WARNING_START + "12 segments is a dictionary gloss, not a translation. ")
    for choice in ("`bitext model install FOLDER`", "`bitext model install FILE.argosmodel`",
                   'translation.engine = "llm"'):
        assert choice in warning
    assert "argostranslate" not in first.stderr
    _edit_everything(project)
    again = bitext(project, "build", "--no-pdf")
    assert "0 machine-translated, 0 gloss" in again.stdout
    assert "Warning" not in again.stderr
    skipped = bitext(project, "build", "--no-pdf")
    assert "Nothing changed" in skipped.stdout and "Warning" not in skipped.stderr
    assert "Warning" not in bitext(project, "postedit", "status").stderr


def test_strict_fails_on_gloss_and_says_how_to_allow_it(tmp_path):
    project = _auto(make_project(tmp_path / "edition"))
    strict = bitext(project, "check", "--strict", code=1)
    assert strict.stderr.splitlines()[-1] == (
        "Error: 12 gloss segments (see build/report.json); --strict: a dictionary gloss is not a translation; "
        "install a model (`bitext model install`) or edit those segments, or accept the gloss with "
        "translation.allow_gloss = true in edition.toml")
    assert bitext(project, "build", "--no-pdf", "--strict", code=1).stderr.splitlines()[-1] == strict.stderr.splitlines()[-1]
    with (project / "edition.toml").open("a", encoding="utf-8") as toml:
        toml.write("allow_gloss = true\n")
    bitext(project, "check", "--strict")


def test_strict_passes_an_edition_whose_segments_are_all_edited(tmp_path):
    project = _auto(make_project(tmp_path / "edition"))
    bitext(project, "build", "--no-pdf")
    _edit_everything(project)
    bitext(project, "check", "--strict")


def test_gloss_drafts_are_labelled_gloss_in_the_summary_the_po_and_the_xliff(tmp_path):
    project = make_project(tmp_path / "edition")
    bitext(project, "build", "--no-pdf")
    exported = bitext(project, "postedit", "export", "--format", "po")
    assert exported.stdout.endswith(": 12 segments, 0 edited, 0 stale, 12 gloss drafts\n")
    po = polib.pofile(str(project / "build" / "postedit" / f"{SLUG_ONE}.po"))
    comments = [line for entry in po for line in entry.comment.splitlines()]
    assert any(line.startswith("gloss: ") for line in comments)
    assert not any(line.startswith("machine: ") for line in comments)
    own = polib.pofile(str(store(project, SLUG_ONE)))
    assert [e.comment.splitlines()[-1].split(":")[0] for e in own] == ["gloss"] * len(own)
    bitext(project, "postedit", "export")
    xliff = (project / "build" / "postedit" / f"{SLUG_ONE}.xlf").read_text(encoding="utf-8")
    assert '<note category="gloss">' in xliff and 'category="machine"' not in xliff
    bitext(project, "postedit", "export", "--format", "xliff12")
    xliff12 = (project / "build" / "postedit" / f"{SLUG_ONE}.xliff12.xlf").read_text(encoding="utf-8")
    assert '<note from="gloss">' in xliff12 and 'from="machine"' not in xliff12
    assert "mt-suggestion" not in xliff12 and 'state-qualifier="leveraged-glossary"' in xliff12


def test_a_store_written_with_machine_comments_still_reads_and_is_relabelled_on_the_next_build(tmp_path):
    project = make_project(tmp_path / "edition")
    bitext(project, "build", "--no-pdf")
    path = store(project, SLUG_ONE)
    path.write_text(path.read_text(encoding="utf-8").replace("#. gloss: ", "#. machine: "), encoding="utf-8")
    po = polib.pofile(str(path), wrapwidth=0)
    po[-1].msgstr = "Kept."
    po.save()
    assert "#. machine: " in path.read_text(encoding="utf-8")
    bitext(project, "build", "--no-pdf")
    text = path.read_text(encoding="utf-8")
    assert "#. machine: " not in text and "#. gloss: " in text
    assert 'msgstr "Kept."' in text
    # An exported PO of the old kind (machine comments) imports as before.
    bitext(project, "postedit", "export", "--format", "po")
    exported = project / "build" / "postedit" / f"{SLUG_TWO}.po"
    exported.write_text(exported.read_text(encoding="utf-8").replace("#. gloss: ", "#. machine: "), encoding="utf-8")
    assert "0 applied" in bitext(project, "postedit", "import", str(exported)).stdout
