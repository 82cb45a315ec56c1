"""``bitext model download NAME``: fetch a zh→en model, then install it as ``bitext model install`` does.

Opt-in and never part of a build. Two sources:

- the Argos package index (``translation.argos_index``): an ``.argosmodel``, fetched over HTTP with a
  resumable download (:mod:`translate.translation.argosindex`);
- the Hugging Face Hub, through ``huggingface_hub`` (the ``download`` extra), honouring ``HF_ENDPOINT``:
  a CTranslate2 model already converted, or, with ``convert``, a transformers model converted here by
  ``ct2-transformers-converter`` (:mod:`translate.translation.hub`).

NAME says which: ``argos`` (the index's zh→en package), ``argos:CODE`` or a bare ``CODE`` such as
``translate-zh_en`` (a package ``code`` of the index), ``hf:OWNER/REPO`` or ``OWNER/REPO`` (a Hub repository).
Whatever arrives is untrusted: sizes are bounded before and while downloading, every file is hashed
and checked, names become paths only once they are plain model names, and what is installed passes
:func:`translate.translation.packages.install_model`, the checks of ``bitext model install``. Where
it came from (index or repository, the pinned revision, the hashes) is recorded beside the model:
in ``bitext-model.json`` of a CTranslate2 folder, in ``bitext-download.json`` of an Argos package
(whose own ``metadata.json`` bitext leaves as published).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.settings import Settings
from translate.translation.argosindex import download_package
from translate.translation.hub import convert_model, download_ct2_model
from translate.translation.transfer import DownloadError

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_REPO_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
_REPO = re.compile(rf"{_REPO_PART}/{_REPO_PART}")


@dataclass(frozen=True, slots=True)
class ModelSource:
    """Where ``bitext model download NAME`` fetches from, read from NAME."""

    kind: str
    """``argos`` (the Argos package index) or ``hub`` (the Hugging Face Hub)."""
    name: str
    """The package's ``code`` in the index (empty: the index's zh→en package), or the Hub repository ``OWNER/REPO``."""


def parse_name(name: str) -> ModelSource:
    """The source NAME names (see the module's docstring); a name that could become an odd path is refused."""
    from translate.inputs import quoted

    text = name.strip()
    if text == "argos":
        return ModelSource("argos", "")
    kind = "hub" if text.startswith("hf:") or (not text.startswith("argos:") and "/" in text) else "argos"
    bare = text.split(":", 1)[1] if text.startswith(("hf:", "argos:")) else text
    if kind == "hub":
        if not _REPO.fullmatch(bare) or ".." in bare or "--" in bare:
            raise DownloadError(f"{quoted(name)} is not a Hub repository name (OWNER/REPO: letters, digits, "
                                "'.', '_' and '-'), e.g. Helsinki-NLP/opus-mt-zh-en")
    elif not _CODE.fullmatch(bare):
        raise DownloadError(f"{quoted(name)} is not an Argos package code (letters, digits, '.', '_' and '-'), "
                            "e.g. translate-zh_en; a Hub repository is OWNER/REPO")
    return ModelSource(kind, bare)


def download_model(name: str, settings: Settings | None = None, *, revision: str | None = None,
                   convert: bool = False, quantization: str | None = None, force: bool = False, notify=None):
    """Download the model NAME names and install it; returns what was installed (as ``install_model`` does).

    ``revision`` pins a Hub commit (default: the one the Hub names at download time) or an Argos
    ``package_version`` (default: the newest); ``convert`` converts a transformers model from the Hub with
    ``ct2-transformers-converter`` (quantized to ``quantization``).
    """
    source = parse_name(name)
    if source.kind == "argos":
        if convert:
            raise DownloadError("--convert converts a Hub model (OWNER/REPO); an Argos package needs no conversion")
        return download_package(source.name, settings, version=revision, force=force)
    if convert:
        return convert_model(source.name, settings, revision=revision, quantization=quantization, force=force,
                             notify=notify)
    return download_ct2_model(source.name, settings, revision=revision, force=force)
