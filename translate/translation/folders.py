"""CTranslate2 model folders (OPUS-MT, M2M-100, NLLB): validate, install and find them, never download.

A folder is what ``ct2-transformers-converter --copy_files …`` writes: ``model.bin``,
``config.json``, the vocabularies (``shared_vocabulary.json``, or
``source_vocabulary.json`` and ``target_vocabulary.json``; ``.txt`` in older
versions) and the tokenizer it was told to copy. Its family is told by the
tokenizer: ``source.spm`` + ``target.spm`` is OPUS-MT (Marian);
``sentencepiece.bpe.model`` is NLLB when the vocabulary has ``zho_Hans``, M2M-100
when it has ``__zh__``.

Before anything is copied, the folder is checked: the files are there, within
``translation.max_model_size_mb``, the language tokens are in the vocabulary, the
tokenizer knows Chinese (and English), its pieces are the model's vocabulary, and
CTranslate2 loads the model. The copy goes into ``paths.models`` (default
``$XDG_DATA_HOME/bitext/models``; not Argos's folder, whose tools stop at any folder
without ``metadata.json``) with ``bitext-model.json``, which records the family and
the model id: family, folder name and a short hash of the files
(``opus-mt/opus-mt-zh-en@3f9a1c2e``), part of every translation-memory key.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from translate.errors import ModelPackageError
from translate.settings import Settings
from translate.translation.ct2 import FAMILIES, Family, decoding_options

MARKER = "bitext-model.json"
"""The file an installed folder carries: family, name, digest, install time."""
MIB = 1024 * 1024
VOCABULARIES = ("shared_vocabulary", "source_vocabulary", "target_vocabulary")
#: Chinese and English every zh→en tokenizer must split without unknown pieces.
CHINESE_SAMPLE, ENGLISH_SAMPLE = "大模型很重要。", "models are important"
#: Share of the tokenizer's pieces the model's vocabulary must hold (else it is another model's tokenizer).
MIN_COVERAGE = 0.5
SUPPORTED = ("an Argos .argosmodel, or a CTranslate2 folder of OPUS-MT (source.spm, target.spm), "
             "M2M-100 or NLLB (sentencepiece.bpe.model)")


@dataclass(frozen=True, slots=True)
class FolderModel:
    """An installed CTranslate2 model folder."""

    path: Path
    """The installed folder."""
    family: str
    """``opus-mt``, ``m2m100`` or ``nllb`` (a key of :data:`translate.translation.ct2.FAMILIES`)."""
    digest: str
    """The first 8 hex digits of the SHA-256 of its files."""
    installed: str = ""
    """When it was installed (UTC, ISO 8601)."""
    from_code = "zh"
    to_code = "en"

    @property
    def name(self) -> str:
        """Folder name, e.g. ``opus-mt-zh-en``."""
        return self.path.name

    @property
    def model_id(self) -> str:
        """e.g. ``opus-mt/opus-mt-zh-en@3f9a1c2e``: part of every translation-memory key."""
        return f"{self.family}/{self.name}@{self.digest}"

    @property
    def version(self) -> str:
        """What ``bitext model list`` shows in the version column: the family."""
        return self.family


def default_models_dir() -> Path:
    """``$XDG_DATA_HOME/bitext/models`` (``~/.local/share/bitext/models``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bitext" / "models"


def models_dir(settings: Settings | None) -> Path:
    """Where model folders are installed for this edition."""
    if settings is not None and settings.models_dir is not None:
        return Path(settings.models_dir)
    return default_models_dir()


def read_vocabulary(folder: Path, kind: str) -> list[str] | None:
    """The ``source`` or ``target`` vocabulary of a CTranslate2 model folder (None: no such file)."""
    for stem in ("shared_vocabulary", f"{kind}_vocabulary"):
        for suffix in (".json", ".txt"):
            path = folder / f"{stem}{suffix}"
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
                tokens = json.loads(text) if suffix == ".json" else text.splitlines()
            except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
                raise ModelPackageError(f"{path.name} does not read ({exc}); convert the model again",
                                        path=folder) from exc
            if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
                raise ModelPackageError(f"{path.name} is not a list of tokens; convert the model again", path=folder)
            return tokens
    return None


def detect_family(folder: Path, source_vocabulary: list[str]) -> Family:
    """The family of a model folder, told by its tokenizer files and vocabulary."""
    if (folder / "source.spm").is_file() or (folder / "target.spm").is_file():
        for name in ("source.spm", "target.spm"):
            if not (folder / name).is_file():
                raise ModelPackageError(f"incomplete OPUS-MT model: {name} is missing; convert it with "
                                        "`--copy_files source.spm target.spm`", path=folder)
        return FAMILIES["opus-mt"]
    if (folder / "sentencepiece.bpe.model").is_file():
        tokens = set(source_vocabulary)
        if "zho_Hans" in tokens or "eng_Latn" in tokens:
            return FAMILIES["nllb"]
        if "__zh__" in tokens or "__en__" in tokens:
            return FAMILIES["m2m100"]
        raise ModelPackageError("sentencepiece.bpe.model is there, but the vocabulary has neither NLLB's zho_Hans "
                                "nor M2M-100's __zh__; bitext needs a model that translates Chinese", path=folder)
    if (folder / "sentencepiece.model").is_file():
        raise ModelPackageError("this looks like an unpacked Argos package; install its .argosmodel file instead",
                                path=folder)
    raise ModelPackageError(f"no tokenizer: bitext installs {SUPPORTED}; convert with "
                            "`ct2-transformers-converter … --copy_files …` (see docs/engines.md)", path=folder)


def _check_tokenizer(folder: Path, family: Family, source: list[str], target: list[str]) -> None:
    import sentencepiece

    for file_name, vocabulary, sample, language in (
            (family.source_model, source, CHINESE_SAMPLE, "Chinese"),
            (family.target_model, target, ENGLISH_SAMPLE, "English")):
        try:
            processor = sentencepiece.SentencePieceProcessor(model_file=str(folder / file_name))
        except (RuntimeError, OSError, ValueError) as exc:
            raise ModelPackageError(f"{file_name} is not a SentencePiece model ({exc})", path=folder) from exc
        ids = [i for i in processor.encode(sample) if processor.id_to_piece(i) != "\u2581"]
        if not ids or sum(processor.is_unknown(i) for i in ids) * 2 > len(ids):
            raise ModelPackageError(f"{file_name} does not know {language} (it splits {sample!r} into unknown "
                                    "pieces): bitext needs a zh→en model", path=folder)
        pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())
                  if not (processor.is_control(i) or processor.is_unknown(i))]
        known = set(vocabulary)
        covered = sum(piece in known for piece in pieces)
        if pieces and covered < MIN_COVERAGE * len(pieces):
            raise ModelPackageError(f"{file_name} is not this model's tokenizer (only {covered:,} of its "
                                    f"{len(pieces):,} pieces are in the model's vocabulary); copy the one "
                                    "converted with the model", path=folder)


