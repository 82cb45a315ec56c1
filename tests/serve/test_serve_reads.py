"""A process that builds again and again (serve) reads again only the inputs that changed since it read them."""

from __future__ import annotations

import os
import time

import pytest

from translate import pipeline, rebuild
from translate.postedit import store


@pytest.fixture
def keeping(monkeypatch):
    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [True])


def _settled(path, seconds: float = 10.0) -> None:
    """Date the file's last change ``seconds`` back (a file read then is vouched for by its state)."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def _counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)
    monkeypatch.setattr(module, name, lambda path, *a, **k: (calls.append(path), original(path, *a, **k))[1])
    return calls


OLD, NEW = '# a\nmsgid ""\nmsgstr ""\n', '# b\nmsgid ""\nmsgstr ""\n'


def test_a_settled_store_untouched_since_it_was_read_is_not_read_again(tmp_path, monkeypatch, keeping):
    path = tmp_path / "a.en.po"
    path.write_text(OLD, encoding="utf-8")
    _settled(path)
    reads = _counting(monkeypatch, store, "read_bounded")
    assert store.store_text(path) == OLD and len(reads) == 1
    assert store.store_text(path) == OLD and len(reads) == 1
    # Rewritten in place with the same size (the same inode, a new mtime): read again.
    path.write_text(NEW, encoding="utf-8")
    assert store.store_text(path) == NEW and len(reads) == 2
    # Read within a clock tick of its last write, its state does not vouch for it: it is read each time.
    assert store.store_text(path) == NEW and len(reads) == 3
    path.unlink()
    assert store.store_text(path) is None


def test_a_one_off_build_reads_every_store(tmp_path, monkeypatch):
    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [False])
    path = tmp_path / "b.en.po"
    path.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    _settled(path)
    reads = _counting(monkeypatch, store, "read_bounded")
    store.store_text(path), store.store_text(path)
    assert len(reads) == 2


def test_the_fingerprint_reads_again_only_changed_inputs_and_is_the_same_either_way(tmp_path, monkeypatch, keeping):
    from pathlib import Path

    from factories import reuse_project
    from translate.settings import load_settings
    from translate.translation import open_engine

    root = reuse_project(tmp_path / "p", "zh,en,variants,keep,case,kind,note\n算力,compute,,,,concept,\n")
    settings = load_settings(root)
    engine = open_engine(settings, "gloss")
    inputs = [*sorted((root / "corpus").glob("*.md")), settings.glossary_path]
    for path in inputs:
        _settled(path)
    first = pipeline._fingerprint(settings, engine)
    read: list[Path] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (read.append(self), original(self))[1])
    assert pipeline._fingerprint(settings, engine) == first
    assert not set(read) & set(inputs)  # none of the settled inputs is read again
    # An article changed: it is read again, the others not; the fingerprint is what a one-off build computes.
    inputs[0].write_text(inputs[0].read_text(encoding="utf-8") + "\n新段落。\n", encoding="utf-8")
    read.clear()
    changed = pipeline._fingerprint(settings, engine)
    assert changed != first and inputs[0] in read and not set(read) & set(inputs[1:])
    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [False])
    pipeline._DIGESTS._kept.clear()
    assert pipeline._fingerprint(settings, engine) == changed


def test_a_settled_article_untouched_since_it_was_read_is_not_read_again(tmp_path, monkeypatch, keeping):
    from factories import reuse_project
    from translate.corpus import article as corpus_article

    root = reuse_project(tmp_path / "p", "zh,en,variants,keep,case,kind,note\n算力,compute,,,,concept,\n")
    path = root / "corpus" / "alpha.md"
    _settled(path)
    reads = _counting(monkeypatch, corpus_article, "read_input")
    first = corpus_article.load_article(path)
    assert corpus_article.load_article(path) is first and len(reads) == 1
    path.write_text(path.read_text(encoding="utf-8").replace("算力是关键。", "算力很关键。"), encoding="utf-8")
    changed = corpus_article.load_article(path)
    assert len(reads) == 2 and changed != first and "算力很关键" in changed.blocks[-1].text
