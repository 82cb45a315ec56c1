"""Benchmark 5: ``bitext serve``'s loop — a one-entry glossary edit, until the open pages are told to reload.

A temporary copy of the project (the five articles, the glossary, the
templates; not the PO stores) is served by a real ``bitext serve`` process.
After its first build, one glossary entry's English is changed on disk, a few
times; each measure runs from the moment the file is written to the moment
the server's event stream announces the rewritten pages that an open page
reloads on (watching, rebuilding the HTML, comparing the pages): the article
pages come first, the edition-wide pages (index, glossary, report) right after,
and the note gives that second time too. The issue's
target (issue 33) is 1 s, a latency: what the user waits for, on any machine.

* with ``--no-pdf``: the HTML loop alone;
* with the PDF: the same edit lands while the background PDF build runs, so
  the server must stop it first.

Run alone: ``python -m bench serve``.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import WORK, Row, make_project
from bench.build import _edit_target, _pick_term

TARGET = 1.0
EDITS = 3


class _Served:
    """A ``bitext serve`` child process, with every build event it announces, timestamped."""

    def __init__(self, project: Path, *options: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "translate", "--root", str(project), "--quiet", "serve", "--port", "0", *options],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
            start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.output: list[str] = []
        self.events: list[tuple[float, dict]] = []
        self.port = 0
        ready = threading.Event()

        def read_output() -> None:
            for line in self.process.stdout:
                self.output.append(line)
                found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
                if found and not self.port:
                    self.port = int(found.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=read_output, daemon=True).start()
        if not ready.wait(600) or not self.port:
            self.stop()
            raise RuntimeError("bitext serve did not start:\n" + "".join(self.output[-20:]))
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        connection.request("GET", "/_bitext/events", headers={"Host": f"127.0.0.1:{self.port}"})
        response = connection.getresponse()
        while True:
            line = response.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                self.events.append((time.perf_counter(), json.loads(line[6:])))

    def wait_for(self, predicate, since: float, timeout: float = 300) -> tuple[float, dict]:
        """The first event after ``since`` that ``predicate`` accepts."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for stamp, event in list(self.events):
                if stamp >= since and predicate(event):
                    return stamp, event
            time.sleep(0.005)
        raise RuntimeError("no such event from bitext serve:\n" + "".join(self.output[-20:]))

    def cpu_seconds(self) -> float:
        """CPU seconds the server process has used so far (user and system; 0.0 where ``/proc`` is not there)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _loop(project: Path, term_line: int, *options: str, while_pdf: bool = False,
          cpu: list[float] | None = None, finished: list[tuple[float, float]] | None = None
          ) -> tuple[list[float], list[float]]:
    """(edit → reload announced, HTML build alone) in seconds, for each of :data:`EDITS` edits.

    ``cpu``, when given, gets the server process's CPU seconds from each edit to its reload
    (its own threads only, not a background build's process): the figure a shared machine does not inflate.
    The server announces the article pages first and the edition-wide pages right after (``pending``);
    each edit waits for that last announcement too, and ``finished``, when given, gets its (seconds,
    server CPU seconds) from the edit.
    """
    served = _Served(project, *options)
    glossary = project / "glossary" / "terms.csv"
    try:
        waited, built = [], []
        last = 0.0
        for _ in range(EDITS):
            if while_pdf:
                last, _ = served.wait_for(lambda e: e["background"] == "building", last)
            time.sleep(0.5)  # let the watcher's echo of the last build settle
            used = served.cpu_seconds()
            start = time.perf_counter()
            _edit_target(glossary, term_line)
            stamp, event = served.wait_for(lambda e: not e["building"] and e["changed"], start)
            if cpu is not None:
                cpu.append(served.cpu_seconds() - used)
            if event["error"]:
                raise RuntimeError(event["error"])
            waited.append(stamp - start)
            built.append(event["seconds"])
            if event.get("pending"):
                stamp, _ = served.wait_for(lambda e: not e["building"] and not e.get("pending")
                                           and e["generation"] == event["generation"], stamp)
            if finished is not None:
                finished.append((stamp - start, served.cpu_seconds() - used))
            last = stamp
        return waited, built
    finally:
        served.stop()


def run() -> list[Row]:
    from translate.glossary import Glossary
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    project = make_project(WORK / "serve-project", engine="gloss")
    assert not list((project / "corpus").glob("*.po")), "the bench copy must not carry the edition's PO stores"
    settings = load_settings(project)
    first = build_edition(settings, engine_name="gloss", pdf=False)  # fills the translation memory
    term, articles, sentences = _pick_term(first.edition, Glossary.load(settings.glossary_path))

    rows = []
    for label, options, while_pdf in (("HTML only (--no-pdf)", ("--no-pdf",), False),
                                      ("while the PDF builds", (), True)):
        cpu: list[float] = []
        finished: list[tuple[float, float]] = []
        waited, built = _loop(project, term.line, *options, while_pdf=while_pdf, cpu=cpu, finished=finished)
        median = statistics.median(waited)
        rows.append(Row("serve", f"glossary edit → pages told to reload, {label}", f"{median:.2f} s", f"≤ {TARGET:g} s",
                        median <= TARGET,
                        f"median of {len(waited)} edits of {term.zh} ({len(articles)} articles, {sentences} sentences); "
                        f"each: {', '.join(f'{w:.2f}' for w in waited)} s; the HTML build alone: "
                        f"{statistics.median(built):.2f} s; the server's CPU per edit: {statistics.median(cpu):.2f} s; "
                        f"the edition-wide pages after {statistics.median(f[0] for f in finished):.2f} s "
                        f"({statistics.median(f[1] for f in finished):.2f} CPU s)",
                        number=median, unit="s", latency=True))
    return rows


if __name__ == "__main__":
    from bench.__main__ import format_table

    print(format_table(run()))
