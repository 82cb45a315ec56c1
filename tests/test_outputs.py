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
