"""The cluster seams without Ray: a backend's farm translates the memory layer's chunks, a cluster that goes away
mid-build keeps what was translated, settings and the CLI option, and Ray is never imported by a local build."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.cluster import Backend, ClusterError, open_backend
from translate.settings import load_settings
from translate.translation.memory import MemoryLayer, Remembered, TranslationMemory

ROOT = Path(__file__).resolve().parents[2]


class _Upper:
    """A stand-in inner layer: the English is the source in capitals."""

    def __init__(self):
        self.chunks = []

    def translate(self, chunk):
        self.chunks.append(list(chunk))
        return [Remembered(s.upper(), s.upper(), 0) for s in chunk]


class _Farm:
    """A backend's farm: the same inner layer "elsewhere", going away after ``fail_after`` chunks."""

    def __init__(self, layer, fail_after=None):
        self.layer, self.fail_after, self.seen = layer, fail_after, 0

    def __call__(self, chunks):
        for chunk in chunks:
            if self.fail_after is not None and self.seen == self.fail_after:
                raise ClusterError("the Ray cluster at 127.0.0.1:1 stopped answering mid-build (gone)")
            self.seen += 1
            yield self.layer.translate(chunk)


def _layer(tmp_path, farm=None, memory=None):
    sources = [f"句子{n}" * (1 + n % 5) for n in range(10)]
    keys = {s: f"k{n}" for n, s in enumerate(sources)}
    return sources, MemoryLayer(_Upper(), memory, keys, engine="fake", model="m", chunk=3, farm=farm)


def test_a_farm_translates_the_chunks_the_memory_layer_would_and_they_are_committed_in_order(tmp_path):
    sources, local = _layer(tmp_path)
    expected = local.translate(sources)
    farmed_layer = _Upper()
    memory = TranslationMemory(tmp_path / "memory.sqlite")
    _, farmed = _layer(tmp_path, farm=_Farm(farmed_layer), memory=memory)
    assert farmed.translate(sources) == expected
    assert farmed_layer.chunks == local.underlying.chunks  # the same chunks, so the same batches
    assert farmed.underlying.chunks == []  # nothing translated in the driver
    assert len(memory) == len(set(sources))
    memory.close()


def test_a_cluster_that_goes_away_mid_build_is_one_error_and_the_chunks_done_are_kept(tmp_path):
    memory = TranslationMemory(tmp_path / "memory.sqlite")
    sources, layer = _layer(tmp_path, farm=_Farm(_Upper(), fail_after=2), memory=memory)
    with pytest.raises(ClusterError) as caught:
        layer.translate(sources)
    assert "\n" not in str(caught.value)
    assert len(memory) == 2 * 3  # two chunks of three came back before it went
    memory.close()
    again = TranslationMemory(tmp_path / "memory.sqlite")
    _, resumed = _layer(tmp_path, farm=_Farm(_Upper()), memory=again)
    assert [r.en for r in resumed.translate(sources)] == [s.upper() for s in sources]
    assert len(resumed.hits) == 6  # the next build goes on from the memory
    again.close()


def _project(tmp_path: Path, settings: str = "") -> Path:
    project = tmp_path / "edition"
    (project / "corpus").mkdir(parents=True)
    first = sorted((ROOT / "corpus").glob("*.md"))[0]
    (project / "corpus" / first.name).write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    (project / "glossary").mkdir()
    (project / "glossary" / "terms.csv").write_text((ROOT / "glossary" / "terms.csv").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    (project / "edition.toml").write_text(settings, encoding="utf-8")
    return project


def test_a_local_build_never_imports_ray(tmp_path):
    project = _project(tmp_path)
    code = ("import sys; from translate.pipeline import build_edition; from translate.settings import load_settings\n"
            f"build_edition(load_settings({str(project)!r}), engine_name='gloss', pdf=False, epub=False)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] == 'ray'}))\n"
            "print(sorted(m for m in sys.modules if m.startswith('translate.cluster')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[:2] == ["[]", "[]"]
    assert json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))["edition"]["segments"] > 0


