"""The PO store on its own: placing entries on the current segments, reading hostile or damaged files."""

import pytest

from translate.errors import PostEditError
from translate.postedit.store import (
    Edit,
    StoreSegment,
    place_edits,
    read_store,
    render_store,
    sync_store,
)


def seg(id, zh, draft=""):
    return StoreSegment(id, zh, draft)


def test_an_edit_follows_its_chinese_when_a_paragraph_is_inserted_before_it():
    edits = [Edit("b001.s1", "甲。", "A."), Edit("b002.s1", "乙。", "")]
    placed, leftover = place_edits([seg("b001.s1", "丙。"), seg("b002.s1", "甲。"), seg("b003.s1", "乙。")], edits)
    assert placed["b002.s1"].edit == Edit("b002.s1", "甲。", "A.")
    assert placed["b002.s1"].moved_from == "b001.s1"
    assert "b001.s1" not in placed and leftover == []


def test_deleting_a_paragraph_does_not_hand_its_edit_to_the_next_one():
    # The next paragraph takes over the deleted one's id; it must take its own entry,
    # and the deleted paragraph's edit is kept as an obsolete entry.
    edits = [Edit("b001.s1", "甲。", "A."), Edit("b002.s1", "乙。", "")]
    placed, leftover = place_edits([seg("b001.s1", "乙。")], edits)
    assert placed["b001.s1"].edit == Edit("b001.s1", "乙。", "")
    assert leftover == [Edit("b001.s1", "甲。", "A.")]


def test_a_changed_chinese_makes_the_edit_stale_with_the_previous_chinese():
    placed, _ = place_edits([seg("b001.s1", "甲乙。")], [Edit("b001.s1", "甲。", "A.")])
    edit = placed["b001.s1"].edit
    assert (edit.fuzzy, edit.previous_zh, edit.en, edit.stale, edit.edited) == (True, "甲。", "A.", True, False)


def test_a_stale_edit_keeps_the_chinese_it_was_written_for_through_a_second_change():
    placed, _ = place_edits([seg("b001.s1", "甲乙丙。")],
                            [Edit("b001.s1", "甲乙。", "A.", fuzzy=True, previous_zh="甲。")])
    assert placed["b001.s1"].edit.previous_zh == "甲。"


def test_repeated_sentences_take_their_entries_in_reading_order():
    edits = [Edit("b001.speaker", "周明", "Zhou Ming"), Edit("b003.speaker", "周明", "Zhou Ming (CEO)")]
    segments = [seg("b002.speaker", "周明"), seg("b004.speaker", "周明")]
    placed, leftover = place_edits(segments, edits)
    assert [placed[s.id].edit.en for s in segments] == ["Zhou Ming", "Zhou Ming (CEO)"]
    assert leftover == []


def test_an_obsolete_entry_comes_back_when_its_chinese_does():
    edits = [Edit("b001.s1", "乙。", ""), Edit("b009.s1", "甲。", "A.", obsolete=True)]
    placed, leftover = place_edits([seg("b001.s1", "乙。"), seg("b002.s1", "甲。")], edits)
    assert placed["b002.s1"].edit == Edit("b002.s1", "甲。", "A.")
    assert leftover == []


def test_entries_without_work_are_dropped_and_comments_kept():
    edits = [Edit("b001.s1", "甲。", ""), Edit("b002.s1", "乙。", "", comment="ask the author")]
    placed, leftover = place_edits([seg("b001.s1", "丙。")], edits)
    assert leftover == [Edit("b002.s1", "乙。", "", comment="ask the author")]


def test_sync_writes_a_store_that_reads_back_and_a_second_sync_rewrites_nothing(tmp_path):
    path = tmp_path / "a.en.po"
    segments = [seg("title", "标题", "Title"), seg("b001.s1", "甲。", "First.")]
    sync_store(path, "a", segments)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgid "甲。"\nmsgstr ""', 'msgid "甲。"\nmsgstr "A."'), encoding="utf-8")
    first = path.read_bytes()
    assert sync_store(path, "a", segments).written is False
    assert path.read_bytes() == first
    assert [e.en for e in read_store(path)] == ["", "A."]


