"""``bitext build --engine llm`` in a throwaway project, against the fake server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from llmtools import API_KEY, KEY_VARIABLE, Response, bitext, make_project, write_settings

REPO = Path(__file__).resolve().parents[2]


def _report(project: Path) -> dict:
    return json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_build_honours_or_reports_every_term_and_a_second_build_asks_nothing(server, api_key, tmp_path):
    def forgets_langboat(request):
        return request.reply({n: en.replace("Langboat", "Lanzhou") for n, en in request.right().items()})

    server.model = forgets_langboat
    project = make_project(tmp_path / "project", server)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 0, result.output
    report = _report(project)
    segments = [s for path in (project / "build" / "translations").glob("*.json")
                for b in json.loads(path.read_text(encoding="utf-8"))["blocks"] for s in b["segments"]]
    terms = [(s["id"], t["zh"], t["honoured"]) for s in segments for t in s["terms"]]
    assert len(terms) >= 8
    missed = [(segment, zh) for segment, zh, honoured in terms if not honoured]
    assert missed == [("b004.s1", "澜舟科技")]  # the one term the model never gave: reported, not hidden
    violations = [(v["segment"], v["term"]) for row in report["articles"] for v in row["violations"]]
    assert violations == missed
    assert report["edition"]["engine"] == "llm"
    asked = server.chat_requests

    # Unchanged: nothing to do. Changed settings that do not touch the English: the memory answers everything.
    assert bitext(project, "build", "--engine", "llm", "--no-pdf").exit_code == 0
    write_settings(project, server, title="Another title", concurrency=3, timeout=0.7)
    again = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert again.exit_code == 0, again.output
    assert server.chat_requests == asked
    assert "Another title" in (project / "build" / "html" / "index.html").read_text(encoding="utf-8")


def test_the_api_key_goes_in_the_header_and_nowhere_under_build(server, api_key, tmp_path):
    project = make_project(tmp_path / "project", server)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert server.requests and all(r.headers.get("Authorization") == f"Bearer {API_KEY}" for r in server.requests)
    assert all(API_KEY not in json.dumps(r.body) for r in server.requests)
    files = _files(project / "build")
    assert any(p.name == "memory.sqlite" for p in files) and len(files) > 5
    leaks = [p for p in files if API_KEY.encode() in p.read_bytes()]
    assert leaks == []
    assert API_KEY not in result.output and API_KEY not in result.stderr


def test_an_unset_key_variable_is_one_line(server, tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    project = make_project(tmp_path / "project", server)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: llm.api_key_env names {KEY_VARIABLE}, which is not set in the "
                                     f"environment; export {KEY_VARIABLE}=… or remove llm.api_key_env")
    assert server.chat_requests == 0


def test_no_server_is_one_line_with_exit_1(server, api_key, tmp_path):
    project = make_project(tmp_path / "project", server)
    url = server.url
    server.stop()
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot reach the LLM server at {url}")
    assert "`ollama serve`, then `ollama pull fake`" in lines[0]


def test_a_lasting_fault_stops_the_build_with_one_line_and_the_next_build_resumes(server, api_key, tmp_path):
    answered = []

    def overloaded(request):
        if len(answered) >= 2:
            return Response(status=503, body=b'{"error": {"message": "overloaded"}}')
        answered.append(request.number)
        return request.reply(request.right())

    server.model = overloaded
    project = make_project(tmp_path / "project", server, concurrency=1)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: the LLM server at {server.url} answered HTTP 503 (overloaded), 3 times in a "
                           f"row; the 2 blocks answered before are kept in the translation memory")
    server.model = lambda request: request.reply(request.right())
    before = server.chat_requests
    resumed = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert resumed.exit_code == 0, resumed.output
    blocks = 1 + 6  # the title and the article's six blocks
    assert server.chat_requests - before == blocks - 2


def test_a_base_url_off_this_machine_warns_and_a_cached_build_sends_nothing(server, api_key, tmp_path, monkeypatch):
    project = make_project(tmp_path / "project", server)
    assert bitext(project, "build", "--engine", "llm", "--no-pdf").exit_code == 0
    asked = server.chat_requests
    # Same model and prompt behind another host: the memory (which never keys on the host) answers everything.
    (project / "edition.toml").write_text((project / "edition.toml").read_text(encoding="utf-8").replace(
        server.url, "http://gpu.example.org:8000/v1").replace('title = "LLM"', 'title = "Remote"'), encoding="utf-8")
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    monkeypatch.undo()
    assert result.exit_code == 0, result.output
    assert ("Warning: llm.base_url http://gpu.example.org:8000/v1 is not on this machine: the articles' text is sent "
            "to gpu.example.org unencrypted (http) to be translated") in result.stderr
    assert attempts == [] and server.chat_requests == asked


def test_the_llm_engine_is_never_loaded_unless_asked_for():
    code = textwrap.dedent("""
        import sys
        from click.testing import CliRunner
        from translate.cli import cli
        from translate.settings import Settings
        from translate.translation import open_engine
        from pathlib import Path
        CliRunner().invoke(cli, ["build", "--help"])
        open_engine(Settings(root=Path(".")), "gloss")
        loaded = [m for m in ("httpx", "translate.translation.llm", "translate.translation.llm_client") if m in sys.modules]
        from translate.translation.llm import open_llm_engine
        open_llm_engine(Settings(root=Path(".")))  # set up, but nothing sent: still no HTTP library
        loaded += [m for m in ("httpx",) if m in sys.modules]
        print(loaded)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


