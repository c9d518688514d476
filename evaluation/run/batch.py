"""Many reports at once: plan, skip what has not changed, run the rest on warm kernels.

- **Plan.** Every parameters file is validated first; two files that would write the same
  output folder are both refused; a report whose fingerprint (:mod:`evaluation.run.fingerprint`)
  equals the one in its output folder is skipped as *oförändrad* (``force`` renders anyway).
  Planning imports nothing heavy, so a run where nothing changed is quick.
- **Run.** A pool of worker processes (``jobs``, default one per core), each with one warm
  kernel (:class:`evaluation.run.kernel.WarmKernel`) that runs report after report, an insats's
  reports on one kernel, shortest period first (:mod:`evaluation.run.pool`); a single
  report runs in this process instead (no worker to start: the evaluator's render while writing). A report whose
  kernel dies is retried once in a fresh kernel, which then replaces the old one. With
  ``scheduler`` the reports go to a Dask distributed cluster instead, and come back as files
  that are published here (:mod:`evaluation.run.cluster`).
- **Publish.** Each report is swapped into place whole; the index is updated by this process
  only, after each report. The output folder is locked for the run, and leftovers of killed
  runs (``.bygger-*``, ``.gammal-*``) are removed first.
"""
from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.core.errors import EvaluationError, InputError
from evaluation.inputs.params import ReportParams, load_params
from evaluation.inputs.paths import real_path
from evaluation.run import fingerprint, index
from evaluation.run.jobs import Job, Outcome

LOCK = ".korning.las"


class Busy(EvaluationError):
    """Another run writes to the same output folder."""


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> bool:
        return self.count("fel") > 0


# -- planning ------------------------------------------------------------------------------------
def load_all(paths: list[Path]) -> list[tuple[Path, ReportParams | EvaluationError]]:
    """Each parameters file (resolved) with its parameters, or the error that refused them."""
    loaded = []
    for path in paths:
        path = real_path(path)
        try:
            loaded.append((path, load_params(path)))
        except EvaluationError as exc:
            loaded.append((path, exc))
    return loaded


def refuse_output_among_inputs(out_dir: Path, loaded: list[tuple[Path, ReportParams | EvaluationError]]) -> None:
    """An output folder inside a report's data folder is refused before anything is written: the
    reports would lie among the inputs, and every later run would name them as unknown files."""
    from evaluation.run.render import target_of

    for path, params in loaded:
        if isinstance(params, ReportParams):
            data = real_path(params.data)
            if data in target_of(params, out_dir).parents:
                raise InputError(
                    f"--out {out_dir}: rapporten för {path.name} skulle hamna i datamappen {data}, bland underlaget. "
                    "Välj en mapp utanför datamappen, t.ex. output/ i projektets mapp."
                )


def plan(paths: list[tuple[Path, ReportParams | EvaluationError]], out_dir: Path, formats, force: bool = False,
         template: Path | None = None, strict: bool = False) -> tuple[list[Job], list[Outcome]]:
    """The reports to render (``paths`` as :func:`load_all` gives them), and the outcomes already
    known (bad parameters, collisions, unchanged).

    An unchanged report keeps the warnings recorded in the index; with ``strict`` an unchanged
    report that has warnings is rendered again (and so fails), never skipped.
    """
    from evaluation.run.render import target_of

    jobs: list[Job] = []
    known: list[Outcome] = []
    by_target: dict[Path, Job] = {}
    for path, params in paths:
        if isinstance(params, EvaluationError):
            known.append(Outcome(path, "fel", str(params)))
            continue
        job = Job(path, params)
        target = target_of(params, out_dir)
        if target in by_target:
            first = by_target[target]
            message = (f"{path} och {first.path} skriver båda till {target}: insats och period "
                       "(filens namn) måste vara unika. Byt namn på den ena filen eller ändra 'insats'.")
            first.error = job.error = message
        by_target[target] = job
        jobs.append(job)
    ready, entries = [], index.listed(out_dir)  # the index read once, not again for each report
    for job in jobs:
        if job.error:
            known.append(Outcome(job.path, "fel", job.error))
            continue
        job.digest = fingerprint.of(job.params, formats, template)
        entry = index.entry_of(out_dir, job.path, entries)
        recorded = index.notices_in(entry, job.path)
        # a report the index does not list is made again: a run killed outright had published it
        # and not yet saved the index (index.Recorder)
        if (not force and entry is not None and fingerprint.unchanged(target_of(job.params, out_dir), job.digest)
                and not (strict and recorded)):
            known.append(Outcome(job.path, "oforandrad", folder=target_of(job.params, out_dir), notices=recorded))
        else:
            ready.append(job)
    return ready, known


