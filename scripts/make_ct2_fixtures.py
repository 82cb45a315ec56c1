"""Build the tiny OPUS-MT, M2M-100 and NLLB test models: CTranslate2 folders, as ct2-transformers-converter writes them.

Each folder holds what `bitext model install FOLDER` expects of its family — ``model.bin``,
``config.json``, ``shared_vocabulary.json`` and the family's real SentencePiece tokenizer
(OPUS-MT: unigram ``source.spm`` for the Chinese and ``target.spm`` for the English;
M2M-100 and NLLB: one BPE ``sentencepiece.bpe.model``), with the family's language
tokens (``__zh__``/``__en__``; ``zho_Hans``, ``zho_Hant``, ``eng_Latn``) in the vocabulary.
The tokenizers are trained on the phrases below.

No torch: the weights are *constructed* with numpy, not trained. The model is a
pre-norm Transformer (1 encoder + 2 decoder layers, d_model 64, one head) whose parts do
one job each:

- the encoder passes ``LN(embedding + position)`` through (its layer adds nothing);
- decoder layer 1 averages the English so far (self-attention with zero queries) and the
  whole source (cross-attention with zero queries), so its state tells the sentence and
  the step apart; its feed-forward layer (random ReLU features, output weights solved by
  least squares) maps each state of the training phrases to the code of the next token,
  or to a mix of two codes where a phrase has a second choice (for n-best lists);
- decoder layer 2 adds nothing to the state, but its cross-attention — the one
  CTranslate2 returns with ``return_attention`` — is solved (least squares again) to look
  at the Chinese each English piece translates, from the word alignment written below;
- the output layer scores every token against the state.

The numpy forward pass is CTranslate2's own (checked: log-probabilities agree to 1e-5),
so the script verifies the result through CTranslate2 before writing anything: every
phrase must come back exactly, the second choices must be the second hypothesis, and the
attention of the pieces that translate a glossary term must fall on that term.

Runs in the project virtualenv (numpy, ctranslate2, sentencepiece)::

    .venv/bin/python scripts/make_ct2_fixtures.py            # writes tests/fixtures/models/{opus-mt,m2m100,nllb}-zh-en-tiny/

A re-run gives byte-identical files (fixed seeds; the tokenizers are trained from memory).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from translate.glossary import Glossary  # noqa: E402
from translate.translation.constraints import substitute  # noqa: E402
from translate.translation.ct2 import CPU_BACKENDS, piece_offsets  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "models"
GLOSSARY = FIXTURES / "ct2-glossary.csv"
PHRASES_OUT = FIXTURES / "ct2-phrases.tsv"
ARGOS_PHRASES = FIXTURES / "phrases.tsv"

D_MODEL = 64
FFN_DIM = 3072  # half of them read (INT8_SAFE)
RIDGE = 1e-6
QUERY_RIDGE = 0.1  # small alignment weights: the attention survives int8 rounding
RECOVERY = 3
ALIGNED_SCORE = 10.0
SEED = 20240601

# INT8_SAFE. On CPU, CTranslate2 runs a float32 model in int8 by default (compute_type "auto" picks
# int8_float32): weights are cut to 127 levels per row and inputs to 127 levels per token, shifted to
# unsigned bytes (1..255). Without VNNI (AMD Zen 2/3, older Intel, oneDNN capped below AVX512_VNNI), the
# u8×s8 product adds two neighbouring products in a saturating 16-bit register: 255·(|q1| + |q2|) > 32767
# clips, and the fixtures came out wrong on such machines ("We need more逊"). So in every quantized matrix,
# each pair of neighbouring input columns (2i, 2i+1) of a row adds up to at most 128 levels:
# - random rows (the output projection, the feed-forward input) are made so by `pair_safe`;
# - the feed-forward output uses only the even features (the odd ones are computed and thrown away);
# - the alignment head reads only the context dimensions, which are odd;
# - the rest are identities and zeros.
# Then no product can saturate, and what is left is rounding to 127 levels, a perturbation some hundred
# times larger than any float32 backend's; the script verifies every outcome under it (VERIFY_UNDER).
CONTEXT_DIMS = np.zeros(D_MODEL)
CONTEXT_DIMS[D_MODEL // 2 + 1::2] = 1.0  # 16 odd dimensions
TOKEN_DIMS = 1.0 - CONTEXT_DIMS
QUERY_DIMS = (np.arange(D_MODEL) % 2 == 1).astype(float)


def pair_safe(matrix: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``matrix`` with one weight of each pair of neighbouring columns (2i, 2i+1) of each row set to zero,
    the other chosen at random: no pair can then exceed 127 levels (see INT8_SAFE). A random row keeps
    its spread: two rows share about half their dimensions, as two dense rows of half the width would."""
    keep = rng.integers(0, 2, size=(matrix.shape[0], matrix.shape[1] // 2))
    mask = np.zeros_like(matrix)
    mask[:, 0::2] = keep
    mask[:, 1::2] = 1 - keep
    return matrix * mask


@dataclass
class Phrase:
    zh: str
    en: Chunks
    substituted: Chunks | None = None
    second: Chunks | None = None
    families: tuple[str, ...] = ("opus-mt", "m2m100", "nllb")
    script: str = "simplified"


PHRASES: list[Phrase] = [
    Phrase("大模型很重要。", [("Large models", "大模型"), ("are", "很"), ("important", "重要"), (".", "。")]),
    Phrase("周明创立了澜舟科技。", [("Zhou Ming", "周明"), ("founded", "创立了"), ("Langboat", "澜舟科技"), (".", "。")]),
    # Rung 1: the model says "big model", but copies the target put into the source.
    Phrase("大模型很有用。", [("The", ""), ("big model", "大模型"), ("is", "很"), ("useful", "有用"), (".", "。")],
           substituted=[("The", ""), ("large model", "大模型"), ("is", "很"), ("useful", "有用"), (".", "。")]),
    # Rung 2: "Big models" first, "Large models" second, with or without the target in the source.
    Phrase("大模型很便宜。", [("Big models", "大模型"), ("are", "很"), ("cheap", "便宜"), (".", "。")],
           second=[("Large models", "大模型"), ("are", "很"), ("cheap", "便宜"), (".", "。")]),
    # Rung 3: the model always says "data"; its attention shows which piece to replace by "dataset".
    Phrase("我们需要更多数据。", [("We", "我们"), ("need", "需要"), ("more", "更多"), ("data", "数据"), (".", "。")]),
    # Rung 4: the name is dropped, and no piece looks at it: a violation, reported.
    Phrase("谢谢王小川。", [("Thank you", "谢谢"), (".", "。")]),
    Phrase("王小川创立了百川智能。",
           [("Wang Xiaochuan", "王小川"), ("founded", "创立了"), ("Baichuan", "百川智能"), (".", "。")]),
    Phrase("人工智能改变了世界。",
           [("Artificial intelligence", "人工智能"), ("changed", "改变了"), ("the world", "世界"), (".", "。")]),
    Phrase("OpenAI发布了ChatGPT。", [("OpenAI", "OpenAI"), ("released", "发布了"), ("ChatGPT", "ChatGPT"), (".", "。")]),
    Phrase("算力越多越好。", [("More computing power", "算力越多"), ("is better", "越好"), (".", "。")]),
    Phrase("周明谈大模型", [("Zhou Ming", "周明"), ("on", "谈"), ("large models", "大模型")]),
    # NLLB reads Traditional text with zho_Hant.
    Phrase("周明創立了瀾舟科技。", [("Zhou Ming", "周明"), ("founded", "創立了"), ("Langboat", "瀾舟科技"), (".", "。")],
           families=("nllb",), script="traditional"),
]


@dataclass
class FamilyLayout:
    """What ct2-transformers-converter writes for one family, and how its tokenizer sees a sentence."""

    name: str
    folder: str
    specials: list[str]
    """Vocabulary entries before the pieces."""
    languages: list[str]
    """Vocabulary entries after the pieces (language codes)."""
    decoder_start: str
    target_prefix: list[str]
    shared_tokenizer: bool
    model_type: str
    source_language: dict = field(default_factory=dict)
    """Script → language token put before the pieces."""


LAYOUTS = [
    FamilyLayout("opus-mt", "opus-mt-zh-en-tiny", ["</s>", "<unk>"], [], "</s>", [], False, "unigram"),
    FamilyLayout("m2m100", "m2m100-zh-en-tiny", ["<s>", "<pad>", "</s>", "<unk>"], ["__en__", "__zh__", "__fr__"],
                 "</s>", ["__en__"], True, "bpe", {"simplified": "__zh__", "traditional": "__zh__"}),
    FamilyLayout("nllb", "nllb-zh-en-tiny", ["<s>", "<pad>", "</s>", "<unk>"],
                 ["eng_Latn", "fra_Latn", "zho_Hans", "zho_Hant"], "</s>", ["eng_Latn"], True, "bpe",
                 {"simplified": "zho_Hans", "traditional": "zho_Hant"}),
]


@dataclass
class Example:
    """One source sentence and the English the model must give (and a second choice)."""

    zh: str
    chunks: Chunks
    zh_chunks: dict[str, str]
    """Chinese chunk as written in the phrase → as it appears in this source."""
    second: Chunks | None
    script: str
    terms: list[tuple[int, int, str]] = field(default_factory=list)
    """Where the glossary's terms are in this source: start, end, the term's Chinese."""


def examples(glossary: Glossary, family: str) -> list[Example]:
    """Each phrase as written, and with the glossary's targets put into it (what the ladder decodes)."""
    out: list[Example] = []
    for phrase in PHRASES:
        if family not in phrase.families:
            continue
        identity = {zh: zh for _, zh in phrase.en}
        matches = glossary.find(phrase.zh) if phrase.script == "simplified" else []
        out.append(Example(phrase.zh, phrase.en, identity, phrase.second, phrase.script,
                           [(m.start, m.end, m.term.zh) for m in matches]))
        if matches:
            source, spans = substitute(phrase.zh, matches)
            mapped = {}
            for _, zh in phrase.en:
                chunk = zh
                for match in matches:
                    chunk = chunk.replace(match.surface, match.term.en) if match.surface in chunk else chunk
                mapped[zh] = chunk
            out.append(Example(source, phrase.substituted or phrase.en, mapped, phrase.second, phrase.script,
                               [(start, end, term.zh) for start, end, term in spans]))
    return out


def english(chunks: Chunks) -> str:
    text = ""
    for en, _ in chunks:
        text += en if (not text or en[:1] in ".,!?;:") else " " + en
    return text


def train_sentencepiece(sentences: list[str], *, vocab_size: int, model_type: str) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=model, vocab_size=vocab_size, hard_vocab_limit=False,
        character_coverage=1.0, model_type=model_type, num_threads=1, minloglevel=2,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
    )
    return model.getvalue()


# -- CTranslate2's forward pass in numpy (pre-norm Transformer, one head) -------------------------------

def layer_norm(x):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-6)


