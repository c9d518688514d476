"""A batch's kernels, forked from the forkserver that makes its workers (:mod:`evaluation.run.workers`).

A kernel started as a program of its own imports pandas, matplotlib and the report's code
(:data:`evaluation.run.kernel.KERNEL_IMPORTS`): 1.9 CPU-s until it answered, while the
forkserver imported most of the same for the workers (1.0 CPU-s). Now the forkserver imports it
all once (1.6–1.7 CPU-s, :mod:`evaluation.run.uncollected`), and each kernel is a child of it
that only starts IPython's kernel application: 0.13–0.16 CPU-s until it answers.

It is the same kernel (``ipykernel``'s ``IPKernelApp``, with :func:`evaluation.run.kernel.start_arguments`),
reached the same way: by its connection file, which the command writes in the temporary folder as
Jupyter's kernel manager does, and its process id (:meth:`evaluation.run.kernel.WarmKernel.attached`).
"""
from __future__ import annotations

import os
from pathlib import Path


PREFIX = "kernel-evaluation-"


def remove_stale() -> None:
    """Remove the connection files of batches that were killed (a killed command cannot remove
    them): those in the temporary folder named for a process that no longer runs."""
    import tempfile

    from evaluation.run.kernel import process_alive

    for path in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*.json"):
        pid = path.name[len(PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            try:
                path.unlink()
            except OSError:  # another user's, or gone meanwhile
                pass


class ForkedKernel:
    """A kernel process of ``context`` (the batch's forkserver), not yet started; :meth:`start` forks it."""

    def __init__(self, context):
        import tempfile

        from jupyter_client.connect import write_connection_file

        handle, self.connection = tempfile.mkstemp(prefix=f"{PREFIX}{os.getpid()}-", suffix=".json")
        os.close(handle)  # in the temporary folder, as Jupyter's kernel manager writes it
        write_connection_file(self.connection, ip="127.0.0.1", key=os.urandom(32).hex().encode())
        self.process = context.Process(target=_main, name="evaluation-kärna", args=(self.connection, dict(os.environ)))

    def start(self) -> None:
        self.process.start()

    @property
    def handle(self) -> tuple[str, int]:
        """Its connection file and process id (:meth:`evaluation.run.kernel.WarmKernel.attached`)."""
        return self.connection, self.process.pid

    def shutdown(self) -> None:
        """Stop it (it holds nothing worth saving) and remove its connection file."""
        if self.process.pid is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
        Path(self.connection).unlink(missing_ok=True)


def _main(connection: str, environ: dict) -> None:
    """The kernel process: in a session of its own, as Jupyter starts a kernel (Ctrl-C in the
    terminal is the command's, which stops the batch), named ``ipykernel`` where the system lists
    processes, then IPython's kernel application until it is stopped, or until the forkserver
    stops (its parent polling, beside :func:`evaluation.run.workers.forked`).

    A kernel that cannot start (another process took one of its ports after they were chosen)
    ends without a traceback on the evaluator's terminal: its worker starts a kernel of its own.
    """
    from ipykernel.kernelapp import IPKernelApp

    from evaluation.run.kernel import start_arguments
    from evaluation.run.workers import forked

    os.setsid()
    forked(environ)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(15, b"ipykernel")  # PR_SET_NAME
    except (OSError, AttributeError):  # not Linux
        pass
    try:
        IPKernelApp.launch_instance(argv=["-f", connection, f"--IPKernelApp.parent_handle={os.getppid()}",
                                          *start_arguments()])
    except Exception:  # noqa: BLE001 - said by its worker, which starts another
        os._exit(1)
