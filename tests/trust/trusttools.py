"""Throwaway projects for the trust suite: faults, hostile input, offline builds.

A project is a folder with ``edition.toml``, ``corpus/<slug>.md``, a small
glossary and (optionally) copies of the edition's own cleaned articles. Builds
run through the real CLI (``CliRunner``, so a traceback shows up as an
exception) or in a subprocess (so it can be killed).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from translate.cli import cli

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
#: A fixed build date, so two builds on different days give the same bytes.
BUILD_DATE = "2025-01-01"

GLOSSARY = """\
zh,en,variants,keep,case,kind,note
大模型,large model,,,,concept,core term
周明,Zhou Ming,,,,person,founder of Langboat
澜舟科技,Langboat,瀾舟科技,,,company,
微软亚洲研究院,Microsoft Research Asia,,,,lab,
Densing Law,Densing Law,,yes,exact,concept,kept as is
"""

ARTICLE_BODY = """\
## 大模型创业

周明是在国内 AI 市场温度降到谷底的时刻决定创业的。那是 2020 年底，他辞去了微软亚洲研究院副院长的工作。

很多朋友劝他别出来，但他很坚定地要开始大模型创业。他认为大模型未来会成为某种基础设施。

- 第一，澜舟科技要做大模型。
- 第二，要把 Densing Law 讲清楚。

> 贫穷限制了我们的想象力。
"""


def front_matter(title: str, **meta) -> str:
    """YAML front matter for a cleaned article (values are written as JSON strings, valid YAML)."""
    fields = {"title": title, "title_original": title, "source_file": "000_test.txt", "script": "simplified", **meta}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def article(title: str = "周明谈大模型", body: str = ARTICLE_BODY, **meta) -> str:
    """The text of a cleaned article file."""
    return front_matter(title, **meta) + "\n" + textwrap.dedent(body)


def real_articles() -> list[Path]:
    """The edition's cleaned articles, smallest first (empty until the corpus is imported)."""
    return sorted((REPO / "corpus").glob("*.md"), key=lambda p: p.stat().st_size)


def make_project(root: Path, *, articles: dict[str, str] | None = None, real: int = 0, glossary: str = GLOSSARY,
                 settings: str = "") -> Path:
    """Write a project into ``root``: ``articles`` (slug → file text), ``real`` copies of the edition's articles."""
    (root / "corpus").mkdir(parents=True, exist_ok=True)
    (root / "glossary").mkdir(exist_ok=True)
    if articles is None and not real:
        articles = {"zhou-ming": article()}
    for slug, text in (articles or {}).items():
        (root / "corpus" / f"{slug}.md").write_text(text, encoding="utf-8")
    if real:
        sources = real_articles()
        if len(sources) < real:
            pytest.skip(f"needs {real} cleaned articles in corpus/*.md (found {len(sources)})")
        for source in sources[:real]:
            shutil.copy(source, root / "corpus" / source.name)
    (root / "glossary" / "terms.csv").write_text(glossary, encoding="utf-8")
    (root / "edition.toml").write_text('[edition]\ntitle = "Trust"\n\n[translation]\nengine = "gloss"\n' + settings,
                                       encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A one-article project using the gloss engine."""
    return make_project(tmp_path / "project")


def bitext(root: Path, *args: str) -> Result:
    """Run ``bitext --root ROOT ARGS`` in this process."""
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def no_traceback(result: Result) -> bool:
    """True when the command ended normally or with an exit status, never with an escaped exception."""
    return result.exception is None or isinstance(result.exception, SystemExit)


#: Builds with a fixed date in a child process (argv: ROOT, "pdf" or "no-pdf").
BUILD_SCRIPT = textwrap.dedent(f"""
    import sys
    from translate.pipeline import build_edition
    from translate.settings import load_settings
    build_edition(load_settings(sys.argv[1]), engine_name="gloss", pdf=sys.argv[2] == "pdf", build_date={BUILD_DATE!r})
""")


def start_build(root: Path, *, pdf: bool = False) -> subprocess.Popen:
    """Start a build of ``root`` in a child process, in a session of its own; stderr goes to ``root/build.err``."""
    with (root / "build.err").open("wb") as err:
        return subprocess.Popen([sys.executable, "-c", BUILD_SCRIPT, str(root), "pdf" if pdf else "no-pdf"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, cwd=root,
                                start_new_session=True)


def kill_build(child: subprocess.Popen) -> bool:
    """SIGKILL the build's main process (as the OOM killer would); True when processes it started outlived it.

    Whatever outlived it (in its session) is then killed too, so nothing is left running.
    """
    child.kill()
    child.wait()
    deadline = time.monotonic() + 3.0
    while alive_in_group(child.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if not alive_in_group(child.pid):
        return False
    os.killpg(child.pid, signal.SIGKILL)
    return True


def alive_in_group(pgid: int) -> list[int]:
    """Processes of the process group that still run (zombies, dead but not yet reaped, don't count)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state not in ("Z", "X"):
            alive.append(int(stat.parent.name))
    return alive


def build(root: Path, *, pdf: bool = False) -> None:
    """Build ``root`` to completion in a child process."""
    child = start_build(root, pdf=pdf)
    try:
        child.wait(timeout=300)
    finally:
        if child.poll() is None:
            kill_build(child)
    assert child.returncode == 0, (root / "build.err").read_text(errors="replace")[-3000:]


#: Files in build/ that are not outputs: the lock, the translation memory and its journal,
#: and state.json (it holds the fingerprint of the inputs, which includes their absolute paths).
NOT_OUTPUTS = {".lock", "memory.sqlite", "memory.sqlite-wal", "memory.sqlite-shm", "memory.sqlite-journal",
               "state.json"}


def outputs(build_dir: Path) -> dict[str, bytes]:
    """Every output file of a build folder: relative path → bytes."""
    return {str(p.relative_to(build_dir)): p.read_bytes() for p in sorted(build_dir.rglob("*"))
            if p.is_file() and p.name not in NOT_OUTPUTS}


def memory_check(build_dir: Path) -> str:
    """``PRAGMA integrity_check`` of the translation memory (``ok`` when sound or absent)."""
    path = build_dir / "memory.sqlite"
    if not path.exists():
        return "ok"
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def memory_rows(build_dir: Path) -> dict[str, str]:
    """key → English of every remembered translation."""
    with sqlite3.connect(build_dir / "memory.sqlite") as db:
        return dict(db.execute("SELECT key, en FROM translations"))
