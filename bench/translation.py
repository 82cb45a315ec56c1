"""Benchmark 1: translation throughput on a model of realistic size.

``scripts/make_bench_model.py`` builds a CTranslate2 Transformer with random
weights in the shape of Argos Translate's zh→en model, packaged as an
``.argosmodel`` under ``build/bench/``. Three runs translate the same text of the
five articles, each in a fresh process, model loading and a warm-up sentence
excluded from the time:

* **engine** — this tool: ``translate_articles`` with the Argos engine, the glossary
  layer on (the whole termbase) and no translation memory;
* **baseline** — ``argostranslate.translate.translate()`` called paragraph by
  paragraph (one call per block), as existing Argos file translators do, with
  Argos's own defaults (batches of 32 *tokens*, 1×all-cores threads) except the
  beam size, set to ours. ``argostranslate.translate`` imports stanza and minisbd,
  which are not installed: stand-in modules are put into ``sys.modules`` in that
  process only, and the package's sentence splitter is replaced by ours
  (:func:`translate.corpus.sentences.split_sentences`), so both split alike;
* **limit** — one plain CTranslate2 ``translate_batch`` over all the sentences
  (SentencePiece in and out, same beam, batch size and threads as the engine, no
  glossary): what the hardware can do.

A random model rarely emits end-of-sentence, so every run caps decoding at the
same ``max_decoding_length`` (``BENCH_MAX_DECODING``, default :data:`CAP`): the
baseline's ``translate_batch`` is wrapped to pass it, since Argos does not.

The machine is shared, so the engine and the limit run in turn, :data:`ROUNDS` times
(A B, B A, A B…), and the ratio is taken round by round: the row gives the median and
the spread of the CPU-time ratio (both sides keep every core busy, so on an idle machine the
two ratios agree; on a shared one the wall-time ratio swung 0.65–2.96× in one run, the CPU
ratio 1.03–1.18×), with the wall-time ratio in the note. The limit translates exactly the sentences the engine sends (its distinct
units, as plain text). The engine without the glossary layer and the Argos baseline
(five minutes) run once.

Run alone: ``python -m bench translation``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import types
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench import REPO, WORK, Row, median, ratio, run_child, spread, timer

#: Output tokens per sentence at most, for all three runs.
CAP = int(os.environ.get("BENCH_MAX_DECODING", "24"))
BEAM = 2
BATCH = 32
#: Engine/limit pairs, run in turn (``BENCH_ROUNDS``).
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
#: Issue 33's targets: the engine's time over the limit's at most, Argos's over the engine's at least.
VERSUS_LIMIT, VERSUS_BASELINE = 1.10, 3.0
MODEL_DIR = WORK / "model"
PACKAGES = WORK / "packages"
ARGOS_HOME = WORK / "argos-home"


# --- the model ----------------------------------------------------------------------------------------------------


def model_archive() -> Path:
    """The random-weights ``.argosmodel``, built on first use with ``scripts/make_bench_model.py``."""
    found = sorted(MODEL_DIR.glob("*.argosmodel"))
    if found:
        return found[0]
    script = REPO / "scripts" / "make_bench_model.py"
    if not script.is_file():
        raise FileNotFoundError("scripts/make_bench_model.py does not exist yet")
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run([sys.executable, str(script), str(MODEL_DIR)], cwd=REPO, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"make_bench_model.py failed: {completed.stderr.strip().splitlines()[-1:]}")
    found = sorted(MODEL_DIR.rglob("*.argosmodel"))
    if not found:
        raise FileNotFoundError(f"make_bench_model.py wrote no .argosmodel into {MODEL_DIR}")
    return found[0]


def installed_package(archive: Path) -> Path:
    """Unpack the archive into ``build/bench/packages/`` (once) and return the package folder."""
    with zipfile.ZipFile(archive) as zipped:
        top = zipped.namelist()[0].split("/")[0]
        target = PACKAGES / top
        if not (target / "model" / "model.bin").is_file() or target.stat().st_mtime < archive.stat().st_mtime:
            PACKAGES.mkdir(parents=True, exist_ok=True)
            zipped.extractall(PACKAGES)
    return target


# --- the text -----------------------------------------------------------------------------------------------------


def paragraphs() -> list[str]:
    """The five articles' titles and text blocks, as plain text (what a file translator reads)."""
    from translate.corpus import load_corpus
    from translate.translation.inlinelayer import plain_text

    texts = []
    for article in load_corpus(REPO / "corpus"):
        texts.append(article.meta.title)
        texts += [plain_text(b.text) for b in article.blocks if b.kind != "image" and b.text.strip()]
    return [t for t in texts if t.strip()]