# -- the output folder -----------------------------------------------------------------------------
@contextmanager
def locked(out_dir: Path):
    """Hold the output folder for this run; a second run is told plainly that it is busy."""
    import fcntl

    from evaluation.run.publish import unwritable

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = open(out_dir / LOCK, "w")
    except OSError as exc:
        raise unwritable(out_dir, exc) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise Busy(f"En annan körning skriver redan till {out_dir}. Vänta tills den är klar och kör igen.") from None
    try:
        clean_leftovers(out_dir)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def clean_leftovers(out_dir: Path) -> None:
    """Remove staging and old folders that a killed run left behind (``.bygger-*``, ``.gammal-*``)."""
    for pattern in ("*/.bygger-*", "*/.gammal-*"):
        for folder in out_dir.glob(pattern):
            shutil.rmtree(folder, ignore_errors=True)


# -- one report, in this process ---------------------------------------------------------------
def _run_here(job: Job, out_dir: Path, formats, report, template: Path | None = None, strict: bool = False,
              kernel=None):
    """One report (an evaluator rendering while writing): in this process, with no worker to
    spawn, on ``kernel`` (started when the command began) or one started here, while the writers load."""
    from evaluation.run import pool

    started = time.perf_counter()
    done = False
    try:
        try:
            pool.start_kernel(formats, kernel)
        except EvaluationError as exc:  # the kernel never came up
            report(Outcome(job.path, "fel", f"{job.path}: {exc}", time.perf_counter() - started))
            return
        report(pool.work(job, out_dir, formats, template, strict))
        done = True
    finally:
        pool.stop_kernel(keep=done)  # a kept kernel stays after a report; failed or Ctrl-C: it stops


# -- the whole run ---------------------------------------------------------------------------------
def run(paths: list[Path], out_dir: Path | str, formats, jobs: int | None = None, force: bool = False,
        scheduler: str | None = None, progress=None, template: Path | None = None, strict: bool = False,
        kernel=None) -> Summary:
    """Render ``paths`` into ``out_dir``; ``progress(outcome)`` is called after each report.

    ``template`` is a Word template for every report (``--mall``), instead of their ``mall:``.
    With ``strict`` a report with warnings (notices) fails and is not published. ``kernel`` is
    a kernel already starting (:func:`evaluation.run.keeper.launch`), for a single report; this
    run releases it in every case (a kept kernel stays for the next command).
    """
    out_dir = real_path(out_dir)
    started = time.perf_counter()
    summary = Summary()

    def report(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        job = next((j for j in todo if j.path == outcome.path), None)
        if outcome.status == "ok":
            recorder.success(job.params, outcome.folder, outcome.notices, outcome.older)
        elif outcome.status == "fel":
            recorder.failure(outcome.path, outcome.message, job.params if job else None)
        if progress:
            progress(outcome)

    single = False
    from evaluation.run import workers

    # the pool's forkserver imports what kernels and workers need while the parameters are read
    spare = len(paths) > 1 and not scheduler and workers.start_early(formats)
    try:
        loaded = load_all(paths)
        refuse_output_among_inputs(out_dir, loaded)
        with locked(out_dir), index.Recorder(out_dir) as recorder:
            todo, known = plan(loaded, out_dir, formats, force, template, strict)
            spare = spare and len(todo) < 2
            if spare:  # nothing for a pool to do: its imports stop at once
                workers.stop()
            for outcome in known:
                report(outcome)
            single = len(todo) == 1 and not scheduler
            if single:
                _run_here(todo[0], out_dir, formats, report, template, strict, kernel)  # it releases the kernel
            elif todo and scheduler:
                from evaluation.run import cluster

                cluster.run(todo, out_dir, formats, scheduler, report, template, strict)
            elif todo:
                from evaluation.run import pool

                pool.run(todo, out_dir, formats, jobs or os.cpu_count() or 1, report, template, strict)
            elif not (out_dir / "index.html").exists():
                index.write_index(out_dir)
    finally:
        if kernel is not None and not single:  # started for a report that needs none (unchanged, bad, busy)
            kernel.release()
        if spare:  # started here for a pool that never came (bad input, Ctrl-C while planning)
            workers.stop()
    summary.seconds = time.perf_counter() - started
    return summary