BUILD = textwrap.dedent("""
    import sys
    from translate.pipeline import build_edition
    from translate.settings import load_settings
    build_edition(load_settings(sys.argv[1]), engine_name="llm", pdf=False)
""")


def test_sigkill_mid_build_loses_no_answer_received(server, api_key, tmp_path):
    project = make_project(tmp_path / "project", server, concurrency=1)
    child: list[subprocess.Popen] = []

    def killer(request):
        if request.number == 4:
            time.sleep(0.5)  # the third answer is committed by now
            os.kill(child[0].pid, signal.SIGKILL)
            return Response(drop=True)
        return request.reply(request.right())

    server.model = killer
    with (tmp_path / "build.err").open("wb") as err:
        child.append(subprocess.Popen([sys.executable, "-c", BUILD, str(project)], cwd=project, stderr=err,
                                      stdout=subprocess.DEVNULL, env={**os.environ, KEY_VARIABLE: API_KEY}))
    assert child[0].wait(timeout=60) == -signal.SIGKILL
    with sqlite3.connect(project / "build" / "memory.sqlite") as db:
        kept = db.execute("SELECT count(DISTINCT source) FROM translations").fetchone()[0]
    assert kept >= 3  # the first three blocks (one sentence or more each)
    server.model = lambda request: request.reply(request.right())
    before = server.chat_requests
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert server.chat_requests - before == 7 - 3


def test_check_translates_with_the_llm_too(server, api_key, tmp_path):
    project = make_project(tmp_path / "project", server)
    result = bitext(project, "check", "--engine", "llm")
    assert result.exit_code == 0, result.output
    assert server.chat_requests == 7
    assert "engine: llm — fake" in result.output


def test_an_edited_prompt_template_is_used_and_translates_again(server, api_key, tmp_path):
    project = make_project(tmp_path / "project", server)
    assert bitext(project, "build", "--engine", "llm", "--no-pdf").exit_code == 0
    asked = server.chat_requests
    own = (REPO / "templates" / "llm" / "translate.j2").read_text(encoding="utf-8").replace(
        "You are a professional translator", "You are a careful literary translator")
    (project / "templates" / "llm").mkdir(parents=True)
    (project / "templates" / "llm" / "translate.j2").write_text(own, encoding="utf-8")
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert server.chat_requests == 2 * asked  # a new prompt version: every sentence again
    assert server.requests[-1].messages[0]["content"].startswith("You are a careful literary translator")


def test_a_style_instruction_goes_into_the_system_message(server, api_key, tmp_path):
    project = make_project(tmp_path / "project", server, style="British spelling; keep sentences short.")
    assert bitext(project, "build", "--engine", "llm", "--no-pdf").exit_code == 0
    assert all("Style: British spelling; keep sentences short." in r.messages[0]["content"] for r in server.requests)


def test_a_missing_or_broken_prompt_template_is_one_line(server, api_key, tmp_path):
    project = make_project(tmp_path / "project", server, prompt="mine.j2")
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: no prompt template 'mine.j2' in {project / 'templates' / 'llm'} or the "
                                     f"defaults; set llm.prompt to an existing file (default: translate.j2)")
    (project / "templates" / "llm").mkdir(parents=True)
    (project / "templates" / "llm" / "mine.j2").write_text("{% macro system() %}\n{% if %}\n", encoding="utf-8")
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {project / 'templates' / 'llm' / 'mine.j2'}:2: the prompt template is broken")
    assert server.chat_requests == 0
