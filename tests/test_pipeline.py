"""The whole build, end to end, on the real five-article corpus (gloss) and through the fixture model (argos)."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.glossary import Glossary
from translate.glossary.honour import term_honoured
from translate.pipeline import build_edition
from translate.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_MODEL = ROOT / "tests" / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"

pytestmark = pytest.mark.slow


def make_project(tmp_path: Path, *, models: bool = False) -> Path:
    project = tmp_path / "edition"
    project.mkdir()
    for name in ("corpus", "glossary", "templates"):
        # Not the edition's PO stores: the translators' English must never stand in for machine output here.
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("raw", "*.po"))
    settings = '[edition]\ntitle = "Test edition"\n'
    settings += f'[paths]\nmodels = "{tmp_path / "models"}"\n'
    (project / "edition.toml").write_text(settings, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def gloss_build(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("gloss"))
    result = CliRunner().invoke(cli, ["--root", str(project), "build", "--no-pdf"])
    return project, result


def test_gloss_build_writes_the_whole_edition(gloss_build):
    project, result = gloss_build
    assert result.exit_code == 0, result.output + result.stderr
    assert "Warning: no zh→en model is installed: the English of " in result.stderr
    assert "segments is a dictionary gloss, not a translation." in result.stderr
    slugs = sorted(p.stem for p in (project / "corpus").glob("*.md"))
    assert len(slugs) == 5
    html = project / "build" / "html"
    for slug in slugs:
        page = (html / f"{slug}.html").read_text(encoding="utf-8")
        assert "dictionary gloss" in page
        data = json.loads((project / "build" / "translations" / f"{slug}.json").read_text(encoding="utf-8"))
        assert data["engine"] == "gloss"
        assert all(seg["en"] for block in data["blocks"] for seg in block["segments"] if seg["zh"].strip("。，、 "))
    assert (html / "index.html").is_file() and (html / "glossary.html").is_file()


def test_gloss_build_honours_every_term(gloss_build):
    project, _ = gloss_build
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    totals = report["edition"]
    assert totals["engine"] == "gloss" and totals["is_gloss"] is True
    assert totals["term_occurrences"] > 1000
    assert totals["violations"] == 0
    assert totals["term_success_rate"] == 1.0
    assert {row["slug"] for row in report["articles"]} == {p.stem for p in (project / "corpus").glob("*.md")}


def test_second_build_does_nothing_and_glossary_edit_retranslates_only_its_sentences(gloss_build):
    project, _ = gloss_build
    again = CliRunner().invoke(cli, ["--root", str(project), "build", "--no-pdf"])
    assert again.exit_code == 0
    assert "Nothing changed since the last build" in again.stdout

    glossary = project / "glossary" / "terms.csv"
    lines = glossary.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("奇绩创坛,"))
    lines[index] = lines[index].replace("MiraclePlus", "Miracle Plus", 1)
    glossary.write_text("".join(lines), encoding="utf-8")

    html = project / "build" / "html"
    before = {page.name: page.stat().st_mtime_ns for page in html.glob("*.html")}
    settings = load_settings(project)
    result = build_edition(settings, pdf=False)
    touched = {a.slug for a in result.edition.articles
               if any(t.zh == "奇绩创坛" for b in a.blocks for s in b.segments for t in s.terms)}
    for article in result.edition.articles:
        page = html / f"{article.slug}.html"
        rewritten = page.stat().st_mtime_ns != before[page.name]
        assert rewritten == (article.slug in touched), f"{page.name} rewritten: {rewritten}"
    assert 0 < len(touched) < len(result.edition.articles)
    affected = sum(1 for a in result.edition.articles for b in a.blocks for s in b.segments
                   if any(t.zh == "奇绩创坛" for t in s.terms))
    misses = sum(a.stats.cache_misses for a in result.edition.articles)
    assert affected > 0
    assert misses == affected
    assert result.edition.report.violations == 0
    assert any("Miracle Plus" in s.en for a in result.edition.articles for b in a.blocks for s in b.segments)


def _stamps(build_dir: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file: outputs are written by rename, so a rewritten file has a new inode."""
    return {str(p.relative_to(build_dir)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in build_dir.rglob("*") if p.is_file()}


def test_a_build_asking_for_less_than_the_last_one_built_does_nothing(tmp_path):
    project = make_project(tmp_path)
    for extra in sorted((project / "corpus").glob("*.md"))[1:]:  # one article keeps the test quick
        extra.unlink()
    runner = CliRunner()
    root = ["--root", str(project)]
    assert runner.invoke(cli, [*root, "build", "--no-pdf"]).exit_code == 0  # HTML and EPUB
    before = _stamps(project / "build")

    html_only = runner.invoke(cli, [*root, "build", "--no-pdf", "--no-epub"])
    assert html_only.exit_code == 0, html_only.output
    assert "Nothing changed since the last build" in html_only.stdout
    assert "Translation memory" not in html_only.stdout  # no run's counts shown as if it had run
    assert "segments edited by the translators" in html_only.stdout  # the edition's figures
    assert _stamps(project / "build") == before

    # After an input changed, an HTML-only build leaves the EPUB behind: the next build with it is not skipped.
    article = next((project / "corpus").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    assert "Nothing changed" not in runner.invoke(cli, [*root, "build", "--no-pdf", "--no-epub"]).stdout
    epub = next((project / "build" / "epub").glob("*.epub"))
    stamp = epub.stat().st_ino
    with_epub = runner.invoke(cli, [*root, "build", "--no-pdf"])
    assert with_epub.exit_code == 0 and "Nothing changed" not in with_epub.stdout
    assert epub.stat().st_ino != stamp  # the EPUB has the new paragraph
    assert "Nothing changed" in runner.invoke(cli, [*root, "build", "--no-pdf"]).stdout


def test_argos_build_runs_through_the_fixture_model(tmp_path):
    project = make_project(tmp_path)
    runner = CliRunner()
    installed = runner.invoke(cli, ["--root", str(project), "model", "install", str(FIXTURE_MODEL)])
    assert installed.exit_code == 0, installed.output + installed.stderr
    # A small corpus keeps the test quick: the first article only.
    for extra in sorted((project / "corpus").glob("*.md"))[1:]:
        extra.unlink()
    result = runner.invoke(cli, ["--root", str(project), "build", "--no-pdf"])
    assert result.exit_code == 0, result.output + result.stderr
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    totals = report["edition"]
    assert totals["engine"] == "argos"
    assert totals["model"].startswith("translate-zh_en")
    assert totals["cache_misses"] > 100
    # The tiny model cannot translate real articles: the report says so, term by term, never silently.
    violations = [v for article in report["articles"] for v in article["violations"]]
    assert 0 < len(violations) == totals["violations"]
    # Each is a real miss: the sentence has the term, and by the glossary's own rule its English lacks the target.
    glossary = Glossary.load(project / "glossary" / "terms.csv")
    terms = {term.zh: term for term in glossary}
    assert [v for v in violations if not any(m.term.zh == v["term"] for m in glossary.find(v["zh"]))] == []
    assert [v for v in violations if term_honoured(terms[v["term"]], v["got"])] == []
    page = (project / "build" / "html" / f"{report['articles'][0]['slug']}.html").read_text(encoding="utf-8")
    assert "dictionary gloss" not in page.split("<main", 1)[-1][:2000]
