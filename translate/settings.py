"""The edition settings file (``edition.toml``): every setting declared once, with a default.

:data:`SETTINGS` is the one declaration of every setting: its table and key in
``edition.toml``, its type, default, allowed values and help. The
:class:`Settings` dataclass, the loader's checks and the docs' settings reference
(:func:`settings_reference`) are all made from it, so adding a setting is adding
one entry there.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, make_dataclass, replace
from pathlib import Path
from typing import Any

from translate.engines import ENGINE_NAMES
from translate.errors import SettingsError
from translate.inputs import quoted, read_input

SETTINGS_FILE = "edition.toml"

#: Sizes in settings are in MiB; this many make a GiB.
_GB = 1024


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting of ``edition.toml``: where it is written, what it may hold, what it means."""

    table: str
    """The ``[table]`` it is written in."""
    key: str
    """Its key in that table."""
    type: type
    """``str``, ``int``, ``float``, ``bool``, ``Path`` (relative to the project folder) or ``list`` (of strings)."""
    default: Any
    """The value when the key is absent (``None`` for a path: "not set")."""
    help: str
    """What it means, one line (the settings reference, ``--help`` listings)."""
    name: str = ""
    """The :class:`Settings` attribute (default: the key)."""
    choices: tuple[str, ...] = ()
    """The allowed values of a text setting (none: any text)."""
    range: tuple[int | float, int | float] | None = None
    """Smallest and largest allowed value of a number: every number has one (of a list: its length)."""
    pattern: str = ""
    """A regular expression a text setting must match whole, instead of being one of ``choices`` (which then
    only name its forms, e.g. ``cuda:N``)."""

    @property
    def attribute(self) -> str:
        """The :class:`Settings` attribute this setting fills."""
        return self.name or self.key

    @property
    def dotted(self) -> str:
        """``table.key``, as messages and the docs name it."""
        return f"{self.table}.{self.key}"


