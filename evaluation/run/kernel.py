"""A warm kernel: started once, imports once, runs report after report.

Papermill runs each report's notebook in it through its own API (``km=``), so batch
rendering does not pay for a kernel start and the imports of pandas and matplotlib
per report. Between reports the user namespace is reset (``%reset -f``), so no variable of
one report reaches the next; what stays are imported modules, which hold no report data.
"""
from __future__ import annotations

import functools

from evaluation.core.errors import RenderError

#: What every report needs (matplotlib's Agg backend: charts import it when drawing).
KERNEL_IMPORTS = ("evaluation.build.report", "evaluation.compute.charts", "evaluation.renderers.html",
                  "matplotlib.figure", "matplotlib.ticker", "matplotlib.backends.backend_agg")

#: Run once when the kernel starts: :data:`KERNEL_IMPORTS`; empty flushes of its streams made
#: free (:mod:`evaluation.run.flushes`); then the imported objects are frozen out of the garbage
#: collector's reach, so the collection that ``%reset`` makes between reports (and those during a
#: report) walk only report objects.
WARM_UP = (f"import {', '.join(KERNEL_IMPORTS)}\n"
           "from evaluation.run.flushes import skip_empty_flushes; skip_empty_flushes()\n"
           "import gc; gc.collect(); gc.freeze()")


#: How every report kernel is started: quiet, and without IPython's history, which writes each
#: cell to an SQLite file in the user's home in a thread of its own (5 % of a report's kernel time,
#: for a record no one reads: the executed notebook is the record).
ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False")


def start_arguments() -> list[str]:
    """The kernel application's arguments: :data:`ARGUMENTS`, and :data:`WARM_UP` to run as it
    starts (``exec_lines``), before it answers: it imports at once, not when the process that
    started it, busy with its own imports, first asks it to."""
    return [*ARGUMENTS, *(f"--IPKernelApp.exec_lines={line}" for line in WARM_UP.splitlines())]


class KernelDied(RenderError):
    """The kernel stopped while running a report (out of memory, killed)."""


@functools.cache
def client_manager():
    """A kernel manager that hands out one client, started and made ready once.

    nbclient (under papermill) asks the manager for a client for every notebook, starts its
    channels and waits until the kernel answers, which costs 0.2 s or more of idle time per
    report; with a kept client the second and later waits return at once.

    nbclient waits for a cell's reply and output without end, and with a blocking client such a
    wait holds its event loop, so its own check that the kernel still runs never came: a kernel
    killed while it ran a cell (out of memory) left its worker waiting for ever. The client's
    channels ask every second, while they wait without end, whether the kernel's process runs.
    """
    from queue import Empty

    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.channels import ZMQSocketChannel
    from jupyter_client.manager import KernelManager
    from traitlets import Type

    class WatchedChannel(ZMQSocketChannel):
        running = None  # whether the kernel's process runs (KeptClientManager.running)

        def get_msg(self, timeout=None):
            if timeout is not None or self.running is None:
                return super().get_msg(timeout)
            while True:
                try:
                    return super().get_msg(timeout=1)
                except Empty:
                    if not self.running():
                        raise KernelDied("Kärnan har stannat.") from None

    class ReadyClient(BlockingKernelClient):
        ready = False
        shell_channel_class = Type(WatchedChannel)
        iopub_channel_class = Type(WatchedChannel)

        def start_channels(self, *args, **kwargs) -> None:
            if not self.channels_running:
                super().start_channels(*args, **kwargs)
                self.shell_channel.running = self.iopub_channel.running = self.parent.running

        def wait_for_ready(self, timeout=None) -> None:
            if not self.ready:
                super().wait_for_ready(timeout=timeout)
                self.ready = True

    class KeptClientManager(KernelManager):
        kept = None
        attached_pid = None  # a kernel another command started (evaluation.run.keeper): its process id

        def client(self, **kwargs):
            if self.kept is None:
                self.client_factory = ReadyClient
                self.kept = super().client(**kwargs)
            return self.kept

        def running(self) -> bool:
            """Whether the kernel's process runs: an attached one by its process id, one this
            manager started by its process (what Jupyter's own check asks, without an event loop:
            the client's channels ask it while nbclient's loop waits)."""
            if self.attached_pid is not None:
                return process_alive(self.attached_pid)
            process = getattr(self.provisioner, "process", None)
            return process is not None and process.poll() is None

        @property
        def has_kernel(self) -> bool:  # nbclient starts a kernel unless the manager has one
            return self.attached_pid is not None or super().has_kernel

        async def _async_is_alive(self) -> bool:
            return self.running()

        def is_alive(self) -> bool:
            return self.running()

    return KeptClientManager


