"""A build's syncs hold the stores' folder lock once and write the stores they change a few at once."""

from __future__ import annotations

import threading
from contextlib import nullcontext

import pytest

from factories import reuse_project
from translate.errors import OutputError
from translate.pipeline import translated_edition
from translate.postedit import apply, store
from translate.settings import load_settings
from translate.translation import open_engine

TERMS = "zh,en,variants,keep,case,kind,note\n大模型,large model,,,,concept,\n算力,compute,,,,concept,\n芯片,chip,,,,concept,\n"


def _sync(root):
    settings = load_settings(root)
    return translated_edition(settings, open_engine(settings, "gloss"))


def _stores(root):
    return {p.name: p.read_bytes() for p in sorted((root / "corpus").glob("*.po"))}


def _recording(monkeypatch):
    """(store, thread that wrote it) of each store write."""
    writes: list[tuple[str, str]] = []
    original = store.write_atomic
    monkeypatch.setattr(store, "write_atomic",
                        lambda path, text: (writes.append((path.name, threading.current_thread().name)),
                                            original(path, text))[1])
    return writes


def test_the_stores_a_build_rewrites_are_written_by_the_writer_threads_as_one_at_a_time_would(tmp_path, monkeypatch):
    batched, sequential = reuse_project(tmp_path / "batched", TERMS), reuse_project(tmp_path / "sequential", TERMS)
    writes = _recording(monkeypatch)
    _sync(batched)
    assert len(writes) >= 3 and all(name.startswith("bitext-store-write") for _, name in writes)
    monkeypatch.setattr(apply, "syncing", lambda folder: nullcontext())
    writes.clear()
    _sync(sequential)
    assert writes and all(name == threading.current_thread().name for _, name in writes)
    assert _stores(batched) == _stores(sequential)
    assert store._BATCH.batch is None


def test_a_store_that_cannot_be_written_fails_the_build_after_the_others_are_written(tmp_path, monkeypatch):
    root = reuse_project(tmp_path / "p", TERMS)
    original = store.write_atomic

    def failing(path, text):
        if path.name.startswith("alpha"):
            raise OutputError("disk full", path=path)
        return original(path, text)

    monkeypatch.setattr(store, "write_atomic", failing)
    with pytest.raises(OutputError, match="disk full"):
        _sync(root)
    written = _stores(root)
    assert "alpha.en.po" not in written and len(written) >= 2
    assert store._BATCH.batch is None
    # The folder lock was let go: a sync of one store takes it again.
    monkeypatch.setattr(store, "write_atomic", original)
    _sync(root)
    assert "alpha.en.po" in _stores(root)


def test_another_thread_s_sync_waits_for_the_batch_to_let_the_folder_go(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / "a.en.po"
    segments = [store.StoreSegment("p1-s1", "大模型很重要。", "Large models matter.", (), "mt")]
    done = threading.Event()

    def other() -> None:
        store.sync_store(path, "a", segments)
        done.set()

    with store.syncing(corpus):
        thread = threading.Thread(target=other)
        thread.start()
        assert not done.wait(0.5)  # it takes the folder's lock itself: held by this batch
        assert not path.exists()
    thread.join(10)
    assert done.is_set() and "Large models matter." in path.read_text(encoding="utf-8")


def test_a_store_synced_twice_in_one_batch_is_read_as_written_and_ends_as_last_synced(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / "a.en.po"
    first = [store.StoreSegment("p1-s1", "大模型很重要。", "Large models matter.", (), "mt")]
    second = [*first, store.StoreSegment("p1-s2", "算力也重要。", "Compute matters too.", (), "mt")]
    original, started = store.write_atomic, threading.Event()

    def slow(target, text):  # the first write is still under way when the second sync reads the store
        started.set()
        if "Compute" not in text:
            threading.Event().wait(0.3)
        return original(target, text)

    monkeypatch.setattr(store, "write_atomic", slow)
    with store.syncing(corpus):
        store.sync_store(path, "a", first)
        assert started.wait(5)
        again = store.sync_store(path, "a", second)
    assert "Large models matter." in again.text and "Compute matters too." in again.text
    text = path.read_text(encoding="utf-8")
    assert "Large models matter." in text and "Compute matters too." in text
