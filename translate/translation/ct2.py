"""One CTranslate2 engine for every model family, with each family's tokenization.

The families differ only in how a sentence becomes source tokens and how target
tokens become English; the decoding (batches sorted by length, n-best lists,
attention for the glossary ladder) is the same, so it is written once here:

- ``argos`` (an Argos package): ``sentencepiece.model``; the pieces alone, as
  argostranslate gives them; the target prefix its metadata names, if any;
- ``opus-mt`` (Marian): ``source.spm`` for the Chinese, ``target.spm`` for the
  English; pieces + ``</s>``;
- ``m2m100``: ``sentencepiece.bpe.model``; ``__zh__`` + pieces + ``</s>``; the
  decoder starts with ``__en__``;
- ``nllb``: ``sentencepiece.bpe.model``; ``zho_Hans`` (or ``zho_Hant``) + pieces +
  ``</s>``; the decoder starts with ``eng_Latn``.

The source tokens are what Hugging Face's tokenizers give the converted models
(``MarianTokenizer``, ``M2M100Tokenizer``, ``NllbTokenizer`` with ``src_lang``).

NLLB's source language token names the script of the text the model reads:
``zho_Hant`` when the sentence is Traditional Chinese (by the corpus stage's own
test, :func:`translate.corpus.chinese.is_traditional`), else ``zho_Hans``. The
translate stage sends each article's working text, which is Simplified for
Traditional sources too (the glossary matches that text), so an edition's
sentences go in as ``zho_Hans``; the token follows the sentence, and so the
translation memory, whose key holds the sentence, never mixes the two.

CTranslate2 and SentencePiece are imported only when an engine is opened.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from translate.engines import ENGINES
from translate.errors import EngineError, ModelPackageError
from translate.translation.device import ct2_device
from translate.translation.engine import Alignment

ENGINE_VERSION = "2"
"""Bump when decoding changes in a way that changes outputs (part of the memory key)."""

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Family:
    """How one family of CTranslate2 models is tokenized, and what it is called."""

    name: str
    """``argos``, ``opus-mt``, ``m2m100`` or ``nllb``: part of the model id and the memory key."""
    label: str
    """The family as people call it."""
    source_model: str
    """The SentencePiece model that splits the Chinese."""
    target_model: str
    """The SentencePiece model that joins the English pieces."""
    source_language: Callable[[str], tuple[str, ...]]
    """The token(s) put before a sentence's pieces (a language code), given the sentence."""
    source_suffix: tuple[str, ...] = ()
    """The token(s) put after them (``</s>``: the converted models do not add it themselves)."""
    target_prefix: tuple[str, ...] = ()
    """The token(s) the decoder is made to start with (the target language)."""
    language_tokens: tuple[str, ...] = ()
    """Tokens the source vocabulary must hold for the family to work (checked at install)."""
    target_tokens: tuple[str, ...] = ()
    """Tokens the target vocabulary must hold."""


def _none(sentence: str) -> tuple[str, ...]:
    return ()


def _m2m100_language(sentence: str) -> tuple[str, ...]:
    return ("__zh__",)


def nllb_language(sentence: str) -> str:
    """``zho_Hant`` for a sentence in Traditional Chinese, else ``zho_Hans`` (see the module docstring)."""
    from translate.corpus.chinese import is_traditional

    return "zho_Hant" if is_traditional(sentence) else "zho_Hans"


def _nllb_language(sentence: str) -> tuple[str, ...]:
    return (nllb_language(sentence),)


FAMILIES: dict[str, Family] = {
    "argos": Family("argos", "Argos Translate", "sentencepiece.model", "sentencepiece.model", _none),
    "opus-mt": Family("opus-mt", "OPUS-MT (Marian)", "source.spm", "target.spm", _none, ("</s>",),
                      target_tokens=("</s>",)),
    "m2m100": Family("m2m100", "M2M-100", "sentencepiece.bpe.model", "sentencepiece.bpe.model", _m2m100_language,
                     ("</s>",), ("__en__",), language_tokens=("__zh__",), target_tokens=("__en__",)),
    "nllb": Family("nllb", "NLLB-200", "sentencepiece.bpe.model", "sentencepiece.bpe.model", _nllb_language,
                   ("</s>",), ("eng_Latn",), language_tokens=("zho_Hans", "zho_Hant"), target_tokens=("eng_Latn",)),
}