SETTINGS: tuple[Setting, ...] = (
    Setting("edition", "title", str, "Bilingual Edition", "shown on the index page and the book cover"),
    Setting("edition", "subtitle", str, "", "shown under the title"),
    Setting("edition", "translators", list, (), "who edited the English; credited on the front page and colophon"),
    Setting("paths", "corpus", Path, Path("corpus"), "cleaned articles; raw sources in `raw/` below it",
            name="corpus_dir"),
    Setting("paths", "glossary", Path, Path("glossary/terms.csv"), "the termbase (CSV or TSV)", name="glossary_path"),
    Setting("paths", "templates", Path, Path("templates"),
            "your own `html/`, `pdf/`, `epub/` and `llm/` templates: a file here overrides the tool's default of its "
            "name", name="templates_dir"),
    Setting("paths", "build", Path, Path("build"),
            "all generated output: a folder of its own (not the project folder, not around the corpus, glossary or "
            "templates)", name="build_dir"),
    Setting("paths", "models", Path, None,
            "where `bitext model install` puts models and where they are looked for (default: Argos packages in "
            "Argos's folder, `~/.local/share/argos-translate/packages`; CTranslate2 folders in "
            "`~/.local/share/bitext/models`)",
            name="models_dir"),
    Setting("translation", "engine", str, "auto", "translation engine", choices=ENGINE_NAMES),
    Setting("translation", "model", str, "",
            "installed model to use, by its name in `bitext model list` (default: the CTranslate2 folder installed "
            "last, else the newest Argos package)"),
    Setting("translation", "beam_size", int, 2, "beam size for Argos models", range=(1, 32)),
    Setting("translation", "batch_size", int, 32, "sentences per CTranslate2 batch", range=(1, 1024)),
    Setting("translation", "num_hypotheses", int, 2, "n-best hypotheses tried when a glossary term is missing",
            range=(1, 32)),
    Setting("translation", "max_decoding_length", int, 256, "cap on output tokens per sentence", range=(1, 4096)),
    Setting("translation", "max_model_size_mb", int, 4 * _GB,
            "largest unpacked size, in MiB, of a model package `bitext model install` accepts", range=(1, 256 * _GB)),
    Setting("translation", "argos_index", str,
            "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json",
            "the Argos package index `bitext model download` reads (an http or https URL)"),
    Setting("translation", "device", str, "auto",
            "where CTranslate2 models run: `auto` (a CUDA GPU when CTranslate2 sees one, else the CPU), `cpu`, "
            "`cuda` (the first GPU) or `cuda:N`; not part of the translation memory's key",
            choices=("auto", "cpu", "cuda", "cuda:N"), pattern=r"auto|cpu|cuda(:[0-9]{1,3})?"),
    Setting("translation", "allow_gloss", bool, False,
            "`true` lets `--strict` pass segments whose English is the dictionary gloss (an edition that publishes "
            "a gloss on purpose); off, a gloss is not a translation and `--strict` fails on it"),
    Setting("llm", "base_url", str, "http://127.0.0.1:11434/v1",
            "OpenAI-compatible server of the `llm` engine (default: Ollama on this machine)", name="llm_base_url"),
    Setting("llm", "servers", list, (),
            "OpenAI-compatible servers used together (replicas): requests go to the one with the fewest in flight, "
            "a failing one is taken out for a while; empty: `llm.base_url` alone", range=(0, 64), name="llm_servers"),
    Setting("llm", "model", str, "qwen2.5:7b", "model the server runs (Ollama: a name `ollama pull` took)",
            name="llm_model"),
    Setting("llm", "api_key_env", str, "",
            "name of the environment variable holding the server's API key (the key is never written anywhere)",
            name="llm_api_key_env"),
    Setting("llm", "temperature", float, 0.0, "sampling temperature (0: the same answer every time)",
            range=(0.0, 2.0), name="llm_temperature"),
    Setting("llm", "seed", int, 0, "sampling seed sent with every request", range=(0, 2**31 - 1), name="llm_seed"),
    Setting("llm", "max_tokens", int, 4096, "cap on the tokens of one answer", range=(16, 131072),
            name="llm_max_tokens"),
    Setting("llm", "timeout", float, 300.0, "seconds to wait for one answer", range=(0.05, 3600.0),
            name="llm_timeout"),
    Setting("llm", "concurrency", int, 1,
            "requests in flight at once, per server (raise it to the server's parallel slots)",
            range=(1, 256), name="llm_concurrency"),
    Setting("llm", "retries", int, 1,
            "corrections sent back for an answer that misses a glossary term or fails its checks", range=(0, 10),
            name="llm_retries"),
    Setting("llm", "http_retries", int, 3, "tries again after a timeout, HTTP 429 or 5xx before the build stops",
            range=(0, 20), name="llm_http_retries"),
    Setting("llm", "backoff", float, 1.0, "seconds before the first try again (doubled each time; Retry-After wins)",
            range=(0.0, 60.0), name="llm_backoff"),
    Setting("llm", "context", str, "paragraph", "what one request translates", choices=("paragraph", "sentence"),
            name="llm_context"),
    Setting("llm", "prompt", str, "translate.j2", "prompt template, a file in `templates/llm/`", name="llm_prompt"),
    Setting("llm", "style", str, "", "style instructions added to the prompt (free text)", name="llm_style"),
    Setting("display", "script", str, "source",
            "Chinese script shown (`source`: as written, with a switch)",
            choices=("simplified", "traditional", "source")),
    Setting("display", "html_view", str, "side-by-side", "first HTML view (readers can switch)",
            choices=("side-by-side", "interleaved", "zh", "en")),
    Setting("display", "remote_images", bool, False,
            "`true` lets the HTML load article images from their source; off, images are captioned placeholders"),
    Setting("layout", "page_size", str, "A4", "PDF page size", choices=("A4", "Letter", "A5")),
    Setting("layout", "cjk_font", str, "Noto Serif CJK SC", "CJK font family for the PDF (must be installed)"),
    Setting("layout", "latin_font", str, "Noto Serif", "Latin font for the English column"),
    Setting("layout", "jobs", int, 2, "processes used to render PDFs", range=(1, 64)),
    Setting("cluster", "address", str, "",
            "the Ray cluster `bitext build` sends the translation and the PDF parts to (`HOST:PORT` of its head, "
            "`ray://HOST:10001`, or `local` for one started on this machine); empty: build here (see docs/cluster.md)",
            name="cluster_address"),
    Setting("epub", "order", str, "zh-first", "EPUB paragraphs: Chinese then English, English then Chinese, or one "
            "language only", name="epub_order", choices=("zh-first", "en-first", "zh", "en")),
    Setting("epub", "embed_font", bool, True, "embed a subset of the CJK font (`layout.cjk_font`) in the EPUBs, for "
            "readers without one", name="epub_embed_font"),
)
"""Every setting, in the order of ``edition.toml`` and the settings reference."""

