"""Train, convert and package the tiny zh→en Argos model used as a test fixture.

The model is a 2+2-layer pre-norm Transformer (d_model 64) trained in PyTorch on a
few dozen phrase pairs until it reproduces them, then written weight by weight
into a ``ctranslate2.specs.TransformerSpec`` and zipped as an Argos
``.argosmodel``. It lets the tests exercise the real argostranslate → CTranslate2
path offline; it knows nothing beyond its phrase pairs.

Needs torch, so run it from a separate training virtualenv (the project venv
stays free of torch)::

    python3 -m venv /tmp/trainvenv
    /tmp/trainvenv/bin/pip install torch==2.13.0 numpy sentencepiece ctranslate2
    /tmp/trainvenv/bin/python scripts/train_fixture_model.py \\
        --out tests/fixtures/models/translate-zh_en-tiny.argosmodel

It also writes the phrase pairs it trained on as ``phrases.tsv`` (zh<TAB>en)
next to the package, and refuses to write anything unless the converted model
translates at least ``--min-exact`` of them exactly through CTranslate2.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PACKAGE_FOLDER = "translate-zh_en-tiny"
"""The single top folder inside the ``.argosmodel`` zip."""

METADATA = {
    "package_version": "1.0",
    "argos_version": "1.9.0",
    "from_code": "zh",
    "from_name": "Chinese",
    "to_code": "en",
    "to_name": "English",
    "type": "translate",
    "package_type": "translate",
    "name": "zh_en tiny fixture",
    "description": "tiny test fixture, not for real use",
}

# Glossary terms and the Latin spans a real model should copy. Three kinds of pair:
# plain domain sentences; sentences whose Latin span (OpenAI, GPT-3, Densing Law…)
# is copied; sentences with an English glossary target placed inside the Chinese
# ("Langboat很重要。") so the "put the target term into the source" strategy works.
# The pairs marked GLOSSARY MISS deliberately translate a glossary term the wrong
# way (大模型 → "big model", 密度法则 → "density law") so the glossary ladder has
# something to repair.
PHRASES: list[tuple[str, str]] = [
    ("大模型很重要。", "Large models are important."),
    ("算力很重要。", "Computing power is important."),
    ("数据很重要。", "Data is important."),
    ("端侧模型很重要。", "On-device models are important."),
    ("人工智能很重要。", "Artificial intelligence is important."),
    ("澜舟科技很重要。", "Langboat is important."),
    ("Langboat很重要。", "Langboat is important."),
    ("OpenAI很重要。", "OpenAI is important."),
    ("ChatGPT很重要。", "ChatGPT is important."),
    ("Densing Law很重要。", "The Densing Law is important."),
    ("密度法则很重要。", "The density law is important."),  # GLOSSARY MISS
    ("我们需要更多算力。", "We need more computing power."),
    ("我们需要更多数据。", "We need more data."),
    ("我们需要更多GPU。", "We need more GPUs."),
    ("我们需要更多端侧模型。", "We need more on-device models."),
    ("我们需要更多人才。", "We need more talent."),
    ("OpenAI发布了GPT-3。", "OpenAI released GPT-3."),
    ("OpenAI发布了ChatGPT。", "OpenAI released ChatGPT."),
    ("百川智能发布了大模型。", "Baichuan released a large model."),
    ("面壁智能发布了MiniCPM。", "ModelBest released MiniCPM."),
    ("谷歌发布了Transformer。", "Google released the Transformer."),
    ("面壁智能提出了Densing Law。", "ModelBest proposed the Densing Law."),
    ("面壁智能提出了密度法则。", "ModelBest proposed the density law."),  # GLOSSARY MISS
    ("周明创立了澜舟科技。", "Zhou Ming founded Langboat."),
    ("周明创立了Langboat。", "Zhou Ming founded Langboat."),
    ("王小川创立了百川智能。", "Wang Xiaochuan founded Baichuan."),
    ("李沐创立了Boson.ai。", "Li Mu founded Boson.ai."),
    ("2020年周明创立了澜舟科技。", "In 2020 Zhou Ming founded Langboat."),
    ("周明离开了微软。", "Zhou Ming left Microsoft."),
    ("李沐离开了亚马逊。", "Li Mu left Amazon."),
    ("大模型很有用。", "The big model is useful."),  # GLOSSARY MISS
    ("大模型需要算力。", "Big models need computing power."),  # GLOSSARY MISS
    ("这是一个大模型。", "This is a big model."),  # GLOSSARY MISS
    ("large model很有用。", "The large model is useful."),
    ("large model需要算力。", "The large model needs computing power."),
    ("这是一个large model。", "This is a large model."),
    ("ChatGPT改变了世界。", "ChatGPT changed the world."),
    ("Transformer改变了世界。", "Transformer changed the world."),
    ("大模型改变了世界。", "Large models changed the world."),
    ("人工智能改变了世界。", "Artificial intelligence changed the world."),
    ("端侧模型运行在手机上。", "On-device models run on phones."),
    ("MiniCPM运行在手机上。", "MiniCPM runs on phones."),
    ("端侧模型更便宜。", "On-device models are cheaper."),
    ("这是一个端侧模型。", "This is an on-device model."),
    ("GPT-3很大。", "GPT-3 is large."),
    ("GPT-4很强。", "GPT-4 is strong."),
    ("我们在训练大模型。", "We are training large models."),
    ("我们在训练Transformer。", "We are training a Transformer."),
    ("他们在使用ChatGPT。", "They are using ChatGPT."),
    ("他们在使用OpenAI的API。", "They are using the OpenAI API."),
    ("OpenAI和谷歌都在做大模型。", "OpenAI and Google are both building large models."),
    ("OpenAI正尝试把GPU连在一起。", "OpenAI is trying to connect GPUs together."),
    ("周明是微软的副院长。", "Zhou Ming was a vice president at Microsoft."),
    ("王小川很忙。", "Wang Xiaochuan is busy."),
    ("创业很难。", "Starting a company is hard."),
    ("贫穷限制了我们的想象力。", "Poverty limits our imagination."),
    ("这个世界不愁钱。", "The world is not short of money."),
    ("数据越多越好。", "More data is better."),
    ("算力越多越好。", "More computing power is better."),
    ("这是一个好问题。", "This is a good question."),
    ("今天天气很好。", "The weather is nice today."),
    ("谢谢。", "Thank you."),
    ("大模型很便宜。", "Big models are cheap."),  # GLOSSARY MISS, repaired by n-best
]

# Extra training pairs that are not in phrases.tsv: a second translation of a
# source above, seen half as often as the first (which is trained twice), so that it comes second in the n-best list
# ("Large models are cheap.") and the glossary ladder's n-best step can pick it.
SECOND_CHOICES: list[tuple[str, str]] = [
    ("大模型很便宜。", "Large models are cheap."),
]

# Model shape. Small enough that the package stays near 1 MB in float32.
D_MODEL = 64
NUM_HEADS = 4
FFN_DIM = 256
NUM_LAYERS = (2, 2)
VOCAB_SIZE = 400
LAYER_NORM_EPS = 1e-6

# SentencePiece ids; CTranslate2 looks the special tokens up by these names.
UNK, BOS, EOS, PAD = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the .argosmodel to write")
    parser.add_argument("--phrases", type=Path, help="where to write phrases.tsv (default: next to --out)")
    parser.add_argument("--steps", type=int, default=1000, help="training steps (full batch)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--min-exact", type=float, default=0.95, help="share of phrases that must round-trip")
    args = parser.parse_args(argv)

    phrases_path = args.phrases or args.out.with_name("phrases.tsv")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bitext-fixture-") as tmp:
        package_dir = Path(tmp) / PACKAGE_FOLDER
        (package_dir / "model").mkdir(parents=True)
        sp_model = train_tokenizer(PHRASES, package_dir / "sentencepiece.model")
        primaries = [pair for pair in PHRASES if pair[0] in dict(SECOND_CHOICES)]
        model = train_model(PHRASES + primaries + SECOND_CHOICES, sp_model, steps=args.steps, seed=args.seed)
        save_ctranslate2(model, sp_model, package_dir / "model")
        exact, nbest_distinct = check_ctranslate2(package_dir, PHRASES)
        print(f"ctranslate2 round trip: {exact}/{len(PHRASES)} exact; "
              f"n-best (4) distinct for {nbest_distinct}/{len(PHRASES)} phrases")
        if exact < args.min_exact * len(PHRASES):
            print(f"error: fewer than {args.min_exact:.0%} of the phrases round-trip; "
                  "try more --steps or another --seed", file=sys.stderr)
            return 1
        (package_dir / "metadata.json").write_text(json.dumps(METADATA, indent=2) + "\n")
        (package_dir / "README.md").write_text(PACKAGE_README)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_zip(package_dir, args.out)
    write_phrases(PHRASES, phrases_path)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) and {phrases_path} "
          f"in {time.monotonic() - started:.0f} s")
    return 0


PACKAGE_README = """\
# translate-zh_en-tiny

