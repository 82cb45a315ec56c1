"""A small edition built through a local Ray cluster (a head and two one-CPU workers on 127.0.0.1, started here):
the same files, byte for byte, as a local build; a worker killed mid-build loses nothing; workers that go away
are one error, and what was translated is kept."""

import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

ray = pytest.importorskip("ray", reason="the cluster extra (ray) is not installed: pip install 'bitext[cluster]'")

from translate.cli import cli  # noqa: E402
from translate.cluster import ClusterError  # noqa: E402
from translate.cluster.nodes import local_cluster  # noqa: E402
from translate.cluster.raycluster import RayBackend  # noqa: E402
from translate.pipeline import build_edition  # noqa: E402
from translate.settings import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_MODEL = ROOT / "tests" / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"
#: Sentences per chunk in these builds (local and cluster alike): several chunks from two articles.
CHUNK = 48

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, request):
    """A head (no CPU of its own) and two workers of one CPU each; the address; stopped at the end.

    The reference edition is built while the head starts (Ray's start-up is mostly waiting).
    """
    with local_cluster(2, 1, logs=tmp_path_factory.mktemp("ray-logs"),
                       while_starting=lambda: request.getfixturevalue("edition")) as address:
        yield address


def _project(base: Path, models: Path) -> Path:
    project = base / "edition"
    project.mkdir(parents=True)
    (project / "corpus").mkdir()
    for article in sorted((ROOT / "corpus").glob("*.md"))[:2]:
        shutil.copy(article, project / "corpus" / article.name)
    # A case-exact term ("Meta") written small: a worker's copy of the glossary must not find it either.
    with (project / "corpus" / article.name).open("a", encoding="utf-8") as text:
        text.write("\n\n网页的 meta 标签由大模型生成。\n")
    shutil.copytree(ROOT / "glossary", project / "glossary", ignore=shutil.ignore_patterns("*.po"))
    (project / "edition.toml").write_text(f'[edition]\ntitle = "Cluster test"\n[paths]\nmodels = "{models}"\n',
                                          encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    project = _project(tmp_path_factory.mktemp("install"), folder)
    result = CliRunner().invoke(cli, ["--root", str(project), "model", "install", str(FIXTURE_MODEL)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr("translate.translation.translator.CHUNK", CHUNK)


@pytest.fixture(scope="module")
def edition(tmp_path_factory, models):
    """The project every build here is made in (outputs and caches name its paths), and its local build's
    files, PDF included: the reference, kept beside it."""
    import translate.translation.translator as translator

    base = tmp_path_factory.mktemp("edition")
    project = _project(base, models)
    saved, translator.CHUNK = translator.CHUNK, CHUNK
    try:
        result = CliRunner().invoke(cli, ["--root", str(project), "build"])
        assert result.exit_code == 0, result.output + str(result.exception)
    finally:
        translator.CHUNK = saved
    reference = base / "reference"
    (project / "build").rename(reference)
    return project, reference


@pytest.fixture
def project(edition):
    """The project, with no build folder (every build here is cold)."""
    project, _ = edition
    shutil.rmtree(project / "build", ignore_errors=True)
    return project


def _files(build: Path) -> dict[str, bytes]:
    return {str(p.relative_to(build)): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and not p.name.startswith("memory.sqlite")}


def _memory(build: Path) -> list[tuple]:
    with sqlite3.connect(build / "memory.sqlite") as db:
        return sorted(db.execute("SELECT key, engine, model, source, en, raw, rung FROM translations"))


def _assert_same(build: Path, reference: Path, *, pdf: bool = True) -> None:
    mine, theirs = _files(build), _files(reference)
    if not pdf:
        theirs = {name: data for name, data in theirs.items() if not name.startswith("pdf/") and name != "state.json"}
        mine.pop("state.json")
    assert sorted(mine) == sorted(theirs)
    assert [name for name in theirs if mine[name] != theirs[name]] == []
    assert _memory(build) == _memory(reference)


def test_an_edition_built_on_the_cluster_is_the_local_build_byte_for_byte(cluster, edition, project):
    _, reference = edition
    assert any(name.endswith(".pdf") for name in _files(reference))
    result = CliRunner().invoke(cli, ["--root", str(project), "build", "--cluster", cluster])
    assert result.exit_code == 0, result.output + str(result.exception)
    assert "Translation memory: 0 sentences remembered" in result.output
    assert not ray.is_initialized()  # the build let the cluster go
    _assert_same(project / "build", reference)


class _Killing(RayBackend):
    """Kills one translation worker's process (SIGKILL) once the first chunk is back."""

    killed: list[int] = []

    def chunk_translator(self, engine, glossary, num_hypotheses):
        farm = super().chunk_translator(engine, glossary, num_hypotheses)

        def killing(chunks):
            assert len(chunks) >= 4
            for number, results in enumerate(farm(chunks)):
                if number == 0:
                    victim = self.pids[-1]
                    os.kill(victim, signal.SIGKILL)
                    self.killed.append(victim)
                yield results

        return killing


def test_a_worker_killed_mid_build_loses_nothing(cluster, edition, project):
    _, reference = edition
    backend = _Killing(cluster, load_settings(project))
    try:
        build_edition(load_settings(project), pdf=False, backend=backend)
    finally:
        backend.close()
    assert len(backend.killed) == 1 and len(set(backend.pids)) == 2  # both workers translated, one was killed
    _assert_same(project / "build", reference, pdf=False)


class _Vanishing(RayBackend):
    """Every translation worker goes for good (no restart) once the second chunk is back."""

    def chunk_translator(self, engine, glossary, num_hypotheses):
        farm = super().chunk_translator(engine, glossary, num_hypotheses)

        def vanishing(chunks):
            for number, results in enumerate(farm(chunks)):
                if number == 1:
                    for actor in self.actors:
                        ray.kill(actor, no_restart=True)
                yield results

        return vanishing


def test_workers_that_go_away_are_one_error_and_the_next_build_resumes_from_the_memory(cluster, edition, project):
    _, reference = edition
    backend = _Vanishing(cluster, load_settings(project))
    try:
        with pytest.raises(ClusterError) as caught:
            build_edition(load_settings(project), pdf=False, backend=backend)
    finally:
        backend.close()
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"the Ray cluster at {cluster} stopped answering mid-build")
    kept = _memory(project / "build")
    assert 2 * CHUNK <= len(kept) < len(_memory(reference))
    assert set(kept) <= set(_memory(reference))  # what was kept is what a local build translates
    result = build_edition(load_settings(project), pdf=False)  # locally, from where it stopped
    assert sum(a.cache_hits for a in result.edition.report.articles) == len(kept)
    assert _memory(project / "build") == _memory(reference)  # the outputs differ only in what was remembered
