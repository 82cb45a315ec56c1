"""Trust II: no input loses data, hangs, or runs code (issue 12, items 1–4 and 6–12).

Each test is one reproduction from the hostile probe, made small: concurrent
writers, a slug that belongs to another source, a build folder full of someone
else's files, an export over an input, FIFOs and devices where files should be,
a 20,000-entry termbase, absurd settings, inputs that used to end in a
traceback, a full disk under the translation memory, escape sequences for the
terminal, and a model archive that is a zip bomb. What must hold: exit status 1
and one line ``Error: <file>[:<line>]: …`` that says how to fix it (or, for the
writers, every change kept), and no file of the user's lost or changed.

Inputs that could hang the reader (FIFOs) run in a child process with a
timeout, so that a regression fails instead of blocking the suite.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from trusttools import CASES, GLOSSARY, article, bitext, make_project, no_traceback

SAMPLE = (CASES / "raw" / "sample-simplified.txt").read_text(encoding="utf-8")
#: Escape sequences a hostile cell or article would print: retitle the window, clear the screen.
OSC_TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J"


def one_line_error(result, where: Path | str, says: str = "") -> str:
    """Assert exit 1 with one line on stderr that starts ``Error: <where>`` and contains ``says``; return it."""
    assert no_traceback(result), f"escaped exception: {result.exception!r}"
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, f"not one line:\n{result.stderr}"
    assert result.stderr.startswith(f"Error: {where}"), f"{result.stderr!r} does not name {where}"
    assert says in result.stderr, f"{says!r} not in {result.stderr!r}"
    return result.stderr


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes), links not followed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def child(project: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """``bitext --root PROJECT ARGS`` in a child process; a hang (past ``timeout``) fails the test."""
    try:
        return subprocess.run([sys.executable, "-m", "translate", "--root", str(project), *args], cwd=project,
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`bitext {' '.join(args)}` hung for {timeout} s")


def child_error(completed: subprocess.CompletedProcess, where: Path | str, says: str = "") -> None:
    """Like :func:`one_line_error`, for a child process."""
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.stderr.count("\n") == 1, completed.stderr
    assert completed.stderr.startswith(f"Error: {where}"), completed.stderr
    assert says in completed.stderr, completed.stderr


# --- 1. concurrent writers ---------------------------------------------------------------------------------------

#: A child that imports the CLI, says it is ready, waits for the go file, then runs ``bitext ARGS``.
RACER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from translate.cli import cli
    go, ready = Path(sys.argv[1]), Path(sys.argv[2])
    ready.touch()
    while not go.exists():
        time.sleep(0.002)
    cli(sys.argv[3:], prog_name="bitext")
""")


