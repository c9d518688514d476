"""Many reports at once: plan, skip what has not changed, run the rest on warm kernels.

- **Plan.** Every parameters file is validated first; two files that would write the same
  output folder are both refused; a report whose fingerprint (:mod:`evaluation.run.fingerprint`)
  equals the one in its output folder is skipped as *oförändrad* (``force`` renders anyway).
  Planning imports nothing heavy, so a run where nothing changed is quick.
- **Run.** A pool of worker processes (``jobs``, default one per core), each with one warm
  kernel (:class:`evaluation.run.kernel.WarmKernel`) that runs report after report, an insats's
  reports on one kernel, shortest period first (:func:`evaluation.run.jobs.by_insats`); a single
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

from evaluation.core.errors import EvaluationError, InputError, RenderError
from evaluation.inputs.params import ReportParams, load_params
from evaluation.inputs.paths import real_path
from evaluation.run import fingerprint, index
from evaluation.run.jobs import Job, Outcome, by_insats

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
    ready = []
    for job in jobs:
        if job.error:
            known.append(Outcome(job.path, "fel", job.error))
            continue
        job.digest = fingerprint.of(job.params, formats, template)
        recorded = index.notices_of(out_dir, job.path)
        if (not force and fingerprint.unchanged(target_of(job.params, out_dir), job.digest)
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


# -- running on local warm kernels ---------------------------------------------------------------
_KERNEL = None


def _start_worker(formats=(), outcomes=None, environ=None) -> None:
    """Worker start: leave Ctrl-C to the command (it stops the workers, and their kernels follow:
    no worker prints a traceback of its own), take the command's environment ``environ`` and die
    with it (Linux; :func:`evaluation.run.workers.forked`), then start the warm kernel.
    ``outcomes`` is the queue each report's :class:`Outcome` goes back on (:func:`_work_all`)."""
    import signal

    from evaluation.run.workers import forked

    global _OUTCOMES
    _OUTCOMES = outcomes
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    forked(environ)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the forkserver's
    except (OSError, AttributeError):  # not Linux: the kernel's own parent polling still applies
        pass
    _start_kernel(formats)


_OUTCOMES = None


def _start_kernel(formats, started=None) -> None:
    """Start this process's warm kernel (or warm ``started``, one :func:`evaluation.run.keeper.launch`
    gave) while the writers of ``formats`` load in a thread, until the first report is written
    (:func:`evaluation.renderers.warm_in_background`): the kernel's own warm-up and the report's
    notebook run in its process, so both use a core at once."""
    import atexit

    global _KERNEL
    _KERNEL = started  # released or stopped by the caller even if what follows fails
    import papermill  # noqa: F401 - here first: the writers' thread imports its modules too (nbconvert), and
    # two threads importing the same package at once may see it half made (ImportError)

    from evaluation import renderers
    from evaluation.run.kernel import WarmKernel

    if started is None:
        started = WarmKernel(warm=False)  # its process starts (what starting imports, imported here first)
    _KERNEL = started
    atexit.register(_stop_kernel)
    renderers.warm_in_background(formats)
    started.warm()


def _stop_kernel() -> None:
    """At the end of a pool's worker, its kernel stops with it (and its connection file in the
    temporary folder goes); a single report's command has released or stopped its own by then."""
    global _KERNEL
    if _KERNEL is not None:
        _KERNEL.shutdown()
        _KERNEL = None


def _work(job: Job, out_dir: Path, formats, template: Path | None = None, strict: bool = False) -> Outcome:
    """Render one report on this worker's warm kernel (retried once on a fresh kernel if it dies)."""
    global _KERNEL
    from evaluation.run.kernel import KernelDied, WarmKernel
    from evaluation.run.render import build

    started = time.perf_counter()
    for attempt in (1, 2):
        try:
            folder, found, older = build(job.params, out_dir, formats, kernel=_KERNEL, digest=job.digest,
                                         template=template, strict=strict)
            return Outcome(job.path, "ok", seconds=time.perf_counter() - started, folder=folder, notices=found,
                           older=older)
        except KernelDied as exc:
            _KERNEL.shutdown()
            _KERNEL = WarmKernel()
            if attempt == 2:
                return Outcome(job.path, "fel", str(exc), time.perf_counter() - started)
        except EvaluationError as exc:
            return Outcome(job.path, "fel", str(exc), time.perf_counter() - started)
        except Exception as exc:  # a bug: say so, keep the others going
            return Outcome(job.path, "fel", f"{job.path}: oväntat fel ({type(exc).__name__}: {exc}). "
                                            "Kör igen med --debug och rapportera felet.", time.perf_counter() - started)
    raise AssertionError("unreachable")


