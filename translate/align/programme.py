"""The dynamic programme over beads, in a band of the grid, with numpy: row by row, a row's cells at once.

Cell (i, j) of the grid: the first i Chinese and the first j English sentences aligned. A band gives
each row i its columns ``lo[i]..hi[i]``; its cells are numbered row by row. A bead shape (di, dj)
reaches cell (i, j) from (i - di, j - dj) when that cell lies in the band too. The caller gives every
bead's cost (a float per cell and shape); the programme adds them in the order a per-cell loop would
(the cost into the cell, then the bead's) and a tie goes to the shape listed first, so its paths are
exactly those of such a loop. A shape with di = 0 (an English sentence left out) links cells of one
row: that row is settled by sweeping it until nothing improves, which is one or two sweeps where
nothing is left out and never gives another value than a cell-by-cell pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

INF = float("inf")
#: Sweeps of a row along its di = 0 shape before the rest of the row is settled cell by cell.
SWEEPS = 8


@dataclass(frozen=True, eq=False)
class Band:
    """The cells of a band: per row its first and last column, and where its cells start in the numbering."""

    lo: np.ndarray
    """First column of each row 0..n."""
    hi: np.ndarray
    """Last column of each row (inclusive)."""
    start: np.ndarray
    """The number of row i's first cell; ``start[n + 1]`` is the count of cells."""
    rows: np.ndarray
    """The row of each cell."""
    cols: np.ndarray
    """The column of each cell."""

    @classmethod
    def of(cls, lo: Sequence[int], hi: Sequence[int]) -> "Band":
        lo, hi = np.asarray(lo, dtype=np.int64), np.asarray(hi, dtype=np.int64)
        widths = hi - lo + 1
        if (widths < 1).any():
            raise ValueError(f"a band's row {int(np.argmax(widths < 1))} has no column")
        start = np.concatenate(([0], np.cumsum(widths)))
        rows = np.repeat(np.arange(len(lo), dtype=np.int64), widths)
        cols = np.arange(start[-1], dtype=np.int64) - np.repeat(start[:-1], widths) + np.repeat(lo, widths)
        return cls(lo, hi, start, rows, cols)

    @property
    def size(self) -> int:
        return int(self.start[-1])

    @property
    def n(self) -> int:
        return len(self.lo) - 1

    def index(self, i, j):
        """The numbers of cells (i, j) (arrays or ints); :attr:`size` for a cell outside the band."""
        i, j = np.asarray(i), np.asarray(j)
        inside = (i >= 0) & (i <= self.n)
        row = np.where(inside, i, 0)
        inside &= (j >= self.lo[row]) & (j <= self.hi[row])
        return np.where(inside, self.start[row] + j - self.lo[row], self.size)

    def cell(self, i: int, j: int) -> int:
        return int(self.start[i] + j - self.lo[i])


def steps(band: Band, shapes: Sequence[tuple[int, int]]) -> np.ndarray:
    """Per shape and cell, the cell the bead starts from (:attr:`Band.size` where it lies outside the band)."""
    return np.stack([band.index(band.rows - di, band.cols - dj) for di, dj in shapes])


def _sweep(values: np.ndarray, step: np.ndarray) -> np.ndarray:
    """``values`` made ``r[k] = min(values[k], r[k - 1] + step[k])``, k ascending (``step[0]`` unused), in place."""
    if len(values) < 2:
        return values
    through = values[:-1] + step[1:]
    if not (through < values[1:]).any():  # the common case: no run of the shape anywhere in the row
        return values
    start = values.copy()
    for _ in range(SWEEPS):
        np.minimum(values[1:], through, out=values[1:])
        through = values[:-1] + step[1:]
        if not (through < values[1:]).any():
            return values
    # A long run of the shape (a stretch of English left out): cell by cell.
    out, add = start.tolist(), step.tolist()
    for k in range(1, len(out)):
        through = out[k - 1] + add[k]
        if through < out[k]:
            out[k] = through
    values[:] = out
    return values