def race(tmp_path: Path, commands: list[list[str]], cwd: Path) -> list[subprocess.CompletedProcess]:
    """Run every command at the same moment (all started and imported first); their results."""
    go = tmp_path / "go"
    children = []
    for number, command in enumerate(commands):
        ready = tmp_path / f"ready-{number}"
        children.append((ready, subprocess.Popen([sys.executable, "-c", RACER, str(go), str(ready), *command], cwd=cwd,
                                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in children) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = []
    for _, process in children:
        out, err = process.communicate(timeout=180)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


NEW_TERMS = [(f"术语{char}", f"term {number}") for number, char in enumerate("甲乙丙丁戊己庚辛壬癸子丑")]


@pytest.mark.hostile("glossary")
def test_twelve_concurrent_glossary_adds_keep_every_entry(project, tmp_path):
    termbase = project / "glossary" / "terms.csv"
    results = race(tmp_path, [["--root", str(project), "glossary", "add", zh, en] for zh, en in NEW_TERMS],
                   cwd=project)
    for result in results:
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Added "), result.stdout
    lines = termbase.read_text(encoding="utf-8").splitlines()
    assert lines[:6] == GLOSSARY.splitlines()
    assert sorted(lines[6:]) == sorted(f"{zh},{en},,,,," for zh, en in NEW_TERMS)
    # Each one was told the line it really got.
    told = sorted(int(re.search(r":(\d+)\n", r.stdout).group(1)) for r in results)
    assert told == list(range(7, 7 + len(NEW_TERMS)))


def test_concurrent_imports_of_sources_with_one_slug_write_one_article(project, tmp_path):
    raw = project / "corpus" / "raw"
    raw.mkdir()
    sources = []
    for number in range(6):
        source = raw / f"000_4695234a{number:08d}.txt"
        source.write_text(SAMPLE.replace("周明", f"周明{number}", 1), encoding="utf-8")
        sources.append(source)
    results = race(tmp_path, [["--root", str(project), "corpus", "import", str(s)] for s in sources], cwd=project)
    written = [r for r in results if r.returncode == 0]
    refused = [r for r in results if r.returncode == 1]
    assert len(written) == 1 and len(refused) == 5, [r.stderr for r in results]
    assert written[0].stdout.startswith("000-4695234a: written")
    for result in refused:
        assert result.stderr.count("\n") == 1 and "is already the article of" in result.stderr, result.stderr
    winner = sources[results.index(written[0])].name
    assert f"source_file: {winner}" in (project / "corpus" / "000-4695234a.md").read_text(encoding="utf-8")


# --- 2. a slug belongs to one source -----------------------------------------------------------------------------


@pytest.fixture
def two_sources(project: Path) -> tuple[Path, Path]:
    raw = project / "corpus" / "raw"
    raw.mkdir()
    first, second = raw / "000_4695234a35547297.txt", raw / "000_4695234a00000000.txt"
    first.write_text(SAMPLE, encoding="utf-8")
    second.write_text(SAMPLE.replace("周明", "王小川"), encoding="utf-8")
    (project / "corpus" / "zhou-ming.md").unlink()
    return first, second


def test_a_different_source_with_the_same_slug_is_refused_naming_both(project, two_sources):
    first, second = two_sources
    assert bitext(project, "corpus", "import", str(first)).exit_code == 0
    article_path = project / "corpus" / "000-4695234a.md"
    before = article_path.read_bytes()
    result = bitext(project, "corpus", "import", str(second))
    one_line_error(result, second, (
        "'000_4695234a00000000.txt' would be article 000-4695234a, but 000-4695234a.md is already the article of "
        "'000_4695234a35547297.txt'; rename one of the two sources (a slug comes from the file name)"))
    assert article_path.read_bytes() == before
    assert not list((project / "corpus").glob("000-4695234a-*"))


def test_the_same_source_again_is_its_own_article(project, two_sources, tmp_path):
    first, _ = two_sources
    assert bitext(project, "corpus", "import", str(first)).exit_code == 0
    elsewhere = tmp_path / "downloads" / first.name  # the same file, fetched again into another folder
    elsewhere.parent.mkdir()
    elsewhere.write_text(SAMPLE.replace("周明", "周明博士", 1), encoding="utf-8")
    result = bitext(project, "corpus", "import", str(elsewhere))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("000-4695234a: updated")


def test_sources_imported_together_keep_their_own_articles_when_imported_alone(project, two_sources):
    first, second = two_sources
    result = bitext(project, "corpus", "import", str(first), str(second))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "corpus").glob("*.md")) == ["000-4695234a-2.md", "000-4695234a.md"]
    first_article = (project / "corpus" / "000-4695234a.md").read_bytes()
    again = bitext(project, "corpus", "import", str(first if first.name > second.name else second))
    assert again.exit_code == 0, again.output
    assert again.output.startswith("000-4695234a-2: unchanged")
    assert (project / "corpus" / "000-4695234a.md").read_bytes() == first_article


# --- 3. the build folder is the build's own -----------------------------------------------------------------------


def _settings(project: Path, text: str) -> Path:
    with (project / "edition.toml").open("a", encoding="utf-8") as settings:
        settings.write(text)
    return project / "edition.toml"


def test_a_build_folder_full_of_someone_elses_files_is_refused(project, tmp_path):
    victim = tmp_path / "victim"
    (victim / "docs").mkdir(parents=True)
    (victim / ".draft.tmp").write_text("a draft\n")
    (victim / "docs" / ".notes.tmp").write_text("notes\n")
    (victim / "thesis.txt").write_text("years of work\n")
    before = files_of(victim)
    _settings(project, f'\n[paths]\nbuild = "{victim}"\n')
    one_line_error(bitext(project, "build", "--no-pdf"), victim,
                   "holds files that no build made (no .bitext-build marker); set paths.build in edition.toml")
    assert files_of(victim) == before