def validate_folder(folder: Path, *, max_mb: int) -> Family:
    """Check a CTranslate2 model folder and return its family; raise :class:`ModelPackageError`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelPackageError(f"not a folder; give {SUPPORTED}", path=folder)
    for name in ("model.bin", "config.json"):
        if not (folder / name).is_file():
            raise ModelPackageError(f"not a CTranslate2 model: {name} is missing (convert the model with "
                                    "ct2-transformers-converter, see docs/engines.md)", path=folder)
    size = sum(p.stat().st_size for p in _files(folder))
    if size > max_mb * MIB:
        raise ModelPackageError(f"holds {size / MIB:,.0f} MiB, more than translation.max_model_size_mb = {max_mb} "
                                "allows; raise it in edition.toml if the model is genuine", path=folder)
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelPackageError(f"config.json does not parse ({exc}); convert the model again", path=folder) from exc
    if not isinstance(config, dict):
        raise ModelPackageError("config.json is not an object; convert the model again", path=folder)
    source, target = read_vocabulary(folder, "source"), read_vocabulary(folder, "target")
    if source is None or target is None:
        raise ModelPackageError("not a CTranslate2 model: no vocabulary (shared_vocabulary.json, or "
                                "source_vocabulary.json and target_vocabulary.json)", path=folder)
    family = detect_family(folder, source)
    for token, vocabulary, side in [*((t, source, "source") for t in family.language_tokens),
                                    *((t, target, "target") for t in family.target_tokens)]:
        if token not in vocabulary:
            raise ModelPackageError(f"the {side} vocabulary has no {token} token, which {family.label} needs for "
                                    "zh→en; is this the right model?", path=folder)
    _check_tokenizer(folder, family, source, target)
    try:
        import ctranslate2

        ctranslate2.Translator(str(folder), device="cpu", inter_threads=1, intra_threads=1)
    except Exception as exc:  # noqa: BLE001 - CTranslate2 raises RuntimeError, ValueError, IndexError… for a bad file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelPackageError(f"CTranslate2 cannot load the model ({first}); convert it again", path=folder) from exc
    return family


def _files(folder: Path) -> list[Path]:
    """The regular files of a model folder (CTranslate2 folders are flat; links and subfolders are not copied)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and p.name != MARKER)


