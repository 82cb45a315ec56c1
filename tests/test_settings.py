"""Edition settings: defaults, overrides, and one-line errors naming file and line."""

from pathlib import Path

import pytest

from translate.errors import SettingsError
from translate.settings import load_settings


def test_missing_file_means_defaults(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.engine == "auto"
    assert settings.glossary_path == tmp_path / "glossary" / "terms.csv"
    assert settings.build_dir == tmp_path / "build"
    assert settings.page_size == "A4"


def test_values_override_defaults_and_paths_resolve(tmp_path):
    (tmp_path / "edition.toml").write_text(
        '[edition]\ntitle = "T"\n[paths]\nbuild = "out"\n[layout]\npage_size = "A5"\njobs = 1\n', encoding="utf-8"
    )
    settings = load_settings(tmp_path)
    assert (settings.title, settings.page_size, settings.jobs) == ("T", "A5", 1)
    assert settings.build_dir == tmp_path / "out"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[edition]\ntitel = 'x'\n", "edition.toml:2: unknown setting 'edition.titel'"),
        ("[layout]\npage_size = 'B5'\n", "edition.toml:2: 'layout.page_size' must be one of A4, Letter, A5, not 'B5'"),
        ("[layout]\njobs = 'two'\n", "edition.toml:2: 'layout.jobs' must be int, not 'two'"),
        ("[layout]\njobs = true\n", "edition.toml:2: 'layout.jobs' must be int, not True"),
        ("[edition\n", "edition.toml: not valid TOML"),
    ],
)
def test_bad_settings_name_file_and_line(tmp_path, text, message):
    (tmp_path / "edition.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert str(caught.value).replace(str(tmp_path) + "/", "").startswith(message)


def test_shipped_settings_file_is_valid():
    root = Path(__file__).resolve().parents[1]
    settings = load_settings(root)
    assert settings.title and settings.engine in ("auto", "argos", "gloss")
