"""Trust III (issue 26 §2 and §6): files outside the edition, what an error quotes, and linked user files.

An edition cloned from someone else chooses its paths and may hold symbolic
links: it must not make the tool print secrets (an error quotes at most a short,
escaped piece of an input), read the system's live files (``/proc``, ``/sys``,
``/dev``), or replace a shared file's link by a copy (a write goes through the
link, at its target, or is refused in one line).
"""

from __future__ import annotations

import pytest
from trusttools import GLOSSARY, bitext, no_traceback


def one_line_error(result, says: str = "") -> str:
    """Assert exit 1 with one ``Error:`` line on stderr containing ``says``; return it."""
    assert no_traceback(result), f"escaped exception: {result.exception!r}"
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert says in result.stderr, f"{says!r} not in {result.stderr!r}"
    return result.stderr


# --- §6: a linked termbase is written through its link -----------------------------------------------------------


@pytest.fixture
def shared_termbase(project, tmp_path):
    """The project's termbase moved to a shared folder, a link to it left in its place."""
    shared = tmp_path / "shared" / "terms.csv"
    shared.parent.mkdir()
    shared.write_text(GLOSSARY, encoding="utf-8")
    (project / "glossary" / "terms.csv").unlink()
    (project / "glossary" / "terms.csv").symlink_to(shared)
    return shared


@pytest.mark.hostile("glossary")
def test_glossary_add_to_a_linked_termbase_edits_the_shared_file_and_keeps_the_link(project, shared_termbase):
    result = bitext(project, "glossary", "add", "模型", "model")
    assert result.exit_code == 0, result.output
    link = project / "glossary" / "terms.csv"
    assert link.is_symlink() and link.resolve() == shared_termbase
    assert "模型,model" in shared_termbase.read_text(encoding="utf-8")
    assert not [p for p in shared_termbase.parent.iterdir() if p.name.startswith(".bitext-tmp-")]


@pytest.mark.hostile("glossary")
def test_glossary_remove_from_a_linked_termbase_edits_the_shared_file(project, shared_termbase):
    result = bitext(project, "glossary", "remove", "周明")
    assert result.exit_code == 0, result.output
    assert (project / "glossary" / "terms.csv").is_symlink()
    assert "周明" not in shared_termbase.read_text(encoding="utf-8")


@pytest.mark.hostile("glossary")
def test_a_termbase_linked_to_a_file_of_another_kind_is_refused_and_left_alone(project, tmp_path):
    victim = tmp_path / ".bashrc"
    victim.write_text(GLOSSARY, encoding="utf-8")
    link = project / "glossary" / "terms.csv"
    link.unlink()
    link.symlink_to(victim)
    one_line_error(bitext(project, "glossary", "add", "模型", "model"), "symbolic link")
    assert victim.read_text(encoding="utf-8") == GLOSSARY and link.is_symlink()


@pytest.mark.hostile("glossary")
def test_a_termbase_linked_to_nothing_is_refused_not_created(project, tmp_path):
    link = project / "glossary" / "terms.csv"
    link.unlink()
    link.symlink_to(tmp_path / "nowhere" / "terms.csv")
    one_line_error(bitext(project, "glossary", "add", "模型", "model"))
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()
