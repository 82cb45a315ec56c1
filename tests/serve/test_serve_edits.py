"""One segment saved from the editor: validated like an import, written atomically under the locks, undoable."""

import re

import pytest

from translate.errors import PostEditError
from translate.glossary import Glossary
from translate.models import Term
from translate.postedit.segmentsave import EditConflictError, read_entry, restore_entry, save_segment
from translate.postedit.exchange import entry_key
from translate.postedit.store import StoreSegment, read_store, render_store

SEGMENTS = [
    StoreSegment("b001.s1", "周明创立了澜舟科技。", "Zhou Ming establish Langboat.", ("周明 → Zhou Ming", "澜舟科技 → Langboat")),
    StoreSegment("b001.s2", "他认为**大模型**很重要。", "He believe **large model** very important.", ("大模型 → large model",)),
    StoreSegment("b002.s1", "第三段没有术语。", "But three paragraph not have term."),
]
GLOSSARY = Glossary.from_terms((Term(zh="周明", en="Zhou Ming"), Term(zh="澜舟科技", en="Langboat"),
                                Term(zh="大模型", en="large model")))


@pytest.fixture
def project(tmp_path):
    corpus, build = tmp_path / "corpus", tmp_path / "build"
    corpus.mkdir()
    (corpus / "a.en.po").write_text(render_store("a", SEGMENTS, {}, []), encoding="utf-8")
    return corpus, build


def save(project, segment="b001.s1", en="Zhou Ming founded Langboat.", *, zh=None, base=None):
    corpus, build = project
    entry = read_entry(corpus, "a", segment)
    return save_segment(build, corpus, "a", segment, zh=entry.zh if zh is None else zh, en=en,
                        base=entry_key(entry) if base is None else base, glossary=GLOSSARY)


def test_a_save_changes_one_entry_and_nothing_else(project):
    corpus, _ = project
    before = (corpus / "a.en.po").read_text(encoding="utf-8")
    saved = save(project, en="  Zhou Ming\n founded Langboat. ")
    after = (corpus / "a.en.po").read_text(encoding="utf-8")
    assert saved.written and saved.after.en == "Zhou Ming founded Langboat." and saved.after.edited
    assert saved.problems == ()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [('msgstr ""', 'msgstr "Zhou Ming founded Langboat."')]
    assert {e.id: e.en for e in read_store(corpus / "a.en.po")}["b001.s1"] == "Zhou Ming founded Langboat."
    assert not list(corpus.glob(".bitext-tmp-*"))


def test_saving_the_same_english_writes_nothing(project):
    corpus, _ = project
    save(project)
    stamp = (corpus / "a.en.po").stat().st_ino
    again = save(project)
    assert not again.written and (corpus / "a.en.po").stat().st_ino == stamp


def test_a_missing_glossary_term_is_reported_not_refused(project):
    saved = save(project, en="Zhou Ming founded a company.")
    assert saved.written
    assert [(p.kind, p.detail) for p in saved.problems] == [("term", "澜舟科技 must come out as 'Langboat'")]


def test_a_stale_version_is_a_conflict_with_both_texts(project):
    corpus, _ = project
    opened = entry_key(read_entry(corpus, "a", "b001.s1"))
    save(project, en="Zhou Ming founded Langboat (tab one).")
    with pytest.raises(EditConflictError) as caught:
        save(project, en="Zhou Ming set up Langboat (tab two).", base=opened)
    assert caught.value.kind == "english"
    assert caught.value.current == "Zhou Ming founded Langboat (tab one)."
    assert caught.value.yours == "Zhou Ming set up Langboat (tab two)."
    assert read_entry(corpus, "a", "b001.s1").en == "Zhou Ming founded Langboat (tab one)."
    # Saving again over the version the conflict named is the translator's choice to keep theirs.
    over = save(project, en="Zhou Ming set up Langboat (tab two).", base=caught.value.version)
    assert over.written and read_entry(corpus, "a", "b001.s1").en == "Zhou Ming set up Langboat (tab two)."


def test_a_changed_chinese_is_a_conflict(project):
    with pytest.raises(EditConflictError) as caught:
        save(project, zh="周明创立了公司。")
    assert caught.value.kind == "chinese" and caught.value.zh == "周明创立了澜舟科技。"


@pytest.mark.parametrize(("segment", "en", "message"), [
    ("b009.s1", "Anything.", "no segment 'b009.s1' in this store"),
    ("b001.s2", "He thinks large models matter.", "bold markup differs"),
    ("b001.s1", "Zhou\x1bMing", "control character (U+001B)"),
    ("b001.s1", " \n ", "the English is empty"),
    ("b001.s1", "x" * 5001, "longer than 5,000 characters"),
])
def test_what_an_import_refuses_is_refused_and_nothing_is_written(project, segment, en, message):
    corpus, build = project
    before = (corpus / "a.en.po").read_bytes()
    zh = {s.id: s.zh for s in SEGMENTS}.get(segment, "周明")
    with pytest.raises(PostEditError, match=re.escape(message)):
        save_segment(build, corpus, "a", segment, zh=zh, en=en, base=entry_key(None), glossary=GLOSSARY)
    assert (corpus / "a.en.po").read_bytes() == before


@pytest.mark.parametrize(("slug", "segment"), [("../a", "b001.s1"), ("a", "../b001"), ("a/b", "b001.s1"),
                                               ("", "b001.s1"), ("a", "")])
def test_ids_that_are_not_ids_are_refused(project, slug, segment):
    corpus, _ = project
    with pytest.raises(PostEditError, match="is not an? (article slug|segment id)"):
        read_entry(corpus, slug, segment)


def test_an_article_without_a_store(project):
    corpus, _ = project
    with pytest.raises(PostEditError, match="no post-editing store for article 'b'; build the edition first"):
        read_entry(corpus, "b", "b001.s1")


def test_undo_puts_the_entry_back_exactly(project):
    corpus, build = project
    before = (corpus / "a.en.po").read_bytes()
    saved = save(project)
    restored = restore_entry(build, corpus, "a", saved.before, base=saved.version, glossary=GLOSSARY)
    assert restored.written and (corpus / "a.en.po").read_bytes() == before


def test_undo_after_a_later_save_is_a_conflict(project):
    corpus, build = project
    first = save(project)
    save(project, en="Zhou Ming founded Langboat in 2021.")
    with pytest.raises(EditConflictError) as caught:
        restore_entry(build, corpus, "a", first.before, base=first.version, glossary=GLOSSARY)
    assert caught.value.current == "Zhou Ming founded Langboat in 2021."
    assert read_entry(corpus, "a", "b001.s1").en == "Zhou Ming founded Langboat in 2021."


def test_a_save_on_a_stale_edit_reviews_it(project):
    corpus, build = project
    text = (corpus / "a.en.po").read_text(encoding="utf-8").replace(
        'msgctxt "b002.s1"\nmsgid "第三段没有术语。"\nmsgstr ""',
        '#, fuzzy\n#| msgid "第三段没有词。"\nmsgctxt "b002.s1"\nmsgid "第三段没有术语。"\nmsgstr "The third has no word."')
    (corpus / "a.en.po").write_text(text, encoding="utf-8")
    entry = read_entry(corpus, "a", "b002.s1")
    assert entry.stale and entry.previous_zh == "第三段没有词。"
    saved = save(project, "b002.s1", en="The third paragraph has no terms.")
    assert saved.after.edited and not saved.after.fuzzy and not saved.after.previous_zh
    assert "#|" not in (corpus / "a.en.po").read_text(encoding="utf-8")
