"""Argos Translate model packages: validate, install and find them, never download.

A package (``.argosmodel``) is a zip archive of one folder holding
``metadata.json``, a CTranslate2 model in ``model/`` and ``sentencepiece.model``.
An archive is checked before anything is unpacked: safe names, an unpacked size
within ``translation.max_model_size_mb``, a sane compression ratio (a zip bomb
is refused), room on the disk, and metadata whose values have the right types.
Member names are normalised (``./pkg/x`` and ``pkg//x`` are ``pkg/x``) and the one top
folder must be a model name (:func:`translate.translation.folders.is_model_name`), the
rule ``bitext model list`` lists by: a hidden or odd folder is refused, not installed unseen.
The archive unpacks into a temporary folder next to the target, is read back there, and
only then is renamed into place: a failure leaves no half-installed model.

Installed packages live in ``paths.models`` of ``edition.toml`` or, by default, in
Argos Translate's own packages folder. bitext reads packages itself (their format is
that simple) and never imports ``argostranslate``, which it does not need.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translate.errors import ModelPackageError
from translate.inputs import read_input
from translate.settings import SETTINGS, Settings
from translate.translation.folders import is_model_name, replace_folder

FROM_CODE, TO_CODE = "zh", "en"
REQUIRED_FILES = ("metadata.json", "model/model.bin", "sentencepiece.model")
INSTALL_HINT = ("Install a model with `bitext model install FILE.argosmodel` or `bitext model install FOLDER` "
                "(a converted OPUS-MT, M2M-100 or NLLB model; see docs/engines.md).")
#: Argos packages split text with SentencePiece (``sentencepiece.model``) or, older ones, with Moses and
#: subword-nmt (``bpe.model``), which bitext does not run.
BPE_UNSUPPORTED = ("this package is tokenized with bpe.model (Moses + subword-nmt), which bitext does not run; "
                   "bitext runs Argos packages tokenized with sentencepiece.model, and CTranslate2 folders of "
                   "OPUS-MT, M2M-100 and NLLB (see docs/engines.md)")

MIB = 1024 * 1024
#: Unpacked over packed size beyond which an archive is a zip bomb, not a model (models barely compress).
MAX_RATIO = 100
#: Archives (and members) that unpack to less than this are not held to :data:`MAX_RATIO`.
RATIO_FLOOR = 10 * MIB
DEFAULT_MAX_MB = next(s.default for s in SETTINGS if s.attribute == "max_model_size_mb")

#: Metadata keys Argos reads as text, and as lists; any other type makes argostranslate fail later.
_TEXT_KEYS = ("code", "package_version", "argos_version", "from_code", "from_name", "to_code", "to_name", "type",
              "target_prefix")
_LIST_KEYS = ("from_codes", "to_codes", "links", "languages", "dependencies", "source_languages",
              "target_languages")


@dataclass(frozen=True, slots=True)
class InstalledPackage:
    """An installed Argos package."""

    path: Path
    """The package folder."""
    from_code: str
    """Source language code."""
    to_code: str
    """Target language code."""
    version: str
    """``package_version`` from the metadata."""
    target_prefix: str = ""
    """Token the decoder must start with, for multilingual models."""

    @property
    def name(self) -> str:
        """Folder name, e.g. ``translate-zh_en-1_9``."""
        return self.path.name

    @property
    def model_id(self) -> str:
        """e.g. ``translate-zh_en-1.9``: part of every translation-memory key."""
        return f"translate-{self.from_code}_{self.to_code}-{self.version or 'unversioned'}"

    family = "argos"
    """The CTranslate2 family (:data:`translate.translation.ct2.FAMILIES`)."""

    def require_supported_tokenizer(self) -> None:
        """Raise a one-line error unless the package has its model and a ``sentencepiece.model``."""
        if not (self.path / "sentencepiece.model").is_file() and (self.path / "bpe.model").is_file():
            raise ModelPackageError(BPE_UNSUPPORTED, path=self.path)
        for required in REQUIRED_FILES[1:]:
            if not (self.path / required).is_file():
                raise ModelPackageError(f"incomplete package: {required} is missing; reinstall it with "
                                        "`bitext model install FILE.argosmodel --force`", path=self.path)


def default_packages_dir() -> Path:
    """Argos Translate's own packages folder, found as argostranslate finds it, without importing it.

    ``ARGOS_PACKAGES_DIR``, else ``$XDG_DATA_HOME/argos-translate/packages`` (``~/.local/share``,
    under ``$SNAP_USER_DATA`` in a snap). Nothing is created: a folder that is not there holds no package.
    """
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    home = Path(os.environ["SNAP_USER_DATA"]) if os.environ.get("SNAP_USER_DATA") else Path.home()
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "argos-translate" / "packages"


def packages_dir(settings: Settings | None) -> Path:
    """Where packages are installed for this edition."""
    if settings is not None and settings.models_dir is not None:
        return Path(settings.models_dir)
    return default_packages_dir()


def _kind(value) -> str:
    return {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object",
            type(None): "null"}.get(type(value), type(value).__name__)


def check_metadata(metadata, where: Path) -> dict:
    """``metadata`` if it is an object whose known keys have the types Argos expects; else an error naming ``where``."""
    if not isinstance(metadata, dict):
        raise ModelPackageError("metadata.json is not an object", path=where)
    for key in _TEXT_KEYS:
        if key in metadata and not isinstance(metadata[key], str):
            raise ModelPackageError(f"'{key}' in metadata.json must be text, not {_kind(metadata[key])}; "
                                    "the package is damaged (get it again)", path=where)
    for key in _LIST_KEYS:
        if key in metadata and not isinstance(metadata[key], list):
            raise ModelPackageError(f"'{key}' in metadata.json must be a list, not {_kind(metadata[key])}; "
                                    "the package is damaged (get it again)", path=where)
    return metadata


def _check_sizes(archive: zipfile.ZipFile, path: Path, max_mb: int) -> int:
    """The unpacked size of the archive, once it is within ``max_mb`` and compressed like a model."""
    members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unpacked > max_mb * MIB:
        raise ModelPackageError(
            f"unpacks to {unpacked / MIB:,.0f} MiB, more than translation.max_model_size_mb = {max_mb} allows; "
            "raise it in edition.toml if the package is genuine", path=path)
    for name, size, compressed in [(m.filename, m.file_size, m.compress_size) for m in members] + \
            [("the archive", unpacked, packed)]:
        if size > RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1):
            raise ModelPackageError(
                f"{name} unpacks {size / max(compressed, 1):,.0f} times larger than it is packed; a model does "
                "not compress like that (a zip bomb?), so it is refused", path=path)
    return unpacked


def _member_names(archive: zipfile.ZipFile, path: Path) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by normalised name (``./pkg/x``, ``pkg//x`` → ``pkg/x``); odd names are refused.

    Folders are left out (unpacking makes them); so is macOS's ``__MACOSX`` litter.
    """
    files: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        name = info.filename
        if "\\" in name or any(unicodedata.category(ch) == "Cc" for ch in name):
            raise ModelPackageError(f"unsafe file name in archive: {name!r}", path=path)
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts:
            raise ModelPackageError(f"unsafe file name in archive: {name}", path=path)
        if not pure.parts or pure.parts[0] == "__MACOSX" or info.is_dir():
            continue
        normal = str(pure)
        if normal in files:
            raise ModelPackageError(f"two members of the archive unpack to {normal} ({files[normal].filename!r} and "
                                    f"{name!r}); the package is damaged (get it again)", path=path)
        files[normal] = info
    for normal in files:
        for parent in PurePosixPath(normal).parents:
            if str(parent) in files:
                raise ModelPackageError(f"{parent} is both a file and a folder in the archive; the package is "
                                        "damaged (get it again)", path=path)
    return files


