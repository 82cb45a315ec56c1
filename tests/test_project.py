"""`bitext init`: a new edition's folder, its commented settings, and never an overwrite."""

import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.glossary.termbase import COLUMNS, read_termbase
from translate.project import ProjectError, edition_toml, init_project, readme
from translate.settings import SETTINGS, load_settings


def uncommented(text: str) -> str:
    """The settings file with every commented-out key switched on (keys without a default stay off)."""
    return re.sub(r"^# (\w+ = (?!\"…\").*)$", r"\1", text, flags=re.M)


def test_init_lays_out_a_new_edition(tmp_path):
    folder = tmp_path / "new"
    created = init_project(folder)
    assert created == [folder / "corpus" / "raw", folder / "edition.toml", folder / "glossary" / "terms.csv",
                       folder / "README.md"]
    assert (folder / "corpus" / "raw").is_dir() and not any((folder / "corpus" / "raw").iterdir())
    termbase = read_termbase(folder / "glossary" / "terms.csv")
    assert (termbase.header, termbase.rows, termbase.problems) == (COLUMNS, (), ())
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for command in ("bitext corpus import corpus/raw/*", "bitext glossary check", "bitext build",
                    "bitext model install translate-zh_en-1_9.argosmodel"):
        assert command in readme


def test_every_setting_is_in_edition_toml_commented_out_at_its_default(tmp_path):
    text = edition_toml()
    assert load_settings(tmp_path, path=_write(tmp_path / "as-is.toml", text)) == load_settings(tmp_path)
    switched_on = _write(tmp_path / "on.toml", uncommented(text))
    assert load_settings(tmp_path, path=switched_on) == load_settings(tmp_path)
    data = tomllib.loads(uncommented(text))
    keys = {(table, key) for table, content in data.items() for key in content}
    assert keys == {(s.table, s.key) for s in SETTINGS if s.default is not None}
    assert [s for s in SETTINGS if s.default is None and f'# {s.key} = "…"' not in text] == []


def test_each_setting_says_what_it_means_and_allows():
    text = edition_toml()
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"# \w+ = ", line):
            assert lines[number - 1].startswith("# ") and not re.match(r"# \w+ = ", lines[number - 1]), line
    assert "# beam size for Argos models; 1 to 32\n# beam_size = 2\n" in text
    assert '# PDF page size; one of A4 | Letter | A5\n# page_size = "A4"\n' in text
    assert '[paths]\n# cleaned articles; raw sources in `raw/` below it\n# corpus = "corpus"\n' in text