@pytest.mark.parametrize(("build", "says"), [
    (".", "'paths.build' is the project folder"),
    ("", "'paths.build' is the project folder"),
    ("..", "'paths.build' is a folder above the project"),
    ("corpus", "'paths.build' would hold the corpus"),
    ("glossary", "'paths.build' would hold the glossary"),
    ("corpus/out", "'paths.build' is inside the corpus"),
    ("templates/out", "'paths.build' is inside the templates"),
], ids=["dot", "empty", "parent", "corpus", "glossary", "inside-corpus", "inside-templates"])
def test_a_build_folder_over_the_inputs_is_refused(project, build, says):
    (project / "corpus" / ".zhou-ming.md.tmp").write_text("a translator's unsaved edit\n")
    (project / "glossary" / ".terms.csv.tmp").write_text("a half-saved termbase\n")
    settings = _settings(project, f'\n[paths]\nbuild = "{build}"\n')
    before = files_of(project)
    one_line_error(bitext(project, "build", "--no-pdf"), f"{settings}:8: ",
                   says + "; the build folder must be a folder of its own")
    assert files_of(project) == before


def test_only_the_builds_own_temporaries_are_removed(project, tmp_path):
    assert bitext(project, "build", "--no-pdf").exit_code == 0
    build_dir = project / "build"
    assert (build_dir / ".bitext-build").is_file()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".bitext-tmp-a.tmp").write_text("not the build's\n")
    (build_dir / "elsewhere").symlink_to(outside)
    (build_dir / "html" / ".notes.tmp").write_text("someone's notes\n")
    (build_dir / "html" / ".bitext-tmp-index.html.k2j3h4g5.tmp").write_text("half a page")
    (project / "glossary" / "terms.csv").write_text(GLOSSARY.replace("large model", "big model"), encoding="utf-8")
    assert bitext(project, "build", "--no-pdf").exit_code == 0
    assert not (build_dir / "html" / ".bitext-tmp-index.html.k2j3h4g5.tmp").exists()
    assert (build_dir / "html" / ".notes.tmp").read_text() == "someone's notes\n"
    assert (outside / ".bitext-tmp-a.tmp").read_text() == "not the build's\n"


