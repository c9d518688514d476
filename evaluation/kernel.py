"""A warm kernel: started once, imports once, runs report after report.

Papermill runs each report's notebook in it through its own API (``km=``), so batch
rendering does not pay for a kernel start and the imports of pandas and matplotlib
per report. Between reports the user namespace is reset (``%reset -f``), so no variable of
one report reaches the next; what stays are imported modules, which hold no report data.
"""
from __future__ import annotations

from .errors import RenderError

#: Imported once when the kernel starts (what every report needs).
#: Then the imported objects are frozen out of the garbage collector's reach, so the collection
#: that ``%reset`` makes between reports (and those during a report) walk only report objects.
WARM_UP = "import evaluation.report, evaluation.charts, evaluation.renderers.html\nimport gc; gc.collect(); gc.freeze()"


class KernelDied(RenderError):
    """The kernel stopped while running a report (out of memory, killed)."""


class WarmKernel:
    """One kernel process kept alive across reports."""

    def __init__(self, kernel_name: str = "python3", timeout: float = 120):
        from jupyter_client.manager import KernelManager
        from jupyter_client.session import Session

        self.timeout = timeout
        self.km = KernelManager(kernel_name=kernel_name)
        self.km.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        ready = self.km.client()
        ready.start_channels()
        try:
            ready.wait_for_ready(timeout=self.timeout)
        except Exception as exc:  # never came up
            self.shutdown()
            raise KernelDied(f"Kärnan startade inte ({type(exc).__name__}).") from None
        finally:
            ready.stop_channels()
        # Our own requests go through one client that listens only for its replies (no iopub:
        # nothing piles up while papermill's client runs the reports, and no wait to drain it).
        # Its own session: clients of one session share a socket identity, and the kernel
        # would send our replies to papermill's (by then closed) socket.
        session = Session(key=self.km.session.key, signature_scheme=self.km.session.signature_scheme)
        self._client = self.km.client(session=session)
        self._client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        self.run(WARM_UP)

    def run(self, code: str) -> None:
        """Run ``code`` silently and wait until it is done."""
        try:
            msg_id = self._client.execute(code, silent=True, store_history=False)
            while True:
                reply = self._client.get_shell_msg(timeout=self.timeout)
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
        client = getattr(self, "_client", None)
        if client is not None:
            client.stop_channels()
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass
