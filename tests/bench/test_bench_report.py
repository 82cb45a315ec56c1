"""The bench's header (which machine) and the performance page's figures generated from a results file."""

import json
import platform

import pytest

from bench import Row, target_problem
from bench import report
from bench.machine import ct2_config, cpu_info, header, label, probe_ct2

INTEL_CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512_vnni

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512_vnni
"""

AMD_CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B12
flags\t\t: fpu sse4_2 avx avx2 fma
"""

CT2_LOG = """[2026-12-05 04:00:00.000] [ctranslate2] [thread 1] [info] CPU: AuthenticAMD (SSE4.1=true, AVX=true, AVX2=true, AVX512=true)
[2026-12-05 04:00:00.000] [ctranslate2] [thread 1] [info]  - Selected ISA: AVX2
[2026-12-05 04:00:00.000] [ctranslate2] [thread 1] [info]  - Use Intel MKL: {mkl}
[2026-12-05 04:00:00.000] [ctranslate2] [thread 1] [info]  - SGEMM backend: {gemm} (packed: false)
[2026-12-05 04:00:00.000] [ctranslate2] [thread 1] [info]  - GEMM_S16 backend: none (packed: false)
[2026-12-05 04:00:00.000] [ctranslate2] [thread 1] [info]  - GEMM_S8 backend: {gemm} (packed: false, u8s8 preferred: true)
[2026-12-05 04:00:00.000] [ctranslate2] [thread 1] [info]  - Selected compute type: int8_float32
"""


def test_the_processor_and_its_vector_width_come_from_cpuinfo():
    intel, amd = cpu_info(INTEL_CPUINFO), cpu_info(AMD_CPUINFO)
    assert intel["processor"].startswith("Intel(R) Xeon(R) Platinum 8375C") and intel["vendor"] == "GenuineIntel"
    assert intel["logical_cpus"] == 2 and intel["isa"] == "AVX-512" and "avx512_vnni" in intel["flags"]
    assert amd["processor"] == "AMD EPYC 7B12" and amd["isa"] == "AVX2" and "avx512f" not in amd["flags"]


@pytest.mark.parametrize(("mkl", "gemm", "backend"), [("true", "MKL", "MKL"), ("false", "DNNL", "oneDNN")])
def test_ctranslate2s_backend_is_read_from_its_own_log(mkl, gemm, backend):
    found = ct2_config(CT2_LOG.format(mkl=mkl, gemm=gemm))
    assert found["backend"] == backend and found["mkl"] is (mkl == "true")
    assert found["isa"] == "AVX2" and found["compute_type"] == "int8_float32"


def test_the_header_names_processor_cores_backend_isa_and_gc_thresholds():
    info = {**cpu_info(AMD_CPUINFO), "cores": 2, "cpu_count": 4, "caches": {"L2": "512K"}, "python": "3.11.7",
            "gc_thresholds": [700, 10, 10], "environment": {"CT2_FORCE_CPU_ISA": "AVX2"},
            "ctranslate2": {"version": "4.8.5", **ct2_config(CT2_LOG.format(mkl="false", gemm="DNNL"))}}
    text = header(info)
    for expected in ("AMD EPYC 7B12 (AMD)", "2 cores", "(of 4)", "L2 512K", "oneDNN", "no MKL",
                     "selected ISA AVX2", "CT2_FORCE_CPU_ISA AVX2", "(700, 10, 10)"):
        assert expected in text
    assert label(info) == "AMD EPYC 7B12 (AVX2, L2 512K), 2 cores, CTranslate2 oneDNN AVX2"
    # Two hosts with one model name and different processors are two machines (their rows are kept apart).
    other = {**info, **cpu_info(AMD_CPUINFO.replace("avx2", "avx2 avx512f")), "caches": {"L2": "1024K"}}
    assert label(other) == "AMD EPYC 7B12 (AVX-512, L2 1024K), 2 cores, CTranslate2 oneDNN AVX2"
    assert "warning" not in text
    with_mkl = {**info, "ctranslate2": {"version": "4.8.5", **ct2_config(CT2_LOG.format(mkl="true", gemm="MKL"))}}
    assert "warning: CTranslate2 runs MKL on an AMD processor" in header(with_mkl)
    assert "warning" not in header({**with_mkl, **cpu_info(INTEL_CPUINFO)})


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="CTranslate2's x86 wheels carry MKL")
def test_the_probe_reports_the_backend_ct2_use_mkl_selects():
    assert probe_ct2({"CT2_USE_MKL": "1"})["backend"] == "MKL"
    off = probe_ct2({"CT2_USE_MKL": "0"})
    assert off["backend"] != "MKL" and off["mkl"] is False


