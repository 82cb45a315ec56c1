"""Aligned English in the exports: XLIFF 2.1, XLIFF 1.2 and PO give it as a target to review (never confirmed),
a 2-1 bead's joined segment goes out empty with a note naming its carrier, and an export read back changes nothing;
TMX holds aligned English marked as such, one unit per bead, and reading it back applies none of it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from alignedtools import BEAD, JOINED_EN, SLUG, SURE_EN, UNSURE_EN, aligned_edition, make_aligned_project, run_bitext
from factories import glossary, sample_edition
from translate.postedit.apply import PostEditResult, store_segments
from translate.postedit.exchange import export_articles
from translate.postedit.merge import NO_TARGET, plan_units
from translate.postedit.pofile import read_po, write_po
from translate.postedit.session import CurrentEdition
from translate.postedit.tmx import read_tmx, write_tmx
from translate.postedit.xliff import XLIFF2, XLIFF12, read_xliff, write_xliff2, write_xliff12

WRITERS = {"xliff": (write_xliff2, read_xliff, ".xlf"), "xliff12": (write_xliff12, read_xliff, ".xliff12.xlf"),
           "po": (write_po, lambda path: [read_po(path)], ".po")}


def current() -> CurrentEdition:
    """The aligned edition as an export sees it: the sample's gloss as the machine English."""
    edition = aligned_edition()
    return CurrentEdition(sample_edition().articles, PostEditResult(edition.articles, (), ()), glossary(), "gloss",
                          "CC-CEDICT")


def interview_units():
    return {u.id: u for u in export_articles(current(), ["interview"])[0].units}


def _plan(unit_file):
    now = current()
    machine = next(a for a in now.machine if a.slug == "interview")
    shown = {s.id: s for s in next(a for a in now.articles if a.slug == "interview").segments}
    return plan_units(unit_file, store_segments(machine), shown, {})


def test_aligned_english_goes_out_to_review_and_a_joined_segment_empty_naming_its_carrier():
    units = interview_units()
    carrier, joined, sure = units["b002.s1"], units["b002.s2"], units["b003.s1"]
    assert (carrier.exported, carrier.en, carrier.confidence, carrier.joined) == ("aligned", JOINED_EN, 0.42, "")
    assert (joined.exported, joined.en, joined.joined) == ("aligned", "", "b002.s1")
    assert not carrier.confirmed and not joined.confirmed and sure.provenance == "aligned"
    assert "confidence 0.42" in carrier.aligned_note and "not yet checked" in carrier.aligned_note
    assert joined.aligned_note.startswith("joined with b002.s1")
    assert units["b001.s1"].exported == "machine" and units["b001.s1"].aligned_note == ""
    assert [u.en for u in units.values()].count(JOINED_EN) == 1


def test_xliff2_gives_aligned_english_as_an_initial_target_with_a_note_and_locks_the_joined_unit(tmp_path):
    root = ET.fromstring(write_xliff2(export_articles(current(), ["interview"])[0]))
    ns = {"x": XLIFF2}
    unit = {u.get("id"): u for u in root.iterfind(".//x:unit", ns)}
    carrier, joined = unit["b002.s1"], unit["b002.s2"]
    assert carrier.find("x:segment", ns).get("state") == "initial"
    assert carrier.find("x:segment/x:target", ns).text == JOINED_EN
    notes = {n.get("category"): n.text for n in carrier.iterfind(".//x:note", ns)}
    assert "confidence 0.42" in notes["aligned"]
    assert joined.get("translate") == "no" and not (joined.find("x:segment/x:target", ns).text or "")
    assert {n.get("category"): n.text for n in joined.iterfind(".//x:note", ns)}["joined"].startswith(
        "joined with b002.s1")
    targets = [t.text or "" for t in root.iterfind(".//x:target", ns)]
    assert targets.count(JOINED_EN) == 1
    assert unit["b004.s1"].find("x:segment/x:target", ns).text == UNSURE_EN  # hostile text escaped, read back whole


def test_xliff12_marks_aligned_english_needs_review(tmp_path):
    root = ET.fromstring(write_xliff12(export_articles(current(), ["interview"])[0]))
    ns = {"x": XLIFF12}
    unit = {u.get("id"): u for u in root.iterfind(".//x:trans-unit", ns)}
    target = unit["b003.s1"].find("x:target", ns)
    assert (target.get("state"), target.get("state-qualifier"), target.text) == (
        "needs-review-translation", "x-aligned", SURE_EN)
    assert unit["b003.s1"].get("approved") is None
    assert unit["b002.s2"].get("translate") == "no"
    assert any("joined with b002.s1" in (n.text or "") for n in unit["b002.s2"].iterfind("x:note", ns))


@pytest.mark.parametrize("fmt", WRITERS)
def test_an_export_read_back_untouched_neither_confirms_aligned_english_nor_breaks_a_join(tmp_path, fmt):
    write, read, suffix = WRITERS[fmt]
    path = tmp_path / f"interview{suffix}"
    path.write_text(write(export_articles(current(), ["interview"])[0]), encoding="utf-8")
    [unit_file] = read(path)
    units = {u.id: u for u in unit_file.units}
    assert units["b002.s2"].en == "" and units["b002.s1"].en == JOINED_EN
    assert units["b002.s1"].state != "confirmed"
    plan = _plan(unit_file)
    outcomes = {o.unit: o for o in plan.outcomes}
    assert outcomes["b002.s1"].kind == "unchanged" and outcomes["b004.s1"].kind == "unchanged"
    assert (outcomes["b002.s2"].kind, outcomes["b002.s2"].detail) == ("skipped", NO_TARGET)
    assert plan.applied == [] and not plan.issues


