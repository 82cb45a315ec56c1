"""The server's parts on their own: the page it sends, what counts as an input, the rebuild loop, the CLI."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from servetools import make_project
from translate.cli import cli
from translate.serve.pages import header_policy, serve_page
from translate.serve.rebuild import BuildStatus, Rebuilder
from translate.serve.watch import Inputs
from translate.settings import load_settings

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'">
<script src="edition.js" defer></script>
</head>
<body class="page-article">
<p>text</p>
</body>
</html>
"""


def test_a_served_page_gets_the_editor_and_keeps_its_policy():
    page = serve_page(PAGE, token="abc123", generation=7)
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'self\'; '
            'style-src \'self\'; connect-src \'self\'">') in page
    assert '<meta name="bitext-serve-token" content="abc123">' in page
    assert '<meta name="bitext-serve-generation" content="7">' in page
    assert page.index('src="edition.js"') < page.index('src="/_bitext/edit.js"') < page.index("</head>")
    assert "bitext-serve-status" not in page
    assert header_policy(PAGE).endswith("connect-src 'self'; frame-ancestors 'none'")


def test_a_build_error_is_shown_escaped_above_the_page():
    error = "glossary/terms.csv:3: <script>alert(1)</script> & co"
    page = serve_page(PAGE, token="t", generation=1, error=error)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert page.index('<body class="page-article">') < page.index('role="alert"') < page.index("<p>text</p>")


def test_what_counts_as_an_input(tmp_path):
    project = make_project(tmp_path / "edition")
    inputs = Inputs.of(load_settings(project))
    root = project.resolve()
    yes = ["edition.toml", "glossary/terms.csv", "corpus/interview.md", "corpus/interview.en.po",
           "templates/html/article.html", "templates/pdf/book.css"]
    no = ["corpus/.bitext-write.lock", "corpus/.bitext-tmp-interview.en.po.x1.tmp", "corpus/interview.log",
          "corpus/raw/000.txt", "glossary/notes.txt", "build/html/index.html", "README.md",
          "templates/html/.article.html.swp", "templates/html/article.html~", "glossary/.terms.csv.tmp"]
    for name in yes:
        assert inputs.is_input(root / name), name
    for name in no:
        assert not inputs.is_input(root / name), name
    assert (root, False) in inputs.folders() and (root / "corpus", False) in inputs.folders()


@pytest.fixture
def rebuilder(tmp_path):
    project = make_project(tmp_path / "edition")
    published: list[BuildStatus] = []
    logged: list[str] = []
    rebuilder = Rebuilder(project, publish=published.append, log=logged.append, background=True)
    rebuilder.published, rebuilder.logged = published, logged
    yield rebuilder
    rebuilder.stop()


def test_a_broken_glossary_is_a_one_line_error_and_the_last_good_pages_stay(rebuilder):
    first = rebuilder.build_now()
    assert not first.error and "interview.html" in first.changed and first.generation == 1
    page = rebuilder.root / "build" / "html" / "interview.html"
    good = page.read_bytes()
    glossary = rebuilder.root / "glossary" / "terms.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "坏词,,,,,concept,\n", encoding="utf-8")
    broken = rebuilder.build_now()
    assert broken.error.startswith(f"{glossary.resolve()}:6: ") and "\n" not in broken.error
    assert broken.generation == 2 and broken.changed == ()
    assert page.read_bytes() == good
    assert [s.building for s in rebuilder.published] == [True, False, True, False]


def _sleeper(marker: Path) -> list[str]:
    """A stand-in for the PDF build: writes its pid, starts a child in its group, then sleeps."""
    code = ("import os, subprocess, sys, time; child = subprocess.Popen([sys.executable, '-c', "
            "'import time; time.sleep(60)']); open(sys.argv[1], 'w').write(f'{os.getpid()} {child.pid}'); "
            "time.sleep(60)")
    return [sys.executable, "-c", code, str(marker)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie of ours counts as gone.
    state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] if Path(f"/proc/{pid}").exists() else "X"
    return state not in ("Z", "X")


def test_the_pdf_builds_after_the_html_and_a_change_stops_it(rebuilder, tmp_path, monkeypatch):
    marker = tmp_path / "pdf.pid"
    monkeypatch.setattr(rebuilder, "background_command", lambda: _sleeper(marker))
    rebuilder.build_now()
    rebuilder.start()
    deadline = time.monotonic() + 30
    while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(p) for p in marker.read_text().split()]
    assert rebuilder.status.background == "building" and all(_alive(p) for p in pids)
    marker.unlink()
    rebuilder.request()  # a change: the PDF build and its workers stop, then the HTML goes first
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the PDF build did not start again after the HTML"
    # Nothing had changed since the first build: no page was rewritten again.
    assert sum(line.startswith("Rebuilt the HTML") for line in rebuilder.logged) == 1


def test_the_real_pdf_command_is_a_waiting_bitext_build(rebuilder):
    command = rebuilder.background_command()
    assert command[:3] == [sys.executable, "-m", "translate"] and command[-2:] == ["build", "--wait"]
    assert str(rebuilder.root) in command


def test_serve_help_is_fast_and_needs_no_server_packages():
    code = ("import sys, translate.cli; from click.testing import CliRunner; "
            "r = CliRunner().invoke(translate.cli.cli, ['serve', '--help']); assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('starlette', 'uvicorn', 'watchfiles') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_missing_extra_is_one_line_naming_the_pip_command(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "watchfiles" else real(name, *a))
    result = CliRunner().invoke(cli, ["--root", str(make_project(tmp_path / "e")), "serve"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: bitext serve needs watchfiles (the serve extra); install with `")
    assert "-m pip install 'starlette>=" in result.output and "'watchfiles>=" in result.output
    assert result.output.count("\n") == 1


def test_a_port_in_use_and_a_public_host(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["--root", str(make_project(tmp_path / "e")), "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == f"Error: port {port} is in use; pass another --port (or --port 0 for any free one)\n"


def test_a_host_other_than_loopback_warns(tmp_path, monkeypatch):
    from translate.serve import ServeError, server

    def refuse(host, port):
        raise ServeError("stopped here by the test")

    monkeypatch.setattr(server, "bind", refuse)
    result = CliRunner().invoke(cli, ["--root", str(make_project(tmp_path / "e")), "serve",
                                                      "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Warning: --host 0.0.0.0: the edition and its editor can be reached from "
                                    "other machines")
