"""A PO store that is a symbolic link (to a store shared by several editions) is written through the link.

An import used to replace the link by a regular file: the shared store never got
the edit, and the two editions drifted apart without a word.
"""

from __future__ import annotations

import shutil

import polib
import pytest

from posttools import SLUG_ONE, bitext, set_target, store

EDITED = "Zhou Ming founded Langboat."


def _shared_store(project, tmp_path):
    """Move the article's store to a shared folder and leave a link to it in its place; the shared path."""
    shared = tmp_path / "shared" / f"{SLUG_ONE}.en.po"
    shared.parent.mkdir()
    shutil.move(store(project, SLUG_ONE), shared)
    store(project, SLUG_ONE).symlink_to(shared)
    return shared


@pytest.mark.hostile("interchange")
def test_an_import_into_a_linked_store_edits_the_shared_file_and_keeps_the_link(project, tmp_path):
    shared = _shared_store(project, tmp_path)
    bitext(project, "postedit", "export")
    xliff = project / "build" / "postedit" / f"{SLUG_ONE}.xlf"
    xliff.write_text(set_target(xliff.read_text(encoding="utf-8"), "b001.s1", EDITED), encoding="utf-8")

    bitext(project, "postedit", "import", str(xliff))

    assert store(project, SLUG_ONE).is_symlink() and store(project, SLUG_ONE).resolve() == shared
    assert {e.msgctxt: e.msgstr for e in polib.pofile(str(shared))}["b001.s1"] == EDITED
    assert not [p for p in shared.parent.iterdir() if p.name.startswith(".bitext-tmp-")]


@pytest.mark.hostile("interchange")
def test_a_linked_store_pointing_at_a_file_of_another_kind_is_refused_in_one_line(project, tmp_path):
    victim = tmp_path / "dotfile.sh"
    victim.write_text("export PATH=/usr/bin\n", encoding="utf-8")
    store(project, SLUG_ONE).unlink()
    store(project, SLUG_ONE).symlink_to(victim)
    bitext(project, "postedit", "export", code=None)
    xliff = project / "build" / "postedit" / f"{SLUG_ONE}.xlf"
    if xliff.exists():
        xliff.write_text(set_target(xliff.read_text(encoding="utf-8"), "b001.s1", EDITED), encoding="utf-8")
    result = bitext(project, "postedit", "import", str(xliff), code=1)

    assert "Traceback" not in result.output
    assert victim.read_text(encoding="utf-8") == "export PATH=/usr/bin\n"
    assert store(project, SLUG_ONE).is_symlink()
