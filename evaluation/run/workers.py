"""How a batch's worker processes and kernels are made (:mod:`evaluation.run.pool`): forked from
one server process that has imported what every worker and kernel needs, rather than each started
as a new interpreter that imports it all again.

A spawned worker imported the command line, papermill, the kernel client and the writers itself:
1.1 CPU-s a worker for an HTML batch, on a core the kernels were starting on. A "forkserver"
imports them once (:data:`PRELOAD`, and the writers of the batch's formats) and forks each worker
from there; its imports start no Python thread, so forking it is as safe as spawning was. The
workers of a 6-report HTML batch on two cores took 2.7 CPU-s in all instead of 4.6 (median of 3).
"""
from __future__ import annotations

import os

from evaluation.run.kernel import KERNEL_IMPORTS

#: What every worker imports, beside the writers of its formats: its own code (and the command's
#: main module, which a new worker runs as ``__mp_main__``), papermill and the kernel client; and
#: what a kernel forked from the same server needs (:mod:`evaluation.run.forkedkernel`).
PRELOAD = ("__main__", "evaluation.run.uncollected", "evaluation.run.batch", "evaluation.run.pool",
           "evaluation.run.render", "evaluation.run.notebook", "evaluation.run.kernel", "papermill",
           "jupyter_client.blocking", "jupyter_client.manager", "evaluation.renderers.csv",
           "evaluation.run.forkedkernel", "ipykernel.kernelapp", *KERNEL_IMPORTS)


def forkserver(formats):
    """The multiprocessing context of a batch's pool: a forkserver that preloads :data:`PRELOAD`
    and the writers of ``formats`` (when it starts: with the first batch of this process).

    The forkserver listens on a Unix socket in the temporary folder, and such a path may be at
    most 107 bytes: in a temporary folder whose path is longer than about 70 (``TMPDIR``), the
    workers are spawned instead, each importing what it needs itself (slower, but they work).
    """
    import multiprocessing

    forking = multiprocessing.get_context("forkserver")
    forking.set_forkserver_preload([*PRELOAD, *(f"evaluation.renderers.{name}" for name in formats)])
    try:
        _start_deaf()
    except OSError:  # "AF_UNIX path too long"
        return multiprocessing.get_context("spawn")
    return forking


def start_early(formats) -> bool:
    """Start the forkserver of a batch's pool (:func:`forkserver`) before planning knows whether
    the pool is needed: it imports on the other core while the parameters are read and checked
    (0.5 s of the 48 bench reports). ``True`` when it was started here (none ran, and it could
    be): :func:`stop` it if it is not needed."""
    from multiprocessing import forkserver as server

    running = getattr(server._forkserver, "_forkserver_pid", None) is not None
    return forkserver(formats).get_start_method() == "forkserver" and not running


def stop() -> None:
    """Stop this process's forkserver, if it runs, at once: one :func:`start_early` started
    for a batch that found nothing for a pool to do."""
    import signal
    from multiprocessing import forkserver

    server = forkserver._forkserver
    if getattr(server, "_forkserver_pid", None) is not None:
        os.kill(server._forkserver_pid, signal.SIGKILL)  # it may still be importing: not waited for
        server._stop()  # its pipe closed and its process reaped, so a later batch starts a new one


def _start_deaf() -> None:
    """Start the forkserver deaf to Ctrl-C, as its children are (the command stops them): it
    ignores Ctrl-C itself only once it has imported :data:`PRELOAD`, and a Ctrl-C that came
    while it imported printed its traceback under the command's message. An ignored signal
    stays ignored in the program a process starts, so Ctrl-C is ignored here while the
    forkserver starts (milliseconds: one that comes then is lost, the next stops the command;
    only the main thread sets signal handlers)."""
    import signal
    import threading
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def forked(environ=None) -> None:
    """In a new worker or kernel: make it what a spawned one was.

    Its environment is the command's (``environ``), not that of the forkserver, which started with
    the first batch of the command's process. And it lets go of its copy of the pipe that keeps the
    forkserver alive while a process could still ask it for a child: the forkserver then stops
    as soon as the command does, also when the command is killed, and the workers and kernels
    with it (``PR_SET_PDEATHSIG``; elsewhere than Linux a kernel's own parent polling), rather
    than all of them waiting for each other for ever. Its exit
    handlers (:mod:`atexit`) run when it is done, as a spawned worker's did: a child of the
    forkserver ends with ``os._exit`` after multiprocessing's own finalizers, and without them
    every worker of a batch with PDF left WeasyPrint's font folder behind in ``/tmp``.
    """
    import atexit
    import gc
    from multiprocessing import forkserver, util

    gc.freeze()  # what the forkserver imported (:mod:`evaluation.run.uncollected`) is never walked again
    gc.enable()
    if environ is not None:
        os.environ.clear()
        os.environ.update(environ)
    util.Finalize(None, atexit._run_exitfuncs, exitpriority=0)
    server = forkserver._forkserver
    if getattr(server, "_forkserver_alive_fd", None) is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the forkserver's
    except (OSError, AttributeError):  # not Linux
        pass
