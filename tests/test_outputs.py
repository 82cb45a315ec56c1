"""Atomic writes, clear write errors, and one build at a time."""

import os
import subprocess
import sys

import pytest

from translate.errors import BuildLockedError, OutputError
from translate.outputs import build_lock, remove_stale_temporaries, write_atomic


def test_write_atomic_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a" / "out.txt"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_read_only_folder_gives_clear_error_and_keeps_old_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    if os.geteuid() == 0:
        # root ignores permissions; a path under a file is unwritable for everyone
        blocked = target / "x.txt"
        with pytest.raises(OutputError) as caught:
            write_atomic(blocked, "new")
        assert "cannot write" in str(caught.value)
    else:
        tmp_path.chmod(0o500)
        try:
            with pytest.raises(OutputError) as caught:
                write_atomic(target, "new")
            assert "make the folder writable" in str(caught.value)
        finally:
            tmp_path.chmod(0o700)
    assert target.read_text() == "old"


def test_stale_temporaries_are_removed(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / ".index.html.abc.tmp").write_text("half")
    (tmp_path / "html" / "index.html").write_text("whole")
    assert remove_stale_temporaries(tmp_path) == 1
    assert [p.name for p in (tmp_path / "html").iterdir()] == ["index.html"]


def test_second_build_stops_with_clear_message(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from translate.outputs import build_lock\n"
         f"with build_lock(Path({str(tmp_path)!r})):\n print('locked', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(BuildLockedError) as caught:
            with build_lock(tmp_path):
                pass
        assert "another build is running in this folder" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
    with build_lock(tmp_path):  # a killed holder leaves no stale lock
        pass


def test_outputs_are_readable_by_others(tmp_path):
    old = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / "page.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_writing_never_sets_the_umask_other_threads_create_files_under(tmp_path, monkeypatch):
    # Reading the umask means setting it (to 0, then back): a folder another thread made meanwhile was 0777.
    old = os.umask(0o027)
    try:
        def refuse(mask):
            raise AssertionError("write_atomic set the process's umask")
        monkeypatch.setattr(os, "umask", refuse)
        target = write_atomic(tmp_path / "html" / "page.html", "<p>x</p>")
        again = write_atomic(target, "<p>y</p>")
    finally:
        monkeypatch.undo()
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o640 and again.read_text(encoding="utf-8") == "<p>y</p>"
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]


def test_write_atomic_writes_through_a_link_at_its_target_and_keeps_the_link(tmp_path):
    shared = tmp_path / "shared" / "terms.csv"
    shared.parent.mkdir()
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o664)
    link = tmp_path / "edition" / "terms.csv"
    link.parent.mkdir()
    link.symlink_to(shared)
    write_atomic(link, "new")
    assert link.is_symlink() and shared.read_text(encoding="utf-8") == "new"
    assert shared.stat().st_mode & 0o777 == 0o664  # a shared file keeps its permissions
    assert sorted(p.name for p in shared.parent.iterdir()) == ["terms.csv"]


@pytest.mark.parametrize("points_to", ["/dev/null", "/proc/self/environ", "missing.csv", "folder.csv", "notes.txt"])
def test_write_atomic_refuses_a_link_it_cannot_write_through(tmp_path, points_to):
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    link = tmp_path / "edition" / "terms.csv"
    link.parent.mkdir()
    link.symlink_to(points_to if points_to.startswith("/") else tmp_path / points_to)
    with pytest.raises(OutputError, match="is a symbolic link that"):
        write_atomic(link, "new")
    assert link.is_symlink() and (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_link_inside_a_build_folder_is_replaced_not_written_through(tmp_path):
    outside = tmp_path / "home" / "index.html"
    outside.parent.mkdir()
    outside.write_text("precious", encoding="utf-8")
    build = tmp_path / "build"
    (build / "html").mkdir(parents=True)
    (build / ".bitext-build").write_text("marker", encoding="utf-8")
    (build / "html" / "index.html").symlink_to(outside)
    write_atomic(build / "html" / "index.html", "<p>page</p>")
    assert outside.read_text(encoding="utf-8") == "precious"
    assert not (build / "html" / "index.html").is_symlink()
