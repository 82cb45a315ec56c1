"""The Argos engine: an installed Argos Translate zh→en package, run directly.

``argostranslate.translate`` translates paragraph by paragraph and downloads a
sentence splitter; here SentencePiece and CTranslate2 run directly, so every
sentence of every article is batched together (sorted by length, order restored),
both cores are used, and the n-best and attention rungs of the glossary ladder
get what they need. CTranslate2 is imported only when the engine is opened.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Sequence

from translate.errors import EngineError, ModelPackageError
from translate.settings import Settings
from translate.translation.engine import Alignment
from translate.translation.packages import InstalledPackage, read_package

ENGINE_VERSION = "2"
"""Bump when decoding changes in a way that changes outputs (part of the memory key)."""


def _threads() -> tuple[int, int]:
    """(inter_threads, intra_threads): one batch per core in parallel."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores), 1


def piece_offsets(text: str, pieces: Sequence[str]) -> list[tuple[int, int]]:
    """The character span of ``text`` each SentencePiece piece came from.

    Walks the NFKC-normalised text (what SentencePiece saw) with a map back to the
    original positions; a piece that does not match (unknown, byte fallback) takes one character.
    """
    normalised, origin = [], []
    for i, ch in enumerate(text):
        for out in unicodedata.normalize("NFKC", ch):
            normalised.append(out)
            origin.append(i)
    flat = "".join(normalised)
    origin.append(len(text))
    spans, cursor = [], 0
    for piece in pieces:
        surface = piece.replace("\u2581", " ").lstrip(" ")
        while cursor < len(flat) and flat[cursor].isspace():
            cursor += 1
        if not surface:
            end = cursor  # a bare word-boundary piece covers no character
        elif flat.startswith(surface, cursor):
            end = cursor + len(surface)
        else:
            end = min(cursor + 1, len(flat))
        spans.append((origin[cursor], origin[end - 1] + 1 if end > cursor else origin[cursor]))
        cursor = end
    return spans


