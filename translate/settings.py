"""The edition settings file (``edition.toml``): every setting has a default.

See the README's "Settings" section for what each key means.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from translate.errors import SettingsError

SETTINGS_FILE = "edition.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved edition settings; paths are absolute."""

    root: Path
    """Project folder (where ``edition.toml`` lives)."""
    title: str = "Bilingual Edition"
    """Edition title (cover, index page)."""
    subtitle: str = ""
    """Edition subtitle."""
    corpus_dir: Path = Path("corpus")
    """Cleaned articles ``<slug>.md``; raw sources in ``raw/`` below it."""
    glossary_path: Path = Path("glossary/terms.csv")
    """The termbase file."""
    templates_dir: Path = Path("templates")
    """HTML/CSS templates the publisher may edit."""
    build_dir: Path = Path("build")
    """Where every generated file goes."""
    engine: str = "auto"
    """Translation engine: ``auto``, ``argos`` or ``gloss``."""
    beam_size: int = 2
    """Beam size for the Argos engine."""
    batch_size: int = 32
    """Sentences per CTranslate2 batch."""
    num_hypotheses: int = 4
    """n-best hypotheses asked for when a glossary term is missing."""
    max_decoding_length: int = 256
    """Cap on output tokens per sentence."""
    models_dir: Path | None = None
    """Where Argos packages are installed; default: Argos's own packages folder."""
    script: str = "source"
    """Chinese script shown: ``simplified``, ``traditional`` or ``source``."""
    page_size: str = "A4"
    """PDF page size: ``A4``, ``Letter`` or ``A5``."""
    cjk_font: str = "Noto Serif CJK SC"
    """CJK font family for the PDF."""
    latin_font: str = "Noto Serif"
    """Latin font family for the English column of the PDF (falls back to the CJK font's Latin)."""
    html_view: str = "side-by-side"
    """Default HTML view: ``side-by-side``, ``interleaved``, ``zh``, ``en``."""
    remote_images: bool = False
    """Load remote images in the HTML edition (off: captioned placeholders)."""
    jobs: int = 2
    """Parallel processes for PDF rendering."""


# (table, key) in edition.toml → (field name, type)
_KEYS: dict[tuple[str, str], tuple[str, type]] = {
    ("edition", "title"): ("title", str),
    ("edition", "subtitle"): ("subtitle", str),
    ("paths", "corpus"): ("corpus_dir", Path),
    ("paths", "glossary"): ("glossary_path", Path),
    ("paths", "templates"): ("templates_dir", Path),
    ("paths", "build"): ("build_dir", Path),
    ("paths", "models"): ("models_dir", Path),
    ("translation", "engine"): ("engine", str),
    ("translation", "beam_size"): ("beam_size", int),
    ("translation", "batch_size"): ("batch_size", int),
    ("translation", "num_hypotheses"): ("num_hypotheses", int),
    ("translation", "max_decoding_length"): ("max_decoding_length", int),
    ("display", "script"): ("script", str),
    ("display", "html_view"): ("html_view", str),
    ("display", "remote_images"): ("remote_images", bool),
    ("layout", "page_size"): ("page_size", str),
    ("layout", "cjk_font"): ("cjk_font", str),
    ("layout", "latin_font"): ("latin_font", str),
    ("layout", "jobs"): ("jobs", int),
}

_CHOICES = {
    "engine": ("auto", "argos", "gloss"),
    "script": ("simplified", "traditional", "source"),
    "page_size": ("A4", "Letter", "A5"),
    "html_view": ("side-by-side", "interleaved", "zh", "en"),
}


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
            return number
    return None


def load_settings(root: Path | str = ".", path: Path | str | None = None) -> Settings:
    """Read ``edition.toml`` under ``root`` (or ``path``); a missing file means all defaults."""
    root = Path(root).resolve()
    file = Path(path) if path else root / SETTINGS_FILE
    values: dict[str, Any] = {}
    if file.exists():
        text = file.read_text(encoding="utf-8-sig")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"not valid TOML ({exc}); fix the syntax", path=file) from exc
        for table, content in data.items():
            if not isinstance(content, dict):
                raise SettingsError(f"'{table}' must be a [table]", path=file, line=_line_of(text, table))
            for key, value in content.items():
                if (table, key) not in _KEYS:
                    known = ", ".join(f"{t}.{k}" for t, k in _KEYS)
                    raise SettingsError(
                        f"unknown setting '{table}.{key}' (known: {known})", path=file, line=_line_of(text, key)
                    )
                name, kind = _KEYS[(table, key)]
                if kind is Path:
                    if not isinstance(value, str):
                        raise SettingsError(f"'{table}.{key}' must be a path string", path=file, line=_line_of(text, key))
                    value = Path(value)
                elif kind is bool and not isinstance(value, bool) or kind is not bool and not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                    raise SettingsError(
                        f"'{table}.{key}' must be {kind.__name__}, not {value!r}", path=file, line=_line_of(text, key)
                    )
                if name in _CHOICES and value not in _CHOICES[name]:
                    raise SettingsError(
                        f"'{table}.{key}' must be one of {', '.join(_CHOICES[name])}, not {value!r}",
                        path=file,
                        line=_line_of(text, key),
                    )
                values[name] = value
    settings = Settings(root=root, **values)
    resolved = {
        f.name: (root / getattr(settings, f.name))
        for f in fields(settings)
        if isinstance(getattr(settings, f.name), Path) and f.name != "root"
    }
    return replace(settings, **resolved)