def test_only_latencies_may_have_a_target_in_seconds():
    assert target_problem(Row("build", "cold build", "8.0 s", "≤ 15 s", True))
    assert target_problem(Row("t", "speed", "71.6 sent/s", "≥ 50 sent/s", True))
    assert not target_problem(Row("serve", "edit → reload", "0.9 s", "≤ 1 s", True, latency=True))
    assert not target_problem(Row("translation", "engine vs limit", "1.08×", "≤ 1.1×", True))
    assert not target_problem(Row("build", "cold build", "8.0 s"))


AMD = {"label": "AMD EPYC 7B12, 2 cores, CTranslate2 oneDNN AVX2", "vendor": "AuthenticAMD",
       "processor": "AMD EPYC 7B12", "cores": 2, "isa": "AVX2", "ctranslate2": {"version": "4.8.5", "backend": "oneDNN"}}
INTEL = {"label": "Intel Xeon, 2 cores, CTranslate2 MKL AVX512", "vendor": "GenuineIntel", "processor": "Intel Xeon",
         "cores": 2, "isa": "AVX-512", "ctranslate2": {"version": "4.8.5", "backend": "MKL", "mkl": True}}


def _row(benchmark, measure, shown, target="", met=None):
    return Row(benchmark, measure, shown, target, met).to_json()


def test_a_run_replaces_its_benchmarks_rows_on_its_machine_and_keeps_the_rest():
    start = report.merge({"format": 2, "machines": {}, "rows": []},
                         [_row("translation", "engine vs limit", "1.20×", "≤ 1.1×", False),
                          _row("pdf", "edition vs WeasyPrint", "2.6×", "≥ 2.5×", True)], AMD, "2026-12-04")
    start = report.merge(start, [_row("translation", "engine vs limit", "1.05×", "≤ 1.1×", True)], INTEL, "2026-12-04")
    again = report.merge(start, [_row("translation", "engine vs limit", "1.07×", "≤ 1.1×", True)], AMD, "2026-12-05")
    seen = {(r["benchmark"], r["machine"]): (r["shown"], r["measured"]) for r in again["rows"]}
    assert len(again["rows"]) == 3
    assert seen[("translation", AMD["label"])] == ("1.07×", "2026-12-05")  # replaced, no history
    assert seen[("translation", INTEL["label"])] == ("1.05×", "2026-12-04")  # another machine's: kept
    assert seen[("pdf", AMD["label"])] == ("2.6×", "2026-12-04")  # a benchmark that did not run: kept
    assert set(again["machines"]) == {AMD["label"], INTEL["label"]}


@pytest.fixture
def results_file(tmp_path):
    results = report.merge({"format": 2, "machines": {}, "rows": []},
                           [_row("translation", "engine vs limit", "1.07×", "≤ 1.1×", True),
                            _row("pdf", "plain | WeasyPrint", "4.1 s")], AMD, "2026-12-05")
    results = report.merge(results, [_row("translation", "engine vs limit", "1.04×", "≤ 1.1×", True)], INTEL,
                           "2026-12-06")
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results), encoding="utf-8")
    return path


