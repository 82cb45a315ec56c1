"""A small edition built through a local Ray cluster (a head and two one-CPU workers on 127.0.0.1, started here):
the same files, byte for byte, as a local build; a worker killed mid-build loses nothing; workers that go away
are one error, and what was translated is kept."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

ray = pytest.importorskip("ray", reason="the cluster extra (ray) is not installed: pip install 'bitext[cluster]'")

from translate.cli import cli  # noqa: E402
from translate.cluster import ClusterError  # noqa: E402
from translate.cluster.raycluster import RayBackend  # noqa: E402
from translate.pipeline import build_edition  # noqa: E402
from translate.settings import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_MODEL = ROOT / "tests" / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"
#: Sentences per chunk in these builds (local and cluster alike): several chunks from two articles.
CHUNK = 48

pytestmark = pytest.mark.slow


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ray(*args: str, env: dict, log: Path) -> subprocess.Popen:
    """``ray start … --block`` in a session of its own, so the whole node can be stopped by its process group."""
    command = [str(Path(sys.executable).parent / "ray"), "start", *args, "--disable-usage-stats", "--block"]
    return subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def _stop(*processes: subprocess.Popen) -> None:
    """Stop nodes by their process groups (everything each ``ray start`` started): TERM, then KILL what is left."""
    for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        for process in processes:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, request):
    """A head (no CPU of its own) and two workers of one CPU each; the address; stopped at the end.

    The reference edition is built while the head starts (Ray's start-up is mostly waiting).
    """
    import secrets
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bxr-"))  # short: Ray's sockets live below it
    token = secrets.token_hex(32)
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": token, "RAY_USAGE_STATS_ENABLED": "0"}
    saved = {name: os.environ.get(name) for name in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_USAGE_STATS_ENABLED")}
    port = _free_port()
    address = f"127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("ray-logs")
    nodes = [_ray("--head", f"--port={port}", "--node-ip-address=127.0.0.1", "--num-cpus=0",
                  "--include-dashboard=false", f"--temp-dir={folder}", env=env, log=logs / "head.log")]
    try:
        request.getfixturevalue("edition")
        _wait_for(logs / "head.log", nodes[0])
        for n in (1, 2):  # one after the other, and once more if Ray's 30 s start-up wait ran out on a busy machine
            for attempt in (1, 2):
                log = logs / f"worker{n}-{attempt}.log"
                nodes.append(_ray(f"--address={address}", "--num-cpus=1", env=env, log=log))
                if _wait_for(log, nodes[-1], fail=attempt == 2):
                    break
        os.environ.update({name: env[name] for name in saved})
        _reload_auth()  # this process imported Ray before the token was in its environment
        yield address
    finally:
        if ray.is_initialized():
            ray.shutdown()
        _stop(*nodes)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _reload_auth()
        shutil.rmtree(folder, ignore_errors=True)


def _reload_auth() -> None:
    """Make Ray read RAY_AUTH_MODE and RAY_AUTH_TOKEN again (it caches them when first asked)."""
    try:
        from ray._private.authentication_test_utils import reset_auth_token_state
    except ImportError:  # a Ray without token authentication reads nothing to reload
        return
    reset_auth_token_state()


def _wait_for(log: Path, process: subprocess.Popen, timeout: float = 90, fail: bool = True) -> bool:
    """Whether the node came up (``fail``: a test failure, with the end of its log, when it did not)."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if "Ray runtime started" in text:
            return True
        if process.poll() is not None:
            break
        time.sleep(0.3)
    _stop(process)
    if fail:
        pytest.fail(f"ray start did not come up: {text[-1500:]}")
    return False


def _project(base: Path, models: Path) -> Path:
    project = base / "edition"
    project.mkdir(parents=True)
    (project / "corpus").mkdir()
    for article in sorted((ROOT / "corpus").glob("*.md"))[:2]:
        shutil.copy(article, project / "corpus" / article.name)
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
