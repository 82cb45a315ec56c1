"""build/translations/<slug>.json: shape, atomic unchanged-skip, read back."""

import os

from factories import interview_article

from translate.translation import read_translations, write_translations


def test_translation_file_shape(tmp_path):
    article = interview_article()
    [path] = write_translations([article], tmp_path)
    assert path == tmp_path / f"{article.slug}.json"
    data = read_translations(path)
    assert set(data) == {"slug", "title_en", "title", "engine", "model", "blocks"}
    block = data["blocks"][1]
    assert set(block) == {"id", "kind", "segments", "speaker"}
    segment = block["segments"][0]
    assert set(segment) == {"id", "zh", "zh_original", "en", "engine", "terms", "violations", "note", "cached",
                            "origin", "stale"}
    assert segment["origin"] in ("mt", "gloss", "edited") and segment["stale"] is False
    assert set(segment["terms"][0]) == {"zh", "en", "surface", "honoured"}
    violations = [v for b in data["blocks"] for s in b["segments"] for v in s["violations"]]
    assert violations and set(violations[0]) == {"article", "block", "segment", "term", "expected", "got", "zh"}


def test_unchanged_files_are_not_rewritten(tmp_path):
    article = interview_article()
    [path] = write_translations([article], tmp_path)
    os.utime(path, (1, 1))
    write_translations([article], tmp_path)
    assert path.stat().st_mtime == 1