class ArgosEngine:
    """Translates with a CTranslate2 model and its SentencePiece tokenizer."""

    name = "argos"
    word_by_word = False

    def __init__(
        self,
        package: InstalledPackage,
        *,
        beam_size: int = 2,
        batch_size: int = 32,
        num_hypotheses: int = 4,
        max_decoding_length: int = 256,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
    ):
        import ctranslate2
        import sentencepiece

        self.package = package
        self.model_id = package.model_id
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.num_hypotheses = num_hypotheses
        self.max_decoding_length = max_decoding_length
        self.options = f"argos-v{ENGINE_VERSION};beam={beam_size};n={num_hypotheses};max={max_decoding_length}"
        self.warnings: list[str] = []
        self.calls = 0
        self.sentences = 0
        default_inter, default_intra = _threads()
        model_dir = package.path / "model"
        sp_model = package.path / "sentencepiece.model"
        if not (model_dir / "model.bin").is_file() or not sp_model.is_file():
            raise ModelPackageError("incomplete package: model/model.bin or sentencepiece.model is missing; "
                                    "reinstall it with `bitext model install FILE.argosmodel --force`",
                                    path=package.path)
        try:
            self.translator = ctranslate2.Translator(
                str(model_dir), device="cpu", compute_type="auto",
                inter_threads=inter_threads or default_inter, intra_threads=intra_threads or default_intra,
            )
            self.tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(sp_model))
        except (RuntimeError, OSError, ValueError) as exc:
            raise EngineError(f"cannot load the model ({exc}); reinstall the package", path=package.path) from exc
        self._prefix = [package.target_prefix] if package.target_prefix else None

    @classmethod
    def from_package(cls, path: Path, settings: Settings | None = None, **overrides) -> "ArgosEngine":
        """Open the package installed at ``path`` (hook for benchmarks and tests)."""
        options = {}
        if settings is not None:
            options = dict(beam_size=settings.beam_size, batch_size=settings.batch_size,
                           num_hypotheses=settings.num_hypotheses, max_decoding_length=settings.max_decoding_length)
        options.update(overrides)
        return cls(read_package(Path(path)), **options)

    # -- the engine protocol ------------------------------------------------------------

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """The best translation of each sentence, in one sorted batch."""
        return [h[0] for h in self._run(sentences, num_hypotheses=1)[0]]

    def hypotheses(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """Up to ``n`` translations of each sentence, best first."""
        return self._run(sentences, num_hypotheses=n)[0]

    def align(self, sentences: Sequence[str]) -> list[Alignment]:
        """The best translation of each sentence with, per English piece, the source piece it attends to most."""
        return [hypotheses[0] for hypotheses in self.decode(sentences, 1, attention=True)]

    def decode(self, sentences: Sequence[str], n: int, attention: bool = True) -> list[list[Alignment]]:
        """Up to ``n`` translations of each sentence, best first, each aligned with the source when ``attention``.

        One beam search (beam ``max(beam_size, n)``) gives the glossary ladder all three rungs.
        """
        texts, results, pieces = self._run(sentences, num_hypotheses=n, attention=attention)
        decoded = []
        for i in range(len(sentences)):
            result = results[i]
            if result is None:
                decoded.append([Alignment("", (), ())])
                continue
            rows = result.attention if attention and result.attention else [[] for _ in result.hypotheses]
            decoded.append([self._aligned(text, list(tokens), rows[k] if k < len(rows) else [], pieces[i], attention)
                            for k, (text, tokens) in enumerate(zip(texts[i], result.hypotheses))])
        return decoded

    def _aligned(self, text: str, tokens: list[str], attention: list, spans: list[tuple[int, int]],
                 aligned: bool) -> Alignment:
        if not aligned:
            return Alignment(text, (), ())
        target, sources = [], []
        for step, token in enumerate(tokens):
            if self._prefix and step == 0 and token == self._prefix[0]:
                continue
            target.append(token.replace("▁", " "))
            row = attention[step] if step < len(attention) else []
            best = max(range(len(row)), key=row.__getitem__) if row else -1
            sources.append(spans[best] if 0 <= best < len(spans) else None)
        return Alignment(text, tuple(target), tuple(sources))

    # -- internals ----------------------------------------------------------------------

    def _run(self, sentences: Sequence[str], *, num_hypotheses: int, attention: bool = False):
        self.calls += 1
        self.sentences += len(sentences)
        out: list[list[str]] = [[""] for _ in sentences]
        raw: list = [None] * len(sentences)
        piece_spans: list[list[tuple[int, int]]] = [[] for _ in sentences]
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return out, raw, piece_spans
        tokens = self.tokenizer.encode([sentences[i] for i in todo], out_type=str)
        if attention:
            for i, pieces in zip(todo, tokens):
                piece_spans[i] = piece_offsets(sentences[i], pieces)
        # Sort by length so each batch pads little; restore the order afterwards.
        order = sorted(range(len(todo)), key=lambda k: len(tokens[k]))
        batch = [tokens[k] for k in order]
        try:
            results = self.translator.translate_batch(
                batch,
                target_prefix=[self._prefix] * len(batch) if self._prefix else None,
                max_batch_size=self.batch_size,
                batch_type="examples",
                beam_size=max(self.beam_size, num_hypotheses),
                num_hypotheses=num_hypotheses,
                max_decoding_length=self.max_decoding_length,
                replace_unknowns=True,
                return_attention=attention,
            )
        except RuntimeError as exc:
            raise EngineError(f"the model failed to translate ({exc})", path=self.package.path) from exc
        for k, result in zip(order, results):
            index = todo[k]
            raw[index] = result
            out[index] = [self._detokenize(h) for h in result.hypotheses]
        return out, raw, piece_spans

    def _detokenize(self, tokens: list[str]) -> str:
        if self._prefix and tokens and tokens[0] == self._prefix[0]:
            tokens = tokens[1:]
        return self.tokenizer.decode(tokens).replace("▁", " ").strip()
