"""The machine a benchmark ran on: processor, cores, caches, CTranslate2's backend and ISA, the GC's thresholds.

Ratios move between processors (``docs/performance.md``, "Why ratios move"), so every run of
``python -m bench`` prints this in its header and writes it into ``build/bench/results.json``,
and every row there names the machine it was measured on (:func:`label`).

CTranslate2 chooses its kernels when it loads: MKL on Intel processors and oneDNN elsewhere
unless ``CT2_USE_MKL`` says otherwise, and AVX-512 only on Intel unless ``CT2_FORCE_CPU_ISA``
says otherwise. What it chose is read from its own log (``CT2_VERBOSE=1``) in a child process
that loads the smallest test model, so the figures name what actually ran, not a guess.
Everything is parsed from text by pure functions (:func:`cpu_info`, :func:`ct2_config`), which
the tests feed by hand.
"""

from __future__ import annotations

import gc
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

from bench import REPO

#: The smallest CTranslate2 model in the repository: loading it makes CTranslate2 log its configuration.
PROBE_MODEL = REPO / "tests" / "fixtures" / "models" / "opus-mt-zh-en-tiny"
#: Environment variables that change which kernels CTranslate2 (and MKL, oneDNN, OpenMP) run.
ENVIRONMENT = ("CT2_USE_MKL", "CT2_FORCE_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA",
               "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PYTHONHASHSEED")
#: CPU flags worth recording (vector width and int8 dot products), as /proc/cpuinfo spells them.
FLAGS = ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")


def cpu_info(text: str) -> dict:
    """The processor from ``/proc/cpuinfo``'s text: model name, vendor, logical CPUs, the flags of :data:`FLAGS`, ISA."""
    fields: dict[str, str] = {}
    processors = 0
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key = key.strip()
        if key == "processor":
            processors += 1
        fields.setdefault(key, value.strip())
    flags = set(fields.get("flags", "").split())
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "AVX" if "avx" in flags else \
        "SSE" if flags else ""
    return {"processor": fields.get("model name", "") or platform.processor() or platform.machine(),
            "vendor": fields.get("vendor_id", ""), "logical_cpus": processors,
            "flags": [f for f in FLAGS if f in flags], "isa": isa}


def ct2_config(log: str) -> dict:
    """CTranslate2's configuration from its ``CT2_VERBOSE=1`` log: selected ISA, MKL or not, each GEMM's backend."""
    found: dict = {}
    patterns = {"cpu": r"CPU: (\S+)", "isa": r"Selected ISA: (\S+)", "mkl": r"Use Intel MKL: (\w+)",
                "sgemm": r"SGEMM backend: (\w+)", "gemm_s16": r"GEMM_S16 backend: (\w+)",
                "gemm_s8": r"GEMM_S8 backend: (\w+)", "compute_type": r"Selected compute type: (\S+)"}
    for key, pattern in patterns.items():
        match = re.search(pattern, log)
        if match:
            found[key] = match.group(1)
    if "mkl" in found:
        found["mkl"] = found["mkl"] == "true"
    names = {"DNNL": "oneDNN", "MKL": "MKL", "none": "CTranslate2's own", "ACCELERATE": "Accelerate",
             "OPENBLAS": "OpenBLAS", "RUY": "Ruy"}
    gemm = found.get("gemm_s8") or found.get("sgemm")
    if gemm:
        found["backend"] = names.get(gemm, gemm)
    return found


def _caches() -> dict[str, str]:
    """Cache sizes of the first CPU from sysfs (``L1d``, ``L2``, ``L3``); empty where sysfs has none."""
    out: dict[str, str] = {}
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            level = (index / "level").read_text().strip()
            kind = (index / "type").read_text().strip()
            size = (index / "size").read_text().strip()
        except OSError:
            continue
        if kind != "Instruction":
            out[f"L{level}{'d' if kind == 'Data' else ''}"] = size
    return out


