"""A warm kernel: started once, imports once, runs report after report.

Papermill runs each report's notebook in it through its own API (``km=``), so batch
rendering does not pay for a kernel start and the imports of pandas and matplotlib
per report. Between reports the user namespace is reset (``%reset -f``), so no variable of
one report reaches the next; what stays are imported modules, which hold no report data.
"""
from __future__ import annotations

import functools

from evaluation.core.errors import RenderError

#: Imported once when the kernel starts (what every report needs).
#: Then the imported objects are frozen out of the garbage collector's reach, so the collection
#: that ``%reset`` makes between reports (and those during a report) walk only report objects.
WARM_UP = ("import evaluation.build.report, evaluation.compute.charts, evaluation.renderers.html\n"
           "import matplotlib.figure, matplotlib.ticker, matplotlib.backends.backend_agg  # charts import it when drawing\n"
           "import gc; gc.collect(); gc.freeze()")


class KernelDied(RenderError):
    """The kernel stopped while running a report (out of memory, killed)."""


@functools.cache
def client_manager():
    """A kernel manager that hands out one client, started and made ready once.

    nbclient (under papermill) asks the manager for a client for every notebook, starts its
    channels and waits until the kernel answers, which costs 0.2 s or more of idle time per
    report; with a kept client the second and later waits return at once.
    """
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.manager import KernelManager

    class ReadyClient(BlockingKernelClient):
        ready = False

        def start_channels(self, *args, **kwargs) -> None:
            if not self.channels_running:
                super().start_channels(*args, **kwargs)

        def wait_for_ready(self, timeout=None) -> None:
            if not self.ready:
                super().wait_for_ready(timeout=timeout)
                self.ready = True

    class KeptClientManager(KernelManager):
        kept = None

        def client(self, **kwargs):
            if self.kept is None:
                self.client_factory = ReadyClient
                self.kept = super().client(**kwargs)
            return self.kept

    return KeptClientManager


class WarmKernel:
    """One kernel process kept alive across reports."""

    def __init__(self, kernel_name: str = "python3", timeout: float = 120, warm: bool = True):
        """Start the kernel process; with ``warm`` (the default) also wait for it and import what
        every report needs. ``warm=False`` returns at once (:func:`launch`): call :meth:`warm` later."""
        self.timeout = timeout
        self.client = None
        self.km = client_manager()(kernel_name=kernel_name)
        try:
            self.km.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        except Exception as exc:  # no such kernel, or it cannot be started
            raise KernelDied(f"Kärnan '{kernel_name}' kunde inte startas ({type(exc).__name__}). "
                             "Kör make demo, som installerar den.") from None
        if warm:
            self.warm()

    def warm(self) -> None:
        """Wait until the kernel answers, then import what every report needs (once)."""
        if self.client is not None:
            return
        self.client = self.km.client()
        self.client.start_channels()
        try:
            self.client.wait_for_ready(timeout=self.timeout)
        except Exception as exc:  # never came up
            self.shutdown()
            raise KernelDied(f"Kärnan startade inte ({type(exc).__name__}).") from None
        self.run(WARM_UP)

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
        """Forget every variable of the previous report."""
        self.run("get_ipython().run_line_magic('reset', '-f')")

    @property
    def alive(self) -> bool:
        return self.km.is_alive()

    def shutdown(self) -> None:
        client = self.client
        if client is not None:
            client.stop_channels()
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass


def launch() -> WarmKernel | None:
    """A kernel started now and warmed later (:meth:`WarmKernel.warm`): the command that renders
    one report starts it first, so the kernel starts while the command loads and checks the
    parameters. ``None`` when it cannot start; starting it again later says why."""
    try:
        return WarmKernel(warm=False)
    except KernelDied:
        return None
