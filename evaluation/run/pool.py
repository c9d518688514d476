"""A batch on this machine: worker processes, each running reports on one warm kernel, handed
one report at a time (:func:`run`); and the warm kernel of this process (:func:`start_kernel`,
:func:`work`), which a single report's command uses too (:mod:`evaluation.run.batch`).

- **Kernels from the forkserver.** The command starts the forkserver before it plans
  (:func:`evaluation.run.workers.start_early`); it imports what kernels and workers need once,
  while the parameters are read, and forks each kernel (:mod:`evaluation.run.forkedkernel`) and
  then each worker, which attaches to one. Before, each kernel imported it all again as a
  program of its own (1.9 CPU-s), beside the forkserver's imports for the workers.
- **One report at a time.** A worker sends each report's outcome back and is handed its next:
  the rest of its insats's run, then the next run (:func:`evaluation.run.jobs.by_insats`), and
  when no run is left to begin, the last report of the run with the most reports still
  waiting (:class:`evaluation.run.jobs.Dispatch`). So no core idles at the end while one worker
  still has a run of three reports before it. The every-format batch of the 48 bench reports
  left 2.5 core-seconds idle in its first three seconds and 2.5 in its last three; now 1.3
  and 1.9 (one timeline each, on an otherwise idle machine).
- **A worker that dies** (out of memory, killed) fails the report it was making, with a message;
  the others take over what was left of its run. A kernel that dies is replaced, and its report
  tried once more on the new one (:func:`work`).
"""
from __future__ import annotations

import os
import queue
import time
from pathlib import Path

from evaluation.core.errors import EvaluationError, RenderError
from evaluation.run.jobs import Dispatch, Job, Outcome, by_insats

_KERNEL = None


def start_kernel(formats, started=None) -> None:
    """Start this process's warm kernel (or warm ``started``: one :func:`evaluation.run.keeper.launch`
    gave, or one the command started for this worker) while the writers of ``formats`` load in
    a thread, until the first report is written (:func:`evaluation.renderers.warm_in_background`):
    the kernel's own warm-up and the report's notebook run in its process, so both use a core at once."""
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
    atexit.register(stop_kernel)
    renderers.warm_in_background(formats)
    started.warm()


def stop_kernel(keep: bool = False) -> None:
    """Stop this process's kernel: at the end of a worker (its connection file in the temporary
    folder goes with it), or of a single report's command; with ``keep`` a kept kernel is only
    released, and stays for the next command (:mod:`evaluation.run.keeper`)."""
    global _KERNEL
    if _KERNEL is not None:
        if keep:
            _KERNEL.release()
        else:
            _KERNEL.shutdown()
        _KERNEL = None


def work(job: Job, out_dir: Path, formats, template: Path | None = None, strict: bool = False) -> Outcome:
    """Render one report on this process's warm kernel (retried once on a fresh kernel if it dies)."""
    from evaluation.run.kernel import KernelDied
    from evaluation.run.render import build

    started = time.perf_counter()
    for attempt in (1, 2):
        try:
            folder, found, older = build(job.params, out_dir, formats, kernel=_KERNEL, digest=job.digest,
                                         template=template, strict=strict)
            return Outcome(job.path, "ok", seconds=time.perf_counter() - started, folder=folder, notices=found,
                           older=older)
        except KernelDied as exc:
            try:
                _fresh_kernel()
            except KernelDied as again:
                return Outcome(job.path, "fel", f"{job.path}: {again}", time.perf_counter() - started)
            if attempt == 2:
                return Outcome(job.path, "fel", str(exc), time.perf_counter() - started)
        except EvaluationError as exc:
            return Outcome(job.path, "fel", str(exc), time.perf_counter() - started)
        except Exception as exc:  # a bug: say so, keep the others going
            return Outcome(job.path, "fel", f"{job.path}: oväntat fel ({type(exc).__name__}: {exc}). "
                                            "Kör igen med --debug och rapportera felet.", time.perf_counter() - started)
    raise AssertionError("unreachable")


def _fresh_kernel() -> None:
    """Replace this process's kernel (dead, or never up) with a new one; raises
    :class:`evaluation.run.kernel.KernelDied` when none starts."""
    global _KERNEL
    from evaluation.run.kernel import WarmKernel

    if _KERNEL is not None:
        _KERNEL.shutdown()
        _KERNEL = None
    _KERNEL = WarmKernel()


# -- a worker ------------------------------------------------------------------------------------
def _worker(slot: int, handle, formats, inbox, outcomes, out_dir: Path, template, strict: bool, environ) -> None:
    """A worker process: attach to the kernel the command started for it (``handle``; if that one
    never answers, start one of its own), then render each report the command hands it
    (``inbox``) until it is handed ``None``, sending each outcome back as ``(slot, outcome)``.

    It leaves Ctrl-C to the command (which stops the workers, and their kernels follow: no worker
    prints a traceback of its own), takes the command's environment ``environ`` and dies with it
    (Linux; :func:`evaluation.run.workers.forked`).
    """
    import signal

    from evaluation.run.kernel import KernelDied, WarmKernel
    from evaluation.run.workers import forked

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    forked(environ)
    failed = ""
    try:
        kernel = WarmKernel.attached(handle)
    except Exception:  # noqa: BLE001 - its connection file is gone or damaged: one of its own instead
        kernel = None
    try:
        try:
            start_kernel(formats, kernel)
        except KernelDied:  # the command's kernel never answered: one of its own instead
            _fresh_kernel()
    except EvaluationError as exc:  # no kernel at all: every report it is handed fails with the reason
        failed = str(exc)
    while (job := inbox.get()) is not None:
        outcomes.put((slot, Outcome(job.path, "fel", f"{job.path}: {failed}") if failed else
                      work(job, out_dir, formats, template, strict)))


