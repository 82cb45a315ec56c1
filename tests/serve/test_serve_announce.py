"""serve's rebuild announces the article pages first, then the edition-wide pages; the files are a cold build's."""

from __future__ import annotations

import re
import subprocess
import sys

from factories import reuse_project
from translate.render.html import EDITION_PAGES
from translate.serve.rebuild import BuildStatus, Rebuilder

TERMS = "zh,en,variants,keep,case,kind,note\n大模型,large model,,,,concept,\n算力,compute,,,,concept,\n芯片,chip,,,,concept,\n"


def _pages(build_dir):
    folder = build_dir / "html"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()} if folder.is_dir() else {}


def _edit(root):
    terms = root / "glossary" / "terms.csv"
    terms.write_text(terms.read_text(encoding="utf-8").replace("算力,compute", "算力,computing power"), encoding="utf-8")


def test_a_term_edit_announces_the_article_pages_before_the_edition_pages_and_ends_as_a_cold_build(tmp_path):
    live, cold = reuse_project(tmp_path / "live", TERMS), reuse_project(tmp_path / "cold", TERMS)
    seen: list[tuple[BuildStatus, dict]] = []  # each status, with the pages on disk when it was published
    rebuilder = Rebuilder(live, publish=lambda s: seen.append((s, _pages(live / "build"))), log=lambda m: None,
                          background=False)
    rebuilder.build_now()
    before = _pages(live / "build")
    _edit(live)
    seen.clear()
    final = rebuilder._build_live(announce=True)

    early, on_disk = seen[0]
    assert early.pending == EDITION_PAGES and not early.building and early.generation == final.generation
    # The articles that hold the term are announced (their pages written with the new English), the others not;
    # the glossary page, which lists the term, is still the last build's until the final status.
    assert {"alpha.html", "beta.html"} <= set(early.changed) and not set(early.changed) & set(EDITION_PAGES)
    assert "gamma.html" not in early.changed and "delta.html" not in early.changed
    assert b"computing power" in on_disk["alpha.html"].lower() and b"computing power" in on_disk["beta.html"].lower()
    assert on_disk["glossary.html"] == before["glossary.html"]
    assert final.pending == () and set(early.changed) < set(final.changed) and "glossary.html" in final.changed
    assert final.to_json()["pending"] == [] and early.to_json()["pending"] == list(EDITION_PAGES)

    # A cold build of the same inputs in a fresh process writes the same bytes (the report page counts the
    # translation memory's hits, which a fresh memory has not: that count aside).
    _edit(cold)
    subprocess.run([sys.executable, "-m", "translate", "--root", str(cold), "--quiet", "build", "--no-pdf", "--no-epub"],
                   check=True, capture_output=True, timeout=300)
    after, expected = _pages(live / "build"), _pages(cold / "build")
    assert set(after) == set(expected)

    def uncounted(data: bytes) -> bytes:
        return re.sub(rb"cache hits \d+, misses \d+", b"", data)

    assert {n: after[n] for n in after if n != "report.html"} == {n: expected[n] for n in expected if n != "report.html"}
    assert uncounted(after["report.html"]) == uncounted(expected["report.html"])
    assert after["glossary.html"] != before["glossary.html"] and b"computing power" in after["glossary.html"]
    # The PO stores the edit synced again are the cold build's too.
    stores = {p.name: p.read_bytes() for p in (live / "corpus").glob("*.po")}
    assert stores == {p.name: p.read_bytes() for p in (cold / "corpus").glob("*.po")}
    assert b"computing power" in stores["alpha.en.po"]


def test_a_new_term_no_article_holds_announces_only_the_word_help_early(tmp_path, monkeypatch):
    from translate.serve import rebuild

    live = reuse_project(tmp_path / "live", TERMS)
    seen: list[BuildStatus] = []
    rebuilder = Rebuilder(live, publish=seen.append, log=lambda m: None, background=False)
    rebuilder.build_now()
    seen.clear()
    walked: list[int] = []  # the live folders are listed before and after the build, not for the early announcement
    original = rebuild.snapshot
    monkeypatch.setattr(rebuild, "snapshot", lambda *folders: (walked.append(len(seen)), original(*folders))[1])
    # A term no article holds: no article page changes; the terms' data (words.js) and the glossary page do.
    terms = live / "glossary" / "terms.csv"
    terms.write_text(terms.read_text(encoding="utf-8") + "量子,quantum,,,,concept,\n", encoding="utf-8")
    final = rebuilder._build_live(announce=True)
    assert not final.error and "glossary.html" in final.changed
    early = [status for status in seen if status.pending]
    assert [status.changed for status in early] == [("words.js",)]
    assert set(final.changed) == {"words.js", *EDITION_PAGES}  # the index and the report count the terms
    assert walked == [0, 1]