def probe_ct2(env: dict | None = None, timeout: float = 60) -> dict:
    """What CTranslate2 selects in a fresh process with ``env`` added: version, ISA, backend (empty when it cannot load)."""
    code = ("import ctranslate2, sys; print(ctranslate2.__version__); "
            "print(','.join(sorted(ctranslate2.get_supported_compute_types('cpu')))); "
            f"ctranslate2.Translator({str(PROBE_MODEL)!r}, device='cpu', compute_type='auto')")
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {}), "CT2_VERBOSE": "1"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"error": str(exc)[:200]}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    version, compute_types = (done.stdout.splitlines() + ["", ""])[:2]
    return {"version": version, "compute_types": compute_types.split(",") if compute_types else [],
            **ct2_config(done.stderr)}


def cores() -> int:
    """The CPUs this process may run on (its affinity), which is what the engine's threads use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def machine(probe: bool = True) -> dict:
    """Everything about this machine that moves a ratio (see the module docstring); ``probe``: ask CTranslate2 too."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    info = {**cpu_info(text), "cores": cores(), "cpu_count": os.cpu_count() or 0, "caches": _caches(),
            "python": platform.python_version(), "gc_thresholds": list(gc.get_threshold()),
            "environment": {name: os.environ[name] for name in ENVIRONMENT if name in os.environ}}
    info["ctranslate2"] = probe_ct2() if probe else {}
    info["label"] = label(info)
    return info


def label(info: dict) -> str:
    """The short name every row carries: ``AMD EPYC (AVX2, L2 512K), 2 cores, CTranslate2 oneDNN AVX2``.

    The processor's own ISA and second-level cache are in it: two hosts may give the same model name (a virtual
    machine's ``AMD EPYC``) and differ in both, and their ratios with them (``docs/performance.md``).
    """
    ct2 = info.get("ctranslate2") or {}
    engine = f", CTranslate2 {ct2['backend']} {ct2.get('isa', '')}".rstrip() if ct2.get("backend") else ""
    l2 = (info.get("caches") or {}).get("L2")
    traits = ", ".join(t for t in (info.get("isa"), f"L2 {l2}" if l2 else "") if t)
    name = info.get("processor") or "unknown processor"
    return f"{name}{f' ({traits})' if traits else ''}, {info.get('cores', '?')} cores{engine}"


def kind(info: dict) -> str:
    """``Intel``, ``AMD`` or the vendor as given: the processor kind a target must hold on."""
    vendor = info.get("vendor", "")
    return {"GenuineIntel": "Intel", "AuthenticAMD": "AMD"}.get(vendor, vendor or "unknown")


def header(info: dict) -> str:
    """The lines ``python -m bench`` prints before its table."""
    ct2 = info.get("ctranslate2") or {}
    caches = ", ".join(f"{k} {v}" for k, v in (info.get("caches") or {}).items())
    cpu = (f"processor: {info.get('processor')} ({kind(info)}), {info.get('cores')} cores for this process "
           f"(of {info.get('cpu_count')})")
    lines = [cpu + (f"; caches {caches}" if caches else "")]
    env = info.get("environment") or {}
    lines.append(f"ISA: {info.get('isa') or 'unknown'} (flags: {' '.join(info.get('flags') or []) or 'none'}); "
                 f"CT2_FORCE_CPU_ISA {env.get('CT2_FORCE_CPU_ISA', 'unset')}")
    if ct2.get("error"):
        lines.append(f"CTranslate2: could not be probed ({ct2['error']})")
    elif ct2:
        mkl = "MKL" if ct2.get("mkl") else "no MKL"
        lines.append(f"CTranslate2 {ct2.get('version', '?')}: {ct2.get('backend', '?')} ({mkl}; "
                     f"CT2_USE_MKL {env.get('CT2_USE_MKL', 'unset')}), selected ISA {ct2.get('isa', '?')}, "
                     f"compute type {ct2.get('compute_type', '?')}")
    lines.append(f"Python {info.get('python')}, gc thresholds {tuple(info.get('gc_thresholds') or ())}")
    if ct2.get("mkl") and kind(info) == "AMD":
        lines.append("warning: CTranslate2 runs MKL on an AMD processor, whose int8 products take a slow path there "
                     "(8× oneDNN's CPU time, docs/performance.md): unset CT2_USE_MKL")
    return "\n".join(lines)