def test_a_translator_who_confirms_the_carrier_in_xliff_applies_its_english_once_and_the_join_stays(tmp_path):
    text = write_xliff2(export_articles(current(), ["interview"])[0])
    start = text.index('<unit id="b002.s1"')
    confirmed = text[:start] + text[start:].replace('state="initial"', 'state="final"', 1)
    path = tmp_path / "interview.xlf"
    path.write_text(confirmed, encoding="utf-8")
    plan = _plan(read_xliff(path)[0])
    assert [(edit.id, edit.en) for edit, _ in plan.applied] == [("b002.s1", JOINED_EN)]
    assert {o.unit: o.kind for o in plan.outcomes}["b002.s2"] == "skipped"


def test_the_po_export_notes_the_alignment_and_leaves_the_joined_entry_empty():
    text = write_po(export_articles(current(), ["interview"])[0])
    block = text[text.index('msgctxt "b002.s2"') - 400:text.index('msgctxt "b002.s2"') + 200]
    assert "#. alignment: joined with b002.s1" in block and 'msgstr ""' in block
    assert "#. alignment: confidence 0.42; an existing English translation" in text
    assert text.count(f'msgstr "{JOINED_EN}"') == 1


def test_tmx_holds_aligned_english_marked_one_unit_per_bead_and_reading_it_back_applies_none(tmp_path):
    text, count = write_tmx(current())
    root = ET.fromstring(text)
    tus = {tu.get("tuid"): tu for tu in root.iter("tu")}
    assert set(tus) == {"interview/b002.s1", "interview/b003.s1", "interview/b004.s1"}  # the gloss is no TM
    assert count == 3
    bead = tus["interview/b002.s1"]
    props = {p.get("type"): p.text for p in bead.iter("prop")}
    assert props["x-origin"] == "aligned" and props["x-joined"] == "b002.s2" and props["x-confidence"] == "0.42"
    segs = [s.text for s in bead.iter("seg")]
    assert segs == ["周明创立了澜舟科技。他认为大模型很重要。", JOINED_EN]
    assert [s.text for s in root.iter("seg")].count(JOINED_EN) == 1
    assert [s.text for s in tus["interview/b004.s1"].iter("seg")][1] == UNSURE_EN
    path = tmp_path / "edited.tmx"
    path.write_text(text, encoding="utf-8")
    [unit_file] = read_tmx(path)
    assert unit_file.slug == "interview" and unit_file.units == ()
    assert _plan(unit_file).applied == []


# --- end to end: bitext align, then an export and an import of what it wrote ---------------------------------------

@pytest.fixture(scope="module")
def aligned_project(tmp_path_factory):
    return make_aligned_project(tmp_path_factory.mktemp("aligned") / "edition")


def _entries(project):
    from translate.postedit.store import read_store

    return {e.id: e for e in read_store(project / "corpus" / f"{SLUG}.en.po")}


@pytest.mark.parametrize("fmt", ["xliff", "xliff12", "po"])
def test_bitext_aligns_english_exported_and_imported_untouched_changes_no_store(aligned_project, tmp_path, fmt):
    before = (aligned_project / "corpus" / f"{SLUG}.en.po").read_bytes()
    assert _entries(aligned_project)["b002.s2"].joined == "b002.s1"
    summary = run_bitext(aligned_project, "postedit", "export", "--format", fmt, "--out", str(tmp_path))
    aligned = sum(1 for e in _entries(aligned_project).values() if e.aligned)  # a joined segment too
    assert f"0 edited, {aligned} aligned (to review), " in summary, summary
    [exported] = list(tmp_path.iterdir())
    assert exported.read_text(encoding="utf-8").count(BEAD) == 1
    output = run_bitext(aligned_project, "postedit", "import", str(exported))
    assert "0 applied" in output, output
    assert (aligned_project / "corpus" / f"{SLUG}.en.po").read_bytes() == before


def test_a_carrier_confirmed_in_xliff_becomes_edited_and_its_bead_stays_joined(aligned_project, tmp_path):
    import shutil

    project = tmp_path / "edition"
    shutil.copytree(aligned_project, project)
    out = tmp_path / "out"
    run_bitext(project, "postedit", "export", "--format", "xliff", "--out", str(out))
    [exported] = list(out.iterdir())
    text = exported.read_text(encoding="utf-8")
    start = text.index('<unit id="b002.s1"')
    exported.write_text(text[:start] + text[start:].replace('state="initial"', 'state="final"', 1), encoding="utf-8")
    output = run_bitext(project, "postedit", "import", str(exported))
    assert "1 applied" in output, output
    entries = _entries(project)
    assert (entries["b002.s1"].origin, entries["b002.s1"].en) == ("edited", BEAD)
    assert entries["b002.s2"].aligned and entries["b002.s2"].joined == "b002.s1"
    run_bitext(project, "build", "--engine", "gloss", "--no-pdf", "--no-epub")
    page = (project / "build" / "html" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert page.count(BEAD) == 1 and 'data-seg="b002.s1" id="b002.s2"' in page