def test_cluster_settings_are_read_and_the_device_is_checked_with_its_line(tmp_path):
    project = _project(tmp_path, '[translation]\ndevice = "cuda:1"\n[cluster]\naddress = "10.0.0.5:6379"\n')
    settings = load_settings(project)
    assert (settings.device, settings.cluster_address) == ("cuda:1", "10.0.0.5:6379")
    assert load_settings(_project(tmp_path / "b")).device == "auto"
    for wrong in ("gpu", "cuda:", "cuda:x", "CUDA", "cuda:1:2"):
        (project / "edition.toml").write_text(f'[translation]\n\ndevice = "{wrong}"\n', encoding="utf-8")
        result = CliRunner().invoke(cli, ["--root", str(project), "build"])
        assert result.exit_code == 1
        assert result.output.strip() == (f"Error: {project / 'edition.toml'}:3: 'translation.device' must be one of "
                                         f"auto, cpu, cuda, cuda:N, not '{wrong}'")


@pytest.mark.parametrize("address", ["", "a b:1", "x" * 301, "host\n:1"])
def test_a_malformed_cluster_address_is_refused_before_anything_connects(tmp_path, address):
    with pytest.raises(ClusterError, match="must be HOST:PORT"):
        open_backend(address, None)


def test_build_has_a_cluster_option_and_the_ray_backend_speaks_the_protocol():
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert "--cluster ADDRESS" in result.output
    ray = pytest.importorskip("ray", reason="the cluster extra (ray) is not installed")
    from translate.cluster.raycluster import RayBackend

    assert ray.is_initialized() is False  # a backend connects on first use, not when it is made
    assert isinstance(RayBackend("127.0.0.1:1", None), Backend)


def test_a_plain_worker_process_opens_its_model_once_and_translates_as_a_chunk_worker(tmp_path, monkeypatch):
    """What a Dask worker runs: the engine opened on the first chunk and kept for the next ones."""
    import translate.cluster.work as work
    from translate.glossary import Glossary
    from translate.translation import open_engine

    settings = load_settings(_project(tmp_path))
    engine = open_engine(settings, "gloss")
    spec = work.EngineSpec(settings, engine.name, engine.model_id, engine.options, 2)
    opened = []
    real = work.open_worker_engine
    monkeypatch.setattr(work, "open_worker_engine", lambda spec: opened.append(spec) or real(spec))
    monkeypatch.setattr(work, "_workers", {})
    glossary = Glossary.load(settings.glossary_path)
    chunks = [["人工智能改变了世界。", "他说：“模型很大。”"], ["大模型的训练需要数据。"]]
    results = [work.translate_chunk(spec, chunk, glossary) for chunk in chunks]
    assert len(opened) == 1  # one model for every chunk of this process
    fresh = work.ChunkWorker(spec)
    assert [[r.en for r in result] for result in results] == [[r.en for r in fresh.translate(c, glossary)]
                                                              for c in chunks]
    assert all(r.en for result in results for r in result)
    other = work.EngineSpec(settings, engine.name, engine.model_id, engine.options, 1)
    work.translate_chunk(other, chunks[1], glossary)
    assert len(opened) == 3  # another spec is another worker (the fresh one above opened its own)


def test_a_glossary_sent_to_a_worker_finds_what_the_drivers_finds_exact_case_terms_too(tmp_path):
    """A worker gets the glossary pickled: a case-exact term ("Meta") must not match "meta" there either
    (the matcher's exact-case table was keyed by the terms' ids, which a copy does not keep)."""
    import pickle

    from translate.glossary import Glossary

    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "terms.csv").write_text("zh,en,variants,keep,case,kind,note,alternates,pos\n"
                                        "大模型,large model,,,,concept,,,noun\nMeta,Meta,,yes,exact,company,,,\n",
                                        encoding="utf-8")
    driver = Glossary.load(glossary / "terms.csv")
    worker = pickle.loads(pickle.dumps(driver))
    for text in ("meta tags (`og:*`) and 大模型", "Meta 发布了大模型", "the metadata"):
        assert [m.term.zh for m in worker.find(text)] == [m.term.zh for m in driver.find(text)], text
    assert [m.term.zh for m in worker.find("meta tags")] == []
