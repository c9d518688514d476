"""A report a batch renders (:class:`Job`) and how it went (:class:`Outcome`): what the local
pool (:mod:`evaluation.run.pool`) and a Dask cluster (:mod:`evaluation.run.cluster`) hand back;
and the runs the local pool's kernels take the jobs in (:func:`by_insats`, :class:`Dispatch`).
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from evaluation.core.errors import Notice, redact
from evaluation.inputs.params import ReportParams


@dataclass
class Job:
    """One report to render (or a reason it cannot be)."""

    path: Path
    params: ReportParams | None = None
    digest: str = ""
    error: str = ""


@dataclass
class Outcome:
    path: Path
    status: str  # "ok" | "oforandrad" | "fel"
    message: str = ""
    seconds: float = 0.0
    folder: Path | None = None
    notices: tuple[Notice, ...] = ()  # the report's warnings (an unchanged report: as recorded in the index)
    older: tuple[str, ...] = ()  # files of formats not asked for, kept from an earlier run

    def __post_init__(self):
        self.message = redact(self.message)  # an unexpected error's text may hold a value


def by_insats(jobs: list[Job], workers: int) -> list[list[Job]]:
    """``jobs`` in runs for one kernel each: an insats's reports together, each after every period
    it is protected beside (:func:`_before_its_siblings`).

    A report is protected beside the insats's other reports (what they publish is made in its
    kernel too, :func:`evaluation.sections.siblings.published`), and what a report publishes is
    kept in the kernel for the next one: the bench's reports cost 0.39 CPU-s each made so, against
    0.47 each in a kernel of its own (a slutrapport after its years, which it is made of). A run is
    at most an even share of the reports, so that every worker has some (one insats with ten
    periods on two workers: two runs of five).

    The longest runs go first, and of runs as long, those with the most input (:func:`input_bytes`
    of their data folders): the workers take the next run as they finish one, so the last runs are
    the smallest, and a worker that is done first waits the shorter for the others. The bench's
    runs of three reports took 1.4–3.7 CPU-s, the larger the data folder (84, 128 or 132 kB) the
    longer.

    >>> from types import SimpleNamespace as P
    >>> from datetime import date
    >>> def job(insats, start, slut):
    ...     return Job(Path(f"{insats}-{start}-{slut}"), P(insats=insats, data=Path(insats),
    ...                                                   period=P(start=date(start, 1, 1), slut=date(slut, 12, 31))))
    >>> runs = by_insats([job("a", 2023, 2024), job("a", 2023, 2023), job("b", 2024, 2024), job("a", 2024, 2024)], 2)
    >>> [[j.path.name for j in run] for run in runs]
    [['a-2023-2023', 'a-2024-2024'], ['a-2023-2024'], ['b-2024-2024']]
    """
    share = max(1, -(-len(jobs) // max(1, workers)))
    grouped: dict[str, list[Job]] = {}
    for job in jobs:
        grouped.setdefault(job.params.insats, []).append(job)
    runs = []
    for group in grouped.values():
        group.sort(key=_before_its_siblings)
        runs += [group[at:at + share] for at in range(0, len(group), share)]
    size = functools.cache(input_bytes)
    return sorted(runs, key=lambda run: (len(run), sum(size(j.params.data) for j in run)), reverse=True)


def _before_its_siblings(job: Job) -> tuple:
    """The order of an insats's reports in a run: by the last day of the period, and of periods
    that end the same day the shortest first. A report's siblings (those within its period, the
    one that ends the day before it begins, those of its trend's rows) all end before it or with
    it and begin later, so each is made, and what it publishes kept, before the report that is
    protected beside it. The shortest period first, as before, put a year of May to April with
    a leap day (365 days) after the next one (364): that report's kernel made the earlier year's
    tables and their protection once beside it and again as its own report, in 6 of the 16 bench
    insatser; the build (open_report and the notices' cell) of the 48 reports, 212.1 → 208.3 and
    211.9 → 207.3 CPU-ms a report (each insats's run made both ways, alternating, in one process),
    every table and section the same."""
    return job.params.period.slut, -job.params.period.start.toordinal()


def input_bytes(folder: Path) -> int:
    """The size of the files in a data folder and its subfolders (0 when it cannot be read): how
    much a report has to read and count, the measure of its cost :func:`by_insats` orders by.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     (Path(folder) / "enkater").mkdir()
    ...     _ = (Path(folder) / "register.csv").write_text("id\\n1\\n"), (Path(folder) / "enkater" / "a.csv").write_text("x")
    ...     input_bytes(Path(folder)), input_bytes(Path(folder) / "saknas")
    (6, 0)
    """
    total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


class Dispatch:
    """Which report a worker of a local batch makes next (:mod:`evaluation.run.pool`).

    A worker takes the reports of its run in order, then the next run not yet begun; when none
    is left, the last report of the run with the most reports still waiting. Such a report
    costs its new kernel the insats's other reports that it must make too (0.47 CPU-s a bench
    report instead of 0.39), much less than a core left idle while one worker still has a whole
    run before it.

    >>> runs = [["a1", "a2", "a3"], ["b1", "b2"], ["c1"]]
    >>> plan = Dispatch(runs)
    >>> [plan.next(0), plan.next(1), plan.next(1), plan.next(1), plan.next(0), plan.next(1), plan.next(1)]
    ['a1', 'b1', 'b2', 'c1', 'a2', 'a3', None]
    >>> Dispatch(runs).left()
    ['a1', 'a2', 'a3', 'b1', 'b2', 'c1']
    """

    def __init__(self, runs: list[list[Job]]):
        self.waiting = [list(run) for run in runs]  # runs no worker has begun
        self.own: dict[int, list[Job]] = {}  # each worker's run: its reports not yet handed out

    def next(self, worker: int) -> Job | None:
        """The next report for ``worker``, or ``None`` when every report has been handed out."""
        if self.own.get(worker):
            return self.own[worker].pop(0)
        if self.waiting:
            self.own[worker] = self.waiting.pop(0)
            return self.own[worker].pop(0)
        fullest = max(self.own.values(), key=len, default=[])
        return fullest.pop() if fullest else None

    def left(self) -> list[Job]:
        """Every report not yet handed out."""
        return [job for run in [*self.own.values(), *self.waiting] for job in run]