def _flat(shapes: Sequence[tuple[int, int]]) -> tuple[int, list[int]]:
    """The shape with di = 0, and the others."""
    (flat,) = [s for s, (di, _) in enumerate(shapes) if di == 0]
    return flat, [s for s in range(len(shapes)) if s != flat]


def forward(band: Band, before: np.ndarray, beads: np.ndarray,
            shapes: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's least cost from (0, 0) (and INF at index :attr:`Band.size`) and the shape that reaches it
    (-1: none; of shapes as cheap, the first). ``before``: :func:`steps`; ``beads``: per shape and cell, the
    cost of the bead ending there."""
    flat, others = _flat(shapes)
    cost = np.full(band.size + 1, INF)
    came, paid = before[others], beads[others]
    flat_bead = beads[flat]
    start = band.start.tolist()
    for i in range(band.n + 1):
        r0, r1 = start[i], start[i + 1]
        values = (cost[came[:, r0:r1]] + paid[:, r0:r1]).min(axis=0)
        if i == 0:
            values[0] = 0.0
        cost[r0:r1] = _sweep(values, flat_bead[r0:r1])
    # Each cell's cost is the least of these sums, added as above: the first shape that gives it reaches it.
    choice = (cost[before] + beads).argmin(axis=0).astype(np.int8)
    choice[cost[:-1] == INF] = -1
    choice[0] = -1
    return cost, choice


def backward(band: Band, before: np.ndarray, beads: np.ndarray, cost: np.ndarray,
             shapes: Sequence[tuple[int, int]]) -> np.ndarray:
    """Each cell's least cost to (n, m), the last cell (INF at index :attr:`Band.size`). A bead from a cell
    the forward pass could not reach counts as INF (as it does where the forward pass never costed it)."""
    flat, others = _flat(shapes)
    size = band.size
    after_of = np.full((len(shapes), size + 1), size, dtype=np.int64)  # the cell each bead from a cell ends in
    paid = np.full((len(shapes), size + 1), INF)
    for s in range(len(shapes)):
        inside = np.flatnonzero(before[s] < size)
        after_of[s, before[s, inside]] = inside
        paid[s, before[s, inside]] = beads[s, inside]
    paid[:, np.flatnonzero(cost[:size] == INF)] = INF
    to, pay = after_of[others], paid[others]
    flat_pay = paid[flat]
    after = np.full(size + 1, INF)
    start = band.start.tolist()
    for i in range(band.n, -1, -1):
        r0, r1 = start[i], start[i + 1]
        values = (after[to[:, r0:r1]] + pay[:, r0:r1]).min(axis=0)
        if i == band.n:
            values[-1] = 0.0
        after[r0:r1] = _sweep(values[::-1], flat_pay[r0:r1][::-1])[::-1]
    return after


def path(band: Band, choice: np.ndarray, shapes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The best path's cells from (0, 0) to (n, m)."""
    i, j = band.n, int(band.hi[band.n])
    cells = [(i, j)]
    while i > 0 or j > 0:
        s = int(choice[band.cell(i, j)])
        if s < 0:  # unreachable: the band lost the path
            raise RuntimeError(f"no alignment path through ({i}, {j})")
        i, j = i - shapes[s][0], j - shapes[s][1]
        cells.append((i, j))
    cells.reverse()
    return cells


def margins(band: Band, cost: np.ndarray, after: np.ndarray,
            cells: list[tuple[int, int]]) -> tuple[dict[int, float], dict[int, float]]:
    """For each row and column the path crosses: how much more the best path through any other cell of that
    row (column) costs than the best path."""
    size = band.size
    best = float(cost[band.cell(*cells[-1])])
    through = cost[:size] + after[:size]
    on_path = band.index([i for i, _ in cells], [j for _, j in cells])
    through[on_path] = INF
    row_least = np.minimum.reduceat(through, band.start[:-1])
    col_least = np.full(int(band.hi.max()) + 1, INF)
    np.minimum.at(col_least, band.cols, through)
    rows = {i: float(row_least[i]) - best for i in dict.fromkeys(i for i, _ in cells)}
    cols = {j: float(col_least[j]) - best for j in dict.fromkeys(j for _, j in cells)}
    return rows, cols
