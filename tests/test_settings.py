"""Edition settings: one declaration each, defaults, overrides, and one-line errors naming file and line."""

import dataclasses
from pathlib import Path

import pytest

from translate.errors import SettingsError
from translate.settings import SETTINGS, Settings, load_settings, settings_reference

REPO = Path(__file__).resolve().parents[1]


def test_missing_file_means_defaults(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.engine == "auto"
    assert settings.glossary_path == tmp_path / "glossary" / "terms.csv"
    assert settings.build_dir == tmp_path / "build"
    assert settings.models_dir is None
    assert (settings.page_size, settings.beam_size, settings.jobs, settings.remote_images) == ("A4", 2, 2, False)


def test_values_override_defaults_and_paths_resolve(tmp_path):
    (tmp_path / "edition.toml").write_text(
        '[edition]\ntitle = "T"\n[paths]\nbuild = "out"\n[layout]\npage_size = "A5"\njobs = 1\n', encoding="utf-8"
    )
    settings = load_settings(tmp_path)
    assert (settings.title, settings.page_size, settings.jobs) == ("T", "A5", 1)
    assert settings.build_dir == tmp_path / "out"


def test_every_setting_is_declared_once_and_makes_the_dataclass():
    names = [s.attribute for s in SETTINGS]
    assert len(names) == len(set(names))
    assert len({s.dotted for s in SETTINGS}) == len(SETTINGS)
    assert [f.name for f in dataclasses.fields(Settings)] == ["root", *names]
    defaults = Settings(root=Path("/x"))
    for setting in SETTINGS:
        expected = tuple(setting.default) if setting.type is list else setting.default
        assert getattr(defaults, setting.attribute) == expected, setting.dotted
        assert setting.help, setting.dotted
        if setting.type in (int, float):
            assert setting.range is not None, f"{setting.dotted} has no range"
            low, high = setting.range
            assert low <= setting.default <= high, setting.dotted


def test_the_reference_table_lists_every_setting_with_its_range():
    table = settings_reference()
    for setting in SETTINGS:
        assert f"| `{setting.dotted}` |" in table
    assert "| `translation.beam_size` | 2 | 1–32 | beam size for Argos models |" in table
    assert "`auto`, `argos`, `gloss`" in table


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[edition]\ntitel = 'x'\n", "edition.toml:2: unknown setting 'edition.titel'"),
        ("[layout]\npage_size = 'B5'\n", "edition.toml:2: 'layout.page_size' must be one of A4, Letter, A5, not 'B5'"),
        ("[layout]\njobs = 'two'\n", "edition.toml:2: 'layout.jobs' must be a whole number, not 'two'"),
        ("[layout]\njobs = true\n", "edition.toml:2: 'layout.jobs' must be a whole number, not True"),
        ("[layout]\njobs = 1.5\n", "edition.toml:2: 'layout.jobs' must be a whole number, not 1.5"),
        ("[display]\nremote_images = 1\n", "edition.toml:2: 'display.remote_images' must be true or false, not 1"),
        ("[paths]\nbuild = 3\n", "edition.toml:2: 'paths.build' must be a path in quotes, not a number"),
        ("[edition]\ntitle = {a = 1}\n", "edition.toml:2: 'edition.title' must be text, not a table"),
        ("[edition\n", "edition.toml: not valid TOML"),
        ("edition = 3\n", "edition.toml:1: 'edition' must be a [table]"),
        # The same key in two tables: the line is the one in the table named.
        ("[edition]\ntitle = 'T'\n\n[layout]\njobs = 0\n", "edition.toml:5: 'layout.jobs' must be between 1 and 64"),
        ("translation.beam_size = 0\n", "edition.toml:1: 'translation.beam_size' must be between 1 and 32, not 0"),
    ],
)
def test_bad_settings_name_file_and_line(tmp_path, text, message):
    (tmp_path / "edition.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert str(caught.value).replace(str(tmp_path) + "/", "").startswith(message)


def test_shipped_settings_file_is_valid_and_read():
    text = (REPO / "edition.toml").read_text(encoding="utf-8")
    settings = load_settings(REPO)
    assert settings.engine in ("auto", "argos", "gloss")
    assert f'title = "{settings.title}"' in text
    assert settings.build_dir == REPO / "build" and settings.corpus_dir == REPO / "corpus"

# The settings reference is the documentation site's, generated from SETTINGS at build time:
# tests/test_docs.py::test_every_setting_is_in_the_settings_reference checks the built page.