def test_the_figures_are_a_function_of_the_results_each_row_under_its_machine(results_file):
    results = report.load(results_file)
    text = report.figures(results)
    assert text == report.figures(report.load(results_file))
    amd, intel = text.index(f"### Measured on {AMD['label']}"), text.index(f"### Measured on {INTEL['label']}")
    assert amd < text.index("| 1.07× | ≤ 1.1× | yes |") < intel < text.index("| 1.04× | ≤ 1.1× | yes |")
    assert "plain \\| WeasyPrint" in text  # a cell's bar does not break the table
    assert "| " + AMD["label"] + " | translation, pdf | 2026-12-05 |" in text
    assert "CTranslate2 4.8.5 with MKL (MKL)" in text and "AMD processor `AMD EPYC 7B12`" in text
    assert "Not in the results yet (run `python -m bench build profile" in text  # translation and pdf ran


def test_bench_docs_rewrites_only_the_generated_section(tmp_path, results_file, capsys):
    page = tmp_path / "performance.md"
    page.write_text(f"# Performance\n\nprose before\n\n{report.BEGIN}\nold figures\n{report.END}\n\nprose after\n",
                    encoding="utf-8")
    assert report.main([str(results_file), "--page", str(page), "--check"]) == 1
    assert report.main([str(results_file), "--page", str(page)]) == 0
    written = page.read_text(encoding="utf-8")
    assert "old figures" not in written and "| 1.04× |" in written
    assert written.startswith("# Performance\n\nprose before\n\n") and written.endswith(f"{report.END}\n\nprose after\n")
    assert report.main([str(results_file), "--page", str(page), "--check"]) == 0
    page.write_text("# Performance\n\nno markers\n", encoding="utf-8")
    assert report.main([str(results_file), "--page", str(page)]) == 2
    assert "no generated section" in capsys.readouterr().err


def test_the_first_format_a_bare_list_is_read_with_its_machine_unknown(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps([_row("align", "strict F1", "0.996", "≥ 0.85", True)]), encoding="utf-8")
    results = report.load(path)
    assert results["rows"][0]["machine"] == report.UNKNOWN
    assert "does not say which machine" in report.figures(results)
    rerun = report.merge(results, [_row("align", "strict F1", "0.997", "≥ 0.85", True)], AMD, "2026-12-05")
    assert [(r["machine"], r["shown"]) for r in rerun["rows"]] == [(AMD["label"], "0.997")]
    path.write_text('{"rows": [{"measure": "no benchmark"}]}', encoding="utf-8")
    with pytest.raises(report.ResultsError, match="row 1"):
        report.load(path)


def test_the_edit_floor_counts_only_the_articles_holding_the_term_and_divides_by_the_cores(monkeypatch):
    from bench.build import _edit_floor

    monkeypatch.setattr("bench.build.cores", lambda: 2)
    reset = [{"a.pdf": (3.0, 2.0), "b.pdf": (3.0, 3.0), "_glossary.pdf": (4.0, 2.5)},
             {"a.pdf": (3.0, 2.2), "b.pdf": (3.0, 2.8), "_glossary.pdf": (4.0, 2.5), "back.pdf": (0.1, 0.1)}]
    everything, held = _edit_floor([9.0, 10.0, 11.0], reset, {"a", "b"}, article_cpu=2.5)
    assert everything.value == "4.00×" and everything.number == 4.0
    assert "cannot take less than 2.00× a plain article" in everything.note
    assert "_glossary.pdf 2.5 s" in everything.note and "back.pdf 0.1 s" in everything.note
    # a 2.1 s, b 2.9 s (medians over the edits that set them): 5.0 s, 2.0× one plain article, 1.0× on 2 cores.
    assert held.value == "2.00×" and held.number == 2.0
    assert "5.0 s CPU for the 2 articles" in held.note and "at least 1.00× a plain article" in held.note