def test_a_build_folder_of_an_older_version_is_taken_over(project):
    assert bitext(project, "build", "--no-pdf").exit_code == 0
    (project / "build" / ".bitext-build").unlink()  # as an older version left it: state.json, no marker
    (project / "glossary" / "terms.csv").write_text(GLOSSARY.replace("large model", "big model"), encoding="utf-8")
    result = bitext(project, "build", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert (project / "build" / ".bitext-build").is_file()


# --- 4. an explicit output over an input needs --force ------------------------------------------------------------


@pytest.mark.parametrize(("target", "role"), [
    ("glossary/terms.csv", "the termbase"),
    ("corpus/zhou-ming.md", "a corpus article"),
    ("corpus/zhou-ming.en.po", "a post-editing store"),
    ("edition.toml", "the settings file"),
], ids=["termbase", "article", "po-store", "settings"])
def test_export_over_an_input_needs_force(project, target, role, monkeypatch):
    path = project / target
    if not path.exists():
        path.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    before = files_of(project)
    monkeypatch.chdir(project)
    result = bitext(project, "glossary", "export", "--format", "tbx", "-o", target)
    one_line_error(result, target,
                   f"is {role} of this edition; exporting would replace it. Write elsewhere, or pass --force")
    assert files_of(project) == before
    forced = bitext(project, "glossary", "export", "--format", "tbx", "-o", target, "--force")
    assert forced.exit_code == 0, forced.output
    assert path.read_text(encoding="utf-8").startswith("<?xml")


# --- 6. only regular files are read -------------------------------------------------------------------------------


def _fifo(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


FIFO_SAYS = "is a named pipe (FIFO), not a regular file; give the path of a file"


@pytest.mark.parametrize("where", ["article", "extra-article", "termbase", "settings"])
def test_a_fifo_input_is_an_error_not_a_hang(project, where):
    path = {"article": project / "corpus" / "zhou-ming.md", "extra-article": project / "corpus" / "extra.md",
            "termbase": project / "glossary" / "terms.csv", "settings": project / "edition.toml"}[where]
    _fifo(path)
    child_error(child(project, "build", "--no-pdf"), path, FIFO_SAYS)


@pytest.mark.hostile("glossary")
def test_a_fifo_termbase_is_an_error_for_glossary_check(project):
    path = _fifo(project / "glossary" / "terms.csv")
    completed = child(project, "glossary", "check", "--no-corpus")
    assert completed.returncode == 1 and "Traceback" not in completed.stderr, completed.stderr
    assert completed.stdout.splitlines()[0] == f"Error: {path.relative_to(project)}: {FIFO_SAYS}"


@pytest.mark.parametrize("name", ["source.txt", "vendor.csv", "vendor.tbx"])
def test_a_fifo_given_to_an_import_is_an_error_not_a_hang(project, name):
    path = _fifo(project / name)
    command = ["corpus", "import", str(path)] if name.endswith(".txt") else ["glossary", "import", str(path)]
    child_error(child(project, *command), path, FIFO_SAYS)


def test_a_folder_named_like_an_article_is_an_error(project):
    (project / "corpus" / "folder.md").mkdir()
    one_line_error(bitext(project, "build", "--no-pdf"), project / "corpus" / "folder.md",
                   "is a folder, not a regular file; give the path of a file")


@pytest.mark.hostile("glossary")
def test_a_device_as_the_termbase_is_an_error(project):
    path = project / "glossary" / "terms.csv"
    path.unlink()
    path.symlink_to("/dev/null")
    one_line_error(bitext(project, "build", "--no-pdf"), path,
                   "is under /dev (links followed)")


# --- 7. a 20,000-entry termbase is checked and loaded in time near-linear in its entries -------------------------


def synthetic_termbase(entries: int) -> str:
    """A termbase of ``entries`` distinct two-to-five-character terms (one in twenty nested in a longer one)."""
    rng = random.Random(entries)
    alphabet = sorted({c for c in SAMPLE if "\u4e00" <= c <= "\u9fff"})
    seen: set[str] = set()
    lines = ["zh,en,variants,keep,case,kind,note"]
    while len(lines) <= entries:
        zh = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 5)))
        if zh in seen:
            continue
        seen.add(zh)
        lines.append(f"{zh},term {len(lines)},{'T%dX' % len(lines) if len(lines) % 10 == 0 else ''},,,concept,")
        longer = zh + rng.choice(alphabet) + rng.choice(alphabet)
        if len(lines) % 20 == 0 and longer not in seen and len(lines) <= entries:
            seen.add(longer)
            lines.append(f"{longer},longer term {len(lines)},,,,concept,")
    return "\n".join(lines) + "\n"


def _check_and_load_seconds(path: Path, entries: int) -> float:
    from translate.glossary import Glossary, check_glossary

    path.write_text(synthetic_termbase(entries), encoding="utf-8")
    start = time.perf_counter()
    diagnostics = check_glossary(path, [SAMPLE])
    assert not [d for d in diagnostics if d.severity == "error"]
    assert len(Glossary.load(path)) == entries
    return time.perf_counter() - start


@pytest.mark.hostile("glossary")
def test_a_large_termbase_is_checked_in_time_near_linear_in_its_entries(tmp_path):
    small = _check_and_load_seconds(tmp_path / "small.csv", 5_000)
    large = _check_and_load_seconds(tmp_path / "large.csv", 20_000)
    # Quadratic rules took 4× the time per entry here (and minutes in all); near-linear ones stay flat.
    assert large < 60, f"20,000 entries took {large:.0f} s"
    assert (large / 20_000) / (small / 5_000) < 2.5, f"per entry: {small / 5:.2f} ms vs {large / 20:.2f} ms"


