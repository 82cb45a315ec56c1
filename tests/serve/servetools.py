"""A tiny edition served by a real ``bitext serve`` process, and an HTTP client for it (standard library only).

The server always runs in a temporary project: never in the repository, whose
``corpus/*.en.po`` are the translators' and would be rewritten by its builds.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE = """---
title: 周明谈大模型
source_file: 000_x.txt
script: simplified
---

周明创立了澜舟科技。他认为大模型很重要。

大模型会成为基础设施。

第三段没有术语。

澜舟科技的大模型服务企业。

周明说，基础设施需要时间。

最后一段也讲大模型。

这一段留给测试撤销。
"""

GLOSSARY = """zh,en,variants,keep,case,kind,note
大模型,large model,,,,concept,
周明,Zhou Ming,,,,person,
澜舟科技,Langboat,,,,company,
基础设施,infrastructure,,,,concept,
"""


def make_project(folder: Path) -> Path:
    """A one-article edition with four glossary terms, translated by the dictionary gloss."""
    (folder / "corpus").mkdir(parents=True)
    (folder / "glossary").mkdir()
    (folder / "corpus" / "interview.md").write_text(ARTICLE, encoding="utf-8")
    (folder / "glossary" / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    (folder / "edition.toml").write_text('[edition]\ntitle = "Tiny"\n\n[translation]\nengine = "gloss"\n',
                                         encoding="utf-8")
    return folder


@dataclass
class Served:
    """A running ``bitext serve`` and what a client needs to talk to it."""

    project: Path
    process: subprocess.Popen
    port: int
    output: list[str] = field(default_factory=list)
    token: str = ""

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self) -> Path:
        return self.project / "corpus" / "interview.en.po"

    def request(self, method: str, path: str, body: bytes | str | dict | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request with exactly these headers (plus Host and Content-Length); the path is sent as is."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if body is not None:
            sent.setdefault("Content-Length", str(len(body)))
        for name, value in sent.items():
            if value is not None:
                connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def post(self, path: str, body: dict, **headers: str) -> tuple[int, dict]:
        """A POST as the page's script sends it (token, Origin, JSON), with ``headers`` overriding."""
        sent = {"Origin": self.origin, "X-Bitext-Token": self.token, "Content-Type": "application/json",
                **{k.replace("_", "-"): v for k, v in headers.items()}}
        status, _, data = self.request("POST", path, body, sent)
        return status, json.loads(data or b"{}")

    def status(self) -> dict:
        code, _, data = self.request("GET", "/_bitext/status")
        assert code == 200, data
        return json.loads(data)

    def settle(self, after: int = 0, timeout: float = 30) -> dict:
        """Wait until a build newer than generation ``after`` has finished and nothing is building."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["generation"] > after and not status["building"] and not status.get("pending"):
                time.sleep(0.3)  # a change that lands right after (the watcher's echo of a save) starts now
                again = self.status()
                if not again["building"] and again["generation"] == status["generation"]:
                    return again
            time.sleep(0.1)
        raise AssertionError(f"no finished build after generation {after} in {timeout} s; server said:\n"
                             + "".join(self.output[-20:]))


def start(project: Path, *extra: str, timeout: float = 90) -> Served:
    """``bitext serve --port 0`` in ``project``; returns once it prints where it serves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "translate", "--root", str(project), "serve", "--port", "0", "--no-pdf", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
        start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    output: list[str] = []
    found = threading.Event()
    port: list[int] = []

    def read() -> None:
        for line in process.stdout:
            output.append(line)
            match = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
            if match and not port:
                port.append(int(match.group(1)))
                found.set()
        found.set()

    threading.Thread(target=read, daemon=True).start()
    found.wait(timeout)
    if not port:
        stop(Served(project, process, 0, output))
        raise AssertionError("bitext serve did not start:\n" + "".join(output))
    served = Served(project, process, port[0], output)
    _, _, page = served.request("GET", "/")
    served.token = re.search(rb'name="bitext-serve-token" content="([0-9a-f]+)"', page).group(1).decode()
    return served


def stop(served: Served) -> None:
    """Stop the server we started (SIGINT, as Ctrl+C would), then make sure it is gone."""
    process = served.process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