@dataclass(frozen=True, slots=True)
class _Archive:
    """What checking an archive found: its metadata, its one top folder, its files, its unpacked size."""

    metadata: dict
    top: str
    files: dict[str, zipfile.ZipInfo]
    unpacked: int


def _inspect_archive(path: Path, max_mb: int) -> _Archive:
    path = Path(path)
    if not path.is_file():
        raise ModelPackageError("no such file; give the path of a downloaded .argosmodel", path=path)
    if not zipfile.is_zipfile(path):
        raise ModelPackageError("not a zip archive", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            files = _member_names(archive, path)
            unpacked = _check_sizes(archive, path, max_mb)
            bad = archive.testzip()
            if bad is not None:
                raise ModelPackageError(f"corrupt archive ({bad} fails its checksum); download it again", path=path)
            tops = {PurePosixPath(n).parts[0] for n in files}
            if len(tops) != 1 or all(PurePosixPath(n).parts == (next(iter(tops)),) for n in files):
                raise ModelPackageError("not an Argos package (expected one top-level folder)", path=path)
            top = tops.pop()
            if not is_model_name(top):
                raise ModelPackageError(f"the package's folder {top!r} is not a model name (a hidden or odd name); "
                                        "an Argos package unpacks to one folder such as translate-zh_en-1_9",
                                        path=path)
            present = {str(PurePosixPath(*PurePosixPath(n).parts[1:])) for n in files if len(PurePosixPath(n).parts) > 1}
            if "metadata.json" not in present:
                raise ModelPackageError("incomplete package: metadata.json is missing", path=path)
            try:
                metadata = json.loads(archive.read(files[f"{top}/metadata.json"]).decode("utf-8"))
            except (ValueError, UnicodeDecodeError, RecursionError) as exc:
                raise ModelPackageError(f"metadata.json does not parse ({exc})", path=path) from exc
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ModelPackageError(f"corrupt archive ({exc}); download it again", path=path) from exc
    check_metadata(metadata, path)
    direction = f"{metadata.get('from_code')}→{metadata.get('to_code')}"
    if metadata.get("from_code") != FROM_CODE or metadata.get("to_code") != TO_CODE:
        raise ModelPackageError(f"wrong direction: the package translates {direction}, bitext needs zh→en", path=path)
    if "sentencepiece.model" not in present and "bpe.model" in present:
        raise ModelPackageError(BPE_UNSUPPORTED, path=path)
    for required in REQUIRED_FILES[1:]:
        if required not in present:
            raise ModelPackageError(f"incomplete package: {required} is missing", path=path)
    return _Archive(metadata, top, files, unpacked)


def _free_space(folder: Path) -> int:
    """Free bytes on the disk that holds ``folder`` (or its nearest existing parent)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return shutil.disk_usage("/").free


def install_package(path: Path, settings: Settings | None = None, *, force: bool = False) -> InstalledPackage:
    """Validate an archive and install it into the packages folder (after checking there is room).

    It unpacks into a temporary folder beside the target and is read back there before it is
    renamed into place, so a failure (a full disk, a package that does not read) leaves nothing.
    """
    path = Path(path)
    checked = _inspect_archive(path, settings.max_model_size_mb if settings is not None else DEFAULT_MAX_MB)
    target_root = packages_dir(settings)
    target = target_root / checked.top
    if target.exists() and not force:
        raise ModelPackageError(f"already installed at {target}; pass --force to replace it", path=path)
    free = _free_space(target_root)
    if free < checked.unpacked:
        raise ModelPackageError(
            f"needs {checked.unpacked / MIB:,.0f} MiB unpacked but only {free / MIB:,.0f} MiB are free in "
            f"{target_root}; free some space (or set paths.models to another disk)", path=path)
    try:
        target_root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target_root, prefix=".install-") as tmp:
            with zipfile.ZipFile(path) as archive:
                for name, info in checked.files.items():
                    destination = Path(tmp, *PurePosixPath(name).parts)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(info) as source, destination.open("xb") as unpacked:
                        shutil.copyfileobj(source, unpacked, MIB)
            staged = Path(tmp) / checked.top
            read_package(staged).require_supported_tokenizer()
            replace_folder(staged, target, Path(tmp))
    except OSError as exc:
        raise ModelPackageError(f"cannot install into {target_root} ({exc.strerror or exc})", path=path) from exc
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ModelPackageError(f"corrupt archive ({exc}); download it again", path=path) from exc
    except ModelPackageError as exc:  # read back from the temporary folder, now gone: name the archive
        raise ModelPackageError(exc.message, path=path) from exc
    return read_package(target)


def read_package(folder: Path) -> InstalledPackage:
    """Read an installed package folder: its ``metadata.json``, checked (all bitext needs of it)."""
    where = Path(folder) / "metadata.json"
    try:
        metadata = json.loads(read_input(where, ModelPackageError).decode("utf-8"))
    except FileNotFoundError:
        raise ModelPackageError("not an Argos package (no metadata.json)", path=folder) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ModelPackageError(f"metadata.json does not parse ({exc}); the package is damaged (get it again)",
                                path=where) from exc
    check_metadata(metadata, where)
    return InstalledPackage(Path(folder), metadata.get("from_code") or "", metadata.get("to_code") or "",
                            metadata.get("package_version") or "", metadata.get("target_prefix") or "")


def installed_packages(settings: Settings | None = None, *,
                       broken: list[ModelPackageError] | None = None) -> list[InstalledPackage]:
    """Every readable package in the packages folder, by name; the others' errors go to ``broken``."""
    root = packages_dir(settings)
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and is_model_name(folder.name) and (folder / "metadata.json").exists():
            try:
                found.append(read_package(folder))
            except ModelPackageError as exc:
                if broken is not None:
                    broken.append(exc)
    return found


def _claims_zh_en(error: ModelPackageError) -> bool:
    """True when the broken package's metadata (whatever else is wrong) names zh→en."""
    folder = error.path.parent if error.path and error.path.name == "metadata.json" else error.path
    try:
        metadata = json.loads((folder / "metadata.json").read_bytes()) if folder and \
            (folder / "metadata.json").is_file() else {}
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(metadata, dict) and (metadata.get("from_code"), metadata.get("to_code")) == (FROM_CODE, TO_CODE)


def find_zh_en_package(settings: Settings | None = None) -> InstalledPackage | None:
    """The installed zh→en package with a model, newest version first; None when there is none.

    When the only zh→en packages are damaged, the first one's error is raised
    instead: quietly falling back to the dictionary gloss would hide it.
    """
    broken: list[ModelPackageError] = []
    candidates = [
        p for p in installed_packages(settings, broken=broken)
        if p.from_code == FROM_CODE and p.to_code == TO_CODE and (p.path / "model" / "model.bin").is_file()
    ]
    if not candidates:
        damaged = [error for error in broken if _claims_zh_en(error)]
        if damaged:
            raise damaged[0]
        return None
    from packaging.version import InvalidVersion, Version

    def version(p: InstalledPackage):
        try:
            return Version(p.version)
        except InvalidVersion:
            return Version("0")

    return max(candidates, key=version)


# -- every kind of model: Argos packages and CTranslate2 folders ------------------------------

def install_model(path: Path, settings: Settings | None = None, *, force: bool = False):
    """Install an ``.argosmodel`` archive or a CTranslate2 model folder; returns what was installed."""
    from translate.translation.folders import install_folder

    path = Path(path)
    max_mb = settings.max_model_size_mb if settings is not None else DEFAULT_MAX_MB
    if path.is_dir():
        return install_folder(path, settings, force=force, max_mb=max_mb)
    return install_package(path, settings, force=force)


def installed_models(settings: Settings | None = None, *, broken: list[ModelPackageError] | None = None) -> list:
    """Every readable installed model: CTranslate2 folders, then Argos packages."""
    from translate.translation.folders import folder_models

    return [*folder_models(settings, broken=broken), *installed_packages(settings, broken=broken)]


def find_model(settings: Settings | None, engine: str = "auto"):
    """The installed model to translate with, or None; ``engine`` is ``auto``, ``argos`` or ``ct2``.

    ``translation.model`` names it (by its folder name); otherwise a CTranslate2 folder wins
    (the one installed last: a user brings a converted model to use it), then the newest Argos
    zh→en package. A damaged model is an error, never a quiet fallback to the gloss.
    """
    from translate.translation.folders import folder_models

    wanted = getattr(settings, "model", "") if settings is not None else ""
    broken: list[ModelPackageError] = []
    folders = folder_models(settings, broken=broken) if engine in ("auto", "ct2") else []
    package = None
    if engine in ("auto", "argos") and not (folders and not wanted):
        if wanted:
            package = next((p for p in installed_packages(settings)
                            if p.name == wanted and (p.from_code, p.to_code) == (FROM_CODE, TO_CODE)), None)
        else:
            package = find_zh_en_package(settings)
    if wanted:
        chosen = next((m for m in folders if m.name == wanted), None) or package
        if chosen is None:
            names = ", ".join(m.name for m in installed_models(settings)) or "none"
            raise ModelPackageError(f"translation.model = {wanted!r} is not an installed zh→en model "
                                    f"{'for the ' + engine + ' engine ' if engine != 'auto' else ''}"
                                    f"(installed: {names}); see `bitext model list`")
        return chosen
    if folders:
        return max(folders, key=lambda m: (m.installed, m.name))
    if package is None and broken:
        raise broken[0]  # only damaged folders: say so rather than fall back to the gloss
    return package