# --- 8. numeric settings have ranges ------------------------------------------------------------------------------


@pytest.mark.parametrize(("setting", "line", "says"), [
    ("beam_size = 100000", 6, "'translation.beam_size' must be between 1 and 32, not 100000"),
    ("batch_size = -3", 6, "'translation.batch_size' must be between 1 and 1024, not -3"),
    ("num_hypotheses = 0", 6, "'translation.num_hypotheses' must be between 1 and 32, not 0"),
    ("max_decoding_length = -5", 6, "'translation.max_decoding_length' must be between 1 and 4096, not -5"),
    ("\n[layout]\njobs = 1000000", 8, "'layout.jobs' must be between 1 and 64, not 1000000"),
], ids=["beam", "batch", "hypotheses", "decoding-length", "jobs"])
def test_an_absurd_number_names_the_line_and_the_range(project, setting, line, says):
    settings = _settings(project, setting + "\n")
    one_line_error(bitext(project, "build", "--no-pdf"), f"{settings}:{line}: {says}")
    assert not (project / "build").exists()


# --- 9. one line, never a traceback -------------------------------------------------------------------------------


def test_settings_that_are_not_utf8(project):
    settings = project / "edition.toml"
    settings.write_bytes(b'[edition]\ntitle = "\xc9dition \xe0 part"\n')
    one_line_error(bitext(project, "build", "--no-pdf"), f"{settings}:2: not UTF-8 (byte 0xc9); save the file as UTF-8")


def test_settings_that_are_a_folder(project):
    settings = project / "edition.toml"
    settings.unlink()
    settings.mkdir()
    one_line_error(bitext(project, "build", "--no-pdf"),
                   f"{settings}: is a folder, not a regular file; give the path of a file")


def test_templates_in_proc_self(project):
    _settings(project, '\n[paths]\ntemplates = "/proc/self"\n')
    one_line_error(bitext(project, "build", "--no-pdf"), "/proc/self/", "cannot read this input")


def _article_with(title_yaml: str) -> str:
    return (f"---\ntitle: {title_yaml}\ntitle_original: 周明谈大模型\nsource_file: 000_test.txt\nscript: simplified\n"
            "---\n\n周明认为大模型很重要。\n")


@pytest.mark.parametrize(("title", "says"), [
    ("[" * 500 + "]" * 500, ":2: front matter is nested too deeply to read"),
    ("123", ":2: 'title' must be text, not a number; put it in quotes"),
    ("{a: 1}", ":2: 'title' must be text, not a map; put it in quotes"),
    ("!!binary aGVsbG8=", ":2: 'title' must be text, not binary data; put it in quotes"),
], ids=["nested-500-deep", "number", "map", "binary"])
def test_a_front_matter_title_that_is_not_text(project, title, says):
    path = project / "corpus" / "zhou-ming.md"
    path.write_text(_article_with(title), encoding="utf-8")
    one_line_error(bitext(project, "build", "--no-pdf"), f"{path}{says}")


def _installed_package(models: Path, **metadata) -> Path:
    folder = models / "translate-zh_en-1_0"
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "model.bin").write_bytes(b"\0" * 16)
    (folder / "sentencepiece.model").write_bytes(b"\0" * 16)
    fields = {"package_version": "1.0", "from_code": "zh", "to_code": "en", "from_name": "Chinese",
              "to_name": "English", **metadata}
    (folder / "metadata.json").write_text(json.dumps(fields), encoding="utf-8")
    return folder / "metadata.json"


def test_a_package_version_that_is_a_list(project):
    pytest.importorskip("argostranslate.package")
    metadata = _installed_package(project / "models", package_version=["1"])
    _settings(project, '\n[paths]\nmodels = "models"\n')
    one_line_error(bitext(project, "model", "list"), metadata,
                   "'package_version' in metadata.json must be text, not a list; the package is damaged")


def test_a_target_prefix_that_is_an_object(project):
    pytest.importorskip("argostranslate.package")
    metadata = _installed_package(project / "models", target_prefix={"a": 1})
    (project / "edition.toml").write_text('[translation]\nengine = "argos"\n\n[paths]\nmodels = "models"\n',
                                          encoding="utf-8")
    one_line_error(bitext(project, "build", "--no-pdf"), metadata,
                   "'target_prefix' in metadata.json must be text, not an object; the package is damaged")


