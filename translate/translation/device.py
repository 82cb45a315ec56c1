"""Where a CTranslate2 model runs: ``translation.device`` (``auto``, ``cpu``, ``cuda``, ``cuda:N``).

``auto`` is a CUDA GPU when CTranslate2 sees one (``get_cuda_device_count() > 0``), else
the CPU: on a cluster each worker decides for itself, so GPU workers use their GPU and the
driver its CPU. The device is not part of the translation memory's key: a sentence is the
same sentence whichever device translated it (up to what the model's arithmetic gives).
"""

from __future__ import annotations

from translate.errors import EngineError


def ct2_device(setting: str, *, cuda_devices=None) -> dict:
    """``device`` and ``device_index`` for ``ctranslate2.Translator`` from the setting.

    ``cuda_devices``: the number of CUDA devices (default: CTranslate2's count; tests pass one).
    """
    if setting == "cpu":
        return {"device": "cpu"}
    if cuda_devices is None:
        import ctranslate2

        cuda_devices = ctranslate2.get_cuda_device_count()
    if setting == "auto":
        return {"device": "cuda", "device_index": 0} if cuda_devices > 0 else {"device": "cpu"}
    kind, _, index = setting.partition(":")
    if kind != "cuda" or (index and not index.isdigit()):
        raise EngineError(f"translation.device must be auto, cpu, cuda or cuda:N, not {setting!r}")
    number = int(index or 0)
    if number >= cuda_devices:
        seen = f"only {cuda_devices} CUDA device{'s' if cuda_devices != 1 else ''}" if cuda_devices else "no CUDA device"
        raise EngineError(f"translation.device is {setting} but CTranslate2 sees {seen} here; set it to auto or cpu "
                          "(or install CTranslate2's CUDA build and the GPU's driver)")
    return {"device": "cuda", "device_index": number}