def attached_manager(connection: str, pid: int):
    """A kernel manager of the kernel that runs as process ``pid`` with the connection file
    ``connection`` (started by another process: a batch's command, an earlier command that kept
    it). Raises ``OSError`` or ``ValueError`` when the file is missing or damaged."""
    km = client_manager()(kernel_name="python3", connection_file=connection)
    km.load_connection_file()
    km.attached_pid = pid
    return km


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    import os

    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class WarmKernel:
    """One kernel process kept alive across reports."""

    def __init__(self, kernel_name: str = "python3", timeout: float = 120, warm: bool = True):
        """Start the kernel process (it imports what every report needs as it starts); with ``warm``
        (the default) also wait until it answers. ``warm=False`` returns at once
        (:func:`evaluation.run.keeper.launch`, :func:`evaluation.run.pool.run`): call :meth:`warm` later."""
        self.timeout = timeout
        self.client = None
        self.km = client_manager()(kernel_name=kernel_name)
        self._start_process()
        if warm:
            self.warm()

    @classmethod
    def attached(cls, handle: tuple[str, int], timeout: float = 120) -> WarmKernel:
        """The kernel another process started (its :attr:`handle`), to run reports on from this
        one (a batch's worker, :mod:`evaluation.run.pool`). :meth:`shutdown` stops it."""
        kernel = cls.__new__(cls)
        kernel.timeout, kernel.client, kernel.km = timeout, None, attached_manager(*handle)
        return kernel

    @property
    def handle(self) -> tuple[str, int]:
        """What another process needs to run reports on this kernel (:meth:`attached`): its
        connection file and process id."""
        return self.km.connection_file, self.km.provisioner.process.pid

    def _start_process(self, **launch) -> None:
        """Start the kernel's process (``launch``: how, see jupyter_client's ``launch_kernel``),
        with :func:`start_arguments`."""
        try:
            self.km.start_kernel(extra_arguments=start_arguments(), **launch)
        except Exception as exc:  # no such kernel, or it cannot be started
            raise KernelDied(f"Kärnan '{self.km.kernel_name}' kunde inte startas ({type(exc).__name__}). "
                             "Kör make demo, som installerar den.") from None

    def _connect(self, timeout: float) -> bool:
        """Open the channels and wait until the kernel answers (``False``: it did not)."""
        self.client = self.km.client()
        self.client.start_channels()
        try:
            self.client.wait_for_ready(timeout=timeout)
        except Exception:  # never came up, or gone
            return False
        return True

    def warm(self) -> None:
        """Wait until the kernel answers (it has then run :data:`WARM_UP`).

        A kernel this process started that stopped before it answered is started once more, on
        new ports: the ports a kernel is given are free when chosen, but another process may take
        one before the kernel binds it ("Address already in use"; seen once in four batches of
        three kernels starting at once).
        """
        if self.client is not None:
            return
        if not self._connect(self.timeout):
            if self.km.attached_pid is None and not self.km.is_alive():
                self.shutdown()
                self.km = client_manager()(kernel_name=self.km.kernel_name)
                self._start_process()
                if self._connect(self.timeout):
                    return
            self.shutdown()
            raise KernelDied("Kärnan startade inte.")

    def run(self, code: str) -> None:
        """Run ``code`` silently and wait until it is done."""
        import queue
        import time

        if not self.alive:  # killed between reports (out of memory): say so now, not after the timeout
            raise KernelDied("Kärnan har stannat.")
        deadline = time.monotonic() + self.timeout
        try:
            msg_id = self.client.execute(code, silent=True, store_history=False)
            while True:
                try:
                    reply = self.client.get_shell_msg(timeout=1)
                except queue.Empty:
                    if not self.alive or time.monotonic() > deadline:
                        raise
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        except Exception as exc:  # no reply: the kernel is gone or hangs
            raise KernelDied(f"Kärnan svarar inte ({type(exc).__name__}).") from None
        if reply["content"].get("status") != "ok":
            raise RenderError(f"Kärnan kunde inte förberedas: {reply['content'].get('evalue', '')}")

    def reset(self) -> None:
        """Forget every variable of the previous report, and collect what it left (``%reset``
        does); then set what survived aside from later collections (``gc.freeze``) and turn the
        garbage collector off until the next reset.

        The collector ran some 1 400 times while a bench report was made in the kernel (5 % of
        its time: 0.054 s of 0.92), though nearly nothing a report makes outlives it; its cycles
        (figures, frames) are collected here, at the next report's start, as the parent does
        with what writing a report leaves (:mod:`evaluation.run.heap`). ``%reset`` collects
        every generation; what outlives a report (modules imported by its first use, the caches
        of fonts, texts and published tables) was walked again by each later reset: 35–90 ms a
        bench report. Frozen, each reset walks only what the last report made: 5–60 ms. A frozen
        object is still freed when nothing refers to it; a cycle of them would stay, and after
        twelve bench reports there were ten such objects. Only a batch kernel: an analyst's
        kernel in JupyterLab keeps its collector.
        """
        self.run("get_ipython().run_line_magic('reset', '-f')\n"
                 "import gc as _gc; _gc.freeze(); _gc.disable(); del _gc")

    @property
    def alive(self) -> bool:
        return self.km.is_alive()

    def release(self) -> None:
        """Done with the kernel after a report: it stops (a kept kernel stays, see
        :mod:`evaluation.run.keeper`)."""
        self.shutdown()

    def shutdown(self) -> None:
        """Stop the kernel (an attached one too: it is killed, it holds nothing worth saving)."""
        import os
        import signal

        client = self.client
        if client is not None:
            client.stop_channels()
            self.client = None
        pid = self.km.attached_pid
        if pid is not None:
            if process_alive(pid):
                os.kill(pid, signal.SIGKILL)
            return
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass
