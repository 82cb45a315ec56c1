"""A long-lived process (``bitext serve``) reuses an article's translation, post-editing and checks only while
everything they were made from is equal: after every change below, the edition is the one a fresh process makes."""

from __future__ import annotations

import copy
import sqlite3
from collections import Counter

import pytest
from factories import REUSE_BODIES, reuse_project

from translate import pipeline, quality, rebuild
from translate.postedit import apply
from translate.translation import translator

TERMS = ("zh,en,variants,keep,case,kind,note,alternates,pos\n大模型,large model,,,,concept,,,\n"
         "算力,compute,,,,concept,,,\n芯片,chip,,,,concept,,,\n")


@pytest.fixture
def project(tmp_path, monkeypatch):
    from translate.settings import load_settings

    for module in (translator, apply, quality):
        monkeypatch.setattr(module, "_KEPT", {})
    monkeypatch.setattr(translator, "_SEGMENTS", translator._Segments())
    monkeypatch.setattr(translator, "_PLANS", translator._Plans())
    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [True])  # a long-lived process (bitext serve)
    return load_settings(reuse_project(tmp_path / "project", TERMS))


class Spy:
    """Which articles each stage made again (not reused) in the last build."""

    def __init__(self, monkeypatch):
        self.made: dict[str, Counter] = {}
        # An article translated again (its sentences made again where what made them changed).
        self._spy(monkeypatch, translator._SEGMENTS, "maker", "translate", lambda args: args[0])
        self._spy(monkeypatch, apply, "sync_store", "postedit", lambda args: args[1])
        self._spy(monkeypatch, quality, "check_article", "check", lambda args: args[0].slug)

    def _spy(self, monkeypatch, module, name, stage, slug_of):
        original = getattr(module, name)

        def spying(*args, **kwargs):
            self.made.setdefault(stage, Counter())[slug_of(args)] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, spying)

    def build(self, settings, engine):
        self.made = {}
        return pipeline.translated_edition(settings, engine, build_date="2025-01-01")

    def slugs(self, stage):
        return set(self.made.get(stage, ()))


def _fresh(settings, engine, monkeypatch):
    """The edition a fresh process makes of the same inputs (same memory, same stores), its stores left alone."""
    with monkeypatch.context() as scoped:
        for module in (translator, apply, quality):
            scoped.setattr(module, "_KEPT", {})
        scoped.setattr(translator, "_SEGMENTS", translator._Segments())
        scoped.setattr(translator, "_PLANS", translator._Plans())
        return pipeline.translated_edition(settings, engine, build_date="2025-01-01", write_stores=False)


def _uncounted(edition):
    """The edition less what tells a memory's hits from its misses (a fresh process finds what this one wrote)."""
    from dataclasses import replace

    def segment(s):
        return None if s is None else replace(s, cached=False)

    articles = tuple(replace(a, stats=None, title=segment(a.title), blocks=tuple(
        replace(b, segments=tuple(segment(s) for s in b.segments), speaker=segment(b.speaker)) for b in a.blocks))
        for a in edition.articles)
    report = replace(edition.report, articles=tuple(replace(r, cache_hits=0, cache_misses=0)
                                                    for r in edition.report.articles))
    return replace(edition, articles=articles, report=report)


def _same_as_fresh(edition, settings, engine, monkeypatch):
    expected = _fresh(settings, engine, monkeypatch)
    assert _uncounted(edition) == _uncounted(expected)
    assert edition.articles  # and the counts where the memory answered both alike
    return expected


def _edit_terms(settings, old, new):
    path = settings.glossary_path
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _english(edition, slug):
    article = next(a for a in edition.articles if a.slug == slug)
    return " ".join(s.en for s in article.segments).lower()


@pytest.fixture
def live(project, monkeypatch):
    """The project built twice in this process: the second build's results came whole from the memory (kept)."""
    from translate.translation import open_engine

    engine = open_engine(project, "gloss")
    spy = Spy(monkeypatch)
    spy.build(project, engine)
    spy.build(project, engine)
    return project, engine, spy


def test_an_unchanged_edition_is_reused_whole_and_equals_a_fresh_one(live, monkeypatch):
    settings, engine, spy = live
    again = spy.build(settings, engine)
    assert spy.made == {}
    assert again == _fresh(settings, engine, monkeypatch)  # every count too: the memory answers both