# --- 10. a full disk under the translation memory -----------------------------------------------------------------


class _FullDatabase:
    """What ``sqlite3.connect`` gives on a full disk: every statement fails with SQLITE_FULL."""

    def execute(self, *args):
        raise sqlite3.OperationalError("database or disk is full")

    executescript = execute

    def close(self):
        pass


def test_a_full_disk_opening_the_memory_says_so_and_never_suggests_deleting_it(project, monkeypatch):
    from translate.translation import memory

    assert bitext(project, "build", "--no-pdf").exit_code == 0
    healthy = (project / "build" / "memory.sqlite").read_bytes()
    (project / "glossary" / "terms.csv").write_text(GLOSSARY.replace("large model", "big model"), encoding="utf-8")
    monkeypatch.setattr(memory.sqlite3, "connect", lambda *args, **kwargs: _FullDatabase())
    message = one_line_error(bitext(project, "build", "--no-pdf"), project / "build" / "memory.sqlite",
                             "disk full; free some space and build again")
    assert "delete" not in message
    assert (project / "build" / "memory.sqlite").read_bytes() == healthy


def test_a_full_disk_writing_the_memory_never_suggests_deleting_it(project, monkeypatch):
    from translate.translation.memory import TranslationMemory

    def full(self, rows):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(TranslationMemory, "put_many", full)
    message = one_line_error(bitext(project, "build", "--no-pdf"), project / "build" / "memory.sqlite", "disk full")
    assert "delete" not in message


def test_only_a_damaged_memory_is_worth_deleting(project):
    (project / "build").mkdir()
    (project / "build" / "memory.sqlite").write_bytes(b"this is not a database, it is a shopping list\n" * 40)
    one_line_error(bitext(project, "build", "--no-pdf"), project / "build" / "memory.sqlite",
                   "the translation memory is damaged (file is not a database); delete it (the next build makes a "
                   "new one) or build with --no-cache")


# --- 11. nothing from the user's files drives the terminal --------------------------------------------------------


@pytest.mark.parametrize(("cell", "shown"), [
    (f"startup{OSC_TITLE}", "U+001B (ESC)"),
    ("clear\x9b2J", "U+009B (CSI)"),
    ("bell\x07", "U+0007 (BEL)"),
], ids=["osc-title", "c1-csi", "bel"])
@pytest.mark.hostile("glossary")
def test_a_control_character_in_a_glossary_cell_is_an_error(project, cell, shown):
    path = project / "glossary" / "terms.csv"
    path.write_text(GLOSSARY + f"创业,{cell},,,,concept,\n", encoding="utf-8")
    message = f"{path}:7: 'en' contains the control character {shown}, which a terminal would obey; delete it"
    result = bitext(project, "glossary", "check", "--no-corpus")
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output.splitlines()
    assert "\x1b" not in result.output and "\x9b" not in result.output and "\x07" not in result.output
    one_line_error(bitext(project, "build", "--no-pdf"), message)


@pytest.mark.hostile("glossary")
def test_glossary_list_prints_control_characters_harmlessly(project):
    path = project / "glossary" / "terms.csv"
    path.write_text(GLOSSARY + f"创业,start-up{OSC_TITLE},创{CLEAR}业,,,concept,\n", encoding="utf-8")
    result = bitext(project, "glossary", "list")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert ("    7  创业 → start-up\\x1b]0;PWNED\\x07  (concept; variants: 创\\x1b[2J业)"
            in result.output.splitlines())


@pytest.mark.hostile("glossary")
def test_glossary_add_refuses_a_control_character(project):
    path = project / "glossary" / "terms.csv"
    one_line_error(bitext(project, "glossary", "add", "创业", f"start-up{CLEAR}"), f"{path}:7: ",
                   "en contains the control character U+001B (ESC), which a terminal would obey; delete it")
    assert path.read_text(encoding="utf-8") == GLOSSARY