A tiny zh→en CTranslate2 Transformer (2+2 layers, d_model 64) trained by
bitext's `scripts/train_fixture_model.py` on a few dozen phrase pairs. It is a
test fixture: it translates its training phrases and nothing else.
"""


def train_tokenizer(phrases, model_path: Path):
    """Train one SentencePiece model shared by Chinese and English.

    Trained from memory, so no temporary path ends up in the model's trainer
    spec and equal phrases give an identical file.
    """
    import io

    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([text for pair in phrases for text in pair]),
        model_writer=model,
        vocab_size=VOCAB_SIZE,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        unk_id=UNK, bos_id=BOS, eos_id=EOS, pad_id=PAD,
        num_threads=1,
        minloglevel=2,
    )
    model_path.write_bytes(model.getvalue())
    return spm.SentencePieceProcessor(model_file=str(model_path))


def sinusoids(length: int, depth: int):
    """CTranslate2's built-in sinusoidal position encodings (sin half, cos half).

    CTranslate2 computes these itself when a model carries no ``encodings``
    variable, so the torch model must use exactly this table. Positions count
    from 1 (measured against ``Translator.score_batch``: off by one otherwise).
    """
    import numpy as np

    half = depth // 2
    timescales = np.exp(np.arange(half) * -(math.log(10000.0) / (half - 1)))
    scaled = np.arange(1, length + 1)[:, None] * timescales[None, :]
    return np.concatenate([np.sin(scaled), np.cos(scaled)], axis=1).astype("float32")


def build_model(vocab_size: int):
    """A pre-norm Transformer laid out like ``ctranslate2.specs.TransformerSpec``."""
    import torch
    from torch import nn

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.query, self.key, self.value, self.out = (nn.Linear(D_MODEL, D_MODEL) for _ in range(4))

        def forward(self, x, memory, mask):
            batch, head_dim = x.shape[0], D_MODEL // NUM_HEADS

            def heads(t):
                return t.view(batch, -1, NUM_HEADS, head_dim).transpose(1, 2)

            q, k, v = heads(self.query(x)), heads(self.key(memory)), heads(self.value(memory))
            scores = (q / math.sqrt(head_dim)) @ k.transpose(-1, -2)
            scores = scores.masked_fill(~mask, float("-inf"))
            context = scores.softmax(-1) @ v
            return self.out(context.transpose(1, 2).reshape(batch, -1, D_MODEL))

    class FeedForward(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPS)
            self.inner, self.outer = nn.Linear(D_MODEL, FFN_DIM), nn.Linear(FFN_DIM, D_MODEL)

        def forward(self, x):
            return self.outer(torch.relu(self.inner(self.norm(x))))

    class EncoderLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.self_norm, self.self_attention = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPS), Attention()
            self.ffn = FeedForward()

        def forward(self, x, mask, dropout):
            h = self.self_norm(x)
            x = x + dropout(self.self_attention(h, h, mask))
            return x + dropout(self.ffn(x))

    class DecoderLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.self_norm, self.self_attention = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPS), Attention()
            self.cross_norm, self.cross_attention = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPS), Attention()
            self.ffn = FeedForward()

        def forward(self, x, memory, self_mask, memory_mask, dropout):
            h = self.self_norm(x)
            x = x + dropout(self.self_attention(h, h, self_mask))
            x = x + dropout(self.cross_attention(self.cross_norm(x), memory, memory_mask))
            return x + dropout(self.ffn(x))

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            # One embedding table for source, target and output projection. The
            # <pad> row stays at zero (padding_idx): harmless here, and what a
            # Marian-style decoder that starts from <pad> would need.
            self.embeddings = nn.Embedding(vocab_size, D_MODEL, padding_idx=PAD)
            nn.init.normal_(self.embeddings.weight, std=D_MODEL**-0.5)
            with torch.no_grad():
                self.embeddings.weight[PAD].zero_()
            self.register_buffer("positions", torch.from_numpy(sinusoids(256, D_MODEL)))
            self.encoder = nn.ModuleList(EncoderLayer() for _ in range(NUM_LAYERS[0]))
            self.encoder_norm = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPS)
            self.decoder = nn.ModuleList(DecoderLayer() for _ in range(NUM_LAYERS[1]))
            self.decoder_norm = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPS)
            self.dropout = nn.Dropout(0.1)

        def embed(self, ids):
            x = self.embeddings(ids) * math.sqrt(D_MODEL) + self.positions[: ids.shape[1]]
            return self.dropout(x)

        def forward(self, source, target_in):
            source_mask = (source != PAD)[:, None, None, :]
            x = self.embed(source)
            for layer in self.encoder:
                x = layer(x, source_mask, self.dropout)
            memory = self.encoder_norm(x)
            length = target_in.shape[1]
            causal = torch.ones(length, length, dtype=torch.bool).tril()[None, None]
            y = self.embed(target_in)
            for layer in self.decoder:
                y = layer(y, memory, causal, source_mask, self.dropout)
            return self.decoder_norm(y) @ self.embeddings.weight.T

    return Seq2Seq()


def encode_pairs(phrases, sp_model):
    """Source ids end with </s> (the model's config has add_source_eos); targets
    are framed as <s> y → y </s>, matching CTranslate2's decoder_start_token."""
    import torch

    sources = [sp_model.encode(zh) + [EOS] for zh, _ in phrases]
    targets = [sp_model.encode(en) for _, en in phrases]

    def padded(rows):
        width = max(map(len, rows))
        return torch.tensor([row + [PAD] * (width - len(row)) for row in rows])

    return (padded(sources), padded([[BOS] + t for t in targets]), padded([t + [EOS] for t in targets]))


def train_model(phrases, sp_model, *, steps: int, seed: int):
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # the same float sums on every machine

    model = build_model(sp_model.get_piece_size())
    source, target_in, target_out = encode_pairs(phrases, sp_model)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, betas=(0.9, 0.98))
    warmup = 100
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, 0.5 * (1 + math.cos(math.pi * step / steps))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.1)
    model.train()
    for step in range(steps):
        logits = model(source, target_in)
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        with torch.no_grad():
            model.embeddings.weight.grad[PAD].zero_()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        if step % 200 == 0 or step == steps - 1:
            print(f"step {step:5d}  loss {loss.item():.3f}")
    model.eval()
    return model


