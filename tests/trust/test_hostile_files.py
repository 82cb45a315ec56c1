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


# --- §2: inputs under /proc, /sys and /dev are refused; errors quote a short, escaped piece -------------------------

SECRET = "ghp_Zx9Kq2Lw8Rt5Yv3Nm7Bc1Df4Gh6Jk0PqRsTu"
#: A git-credentials file: one URL with a user and a token.
CREDENTIALS = f"https://alice:{SECRET}@github.com\n"


def _settings(project, extra: str):
    path = project / "edition.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def _system_path(path: str) -> str:
    if not __import__("os").path.exists(path):
        pytest.skip(f"{path} does not exist here")
    return path


@pytest.mark.hostile("settings")
@pytest.mark.parametrize("system", ["/proc/self/environ", "/proc/self/cmdline", "/sys/kernel/mm/transparent_hugepage/enabled",
                                    "/dev/null"])
def test_a_termbase_under_a_system_folder_is_refused_and_nothing_of_it_printed(project, system, monkeypatch):
    monkeypatch.setenv("BITEXT_PROBE_SECRET", SECRET)
    _settings(project, f'\n[paths]\nglossary = "{_system_path(system)}"\n')
    line = one_line_error(bitext(project, "build", "--no-pdf"), f"is under /{system.split('/')[1]}")
    assert SECRET not in line and "PATH=" not in line


@pytest.mark.hostile("settings")
@pytest.mark.parametrize("where", ["termbase", "article", "settings"])
def test_a_link_in_the_edition_into_proc_is_refused(project, where):
    path = {"termbase": project / "glossary" / "terms.csv", "article": project / "corpus" / "zhou-ming.md",
            "settings": project / "edition.toml"}[where]
    path.unlink()
    path.symlink_to("/proc/self/environ")
    one_line_error(bitext(project, "build", "--no-pdf"), "is under /proc")


@pytest.mark.hostile("glossary")
def test_a_credentials_file_as_the_termbase_prints_no_token(project, tmp_path):
    credentials = tmp_path / ".git-credentials"
    credentials.write_text(CREDENTIALS, encoding="utf-8")
    _settings(project, f'\n[paths]\nglossary = "{credentials}"\n')
    for command in (["build", "--no-pdf"], ["glossary", "check", "--no-corpus"], ["glossary", "list"]):
        result = bitext(project, *command)
        assert result.exit_code == 1 and no_traceback(result), result.output
        assert SECRET[:8] not in result.output, result.output
        assert "alice" not in result.output, result.output


@pytest.mark.hostile("glossary")
def test_a_long_unknown_column_is_quoted_short_and_escaped(project):
    termbase = project / "glossary" / "terms.csv"
    column = "\x1b]0;PWNED\x07" + "x" * 5000
    termbase.write_text(GLOSSARY.replace("note\n", f"note,{column}\n", 1), encoding="utf-8")
    result = bitext(project, "glossary", "check", "--no-corpus")
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "unknown column" in line)
    assert "\x1b" not in line and "\\x1b]0;PWNED\\x07" in line
    assert "x" * 41 not in line and len(line) < 300


@pytest.mark.hostile("settings")
@pytest.mark.parametrize(("setting", "says"), [
    ('[display]\nscript = "{value}"', "'display.script' must be one of"),
    ('[layout]\njobs = "{value}"', "'layout.jobs' must be a whole number, not"),
    ('[edition]\n"{value}" = 1', "unknown setting"),
    ('["{value}"]\nx = 1', "unknown setting"),
], ids=["choice", "number", "key", "table"])
def test_a_long_setting_value_is_quoted_short_and_escaped(project, setting, says):
    value = "\\u001b[2J" + SECRET * 100
    (project / "edition.toml").write_text(setting.format(value=value) + "\n", encoding="utf-8")
    line = one_line_error(bitext(project, "build", "--no-pdf"), says)
    assert "\x1b" not in line and SECRET not in line and len(line) < 1000, line


@pytest.mark.hostile("corpus")
@pytest.mark.parametrize(("meta", "says"), [
    ({"script": "\x1b[2J" + SECRET * 50}, "'script' must be simplified or traditional"),
    ({"date": "\x1b[2J" + SECRET * 50}, "'date' must be YYYY-MM-DD"),
], ids=["script", "date"])
def test_a_long_front_matter_value_is_quoted_short_and_escaped(project, meta, says):
    from trusttools import article

    (project / "corpus" / "zhou-ming.md").write_text(article(**meta), encoding="utf-8")
    line = one_line_error(bitext(project, "build", "--no-pdf"), says)
    assert "\x1b" not in line and SECRET not in line and len(line) < 400, line


@pytest.mark.hostile("settings")
def test_quoted_shortens_escapes_and_hides_credentials():
    from translate.inputs import quoted

    assert quoted("zhou-ming") == "'zhou-ming'"
    assert quoted(100000) == "100000"
    assert quoted("a\nb\x1b[2J\u202e") == "'a\\nb\\x1b[2J\\u202e'"
    shown = quoted("y" * 500)
    assert shown.startswith("'yyy") and shown.endswith("…'") and len(shown) <= 42
    assert SECRET not in quoted(CREDENTIALS) and "alice" not in quoted(CREDENTIALS)
    assert SECRET[:10] not in quoted(f"Bearer {SECRET}")


@pytest.mark.hostile("corpus")
@pytest.mark.parametrize("log", ["x\t" + SECRET * 100 + "\tkeep\t\"\"\t\"\"\n", "\x1b[2J\t1\tkeep\t" + "[" * 5000 + "\n",
                                 "\xff\xfe\x00binary"], ids=["number", "json", "binary"])
def test_a_damaged_cleaning_log_is_one_short_line(project, log):
    (project / "corpus" / "zhou-ming.log").write_bytes(log.encode("utf-8", errors="surrogateescape")
                                                      if "\xff" not in log else log.encode("latin-1"))
    line = one_line_error(bitext(project, "corpus", "check"), "cleaning-log")
    assert SECRET not in line and "\x1b" not in line and len(line) < 400, line


@pytest.mark.hostile("templates")
def test_a_template_error_quotes_a_long_name_short(project):
    import shutil

    from trusttools import REPO

    shutil.copytree(REPO / "templates" / "html", project / "templates" / "html")
    page = project / "templates" / "html" / "index.html"
    page.write_text("{% " + SECRET * 200 + " %}" + page.read_text(encoding="utf-8"), encoding="utf-8")
    line = one_line_error(bitext(project, "build", "--no-pdf", "--no-epub"), "HTML template error")
    assert SECRET * 2 not in line and len(line) < 600, line
