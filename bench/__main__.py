"""``python -m bench`` (``make bench``): run every benchmark and print one table of ratios.

    python -m bench                      # all of them
    python -m bench translation scale    # only these

A benchmark that cannot run (a stage missing, no fonts for the PDF) is reported
as one row saying why; the others still run. The rows are also written to
``build/bench/results.json``: one object per row with ``benchmark``, ``measure``,
``value`` (a number, or null for a row without one), ``unit``, ``target`` and ``met``
(and ``shown``, the value as printed, and ``note``).
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from pathlib import Path

from bench import WORK, Row

#: Benchmark modules in the order they run: bench/<name>.py, each with ``run()``.
BENCHMARKS = ("translation", "build", "profile", "scale", "pdf", "llm", "serve", "termbase", "gloss", "import_scale",
              "linear", "webpage", "align")


def _as_row(name: str, row) -> Row:
    """A :class:`Row` from whatever a module returned (a Row, a dict, or a tuple)."""
    if isinstance(row, Row):
        return row
    if isinstance(row, dict):
        known = {k: row.get(k) for k in ("benchmark", "measure", "value", "target", "met", "note", "unit") if k in row}
        rest = {k: v for k, v in row.items() if k not in known}
        measure = known.get("measure") or row.get("name") or row.get("label") or ""
        value = known.get("value")
        if value is None:
            value = ", ".join(f"{k}={v}" for k, v in rest.items() if k not in ("name", "label"))
        number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        return Row(benchmark=str(known.get("benchmark") or name), measure=str(measure), value=str(value),
                   target=str(known.get("target") or ""), met=known.get("met"), note=str(known.get("note") or ""),
                   number=number, unit=str(known.get("unit") or ""))
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
        (r.benchmark, r.measure, r.value, r.target, {True: "yes", False: "NO", None: ""}[r.met], r.note) for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row[:5], widths)) + "  " + row[5])
        if n == 0:
            lines.append("-" * (sum(widths) + 2 * 5 + 4))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"Error: unknown benchmark {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})", file=sys.stderr)
        return 2
    rows: list[Row] = []
    for name in names:
        start = time.perf_counter()
        print(f"[bench] {name} …", file=sys.stderr, flush=True)
        rows += run_benchmark(name)
        print(f"[bench] {name} done in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    print()
    print(format_table(rows))
    results = write_results(rows)
    missed = [r for r in rows if r.met is False]
    print()
    print(f"{sum(r.met is True for r in rows)} targets met, {len(missed)} missed"
          + (": " + "; ".join(f"{r.benchmark} {r.measure}" for r in missed) if missed else ""))
    print(f"rows written to {results}")
    return 0


#: The machine-readable table (one object per row).
RESULTS = WORK / "results.json"


def write_results(rows: list[Row], path: Path = RESULTS) -> Path:
    """Write the rows as a JSON list (``Row.to_json``), atomically; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2) + "\n",
                         encoding="utf-8")
    temporary.replace(path)
    return path


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