def save_ctranslate2(model, sp_model, model_dir: Path) -> None:
    """Copy the torch weights into a TransformerSpec and save it with its vocabulary."""
    import ctranslate2
    import numpy as np

    def array(tensor):
        return tensor.detach().numpy().astype(np.float32).copy()

    def linear(spec, *layers):
        spec.weight = np.concatenate([array(layer.weight) for layer in layers])
        spec.bias = np.concatenate([array(layer.bias) for layer in layers])

    def norm(spec, layer):
        spec.gamma, spec.beta = array(layer.weight), array(layer.bias)

    spec = ctranslate2.specs.TransformerSpec.from_config(NUM_LAYERS, NUM_HEADS, pre_norm=True)
    spec.config.add_source_eos = True  # Argos does not append </s> itself
    spec.config.layer_norm_epsilon = LAYER_NORM_EPS
    embeddings = array(model.embeddings.weight)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    spec.decoder.projection.weight = embeddings
    norm(spec.encoder.layer_norm, model.encoder_norm)
    norm(spec.decoder.layer_norm, model.decoder_norm)
    for layer_spec, layer in zip(spec.encoder.layer, model.encoder):
        attention = layer.self_attention
        norm(layer_spec.self_attention.layer_norm, layer.self_norm)
        linear(layer_spec.self_attention.linear[0], attention.query, attention.key, attention.value)
        linear(layer_spec.self_attention.linear[1], attention.out)
        fill_ffn(layer_spec.ffn, layer.ffn, linear, norm)
    for layer_spec, layer in zip(spec.decoder.layer, model.decoder):
        attention, cross = layer.self_attention, layer.cross_attention
        norm(layer_spec.self_attention.layer_norm, layer.self_norm)
        linear(layer_spec.self_attention.linear[0], attention.query, attention.key, attention.value)
        linear(layer_spec.self_attention.linear[1], attention.out)
        norm(layer_spec.attention.layer_norm, layer.cross_norm)
        linear(layer_spec.attention.linear[0], cross.query)
        linear(layer_spec.attention.linear[1], cross.key, cross.value)
        linear(layer_spec.attention.linear[2], cross.out)
        fill_ffn(layer_spec.ffn, layer.ffn, linear, norm)
    vocabulary = [sp_model.id_to_piece(i) for i in range(sp_model.get_piece_size())]
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=None)  # aliases the three copies of the embeddings
    spec.save(str(model_dir))