def test_the_worker_collects_a_builds_garbage_after_it_and_freezes_what_lives_on(tmp_path, monkeypatch):
    import gc

    from translate.serve import rebuild

    live = reuse_project(tmp_path / "live", TERMS)
    during: list[bool] = []  # at each status published: whether the collector is on
    rebuilder = Rebuilder(live, publish=lambda s: during.append(gc.isenabled()), log=lambda m: None, background=False)
    gc.unfreeze()
    rebuilder.build_now()
    # The first build is tidied up after before the server answers: its objects collected once and frozen.
    assert gc.get_freeze_count() > 0 and gc.isenabled()
    during.clear()
    collections: list[int] = []

    def counted(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    _edit(live)
    gc.callbacks.append(counted)
    try:
        rebuilder._build_live(announce=True)
        # Inside the build (the early announcement) and after it, until tidy(), the collector is off: no
        # collection, young or full, falls inside an edit.
        assert during == [False] and not gc.isenabled() and collections == []
        rebuilder.tidy()
        # First the build's garbage, all at once (then the stores are read ahead, the collector on again).
        assert gc.isenabled() and collections[0] == 2 and 2 not in collections[1:] and gc.get_freeze_count() > 0
        # A build that follows the last one with no pause for tidy() between collects the young generations first.
        terms = live / "glossary" / "terms.csv"
        terms.write_text(terms.read_text(encoding="utf-8") + "量子,quantum,,,,concept,\n", encoding="utf-8")
        rebuilder._build_live(announce=True)
        terms.write_text(terms.read_text(encoding="utf-8") + "光子,photon,,,,concept,\n", encoding="utf-8")
        collections.clear()
        rebuilder._build_live(announce=True)
        assert collections == [1] and not gc.isenabled()
        rebuilder.tidy()
        assert gc.isenabled()
        for _ in range(rebuild.FULL_COLLECT_EVERY - 3):
            rebuilder.tidy()
        frozen = gc.get_freeze_count()
        garbage = [[]]
        garbage[0].append(garbage)  # a cycle, alive until the next full collection
        del garbage
        rebuilder.tidy()  # the FULL_COLLECT_EVERY-th: everything unfrozen and collected, then frozen again
        assert gc.get_freeze_count() <= frozen + 100
    finally:
        gc.callbacks.remove(counted)
        rebuilder._release_collections()
        gc.enable()
        gc.unfreeze()


def _built_edited_and_rebuilt(tmp_path):
    """A project built by a worker, then edited and built again as serve builds (the article pages announced)."""
    live = reuse_project(tmp_path / "live", TERMS)
    rebuilder = Rebuilder(live, publish=lambda s: None, log=lambda m: None, background=False)
    rebuilder.build_now()
    _edit(live)
    rebuilder._build_live(announce=True)
    return live, rebuilder


def test_between_builds_the_worker_reads_the_stores_the_last_build_wrote(tmp_path, monkeypatch):
    from translate.postedit import store

    live, rebuilder = _built_edited_and_rebuilt(tmp_path)
    alpha = live / "corpus" / "alpha.en.po"
    assert alpha in store._WRITTEN and "computing power" in alpha.read_text(encoding="utf-8")
    rebuilder.tidy()
    assert not store._WRITTEN and store._READ[alpha][0] == alpha.read_text(encoding="utf-8")
    # The next build that syncs the store reads it from what tidy() read: the file is not parsed again.
    parsed: list = []
    monkeypatch.setattr(store, "load_po", lambda path: parsed.append(path) or (_ for _ in ()).throw(AssertionError))
    text, entries, _ = store._read_entries(alpha)
    assert parsed == [] and text == alpha.read_text(encoding="utf-8") and entries


def test_reading_ahead_stops_when_a_build_is_wanted(tmp_path, monkeypatch):
    from translate.postedit import store

    _, rebuilder = _built_edited_and_rebuilt(tmp_path)
    written = set(store._WRITTEN)
    assert written
    parsed: list = []
    monkeypatch.setattr(store, "_read_entries", parsed.append)
    rebuilder._wanted.set()  # a change came: the worker builds first, the build reads the stores itself
    rebuilder.tidy()
    assert parsed == [] and not store._WRITTEN
    store._WRITTEN.update(written)
    rebuilder._wanted.clear()
    rebuilder.tidy()
    assert sorted(parsed) == sorted(written)