def test_glossary_show_prints_article_text_harmlessly(project):
    path = project / "corpus" / "zhou-ming.md"
    path.write_text(article(body=f"周明{OSC_TITLE}认为大模型{CLEAR}很重要。\n"), encoding="utf-8")
    result = bitext(project, "glossary", "show", "大模型")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output.replace("\x1b[1m", "").replace("\x1b[4m", "").replace("\x1b[0m", "")
    assert "\\x1b]0;PWNED\\x07" in result.output


def test_corpus_check_flags_control_characters(project):
    path = project / "corpus" / "zhou-ming.md"
    path.write_text(article(body=f"周明{OSC_TITLE}认为大模型很重要。\n"), encoding="utf-8")
    result = bitext(project, "corpus", "check")
    assert result.exit_code == 0, result.output
    assert f"Warning: {path}:8: control character U+001B (ESC) in the text; delete it" in result.output
    assert f"Warning: {path}:8: control character U+0007 (BEL) in the text; delete it" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert result.output.splitlines()[-1] == "1 articles, 0 damaged spans flagged, 2 control characters flagged"
    strict = bitext(project, "corpus", "check", "--strict")
    assert strict.exit_code == 1 and "2 control characters flagged; delete them in corpus/*.md" in strict.stderr


def test_safe_for_terminal_escapes_every_control_but_tab_and_newline():
    from translate.cli.terminal import safe_for_terminal

    assert safe_for_terminal(f"a{OSC_TITLE}b\x9bc\td\ne\r\x00\x7f") == "a\\x1b]0;PWNED\\x07b\\x9bc\td\ne\\x0d\\x00\\x7f"
    assert safe_for_terminal("周明 → Zhou Ming") == "周明 → Zhou Ming"


# --- 12. a model archive cannot fill the disk ---------------------------------------------------------------------


def _archive(path: Path, model: bytes) -> Path:
    metadata = {"package_version": "1.0", "from_code": "zh", "to_code": "en"}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("translate-zh_en-1_0/metadata.json", json.dumps(metadata))
        archive.writestr("translate-zh_en-1_0/model/model.bin", model)
        archive.writestr("translate-zh_en-1_0/sentencepiece.model", b"\0" * 16)
    return path


@pytest.fixture
def models_project(tmp_path: Path) -> Path:
    (tmp_path / "edition.toml").write_text('[paths]\nmodels = "models"\n', encoding="utf-8")
    return tmp_path


def test_a_zip_bomb_is_refused(models_project):
    archive = _archive(models_project / "bomb.argosmodel", b"\0" * (20 * 1024 * 1024))
    assert archive.stat().st_size < 100_000
    one_line_error(bitext(models_project, "model", "install", str(archive)), archive,
                   "translate-zh_en-1_0/model/model.bin unpacks")
    assert "times larger than it is packed; a model does not compress like that" in \
        bitext(models_project, "model", "install", str(archive)).stderr
    assert not (models_project / "models" / "translate-zh_en-1_0").exists()


def test_an_archive_larger_than_the_cap_is_refused(models_project):
    (models_project / "edition.toml").write_text('[paths]\nmodels = "models"\n\n[translation]\nmax_model_size_mb = 1\n',
                                                 encoding="utf-8")
    archive = _archive(models_project / "big.argosmodel", random.Random(1).randbytes(2 * 1024 * 1024))
    one_line_error(bitext(models_project, "model", "install", str(archive)), archive,
                   "unpacks to 2 MiB, more than translation.max_model_size_mb = 1 allows; raise it in edition.toml")
    assert not (models_project / "models" / "translate-zh_en-1_0").exists()


def test_an_archive_that_does_not_fit_on_the_disk_is_refused(models_project, monkeypatch):
    from translate.translation import packages

    archive = _archive(models_project / "model.argosmodel", random.Random(2).randbytes(2 * 1024 * 1024))
    monkeypatch.setattr(packages.shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9, 2**20))
    one_line_error(bitext(models_project, "model", "install", str(archive)), archive,
                   "needs 2 MiB unpacked but only 1 MiB are free in")
    assert not (models_project / "models" / "translate-zh_en-1_0").exists()