def test_an_obsolete_entry_with_the_id_of_an_active_one_is_not_a_duplicate(tmp_path):
    # polib lists obsolete entries among the active ones; the store must not read them twice.
    path = tmp_path / "a.en.po"
    sync_store(path, "a", [seg("b001.s1", "甲。"), seg("b002.s1", "乙。")])
    path.write_text(path.read_text(encoding="utf-8").replace('msgid "甲。"\nmsgstr ""', 'msgid "甲。"\nmsgstr "A."'),
                    encoding="utf-8")
    sync_store(path, "a", [seg("b001.s1", "乙。")])  # paragraph 1 deleted: its edit becomes obsolete
    assert '#~ msgctxt "b001.s1"' in path.read_text(encoding="utf-8")
    edits = read_store(path)
    assert [(e.id, e.zh, e.en, e.obsolete) for e in edits] == [("b001.s1", "乙。", "", False),
                                                               ("b001.s1", "甲。", "A.", True)]
    sync_store(path, "a", [seg("b001.s1", "甲。"), seg("b002.s1", "乙。")])  # and back
    assert [(e.id, e.en) for e in read_store(path)] == [("b001.s1", "A."), ("b002.s1", "")]


def test_render_store_keeps_html_as_text():
    text = render_store("a", [seg("b001.s1", "甲。")],
                        {"b001.s1": place_edits([seg("b001.s1", "甲。")],
                                                [Edit("b001.s1", "甲。", '<script>alert("x")</script>')])[0]["b001.s1"]},
                        ())
    assert 'msgstr "<script>alert(\\"x\\")</script>"' in text


@pytest.mark.parametrize("content, message, line", [
    ('msgctxt "a"\nmsgid "甲"\nmsgstr "cut off', "a string does not close on its line", 3),
    ('msgctxt "a"\nmsgid "甲"\n', "entry without msgstr", 2),
    ('msgctxt "a"\nmsgid "甲"\nmsgstr "A"\n\nmsgctxt "a"\nmsgid "乙"\nmsgstr "B"\n', "segment 'a' appears twice", 5),
    ('msgid "甲"\nmsgstr "A"\n', "entry without msgctxt", 1),
    ('<?xml version="1.0"?>\n<xliff/>\n', "not a PO line", 1),
])
def test_damaged_stores_are_one_line_errors_with_their_line(tmp_path, content, message, line):
    path = tmp_path / "a.en.po"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PostEditError) as caught:
        read_store(path)
    assert message in caught.value.message and caught.value.line == line and caught.value.path == path


def test_a_store_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "a.en.po"
    path.write_bytes('msgctxt "a"\nmsgid "x"\nmsgstr "caf'.encode() + "é\"\n".encode("latin-1"))
    with pytest.raises(PostEditError, match="not UTF-8; save the PO file as UTF-8") as caught:
        read_store(path)
    assert caught.value.line == 3


def test_a_store_whose_text_names_a_file_is_not_read_as_that_file(tmp_path):
    # polib.pofile(text) opens `text` as a path when such a file exists.
    other = tmp_path / "other.po"
    other.write_text('msgctxt "x"\nmsgid "甲"\nmsgstr "stolen"\n', encoding="utf-8")
    path = tmp_path / "a.en.po"
    path.write_text(str(other), encoding="utf-8")
    with pytest.raises(PostEditError, match="not a PO line"):
        read_store(path)


def test_a_deleted_paragraph_keeps_its_edit_to_itself_among_repeated_sentences():
    edits = [Edit("b001.s1", "甲。", "A."), Edit("b002.s1", "乙。", ""), Edit("b003.s1", "乙。", "")]
    placed, leftover = place_edits([seg("b001.s1", "乙。"), seg("b002.s1", "乙。")], edits)
    assert [placed[i].edit.en for i in ("b001.s1", "b002.s1")] == ["", ""]
    assert leftover == [Edit("b001.s1", "甲。", "A.")]


@pytest.mark.hostile("interchange")
def test_thousands_of_entries_sharing_one_chinese_are_placed_in_linear_time():
    # What an XLIFF of units copied under new ids gives: 10,000 entries of one sentence, which the
    # article repeats 20 times. Each segment used to rebuild its list of free entries with a list scan
    # per entry (10^8 comparisons a segment); now the entries are offered once, in order.
    import time

    edits = [Edit(f"copy{n}", "乙。", f"B {n}.") for n in range(10_000)]
    segments = [seg(f"b{n:03d}.s1", "乙。") for n in range(20)]
    started = time.monotonic()
    placed, leftover = place_edits(segments, edits)
    assert time.monotonic() - started < 5, "placing 10,000 entries must take well under a second"
    assert [placed[s.id].edit.en for s in segments] == [f"B {n}." for n in range(20)]
    assert len(leftover) == 10_000 - 20 and leftover[0].id == "copy20"
