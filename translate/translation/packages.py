"""Argos Translate model packages: validate, install and find them, never download.

A package (``.argosmodel``) is a zip archive of one folder holding
``metadata.json``, a CTranslate2 model in ``model/`` and ``sentencepiece.model``.
Installed packages live in ``paths.models`` of ``edition.toml`` or, by default, in
Argos Translate's own packages folder. ``argostranslate`` is imported lazily: its
settings module creates folders when imported.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translate.errors import ModelPackageError
from translate.settings import Settings
from translate.translation.optional import require_argostranslate

FROM_CODE, TO_CODE = "zh", "en"
REQUIRED_FILES = ("metadata.json", "model/model.bin", "sentencepiece.model")
INSTALL_HINT = "Install a model with `bitext model install FILE.argosmodel` (see README)."


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


def default_packages_dir() -> Path:
    """Argos Translate's own packages folder (honours ``ARGOS_PACKAGES_DIR``)."""
    require_argostranslate()
    from argostranslate import settings as argos_settings

    return Path(argos_settings.package_data_dir)


def packages_dir(settings: Settings | None) -> Path:
    """Where packages are installed for this edition."""
    if settings is not None and settings.models_dir is not None:
        return Path(settings.models_dir)
    return default_packages_dir()


def validate_archive(path: Path) -> dict:
    """Check an ``.argosmodel`` archive and return its metadata; raise :class:`ModelPackageError`."""
    path = Path(path)
    if not path.is_file():
        raise ModelPackageError("no such file; give the path of a downloaded .argosmodel", path=path)
    if not zipfile.is_zipfile(path):
        raise ModelPackageError("not a zip archive", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n and not n.startswith("__MACOSX")]
            bad = archive.testzip()
            if bad is not None:
                raise ModelPackageError(f"corrupt archive ({bad} fails its checksum); download it again", path=path)
            for name in names:
                pure = PurePosixPath(name)
                if pure.is_absolute() or ".." in pure.parts:
                    raise ModelPackageError(f"unsafe file name in archive: {name}", path=path)
            tops = {PurePosixPath(n).parts[0] for n in names}
            if len(tops) != 1 or all(PurePosixPath(n).parts == (next(iter(tops)),) for n in names):
                raise ModelPackageError("not an Argos package (expected one top-level folder)", path=path)
            top = tops.pop()
            present = {str(PurePosixPath(*PurePosixPath(n).parts[1:])) for n in names if len(PurePosixPath(n).parts) > 1}
            if "metadata.json" not in present:
                raise ModelPackageError("incomplete package: metadata.json is missing", path=path)
            try:
                metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ModelPackageError(f"metadata.json does not parse ({exc})", path=path) from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelPackageError(f"corrupt archive ({exc}); download it again", path=path) from exc
    if not isinstance(metadata, dict):
        raise ModelPackageError("metadata.json is not an object", path=path)
    direction = f"{metadata.get('from_code')}→{metadata.get('to_code')}"
    if metadata.get("from_code") != FROM_CODE or metadata.get("to_code") != TO_CODE:
        raise ModelPackageError(f"wrong direction: the package translates {direction}, bitext needs zh→en", path=path)
    for required in REQUIRED_FILES[1:]:
        if required not in present:
            raise ModelPackageError(f"incomplete package: {required} is missing", path=path)
    return {**metadata, "_folder": top}


def install_package(path: Path, settings: Settings | None = None, *, force: bool = False) -> InstalledPackage:
    """Validate an archive and unpack it into the packages folder."""
    metadata = validate_archive(path)
    target_root = packages_dir(settings)
    target = target_root / metadata["_folder"]
    if target.exists() and not force:
        raise ModelPackageError(f"already installed at {target}; pass --force to replace it", path=path)
    try:
        target_root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target_root, prefix=".install-") as tmp:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(tmp)
            if target.exists():
                shutil.rmtree(target)
            (Path(tmp) / metadata["_folder"]).rename(target)
    except OSError as exc:
        raise ModelPackageError(f"cannot install into {target_root} ({exc.strerror or exc})", path=path) from exc
    return read_package(target)


def read_package(folder: Path) -> InstalledPackage:
    """Read an installed package folder through ``argostranslate.package``."""
    require_argostranslate()
    from argostranslate.package import Package

    try:
        package = Package(Path(folder))
    except (OSError, ValueError) as exc:
        raise ModelPackageError(f"not a readable Argos package ({exc})", path=folder) from exc
    return InstalledPackage(Path(folder), package.from_code or "", package.to_code or "",
                            package.package_version or "", getattr(package, "target_prefix", "") or "")


def installed_packages(settings: Settings | None = None) -> list[InstalledPackage]:
    """Every readable package in the packages folder, by name."""
    root = packages_dir(settings)
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and not folder.name.startswith(".") and (folder / "metadata.json").is_file():
            try:
                found.append(read_package(folder))
            except ModelPackageError:
                continue
    return found


def find_zh_en_package(settings: Settings | None = None) -> InstalledPackage | None:
    """The installed zh→en package with a model, newest version first; None when there is none."""
    candidates = [
        p for p in installed_packages(settings)
        if p.from_code == FROM_CODE and p.to_code == TO_CODE and (p.path / "model" / "model.bin").is_file()
    ]
    if not candidates:
        return None
    from packaging.version import InvalidVersion, Version

    def version(p: InstalledPackage):
        try:
            return Version(p.version)
        except InvalidVersion:
            return Version("0")

    return max(candidates, key=version)
