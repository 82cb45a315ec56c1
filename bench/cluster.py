"""Benchmark: the translation of a 200-article edition here and on a Ray cluster (``bitext build --cluster``).

The edition: 200 articles from the seeds of ``bench scale`` (the edition's articles and the
held-out scrapes, copied, each copy's sentences its own), each cut to its first paragraphs so
that the bench model translates the whole edition in a minute or two on two cores. The engine: the bench model (random weights,
decoding capped as in ``bench translation``). Measured in one run, on this machine:

- **translation, local vs Ray with 2 workers**: the uncached sentences of the edition through
  :func:`translate.translation.translator.translate_articles` here (one engine, CTranslate2 on
  every core, two chunks in flight) and through a Ray cluster started in this process with
  two one-CPU workers (one model each); the English must be the same;
- **the rest of the build** (``--no-pdf``: corpus, check, HTML, EPUB, writing), which the
  cluster does not change;
- **the cost of going through Ray**: a chunk's round trip on a one-worker cluster against the
  same chunk on a :class:`~translate.cluster.work.ChunkWorker` in this process, per chunk
  and per article, and the round trip of an empty task (what each PDF part pays);
- **20 workers, modelled** from those measured costs: the driver's serial work, the model's
  load in each worker, and the chunks shared out in rounds — where adding workers stops paying.

Run alone: ``python -m bench cluster``; the measurement itself: ``python -m bench.cluster one``.
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
from pathlib import Path

from bench import WORK, Row, make_project, median, ratio, run_child

ARTICLES = 200
#: Paragraphs kept of each article (the title and the first ones): the edition's size in sentences.
PARAGRAPHS = 4
TARGET = 1.6
#: Runs of each translation (the median is kept).
REPEATS = 3
WORKERS = 2
MODELLED = (1, 2, 4, 8, 16, 20)
#: A worker count "stops paying" when one more doubling gains less than this.
WORTH = 1.10


def _edition() -> Path:
    """The 200-article project, with the bench model installed for it (:data:`PARAGRAPHS` paragraphs an article)."""
    import shutil

    from bench.translation import CAP, installed_package, model_archive

    package = installed_package(model_archive())
    project = WORK / "cluster-200"
    shutil.rmtree(project, ignore_errors=True)
    try:  # the seeds of bench scale: the edition's articles and the held-out scrapes, imported once
        from bench.scale import make_corpus

        made = make_corpus(ARTICLES)
        made.rename(project)
    except ImportError:  # an older bench scale: the edition's five articles, each copy's sentences its own
        make_project(project, articles=ARTICLES, copies=-(-ARTICLES // 5))
        for path in sorted((project / "corpus").glob("*.md")):
            copy = re.search(r"-(\d{3})$", path.stem)
            if copy:
                head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
                path.write_text(head + sep + body.replace("。", f"（{int(copy.group(1))}）。"), encoding="utf-8")
    (project / "edition.toml").write_text(
        f'[edition]\ntitle = "Bench"\n[translation]\nengine = "argos"\nmax_decoding_length = {CAP}\n'
        f'batch_size = 32\nbeam_size = 2\n[paths]\nmodels = "{package.parent}"\n', encoding="utf-8")
    for path in sorted((project / "corpus").glob("*.md")):
        head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
        paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
        path.write_text(head + sep + "\n\n".join(paragraphs[:PARAGRAPHS]) + "\n", encoding="utf-8")
    return project


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def measure() -> dict:
    """Everything, in this process (a child of ``run``)."""
    import ray

    from translate.cluster.raycluster import RayBackend
    from translate.cluster.work import ChunkWorker, EngineSpec
    from translate.corpus import load_corpus
    from translate.glossary import Glossary
    from translate.pipeline import build_edition
    from translate.settings import load_settings
    from translate.translation import ct2, open_engine
    from translate.translation.translator import CHUNK, translate_articles

    project = _edition()
    settings = load_settings(project)
    articles = load_corpus(settings.corpus_dir)
    glossary = Glossary.load(settings.glossary_path)
    engine = open_engine(settings)
    memory = WORK / "cluster-memory"

    def translate(backend=None, name="local"):
        path = memory / f"{name}.sqlite"
        for stale in memory.glob(f"{name}.sqlite*"):
            stale.unlink()
        return _timed(translate_articles, articles, engine, glossary, memory_path=path, backend=backend)

    translate()  # warm-up: the model's pages, the glossary's automaton, jieba
    local, ray_runs, local_runs, english = [], [], [], None
    ray.init(num_cpus=WORKERS, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    try:
        backend = RayBackend("local", settings)
        for _ in range(REPEATS):  # in turn, so that the machine's other load falls on both alike
            seconds, out = translate()
            local_runs.append(seconds)
            english = [s.en for a in out for b in a.blocks for s in b.segments]
            seconds, farmed = translate(backend, "ray")
            ray_runs.append(seconds)
            assert [s.en for a in farmed for b in a.blocks for s in b.segments] == english, "Ray changed the English"
        sentences = sum(a.stats.cache_misses for a in out)
        chunks = math.ceil(sentences / CHUNK)

        # One chunk: through a one-worker cluster (round trip included) and on a worker in this process.
        missing = sorted({u for a in out for b in a.blocks for s in b.segments for u in [s.zh] if u}, key=len,
                         reverse=True)[:CHUNK]
        spec = EngineSpec(settings, engine.name, engine.model_id, engine.options, engine.num_hypotheses, threads=1)
        threads = ct2._threads
        try:
            started, worker = _timed(ChunkWorker, spec)  # a worker as Ray's, in this process (one thread)
        finally:
            ct2._threads = threads
        direct = median([_timed(worker.translate, missing, glossary)[0] for _ in range(3)])
        actor = ray.remote(num_cpus=1)(ChunkWorker).remote(spec)
        ray.get(actor.pid.remote())
        shared = ray.put(glossary)
        through = median([_timed(lambda: ray.get(actor.translate.remote(missing, shared)))[0] for _ in range(3)])
        ray.kill(actor)
        noop = ray.remote(num_cpus=1)(lambda: None)
        ray.get(noop.remote())
        empty = median([_timed(lambda: ray.get(noop.remote()))[0] for _ in range(20)])
    finally:
        ray.shutdown()

    # The rest of a build (--no-pdf), and the build itself: here, and with the cluster.
    for stale in (project / "build").glob("*"):
        if stale.is_file():
            stale.unlink()
    whole, _ = _timed(build_edition, settings, use_cache=False, pdf=False, build_date="2025-01-01")
    return {"articles": len(articles), "sentences": sentences, "chunks": chunks, "chunk": CHUNK,
            "local": median(local_runs), "ray": median(ray_runs), "local_runs": local_runs, "ray_runs": ray_runs,
            "build": whole, "load": started, "chunk_direct": direct, "chunk_through": through, "empty_task": empty}


def model(m: dict, workers: int) -> float:
    """Seconds of a whole build (``--no-pdf``) with its translation on ``workers`` Ray workers, from measured costs.

    The driver's serial part (the build around the translation) does not shrink; every worker
    loads the model at once; the translation's worker-seconds (as measured on the cluster, round
    trips included) are shared out, but never finish before the longest chunk, the first one
    (sentences go longest first).
    """
    serial = m["build"] - m["local"]
    work = m["ray"] * WORKERS
    return serial + m["load"] + max(m["chunk_through"], work / workers)


def rows(m: dict) -> list[Row]:
    """The table's rows from :func:`measure`'s figures."""
    speed = ratio(m["local"], m["ray"])
    overhead = max(0.0, m["chunk_through"] - m["chunk_direct"])
    per_article = overhead * m["chunks"] / max(m["articles"], 1) + m["empty_task"]
    times = {n: model(m, n) for n in MODELLED}
    stops = next((a for a, n in zip(MODELLED, MODELLED[1:]) if times[a] / times[n] < WORTH), MODELLED[-1])
    curve = ", ".join(f"{n}: {ratio(m['build'], times[n]):.2f}×" for n in MODELLED)
    rest = ratio(m["build"] - m["local"], m["build"]) * 100
    return [
        Row("cluster", f"translation, Ray {WORKERS} workers vs local ({m['articles']} articles)", f"{speed:.2f}×",
            f"≥ {TARGET}×", speed >= TARGET,
            f"{m['sentences']} sentences in {m['chunks']} chunks of {m['chunk']}; local {m['local']:.1f} s "
            f"({', '.join(f'{t:.1f}' for t in m['local_runs'])}), Ray {m['ray']:.1f} s "
            f"({', '.join(f'{t:.1f}' for t in m['ray_runs'])}); same English; bench model. The local build already "
            "runs CTranslate2 on both cores: two workers on the same two cores can only win its Python layers"),
        Row("cluster", "the rest of the build (--no-pdf), which the cluster leaves to the driver", f"{rest:.0f} %",
            number=rest, unit="%",
            note=f"of a local build without PDF ({m['build']:.1f} s): corpus, check, HTML, EPUB, writing"),
        Row("cluster", "a chunk through Ray vs the same chunk in process",
            f"{ratio(m['chunk_through'], m['chunk_direct']):.2f}×",
            note=f"{overhead * 1000:.0f} ms on a {m['chunk_direct']:.1f} s chunk ({m['chunk']} sentences, the "
                 f"longest); per article {per_article * 1000:.1f} ms (its share of the chunks' round trips + one "
                 f"PDF task's, an empty task's round trip: {m['empty_task'] * 1000:.1f} ms)"),
        Row("cluster", "modelled speed-up of a build (--no-pdf) at 1…20 workers",
            f"{ratio(m['build'], times[20]):.2f}× at 20", number=ratio(m["build"], times[20]), unit="×",
            note=f"vs the local build: {curve}; stops paying (next step < {WORTH}×) past {stops} workers: the "
                 f"driver's serial part ({m['build'] - m['local']:.0f} s) and the longest chunk "
                 f"({m['chunk_through']:.0f} s) are what is left"),
    ]


def run() -> list[Row]:
    return rows(run_child("bench.cluster", "one", timeout=3600))


if __name__ == "__main__":
    if sys.argv[1:] == ["one"]:
        print(json.dumps(measure()))
    elif sys.argv[1:2] == ["rows"]:  # the table again from a saved measurement (the JSON `one` printed)
        from bench.__main__ import format_table

        print(format_table(rows(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8").splitlines()[0]))))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