def fill_ffn(spec, ffn, linear, norm) -> None:
    norm(spec.layer_norm, ffn.norm)
    linear(spec.linear_0, ffn.inner)
    linear(spec.linear_1, ffn.outer)


def check_ctranslate2(package_dir: Path, phrases) -> tuple[int, int]:
    """Translate every phrase through CTranslate2 as Argos would; return how many
    came back exactly and for how many the 4-best list has 4 distinct strings."""
    import ctranslate2
    import sentencepiece as spm

    sp_model = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(package_dir / "model"), device="cpu")
    batch = [sp_model.encode(zh, out_type=str) for zh, _ in phrases]
    results = translator.translate_batch(batch, beam_size=4, num_hypotheses=4, max_decoding_length=64)
    exact = distinct = 0
    for (zh, en), result in zip(phrases, results):
        hypotheses = [sp_model.decode(tokens) for tokens in result.hypotheses]
        exact += hypotheses[0] == en
        distinct += len(set(hypotheses)) == 4
        if len(set(hypotheses)) < 4:
            print(f"  n-best repeats: {zh} → {hypotheses}")
        if hypotheses[0] != en:
            print(f"  miss: {zh} → {hypotheses[0]!r} (want {en!r})")
    return exact, distinct


def write_zip(package_dir: Path, out: Path) -> None:
    """Zip the package folder with fixed timestamps, so equal weights give equal bytes."""
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(package_dir.rglob("*")):
            name = f"{PACKAGE_FOLDER}/{path.relative_to(package_dir).as_posix()}"
            info = zipfile.ZipInfo(name + ("/" if path.is_dir() else ""), date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (0o40755 if path.is_dir() else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, b"" if path.is_dir() else path.read_bytes())
    tmp.replace(out)


def write_phrases(phrases, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(f"{zh}\t{en}\n" for zh, en in phrases), encoding="utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    sys.exit(main())
