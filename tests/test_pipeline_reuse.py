"""A build in a long-lived process (``bitext serve``) writes again only the translation files whose article changed."""

from __future__ import annotations

import json
from dataclasses import replace

from factories import sample_edition
from translate import pipeline


def _stamp(path):
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def test_translation_files_are_serialised_again_only_for_a_changed_article_or_a_touched_file(tmp_path, monkeypatch):
    import translate.translation as translation

    monkeypatch.setattr(pipeline, "_WRITTEN", {})
    serialised: list[str] = []
    original = translation.write_translations

    def counting(articles, out_dir):
        serialised.extend(a.slug for a in articles)
        return original(articles, out_dir)

    monkeypatch.setattr(translation, "write_translations", counting)
    out = tmp_path / "translations"
    articles = sample_edition().articles
    first = pipeline._write_translations(articles, out)
    assert [p.name for p in first] == [f"{a.slug}.json" for a in articles]
    assert serialised == [a.slug for a in articles]

    # Equal articles (a new build's objects): nothing serialised, nothing written.
    serialised.clear()
    stamps = {p: _stamp(p) for p in first}
    again = pipeline._write_translations(tuple(replace(a) for a in articles), out)
    assert again == first and serialised == [] and {p: _stamp(p) for p in first} == stamps

    # One article's English changed; another's file edited by hand: both written, the rest left alone.
    changed, touched = articles[0], articles[1]
    block = changed.blocks[0]
    edited = replace(changed, blocks=(replace(block, segments=(replace(block.segments[0], en="Changed English."),
                                                                *block.segments[1:])), *changed.blocks[1:]))
    (out / f"{touched.slug}.json").write_text("{}", encoding="utf-8")
    serialised.clear()
    pipeline._write_translations((edited, touched, *articles[2:]), out)
    assert sorted(serialised) == sorted([changed.slug, touched.slug])
    record = json.loads((out / f"{changed.slug}.json").read_text(encoding="utf-8"))
    assert "Changed English." in json.dumps(record, ensure_ascii=False)
    assert json.loads((out / f"{touched.slug}.json").read_text(encoding="utf-8")) != {}