def _work_all(jobs: list[Job], out_dir: Path, formats, template: Path | None = None, strict: bool = False) -> None:
    """Render ``jobs`` one after another on this worker's kernel; each outcome goes back on the
    worker's queue as soon as the report is done (the parent publishes it and says so then)."""
    for job in jobs:
        _OUTCOMES.put(_work(job, out_dir, formats, template, strict))


#: Seconds to wait for the outcomes still on their way once every worker is done.
_GRACE = 10.0


def _next_outcome(outcomes, running: list) -> Outcome:
    """The next report's outcome from the workers' queue. A worker that died (out of memory,
    killed) raises here (``BrokenProcessPool``); when every worker is done and an outcome never
    came (it could not be sent), the run stops with an error instead of waiting for ever."""
    import queue

    while True:
        try:
            return outcomes.get(timeout=0.2)
        except queue.Empty:
            for future in running:
                if future.done():
                    future.result()
            if all(future.done() for future in running):
                try:  # what a worker sent last may still be on its way
                    return outcomes.get(timeout=_GRACE)
                except queue.Empty:
                    raise RenderError("En rapports resultat kom aldrig tillbaka från sin arbetsprocess. "
                                      "Kör igen; händer det igen, kör med --jobs 1 och rapportera felet.") from None


def _run_local(jobs: list[Job], out_dir: Path, formats, workers: int, report, template: Path | None = None,
               strict: bool = False):
    from concurrent.futures import ProcessPoolExecutor

    from evaluation.run.workers import forkserver

    context = forkserver(formats)
    outcomes = context.Queue()
    runs = by_insats(jobs, workers)
    pool = ProcessPoolExecutor(max_workers=min(workers, len(runs)), mp_context=context, initializer=_start_worker,
                               initargs=(tuple(formats), outcomes, dict(os.environ)))
    try:
        running = [pool.submit(_work_all, run, out_dir, formats, template, strict) for run in runs]
        for _ in jobs:
            report(_next_outcome(outcomes, running))
        pool.shutdown(wait=True)
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()  # its kernel follows (parent polling)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        outcomes.close()


def _run_here(job: Job, out_dir: Path, formats, report, template: Path | None = None, strict: bool = False,
              kernel=None):
    """One report (an evaluator rendering while writing): in this process, with no worker to
    spawn, on ``kernel`` (started when the command began) or one started here, while the writers load."""
    global _KERNEL
    started = time.perf_counter()
    done = False
    try:
        try:
            _start_kernel(formats, kernel)
        except EvaluationError as exc:  # the kernel never came up
            report(Outcome(job.path, "fel", f"{job.path}: {exc}", time.perf_counter() - started))
            return
        report(_work(job, out_dir, formats, template, strict))
        done = True
    finally:
        if _KERNEL is not None and done:  # a kept kernel stays after a report
            _KERNEL.release()
        elif _KERNEL is not None:  # failed or Ctrl-C: it stops, kept or not
            _KERNEL.shutdown()
        _KERNEL = None


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
            index.record_success(out_dir, job.params, outcome.folder, outcome.notices, outcome.older)
        elif outcome.status == "fel":
            index.record_failure(out_dir, outcome.path, outcome.message, job.params if job else None)
        if progress:
            progress(outcome)

    single = False
    try:
        loaded = load_all(paths)
        refuse_output_among_inputs(out_dir, loaded)
        with locked(out_dir):
            todo, known = plan(loaded, out_dir, formats, force, template, strict)
            for outcome in known:
                report(outcome)
            single = len(todo) == 1 and not scheduler
            if single:
                _run_here(todo[0], out_dir, formats, report, template, strict, kernel)  # it releases the kernel
            elif todo and scheduler:
                from evaluation.run import cluster

                cluster.run(todo, out_dir, formats, scheduler, report, template, strict)
            elif todo:
                _run_local(todo, out_dir, formats, jobs or os.cpu_count() or 1, report, template, strict)
            elif not (out_dir / "index.html").exists():
                index.write_index(out_dir)
    finally:
        if kernel is not None and not single:  # started for a report that needs none (unchanged, bad, busy)
            kernel.release()
    summary.seconds = time.perf_counter() - started
    return summary
