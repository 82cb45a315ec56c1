"""The Argos engine: an installed Argos Translate zh→en package, run directly.

``argostranslate.translate`` translates paragraph by paragraph and downloads a
sentence splitter; here SentencePiece and CTranslate2 run directly (through the one
CTranslate2 engine, :mod:`translate.translation.ct2`), so every sentence of every
article is batched together (sorted by length, order restored), both cores are
used, and the n-best and attention rungs of the glossary ladder get what they need.
CTranslate2 is imported only when the engine is opened.
"""

from __future__ import annotations

from pathlib import Path

from translate.settings import Settings
from translate.translation.ct2 import ENGINE_VERSION, FAMILIES, CT2Engine, _threads, decoding_options, piece_offsets
from translate.translation.packages import InstalledPackage, read_package

__all__ = ["ENGINE_VERSION", "ArgosEngine", "piece_offsets", "_threads"]


class ArgosEngine(CT2Engine):
    """Translates with an Argos package's CTranslate2 model and its ``sentencepiece.model``."""

    def __init__(self, package: InstalledPackage, **options):
        package.require_supported_tokenizer()
        super().__init__(package.path / "model", package.path, FAMILIES["argos"], name="argos",
                         model_id=package.model_id,
                         target_prefix=[package.target_prefix] if package.target_prefix else (), **options)
        self.package = package

    @classmethod
    def from_package(cls, path: Path, settings: Settings | None = None, **overrides) -> "ArgosEngine":
        """Open the package installed at ``path`` (hook for benchmarks and tests)."""
        options = decoding_options(settings) if settings is not None else {}
        options.update(overrides)
        return cls(read_package(Path(path)), **options)