def folder_digest(folder: Path) -> str:
    """The first 8 hex digits of the SHA-256 of the folder's files (names and bytes)."""
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(path.name.encode("utf-8") + b"\0")
        with path.open("rb") as data:
            for chunk in iter(lambda: data.read(MIB), b""):
                digest.update(chunk)
    return digest.hexdigest()[:8]


#: What an installed model's folder may be called: what `bitext model list` lists and what install writes.
#: Not hidden (a leading dot is also the temporary ``.install-*`` folders'), nothing a shell or a terminal mangles.
MODEL_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def is_model_name(name: str) -> bool:
    """Whether ``name`` is one an installed model's folder may have (:data:`MODEL_NAME`)."""
    return MODEL_NAME.fullmatch(name) is not None


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return cleaned or "model"


def replace_folder(staged: Path, target: Path, scratch: Path) -> None:
    """Rename ``staged`` to ``target``; an old ``target`` is first moved into ``scratch`` (removed with it).

    Every step is a rename within one folder, so ``target`` is always either the old model or the new one.
    """
    if target.exists():
        target.rename(scratch / ".replaced")
    staged.rename(target)


def install_folder(folder: Path, settings: Settings | None = None, *, force: bool = False,
                   max_mb: int) -> FolderModel:
    """Validate a model folder and copy it into the models folder, with its ``bitext-model.json``."""
    folder = Path(folder)
    family = validate_folder(folder, max_mb=max_mb)
    root = models_dir(settings)
    target = root / _safe_name(folder.resolve().name)
    if target.exists() and not force:
        raise ModelPackageError(f"already installed at {target}; pass --force to replace it", path=folder)
    files = _files(folder)
    needed = sum(p.stat().st_size for p in files)
    existing = next((p for p in (root, *root.parents) if p.exists()), Path("/"))
    free = shutil.disk_usage(existing).free
    if free < needed:
        raise ModelPackageError(f"needs {needed / MIB:,.0f} MiB but only {free / MIB:,.0f} MiB are free in {root}; "
                                "free some space (or set paths.models to another disk)", path=folder)
    digest = folder_digest(folder)
    marker = {"format": 1, "family": family.name, "digest": digest,
              "installed": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
              "source": str(folder.resolve())}
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=root, prefix=".install-") as tmp:
            staged = Path(tmp) / target.name
            staged.mkdir()
            for path in files:
                shutil.copyfile(path, staged / path.name)
            (staged / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
            replace_folder(staged, target, Path(tmp))
    except OSError as exc:
        raise ModelPackageError(f"cannot install into {root} ({exc.strerror or exc})", path=folder) from exc
    return read_folder_model(target)


def read_folder_model(folder: Path) -> FolderModel:
    """An installed model folder, from its ``bitext-model.json``."""
    where = Path(folder) / MARKER
    try:
        marker = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelPackageError(f"not an installed model (no {MARKER}); install it with `bitext model install`",
                                path=folder) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelPackageError(f"{MARKER} does not parse ({exc}); install the model again", path=where) from exc
    if not isinstance(marker, dict) or not all(isinstance(marker.get(k), str) for k in ("family", "digest")):
        raise ModelPackageError(f"{MARKER} lacks its family or digest; install the model again", path=where)
    if marker["family"] not in FAMILIES or marker["family"] == "argos":
        raise ModelPackageError(f"unknown model family {marker['family']!r} in {MARKER}; install the model again",
                                path=where)
    installed = marker.get("installed") if isinstance(marker.get("installed"), str) else ""
    return FolderModel(Path(folder), marker["family"], marker["digest"], installed)


def folder_models(settings: Settings | None = None, *,
                  broken: list[ModelPackageError] | None = None) -> list[FolderModel]:
    """Every readable installed model folder, by name; the others' errors go to ``broken``."""
    root = models_dir(settings)
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and is_model_name(folder.name) and (folder / MARKER).exists():
            try:
                found.append(read_folder_model(folder))
            except ModelPackageError as exc:
                if broken is not None:
                    broken.append(exc)
    return found


def open_folder_model(model: FolderModel, settings: Settings | None = None, **overrides):
    """The CTranslate2 engine for an installed folder (options from the settings, then ``overrides``)."""
    from translate.translation.ct2 import CT2Engine

    options = decoding_options(settings) if settings is not None else {}
    options.update(overrides)
    return CT2Engine(model.path, model.path, FAMILIES[model.family], name="ct2", model_id=model.model_id, **options)
