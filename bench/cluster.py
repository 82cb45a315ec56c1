"""Benchmark: a 200-article edition built here and through a Ray cluster (``bitext build --cluster``), and Ray vs Dask.

The edition: 200 articles from the seeds of ``bench scale`` (the edition's articles and the
held-out scrapes, copied, each copy's sentences its own), each cut to its first paragraphs so
that the bench model translates the whole edition in a minute or two on two cores. The engine:
the bench model (random weights, decoding capped as in ``bench translation``). The cluster: a
head (no CPU) and two one-CPU workers started here with ``ray start`` on 127.0.0.1
(:func:`translate.cluster.nodes.local_cluster`). Measured in one run, on this machine:

- **the build, here and through the cluster**: the whole edition, PDF included, built cold
  both ways, and every output compared (sha256 of every file of ``build/``, the memory by its
  rows: a build writes no timing or log file there);
- **translation, local vs Ray with 2 workers**: the uncached sentences through
  :func:`translate.translation.translator.translate_articles` here (one engine, CTranslate2 on
  every core, two chunks in flight: the local build as it is) and through the cluster (one model
  per worker); the same English every run. With it, the local run's CPU seconds (how many of
  the cores it already keeps busy), and what was tried to speed the cluster up: smaller chunks
  (:data:`SMALL_CHUNK`), two CTranslate2 threads per worker, and the driver's planning that the
  workers' start could overlap;
- **the rest of the build** (``--no-pdf``: corpus, check, HTML, EPUB, writing), which the
  cluster leaves to the driver;
- **Ray against Dask's distributed** (skipped, with the reason, when it is not installed): an
  empty task's round trip, a chunk's round trip with the model loaded once per worker (a Ray
  actor; a Dask worker process that keeps its model, :func:`translate.cluster.work.translate_chunk`)
  against the same chunk in this process, the whole translation through each, and a worker
  killed one second into a chunk: how long until the chunk is back, and whether it is the same;
- **20 workers, modelled** from the measured costs: the driver's serial work, the model's load
  in each worker, and the chunks shared out — where adding workers stops paying, with chunks of
  256 and of :data:`SMALL_CHUNK`.

Run alone: ``python -m bench cluster``; the measurement itself: ``python -m bench.cluster one``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import signal
import sqlite3
import sys
import time
from pathlib import Path

from bench import WORK, Row, make_project, median, ratio, run_child

ARTICLES = 200
#: Paragraphs kept of each article (the title and the first ones): the edition's size in sentences.
PARAGRAPHS = 4
TARGET = 1.6
#: Runs of each translation (the median is kept); of each variant tried.
REPEATS = 3
VARIANT_REPEATS = 2
WORKERS = 2
#: The smaller chunk tried on the cluster: a multiple of the bench model's batch (32).
SMALL_CHUNK = 64
MODELLED = (1, 2, 4, 8, 16, 20)
#: A worker count "stops paying" when one more doubling gains less than this.
WORTH = 1.10
BUILD_DATE = "2025-01-01"
#: Seconds into a chunk before its worker is killed.
KILL_AFTER = 1.0


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


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system, every thread) of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _round_trips(call, pid: int, times: int = 3) -> tuple[float, float]:
    """The median wall seconds of ``call()`` and the median CPU seconds that process ``pid`` spent in it."""
    walls, cpus = [], []
    for _ in range(times):
        before = _cpu_of(pid)
        walls.append(_timed(call)[0])
        cpus.append(_cpu_of(pid) - before)
    return median(walls), median(cpus)


# -- the whole build, both ways, every output compared ---------------------------------------

def _memory_rows(path: Path) -> list:
    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT key, engine, model, source, en, raw, rung FROM translations"))


def digests(build: Path) -> dict[str, str]:
    """sha256 of every file of a build; the memory by its rows (how SQLite lays out its pages is not an output).

    A build writes no timing or log file into ``build/``: nothing else is left out.
    """
    out = {}
    for path in sorted(build.rglob("*")):
        name = path.relative_to(build).as_posix()
        if path.is_file() and not name.startswith("memory.sqlite"):
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    if (build / "memory.sqlite").exists():
        rows = json.dumps(_memory_rows(build / "memory.sqlite"), ensure_ascii=False).encode()
        out["memory.sqlite (its rows)"] = hashlib.sha256(rows).hexdigest()
    return out


def _code() -> str:
    """A hash of the package's code on disk (what a Ray worker imports when it starts)."""
    import translate

    root = Path(translate.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _why(reference: Path, mine: Path, name: str) -> str:
    """What differs in a file that differs: the memory's columns, state.json's keys."""
    if name.startswith("memory.sqlite"):
        columns = ("key", "engine", "model", "source", "en", "raw", "rung")
        theirs = {row[0]: row for row in _memory_rows(reference / "memory.sqlite")}
        ours = {row[0]: row for row in _memory_rows(mine / "memory.sqlite")}
        keys = theirs.keys() ^ ours.keys()
        changed = [k for k in theirs.keys() & ours.keys() if theirs[k] != ours[k]]
        cols = sorted({c for k in changed for c, a, b in zip(columns, theirs[k], ours[k]) if a != b})
        return f"{name}: {len(keys)} keys in one only, {len(changed)} rows differ in {', '.join(cols) or '-'}"
    if name.endswith(".json") and (reference / name).exists() and (mine / name).exists():
        a, b = (json.loads((folder / name).read_text(encoding="utf-8")) for folder in (reference, mine))
        if isinstance(a, dict) and isinstance(b, dict):
            return f"{name}: {', '.join(sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)))} differ"
    return name


def compare_builds(project: Path, address: str, **outputs: bool) -> dict:
    """Build ``project`` cold here, then cold through the cluster at ``address``; seconds, files, what differs.

    The local build is kept beside the project (``build-local``) until the comparison is made. When the
    package's code on disk changed during the run (another hand editing the checkout), it is said: the
    state's fingerprint covers the code, and the workers import it afresh.
    """
    from translate.cluster.raycluster import RayBackend
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    settings = load_settings(project)
    kept = project / "build-local"
    shutil.rmtree(settings.build_dir, ignore_errors=True)
    shutil.rmtree(kept, ignore_errors=True)
    code = _code()
    local, _ = _timed(build_edition, settings, build_date=BUILD_DATE, **outputs)
    settings.build_dir.rename(kept)
    backend = RayBackend(address, settings)
    try:
        farmed, _ = _timed(build_edition, settings, build_date=BUILD_DATE, backend=backend, **outputs)
    finally:
        backend.close()
    reference, mine = digests(kept), digests(settings.build_dir)
    differing = sorted(name for name in reference.keys() | mine.keys() if reference.get(name) != mine.get(name))
    why = [_why(kept, settings.build_dir, name) for name in differing]
    shutil.rmtree(kept)
    return {"files": len(reference), "differing": why, "local": local, "ray": farmed,
            "pdfs": sum(1 for name in reference if name.endswith(".pdf")), "code_changed": _code() != code}


# -- Dask's distributed, for the comparison ----------------------------------------------------

def _dask_missing() -> str:
    """Why Dask's rows are skipped, or ``""``."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        return f"Dask's distributed is not installed ({exc.name}): pip install dask distributed"
    return ""


def _shared(client, value):
    """``value`` held on the workers as a task's result: made again if its worker dies.

    (Scattered data is lost with the worker that held it, and the tasks that need it are cancelled:
    measured, a killed worker then fails the build instead of losing one chunk.)
    """
    return client.submit(_identity, value, pure=False)


def _identity(value):
    return value


class _DaskFarm:
    """A ``chunk_translator`` on a Dask cluster: each chunk a task, each worker process keeping its model."""

    def __init__(self, client, settings):
        self.client, self.settings = client, settings

    def chunk_translator(self, engine, glossary, num_hypotheses: int):
        from translate.cluster.work import EngineSpec, translate_chunk

        spec = EngineSpec(self.settings, engine.name, engine.model_id, engine.options, num_hypotheses, threads=1)

        def farm(chunks):
            shared = _shared(self.client, glossary)
            futures = [self.client.submit(translate_chunk, spec, chunk, shared, pure=False) for chunk in chunks]
            for future in futures:
                yield future.result()

        return farm


def _dask(settings, spec, chunk, glossary, translate, expected) -> dict:
    """Dask's figures: an empty task, a chunk's round trip on a warm worker, the whole translation, a killed worker."""
    import logging

    from distributed import Client, LocalCluster

    from translate.cluster.work import translate_chunk

    cluster = LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        client.submit(lambda: None, pure=False).result()
        empty = median([_timed(lambda: client.submit(lambda: None, pure=False).result())[0] for _ in range(20)])
        shared = _shared(client, glossary)
        pids = client.run(os.getpid)
        for address in pids:  # every worker loads the model once, before anything is timed
            client.submit(translate_chunk, spec, chunk[:1], shared, workers=[address], pure=False).result()
        first = next(iter(pids))
        through, through_cpu = _round_trips(lambda: client.submit(translate_chunk, spec, chunk, shared,
                                                                  workers=[first], pure=False).result(), pids[first])
        runs, english = [], None
        for _ in range(VARIANT_REPEATS):
            seconds, out = translate(_DaskFarm(client, settings), "dask")
            runs.append(seconds)
            english = [s.en for a in out for b in a.blocks for s in b.segments]
        # A worker killed one second into a chunk: the scheduler gives the chunk to the other worker
        # (its model loaded); the nanny starts a new process in place of the dead one.
        future = client.submit(translate_chunk, spec, chunk, shared, workers=[first], allow_other_workers=True,
                               pure=False)
        time.sleep(KILL_AFTER)
        busy = [address for address, keys in client.processing().items() if future.key in keys]
        os.kill(pids[busy[0] if busy else first], signal.SIGKILL)
        killed = time.perf_counter()
        result = future.result(timeout=600)
        recovery = time.perf_counter() - killed
    finally:
        client.close()
        cluster.close()
    return {"dask_empty_task": empty, "dask_chunk_through": through, "dask_chunk_cpu": through_cpu, "dask_runs": runs,
            "dask": median(runs), "dask_same": english == expected, "dask_recovery": recovery,
            "dask_recovered_same": [r.en for r in result] == [r.en for r in _direct_result(spec, chunk, glossary)]}


_DIRECT: dict = {}


def _direct_result(spec, chunk, glossary):
    """The chunk translated in this process (once)."""
    from translate.cluster.work import ChunkWorker
    from translate.translation import ct2

    if "result" not in _DIRECT:
        threads = ct2._threads
        try:
            _DIRECT["load"], _DIRECT["worker"] = _timed(ChunkWorker, spec)
        finally:
            ct2._threads = threads
        _DIRECT["result"] = _DIRECT["worker"].translate(chunk, glossary)
    return _DIRECT["result"]


# -- everything --------------------------------------------------------------------------------

def measure() -> dict:
    """Everything, in this process (a child of ``run``)."""
    from translate.cluster.nodes import local_cluster
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    project = _edition()
    figures: dict = {}
    with local_cluster(WORKERS, 1) as address:
        # The whole edition, PDF included: every file, both ways; then a local build without PDF (the model's).
        whole = compare_builds(project, address)
        settings = load_settings(project)
        shutil.rmtree(settings.build_dir)
        nopdf, _ = _timed(build_edition, settings, pdf=False, build_date=BUILD_DATE)
        figures.update({"build": nopdf, "full_local": whole["local"], "full_ray": whole["ray"],
                        "build_files": whole["files"], "build_pdfs": whole["pdfs"],
                        "build_differing": whole["differing"], "code_changed": whole["code_changed"]})
        _save(figures)
        _translations(project, address, figures)
    return figures


def _translations(project, address, figures: dict) -> None:
    """The translations' figures, into ``figures`` (saved before Dask's)."""
    import ray

    import translate.translation.translator as translator
    from translate.corpus import load_corpus
    from translate.glossary import Glossary
    from translate.settings import load_settings
    from translate.translation import open_engine

    from translate.cluster.raycluster import RayBackend, _Translator
    from translate.cluster.work import ChunkWorker, EngineSpec

    settings = load_settings(project)
    articles = load_corpus(settings.corpus_dir)
    glossary = Glossary.load(settings.glossary_path)
    engine = open_engine(settings)
    memory = WORK / "cluster-memory"
    shutil.rmtree(memory, ignore_errors=True)
    memory.mkdir(parents=True)
    planned: list[float] = []

    class Timing(RayBackend):
        """The Ray backend, noting when the driver hands over its chunks (the planning before is the driver's)."""

        def chunk_translator(self, engine, glossary, num_hypotheses):
            farm = super().chunk_translator(engine, glossary, num_hypotheses)

            def timed(chunks):
                planned.append(time.perf_counter() - started[0])
                yield from farm(chunks)

            return timed

    started = [0.0]

    def translate(backend=None, name="local"):
        path = memory / f"{name}.sqlite"
        for stale in memory.glob(f"{name}.sqlite*"):
            stale.unlink()
        started[0] = time.perf_counter()
        cpu = time.process_time()
        seconds, out = _timed(translator.translate_articles, articles, engine, glossary, memory_path=path,
                              backend=backend)
        cpus.append(time.process_time() - cpu)
        return seconds, out

    def english_of(out):
        return [s.en for a in out for b in a.blocks for s in b.segments]

    cpus: list[float] = []
    translate()  # warm-up: the model's pages, the glossary's automaton, jieba
    ray.init(address=address, log_to_driver=False, logging_level="ERROR")
    try:
        backend = Timing(address, settings)
        local_runs, local_cpu, ray_runs, ray_starts = [], [], [], []
        for _ in range(REPEATS):  # in turn, so that the machine's other load falls on both alike
            cpus.clear()
            seconds, out = translate()
            local_runs.append(seconds)
            local_cpu.append(cpus[-1])
            english = english_of(out)
            seconds, farmed = translate(backend, "ray")
            ray_runs.append(seconds)
            assert english_of(farmed) == english, "Ray changed the English"
        sentences = sum(a.stats.cache_misses for a in out)

        # What was tried: chunks of SMALL_CHUNK sentences, two CTranslate2 threads a worker.
        def tried(label: str) -> tuple[list[float], bool]:
            """Seconds of each run of a variant, and whether its English was always the local build's."""
            runs, same = [], True
            for _ in range(VARIANT_REPEATS):
                seconds, farmed = translate(backend, label)
                runs.append(seconds)
                same = same and english_of(farmed) == english
            return runs, same

        saved, translator.CHUNK = translator.CHUNK, SMALL_CHUNK
        try:
            small_runs, small_same = tried("ray-small")
        finally:
            translator.CHUNK = saved
        backend.threads = 2
        try:
            threads_runs, threads_same = tried("ray-threads")
        finally:
            backend.threads = 1

        # One chunk (the longest sentences): on a worker in this process, through one Ray actor, through Dask.
        missing = sorted({u for a in out for b in a.blocks for s in b.segments for u in [s.zh] if u}, key=len,
                         reverse=True)
        chunk, small = missing[:translator.CHUNK], missing[:SMALL_CHUNK]
        spec = EngineSpec(settings, engine.name, engine.model_id, engine.options, engine.num_hypotheses, threads=1)
        _direct_result(spec, chunk, glossary)
        load, worker = _DIRECT["load"], _DIRECT["worker"]
        direct, direct_cpu = _round_trips(lambda: worker.translate(chunk, glossary), os.getpid())
        actor = ray.remote(num_cpus=1)(ChunkWorker).remote(spec)
        shared = ray.put(glossary)
        through, through_cpu = _round_trips(lambda: ray.get(actor.translate.remote(chunk, shared)),
                                            ray.get(actor.pid.remote()))
        small_through = median([_timed(lambda: ray.get(actor.translate.remote(small, shared)))[0] for _ in range(3)])
        ray.kill(actor)
        noop = ray.remote(num_cpus=1)(lambda: None)
        ray.get(noop.remote())
        empty = median([_timed(lambda: ray.get(noop.remote()))[0] for _ in range(20)])

        # A worker killed one second into a chunk: Ray restarts the actor (its model loaded again) and runs
        # the chunk again on it.
        actor = _Translator.options(num_cpus=1).remote(spec)
        pid = ray.get(actor.pid.remote())
        ref = actor.translate.remote(chunk, shared)
        time.sleep(KILL_AFTER)
        os.kill(pid, signal.SIGKILL)
        killed = time.perf_counter()
        recovered = ray.get(ref, timeout=600)
        recovery = time.perf_counter() - killed
        ray.kill(actor, no_restart=True)
    finally:
        ray.shutdown()
    expected = [r.en for r in _direct_result(spec, chunk, glossary)]
    figures.update({
        "articles": len(articles), "sentences": sentences, "chunks": math.ceil(sentences / translator.CHUNK),
        "chunk": translator.CHUNK, "small_chunk": SMALL_CHUNK,
        "local": median(local_runs), "ray": median(ray_runs), "local_runs": local_runs, "ray_runs": ray_runs,
        "local_cpu": median(local_cpu), "cores": os.cpu_count() or 1,
        "small": median(small_runs), "small_runs": small_runs, "small_same": small_same,
        "threads2": median(threads_runs), "threads2_runs": threads_runs, "threads2_same": threads_same,
        "planned": median(planned), "load": load,
        "chunk_direct": direct, "chunk_through": through, "chunk_direct_cpu": direct_cpu,
        "chunk_through_cpu": through_cpu, "small_chunk_through": small_through, "empty_task": empty,
        "ray_recovery": recovery, "ray_recovered_same": [r.en for r in recovered] == expected,
    })
    _save(figures)
    reason = _dask_missing()
    if reason:
        figures["dask_skipped"] = reason
    else:
        try:
            figures.update(_dask(settings, spec, chunk, glossary, translate, english))
        except Exception as exc:  # a row saying why, not a lost run
            figures["dask_skipped"] = f"Dask's run failed: {' '.join(str(exc).split())[:200]}"


def _save(figures: dict) -> None:
    """What is measured so far (a run that fails later keeps it): ``build/bench/cluster-partial.json``."""
    (WORK / "cluster-partial.json").write_text(json.dumps(figures), encoding="utf-8")


def model(m: dict, workers: int, small: bool = False) -> float:
    """Seconds of a whole build (``--no-pdf``) with its translation on ``workers`` Ray workers, from measured costs.

    The driver's serial part (the build around the translation) does not shrink; every worker
    loads the model at once; the translation's worker-seconds (as measured on the cluster, round
    trips included) are shared out, but never finish before the longest chunk, the first one
    (sentences go longest first). ``small``: with the chunks of :data:`SMALL_CHUNK` as measured.
    """
    serial = m["build"] - m["local"]
    work = (m["small"] if small else m["ray"]) * WORKERS
    longest = m["small_chunk_through"] if small else m["chunk_through"]
    return serial + m["load"] + max(longest, work / workers)


def _curve(m: dict, small: bool) -> tuple[dict, int, str]:
    times = {n: model(m, n, small) for n in MODELLED}
    stops = next((a for a, n in zip(MODELLED, MODELLED[1:]) if times[a] / times[n] < WORTH), MODELLED[-1])
    return times, stops, ", ".join(f"{n}: {ratio(m['build'], times[n]):.2f}×" for n in MODELLED)


def _same(differing: list[str], files: int, code_changed: bool = False) -> str:
    if not differing:
        return f"identical: {files} files"
    return (f"{len(differing)} of {files} files differ: {'; '.join(differing[:8])}{' …' if len(differing) > 8 else ''}"
            + (" (the package's code changed on disk during the run)" if code_changed else ""))


def rows(m: dict) -> list[Row]:
    """The table's rows from :func:`measure`'s figures."""
    speed = ratio(m["local"], m["ray"])
    overhead = max(0.0, m["chunk_through"] - m["chunk_direct"])
    per_article = overhead * m["chunks"] / max(m["articles"], 1) + m["empty_task"]
    times, stops, curve = _curve(m, False)
    small_times, small_stops, small_curve = _curve(m, True)
    rest = ratio(m["build"] - m["local"], m["build"]) * 100
    busy = ratio(m["local_cpu"], m["local"])
    out = [
        Row("cluster", f"the {m['articles']}-article edition through Ray vs here: every output",
            _same(m["build_differing"], m["build_files"], m.get("code_changed", False)), "identical", not m["build_differing"],
            f"sha256 of every file of build/ (HTML, EPUB, {m['build_pdfs']} PDF files, translations, report, state), "
            f"the memory by its rows; cold builds: here {m['full_local']:.1f} s, through a head and {WORKERS} "
            f"one-CPU workers started with ray start on 127.0.0.1 {m['full_ray']:.1f} s "
            f"({ratio(m['full_local'], m['full_ray']):.2f}×; translation and PDF parts on the workers)",
            number=len(m["build_differing"]), unit="files differing"),
        Row("cluster", f"translation, Ray {WORKERS} workers vs local ({m['articles']} articles)", f"{speed:.2f}×",
            f"≥ {TARGET}×", speed >= TARGET,
            f"{m['sentences']} sentences in {m['chunks']} chunks of {m['chunk']}; local {m['local']:.1f} s "
            f"({', '.join(f'{t:.1f}' for t in m['local_runs'])}), Ray {m['ray']:.1f} s "
            f"({', '.join(f'{t:.1f}' for t in m['ray_runs'])}); same English; bench model. The local run already "
            f"keeps {busy:.2f} of the {m['cores']} cores busy ({m['local_cpu']:.1f} s CPU): {m['cores']} workers on "
            f"the same cores can win at most {ratio(m['cores'], busy):.2f}×"),
        Row("cluster", f"tried: chunks of {m['small_chunk']} through Ray vs local (chunks of {m['chunk']})",
            f"{ratio(m['local'], m['small']):.2f}×",
            note=f"Ray {m['small']:.1f} s ({', '.join(f'{t:.1f}' for t in m['small_runs'])}); English "
                 f"{'the same' if m['small_same'] else 'NOT the same'} as the local build's"),
        Row("cluster", "tried: 2 CTranslate2 threads per Ray worker vs local", f"{ratio(m['local'], m['threads2']):.2f}×",
            note=f"Ray {m['threads2']:.1f} s ({', '.join(f'{t:.1f}' for t in m['threads2_runs'])}); English "
                 f"{'the same' if m['threads2_same'] else 'NOT the same'}; each worker one CPU slot, two threads"),
        Row("cluster", "tried: the driver's planning the workers' start could overlap", f"{m['planned']:.1f} s",
            note=f"the corpus's sentences, glossary matches and memory keys before the first chunk goes; a worker "
                 f"opens the model in {m['load']:.1f} s (in process), so overlapping them wins at most "
                 f"{min(m['planned'], m['load']):.1f} s of a {m['build']:.0f} s build (--no-pdf)"),
        Row("cluster", "the rest of the build (--no-pdf), which the cluster leaves to the driver", f"{rest:.0f} %",
            number=rest, unit="%",
            note=f"of a local build without PDF ({m['build']:.1f} s): corpus, check, HTML, EPUB, writing"),
        Row("cluster", "a chunk through Ray vs the same chunk in process",
            f"{ratio(m['chunk_through'], m['chunk_direct']):.2f}×",
            note=f"{overhead * 1000:.0f} ms on a {m['chunk_direct']:.1f} s chunk ({m['chunk']} sentences, the "
                 f"longest); per article {per_article * 1000:.1f} ms (its share of the chunks' round trips + one "
                 f"PDF task's, an empty task's round trip: {m['empty_task'] * 1000:.1f} ms); the worker's CPU "
                 f"{m['chunk_through_cpu']:.1f} s, in process {m['chunk_direct_cpu']:.1f} s: the rest of the wall "
                 "time is waiting (for a core, on a busy machine)"),
        Row("cluster", "Ray: a worker killed 1 s into a chunk, until the chunk is back",
            f"{m['ray_recovery']:.1f} s", number=m["ray_recovery"], unit="s",
            note=f"the actor restarted (its model loaded again) and the chunk run again on it; the English "
                 f"{'the same' if m['ray_recovered_same'] else 'NOT the same'}; the chunk alone "
                 f"{m['chunk_through']:.1f} s"),
    ]
    if "dask_skipped" in m:
        out.append(Row("cluster", "Dask's distributed vs Ray", "skipped", note=m["dask_skipped"]))
    else:
        out += [
            Row("cluster", "an empty task's round trip, Dask vs Ray", f"{ratio(m['dask_empty_task'], m['empty_task']):.2f}×",
                note=f"Dask {m['dask_empty_task'] * 1000:.1f} ms (LocalCluster, 2 worker processes of 1 thread on "
                     f"127.0.0.1), Ray {m['empty_task'] * 1000:.1f} ms"),
            Row("cluster", "a chunk's round trip, Dask vs Ray (model loaded once per worker)",
                f"{ratio(m['dask_chunk_through'], m['chunk_through']):.2f}×",
                note=f"Dask {m['dask_chunk_through']:.1f} s (a worker process keeping its model), Ray "
                     f"{m['chunk_through']:.1f} s (an actor), in process {m['chunk_direct']:.1f} s; the worker's "
                     f"CPU seconds: Dask {m['dask_chunk_cpu']:.1f}, Ray {m['chunk_through_cpu']:.1f}, in process "
                     f"{m['chunk_direct_cpu']:.1f} (one CTranslate2 thread each)"),
            Row("cluster", f"translation, Dask {WORKERS} workers vs Ray {WORKERS} workers",
                f"{ratio(m['dask'], m['ray']):.2f}×",
                note=f"Dask {m['dask']:.1f} s ({', '.join(f'{t:.1f}' for t in m['dask_runs'])}), Ray {m['ray']:.1f} s;"
                     f" English {'the same' if m['dask_same'] else 'NOT the same'}"),
            Row("cluster", "Dask: a worker killed 1 s into a chunk, until the chunk is back",
                f"{m['dask_recovery']:.1f} s", number=m["dask_recovery"], unit="s",
                note=f"the chunk rescheduled on the other worker (model loaded), the nanny restarting the dead one; "
                     f"the English {'the same' if m['dask_recovered_same'] else 'NOT the same'}; Ray "
                     f"{m['ray_recovery']:.1f} s"),
        ]
    out += [
        Row("cluster", "modelled speed-up of a build (--no-pdf) at 1…20 workers",
            f"{ratio(m['build'], times[20]):.2f}× at 20", number=ratio(m["build"], times[20]), unit="×",
            note=f"vs the local build: {curve}; stops paying (next step < {WORTH}×) past {stops} workers: the "
                 f"driver's serial part ({m['build'] - m['local']:.0f} s) and the longest chunk "
                 f"({m['chunk_through']:.0f} s) are what is left"),
        Row("cluster", f"modelled speed-up, chunks of {m['small_chunk']}",
            f"{ratio(m['build'], small_times[20]):.2f}× at 20", number=ratio(m["build"], small_times[20]), unit="×",
            note=f"vs the local build: {small_curve}; stops paying past {small_stops} workers; the longest chunk "
                 f"{m['small_chunk_through']:.1f} s, the driver's serial part the same"),
    ]
    return out


def run() -> list[Row]:
    return rows(run_child("bench.cluster", "one", timeout=3600))


if __name__ == "__main__":
    if sys.argv[1:] == ["one"]:
        print(json.dumps(measure()))
    elif sys.argv[1:] == ["compare"]:  # only the whole build, here and through the cluster, every file compared
        from translate.cluster.nodes import local_cluster

        with local_cluster(WORKERS, 1) as address:
            print(json.dumps(compare_builds(_edition(), address)))
    elif sys.argv[1:2] == ["rows"]:  # the table again from a saved measurement (the JSON `one` printed)
        from bench.__main__ import format_table

        print(format_table(rows(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8").splitlines()[0]))))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