_BY_KEY = {(s.table, s.key): s for s in SETTINGS}

_ANNOTATIONS = {str: str, int: int, float: float, bool: bool, Path: Path, list: tuple}

Settings = make_dataclass(
    "Settings",
    [("root", Path)] + [(s.attribute, _ANNOTATIONS[s.type] | None if s.default is None else _ANNOTATIONS[s.type],
                         field(default=tuple(s.default) if s.type is list else s.default)) for s in SETTINGS],
    frozen=True,
    slots=True,
    namespace={"__module__": __name__},
)
Settings.__doc__ = """Resolved edition settings; paths are absolute once loaded.

``root`` is the project folder (where ``edition.toml`` lives); every other
attribute is a setting of :data:`SETTINGS` (see there, or the docs' settings reference, for each).
"""


def settings_reference() -> str:
    """The settings reference of the docs (a Markdown table): key, default, allowed values, meaning."""
    lines = ["| key | default | allowed | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        lines.append(f"| `{s.dotted}` | {_shown_default(s)} | {_allowed(s)} | {s.help} |")
    return "\n".join(lines) + "\n"


def _shown_default(setting: Setting) -> str:
    value = setting.default
    if value is None:
        return "(not set)"
    if setting.type is list:
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Path):
        return f"`{value.as_posix()}`"
    return f'"{value}"' if value == "" or " " in str(value) else f"`{value}`"


def _allowed(setting: Setting) -> str:
    if setting.choices:
        return ", ".join(f"`{c}`" for c in setting.choices)
    if setting.range:
        low, high = setting.range
        return f"a list of {low}–{high} text items" if setting.type is list else f"{low}–{high}"
    return {str: "text", bool: "`true`, `false`", Path: "a path", list: "a list of text"}.get(setting.type, "")


def _line_of(text: str, table: str, key: str) -> int | None:
    """The line where ``key`` is set in ``[table]`` (or as ``table.key`` above every table)."""
    current = ""
    fallback = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("[") and not line.startswith("[["):
            current = line.strip("[] \t").split("]")[0].strip().strip('"')
            if not key and current == table:
                return number
            continue
        name = line.split("=", 1)[0].strip().strip('"') if "=" in line else None
        if name is None:
            continue
        if not key and current == "" and name == table:
            return number
        if key and ((current == table and name == key) or (current == "" and name == f"{table}.{key}")):
            return number
        if fallback is None and key and name in (key, f"{table}.{key}"):
            fallback = number
    return fallback


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date" if hasattr(value, "isoformat") else type(value).__name__


def _value(setting: Setting, value: Any, fail) -> Any:
    """``value`` checked against ``setting`` (``fail(message)`` raises)."""
    if setting.type is Path:
        if not isinstance(value, str):
            fail(f"must be a path in quotes, not {_kind_of(value)}")
        return Path(value)
    if setting.type is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(f"must be a list of text in quotes, e.g. [\"a\", \"b\"], not {_kind_of(value)}")
        if setting.range is not None and not setting.range[0] <= len(value) <= setting.range[1]:
            fail(f"must list between {setting.range[0]} and {setting.range[1]} items, not {len(value)}")
        return tuple(value)
    wanted = {str: "text", bool: "true or false", int: "a whole number", float: "a number"}[setting.type]
    if isinstance(value, bool) != (setting.type is bool):
        fail(f"must be {wanted}, not {quoted(value)}" if not isinstance(value, (dict, list)) else
             f"must be {wanted}, not {_kind_of(value)}")
    if setting.type is float and isinstance(value, int):
        value = float(value)
    if not isinstance(value, setting.type):
        fail(f"must be {wanted}, not {quoted(value)}" if isinstance(value, (str, int, float)) else
             f"must be {wanted}, not {_kind_of(value)}")
    if setting.pattern:
        if not re.fullmatch(setting.pattern, value):
            fail(f"must be one of {', '.join(setting.choices)}, not {quoted(value)}")
    elif setting.choices and value not in setting.choices:
        fail(f"must be one of {', '.join(setting.choices)}, not {quoted(value)}")
    if setting.range is not None:
        low, high = setting.range
        if not low <= value <= high:
            fail(f"must be between {low} and {high}, not {quoted(value)}")
    return value


