"""Offline: a full build (HTML, PDF, report) opens no network socket.

Two proofs. In this process, the socket functions raise for the whole build. In
a child process, an audit hook (installed through ``sitecustomize`` so that every
Python process the build starts has it too) refuses any Internet socket, name
lookup or connection, and logs the attempt.
"""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from trusttools import ARTICLE_BODY, REPO, article, bitext, make_project

#: An article that invites fetching: a remote image, links, a remote stylesheet in raw HTML.
BAIT = ARTICLE_BODY + """
![周明在办公室](https://example.com/photo.jpg)

原文见[晚点](https://www.latepost.com/news/1)，以及 <img src="http://example.org/track.gif">。

<link rel="stylesheet" href="https://example.net/style.css">
"""

TINY_MODEL = REPO / "tests" / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"


def _pdf_renderer() -> bool:
    try:
        import translate.render.pdf.edition  # noqa: F401
    except ImportError:
        return False
    return True


def _project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", articles={"bait": article(body=BAIT)})


def test_a_full_build_opens_no_socket(tmp_path, monkeypatch):
    project = _project(tmp_path)
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError(errno.ENETUNREACH, "network disabled by test_offline")

    def internet_only(original):
        # A Unix socket (a path: the PDF workers' fork server) is local, not the network.
        def guarded(self, *args, **kwargs):
            if self.family == socket.AF_UNIX:
                return original(self, *args, **kwargs)
            return refuse(self, *args, **kwargs)
        return guarded

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, internet_only(getattr(socket.socket, name)))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse)
    args = ["build"] if _pdf_renderer() else ["build", "--no-pdf"]
    result = bitext(project, *args)
    monkeypatch.undo()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert attempts == []
    assert (project / "build" / "report.json").is_file()
    if _pdf_renderer():
        assert list((project / "build").rglob("*.pdf"))


SITECUSTOMIZE = textwrap.dedent("""
    # Installed by tests/trust/test_offline.py: refuse and log every Internet socket.
    import os, socket, sys

    _LOG = os.environ["BITEXT_OFFLINE_LOG"]

    def _refuse(event, args):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {event} {args[1:]!r}\\n")
        raise OSError("network disabled by the offline test: " + event)

    def _hook(event, args):
        if event == "socket.__new__" and args[1] in (socket.AF_INET, socket.AF_INET6):
            _refuse(event, args)
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
            _refuse(event, (None, *args))
        elif event in ("socket.connect", "socket.sendto") and not isinstance(args[1], (str, bytes)):
            _refuse(event, args)

    sys.addaudithook(_hook)
""")


@pytest.mark.slow
def test_a_full_build_in_a_child_process_opens_no_socket(tmp_path):
    project = _project(tmp_path)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")])),
           "BITEXT_OFFLINE_LOG": str(log)}
    bitext_cmd = [sys.executable, "-m", "translate", "--root", str(project)]
    engine = "gloss"
    if TINY_MODEL.is_file():
        with (project / "edition.toml").open("a", encoding="utf-8") as settings:
            settings.write(f'\n[paths]\nmodels = "{tmp_path / "models"}"\n')
        installed = subprocess.run([*bitext_cmd, "model", "install", str(TINY_MODEL)], env=env,
                                   capture_output=True, text=True)
        assert installed.returncode == 0, installed.stderr
        engine = "argos"
    args = ["build", "--engine", engine] + ([] if _pdf_renderer() else ["--no-pdf"])
    completed = subprocess.run([*bitext_cmd, *args], env=env, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr
    assert not log.exists(), log.read_text(encoding="utf-8")
    assert (project / "build" / "report.json").is_file()
    # The hook itself works: a child that does try to go online is caught.
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), 1)"],
                           env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and "network disabled by the offline test" in probe.stderr
