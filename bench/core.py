"""Rows of the results table, timing helpers and the table itself.

A figure is measured against a reference measured in the same run, so the ratio survives a
noisy shared machine; absolute targets (p95 in ms, seconds, MB) are checked alongside.
A figure whose code is not in this build is a row marked "not built yet", never a number.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
NOT_BUILT = "not built yet"
ERROR = "error"
PASS = "pass"  # noqa: S105 - a result label, not a password
FAIL = "FAIL"
# --quick (CI, small data, 10 rounds on a shared runner) fails only when a ratio is beyond
# three times its target: a guard against a page getting much worse (a lost index or an N+1
# costs 5-50x), not the verdict on the targets, which the full run gives
# (bench/results/latest.md). Quick runs on 30 Nov measured the referral and missing list
# page 1 at 2.4-3.2x (target 1.3x): over the target, and tracked in issue 15.
QUICK_MARGIN = 2.0


@dataclass
class Row:
    figure: str
    ours: str = ""
    reference: str = ""
    # What an exact count costs: the old full-count reference, shown beside the fair one.
    exact: str = ""
    ratio: float | None = None
    # ("<=", 1.3): ours/reference at most 1.3; (">=", 0.8): at least 0.8.
    ratio_target: tuple[str, float] | None = None
    # Absolute checks as (label, measured, limit): measured <= limit passes.
    limits: list[tuple[str, float, float]] = field(default_factory=list)
    target: str = ""
    status: str = ""
    note: str = ""

    def ratio_ok(self, margin: float = 0.0) -> bool:
        if self.ratio_target is None or self.ratio is None:
            return True
        op, limit = self.ratio_target
        if op == "<=":
            return self.ratio <= limit * (1 + margin)
        return self.ratio >= limit * (1 - margin)

    def finish(self) -> "Row":
        """Decide pass/fail from the ratio and the absolute limits (unless already decided)."""
        if self.status in (NOT_BUILT, ERROR):
            return self
        failed = [label for label, value, limit in self.limits if value > limit]
        if not self.ratio_ok():
            failed.insert(0, "ratio")
        self.status = PASS if not failed else FAIL
        if failed:
            self.note = "; ".join(p for p in (self.note, "missed: " + ", ".join(failed)) if p)
        return self

    def quick_failure(self) -> bool:
        """What fails `--quick`: an error, or a ratio beyond three times its target."""
        return self.status == ERROR or not self.ratio_ok(QUICK_MARGIN)


def compared(
    figure: str,
    ours_ms: list[float],
    reference_ms: list[float],
    *,
    at_most: float,
    target: str,
    ours_detail: str = "",
    reference_detail: str = "",
    exact: str = "",
    limits: list[tuple[str, float, float]] | None = None,
    note: str = "",
) -> Row:
    """A finished row of timings against their reference's, each as "median (p95)" and its
    detail; the ratio of the medians at most `at_most`."""
    return Row(
        figure=figure,
        ours=ms_text(ours_ms) + ours_detail,
        reference=ms_text(reference_ms) + reference_detail,
        exact=exact,
        ratio=median(ours_ms) / median(reference_ms),
        ratio_target=("<=", at_most),
        limits=limits or [],
        target=target,
        note=note,
    ).finish()


def not_built(figure: str, target: str, what: str) -> Row:
    return Row(figure=figure, target=target, status=NOT_BUILT, note=f"{what} is not in this build")


def errored(figure: str, target: str, error: BaseException) -> Row:
    return Row(
        figure=figure, target=target, status=ERROR, note=f"{type(error).__name__}: {error}"[:200]
    )


def child(script: str, *args: str, timeout: float) -> dict[str, Any]:
    """Run one of the bench's child scripts (bench/import_child.py, bench/pdf_child.py) in a
    fresh process, so its time and peak memory are its own; the JSON its last line prints.
    A failure raises the last line of its error output."""
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(BENCH_DIR / script), *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError((result.stderr.strip().splitlines() or ["failed"])[-1])
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def timed(fn: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def interleaved(
    ours: Callable[[], object], reference: Callable[[], object], *, runs: int, warmup: int = 3
) -> tuple[list[float], list[float]]:
    """Time both, alternating, so both see the same noise from the neighbours."""
    for _ in range(warmup):
        ours()
        reference()
    ours_ms, ref_ms = [], []
    for i in range(runs):
        if i % 2:
            ref_ms.append(timed(reference))
            ours_ms.append(timed(ours))
        else:
            ours_ms.append(timed(ours))
            ref_ms.append(timed(reference))
    return ours_ms, ref_ms


def interleaved_many(
    functions: list[Callable[[], object]], *, runs: int, warmup: int = 3
) -> list[list[float]]:
    """Time several, in a rotating order each round, so all see the same neighbours' noise
    and none always runs first (cold) or last."""
    for _ in range(warmup):
        for function in functions:
            function()
    times: list[list[float]] = [[] for _ in functions]
    count = len(functions)
    for i in range(runs):
        for j in range(count):
            k = (i + j) % count
            times[k].append(timed(functions[k]))
    return times


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms_text(values: list[float]) -> str:
    return f"{median(values):.1f} ms (p95 {p95(values):.1f})"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table (also what the terminal shows)."""
    lines = [
        "| figure | ours | fair reference | ratio | target | result | exact-count reference |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        result = row.status + (f" ({row.note})" if row.note else "")
        lines.append(
            f"| {row.figure} | {row.ours or '-'} | {row.reference or '-'} | {ratio} | "
            f"{row.target} | {result} | {row.exact or '-'} |"
        )
    return "\n".join(lines)
