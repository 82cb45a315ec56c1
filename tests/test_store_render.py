"""A PO store is written entry by entry (remembered between syncs): the text is the one polib writes whole."""

from __future__ import annotations

from translate.postedit.store import Edit, Placement, StoreSegment, _one_line, entry_comments, render_store


def _polib_whole(slug, segments, placed, leftover, metadata, notes):
    """The store as polib writes a whole file (what render_store wrote before it kept entries)."""
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": slug, "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit",
                   **{k: v for k, v in metadata.items()
                      if k not in ("Content-Type", "Content-Transfer-Encoding", "Language", "X-Source-Language")},
                   "Language": "en", "X-Source-Language": metadata.get("X-Source-Language", "zh")}
    for segment in segments:
        placement = placed.get(segment.id)
        edit = placement.edit if placement else Edit(segment.id, segment.zh, "")
        comments = entry_comments(segment, edit, notes.get(segment.id, ()))
        po.append(polib.POEntry(msgctxt=segment.id, msgid=segment.zh, msgstr=edit.en, comment="\n".join(comments),
                                tcomment=edit.comment, flags=(["fuzzy"] if edit.fuzzy else []) + list(edit.flags),
                                previous_msgid=edit.previous_zh or None))
    for edit in leftover:
        po.append(polib.POEntry(msgctxt=edit.id or None, msgid=edit.zh, msgstr=edit.en, tcomment=edit.comment,
                                comment=_one_line(edit.aligned_note) if edit.aligned_note else "",
                                flags=(["fuzzy"] if edit.fuzzy else []) + list(edit.flags),
                                previous_msgid=edit.previous_zh or None, obsolete=True))
    return po.__unicode__()


def test_a_store_written_entry_by_entry_is_the_text_polib_writes_whole(monkeypatch):
    from translate import rebuild

    hostile = 'say "hi" \\ back\\slash\ttab'
    segments = [
        StoreSegment("title", "标题", "Title", ("标题 → title",), "gloss"),
        StoreSegment("b001.s1", "大模型正在改变世界。", 'A "large model" \\ is changing the world.',
                     ("大模型 → large model (also: LLM, big model)",), "mt"),
        StoreSegment("b001.s2", "算力是关键。", "", ()),
        StoreSegment("b002.s1", "第二段\n换行。", hostile, ("算力 → compute", "芯片 → chip")),
        StoreSegment("b002.speaker", "记者", "Reporter", ()),
        StoreSegment("b003.s1", "对齐的句子。", "", ()),
    ]
    placed = {
        "b001.s1": Placement(Edit("b001.s1", "大模型正在改变世界。", "Big models change the world.",
                                  comment="checked by Li\nsecond line")),
        "b002.s1": Placement(Edit("b002.s1", "第二段\n换行。", "A stale one.", fuzzy=True, previous_zh="旧的中文。",
                                  flags=("c-format",)), moved_from="b009.s1"),
        "b003.s1": Placement(Edit("b003.s1", "对齐的句子。", "An aligned sentence.", flags=("aligned",),
                                  aligned_note="aligned (0.62): An aligned sentence.")),
    }
    leftover = [Edit("b007.s1", "删掉的句子。", "A removed sentence.", comment="keep me", obsolete=True),
                Edit("", "无编号。", "No id.", fuzzy=True, previous_zh="旧。", obsolete=True,
                     aligned_note="aligned: not in the English")]
    metadata = {"Last-Translator": "Li <li@example.org>", "X-Source-Language": "zh-Hant", "Language": "fr"}
    notes = {"b001.s2": ("a note for the translator", hostile)}
    for case in ((segments, placed, leftover, metadata, notes), (segments, {}, [], {}, {}), ([], {}, leftover, {}, {})):
        expected = _polib_whole("slug", *case)
        assert render_store("slug", *case) == expected  # a one-off build
        monkeypatch.setattr(rebuild, "_KEEP_PIECES", [True])  # a long-lived process (bitext serve)
        assert render_store("slug", *case) == expected
        assert render_store("slug", *case) == expected  # again, from the remembered entries
        monkeypatch.setattr(rebuild, "_KEEP_PIECES", [False])