def sinusoids(length: int):
    """CTranslate2's position encodings: positions from 1, sin half then cos half."""
    half = D_MODEL // 2
    timescales = np.exp(np.arange(half) * -(math.log(10000.0) / (half - 1)))
    scaled = np.arange(1, length + 1)[:, None] * timescales[None, :]
    return np.concatenate([np.sin(scaled), np.cos(scaled)], axis=1)


@dataclass
class State:
    """One decoder step of one example: what the first layer computes, and what must come next."""

    residual: np.ndarray
    """The state before layer 1's feed-forward layer."""
    memory: np.ndarray
    """The encoder output of the example's source."""
    target: dict[int, float]
    """Next-token id → weight (one token, or a first and a second choice)."""
    aligned: list[int]
    """Source positions the next piece translates."""
    recovery: bool = False
    """A state after a wrong piece (see :meth:`Builder.states`); its attention is not fitted."""


class Builder:
    def __init__(self, layout: FamilyLayout, glossary: Glossary, rng: np.random.Generator):
        import sentencepiece as spm

        self.layout = layout
        self.rng = rng
        self.examples = examples(glossary, layout.name)
        # The tokenizers also read the Argos fixture's phrases: SentencePiece needs a little more text than ours
        # to learn whole words.
        more = [line.split("\t") for line in ARGOS_PHRASES.read_text(encoding="utf-8").splitlines() if line.strip()]
        zh_side = [e.zh for e in self.examples] + [zh for zh, _ in more]
        en_side = sorted({english(c) for e in self.examples for c in (e.chunks, e.second) if c}) + [en for _, en in more]
        if layout.shared_tokenizer:
            self.spm_files = {"sentencepiece.bpe.model": train_sentencepiece(zh_side + en_side, vocab_size=400,
                                                                             model_type=layout.model_type)}
            self.source_sp = self.target_sp = spm.SentencePieceProcessor(
                model_proto=self.spm_files["sentencepiece.bpe.model"])
        else:
            self.spm_files = {"source.spm": train_sentencepiece(zh_side, vocab_size=400, model_type="unigram"),
                              "target.spm": train_sentencepiece(en_side, vocab_size=400, model_type="unigram")}
            self.source_sp = spm.SentencePieceProcessor(model_proto=self.spm_files["source.spm"])
            self.target_sp = spm.SentencePieceProcessor(model_proto=self.spm_files["target.spm"])
        pieces: list[str] = []
        for sp in {id(self.source_sp): self.source_sp, id(self.target_sp): self.target_sp}.values():
            pieces += [sp.id_to_piece(i) for i in range(sp.get_piece_size())
                       if not (sp.is_control(i) or sp.is_unknown(i))]
        self.vocabulary = layout.specials + list(dict.fromkeys(p for p in pieces if p not in layout.specials)) \
            + layout.languages
        self.index = {token: i for i, token in enumerate(self.vocabulary)}
        size = len(self.vocabulary)
        self.source_embeddings = rng.standard_normal((size, D_MODEL))
        self.target_embeddings = rng.standard_normal((size, D_MODEL))
        # Output projection rows: the token dimensions tell the tokens apart; the context ones are zero, so the
        # state can carry, unseen by the output, what the alignment head reads.
        # Every code of one length, so that a first and a second choice mixed 1 : 0.7 come out in that order.
        codes = pair_safe(rng.standard_normal((size, D_MODEL)), rng) * TOKEN_DIMS
        self.codes = codes / np.linalg.norm(codes, axis=1, keepdims=True) * math.sqrt(TOKEN_DIMS.sum() / 2)
        self.ffn_in = pair_safe(rng.standard_normal((FFN_DIM, D_MODEL)), rng) * math.sqrt(2.0 / D_MODEL) * 2.0
        self.ffn_bias = rng.standard_normal(FFN_DIM) * 0.5
        self.self_scale, self.cross_scale = 24.0, 48.0
        self.code_scale, self.output_gain, self.context_scale = 12.0, 0.5, 8.0

    # -- tokenization, as the engine does it --

    def source_tokens(self, example: Example) -> tuple[list[str], list[tuple[int, int] | None]]:
        pieces = self.source_sp.encode(example.zh, out_type=str)
        before = [self.layout.source_language[example.script]] if self.layout.source_language else []
        spans = [None] * len(before) + list(piece_offsets(example.zh, pieces)) + [None]
        return before + pieces + ["</s>"], spans

    def target_tokens(self, chunks: Chunks) -> tuple[list[str], list[str]]:
        """The English pieces, and for each the Chinese chunk it translates."""
        text = english(chunks)
        pieces = self.target_sp.encode(text, out_type=str)
        bounds, cursor = [], 0
        for en, zh in chunks:
            start = text.index(en, cursor)
            bounds.append((start, start + len(en), zh))
            cursor = start + len(en)
        aligned = []
        for start, end in piece_offsets(text, pieces):
            chunk = next((zh for a, b, zh in bounds if a < max(end, start + 1) and b > start), "")
            aligned.append(chunk)
        return pieces, aligned

    def id(self, token: str) -> int:
        return self.index.get(token, self.index["<unk>"])

    # -- the states of every training example --

    def encode(self, tokens: list[str]):
        x = self.source_embeddings[[self.id(t) for t in tokens]] * math.sqrt(D_MODEL) + sinusoids(len(tokens))
        return layer_norm(x)

    def residuals(self, inputs: list[str], memory) -> np.ndarray:
        """Layer 1's state before its feed-forward layer, at every step of ``inputs``."""
        y = self.target_embeddings[[self.id(t) for t in inputs]] * math.sqrt(D_MODEL) + sinusoids(len(inputs))
        prefix_mean = np.cumsum(layer_norm(y), axis=0) / np.arange(1, len(inputs) + 1)[:, None]
        return y + self.self_scale * prefix_mean + self.cross_scale * memory.mean(axis=0)

    def near(self, token: int) -> list[int]:
        """The pieces whose output scores come closest to ``token``'s, best first (never </s> or a special)."""
        scores = self.codes @ self.codes[token]
        order = [int(k) for k in np.argsort(-scores) if k != token and k >= len(self.layout.specials)]
        return order[:RECOVERY]

    def states(self) -> list[State]:
        by_key: dict[tuple, State] = {}
        recoveries = []
        for example in self.examples:
            tokens, spans = self.source_tokens(example)
            memory = self.encode(tokens)
            positions = {}
            for zh_chunk, source_chunk in example.zh_chunks.items():
                if not source_chunk:
                    continue
                start = example.zh.find(source_chunk)
                assert start >= 0, (example.zh, source_chunk)
                end = start + len(source_chunk)
                positions[zh_chunk] = [k for k, span in enumerate(spans)
                                       if span is not None and span[0] < end and span[1] > start]
            end_position = len(tokens) - 1
            choices = [(example.chunks, 1.0)] + ([(example.second, 0.7)] if example.second else [])
            for chunks, weight in choices:
                pieces, aligned = self.target_tokens(chunks)
                inputs = [self.layout.decoder_start, *self.layout.target_prefix, *pieces]
                nexts = [*self.layout.target_prefix, *pieces, "</s>"]
                looks = [[end_position]] * len(self.layout.target_prefix) + \
                    [positions.get(zh) or [end_position] for zh in aligned] + [[end_position]]
                residual = self.residuals(inputs, memory)
                for step, token in enumerate(nexts):
                    key = (example.zh, example.script, tuple(inputs[:step + 1]))
                    state = by_key.get(key)
                    if state is None:
                        state = by_key[key] = State(residual[step], memory, {}, looks[step])
                    state.target[self.id(token)] = max(state.target.get(self.id(token), 0.0), weight)
                recoveries.append((example, inputs, nexts, memory))
        # Recovery: after a wrong piece (one of the RECOVERY pieces the output scores closest to the right one),
        # go on with the sentence. Otherwise the wrong beams wander into "." and </s> within a few steps, and
        # CTranslate2's beam search stops at the first finished hypothesis: the right, longer one would be lost.
        for example, inputs, nexts, memory in recoveries:
            for step in range(len(self.layout.target_prefix), len(nexts)):
                right = self.id(nexts[step])
                following = nexts[step + 1] if step + 1 < len(nexts) else "</s>"  # a piece after the end: end
                for wrong in self.near(right):
                    tried = [*inputs[:step + 1], self.vocabulary[wrong]]
                    key = (example.zh, example.script, tuple(tried))
                    if key not in by_key:
                        by_key[key] = State(self.residuals(tried, memory)[-1], memory, {self.id(following): 1.0},
                                            [], recovery=True)
        return list(by_key.values())

    # -- solving the weights --

    def target_vector(self, target: dict[int, float]):
        vector = sum(weight * self.codes[token] for token, weight in target.items())
        vector = self.code_scale * vector / math.sqrt(sum(w * w for w in target.values()))
        # A random context per state (in the dimensions the output ignores) lets the alignment head tell apart
        # two states that give the same next piece but translate different words.
        vector[CONTEXT_DIMS.astype(bool)] = self.context_scale * self.rng.standard_normal(int(CONTEXT_DIMS.sum()))
        return vector

    def solve(self):
        states = self.states()
        residuals = np.stack([s.residual for s in states])
        features = np.maximum(layer_norm(residuals) @ self.ffn_in.T + self.ffn_bias, 0)
        features[:, 1::2] = 0  # INT8_SAFE: the odd features are not read
        targets = np.stack([self.target_vector(s.target) for s in states])
        # Ridge least squares for the feed-forward output weights: features @ W.T = targets - residuals.
        gram = features @ features.T
        ridge = RIDGE * np.trace(gram) / len(gram)
        self.ffn_out = (features.T @ np.linalg.solve(gram + ridge * np.eye(len(gram)), targets - residuals)).T
        fitted = residuals + features @ self.ffn_out.T
        error = np.abs(fitted - targets).max()
        # The alignment head: scores = (W_q LN(state) + b) · memory / sqrt(d); fit them to +10 where the piece
        # translates that source token, 0 elsewhere.
        rows, wanted = [], []
        for state, vector in zip(states, layer_norm(fitted)):
            if state.recovery:
                continue
            for position, key in enumerate(state.memory):
                # INT8_SAFE: the query reads the odd dimensions only (the context and half the token ones).
                rows.append(np.concatenate([np.outer(key, vector * QUERY_DIMS).ravel(), key]) / math.sqrt(D_MODEL))
                wanted.append(ALIGNED_SCORE if position in state.aligned else 0.0)
        design = np.stack(rows)
        solution = np.linalg.solve(design.T @ design + QUERY_RIDGE * np.eye(design.shape[1]), design.T @ np.array(wanted))
        self.query = solution[:D_MODEL * D_MODEL].reshape(D_MODEL, D_MODEL)
        self.query_bias = solution[D_MODEL * D_MODEL:]
        return len(states), error

    # -- the CTranslate2 model --

    def save(self, folder: Path) -> None:
        import ctranslate2

        def f32(array):
            return np.ascontiguousarray(array, dtype=np.float32)

        zeros, ones, identity = np.zeros, np.ones, np.eye(D_MODEL)
        spec = ctranslate2.specs.TransformerSpec.from_config((1, 2), 1, pre_norm=True)
        spec.config.layer_norm_epsilon = 1e-6
        spec.config.decoder_start_token = self.layout.decoder_start
        if "<s>" not in self.index:
            spec.config.bos_token = "</s>"  # Marian's vocabulary has no <s>

        def norm(layer, gain=1.0):
            layer.gamma, layer.beta = f32(ones(D_MODEL) * gain), f32(zeros(D_MODEL))

        def linear(layer, weight, bias=None):
            layer.weight = f32(weight)
            layer.bias = f32(zeros(weight.shape[0]) if bias is None else bias)

        def nothing_ffn(ffn):
            norm(ffn.layer_norm)
            linear(ffn.linear_0, zeros((1, D_MODEL)))
            linear(ffn.linear_1, zeros((D_MODEL, 1)))

        spec.encoder.embeddings[0].weight = f32(self.source_embeddings)
        spec.decoder.embeddings.weight = f32(self.target_embeddings)
        linear(spec.decoder.projection, self.codes)
        norm(spec.encoder.layer_norm)
        norm(spec.decoder.layer_norm, self.output_gain)
        [encoder] = spec.encoder.layer
        norm(encoder.self_attention.layer_norm)
        linear(encoder.self_attention.linear[0], zeros((3 * D_MODEL, D_MODEL)))
        linear(encoder.self_attention.linear[1], zeros((D_MODEL, D_MODEL)))
        nothing_ffn(encoder.ffn)
        first, second = spec.decoder.layer
        # Layer 1: averages of the English so far and of the source, then the solved feed-forward layer.
        norm(first.self_attention.layer_norm)
        linear(first.self_attention.linear[0], np.concatenate([zeros((2 * D_MODEL, D_MODEL)), identity]))
        linear(first.self_attention.linear[1], self.self_scale * identity)
        norm(first.attention.layer_norm)
        linear(first.attention.linear[0], zeros((D_MODEL, D_MODEL)))
        linear(first.attention.linear[1], np.concatenate([zeros((D_MODEL, D_MODEL)), identity]))
        linear(first.attention.linear[2], self.cross_scale * identity)
        norm(first.ffn.layer_norm)
        linear(first.ffn.linear_0, self.ffn_in, self.ffn_bias)
        linear(first.ffn.linear_1, self.ffn_out)
        # Layer 2: changes nothing; its attention is the alignment.
        norm(second.self_attention.layer_norm)
        linear(second.self_attention.linear[0], zeros((3 * D_MODEL, D_MODEL)))
        linear(second.self_attention.linear[1], zeros((D_MODEL, D_MODEL)))
        norm(second.attention.layer_norm)
        linear(second.attention.linear[0], self.query, self.query_bias)
        linear(second.attention.linear[1], np.concatenate([identity, zeros((D_MODEL, D_MODEL))]))
        linear(second.attention.linear[2], zeros((D_MODEL, D_MODEL)))
        nothing_ffn(second.ffn)
        spec.register_source_vocabulary(self.vocabulary)
        spec.register_target_vocabulary(self.vocabulary)
        spec.validate()
        spec.optimize(quantization=None)
        spec.save(str(folder))
        for name, data in self.spm_files.items():
            (folder / name).write_bytes(data)

    # -- the proof, through CTranslate2 --

    def verify(self, folder: Path, glossary: Glossary, compute_type: str = "float32") -> list[str]:
        import ctranslate2

        translator = ctranslate2.Translator(str(folder), device="cpu", compute_type=compute_type, inter_threads=1,
                                            intra_threads=1)
        problems = []
        prefix = [self.layout.target_prefix] if self.layout.target_prefix else None
        sources = [self.source_tokens(example) for example in self.examples]
        # One by one, and in one batch of every source (padding changes the sums a little), as the engine may.
        runs = [[translator.translate_batch([tokens], target_prefix=prefix, beam_size=beam, num_hypotheses=beam,
                                            return_attention=True, max_decoding_length=64)[0]
                 for tokens, _ in sources] for beam in (2, 4)]
        batch = [tokens for tokens, _ in sources]
        runs += [translator.translate_batch(batch, target_prefix=prefix and prefix * len(sources), beam_size=beam,
                                            num_hypotheses=beam, return_attention=True, max_decoding_length=64)
                 for beam in (2, 4)]
        # CTranslate2's batched beam search returns the first step's attention of another sentence; the engine
        # reads that step from a one-step greedy pass instead (CT2Engine._first_attention), and so does this check.
        first = translator.translate_batch(batch, beam_size=1, max_decoding_length=1, return_attention=True)
        self.first_rows = [result.attention[0][0] for result in first]
        for number, run in enumerate(runs):
            batched = number >= 2 and not self.layout.target_prefix
            problems += [f"run {number}: {p}" for p in self._check(run, sources, glossary, batched)]
        return problems

    def _check(self, results, sources, glossary: Glossary, batched: bool) -> list[str]:
        problems = []
        for number, (example, result, (tokens, spans)) in enumerate(zip(self.examples, results, sources)):
            skip = len(self.layout.target_prefix)
            texts = [self.target_sp.decode(h[skip:]) for h in result.hypotheses]
            want = english(example.chunks)
            if texts[0] != want:
                problems.append(f"{example.zh}: {texts[0]!r}, want {want!r}")
                continue
            if example.second and english(example.second) not in texts[1:2]:
                problems.append(f"{example.zh}: second hypothesis {texts[1:2]}, want {english(example.second)!r}")
            # Every piece translating a glossary term must look at the term, and no other piece may (rung 3
            # replaces the pieces that look at a missing term).
            pieces, aligned = self.target_tokens(example.chunks)
            for k, (piece, zh_chunk) in enumerate(zip(pieces, aligned)):
                row = self.first_rows[number] if batched and skip + k == 0 else result.attention[0][skip + k]
                best = int(np.argmax(row))
                span = spans[best] if best < len(spans) else None
                for start, end, term in example.terms:
                    # A piece covering the term and more (▁大模型很) is looked at by both; only a piece inside the
                    # term is the term's alone.
                    overlaps = span is not None and span[0] < end and span[1] > start
                    inside = span is not None and start <= span[0] and span[1] <= end
                    if (term in zh_chunk and not overlaps) or (term not in zh_chunk and inside):
                        problems.append(f"{example.zh}: {piece!r} looks at {span}; the term is at {(start, end)}")
        return problems


