"""Models from the Hugging Face Hub: CTranslate2 models already converted, or converted here.

Through ``huggingface_hub`` (the ``download`` extra), which honours ``HF_ENDPOINT`` (a mirror, or
a test's local server), ``HF_TOKEN`` and ``HF_HUB_OFFLINE``; ``HF_ENDPOINT`` is read at each
download, not once at import. The revision is pinned: the commit the Hub names for ``--revision``
(default ``main``) is read first, every file is fetched at that commit, and the commit is recorded
in the installed model's ``bitext-model.json``.

A converted model (:func:`download_ct2_model`): of the repository's files only those a CTranslate2
folder uses are fetched (:data:`CT2_FILES`, top level only, so no name from the Hub becomes a path
of its own making); their sizes as the Hub lists them must fit ``translation.max_model_size_mb``
before anything is fetched, a file that grows past its listed size is stopped, and every file is
hashed after the download against the Hub's listing (the SHA-256 of a Git LFS file, the Git blob id
of any other). A mismatch is one line, and the download's folder is removed: it lives in
:func:`translate.translation.download.cache_dir` until the folder passes the checks of ``bitext model
install`` and is copied into the models folder. ``huggingface_hub`` resumes a dropped connection with
a ``Range`` request within one run; what a killed run leaves is removed by the next. Its progress bars
are replaced by :mod:`translate.progress`'s (one per file, none with ``--quiet``), through a ``tqdm``
stand-in that also stops a file once it grows past its listed size.

A transformers model (:func:`convert_model`) is converted by ``ct2-transformers-converter``, which
comes with CTranslate2 but needs ``transformers`` and ``torch`` (gigabytes, never installed by
bitext): they are looked for in the Python that runs the converter, and when missing the error says
what to install.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from translate.engines import QUANTIZATIONS
from translate.inputs import excerpt, quoted
from translate.settings import Settings
from translate.translation.ct2 import FAMILIES
from translate.translation.transfer import (
    TIMEOUT,
    DownloadError,
    cache_dir,
    kib,
    now,
    record_origin,
)
from translate.translation.folders import VOCABULARIES, is_model_name, models_dir
from translate.translation.packages import DEFAULT_MAX_MB, MIB, install_model

#: The tokenizers of the CTranslate2 families bitext runs (``source.spm``, ``target.spm``,
#: ``sentencepiece.bpe.model``): what ``ct2-transformers-converter --copy_files`` is told to copy.
TOKENIZERS = tuple(dict.fromkeys(name for family in FAMILIES.values() if family.name != "argos"
                                 for name in (family.source_model, family.target_model)))
#: The files of a CTranslate2 folder bitext runs: the model, its configuration, vocabularies, tokenizers.
CT2_FILES = ("model.bin", "config.json",
             *(f"{stem}{suffix}" for stem in VOCABULARIES for suffix in (".json", ".txt")), *TOKENIZERS)
CONVERTER = "ct2-transformers-converter"
#: Seconds a conversion may take.
CONVERT_TIMEOUT = 3 * 3600
_COMMIT = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_INSTALL_HUB = ("Hub models are downloaded through huggingface_hub, which is not installed; install it with "
                "`pip install 'bitext[download]'` (or `pip install huggingface-hub`)")


def _hub():
    """``huggingface_hub``, with its telemetry off unless ``HF_HUB_DISABLE_TELEMETRY`` says otherwise.

    With telemetry on, it asks the Hub for a registry of coding agents (``/api/agent-harnesses``) on the
    first request and names the agent in its User-Agent: bitext asks the Hub for the model and nothing else.
    """
    telemetry_set = "HF_HUB_DISABLE_TELEMETRY" in os.environ
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        import huggingface_hub
        from huggingface_hub import constants
    except ImportError:
        raise DownloadError(_INSTALL_HUB) from None
    if not telemetry_set:  # imported before, by someone else: its setting was read then
        constants.HF_HUB_DISABLE_TELEMETRY = True
    return huggingface_hub


def endpoint() -> str | None:
    """``HF_ENDPOINT`` as it is now (None: the Hub itself)."""
    return (os.environ.get("HF_ENDPOINT") or "").rstrip("/") or None


def _hub_cache() -> str | None:
    """The Hub cache ``huggingface_hub`` would use, read now (a file cached there is copied, not fetched)."""
    if os.environ.get("HF_HUB_CACHE"):
        return os.environ["HF_HUB_CACHE"]
    if os.environ.get("HF_HOME"):
        return str(Path(os.environ["HF_HOME"]) / "hub")
    return None


def _hub_error(exc: Exception, repo: str, revision: str) -> DownloadError:
    """One line for what ``huggingface_hub`` (or the network under it) raised."""
    _hub()
    from huggingface_hub import errors

    where = f"{repo}@{revision}"
    if isinstance(exc, errors.RepositoryNotFoundError):
        return DownloadError(f"no repository {quoted(repo)} on the Hub ({endpoint() or 'huggingface.co'}); "
                             "check the name (OWNER/REPO), or set HF_TOKEN for a private one")
    if isinstance(exc, errors.RevisionNotFoundError):
        return DownloadError(f"{quoted(repo)} has no revision {quoted(revision)} on the Hub")
    if isinstance(exc, errors.GatedRepoError):
        return DownloadError(f"{quoted(repo)} is gated: accept its terms on the Hub and set HF_TOKEN")
    if isinstance(exc, getattr(errors, "EntryNotFoundError", ())) or \
            isinstance(exc, getattr(errors, "RemoteEntryNotFoundError", ())):
        return DownloadError(f"a file of {where} is not on the Hub (HTTP 404); the repository changed, try again")
    if isinstance(exc, getattr(errors, "OfflineModeIsEnabled", ())):
        return DownloadError("HF_HUB_OFFLINE is set, so nothing can be downloaded from the Hub; unset it")
    if isinstance(exc, errors.HfHubHTTPError):
        status = getattr(getattr(exc, "response", None), "status_code", "?")
        return DownloadError(f"the Hub answered HTTP {status} for {where}")
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DownloadError(f"cannot download {where} from the Hub ({excerpt(text, 100)})")


def _hub_exceptions() -> tuple[type[BaseException], ...]:
    """What a Hub call raises for a failure of the network or the server (not bitext's own errors)."""
    _hub()
    from huggingface_hub import errors

    found: list[type[BaseException]] = [errors.HfHubHTTPError, OSError, ValueError]
    for module_name in ("httpx2", "httpx"):
        try:
            module = __import__(module_name)
            found.append(module.HTTPError)
            found.append(getattr(module, "TransportError", module.HTTPError))
        except (ImportError, AttributeError):
            continue
    offline = getattr(errors, "OfflineModeIsEnabled", None)
    if offline is not None:
        found.append(offline)
    return tuple(found)


def repo_listing(repo: str, revision: str | None):
    """The Hub's model info for ``repo`` at ``revision`` (default ``main``), files with sizes and hashes."""
    hub = _hub()
    wanted = revision or "main"
    try:
        info = hub.HfApi(endpoint=endpoint()).model_info(repo, revision=wanted, files_metadata=True,
                                                         timeout=TIMEOUT)
    except DownloadError:
        raise
    except _hub_exceptions() as exc:
        raise _hub_error(exc, repo, wanted) from None
    commit = getattr(info, "sha", None)
    if not isinstance(commit, str) or not _COMMIT.fullmatch(commit):
        raise DownloadError(f"the Hub named no commit for {repo}@{wanted}; is HF_ENDPOINT a Hub?")
    return info, commit


def _listed(info) -> dict[str, object]:
    """The repository's top-level files by name (the Hub's ``siblings``)."""
    return {s.rfilename: s for s in (getattr(info, "siblings", None) or []) if isinstance(s.rfilename, str)}


def _expected_hash(sibling) -> tuple[str, str]:
    """``("sha256", hex)`` for a Git LFS file, ``("git-sha1", hex)`` for another, from the Hub's listing."""
    lfs = getattr(sibling, "lfs", None)
    sha256 = lfs.get("sha256") if isinstance(lfs, dict) else getattr(lfs, "sha256", None)
    if isinstance(sha256, str) and _SHA256.fullmatch(sha256):
        return "sha256", sha256
    blob = getattr(sibling, "blob_id", None)
    if isinstance(blob, str) and re.fullmatch(r"[0-9a-f]{40}", blob):
        return "git-sha1", blob
    raise DownloadError(f"the Hub lists no hash for {quoted(sibling.rfilename)}, so it cannot be checked; "
                        "nothing was downloaded")


def file_hash(path: Path, kind: str) -> str:
    """The SHA-256 of a file, or its Git blob id (SHA-1 of ``blob SIZE\\0`` and the bytes)."""
    digest = hashlib.sha256() if kind == "sha256" else hashlib.sha1()
    if kind != "sha256":
        digest.update(f"blob {path.stat().st_size}\0".encode())
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(MIB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _bar_class(limit: int, label: str):
    """A ``tqdm`` stand-in for one file's download: a rich bar (``translate.progress``) that stops the file
    (raising :class:`DownloadError`) once more than ``limit`` bytes arrive."""
    from translate.progress import progress

    class Bar:
        def __init__(self, *args, total=None, initial=0, **kwargs):
            self.n = initial or 0
            self.total = total
            self._context = progress(f"Downloading {label} (KiB)", kib(total or limit))
            self._advance = self._context.__enter__()
            self._advance(kib(self.n))

        def update(self, n=1):
            if n is None:
                return
            before, self.n = self.n, self.n + n
            if self.n > limit:
                raise DownloadError(f"{label} runs past its listed size ({limit:,} bytes); the download was stopped "
                                    "and removed")
            self._advance(kib(self.n) - kib(before))

        def update_transfer(self, n=1):  # Xet's second counter: the bytes on the wire (the bar shows the file's)
            pass

        def set_postfix_str(self, *args, **kwargs):
            pass

        set_transfer_postfix_str = set_postfix_str
        set_description = set_postfix_str

        def refresh(self, *args, **kwargs):
            pass

        def close(self):
            if self._context is not None:
                context, self._context = self._context, None
                context.__exit__(None, None, None)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.close()
            return False

    return Bar


def _staging(repo: str, commit: str) -> Path:
    """A fresh folder for one download of ``repo`` at ``commit``; what an earlier, killed run left there is removed."""
    folder = cache_dir() / "hub" / f"{repo.replace('/', '--')}@{commit[:12]}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _model_name(repo: str) -> str:
    name = repo.split("/")[1]
    if not is_model_name(name):
        raise DownloadError(f"{quoted(repo)} does not make a model name")
    return name


def _refuse_installed(name: str, settings: Settings | None, force: bool) -> None:
    target = models_dir(settings) / name
    if target.exists() and not force:
        raise DownloadError(f"{name} is already installed at {target}; pass --force to replace it")


def download_ct2_model(repo: str, settings: Settings | None = None, *, revision: str | None = None,
                       force: bool = False):
    """Download the CTranslate2 model in Hub repository ``repo`` (pinned to one commit), check it and install it."""
    hub = _hub()
    name = _model_name(repo)
    _refuse_installed(name, settings, force)
    max_mb = settings.max_model_size_mb if settings is not None else DEFAULT_MAX_MB
    info, commit = repo_listing(repo, revision)
    listed = _listed(info)
    files = [listed[f] for f in CT2_FILES if f in listed]
    if "model.bin" not in listed:
        raise DownloadError(f"{repo}@{commit[:12]} has no model.bin: it is not a CTranslate2 model; convert a "
                            "transformers model with --convert (needs transformers and torch)")
    sizes = {s.rfilename: s.size for s in files}
    if not all(isinstance(size, int) and size >= 0 for size in sizes.values()):
        raise DownloadError(f"the Hub lists no size for some files of {repo}@{commit[:12]}, so it cannot be bounded; "
                            "nothing was downloaded")
    total = sum(sizes.values())
    if total > max_mb * MIB:
        raise DownloadError(f"{repo} is {total / MIB:,.1f} MiB, more than translation.max_model_size_mb = {max_mb} "
                            "allows; raise it in edition.toml if the model is genuine")
    expected = {s.rfilename: _expected_hash(s) for s in files}
    staging = _staging(repo, commit)
    folder = staging / name
    try:
        for file_name in sizes:
            try:
                hub.hf_hub_download(repo, file_name, revision=commit, local_dir=folder, endpoint=endpoint(),
                                    cache_dir=_hub_cache(), etag_timeout=TIMEOUT,
                                    tqdm_class=_bar_class(sizes[file_name], file_name))
            except DownloadError:
                raise
            except _hub_exceptions() as exc:
                raise _hub_error(exc, repo, commit[:12]) from None
        for file_name, (kind, wanted) in expected.items():
            got = file_hash(folder / file_name, kind)
            if got != wanted:
                raise DownloadError(f"{file_name} of {repo}@{commit[:12]} does not match the Hub's {kind} (got "
                                    f"{got[:12]}…, expected {wanted[:12]}…); the download was removed, try again")
        installed = install_model(folder, settings, force=force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record_origin(installed, {"source": "hub", "endpoint": endpoint() or "https://huggingface.co", "repo": repo,
                              "revision": commit, "files": {f: f"{k}:{h}" for f, (k, h) in expected.items()},
                              "downloaded": now()}, source=f"hf:{repo}@{commit}")
    return installed


# -- conversion -----------------------------------------------------------------------------------

def find_converter() -> Path | None:
    """``ct2-transformers-converter`` on ``PATH``, else beside this Python (a virtualenv's ``bin``)."""
    found = shutil.which(CONVERTER)
    if found:
        return Path(found)
    beside = Path(sys.executable).parent / CONVERTER
    return beside if beside.is_file() and os.access(beside, os.X_OK) else None


def converter_python(converter: Path) -> str:
    """The Python that runs ``converter``: its ``#!`` line's (``/usr/bin/env python3`` looked up), else this one."""
    try:
        with converter.open("rb") as script:
            first = script.readline(512).decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if not first.startswith("#!"):
        return sys.executable
    words = first[2:].split()
    if words and Path(words[0]).name == "env" and len(words) > 1:
        words = [shutil.which(words[1]) or ""]
    return words[0] if words and words[0] and Path(words[0]).is_file() else sys.executable


#: Run in the converter's Python: which of the converter's packages cannot be found (without importing them).
_PROBE = ("import importlib.util as u; "
          "print(' '.join(m for m in ('transformers', 'torch') if u.find_spec(m) is None))")


def missing_converter_packages(converter: Path) -> list[str]:
    """The packages the converter needs (``transformers``, ``torch``) that its Python lacks."""
    python = converter_python(converter)
    try:
        probe = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DownloadError(f"cannot run {python}, the Python of {converter} ({excerpt(str(exc), 80)})") from None
    if probe.returncode != 0:
        return ["transformers", "torch"]
    return probe.stdout.split()


def converter_command(converter: Path, repo: str, commit: str, output: Path, copy_files: list[str],
                      quantization: str | None) -> list[str]:
    """The command line that converts ``repo`` at ``commit`` into ``output``."""
    command = [str(converter), "--model", repo, "--revision", commit, "--output_dir", str(output),
               "--copy_files", *copy_files]
    if quantization:
        command += ["--quantization", quantization]
    return command


def convert_model(repo: str, settings: Settings | None = None, *, revision: str | None = None,
                  quantization: str | None = "int8", force: bool = False, notify=None):
    """Convert the transformers model ``repo`` (pinned to one commit) with ``ct2-transformers-converter``, install it.

    ``notify(line)``, when given, is told before the converter starts (it runs for minutes, silently).
    """
    converter = find_converter()
    hint = ("pip install transformers torch sentencepiece (gigabytes; or download a model already converted, "
            "without --convert)")
    if converter is None:
        raise DownloadError(f"converting needs {CONVERTER} (it comes with ctranslate2) and transformers and torch "
                            f"beside it: {hint}")
    missing = missing_converter_packages(converter)
    if missing:
        raise DownloadError(f"converting needs {' and '.join(missing)} in the Python of {converter} "
                            f"({converter_python(converter)}): {hint}")
    if quantization is not None and quantization not in QUANTIZATIONS:
        raise DownloadError(f"unknown quantization {quoted(quantization)} (known: {', '.join(QUANTIZATIONS)})")
    name = _model_name(repo)
    _refuse_installed(name, settings, force)
    info, commit = repo_listing(repo, revision)
    listed = _listed(info)
    copy_files = [f for f in TOKENIZERS if f in listed]
    if not copy_files:
        raise DownloadError(f"{repo}@{commit[:12]} has none of the tokenizers bitext runs ({', '.join(TOKENIZERS)}); "
                            "bitext converts OPUS-MT, M2M-100 and NLLB models")
    staging = _staging(repo, commit)
    output = staging / name
    command = converter_command(converter, repo, commit, output, copy_files, quantization)
    if notify is not None:
        notify(f"Converting {repo}@{commit[:12]} with {CONVERTER} (this takes a while)…")
    try:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
                                  env={**os.environ, **({"HF_ENDPOINT": endpoint()} if endpoint() else {})})
        except subprocess.TimeoutExpired:
            raise DownloadError(f"{CONVERTER} ran past {CONVERT_TIMEOUT // 3600} hours converting {repo}") from None
        except OSError as exc:
            raise DownloadError(f"cannot run {converter} ({excerpt(str(exc), 80)})") from None
        if done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
            last = lines[-1].strip() if lines else f"exit status {done.returncode}"
            raise DownloadError(f"{CONVERTER} failed on {repo}@{commit[:12]}: {excerpt(last, 160)}")
        installed = install_model(output, settings, force=force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record_origin(installed, {"source": "hub-converted", "endpoint": endpoint() or "https://huggingface.co",
                              "repo": repo, "revision": commit, "converter": CONVERTER,
                              "quantization": quantization or "", "downloaded": now()},
                  source=f"hf:{repo}@{commit} (converted)")
    return installed
