"""translation.device: where CTranslate2 runs. The CUDA path needs a GPU: without one it is skipped, never faked."""

from pathlib import Path

import pytest

from translate.errors import EngineError
from translate.settings import Settings
from translate.translation.argos import ArgosEngine
from translate.translation.device import ct2_device

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"


def test_auto_is_the_first_gpu_when_ctranslate2_sees_one_else_the_cpu():
    assert ct2_device("auto", cuda_devices=0) == {"device": "cpu"}
    assert ct2_device("auto", cuda_devices=2) == {"device": "cuda", "device_index": 0}
    assert ct2_device("cpu", cuda_devices=0) == {"device": "cpu"}
    assert ct2_device("cuda", cuda_devices=1) == {"device": "cuda", "device_index": 0}
    assert ct2_device("cuda:1", cuda_devices=2) == {"device": "cuda", "device_index": 1}


@pytest.mark.parametrize("setting, seen", [("cuda", "no CUDA device"), ("cuda:2", "only 2 CUDA devices")])
def test_asking_for_a_gpu_that_is_not_there_is_one_error(setting, seen):
    with pytest.raises(EngineError, match=f"translation.device is {setting} but CTranslate2 sees {seen} here"):
        ct2_device(setting, cuda_devices=0 if setting == "cuda" else 2)


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    import zipfile

    folder = tmp_path_factory.mktemp("package")
    with zipfile.ZipFile(FIXTURE) as archive:
        archive.extractall(folder)
    return next(folder.iterdir())


def _engine(package, device):
    return ArgosEngine.from_package(package, Settings(root=package, device=device))


SENTENCES = ["大模型很便宜。", "我们今天开会。"]


def test_the_fixture_model_on_auto_translates_as_on_the_cpu_here_and_the_options_hold_no_device(package):
    import ctranslate2

    cpu, auto = _engine(package, "cpu"), _engine(package, "auto")
    assert auto.translator.device == ("cuda" if ctranslate2.get_cuda_device_count() else "cpu")
    assert cpu.options == auto.options and "cuda" not in cpu.options  # the memory key never holds the device
    if auto.translator.device == "cpu":
        assert auto.translate(SENTENCES) == cpu.translate(SENTENCES)


def test_the_fixture_model_on_a_gpu(package):
    import ctranslate2

    if ctranslate2.get_cuda_device_count() == 0:
        pytest.skip("no CUDA device visible to CTranslate2 on this machine (the CUDA path runs on a GPU machine)")
    gpu, cpu = _engine(package, "cuda"), _engine(package, "cpu")
    assert gpu.translator.device == "cuda"
    english = gpu.translate(SENTENCES)
    assert all(english)
    # The same model: on this fixture, trained to translate its phrases exactly, the English is the CPU's.
    assert english == cpu.translate(SENTENCES)