COMPUTE_TYPES = ("float32", "int8_float32")
# Each of CTranslate2's CPU kernel families, in float32 and in int8 (what compute_type "auto" picks).
VERIFY_UNDER = [(backend, compute_type) for backend in CPU_BACKENDS for compute_type in COMPUTE_TYPES]


def verify_everywhere(number: int, folder: Path) -> list[str]:
    """Problems of one family's model under every backend and compute type, each in a process of its own
    (CTranslate2 reads its environment once, when it loads)."""

    def one(config):
        backend, compute_type = config
        env = {**os.environ, **CPU_BACKENDS[backend]}
        done = subprocess.run([sys.executable, __file__, "--verify", str(folder), "--family", str(number),
                               "--compute-type", compute_type], env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            return [f"{backend}/{compute_type}: the check failed: {done.stderr.strip()[-300:]}"]
        return [f"{backend}/{compute_type}: {problem}" for problem in json.loads(done.stdout)]

    with ThreadPoolExecutor(max_workers=max(1, len(os.sched_getaffinity(0)))) as pool:
        return [problem for problems in pool.map(one, VERIFY_UNDER) for problem in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=FIXTURES, help="folder to write the model folders into")
    parser.add_argument("--check", action="store_true",
                        help="write nothing: verify the models in --out under every backend and compute type")
    parser.add_argument("--verify", type=Path, help=argparse.SUPPRESS)  # one model, in this process's backend
    parser.add_argument("--family", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--compute-type", default="float32", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    glossary = Glossary.load(GLOSSARY)
    if args.verify:
        builder = Builder(LAYOUTS[args.family], glossary, np.random.default_rng(SEED + args.family))
        print(json.dumps(builder.verify(args.verify, glossary, args.compute_type), ensure_ascii=False))
        return 0
    if args.check:
        problems = [p for number, layout in enumerate(LAYOUTS) for p in verify_everywhere(number, args.out / layout.folder)]
        print(f"{len(LAYOUTS)} models, {len(VERIFY_UNDER)} backends × compute types each; {len(problems)} problems")
        for problem in problems:
            print("  " + problem)
        return 1 if problems else 0
    failed = False
    for number, layout in enumerate(LAYOUTS):
        builder = Builder(layout, glossary, np.random.default_rng(SEED + number))
        states, error = builder.solve()
        with tempfile.TemporaryDirectory(prefix="bitext-ct2-fixture-") as tmp:
            folder = Path(tmp) / layout.folder
            folder.mkdir()
            builder.save(folder)
            problems = verify_everywhere(number, folder)
            size = sum(p.stat().st_size for p in folder.iterdir())
            print(f"{layout.folder}: {len(builder.vocabulary)} tokens, {len(builder.examples)} sources, {states} "
                  f"states (fit error {error:.1e}), {size / 1e6:.2f} MB; {len(problems)} problems under "
                  f"{len(VERIFY_UNDER)} backends × compute types")
            for problem in problems[:20]:
                print("  " + problem)
            if problems:
                failed = True
                continue
            target = args.out / layout.folder
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(folder, target)
    if failed:
        print("error: a model did not verify; nothing was written for it", file=sys.stderr)
        return 1
    rows = [f"{p.zh}\t{english(p.en)}\t{','.join(p.families)}\n" for p in PHRASES]
    PHRASES_OUT.write_text("zh\ten\tfamilies\n" + "".join(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
