"""The installed tool: the wheel carries the default templates, and a wheel installed
into a new virtual environment, without argostranslate, builds an edition that
`bitext init` made. Offline: the wheel is built without build isolation and
installed with --no-index --no-deps; the other requirements come from this
environment's site-packages (argostranslate left out)."""

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIP = ["-m", "pip", "--disable-pip-version-check", "--no-input"]

ARTICLE = """大模型创业的一年

本文作者：林青   2024-05-01 10:00

过去一年，很多研究者离开大公司，开始创业。他们认为，大模型会成为新的基础设施。

周明说：我们只做对客户有用的东西。
"""

pytestmark = pytest.mark.slow


def run(*args, cwd=None, env=None, check=True):
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, *PIP, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", out, ROOT)
    [built] = out.glob("bitext-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A new venv with the wheel installed and every requirement but argostranslate reachable."""
    base = tmp_path_factory.mktemp("venv")
    venv = base / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    # The running environment's packages, less argostranslate and bitext's own editable install:
    # a folder of links, named in a .pth file (whose own .pth files Python does not run).
    deps = base / "deps"
    deps.mkdir()
    purelib = Path(sysconfig.get_paths()["purelib"])
    for entry in purelib.iterdir():
        if not entry.name.lower().startswith(("argostranslate", "bitext", "_editable_impl_bitext", "__editable__")):
            (deps / entry.name).symlink_to(entry)
    site = Path(run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .stdout.strip())
    (site / "bitext-test-deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    # This environment's pip installs into the new venv (which has none of its own).
    run(sys.executable, *PIP, "--python", venv / "bin" / "python", "install", "--no-index", "--no-deps", wheel)
    return venv


def test_the_wheel_carries_every_default_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*") if p.is_file())
    assert templates, "no templates in the repository"
    assert [t for t in templates if f"translate/{t}" not in names] == []
    assert "translate/resources.py" in names and "translate/cli/init.py" in names


def test_an_installed_wheel_builds_a_new_edition_without_argostranslate(venv, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    bitext = venv / "bin" / "bitext"
    where = run(venv / "bin" / "python", "-c",
                "import importlib.util as u, translate.resources as r; "
                "print(r.default_templates()); print(u.find_spec('argostranslate'))", cwd=tmp_path, env=env)
    templates, argos = where.stdout.splitlines()
    assert Path(templates).is_relative_to(venv) and (Path(templates) / "html" / "article.html").is_file()
    assert argos == "None"

    run(bitext, "init", "edition", cwd=tmp_path, env=env)
    edition = tmp_path / "edition"
    (edition / "corpus" / "raw" / "000_1a2b3c4d5e6f7a8b.txt").write_text(ARTICLE, encoding="utf-8")
    imported = run(bitext, "corpus", "import", "corpus/raw/000_1a2b3c4d5e6f7a8b.txt", cwd=edition, env=env)
    assert imported.stdout.startswith("000-1a2b3c4d: written, 2 paragraphs")

    argos = run(bitext, "build", "--engine", "argos", "--no-pdf", cwd=edition, env=env, check=False)
    assert (argos.returncode, argos.stdout) == (1, "")
    assert argos.stderr.startswith("Error: no zh→en Argos model is installed.") and argos.stderr.count("\n") == 1
    # bitext reads and runs an Argos package itself: no argostranslate in this environment.
    installed = run(bitext, "model", "install", ROOT / "tests" / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel",
                    cwd=edition, env=env)
    assert installed.stdout.startswith("Installed translate-zh_en-1.0 (zh→en) into ") and installed.stderr == ""
    assert run(bitext, "model", "list", cwd=edition, env=env).stdout.startswith("translate-zh_en-tiny  1.0 ")
    translated = run(bitext, "build", "--engine", "argos", "--no-pdf", cwd=edition, env=env)
    assert "Traceback" not in translated.stderr and "machine engine: argos" in translated.stdout

    built = run(bitext, "build", "--engine", "gloss", "--no-pdf", cwd=edition, env=env)
    assert "Traceback" not in built.stderr
    html = edition / "build" / "html"
    index = (html / "index.html").read_text(encoding="utf-8")
    page = (html / "000-1a2b3c4d.html").read_text(encoding="utf-8")
    assert "大模型创业的一年" in index and "000-1a2b3c4d.html" in index
    assert "大模型创业的一年" in page and "dictionary gloss" in page
    assert (html / "edition.css").read_bytes() == (ROOT / "templates" / "html" / "edition.css").read_bytes()