#: The environment that selects each family of CTranslate2's CPU kernels on an x86 machine (it is read
#: once, when the library loads): MKL or oneDNN for the matrix products, oneDNN capped below VNNI (the
#: saturating 16-bit int8 products of AMD Zen 2/3 and older Intel processors), MKL without AVX-512, and
#: CTranslate2's own generic kernels. A model's outcome can differ from one to the next; the fixture
#: models are built and tested to give the same under each (scripts/make_ct2_fixtures.py, tests/test_backends.py).
CPU_BACKENDS: dict[str, dict[str, str]] = {
    "default": {},
    "mkl": {"CT2_USE_MKL": "1"},
    "mkl-avx2": {"CT2_USE_MKL": "1", "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    "dnnl": {"CT2_USE_MKL": "0"},
    "dnnl-avx2": {"CT2_USE_MKL": "0", "ONEDNN_MAX_CPU_ISA": "AVX2", "DNNL_MAX_CPU_ISA": "AVX2"},
    "generic": {"CT2_FORCE_CPU_ISA": "GENERIC"},
}


def decoding_options(settings) -> dict[str, int]:
    """The engine's options as the settings (``translation.beam_size`` …) set them."""
    return dict(beam_size=settings.beam_size, batch_size=settings.batch_size, num_hypotheses=settings.num_hypotheses,
                max_decoding_length=settings.max_decoding_length, device=settings.device)


def _threads() -> tuple[int, int]:
    """(inter_threads, intra_threads): one batch per core in parallel."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores), 1


def piece_offsets(text: str, pieces: Sequence[str]) -> list[Span]:
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


class CT2Engine:
    """Translates with a CTranslate2 model and its family's SentencePiece tokenization."""

    def __init__(
        self,
        model_dir: Path,
        tokenizer_dir: Path,
        family: Family,
        *,
        name: str,
        model_id: str,
        target_prefix: Sequence[str] = (),
        beam_size: int = 2,
        batch_size: int = 32,
        num_hypotheses: int = 4,
        max_decoding_length: int = 256,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        device: str = "cpu",
    ):
        import ctranslate2
        import sentencepiece

        self.name = name
        """``argos`` for an Argos package, ``ct2`` for a converted model folder."""
        self.capabilities = ENGINES[name].capabilities
        """Its entry's: decode and align; CTranslate2 releases the GIL and takes calls from several threads (overlap)."""
        self.family = family
        self.model_id = model_id
        self.path = Path(tokenizer_dir)
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.num_hypotheses = num_hypotheses
        self.max_decoding_length = max_decoding_length
        self.options = f"{family.name}-v{ENGINE_VERSION};beam={beam_size};n={num_hypotheses};max={max_decoding_length}"
        self.warnings: list[str] = []
        self.calls = 0
        self.sentences = 0
        self.first_steps = 0
        """Sentences given the one-step pass for the first step's attention (:meth:`_greedy_first_rows`)."""
        default_inter, default_intra = _threads()
        source_model = self.path / family.source_model
        target_model = self.path / family.target_model
        for required in (Path(model_dir) / "model.bin", source_model, target_model):
            if not required.is_file():
                raise ModelPackageError(f"incomplete model: {required.relative_to(self.path)} is missing; install it "
                                        "again with `bitext model install PATH --force`", path=self.path)
        try:
            self.translator = ctranslate2.Translator(
                str(model_dir), **ct2_device(device), compute_type="auto",
                inter_threads=inter_threads or default_inter, intra_threads=intra_threads or default_intra,
            )
            self.source_tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(source_model))
            self.target_tokenizer = self.source_tokenizer if target_model == source_model else \
                sentencepiece.SentencePieceProcessor(model_file=str(target_model))
        except (RuntimeError, OSError, ValueError) as exc:
            raise EngineError(f"cannot load the model ({exc}); install it again", path=self.path) from exc
        self._prefix = list(target_prefix or family.target_prefix) or None

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

    def decode(self, sentences: Sequence[str], n: int, attention: bool = True,
               first_step: bool = True) -> list[list[Alignment]]:
        """Up to ``n`` translations of each sentence, best first, each aligned with the source when ``attention``.

        One beam search (beam ``max(beam_size, n)``) gives the glossary ladder all three rungs. The first
        decoding step's attention comes from a one-step greedy pass (:meth:`_first_attention`); with
        ``first_step=False`` that pass is left to :meth:`first_sources`, for the sentences whose outcome
        depends on it, and each hypothesis names the spans its first piece's source may be
        (:attr:`Alignment.first_options`).
        """
        texts, results, spans = self._run(sentences, num_hypotheses=n, attention=attention)
        open_first = attention and self._first_step_is_wrong(results)
        first_rows = self._first_attention(sentences, results) if open_first and first_step else []
        decoded = []
        for i in range(len(sentences)):
            result = results[i]
            if result is None:
                decoded.append([Alignment("", (), ())])
                continue
            rows = result.attention if attention and result.attention else [[] for _ in result.hypotheses]
            if first_rows and first_rows[i] is not None:
                rows = [[first_rows[i], *hypothesis[1:]] if hypothesis else hypothesis for hypothesis in rows]
            options = tuple(dict.fromkeys([*spans[i], None])) if open_first and not first_step else ()
            decoded.append([self._aligned(text, list(tokens), rows[k] if k < len(rows) else [], spans[i], attention,
                                          options)
                            for k, (text, tokens) in enumerate(zip(texts[i], result.hypotheses))])
        return decoded

    def first_sources(self, sentences: Sequence[str]) -> dict[int, Span | None]:
        """The source span the first decoding step of each sentence attends to most, from a one-step greedy pass.

        Keyed by the sentence's index; a sentence the pass gives no attention for is left out (its
        hypotheses keep the beam search's own first step, as :meth:`decode` does).
        """
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return {}
        texts = [sentences[i] for i in todo]
        pieces = self.source_tokenizer.encode(texts, out_type=str)
        before_after = [(self.family.source_language(t), self.family.source_suffix) for t in texts]
        batch = [[*before, *own, *after] for own, (before, after) in zip(pieces, before_after)]
        rows = self._greedy_first_rows(batch)
        found: dict[int, Span | None] = {}
        for k, row in enumerate(rows):
            if row is None:
                continue
            before, after = before_after[k]
            spans = [None] * len(before) + list(piece_offsets(texts[k], pieces[k])) + [None] * len(after)
            best = max(range(len(row)), key=row.__getitem__) if row else -1
            found[todo[k]] = spans[best] if 0 <= best < len(spans) else None
        return found

    def source_tokens(self, sentences: Sequence[str]) -> list[list[str]]:
        """The tokens each sentence is given to the model as (language token, pieces, end token)."""
        pieces = self.source_tokenizer.encode(list(sentences), out_type=str)
        return [[*self.family.source_language(s), *p, *self.family.source_suffix] for s, p in zip(sentences, pieces)]

    # -- internals ----------------------------------------------------------------------

    def _aligned(self, text: str, tokens: list[str], attention: list, spans: list[Span | None],
                 aligned: bool, first_options: tuple[Span | None, ...] = ()) -> Alignment:
        if not aligned:
            return Alignment(text, (), ())
        target, sources = [], []
        skip = len(self._prefix) if self._prefix and tokens[:len(self._prefix)] == self._prefix else 0
        for step, token in enumerate(tokens):
            if step < skip:
                continue
            target.append(token.replace("▁", " "))
            row = attention[step] if step < len(attention) else []
            best = max(range(len(row)), key=row.__getitem__) if row else -1
            sources.append(spans[best] if 0 <= best < len(spans) else None)
        return Alignment(text, tuple(target), tuple(sources), first_options if target else ())

    def _first_step_is_wrong(self, results: list) -> bool:
        """Whether the beam search's first-step attention may be another sentence's (see :meth:`_first_attention`)."""
        return not self._prefix and sum(result is not None for result in results) >= 2

    def _first_attention(self, sentences: Sequence[str], results: list) -> list:
        """The attention of the first decoding step of each sentence, from a one-step greedy pass.

        CTranslate2's beam search over a batch (4.8.5, measured on the OPUS-MT fixture) returns the
        first step's attention of another sentence of the batch: the sentence at position ``i`` of a
        batch (in CTranslate2's own order) gets the row of position ``i // beam``, so half the rows are
        nowhere in the results. Later steps are right, and with a target prefix the first step is the
        prefix. The first step is the same for every hypothesis (the decoder has read only its start
        token), so one greedy step gives it — at the cost of running the encoder again.
        """
        todo = [i for i, result in enumerate(results) if result is not None]
        rows: list = [None] * len(sentences)
        if not self._first_step_is_wrong(results):
            return rows
        for i, row in zip(todo, self._greedy_first_rows(self.source_tokens([sentences[i] for i in todo]))):
            rows[i] = row
        return rows

    def _greedy_first_rows(self, batch: list[list[str]]) -> list:
        """The first step's attention row of each tokenized sentence (None where the pass gives none)."""
        self.first_steps += len(batch)
        try:
            first = self.translator.translate_batch(batch, max_batch_size=self.batch_size, batch_type="examples",
                                                    beam_size=1, max_decoding_length=1, return_attention=True)
        except RuntimeError as exc:
            raise EngineError(f"the model failed to translate ({exc})", path=self.path) from exc
        return [result.attention[0][0] if result.attention and result.attention[0] else None for result in first]

    def _run(self, sentences: Sequence[str], *, num_hypotheses: int, attention: bool = False):
        self.calls += 1
        self.sentences += len(sentences)
        out: list[list[str]] = [[""] for _ in sentences]
        raw: list = [None] * len(sentences)
        token_spans: list[list[Span | None]] = [[] for _ in sentences]
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return out, raw, token_spans
        texts = [sentences[i] for i in todo]
        pieces = self.source_tokenizer.encode(texts, out_type=str)
        tokens = []
        for k, (text, own) in enumerate(zip(texts, pieces)):
            before, after = self.family.source_language(text), self.family.source_suffix
            tokens.append([*before, *own, *after])
            if attention:
                # Language and end tokens cover no character of the sentence.
                token_spans[todo[k]] = [None] * len(before) + list(piece_offsets(text, own)) + [None] * len(after)
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
            raise EngineError(f"the model failed to translate ({exc})", path=self.path) from exc
        for k, result in zip(order, results):
            index = todo[k]
            raw[index] = result
            out[index] = [self._detokenize(h) for h in result.hypotheses]
        return out, raw, token_spans

    def _detokenize(self, tokens: list[str]) -> str:
        if self._prefix and tokens[:len(self._prefix)] == self._prefix:
            tokens = tokens[len(self._prefix):]
        return self.target_tokenizer.decode(tokens).replace("▁", " ").strip()