def _read(file: Path) -> str | None:
    """The text of ``edition.toml``, or None when there is none."""
    try:
        data = read_input(file, SettingsError)
    except FileNotFoundError:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SettingsError(f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                            path=file, line=line) from None


def find_root(start: Path | str = ".", *, above: bool = True) -> Path:
    """The edition folder: ``start`` when it holds ``edition.toml``, else (``above``) the nearest one above it.

    Raises :class:`SettingsError` saying how to start an edition when there is none:
    a command run outside an edition writes nothing.
    """
    start = Path(start).resolve()
    for folder in (start, *start.parents) if above else (start,):
        file = folder / SETTINGS_FILE
        if file.exists() or file.is_symlink():  # not a regular file: the loader says what is wrong with it
            return folder
    if above:
        raise SettingsError(f"no {SETTINGS_FILE} in {start} or any folder above it; start an edition here with "
                            "`bitext init`, or run bitext in an edition's folder (or give it with --root)")
    raise SettingsError(f"no {SETTINGS_FILE} in this folder; start an edition there with `bitext init {start}`, "
                        f"or give --root the folder that holds {SETTINGS_FILE}", path=start)


def load_settings(root: Path | str = ".", path: Path | str | None = None) -> Settings:
    """Read ``edition.toml`` under ``root`` (or ``path``); a missing file means all defaults."""
    root = Path(root).resolve()
    file = Path(path) if path else root / SETTINGS_FILE
    values: dict[str, Any] = {}
    text = _read(file)
    if text is not None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"not valid TOML ({exc}); fix the syntax", path=file) from exc
        for table, content in data.items():
            if not isinstance(content, dict):
                raise SettingsError(f"{quoted(table)} must be a [table]", path=file, line=_line_of(text, table, ""))
            for key, value in content.items():
                setting = _BY_KEY.get((table, key))
                line = _line_of(text, table, key)
                if setting is None:
                    known = ", ".join(s.dotted for s in SETTINGS)
                    raise SettingsError(f"unknown setting {quoted(f'{table}.{key}')} (known: {known})", path=file, line=line)

                def fail(message: str, setting: Setting = setting, line: int | None = line):
                    raise SettingsError(f"'{setting.dotted}' {message}", path=file, line=line)

                values[setting.attribute] = _value(setting, value, fail)
    settings = Settings(root=root, **values)
    resolved = {
        f.name: (root / getattr(settings, f.name))
        for f in fields(settings)
        if isinstance(getattr(settings, f.name), Path) and f.name != "root"
    }
    settings = replace(settings, **resolved)
    _check_build_folder(settings, file, text or "")
    return settings


def _check_build_folder(settings: Settings, file: Path, text: str) -> None:
    """``paths.build`` must be a folder of its own: a build replaces what is in it.

    Not the project folder (or a folder above it), and neither inside nor around
    the corpus, the glossary or the templates.
    """
    build = settings.build_dir.resolve()
    line = _line_of(text, "paths", "build")
    shown = _BY_KEY[("paths", "build")].dotted

    def refuse(why: str) -> None:
        raise SettingsError(f"'{shown}' {why}; the build folder must be a folder of its own, e.g. build = \"build\"",
                            path=file, line=line)

    if settings.root.resolve().is_relative_to(build):
        refuse("is the project folder" if build == settings.root.resolve() else "is a folder above the project")
    for name, what in (("corpus_dir", "the corpus"), ("glossary_path", "the glossary"),
                       ("templates_dir", "the templates")):
        other = getattr(settings, name).resolve()
        if other.is_relative_to(build):
            refuse(f"would hold {what}")
        if name != "glossary_path" and build.is_relative_to(other):
            refuse(f"is inside {what}")


def input_role(settings: Settings, path: Path) -> str | None:
    """What ``path`` is to the edition when it is one of its inputs (the termbase, a corpus file…), else None.

    Commands that write a file the user names (``export -o``) ask this first, so
    that a slip of the keyboard never replaces an input without ``--force``.
    """
    target = Path(path).resolve()
    corpus = settings.corpus_dir.resolve()
    if target == settings.glossary_path.resolve():
        return "the termbase"
    if target == (settings.root / SETTINGS_FILE).resolve():
        return "the settings file"
    if target.is_relative_to(corpus):
        if target.name.endswith(".po"):
            return "a post-editing store"
        if target.suffix == ".md":
            return "a corpus article"
        return "a corpus file"
    if target.is_relative_to(settings.templates_dir.resolve()):
        return "a template"
    return None
