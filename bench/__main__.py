"""``python -m bench`` (``make bench``): run every benchmark and print one table of ratios.

    python -m bench                      # all of them
    python -m bench translation scale    # only these
    python -m bench docs                 # docs/performance.md's figures from build/bench/results.json

A benchmark that cannot run (a stage missing, no fonts for the PDF) is reported
as one row saying why; the others still run. The header names the machine
(:mod:`bench.machine`: processor, cores, CTranslate2's backend and ISA, the GC's
thresholds). The rows are also written to ``build/bench/results.json``
(:mod:`bench.report`): one object per row with ``benchmark``, ``measure``, ``value`` (a
number, or null for a row without one), ``unit``, ``target`` and ``met`` (and ``shown``,
the value as printed, ``note``, ``latency``, and the ``machine`` it was measured on),
replacing the rows the same benchmarks left there on the same machine.

Every target is a ratio to a baseline measured in the same run, or a user-facing latency
(``Row.latency``): a row whose target is an absolute time breaks that rule, and the table
and the summary say so (:func:`bench.target_problem`).
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

from bench import Row, target_problem
from bench.report import BENCHMARKS, RESULTS



def _as_row(name: str, row) -> Row:
    """A :class:`Row` from whatever a module returned (a Row, a dict, or a tuple)."""
    if isinstance(row, Row):
        return row
    if isinstance(row, dict):
        known = {k: row.get(k) for k in ("benchmark", "measure", "value", "target", "met", "note", "unit", "latency")
                 if k in row}
        rest = {k: v for k, v in row.items() if k not in known}
        measure = known.get("measure") or row.get("name") or row.get("label") or ""
        value = known.get("value")
        if value is None:
            value = ", ".join(f"{k}={v}" for k, v in rest.items() if k not in ("name", "label"))
        number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        return Row(benchmark=str(known.get("benchmark") or name), measure=str(measure), value=str(value),
                   target=str(known.get("target") or ""), met=known.get("met"), note=str(known.get("note") or ""),
                   number=number, unit=str(known.get("unit") or ""), latency=bool(known.get("latency")))
    if isinstance(row, (tuple, list)):
        cells = [str(c) for c in row]
        return Row(name, cells[0] if cells else "", " ".join(cells[1:2]), " ".join(cells[2:3]), None,
                   " ".join(cells[3:]))
    return Row(name, "", str(row))


def run_benchmark(name: str) -> list[Row]:
    """Rows of one benchmark, or one row saying why it could not run."""
    try:
        module = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as exc:
        if exc.name in (f"bench.{name}", "bench." + name):
            return [Row(name, "(not run)", "-", note=f"bench/{name}.py does not exist yet")]
        return [Row(name, "(not run)", "-", note=f"cannot import: {exc}")]
    run = getattr(module, "run", None)
    if run is None:
        return [Row(name, "(not run)", "-", note=f"bench/{name}.py has no run()")]
    try:
        return [_as_row(name, row) for row in run()]
    except Exception as exc:  # a broken benchmark must not hide the others' figures
        traceback.print_exc(file=sys.stderr)
        return [Row(name, "(failed)", "-", note=f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:160])]


def format_table(rows: list[Row]) -> str:
    """The table: benchmark, measure, value, target, met, note."""
    header = ("benchmark", "measure", "value", "target", "met", "note")
    cells = [header] + [
        (r.benchmark, r.measure, r.value, r.target + (" (latency)" if r.target and r.latency else ""),
         {True: "yes", False: "NO", None: ""}[r.met],
         "; ".join(filter(None, [f"RULE: {target_problem(r)}" if target_problem(r) else "", r.note])))
        for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row[:5], widths)) + "  " + row[5])
        if n == 0:
            lines.append("-" * (sum(widths) + 2 * 5 + 4))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["docs"]:
        from bench import report

        return report.main(argv[1:])
    from bench.machine import header, machine

    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"Error: unknown benchmark {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})", file=sys.stderr)
        return 2
    _compile_package()
    info = machine()
    print(header(info), flush=True)
    measured = time.strftime("%Y-%m-%d", time.gmtime())
    rows: list[Row] = []
    for name in names:
        start = time.perf_counter()
        print(f"[bench] {name} …", file=sys.stderr, flush=True)
        rows += run_benchmark(name)
        print(f"[bench] {name} done in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    print()
    print(header(info))
    print()
    print(format_table(rows))
    results = write_results(rows, info, measured)
    missed = [r for r in rows if r.met is False]
    broken = [r for r in rows if target_problem(r)]
    print()
    print(f"{sum(r.met is True for r in rows)} targets met, {len(missed)} missed"
          + (": " + "; ".join(f"{r.benchmark} {r.measure}" for r in missed) if missed else ""))
    if broken:
        print(f"{len(broken)} targets on an absolute time (the rule: a ratio to a baseline of the same run, or a "
              "latency): " + "; ".join(f"{r.benchmark} {r.measure}" for r in broken))
    print(f"rows written to {results} (machine: {info['label']}); `python -m bench docs` puts them into "
          "docs/performance.md")
    return 0


def _compile_package() -> None:
    """The package's modules compiled to bytecode, as an installed wheel's are (pip compiles them at install).

    A checkout's modules are compiled by the first process that imports them, unless PYTHONDONTWRITEBYTECODE is
    set or a module changed since: then every fresh process the benchmarks start would compile them again
    (0.2 s of CPU and more), charged to whichever side imports more of the package.
    """
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "translate"), quiet=1)


def write_results(rows: list[Row], info: dict, measured: str, path: Path = RESULTS) -> Path:
    """Put the rows into the results file (:func:`bench.report.merge`: other benchmarks' rows stay); return the path."""
    from bench import report

    try:
        old = report.load(path)
    except report.ResultsError:
        old = {"format": report.FORMAT, "machines": {}, "rows": []}  # an unreadable file is replaced, not kept
    return report.write(report.merge(old, [row.to_json() for row in rows], info, measured), path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
