"""The shown edition in a long-lived process: an edited article's unchanged sentences are not typeset again."""

from __future__ import annotations

from dataclasses import replace

from factories import sample_edition
from translate.render import views


def _edit_first_segment(article, en: str):
    index = next(i for i, b in enumerate(article.blocks) if b.segments)
    block = article.blocks[index]
    edited = replace(block, segments=(replace(block.segments[0], en=en), *block.segments[1:]))
    return replace(article, blocks=(*article.blocks[:index], edited, *article.blocks[index + 1:])), block.segments[0].id


def test_an_edited_article_typesets_again_only_its_changed_segments(monkeypatch):
    monkeypatch.setattr(views, "_SHOWN", {})
    typeset: list[str] = []
    original = views.shown_segment

    def counting(segment):
        typeset.append(segment.id)
        return original(segment)

    monkeypatch.setattr(views, "shown_segment", counting)
    articles = sample_edition().articles
    views._shown_articles(articles)
    assert typeset
    machine = [a for a in articles if any(s.origin not in ("edited", "aligned") for s in a.segments)][0]
    edited, segment_id = _edit_first_segment(machine, 'A "quoted" sentence , edited .')
    changed = tuple(edited if a.slug == machine.slug else a for a in articles)
    typeset.clear()
    shown = views._shown_articles(changed)
    body = [s for s in typeset if any(s == seg.id for b in edited.blocks for seg in b.segments)]
    assert body == [segment_id]
    # What a process that never showed the article before makes of it.
    monkeypatch.setattr(views, "shown_segment", original)
    fresh = views._shown_article(edited)
    assert shown[[a.slug for a in changed].index(machine.slug)] == fresh
    assert any(s.en == "A “quoted” sentence, edited." for s in fresh.segments)