def sentences() -> list[str]:
    """Every sentence of :func:`paragraphs`, split by this tool's splitter."""
    from translate.corpus.sentences import split_sentences

    return [s for p in paragraphs() for s in split_sentences(p)]


def engine_units() -> list[str]:
    """The distinct sentences the engine translates (titles and blocks cut as the translation stage cuts them), as plain text."""
    from translate.corpus import load_corpus
    from translate.translation.inlinelayer import plain_text
    from translate.translation.translator import _units, plan_block

    units: list[str] = []
    for article in load_corpus(REPO / "corpus"):
        units += [u for u in _units(article.meta.title) if u]
        units += [u for block in article.blocks for segment in plan_block(block) for u in segment.units if u]
    return [plain_text(u) for u in dict.fromkeys(units)]


# --- the three runs (each in its own process) ---------------------------------------------------------------------


def run_engine(package: Path, with_glossary: bool = True) -> dict:
    """This tool's engine over the five articles, glossary layer on."""
    from translate.corpus import load_corpus
    from translate.glossary import Glossary
    from translate.translation import translate_articles
    from translate.translation.argos import ArgosEngine

    from translate.settings import SETTINGS

    # The settings' declared default, not the engine class's: what a build with no edition.toml would use.
    n = next(s.default for s in SETTINGS if s.key == "num_hypotheses")
    engine = ArgosEngine.from_package(package, beam_size=BEAM, batch_size=BATCH, max_decoding_length=CAP,
                                      num_hypotheses=n)
    glossary = Glossary.load(REPO / "glossary" / "terms.csv") if with_glossary else Glossary.from_terms([])
    articles = load_corpus(REPO / "corpus")
    engine.translate(["今天天气很好。"])
    engine.calls = engine.sentences = engine.first_steps = 0
    with timer() as elapsed, cpu_timer() as cpu:
        bilingual = translate_articles(articles, engine, glossary, memory_path=None)
    units = sum(a.stats.cache_misses for a in bilingual)
    violations = sum(len(a.violations) for a in bilingual)
    uses = [t for a in bilingual for b in a.blocks for seg in b.segments for t in seg.terms]
    return {"seconds": elapsed[0], "cpu_seconds": cpu[0], "sentences": units, "engine_calls": engine.calls,
            "decoded": engine.sentences, "first_steps": engine.first_steps, "violations": violations, "terms": len(glossary), "n": n,
            "honoured": sum(t.honoured for t in uses), "occurrences": len(uses)}


def _stand_ins() -> str:
    """Put minimal ``stanza`` and ``minisbd`` modules into ``sys.modules`` (this process only)."""
    stanza = types.ModuleType("stanza")

    def pipeline(*args, **kwargs):
        raise RuntimeError("stanza is a benchmark stand-in; the sentence splitter is replaced")

    stanza.Pipeline = pipeline
    minisbd = types.ModuleType("minisbd")
    models = types.ModuleType("minisbd.models")
    models.cache_dir = ""
    models.list_models = lambda: ["zh-hans"]

    class SBDetect:  # never used: the splitter is replaced before any translation
        def __init__(self, *args, **kwargs):
            raise RuntimeError("minisbd is a benchmark stand-in; the sentence splitter is replaced")

    minisbd.SBDetect = SBDetect
    minisbd.models = models
    sys.modules.setdefault("stanza", stanza)
    sys.modules.setdefault("minisbd", minisbd)
    sys.modules.setdefault("minisbd.models", models)
    return "stanza, minisbd (stand-ins); spacy absent (argostranslate tolerates it)"


