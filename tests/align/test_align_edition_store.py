"""Aligned entries in the PO store: how they read, what confirms them, what a sync, a save, an import and a
changed Chinese do to them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from translate.postedit.store import (ALIGNED_FLAG, Edit, StoreSegment, aligned_comment, load_po, parse_aligned,
                                      place_edits, po_edits, read_store, render_store, sync_store)

SEGMENTS = [StoreSegment("b001.s1", "工厂将雇用两千名工人。", "Factory employ 2,000."),
            StoreSegment("b001.s2", "特斯拉派代表出席。", "Tesla sends representative."),
            StoreSegment("b002.s1", "项目总投资为50亿元。", "Project invest 5 billion.")]
CARRIED = "The factory, which will employ two thousand workers, was attended by Tesla."


def aligned_store(path):
    """A store as ``bitext align`` leaves it: a 2-1 bead (b001) and a 1-0 (b002)."""
    placed, _ = place_edits(SEGMENTS, [])
    edits = {
        "b001.s1": Edit("b001.s1", SEGMENTS[0].zh, CARRIED, flags=(ALIGNED_FLAG,),
                        aligned_note=aligned_comment(0.62, CARRIED)),
        "b001.s2": Edit("b001.s2", SEGMENTS[1].zh, "", flags=(ALIGNED_FLAG,),
                        aligned_note=aligned_comment(0.62, "joined with b001.s1")),
        "b002.s1": Edit("b002.s1", SEGMENTS[2].zh, "", aligned_note=aligned_comment(None, "not in the English")),
    }
    from translate.postedit.store import Placement

    path.write_text(render_store("x", SEGMENTS, {k: Placement(v) for k, v in edits.items()}, ()), encoding="utf-8")
    return path


def by_id(path):
    return {e.id: e for e in read_store(path)}


def test_the_comment_round_trips():
    assert aligned_comment(0.625, "Some  English.\n") == "aligned (0.62): Some English."
    assert parse_aligned("aligned (0.62): Some English.") == (0.62, "Some English.")
    assert parse_aligned("aligned: not in the English") == (None, "not in the English")
    assert parse_aligned("machine: aligned (0.62): x") is None and parse_aligned("") is None


def test_an_aligned_store_reads_with_origin_confidence_and_joined(tmp_path):
    edits = by_id(aligned_store(tmp_path / "x.en.po"))
    carrier, joined, left = edits["b001.s1"], edits["b001.s2"], edits["b002.s1"]
    assert (carrier.origin, carrier.confidence, carrier.joined) == ("aligned", 0.62, "")
    assert (joined.origin, joined.confidence, joined.joined, joined.en) == ("aligned", 0.62, "b001.s1", "")
    assert (left.origin, left.omitted, left.flags) == ("", True, ())


def test_a_sync_keeps_the_comments_and_nothing_else_changes(tmp_path):
    path = aligned_store(tmp_path / "x.en.po")
    before = path.read_text(encoding="utf-8")
    assert not sync_store(path, "x", SEGMENTS).written
    assert path.read_text(encoding="utf-8") == before
    assert before.count("#. aligned (0.62): ") == 2 and "#. aligned: not in the English" in before


@pytest.mark.parametrize("change", ["english", "flag", "fuzzy"])
def test_a_translator_confirms_by_changing_the_english_or_removing_the_flag(tmp_path, change):
    path = aligned_store(tmp_path / "x.en.po")
    text = path.read_text(encoding="utf-8")
    if change == "english":
        text = text.replace(f'msgstr "{CARRIED}"', 'msgstr "The factory will employ 2,000 people."')
    elif change == "flag":
        text = text.replace('#, aligned\nmsgctxt "b001.s1"', 'msgctxt "b001.s1"')
    else:
        text = text.replace('#, aligned\nmsgctxt "b001.s1"', '#, fuzzy, aligned\nmsgctxt "b001.s1"')
    path.write_text(text, encoding="utf-8")
    carrier = by_id(path)["b001.s1"]
    assert carrier.origin == ("" if change == "fuzzy" else "edited")
    assert carrier.confidence is None


def test_old_stores_without_the_flag_read_as_before(tmp_path):
    path = tmp_path / "x.en.po"
    path.write_text('msgctxt "b001.s1"\nmsgid "工厂将雇用两千名工人。"\nmsgstr "The factory hires."\n', encoding="utf-8")
    [edit] = read_store(path)
    assert (edit.origin, edit.edited, edit.aligned, edit.aligned_note, edit.flags) == ("edited", True, False, "", ())


def test_a_changed_chinese_unjoins_and_an_aligned_english_goes_stale(tmp_path):
    path = aligned_store(tmp_path / "x.en.po")
    changed = [replace(SEGMENTS[0], zh="工厂将雇用三千名工人。"), replace(SEGMENTS[1], zh="特斯拉也派代表出席。"),
               SEGMENTS[2]]
    sync_store(path, "x", changed)
    edits = by_id(path)
    assert edits["b001.s1"].stale and edits["b001.s1"].origin == ""  # the English waits for review
    assert (edits["b001.s2"].origin, edits["b001.s2"].flags, edits["b001.s2"].aligned_note) == ("", (), "")


def test_a_save_in_the_editor_confirms_and_its_undo_restores(tmp_path):
    from translate.postedit.exchange import entry_key
    from translate.postedit.segmentsave import restore_entry, save_segment

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = aligned_store(corpus / "x.en.po")

    class NoTerms:
        def find(self, text):
            return []

    entry = by_id(path)["b001.s1"]
    saved = save_segment(tmp_path / "build", corpus, "x", "b001.s1", zh=entry.zh, en=CARRIED,
                         base=entry_key(entry), glossary=NoTerms())
    confirmed = by_id(path)["b001.s1"]
    assert saved.written and (confirmed.origin, confirmed.flags, confirmed.aligned_note) == ("edited", (), "")
    assert by_id(path)["b001.s2"].joined == "b001.s1"  # the carrier's English, confirmed, still covers it
    restore_entry(tmp_path / "build", corpus, "x", saved.before, base=saved.version, glossary=NoTerms())
    assert by_id(path)["b001.s1"].origin == "aligned"


def test_an_import_replaces_unconfirmed_aligned_english_without_a_conflict(tmp_path):
    from translate.postedit.exchange import Unit, UnitFile
    from translate.postedit.merge import plan_units
    from translate.postedit.store import Placement

    path = aligned_store(tmp_path / "x.en.po")
    _, po = load_po(path)
    placed = {e.id: Placement(e) for e in po_edits(po, path)}
    units = (Unit("b001.s1", SEGMENTS[0].zh, "The factory will employ 2,000 people.", "confirmed", 3, ""),)
    plan = plan_units(UnitFile(path, "x", units, "tmx", 1), SEGMENTS, {}, placed)
    assert [o.kind for o in plan.outcomes] == ["applied"]
    applied = plan.placed["b001.s1"].edit
    assert (applied.origin, applied.flags, applied.aligned_note) == ("edited", (), "")