# -- the command's side ----------------------------------------------------------------------------
#: Seconds to wait for an outcome still on its way from a worker that has ended (what it sent
#: before it ended is in the pipe by then: only what it never sent is waited for in vain).
_GRACE = 2.0


def _died(job: Job) -> Outcome:
    """The failure of a report whose worker stopped while making it."""
    return Outcome(job.path, "fel", f"{job.path}: arbetsprocessen som skapade rapporten stannade oväntat "
                                    "(slut på minne, eller stoppad utifrån). Kör igen; händer det igen, "
                                    "kör med --jobs 1.")


def _next_outcome(outcomes, processes: list, busy: dict) -> tuple[int, Outcome]:
    """The next ``(slot, outcome)`` from the workers. A worker that ended while it had a report
    (out of memory, killed) gives that report's failure, once what it sent last has had
    :data:`_GRACE` seconds to arrive."""
    while True:
        try:
            return outcomes.get(timeout=0.2)
        except queue.Empty:
            pass
        for slot, process in enumerate(processes):
            if busy.get(slot) is not None and not process.is_alive():
                try:
                    return outcomes.get(timeout=_GRACE)
                except queue.Empty:
                    return slot, _died(busy[slot])


class _Starting:
    """The kernels, then the workers, forked in a thread of their own: Ctrl-C reaches only the
    command's main thread, so every process is started whole, and known, before the command
    stops and kills them. The first fork waits until the forkserver has imported what kernels and
    workers need (two seconds or so): a worker forked while Ctrl-C interrupted that wait was
    never known to be killed, and printed its traceback after the command had ended.

    ``worker(slot, handle)`` makes the worker of slot ``slot``, given its kernel's handle (a
    process id is known once the kernel is forked); each is added to ``processes``."""

    def __init__(self, kernels: list, worker, processes: list):
        import threading

        self.done, self.failed = threading.Event(), []
        threading.Thread(target=self._start, args=(kernels, worker, processes), name="evaluation-start",
                         daemon=True).start()

    def _start(self, kernels: list, worker, processes: list) -> None:
        try:
            for kernel in kernels:
                kernel.start()
            for slot, kernel in enumerate(kernels):
                processes.append(worker(slot, kernel.handle))
                processes[-1].start()
        except BaseException as exc:  # noqa: BLE001 - raised in the command (wait)
            self.failed.append(exc)
        finally:
            self.done.set()

    def wait(self) -> None:
        """Until every kernel and worker has started. An event, not ``Thread.join``: a join that
        Ctrl-C interrupts leaves the thread taken for ended (Python 3.11), and the next join
        returns at once."""
        self.done.wait()
        if self.failed:
            failed = self.failed.pop()
            if isinstance(failed, (OSError, EOFError)):  # the forkserver stopped (killed) while it forked them
                raise RenderError(f"Körningens processer kunde inte startas ({type(failed).__name__}): processen "
                                  "som startar dem stannade oväntat. Kör igen.") from None
            raise failed


def run(jobs: list[Job], out_dir: Path, formats, workers: int, report, template: Path | None = None,
        strict: bool = False) -> None:
    """Render ``jobs`` on ``workers`` worker processes; ``report(outcome)`` is called for each
    report as its outcome comes back."""
    from evaluation.run.forkedkernel import ForkedKernel, remove_stale
    from evaluation.run.workers import forkserver

    remove_stale()
    runs = by_insats(jobs, workers)
    kernels, processes, starting = [], [], None
    try:
        context = forkserver(formats)
        kernels += [ForkedKernel(context) for _ in range(min(workers, len(runs)))]
        outcomes = context.Queue()
        inboxes = [context.SimpleQueue() for _ in kernels]

        def worker(slot: int, handle):
            return context.Process(target=_worker, name=f"evaluation-{slot + 1}", args=(
                slot, handle, tuple(formats), inboxes[slot], outcomes, out_dir, template, strict, dict(os.environ)))

        starting = _Starting(kernels, worker, processes)
        starting.wait()
        dispatch, busy = Dispatch(runs), {}

        def hand(slot: int) -> None:
            alive = processes[slot].is_alive()
            busy[slot] = dispatch.next(slot) if alive else None
            if alive:
                inboxes[slot].put(busy[slot])

        for slot in range(len(processes)):
            hand(slot)
        for _ in jobs:
            if not any(busy.values()):  # every worker has died: what was left fails
                for job in dispatch.left():
                    report(_died(job))
                break
            slot, outcome = _next_outcome(outcomes, processes, busy)
            hand(slot)  # its next report first: the worker waits for it
            report(outcome)
        for process in processes:
            process.join()
    except BaseException:
        if starting is not None:
            starting.done.wait()  # every process this run forks is known, and killed here
        for process in processes:
            if process.is_alive():
                process.kill()  # and its kernel is stopped below
        raise
    finally:
        for kernel in kernels:
            kernel.shutdown()