class _OurSplitter:
    """Argos's sentencizer interface over this tool's splitter."""

    def split_sentences(self, text: str) -> list[str]:
        from translate.corpus.sentences import split_sentences

        return split_sentences(text) or [text]


class _Capped:
    """A CTranslate2 translator whose ``translate_batch`` always gets the benchmark's decoding cap."""

    def __init__(self, translator):
        self._translator = translator

    def translate_batch(self, *args, **kwargs):
        kwargs.setdefault("max_decoding_length", CAP)
        return self._translator.translate_batch(*args, **kwargs)


def run_baseline(package: Path) -> dict:
    """``argostranslate.translate.translate()`` paragraph by paragraph."""
    # Argos reads these at import time; its folders go under build/bench/, never the home folder.
    os.environ.update(ARGOS_PACKAGES_DIR=str(package.parent), XDG_DATA_HOME=str(ARGOS_HOME / "data"),
                      XDG_CONFIG_HOME=str(ARGOS_HOME / "config"), XDG_CACHE_HOME=str(ARGOS_HOME / "cache"),
                      ARGOS_BEAM_SIZE=str(BEAM))
    stand_ins = _stand_ins()
    import argostranslate.translate as argos

    texts = paragraphs()
    zh = next(lang for lang in argos.get_installed_languages() if lang.code == "zh")
    en = next(lang for lang in argos.get_installed_languages() if lang.code == "en")
    cached = zh.get_translation(en)
    packaged = cached.underlying
    packaged.sentencizer = _OurSplitter()
    argos.translate("今天天气很好。", "zh", "en")  # loads the model
    packaged.translator = _Capped(packaged.translator)
    with timer() as elapsed, cpu_timer() as cpu:
        for text in texts:
            argos.translate(text, "zh", "en")
    return {"seconds": elapsed[0], "cpu_seconds": cpu[0], "paragraphs": len(texts), "sentences": len(sentences()), "stand_ins": stand_ins}


def run_limit(package: Path) -> dict:
    """One plain ``translate_batch`` over every sentence, with the fastest threading of the two layouts.

    The sentences go in sorted by length (CTranslate2 sorts within ``max_batch_size`` anyway), and
    both ``cores×1`` (one batch per core, as the engine runs) and ``1×cores`` are timed: the limit is the faster.
    """
    import ctranslate2
    import sentencepiece

    from translate.translation.argos import _threads

    cores = _threads()[0]
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    texts = sorted(engine_units(), key=len, reverse=True)
    timings = {}
    for inter, intra in dict.fromkeys([(cores, 1), (1, cores)]):
        translator = ctranslate2.Translator(str(package / "model"), device="cpu", compute_type="auto",
                                            inter_threads=inter, intra_threads=intra)
        translator.translate_batch([tokenizer.encode("今天天气很好。", out_type=str)], beam_size=BEAM,
                                   max_decoding_length=CAP)
        with timer() as elapsed, cpu_timer() as cpu:
            tokens = tokenizer.encode(texts, out_type=str)
            results = translator.translate_batch(tokens, beam_size=BEAM, max_batch_size=BATCH, batch_type="examples",
                                                 max_decoding_length=CAP)
            [tokenizer.decode(r.hypotheses[0]) for r in results]
        timings[f"{inter}x{intra}"] = (elapsed[0], cpu[0])
        del translator
    threads = min(timings, key=lambda k: timings[k][0])
    return {"seconds": timings[threads][0], "cpu_seconds": timings[threads][1], "sentences": len(texts),
            "threads": threads, "timings": {k: round(v[0], 1) for k, v in timings.items()}}


@contextmanager
def cpu_timer() -> Iterator[list[float]]:
    """CPU seconds (user + system, all threads) this process spends inside the block.

    The benchmark machine may be shared: CPU time shows the work apart from the waiting.
    """
    box = [0.0]
    start = resource.getrusage(resource.RUSAGE_SELF)
    try:
        yield box
    finally:
        end = resource.getrusage(resource.RUSAGE_SELF)
        box[0] = (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)


# --- the table ----------------------------------------------------------------------------------------------------


