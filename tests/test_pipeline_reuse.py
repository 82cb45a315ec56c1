"""A build in a long-lived process (``bitext serve``) writes again only the translation files whose article changed."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from factories import reuse_project, sample_edition
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


def _project(root):
    return reuse_project(root, "zh,en,variants,keep,case,kind,note\n大模型,large model,,,,concept,\n算力,compute,,,,concept,\n"
                               "芯片,chip,,,,concept,\n")


def _outputs(build_dir):
    return {str(p.relative_to(build_dir)): p.read_bytes() for p in sorted(build_dir.rglob("*"))
            if p.is_file() and p.parent.name in ("html", "translations")}


def test_a_term_edit_in_a_long_lived_process_writes_what_a_fresh_build_writes(tmp_path, monkeypatch):
    """serve's loop: build, edit one term's English, build again in the same process; then a fresh process's build."""
    from translate.corpus import article as corpus_article
    from translate.render import html, reuse, views
    from translate.settings import load_settings

    def fresh_process():
        monkeypatch.setattr(html, "_PAGES", html._Pages())
        monkeypatch.setattr(views, "_SHOWN", {})
        monkeypatch.setattr(reuse, "_READS", {})
        monkeypatch.setattr(pipeline, "_WRITTEN", {})
        monkeypatch.setattr(corpus_article, "_LOADED", {})

    live, fresh = _project(tmp_path / "live"), _project(tmp_path / "fresh")
    fresh_process()
    settings = load_settings(live)
    pipeline.build_edition(settings, pdf=False, epub=False)
    before = _outputs(settings.build_dir)
    for root in (live, fresh):
        terms = root / "glossary" / "terms.csv"
        terms.write_text(terms.read_text(encoding="utf-8").replace("算力,compute", "算力,computing power"),
                         encoding="utf-8")
    pipeline.build_edition(settings, pdf=False, epub=False)
    after = _outputs(settings.build_dir)

    fresh_process()
    fresh_settings = load_settings(fresh)
    pipeline.build_edition(fresh_settings, pdf=False, epub=False)
    expected = _outputs(fresh_settings.build_dir)
    # The translations and the report page count cache hits, where a fresh build (a new memory) has misses:
    # the pages are compared whole, the report less that count.
    pages = {name for name in expected if name.startswith("html/")}
    assert set(after) == set(expected)

    def uncounted(data: bytes) -> bytes:
        return re.sub(rb"cache hits \d+, misses \d+", b"", data)

    assert {name: uncounted(after[name]) for name in pages} == {name: uncounted(expected[name]) for name in pages}
    assert {name: after[name] for name in pages - {"html/report.html"}} == {
        name: expected[name] for name in pages - {"html/report.html"}}
    for slug in ("alpha", "beta"):
        assert b"computing power" in after[f"html/{slug}.html"].lower()
        assert b"computing power" not in before[f"html/{slug}.html"].lower()
    assert after["html/gamma.html"] == before["html/gamma.html"]
    assert after["html/delta.html"] == before["html/delta.html"]
    assert b"computing power" in after["html/glossary.html"]