@pytest.mark.parametrize("existing", ["edition.toml", "README.md", "glossary/terms.csv", "corpus/raw"])
def test_init_never_overwrites_and_writes_nothing_when_refusing(tmp_path, existing):
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("mine\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(ProjectError) as raised:
        init_project(tmp_path)
    assert str(raised.value) == (f"{tmp_path / existing}: already exists; bitext init never overwrites: "
                                 f"choose a new folder, or move {existing} out of the way")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (tmp_path / existing).read_text(encoding="utf-8") == "mine\n"


def test_init_keeps_a_raw_folder_of_sources_that_exists(tmp_path):
    (tmp_path / "corpus" / "raw").mkdir(parents=True)
    (tmp_path / "corpus" / "raw" / "a.txt").write_text("文章", encoding="utf-8")
    assert tmp_path / "corpus" / "raw" not in init_project(tmp_path)
    assert (tmp_path / "corpus" / "raw" / "a.txt").read_text(encoding="utf-8") == "文章"


def test_cli_init_says_what_it_made_and_what_to_do_next(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "my edition"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Created my edition/corpus/raw\n"
        "Created my edition/edition.toml\n"
        "Created my edition/glossary/terms.csv\n"
        "Created my edition/README.md\n"
        "Next: cd 'my edition', put the Chinese articles in corpus/raw/ and run "
        "`bitext corpus import corpus/raw/*` (README.md says the rest)\n"
    )
    again = CliRunner().invoke(cli, ["init", "my edition"])
    assert again.exit_code == 1
    assert again.output == ("Error: my edition/edition.toml: already exists; bitext init never overwrites: "
                            "choose a new folder, or move edition.toml out of the way\n")


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


ROOT = Path(__file__).resolve().parents[1]


def _settings_files():
    return {"init": edition_toml(), "repository": (ROOT / "edition.toml").read_text(encoding="utf-8")}


@pytest.mark.parametrize("which", ["init", "repository"])
def test_every_table_key_and_choice_is_in_the_settings_file(which):
    """A section, key or allowed value of the declaration missing from edition.toml fails here."""
    text = _settings_files()[which]
    sections = re.split(r"^\[(\w+)\]$", text, flags=re.M)
    tables = dict(zip(sections[1::2], sections[2::2]))
    for setting in SETTINGS:
        assert setting.table in tables, f"{which} edition.toml has no [{setting.table}]"
        lines = tables[setting.table].splitlines()
        found = [n for n, line in enumerate(lines) if re.match(rf"(# )?{setting.key} = ", line)]
        assert found, f"{which} edition.toml has no {setting.dotted}"
        comment = lines[found[0] - 1]
        assert comment.startswith(f"# {setting.help}"), f"{which} edition.toml: {setting.dotted} says {comment!r}"
        if setting.choices:
            assert comment.endswith(f"; one of {' | '.join(setting.choices)}"), comment


def test_the_repository_edition_toml_is_what_init_writes_with_its_values():
    """The repository's settings: init's file with the values it sets switched on (regenerate with edition_toml)."""
    text = (ROOT / "edition.toml").read_text(encoding="utf-8")
    assert text == edition_toml(tomllib.loads(text)), (
        "edition.toml is not the declaration's; regenerate it, keeping its values: .venv/bin/python -c "
        "\"import tomllib, pathlib; from translate.project import edition_toml; p = pathlib.Path('edition.toml'); "
        "p.write_text(edition_toml(tomllib.loads(p.read_text(encoding='utf-8'))), encoding='utf-8')\"")
    assert load_settings(ROOT).title == "中国大模型创业者 · China's Large-Model Founders"


def test_edition_toml_switches_on_what_is_set_and_keeps_the_rest_at_defaults(tmp_path):
    text = edition_toml({"edition": {"title": "Mine"}, "translation": {"engine": "gloss", "beam_size": 3}})
    assert '[edition]\n# shown on the index page and the book cover\ntitle = "Mine"\n' in text
    assert "# beam size for Argos models; 1 to 32\nbeam_size = 3\n" in text
    settings = load_settings(tmp_path, path=_write(tmp_path / "e.toml", text))
    assert (settings.title, settings.engine, settings.beam_size, settings.batch_size) == ("Mine", "gloss", 3, 32)
    with pytest.raises(ProjectError):
        edition_toml({"edition": {"titel": "Mine"}})


def test_the_new_editions_readme_covers_what_the_tool_does(tmp_path):
    """Post-editing, serve (and its extra), EPUB, every template folder, every engine, where models go."""
    from translate.resources import default_templates
    from translate.serve import REQUIREMENTS
    from translate.translation.folders import default_models_dir
    from translate.translation.packages import default_packages_dir

    text = readme(tmp_path / "mine")
    for command in ("bitext postedit export", "bitext postedit import build/postedit/*.xlf", "bitext postedit status",
                    "corpus/<slug>.en.po", "bitext serve --open", "build/epub/edition.epub", "bitext model list"):
        assert command in text, command
    assert "the `serve` extra" in text and all(dist in text for _, dist in REQUIREMENTS)
    for folder in sorted(p.name for p in default_templates().iterdir() if p.is_dir()):
        assert f"`templates/{folder}/`" in text, folder
    engine = next(s for s in SETTINGS if s.dotted == "translation.engine")
    for choice in engine.choices:
        assert f"- `{choice}`: " in text, choice
    for table in dict.fromkeys(s.table for s in SETTINGS):
        assert f"`[{table}]`" in text, table
    assert f"`{default_models_dir()}`" in text and f"`{default_packages_dir()}`" in text