def run() -> list[Row]:
    package = installed_package(model_archive())
    engines, limits = [], []
    for round_ in range(ROUNDS):  # A B, B A, A B: neither always runs first
        pair = ("engine", "limit") if round_ % 2 == 0 else ("limit", "engine")
        for mode in pair:
            (engines if mode == "engine" else limits).append(run_child("bench.translation", mode, str(package)))
    bare = run_child("bench.translation", "engine-no-glossary", str(package))
    baseline = run_child("bench.translation", "baseline", str(package))

    ratios = [ratio(e["seconds"], lim["seconds"]) for e, lim in zip(engines, limits)]
    cpu_ratios = [ratio(e["cpu_seconds"], lim["cpu_seconds"]) for e, lim in zip(engines, limits)]
    versus_limit = median(ratios)
    engine = min(engines, key=lambda e: abs(ratio(e["seconds"], limits[engines.index(e)]["seconds"]) - versus_limit))
    limit = limits[engines.index(engine)]
    n = limit["sentences"]
    speed = lambda r: n / r["seconds"]  # noqa: E731 — same sentences for all: sentences per second
    # The baseline translates paragraphs, the same text: its speed in the engine's sentences per second.
    versus_baseline = ratio(baseline["seconds"], median([e["seconds"] for e in engines]))
    baseline_cpu = ratio(baseline["cpu_seconds"], median([e["cpu_seconds"] for e in engines]))
    bare_ratio = ratio(bare["seconds"], median([lim["seconds"] for lim in limits]))
    capped = f"beam {BEAM}, decoding capped at {CAP} tokens"
    return [
        Row("translation", "engine (glossary on)", f"{speed(engine):.1f} sent/s",
            note=f"{engine['seconds']:.1f} s for {n} sentences ({engine['sentences']} distinct); {engine['terms']} terms, "
                 f"{engine['honoured']} of {engine['occurrences']} occurrences honoured (random weights: only rung 3 "
                 f"can honour one); n-best {engine['n']}; {engine['decoded']} decodes in {engine['engine_calls']} engine "
                 f"calls, {engine.get('first_steps', 0)} sentences given the first-step pass; {capped}",
            number=speed(engine), unit="sent/s"),
        Row("translation", "argos baseline (paragraph by paragraph)", f"{speed(baseline):.1f} sent/s",
            note=f"{baseline['seconds']:.1f} s ({baseline['cpu_seconds']:.1f} s CPU), {baseline['paragraphs']} "
                 f"translate() calls; {baseline['stand_ins']}; sentence splitter replaced by ours; one run",
            number=speed(baseline), unit="sent/s"),
        Row("translation", "limit (one plain translate_batch)", f"{speed(limit):.1f} sent/s",
            note=f"{limit['seconds']:.1f} s; fastest threading (inter x intra) of {limit['timings']} s",
            number=speed(limit), unit="sent/s"),
        Row("translation", "engine vs baseline (speed-up)", f"{versus_baseline:.2f}×", f"≥ {VERSUS_BASELINE:g}×",
            versus_baseline >= VERSUS_BASELINE,
            f"baseline once against the engine's median time; CPU {baseline_cpu:.2f}×", number=versus_baseline,
            unit="×"),
        Row("translation", "engine vs limit, CPU time", f"{median(cpu_ratios):.2f}×", f"≤ {VERSUS_LIMIT:.2f}×",
            median(cpu_ratios) <= VERSUS_LIMIT,
            f"{spread(cpu_ratios)} (engine and limit in turn, each process's CPU seconds: both use every core, and "
            f"on a shared machine the wall time is mostly other processes'); wall time {versus_limit:.2f}× "
            f"({spread(ratios)}); without the glossary layer {bare_ratio:.2f}× wall (one run)",
            number=median(cpu_ratios), unit="×"),
    ]

if __name__ == "__main__":
    if len(sys.argv) == 3:
        mode, folder = sys.argv[1], Path(sys.argv[2])
        runners = {"engine": run_engine, "engine-no-glossary": lambda p: run_engine(p, with_glossary=False),
                   "baseline": run_baseline, "limit": run_limit}
        print(json.dumps(runners[mode](folder)))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