def test_a_term_edit_reaches_every_article_that_holds_the_term_and_no_other(live, monkeypatch):
    settings, engine, spy = live
    _edit_terms(settings, "芯片,chip", "芯片,semiconductor")
    edition = spy.build(settings, engine)
    assert spy.slugs("translate") == spy.slugs("postedit") == spy.slugs("check") == {"beta", "gamma"}
    assert "semiconductor" in _english(edition, "beta") and "semiconductor" in _english(edition, "gamma")
    _same_as_fresh(edition, settings, engine, monkeypatch)

    spy.build(settings, engine)  # beta's and gamma's new sentences are answered by the memory now: kept
    assert spy.slugs("translate") == {"beta", "gamma"}
    # What the memory's key leaves out but the honour rule reads (the alternates, the part of speech).
    _edit_terms(settings, "大模型,large model,,,,concept,,,", "大模型,large model,,,,concept,,big model,noun")
    edition = spy.build(settings, engine)
    assert spy.slugs("translate") == {"alpha", "gamma"}
    _same_as_fresh(edition, settings, engine, monkeypatch)
    uses = [t for a in edition.articles if a.slug == "alpha" for s in a.segments for t in s.terms if t.zh == "大模型"]
    assert uses and all(t.alternates == ("big model",) for t in uses)


def test_a_row_added_above_others_touches_only_the_articles_that_hold_it(live, monkeypatch):
    settings, engine, spy = live
    _edit_terms(settings, "大模型,large model", "天气,weather,,,,concept,,,\n大模型,large model")
    edition = spy.build(settings, engine)
    assert spy.slugs("translate") == {"delta"}  # the other entries' lines moved; nothing they give a sentence
    assert "weather" in _english(edition, "delta")
    _same_as_fresh(edition, settings, engine, monkeypatch)


def test_a_store_edited_on_disk_is_read_again(live, monkeypatch):
    settings, engine, spy = live
    store = settings.corpus_dir / "alpha.en.po"
    text = store.read_text(encoding="utf-8")
    marker = 'msgctxt "b001.s2"\nmsgid "算力是关键。"\nmsgstr ""'
    assert marker in text
    store.write_text(text.replace(marker, marker[:-2] + '"Compute is what matters."'), encoding="utf-8")
    edition = spy.build(settings, engine)
    assert spy.slugs("translate") == set() and spy.slugs("postedit") == {"alpha"}
    assert "compute is what matters." in _english(edition, "alpha")
    _same_as_fresh(edition, settings, engine, monkeypatch)

    # The same bytes written again (a new time, equal text): the store's result stands.
    store.write_text(store.read_text(encoding="utf-8"), encoding="utf-8")
    spy.build(settings, engine)
    assert spy.slugs("postedit") == set()


def test_another_engine_setting_or_a_memory_written_elsewhere_translates_again(live, monkeypatch):
    settings, engine, spy = live
    other = copy.copy(engine)
    other.options = engine.options + ";another-setting"
    edition = spy.build(settings, other)
    assert spy.slugs("translate") == set(REUSE_BODIES)
    _same_as_fresh(edition, settings, other, monkeypatch)

    spy.build(settings, engine)  # back: the memory answers every sentence again, and the results are kept
    spy.build(settings, engine)
    assert spy.made == {}
    with sqlite3.connect(settings.build_dir / "memory.sqlite") as db:  # another process forgets a sentence
        db.execute("DELETE FROM translations WHERE source = ?", ("今天天气很好。",))
    db.close()
    edition = spy.build(settings, engine)
    assert spy.slugs("translate") == set(REUSE_BODIES)
    assert edition.articles[3].stats.cache_misses == 1
    _same_as_fresh(edition, settings, engine, monkeypatch)


def test_a_store_a_check_left_behind_is_written_by_the_next_build(live, monkeypatch):
    settings, engine, spy = live
    spy.made = {}
    pipeline.translated_edition(settings, engine, build_date="2025-01-01", write_stores=False)  # `bitext check`
    assert spy.made == {}
    store = settings.corpus_dir / "alpha.en.po"
    store.unlink()
    pipeline.translated_edition(settings, engine, build_date="2025-01-01", write_stores=False)
    assert spy.slugs("postedit") == {"alpha"} and not store.exists()
    edition = spy.build(settings, engine)
    assert spy.slugs("postedit") == {"alpha"} and store.exists()
    _same_as_fresh(edition, settings, engine, monkeypatch)


def test_a_changed_sentence_is_checked_again_and_the_others_keep_their_flags(monkeypatch):
    from dataclasses import replace

    from factories import sample_edition

    monkeypatch.setattr(quality, "_KEPT", {})
    edition = sample_edition()
    quality.check_edition(edition)
    article = edition.articles[0]
    block = article.blocks[0]
    segment = block.segments[0]
    changed = replace(article, blocks=(replace(block, segments=(replace(segment, en=segment.en + " 未译"),
                                                                 *block.segments[1:])), *article.blocks[1:]))
    checked = []
    original = quality.segment_flags

    def spying(s, **kwargs):
        checked.append(s.id)
        return original(s, **kwargs)

    monkeypatch.setattr(quality, "segment_flags", spying)
    report = quality.check_edition(replace(edition, articles=(changed, *edition.articles[1:])))
    assert checked == [segment.id]
    monkeypatch.setattr(quality, "segment_flags", original)
    assert report.articles[0] == quality.check_article(changed)
    assert any(f["kind"] == "untranslated" and f["segment"] == segment.id for f in report.articles[0].flags)
