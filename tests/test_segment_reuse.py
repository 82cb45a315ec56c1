"""A term edit in a long-lived process (``bitext serve``) makes again only the sentences whose Chinese may hold a
changed entry, in the articles it reaches; the edition is the one a fresh process makes."""

from __future__ import annotations

from factories import reuse_project

from translate import pipeline, rebuild
from translate.postedit import apply
from translate.translation import translator

TERMS = "zh,en,variants,keep,case,kind,note\n大模型,large model,,,,concept,\n算力,compute,,,,concept,\n芯片,chip,,,,concept,\n"


def _fresh_process(monkeypatch):
    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [True])  # a long-lived process (bitext serve)
    for module in (translator, apply):
        monkeypatch.setattr(module, "_KEPT", {})
    monkeypatch.setattr(translator, "_SEGMENTS", translator._Segments())
    monkeypatch.setattr(translator, "_PLANS", translator._Plans())


def test_a_term_edit_makes_again_only_the_sentences_that_may_hold_it(tmp_path, monkeypatch):
    from translate.settings import load_settings
    from translate.translation import open_engine

    _fresh_process(monkeypatch)
    settings = load_settings(reuse_project(tmp_path / "project", TERMS))
    engine = open_engine(settings, "gloss")
    made: list[tuple[str, str]] = []
    original = translator._segment

    def counting(slug, block_id, planned, *args):
        made.append((slug, planned.id))
        return original(slug, block_id, planned, *args)

    monkeypatch.setattr(translator, "_segment", counting)
    pipeline.translated_edition(settings, engine, build_date="2025-01-01")
    pipeline.translated_edition(settings, engine, build_date="2025-01-01")  # all from the memory now: kept
    path = settings.glossary_path
    path.write_text(path.read_text(encoding="utf-8").replace("算力,compute", "算力,computing power"), encoding="utf-8")
    made.clear()
    edition = pipeline.translated_edition(settings, engine, build_date="2025-01-01")
    # alpha (大模型正在改变世界。算力是关键。) and beta (芯片短缺影响算力。) hold the term; of alpha only its second
    # sentence does (its title and first sentence are kept), of beta its one sentence.
    assert sorted(made) == [("alpha", "b001.s2"), ("beta", "b001.s1")]
    english = {a.slug: " ".join(s.en for s in a.segments).lower() for a in edition.articles}
    assert "computing power" in english["alpha"] and "computing power" in english["beta"]

    made.clear()
    _fresh_process(monkeypatch)
    fresh = pipeline.translated_edition(settings, engine, build_date="2025-01-01", write_stores=False)
    assert len(made) > 2  # a fresh process makes every sentence

    def uncounted(e):
        from dataclasses import replace

        return tuple(replace(a, stats=None, title=replace(a.title, cached=False), blocks=tuple(
            replace(b, segments=tuple(replace(s, cached=False) for s in b.segments)) for b in a.blocks))
            for a in e.articles)

    assert uncounted(edition) == uncounted(fresh)
